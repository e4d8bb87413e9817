#!/usr/bin/env python3
"""The pull benchmark (issue 11): `keel sync` of a VK community with 10,000 posts and their
reach from a local VK API that answers at once (bench/vk_api_server.py). Prints Keel's CPU time
(user + system of the `keel sync` process) and its peak RSS against the bounds (<= 2 s,
<= 100 MiB). The connection is made through `keel serve`'s API, as a person would.

    python3 bench/pull.py                      # release build, 10,000 posts
    python3 bench/pull.py --debug --posts 2000 # a quick look with the debug build

bench/run.py runs it too (`measure`) and prints it beside the import figures.
"""
import argparse
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(keel, posts, profile="release"):
    """Syncs `posts` VK posts with reach from a local VK API into a fresh SQLite database with
    the `keel` binary; returns (CPU seconds, peak RSS in MiB, wall seconds, what keel sync
    printed) of the `keel sync` process alone."""
    vk = subprocess.Popen([sys.executable, os.path.join(ROOT, "bench", "vk_api_server.py"),
                           "--posts", str(posts)], stdout=subprocess.PIPE, text=True)
    vk_url = vk.stdout.readline().strip()
    tmp = tempfile.mkdtemp(prefix="keel-pull-bench-")
    env = dict(os.environ, KEEL_DATABASE_URL=f"sqlite://{tmp}/keel.db", KEEL_VK_API_URL=vk_url,
               KEEL_SECRET_KEY=base64.b64encode(os.urandom(32)).decode(), KEEL_PULL_RATES="vk=0",
               KEEL_LOG="warn")
    env.pop("KEEL_CONFIG", None)
    quiet = dict(stdout=subprocess.DEVNULL, env=env, check=True)
    try:
        subprocess.run([keel, "project", "create", "bench", "--name", "Bench"], **quiet)
        subprocess.run([keel, "user", "create", "lead@bench.local", "--password-stdin", "--admin"],
                       input=b"bench-password-0123\n", **quiet)
        subprocess.run([keel, "member", "add", "bench", "lead@bench.local", "agency_lead"], **quiet)
        token = subprocess.run([keel, "token", "create", "--user", "lead@bench.local"], env=env, check=True,
                               capture_output=True, text=True).stdout.strip().split()[-1]
        port = free_port()
        serve = subprocess.Popen([keel, "serve", "--listen", f"127.0.0.1:{port}"], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/v1/projects/bench/connections", method="POST",
                data=json.dumps({"platform": "vk", "account": "218000001",
                                 "secret": {"access_token": "vk1.a.bench-token"}}).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=10).read()
        finally:
            serve.terminate()
            serve.wait()
        # The sync's own usage (os.wait4), not that of the commands before it.
        started = time.perf_counter()
        out_file = os.path.join(tmp, "sync.out")
        with open(out_file, "w") as out_handle:
            sync = subprocess.Popen([keel, "sync", "--project", "bench", "--platform", "vk"], env=env,
                                    stdout=out_handle)
            _, status, usage = os.wait4(sync.pid, 0)
        wall = time.perf_counter() - started
        if status != 0:
            sys.exit(f"keel sync failed (status {status})")
        out = open(out_file).read().strip()
        return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, wall, out
    finally:
        vk.terminate()
        subprocess.run(["rm", "-rf", tmp])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--debug", action="store_true", help="use the debug build (slower)")
    parser.add_argument("--keel", help="a keel binary to measure instead of building one")
    args = parser.parse_args()
    profile = "debug" if args.debug else "release"
    if args.keel:
        keel = os.path.abspath(args.keel)
    else:
        build = ["cargo", "build", "-q", "-p", "keel"] + ([] if args.debug else ["--release"])
        subprocess.run(build, cwd=ROOT, check=True)
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
        keel = os.path.join(target, profile, "keel")
    cpu, rss, wall, out = measure(keel, args.posts, profile)
    print(f"keel sync ({profile}), {args.posts:,} VK posts with reach: {out}")
    print(f"  CPU time {cpu:6.2f} s   (bound 2 s)    {'ok' if cpu <= 2 else 'OVER'}")
    print(f"  peak RSS {rss:6.1f} MiB (bound 100 MiB) {'ok' if rss <= 100 else 'OVER'}")
    print(f"  wall     {wall:6.2f} s   (the local server's time included)")
    sys.exit(0 if cpu <= 2 and rss <= 100 else 1)


if __name__ == "__main__":
    main()
