"""Units of the exposure settings: limits, tokens and rights, buckets, outbound targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.auth import authorize
from service.errors import Forbidden, Unauthorized
from service.outbound import check_outbound, outbound_targets
from service.rate_limit import TokenBuckets
from service.settings import Settings, SettingsError
from service.tokens import TokenRegistry, digest


def test_exposure_settings_are_read_and_checked() -> None:
    s = Settings.from_env(
        {
            "OSAAMISKARTTA_QUERY_TIMEOUT": "2.5",
            "OSAAMISKARTTA_MAX_RESULT_ROWS": "0",
            "OSAAMISKARTTA_OUTBOUND_ALLOWLIST": "http://a/, http://b/",
            "OSAAMISKARTTA_RATE_LIMIT": "5",
        }
    )
    assert (s.query_timeout, s.max_result_rows, s.rate_limit) == (2.5, 0, 5.0)
    assert s.outbound_allowlist == ("http://a/", "http://b/")
    assert Settings().query_timeout == 30.0 and Settings().query_processes == 2
    for name, value in (
        ("QUERY_TIMEOUT", "0"),
        ("QUERY_PROCESSES", "x"),
        ("MAX_RESULT_ROWS", "-1"),
    ):
        with pytest.raises(SettingsError):
            Settings.from_env({f"OSAAMISKARTTA_{name}": value})


def test_tokens_from_environment_and_file_with_implied_rights(tmp_path: Path) -> None:
    file = tmp_path / "tokens"
    file.write_text(f"# comment\nops admin sha256:{digest('a')}\n\nviewer read {digest('r')}\n")
    registry = TokenRegistry.from_settings(
        Settings(
            write_token="w",
            write_token_name="legacy",
            tokens=f"ed:write:{digest('e')}",
            tokens_file=file,
        )
    )
    assert authorize("Bearer w", registry, "write") == "legacy"
    assert authorize("Bearer e", registry, "write") == "ed"
    assert authorize("bearer a", registry, "admin") == "ops"
    assert authorize("Bearer a", registry, "write") == "ops"
    with pytest.raises(Forbidden):
        authorize("Bearer r", registry, "write")
    with pytest.raises(Forbidden):
        authorize("Bearer e", registry, "admin")
    with pytest.raises(Unauthorized):
        authorize("Basic e", registry, "write")
    assert "sha" not in repr(registry.tokens[0]) and digest("w") not in repr(registry.tokens)


@pytest.mark.parametrize("tokens", ["ed:write:abc", "ed:fly:" + "0" * 64, "just-a-name"])
def test_malformed_token_entries_are_refused(tokens: str) -> None:
    with pytest.raises(SettingsError):
        TokenRegistry.from_settings(Settings(tokens=tokens))


def test_without_tokens_writes_are_403_read_only() -> None:
    with pytest.raises(Forbidden, match="read-only"):
        authorize("Bearer x", TokenRegistry([]), "write")


def test_token_bucket_refills_at_its_rate() -> None:
    buckets = TokenBuckets(rate=2.0, burst=2)
    assert buckets.take("c", now=0.0) == 0 and buckets.take("c", now=0.0) == 0
    assert buckets.take("c", now=0.0) == pytest.approx(0.5)
    assert buckets.take("other", now=0.0) == 0
    assert buckets.take("c", now=1.0) == 0


def test_outbound_targets_are_found_at_any_depth_and_not_in_strings() -> None:
    text = """PREFIX s: <http://p/> SELECT * WHERE { { OPTIONAL { SERVICE SILENT <http://x/>
      { ?a s:service "SERVICE <http://no/>" } } } # SERVICE <http://comment/>
      SERVICE ?v { } }"""
    assert outbound_targets(text) == [("SERVICE", "http://x/"), ("SERVICE", None)]
    assert outbound_targets("load <file:///etc/passwd> into graph <g>") == [
        ("LOAD", "file:///etc/passwd")
    ]


def test_the_quick_keyword_test_lets_no_outbound_request_through() -> None:
    for text in (
        "SELECT * WHERE { sErViCe <http://x/> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE<http://x/>{} }",
        "Load <http://x/>",
    ):
        with pytest.raises(Forbidden):
            check_outbound(text, ())
    check_outbound("SELECT * WHERE { ?s ?p ?o }", ())  # no keyword: no scan, no refusal
    check_outbound("SELECT * WHERE { SERVICE <http://ok/x> {} }", ("http://ok/",))
    # The quick test relies on pyoxigraph reading keywords only as written, never escaped.
    import pyoxigraph

    with pytest.raises(SyntaxError):
        pyoxigraph.Store().query("SELECT * WHERE { SERV\\u0049CE <http://127.0.0.1:9/> {} }")


def test_restore_replaces_everything_even_with_blank_nodes_in_several_graphs() -> None:
    from service.backup import backup, restore
    from service.store.oxigraph import OxigraphStore
    from service.writes import Writer

    store = OxigraphStore(None)
    store.update("INSERT DATA { GRAPH <http://e/old> { <http://e/x> <http://e/p> 1 } }")
    data = (
        b'_:b <http://e/p> "1" <http://e/g1> .\n_:b <http://e/q> "2" <http://e/g2> .\n'
        b'<http://e/s> <http://e/r> _:c .\n_:c <http://e/p> "3" .\n'
    )
    restore(Writer(store), data)
    lines = backup(store).decode().splitlines()
    assert len(lines) == 4 and not any("http://e/old" in line for line in lines)
    assert store.named_graphs() == ["http://e/g1", "http://e/g2"]
