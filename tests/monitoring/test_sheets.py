"""Status sheets: export per responsible body, fill in, preview, apply all or nothing."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klebepunkt.domain.monitoring import Status
from klebepunkt.i18n import translator
from klebepunkt.monitoring import models, selectors, services
from klebepunkt.sheets import SheetError
from klebepunkt.sheets.status import sheet_bytes
from klebepunkt.sheets.status_plan import (
    STATUS_SHEET_COLUMNS,
    StatusColumn,
    read_statistics_sheet,
    read_status_sheet,
    status_sheet_rows,
)
from tests.monitoring.conftest import IMAGEKAMPAGNE
from tests.monitoring.helpers import monitoring_fingerprint

pytestmark = pytest.mark.django_db

COLUMN = {column: index for index, column in enumerate(STATUS_SHEET_COLUMNS)}


@pytest.fixture
def indicator(koblenz, campaign):
    indicator = services.create_indicator(
        process=koblenz,
        card=campaign,
        fields=services.IndicatorFields(
            name="Bewerbungen",
            unit="Bewerbungen",
            baseline_value=Decimal(120),
            baseline_date=date(2024, 1, 1),
            target_value=Decimal(180),
            target_date=date(2026, 12, 31),
        ),
    )
    services.record_measurement(
        indicator=indicator, day=date(2025, 12, 31), value=Decimal(150), source="Schulen", user=None
    )
    return indicator


def export(process, fmt="xlsx", responsible=""):
    header, rows = status_sheet_rows(
        selectors.monitoring_of(process), responsible=responsible, typed=fmt == "xlsx"
    )
    return sheet_bytes(fmt, header, rows)


def xlsx_rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return sheet, list(sheet.iter_rows(min_row=2))


def fill_in_xlsx(content, key, **values):
    """Write values into the row with the key, as a person with Excel would."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=2):
        if row[COLUMN[StatusColumn.KEY]].value == key:
            for column, value in values.items():
                row[COLUMN[StatusColumn(column)]].value = value
            break
    else:
        raise AssertionError(f"no row {key}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_export_has_a_row_per_priority_card_and_indicator(koblenz, campaign, indicator):
    sheet, rows = xlsx_rows(export(koblenz))
    assert [cell.value for cell in sheet[1]] == [
        "Kennung",
        "Themenfeld",
        "Ziel",
        "Handlungsempfehlung",
        "Zuständigkeit",
        "Kontakt",
        "Status",
        "Kommentar",
        "Fällig bis",
        "Indikator",
        "Einheit",
        "Ausgangswert",
        "Zielwert",
        "Datum",
        "Wert",
        "Quelle",
    ]
    monitoring = selectors.monitoring_of(koblenz)
    assert len(rows) == len(monitoring.items())  # one indicator: its row replaces the card's
    keys = [row[0].value for row in rows]
    assert f"HE{campaign.pk}/I{indicator.pk}" in keys
    campaign_row = next(row for row in rows if row[0].value.startswith(f"HE{campaign.pk}"))
    values = [cell.value for cell in campaign_row]
    assert values[COLUMN[StatusColumn.STATUS]] == "offen"
    assert values[COLUMN[StatusColumn.RECOMMENDATION]] == IMAGEKAMPAGNE
    assert values[COLUMN[StatusColumn.DATE]].date() == date(2025, 12, 31)
    assert values[COLUMN[StatusColumn.VALUE]] == 150
    assert campaign_row[COLUMN[StatusColumn.DATE]].number_format == "DD.MM.YYYY"
    assert sheet.data_validations.dataValidation[0].formula1 == (
        '"offen,in Planung,in Umsetzung,umgesetzt,zurückgestellt,verworfen"'
    )


def test_export_per_responsible_body(koblenz):
    _sheet, rows = xlsx_rows(export(koblenz, responsible="amt für stadtentwicklung"))
    bodies = {row[COLUMN[StatusColumn.RESPONSIBLE]].value for row in rows}
    assert bodies
    assert all("Amt für Stadtentwicklung" in body for body in bodies)
    assert len(rows) < len(selectors.monitoring_of(koblenz).items())


def test_xlsx_round_trip_export_fill_in_import(koblenz, campaign, indicator, facilitator):
    key = f"HE{campaign.pk}/I{indicator.pk}"
    filled = fill_in_xlsx(
        export(koblenz),
        key,
        status="in Umsetzung",
        comment="Kampagne mit der Pflegekonferenz",
        due=date(2026, 12, 31),
        contact="Frau Beispiel",
        date=date(2026, 6, 30),
        value=155.5,
        source="Statistikstelle",
    )
    plan = read_status_sheet(filled, "pflege.xlsx", selectors.monitoring_of(koblenz))
    [update] = plan.status_updates
    assert update.key == f"HE{campaign.pk}"
    assert update.fields == ("status", "contact", "due_date", "comment")
    assert (update.before.status, update.after.status) == (Status.OPEN, Status.IN_PROGRESS)
    [value] = plan.measurements
    assert (value.date, value.value, value.source, value.is_new) == (
        date(2026, 6, 30),
        Decimal("155.5"),
        "Statistikstelle",
        True,
    )
    counts = services.apply_sheet_plan(process=koblenz, plan=plan, user=facilitator)
    assert counts == {"status": 1, "new_values": 1, "changed_values": 0}
    item = selectors.monitoring_of(koblenz).item(f"HE{campaign.pk}")
    state = item.state()
    assert (state.status, state.due_date, state.contact, state.comment) == (
        Status.IN_PROGRESS,
        date(2026, 12, 31),
        "Frau Beispiel",
        "Kampagne mit der Pflegekonferenz",
    )
    assert (state.change.changed_by, state.change.source, state.change.source_file) == (
        "moderation",
        "sheet",
        "pflege.xlsx",
    )
    assert [m.value for m in item.indicators[0].series.ordered()] == [150, Decimal("155.5")]
    # the same sheet again, and a fresh export, change nothing
    assert not read_status_sheet(
        filled, "pflege.xlsx", selectors.monitoring_of(koblenz)
    ).changes_anything
    again = read_status_sheet(export(koblenz), "neu.xlsx", selectors.monitoring_of(koblenz))
    assert not again.changes_anything


def csv_table(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def csv_bytes_of(table) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(table)
    return buffer.getvalue().encode("cp1252")  # German Excel saves Windows-1252


def test_csv_round_trip_in_german_excel_format(koblenz, goal, indicator, facilitator):
    table = csv_table(export(koblenz, "csv"))
    goal_row = next(row for row in table if row[0] == f"Z{goal.pk}")
    value_row = next(row for row in table if row[0].endswith(f"/I{indicator.pk}"))
    assert value_row[COLUMN[StatusColumn.DATE]] == "31.12.2025"
    assert value_row[COLUMN[StatusColumn.BASELINE]] == "120"
    goal_row[COLUMN[StatusColumn.STATUS]] = "zurückgestellt"
    goal_row[COLUMN[StatusColumn.DUE]] = "30.06.2027"
    value_row[COLUMN[StatusColumn.VALUE]] = "1.234,5"  # a correction of the value of that date
    plan = read_status_sheet(csv_bytes_of(table), "stadt.csv", selectors.monitoring_of(koblenz))
    [update] = plan.status_updates
    assert (update.after.status, update.after.due_date) == (Status.DEFERRED, date(2027, 6, 30))
    [value] = plan.changed_measurements
    assert (value.previous, value.value) == (Decimal(150), Decimal("1234.5"))
    services.apply_sheet_plan(process=koblenz, plan=plan, user=facilitator)
    assert models.Measurement.objects.get(indicator=indicator).value == Decimal("1234.5")
    assert not read_status_sheet(
        export(koblenz, "csv"), "x.csv", selectors.monitoring_of(koblenz)
    ).changes_anything


def german(error: SheetError) -> str:
    return error.render(translator("de"))


def de(msgid: str, **params) -> str:
    return translator("de")(msgid) % params


@pytest.mark.parametrize(
    ("column", "value", "letter", "message"),
    [
        (
            StatusColumn.STATUS,
            "erledigt",
            "G",
            de(
                "“%(value)s” is not a status. Write one of: %(choices)s.",
                value="erledigt",
                choices="offen, in Planung, in Umsetzung, umgesetzt, zurückgestellt, verworfen",
            ),
        ),
        (
            StatusColumn.DUE,
            "Ende 2026",
            "I",
            de("“%(value)s” is not a date. Write it as 31.12.2026.", value="Ende 2026"),
        ),
        (
            StatusColumn.DATE,
            "31.02.2026",
            "N",
            de("“%(value)s” is not a date. Write it as 31.12.2026.", value="31.02.2026"),
        ),
        (StatusColumn.VALUE, "viele", "O", de("“%(value)s” is not a number.", value="viele")),
        (
            StatusColumn.KEY,
            "HE999999/I5",
            "A",
            de(
                "“%(key)s” is not the key of a priority or recommendation of this process "
                "(keys look like Z12, HE34 or HE34/I5).",
                key="HE999999/I5",
            ),
        ),
    ],
)
def test_a_bad_row_names_file_row_and_column_in_german_and_changes_nothing(
    koblenz, goal, indicator, facilitator_client, column, value, letter, message
):
    table = csv_table(export(koblenz, "csv"))
    table[1][COLUMN[StatusColumn.STATUS]] = "umgesetzt"  # a good change in row 2 …
    row = next(n for n, r in enumerate(table) if r[0].endswith(f"/I{indicator.pk}"))
    table[row][COLUMN[column]] = value  # … and a bad cell further down
    content = csv_bytes_of(table)
    with pytest.raises(SheetError) as error:
        read_status_sheet(content, "rueckmeldung.csv", selectors.monitoring_of(koblenz))
    expected_column = "Kennung" if column is StatusColumn.KEY else column.header
    assert german(error.value) == (
        f"rueckmeldung.csv, Zeile {row + 1}, Spalte „{expected_column}“ ({letter}): {message}"
    )
    before = monitoring_fingerprint(koblenz)
    response = facilitator_client.post(
        reverse("monitoring:sheet_upload", args=[koblenz.pk]),
        {"kind": "status", "sheet": SimpleUploadedFile("rueckmeldung.csv", content)},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"rueckmeldung.csv, Zeile {row + 1}, Spalte „{expected_column}“ ({letter})" in page
    assert monitoring_fingerprint(koblenz) == before


def test_rows_of_one_item_that_disagree_are_refused(koblenz, campaign, indicator):
    services.create_indicator(
        process=koblenz, card=campaign, fields=services.IndicatorFields(name="Plakate")
    )
    table = csv_table(export(koblenz, "csv"))
    rows = [n for n, r in enumerate(table) if r[0].startswith(f"HE{campaign.pk}/")]
    assert len(rows) == 2
    table[rows[0]][COLUMN[StatusColumn.STATUS]] = "umgesetzt"
    table[rows[1]][COLUMN[StatusColumn.STATUS]] = "verworfen"
    with pytest.raises(SheetError) as error:
        read_status_sheet(csv_bytes_of(table), "x.csv", selectors.monitoring_of(koblenz))
    assert error.value.location.row == rows[1] + 1
    # one row changed and the other left as exported is fine
    table[rows[1]][COLUMN[StatusColumn.STATUS]] = "offen"
    plan = read_status_sheet(csv_bytes_of(table), "x.csv", selectors.monitoring_of(koblenz))
    assert [u.after.status for u in plan.status_updates] == [Status.IMPLEMENTED]


def test_a_value_needs_a_date_and_an_indicator(koblenz, goal, indicator):
    table = csv_table(export(koblenz, "csv"))
    goal_row = next(n for n, r in enumerate(table) if r[0] == f"Z{goal.pk}")
    table[goal_row][COLUMN[StatusColumn.VALUE]] = "5"
    table[goal_row][COLUMN[StatusColumn.DATE]] = "01.01.2026"
    with pytest.raises(SheetError) as error:
        read_status_sheet(csv_bytes_of(table), "x.csv", selectors.monitoring_of(koblenz))
    assert error.value.location.column == "Wert"


def test_statistics_office_values_by_name_or_key(koblenz, indicator, facilitator):
    content = (
        "Indikator;Datum;Wert;Quelle\r\n"
        "Bewerbungen;30.06.2026;158;Kommunale Statistikstelle\r\n"
        f"I{indicator.pk};2025-12-31;150;Schulen\r\n"  # stored already: unchanged
    ).encode()
    plan = read_statistics_sheet(content, "statistik.csv", selectors.monitoring_of(koblenz))
    [value] = plan.measurements
    assert (value.indicator_id, value.date, value.value, value.source) == (
        indicator.pk,
        date(2026, 6, 30),
        Decimal(158),
        "Kommunale Statistikstelle",
    )
    services.apply_sheet_plan(process=koblenz, plan=plan, user=facilitator)
    assert indicator.measurements.count() == 2


def test_statistics_office_unknown_indicator_suggests_the_close_one(koblenz, indicator):
    content = b"Indikator;Datum;Wert\r\nBewerbung;30.06.2026;158\r\n"
    with pytest.raises(SheetError) as error:
        read_statistics_sheet(content, "statistik.csv", selectors.monitoring_of(koblenz))
    assert german(error.value) == "statistik.csv, Zeile 2, Spalte „Indikator“ (A): " + de(
        "There is no indicator “%(name)s”. Did you mean “%(close)s”?",
        name="Bewerbung",
        close="Bewerbungen",
    )


def test_a_sheet_changed_after_the_preview_is_applied_not_at_all(koblenz, goal, facilitator):
    table = csv_table(export(koblenz, "csv"))
    row = next(r for r in table if r[0] == f"Z{goal.pk}")
    row[COLUMN[StatusColumn.STATUS]] = "umgesetzt"
    plan = read_status_sheet(csv_bytes_of(table), "x.csv", selectors.monitoring_of(koblenz))
    services.record_status(
        process=koblenz, goal=goal, user=facilitator, fields=services.StatusFields("planned")
    )
    before = monitoring_fingerprint(koblenz)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.apply_sheet_plan(process=koblenz, plan=plan, user=facilitator)
    assert monitoring_fingerprint(koblenz) == before


def test_upload_preview_apply_through_the_pages(koblenz, campaign, indicator, facilitator_client):
    key = f"HE{campaign.pk}/I{indicator.pk}"
    filled = fill_in_xlsx(export(koblenz), key, status="umgesetzt", value=151)
    upload = reverse("monitoring:sheet_upload", args=[koblenz.pk])
    response = facilitator_client.post(
        upload, {"kind": "status", "sheet": SimpleUploadedFile("pflege.xlsx", filled)}
    )
    assert response["Location"] == reverse("monitoring:sheet_preview", args=[koblenz.pk])
    preview = facilitator_client.get(response["Location"]).content.decode()
    assert "pflege.xlsx" in preview
    assert IMAGEKAMPAGNE in preview
    assert not models.StatusChange.objects.exists()  # nothing saved by the preview
    facilitator_client.post(response["Location"], {})
    assert selectors.monitoring_of(koblenz).item(f"HE{campaign.pk}").state().status is (
        Status.IMPLEMENTED
    )
    assert models.Measurement.objects.get(indicator=indicator, date=date(2025, 12, 31)).value == 151


def test_cancelled_preview_changes_nothing(koblenz, goal, facilitator_client):
    table = csv_table(export(koblenz, "csv"))
    next(r for r in table if r[0] == f"Z{goal.pk}")[COLUMN[StatusColumn.STATUS]] = "umgesetzt"
    facilitator_client.post(
        reverse("monitoring:sheet_upload", args=[koblenz.pk]),
        {"kind": "status", "sheet": SimpleUploadedFile("x.csv", csv_bytes_of(table))},
    )
    preview = reverse("monitoring:sheet_preview", args=[koblenz.pk])
    facilitator_client.post(preview, {"cancel": "1"})
    assert not models.StatusChange.objects.exists()
    assert facilitator_client.get(preview).status_code == 302  # the upload is gone


def test_export_download_names_the_body(koblenz, facilitator_client):
    response = facilitator_client.get(
        reverse("monitoring:sheet_export", args=[koblenz.pk, "csv"]), {"responsible": "Rat"}
    )
    assert response["Content-Disposition"].endswith(f'umsetzungsstand-{koblenz.pk}-rat.csv"')
    assert response.content.startswith(b"\xef\xbb\xbfKennung;")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_text_that_looks_like_a_formula_survives_the_round_trip(koblenz, goal, facilitator, fmt):
    services.record_status(
        process=koblenz,
        goal=goal,
        user=facilitator,
        fields=services.StatusFields(
            "planned", comment='=HYPERLINK("http://x")\n- zweite Zeile', contact="+49 261 129-0"
        ),
    )
    content = export(koblenz, fmt)
    if fmt == "csv":
        assert b"'=HYPERLINK" in content
    plan = read_status_sheet(content, f"x.{fmt}", selectors.monitoring_of(koblenz))
    assert not plan.changes_anything
