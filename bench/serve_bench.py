"""Serving benchmark: every figure of the serving issue's goals (issue 14), each printed beside its goal.

    .venv/bin/python bench/serve_bench.py                  # everything (about 30 minutes on 2 cores)
    .venv/bin/python bench/serve_bench.py --stores real-sqlite,real-postgresql --skip-load
    make bench                                             # the same, after installing wrk

Stores (each a copy made for the benchmark, never the dashboard's own store):
  real-sqlite / real-postgresql            the curated 2020 store, seeded from seed/ into bench/.data/real.sqlite3
                                           and the PostgreSQL database metropolis_bench_real (recreated each run)
  synthetic-postgresql (synthetic-sqlite)  `python -m seed.synthetic` at its default scale (10,000 members, 10 years,
                                           50,000 events, 2 million participation rows) into
                                           metropolis_bench_synthetic (bench/.data/synthetic.sqlite3); generated
                                           once, reused by later runs (--regenerate to make them again)

What it prints, per store:
  1. Callbacks: the page router's callback (what a filter change or a navigation runs) for every page, over every
     filter combination (the two latest years x all regions / one region / two regions) and --reps repetitions,
     answered in-process by the Flask test client: cold (cache emptied first), warm (cached), p50 and p95; beside
     it the bare SQL that callback ran, replayed statement by statement on a raw DBAPI connection (p50, p95), the
     ratio cold callback / bare SQL, the number of statements and the response size. --explain writes the
     slowest statements with their plans (EXPLAIN ANALYZE on PostgreSQL) to bench/.data/explain-<store>.txt.
  2. Page loads in headless Chromium (Debian's chromium) from gunicorn (2 workers, Redis), real stores: navigation
     start until every graph on the page has drawn (and the map its land), with an empty server cache and a new
     browser profile (cold), then again in the same profile with the cache filled (warm).
  3. Load (PostgreSQL stores): wrk on 127.0.0.1 replays the filter callbacks of every page and filter combination
     for --duration seconds at --connections connections against gunicorn with 1 and then 4 workers (4 threads
     each) and Redis (database 13, flushed first, then warmed by one pass): requests per second, p50/p95/p99,
     errors, and the resident memory of each worker afterwards.
  On one real store (PostgreSQL when measured):
  4. What a first visit downloads (bench/page_weight.py) and Lighthouse's performance score (desktop preset,
     median of --lighthouse-runs; node_modules' lighthouse, else `npx lighthouse@12.8.2`, see STACK.md).
  5. A write (a bilateral meeting, by a Secretariat user), then each default page opened by a new visitor and a
     signed-in Board member: served from what the pre-warm (dashboard/prewarm.py) computed after the write.
Then the goals table: figure, goal, measured, met. Figures also go to bench/.data/serve.json.
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
import urllib.parse
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


def callbacks_worker(url: str, reps: int, out: Path, explain: bool = False) -> None:
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

    slowest: dict[str, tuple[float, str, object]] = {}  # statement -> (seconds, page, parameters), its worst run

    def replay(statements, page: str = "") -> float:
        cursor = raw.cursor()
        total = 0.0
        for statement, parameters in statements:
            start = time.perf_counter()
            cursor.execute(statement, parameters)
            if cursor.description:
                cursor.fetchall()
            seconds = time.perf_counter() - start
            total += seconds
            if seconds > slowest.get(statement, (0.0,))[0]:
                slowest[statement] = (seconds, page, parameters)
        cursor.close()
        raw.rollback()
        return total

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
                row["sql"].append(min(replay(statements, path) for _ in range(2)))
                row["warm"].append(post(path, search)[0])
        results[page] = row
    plans = explain_slowest(raw, engine.dialect.name, slowest) if explain else []
    raw.close()
    out.write_text(json.dumps({"years": years[-2:], "regions": regions, "slug": slug, "pages": results,
                               "plans": plans}))


def explain_slowest(raw, dialect: str, slowest: dict, count: int = 12) -> list[dict]:
    """The `count` slowest statements (by their worst replay) with the plan the database ran them by."""
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if dialect == "postgresql" else "EXPLAIN QUERY PLAN "
    plans = []
    for statement, (seconds, page, parameters) in sorted(slowest.items(), key=lambda kv: -kv[1][0])[:count]:
        cursor = raw.cursor()
        cursor.execute(prefix + statement, parameters)
        plan = "\n".join(" ".join(str(c) for c in r) for r in cursor.fetchall())
        cursor.close()
        raw.rollback()
        plans.append({"ms": 1000 * seconds, "page": page, "statement": statement, "plan": plan})
    return plans


def run_callbacks(name: str, url: str, reps: int, explain: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callbacks.json"
        subprocess.run([sys.executable, __file__, "_callbacks", url, str(reps), str(out)] + (["explain"] if explain else []),
                       check=True, cwd=ROOT, env=app_env(url, REDIS_URL=""))
        data = json.loads(out.read_text())
    if data.get("plans"):
        plan_file = DATA / f"explain-{name}.txt"
        plan_file.write_text("\n\n".join(f"-- {p['ms']:.1f} ms worst replay, page {p['page']}\n{p['statement']}\n"
                                          f"-- parameters: {p.get('parameters', '')}\n{p['plan']}" for p in data["plans"]))
        print(f"\n{name}: the {len(data['plans'])} slowest statements and their plans: {plan_file}")
        for p in data["plans"]:
            print(f"  {p['ms']:8.1f} ms  {p['page']:16} {' '.join(p['statement'].split())[:110]}")
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
                         "ratio_p95": pct(ms["cold"], 95) / max(pct(ms["sql"], 95), 1e-3),
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


def pss_mb(pid: int) -> float:
    """Proportional set size: the worker's own memory plus its share of pages shared with other processes."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
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
            pss = [pss_mb(pid) for pid in worker_pids(proc.pid)]
        errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
        results[workers] = {"rps": figures["requests"] / (figures["duration_us"] / 1e6),
                            "p50_ms": figures["p50_us"] / 1000, "p95_ms": figures["p95_us"] / 1000,
                            "p99_ms": figures["p99_us"] / 1000, "max_ms": figures["max_us"] / 1000,
                            "requests": figures["requests"], "errors": errors, "rss_mb": rss, "pss_mb": pss}
    print(f"\n== {name}: load, wrk -t2 -c{connections} -d{duration}s on the filter callbacks of {len(bodies_for)} "
          f"page x filter combinations (gunicorn gthread x4 threads, Redis cache warmed by one pass) ==")
    print(f"{'workers':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>7} "
          f"  RSS (PSS) per worker after the run (MB)")
    for workers, r in results.items():
        print(f"{workers:7d} {r['rps']:8.1f} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['p99_ms']:8.1f} "
              f"{r['requests']:9d} {r['errors']:7d}   "
              f"{', '.join(f'{x:.0f} ({y:.0f})' for x, y in zip(r['rss_mb'], r['pss_mb']))}")
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


