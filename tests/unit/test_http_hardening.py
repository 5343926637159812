"""Security headers on every kind of answer, who may frame what, trusted Host names, and links built from
PUBLIC_URL or the (trusted) address the user reached, never from a crafted Host header."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from flask import Flask

from config.settings import SettingsError, load_settings
from dashboard.security import init_security

ANSWERS = ["/", "/map", "/members/madrid", "/login", "/api/v1/members", "/api/v1/nope", "/healthz",
           "/assets/app.css", "/export/gender-parity.csv", "/export/nope.png", "/embed/gender-parity"]


@pytest.fixture
def client(dash_app, app_store):
    return dash_app.server.test_client()


def directives(response) -> dict[str, str]:
    policy = response.headers.get("Content-Security-Policy", "")
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in policy.split("; ") if " " in part}


def component_script(client) -> str:
    html = client.get("/").get_data(as_text=True)
    return re.search(r'<script src="(/_dash-component-suites/[^"]+)"', html).group(1)


@pytest.mark.parametrize("path", [*ANSWERS, "component-suite"])
def test_every_answer_carries_the_security_headers(client, path):
    if path == "component-suite":
        path = component_script(client)
    response = client.get(path)
    csp = directives(response)
    assert csp.get("default-src") == "'self'" and csp.get("object-src") == "'none'"
    scripts = csp["script-src"].split()
    assert scripts[0] == "'self'" and all(s.startswith("'sha256-") for s in scripts[1:])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    if path.startswith("/embed/"):
        assert csp["frame-ancestors"] == "*" and "X-Frame-Options" not in response.headers  # default: any site
    else:
        assert csp["frame-ancestors"] == "'none'" and response.headers["X-Frame-Options"] == "DENY"


def test_every_inline_script_of_a_page_is_allowed_by_its_hash(client):
    response = client.get("/")
    html = re.sub(r"<!--.*?-->", "", response.get_data(as_text=True), flags=re.S)  # IE's conditional comment
    inline = [body for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
              if "src=" not in attrs and "application/json" not in attrs]
    assert inline, "Dash starts its renderer with an inline script"
    allowed = directives(response)["script-src"].split()
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, body[:80]


def hardened_app(**settings_env) -> Flask:
    """A bare Flask app with the hardening of `settings_env` (as the environment would give it), a page, an
    embed and a link-printing route."""
    from dashboard.urls import base_url

    settings = load_settings(settings_env)
    app = Flask(__name__)
    for path in ("/audit", "/embed/<chart>", "/link"):
        app.add_url_rule(path, path, lambda **_: base_url())
    init_security(app, script_hashes=lambda: [], trusted_hosts=settings.trusted_hosts,
                  embed_origins=settings.embed_allowed_origins,
                  public_url=settings.public_url if settings.public_url_set else None)
    return app


def test_embeds_may_be_framed_only_by_the_listed_sites():
    client = hardened_app(EMBED_ALLOWED_ORIGINS="https://partner.example, https://other.example:8443").test_client()
    embed = client.get("/embed/gender-parity")
    assert directives(embed)["frame-ancestors"] == "https://partner.example https://other.example:8443"
    assert "X-Frame-Options" not in embed.headers
    audit = client.get("/audit")
    assert directives(audit)["frame-ancestors"] == "'none'" and audit.headers["X-Frame-Options"] == "DENY"


def test_embed_setting_is_checked():
    assert load_settings({}).embed_allowed_origins == ("*",)
    assert load_settings({"EMBED_ALLOWED_ORIGINS": "https://a.example *"}).embed_allowed_origins == ("*",)
    with pytest.raises(SettingsError, match="EMBED_ALLOWED_ORIGINS"):
        load_settings({"EMBED_ALLOWED_ORIGINS": "partner.example"})


# --- Host header ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/export/gender-parity.csv", "/", "/api/v1/members?format=csv", "/login",
                                  "/embed/gender-parity"])
def test_a_request_for_an_untrusted_host_is_refused_400(client, path, caplog):
    response = client.get(path, headers={"Host": "x.example"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "x.example" not in body and "host name" in body
    assert "Traceback" not in caplog.text
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_links_use_the_trusted_host_the_user_reached(client):
    csv = client.get("/export/gender-parity.csv", headers={"Host": "127.0.0.1:8050"}).get_data(as_text=True)
    assert "# url: http://127.0.0.1:8050/gender?" in csv
    api = client.get("/api/v1/members?region=Europe").get_json()["meta"]
    assert api["url"] == "http://localhost/api/v1/members?region=Europe"


def test_links_use_public_url_when_it_is_set(dash_app, client, monkeypatch):
    from dashboard.components import chart_menu, page_url
    from dashboard.filters import ChartFilters

    public = "https://dashboard.metropolis.example"
    monkeypatch.setitem(dash_app.server.config, "PUBLIC_URL", public)
    csv = client.get("/export/gender-parity.csv?region=Europe", headers={"Host": "127.0.0.1:8050"})
    assert f"# url: {public}/gender?region=Europe" in csv.get_data(as_text=True)
    assert client.get("/api/v1/members").get_json()["meta"]["url"] == f"{public}/api/v1/members"
    with dash_app.server.test_request_context("/_dash-update-component", method="POST",
                                              headers={"Host": "localhost",
                                                       "Referer": "http://evil.example/gender?region=Europe"}):
        assert page_url() == f"{public}/gender?region=Europe"  # the Referer gives its path, never its host
        menu = str(chart_menu("gender-parity", ChartFilters(regions=["Europe"], year=2020, notices=[])))
        assert f'src="{public}/embed/gender-parity?region=Europe' in menu and "localhost" not in menu
    embed = client.get("/embed/gender-parity?region=Europe", headers={"Host": "127.0.0.1"}).get_data(as_text=True)
    assert f'<meta property="twitter:url" content="{public}/embed/gender-parity?region=Europe">' in embed
    assert "127.0.0.1" not in embed


def test_a_crafted_referer_never_names_another_site_in_printed_pages(dash_app, app_store):
    from dashboard.components import page_url

    with dash_app.server.test_request_context("/_dash-update-component", method="POST",
                                              headers={"Referer": "http://evil.example/map?year=2020"}):
        assert page_url() == "http://localhost/map?year=2020"


def test_trusted_hosts_setting():
    assert load_settings({}).trusted_hosts == ("localhost", "127.0.0.1")
    with_public = load_settings({"PUBLIC_URL": "https://dash.metropolis.org/"})
    assert with_public.trusted_hosts == ("localhost", "127.0.0.1", "dash.metropolis.org")
    assert with_public.public_url == "https://dash.metropolis.org" and with_public.public_url_set
    assert not load_settings({}).public_url_set and load_settings({}).public_url == "http://127.0.0.1:8050"
    assert load_settings({"TRUSTED_HOSTS": "Dash.Example.org, .metropolis.org"}).trusted_hosts == (
        "dash.example.org", ".metropolis.org")
    for bad in ("https://dash.example.org", "dash.example.org:8050", "bad host!"):
        with pytest.raises(SettingsError, match="TRUSTED_HOSTS"):
            load_settings({"TRUSTED_HOSTS": bad})


def test_listed_hosts_and_subdomains_are_answered():
    client = hardened_app(TRUSTED_HOSTS="dash.example.org, .metropolis.org").test_client()
    assert client.get("/link", headers={"Host": "dash.example.org"}).get_data(as_text=True) == "http://dash.example.org"
    assert client.get("/link", headers={"Host": "data.metropolis.org:8443"}).status_code == 200
    assert client.get("/link", headers={"Host": "localhost"}).status_code == 400  # not listed any more
    public = hardened_app(PUBLIC_URL="https://dash.example.org").test_client()
    assert public.get("/link", headers={"Host": "127.0.0.1"}).get_data(as_text=True) == "https://dash.example.org"
