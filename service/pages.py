"""HTML pages rendered with Jinja2 templates shipped in the package."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

EXAMPLE_QUERY = """SELECT ?graph (COUNT(*) AS ?triples)
WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph
ORDER BY ?graph"""


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("service", "templates"), autoescape=select_autoescape(["html"])
    )


def query_page(
    endpoint: str, update_endpoint: str, data_endpoint: str, graphs: Sequence[str]
) -> str:
    """The browser page with a query form."""
    return (
        _environment()
        .get_template("query.html")
        .render(
            endpoint=endpoint,
            update_endpoint=update_endpoint,
            data_endpoint=data_endpoint,
            graphs=graphs,
            graph_count=len(graphs),
            example=EXAMPLE_QUERY,
        )
    )
