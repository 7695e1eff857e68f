"""Shared pieces of the benchmarks: timing statistics, synthetic files, servers, the machine."""

from __future__ import annotations

import contextlib
import datetime
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "bench"
MODEL_DIRS = ("ontology", "shapes", "data")
PYTHON = sys.executable


@dataclass(frozen=True)
class Stats:
    """Median, minimum and maximum of repeated measurements (seconds)."""

    median: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, samples: Sequence[float]) -> Stats:
        return cls(statistics.median(samples), min(samples), max(samples), len(samples))

    def ms(self) -> str:
        """As milliseconds: ``median (min–max)``."""
        return f"{self.median * 1e3:.1f} ({self.low * 1e3:.1f}–{self.high * 1e3:.1f})"

    def s(self) -> str:
        """As seconds: ``median (min–max)``."""
        return f"{self.median:.2f} ({self.low:.2f}–{self.high:.2f})"


def repeat(fn: Callable[[], object], times: int, warmup: int = 1) -> Stats:
    """Time ``fn`` ``times`` times after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return Stats.of(samples)


def synth_file(triples: int, seed: int = 1) -> Path:
    """The synthetic dataset of that size, generated once and kept under var/bench/."""
    directory = WORK / f"synth-{triples}"
    path = directory / f"synth-{triples}.nt"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        # The generator streams to the file. It is written outside the directory the service
        # loads and moved in when complete, so an interrupted run leaves no partial dataset.
        partial = WORK / f"synth-{triples}.nt.partial"
        subprocess.run(
            [
                PYTHON,
                "-m",
                "service.cli",
                "synth",
                "--triples",
                str(triples),
                "--seed",
                str(seed),
                "--out",
                str(partial),
            ],
            check=True,
            cwd=ROOT,
        )
        partial.rename(path)
    return path


def load_dirs(synth: Path) -> list[Path]:
    """The directories the service loads: the model and real data, plus the synthetic file's.

    ``synth`` is the file: its directory's parent holds every size's data and the stores."""
    if not synth.is_file():
        raise ValueError(f"{synth} is not a synthetic data file")
    return [ROOT / d for d in MODEL_DIRS] + [synth.parent]


def data_files(synth: Path) -> list[Path]:
    """Every RDF file the service loads for that dataset."""
    files = [p for d in MODEL_DIRS for p in sorted((ROOT / d).glob("*.ttl"))]
    return [*files, synth]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:
            if response.status < 500:
                return
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not come up")


@contextlib.contextmanager
def server(
    command: list[str], health: str, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server process on loopback until the block ends; the block gets the process."""
    log = (WORK / "server.log").open("ab")
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=log
    )
    try:
        wait_until_up(health)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def peak_memory_mib(pid: int) -> float:
    """The process's peak resident set so far (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def _descendants_cpu_seconds() -> float:
    """CPU seconds (user and system) used so far by every living process started below this
    one: the servers, their workers and Virtuoso."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    mine = {os.getpid()}
    grew = True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in mine} - mine
        grew = bool(found)
        mine |= found
    mine.discard(os.getpid())
    return sum(times[pid] for pid in mine)


def wait_until_idle(share: float = 0.05, window: float = 1.0, limit: float = 900.0) -> float:
    """Wait until the servers started from here use under ``share`` of one core over
    ``window`` seconds (a server still working through requests its client has given up on
    would otherwise take CPU from the next measurement); returns the seconds waited, or
    raises after ``limit``."""
    start = time.perf_counter()
    before = _descendants_cpu_seconds()
    while True:
        time.sleep(window)
        now = _descendants_cpu_seconds()
        if now - before < share * window:
            return time.perf_counter() - start
        if time.perf_counter() - start > limit:
            raise RuntimeError(f"the servers were still busy after {limit:.0f} s")
        before = now


def service_command(
    store: Path, synth: Path, port: int, extra: dict[str, str] | None = None
) -> tuple[list[str], dict[str, str]]:
    """``osaamiskartta serve`` on an already loaded store (files unchanged: nothing reloads),
    with ``extra`` settings (``OSAAMISKARTTA_*`` variables) on top."""
    env = {
        "OSAAMISKARTTA_STORE": str(store),
        "OSAAMISKARTTA_LOAD_DIRS": ",".join(str(d) for d in load_dirs(synth)),
        "OSAAMISKARTTA_PORT": str(port),
        "OSAAMISKARTTA_HOST": "127.0.0.1",
        "OSAAMISKARTTA_LOG_LEVEL": "warning",
        **(extra or {}),
    }
    return [PYTHON, "-m", "service.cli", "serve"], env


def serve_peer(app: object, port: int) -> None:
    """Serve a peer's ASGI app on loopback with the service's uvicorn set-up: uvloop, httptools,
    no access log."""
    import uvicorn

    uvicorn.run(
        app,  # type: ignore[arg-type]
        host="127.0.0.1",
        port=port,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
    )


def virtuoso_version() -> str | None:
    """Virtuoso's version (``virtuoso-t -?``), or None when it or its isql is not installed."""
    binary = shutil.which("virtuoso-t")
    if binary is None or shutil.which("isql-vt") is None:
        return None
    out = subprocess.run([binary, "-?"], capture_output=True, text=True, check=False)
    text = out.stdout + out.stderr
    number = re.search(r"Version (\S+)", text)
    edition = re.search(r"Virtuoso Open Source Edition \(([^)]*)\)", text)
    if number is None:
        return "installed, version unknown"
    return f"Open Source {number.group(1)}" + (f", {edition.group(1)}" if edition else "")


def machine() -> list[tuple[str, str]]:
    """The machine, versions and date, for the head of every result file."""

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    wrk = ""
    if shutil.which("wrk"):  # only the HTTP part needs it
        wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    return [
        ("date (UTC)", datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M")),
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("memory", memory),
        ("load average at start", load),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        *(
            (name, version(name))
            for name in (
                "pyoxigraph",
                "pyshacl",
                "rdflib",
                "fastapi",
                "uvicorn",
                "uvloop",
                "httptools",
                "rdflib-endpoint",
            )
        ),
        ("wrk", wrk.split("\n", 1)[0] or "not installed"),
        ("Virtuoso", virtuoso_version() or "not installed (`make virtuoso`)"),
    ]


def table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def size_label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"
