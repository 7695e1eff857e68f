"""The plain peer: one FastAPI handler that runs the query on pyoxigraph in the server process,
on uvicorn with the same set-up as the service (uvloop, httptools, no access log).

What a minimal endpoint over the same engine does: no worker processes (no time limit a query
can be stopped by), no caps, no checks, no result cache. The service's row without its result
cache beside this one shows what running clients' queries in killable processes costs."""

from __future__ import annotations

import sys

import pyoxigraph as ox
from fastapi import FastAPI, Response

from bench.common import serve_peer


def app_for(store: ox.Store) -> FastAPI:
    app = FastAPI()

    @app.get("/sparql")
    def sparql(query: str) -> Response:
        # A plain (non-async) handler: FastAPI runs it on its thread pool, as such endpoints do.
        result = store.query(query, use_default_graph_as_union=True)
        body = result.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(body, media_type="application/sparql-results+json")

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def main(store: str, port: int) -> None:
    serve_peer(app_for(ox.Store.read_only(store)), port)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
