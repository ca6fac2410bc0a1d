"""`dateline export --format acled`: ACLED's 31 columns in ACLED's order, every
value inside ACLED's codebook, time_precision from each event's date precision;
on the bundled samples (always) and on the dev answer keys (when ../shared is
there). The codebook below is written out here, from ACLED's codebook, so that
the test does not check the export against the export's own data file."""

import csv
import io
import json

import pytest

from dateline import acled, export
from dateline.analyze import gazetteer
from dateline.cli import main
from dateline.store import Store
from dateline.store.ingest import ingest
from sample_data import sample_articles

COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
           "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
           "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
           "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp"]
PV, DEM, SD = "Political violence", "Demonstrations", "Strategic developments"
SUB_EVENTS = {
    ("Battles", "Armed clash"): PV, ("Battles", "Government regains territory"): PV,
    ("Battles", "Non-state actor overtakes territory"): PV,
    ("Explosions/Remote violence", "Chemical weapon"): PV, ("Explosions/Remote violence", "Air/drone strike"): PV,
    ("Explosions/Remote violence", "Suicide bomb"): PV,
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"): PV,
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"): PV, ("Explosions/Remote violence", "Grenade"): PV,
    ("Violence against civilians", "Sexual violence"): PV, ("Violence against civilians", "Attack"): PV,
    ("Violence against civilians", "Abduction/forced disappearance"): PV,
    ("Protests", "Peaceful protest"): DEM, ("Protests", "Protest with intervention"): DEM,
    ("Protests", "Excessive force against protesters"): "Political violence; Demonstrations",
    ("Riots", "Violent demonstration"): DEM, ("Riots", "Mob violence"): PV,
    **{(SD, s): SD for s in ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                             "Headquarters or base established", "Looting/property destruction",
                             "Non-violent transfer of territory", "Other")},
}
REGIONS = {"Western Africa", "Middle Africa", "Eastern Africa", "Southern Africa", "Northern Africa", "South Asia",
           "Southeast Asia", "Middle East", "Europe", "Caucasus and Central Asia", "Central America", "South America",
           "Caribbean", "East Asia", "North America", "Oceania", "Antarctica"}
INTER = set(range(1, 9))
INTERACTIONS = ({10 * a for a in INTER - {7}}
                | {10 * a + b for a in INTER for b in INTER if a <= b and (a, b) != (7, 7)})
SOURCE_SCALES = {"Local", "Subnational", "National", "Regional", "International", "New media", "Other"}
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}


def as_int(value: str):
    return int(value) if value else None


