"""``klebepunkt evaluate`` explains its outcome: JSON keys, --ballots, the Erklärung section."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import LOST_CARD, run

EXPLANATION_KEYS = [
    "margins",
    "support",
    "stability",
    "clustering_effect",
    "consistency",
    "similar_cards",
    "goal_suggestions",
]

BALLOTS = "\r\n".join(
    [
        "Mitglied;Bereich;Themenfeld;Handlungsempfehlung;Punkte",
        "Seniorenbeirat;Interessenvertreter;Soziale Belastung;Sozialer Wohnraum in möglichst allen/ vielen Stadtteilen;3",
        "Fraktionsvertretung 1;Politik;Pflege;Fachkräfteakquise;2",
        "Wohlfahrtsverband 1;Freie Träger;Pflege;Fachkräfteakquise;1",
        "Wohlfahrtsverband 1;Freie Träger;Pflege;Imagekampagne für Pflegeberufe;1",
        "",
    ]
)


@pytest.fixture(scope="module")
def koblenz_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("explain") / "koblenz.csv"
    assert run("sample", "koblenz-2017", "-o", str(path)).returncode == 0
    return path


@pytest.fixture(scope="module")
def ballots_csv(koblenz_csv):
    path = koblenz_csv.parent / "stimmen.csv"
    path.write_text(BALLOTS, encoding="utf-8-sig")
    return path


def test_json_has_the_explanation_keys_and_no_ballots_means_not_available(koblenz_csv):
    result = run("evaluate", str(koblenz_csv), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [key for key in data if key in EXPLANATION_KEYS] == EXPLANATION_KEYS
    for key in ("support", "stability"):
        assert data[key]["available"] is False
        assert data[key]["reason"]  # German, from the catalogue or the msgid
        assert data[key]["goals"] == []
    assert len(data["margins"]) == 21
    first = data["margins"][0]
    assert (first["points"], first["priority"], first["dots_to_lose"], first["dots_needed"]) == (
        6,
        True,
        4,
        None,
    )
    assert [(f["code"], f["theme_field"], f["nr"]) for f in data["consistency"]] == [
        ("duplicate_goal_number", "Soziale Belastung", "2"),
        ("missing_from_topic_store", "Bildung", "4"),
    ]
    assert data["consistency"][1]["card"] == LOST_CARD
    assert data["similar_cards"] == []
    barrier_free = next(
        e for e in data["clustering_effect"] if e["goal"] == "Barrierefreie Bildung"
    )
    assert barrier_free["needs_several_cards"] is True
    assert barrier_free["what_if"] == {
        "sum": {"points": 3, "priority": True},
        "best_card": {"points": 2, "priority": False},
        "supporters": None,
    }


def test_json_with_ballots_gives_support_and_stability(koblenz_csv, ballots_csv):
    result = run("evaluate", str(koblenz_csv), "--format", "json", "--ballots", str(ballots_csv))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    support = {g["goal"]: g for g in data["support"]["goals"]}
    assert data["support"]["available"] is True
    assert data["support"]["voters"] == 3
    housing = support["Es gibt sozialen Wohnraum in allen Stadtteilen"]
    assert (
        housing["supporters"],
        housing["single_supporter"],
        housing["largest_supporter_share"],
    ) == (1, True, 1.0)
    care = support["Es werden Menschen für Pflegeberufe gewonnen (Fachkräfteakquise)"]
    assert care["supporters"] == 2
    assert care["unattributed_dots"] == 2
    assert care["stakeholder_groups"] == [
        {"name": "Freie Träger", "voters": 1, "dots": 2},
        {"name": "Politik", "voters": 1, "dots": 2},
    ]
    stability = {g["goal"]: g for g in data["stability"]["goals"]}
    assert stability["Es gibt sozialen Wohnraum in allen Stadtteilen"]["changes_without"] == 1
    assert (
        stability["Es werden Menschen für Pflegeberufe gewonnen (Fachkräfteakquise)"]["stable"]
        is True
    )


# The table view runs in English here: the German texts of the explanation arrive with
# the catalogue (locale/de), which is merged separately.


def test_table_view_prints_the_explanation(koblenz_csv, ballots_csv):
    result = run("evaluate", str(koblenz_csv), "--ballots", str(ballots_csv), lang="en_US.UTF-8")
    assert result.returncode == 0, result.stderr
    explanation = result.stdout.split("Explanation", 1)[1]
    assert "Sprachbildung" in explanation  # the lost card
    assert "Es gibt sozialen Wohnraum in allen Stadtteilen" in explanation  # one voter


def test_table_view_without_ballots_says_how_to_get_support(koblenz_csv):
    result = run("evaluate", str(koblenz_csv), lang="en_US.UTF-8")
    assert result.returncode == 0, result.stderr
    assert "--ballots" in result.stdout.split("Explanation", 1)[1]


def test_ballots_that_contradict_the_tally_exit_2(koblenz_csv, tmp_path):
    path = tmp_path / "stimmen.csv"
    path.write_text(
        "Mitglied;Themenfeld;Handlungsempfehlung;Punkte\r\nM1;Pflege;Fachkräfteakquise;4\r\n",
        encoding="utf-8",
    )
    result = run("evaluate", str(koblenz_csv), "--ballots", str(path))
    assert result.returncode == 2
    assert "stimmen.csv" in result.stderr
    assert "Zeile 2" in result.stderr
    assert "Traceback" not in result.stderr
