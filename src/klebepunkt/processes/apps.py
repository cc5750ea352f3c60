from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "klebepunkt.processes"
    label = "processes"
    verbose_name = _("Processes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from klebepunkt.processes.report_jobs import register_maker
        from klebepunkt.processes.reporting import RESULT_REPORT, result_report_file

        register_maker(RESULT_REPORT, result_report_file, label=_("Result report"))