# ---- 4. what a first visit downloads, and Lighthouse ----------------------------------------------------


WEIGHT_PAGES = ["/", "/engagement", "/map", "/events"]
LIGHTHOUSE_PAGES = ["/", "/map", "/engagement", "/events"]
LIGHTHOUSE_VERSION = "12.8.2"  # STACK.md: verified with Debian's chromium


def lighthouse_command() -> list[str]:
    """node_modules' lighthouse when installed (package.json), else npx fetches the verified version once."""
    local = ROOT / "node_modules" / ".bin" / "lighthouse"
    if local.exists():
        return [str(local)]
    npx = shutil.which("npx")
    if not npx:
        raise SystemExit("neither node_modules/.bin/lighthouse nor npx: install Node.js and npm")
    return [npx, "--yes", f"lighthouse@{LIGHTHOUSE_VERSION}"]


def lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run (desktop preset, performance only) of `url`: score, CLS, LCP, TBT, bytes."""
    chromium = os.environ.get("BROWSER_PATH") or shutil.which("chromium")
    command = lighthouse_command() + [url, "--preset=desktop", "--only-categories=performance", "--output=json",
                                      f"--output-path={out}", "--quiet",
                                      "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
                                      "--disable-background-networking --disable-component-update --disable-sync"]
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "CHROME_PATH": chromium or ""},
                   timeout=240)
    data = json.loads(out.read_text())
    audits = data["audits"]
    return {"score": round(100 * (data["categories"]["performance"]["score"] or 0)),
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "tbt_ms": audits["total-blocking-time"]["numericValue"],
            "bytes": audits["total-byte-weight"]["numericValue"]}


def run_front_end(name: str, url: str, lighthouse_runs: int) -> dict:
    """Page weight (bench/page_weight.py) and Lighthouse medians, against gunicorn (2 workers, Redis)."""
    from page_weight import measure  # bench/ is the script's folder, first on sys.path

    result: dict = {}
    with tempfile.TemporaryDirectory() as tmp, gunicorn(url, 2, Path(tmp) / "gunicorn.log") as (base, _proc):
        print(f"\n== {name}: what a first visit downloads (new browser profile), bench/page_weight.py ==")
        result["weight"] = measure(base, WEIGHT_PAGES)
        if lighthouse_runs:
            runs: dict[str, list[dict]] = {}
            for path in LIGHTHOUSE_PAGES:
                runs[path] = [lighthouse(base + path, Path(tmp) / "lh.json") for _ in range(lighthouse_runs)]
            print(f"\n== {name}: Lighthouse {LIGHTHOUSE_VERSION} performance, desktop preset, median of "
                  f"{lighthouse_runs} ==")
            print(f"{'page':14} {'score':>6} {'runs':>14} {'CLS':>6} {'LCP s':>6} {'TBT ms':>7} {'MB':>6}")
            result["lighthouse"] = {}
            for path, rs in runs.items():
                med = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
                med["scores"] = [r["score"] for r in rs]
                result["lighthouse"][path] = med
                print(f"{path:14} {med['score']:6.0f} {str(med['scores']):>14} {med['cls']:6.3f} {med['lcp_s']:6.2f} "
                      f"{med['tbt_ms']:7.0f} {med['bytes'] / 1e6:6.2f}")
    return result


# ---- 5. the first view after a write ---------------------------------------------------------------------


BENCH_WRITER = "bench-secretariat@metropolis.bench"
BENCH_BOARD = "bench-board@metropolis.bench"
BENCH_PASSWORD = "bench password for a copy of the store"
WRITE_PAGES = ["/", "/map", "/engagement", "/events", "/members"]


def bench_users(url: str) -> None:
    """A Secretariat user (who writes) and a Board member (who reads), in the benchmark's copy of the store."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from dashboard.auth import hash_password
    from db import models as m
    from db.commands.users import create_user

    engine = create_engine(url)
    with Session(engine) as session, session.begin():
        for email, role in ((BENCH_WRITER, "secretariat"), (BENCH_BOARD, "board")):
            if session.scalar(select(m.UserAccount.id).where(m.UserAccount.email == email)) is None:
                create_user(session, email=email, name=role.title(), role=role, region=None,
                            password_hash=hash_password(BENCH_PASSWORD))
    engine.dispose()


