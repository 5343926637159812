"""Production serving: gunicorn (2 workers) on PostgreSQL and a private Redis answers pages, the API and callbacks;
a write through one worker is seen by the other; a Redis outage and a PostgreSQL restart are survived with clean
answers (never a traceback) and no worker left broken.

The PostgreSQL test stops and starts the machine's cluster (pg_ctlcluster, as root) and always starts it again.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from sqlalchemy.engine import make_url

from dashboard import ids
from tests.browser.conftest import ROOT, _free_port
from tests.conftest import POSTGRES_ADMIN_URL, seed_store, temporary_database
from tests.http_client import Answer, Client

SECRETARIAT = "sec@prod.test"
PG_HOST, PG_PORT = "127.0.0.1", "5432"
EVENTS_2020 = 109  # events in the 2020 calendar of a freshly seeded store: the overview's printed count, which a
# recorded 2020 event never changes (it is shown beside it: "+ 1 recorded since", README 'year in progress')
DB_DOWN_MESSAGE = "The database is not reachable at the moment; please try again in a few seconds."
# The request dash-renderer 4.4 sends when the page router asks for a page (captured from Chromium).
ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."
ACCESS_LOG_FORMAT = '%(p)s "%(r)s" %(s)s'  # %(p)s is the worker's pid, as "<1234>"
ACCESS_LINE = re.compile(r'^<(\d+)> "(\S+) (\S+) [^"]*" (\d{3})$')


# ---- processes -------------------------------------------------------------------------------------------


class RedisServer:
    """A private redis-server on 127.0.0.1 without persistence, which a test can kill and start again on the same
    port (the machine's Redis on 6379 is never touched)."""

    def __init__(self, port: int, log: Path):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.log = log
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server)", pytrace=False)
        with open(self.log, "a") as handle:
            self.proc = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--daemonize", "no"], stdout=handle, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return
            except redis.RedisError:  # not listening yet
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"redis-server did not start on port {self.port}: {self.log.read_text()[-1500:]}", pytrace=False)

    def stop(self) -> None:
        """Kill it, as a crash would."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2, socket_connect_timeout=2)

    def app_keys(self) -> list[str]:
        """The app's cache entries (its /healthz probe key left out)."""
        keys = sorted(k.decode() for k in self.client().keys("metropolis:*"))
        return [k for k in keys if k != "metropolis:healthz"]


@dataclass
class Served:
    """The running app: its address, its Redis, its gunicorn process and logs."""

    base: str
    redis: RedisServer
    proc: subprocess.Popen
    log: Path
    access_log: Path

    def client(self) -> Client:
        """A client holding a session and the CSRF cookie (which Dash callbacks need), as a browser would."""
        client = Client(self.base, timeout=15)
        answer = client.request("GET", "/api/v1/version")
        assert answer.status == 200, answer.text
        assert client.cookie("_csrf_token"), "the app set no _csrf_token cookie"
        return client

    def _access_lines(self) -> list[str]:
        return self.access_log.read_text().splitlines()

    def access_mark(self) -> int:
        """The access log's length once it has settled (a worker logs a request just after answering it)."""
        count = len(self._access_lines())
        while True:
            time.sleep(0.2)
            now = len(self._access_lines())
            if now == count:
                return count
            count = now

    def accesses(self, since: int = 0, expect: int = 0) -> list[tuple[int, str, str, int]]:
        """(worker pid, method, path, status) of each request logged after line `since`, once at least `expect`
        requests are logged there (or after 5 s)."""
        deadline = time.monotonic() + 5
        while len(lines := self._access_lines()[since:]) < expect and time.monotonic() < deadline:
            time.sleep(0.05)
        rows = []
        for line in lines:
            match = ACCESS_LINE.match(line.strip())
            if match:
                pid, method, path, status = match.groups()
                rows.append((int(pid), method, path, int(status)))
        return rows

    def workers(self, since: int = 0, path_prefix: str = "/", expect: int = 0) -> set[int]:
        """The pids of the workers that answered requests (to paths starting with `path_prefix`) after `since`."""
        return {pid for pid, _m, path, _s in self.accesses(since, expect) if path.startswith(path_prefix)}

    def assert_no_traceback(self) -> None:
        text = self.log.read_text()
        first = text.find("Traceback")
        # from the lines before the first traceback (what logged it) to its end
        assert first < 0, f"gunicorn logged a traceback:\n{text[max(0, first - 600):first + 5000]}"
        assert self.proc.poll() is None, f"gunicorn exited:\n{text[-4000:]}"


