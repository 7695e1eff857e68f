"""What a refused submission means for its form: each shape message next to the field it
concerns (by the result's focus node and path), the rest above the form."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from service.validation.results import Finding, Report


@dataclass
class FormErrors:
    """Messages by field name; `general` for those no field owns."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def add(self, name: str | None, message: str) -> None:
        """Attach `message` to field `name` (or to the form when None), once."""
        target = self.fields.setdefault(name, []) if name else self.general
        if message not in target:
            target.append(message)

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)

    def as_json(self) -> dict[str, object]:
        """The same for the JSON API."""
        return {"fields": self.fields, "general": self.general}


FieldMap = Mapping[tuple[str, str | None], str]


def errors_from_report(
    report: Report, fields: FieldMap, language: str, severities: tuple[str, ...] = ("Violation",)
) -> FormErrors:
    """The findings of `report` placed on form fields. `fields` maps (focus IRI, path IRI) to a
    field name; (focus IRI, None) catches the focus's other paths."""
    errors = FormErrors()
    for finding in report.findings:
        if finding.severity not in severities:
            continue
        focus = str(finding.focus)
        name = fields.get((focus, finding.path)) or fields.get((focus, None))
        errors.add(name, finding.message(language))
    return errors


def on_field(name: str, findings: Iterable[Finding], language: str) -> FormErrors:
    """Every finding's message next to one field, for a form whose refusals all concern it."""
    errors = FormErrors()
    for finding in findings:
        errors.add(name, finding.message(language))
    return errors
