"""The project's exceptions and their one mapping to RFC 9457 problem responses."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

PROBLEM_JSON = "application/problem+json"

_POSITION = re.compile(r"(?:error at|at line) (\d+)(?::| column )(\d+)")


class ServiceError(Exception):
    """Base of every error the service reports to a client."""

    status: int = 500
    title: str = "Internal error"

    def __init__(self, detail: str, *, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers: dict[str, str] = dict(headers or {})

    def problem(self) -> dict[str, object]:
        """The RFC 9457 problem document for this error."""
        return {
            "type": "about:blank",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }


class BadRequest(ServiceError):
    """The request is malformed (protocol level)."""

    status = 400
    title = "Bad request"


class SyntaxProblem(BadRequest):
    """A query, update or RDF payload does not parse; carries the parser's position."""

    title = "Syntax error"

    def __init__(
        self,
        detail: str,
        *,
        line: int | None = None,
        column: int | None = None,
        language: str = "SPARQL",
    ) -> None:
        if line is None and (m := _POSITION.search(detail)):
            line, column = int(m.group(1)), int(m.group(2))
        super().__init__(detail)
        self.line, self.column, self.language = line, column, language

    @classmethod
    def from_exception(cls, exc: BaseException, language: str) -> SyntaxProblem:
        """Wrap a parser exception (pyoxigraph raises SyntaxError)."""
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "offset", None)
        message = exc.args[0] if exc.args else str(exc)
        return cls(str(message), line=line, column=column, language=language)

    def problem(self) -> dict[str, object]:
        body = super().problem()
        body["language"] = self.language
        if self.line is not None:
            body["line"] = self.line
            body["column"] = self.column
        return body


class Unauthorized(ServiceError):
    """A write came without credentials."""

    status = 401
    title = "Unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="osaamiskartta"'})


class Forbidden(ServiceError):
    """A write came with the wrong credentials, or the service is read-only."""

    status = 403
    title = "Forbidden"


class NotFound(ServiceError):
    """The named graph or resource does not exist."""

    status = 404
    title = "Not found"


class MethodNotAllowed(ServiceError):
    """The resource does not support the request's method."""

    status = 405
    title = "Method not allowed"

    def __init__(self, detail: str, allow: tuple[str, ...]) -> None:
        super().__init__(detail, headers={"Allow": ", ".join(allow)})


class NotAcceptable(ServiceError):
    """No representation matches the Accept header or the format parameter."""

    status = 406
    title = "Not acceptable"


class PayloadTooLarge(ServiceError):
    """The request body is larger than the configured limit."""

    status = 413
    title = "Payload too large"


class UnsupportedMediaType(ServiceError):
    """The request body's media type or charset is not one the endpoint reads."""

    status = 415
    title = "Unsupported media type"


class ShapeViolation(ServiceError):
    """A write would leave data that violates the SHACL shapes (reserved for the gate)."""

    status = 422
    title = "Shape violation"


def problem_body(error: ServiceError) -> bytes:
    """The error serialised as ``application/problem+json``."""
    return json.dumps(error.problem(), ensure_ascii=False).encode()


def wants_rdf(accept: str | None) -> str | None:
    """The RDF media type an Accept header asks for before problem+json, if any."""
    from service.sparql.conneg import parse_accept
    from service.sparql.formats import RDF_FORMATS

    ranges = sorted(parse_accept(accept), key=lambda r: (-r.q, r.order))
    for r in ranges:
        if r.q <= 0 or r.type == "*" or r.subtype == "*":
            continue
        media_type = f"{r.type}/{r.subtype}"
        if media_type in (PROBLEM_JSON, "application/json"):
            return None
        for fmt in RDF_FORMATS:
            if media_type == fmt.media_type:
                return media_type
    return None


def error_body(error: ServiceError, accept: str | None) -> tuple[bytes, str]:
    """The one rendering of an error: problem+json, or the same facts in the RDF format the
    client asked for."""
    media_type = wants_rdf(accept)
    if media_type is None:
        return problem_body(error), PROBLEM_JSON
    import pyoxigraph as ox

    from service.sparql.formats import rdf_format_for_media_type
    from service.store.oxigraph import rdf_format

    fmt = rdf_format_for_media_type(media_type)
    assert fmt is not None
    node = ox.BlankNode("problem")
    http = "http://www.w3.org/2011/http#"
    triples = [
        ox.Triple(
            node,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(http + "Response"),
        ),
        ox.Triple(
            node,
            ox.NamedNode(http + "statusCodeValue"),
            ox.Literal(
                str(error.status), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
            ),
        ),
        ox.Triple(node, ox.NamedNode(http + "reasonPhrase"), ox.Literal(error.title)),
        ox.Triple(
            node, ox.NamedNode("http://purl.org/dc/terms/description"), ox.Literal(error.detail)
        ),
    ]
    return ox.serialize(triples, format=rdf_format(fmt)) or b"", fmt.content_type
