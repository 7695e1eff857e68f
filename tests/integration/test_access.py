"""Named tokens with rights, the rate limit, admin endpoints, backup and restore."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from service.tokens import digest
from tests.conftest import FIXTURES, Service, start_service

ADMIN, EDITOR, READER = "admin-secret-1", "editor-secret-2", "reader-secret-3"
INSERT = "INSERT DATA { GRAPH <http://e/g/access> { <http://e/x> <http://e/p> 1 } }"
WHO = """SELECT ?who WHERE { GRAPH ?g { ?w <http://www.w3.org/ns/prov#wasAssociatedWith> ?a .
  ?a <http://www.w3.org/2004/02/skos/core#prefLabel> ?who } }"""


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    workdir = tmp_path_factory.mktemp("access")
    tokens_file = workdir / "tokens"
    tokens_file.write_text(
        f"# name rights digest\nops admin sha256:{digest(ADMIN)}\nreader read {digest(READER)}\n"
    )
    running = start_service(
        workdir,
        load_dirs=[FIXTURES / "graphs"],
        env={
            "OSAAMISKARTTA_TOKENS": f"editor:write:{digest(EDITOR)}",
            "OSAAMISKARTTA_TOKENS_FILE": str(tokens_file),
            "OSAAMISKARTTA_WRITE_TOKEN_NAME": "legacy-writer",
            "OSAAMISKARTTA_LOG_LEVEL": "info",
        },
    )
    yield running
    running.stop()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def write(service: Service, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(
        f"{service.url}/update",
        content=INSERT,
        headers={"Content-Type": "application/sparql-update", **headers},
    )


def test_each_token_writes_under_its_own_name_and_readers_cannot(guarded: Service) -> None:
    assert write(guarded, guarded.auth).status_code == 204  # OSAAMISKARTTA_WRITE_TOKEN
    assert write(guarded, bearer(EDITOR)).status_code == 204
    assert write(guarded, bearer(ADMIN)).status_code == 204  # admin includes write
    refused = write(guarded, bearer(READER))
    assert refused.status_code == 403 and "write right" in refused.json()["detail"]
    assert write(guarded, bearer("not-a-token")).status_code == 403
    assert write(guarded, {}).status_code == 401
    r = httpx.get(
        f"{guarded.url}/sparql",
        params={"query": WHO},
        headers={"Accept": "application/sparql-results+json"},
    )
    names = {b["who"]["value"] for b in r.json()["results"]["bindings"]}
    assert names == {"legacy-writer", "editor", "ops"}


def test_admin_endpoints_need_the_admin_right(guarded: Service) -> None:
    for path in ("/admin/reload", "/admin/revalidate"):
        assert httpx.post(f"{guarded.url}{path}").status_code == 401
        assert httpx.post(f"{guarded.url}{path}", headers=bearer(EDITOR)).status_code == 403
        assert httpx.post(f"{guarded.url}{path}", headers=guarded.auth).status_code == 403
    assert httpx.get(f"{guarded.url}/admin/backup", headers=bearer(READER)).status_code == 403
    r = httpx.post(f"{guarded.url}/admin/reload", headers=bearer(ADMIN))
    assert r.status_code == 200 and "unchanged" in r.json()
    r = httpx.post(f"{guarded.url}/admin/revalidate", headers=bearer(ADMIN))
    assert r.status_code == 202


def test_backup_and_restore_through_the_admin_api(guarded: Service) -> None:
    def dump() -> str:
        return httpx.get(f"{guarded.url}/data", headers={"Accept": "application/n-quads"}).text

    saved = httpx.get(f"{guarded.url}/admin/backup", headers=bearer(ADMIN))
    assert saved.status_code == 200
    assert "attachment" in saved.headers["content-disposition"]
    before = dump()
    assert sorted(saved.text.splitlines()) == sorted(before.splitlines())
    httpx.put(
        f"{guarded.url}/data",
        params={"graph": "http://e/g/later"},
        content="<http://e/later> <http://e/p> 2 .",
        headers={"Content-Type": "text/turtle", **bearer(EDITOR)},
    )
    assert dump() != before
    r = httpx.post(
        f"{guarded.url}/admin/restore",
        content=saved.content,
        headers={"Content-Type": "application/n-quads", **bearer(ADMIN)},
    )
    assert r.status_code == 200, r.text
    assert sorted(dump().splitlines()) == sorted(before.splitlines())
    ask = httpx.get(f"{guarded.url}/sparql", params={"query": "ASK { <http://e/later> ?p ?o }"})
    assert ask.json()["boolean"] is False  # the query workers see the restored state
    bad = httpx.post(
        f"{guarded.url}/admin/restore",
        content=b"<broken",
        headers={"Content-Type": "application/n-quads", **bearer(ADMIN)},
    )
    assert bad.status_code == 400
    assert sorted(dump().splitlines()) == sorted(before.splitlines())


def test_tokens_never_reach_the_logs(guarded: Service) -> None:
    write(guarded, bearer(EDITOR))
    write(guarded, bearer("wrong-" + ADMIN))
    httpx.get(f"{guarded.url}/admin/backup", headers=bearer(ADMIN))
    log = guarded.log.read_text()
    assert '"path": "/update"' in log  # access lines are written
    for secret in (ADMIN, EDITOR, READER, guarded.token or "x", digest(ADMIN), digest(EDITOR)):
        assert secret not in log


def test_rate_limit_answers_429_with_retry_after(tmp_path: Path) -> None:
    service = start_service(
        tmp_path, env={"OSAAMISKARTTA_RATE_LIMIT": "0.2", "OSAAMISKARTTA_RATE_BURST": "3"}
    )
    try:
        with httpx.Client() as client:
            statuses = [
                client.get(f"{service.url}/sparql", params={"query": "ASK {}"}).status_code
                for _ in range(5)
            ]
            assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
            r = client.get(f"{service.url}/sparql", params={"query": "ASK {}"})
            assert r.status_code == 429
            assert r.headers["content-type"] == "application/problem+json"
            assert int(r.headers["retry-after"]) >= 1
            assert client.get(f"{service.url}/health").status_code == 200  # exempt
            # Another client (its own token) has its own bucket.
            other = client.get(
                f"{service.url}/sparql", params={"query": "ASK {}"}, headers=service.auth
            )
            assert other.status_code == 200
    finally:
        service.stop()


def test_backup_and_restore_from_the_command_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import REPO

    store = tmp_path / "store"
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("OSAAMISKARTTA_")}
    env.update({"OSAAMISKARTTA_STORE": str(store), "OSAAMISKARTTA_LOAD_DIRS": "none"})

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "service.cli", *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert cli("load", str(FIXTURES / "graphs" / "people.ttl")).returncode == 0
    backup = tmp_path / "backup.nq"
    assert cli("backup", str(backup)).returncode == 0
    saved = backup.read_text()
    assert "people" in saved
    assert cli("load", str(FIXTURES / "graphs" / "places.nt")).returncode == 0
    restored = cli("restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    dumped = cli("dump", "--format", "nquads")
    assert sorted(dumped.stdout.splitlines()) == sorted(saved.splitlines())
