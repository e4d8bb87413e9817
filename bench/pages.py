#!/usr/bin/env python3
"""Keel's pages under load (issue 14): the overview, plan and analytics pages and the report
API of the demo's client-a, each at 16 and 64 concurrent clients for a bounded time, on SQLite
and on PostgreSQL; the server's RSS before and after; idle RSS after `serve --demo`; RSS over
a 60 s run after two warm-up passes over the pages (--soak-warmup); and two `keel serve` on one
PostgreSQL sharing the load.

    python3 bench/pages.py --keel target/release/keel                  # everything
    python3 bench/pages.py --keel K --seconds 5 --soak 20 --no-postgres  # a quick look

Clients are `wrk` connections (keep-alive, as a browser's): `apt-get install wrk`. Each
measures for --seconds after one warming request per page and a --warmup run (2 s by
default) at the same concurrency, so that the figures are of a server in its steady state
(its database pool's connections opened: on PostgreSQL, opening them under load put the
first run's p99 at 60–550 ms). Printed per page and client count:
requests/s, p50, p99, errors (non-2xx and socket errors), server RSS before and after.

Goals (issue 14): no page's p99 above 50 ms at 64 clients on demo data; idle RSS after
`serve --demo` at most 50 MiB; no RSS growth over a 60 s run; with two instances, a session
made on one works on the other and each job runs once (checked in the `jobs` table).
Needs a PostgreSQL at 127.0.0.1:5432 (user postgres) unless --no-postgres.
"""
import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_ADMIN = os.environ.get("KEEL_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
EMAIL, PASSWORD = "agency@demo.local", "demo-password"
PAGES = [
    ("overview", "/projects/client-a"),
    ("plan", "/projects/client-a/plan"),
    ("analytics", "/projects/client-a/analytics"),
    ("report API", "/api/v1/projects/client-a/report"),
]
P99_GOAL_MS, IDLE_RSS_GOAL_MIB = 50.0, 50.0
# Extra environment of every server started (--env), e.g. KEEL_FIGURE_CACHE_MB=0 for the
# figures computed on every request, as before the cache.
SERVER_ENV = {}
# Seconds of load before each measured run (--warmup).
WARMUP_SECONDS = [2]
# Passes over the four pages before the RSS run is measured (--soak-warmup).
SOAK_WARMUP_PASSES = [2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_url(db):
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + db


def psql(db, sql, capture=False):
    out = subprocess.run(["psql", "-qAt", "-v", "ON_ERROR_STOP=1", pg_url(db), "-c", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip() if capture else None


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def request(port, method, path, headers=None, body=None, timeout=60):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, r.getheaders(), data


class Server:
    """One `keel serve` on `url`."""

    def __init__(self, keel, url, demo=False, env=None):
        self.port = free_port()
        cmd = [keel, "--database", url, "serve", "--listen", f"127.0.0.1:{self.port}"] + (["--demo"] if demo else [])
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     env={**os.environ, **SERVER_ENV, **(env or {})})
        for _ in range(1200):
            try:
                if request(self.port, "GET", "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                sys.exit(f"keel serve exited with {self.proc.returncode}")
            time.sleep(0.1)
        sys.exit("keel serve did not answer")

    def rss(self):
        return rss_mib(self.proc.pid)

    def login(self, email=EMAIL, password=PASSWORD):
        """The session cookie (`keel_session=…`) of a login through the form."""
        status, headers, body = request(self.port, "GET", "/login")
        csrf = re.search(r'name="_csrf" value="([^"]+)"', body.decode()).group(1)
        cookies = "; ".join(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie")
        form = urllib.parse.urlencode({"email": email, "password": password, "_csrf": csrf})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("POST", "/login", body=form, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                           "Cookie": cookies})
        r = conn.getresponse()
        r.read()
        for name, value in r.getheaders():
            if name.lower() == "set-cookie" and value.startswith("keel_session="):
                return value.split(";")[0]
        sys.exit(f"login failed: {r.status}")

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def wrk(port, path, header, clients, seconds):
    """requests/s, p50 and p99 in ms, errors and requests of `clients` connections for `seconds`."""
    threads = min(2, clients)
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{int(seconds)}s", "--latency",
                          "--timeout", "10s", "-H", header, f"http://127.0.0.1:{port}{path}"],
                         capture_output=True, text=True, check=True).stdout

    def ms(label):
        m = re.search(rf"^\s*{label}%\s+([0-9.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return float("nan")
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors += sum(int(x) for x in m.groups()) if m else 0
    return {"rps": rps, "p50": ms("50"), "p99": ms("99"), "errors": errors, "requests": requests}


def headers_for(path, cookie, token):
    return f"Authorization: Bearer {token}" if path.startswith("/api/") else f"Cookie: {cookie}; keel_lang=en"


def fresh_database(keel, engine, work, dbs):
    if engine == "SQLite":
        url = "sqlite://" + os.path.join(work, f"keel-{uuid.uuid4().hex[:6]}.db")
    else:
        db = f"keel_pages_{uuid.uuid4().hex[:8]}"
        psql("postgres", f"CREATE DATABASE {db}")
        dbs.append(db)
        url = pg_url(db)
    return url


def load_table(keel, engine, url, seconds, clients_list):
    """Fills the demo into `url`, serves it and loads each page; returns the result rows."""
    subprocess.run([keel, "--database", url, "demo"], check=True, stdout=subprocess.DEVNULL)
    token = subprocess.run([keel, "--database", url, "token", "create", "--user", EMAIL],
                           check=True, capture_output=True, text=True).stdout.split()[-1]
    server = Server(keel, url)
    rows = []
    try:
        cookie = server.login()
        for name, path in PAGES:
            auth = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") else {"Cookie": cookie}
            status, _, body = request(server.port, "GET", path, auth)
            if status != 200 or len(body) < 1000:
                sys.exit(f"{path} answered {status} ({len(body)} bytes)")
        for name, path in PAGES:
            for clients in clients_list:
                if WARMUP_SECONDS[0] > 0:
                    wrk(server.port, path, headers_for(path, cookie, token), clients, WARMUP_SECONDS[0])
                before = server.rss()
                r = wrk(server.port, path, headers_for(path, cookie, token), clients, seconds)
                r.update(engine=engine, page=name, clients=clients, rss_before=before, rss_after=server.rss())
                rows.append(r)
                print(f"  {engine:<10} {name:<11} {clients:>3} clients  {r['rps']:8.0f} req/s  p50 {r['p50']:7.2f} ms  "
                      f"p99 {r['p99']:7.2f} ms  errors {r['errors']:>3}  RSS {before:5.1f} -> {r['rss_after']:5.1f} MiB",
                      flush=True)
    finally:
        server.stop()
    return rows


def soak(keel, url, seconds, warmup_passes=1):
    """RSS every 5 s while 64 clients load the four pages in turn for `seconds`, after
    `warmup_passes` passes over the four pages (5 s each) that are sampled but not measured:
    each page's first run sets the high-water mark of its in-flight memory (a rendered page
    per connection) and fills SQLite's page caches. Returns (warm-up samples, run samples)."""
    server = Server(keel, url)
    token = subprocess.run([keel, "--database", url, "token", "create", "--user", EMAIL],
                           check=True, capture_output=True, text=True).stdout.split()[-1]
    try:
        cookie = server.login()
        warm = [server.rss()]
        for i in range(warmup_passes * len(PAGES)):
            name, path = PAGES[i % len(PAGES)]
            wrk(server.port, path, headers_for(path, cookie, token), 64, 5)
            warm.append(server.rss())
        samples = [server.rss()]
        stop = time.monotonic() + seconds
        i = 0
        while time.monotonic() < stop:
            name, path = PAGES[i % len(PAGES)]
            wrk(server.port, path, headers_for(path, cookie, token), 64, 5)
            samples.append(server.rss())
            i += 1
        return warm, samples
    finally:
        server.stop()


def slope_mib_per_min(samples, step_seconds=5):
    """Least-squares slope of RSS over the run, MiB a minute (a leak shows as a steady rise)."""
    n = len(samples)
    if n < 2:
        return 0.0
    xs = [i * step_seconds / 60 for i in range(n)]
    mx, my = sum(xs) / n, sum(samples) / n
    return sum((x - mx) * (y - my) for x, y in zip(xs, samples)) / sum((x - mx) ** 2 for x in xs)


def idle_rss(keel, work, env=None):
    """VmRSS of `keel serve --demo` on an empty SQLite database, 5 s after it answers."""
    url = "sqlite://" + os.path.join(work, f"idle-{uuid.uuid4().hex[:6]}.db")
    server = Server(keel, url, demo=True, env=env)
    try:
        time.sleep(5)
        return server.rss()
    finally:
        server.stop()


def two_instances(keel, url, seconds):
    """Two servers on one PostgreSQL (demo filled): a session made on A used on B, the load
    split between them, and 500 due jobs run by both: each exactly once."""
    subprocess.run([keel, "--database", url, "demo"], check=True, stdout=subprocess.DEVNULL)
    a, b = Server(keel, url), Server(keel, url)
    db = url.rsplit("/", 1)[1]
    try:
        cookie = a.login()
        status, _, body = request(b.port, "GET", "/projects/client-a", {"Cookie": cookie})
        session_ok = status == 200 and b"Client A" in body
        # Jobs due now, of a kind whose handler succeeds without side effects (the SLA clock
        # of a post that does not exist).
        psql(db, "INSERT INTO jobs (kind, payload, run_at, created_at) "
                 "SELECT 'workflow.sla_halfway', '{\"post_id\": ' || (900000000 + g) || ', "
                 "\"submitted_at\": \"2026-01-01T00:00:00Z\"}', now(), now() FROM generate_series(1, 500) g")
        header = f"Cookie: {cookie}; keel_lang=en"
        procs = [subprocess.Popen(["wrk", "-t", "1", "-c", "32", "-d", f"{int(seconds)}s", "--latency", "-H", header,
                                   f"http://127.0.0.1:{s.port}/projects/client-a/analytics"],
                                  stdout=subprocess.PIPE, text=True) for s in (a, b)]
        outs = [p.communicate()[0] for p in procs]
        rps = sum(float(re.search(r"Requests/sec:\s+([0-9.]+)", o).group(1)) for o in outs)
        non2xx = sum(int(m.group(1)) for o in outs for m in [re.search(r"Non-2xx or 3xx responses: (\d+)", o)] if m)
        for _ in range(120):
            left = int(psql(db, "SELECT count(*) FROM jobs WHERE payload LIKE '{\"post_id\": 9%' AND state <> 'done'",
                            capture=True))
            if left == 0:
                break
            time.sleep(0.5)
        stats = psql(db, "SELECT count(*), count(*) FILTER (WHERE attempts = 1), count(DISTINCT locked_by) "
                         "FROM jobs WHERE payload LIKE '{\"post_id\": 9%' AND state = 'done'", capture=True)
        done, once, workers = (int(x) for x in stats.split("|"))
        return {"session_ok": session_ok, "rps": rps, "errors": non2xx, "jobs": done, "once": once, "workers": workers}
    finally:
        a.stop()
        b.stop()


def run(keel, seconds=10, soak_seconds=60, postgres=True, clients_list=(16, 64), only_load=False, only_soak=False):
    """Everything above; returns summary rows (label, value, bound, ok) for bench/run.py."""
    work = tempfile.mkdtemp(prefix="keel-pages-")
    dbs = []
    summary = []
    try:
        if not only_load and not only_soak:
            print("Idle RSS after `keel serve --demo` (SQLite)", flush=True)
            idle = idle_rss(keel, work)
            print(f"  {idle:.1f} MiB", flush=True)
            summary.append(("idle RSS after serve --demo (MiB)", idle, IDLE_RSS_GOAL_MIB, idle <= IDLE_RSS_GOAL_MIB))

        rows = []
        if not only_soak:
            print(f"\nPages under load, {seconds:g} s each (wrk, keep-alive)", flush=True)
            for engine in ["SQLite"] + (["PostgreSQL"] if postgres else []):
                rows += load_table(keel, engine, fresh_database(keel, engine, work, dbs), seconds, clients_list)
            worst = max((r for r in rows if r["clients"] == max(clients_list)), key=lambda r: r["p99"])
            errors = sum(r["errors"] for r in rows)
            summary.append((f"worst p99 at {max(clients_list)} clients: {worst['page']}, {worst['engine']} (ms)",
                            worst["p99"], P99_GOAL_MS, worst["p99"] <= P99_GOAL_MS))
            summary.append(("failed requests under load", errors, 0, errors == 0))

        if soak_seconds and not only_load:
            print(f"\nRSS over a {soak_seconds:g} s run, 64 clients, the four pages in turn (SQLite), after "
                  f"{SOAK_WARMUP_PASSES[0]} warm-up pass(es) over them", flush=True)
            url = fresh_database(keel, "SQLite", work, dbs)
            subprocess.run([keel, "--database", url, "demo"], check=True, stdout=subprocess.DEVNULL)
            warm, samples = soak(keel, url, soak_seconds, SOAK_WARMUP_PASSES[0])
            if len(warm) > 1:
                print("  warm-up pass: " + " ".join(f"{s:.1f}" for s in warm) + " MiB", flush=True)
            print("  run:          " + " ".join(f"{s:.1f}" for s in samples) + " MiB", flush=True)
            # Growth: the highest RSS of the run's second half above the first half's (a leak
            # keeps climbing; the allocator's pools and the caches were filled by the warm-up).
            under_load = samples[1:]
            half = len(under_load) // 2
            growth = max(under_load[half:]) - max(under_load[:half]) if half else 0.0
            print(f"  second half's peak above the first half's: {growth:+.1f} MiB; "
                  f"slope {slope_mib_per_min(under_load):+.2f} MiB/min", flush=True)
            summary.append((f"RSS growth over {soak_seconds:g} s under load (MiB)", growth, 2.0, growth <= 2.0))

        if postgres and not only_load and not only_soak:
            print(f"\nTwo instances on one PostgreSQL, 32 clients on each, {seconds:g} s", flush=True)
            r = two_instances(keel, fresh_database(keel, "PostgreSQL", work, dbs), seconds)
            print(f"  session made on A works on B: {'yes' if r['session_ok'] else 'NO'}; analytics "
                  f"{r['rps']:.0f} req/s together, {r['errors']} errors; jobs: {r['jobs']} of 500 done, "
                  f"{r['once']} on their first attempt, taken by {r['workers']} instance(s)", flush=True)
            summary.append(("two instances: session shared, jobs once", int(r["session_ok"]) + (r["once"] == 500), 2,
                            r["session_ok"] and r["once"] == 500 and r["jobs"] == 500))
        return summary, rows
    finally:
        for db in dbs:
            subprocess.run(["psql", "-q", PG_ADMIN, "-c", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"],
                           stdout=subprocess.DEVNULL)
        subprocess.run(["rm", "-rf", work])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keel", help="a keel binary (default: build one in release mode)")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--warmup", type=float, default=2, help="seconds of load before each measured run (0: none)")
    ap.add_argument("--soak", type=float, default=60, help="seconds of the RSS run (0 skips it)")
    ap.add_argument("--soak-warmup", type=int, default=2,
                    help="passes over the four pages (5 s each) before the RSS run is measured (0: none)")
    ap.add_argument("--only-soak", action="store_true", help="the RSS run only")
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--env", action="append", default=[], help="KEY=VALUE for the servers (repeatable)")
    ap.add_argument("--pages", help="comma-separated names of the pages to load (default: all)")
    ap.add_argument("--only-load", action="store_true", help="the load table only (no idle RSS, run or two instances)")
    args = ap.parse_args()
    SERVER_ENV.update(kv.split("=", 1) for kv in args.env)
    WARMUP_SECONDS[0] = args.warmup
    SOAK_WARMUP_PASSES[0] = args.soak_warmup
    if args.pages:
        PAGES[:] = [p for p in PAGES if p[0] in args.pages.split(",")]
    if args.keel:
        keel = os.path.abspath(args.keel)
    else:
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
        print("building keel (release)…", flush=True)
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "keel"], cwd=ROOT, check=True)
        keel = os.path.join(target, "release", "keel")
    summary, _ = run(keel, args.seconds, args.soak, not args.no_postgres, only_load=args.only_load,
                     only_soak=args.only_soak)
    print("\nSummary")
    for label, value, bound, ok in summary:
        print(f"  {label:<58} {value:8.2f}  (bound {bound:g})  {'ok' if ok else 'OVER'}")
    sys.exit(0 if all(ok for *_, ok in summary) else 1)


if __name__ == "__main__":
    main()
