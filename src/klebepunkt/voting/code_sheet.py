"""The printable sheet of personal codes of a round: read from the database, laid out by reports.

Made by the job queue (``processes.report_jobs``): the download asks for the job with the
sheet's content as its state, so a sheet is made again only when a name, a group or a
code changed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import get_language, gettext

from klebepunkt.processes.models import ReportJob
from klebepunkt.reports.codes import CodeCard, CodeSheet, build_code_sheet
from klebepunkt.reports.render import render
from klebepunkt.voting import codes
from klebepunkt.voting.models import VotingRound

CODE_SHEET = "codes"


def code_sheet(
    voting_round: VotingRound, *, join_base: str, code_url: Callable[[str], str]
) -> CodeSheet:
    """Every valid code of the round, by stakeholder group and member; no names if secret."""
    cards = tuple(
        CodeCard(
            name="" if voting_round.secret or voter.member is None else voter.member.name,
            stakeholder_group=voter.stakeholder_group.name if voter.stakeholder_group else "",
            code=codes.format_code(voter.code),
            url=code_url(voter.code),
        )
        for voter in voting_round.voters.filter(revoked_at=None)
        .select_related("member", "stakeholder_group")
        .order_by("stakeholder_group__position", "member__position", "id")
    )
    return build_code_sheet(
        round_title=voting_round.title,
        join_base=join_base,
        cards=cards,
        translate=gettext,
        language=(get_language() or "de").split("-")[0],
    )


def code_sheet_at(voting_round: VotingRound, *, base: str) -> CodeSheet:
    """The code sheet with links on the site ``base`` (``https://host``)."""
    return code_sheet(
        voting_round,
        join_base=base + reverse("voting:join"),
        code_url=lambda code: base + reverse("voting:code", args=[code]),
    )


def code_sheet_pdf(
    voting_round: VotingRound, *, join_base: str, code_url: Callable[[str], str]
) -> bytes:
    return render(code_sheet(voting_round, join_base=join_base, code_url=code_url), "pdf")


def code_sheet_file(job: ReportJob, on_step: Callable[[str], None]) -> bytes:
    """The maker of the background job: the code sheet of the round ``job.params["round"]``."""
    voting_round = VotingRound.objects.get(pk=job.params["round"], process=job.process)
    return render(code_sheet_at(voting_round, base=job.params["base"]), "pdf", on_step=on_step)
