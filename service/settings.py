"""The service's configuration: one frozen object built from ``OSAAMISKARTTA_*`` variables."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PREFIX = "OSAAMISKARTTA_"
MEMORY = "memory"

# The repository root; the default load directories live here.
REPO_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A setting has a value the service cannot use."""


@dataclass(frozen=True)
class Settings:
    """Everything the service and the command line can be configured with."""

    store: str = MEMORY
    base_iri: str = "https://w3id.org/osaamiskartta/"
    write_token: str | None = None
    write_token_name: str = "writer"
    host: str = "127.0.0.1"
    port: int = 8000
    load_dirs: tuple[Path, ...] = field(
        default_factory=lambda: tuple(REPO_ROOT / d for d in ("ontology", "shapes", "data"))
    )
    query_workers: int = 4
    # Files at least this big that go into new graphs are bulk-loaded at start-up and by the
    # `load` command (pyoxigraph's own parser and loader; see service/loading.py).
    bulk_load_bytes: int = 4 * 1024 * 1024
    max_body_bytes: int = 64 * 1024 * 1024
    log_level: str = "info"
    # One JSON line per request on standard error (service/observability.py).
    access_log: bool = True
    queries_dir: Path = REPO_ROOT / "queries"
    max_page_size: int = 10_000
    # The DCAT catalog's publisher (default: {base}id/organisation/pohjois-savon-liitto) and its
    # organisational contact point; never a person's details.
    publisher_iri: str | None = None
    publisher_name: str = "Pohjois-Savon Liitto"
    contact_url: str = "https://www.pohjois-savo.fi/"
    contact_email: str | None = None
    # Full-text search index: a SQLite file, or `memory`; None puts it beside a disk store
    # ({store}.search.sqlite) or in memory with a memory store.
    search_index: str | None = None
    # Materialise RDFS / OWL 2 RL entailments into {base}graph/system/inferred.
    inference: bool = True
    # Exposure limits (issue 7): see service/limits.py and the README's "Safe to expose".
    query_timeout: float = 30.0
    query_processes: int = 2
    max_result_rows: int = 100_000
    max_response_bytes: int = 128 * 1024 * 1024
    max_query_length: int = 100_000
    max_update_length: int = 16 * 1024 * 1024
    outbound_allowlist: tuple[str, ...] = ()
    tokens: str | None = None
    tokens_file: Path | None = None
    rate_limit: float = 0.0
    rate_burst: int = 0
    shutdown_grace: float = 30.0
    # Answers to repeated queries kept in the main process until the next write (0: none).
    result_cache_bytes: int = 64 * 1024 * 1024
    # Named queries whose kind ran faster than this at the current data version run on the
    # event loop, without the hop to a worker thread (service/inline_reads.py; 0: never).
    inline_reads_below_ms: float = 10.0
    # A client's GET of /sparql whose last evaluation at the current data version took less CPU
    # than this is evaluated on the event loop, without the hop to a query worker (0: never).
    inline_queries_below_ms: float = 1.0
    # How long a request waits for the dumps, statistics and landing counts of the current data
    # version before it is answered with the newest ones computed (seconds; see
    # service/publishing/refreshing.py).
    publishing_wait: float = 2.0
    # A remote SPARQL engine (store = sparql+http://…/sparql): where updates and Graph Store
    # reads go when not to the query URL, its credentials, its dialect, and the graph IRI that
    # stands for the default graph on engines without a real one (Virtuoso).
    remote_update_url: str | None = None
    remote_graph_store_url: str | None = None
    remote_user: str | None = None
    remote_password: str | None = None
    remote_auth: str = "digest"
    remote_dialect: str = "standard"
    remote_default_graph: str | None = None
    remote_timeout: int = 60

    @property
    def in_memory(self) -> bool:
        """True when the store lives only in memory."""
        return self.store == MEMORY

    @property
    def search_index_location(self) -> str:
        """Where the search index lives: a file path or `memory`."""
        if self.search_index:
            return self.search_index
        # A remote engine's index is rebuilt from it at start-up.
        return self._beside_store(".search.sqlite") or MEMORY

    @property
    def dumps_directory(self) -> str | None:
        """Where the dump files are written: beside a disk store (None: a temporary directory)."""
        return self._beside_store(".dumps")

    def _beside_store(self, suffix: str) -> str | None:
        """A path next to a disk store's directory; None for a memory or remote store."""
        if self.in_memory or self.store.startswith(("sparql+http://", "sparql+https://")):
            return None
        return f"{self.store.rstrip('/')}{suffix}"

    def replace(self, **changes: object) -> Settings:
        """A copy with some settings changed (``None`` values are ignored)."""
        # Any names and values: dataclasses.replace refuses an unknown name (TypeError).
        kept: dict[str, Any] = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **kept)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Build the settings from an environment mapping; unset variables keep defaults."""

        def get(name: str) -> str | None:
            value = environ.get(PREFIX + name)
            return value if value not in (None, "") else None

        values: dict[str, object] = {}
        if (v := get("STORE")) is not None:
            values["store"] = v
        if (v := get("BASE_IRI")) is not None:
            if not v.endswith(("/", "#")):
                raise SettingsError(f"{PREFIX}BASE_IRI must end with '/' or '#': {v!r}")
            values["base_iri"] = v
        if (v := get("WRITE_TOKEN")) is not None:
            values["write_token"] = v
        if (v := get("WRITE_TOKEN_NAME")) is not None:
            values["write_token_name"] = v
        if (v := get("HOST")) is not None:
            values["host"] = v
        for name, key in (
            ("PUBLISHER_IRI", "publisher_iri"),
            ("PUBLISHER_NAME", "publisher_name"),
            ("CONTACT_URL", "contact_url"),
            ("CONTACT_EMAIL", "contact_email"),
            ("REMOTE_UPDATE_URL", "remote_update_url"),
            ("REMOTE_GRAPH_STORE_URL", "remote_graph_store_url"),
            ("REMOTE_USER", "remote_user"),
            ("REMOTE_PASSWORD", "remote_password"),
            ("REMOTE_DEFAULT_GRAPH", "remote_default_graph"),
        ):
            if (v := get(name)) is not None:
                values[key] = v
        for name, key in (
            ("PORT", "port"),
            ("QUERY_WORKERS", "query_workers"),
            ("MAX_BODY_BYTES", "max_body_bytes"),
            ("MAX_PAGE_SIZE", "max_page_size"),
            ("REMOTE_TIMEOUT", "remote_timeout"),
            ("BULK_LOAD_BYTES", "bulk_load_bytes"),
        ):
            if (v := get(name)) is not None:
                try:
                    values[key] = int(v)
                except ValueError as exc:
                    raise SettingsError(f"{PREFIX}{name} must be an integer: {v!r}") from exc
        if values.get("max_page_size", 1) < 1:  # type: ignore[operator]
            raise SettingsError(f"{PREFIX}MAX_PAGE_SIZE must be at least 1")
        if values.get("bulk_load_bytes", 0) < 0:  # type: ignore[operator]
            raise SettingsError(f"{PREFIX}BULK_LOAD_BYTES must not be negative")
        for name, key, allowed in (
            ("REMOTE_AUTH", "remote_auth", ("basic", "digest")),
            ("REMOTE_DIALECT", "remote_dialect", ("standard", "virtuoso", "jena")),
        ):
            if (v := get(name)) is not None:
                if v.lower() not in allowed:
                    raise SettingsError(f"{PREFIX}{name} must be one of {', '.join(allowed)}")
                values[key] = v.lower()
        if (v := get("LOAD_DIRS")) is not None:
            values["load_dirs"] = parse_load_dirs(v)
        if (v := get("QUERIES_DIR")) is not None:
            values["queries_dir"] = Path(v).resolve()
        if (v := get("SEARCH_INDEX")) is not None:
            values["search_index"] = v
        for name, key in (("INFERENCE", "inference"), ("ACCESS_LOG", "access_log")):
            if (v := get(name)) is not None:
                if v.lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise SettingsError(f"{PREFIX}{name} must be true or false: {v!r}")
                values[key] = v.lower() in ("true", "1", "yes")
        if (v := get("LOG_LEVEL")) is not None:
            values["log_level"] = v.lower()
        values.update(_exposure_settings(get))
        return cls(**values)  # type: ignore[arg-type]


def parse_load_dirs(value: str) -> tuple[Path, ...]:
    """Split a space- or comma-separated list of directories; ``none`` means no directories."""
    parts = [p for p in value.replace(",", " ").split() if p]
    if parts == ["none"]:
        return ()
    return tuple(Path(p).resolve() for p in parts)


def _exposure_settings(get: Callable[[str], str | None]) -> dict[str, object]:
    """The limits, outbound allowlist, tokens and rate limit of a public service."""
    values: dict[str, object] = {}
    numbers: tuple[tuple[str, str, type[int] | type[float]], ...] = (
        ("QUERY_TIMEOUT", "query_timeout", float),
        ("QUERY_PROCESSES", "query_processes", int),
        ("MAX_RESULT_ROWS", "max_result_rows", int),
        ("MAX_RESPONSE_BYTES", "max_response_bytes", int),
        ("MAX_QUERY_LENGTH", "max_query_length", int),
        ("MAX_UPDATE_LENGTH", "max_update_length", int),
        ("RATE_LIMIT", "rate_limit", float),
        ("RATE_BURST", "rate_burst", int),
        ("SHUTDOWN_GRACE", "shutdown_grace", float),
        ("RESULT_CACHE_BYTES", "result_cache_bytes", int),
        ("INLINE_READS_BELOW_MS", "inline_reads_below_ms", float),
        ("INLINE_QUERIES_BELOW_MS", "inline_queries_below_ms", float),
        ("PUBLISHING_WAIT", "publishing_wait", float),
    )
    for name, key, kind in numbers:
        if (v := get(name)) is not None:
            try:
                number = kind(v)
            except ValueError as exc:
                raise SettingsError(f"{PREFIX}{name} must be a number: {v!r}") from exc
            if number < 0 or (name in ("QUERY_TIMEOUT", "QUERY_PROCESSES") and number == 0):
                raise SettingsError(f"{PREFIX}{name} must be positive: {v!r}")
            values[key] = number
    if (v := get("OUTBOUND_ALLOWLIST")) is not None:
        values["outbound_allowlist"] = tuple(p for p in v.replace(",", " ").split() if p)
    if (v := get("TOKENS")) is not None:
        values["tokens"] = v
    if (v := get("TOKENS_FILE")) is not None:
        values["tokens_file"] = Path(v).resolve()
    return values
