"""The HTTP side of the remote store: SPARQL queries and updates through SPARQLWrapper, and
Graph Store reads, with every engine failure turned into a service error in one place."""

from __future__ import annotations

import ast
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from SPARQLWrapper import DIGEST, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from service.errors import ServiceError, engine_error
from service.sparql.update_dataset import top_level_tokens

SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
# Query forms whose answer is RDF rather than a results document.
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
QUERY_FORMS = ("SELECT", "ASK", *GRAPH_FORMS)


# SPARQLWrapper turns these HTTP statuses into exceptions of its own.
_WRAPPER_STATUS = {
    "QueryBadFormed": 400,
    "Unauthorized": 401,
    "EndPointNotFound": 404,
    "URITooLong": 414,
    "EndPointInternalError": 500,
}


@dataclass(frozen=True)
class Endpoints:
    """Where the engine answers, and how the service signs in."""

    query_url: str
    update_url: str
    graph_store_url: str | None = None
    user: str | None = None
    password: str | None = None
    auth: str = "digest"
    timeout: int = 60


@dataclass(frozen=True)
class Answer:
    """A raw answer: its media type and body."""

    media_type: str
    body: bytes


def _message(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, SPARQLWrapperException) and "Response:\n" in text:
        # SPARQLWrapper keeps the engine's answer only as the repr of its bytes.
        raw = text.split("Response:\n", 1)[1]
        try:
            text = ast.literal_eval(raw).decode("utf-8", "replace")
        except (ValueError, SyntaxError, AttributeError):
            text = raw
    elif isinstance(exc, urllib.error.HTTPError):
        text = exc.read().decode("utf-8", "replace") or str(exc)
    # Engines echo the whole request after their message; the first lines say it.
    return " ".join(line.strip() for line in text.strip().splitlines()[:2])


def _status(exc: BaseException) -> int | None:
    if isinstance(exc, urllib.error.HTTPError):
        return exc.code
    if isinstance(exc, SPARQLWrapperException):
        return _WRAPPER_STATUS.get(type(exc).__name__)
    return None


@contextmanager
def _mapped(operation: str) -> Iterator[None]:
    try:
        yield
    except ServiceError:
        raise
    except (SPARQLWrapperException, urllib.error.URLError, OSError, ValueError) as exc:
        raise engine_error(_status(exc), _message(exc), operation) from exc


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's first top-level form keyword (outside
    comments, strings and IRIs); SELECT when none is found (the engine then says what is
    wrong)."""
    return next((t.text for t in top_level_tokens(text) if t.text in QUERY_FORMS), "SELECT")


class SparqlClient:
    """Sends one request per call; safe to share between threads."""

    def __init__(self, endpoints: Endpoints) -> None:
        self.endpoints = endpoints

    def _wrapper(self, text: str, form: str) -> SPARQLWrapper:
        e = self.endpoints
        wrapper = SPARQLWrapper(e.query_url, updateEndpoint=e.update_url)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)
        wrapper.setTimeout(e.timeout)
        if e.user is not None and e.password is not None:
            wrapper.setCredentials(e.user, e.password)
            wrapper.setHTTPAuth(DIGEST if e.auth == "digest" else "BASIC")
        # Not setQuery: it guesses the form with regular expressions over the whole text (a
        # sixth of a write's time on a remote store), from the first keyword-like word
        # anywhere, comments included ("load-state" reads as LOAD), and sends what it takes
        # for an update to the update endpoint.
        wrapper.queryString = text
        wrapper.queryType = form
        return wrapper

    def query(
        self, text: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()
    ) -> Answer:
        """Evaluate a query: SPARQL JSON results, or N-Triples for CONSTRUCT and DESCRIBE."""
        wrapper = self._wrapper(text, query_form(text))
        accept = N_TRIPLES if wrapper.queryType in GRAPH_FORMS else SPARQL_JSON
        wrapper.addCustomHttpHeader("Accept", accept)
        for graph in default_graphs:
            wrapper.addParameter("default-graph-uri", graph)
        for graph in named_graphs:
            wrapper.addParameter("named-graph-uri", graph)
        with _mapped("query"):
            response = wrapper.query().response
            body = response.read()
            media_type = response.headers.get("Content-Type", accept).split(";")[0].strip()
        return Answer(media_type, body)

    def update(self, text: str, default_graph: str | None = None) -> None:
        """Apply an update; ``default_graph`` is where triples outside GRAPH go (Virtuoso)."""
        wrapper = self._wrapper(text, "INSERT")  # any update form: SPARQLWrapper posts it
        if default_graph is not None:
            wrapper.addParameter("default-graph-uri", default_graph)
        with _mapped("update"):
            wrapper.query().response.read()

    def graph(self, graph: str | None) -> bytes | None:
        """One graph as N-Triples through the Graph Store Protocol (None when not configured,
        or when the engine does not have the graph)."""
        url = self.endpoints.graph_store_url
        if url is None:
            return None
        target = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
        request = urllib.request.Request(
            f"{url}{'&' if '?' in url else '?'}{target}", headers={"Accept": N_TRIPLES}
        )
        try:
            with (
                _mapped("graph read"),
                self._opener().open(request, timeout=self.endpoints.timeout) as response,
            ):
                return bytes(response.read())
        except ServiceError as exc:
            if isinstance(exc.__cause__, urllib.error.HTTPError) and exc.__cause__.code == 404:
                return b""
            raise

    def _opener(self) -> urllib.request.OpenerDirector:
        # One opener a request: urllib's digest handler counts retries across requests and
        # never resets the count when the answer is an error (a 404 for a missing graph), so
        # a shared one refuses to sign in after a few such answers; it is not thread-safe
        # either.
        e = self.endpoints
        if e.graph_store_url is None or e.user is None or e.password is None:
            return urllib.request.build_opener()
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, e.graph_store_url, e.user, e.password)
        handler: urllib.request.BaseHandler = (
            urllib.request.HTTPDigestAuthHandler(passwords)
            if e.auth == "digest"
            else urllib.request.HTTPBasicAuthHandler(passwords)
        )
        return urllib.request.build_opener(handler)
