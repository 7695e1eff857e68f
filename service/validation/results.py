"""Validation results as the service reports them."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph
from rdflib.term import Node

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class Finding:
    """One validation result: where, what and why, with the message in each language."""

    focus: Node
    severity: str
    shape: Node
    component: Node | None
    path: str | None
    value: Node | None
    messages: dict[str, str] = field(compare=False, hash=False, default_factory=dict)

    def key(self) -> tuple[object, ...]:
        """What makes two findings the same result (messages aside)."""
        return (self.focus, self.severity, self.shape, self.component, self.path, self.value)

    def message(self, language: str) -> str:
        """The message in ``language``, else English, Finnish or any."""
        for lang in (language, "en", "fi", ""):
            if lang in self.messages:
                return self.messages[lang]
        return next(iter(self.messages.values()), "")


@dataclass(frozen=True)
class Report:
    """The outcome of validating a change (or the whole store)."""

    findings: tuple[Finding, ...] = ()
    focus_count: int = 0
    graph: Graph | None = field(default=None, compare=False)

    @property
    def violations(self) -> tuple[Finding, ...]:
        """The findings that block a write."""
        return tuple(f for f in self.findings if f.severity == "Violation")

    @property
    def conforms(self) -> bool:
        """True when nothing blocks (Warnings and Infos do not)."""
        return not self.violations

    def count(self, severity: str) -> int:
        """How many findings have ``severity``."""
        return sum(1 for f in self.findings if f.severity == severity)