def _start_gunicorn(env: dict, log: Path, access_log: Path, port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if not gunicorn.exists():
        pytest.fail(f"gunicorn is not installed in {gunicorn.parent} (pip install -r requirements.txt)", pytrace=False)
    access_log.touch()
    with open(log, "w") as handle:
        # Command-line settings override gunicorn.conf.py: an access log with each worker's pid, to see which answered.
        proc = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py", "--access-logfile", str(access_log),
                                 "--access-logformat", ACCESS_LOG_FORMAT, "app:server"],
                                cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    return proc


def _wait_for_two_workers(served: Served, timeout: float = 60) -> None:
    """Wait until /healthz answers 200 from two distinct workers; fail with the log otherwise."""
    deadline = time.monotonic() + timeout
    probe = Client(served.base, timeout=5)
    while time.monotonic() < deadline and served.proc.poll() is None:
        try:
            answer = probe.request("GET", "/healthz")
        except OSError:
            time.sleep(0.2)
            continue
        if answer.status == 200 and len(served.workers(path_prefix="/healthz")) >= 2:
            return
        time.sleep(0.05)
    served.proc.kill()
    served.proc.wait(timeout=10)
    pytest.fail(f"gunicorn did not serve from 2 workers within {timeout:.0f} s; its log:\n"
                f"{served.log.read_text()[-3000:]}", pytrace=False)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn with 2 workers on a fresh, seeded PostgreSQL database and a private Redis."""
    folder = tmp_path_factory.mktemp("prod")
    with temporary_database("postgresql", folder) as url:
        seed_store(url, {"email": SECRETARIAT, "role": "secretariat", "name": "Ana"})
        cache_server = RedisServer(_free_port(), folder / "redis.log")
        cache_server.start()
        try:
            port = _free_port()
            env = {**_clean_environ(), "DATABASE_URL": url, "REDIS_URL": cache_server.url, "SEED_ON_START": "false",
                   "HOST": "127.0.0.1", "PORT": str(port), "WORKERS": "2", "SECRET_KEY": "prod-test-" + "s" * 32,
                   "LOG_LEVEL": "WARNING"}
            proc = _start_gunicorn(env, folder / "gunicorn.log", folder / "access.log", port)
            app = Served(f"http://127.0.0.1:{port}", cache_server, proc, folder / "gunicorn.log", folder / "access.log")
            try:
                _wait_for_two_workers(app)
                yield app
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
        finally:
            cache_server.stop()


def _clean_environ() -> dict:
    # The test process may carry settings of its own (another DATABASE_URL, DASH_DEBUG...): start from a clean slate.
    return {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DASH_DEBUG",
                                                              "PUBLIC_ACCESS", "CACHE_TIMEOUT"}}


# ---- requests --------------------------------------------------------------------------------------------


def router_callback(client: Client, pathname: str = "/", search: str = "?year=2020") -> Answer:
    """Ask for a page's layout the way dash-renderer does when the address changes."""
    return client.request("POST", "/_dash-update-component", {
        "output": ROUTER_OUTPUT,
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
    })


def _find(node, predicate: Callable[[dict], bool]):
    if isinstance(node, dict):
        if predicate(node):
            return node
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _find(child, predicate)
        if found is not None:
            return found
    return None


