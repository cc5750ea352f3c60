"""The monitoring pages through the test client: what they show and what they write."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from klebepunkt.domain.monitoring import Status
from klebepunkt.monitoring import models, selectors, services
from klebepunkt.processes.models import Role
from tests.factories import RoleFactory, UserFactory
from tests.monitoring.conftest import FACHKRAEFTE, IMAGEKAMPAGNE, at

pytestmark = pytest.mark.django_db


def test_overview_lists_every_priority_with_its_light(
    koblenz, facilitator_client, koblenz_expected
):
    page = facilitator_client.get(reverse("monitoring:overview", args=[koblenz.pk]))
    html = page.content.decode()
    for _field, goal, _points in koblenz_expected["teil_ii"]:
        assert goal.replace('"', "&quot;") in html
    assert html.count('class="light light-amber"') >= 7  # nothing started yet
    assert reverse("monitoring:sheet_upload", args=[koblenz.pk]) in html


def test_monitoring_is_linked_from_every_process_page(koblenz, facilitator_client):
    html = facilitator_client.get(reverse("processes:detail", args=[koblenz.pk])).content.decode()
    assert html.count(reverse("monitoring:overview", args=[koblenz.pk])) == 2  # nav and steps
    assert reverse("monitoring:archive") in html


def status_form(key: str, **values) -> dict[str, str]:
    return {f"{key}-{name}": value for name, value in values.items()}


def test_status_form_appends_to_the_history(koblenz, goal, facilitator_client):
    url = reverse("monitoring:status_of_goal", args=[koblenz.pk, goal.pk])
    key = models.goal_key(goal.pk)
    response = facilitator_client.post(
        url,
        status_form(key, status="planned", due_date="2026-06-30", comment="Konzept", based_on="0"),
    )
    assert response["Location"].endswith(f"/monitoring/goals/{goal.pk}/#{key}")
    first = models.StatusChange.objects.get()
    facilitator_client.post(
        url, status_form(key, status="in_progress", comment="", based_on=str(first.pk))
    )
    # a second tab that still shows the first state is refused
    facilitator_client.post(url, status_form(key, status="rejected", based_on=str(first.pk)))
    item = selectors.monitoring_of(koblenz).item(key)
    assert [c.status for c in item.changes] == [Status.PLANNED, Status.IN_PROGRESS]
    page = facilitator_client.get(reverse("monitoring:priority", args=[koblenz.pk, goal.pk]))
    html = page.content.decode()
    assert "Konzept" in html  # in the history
    assert "moderation" in html  # who


def test_card_status_and_indicator_with_values_from_the_pages(
    koblenz, campaign, facilitator_client
):
    key = models.card_key(campaign.pk)
    facilitator_client.post(
        reverse("monitoring:status_of_card", args=[koblenz.pk, campaign.pk]),
        status_form(key, status="implemented", based_on="0"),
    )
    facilitator_client.post(
        reverse("monitoring:indicator_add_to_card", args=[koblenz.pk, campaign.pk]),
        {
            f"{key}-new-name": "Bewerbungen",
            f"{key}-new-unit": "Bewerbungen",
            f"{key}-new-baseline_value": "120",
            f"{key}-new-baseline_date": "2024-01-01",
            f"{key}-new-target_value": "180",
            f"{key}-new-target_date": "2026-12-31",
        },
    )
    indicator = models.Indicator.objects.get()
    facilitator_client.post(
        reverse("monitoring:measurement_add", args=[koblenz.pk, indicator.pk]),
        {f"{indicator.key}-date": "2025-06-30", f"{indicator.key}-value": "146,5"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert indicator.measurements.get().value == Decimal("146.5")
    goal_id = campaign.goal_id
    page = facilitator_client.get(reverse("monitoring:priority", args=[koblenz.pk, goal_id]))
    html = page.content.decode()
    assert 'role="img"' in html  # the chart
    assert "146,5" in html  # German number in the table of values
    assert "30.06.2025" in html
    # edit and delete
    facilitator_client.post(
        reverse("monitoring:indicator", args=[koblenz.pk, indicator.pk]),
        {"name": "Bewerbungen je Jahr", "unit": "Bewerbungen"},
    )
    indicator.refresh_from_db()
    assert (indicator.name, indicator.baseline_value) == ("Bewerbungen je Jahr", None)
    measurement = indicator.measurements.get()
    facilitator_client.post(
        reverse("monitoring:measurement_delete", args=[koblenz.pk, measurement.pk])
    )
    assert not indicator.measurements.exists()
    facilitator_client.post(reverse("monitoring:indicator_delete", args=[koblenz.pk, indicator.pk]))
    assert not models.Indicator.objects.exists()
    assert models.StatusChange.objects.get().status == "implemented"


def test_priority_page_of_a_goal_that_is_no_priority_is_404(koblenz, facilitator_client):
    from klebepunkt.processes.models import Goal

    below = Goal.objects.get(theme_field__process=koblenz, text__startswith="Die Zusammenarbeit")
    url = reverse("monitoring:priority", args=[koblenz.pk, below.pk])
    assert facilitator_client.get(url).status_code == 404


def test_observer_sees_the_monitoring_without_forms(koblenz, goal):
    services.record_status(
        process=koblenz, goal=goal, user=None, fields=services.StatusFields("planned")
    )
    observer = UserFactory(username="beobachtung")
    RoleFactory(process=koblenz, user=observer, role=Role.OBSERVER)
    client = Client()
    client.force_login(observer)
    html = client.get(reverse("monitoring:priority", args=[koblenz.pk, goal.pk])).content.decode()
    assert FACHKRAEFTE in html
    assert 'method="post" action="/p/' not in html
    assert client.get(reverse("monitoring:sheet_upload", args=[koblenz.pk])).status_code == 403


def test_report_page_and_downloads(koblenz, goal, campaign, facilitator_client, facilitator):
    services.record_status(
        process=koblenz,
        goal=goal,
        user=facilitator,
        fields=services.StatusFields("planned", comment="Konzept"),
        at=at(2025, 3, 1),
    )
    services.record_status(
        process=koblenz,
        goal=goal,
        user=facilitator,
        fields=services.StatusFields("in_progress", comment="Start"),
        at=at(2025, 9, 1),
    )
    url = reverse("monitoring:report", args=[koblenz.pk])
    page = facilitator_client.get(url, {"as_of": "2025-06-30"}).content.decode()
    assert "Konzept" in page
    assert "Start" not in page
    facilitator_client.post(url, {"as_of": "2025-06-30"})
    assert list(koblenz.progress_reports.values_list("as_of", flat=True)) == [date(2025, 6, 30)]
    # the next report starts where the recorded one ended
    later = facilitator_client.get(url, {"as_of": "2025-12-31"})
    assert later.context["since"] == date(2025, 6, 30)
    download = reverse("monitoring:report_download", args=[koblenz.pk, "md"])
    text = facilitator_client.get(download, {"as_of": "2025-12-31"}).content.decode()
    assert "Start" in text
    assert "Konzept" not in text.split("\n## ")[-1]  # not a change since 30.06.2025
    workbook = facilitator_client.get(
        reverse("monitoring:report_download", args=[koblenz.pk, "xlsx"]), {"as_of": "2025-12-31"}
    )
    assert workbook["Content-Disposition"].endswith(
        f'sachstandsbericht-{koblenz.pk}-2025-12-31.xlsx"'
    )
    assert len(openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames) == 3
    pdf = facilitator_client.get(
        reverse("monitoring:report_download", args=[koblenz.pk, "pdf"]), {"as_of": "2025-12-31"}
    )
    assert (pdf["Content-Type"], pdf.content[:5]) == ("application/pdf", b"%PDF-")
    docx = facilitator_client.get(
        reverse("monitoring:report_download", args=[koblenz.pk, "docx"]), {"as_of": "2025-12-31"}
    )
    assert docx.content[:2] == b"PK"
    odt = reverse("monitoring:report_download", args=[koblenz.pk, "odt"])
    assert facilitator_client.get(odt).status_code == 404


def test_report_form_refuses_since_after_as_of(koblenz, facilitator_client):
    url = reverse("monitoring:report", args=[koblenz.pk])
    response = facilitator_client.get(url, {"as_of": "2025-01-01", "since": "2025-06-01"})
    assert response.status_code == 200
    assert response.context["report"] is None
    facilitator_client.post(url, {"as_of": "2025-01-01", "since": "2025-06-01"})
    assert not koblenz.progress_reports.exists()


def test_card_text_with_markup_is_escaped_everywhere(koblenz, campaign, facilitator_client):
    campaign.text = '<script>alert("x")</script> Imagekampagne'
    campaign.save()
    services.create_indicator(
        process=koblenz,
        card=campaign,
        fields=services.IndicatorFields(name='<img src=x onerror="alert(1)">'),
    )
    html = facilitator_client.get(
        reverse("monitoring:priority", args=[koblenz.pk, campaign.goal_id])
    ).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert IMAGEKAMPAGNE.split()[0] in html
