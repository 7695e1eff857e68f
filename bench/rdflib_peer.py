"""The Python peer: rdflib-endpoint serving the same files from an in-memory rdflib graph,
on uvicorn with the same set-up as the service (uvloop, httptools, no access log)."""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph
from rdflib_endpoint import SparqlEndpoint

from bench.common import data_files, serve_peer


def main(synth: str, port: int) -> None:
    graph = Graph()
    for path in data_files(Path(synth)):
        graph.parse(path, format="nt" if path.suffix == ".nt" else "turtle")
    app = SparqlEndpoint(graph=graph, path="/sparql")

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    serve_peer(app, port)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