def kpi_value(answer: Answer, metric: str) -> str:
    """The value shown on the overview's KPI card `metric` in a router callback's answer."""
    return kpi_texts(answer, metric)[0]


def kpi_texts(answer: Answer, metric: str) -> tuple[str, str]:
    """The value of the overview's KPI card `metric` and what was recorded since the report beside it ('' if
    nothing), from a router callback's answer."""
    assert answer.status == 200, (answer.status, answer.text[:500])
    body = answer.json()
    assert body["response"]["_pages_store"]["data"]["title"].startswith("Overview"), body["response"]["_pages_store"]
    card_id = ids.Overview.kpi_card(metric)
    card = _find(body["response"]["_pages_content"], lambda n: n.get("props", {}).get("id") == card_id)
    assert card is not None, f"no KPI card {card_id} in the overview"
    value = _find(card, lambda n: n.get("props", {}).get("className") == "kpi-value")
    added = _find(card, lambda n: n.get("props", {}).get("className") == "kpi-added")
    return value["props"]["children"], (added["props"]["children"] if added else "")


def events_2020_count(client: Client) -> int:
    """The number of 2020 events according to the API (which reads the store, uncached)."""
    answer = client.request("GET", "/api/v1/events?year=2020")
    assert answer.status == 200, answer.text[:500]
    body = answer.json()
    assert body["meta"]["count"] == len(body["data"])
    return body["meta"]["count"]


def health(client: Client) -> tuple[int, dict]:
    answer = client.request("GET", "/healthz")
    assert answer.header("Cache-Control") == "no-store"
    return answer.status, answer.json()


def member_names(client: Client) -> set[str]:
    answer = client.request("GET", "/api/v1/members")
    assert answer.status == 200, answer.text[:500]
    return {row["name"] for row in answer.json()["data"]}


def overview_kpi_keys(server: RedisServer, version: int) -> list[str]:
    """The cached overview KPI entries for data version `version`."""
    return [k for k in server.app_keys() if k.startswith(f"metropolis:overview-kpis:v{version}:")]


# ---- tests -----------------------------------------------------------------------------------------------


def test_prd001_two_workers_serve_pages_api_callbacks_and_a_write_invalidates_the_shared_cache(served):
    client = served.client()
    status, page = client.get("/?year=2020")
    assert status == 200 and '<meta property="og:title" content="Overview · Metropolis dashboard">' in page, page[:800]
    status, body = health(client)
    assert status == 200 and body["status"] == "ok", body
    assert body["cache"]["type"] == "redis" and body["cache"]["ok"] is True, body
    before = body["database"]["data_version"]
    layout = client.request("GET", "/_dash-layout")
    assert layout.status == 200
    version_store = _find(layout.json(), lambda n: n.get("props", {}).get("id") == ids.Shell.DATA_VERSION)
    assert version_store["props"]["data"] == before
    assert {"Montevideo", "Dakar", "Madrid"} <= member_names(client)
    assert events_2020_count(client) == EVENTS_2020

    warm = [kpi_value(router_callback(client), "events") for _i in range(8)]
    assert warm == [str(EVENTS_2020)] * 8
    assert overview_kpi_keys(served.redis, before), served.redis.app_keys()  # the KPIs are cached in Redis

    writer = Client(served.base)
    writer.sign_in(SECRETARIAT)
    status, created = writer.send("POST", "/api/v1/events", {
        "title": "Serving test: Board briefing", "start_date": "2020-12-20", "online": True, "kind": "statutory",
        "statutory_meeting": "board", "metropolis_role": "organised", "members": ["Montevideo", "Dakar"]})
    assert status == 201, created
    status, body = health(client)
    after = body["database"]["data_version"]
    assert status == 200 and after > before

    mark = served.access_mark()
    seen = [kpi_texts(router_callback(client), "events") for _i in range(20)]
    assert seen == [(str(EVENTS_2020), "+ 1 recorded since")] * 20  # 2020 is printed: the addition shows beside it
    callback_workers = served.workers(mark, "/_dash-update-component", expect=20)
    assert len(callback_workers) == 2, f"the 20 callbacks were answered by {callback_workers} only"
    assert overview_kpi_keys(served.redis, after), served.redis.app_keys()  # cached again, under the new version
    assert events_2020_count(client) == EVENTS_2020 + 1
    served.assert_no_traceback()


