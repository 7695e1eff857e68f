"""The HTML table of a named query's answer, rendered on the server (no scripts)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, select_autoescape

if TYPE_CHECKING:
    from service.named_queries.answer import Answer
    from service.named_queries.catalogue import SchemeConcepts


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("service", "templates"), autoescape=select_autoescape(["html"])
    )


def _language(result: Answer) -> str:
    lang = result.parameters.get("lang")
    return lang if lang in ("fi", "en") else "fi"


def _cell(term: dict[str, str] | None) -> dict[str, Any]:
    if term is None:
        return {"text": "", "href": None, "lang": None}
    if term["type"] == "uri":
        # Only web IRIs become links: a `javascript:` IRI in the data must not run.
        web = term["value"].startswith(("http://", "https://"))
        return {"text": term["value"], "href": term["value"] if web else None, "lang": None}
    return {"text": term["value"], "href": None, "lang": term.get("xml:lang")}


def answer_page(result: Answer, concepts: SchemeConcepts) -> str:
    """The page: title, description, a GET form of the parameters, the table, page links."""
    lang = _language(result)
    query = result.query
    fields = []
    for parameter in query.parameters:
        value = result.parameters.get(parameter.name)
        choices: list[tuple[str, str]] = []
        if parameter.type == "enum":
            choices = [(v, v) for v in parameter.values]
        elif parameter.scheme:
            choices = [(c.iri, c.label(lang)) for c in concepts.get(parameter.scheme, [])]
        if parameter.type == "boolean" and value is not None:
            value = "true" if value else "false"
        fields.append(
            {
                "name": parameter.name,
                "label": parameter.description.get(lang) or parameter.name,
                "type": parameter.type,
                "required": parameter.required,
                "value": "" if value is None else str(value),
                "example": parameter.example or "",
                "choices": choices,
            }
        )
    rows = [[_cell(b.get(c)) for c in result.columns] for b in result.bindings]
    return (
        _environment()
        .get_template("named_query.html")
        .render(
            lang=lang,
            title=query.title.get(lang, query.name),
            description=query.description.get(lang, ""),
            name=query.name,
            fields=fields,
            limit=result.page.limit,
            columns=result.columns,
            rows=rows,
            offset=result.page.offset,
            links=result.links,
        )
    )