def write_body(url: str) -> dict:
    """A bilateral meeting with the first member, in the store's latest year (a write every store accepts)."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from db import models as m
    from db.queries.common import available_years

    engine = create_engine(url)
    with Session(engine) as session:
        member = session.scalar(select(m.Member.name).order_by(m.Member.id).limit(1))
        year = available_years(session)[-1]
    engine.dispose()
    return {"member": member, "date": f"{year}-06-15", "online": True, "note": f"benchmark write {time.time():.0f}"}


class Visitor:
    """A browser's cookies and CSRF token, talking to the dashboard at `base`."""

    def __init__(self, base: str, email: str | None = None):
        import re

        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        if email:
            page = self.opener.open(base + "/login", timeout=30).read().decode()
            token = re.search(r"name='csrf_token' value='([^']+)'", page).group(1)
            form = urllib.parse.urlencode({"email": email, "password": BENCH_PASSWORD, "csrf_token": token})
            self.opener.open(urllib.request.Request(base + "/login", data=form.encode()), timeout=30).read()
        self.opener.open(base + "/", timeout=60).read()

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "_csrf_token"), "")

    def call(self, method: str, path: str, body: dict, referer: str | None = None) -> tuple[float, bytes]:
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.csrf()}
        if referer:
            headers["Referer"] = self.base + referer
        request = urllib.request.Request(self.base + path, data=json.dumps(body).encode(), headers=headers,
                                         method=method)
        start = time.perf_counter()
        with self.opener.open(request, timeout=120) as answer:
            data = answer.read()
        return time.perf_counter() - start, data

    def open_page(self, path: str) -> float:
        return self.call("POST", "/_dash-update-component", router_body(path, ""), referer=path)[0]


