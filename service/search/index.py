"""The full-text index: SQLite FTS5 over analysed terms, one row per resource.

Each resource's searchable literals are kept verbatim (for labels and highlighting) and as
terms (see ``service.search.analyzer``) in three weighted columns. A fingerprint of the indexed
quads, kept with the index, tells at start-up whether the index still matches the store.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from service.search import analyzer
from service.search.fields import ALT, COLUMNS, TITLE, WEIGHTS

MEMORY = ":memory:"
NAME_COLUMNS = (TITLE, ALT)
# Longest substring expansion of one query word (compound parts found inside other words).
MAX_EXPANSIONS = 64
MIN_INFIX = 4
MAX_QUERY_WORDS = 12
MASK = (1 << 63) - 1
# Added to the score per tier of match quality (see SearchIndex._ranked).
TIER_BONUS = 100.0
# How many matches a search ranks and filters at most.
SCAN_CAP = 50_000

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS resources (id INTEGER PRIMARY KEY, iri TEXT UNIQUE NOT NULL);
CREATE TABLE IF NOT EXISTS texts (
    resource INTEGER NOT NULL, field TEXT NOT NULL, lang TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS texts_resource ON texts(resource);
CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(
    {", ".join(COLUMNS)}, tokenize = 'unicode61 remove_diacritics 0');
-- Every term ever indexed, by trigrams: finds the compounds a query word is part of.
CREATE VIRTUAL TABLE IF NOT EXISTS term_grams USING fts5(term, tokenize = 'trigram');
-- Each resource's names (the title field), lower-cased, by trigrams: which resources have a
-- name that may contain a text (named queries that look for a substring of a name).
CREATE VIRTUAL TABLE IF NOT EXISTS title_grams
    USING fts5(value, tokenize = 'trigram case_sensitive 1');
"""


@dataclass(frozen=True, slots=True)
class Text:
    """One searchable literal of a resource."""

    field: str
    lang: str
    value: str


@dataclass(frozen=True)
class Match:
    """A resource that matched, its BM25 score (higher is better) and its texts."""

    iri: str
    score: float
    texts: tuple[Text, ...]


@dataclass(frozen=True)
class Terms:
    """What a query looks for: per word, term prefixes and whole terms found inside words."""

    prefixes: tuple[frozenset[str], ...]
    inside: tuple[frozenset[str], ...]

    def fts(self, inside: bool = True) -> str:
        """The FTS5 MATCH expression: every word must match one of its forms (``inside``
        False: only words that begin with a form)."""
        groups = []
        for prefixes, found in zip(self.prefixes, self.inside, strict=True):
            forms = [f'"{p}"*' for p in sorted(prefixes)]
            forms += [f'"{t}"' for t in sorted(found)] if inside else []
            groups.append("(" + " OR ".join(forms) + ")")
        return " AND ".join(groups)

    def marks(self, term: str) -> bool:
        """True when an indexed term is one of the query's matches (for highlighting)."""
        return any(
            term.startswith(tuple(p)) or term in i
            for p, i in zip(self.prefixes, self.inside, strict=True)
        )


