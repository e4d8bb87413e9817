#!/usr/bin/env python3
"""Keel at installation scale (issue 14): ORGS organizations × PROJECTS projects, each with a
year of data, on PostgreSQL; then the projects list, overview and analytics pages of single
projects under load, p99 against the goal of 100 ms.

    python3 bench/scale.py --keel target/release/keel                 # 200 × 20, a year each
    python3 bench/scale.py --keel K --orgs 20 --keep                  # a tenth, keep the database

The data goes through Keel's schema (migrated by `keel`), generated inside PostgreSQL with
generate_series (INSERT … SELECT: no client round trips), then `keel` itself fills the
per-account day sums (`post_days`) the way it does for any database whose posts it has not
summed yet. One project-year holds, like the demo's: 3 accounts (VK, Telegram, Instagram),
each with 365 daily rows and a post a day; 2 ad campaigns × 365 days; 3 leads a day; 3 goals;
one agency lead and two client people per project. The generated rows are counted and the
database's size is measured (tables and indexes), per agency-year and in all.

Before generating, the size is estimated from one organization and the run stops when the
estimate exceeds --max-gib. Needs PostgreSQL at 127.0.0.1:5432 (user postgres) and `wrk`.
"""
import argparse
import os
import re
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pages  # noqa: E402

PASSWORD = "scale-password-1"
P99_GOAL_MS = 100.0

