//! The `keel` binary, run as a user would run it.

use crate::helpers::*;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn keel(db: &TestDb, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keel"))
        .arg("--database")
        .arg(&db.url)
        .args(args)
        .env_remove("KEEL_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run keel");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn ok(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "keel failed: {stderr}");
    String::from_utf8(output.stdout.clone()).unwrap()
}

async fn counts(db: &TestDb) -> Vec<i64> {
    let store = keel_store::Store::open(&db.url).await.unwrap();
    let mut out = vec![];
    for table in [
        "organizations",
        "users",
        "clients",
        "projects",
        "memberships",
        "posts",
        "daily_stats",
        "ad_stats",
        "leads",
        "imports",
        // Content plan and approvals
        "plan_posts",
        "plan_post_variants",
        "plan_post_images",
        "plan_comments",
        "audit_events",
        "jobs",
        "notifications",
        "workflow_settings",
        // Goals, brief, team and meetings.
        "goals",
        "brief_versions",
        "team_matrix",
        "meeting_schedules",
        "meetings",
        "action_items",
    ] {
        let n: i64 = keel_store::on_pool!(store.raw_pool_for_tests(), p => {
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(p).await
        })
        .unwrap();
        out.push(n);
    }
    store.close().await;
    out
}

on_both_backends! {
    async fn demo_twice_leaves_one_copy_of_everything(backend) {
        let Some(db) = TestDb::new(backend, "demo_twice").await else { return };
        let first = ok(&keel(&db, &["demo"], None));
        assert!(first.contains("6 users, 2 projects, 9 memberships"), "{first}");
        let after_first = counts(&db).await;
        let second = ok(&keel(&db, &["demo"], None));
        assert!(second.contains("0 users, 0 projects, 0 memberships, 0 data rows added"), "{second}");
        assert_eq!(counts(&db).await, after_first);
        assert_eq!(after_first[..5], [1, 6, 2, 2, 9]);
        assert_eq!(after_first[9], 8, "four files per project");
        assert!(after_first[5..9].iter().all(|n| *n > 0), "{after_first:?}");
        assert_eq!(after_first[10], 18, "nine content-plan posts per project");
        assert!(second.contains("0 content-plan posts"), "{second}");
        assert!(after_first[18..].iter().all(|n| *n > 0), "planning data for both projects: {after_first:?}");
    }

    async fn admin_commands_make_a_project_a_user_a_member_and_a_token(backend) {
        let Some(db) = TestDb::new(backend, "admin_commands").await else { return };
        ok(&keel(&db, &["project", "create", "acme", "--name", "ACME launch", "--started-on", "2026-01-15"], None));
        ok(&keel(&db, &["user", "create", "lead@acme.test", "--password-stdin"], Some("a long password\n")));
        let added = ok(&keel(&db, &["member", "add", "acme", "lead@acme.test", "agency_lead"], None));
        assert!(added.contains("is now agency_lead"), "{added}");
        let token = ok(&keel(&db, &["token", "create", "--user", "lead@acme.test"], None));
        let token = token.trim();
        assert!(token.starts_with("keel_") && token.len() == 69, "{token}");
        let store = keel_store::Store::open(&db.url).await.unwrap();
        let user = store.token_user(token).await.unwrap().expect("the printed token works");
        assert_eq!(user.email, "lead@acme.test");
        // Mistakes are explained, and nothing is half-made.
        let taken = keel(&db, &["project", "create", "acme", "--name", "Again"], None);
        assert!(!taken.status.success());
        assert!(String::from_utf8_lossy(&taken.stderr).contains("already exists"));
        let bad_role = keel(&db, &["member", "add", "acme", "lead@acme.test", "boss"], None);
        assert!(String::from_utf8_lossy(&bad_role.stderr).contains("expected one of"));
        let short = keel(&db, &["user", "create", "x@acme.test", "--password-stdin"], Some("short\n"));
        assert!(String::from_utf8_lossy(&short.stderr).contains("at least 8"));
        let bad_date = keel(&db, &["project", "create", "acme2", "--name", "A", "--started-on", "15.01.2026"], None);
        assert!(String::from_utf8_lossy(&bad_date.stderr).contains("YYYY-MM-DD"));
        store.close().await;
    }
}

#[test]
fn unknown_keel_variables_are_warned_about_and_secrets_not_printed() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_keel"))
        .args([
            "--database",
            &format!("sqlite://{}", dir.path().join("k.db").display()),
            "demo",
        ])
        .env("KEEL_DATABSE_URL", "postgres://keel:hunter22@nowhere/keel")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("unknown environment variable KEEL_DATABSE_URL"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter22"));
    let bad = Command::new(env!("CARGO_BIN_EXE_keel"))
        .args(["--database", "postgres://keel:hunter22@127.0.0.1:1/keel", "demo"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(!bad.status.success());
    assert!(
        stderr.contains("cannot connect") && !stderr.contains("hunter22"),
        "{stderr}"
    );
}
