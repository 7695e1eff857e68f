"""The ``osaamiskartta`` command: serve, load, query, update and dump the knowledge graph."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from service.cli_backup import add_backup_commands, run_backup_command
from service.cli_table import format_table
from service.errors import ServiceError, ShapeViolation
from service.settings import PREFIX, Settings, SettingsError, parse_load_dirs
from service.sparql import formats as f
from service.sparql.conneg import negotiate
from service.sparql.formats import FORMATS_BY_KIND, Kind
from service.sparql.protocol import UpdateOperation
from service.store import Store
from service.store.configured import open_configured_store
from service.writes import Writer

DUMP_FORMATS = {"trig": f.TRIG, "nquads": f.N_QUADS, "nq": f.N_QUADS}


def _env_help(text: str, name: str) -> str:
    return f"{text} [env: {PREFIX}{name}]"


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar; option defaults are None so the environment can fill them."""
    parser = argparse.ArgumentParser(
        prog="osaamiskartta",
        description="Knowledge graph of Finnish regional education and lifelong-guidance "
        "networks, served over SPARQL 1.1.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def store_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--store", help=_env_help("store directory, or 'memory' (default: memory)", "STORE")
        )
        p.add_argument(
            "--base-iri",
            help=_env_help(
                "public base IRI (default: https://w3id.org/osaamiskartta/)", "BASE_IRI"
            ),
        )
        p.add_argument(
            "--load-dirs",
            help=_env_help(
                "directories loaded into the store, space- or comma-separated, or 'none' "
                "(default: ontology shapes data); a memory store loads them before the command",
                "LOAD_DIRS",
            ),
        )

    serve = sub.add_parser(
        "serve",
        help="run the SPARQL service",
        description="Run the SPARQL 1.1 service (query, update, graph store).",
    )
    store_options(serve)
    serve.add_argument(
        "--host", help=_env_help("interface to listen on (default: 127.0.0.1)", "HOST")
    )
    serve.add_argument("--port", type=int, help=_env_help("port (default: 8000)", "PORT"))
    serve.add_argument(
        "--log-level", help=_env_help("uvicorn log level (default: info)", "LOG_LEVEL")
    )

    load = sub.add_parser(
        "load",
        help="load RDF files, one named graph each",
        description="Load RDF files into the store, each into the graph "
        "{base}graph/{dir}/{name}; unchanged files are skipped. The load directories "
        "(OSAAMISKARTTA_LOAD_DIRS: the ontology, shapes and data) are brought up to date "
        "first, as serve does, so that the files are judged by the shapes.",
    )
    store_options(load)
    load.add_argument("files", nargs="+", type=Path, metavar="FILE")

    query = sub.add_parser(
        "query",
        help="run a SPARQL query",
        description="Run a SPARQL query given as text or as a file name.",
    )
    store_options(query)
    query.add_argument("query", metavar="QUERY", help="query text, or a file holding it")
    query.add_argument(
        "--format",
        help=_env_help(
            "table (default), json, xml, csv, tsv for SELECT/ASK; turtle, ntriples, rdfxml, "
            "jsonld, nquads, trig for CONSTRUCT/DESCRIBE",
            "FORMAT",
        ),
    )

    update = sub.add_parser(
        "update",
        help="run a SPARQL update",
        description="Run a SPARQL update given as text or as a file name.",
    )
    store_options(update)
    update.add_argument("update", metavar="UPDATE", help="update text, or a file holding it")

    validate = sub.add_parser(
        "validate",
        help="check the store or RDF files against the shapes",
        description="Validate the whole store, or the given RDF files (alone, or with "
        "--with-store as if added to the store), and print a report grouped by severity and "
        "shape. Exits with 1 when there are violations.",
    )
    store_options(validate)
    validate.add_argument("files", nargs="*", type=Path, metavar="FILE")
    validate.add_argument(
        "--with-store", action="store_true", help="validate the files together with the store"
    )
    validate.add_argument(
        "--lang",
        choices=("fi", "en"),
        help=_env_help("language of the messages (default: fi)", "LANG"),
    )

    dump = sub.add_parser(
        "dump",
        help="write the whole store as TriG or N-Quads",
        description="Write every graph of the store as TriG or N-Quads.",
    )
    store_options(dump)
    dump.add_argument(
        "--format",
        choices=sorted(DUMP_FORMATS),
        help=_env_help("trig (default) or nquads", "FORMAT"),
    )
    dump.add_argument(
        "--output", type=Path, help=_env_help("file to write (default: standard output)", "OUTPUT")
    )
    synth = sub.add_parser(
        "synth",
        help="write a synthetic national dataset as N-Triples",
        description="Write a deterministic synthetic dataset that extends the real graph to all "
        "19 regions (load it beside ontology/, shapes/ and data/). The same seed and size give "
        "the same bytes.",
    )
    synth.add_argument("--triples", type=int, required=True, help="about how many triples")
    synth.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    synth.add_argument("--out", type=Path, help="file to write (default: standard output)")
    add_backup_commands(sub, store_options)
    return parser