# One organization's data, for organizations $1 .. $2 (ids of `organizations`). Projects,
# people and rows are derived from the organization's id so the script can run in slices.
GENERATE = """
INSERT INTO organizations (slug, name, created_at, time_zone)
SELECT 'org-' || o, 'Agency ' || o, now(), 'UTC' FROM generate_series({lo}, {hi}) o;

INSERT INTO clients (org_id, name, created_at)
SELECT org.id, 'Client ' || p, now()
FROM organizations org, generate_series(1, {projects}) p WHERE (CASE WHEN org.slug ~ '^org-[0-9]+$' THEN substr(org.slug, 5)::int END) BETWEEN {lo} AND {hi};

INSERT INTO projects (org_id, client_id, slug, name, started_on, status, created_at, time_zone)
SELECT c.org_id, c.id, 'project-' || substr(c.name, 8), c.name || ' project', DATE '2025-11-01', 'active', now(), 'UTC'
FROM clients c JOIN organizations org ON org.id = c.org_id
WHERE (CASE WHEN org.slug ~ '^org-[0-9]+$' THEN substr(org.slug, 5)::int END) BETWEEN {lo} AND {hi};

-- People: the agency lead of each organization (an org admin, member of all its projects),
-- and per project a client owner and a client member.
INSERT INTO users (org_id, email, display_name, password_hash, is_org_admin, created_at)
SELECT org.id, 'lead@' || org.slug || '.scale', 'Lead of ' || org.name, '{hash}', TRUE, now()
FROM organizations org WHERE (CASE WHEN org.slug ~ '^org-[0-9]+$' THEN substr(org.slug, 5)::int END) BETWEEN {lo} AND {hi};
INSERT INTO users (org_id, email, display_name, password_hash, is_org_admin, created_at)
SELECT p.org_id, r || '@' || p.slug || '.' || org.slug || '.scale', r || ' of ' || p.name, '{hash}', FALSE, now()
FROM projects p JOIN organizations org ON org.id = p.org_id, unnest(ARRAY['owner', 'member']) r
WHERE (CASE WHEN org.slug ~ '^org-[0-9]+$' THEN substr(org.slug, 5)::int END) BETWEEN {lo} AND {hi};
INSERT INTO memberships (org_id, project_id, user_id, role, created_at)
SELECT p.org_id, p.id, u.id, 'agency_lead', now()
FROM projects p JOIN organizations org ON org.id = p.org_id JOIN users u ON u.email = 'lead@' || org.slug || '.scale'
WHERE (CASE WHEN org.slug ~ '^org-[0-9]+$' THEN substr(org.slug, 5)::int END) BETWEEN {lo} AND {hi};
INSERT INTO memberships (org_id, project_id, user_id, role, created_at)
SELECT p.org_id, p.id, u.id, CASE WHEN u.email LIKE 'owner@%' THEN 'client_owner' ELSE 'client_member' END, now()
FROM projects p JOIN organizations org ON org.id = p.org_id
JOIN users u ON u.email IN ('owner@' || p.slug || '.' || org.slug || '.scale', 'member@' || p.slug || '.' || org.slug || '.scale')
WHERE (CASE WHEN org.slug ~ '^org-[0-9]+$' THEN substr(org.slug, 5)::int END) BETWEEN {lo} AND {hi};

CREATE TEMP TABLE scale_projects AS
SELECT p.id, p.org_id FROM projects p JOIN organizations org ON org.id = p.org_id
WHERE (CASE WHEN org.slug ~ '^org-[0-9]+$' THEN substr(org.slug, 5)::int END) BETWEEN {lo} AND {hi};
CREATE TEMP TABLE scale_accounts (platform TEXT, account TEXT, base BIGINT);
INSERT INTO scale_accounts VALUES ('vk', 'brand.vk', 12000), ('telegram', 'brand_tg', 4000), ('instagram', 'brand.ig', 20000);

INSERT INTO daily_stats (org_id, project_id, platform, account, date, followers, reach, impressions, profile_visits)
SELECT p.org_id, p.id, a.platform, a.account, DATE '2025-11-01' + d,
       a.base + (p.id % 97) * 50 + d * (5 + p.id % 7), 2000 + (p.id * 31 + d * 17) % 3000,
       3000 + (p.id * 37 + d * 13) % 4000, 50 + (p.id + d) % 80
FROM scale_projects p, scale_accounts a, generate_series(0, {days} - 1) d;

INSERT INTO posts (org_id, project_id, platform, account, post_id, published_at, post_type, likes, comments,
                   shares, saves, views, reach, impressions, followers, text)
SELECT p.org_id, p.id, a.platform, a.account, 'p' || d,
       TIMESTAMPTZ '2025-11-01 09:00:00+00' + d * INTERVAL '1 day' + ((p.id + d) % 600) * INTERVAL '1 minute',
       CASE WHEN d % 4 = 0 THEN 'video' ELSE 'photo' END,
       100 + (p.id * 7 + d * 11) % 400, (p.id + d * 3) % 40, (p.id + d) % 15, (p.id * 3 + d) % 20,
       CASE WHEN d % 4 = 0 THEN 3000 + (p.id + d * 29) % 5000 END,
       1500 + (p.id * 13 + d * 7) % 2500, 2000 + (p.id * 17 + d * 5) % 3000,
       a.base + (p.id % 97) * 50 + d * (5 + p.id % 7),
       'Post ' || d || ' of the year: a photo of the week''s news'
FROM scale_projects p, scale_accounts a, generate_series(0, {days} - 1) d;

INSERT INTO ad_stats (org_id, project_id, platform, campaign, date, spend, currency, impressions, clicks, leads)
SELECT p.org_id, p.id, c.platform, c.campaign, DATE '2025-11-01' + d, 40 + (p.id + d) % 30, 'RUB',
       8000 + (p.id * 7 + d * 3) % 4000, 80 + (p.id + d) % 60, (p.id + d) % 5
FROM scale_projects p, (VALUES ('vk', 'always-on'), ('instagram', 'spring-sale')) c(platform, campaign),
     generate_series(0, {days} - 1) d;

INSERT INTO leads (org_id, project_id, lead_id, created_at, source, campaign, status, amount, closed_at)
SELECT p.org_id, p.id, 'L' || d || '-' || k,
       TIMESTAMPTZ '2025-11-01 10:00:00+00' + d * INTERVAL '1 day' + k * INTERVAL '2 hours', 'ads', 'always-on',
       (ARRAY['new', 'qualified', 'won', 'lost'])[1 + (p.id + d + k) % 4],
       CASE WHEN (p.id + d + k) % 4 = 2 THEN 3000 + (p.id * d) % 2000 END,
       CASE WHEN (p.id + d + k) % 4 IN (2, 3) THEN TIMESTAMPTZ '2025-11-03 10:00:00+00' + d * INTERVAL '1 day' END
FROM scale_projects p, generate_series(0, {days} - 1) d, generate_series(1, 3) k;

INSERT INTO goals (org_id, project_id, metric, target_kind, target_value, start_on, deadline, zone, created_by,
                   created_at, updated_at)
SELECT p.org_id, p.id, g.metric, 'relative_pct', g.pct, DATE '2026-05-01', DATE '2026-10-31', 'agency',
       (SELECT user_id FROM memberships m WHERE m.project_id = p.id AND m.role = 'agency_lead' LIMIT 1), now(), now()
FROM scale_projects p, (VALUES ('followers', 10.0), ('er_followers', 5.0), ('reach', 15.0)) g(metric, pct);

DROP TABLE scale_projects;
DROP TABLE scale_accounts;
"""