def run_write_then_view(name: str, url: str) -> dict:
    """A write as the Secretariat, then each default page opened by a new visitor and a signed-in Board member:
    served from the cache the pre-warm filled (dashboard/prewarm.py), beside the same pages cold and warm."""
    import redis

    bench_users(url)
    cache = redis.Redis.from_url(REDIS_BENCH_URL)
    with tempfile.TemporaryDirectory() as tmp, gunicorn(url, 2, Path(tmp) / "gunicorn.log") as (base, _proc):
        writer, board = Visitor(base, BENCH_WRITER), Visitor(base, BENCH_BOARD)
        cold = {}
        for path in WRITE_PAGES:  # the same views with an empty cache and no pre-warm (no write): what a miss costs
            cache.flushdb()
            cold[path] = Visitor(base).open_page(path)
        start = time.perf_counter()
        _seconds, answer = writer.call("POST", "/api/v1/bilateral-meetings", write_body(url))
        version = json.loads(urllib.request.urlopen(base + "/api/v1/version", timeout=30).read())["version"]
        done_key = f"metropolis:prewarm-done:v{version}"
        while not cache.exists(done_key) and time.perf_counter() - start < 300:
            time.sleep(0.05)
        warmed_after = time.perf_counter() - start
        claims = [k.decode() for k in cache.keys(f"metropolis:prewarm:v{version}")]
        pattern = f"metropolis:page:*:v{version}:*"
        before = set(cache.keys(pattern))
        rows = {}
        for path in WRITE_PAGES:
            public, signed_in = Visitor(base).open_page(path), board.open_page(path)
            rows[path] = {"public": public, "signed_in": signed_in, "again": board.open_page(path),
                          "cold": cold[path]}
        built = sorted(k.decode() for k in set(cache.keys(pattern)) - before)  # pages the first views had to build
    done = bool(claims) and cache.exists(done_key) and not built
    print(f"\n== {name}: the first views after a write (a bilateral meeting recorded by the Secretariat), "
          f"gunicorn 2 workers + Redis ==")
    print(f"pre-warm finished {warmed_after:.2f} s after the write was sent; claimed by {len(claims)} worker(s); "
          f"pages the first views had to build: {len(built)} {built[:3]}")
    print(f"{'page':14} {'public ms':>10} {'Board ms':>9} {'again ms':>9} {'cold ms':>8}")
    for path, r in rows.items():
        print(f"{path:14} {1000 * r['public']:10.1f} {1000 * r['signed_in']:9.1f} {1000 * r['again']:9.1f} "
              f"{1000 * r['cold']:8.1f}")
    return {"warmed_after_s": warmed_after, "claims": len(claims), "warmed": done, "built": built, "pages": rows}


# ---- goals -----------------------------------------------------------------------------------------------


