"""The process file carries how each decision was voted on (show of hands, phones open or
phones secret) and, for an open vote on the phones, who voted what (members by their position
in the file); a secret vote carries nothing of its members, and while it is open not even its
running tally. The round trip is byte-identical; an older file without these fields imports
as show of hands; a bad value is refused in German naming its path, with nothing stored."""

from __future__ import annotations

import json

import pytest

from klebepunkt.decisions import models as decision_models
from klebepunkt.decisions import selectors, services
from klebepunkt.i18n import translator
from klebepunkt.process_document import DocumentError, loads
from klebepunkt.processes import models
from tests.decisions.conftest import attend, final_meeting
from tests.decisions.test_phone_votes import cast, phone_vote, voting
from tests.decisions.test_process_file import broken, export, upload

pytestmark = pytest.mark.django_db
GERMAN = translator("de")


@pytest.fixture
def phoned(koblenz):
    """Koblenz with four decisions: open on the phones (closed, then one still open with
    three ballots) and secret on the phones (closed, then one still open with two ballots),
    after a show of hands."""
    attend(koblenz, present_voting=17)
    members = voting(koblenz)
    hands = services.open_decision(process=koblenz, meeting=final_meeting(koblenz))
    services.close_decision(decision=hands)
    closed_open = phone_vote(koblenz)
    cast(closed_open, members[:5], "yynay")
    services.close_decision(decision=closed_open)
    still_open = phone_vote(koblenz)
    cast(still_open, [members[4], members[0], members[2]], "nya")
    closed_secret = phone_vote(koblenz, secret=True)
    cast(closed_secret, members[:4], "yyna")
    services.close_decision(decision=closed_secret)
    open_secret = phone_vote(koblenz, secret=True)
    cast(open_secret, members[:2], "yn")
    return koblenz


def ways(process) -> list[tuple]:
    return [
        (
            d.phone,
            d.secret,
            d.state,
            (d.yes, d.no, d.abstain),
            sorted((v.member.name, v.choice) for v in d.phone_votes.all()),
        )
        for d in selectors.decisions_of(process).order_by("created_at", "id")
    ]


def test_the_ways_of_voting_and_the_open_ballots_survive_the_round_trip(client, phoned):
    client.force_login(phoned.roles.get().user)
    first = export(client, phoned)
    decisions = json.loads(first)["decisions"]
    assert [d["voting"] for d in decisions] == [
        "show_of_hands",
        "phones_open",
        "phones_open",
        "phones_secret",
        "phones_secret",
    ]
    assert ["votes" in d for d in decisions] == [False, True, True, False, False]
    members = list(phoned.members.order_by("position", "id"))
    index = {member.pk: i for i, member in enumerate(members)}
    first_voters = voting(phoned)
    assert decisions[2]["votes"] == [
        {"member": index[first_voters[0].pk], "choice": "yes"},
        {"member": index[first_voters[2].pk], "choice": "abstain"},
        {"member": index[first_voters[4].pk], "choice": "no"},
    ]
    assert [decisions[3][k] for k in ("yes", "no", "abstain")] == [2, 1, 1]
    # the secret vote still open: no running tally, nothing of a member
    assert [decisions[4][k] for k in ("yes", "no", "abstain")] == [0, 0, 0]
    assert "marker" not in first.decode()

    upload(client, first)
    copy = models.Process.objects.exclude(pk=phoned.pk).get()
    assert export(client, copy) == first
    original, copied = ways(phoned), ways(copy)
    assert copied[:4] == original[:4]
    assert copied[4] == (True, True, "open", (0, 0, 0), [])
    # in the copy the secret vote starts again: a member who voted in the original votes anew
    opened = selectors.open_phone_decision(copy.pk)
    assert opened is not None and opened.secret and opened.marker_salt
    assert not decision_models.VoteMarker.objects.filter(decision=opened).exists()
    voter = copy.members.get(name=first_voters[0].name)
    cast(opened, [voter], "y")
    assert selectors.own_vote(opened, voter) == "secret"


def test_a_decision_without_the_way_of_voting_is_a_show_of_hands(client, phoned):
    client.force_login(phoned.roles.get().user)
    document = json.loads(export(client, phoned))
    del document["decisions"][0]["voting"]
    record = loads(json.dumps(document).encode())
    assert record.proceedings.decisions[0].voting == "show_of_hands"
    assert record.proceedings.decisions[0].votes == ()


HOSTILE = [
    ("decisions[1].voting", "per Zuruf", "decisions[1].voting"),
    ("decisions[1].voting", True, "decisions[1].voting"),
    ("decisions[1].votes", {"member": 0}, "decisions[1].votes"),
    ("decisions[1].votes[0].member", 99, "decisions[1].votes[0].member"),
    ("decisions[1].votes[0].member", -1, "decisions[1].votes[0].member"),
    ("decisions[1].votes[0].choice", "vielleicht", "decisions[1].votes[0].choice"),
    ("decisions[1].votes[1]", "DUPLICATE", "decisions[1].votes[1].member"),
    ("decisions[0].votes", "COPY", "decisions[0].votes"),  # votes of a show of hands
    ("decisions[3].votes", "COPY", "decisions[3].votes"),  # votes of a secret vote
    (
        "decisions[1].group_counts",
        [{"stakeholder_group": "Politik", "yes": 1}],
        "decisions[1].group_counts",
    ),
    ("decisions[4].yes", 2, "decisions[4]"),  # a running tally of an open secret vote
]


@pytest.mark.parametrize(("path", "value", "named"), HOSTILE)
def test_a_bad_way_of_voting_or_ballot_is_refused_in_german(client, phoned, path, value, named):
    client.force_login(phoned.roles.get().user)
    document = json.loads(export(client, phoned))
    if value == "DUPLICATE":
        value = document["decisions"][1]["votes"][0]
    elif value == "COPY":
        value = document["decisions"][1]["votes"]
    content = json.dumps(broken(document, path, value)).encode()
    with pytest.raises(DocumentError) as raised:
        loads(content, "kaputt.json")
    error = raised.value
    assert error.location.column == named
    assert GERMAN(error.message.msgid) != error.message.msgid, error.message.msgid
    counts = (models.Process.objects.count(), decision_models.PhoneVote.objects.count())
    response = upload(client, content, "kaputt.json")
    assert response.status_code == 400
    assert named in response.content.decode()
    assert (models.Process.objects.count(), decision_models.PhoneVote.objects.count()) == counts
