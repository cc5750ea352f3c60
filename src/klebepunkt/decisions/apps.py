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
        from klebepunkt.processes.extensions import register_proceedings, register_report_additions

        register_report_additions(report_additions)
        register_proceedings(proceedings_of, store_proceedings)