def settings_for(args: argparse.Namespace, environ: Mapping[str, str]) -> Settings:
    """Environment settings overridden by the options given on the command line."""
    settings = Settings.from_env(environ)
    load_dirs = parse_load_dirs(args.load_dirs) if getattr(args, "load_dirs", None) else None
    return settings.replace(
        store=getattr(args, "store", None),
        base_iri=getattr(args, "base_iri", None),
        load_dirs=load_dirs,
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        log_level=getattr(args, "log_level", None),
    )


def _text_or_file(value: str) -> str:
    path = Path(value)
    if len(value) < 4096 and "\n" not in value and path.is_file():
        return path.read_text(encoding="utf-8")
    return value


def _open(settings: Settings) -> tuple[Store, Writer]:
    from service.loading import load_directories
    from service.provenance import ProvenanceRecorder
    from service.validation.gate import GraphRoles, QualityGate

    store = open_configured_store(settings)
    gate = QualityGate(store, GraphRoles(settings.base_iri))
    writer = Writer(store, gate, [ProvenanceRecorder(store, settings.base_iri)])
    if settings.inference:
        # The inferred graph follows command-line writes too; the search index is checked
        # (and rebuilt when stale) when the service starts.
        from service.inference import InferenceMaintainer

        inference = InferenceMaintainer(
            store, settings.base_iri, lambda graph: not gate.roles.unjudged(graph)
        )
        inference.ensure_fresh()
        writer.observers.append(inference)
    if settings.in_memory:
        # The store lives in this process only: nobody else reads it while it loads.
        load_directories(
            writer, settings.load_dirs, settings.base_iri, bulk_from=settings.bulk_load_bytes
        )
    return store, writer


def _serve(settings: Settings) -> int:
    import uvicorn

    from service.app import create_app

    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        # On SIGTERM: stop accepting, let in-flight requests finish (up to the grace period).
        # uvicorn annotates it int but hands it to asyncio.timeout, which takes a float.
        timeout_graceful_shutdown=settings.shutdown_grace,  # type: ignore[arg-type]
    )
    return 0


def _query(settings: Settings, text: str, format_name: str | None) -> int:
    store, _ = _open(settings)
    result = store.query(_text_or_file(text))
    if format_name in (None, "table"):
        if result.kind in (Kind.BINDINGS, Kind.BOOLEAN):
            print(format_table(json.loads(result.serialize(f.SPARQL_JSON))))
            return 0
        format_name = "turtle"
    fmt = negotiate(None, format_name, FORMATS_BY_KIND[result.kind])
    sys.stdout.buffer.write(result.serialize(fmt))
    sys.stdout.flush()
    return 0


def _update(settings: Settings, text: str) -> int:
    from service.sparql.endpoint import run_update

    store, writer = _open(settings)
    run_update(writer, UpdateOperation(_text_or_file(text)))
    store.close()
    return 0


