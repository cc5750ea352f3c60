from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "klebepunkt.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from klebepunkt.monitoring.selectors import card_origins
        from klebepunkt.processes.extensions import register_card_origins

        register_card_origins(card_origins)

        from klebepunkt.monitoring.report_jobs import PROGRESS_REPORT, progress_report_file
        from klebepunkt.processes.report_jobs import register_maker

        register_maker(PROGRESS_REPORT, progress_report_file, label=_("Progress report"))
