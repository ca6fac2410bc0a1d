"""The corpus store's commands: ingest, events, quotes, persons, search,
stories, story, export."""

from __future__ import annotations

import json
import os
import sys

from dateline.cli import common
from dateline.store import DEFAULT_DB


def add_commands(commands) -> None:
    """Add the corpus store's commands to the CLI's subparsers."""
    db = dict(metavar="STORE", default=DEFAULT_DB,
              help="a SQLite file or a postgresql:// URL (default %(default)s, or $DATELINE_DB)")

    p = commands.add_parser("ingest", help="analyse articles, feeds and WARC files into a corpus store",
                            description="Read folders (recursively: .txt .html .json .jsonl .rss .atom .xml .warc), "
                                        "files, RSS/Atom feeds and WARC files, analyse the articles not stored yet "
                                        "and store them. Safe to re-run and to interrupt.",
                            epilog="exit status: 0 all new articles stored, 1 some failed, 2 nothing could be read")
    p.add_argument("paths", nargs="+", metavar="PATH", help="folder, file, feed, WARC, or URL (with --fetch)")
    p.add_argument("--db", **db)
    p.add_argument("--workers", type=common.positive_int, default=os.cpu_count() or 1, metavar="N",
                   help="processes to analyse with (default: all %(default)s cores; 1 for a single process)")
    p.add_argument("--dask", metavar="ADDRESS",
                   help="analyse on a Dask cluster: a scheduler address (tcp://host:8786), or 'local' for a "
                        "LocalCluster of --workers processes on this machine")
    p.add_argument("--partition-size", type=common.positive_int, default=64, metavar="N",
                   help="with --dask: articles per partition, the unit of work and of checkpoints (default %(default)s)")
    p.add_argument("--batch", type=common.positive_int, default=32, metavar="N",
                   help="articles analysed together before they are stored (default %(default)s)")
    p.add_argument("--fetch", action="store_true", help="allow http(s) URLs (feeds or article pages)")
    p.add_argument("--allow-private", action="store_true", help="allow fetching from private and loopback addresses")
    p.add_argument("--timeout", type=common.positive_float, default=20.0, metavar="S", help="fetch timeout in seconds")
    p.add_argument("--max-size", type=common.positive_float, default=common.DEFAULT_MAX_BYTES / 2**20, metavar="MB",
                   help="largest file, feed, record or download accepted, in MB (default %(default)g)")
    common.add_limit_options(p)
    p.add_argument("--no-stories", action="store_true", help="do not update the merged stories afterwards")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(run=cmd_ingest)

    p = commands.add_parser("events", help="list stored events")
    p.add_argument("--db", **db)
    p.add_argument("--type", metavar="TYPE", help="PLOVER type, e.g. ASSAULT")
    p.add_argument("--country", metavar="CC", help="ISO country code, e.g. UA")
    p.add_argument("--since", type=common.date_arg, metavar="DATE")
    p.add_argument("--until", type=common.date_arg, metavar="DATE")
    p.add_argument("--place", metavar="NAME", help="location or first-level region, e.g. Kyiv")
    p.add_argument("--no-duplicates", action="store_true", help="leave out events of syndicated copies")
    p.add_argument("--min-confidence", type=common.fraction, metavar="X",
                   help="only events at least this confident (0-1; 0.5 hides the low ones)")
    p.add_argument("--limit", type=common.positive_int, metavar="N")
    p.add_argument("--json", action="store_true", help="JSON Lines instead of a table")
    p.set_defaults(run=cmd_events)

    p = commands.add_parser("quotes", help="list stored quotes")
    p.add_argument("--db", **db)
    p.add_argument("--speaker", metavar="NAME", help="a name or part of it, e.g. Ushakov (every article's form of it)")
    p.add_argument("--person", metavar="ID", help="a person id from `dateline persons`, e.g. person:yuri-ushakov")
    p.add_argument("--limit", type=common.positive_int, metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_quotes)

    p = commands.add_parser("persons", help="list quoted people and organisations across articles")
    p.add_argument("name", nargs="?", metavar="NAME", help="a name or part of it, e.g. Tjahjanto")
    p.add_argument("--db", **db)
    p.add_argument("--kind", choices=("person", "organization"))
    p.add_argument("--limit", type=common.positive_int, metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_persons)

    p = commands.add_parser("search", help="full-text search over articles and quotes")
    p.add_argument("text", metavar="TEXT", help='words (all must occur) or an FTS5 query, e.g. "draft office"')
    p.add_argument("--db", **db)
    p.add_argument("--limit", type=common.positive_int, default=20, metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_search)

    p = commands.add_parser("stories", help="list merged stories (one event across outlets)")
    p.add_argument("--db", **db)
    p.add_argument("--rebuild", action="store_true", help="first re-merge every stored report from scratch")
    p.add_argument("--refresh", action="store_true",
                   help="first remake the records (incidents, figures) of the large stories marked stale")
    p.add_argument("--country", metavar="CC")
    p.add_argument("--since", type=common.date_arg, metavar="DATE")
    p.add_argument("--limit", type=common.positive_int, metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_stories)

    p = commands.add_parser("story", help="one merged story with its evidence")
    p.add_argument("story_id", metavar="ID")
    p.add_argument("--db", **db)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_story)

    p = commands.add_parser("export", help="export stored events (jsonl, csv, acled, geojson, plover)")
    p.add_argument("--db", **db)
    p.add_argument("--format", choices=("jsonl", "csv", "acled", "geojson", "plover"), default="jsonl",
                   help="acled: ACLED's own 31 columns and codes, for ACLED's tooling (docs/export.md)")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--type", metavar="TYPE")
    p.add_argument("--country", metavar="CC")
    p.add_argument("--since", type=common.date_arg, metavar="DATE")
    p.add_argument("--until", type=common.date_arg, metavar="DATE")
    p.add_argument("--place", metavar="NAME")
    p.add_argument("--include-duplicates", action="store_true", help="keep events of syndicated copies")
    p.add_argument("--min-confidence", type=common.fraction, metavar="X",
                   help="only events at least this confident (0-1; 0.5 hides the low ones)")
    p.set_defaults(run=cmd_export)


