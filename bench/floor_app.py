"""The HTTP floor: a bare FastAPI endpoint that returns a fixed SPARQL JSON body."""

from __future__ import annotations

from fastapi import FastAPI, Response

BODY = (
    b'{"head":{"vars":["label"]},"results":{"bindings":[{"label":{"type":"literal",'
    b'"value":"Savonia AMK","xml:lang":"fi"}}]}}'
)
app = FastAPI()


@app.get("/sparql")
async def sparql() -> Response:
    return Response(BODY, media_type="application/sparql-results+json")


@app.get("/health")
async def health() -> Response:
    return Response(b"ok")