def check_acled_csv(text: str) -> list[dict]:
    """Every column and value against the codebook; returns the rows."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    assert reader.fieldnames == COLUMNS
    for r in rows:
        assert (r["event_type"], r["sub_event_type"]) in SUB_EVENTS, r
        assert r["disorder_type"] == SUB_EVENTS[(r["event_type"], r["sub_event_type"])]
        inter1, inter2, joint = as_int(r["inter1"]), as_int(r["inter2"]), as_int(r["interaction"])
        assert inter1 in INTER | {None} and inter2 in INTER | {0, None}
        assert joint in INTERACTIONS | {None}
        if joint is not None:
            assert joint == (inter1 * 10 if inter2 == 0 else 10 * min(inter1, inter2) + max(inter1, inter2))
        assert r["civilian_targeting"] in ("", "Civilian targeting")
        if r["civilian_targeting"]:
            assert inter2 == 7 and PV in r["disorder_type"]
        assert as_int(r["time_precision"]) in {1, 2, 3, None}
        assert as_int(r["geo_precision"]) in {1, 2, 3, None}
        assert r["region"] in REGIONS | {""}
        assert (r["iso"] == "") or (r["iso"].isdigit() and 0 < int(r["iso"]) < 1000)
        assert bool(r["country"]) == bool(r["region"])
        assert r["source_scale"] in SOURCE_SCALES | {""}
        assert r["fatalities"].isdigit()
        assert r["assoc_actor_1"] == r["assoc_actor_2"] == r["admin3"] == ""  # nothing to fill them from
        assert ";" not in r["actor1"] + r["actor2"] + r["source"]
        if r["event_date"]:
            assert r["year"] == r["event_date"][:4] and r["time_precision"]
        if r["latitude"]:
            assert -90 <= float(r["latitude"]) <= 90 and -180 <= float(r["longitude"]) <= 180
        assert r["timestamp"].isdigit()
    return rows


def check_with_pandas(text: str) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(io.StringIO(text))
    assert list(frame.columns) == COLUMNS
    # the numeric columns are read as numbers, as ACLED's own files are
    for column in ("year", "time_precision", "inter1", "inter2", "interaction", "iso", "latitude", "longitude",
                   "geo_precision", "fatalities", "timestamp"):
        assert pd.api.types.is_numeric_dtype(frame[column]) or frame[column].isna().all(), column
    assert pd.to_datetime(frame["event_date"], format="%Y-%m-%d", errors="raise").notna().any()


def stored_precisions(db) -> dict[str, tuple]:
    with Store.open(db, readonly=True) as store:
        return {f"{r['article_id']}#{r['idx']}": (r["date"], r["date_precision"], r["type"], r["status"])
                for r in store.events()}


def check_time_precision(rows: list[dict], stored: dict) -> None:
    for r in rows:
        date, precision, _, _ = stored[r["event_id_cnty"]]
        assert as_int(r["time_precision"]) == (TIME_PRECISION[precision] if date and precision else None), r


def export_acled(db, tmp_path, capsys) -> str:
    out = tmp_path / "acled.csv"
    assert main(["export", "--format", "acled", "--db", str(db), "-o", str(out)]) == 0
    assert "events written" in capsys.readouterr().err
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory, nlp):
    path = tmp_path_factory.mktemp("acled") / "samples.db"
    with Store.open(path) as store:
        assert ingest(store, sample_articles()).added
    return path


def test_samples_export_reads_as_acled(samples_db, tmp_path, capsys):
    text = export_acled(samples_db, tmp_path, capsys)
    rows = check_acled_csv(text)
    stored = stored_precisions(samples_db)
    assert rows and len(rows) == sum(1 for v in stored.values() if v[2] != "OTHER" and v[3] != "planned")
    check_time_precision(rows, stored)
    check_with_pandas(text)


def test_dev_keys_export_reads_as_acled(shared, tmp_path, capsys):
    db = tmp_path / "dev.db"
    keys = sorted((shared / "gold" / "dev").glob("*.json"))
    assert len(keys) == 30
    assert main(["ingest", *map(str, keys), "--db", str(db), "--no-progress"]) == 0
    capsys.readouterr()
    text = export_acled(db, tmp_path, capsys)
    rows = check_acled_csv(text)
    assert len(rows) > 50
    check_time_precision(rows, stored_precisions(db))
    check_with_pandas(text)


def row(**fields):
    base = {"article_id": "a", "idx": 0, "type": "ASSAULT", "mode": None, "summary": "s", "actor": None,
            "target": None, "location": None, "country": None, "admin1": None, "lat": None, "lon": None,
            "geonameid": None, "geo_precision": None, "date": None, "date_precision": None, "killed": None,
            "status": "occurred", "source": None, "ingested_at": "2025-07-03T10:00:00Z"}
    return base | fields


@pytest.fixture(scope="module")
def gaz():
    return gazetteer.get()


def test_dates_are_coded_as_acled_codes_them(gaz):
    cases = {("2025-07-03", "day"): ("2025-07-03", 1, ""), ("2025-06-30", "week"): ("2025-07-03", 2, ""),
             ("2025-06-01", "month"): ("2025-06-15", 3, ""),
             ("2015-01-01", "year"): ("2015-07-01", 3, "time precision=year"), (None, None): (None, None, None)}
    for (day, precision), (want_day, want_precision, want_tag) in cases.items():
        r = acled.acled_row(row(date=day, date_precision=precision), gaz)
        assert (r["event_date"], r["time_precision"], r["tags"] or ("" if day else None)) == \
               (want_day, want_precision, want_tag)
        assert r["year"] == (int(want_day[:4]) if want_day else None)


def test_places_are_spelled_as_the_gazetteer_spells_them(gaz):
    r = acled.acled_row(row(location="LARISSA", country="GR", admin1="Thessaly", geonameid=258576,
                            geo_precision="place", lat=39.64, lon=22.42), gaz)
    assert (r["location"], r["admin1"], r["admin2"], r["geo_precision"]) == ("Lárisa", "Thessaly", "Nomos Larisis", 1)
    assert (r["country"], r["iso"], r["region"]) == ("Greece", 300, "Europe")
    r = acled.acled_row(row(location="Belgorod region", country="RU", admin1="Belgorod", geo_precision="region"), gaz)
    assert r["location"] == r["admin1"] == gaz.admin1[("RU", "09")].name and r["geo_precision"] == 3
    r = acled.acled_row(row(location="Gaza", country="PS"), gaz)
    assert (r["country"], r["iso"], r["region"]) == ("Palestine", 275, "Middle East")


def test_actor_types_interaction_and_civilian_targeting(gaz):
    r = acled.acled_row(row(actor="Russian forces", target="civilians", country="UA"), gaz)
    assert (r["inter1"], r["inter2"], r["interaction"], r["civilian_targeting"]) == (8, 7, 78, "Civilian targeting")
    assert (r["event_type"], r["sub_event_type"]) == ("Violence against civilians", "Attack")
    r = acled.acled_row(row(actor="Rapid Support Forces", target="Sudanese army", country="SD"), gaz)
    assert (r["inter1"], r["inter2"], r["interaction"]) == (2, 1, 12)
    assert (r["event_type"], r["sub_event_type"]) == ("Battles", "Armed clash")  # fighters are not civilians
    r = acled.acled_row(row(type="PROTEST", actor="students", country="KE"), gaz)
    assert (r["inter1"], r["inter2"], r["interaction"], r["disorder_type"]) == (6, 0, 60, "Demonstrations")
    r = acled.acled_row(row(actor="Vladimir Putin", target="Donald Trump", type="CONSULT"), gaz)
    assert r["inter1"] is r["inter2"] is r["interaction"] is None  # the words do not tell
    assert acled.acled_row(row(actor="gunmen"), gaz)["inter2"] is None  # unnamed victims, not no victims


def test_fatalities_source_scale_and_stored_time(gaz):
    r = acled.acled_row(row(killed=None, source="Reuters"), gaz)
    assert (r["fatalities"], r["source_scale"], r["timestamp"]) == (0, "International", 1751536800)
    r = acled.acled_row(row(killed=11, source="RTE.ie"), gaz)
    assert (r["fatalities"], r["source_scale"]) == (11, None)
    # ';' separates several actors or sources in ACLED's files
    r = acled.acled_row(row(actor="police; army", target="a;b", source="X; Y"), gaz)
    assert ";" not in r["actor1"] + r["actor2"] + r["source"]


def test_events_acled_does_not_record_are_left_out():
    rows = [row(type="OTHER"), row(status="planned"), row(type="PROTEST")]
    out = io.StringIO()
    assert export.write(rows, "acled", out) == 1


def test_mapping_table_is_checked_on_load(monkeypatch):
    real = acled._text

    def with_map(table):
        monkeypatch.setattr(acled, "_text", lambda name: json.dumps(table) if name == "acled_map.json" else real(name))
        return acled.mapping.__wrapped__

    good = json.loads(real("acled_map.json"))
    assert with_map(good)()["ASSAULT"]["default"] == ("Violence against civilians", "Attack")
    for bad in ({**good, "ASSAULTS": good["ASSAULT"]},
                {**good, "PROTEST": {**good["PROTEST"], "default": ["Protests", "Peaceful protests"]}},
                {**good, "AGREE": {**good["AGREE"], "fallback": ["Strategic developments", "Other"]}},
                {**good, "_not_coded": ["DISASTER"]}):
        with pytest.raises(acled.LexiconError):
            with_map(bad)()
