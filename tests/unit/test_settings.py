"""Settings come from OSAAMISKARTTA_* variables only, with typed defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.settings import REPO_ROOT, Settings, SettingsError


def test_defaults_serve_an_in_memory_store_of_the_repository_directories() -> None:
    settings = Settings.from_env({})
    assert settings.in_memory and settings.write_token is None
    assert settings.base_iri == "https://w3id.org/osaamiskartta/"
    assert settings.load_dirs == tuple(REPO_ROOT / d for d in ("ontology", "shapes", "data"))


def test_environment_overrides_and_ignores_other_variables(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "OSAAMISKARTTA_STORE": str(tmp_path),
            "OSAAMISKARTTA_PORT": "9000",
            "OSAAMISKARTTA_LOAD_DIRS": f"{tmp_path}/a, {tmp_path}/b",
            "PORT": "1",
            "OSAAMISKARTTA_WRITE_TOKEN": "t",
        }
    )
    assert (settings.store, settings.port, settings.write_token) == (str(tmp_path), 9000, "t")
    assert settings.load_dirs == (tmp_path / "a", tmp_path / "b")
    assert Settings.from_env({"OSAAMISKARTTA_LOAD_DIRS": "none"}).load_dirs == ()


@pytest.mark.parametrize(
    ("name", "value"), [("PORT", "eighty"), ("BASE_IRI", "https://example.org/x")]
)
def test_unusable_values_are_refused(name: str, value: str) -> None:
    with pytest.raises(SettingsError):
        Settings.from_env({f"OSAAMISKARTTA_{name}": value})


def test_named_queries_come_from_a_configurable_directory_with_a_page_limit(
    tmp_path: Path,
) -> None:
    assert Settings.from_env({}).queries_dir == REPO_ROOT / "queries"
    settings = Settings.from_env(
        {"OSAAMISKARTTA_QUERIES_DIR": str(tmp_path), "OSAAMISKARTTA_MAX_PAGE_SIZE": "50"}
    )
    assert (settings.queries_dir, settings.max_page_size) == (tmp_path, 50)
    with pytest.raises(SettingsError):
        Settings.from_env({"OSAAMISKARTTA_MAX_PAGE_SIZE": "0"})


def test_the_bulk_load_threshold_is_a_byte_count_and_not_negative() -> None:
    assert Settings.from_env({}).bulk_load_bytes == 4 * 1024 * 1024
    assert Settings.from_env({"OSAAMISKARTTA_BULK_LOAD_BYTES": "0"}).bulk_load_bytes == 0
    for bad in ("-1", "big"):
        with pytest.raises(SettingsError):
            Settings.from_env({"OSAAMISKARTTA_BULK_LOAD_BYTES": bad})


def test_the_result_cache_budget_is_bytes_and_zero_turns_it_off() -> None:
    assert Settings.from_env({}).result_cache_bytes == 64 * 1024 * 1024
    settings = Settings.from_env({"OSAAMISKARTTA_RESULT_CACHE_BYTES": "0"})
    assert settings.result_cache_bytes == 0
    with pytest.raises(SettingsError):
        Settings.from_env({"OSAAMISKARTTA_RESULT_CACHE_BYTES": "-1"})
    with pytest.raises(SettingsError):
        Settings.from_env({"OSAAMISKARTTA_RESULT_CACHE_BYTES": "lots"})


def test_the_access_log_is_on_unless_turned_off() -> None:
    assert Settings.from_env({}).access_log is True
    assert Settings.from_env({"OSAAMISKARTTA_ACCESS_LOG": "false"}).access_log is False
    with pytest.raises(SettingsError):
        Settings.from_env({"OSAAMISKARTTA_ACCESS_LOG": "sometimes"})
