"""The database peer: Virtuoso Open Source serving the same files from its own database.

It is started the way the remote-store tests start theirs (tests/remote/virtuoso.py: loopback
ports, a directory of its own, never the system service), with the settings of
bench/virtuoso.ini. Each file goes into its own graph (the service's graph IRI for it) with
Virtuoso's bulk loader (``ld_add``, ``rdf_loader_run``), then a checkpoint; the loaded database
is kept under var/bench/ and reused. A query without ``default-graph-uri`` sees the union of
all graphs as its default graph, as the service's does.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from bench.common import ROOT, data_files, load_dirs
from service.loading import graph_for_file

# tests/remote/virtuoso.py is imported from the repository root, as pytest does.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
INI = Path(__file__).with_name("virtuoso.ini")
BASE = "https://w3id.org/osaamiskartta/"


def ini_settings() -> str:
    """The settings of bench/virtuoso.ini that shape its throughput, for the results."""
    wanted = (
        "ServerThreads",
        "MaxClientConnections",
        "MaxKeepAlives",
        "ThreadsPerQuery",
        "AsyncQueueMaxThreads",
        "NumberOfBuffers",
    )
    section, found = "", []
    for line in INI.read_text().splitlines():
        line = line.split(";", 1)[0].strip()
        if line.startswith("["):
            section = line.strip("[]")
        elif "=" in line:
            key, value = (part.strip() for part in line.split("=", 1))
            if key in wanted:
                found.append(f"[{section}] {key} = {value}")
    return ", ".join(found)


def _ini(directory: Path, synth: Path) -> Path:
    """bench/virtuoso.ini with the data directories allowed."""
    dirs = ", ".join(str(d.resolve()) for d in load_dirs(synth))
    path = directory / "virtuoso.ini.in"
    path.write_text(INI.read_text().replace("{dirs_allowed}", dirs))
    return path


def _sql(sql_port: int, statements: str, timeout: float) -> str:
    from tests.remote.virtuoso import isql

    done = isql(sql_port, statements, timeout)
    if "*** Error" in done.stderr + done.stdout or done.returncode != 0:
        raise RuntimeError(f"isql failed on {statements!r}:\n{done.stderr}{done.stdout}")
    return done.stdout


def prepare(synth: Path, directory: Path) -> Path:
    """A Virtuoso database holding every file of the dataset (made once per size)."""
    from tests.remote.virtuoso import start_virtuoso

    if (directory / ".loaded").exists():
        return directory
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    instance = start_virtuoso(directory, timeout=120, ini=_ini(directory, synth))
    try:
        start = time.perf_counter()
        adds = "".join(
            f"ld_add('{path.resolve()}', '{graph_for_file(BASE, path, path.parent)}');"
            for path in data_files(synth)
        )
        _sql(instance.sql_port, adds, 60)
        _sql(instance.sql_port, "rdf_loader_run(); checkpoint;", 24 * 3600)
        failed = _sql(
            instance.sql_port,
            "select ll_file, ll_error from DB.DBA.LOAD_LIST "
            "where ll_state <> 2 or ll_error is not null;",
            60,
        )
        if "0 Rows." not in failed:
            raise RuntimeError(f"Virtuoso did not load every file:\n{failed}")
        print(
            f"virtuoso: loaded {len(data_files(synth))} files in "
            f"{time.perf_counter() - start:.0f} s",
            file=sys.stderr,
        )
    except BaseException:
        print(instance.log()[-4000:], file=sys.stderr)
        instance.stop()
        raise
    instance.stop()
    (directory / ".loaded").touch()
    return directory


@contextlib.contextmanager
def serve(synth: Path, directory: Path) -> Iterator[int]:
    """Run the loaded database on loopback until the block ends; yields its HTTP port."""
    from tests.remote.virtuoso import launch

    instance = launch(directory, timeout=300, ini=_ini(directory, synth))
    try:
        yield instance.http_port
    finally:
        instance.stop()