def goal_rows(report: dict, front: dict, after_write: dict) -> list[tuple[str, str, str, bool | None]]:
    """(figure, goal, measured, met) for every goal of the serving issue (README 'Measured performance')."""
    rows: list[tuple[str, str, str, bool | None]] = []

    def add(figure: str, goal: str, measured: str | None, met: bool | None) -> None:
        rows.append((figure, goal, measured if measured is not None else "not measured (see the options)",
                     met if measured is not None else None))

    weight = front.get("weight", {})
    for path, limit in (("/", 1.0), ("/engagement", 1.2), ("/map", 1.2)):
        w = weight.get(path)
        add(f"bytes of a first visit to {path}", f"<= {limit:.1f} MB",
            w and f"{w['bytes'] / 1e6:.2f} MB", w and w["bytes"] / 1e6 <= limit)
    lh = front.get("lighthouse", {})
    for path in LIGHTHOUSE_PAGES:
        r = lh.get(path)
        add(f"Lighthouse performance {path}, median of 3", ">= 90; CLS <= 0.05",
            r and f"{r['score']:.0f} {r['scores']}; CLS {r['cls']:.3f}", r and r["score"] >= 90 and r["cls"] <= 0.05)
    for store in ("real-sqlite", "real-postgresql"):
        loads = report.get(store, {}).get("page_loads")
        if not loads and store == "real-postgresql" and report.get("real-sqlite", {}).get("page_loads"):
            continue
        for kind, limit in (("warm", 0.8), ("cold", 1.5)):
            worst = max(loads.items(), key=lambda kv: kv[1][kind]) if loads else None
            add(f"page drawn, {kind}, every page ({store})", f"<= {limit} s median",
                worst and f"worst {worst[0]} {worst[1][kind]:.2f} s", worst and worst[1][kind] <= limit)
    for store in ("real-sqlite", "real-postgresql"):
        calls = report.get(store, {}).get("callbacks", {}).get("pages")
        worst = max(calls.items(), key=lambda kv: kv[1]["cold_p95"]) if calls else None
        add(f"filter change, cache miss, p95, every page ({store})", "<= 25 ms",
            worst and f"worst {worst[0]} {worst[1]['cold_p95']:.0f} ms", worst and worst[1]["cold_p95"] <= 25)
        ratio = max(calls.items(), key=lambda kv: kv[1]["ratio_p95"]) if calls else None
        add(f"that p95 / the callback's bare SQL p95 ({store})", "<= 5x",
            ratio and f"worst {ratio[0]} {ratio[1]['ratio_p95']:.1f}x ({ratio[1]['cold_p95']:.0f} ms vs "
                      f"{ratio[1]['sql_p95']:.1f} ms)", ratio and ratio[1]["ratio_p95"] <= 5)
    calls = report.get("synthetic-postgresql", {}).get("callbacks", {}).get("pages")
    worst = max(calls.items(), key=lambda kv: kv[1]["cold_p95"]) if calls else None
    add("synthetic store on PostgreSQL, cache miss p95, every page", "<= 250 ms",
        worst and f"worst {worst[0]} {worst[1]['cold_p95']:.0f} ms", worst and worst[1]["cold_p95"] <= 250)
    if after_write:
        pages = after_write["pages"]
        slowest = max(pages.items(), key=lambda kv: max(kv[1]["public"], kv[1]["signed_in"]))
        first = max(slowest[1]["public"], slowest[1]["signed_in"])
        hit = after_write["warmed"]  # pre-warmed, and no first view had to build its page
        add("first Board view after a write", "served warm (pre-computed after the write)",
            f"{'warm' if hit else 'NOT warm'}: slowest first view {slowest[0]} {1000 * first:.0f} ms "
            f"(cold {1000 * slowest[1]['cold']:.0f} ms); pre-warm done {after_write['warmed_after_s']:.1f} s "
            f"after the write, by {after_write['claims']} worker", hit)
    else:
        add("first Board view after a write", "served warm (pre-computed after the write)", None, None)
    rss = [(store, workers, max(r["rss_mb"])) for store, data in report.items()
           for workers, r in data.get("load", {}).items() if r["rss_mb"]]
    worst_rss = max(rss, key=lambda x: x[2]) if rss else None
    add("resident memory per worker after the load run", "<= 200 MB",
        worst_rss and f"largest {worst_rss[2]:.0f} MB ({worst_rss[0]}, {worst_rss[1]} workers)",
        worst_rss and worst_rss[2] <= 200)
    return rows