def test_prd002_without_redis_the_app_answers_uncached_and_uses_redis_again_when_it_returns(served):
    client = served.client()
    printed = str(EVENTS_2020)  # the overview's printed count (recorded events show beside it)
    for _i in range(4):
        assert kpi_value(router_callback(client), "events") == printed
    version = health(client)[1]["database"]["data_version"]
    assert overview_kpi_keys(served.redis, version), served.redis.app_keys()

    served.redis.stop()
    try:
        mark = served.access_mark()
        # rounds until every worker has met the outage: which worker accepts a request is the kernel's choice, and
        # on a busy machine one worker answered 6 rounds (18 requests) alone
        for rounds in range(1, 31):
            assert kpi_value(router_callback(client), "events") == printed
            assert {"Montevideo", "Dakar"} <= member_names(client)
            status, body = health(client)
            assert status == 200 and body["status"] == "degraded", body
            assert body["database"]["ok"] is True and body["cache"]["ok"] is False, body
            assert body["cache"]["error"] == "ConnectionError", body
            if rounds >= 6 and served.workers(mark, expect=3 * rounds) == served.workers():
                break
        assert served.workers(mark, expect=3 * rounds) == served.workers(), "not every worker met the Redis outage"
    finally:
        if not served.redis.running:
            served.redis.start()  # same port: the workers' REDIS_URL still points at it
    assert served.redis.app_keys() == []  # a new, empty Redis

    deadline = time.monotonic() + 15
    statuses, keys = [], []
    while time.monotonic() < deadline and not keys:
        status, body = health(client)
        statuses.append(body["status"])
        assert kpi_value(router_callback(client), "events") == printed
        keys = overview_kpi_keys(served.redis, version)
        time.sleep(0.25)
    assert keys, f"no overview entry cached in Redis 15 s after it returned (health: {statuses[-5:]})"
    assert [health(client)[1]["status"] for _i in range(6)] == ["ok"] * 6
    served.assert_no_traceback()


def _pg_cluster() -> tuple[str, str]:
    """(version, name) of the machine's PostgreSQL cluster that serves 127.0.0.1:5432."""
    admin = make_url(POSTGRES_ADMIN_URL)
    if (admin.host, str(admin.port or 5432)) != (PG_HOST, PG_PORT):
        pytest.fail(f"the restart test restarts the local cluster on {PG_HOST}:{PG_PORT}, but the tests' database is "
                    f"at {admin.host}:{admin.port} (TEST_POSTGRES_URL)", pytrace=False)
    if shutil.which("pg_ctlcluster") is None or not Path("/etc/postgresql").is_dir():
        pytest.fail("pg_ctlcluster and /etc/postgresql are needed to restart PostgreSQL (Debian's postgresql "
                    "package)", pytrace=False)
    for version in sorted(Path("/etc/postgresql").iterdir(), reverse=True):
        conf = version / "main" / "postgresql.conf"
        if conf.exists() and re.search(r"^\s*port\s*=\s*5432\b", conf.read_text(), re.M):
            return version.name, "main"
    pytest.fail("no PostgreSQL cluster 'main' on port 5432 under /etc/postgresql", pytrace=False)


def _pg_ctl(action: str) -> None:
    version, name = _pg_cluster()
    result = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"pg_ctlcluster {action} failed: {result.stdout}{result.stderr}"


def _pg_ready() -> bool:
    result = subprocess.run(["pg_isready", "-q", "-h", PG_HOST, "-p", PG_PORT], capture_output=True, timeout=15)
    return result.returncode == 0