def _load(settings: Settings, files: Sequence[Path]) -> int:
    from service.loading import load_directories, load_paths

    missing = [p for p in files if not p.is_file()]
    if missing:
        print(f"osaamiskartta: no such file: {missing[0]}", file=sys.stderr)
        return 2
    store, writer = _open(settings)
    if not settings.in_memory:  # a memory store got them in _open
        # Without the model a fresh store has no shapes, and the gate would judge nothing.
        model = load_directories(
            writer, settings.load_dirs, settings.base_iri, bulk_from=settings.bulk_load_bytes
        )
        for graph in model.loaded:
            print(f"loaded    {graph}")
    # A directory store is locked by the process that opens it (a running service included),
    # and a memory store is this process's own: nobody reads the store while the files load.
    # A remote store has no bulk loader, so loads into it stay one atomic write.
    report = load_paths(writer, files, settings.base_iri, bulk_from=settings.bulk_load_bytes)
    for graph in report.loaded:
        print(f"loaded    {graph}")
    for graph in report.unchanged:
        print(f"unchanged {graph}")
    store.close()
    return 0


def _validate(settings: Settings, files: Sequence[Path], with_store: bool, language: str) -> int:
    from service.graph_store import parse_body
    from service.sparql.formats import rdf_format_for_path
    from service.validation.dry_run import validate_upload
    from service.validation.report import lookup_labels, nodes_of, text_report

    store, writer = _open(settings)
    assert writer.gate is not None
    missing = [p for p in files if not p.is_file()]
    if missing:
        print(f"osaamiskartta: no such file: {missing[0]}", file=sys.stderr)
        return 2
    status = 0
    reports = []
    if not files:
        reports.append(("store", writer.gate.validate_store()))
    for path in files:
        fmt = rdf_format_for_path(str(path))
        triples = parse_body(fmt.media_type if fmt else None, path.read_bytes(), path.as_uri())
        reports.append((str(path), validate_upload(writer.gate, triples, with_store)))
    for name, report in reports:
        labels = lookup_labels(store, nodes_of(report))
        print(f"== {name}")
        print(text_report(report, labels, language))
        status = status or (0 if report.conforms else 1)
    store.close()
    return status


def _dump(settings: Settings, format_name: str | None, output: Path | None) -> int:
    store, _ = _open(settings)
    fmt = DUMP_FORMATS.get((format_name or "trig").lower())
    if fmt is None:
        print(f"osaamiskartta: unknown dump format {format_name!r}", file=sys.stderr)
        return 2
    data = store.dump(fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)
    return 0


def _synth(triples: int, seed: int, out: Path | None) -> int:
    from service.synth.generator import generate

    if out is None:
        generate(sys.stdout, triples, seed)
        sys.stdout.flush()
        return 0
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        count = generate(handle, triples, seed)
    print(f"wrote {count} triples to {out}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    environ = os.environ if environ is None else environ
    args = build_parser().parse_args(argv)
    if args.command == "synth":
        return _synth(args.triples, args.seed, args.out)
    try:
        settings = settings_for(args, environ)
        fmt = getattr(args, "format", None) or environ.get(PREFIX + "FORMAT") or None
        if args.command == "serve":
            return _serve(settings)
        if args.command == "query":
            return _query(settings, args.query, fmt)
        if args.command == "update":
            return _update(settings, args.update)
        if args.command == "load":
            return _load(settings, args.files)
        if args.command in ("backup", "restore", "token"):
            return run_backup_command(args, settings, _open)
        if args.command == "validate":
            language = args.lang or environ.get(PREFIX + "LANG") or "fi"
            return _validate(settings, args.files, args.with_store, language)
        output = args.output or (
            Path(environ[PREFIX + "OUTPUT"]) if environ.get(PREFIX + "OUTPUT") else None
        )
        return _dump(settings, fmt, output)
    except SettingsError as exc:
        print(f"osaamiskartta: {exc}", file=sys.stderr)
        return 2
    except ShapeViolation as exc:
        from service.validation.report import text_report

        print(f"osaamiskartta: {exc.title}: {exc.detail}", file=sys.stderr)
        print(
            text_report(exc.report, exc.labels, environ.get(PREFIX + "LANG") or "fi"),
            file=sys.stderr,
        )
        return 1
    except ServiceError as exc:
        print(f"osaamiskartta: {exc.title}: {exc.detail}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
