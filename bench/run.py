#!/usr/bin/env python3
"""Keel's speed benchmark: imports and reports of 1,000,000 posts against the peers Keel must
keep up with, side by side in one run.

    python3 bench/run.py                 # 1,000,000 posts; RSS check at 4,000,000
    python3 bench/run.py --rows 200000 --big-rows 0 --no-postgres   # a quick look

Compared (bounds from the issue; wall-clock time of whole processes, best of --repeat runs):
  keel import (SQLite)      vs sqlite3's own `.import` into an equivalent table, same primary key  (<= 2x)
  keel import (PostgreSQL)  vs psql `\\copy` into an equivalent table, same primary key            (<= 2x)
  keel report               vs DuckDB (Python) computing the same per-account figures from the CSV (<= 2x)
  peak RSS of keel import   <= 256 MiB, at --rows and at --big-rows
  analytics page            /projects/bench/analytics over all data, served by `keel serve` (release,
                            warmed by one request first), on SQLite and PostgreSQL                 (< 1 s)
  keel sync                bench/pull.py: 10,000 VK posts with reach from a local VK API that answers
                            at once; CPU time and peak RSS of the `keel sync` process (<= 2 s, <= 100 MiB)
                            (--pull-posts 0 skips it)
  pages under load          bench/pages.py: overview, plan, analytics and the report API of the demo at
                            16 and 64 clients, idle RSS after `serve --demo`, RSS over a 60 s run,
                            two instances on one PostgreSQL (p99 <= 50 ms, idle RSS <= 50 MiB)
                            (--no-load skips it; `wrk` needed)
  installation scale        bench/scale.py: --scale-orgs organizations × 20 projects × a year on
                            PostgreSQL; projects list, overview and analytics of single projects
                            (p99 < 100 ms; --scale-orgs 0 skips it)

Needs: sqlite3, psql and a PostgreSQL at 127.0.0.1:5432 (user postgres), and DuckDB from PyPI
(`pip install duckdb`). Builds keel in release mode first.
"""
import argparse
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_ADMIN = os.environ.get("KEEL_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
HEADER = "platform,account,post_id,published_at,type,likes,comments,shares,saves,views,reach,impressions,followers\n"
REFERENCE_TABLE = """CREATE TABLE posts (
    platform TEXT NOT NULL, account TEXT NOT NULL, post_id TEXT NOT NULL, published_at TEXT NOT NULL,
    post_type TEXT, likes BIGINT, comments BIGINT, shares BIGINT, saves BIGINT, views BIGINT,
    reach BIGINT, impressions BIGINT, followers BIGINT,
    PRIMARY KEY (platform, account, post_id))"""

DUCKDB_SCRIPT = r"""
import duckdb, sys
con = duckdb.connect()
rows = con.execute('''
    SELECT platform, account, COUNT(*) AS posts,
           SUM(i) AS interactions,
           AVG(CASE WHEN followers > 0 THEN i * 100.0 / followers END) AS er_followers,
           SUM(CASE WHEN reach > 0 THEN i END) * 100.0 / NULLIF(SUM(CASE WHEN reach > 0 THEN reach END), 0) AS err_reach,
           SUM(CASE WHEN views > 0 THEN i END) * 100.0 / NULLIF(SUM(CASE WHEN views > 0 THEN views END), 0) AS er_views
    FROM (SELECT *, COALESCE(likes,0) + COALESCE(comments,0) + COALESCE(shares,0) + COALESCE(saves,0) AS i
          FROM read_csv(?, header = true, auto_detect = true))
    GROUP BY platform, account ORDER BY platform, account''', [sys.argv[1]]).fetchall()
print(len(rows), 'accounts', file=sys.stderr)
"""


def generate(path, rows, accounts=1000):
    """`rows` posts spread over `accounts` accounts, deterministic."""
    per = max(rows // accounts, 1)
    with open(path, "w", buffering=1 << 20) as f:
        f.write(HEADER)
        n = 0
        for a in range(accounts):
            followers = 5000 + (a * 7919) % 45000
            lines = []
            for p in range(per):
                if n >= rows:
                    break
                k = (a * 1000003 + p * 7919) % 1000
                likes, comments, shares, saves = 20 + k % 300, k % 40, k % 17, k % 11
                views = "" if k % 3 else str(1000 + k * 5)
                reach = 800 + (k * 37) % 5000
                day = 1 + p % 28
                month = 1 + (p // 28) % 12
                lines.append(f"vk,acc{a:04d},p{p:05d},2025-{month:02d}-{day:02d}T{10 + k % 12:02d}:00:00Z,photo,"
                             f"{likes},{comments},{shares},{saves},{views},{reach},{reach * 13 // 10},{followers}\n")
                n += 1
            f.writelines(lines)
            if n >= rows:
                break
    return n


def run(cmd, stdin=None, stdout=subprocess.DEVNULL, env=None):
    """Runs `cmd`; returns (seconds, peak RSS in MiB) of that process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss / 1024


def best(label, make_cmd, prepare, repeat):
    """Best time of `repeat` runs, each after `prepare()` (a fresh, empty target)."""
    times, rss = [], 0.0
    for _ in range(repeat):
        prepare()
        t, r = run(make_cmd())
        times.append(t)
        rss = max(rss, r)
    print(f"  {label:<44} {min(times):8.2f} s   peak RSS {rss:7.1f} MiB", flush=True)
    return min(times), rss


def psql(db, sql):
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", pg_url(db), "-c", sql], check=True, stdout=subprocess.DEVNULL)


def pg_url(db):
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + db


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_time(keel, url, repeat, path="/projects/bench/analytics"):
    """Best wall-clock time of GET `path` from a `keel serve` on `url`, logged in as a member
    of the project, after one warming request (the server's caches and the database's pages
    are warm, as on a server in use). The first response is checked to be the real page.
    Returns (seconds, size of the page in KiB, the server's own figure in seconds: its
    `server-timing` header, the queries and the building of the sections before the HTML
    is rendered)."""
    email, password = "bench@bench.local", "bench-password-1"
    subprocess.run([keel, "--database", url, "user", "create", email, "--password-stdin"],
                   input=password + "\n", text=True, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([keel, "--database", url, "member", "add", "bench", email, "agency_lead"],
                   check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([keel, "--database", url, "serve", "--listen", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        for _ in range(100):
            try:
                form = opener.open(base + "/login", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit("keel serve did not answer")
        csrf = re.search(r'name="_csrf" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode({"email": email, "password": password, "_csrf": csrf}).encode()
        opener.open(base + "/login", data=body, timeout=30).read()
        html = opener.open(base + path, timeout=120).read().decode()
        if "bench" not in html or "acc0000" not in html:
            sys.exit("the analytics page does not show the bench project's accounts")
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = opener.open(base + path, timeout=120)
            response.read()
            elapsed = time.perf_counter() - start
            timing = re.search(r"dur=([0-9.]+)", response.headers.get("server-timing", ""))
            runs.append((elapsed, float(timing.group(1)) / 1000 if timing else float("nan")))
        elapsed, server_s = min(runs)
        return elapsed, len(html.encode()) / 1024, server_s
    finally:
        server.terminate()
        server.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--big-rows", type=int, default=4_000_000, help="RSS check size (0 to skip)")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--keel", help="a keel binary to measure instead of building one (e.g. to compare two builds)")
    ap.add_argument("--pull-posts", type=int, default=10_000, help="VK posts the pull bench syncs (0 skips it)")
    ap.add_argument("--no-load", action="store_true", help="skip the pages under load (bench/pages.py)")
    ap.add_argument("--scale-orgs", type=int, default=200,
                    help="organizations of 20 project-years for bench/scale.py (0 skips it; 200 takes ~5 GiB)")
    ap.add_argument("--load-seconds", type=float, default=10, help="seconds per page and client count")
    ap.add_argument("--soak", type=float, default=60, help="seconds of the RSS run under load (0 skips it)")
    args = ap.parse_args()

    if args.keel:
        keel = os.path.abspath(args.keel)
    else:
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
        print("building keel (release)…", flush=True)
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "keel"], cwd=ROOT, check=True)
        keel = os.path.join(target, "release", "keel")
    work = tempfile.mkdtemp(prefix="keel-bench-")
    csv = os.path.join(work, "posts.csv")
    n = generate(csv, args.rows)
    size = os.path.getsize(csv) / 2**20
    print(f"{n:,} posts ({n // 1000:,} accounts x 1,000), {size:.0f} MiB CSV in {work}\n", flush=True)
    results = []

    def keel_db(url):
        def prepare():
            for suffix in ("", "-wal", "-shm"):
                if url.startswith("sqlite://") and os.path.exists(url[9:] + suffix):
                    os.remove(url[9:] + suffix)
            subprocess.run([keel, "--database", url, "project", "create", "bench", "--name", "Bench",
                            "--started-on", "2025-01-01"], check=True, stdout=subprocess.DEVNULL)
        return prepare

    print("SQLite")
    ref_db = os.path.join(work, "ref.db")

    def sqlite_prepare():
        if os.path.exists(ref_db):
            os.remove(ref_db)
        subprocess.run(["sqlite3", ref_db, REFERENCE_TABLE + " WITHOUT ROWID;"], check=True)

    t_ref, _ = best("sqlite3 .import", lambda: ["sqlite3", ref_db, "-cmd", ".mode csv",
                                                   f".import --skip 1 {csv} posts"], sqlite_prepare, args.repeat)
    sqlite_url = "sqlite://" + os.path.join(work, "keel.db")
    t_keel, rss = best("keel import", lambda: [keel, "--database", sqlite_url, "import", "--project", "bench",
                                                "--format", "posts", csv], keel_db(sqlite_url), args.repeat)
    results.append(("keel import / sqlite3 .import", t_keel / t_ref, 2.0))
    results.append((f"keel import peak RSS at {n:,} rows (MiB)", rss, 256))

    print("\nReport")
    duck = os.path.join(work, "duck.py")
    with open(duck, "w") as f:
        f.write(DUCKDB_SCRIPT)
    t_duck, _ = best("DuckDB per-account figures from the CSV", lambda: [sys.executable, duck, csv], lambda: None, args.repeat)
    t_report, rss_report = best("keel report --format json (SQLite)", lambda: [keel, "--database", sqlite_url, "report",
                                "--project", "bench", "--format", "json"], lambda: None, args.repeat)
    results.append(("keel report / DuckDB", t_report / t_duck, 2.0))
    t_page, kib, server = page_time(keel, sqlite_url, args.repeat + 1)
    print(f"  {'analytics page, all data (SQLite)':<44} {t_page:8.2f} s   {kib:,.0f} KiB, "
          f"{server:.2f} s before rendering", flush=True)
    results.append(("analytics page, all data, SQLite (s)", t_page, 1.0))

    if not args.no_postgres:
        print("\nPostgreSQL")
        ref, kdb = f"keel_bench_ref_{uuid.uuid4().hex[:8]}", f"keel_bench_{uuid.uuid4().hex[:8]}"
        try:
            psql("postgres", f"CREATE DATABASE {ref}")
            psql("postgres", f"CREATE DATABASE {kdb}")

            def pg_ref_prepare():
                psql(ref, "DROP TABLE IF EXISTS posts; " + REFERENCE_TABLE)

            t_copy, _ = best("psql \\copy", lambda: ["psql", "-q", pg_url(ref), "-c",
                                                     f"\\copy posts FROM '{csv}' CSV HEADER"], pg_ref_prepare, args.repeat)

            def pg_keel_prepare():
                psql("postgres", f"DROP DATABASE IF EXISTS {kdb} WITH (FORCE)")
                psql("postgres", f"CREATE DATABASE {kdb}")
                keel_db(pg_url(kdb))()

            t_pg, rss_pg = best("keel import", lambda: [keel, "--database", pg_url(kdb), "import", "--project", "bench",
                                                         "--format", "posts", csv], pg_keel_prepare, args.repeat)
            results.append(("keel import / psql \\copy", t_pg / t_copy, 2.0))
            t_pg_report, _ = best("keel report --format json (PostgreSQL)", lambda: [keel, "--database", pg_url(kdb), "report",
                                  "--project", "bench", "--format", "json"], lambda: None, args.repeat)
            results.append(("keel report on PostgreSQL / DuckDB", t_pg_report / t_duck, 2.0))
            t_pg_page, kib, server = page_time(keel, pg_url(kdb), args.repeat + 1)
            print(f"  {'analytics page, all data (PostgreSQL)':<44} {t_pg_page:8.2f} s   {kib:,.0f} KiB, "
                  f"{server:.2f} s before rendering", flush=True)
            results.append(("analytics page, all data, PostgreSQL (s)", t_pg_page, 1.0))
        finally:
            psql("postgres", f"DROP DATABASE IF EXISTS {ref} WITH (FORCE)")
            psql("postgres", f"DROP DATABASE IF EXISTS {kdb} WITH (FORCE)")

    if args.big_rows:
        print(f"\nMemory at {args.big_rows:,} rows")
        big = os.path.join(work, "big.csv")
        m = generate(big, args.big_rows, accounts=max(args.big_rows // 1000, 1))
        big_url = "sqlite://" + os.path.join(work, "big.db")
        _, rss_big = best("keel import", lambda: [keel, "--database", big_url, "import", "--project", "bench",
                                                   "--format", "posts", big], keel_db(big_url), 1)
        results.append((f"keel import peak RSS at {m:,} rows (MiB)", rss_big, 256))
        os.remove(big)

    if args.pull_posts:
        import pull
        print(f"\nPull ({args.pull_posts:,} VK posts with reach, local VK API)")
        cpu, rss_sync, wall, _ = pull.measure(keel, args.pull_posts)
        print(f"  {'keel sync':<44} {cpu:8.2f} s CPU   peak RSS {rss_sync:7.1f} MiB   ({wall:.2f} s wall)", flush=True)
        results.append((f"keel sync CPU, {args.pull_posts:,} VK posts (s)", cpu, 2.0))
        results.append(("keel sync peak RSS (MiB)", rss_sync, 100))

    if not args.no_load:
        import pages
        print()
        load_summary, _ = pages.run(keel, args.load_seconds, args.soak, not args.no_postgres)
        results.extend(load_summary)

    if args.scale_orgs and not args.no_postgres:
        import scale
        print(f"\nKeel at installation scale: {args.scale_orgs} organizations × 20 projects, a year each "
              f"(PostgreSQL; bench/scale.py)", flush=True)
        results.extend(scale.run(keel, orgs=args.scale_orgs))

    print("\nSummary")
    failed = False
    for label, value, bound, *given in results:
        ok = given[0] if given else (value < bound if label.startswith("analytics") else value <= bound)
        failed |= not ok
        print(f"  {label:<46} {value:8.2f}  (bound {bound:g})  {'ok' if ok else 'OVER'}")
    subprocess.run(["rm", "-rf", work])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
