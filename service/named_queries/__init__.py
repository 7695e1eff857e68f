"""Named queries: the `.rq` files in `queries/`, their typed parameters, and how they run."""

from service.named_queries.params import Parameter, ParameterProblem
from service.named_queries.registry import NamedQuery, QueryRegistry, load_registry

__all__ = ["NamedQuery", "Parameter", "ParameterProblem", "QueryRegistry", "load_registry"]
