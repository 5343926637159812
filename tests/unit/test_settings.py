"""Settings: defaults, validation naming the variable, and README documents every setting."""

from pathlib import Path

import pytest

from config.settings import DEFAULT_DATABASE_URL, SETTINGS, SETTINGS_HELP, SettingsError, load_settings

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


def test_each_setting_is_declared_once_with_its_parser():
    """The variable, parser, default and help live on the Settings field; load_settings reads nothing else."""
    declared = [f.metadata["env"] for f in SETTINGS]
    assert declared == list(SETTINGS_HELP) and len(set(declared)) == len(declared)
    for f in SETTINGS:
        assert callable(f.metadata["parse"]) and f.metadata["help"], f.name
    # every variable is read: a bad value of any of them is refused naming it
    for name in ("PORT", "WORKERS", "CACHE_TIMEOUT", "MAX_UPLOAD_MB", "DASH_DEBUG", "COOKIE_SECURE",
                 "PUBLIC_ACCESS", "LOG_LEVEL", "REDIS_URL", "PUBLIC_URL", "TRUSTED_HOSTS", "SIGNIN_LIMIT_PER_ACCOUNT"):
        with pytest.raises(SettingsError, match=name):
            load_settings({name: "http://"})


def test_blank_is_the_default_and_values_are_trimmed():
    s = load_settings({"PORT": "  ", "LOG_LEVEL": " warning ", "HOST": "", "MAX_UPLOAD_MB": "12"})
    assert (s.port, s.log_level, s.host, s.max_upload_mb) == (8050, "WARNING", "127.0.0.1", 12)


def test_public_url_host_is_trusted():
    s = load_settings({"PUBLIC_URL": "https://dash.example.org/", "TRUSTED_HOSTS": "a.example.org"})
    assert (s.public_url, s.public_url_set, s.trusted_hosts) == (
        "https://dash.example.org", True, ("a.example.org", "dash.example.org"))
    assert load_settings({}).public_url_set is False
