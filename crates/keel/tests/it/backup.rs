//! `keel backup` while the database is being written, and `keel restore` of that backup into
//! a fresh database: the restored database is one consistent moment of the source.

use crate::helpers::*;
use keel_domain::Email;
use keel_domain::workflow::variants::Platform;
use keel_store::backup::TableDigest;
use keel_store::plan::posts::PostDraft;
use keel_store::{Store, StoreError};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

const WRITER_PREFIX: &str = "backup-writer-";

async fn wait_for(count: &AtomicUsize, at_least: usize) {
    for _ in 0..2000 {
        if count.load(Ordering::SeqCst) >= at_least {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("the writer stalled at {} posts", count.load(Ordering::SeqCst));
}

fn by_table(digests: &[TableDigest]) -> BTreeMap<&str, &TableDigest> {
    digests.iter().map(|d| (d.table.as_str(), d)).collect()
}

/// The numbers of the writer's posts in `store`, sorted.
async fn writer_posts(store: &Store, project: keel_domain::ProjectId) -> Vec<usize> {
    let mut numbers: Vec<usize> = store
        .plan_posts_of(project)
        .await
        .unwrap()
        .iter()
        .filter_map(|p| p.text.strip_prefix(WRITER_PREFIX).map(|n| n.parse().unwrap()))
        .collect();
    numbers.sort_unstable();
    numbers
}

on_both_backends! {
    async fn a_backup_taken_during_writes_restores_one_consistent_moment(backend) {
        let Some(source_db) = TestDb::new(backend, "backup_source").await else { return };
        let source = Store::open(&source_db.url).await.unwrap();
        keel::demo::fill(&source).await.unwrap();
        let org = source.ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency").await.unwrap();
        let project = source.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
        let author = source.user_by_email(&Email::parse("specialist@demo.local").unwrap()).await.unwrap().unwrap();
        let before = source.table_digests().await.unwrap();

        // A stream of writes (a post and its audit event per transaction) while the backup runs.
        let stop = Arc::new(AtomicBool::new(false));
        let written = Arc::new(AtomicUsize::new(0));
        let writer = tokio::spawn({
            let (store, stop, written) = (source.clone(), stop.clone(), written.clone());
            let (org, project, author) = (org.id(), project.id(), author.id());
            async move {
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    let draft = PostDraft {
                        text: format!("{WRITER_PREFIX}{n}"),
                        rubric: String::new(),
                        platforms: vec![Platform::Telegram],
                        scheduled_at: None,
                        urgent: false,
                        variants: BTreeMap::new(),
                    };
                    store.create_plan_post(org, project, author, &draft).await.unwrap();
                    n += 1;
                    written.store(n, Ordering::SeqCst);
                }
                n
            }
        });
        wait_for(&written, 5).await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("keel.backup");
        let started_at = written.load(Ordering::SeqCst);
        keel::commands::backup(&source_db.url, &file).await.unwrap();
        let ended_at = written.load(Ordering::SeqCst);
        wait_for(&written, ended_at + 5).await;
        stop.store(true, Ordering::SeqCst);
        let total = writer.await.unwrap();
        let after = source.table_digests().await.unwrap();
        assert!(total > ended_at, "the writes went on after the backup");
        // A backup never overwrites a file.
        let err = keel::commands::backup(&source_db.url, &file).await.unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");

        let Some(target_db) = TestDb::new(backend, "backup_target").await else { return };
        // The target already has Keel's empty schema, as after a `keel serve` that stored
        // nothing: it counts as empty, and the backup's schema replaces it.
        Store::open(&target_db.url).await.unwrap().close().await;
        keel::commands::restore(&target_db.url, &file).await.unwrap();
        let target = Store::open(&target_db.url).await.unwrap();
        let restored = target.table_digests().await.unwrap();

        // SQLite: the restored database is the backup file's snapshot, table by table.
        if backend == Backend::Sqlite {
            let snapshot = Store::open_sqlite_read_only(&file).await.unwrap();
            assert_eq!(restored, snapshot.table_digests().await.unwrap(), "restored = the backup's content");
            snapshot.close().await;
        }
        // Tables the writer did not touch are restored exactly; the ones it did hold a state
        // between the backup's start and end.
        let (before, after, restored_tables) = (by_table(&before), by_table(&after), by_table(&restored));
        assert_eq!(before.keys().collect::<Vec<_>>(), restored_tables.keys().collect::<Vec<_>>(), "the same tables");
        let mut changed = Vec::new();
        for (table, was) in &before {
            let now = restored_tables[table];
            if after[table] == *was {
                assert_eq!(now, *was, "{table}: untouched by the writer, restored exactly");
            } else {
                changed.push(*table);
                assert!(was.rows + started_at as i64 <= now.rows && now.rows <= after[table].rows, "{table}: {now:?} between {was:?} and {:?}", after[table]);
            }
        }
        assert!(changed.contains(&"plan_posts") && changed.contains(&"audit_events"), "{changed:?}");
        // One moment: the writer's posts form a prefix 0..k, and every one has its audit event.
        let numbers = writer_posts(&target, project.id()).await;
        let k = numbers.len();
        assert!(started_at <= k && k <= ended_at, "{k} posts, the backup ran from {started_at} to {ended_at}");
        assert_eq!(numbers, (0..k).collect::<Vec<_>>(), "the writer's posts are a prefix");
        let posts_added = restored_tables["plan_posts"].rows - before["plan_posts"].rows;
        let events_added = restored_tables["audit_events"].rows - before["audit_events"].rows;
        assert_eq!((posts_added, events_added), (k as i64, k as i64), "each post with its audit event");
        // The restored database works: its demo users, projects and the writer's posts are there.
        let restored_project = target.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
        assert_eq!(restored_project.id(), project.id());
        target.close().await;

        // A database that holds data is never restored into.
        let err = keel::commands::restore(&target_db.url, &file).await.unwrap_err();
        assert!(err.to_string().contains("is not empty"), "{err}");

        // A backup from a newer schema is refused, before anything is written.
        keel_store::on_pool!(source.raw_pool_for_tests(), p => {
            sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99999, 'from the future', TRUE, $1, 0)")
                .bind(vec![0u8; 48])
                .execute(p)
                .await
                .map(|_| ())
        })
        .unwrap();
        let newer = dir.path().join("newer.backup");
        keel::commands::backup(&source_db.url, &newer).await.unwrap();
        let Some(fresh_db) = TestDb::new(backend, "backup_newer").await else { return };
        let err = keel::commands::restore(&fresh_db.url, &newer).await.unwrap_err();
        let store_err = err.downcast_ref::<StoreError>().expect("a store error");
        assert!(matches!(store_err, StoreError::SchemaTooNew { found: 99999, .. }), "{err}");
        let fresh = Store::open_unmigrated(&fresh_db.url).await.unwrap();
        assert!(fresh.table_counts().await.unwrap().iter().all(|t| t.rows == 0), "nothing restored");
        fresh.close().await;
        source.close().await;
    }
}
