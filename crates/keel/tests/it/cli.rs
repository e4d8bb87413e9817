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

    async fn keel_import_reads_the_native_formats_with_their_options(backend) {
        let Some(db) = TestDb::new(backend, "native_cli").await else { return };
        ok(&keel(&db, &["project", "create", "acme", "--name", "ACME"], None));
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path.display().to_string()
        };
        let report = file(
            "report.tsv",
            "\"r\"\nDate\tCampaignName\tImpressions\tClicks\tCost\tConversions\n2026-11-01\tautumn\t100\t5\t1250000\t1\nTotal rows: 1\n",
        );
        let out = ok(&keel(
            &db,
            &["import", "--project", "acme", "--format", "yandex-direct", "--currency", "kzt", "--micros", &report],
            None,
        ));
        assert!(out.contains("1 rows read, 1 stored"), "{out}");
        let store = keel_store::Store::open(&db.url).await.unwrap();
        let ads = keel_store::on_pool!(store.raw_pool_for_tests(), p => {
            sqlx::query_as::<_, (String, f64, String)>("SELECT platform, spend, currency FROM ad_stats").fetch_all(p).await
        })
        .unwrap();
        assert_eq!(ads, vec![("yandex_direct".to_owned(), 1.25, "KZT".to_owned())]);
        let wall = file("wall.json", keel_import::Format::VkWall.sample());
        let out = ok(&keel(&db, &["import", "--project", "acme", "--format", "vk-wall", "--account", "brand", &wall], None));
        assert!(out.contains("3 rows read, 3 stored"), "{out}");
        // A broken file: its JSON path, and nothing stored.
        let broken = file("broken.json", &keel_import::Format::Amocrm.sample().replace("\"status_id\": 143", "\"status_id\": \"lost\""));
        let before = counts(&db).await;
        let refused = keel(&db, &["import", "--project", "acme", "--format", "amocrm", &broken], None);
        assert!(!refused.status.success());
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains("line 17, at [2]._embedded.leads[0].status_id: is a string (\"lost\"); expected a whole number"), "{stderr}");
        assert_eq!(counts(&db).await, before);
        let unknown = keel(&db, &["import", "--project", "acme", "--format", "vk", &wall], None);
        assert!(String::from_utf8_lossy(&unknown.stderr).contains("vk-wall, telegram-export, instagram-media"));
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
