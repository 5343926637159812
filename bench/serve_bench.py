"""Serving benchmark: page callbacks beside their bare SQL, page loads in Chromium, and load with 1 and 4 workers.

    .venv/bin/python bench/serve_bench.py                  # everything (about 25 minutes on 2 cores)
    .venv/bin/python bench/serve_bench.py --stores real-sqlite,real-postgresql --skip-load
    make bench                                             # the same, after installing wrk

Stores (each a copy made for the benchmark, never the dashboard's own store):
  real-sqlite / real-postgresql            the curated 2020 store, seeded from seed/ into bench/.data/real.sqlite3
                                           and the PostgreSQL database metropolis_bench_real (recreated each run)
  synthetic-sqlite / synthetic-postgresql  `python -m seed.synthetic` at its default scale (10,000 members, 10 years,
                                           50,000 events, 2 million participation rows) into
                                           bench/.data/synthetic.sqlite3 and metropolis_bench_synthetic; generated
                                           once, reused by later runs (--regenerate to make them again)

What it prints, per store:
  1. Callbacks: the page router's callback (what a filter change or a navigation runs) for every page, over every
     filter combination (the two latest years x all regions / one region / two regions) and --reps repetitions,
     answered in-process by the Flask test client: cold (cache emptied first), warm (cached), p50 and p95; beside
     it the bare SQL that callback ran, replayed statement by statement on a raw DBAPI connection (p50, p95), the
     ratio cold callback / bare SQL, the number of statements and the response size.
  2. Page loads in headless Chromium (Debian's chromium) from gunicorn (2 workers, Redis): navigation start until
     every graph on the page has drawn (and the map its land), with an empty server cache and a new browser
     profile (cold), then again in the same profile with the cache filled (warm).
  3. Load (PostgreSQL stores): wrk on 127.0.0.1 replays the filter callbacks of every page and filter combination
     for --duration seconds at --connections connections against gunicorn with 1 and then 4 workers (4 threads
     each) and Redis (database 13, flushed first, then warmed by one pass): requests per second, p50/p95/p99,
     errors, and the resident memory of each worker afterwards.
Then the goals of the serving issue, each met or missed by how much. Figures also go to bench/.data/serve.json.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
PG_ADMIN = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_BENCH_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
PAGES = ["/", "/map", "/engagement", "/gender", "/action-plan", "/events", "/members", "/sources", "/members/{slug}"]
ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
GOALS = {"real_callback_p95_ms": 50, "real_page_load_s": 1.5, "synthetic_pg_callback_p95_ms": 250,
         "callback_over_sql": 3.0, "errors": 0, "worker_rss_mb": 300}

# "Drawn": the router has rendered the page, no Dash callback is loading, every plotly graph has its layout and
# its plot group, a map has its land, and every grid shows rows or its "no rows" overlay.
DRAWN_JS = """() => {
  const content = document.getElementById('_pages_content');
  if (!content || !content.children.length) return false;
  if (document.querySelector('[data-dash-is-loading="true"]')) return false;
  for (const plot of content.querySelectorAll('.js-plotly-plot')) {
    if (!plot._fullLayout || !plot.querySelector('.main-svg')) return false;
    if (plot.querySelector('.geo') && !plot.querySelector('g.layer.land path')) return false;
  }
  for (const graph of content.querySelectorAll('.dash-graph')) {
    if (!graph.querySelector('.js-plotly-plot')) return false;
  }
  for (const grid of content.querySelectorAll('.ag-root')) {
    if (!grid.querySelector('.ag-row, .ag-overlay-no-rows-wrapper, .ag-overlay-no-rows-center')) return false;
  }
  return performance.now();
}"""


# ---- helpers ---------------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def router_body(path: str, search: str) -> dict:
    """The request dash-renderer sends when the URL changes (a filter or a navigation)."""
    return {"output": ROUTER_OUTPUT,
            "outputs": [{"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.search"]}


def app_env(url: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "WORKERS", "PORT")}
    env.update(DATABASE_URL=url, SEED_ON_START="false", LOG_LEVEL="WARNING", DASH_DEBUG="false",
               SECRET_KEY="bench-" + "k" * 40, PYTHONPATH=str(ROOT), **extra)
    return env


# ---- stores ----------------------------------------------------------------------------------------------


def pg_url(name: str) -> str:
    from sqlalchemy import make_url

    return make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


def recreate_pg(name: str) -> None:
    from sqlalchemy import create_engine

    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()


def is_synthetic_store(url: str) -> bool:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    from db.reference import SYNTHETIC_SOURCE_KEY

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(text("SELECT 1 FROM source WHERE key = :k"), {"k": SYNTHETIC_SOURCE_KEY}).first())
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def prepare_stores(names: list[str], regenerate: bool) -> dict[str, str]:
    """Make each named store; return name -> database URL."""
    from db.session import make_engine
    from seed.load import init_store

    DATA.mkdir(parents=True, exist_ok=True)
    urls = {}
    for name in names:
        if name == "real-sqlite":
            path = DATA / "real.sqlite3"
            path.unlink(missing_ok=True)
            url = f"sqlite:///{path}"
        elif name == "real-postgresql":
            recreate_pg("metropolis_bench_real")
            url = pg_url("metropolis_bench_real")
        elif name == "synthetic-sqlite":
            url = f"sqlite:///{DATA / 'synthetic.sqlite3'}"
        elif name == "synthetic-postgresql":
            url = pg_url("metropolis_bench_synthetic")
        else:
            raise SystemExit(f"unknown store {name!r}")
        if name.startswith("real"):
            start = time.perf_counter()
            engine = make_engine(url)
            init_store(engine)
            engine.dispose()
            log(f"{name}: seeded in {time.perf_counter() - start:.1f} s")
        elif regenerate or not is_synthetic_store(url):
            log(f"{name}: generating the synthetic store (a minute or two) ...")
            command = [sys.executable, "-m", "seed.synthetic", url, "--replace"]
            subprocess.run(command, cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        urls[name] = url
    return urls


# ---- 1. callbacks, in a child process (the app binds its store at import) -----------------------------------


def callbacks_worker(url: str, reps: int, out: Path) -> None:
    os.environ.update(app_env(url, REDIS_URL=""))
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import event, select

    import app as dashboard_app
    from dashboard.cache import cache
    from dashboard.components import filter_values
    from dashboard.filters import ChartFilters
    from dashboard.urls import query as query_string
    from db import models as m
    from db.session import Session

    server = dashboard_app.server
    engine = Session.kw["bind"]
    captured: list[tuple[str, object]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _capture(_conn, _cursor, statement, parameters, _context, executemany):
        if not executemany and not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            captured.append((statement, parameters))

    with server.app_context():
        regions, years = filter_values()
    with Session() as session:
        slug = session.scalar(select(m.Member.slug).order_by(m.Member.id).limit(1))
    combos = [ChartFilters(regions=chosen or None, year=year)
              for year in years[-2:] for chosen in ([], regions[:1], regions[1:3])]
    client = server.test_client()
    client.get("/")
    csrf = client.get_cookie("_csrf_token")
    headers = {"X-CSRFToken": csrf.value} if csrf else {}

    def post(path: str, search: str):
        start = time.perf_counter()
        answer = client.post("/_dash-update-component", json=router_body(path, search), headers=headers)
        seconds = time.perf_counter() - start
        if answer.status_code != 200:
            raise SystemExit(f"{path}{search}: HTTP {answer.status_code}: {answer.get_data(as_text=True)[:300]}")
        return seconds, len(answer.get_data())

    raw = engine.raw_connection()

    def replay(statements) -> float:
        cursor = raw.cursor()
        start = time.perf_counter()
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            if cursor.description:
                cursor.fetchall()
        seconds = time.perf_counter() - start
        cursor.close()
        raw.rollback()
        return seconds

    # one pass first: imports, templates and connection pools of a process that has served before
    for page in PAGES:
        post(page.format(slug=slug), query_string(combos[0]))
    results = {}
    for page in PAGES:
        path = page.format(slug=slug)
        row = {"cold": [], "warm": [], "sql": [], "statements": [], "kb": []}
        for _rep in range(reps):
            for filters in combos:
                search = query_string(filters)
                with server.app_context():
                    cache.clear()
                captured.clear()
                seconds, size = post(path, search)
                statements = list(captured)
                row["cold"].append(seconds)
                row["kb"].append(size / 1024)
                row["statements"].append(len(statements))
                row["sql"].append(min(replay(statements) for _ in range(2)))
                row["warm"].append(post(path, search)[0])
        results[page] = row
    raw.close()
    out.write_text(json.dumps({"years": years[-2:], "regions": regions, "slug": slug, "pages": results}))


def run_callbacks(name: str, url: str, reps: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callbacks.json"
        subprocess.run([sys.executable, __file__, "_callbacks", url, str(reps), str(out)], check=True, cwd=ROOT,
                       env=app_env(url, REDIS_URL=""))
        data = json.loads(out.read_text())
    print(f"\n== {name}: page callbacks, in-process, {len(data['pages']['/']['cold'])} filter changes per page "
          f"(years {data['years']}, regions: all / one / two) ==")
    print(f"{'page':18} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} {'warm p95':>9} {'SQL p50':>8} {'SQL p95':>8} "
          f"{'cold/SQL':>8} {'stmts':>6} {'KB':>7}")
    summary = {}
    for page, row in data["pages"].items():
        ms = {k: [1000 * v for v in row[k]] for k in ("cold", "warm", "sql")}
        ratio = statistics.median(ms["cold"]) / max(statistics.median(ms["sql"]), 1e-3)
        summary[page] = {"cold_p50": statistics.median(ms["cold"]), "cold_p95": pct(ms["cold"], 95),
                         "warm_p50": statistics.median(ms["warm"]), "warm_p95": pct(ms["warm"], 95),
                         "sql_p50": statistics.median(ms["sql"]), "sql_p95": pct(ms["sql"], 95), "ratio": ratio,
                         "statements": statistics.median(row["statements"]), "kb": statistics.median(row["kb"])}
        s = summary[page]
        print(f"{page:18} {s['cold_p50']:9.1f} {s['cold_p95']:9.1f} {s['warm_p50']:9.1f} {s['warm_p95']:9.1f} "
              f"{s['sql_p50']:8.1f} {s['sql_p95']:8.1f} {ratio:8.1f} {s['statements']:6.0f} {s['kb']:7.0f}")
    return {"slug": data["slug"], "pages": summary}


# ---- servers ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(url: str, workers: int, logfile: Path):
    """gunicorn (the repo's gunicorn.conf.py) on a free port against `url` with Redis database 13, flushed."""
    import redis

    redis.Redis.from_url(REDIS_BENCH_URL).flushdb()
    port = free_port()
    env = app_env(url, REDIS_URL=REDIS_BENCH_URL, WORKERS=str(workers), PORT=str(port), HOST="127.0.0.1")
    binary = Path(sys.executable).parent / "gunicorn"
    with open(logfile, "w") as handle:
        proc = subprocess.Popen([str(binary), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", "app:server"],
                                cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as answer:
                    if answer.status == 200 and len(worker_pids(proc.pid)) >= workers:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start: {logfile.read_text()[-2000:]}")
            time.sleep(0.3)
        yield base, proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    if "Traceback" in logfile.read_text():
        log(f"warning: gunicorn logged a traceback, see {logfile}")


def worker_pids(master: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ---- 2. page loads in Chromium ---------------------------------------------------------------------------


def run_page_loads(name: str, url: str, slug: str, reps: int) -> dict:
    import redis
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("BROWSER_PATH") or shutil.which("chromium")
    if not chromium:
        raise SystemExit("Debian's chromium is not installed (make install-test installs it)")
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp, gunicorn(url, 2, Path(tmp) / "gunicorn.log") as (base, _proc), \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        cache = redis.Redis.from_url(REDIS_BENCH_URL)

        def load(page, path: str) -> float:
            page.goto(base + path, wait_until="commit")
            return page.wait_for_function(DRAWN_JS, timeout=60_000).json_value() / 1000

        for page_path in PAGES:
            path = page_path.format(slug=slug)
            cold, warm = [], []
            for _ in range(reps):
                cache.flushdb()
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                page = context.new_page()
                cold.append(load(page, path))
                warm.append(load(page, path))
                context.close()
            results[page_path] = {"cold": statistics.median(cold), "cold_max": max(cold),
                                  "warm": statistics.median(warm), "warm_max": max(warm)}
        browser.close()
    print(f"\n== {name}: page load in headless Chromium until every graph has drawn, median of {reps} "
          f"(gunicorn 2 workers + Redis) ==")
    print(f"{'page':18} {'cold s':>7} {'cold max':>9} {'warm s':>7} {'warm max':>9}")
    for page_path, r in results.items():
        print(f"{page_path:18} {r['cold']:7.2f} {r['cold_max']:9.2f} {r['warm']:7.2f} {r['warm_max']:9.2f}")
    return results


# ---- 3. load with wrk ------------------------------------------------------------------------------------


WRK_SCRIPT = """
local bodies = {%s}
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = %s
wrk.headers["X-CSRFToken"] = %s
request = function()
  counter = counter + 1
  return wrk.format(nil, "/_dash-update-component", nil, bodies[(counter %% #bodies) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, ' ..
    '"p99_us": %%d, "max_us": %%d, "connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def lua_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def run_load(name: str, url: str, slug: str, bodies_for: list[tuple[str, str]], duration: int, connections: int,
             worker_counts: list[int]) -> dict:
    wrk = shutil.which("wrk")
    if not wrk:
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install wrk)")
    results = {}
    for workers in worker_counts:
        with tempfile.TemporaryDirectory() as tmp, gunicorn(url, workers, Path(tmp) / "gunicorn.log") as (base, proc):
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            opener.open(base + "/", timeout=30).read()
            cookies = {c.name: c.value for c in jar}
            bodies = [json.dumps(router_body(path.format(slug=slug), search)) for path, search in bodies_for]
            headers = {"Content-Type": "application/json", "X-CSRFToken": cookies.get("_csrf_token", "")}
            for body in bodies:  # warm the shared cache: one pass, as the first visitors would
                request = urllib.request.Request(base + "/_dash-update-component", data=body.encode(),
                                                 headers=headers, method="POST")
                opener.open(request, timeout=120).read()
            script = Path(tmp) / "callbacks.lua"
            cookie_header = "; ".join(f"{k}={v}" for k, v in cookies.items())
            script.write_text(WRK_SCRIPT % (", ".join(lua_string(b) for b in bodies), lua_string(cookie_header),
                                            lua_string(headers["X-CSRFToken"])))
            output = subprocess.run([wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s",
                                     str(script), base], capture_output=True, text=True, check=True).stdout
            line = next(x for x in output.splitlines() if x.startswith("BENCH "))
            figures = json.loads(line[len("BENCH "):])
            rss = [rss_mb(pid) for pid in worker_pids(proc.pid)]
        errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
        results[workers] = {"rps": figures["requests"] / (figures["duration_us"] / 1e6),
                            "p50_ms": figures["p50_us"] / 1000, "p95_ms": figures["p95_us"] / 1000,
                            "p99_ms": figures["p99_us"] / 1000, "max_ms": figures["max_us"] / 1000,
                            "requests": figures["requests"], "errors": errors, "rss_mb": rss}
    print(f"\n== {name}: load, wrk -t2 -c{connections} -d{duration}s on the filter callbacks of {len(bodies_for)} "
          f"page x filter combinations (gunicorn gthread x4 threads, Redis cache warmed by one pass) ==")
    print(f"{'workers':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>7} "
          f"  RSS per worker after the run (MB)")
    for workers, r in results.items():
        print(f"{workers:7d} {r['rps']:8.1f} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['p99_ms']:8.1f} "
              f"{r['requests']:9d} {r['errors']:7d}   {', '.join(f'{x:.0f}' for x in r['rss_mb'])}")
    return results


def load_bodies(url: str) -> list[tuple[str, str]]:
    """(path, search) of every page over the filter combinations the callbacks phase used."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from dashboard.filters import ChartFilters
    from dashboard.urls import query as query_string
    from db.queries.common import available_years, region_names

    engine = create_engine(url)
    with Session(engine) as session:
        regions, years = region_names(session), available_years(session)
    engine.dispose()
    return [(page, query_string(ChartFilters(regions=chosen or None, year=year)))
            for page in PAGES for year in years[-2:] for chosen in ([], regions[:1], regions[1:3])]


# ---- goals -----------------------------------------------------------------------------------------------


def report_goals(report: dict) -> None:
    print("\n== goals ==")

    def line(ok: bool, text: str) -> None:
        print(f"{'met   ' if ok else 'MISSED'} {text}")

    for store, data in report.items():
        calls = data.get("callbacks", {}).get("pages", {})
        if calls:
            worst = max(calls.items(), key=lambda kv: kv[1]["cold_p95"])
            worst_warm = max(calls.items(), key=lambda kv: kv[1]["warm_p95"])
            goal = GOALS["real_callback_p95_ms"] if store.startswith("real") else (
                GOALS["synthetic_pg_callback_p95_ms"] if store == "synthetic-postgresql" else None)
            if goal:
                line(worst_warm[1]["warm_p95"] <= goal, f"{store}: filter change p95 under {goal} ms, cached: worst "
                     f"page {worst_warm[0]} {worst_warm[1]['warm_p95']:.0f} ms")
                line(worst[1]["cold_p95"] <= goal, f"{store}: filter change p95 under {goal} ms, uncached (first "
                     f"visitor after a write): worst page {worst[0]} {worst[1]['cold_p95']:.0f} ms"
                     + ("" if worst[1]["cold_p95"] <= goal else f", {worst[1]['cold_p95'] / goal:.1f}x the goal"))
            worst_ratio = max(calls.items(), key=lambda kv: kv[1]["ratio"])
            line(worst_ratio[1]["ratio"] <= GOALS["callback_over_sql"],
                 f"{store}: uncached callback within 3x its bare SQL: worst {worst_ratio[0]} "
                 f"{worst_ratio[1]['ratio']:.1f}x ({worst_ratio[1]['cold_p50']:.0f} ms vs "
                 f"{worst_ratio[1]['sql_p50']:.1f} ms SQL)")
        loads = data.get("page_loads", {})
        if loads and store.startswith("real"):
            worst = max(loads.items(), key=lambda kv: kv[1]["cold"])
            line(worst[1]["cold"] <= GOALS["real_page_load_s"], f"{store}: page drawn within 1.5 s: worst "
                 f"{worst[0]} {worst[1]['cold']:.2f} s cold, {max(r['warm'] for r in loads.values()):.2f} s warm")
        for workers, r in data.get("load", {}).items():
            line(r["errors"] == 0, f"{store}: {workers} worker(s) under load: {r['errors']} errors in "
                 f"{r['requests']} requests")
            line(max(r["rss_mb"]) <= GOALS["worker_rss_mb"], f"{store}: {workers} worker(s): largest worker "
                 f"{max(r['rss_mb']):.0f} MB resident (goal 300 MB)")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_callbacks":
        callbacks_worker(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))
        return
    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--stores", default="real-sqlite,real-postgresql,synthetic-sqlite,synthetic-postgresql")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of every page x filter combination")
    parser.add_argument("--browser-reps", type=int, default=3, help="cold and warm loads per page")
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per worker count")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections under load")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--regenerate", action="store_true", help="generate the synthetic stores again")
    args = parser.parse_args()
    names = [s.strip() for s in args.stores.split(",") if s.strip()]
    urls = prepare_stores(names, args.regenerate)
    report: dict[str, dict] = {}
    for name, url in urls.items():
        log(f"{name}: callbacks ...")
        report[name] = {"callbacks": run_callbacks(name, url, args.reps)}
        slug = report[name]["callbacks"]["slug"]
        if not args.skip_browser:
            log(f"{name}: page loads ...")
            report[name]["page_loads"] = run_page_loads(name, url, slug, args.browser_reps)
        if not args.skip_load and name.endswith("postgresql"):
            log(f"{name}: load ...")
            report[name]["load"] = run_load(name, url, slug, load_bodies(url), args.duration, args.connections,
                                            [1, 4])
    report_goals(report)
    (DATA / "serve.json").write_text(json.dumps(report, indent=1, default=str))
    log(f"figures saved to {DATA / 'serve.json'}")


if __name__ == "__main__":
    main()
