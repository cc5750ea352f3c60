"""Working out a priority: rewording its parts keeps who, when, before and after, and the
process file carries that history losslessly."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from klebepunkt.process_document import DocumentError, dumps, loads
from klebepunkt.processes import models, selectors
from klebepunkt.processes.services import import_process, reword_priority
from klebepunkt.samples import sample_bytes

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 12, 0, 5, 123456, tzinfo=dt.UTC)


def first_priority(process) -> models.Goal:
    goal_id = selectors.evaluate_process(process).priorities[0].goal.id
    return models.Goal.objects.get(pk=int(goal_id))


def test_rewording_keeps_every_changed_part_with_who_when_before_after(koblenz, facilitator):
    goal = first_priority(koblenz)
    card = goal.cards.exclude(text="").first()
    old_goal, old_text = goal.text, card.text
    changes = reword_priority(
        goal=goal,
        goal_text=old_goal + " bis 2025",
        cards={card.pk: {"text": "Neu: " + old_text, "indicator": card.indicator}},
        by=facilitator,
        now=NOW,
    )
    assert changes == 2  # the indicator stayed: not recorded
    records = list(selectors.rewording_records(koblenz))
    assert [(r.before, r.after) for r in records] == [
        ({"goal": old_goal}, {"goal": old_goal + " bis 2025"}),
        ({"text": old_text}, {"text": "Neu: " + old_text}),
    ]
    assert all(r.goal_id == goal.pk and r.actor_name == facilitator.username for r in records)
    assert records[0].card is None and records[1].card_id == card.pk
    assert records[0].created_at == NOW
    goal.refresh_from_db()
    card.refresh_from_db()
    assert goal.text == old_goal + " bis 2025"
    assert card.text == "Neu: " + old_text
    assert records[0].kind == models.ChangeKind.REWORDED


def test_too_long_or_empty_is_refused_naming_the_part_and_nothing_is_saved(koblenz, facilitator):
    goal = first_priority(koblenz)
    card = goal.cards.exclude(text="").first()
    with pytest.raises(ValidationError) as refused:
        reword_priority(
            goal=goal,
            goal_text="   ",
            cards={card.pk: {"responsible": "x" * 100_000, "text": "geändert"}},
            by=facilitator,
        )
    errors = refused.value.message_dict
    assert set(errors) == {"goal", f"card_{card.pk}_responsible"}
    assert "100.000" in errors[f"card_{card.pk}_responsible"][0]
    assert not selectors.rewording_records(koblenz).exists()
    card.refresh_from_db()
    assert card.text != "geändert"


def test_a_card_of_another_goal_is_refused(koblenz, facilitator):
    goal = first_priority(koblenz)
    other = models.Card.objects.filter(theme_field__process=koblenz).exclude(goal=goal).first()
    with pytest.raises(ValidationError):
        reword_priority(goal=goal, goal_text=goal.text, cards={other.pk: {"text": "x"}}, by=None)


def reworded(koblenz, facilitator):
    goal = first_priority(koblenz)
    card = goal.cards.exclude(text="").first()
    reword_priority(
        goal=goal,
        goal_text="<script>alert(1)</script> " + goal.text,
        cards={card.pk: {"indicator": '=HYPERLINK("http://x")', "responsible": "Amt 50"}},
        by=facilitator,
        now=NOW,
    )
    return goal, card


def test_the_process_file_carries_the_history_and_round_trips_byte_identical(koblenz, facilitator):
    reworded(koblenz, facilitator)
    first = dumps(selectors.process_record(koblenz))
    section = json.loads(first)["rewordings"]
    assert len(section) == 3
    assert section[0]["field"] == "goal" and section[0]["card"] is None
    assert section[0]["at"] == "2026-11-30T12:00:05.123456+00:00"
    assert section[0]["by"] == facilitator.username
    copy = import_process(record=loads(first), user=None)
    second = dumps(selectors.process_record(copy))
    assert first == second
    records = list(selectors.rewording_records(copy))
    assert records[0].goal.text == records[0].after["goal"]
    assert records[1].card.indicator == '=HYPERLINK("http://x")'


def test_an_old_file_without_the_section_still_imports_and_exports_as_before(koblenz):
    old = sample_bytes("koblenz-2017")
    assert b"rewordings" not in old
    record = loads(old)
    assert record.rewordings == ()
    assert dumps(record) == old


@pytest.mark.parametrize(
    ("change", "place"),
    [
        ({"field": "nr"}, "rewordings[0].field"),
        ({"goal": 10_000}, "rewordings[0].goal"),
        ({"at": "2026-11-30T12:00:00"}, "rewordings[0].at"),
        ({"after": "x" * 100_001}, "rewordings[0].after"),
        ({"by": 5}, "rewordings[0].by"),
    ],
)
def test_a_bad_rewording_in_a_file_is_refused_with_its_place(koblenz, facilitator, change, place):
    reworded(koblenz, facilitator)
    document = json.loads(dumps(selectors.process_record(koblenz)))
    document["rewordings"][0].update(change)
    with pytest.raises(DocumentError) as refused:
        loads(json.dumps(document).encode())
    assert refused.value.location.column == place


def test_the_history_page_lists_the_rewordings_with_the_other_changes(
    koblenz, facilitator, facilitator_client
):
    from django.urls import reverse

    reworded(koblenz, facilitator)
    page = facilitator_client.get(reverse("processes:history", args=[koblenz.pk])).content
    text = page.decode()
    assert text.count("Priorität umformuliert") == 3
    assert "Ziel: <strong>&lt;script&gt;alert(1)" in text and "<script>alert" not in text
    assert "Indikator: <strong>=HYPERLINK(&quot;http://x&quot;)</strong>" in text


def test_a_new_wording_through_the_ordinary_edit_pages_is_kept_too(koblenz, facilitator):
    """The card and goal forms are another way to reword a priority: the history has them."""
    from klebepunkt.processes.services import CardFields, update_card, update_goal

    goal = first_priority(koblenz)
    card = goal.cards.exclude(text="").first()
    old_goal, old_text = goal.text, card.text
    update_goal(goal=goal, text=old_goal + " (neu)", nr=goal.nr, by=facilitator)
    update_goal(goal=goal, text=old_goal + " (neu)", nr=goal.nr, by=facilitator)  # unchanged
    update_card(
        card=card,
        fields=CardFields(
            text="Anders: " + old_text,
            indicator=card.indicator,
            responsible=card.responsible,
            dots=card.dots,
            origin=card.origin,
        ),
        theme_field=card.theme_field,
        by=facilitator,
    )
    records = list(selectors.rewording_records(koblenz))
    assert [(r.before, r.after, r.card_id) for r in records] == [
        ({"goal": old_goal}, {"goal": old_goal + " (neu)"}, None),
        ({"text": old_text}, {"text": "Anders: " + old_text}, card.pk),
    ]
    assert {r.actor_name for r in records} == {facilitator.username}
    loose = models.Card.objects.filter(theme_field__process=koblenz, goal=None).first()
    update_card(  # a card without a goal is no priority's wording
        card=loose,
        fields=CardFields(
            text=loose.text + "!",
            indicator=loose.indicator,
            responsible=loose.responsible,
            dots=loose.dots,
            origin=loose.origin,
        ),
        theme_field=loose.theme_field,
        by=facilitator,
    )
    assert len(list(selectors.rewording_records(koblenz))) == 2


def test_a_dot_on_the_goal_itself_keeps_its_empty_recommendation(koblenz, facilitator):
    goal = first_priority(koblenz)
    dot = models.Card.objects.create(theme_field=goal.theme_field, goal=goal, text="", dots=1)
    changes = reword_priority(
        goal=goal, goal_text=goal.text, cards={dot.pk: {"text": "", "indicator": "Quote"}}, by=None
    )
    assert changes == 1
    dot.refresh_from_db()
    assert (dot.text, dot.indicator) == ("", "Quote")