def report_goals(report: dict, front: dict, after_write: dict) -> list:
    rows = goal_rows(report, front, after_write)
    print("\n== goals (issue 14) ==")
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    print(f"| {'figure':{widths[0]}} | {'goal':{widths[1]}} | {'measured':{widths[2]}} | met? |")
    print(f"|{'-' * (widths[0] + 2)}|{'-' * (widths[1] + 2)}|{'-' * (widths[2] + 2)}|------|")
    for figure, goal, measured, met in rows:
        mark = "-" if met is None else ("yes" if met else "NO")
        print(f"| {figure:{widths[0]}} | {goal:{widths[1]}} | {measured:{widths[2]}} | {mark:4} |")
    return rows


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_callbacks":
        callbacks_worker(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]), explain=sys.argv[5:] == ["explain"])
        return
    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--stores", default="real-sqlite,real-postgresql,synthetic-postgresql",
                        help="comma-separated; synthetic-sqlite is also known (no goal is measured on it)")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of every page x filter combination")
    parser.add_argument("--browser-reps", type=int, default=3, help="cold and warm loads per page")
    parser.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page (0: none)")
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per worker count")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections under load")
    parser.add_argument("--skip-browser", action="store_true", help="no page loads, page weight or Lighthouse")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-write", action="store_true", help="no write-then-view phase")
    parser.add_argument("--regenerate", action="store_true", help="generate the synthetic stores again")
    parser.add_argument("--out", default=str(DATA / "serve.json"), help="where the figures are saved (JSON)")
    parser.add_argument("--explain", action="store_true",
                        help="write the slowest statements' plans (EXPLAIN ANALYZE) to bench/.data/explain-<store>.txt")
    args = parser.parse_args()
    names = [s.strip() for s in args.stores.split(",") if s.strip()]
    urls = prepare_stores(names, args.regenerate)
    report: dict[str, dict] = {}
    front: dict = {}
    after_write: dict = {}
    # the page weight, Lighthouse and the write are measured on one real store: PostgreSQL, as in production
    front_store = next((n for n in ("real-postgresql", "real-sqlite") if n in urls), None)
    for name, url in urls.items():
        log(f"{name}: callbacks ...")
        report[name] = {"callbacks": run_callbacks(name, url, args.reps, args.explain)}
        slug = report[name]["callbacks"]["slug"]
        if not args.skip_browser and name.startswith("real"):  # the page-drawn goals are on the real store
            log(f"{name}: page loads ...")
            report[name]["page_loads"] = run_page_loads(name, url, slug, args.browser_reps)
        if not args.skip_browser and name == front_store:
            log(f"{name}: page weight and Lighthouse ...")
            front = run_front_end(name, url, args.lighthouse_runs)
        if not args.skip_load and name.endswith("postgresql"):
            log(f"{name}: load ...")
            report[name]["load"] = run_load(name, url, slug, load_bodies(url), args.duration, args.connections,
                                            [1, 4])
        if not args.skip_write and name == front_store:  # last: it writes into the benchmark's copy
            log(f"{name}: a write, then the first views ...")
            after_write = run_write_then_view(name, url)
    rows = report_goals(report, front, after_write)
    Path(args.out).write_text(json.dumps({"stores": report, "front_end": front, "after_write": after_write,
                                          "goals": rows}, indent=1, default=str))
    log(f"figures saved to {args.out}")


if __name__ == "__main__":
    main()