TABLES = ["posts", "daily_stats", "ad_stats", "leads", "post_days", "goals", "projects", "users", "memberships"]


def sizes(db):
    """{table: (rows, bytes with indexes and TOAST)} and the database's size in bytes."""
    out = {}
    for t in TABLES:
        rows = int(pages.psql(db, f"SELECT count(*) FROM {t}", capture=True))
        size = int(pages.psql(db, f"SELECT pg_total_relation_size('{t}')", capture=True))
        out[t] = (rows, size)
    return out, int(pages.psql(db, "SELECT pg_database_size(current_database())", capture=True))


def generate(db, lo, hi, projects, days, hash_):
    sql = GENERATE.format(lo=lo, hi=hi, projects=projects, days=days, hash=hash_.replace("'", "''"))
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", pages.pg_url(db)], input=sql, text=True, check=True,
                   stdout=subprocess.DEVNULL)


def run(keel, orgs=200, projects=20, days=365, seconds=10, clients=16, max_gib=8.0, db=None, keep=False,
        generate_only=False):
    """Generates (or reuses `db`) and measures; summary rows (label, value, bound, ok) as
    bench/run.py prints them. Raises SystemExit when the installation cannot be measured."""
    keel = os.path.abspath(keel)
    reuse = db is not None
    db = db or f"keel_scale_{uuid.uuid4().hex[:8]}"
    url = pages.pg_url(db)
    summary = []
    try:
        if not reuse:
            pages.psql("postgres", f"CREATE DATABASE {db}")
            # Migrates the schema and makes the one user whose password hash everyone shares.
            subprocess.run([keel, "--database", url, "user", "create", "seed@seed.scale", "--password-stdin"],
                           input=PASSWORD + "\n", text=True, check=True, stdout=subprocess.DEVNULL)
            hash_ = pages.psql(db, "SELECT password_hash FROM users WHERE email = 'seed@seed.scale'", capture=True)

            started = time.perf_counter()
            generate(db, 1, 1, projects, days, hash_)
            one, _ = sizes(db)
            per_org = sum(size for t, (_, size) in one.items() if t in TABLES)
            estimate = per_org * orgs / 2**30
            print(f"one organization ({projects} projects × {days} days): "
                  f"{sum(r for r, _ in one.values()):,} rows, {per_org / 2**20:.1f} MiB "
                  f"(before post_days); {orgs} organizations ≈ {estimate:.2f} GiB", flush=True)
            if estimate > max_gib:
                sys.exit(f"estimated {estimate:.1f} GiB is over --max-gib {max_gib}: run with fewer --orgs")
            step = 10
            for lo in range(2, orgs + 1, step):
                hi = min(orgs, lo + step - 1)
                generate(db, lo, hi, projects, days, hash_)
                print(f"  organizations {lo}–{hi}: {time.perf_counter() - started:.0f} s", flush=True)
            pages.psql(db, "VACUUM ANALYZE")
            print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
            if generate_only:
                keep = True
                return summary
        # Keel sums every project's posts into post_days when it opens a database without them.
        started = time.perf_counter()
        subprocess.run([keel, "--database", url, "token", "list", "--user", "seed@seed.scale"], check=True,
                       capture_output=True)
        pages.psql(db, "VACUUM ANALYZE post_days")
        print(f"post_days summed by keel in {time.perf_counter() - started:.0f} s", flush=True)

        counts, total = sizes(db)
        n_projects = counts["projects"][0]
        years = max(n_projects, 1)
        print(f"\n{'table':<12} {'rows':>14} {'MiB':>10} {'rows/project-year':>18} {'bytes/project-year':>19}")
        for t, (rows, size) in counts.items():
            print(f"{t:<12} {rows:>14,} {size / 2**20:>10.1f} {rows / years:>18,.0f} {size / years:>19,.0f}")
        print(f"database: {total / 2**30:.2f} GiB, {n_projects:,} projects", flush=True)

        # Single projects under load: the lead of a middle organization, its projects list,
        # one project's overview and analytics page.
        org = max(1, orgs // 2)
        server = pages.Server(keel, url)
        try:
            cookie = server.login(f"lead@org-{org}.scale", PASSWORD)
            slug = "project-1"
            paths = [("projects list", "/projects"), ("overview", f"/projects/{slug}"),
                     ("analytics", f"/projects/{slug}/analytics"),
                     ("analytics, last 90 days", f"/projects/{slug}/analytics?from=2026-08-03&to=2026-10-31")]
            print(f"\nSingle projects of organization {org}, {clients} clients, {seconds:g} s each")
            for name, path in paths:
                status, _, body = pages.request(server.port, "GET", path, {"Cookie": cookie})
                if status != 200:
                    sys.exit(f"{path}: {status}")
                cold = time.perf_counter()
                # A project nobody looked at yet: the first (uncached) view.
                other = path.replace("project-1", "project-2")
                pages.request(server.port, "GET", other, {"Cookie": cookie})
                cold = (time.perf_counter() - cold) * 1000
                r = pages.wrk(server.port, path, f"Cookie: {cookie}; keel_lang=en", clients, seconds)
                print(f"  {name:<26} {r['rps']:8.0f} req/s  p50 {r['p50']:7.2f} ms  p99 {r['p99']:7.2f} ms  "
                      f"errors {r['errors']}  first view of another project {cold:6.1f} ms", flush=True)
                summary.append((f"scale {orgs}×{projects}: {name} p99 (ms)", r["p99"], P99_GOAL_MS,
                                r["p99"] < P99_GOAL_MS and r["errors"] == 0))
        finally:
            server.stop()
        worst = max(value for _, value, _, _ in summary)
        print(f"\nScale: {n_projects:,} projects, {total / 2**30:.2f} GiB; worst p99 {worst:.1f} ms "
              f"(goal < {P99_GOAL_MS:g} ms): {'ok' if all(ok for *_, ok in summary) else 'OVER'}", flush=True)
        return summary
    finally:
        if keep or reuse:
            print(f"database kept: {url}")
        else:
            subprocess.run(["psql", "-q", pages.PG_ADMIN, "-c", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"],
                           stdout=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keel", required=True, help="a keel binary (release)")
    ap.add_argument("--orgs", type=int, default=200)
    ap.add_argument("--projects", type=int, default=20, help="projects per organization")
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seconds", type=float, default=10, help="load per page")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--max-gib", type=float, default=8.0, help="refuse to generate more than this (estimated)")
    ap.add_argument("--db", help="measure an existing database made by an earlier --keep run")
    ap.add_argument("--keep", action="store_true", help="keep the database (printed) for another look")
    ap.add_argument("--generate-only", action="store_true", help="generate (and keep) the database, measure nothing")
    args = ap.parse_args()
    summary = run(args.keel, args.orgs, args.projects, args.days, args.seconds, args.clients, args.max_gib,
                  args.db, args.keep, args.generate_only)
    sys.exit(0 if all(ok for *_, ok in summary) else 1)


if __name__ == "__main__":
    main()
