"""Pre-warm after a write: the next visitor's first view of the default pages is a cache hit, for the public and
for signed-in users, and with several workers sharing the cache only one of them builds the views."""

from __future__ import annotations

import threading

import pytest

from dashboard import prewarm
from dashboard.cache import cache
from tests.conftest import create_user, csrf_headers, sign_in

STAFF = "prewarm-secretariat@metropolis.test"
BOARD = "prewarm-board@metropolis.test"
PLAN_STATUS = {"plan": "2021-2023", "code": "L2A1O1", "year": 2022, "status": "in_progress"}


def router_body(path: str) -> dict:
    """The request dash-renderer sends when a visitor opens `path` (Dash Pages' router callback)."""
    return {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": ""}],
            "changedPropIds": ["_pages_location.pathname"]}


@pytest.fixture
def store(app_store_copy):
    create_user(app_store_copy, email=STAFF, role="secretariat")
    create_user(app_store_copy, email=BOARD, role="board")
    return app_store_copy


@pytest.fixture
def page_keys_set(monkeypatch):
    """The page-cache keys written (cache misses of a page) while the test runs."""
    written: list[str] = []
    original = cache.set

    def spy(key, value, *args, **kwargs):
        if key.startswith("page:"):
            written.append(key)
        return original(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    return written


def write_as_secretariat(dash_app) -> None:
    writer = dash_app.server.test_client()
    assert sign_in(writer, STAFF).status_code == 302
    answer = writer.put("/api/v1/plan-statuses", json=PLAN_STATUS, headers=csrf_headers(writer))
    assert answer.status_code == 200, answer.get_data(as_text=True)


def open_page(client, path: str) -> None:
    referer = "http://localhost" + path
    answer = client.post("/_dash-update-component", json=router_body(path),
                         headers={**csrf_headers(client), "Referer": referer})
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]


@pytest.fixture(scope="module")
def written(dash_app, app_database_url, tmp_path_factory):
    """One write as the Secretariat on a private copy of the app's store, and its warm-up finished: the page-cache
    keys it built. Shared by the paths below (each opens only its own page, so none sees another's first view):
    a write and its warm-up of every default view cost seconds, once is enough."""
    from db.session import Session, make_engine
    from tests.conftest import bind_store_copy

    engine = bind_store_copy(dash_app, app_database_url, tmp_path_factory.mktemp("prewarm") / "app-copy.sqlite3")
    create_user(engine, email=STAFF, role="secretariat")
    create_user(engine, email=BOARD, role="board")
    built: list[str] = []
    original = cache.set

    def spy(key, value, *args, **kwargs):
        if key.startswith("page:"):
            built.append(key)
        return original(key, value, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "set", spy)
        write_as_secretariat(dash_app)
        prewarm.wait()
    yield built
    prewarm.wait()
    with dash_app.server.app_context():
        cache.clear()
    engine.dispose()
    Session.configure(bind=make_engine(app_database_url))


@pytest.mark.parametrize("path", ["/", "/engagement", "/map", "/events"])
def test_first_view_after_a_write_is_served_from_the_cache(dash_app, written, page_keys_set, path):
    assert any(key.startswith("page:overview:") for key in written), "the write warmed nothing"
    visitor = dash_app.server.test_client()
    visitor.get("/")
    open_page(visitor, path)
    board = dash_app.server.test_client()
    assert sign_in(board, BOARD).status_code == 302
    open_page(board, path)
    assert page_keys_set == [], f"{path} was built again on the first view after the write: {page_keys_set}"


def test_without_a_write_the_first_view_builds_the_page(dash_app, store, page_keys_set):
    """The spy sees a miss (the control for the test above)."""
    with dash_app.server.app_context():
        cache.clear()
    visitor = dash_app.server.test_client()
    visitor.get("/")
    open_page(visitor, "/engagement")
    assert any(key.startswith("page:engagement:") for key in page_keys_set)


def test_only_one_worker_warms_a_version(dash_app, store, monkeypatch):
    """Several workers (here threads of two servers sharing one cache) react to the same write: one builds."""
    built: list[str] = []
    monkeypatch.setattr(prewarm, "default_views", lambda: built.append(threading.current_thread().name) or [])
    with dash_app.server.app_context():
        cache.clear()
    barrier = threading.Barrier(4)
    results = []

    def worker():
        barrier.wait()
        results.append(prewarm.warm(dash_app.server))

    threads = [threading.Thread(target=worker, name=f"worker-{i}") for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(built) == 1 and sum(r is not None for r in results) == 1


def test_two_app_instances_sharing_redis_claim_a_version_once():
    """Two workers' caches on one Redis (as gunicorn's workers are): the first claim wins, every other is refused."""
    import uuid

    import redis
    from flask import Flask
    from flask_caching import Cache

    url = "redis://127.0.0.1:6379/12"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379 (make services starts it)")
    prefix = f"test-prewarm-{uuid.uuid4().hex[:8]}:"
    caches = []
    for _ in range(2):
        app = Flask(__name__)
        shared = Cache()
        shared.init_app(app, config={"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": url, "CACHE_KEY_PREFIX": prefix})
        caches.append((app, shared))
    try:
        answers = []
        for version in (7, 7, 8):
            for app, shared in caches:
                with app.app_context():
                    answers.append(prewarm.claim(version, shared))
        assert answers == [True, False, False, False, True, False]
    finally:
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(prefix + "*"):
            client.delete(key)


def test_a_database_restart_during_the_warm_up_is_one_line_not_a_traceback(dash_app, monkeypatch, caplog):
    """PostgreSQL stopped while the warm-up ran (tests/prod prd003): a warning naming the cause, no traceback
    (the serving test fails on any traceback in gunicorn's log)."""
    from sqlalchemy.exc import OperationalError

    def down(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("the database system is shutting down"))

    monkeypatch.setattr(prewarm, "warm", down)
    with caplog.at_level("WARNING", logger="dashboard.prewarm"), dash_app.server.test_request_context("/"):
        thread = prewarm._after_write(dash_app.server)
        thread.join(timeout=30)
    records = [r for r in caplog.records if r.name == "dashboard.prewarm"]
    assert [r.levelname for r in records] == ["WARNING"] and "unreachable" in records[0].getMessage()
    assert all(r.exc_info is None for r in records)
