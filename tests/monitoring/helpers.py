"""Helpers shared by the monitoring tests and the generic permission tests."""

from __future__ import annotations

from klebepunkt.monitoring import models
from klebepunkt.processes.models import Card, Process


def monitoring_fingerprint(process: Process) -> tuple:
    """Everything the monitoring stores about a process, to prove that nothing changed."""
    return (
        tuple(
            models.StatusChange.objects.filter(implementation__process=process)
            .order_by("id")
            .values_list("id", "status", "responsible", "contact", "due_date", "comment")
        ),
        tuple(
            models.Indicator.objects.filter(implementation__process=process)
            .order_by("id")
            .values_list(
                "id",
                "name",
                "unit",
                "baseline_value",
                "baseline_date",
                "target_value",
                "target_date",
            )
        ),
        tuple(
            models.Measurement.objects.filter(indicator__implementation__process=process)
            .order_by("id")
            .values_list("id", "date", "value", "source")
        ),
        tuple(process.progress_reports.order_by("id").values_list("id", "as_of", "since")),
        Card.objects.filter(theme_field__process=process).count(),
        models.CardProvenance.objects.filter(process=process).count(),
    )
