"""The command line's operations commands: backup, restore and token."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from service.settings import Settings
from service.sparql import formats as f
from service.store import Store
from service.writes import Writer


def add_backup_commands(sub: argparse._SubParsersAction, store_options: object) -> None:
    """The parsers of backup, restore and token."""
    backup = sub.add_parser(
        "backup",
        help="write the whole store to one N-Quads file",
        description="Back up "
        "every graph to FILE (N-Quads); restore it with 'osaamiskartta restore FILE'.",
    )
    store_options(backup)  # type: ignore[operator]
    backup.add_argument("file", type=Path, metavar="FILE")
    restore = sub.add_parser(
        "restore",
        help="replace the store's content with a backup file",
        description="Replace every graph with the content of an N-Quads or TriG backup, in "
        "one transaction.",
    )
    store_options(restore)  # type: ignore[operator]
    restore.add_argument("file", type=Path, metavar="FILE")
    token = sub.add_parser(
        "token",
        help="make a new named token and print its configuration line",
        description="Print a fresh token (give it to the client) and the line for "
        "OSAAMISKARTTA_TOKENS_FILE, which holds only its SHA-256 digest.",
    )
    token.add_argument("name")
    token.add_argument("--rights", default="write", help="read, write or admin (default: write)")


def run_backup_command(
    args: argparse.Namespace,
    settings: Settings,
    open_store: Callable[[Settings], tuple[Store, Writer]],
) -> int:
    """Run backup, restore or token; ``open_store`` opens the store with its gated writer."""
    from service.backup import backup, restore
    from service.sparql.formats import TRIG
    from service.tokens import digest, new_token, parse_rights

    if args.command == "token":
        parse_rights(args.rights)
        secret = new_token()
        print(f"token: {secret}")
        print(f"{args.name} {args.rights} sha256:{digest(secret)}")
        return 0
    store, writer = open_store(settings)
    if args.command == "backup":
        args.file.write_bytes(backup(store))
        print(f"backed up to {args.file}")
    else:
        if not args.file.is_file():
            print(f"osaamiskartta: no such file: {args.file}", file=sys.stderr)
            return 2
        fmt = TRIG if args.file.suffix == ".trig" else f.N_QUADS
        result = restore(writer, args.file.read_bytes(), fmt, "cli")
        print(f"restored: {len(result.delta.added)} added, {len(result.delta.removed)} removed")
    store.close()
    return 0
