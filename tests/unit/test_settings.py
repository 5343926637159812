"""Settings: defaults, validation naming the variable, and README documents every setting."""

from pathlib import Path

import pytest

from dashboard.settings import DEFAULT_DATABASE_URL, SETTINGS_HELP, SettingsError, load_settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_defaults():
    s = load_settings({})
    assert s.database_url == DEFAULT_DATABASE_URL and s.database_url.startswith("sqlite:///")
    assert (s.host, s.port, s.debug, s.seed_on_start) == ("127.0.0.1", 8050, False, True)


def test_environment_overrides():
    s = load_settings({"DATABASE_URL": "postgresql+psycopg://u@h/db", "PORT": "9000", "DASH_DEBUG": "true",
                       "SEED_ON_START": "no", "LOG_LEVEL": "debug"})
    assert (s.database_url, s.port, s.debug, s.seed_on_start, s.log_level) == (
        "postgresql+psycopg://u@h/db", 9000, True, False, "DEBUG")


@pytest.mark.parametrize("env,name", [({"PORT": "eighty"}, "PORT"), ({"PORT": "70000"}, "PORT"),
                                      ({"DASH_DEBUG": "maybe"}, "DASH_DEBUG"), ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
                                      ({"DATABASE_URL": "metropolis.db"}, "DATABASE_URL")])
def test_bad_values_name_the_variable(env, name):
    with pytest.raises(SettingsError, match=name):
        load_settings(env)


def test_readme_documents_every_setting():
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    for name in SETTINGS_HELP:
        assert f"`{name}`" in section, name
