"""The project's exceptions and their one mapping to RFC 9457 problem responses."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from service.validation.report import Labels
    from service.validation.results import Report

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


class TripleTermUnsupported(BadRequest):
    """Data holding an RDF 1.2 triple term: it parses, but the quality gate's SHACL engine
    (pySHACL on rdflib) has no such term, so no write holding one could be judged."""

    title = "Triple terms are not supported"

    def __init__(self, where: str) -> None:
        super().__init__(
            "RDF 1.2 triple terms (<<( … )>>, or the << … >> of a reifier) are not supported: "
            f"the quality gate cannot judge them ({where})"
        )


class ParameterProblem(BadRequest, ValueError):
    """A request parameter has a value the operation cannot take; names it and says why."""

    title = "Invalid parameter"

    def __init__(self, parameter: str, reason: str) -> None:
        super().__init__(f"parameter {parameter!r}: {reason}")
        self.parameter = parameter
        self.reason = reason

    def problem(self) -> dict[str, object]:
        body = super().problem()
        body["parameter"] = self.parameter
        body["reason"] = self.reason
        return body


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


class ResultTooLarge(ServiceError):
    """A query's answer has more rows or bytes than the configured caps allow."""

    status = 400
    title = "Result too large"


class TooManyRequests(ServiceError):
    """A client sent more requests than its rate limit allows; says when to come back."""

    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(retry_after, 1))})


class QueryTimeout(ServiceError):
    """A query ran longer than the time limit and was stopped."""

    status = 503
    title = "Query time limit exceeded"


class NotComputedYet(ServiceError):
    """A summary of the whole data (the dumps, the statistics) is being computed for the first
    time since the service started; says when to ask again."""

    status = 503
    title = "Not computed yet"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(retry_after, 1))})


class WorkerProblem(ServiceError):
    """A problem a query worker process reported, carried over as its problem document."""

    def __init__(self, document: dict[str, object], headers: Mapping[str, str]) -> None:
        super().__init__(str(document.get("detail", "")), headers=headers)
        self.status = int(document.get("status", 500))  # type: ignore[call-overload]
        self.title = str(document.get("title", "Internal error"))
        self.document = document

    def problem(self) -> dict[str, object]:
        return dict(self.document)


class UnsupportedMediaType(ServiceError):
    """The request body's media type or charset is not one the endpoint reads."""

    status = 415
    title = "Unsupported media type"


class ShapeViolation(ServiceError):
    """A write would leave data that violates the SHACL shapes; carries the validation report
    and the labels of the nodes it names, so it can be shown in Finnish or English."""

    status = 422
    title = "Shape violation"

    def __init__(self, report: Report, labels: Labels | None = None) -> None:
        count = len(report.violations)
        super().__init__(
            f"the write would leave {count} violation{'s' if count != 1 else ''} of the "
            "shapes; nothing was changed"
        )
        self.report = report
        self.labels: Labels = labels or {}
        # Set by a tool's JSON API: the messages by the form fields they concern.
        self.fields: dict[str, object] | None = None

    def problem(self, language: str = "fi") -> dict[str, object]:
        from service.validation.report import summary

        body = super().problem()
        body["report"] = summary(self.report, self.labels, language)
        if self.fields is not None:
            body["fields"] = self.fields
        return body


class PhaseRequirementsMissing(ShapeViolation):
    """A forum may not move to a lifecycle phase while it lacks what that phase requires: the
    phase shapes' findings (Warnings in the shapes, findings to report) block a phase change."""

    title = "Phase requirements missing"

    def __init__(self, report: Report, labels: Labels | None = None, phase: str = "") -> None:
        super().__init__(report, labels)
        self.detail = (
            f"the forum lacks {len(report.findings)} of the things the lifecycle phase <{phase}> "
            "requires; the phase was not changed"
        )
        self.args = (self.detail,)


def problem_body(error: ServiceError, language: str = "fi") -> bytes:
    """The error serialised as ``application/problem+json``."""
    problem = error.problem(language) if isinstance(error, ShapeViolation) else error.problem()
    return json.dumps(problem, ensure_ascii=False).encode()


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


def error_body(
    error: ServiceError, accept: str | None, accept_language: str | None = None
) -> tuple[bytes, str]:
    """The one rendering of an error: problem+json, or the same facts in the RDF format the
    client asked for (for a shape violation, the W3C validation report)."""
    from service.language import preferred_language

    media_type = wants_rdf(accept)
    if media_type is None:
        return problem_body(error, preferred_language(accept_language)), PROBLEM_JSON
    if isinstance(error, ShapeViolation):
        from service.validation.report import report_rdf

        return report_rdf(error.report, media_type), media_type
    import pyoxigraph as ox

    from service.sparql.formats import rdf_format_for_media_type
    from service.store.oxigraph_result import rdf_format

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


class StoreUnavailable(ServiceError):
    """The remote SPARQL engine behind the service cannot be reached."""

    status = 503
    title = "Store unavailable"


class StoreFailure(ServiceError):
    """The remote SPARQL engine failed in a way that is not the client's doing."""

    status = 502
    title = "Store error"


# SQLSTATE classes an engine reports for a request's own mistakes: data exceptions, syntax
# errors and rule violations (Virtuoso writes them as "Virtuoso 22023 Error ...").
_CLIENT_SQLSTATE = re.compile(r"\b(?:22|37|42)[0-9A-Z]{3} Error\b")


def engine_error(status: int | None, message: str, operation: str) -> ServiceError:
    """The one mapping of a remote engine's failure to a problem response.

    ``status`` is the engine's HTTP status (None: no answer at all), ``operation`` says what
    was asked ("query", "update", ...). The engine's 4xx, and the SQL errors it sends for a
    request's own mistakes, are the client's (400); anything else is the engine's (502/503).
    """
    detail = message.strip() or "no details"
    if status is None:
        return StoreUnavailable(f"the SPARQL engine did not answer the {operation}: {detail}")
    if status in (401, 403):
        return StoreFailure(
            f"the SPARQL engine refused the service's credentials for the {operation} "
            f"(HTTP {status}); check the OSAAMISKARTTA_REMOTE_* settings"
        )
    if status == 404:
        return StoreFailure(f"the SPARQL engine has no endpoint for the {operation} (HTTP 404)")
    if status in (408, 504) or "timeout" in detail.lower():
        return StoreUnavailable(f"the SPARQL engine timed out on the {operation}: {detail}")
    if 400 <= status < 500 or _CLIENT_SQLSTATE.search(detail):
        # Virtuoso says "syntax error"; Oxigraph gives the parser's position ("error at 1:9").
        lowered = detail.lower()
        if "syntax" in lowered or "parse" in lowered or _POSITION.search(detail):
            return SyntaxProblem(f"SPARQL {operation}: {detail}", language=f"SPARQL {operation}")
        return BadRequest(f"the SPARQL engine refused the {operation}: {detail}")
    return StoreFailure(f"the SPARQL engine failed on the {operation} (HTTP {status}): {detail}")
