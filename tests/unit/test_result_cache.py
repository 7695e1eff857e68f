"""The result cache: bounded in bytes, least recently used out, one data version at a time."""

from __future__ import annotations

from service.result_cache import ResultCache
from service.sparql.endpoint import Payload
from service.sparql.formats import SPARQL_JSON


def answer(size: int) -> Payload:
    return Payload(SPARQL_JSON, b"x" * size)


def test_an_answer_is_found_again_at_the_same_version_only() -> None:
    cache = ResultCache(1 << 20)
    cache.put(1, "q", answer(10))
    assert cache.get(1, "q") == answer(10)
    assert cache.get(2, "q") is None  # a write moved the version on
    assert len(cache) == 0 and cache.size == 0
    assert cache.hits == 1


def test_an_answer_computed_before_a_seen_write_is_not_kept() -> None:
    cache = ResultCache(1 << 20)
    assert cache.get(5, "q") is None
    cache.put(4, "q", answer(10))
    assert cache.get(5, "q") is None and len(cache) == 0
    assert cache.get(4, "q") is None  # an older version never empties the newer one


def test_the_least_recently_used_answers_go_first_when_the_budget_is_full() -> None:
    cache = ResultCache(16 * 4096)  # 17 entries of 3,500 bytes (and their overhead) fit
    for name in ("a", "b", "c"):
        cache.put(1, name, answer(3500))
    cache.get(1, "a")  # now "b" is the least recently used
    for n in range(15):
        cache.put(1, n, answer(3500))
    assert cache.size <= cache.max_bytes and len(cache) == 17
    assert cache.get(1, "b") is None
    assert cache.get(1, "a") is not None and cache.get(1, "c") is not None
    assert cache.get(1, 14) is not None


def test_an_answer_larger_than_a_sixteenth_of_the_budget_is_not_kept() -> None:
    cache = ResultCache(16_000)
    cache.put(1, "big", answer(2000))
    cache.put(1, "small", answer(100))
    assert cache.get(1, "big") is None and cache.get(1, "small") is not None


def test_a_zero_budget_is_off() -> None:
    cache = ResultCache(0)
    assert not cache.enabled
    cache.put(1, "q", answer(1))
    assert cache.get(1, "q") is None
