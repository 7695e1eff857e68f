"""Provenance of writes: every accepted write becomes a PROV-O activity in its own graph."""

from __future__ import annotations

import datetime
import uuid

import pyoxigraph as ox

from service.store.base import GraphChange, Store
from service.writes import STARTUP, Write, WriteContext, WriteResult

PROV = "http://www.w3.org/ns/prov#"
OK = "https://w3id.org/osaamiskartta/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SKOS_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
DCT_DESCRIPTION = ox.NamedNode("http://purl.org/dc/terms/description")
XSD = "http://www.w3.org/2001/XMLSchema#"


def provenance_graph(base_iri: str) -> str:
    """IRI of the graph holding the write records."""
    return f"{base_iri}graph/system/provenance"


def _typed(value: object, datatype: str) -> ox.Literal:
    return ox.Literal(
        str(value).lower() if isinstance(value, bool) else str(value),
        datatype=ox.NamedNode(XSD + datatype),
    )


class ProvenanceRecorder:
    """A write observer that records who wrote what, when, and how validation went."""

    def __init__(self, store: Store, base_iri: str) -> None:
        self.store = store
        self.base_iri = base_iri
        self.graph = provenance_graph(base_iri)

    def committed(self, write: Write, context: WriteContext, result: WriteResult) -> None:
        """Add the record of one committed write."""
        if context.channel == STARTUP:
            return
        now = datetime.datetime.now(datetime.UTC).isoformat()
        activity = ox.NamedNode(f"{self.base_iri}id/write/{uuid.uuid4()}")
        agent = ox.NamedNode(f"{self.base_iri}id/agent/{context.agent}")
        delta = result.delta
        triples = [
            ox.Triple(activity, RDF_TYPE, ox.NamedNode(OK + "Write")),
            ox.Triple(activity, RDF_TYPE, ox.NamedNode(PROV + "Activity")),
            ox.Triple(activity, ox.NamedNode(PROV + "wasAssociatedWith"), agent),
            ox.Triple(activity, ox.NamedNode(PROV + "endedAtTime"), _typed(now, "dateTime")),
            ox.Triple(
                activity,
                DCT_DESCRIPTION,
                ox.Literal(" ".join(filter(None, (context.channel, context.description)))),
            ),
            ox.Triple(
                activity, ox.NamedNode(OK + "triplesAdded"), _typed(len(delta.added), "integer")
            ),
            ox.Triple(
                activity, ox.NamedNode(OK + "triplesRemoved"), _typed(len(delta.removed), "integer")
            ),
            ox.Triple(
                activity,
                ox.NamedNode(OK + "validationWarnings"),
                _typed(result.report.count("Warning"), "integer"),
            ),
            ox.Triple(
                activity, ox.NamedNode(OK + "conforms"), _typed(result.report.conforms, "boolean")
            ),
            ox.Triple(agent, RDF_TYPE, ox.NamedNode(PROV + "Agent")),
            ox.Triple(agent, SKOS_LABEL, ox.Literal(context.agent)),
        ]
        for graph in sorted(delta.graphs()):
            triples.append(
                ox.Triple(activity, ox.NamedNode(PROV + "generated"), ox.NamedNode(graph))
            )
        self.store.apply([GraphChange(self.graph, tuple(triples), replace=False)])
