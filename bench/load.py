"""Load time and peak memory: the service's start-up load beside pyoxigraph's bulk load.

Each load runs in a fresh process into a fresh on-disk store, so its peak resident memory
(from ``wait4``) is its own. The service's path is what ``osaamiskartta serve`` does at
start-up (service/loading.py): files of ``OSAAMISKARTTA_BULK_LOAD_BYTES`` or more going into
new graphs (here the synthetic file) are bulk-loaded by pyoxigraph from the file, the small
model and data files are parsed and written in one transaction, and the load-state record
follows in that transaction, after the bulk-loaded graphs are whole. pyoxigraph's path is
``Store.bulk_load`` of the same files into the same named graphs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.common import PYTHON, ROOT, WORK, Stats, data_files, load_dirs, size_label, table

BASE = "https://w3id.org/osaamiskartta/"


def _child(mode: str, store_dir: str, synth: str) -> None:
    import pyoxigraph as ox

    from service.loading import graph_for_file, load_directories
    from service.provenance import ProvenanceRecorder
    from service.settings import Settings
    from service.store import open_store
    from service.validation.gate import GraphRoles, QualityGate
    from service.writes import Writer

    start = time.perf_counter()
    if mode == "service":
        store = open_store(store_dir)
        gate = QualityGate(store, GraphRoles(BASE))
        writer = Writer(store, gate, [ProvenanceRecorder(store, BASE)])
        bulk_from = Settings.from_env(os.environ).bulk_load_bytes
        load_directories(writer, load_dirs(Path(synth)), BASE, bulk_from=bulk_from)
        store.close()
    else:
        store = ox.Store(store_dir)
        for path in data_files(Path(synth)):
            fmt = ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE
            graph = ox.NamedNode(graph_for_file(BASE, path, path.parent))
            store.bulk_load(path=str(path), format=fmt, to_graph=graph, base_iri=graph.value)
        store.flush()
    print(time.perf_counter() - start)


class LoadFailed(RuntimeError):
    """A load process did not finish (at 10M triples the service's may run out of memory)."""


def measure(mode: str, synth: Path, keep: Path | None = None) -> tuple[float, int]:
    """Seconds and peak resident memory (bytes) of one load in a fresh process; with
    ``keep``, the loaded store is kept there for the other benchmarks."""
    store_dir = WORK / f"load-{mode}"
    shutil.rmtree(store_dir, ignore_errors=True)
    process = subprocess.Popen(
        [PYTHON, "-m", "bench.load", mode, str(store_dir), str(synth)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        shutil.rmtree(store_dir, ignore_errors=True)
        if os.WIFSIGNALED(status):
            signal = os.WTERMSIG(status)
            how = f"killed by signal {signal}" + (" (out of memory?)" if signal == 9 else "")
        else:
            how = f"exit status {os.WEXITSTATUS(status)}"
        raise LoadFailed(f"failed: {how}, peak RSS {usage.ru_maxrss / 1024:.0f} MiB")
    if keep is not None and not (keep / ".loaded").exists():
        shutil.rmtree(keep, ignore_errors=True)
        store_dir.rename(keep)
        (keep / ".loaded").touch()
    shutil.rmtree(store_dir, ignore_errors=True)
    return float(output.decode().strip().splitlines()[-1]), usage.ru_maxrss * 1024


def run(
    sizes: list[tuple[int, Path]], times: int, once_above: int
) -> tuple[str, dict[str, list[float]]]:
    """The load table in Markdown, and the medians for the chart; sizes above ``once_above``
    are loaded once per mode."""
    rows = []
    chart: dict[str, list[float]] = {"service": [], "pyoxigraph": []}
    for size, synth in sizes:
        results: dict[str, tuple[Stats, int] | str] = {}
        for mode in ("service", "pyoxigraph"):
            keep = WORK / f"{'store' if mode == 'service' else 'oxstore'}-{size}"
            try:
                samples = [
                    measure(mode, synth, keep) for _ in range(times if size <= once_above else 1)
                ]
            except LoadFailed as failure:
                # The other mode is still measured, and the row says what went wrong.
                results[mode] = str(failure)
                print(f"load {size_label(size)} {mode}: {failure}", file=sys.stderr)
                continue
            done = (Stats.of([s for s, _ in samples]), max(m for _, m in samples))
            results[mode] = done
            print(f"load {size_label(size)} {mode}: {done[0].s()} s", file=sys.stderr)
        service, oxi = results["service"], results["pyoxigraph"]
        if isinstance(service, str) or isinstance(oxi, str):
            rows.append(
                (
                    size_label(size),
                    service if isinstance(service, str) else service[0].s(),
                    oxi if isinstance(oxi, str) else oxi[0].s(),
                    "–",
                    "–" if isinstance(service, str) else f"{service[1] / 2**20:.0f}",
                    "–" if isinstance(oxi, str) else f"{oxi[1] / 2**20:.0f}",
                    "–",
                )
            )
        else:
            rows.append(
                (
                    size_label(size),
                    service[0].s(),
                    oxi[0].s(),
                    f"**{service[0].median / oxi[0].median:.2f}×**",
                    f"{service[1] / 2**20:.0f}",
                    f"{oxi[1] / 2**20:.0f}",
                    f"{service[1] / oxi[1]:.2f}×",
                )
            )
        chart["service"].append(0.0 if isinstance(service, str) else service[0].median)
        chart["pyoxigraph"].append(0.0 if isinstance(oxi, str) else oxi[0].median)
    head = (
        "synthetic triples",
        "service load, s",
        "pyoxigraph bulk_load, s",
        "time ratio (target ≤ 1.5×)",
        "service peak RSS, MiB",
        "pyoxigraph peak RSS, MiB",
        "memory ratio",
    )
    return table(head, rows), chart


def prepare(mode: str, synth: Path, store_dir: Path) -> Path:
    """A loaded store kept for the other benchmarks (made once per size and mode)."""
    if not (store_dir / ".loaded").exists():
        shutil.rmtree(store_dir, ignore_errors=True)
        subprocess.run(
            [PYTHON, "-m", "bench.load", mode, str(store_dir), str(synth)],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (store_dir / ".loaded").touch()
    return store_dir


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2], sys.argv[3])
