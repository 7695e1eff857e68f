"""SPARQL 1.1 Protocol: turn an HTTP request into a query, an update, or a description request.

Pure functions over plain values; no web framework types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

from pyoxigraph import NamedNode

from service.errors import BadRequest, MethodNotAllowed, UnsupportedMediaType
from service.inference.datasets import wants_inference
from service.store.base import QueryDataset

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class HttpRequest:
    """The parts of an HTTP request the protocol looks at."""

    method: str
    params: tuple[tuple[str, str], ...]  # the decoded URL query string, in order
    content_type: str | None = None
    body: bytes = b""


@dataclass(frozen=True)
class QueryOperation:
    """A SPARQL query with its protocol dataset (None: the service's default dataset)."""

    query: str
    dataset: QueryDataset | None
    format: str | None = None
    # False: asserted triples only (``inference=false``), without the inferred graph.
    inference: bool = True


@dataclass(frozen=True)
class UpdateOperation:
    """A SPARQL update with the protocol's USING graphs."""

    update: str
    using_graphs: tuple[str, ...] = ()
    using_named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class DescriptionRequest:
    """A GET without a query: the client wants the service description."""

    format: str | None = None


Operation = QueryOperation | UpdateOperation | DescriptionRequest


def media_type_of(content_type: str | None) -> tuple[str, dict[str, str]]:
    """Split a Content-Type header into a lowercase media type and its parameters."""
    if not content_type:
        return "", {}
    head, *rest = content_type.split(";")
    params: dict[str, str] = {}
    for item in rest:
        key, _, value = item.partition("=")
        params[key.strip().lower()] = value.strip().strip('"')
    return head.strip().lower(), params


def decode_utf8(body: bytes, what: str) -> str:
    """Decode a body that must be UTF-8."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the {what} is not valid UTF-8 (byte {exc.start})") from exc


def _check_charset(params: dict[str, str]) -> None:
    charset = params.get("charset")
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset {charset!r} is not supported; send UTF-8")


def _values(params: Sequence[tuple[str, str]], name: str) -> list[str]:
    return [v for k, v in params if k == name]


def _single(params: Sequence[tuple[str, str]], name: str) -> str | None:
    values = _values(params, name)
    if len(values) > 1:
        raise BadRequest(f"the request has {len(values)} '{name}' parameters; send exactly one")
    return values[0] if values else None


def _iris(params: Sequence[tuple[str, str]], name: str) -> tuple[str, ...]:
    """The values of a dataset parameter, each checked to be an IRI."""
    values = _values(params, name)
    for value in values:
        try:
            NamedNode(value)
        except ValueError as exc:
            raise BadRequest(f"{name}={value!r} is not a valid IRI: {exc}") from exc
    return tuple(values)


def _format_param(params: Sequence[tuple[str, str]]) -> str | None:
    values = _values(params, "format") or _values(params, "output")
    return values[0] if values else None


def _query_op(query: str, params: Sequence[tuple[str, str]]) -> QueryOperation:
    defaults = _iris(params, "default-graph-uri")
    named = _iris(params, "named-graph-uri")
    dataset = QueryDataset(defaults, named) if defaults or named else None
    inference = wants_inference(_values(params, "inference"))
    return QueryOperation(query, dataset, _format_param(params), inference)


def _update_op(update: str, params: Sequence[tuple[str, str]]) -> UpdateOperation:
    return UpdateOperation(
        update,
        _iris(params, "using-graph-uri"),
        _iris(params, "using-named-graph-uri"),
    )


def parse_form(body: bytes) -> list[tuple[str, str]]:
    """Decode an ``application/x-www-form-urlencoded`` body."""
    text = decode_utf8(body, "form body")
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the form body cannot be decoded: {exc}") from exc


def parse_request(request: HttpRequest, *, accepts_queries: bool = True) -> Operation:
    """Read a protocol request; ``accepts_queries`` False for the update-only endpoint.

    Raises BadRequest (400), MethodNotAllowed (405) or UnsupportedMediaType (415).
    """
    allow = ("GET", "POST") if accepts_queries else ("POST",)
    method = request.method.upper()
    if method not in allow and not (method == "HEAD" and accepts_queries):
        raise MethodNotAllowed(f"{method} is not supported here", allow)
    params = list(request.params)
    if method in ("GET", "HEAD"):
        if _values(params, "update"):
            raise BadRequest("a SPARQL update must be sent with POST")
        query = _single(params, "query")
        if query is None:
            return DescriptionRequest(_format_param(params))
        return _query_op(query, params)

    media_type, ct_params = media_type_of(request.content_type)
    if media_type == FORM:
        _check_charset(ct_params)
        params += parse_form(request.body)
        query = _single(params, "query")
        update = _single(params, "update")
        if query is not None and update is not None:
            raise BadRequest("send either 'query' or 'update', not both")
        if query is not None:
            if not accepts_queries:
                raise BadRequest("this endpoint takes SPARQL updates; send queries to /sparql")
            return _query_op(query, params)
        if update is not None:
            return _update_op(update, params)
        raise BadRequest("the form has neither a 'query' nor an 'update' parameter")
    if media_type == SPARQL_QUERY and accepts_queries:
        _check_charset(ct_params)
        if _values(params, "query"):
            raise BadRequest("the query is in the body; do not repeat it in the URL")
        return _query_op(decode_utf8(request.body, "query"), params)
    if media_type == SPARQL_UPDATE:
        _check_charset(ct_params)
        if _values(params, "update"):
            raise BadRequest("the update is in the body; do not repeat it in the URL")
        return _update_op(decode_utf8(request.body, "update"), params)
    wanted = (
        f"{FORM}, {SPARQL_QUERY} or {SPARQL_UPDATE}"
        if accepts_queries
        else (f"{FORM} or {SPARQL_UPDATE}")
    )
    if not media_type:
        raise UnsupportedMediaType(f"the POST has no Content-Type; send {wanted}")
    raise UnsupportedMediaType(f"{media_type} is not accepted here; send {wanted}")
