#!/usr/bin/env python3
"""The report for the client as PDF (and XLSX): time and peak RSS of `keel report --format pdf`.

    python3 bench/report_pdf.py                  # demo month + a 1,000,000-post project
    python3 bench/report_pdf.py --rows 0         # the demo month only

Bounds from issue 12: the demo project's month as PDF <= 1 s; the month of a 1M-post project
<= 5 s; peak RSS <= 200 MiB. Whole `keel` processes are timed (start, migrations check, the
queries, layout and PDF writing), best of --repeat runs. Builds keel in release mode first.
"""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import ROOT, generate, run  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    subprocess.run(["cargo", "build", "--release", "-p", "keel"], cwd=ROOT, check=True)
    keel = os.path.join(target, "release", "keel")
    failures = []

    def report(db, slug, period, fmt, bound_s, label):
        url = f"sqlite://{db}"
        cmd = [keel, "--database", url, "report", "--project", slug, "--from", period[0], "--to", period[1],
               "--format", fmt]
        times, rss = [], 0.0
        for _ in range(args.repeat):
            with open(os.devnull, "wb") as out:
                t, r = run(cmd, stdout=out)
            times.append(t)
            rss = max(rss, r)
        best = min(times)
        ok = best <= bound_s and rss <= 200
        print(f"  {label:<46} {best:7.3f} s (<= {bound_s} s)   peak RSS {rss:6.1f} MiB (<= 200)   "
              f"{'ok' if ok else 'OVER'}", flush=True)
        if not ok:
            failures.append(label)

    with tempfile.TemporaryDirectory() as tmp:
        demo = os.path.join(tmp, "demo.db")
        run([keel, "--database", f"sqlite://{demo}", "demo"])
        print("demo project client-a, October 2026:")
        report(demo, "client-a", ("2026-10-01", "2026-10-31"), "pdf", 1.0, "PDF, demo month")
        report(demo, "client-a", ("2026-10-01", "2026-10-31"), "xlsx", 1.0, "XLSX, demo month")
        if args.rows:
            big = os.path.join(tmp, "big.db")
            csv = os.path.join(tmp, "posts.csv")
            n = generate(csv, args.rows)
            url = f"sqlite://{big}"
            run([keel, "--database", url, "project", "create", "bench", "--name", "Bench",
                 "--started-on", "2025-01-01"])
            t, r = run([keel, "--database", url, "import", "--project", "bench", "--format", "posts", csv])
            print(f"{n:,} posts in 1,000 accounts (imported in {t:.1f} s):")
            report(big, "bench", ("2025-03-01", "2025-03-31"), "pdf", 5.0, "PDF, one month of the 1M-post project")
            report(big, "bench", ("2025-01-01", "2025-12-31"), "pdf", 5.0, "PDF, all 1M posts")
    if failures:
        sys.exit(f"over the bounds: {', '.join(failures)}")


if __name__ == "__main__":
    main()
