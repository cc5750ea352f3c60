"""What the decisions app adds to a process's report: the group's texts and its decisions."""

from __future__ import annotations

from collections.abc import Callable

from klebepunkt.decisions import models, selectors
from klebepunkt.decisions.models import DecisionState
from klebepunkt.decisions.rewordings import report_lines
from klebepunkt.domain.decision import Outcome
from klebepunkt.domain.messages import gettext_noop
from klebepunkt.domain.proceedings import PHONES_OPEN, PHONES_SECRET, SHOW_OF_HANDS, voting_way
from klebepunkt.processes import models as process_models
from klebepunkt.processes.selectors import evaluate_process
from klebepunkt.reports.own_texts import DecisionLine, OwnTexts

OUTCOMES = {
    Outcome.PASSED.value: gettext_noop("carried"),
    Outcome.FAILED.value: gettext_noop("not carried"),
    Outcome.NO_QUORUM.value: gettext_noop("no quorum"),
}
VOTING = {
    SHOW_OF_HANDS: gettext_noop("by show of hands"),
    PHONES_OPEN: gettext_noop("on the phones, open"),
    PHONES_SECRET: gettext_noop("on the phones, secret"),
}
RULES = {
    "simple": gettext_noop(
        "simple majority of the votes cast; quorum: at least half of the voting members present"
    ),
    "absolute": gettext_noop(
        "absolute majority of all voting members; quorum: at least half of the voting members present"
    ),
}
LABELS = {
    "foreword": gettext_noop("Foreword"),
    "introduction": gettext_noop("Introduction"),
    "method": gettext_noop("Method"),
    "closing": gettext_noop("Closing words"),
    "reason": gettext_noop("Reason for the priority"),
    "minutes": gettext_noop("Minutes"),
    "minutes_annex": gettext_noop("Annex: minutes of the meetings"),
    "decisions": gettext_noop("Decisions"),
    "changed": gettext_noop("changed after the decision"),
    "texts_sheet": gettext_noop("Texts"),
    "place": gettext_noop("Place"),
    "text": gettext_noop("Text"),
    "rewordings_annex": gettext_noop("Annex: working out of the priorities"),
    "rewordings_intro": gettext_noop(
        "Every change of a priority's wording after the vote, oldest first, with who made it "
        "and when. In the difference, words deleted are marked “[−…]” and struck through, "
        "words inserted are marked “[+…]”."
    ),
    "rewordings_sheet": gettext_noop("Working out"),
    "priority": gettext_noop("Priority"),
    "part": gettext_noop("Part of the priority"),
    "before": gettext_noop("Before"),
    "after": gettext_noop("After"),
    "difference": gettext_noop("Difference"),
    "who": gettext_noop("Who"),
    "when": gettext_noop("When"),
}


def decision_line(decision: models.Decision, translate: Callable[[str], str]) -> DecisionLine:
    summary = translate(
        gettext_noop(
            "%(yes)s yes, %(no)s no, %(abstain)s abstentions; %(present)s of %(members)s "
            "voting members present"
        )
    ) % {
        "yes": decision.yes,
        "no": decision.no,
        "abstain": decision.abstain,
        "present": decision.present_voting,
        "members": decision.voting_members,
    }
    decided = decision.decided_at or decision.created_at
    return DecisionLine(
        title=decision.title,
        decided_on=f"{decided:%d.%m.%Y}",
        outcome=translate(OUTCOMES[decision.outcome]),
        yes=decision.yes,
        no=decision.no,
        abstain=decision.abstain,
        present_voting=decision.present_voting,
        voting_members=decision.voting_members,
        rule=translate(RULES[decision.rule]),
        summary=summary,
        voting=translate(VOTING[voting_way(phone=decision.phone, secret=decision.secret)]),
    )


def own_texts(process: process_models.Process, translate: Callable[[str], str]) -> OwnTexts:
    saved = dict(models.ReportText.objects.filter(process=process).values_list("key", "text"))
    evaluation = evaluate_process(process)
    status = selectors.priority_decisions(process, evaluation)
    decisions = models.Decision.objects.filter(process=process, state=DecisionState.CLOSED)
    return OwnTexts(
        foreword=saved.get("foreword", ""),
        introduction=saved.get("introduction", ""),
        method=saved.get("method", ""),
        closing=saved.get("closing", ""),
        fields=tuple(
            (field.name, saved.get(f"field-{field.pk}", ""))
            for field in process.theme_fields.order_by("position", "id")
        ),
        reasons=tuple(
            (p.goal.id, p.goal.text, saved.get(f"priority-{p.goal.id}", ""))
            for p in evaluation.priorities
        ),
        minutes=tuple(
            (f"{meeting.date:%d.%m.%Y}", saved.get(f"minutes-{meeting.pk}", ""))
            for meeting in process.meetings.order_by("date", "start", "id")
        ),
        decisions=tuple(
            decision_line(d, translate) for d in decisions.order_by("decided_at", "id")
        ),
        changed=tuple(goal for goal, s in status.items() if s.changed),
        rewordings=report_lines(process, translate),
        labels={key: translate(msgid) for key, msgid in LABELS.items()},
    )


def report_additions(
    process: process_models.Process, translate: Callable[[str], str]
) -> dict[str, object]:
    return {"own": own_texts(process, translate)}
