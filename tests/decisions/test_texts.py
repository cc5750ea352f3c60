"""The report's own texts: the Markdown subset, hostile input, length, places, the editor."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from klebepunkt.decisions import services, texts
from klebepunkt.decisions.models import ReportText
from klebepunkt.processes.selectors import evaluate_process
from klebepunkt.richtext import MAX_LENGTH, blocks, to_html, to_markdown, to_plain

HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)>\n\n"
    "[klick](javascript:alert(3)) [daten](data:text/html;base64,PHNjcmlwdD4=) "
    "[JaVaScRiPt](JAVASCRIPT:alert(4)) [gut](https://koblenz.de)\n\n"
    '=HYPERLINK("http://x")\n\n- *eins*\n- **zwei**\n'
)


def test_the_subset_paragraphs_lists_emphasis_links():
    result = to_html("Ein *wichtiger* **Satz** mit [Link](https://koblenz.de).\n\n1. a\n2. b")
    assert result == (
        "<p>Ein <em>wichtiger</em> <strong>Satz</strong> mit "
        '<a href="https://koblenz.de" rel="noopener noreferrer">Link</a>.</p>\n'
        "<ol><li>a</li><li>b</li></ol>"
    )


def test_hostile_text_is_harmless_as_html():
    result = to_html(HOSTILE)
    for bad in ("<script", "<img", 'href="javascript', 'href="data', 'href="JAVASCRIPT'):
        assert bad not in result
    assert "&lt;script&gt;" in result  # shown as text
    assert '<a href="https://koblenz.de"' in result


def test_hostile_text_is_harmless_as_markdown_and_plain_text():
    markdown = to_markdown(HOSTILE)
    assert "<script" not in markdown and "<img" not in markdown
    # the brackets of a refused link are escaped: no link is formed
    assert "\\[klick\\](javascript" in markdown and "[klick](" not in markdown
    assert "[gut](<https://koblenz.de>)" in markdown
    # the safe Markdown renders back to the same safe HTML
    assert to_html(markdown) == to_html(HOSTILE)
    plain = to_plain(HOSTILE)
    assert "– eins" in plain


def test_raw_html_and_headings_are_not_part_of_the_subset():
    assert [b.kind for b in blocks("# Titel\n\n<b>x</b>\n\n> zitat")] == ["p", "p", "p"]


@pytest.mark.django_db
def test_a_text_too_long_gets_a_german_message(koblenz):
    with pytest.raises(ValidationError) as error:
        services.save_text(process=koblenz, key="introduction", text="x" * 100_000)
    assert "100.000 Zeichen" in error.value.message_dict["text"][0]
    assert f"{MAX_LENGTH:,}".replace(",", ".") in error.value.message_dict["text"][0]
    assert not ReportText.objects.exists()


@pytest.mark.django_db
def test_places_follow_the_process_and_the_method_is_pre_filled(koblenz):
    places = texts.places_of(koblenz, evaluate_process(koblenz))
    groups = [p.group for p in places]
    assert groups.count("chapter") == 4
    assert groups.count("field") == koblenz.theme_fields.count()
    assert groups.count("priority") == 7
    assert groups.count("minutes") == 3
    method = next(p for p in places if p.key == "method")
    assert not method.written
    assert f"hatte {koblenz.dots_per_voter} Punkte" in method.text
    assert f"Ziel mit {koblenz.goal_threshold} oder mehr" in method.text
    services.save_text(process=koblenz, key="method", text="Eigene Methode")
    method = texts.place_of(koblenz, evaluate_process(koblenz), "method")
    assert method.written and method.text == "Eigene Methode"
    services.save_text(process=koblenz, key="method", text="  ")
    assert not texts.place_of(koblenz, evaluate_process(koblenz), "method").written


@pytest.mark.django_db
def test_editor_previews_without_saving_and_saves(client, koblenz):
    client.force_login(koblenz.roles.get().user)
    url = reverse("decisions:text", args=[koblenz.pk, "introduction"])
    response = client.post(url, {"text": HOSTILE, "action": "preview"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert not ReportText.objects.exists()
    assert client.post(url, {"text": "**Vorwort**", "action": "save"}).status_code == 302
    assert ReportText.objects.get().text == "**Vorwort**"
    response = client.post(url, {"text": "x" * 100_000, "action": "save"})
    assert "100.000 Zeichen" in response.content.decode()
    assert client.get(reverse("decisions:text", args=[koblenz.pk, "nonsense"])).status_code == 404


def test_the_rule_and_the_quorum_are_worded_as_they_are_counted(client, koblenz):
    """The texts say "at least half of the voting members present", which is what
    ``domain.decision.quorum`` counts: 10 of Koblenz's 19."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    from klebepunkt.decisions.models import RULE_CHOICES
    from klebepunkt.decisions.reporting import RULES
    from tests.decisions.conftest import final_meeting

    with translation.override("de"):
        method = texts.place_of(koblenz, evaluate_process(koblenz), "method").text
        rules = [str(label) for _value, label in RULE_CHOICES]
        assert rules == [_(RULES["simple"]), _(RULES["absolute"])]
    assert "mindestens die Hälfte der Stimmberechtigten anwesend" in rules[0]
    assert "mindestens die Hälfte der Stimmberechtigten anwesend" in rules[1]
    assert rules[0] in method
    assert "Von den 19 Stimmberechtigten mussten mindestens 10 anwesend sein." in method
    client.force_login(koblenz.roles.get().user)
    page = client.get(
        reverse("decisions:attendance", args=[koblenz.pk, final_meeting(koblenz).pk]),
        HTTP_ACCEPT_LANGUAGE="de",
    ).content.decode()
    assert "beschlussfähig ab 10" in page
