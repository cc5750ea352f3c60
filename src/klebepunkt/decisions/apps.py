from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "klebepunkt.decisions"
    label = "decisions"
    verbose_name = _("Decisions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from klebepunkt.decisions.document import proceedings_of, store_proceedings
        from klebepunkt.decisions.reporting import report_additions
        from klebepunkt.decisions.selectors import phone_vote_url, present_on
        from klebepunkt.processes.extensions import register_proceedings, register_report_additions
        from klebepunkt.voting import attendance, joins

        register_report_additions(report_additions)
        register_proceedings(proceedings_of, store_proceedings)
        joins.register_open_vote(phone_vote_url)
        attendance.register(present_on)
