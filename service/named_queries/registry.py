"""The named-query registry: every `.rq` file in `queries/` with its `#+` YAML header."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
import yaml

from service.named_queries.narrowing import Narrowing, NarrowingError, choose, parse_narrowing
from service.named_queries.params import Parameter, ParameterProblem, Term
from service.sparql.functions import stand_ins

_HEADER = re.compile(r"^#\+ ?(.*)$")
_FORM = re.compile(r"^\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# The API reads these from every request itself (paging and format), so a query cannot use them.
RESERVED = frozenset({"limit", "offset", "format", "inference"})


class QueryDefinitionError(ValueError):
    """A file in `queries/` is not a valid named query."""


@dataclass(frozen=True)
class SearchBinding:
    """The header's ``search: {words: PARAMETER, binds: VARIABLE}``: the query keeps only
    resources the search index matches for the words (``okfn:textScore`` is bound for them),
    so the runner binds the variable to those matches beforehand and the engine looks up only
    them instead of scoring every resource. The answer is the same either way.

    With ``match: name``, the query keeps only resources whose skos:prefLabel contains the
    parameter's text, ignoring case; the runner binds the variable to the resources the index
    finds a name containing it for (a superset: the query still checks)."""

    words: str
    variable: str
    match: str = "words"


@dataclass(frozen=True)
class NamedQuery:
    """One published question: its texts in Finnish and English, parameters and SPARQL."""

    name: str
    title: dict[str, str]
    description: dict[str, str]
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    sparql: str
    form: str
    columns: tuple[str, ...] = ()
    source: Path | None = field(default=None, compare=False)
    search: SearchBinding | None = None
    narrowing: tuple[Narrowing, ...] = ()

    def sparql_for(self, terms: Mapping[str, Term]) -> str:
        """The text to evaluate for these parameter values: narrowed to start from the first
        given parameter that has a narrowing (service/named_queries/narrowing.py)."""
        chosen = choose(self.narrowing, terms)
        return self.sparql if chosen is None else chosen.text

    @property
    def text(self) -> str:
        """The SPARQL without the `#+` header."""
        lines = self.sparql.splitlines(keepends=True)
        start = next((i for i, line in enumerate(lines) if not _HEADER.match(line)), len(lines))
        return "".join(lines[start:]).lstrip("\n")

    def parameter(self, name: str) -> Parameter | None:
        """The declared parameter called `name`, if any."""
        return next((p for p in self.parameters if p.name == name), None)

    def resolve(self, raw: Mapping[str, str]) -> dict[str, Term]:
        """Typed terms for the given values plus defaults; ParameterProblem when one is bad."""
        unknown = sorted(set(raw) - {p.name for p in self.parameters})
        if unknown:
            raise ParameterProblem(unknown[0], "this query has no such parameter")
        terms: dict[str, Term] = {}
        for parameter in self.parameters:
            value = raw.get(parameter.name)
            if value is None or value == "":
                value = parameter.default
            if value is None:
                if parameter.required:
                    raise ParameterProblem(parameter.name, "a value is required")
                continue
            terms[parameter.name] = parameter.to_term(value)
        return terms


def parse_named_query(text: str, name: str, source: Path | None = None) -> NamedQuery:
    """Parse one `.rq` file's text; raises QueryDefinitionError when it is not valid."""
    if not _NAME.match(name):
        raise QueryDefinitionError(f"{name!r}: names are lowercase letters, digits and '-'")
    header_lines: list[str] = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match is None:
            break
        header_lines.append(match.group(1))
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as exc:
        raise QueryDefinitionError(f"{name}: the #+ header is not YAML: {exc}") from exc
    title = header.get("title") or {}
    if not {"fi", "en"} <= set(title):
        raise QueryDefinitionError(f"{name}: the header needs a title in fi and en")
    try:
        parameters = tuple(
            Parameter.from_header(str(p), spec or {})
            for p, spec in (header.get("params") or {}).items()
        )
    except ValueError as exc:
        raise QueryDefinitionError(f"{name}: {exc}") from exc
    if reserved := sorted(RESERVED & {p.name for p in parameters}):
        raise QueryDefinitionError(f"{name}: {reserved[0]!r} is reserved for the API itself")
    form = _FORM.search(text)
    if form is None:
        raise QueryDefinitionError(f"{name}: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    # Answers are published as tables (records, CSV, HTML), which only SELECT produces.
    if form.group(1).upper() != "SELECT":
        raise QueryDefinitionError(f"{name}: named queries are SELECT queries")
    try:
        empty_answer = pyoxigraph.Store().query(text, custom_functions=stand_ins())
    except SyntaxError as exc:
        raise QueryDefinitionError(f"{name}: the SPARQL does not parse: {exc}") from exc
    assert isinstance(empty_answer, pyoxigraph.QuerySolutions)
    search = _search_binding(name, header.get("search"), parameters, text)
    try:
        narrowing = parse_narrowing(header.get("narrowing"), parameters, text)
    except NarrowingError as exc:
        raise QueryDefinitionError(f"{name}: {exc}") from exc
    return NamedQuery(
        name=name,
        title={str(k): str(v) for k, v in title.items()},
        description={str(k): str(v) for k, v in (header.get("description") or {}).items()},
        tags=tuple(str(t) for t in header.get("tags") or ()),
        parameters=parameters,
        sparql=text,
        form=form.group(1).upper(),
        columns=tuple(variable.value for variable in empty_answer.variables),
        source=source,
        search=search,
        narrowing=narrowing,
    )


def _search_binding(
    name: str, spec: object, parameters: tuple[Parameter, ...], text: str
) -> SearchBinding | None:
    """The header's ``search`` entry, checked against the parameters and the SPARQL."""
    if spec is None:
        return None
    keys = set(spec) if isinstance(spec, dict) else set()
    if not {"words", "binds"} <= keys <= {"words", "binds", "match"}:
        raise QueryDefinitionError(
            f"{name}: search is {{words: PARAMETER, binds: VARIABLE, match: words | name}}"
        )
    assert isinstance(spec, dict)
    binding = SearchBinding(str(spec["words"]), str(spec["binds"]), str(spec.get("match", "words")))
    words = next((p for p in parameters if p.name == binding.words), None)
    if words is None or words.type != "string" or not words.required:
        raise QueryDefinitionError(f"{name}: search words must be a required string parameter")
    # The binding only narrows what the query itself keeps: it must keep no other resources.
    var, text_var = re.escape(binding.variable), re.escape(binding.words)
    if binding.match == "words":
        keeps = rf"okfn:textScore\s*\(\s*\?{var}\s*,\s*\?{text_var}\s*\)"
        what = f"okfn:textScore(?{binding.variable}, ?{binding.words}) scores"
    elif binding.match == "name":
        keeps = (
            rf"\?{var}\s+skos:prefLabel\s+\?(\w+)\s*\.\s*FILTER\s*\(\s*CONTAINS\s*\(\s*"
            rf"LCASE\s*\(\s*STR\s*\(\s*\?\1\s*\)\s*\)\s*,\s*LCASE\s*\(\s*\?{text_var}\s*\)\s*\)\s*\)"
        )
        what = f"with a skos:prefLabel containing ?{binding.words} (CONTAINS, LCASE)"
    else:
        raise QueryDefinitionError(f"{name}: search match is words or name")
    if not re.search(keeps, text):
        raise QueryDefinitionError(
            f"{name}: search binds ?{binding.variable}, so the query must keep only the "
            f"resources {what}"
        )
    return binding


class QueryRegistry:
    """The named queries by name, in file-name order."""

    def __init__(self, queries: list[NamedQuery]) -> None:
        self._queries = {q.name: q for q in sorted(queries, key=lambda q: q.name)}

    def __iter__(self) -> Iterator[NamedQuery]:
        return iter(self._queries.values())

    def __len__(self) -> int:
        return len(self._queries)

    def get(self, name: str) -> NamedQuery | None:
        """The query called `name`, or None."""
        return self._queries.get(name)


def load_registry(directory: Path) -> QueryRegistry:
    """Read every `*.rq` file of `directory` (none when it does not exist)."""
    if not directory.is_dir():
        return QueryRegistry([])
    return QueryRegistry(
        [
            parse_named_query(path.read_text(encoding="utf-8"), path.stem, path)
            for path in sorted(directory.glob("*.rq"))
        ]
    )