def _open(args, readonly=True):
    from dateline.store import StoreError, open_store

    try:
        return open_store(args.db, readonly=readonly)
    except StoreError as exc:
        raise common.Fatal(str(exc)) from None


# ingest ----------------------------------------------------------------------

def cmd_ingest(args) -> int:
    from dateline.ingest import estimate_articles
    from dateline.store.ingest import expand, ingest, read_inputs, rebuild_stories, refresh_stories

    common.apply_limit_options(args)
    files = expand(args.paths)
    if not files:
        raise common.Fatal("no article, feed or WARC files found")
    records = read_inputs(files, max_bytes=int(args.max_size * 2**20), fetch_urls=args.fetch,
                          allow_private=args.allow_private, timeout=args.timeout)
    common.load_model()
    store = _open(args, readonly=False)
    progress = common.Progress(estimate_articles(files), stream=sys.stderr, enabled=not args.no_progress)
    shown = {"failed": 0}

    def on_result(kind, item):
        if kind == "failed":
            shown["failed"] += 1
            if shown["failed"] <= common.MAX_WARNINGS:
                progress.message(f"dateline: skipped {item}")
        progress.update()

    try:
        if args.dask:
            from dateline.errors import ClusterError
            from dateline.store.dask_ingest import ingest_on_dask

            try:
                stats = ingest_on_dask(store, files, args.dask, workers=args.workers, partition=args.partition_size,
                                       max_bytes=int(args.max_size * 2**20), on_result=on_result)
            except ClusterError as exc:
                raise common.Fatal(str(exc)) from None
        else:
            stats = ingest(store, records, workers=args.workers, batch=args.batch, on_result=on_result)
        progress.close()
        stories = None
        if not args.no_stories:  # also merges what an earlier --no-stories run left out
            try:
                stories = rebuild_stories(store)
                refresh_stories(store, due_only=True)  # the large stories' records, outside each update
            except Exception as exc:  # the articles are stored; only the story view is stale
                print(f"dateline: warning: stories not updated ({type(exc).__name__}: {exc})", file=sys.stderr)
        totals = (store.count("articles"), store.count("events"), store.count("quotes"))
    finally:
        store.close()
    if stats.failed > common.MAX_WARNINGS:
        print(f"dateline: ... and {stats.failed - common.MAX_WARNINGS} more skipped", file=sys.stderr)
    line = (f"dateline: {stats.added} articles added ({stats.near_duplicates} syndicated copies linked), "
            f"{stats.skipped} already stored, {stats.failed} failed; store {store.path}: {totals[0]} articles, "
            f"{totals[1]} events, {totals[2]} quotes")
    if stories is not None:
        line += f", {stories} stories"
    print(line, file=sys.stderr)
    if stats.failed and not stats.added and not stats.skipped:
        return common.EXIT_BAD_INPUT
    return common.EXIT_SOME_FAILED if stats.failed else common.EXIT_OK


# queries ---------------------------------------------------------------------

def _print_rows(rows, as_json, columns):
    from dateline.query import table

    if as_json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    elif rows:
        print(table(rows, columns))
    else:
        print("(nothing found)", file=sys.stderr)


