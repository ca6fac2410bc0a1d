"""The layering of the package (docs/architecture.md), checked on the source:
every import is read, those inside functions too, since an import moved into
a function still makes the dependency."""

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "dateline"


def modules() -> dict[str, Path]:
    """Dotted name -> file, for every module of the package."""
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = modules()


def imports(path: Path) -> set[str]:
    """The dateline modules a file imports (`from dateline import x` names
    module x when there is one, else the package itself)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                found.add(sub if sub in MODULES else node.module)
    return {name for name in found if name == "dateline" or name.startswith("dateline.")}


def part(module: str) -> str:
    """The top-level part a module belongs to: dateline.store.base -> store."""
    return module.split(".")[1] if "." in module else "dateline"


def part_graph() -> dict[str, dict[str, set[str]]]:
    """part -> part it imports -> the modules whose imports make that edge."""
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for name, path in MODULES.items():
        for target in imports(path):
            if part(target) != part(name):
                graph[part(name)][part(target)].add(name)
    return graph


def test_only_the_command_line_imports_the_command_line():
    offenders = sorted(name for name, path in MODULES.items()
                       if part(name) not in ("cli", "__main__") and any(part(t) == "cli" for t in imports(path)))
    assert offenders == []


def test_no_import_cycle_between_the_top_level_parts():
    graph = part_graph()
    cycles = []

    def visit(node, path):
        for nxt in sorted(graph.get(node, {})):
            if nxt in path:
                cycle = path[path.index(nxt):] + [nxt]
                cycles.append(" -> ".join(f"{a} ({', '.join(sorted(graph[a][b]))})" for a, b in zip(cycle, cycle[1:])))
            elif nxt not in done:
                visit(nxt, path + [nxt])
        done.add(node)

    done: set[str] = set()
    for start in sorted(graph):
        if start not in done:
            visit(start, [start])
    assert cycles == []


def test_analysis_knows_nothing_of_scale_store_or_the_web():
    graph = part_graph()
    assert not {"scale", "store", "merge", "serve", "cli"} & set(graph["analyze"]), dict(graph["analyze"])


def test_the_store_base_names_no_backend():
    assert not {"dateline.store.sqlite", "dateline.store.postgres"} & imports(MODULES["dateline.store.base"])


def test_the_walk_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from dateline.store import base\n    import dateline.cli\n")
    assert imports(source) == {"dateline.store.base", "dateline.cli"}
