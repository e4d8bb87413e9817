//! Storage rules that hold on both backends.

use crate::helpers::*;
use keel_domain::{Email, ProjectName, Slug};
use keel_store::projects::NewProject;
use keel_store::{Store, StoreError};

on_both_backends! {
    async fn a_database_from_a_newer_keel_is_refused(backend) {
        let Some(db) = TestDb::new(backend, "newer_schema").await else { return };
        let store = Store::open(&db.url).await.unwrap();
        keel_store::on_pool!(store.raw_pool_for_tests(), p => {
            sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99999, 'from the future', TRUE, $1, 0)")
                .bind(vec![0u8; 48])
                .execute(p)
                .await
                .map(|_| ())
        })
        .unwrap();
        store.close().await;
        let err = Store::open(&db.url).await.unwrap_err();
        assert!(matches!(err, StoreError::SchemaTooNew { found: 99999, .. }), "{err}");
        assert!(err.to_string().contains("newer than this keel binary"));
    }

    async fn slugs_and_people_never_cross_organizations(backend) {
        let Some(app) = TestApp::demo(backend, "tenancy").await else { return };
        let other = app.store.ensure_org("rival", "Rival Agency").await.unwrap();
        let rival_project = NewProject {
            org: other.id(),
            slug: Slug::parse("client-a").unwrap(),
            name: ProjectName::parse("Rival's own client-a").unwrap(),
            started_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            client: None,
        };
        // The same slug may exist in another organization…
        let theirs = app.store.create_project(&rival_project).await.unwrap();
        let hash = keel_store::credentials::hash_password("rival-password").unwrap();
        let rival = app.store.create_user(other.id(), &Email::parse("boss@rival.test").unwrap(), "Boss", &hash, true).await.unwrap();
        // …but a demo user's slug resolves to their own, and the rival admin sees only theirs.
        let token = app.token("agency@demo.local").await;
        let body: serde_json::Value = reqwest::Client::new().get(app.url("/api/v1/projects/client-a")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(body["name"], "Client A — coffee roastery");
        let (_, rival_token) = app.store.create_token(&rival, "t").await.unwrap();
        let list: serde_json::Value = reqwest::Client::new().get(app.url("/api/v1/projects")).bearer_auth(&rival_token).send().await.unwrap().json().await.unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["name"], "Rival's own client-a");
        let b = reqwest::Client::new().get(app.url("/api/v1/projects/client-b")).bearer_auth(&rival_token).send().await.unwrap();
        assert_eq!(b.status(), reqwest::StatusCode::NOT_FOUND);
        // A person of one organization cannot be put on another's project.
        let demo_org = app.store.ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency").await.unwrap();
        assert!(!app.store.add_member(demo_org.id(), theirs.id(), rival.id(), keel_domain::Role::Viewer, None).await.unwrap());
    }
    async fn the_audit_trail_cannot_be_rewritten(backend) {
        let Some(app) = TestApp::demo(backend, "audit_append_only").await else { return };
        let org = app.store.ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency").await.unwrap();
        let project = app.store.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
        let actor = app.store.user_by_email(&Email::parse("approver-a@demo.local").unwrap()).await.unwrap().unwrap();
        let event = keel_store::audit::NewAuditEvent {
            org: org.id(),
            project: project.id(),
            subject_kind: "post",
            // Not a demo post: the demo's content plan has its own trail.
            subject_id: 999_999,
            actor: Some(actor.id()),
            action: "approved",
            detail: serde_json::json!({"comment": "ok"}),
            at: keel_store::now(),
        };
        app.store.append_audit(&event).await.unwrap();
        app.store.append_audit(&keel_store::audit::NewAuditEvent { actor: None, action: "sla_missed", ..event.clone() }).await.unwrap();
        let before = app.store.audit_of(project.id(), "post", 999_999).await.unwrap();
        assert_eq!(before.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["approved", "sla_missed"]);
        assert_eq!(before[0].actor_email.as_deref(), Some("approver-a@demo.local"));
        assert_eq!(before[0].detail_json()["comment"], "ok");
        assert_eq!(before[1].actor_email, None, "Keel's own actions have no person as actor");
        // The database itself refuses to rewrite or erase an entry, whatever the SQL.
        for sql in ["UPDATE audit_events SET action = 'rejected'", "DELETE FROM audit_events"] {
            let refused = keel_store::on_pool!(app.store.raw_pool_for_tests(), p => sqlx::query(sql).execute(p).await.map(|_| ()));
            let err = refused.expect_err(sql).to_string();
            assert!(err.contains("append-only"), "{sql}: {err}");
        }
        if matches!(backend, Backend::Postgres) {
            let truncate = keel_store::on_pool!(app.store.raw_pool_for_tests(), p => sqlx::query("TRUNCATE audit_events").execute(p).await.map(|_| ()));
            assert!(truncate.is_err(), "TRUNCATE must be refused too");
        }
        let after = app.store.audit_of(project.id(), "post", 999_999).await.unwrap();
        assert_eq!(after.len(), 2);
        assert_eq!(after[0].action, "approved");
        assert_eq!(app.store.audit_of_project(project.id(), 1).await.unwrap()[0].action, "sla_missed");
    }
}
