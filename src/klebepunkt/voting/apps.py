from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "klebepunkt.voting"
    label = "voting"
    verbose_name = _("Voting")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from klebepunkt.processes.extensions import (
            register_ballots,
            register_card_dots,
            register_rounds,
        )
        from klebepunkt.voting.selectors import ballots_of, counted_card_dots, held_rounds

        register_card_dots(counted_card_dots)
        register_ballots(ballots_of)
        register_rounds(held_rounds)

        from klebepunkt.processes.report_jobs import register_maker
        from klebepunkt.voting.code_sheet import CODE_SHEET, code_sheet_file

        register_maker(CODE_SHEET, code_sheet_file, label=_("Code sheet"), change=True)