def cmd_events(args) -> int:
    from dateline.query import EVENT_TABLE

    with _open(args) as store:
        rows = store.events(type=args.type, country=args.country, since=args.since, until=args.until,
                            place=args.place, include_duplicates=not args.no_duplicates, limit=args.limit,
                            min_confidence=args.min_confidence)
    _print_rows(rows, args.json, EVENT_TABLE)
    return common.EXIT_OK


def cmd_quotes(args) -> int:
    from dateline.query import QUOTE_TABLE

    with _open(args) as store:
        rows = store.quotes(speaker=args.speaker, person=args.person, limit=args.limit)
    _print_rows(rows, args.json, QUOTE_TABLE)
    return common.EXIT_OK


def cmd_persons(args) -> int:
    from dateline.query import PERSON_TABLE

    with _open(args) as store:
        rows = store.persons(name=args.name, kind=args.kind, limit=args.limit)
    _print_rows(rows, args.json, PERSON_TABLE)
    return common.EXIT_OK


def cmd_search(args) -> int:
    from dateline.query import table

    with _open(args) as store:
        hits = store.search(args.text, limit=args.limit)
    if args.json:
        print(json.dumps(hits, ensure_ascii=False))
        return common.EXIT_OK
    if hits["articles"]:
        print(f"Articles ({len(hits['articles'])})")
        print(table(hits["articles"], (("published", 10), ("source", 14), ("id", 24), ("snippet", 80))))
    if hits["quotes"]:
        print(("\n" if hits["articles"] else "") + f"Quotes ({len(hits['quotes'])})")
        print(table(hits["quotes"], (("published", 10), ("speaker", 22), ("content", 80), ("source", 14))))
    if not hits["articles"] and not hits["quotes"]:
        print("(nothing found)", file=sys.stderr)
    return common.EXIT_OK


def cmd_stories(args) -> int:
    from dateline.query import STORY_TABLE

    if args.rebuild:
        from dateline.store.ingest import rebuild_stories

        _open(args).close()  # a store that is not there is an error, not a new empty store
        with _open(args, readonly=False) as store:
            print(f"dateline: {rebuild_stories(store, full=True)} stories rebuilt", file=sys.stderr)
    elif args.refresh:
        from dateline.store.ingest import refresh_stories

        _open(args).close()
        with _open(args, readonly=False) as store:
            print(f"dateline: {refresh_stories(store)} story records remade", file=sys.stderr)
    with _open(args) as store:
        rows = store.stories(country=args.country, since=args.since, limit=args.limit)
        if args.json:  # each story's articles, as in `dateline story`
            articles = store.articles_of(r["id"] for r in rows)
            rows = [{**r, "articles": articles.get(r["id"], [])} for r in rows]
    _print_rows(rows, args.json, STORY_TABLE)
    return common.EXIT_OK


def cmd_story(args) -> int:
    with _open(args) as store:
        story = store.story(args.story_id)
    if story is None:
        raise common.Fatal(f"no story {args.story_id!r} (see `dateline stories`)")
    if args.json:
        print(json.dumps(story, ensure_ascii=False, indent=2))
        return common.EXIT_OK
    print(f"{story['id']}  {story.get('type')}  {story.get('date') or ''}  {story.get('location') or ''} "
          f"{story.get('country') or ''}".rstrip())
    print(story.get("summary") or "")
    for field in ("killed", "injured", "arrested", "displaced"):
        if story.get(field) is not None:
            print(f"  {field}: {story[field]}")
    for note in story.get("conflict_notes") or []:
        print(f"  conflict: {note}")
    print(f"  corroboration: {story.get('corroboration')} outlet(s): {', '.join(story.get('outlets') or [])}")
    print("Evidence:")
    for r in story.get("evidence") or []:
        dup = f" (copy of {r['duplicate_of']})" if r.get("duplicate_of") else ""
        print(f"  {r.get('published') or '':10}  {r.get('outlet') or '':16}  {r['article_id']}#{r.get('event_index', 0)}{dup}")
        print(f"      {' '.join((r.get('event') or {}).get('summary', '').split())[:160]}")
    return common.EXIT_OK


def cmd_export(args) -> int:
    from dateline.export import write

    with _open(args) as store:
        rows = store.events(type=args.type, country=args.country, since=args.since, until=args.until,
                            place=args.place, include_duplicates=args.include_duplicates,
                            min_confidence=args.min_confidence)
    if args.output:
        try:
            out = open(args.output, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise common.Fatal(f"cannot write {args.output}: {exc.strerror}") from None
    else:
        out = sys.stdout
    try:
        n = write(rows, args.format, out)
    finally:
        if out is not sys.stdout:
            out.close()
    if args.output:
        print(f"dateline: {n} events written to {args.output}", file=sys.stderr)
    return common.EXIT_OK
