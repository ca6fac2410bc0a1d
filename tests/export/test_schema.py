"""The JSON Schema users validate against is exported, versioned and current."""

import json
from pathlib import Path

from dateline.model import SCHEMA_VERSION, json_schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema" / "analysis.schema.json"


def test_committed_schema_matches_the_model():
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json_schema(), "the data model changed: run `make schema` and bump SCHEMA_VERSION if needed"


def test_schema_names_its_version():
    assert SCHEMA_VERSION in json_schema()["$id"]
