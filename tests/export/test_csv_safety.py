"""CSV exports are spreadsheet-safe: a text cell that a spreadsheet would run as a
formula (=, +, -, @, tab, carriage return first) is written with a leading quote,
in `dateline export` and in the web API's export; numbers stay numbers."""

import csv
import io

import pytest
from fastapi.testclient import TestClient

from dateline import export
from dateline.cli import main
from dateline.model import Article
from dateline.serve.app import create_app
from dateline.store import Store
from dateline.store.ingest import ingest

HOSTILE = Article(
    id="=1+2", title='=HYPERLINK("http://evil.example/","open")', source="@SUM(A1:A9)",
    url="-2+3.example/lima", published="2025-03-03",
    text="Police arrested 12 protesters in Lima on Monday, officials said.")


def row(**fields):
    base = {"article_id": "a", "idx": 0, "type": "PROTEST", "mode": None, "summary": "s", "actor": "x",
            "target": None, "location": "Lima", "country": "PE", "admin1": "Lima", "lat": -11.85, "lon": -76.76,
            "geonameid": None, "geo_precision": "place", "date": "2025-03-03", "date_precision": "day",
            "killed": None, "status": "occurred", "source": "Outlet", "url": "https://example.org/a"}
    return base | fields


def read(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("fmt", ["csv", "acled"])
def test_every_text_column_that_starts_a_formula_is_quoted(fmt):
    hostile = {"article_id": "=cmd|' /C calc'!A0", "summary": "+SUM(1,2)", "actor": "@attacker",
               "target": "-1+1", "source": "\tTAB", "url": "\r=1", "location": "=Lima", "admin1": "+Lima"}
    out = io.StringIO()
    export.write([row(**hostile)], fmt, out)
    numbers = {"latitude", "longitude"}
    cells = [v for r in read(out.getvalue()) for k, v in r.items() if v and k not in numbers]
    assert cells
    for cell in cells:
        assert not cell.startswith(export.FORMULA_STARTS), cell
    assert any(c.startswith("'=cmd|") for c in cells) and any(c.startswith("'@attacker") for c in cells)


@pytest.mark.parametrize("fmt", ["csv", "acled"])
def test_numbers_stay_numbers(fmt):
    out = io.StringIO()
    export.write([row()], fmt, out)
    (r,) = read(out.getvalue())
    assert r["latitude"] == "-11.85" and r["longitude"] == "-76.76"


def test_spreadsheet_safe_leaves_harmless_values_alone():
    assert export.spreadsheet_safe("Kyiv") == "Kyiv"
    assert export.spreadsheet_safe("a=b") == "a=b"
    assert export.spreadsheet_safe(-3.5) == -3.5 and export.spreadsheet_safe(None) is None
    assert export.spreadsheet_safe("-3.5") == "'-3.5"  # text that looks like a number is still text


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory, nlp):
    path = tmp_path_factory.mktemp("csv") / "hostile.db"
    with Store.open(path) as store:
        assert ingest(store, [HOSTILE]).added == 1
    return path


def check_export(text: str) -> None:
    rows = read(text)
    assert rows
    for r in rows:
        assert r["event_id_cnty"].startswith("'=1+2#")
        assert r["source"] == "'@SUM(A1:A9)"
        assert float(r["latitude"]) < 0 and not r["latitude"].startswith("'")


def test_cli_export_is_spreadsheet_safe(hostile_db, tmp_path, capsys):
    out = tmp_path / "events.csv"
    assert main(["export", "--format", "csv", "--db", str(hostile_db), "-o", str(out)]) == 0
    check_export(out.read_text(encoding="utf-8"))
    assert read(out.read_text(encoding="utf-8"))[0]["source_url"] == "'-2+3.example/lima"


@pytest.mark.parametrize("fmt", ["csv", "acled"])
def test_api_export_is_spreadsheet_safe(hostile_db, fmt):
    with TestClient(create_app(str(hostile_db))) as client:
        response = client.get(f"/api/export/{fmt}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    check_export(response.text)