class SearchIndex:
    """One SQLite database; a lock serialises its use across the service's threads.

    A file is kept in write-ahead-log mode, so that other processes (the query workers) read
    it while the service writes, neither waiting for the other."""

    def __init__(self, path: str = MEMORY, *, read_only: bool = False) -> None:
        self.path = path
        target, uri = path, False
        if read_only:
            target, uri = Path(path).resolve().as_uri() + "?mode=ro", True
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None, uri=uri)
        self._lock = threading.RLock()
        # Moves on with every change, so answers cached elsewhere can tell they are stale.
        self.generation = 0
        self._known: set[str] = set()
        if read_only:
            return
        with self._lock:
            if path != MEMORY:
                self._db.execute("PRAGMA journal_mode=WAL")
            had_titles = self._has_table("title_grams")
            self._db.executescript(_SCHEMA)
            if not had_titles:  # an index made before the table was: fill it once
                with self._transaction() as db:
                    names = db.execute(
                        "SELECT resource, group_concat(value, char(10)) FROM texts "
                        "WHERE field = ? GROUP BY resource",
                        (TITLE,),
                    )
                    # Lower-cased here: SQLite's lower() knows ASCII letters only.
                    db.executemany(
                        "INSERT INTO title_grams (rowid, value) VALUES (?, ?)",
                        [(resource, value.lower()) for resource, value in names],
                    )
            self._known = {row[0] for row in self._db.execute("SELECT term FROM term_grams")}

    def notice_changes(self) -> None:
        """Move the generation on if another process has committed a change since the last
        call (SQLite's data_version): for a reader of an index another process keeps."""
        with self._lock:
            self.generation = int(self._db.execute("PRAGMA data_version").fetchone()[0])

    @classmethod
    def read_only(cls, path: str) -> SearchIndex:
        """The index file at ``path``, opened for reading (another process keeps it)."""
        return cls(path, read_only=True)

    def close(self) -> None:
        """Release the database."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- bookkeeping -------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        """A value kept with the index (fingerprint, format)."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, db: sqlite3.Connection, key: str, value: str) -> None:
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def size(self) -> int:
        """How many resources are indexed."""
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM resources").fetchone()[0])

    # -- writing -----------------------------------------------------------------------

    def replace(
        self,
        documents: Iterable[tuple[str, Sequence[Text]]],
        *,
        fingerprint: int,
        clear: bool = False,
    ) -> None:
        """Set the texts of resources (an empty list removes one) in one transaction, and
        record the fingerprint of the indexed quads after the change."""
        with self._transaction() as db:
            if clear:
                for table in ("texts", "resources", "docs", "term_grams", "title_grams"):
                    db.execute(f"DELETE FROM {table}")
                self._known.clear()
            for iri, texts in documents:
                self._replace_one(db, iri, texts)
            self._set_meta(db, "fingerprint", str(fingerprint))
            self.generation += 1

    def _replace_one(self, db: sqlite3.Connection, iri: str, texts: Sequence[Text]) -> None:
        row = db.execute("SELECT id FROM resources WHERE iri = ?", (iri,)).fetchone()
        if row is not None:
            db.execute("DELETE FROM docs WHERE rowid = ?", (row[0],))
            db.execute("DELETE FROM title_grams WHERE rowid = ?", (row[0],))
            db.execute("DELETE FROM texts WHERE resource = ?", (row[0],))
            if not texts:
                db.execute("DELETE FROM resources WHERE id = ?", (row[0],))
                return
            rowid = int(row[0])
        elif not texts:
            return
        else:
            cursor = db.execute("INSERT INTO resources (iri) VALUES (?)", (iri,))
            rowid = int(cursor.lastrowid or 0)
        columns: dict[str, list[str]] = {c: [] for c in COLUMNS}
        for text in texts:
            columns[text.field].append(analyzer.index_terms(text.value, text.lang))
        new = {t for c in columns.values() for part in c for t in part.split()} - self._known
        if new:
            # Terms are never taken out: a stale one only expands a query to nothing.
            db.executemany("INSERT INTO term_grams (term) VALUES (?)", [(t,) for t in new])
            self._known |= new
        db.execute(
            f"INSERT INTO docs (rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?)",
            (rowid, *(" ".join(columns[c]) for c in COLUMNS)),
        )
        db.executemany(
            "INSERT INTO texts VALUES (?, ?, ?, ?)",
            [(rowid, t.field, t.lang, t.value) for t in texts],
        )
        if titles := [t.value for t in texts if t.field == TITLE]:
            names = "\n".join(titles).lower()
            db.execute("INSERT INTO title_grams (rowid, value) VALUES (?, ?)", (rowid, names))

    def _has_table(self, name: str) -> bool:
        found = self._db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,))
        return found.fetchone() is not None

    # -- reading -----------------------------------------------------------------------

    def name_matches(self, text: str, cap: int) -> list[str] | None:
        """The resources with a name (title field) that may contain ``text``, ignoring case: a
        superset, for a query that checks the names itself. None when the index cannot
        narrow them down: a text under three characters, or more than ``cap`` resources."""
        needle = text.lower()
        if len(needle) < 3:
            return None
        phrase = '"' + needle.replace('"', '""') + '"'
        with self._lock:
            rows = self._db.execute(
                "SELECT iri FROM title_grams JOIN resources ON resources.id = title_grams.rowid "
                "WHERE title_grams MATCH ? LIMIT ?",
                (phrase, cap + 1),
            ).fetchall()
        return None if len(rows) > cap else [str(row[0]) for row in rows]

    def terms(self, query: str) -> Terms | None:
        """The query's terms (None when it has no words); substring expansions come from the
        index's vocabulary, so that "ohjaus" also finds "uraohjaus"."""
        words = analyzer.query_words(query)[:MAX_QUERY_WORDS]
        if not words:
            return None
        prefixes: list[frozenset[str]] = []
        inside: list[frozenset[str]] = []
        with self._lock:
            for word in words:
                forms = frozenset(
                    analyzer.query_prefix(t)
                    for t in (analyzer.finnish_term(word), analyzer.english_term(word))
                    if t
                )
                prefixes.append(forms)
                found: set[str] = set()
                for form in forms:
                    if len(form) < MIN_INFIX:
                        continue
                    rows = self._db.execute(
                        "SELECT term FROM term_grams WHERE term_grams MATCH ? LIMIT ?",
                        (f'"{form}"', MAX_EXPANSIONS),
                    ).fetchall()
                    found.update(r[0] for r in rows if not r[0].startswith(form))
                inside.append(frozenset(found))
        return Terms(tuple(prefixes), tuple(inside))

    def _ranked(self, terms: Terms, cap: int) -> list[tuple[int, str, float]]:
        """Matches best first, in tiers: every query word begins a word of a name; every
        word begins a word anywhere; a word matches only inside a compound. BM25 orders each
        tier, and a tier is only evaluated when the ones before it do not fill ``cap``."""
        direct, anywhere = terms.fts(inside=False), terms.fts()
        in_names = f"{{{' '.join(NAME_COLUMNS)}}} : ({direct})"
        tiers = [(in_names, 2 * TIER_BONUS), (f"({direct}) NOT ({in_names})", TIER_BONUS)]
        if any(terms.inside):
            tiers.append((f"({anywhere}) NOT ({direct})", 0.0))
        weights = ", ".join(str(w) for w in WEIGHTS)
        sql = (
            "SELECT resources.id, resources.iri, ranked.score FROM ("
            f"SELECT rowid, bm25(docs, {weights}) AS score FROM docs WHERE docs MATCH ? "
            "ORDER BY score LIMIT ?) AS ranked "
            "JOIN resources ON resources.id = ranked.rowid ORDER BY ranked.score"
        )
        ranked: list[tuple[int, str, float]] = []
        with self._lock:
            for expression, bonus in tiers:
                if len(ranked) >= cap:
                    break
                rows = self._db.execute(sql, (expression, cap - len(ranked))).fetchall()
                ranked += [(rowid, iri, bonus - float(score)) for rowid, iri, score in rows]
        return ranked

    def search(
        self,
        terms: Terms,
        keep: Callable[[str], bool] | None,
        offset: int,
        limit: int,
        cap: int,
    ) -> tuple[list[Match], int]:
        """The best matches in rank order from ``offset`` (at most ``limit``) among those
        ``keep`` accepts (None: all), and how many there are (counting stops at ``cap``)."""
        chosen: list[tuple[int, str, float]] = []
        total = 0
        if keep is None:
            chosen = self._ranked(terms, offset + limit)[offset:]
            with self._lock:
                total = int(
                    self._db.execute(
                        "SELECT count(*) FROM docs WHERE docs MATCH ?", (terms.fts(),)
                    ).fetchone()[0]
                )
            matches = [Match(iri, score, self._texts(rowid)) for rowid, iri, score in chosen]
            return matches, min(total, cap)
        for rowid, iri, score in self._ranked(terms, SCAN_CAP):
            if total >= cap:
                break
            if not keep(iri):
                continue
            if offset <= total < offset + limit:
                chosen.append((rowid, iri, score))
            total += 1
        return [Match(iri, score, self._texts(rowid)) for rowid, iri, score in chosen], total

    def scores(self, terms: Terms, cap: int) -> dict[str, float]:
        """Every matching resource (at most ``cap``, best first) with its score."""
        return {iri: score for _, iri, score in self._ranked(terms, cap)}

    def _texts(self, rowid: int) -> tuple[Text, ...]:
        with self._lock:
            rows = self._db.execute(
                "SELECT field, lang, value FROM texts WHERE resource = ?", (rowid,)
            ).fetchall()
        return tuple(Text(*row) for row in rows)


def quad_hash(text: str) -> int:
    """The hash of one indexed quad (its N-Quads form) for the order-free fingerprint."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big") & MASK


def combine(fingerprint: int, added: Iterable[str], removed: Iterable[str]) -> int:
    """The fingerprint after quads were added and removed (a sum, so order does not matter)."""
    value = fingerprint + sum(map(quad_hash, added)) - sum(map(quad_hash, removed))
    return value & MASK
