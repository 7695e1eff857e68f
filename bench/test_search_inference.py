"""The search and inference benchmark through pytest
(`.venv/bin/python -m pytest bench/test_search_inference.py`; `make bench` runs the others).

Sizes from BENCH_SIZES (default "100000 1000000"), owlrl's peer size from BENCH_OWLRL
(default 20000); the results go to bench/results/search-inference.md. No timed assertions:
the run only has to produce its table.
"""

from __future__ import annotations

import os

from bench.bench_search_inference import main


def test_search_and_inference_benchmark_writes_its_table() -> None:
    sizes = os.environ.get("BENCH_SIZES", "100000 1000000").split()
    owlrl = os.environ.get("BENCH_OWLRL", "20000").split()
    out = main(["--sizes", *sizes, "--owlrl", *owlrl])
    rows = [line for line in out.read_text().splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + len(sizes)  # the header and one row a size
