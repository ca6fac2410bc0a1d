"""Scores the places component on a toponym corpus (LGL format).

Input: JSON Lines {"id", "title", "text", "toponyms": [{"start", "end",
"name", "geonameid", "lat", "lon"}]} (see shared/data/README.md).

Recognition: precision / recall / F1 with one-to-one matching of overlapping
spans. Resolution, over recognised gold places that have coordinates:
acc@161 km, exact GeoNames id, and the AUC of ln(1 + error km) (Gritta et
al. 2018: the area under the sorted log-error curve normalised by
ln(20039), the largest error on Earth; lower is better). A recognised place
left without coordinates counts as the largest error.

    python -m dateline.evaluate.geo [PATH] [--limit N] [--errors FILE] [--part tuning|held-out]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from typing import Optional, TextIO

from dateline.evaluate.matching import match_one_to_one, read_jsonl

MAX_KM = 20039.0
DEFAULT_PATH = os.path.join("..", "shared", "data", "geo", "lgl.jsonl")


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def auc_log_error(errors: list[float]) -> float:
    """Gritta et al.'s AUC: trapezoid area under sorted ln(1+err), / ln(20039)."""
    if not errors:
        return float("nan")
    ys = sorted(math.log(1 + e) for e in errors)
    if len(ys) == 1:
        return ys[0] / math.log(MAX_KM)
    area = sum((ys[i] + ys[i + 1]) / 2 for i in range(len(ys) - 1))
    return area / (math.log(MAX_KM) * (len(ys) - 1))


