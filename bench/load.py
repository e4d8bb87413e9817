#!/usr/bin/env python3
"""Keel under a storm of report requests: N clients call the report API of the demo's
client-a as fast as they can for D seconds, while a watcher asks /healthz and a cheap API
call every 100 ms. Prints the reports' status counts and latency, and the watcher's.

    python3 bench/load.py                       # PostgreSQL, 64 clients, 20 s
    python3 bench/load.py --sqlite --clients 128
    python3 bench/load.py --keel target/release/keel

Bounds (issue "defects found under load"): zero failed report requests (anything but 200 is a
failure, a 503 included) and /healthz under 100 ms (p99) meanwhile.
Needs a PostgreSQL at 127.0.0.1:5432 (user postgres) unless --sqlite. Builds keel in release
mode unless --keel is given.
"""
import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_ADMIN = os.environ.get("KEEL_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, token=None, timeout=60):
    """(status, seconds) of one GET on a fresh connection; status 0 when the call failed."""
    start = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        return response.status, time.perf_counter() - start
    except OSError:
        return 0, time.perf_counter() - start


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    ap.add_argument("--keel", help="a keel binary to measure instead of building one")
    args = ap.parse_args()

    if args.keel:
        keel = os.path.abspath(args.keel)
    else:
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
        print("building keel (release)…", flush=True)
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "keel"], cwd=ROOT, check=True)
        keel = os.path.join(target, "release", "keel")

    work = tempfile.mkdtemp(prefix="keel-load-")
    db = None
    if args.sqlite:
        url = "sqlite://" + os.path.join(work, "keel.db")
    else:
        db = f"keel_load_{uuid.uuid4().hex[:8]}"
        subprocess.run(["psql", "-q", PG_ADMIN, "-c", f"CREATE DATABASE {db}"], check=True)
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + db
    server = None
    try:
        subprocess.run([keel, "--database", url, "demo"], check=True, stdout=subprocess.DEVNULL)
        token = subprocess.run([keel, "--database", url, "token", "create", "--user", "member-a@demo.local"],
                               check=True, capture_output=True, text=True).stdout.split()[-1]
        port = free_port()
        server = subprocess.Popen([keel, "--database", url, "serve", "--listen", f"127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if get(port, "/healthz")[0] == 200:
                break
            time.sleep(0.1)
        else:
            sys.exit("keel serve did not answer")
        report = "/api/v1/projects/client-a/report"
        if get(port, report, token)[0] != 200:
            sys.exit("the report API does not answer 200 with the token")

        stop = time.monotonic() + args.seconds
        reports, watch_health, watch_light = [], [], []
        lock = threading.Lock()

        def client():
            while time.monotonic() < stop:
                result = get(port, report, token)
                with lock:
                    reports.append(result)

        def watcher():
            while time.monotonic() < stop:
                h = get(port, "/healthz", timeout=30)
                light = get(port, "/api/v1/projects", token, timeout=30)
                with lock:
                    watch_health.append(h)
                    watch_light.append(light)
                time.sleep(0.1)

        threads = [threading.Thread(target=client) for _ in range(args.clients)] + [threading.Thread(target=watcher)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        engine = "SQLite" if args.sqlite else "PostgreSQL"
        statuses = {}
        for status, _ in reports:
            statuses[status] = statuses.get(status, 0) + 1
        failed = sum(n for s, n in statuses.items() if s != 200)
        times = [t for s, t in reports if s == 200]
        print(f"\n{engine}, {args.clients} clients, {args.seconds:g} s: {len(reports)} report requests "
              f"({len(reports) / args.seconds:.1f}/s), statuses {dict(sorted(statuses.items()))}")
        print(f"  report latency   p50 {pct(times, .5) * 1000:7.0f} ms   p99 {pct(times, .99) * 1000:7.0f} ms")
        health = [t for _, t in watch_health]
        light = [t for _, t in watch_light]
        health_bad = sum(1 for s, _ in watch_health if s != 200) + sum(1 for s, _ in watch_light if s != 200)
        print(f"  /healthz         p50 {pct(health, .5) * 1000:7.1f} ms   p99 {pct(health, .99) * 1000:7.1f} ms   "
              f"max {max(health, default=0) * 1000:7.1f} ms  ({len(health)} calls)")
        print(f"  GET /api/v1/projects p50 {pct(light, .5) * 1000:5.1f} ms   p99 {pct(light, .99) * 1000:7.1f} ms")
        ok = failed == 0 and health_bad == 0 and pct(health, .99) < 0.1
        print(f"  bounds: failed reports {failed} (0), failed watcher calls {health_bad} (0), "
              f"/healthz p99 < 100 ms: {'ok' if ok else 'OVER'}")
        sys.exit(0 if ok else 1)
    finally:
        if server:
            server.terminate()
            server.wait()
        if db:
            subprocess.run(["psql", "-q", PG_ADMIN, "-c", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"])
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
