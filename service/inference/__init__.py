"""RDFS and OWL 2 RL entailments, materialised in their own graph and kept in step with writes."""

from service.inference.datasets import asserted_only
from service.inference.maintainer import InferenceMaintainer
from service.inference.vocabulary import inferred_graph

__all__ = ["InferenceMaintainer", "asserted_only", "inferred_graph"]
