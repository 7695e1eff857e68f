"""Typed parameters of named queries: declaration, validation and conversion to RDF terms."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import Literal, NamedNode

from service.errors import ParameterProblem

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = ("iri", "concept", "string", "integer", "date", "boolean", "enum")

Term = NamedNode | Literal

__all__ = ["TYPES", "Parameter", "ParameterProblem", "Term"]


@dataclass(frozen=True)
class Parameter:
    """One declared parameter: bound to the query variable of the same name."""

    name: str
    type: str
    description: dict[str, str] = field(default_factory=dict)
    required: bool = False
    default: str | None = None
    example: str | None = None
    values: tuple[str, ...] = ()
    rdf_class: str | None = None
    scheme: str | None = None
    lang: str | None = None
    minimum: int | None = None
    maximum: int | None = None

    @classmethod
    def from_header(cls, name: str, spec: dict[str, Any]) -> Parameter:
        """Build a parameter from its header entry; raises ValueError on a bad declaration."""
        kind = str(spec.get("type", "string"))
        if kind not in TYPES:
            raise ValueError(f"parameter {name!r} has unknown type {kind!r}")
        if kind == "enum" and not spec.get("values"):
            raise ValueError(f"enum parameter {name!r} declares no values")
        if kind == "concept" and not spec.get("scheme"):
            raise ValueError(f"concept parameter {name!r} declares no scheme")

        def text(key: str) -> str | None:
            value = spec.get(key)
            if value is None:
                return None
            return str(value).lower() if isinstance(value, bool) else str(value)

        return cls(
            name=name,
            type=kind,
            description={str(k): str(v) for k, v in (spec.get("description") or {}).items()},
            required=bool(spec.get("required", False)),
            default=text("default"),
            example=text("example"),
            values=tuple(str(v) for v in spec.get("values") or ()),
            rdf_class=text("class"),
            scheme=text("scheme"),
            lang=text("lang"),
            minimum=spec.get("min"),
            maximum=spec.get("max"),
        )

    def to_term(self, raw: str) -> Term:
        """Convert a request value to the RDF term it stands for, or raise ParameterProblem."""
        if self.type in ("iri", "concept"):
            return self._iri(raw)
        if self.type == "integer":
            return self._integer(raw)
        if self.type == "date":
            try:
                day = datetime.date.fromisoformat(raw)
            except ValueError:
                raise ParameterProblem(self.name, f"{raw!r} is not a date (YYYY-MM-DD)") from None
            return Literal(day.isoformat(), datatype=NamedNode(XSD + "date"))
        if self.type == "boolean":
            lowered = raw.strip().lower()
            if lowered not in ("true", "false", "1", "0"):
                raise ParameterProblem(self.name, f"{raw!r} is not a boolean (true or false)")
            value = "true" if lowered in ("true", "1") else "false"
            return Literal(value, datatype=NamedNode(XSD + "boolean"))
        if self.type == "enum":
            if raw not in self.values:
                allowed = ", ".join(self.values)
                raise ParameterProblem(self.name, f"{raw!r} is not one of: {allowed}")
            return Literal(raw)
        if self.lang:
            return Literal(raw, language=self.lang)
        return Literal(raw)

    def _iri(self, raw: str) -> NamedNode:
        if ":" not in raw:
            raise ParameterProblem(self.name, f"{raw!r} is not an absolute IRI")
        try:
            return NamedNode(raw)
        except ValueError as exc:
            raise ParameterProblem(self.name, f"{raw!r} is not a valid IRI: {exc}") from None

    def _integer(self, raw: str) -> Literal:
        try:
            number = int(raw.strip())
        except ValueError:
            raise ParameterProblem(self.name, f"{raw!r} is not an integer") from None
        if self.minimum is not None and number < self.minimum:
            raise ParameterProblem(self.name, f"{number} is below the minimum {self.minimum}")
        if self.maximum is not None and number > self.maximum:
            raise ParameterProblem(self.name, f"{number} is above the maximum {self.maximum}")
        return Literal(str(number), datatype=NamedNode(XSD + "integer"))