def match_spans(gold: list[dict], system: list) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, system index) of overlapping spans,
    greedily by largest overlap."""
    return match_one_to_one(gold, system, lambda g, s: min(g["end"], s.end) - max(g["start"], s.start), 1)


def load(path: str, limit: Optional[int] = None) -> list[dict]:
    return read_jsonl(path, limit)


def run_places(rows: list[dict], batch_size: int = 32):
    """Parses the texts with nlp.pipe, runs the places component on each doc.
    Returns ([(row, places)], parse seconds, places seconds, [sources])."""
    from dateline.analyze import nlp as nlp_loader
    from dateline.analyze.pipeline import State, parse_date
    from dateline.analyze import places as places_mod
    from dateline.model import Article

    nlp = nlp_loader.load()
    from dateline.analyze import gazetteer
    gazetteer.get()  # loaded once per process, outside the timings
    try:  # the entities component, when the project has one, runs first
        from dateline.analyze import entities as _entities  # noqa: F401
        from dateline.analyze.pipeline import COMPONENTS
        components = [COMPONENTS[n] for n in ("entities",) if n in COMPONENTS]
    except ImportError:
        components = []
    texts = (r["text"] for r in rows)
    t0 = time.perf_counter()
    docs = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        docs.append(doc)
    parse_s = time.perf_counter() - t0
    comp_s = 0.0
    out = []
    sources: list[list[str]] = []
    for row, doc in zip(rows, docs):
        article = Article(id=row.get("id"), title=row.get("title"), text=row["text"])
        state = State(doc=doc, article=article, published=parse_date(article.published))
        for c in components:
            c(state)
        t = time.perf_counter()
        places_mod.places_component(state)
        comp_s += time.perf_counter() - t
        out.append((row, state.places))
        sources.append(state.scratch.get("places_source", []))
    return out, parse_s, comp_s, sources


def score(results, sources: Optional[list[list[str]]] = None) -> dict:
    """results: (gold row, places) pairs; sources: per article, how each
    place was found (the component's scratch["places_source"]), optional."""
    tp = n_sys = n_gold = 0
    errors: list[float] = []
    ids_ok = 0
    bad = []
    by_src: dict[str, list[int]] = {}
    src_iter = iter(sources or [])
    for row, places in results:
        gold = row.get("toponyms", [])
        n_gold += len(gold)
        n_sys += len(places)
        pairs = match_spans(gold, places)
        tp += len(pairs)
        matched_g = {gi for gi, _ in pairs}
        matched_s = {si for _, si in pairs}
        srcs = next(src_iter, [])
        for si in range(len(places)):
            k = srcs[si] if si < len(srcs) else "?"
            by_src.setdefault(k, [0, 0])
            by_src[k][0] += 1
            by_src[k][1] += si in matched_s
        for gi, si in pairs:
            g, p = gold[gi], places[si]
            if g.get("lat") is None or g.get("lon") is None:
                continue
            if p.lat is None or p.lon is None:
                err = MAX_KM
            else:
                err = haversine(float(g["lat"]), float(g["lon"]), p.lat, p.lon)
            errors.append(err)
            if g.get("geonameid") and p.geonameid and str(p.geonameid) == str(g["geonameid"]):
                ids_ok += 1
            if err > 161:
                bad.append(("wrong", row["id"], g["name"], g.get("gaz_name"), g.get("fcode"), p.name, p.country,
                            p.admin1, p.precision, round(err)))
        for gi, g in enumerate(gold):
            if gi not in matched_g:
                bad.append(("missed", row["id"], g["name"], g.get("gaz_name"), g.get("fcode"),
                            row["text"][max(0, g["start"] - 40):g["end"] + 40].replace("\n", " ")))
        for si, p in enumerate(places):
            if si not in matched_s:
                bad.append(("spurious", row["id"], p.name, p.country, p.admin1, p.precision,
                            row["text"][max(0, p.start - 40):p.end + 40].replace("\n", " ")))
    prec = tp / n_sys if n_sys else 0.0
    rec = tp / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    n = len(errors)
    return {
        "articles": len(results), "gold": n_gold, "system": n_sys, "matched": tp,
        "precision": prec, "recall": rec, "f1": f1,
        "resolved_pairs": n,
        "acc161": sum(e <= 161 for e in errors) / n if n else float("nan"),
        "geonameid_acc": ids_ok / n if n else float("nan"),
        "auc": auc_log_error(errors),
        "mean_km": sum(errors) / n if n else float("nan"),
        "median_km": sorted(errors)[n // 2] if n else float("nan"),
        "errors": bad,
        "by_source": by_src,
    }


def part_of(rows: list[dict], part: str = "all") -> list[dict]:
    """The tuning or held-out part of a corpus: every third article by line
    order (lines 3, 6, 9, ...) is held out, looked at only to measure."""
    if part == "all":
        return rows
    held = part == "held-out"
    return [r for i, r in enumerate(rows) if (i % 3 == 2) == held]


def main(path: str = DEFAULT_PATH, out: TextIO = sys.stdout, limit: Optional[int] = None,
         errors_path: Optional[str] = None, part: str = "all") -> int:
    if not os.path.exists(path):
        print(f"no such file: {path}", file=out)
        return 2
    rows = part_of(load(path, limit), part)
    results, parse_s, comp_s, sources = run_places(rows)
    s = score(results, sources)
    w = out.write
    w(f"geo evaluation on {path} ({s['articles']} articles{'' if part == 'all' else ', ' + part + ' part'})\n")
    w(f"{'metric':<28}{'value':>10}\n")
    w(f"{'gold toponyms':<28}{s['gold']:>10}\n")
    w(f"{'system places':<28}{s['system']:>10}\n")
    w(f"{'recognition precision':<28}{s['precision']:>10.3f}\n")
    w(f"{'recognition recall':<28}{s['recall']:>10.3f}\n")
    w(f"{'recognition F1':<28}{s['f1']:>10.3f}\n")
    w(f"{'resolved pairs (gold coords)':<28}{s['resolved_pairs']:>10}\n")
    w(f"{'acc@161km':<28}{s['acc161']:>10.3f}\n")
    w(f"{'geonameid accuracy':<28}{s['geonameid_acc']:>10.3f}\n")
    w(f"{'AUC ln(1+km) (lower better)':<28}{s['auc']:>10.3f}\n")
    w(f"{'median error km':<28}{s['median_km']:>10.1f}\n")
    w(f"{'spaCy parse s':<28}{parse_s:>10.2f}\n")
    w(f"{'places component s':<28}{comp_s:>10.3f}\n")
    w(f"{'places / parse':<28}{(comp_s / parse_s if parse_s else 0):>10.3f}\n")
    for k, (n_all, n_ok) in sorted(s["by_source"].items()):
        w(f"  source {k:<22}{n_all:>6} places, precision {n_ok / n_all:.3f}\n")
    if errors_path:
        with open(errors_path, "w", encoding="utf-8") as f:
            for e in s["errors"]:
                f.write("\t".join(str(x) for x in e) + "\n")
    return 0


def cli(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path", nargs="?", default=DEFAULT_PATH)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--errors", help="write the error list (TSV) here")
    ap.add_argument("--part", choices=("all", "tuning", "held-out"), default="all")
    a = ap.parse_args(argv)
    return main(a.path, sys.stdout, a.limit, a.errors, a.part)


if __name__ == "__main__":
    sys.exit(cli())
