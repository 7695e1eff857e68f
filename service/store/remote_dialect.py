"""What differs between SPARQL engines behind the remote store, and nothing else.

SPARQL cannot name an existing blank node, yet the quality gate must look one up and put its
triples back exactly. Some engines offer a way: Virtuoso reads ``<nodeID://b123>`` in a
triple pattern or a DATA block as its blank node ``b123``; Jena (Fuseki) reads ``<_:label>``.
Engines also report blank nodes under their own labels, which become pyoxigraph identifiers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

_SAFE = re.compile(r"[^A-Za-z0-9_]")


@dataclass(frozen=True)
class Dialect:
    """How one engine labels blank nodes in results and lets a request refer to them."""

    name: str
    # The engine's result label is this prefix plus the identifier (Virtuoso's JSON results).
    result_prefix: str = ""
    # Format of a reference to an existing blank node; None: the engine has none.
    reference: str | None = None
    # Graphs the engine keeps for itself, never shown as the service's.
    system_graphs: tuple[str, ...] = ()

    def blank_node(self, label: str) -> ox.BlankNode:
        """The pyoxigraph blank node for a label the engine returned."""
        if self.result_prefix and label.startswith(self.result_prefix):
            label = label[len(self.result_prefix) :]
        return ox.BlankNode(_SAFE.sub("_", label) or "b")

    def term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
        """The term as request text; a blank node as a reference to the engine's node."""
        if isinstance(term, ox.BlankNode):
            if self.reference is None:
                raise ValueError(f"the {self.name} dialect cannot refer to a stored blank node")
            return self.reference.format(term.value)
        return str(term)

    def is_system_graph(self, graph: str) -> bool:
        """True for the engine's own bookkeeping graphs."""
        return graph.startswith(self.system_graphs)


DIALECTS = {
    "standard": Dialect("standard"),
    "virtuoso": Dialect(
        "virtuoso",
        result_prefix="nodeID://",
        reference="<nodeID://{}>",
        system_graphs=(
            "http://www.openlinksw.com/schemas/virtrdf#",
            "http://www.w3.org/ns/ldp#",
            "http://localuriqaserver/",
            "http://www.w3.org/2002/07/owl#",
        ),
    ),
    "jena": Dialect("jena", reference="<_:{}>"),
}