def _start_postgres() -> None:
    """Start the cluster (if it is down) and wait until it accepts connections: other tests and CI need it."""
    if not _pg_ready():
        _pg_ctl("start")
    deadline = time.monotonic() + 60
    while not _pg_ready():
        assert time.monotonic() < deadline, "PostgreSQL did not accept connections 60 s after its start"
        time.sleep(0.2)


def _assert_unavailable(answer: Answer, *, html: bool = False) -> None:
    """A clean 503: the message, Retry-After, no traceback."""
    assert answer.status == 503, (answer.status, answer.text[:500])
    assert answer.header("Retry-After") == "5"
    assert "Traceback" not in answer.text and 'File "' not in answer.text
    if html:
        assert answer.header("Content-Type").startswith("text/html")
        assert f"<p>{DB_DOWN_MESSAGE}</p>" in answer.text
    else:
        assert answer.header("Content-Type") == "application/json"
        assert answer.json() == {"error": {"status": 503, "message": DB_DOWN_MESSAGE}}


def test_prd003_postgres_restart_answers_503_with_retry_after_then_every_worker_recovers(served):
    client = served.client()
    writer = Client(served.base)
    writer.sign_in(SECRETARIAT)
    events = events_2020_count(client)  # every 2020 event in the store (the API), recorded ones included
    printed = str(EVENTS_2020)  # the overview's printed count
    assert kpi_value(router_callback(client), "events") == printed
    workers = served.workers()
    assert len(workers) == 2 and _pg_ready()

    try:
        _pg_ctl("stop")
        assert not _pg_ready()
        mark = served.access_mark()
        for _i in range(5):  # several rounds, so that both workers meet the outage
            _assert_unavailable(router_callback(client))
            _assert_unavailable(client.request("GET", "/_dash-layout"))
            _assert_unavailable(client.request("GET", "/api/v1/members"))
            _assert_unavailable(client.request("GET", "/embed/active-by-region?year=2020",
                                               headers={"Accept": "text/html"}), html=True)
            answer = client.request("GET", "/healthz")
            assert answer.status == 503 and answer.header("Retry-After") == "5"
            body = answer.json()
            assert body["status"] == "down" and body["database"] == {"ok": False, "error": "OperationalError"}, body
            assert body["cache"]["ok"] is True, body
        _assert_unavailable(writer.request("POST", "/api/v1/events", {
            "title": "Serving test: written while the database is down", "start_date": "2020-11-20",
            "online": True, "kind": "statutory", "statutory_meeting": "board", "metropolis_role": "organised",
            "members": ["Madrid"]}))
        outage = served.accesses(mark, expect=26)
        assert {pid for pid, *_rest in outage} == workers, "not every worker answered during the outage"
        assert {status for *_rest, status in outage} == {503}
    finally:
        _start_postgres()

    restarted = time.monotonic()
    last = None
    while time.monotonic() - restarted < 30:
        answers = [router_callback(client), client.request("GET", "/api/v1/members"),
                   client.request("GET", "/healthz")]
        if all(a.status == 200 for a in answers):
            break
        last = [(a.status, a.text[:200]) for a in answers]
        time.sleep(0.5)
    else:
        pytest.fail(f"requests still failed 30 s after PostgreSQL started: {last}")

    mark = served.access_mark()
    for _i in range(10):  # a burst of 30 requests: both workers must be back
        assert kpi_value(router_callback(client), "events") == printed
        assert {"Montevideo", "Dakar"} <= member_names(client)
        status, body = health(client)
        assert status == 200 and body["status"] == "ok", body
    burst = served.accesses(mark, expect=30)
    assert len(burst) == 30 and {status for *_rest, status in burst} == {200}
    assert {pid for pid, *_rest in burst} == workers, "a worker did not answer after the restart"
    assert served.workers() == workers  # the same two workers recovered; none was replaced
    assert events_2020_count(client) == events  # the write refused during the outage left nothing behind
    served.assert_no_traceback()
