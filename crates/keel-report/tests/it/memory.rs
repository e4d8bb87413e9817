//! The sqlx read path: a SQLite store without a file (in memory) cannot be read with the
//! fast paths (rusqlite on the file, COPY on PostgreSQL), so the report falls back to
//! plain sqlx queries. Its reports must be the file store's, byte for byte.

use keel_report::build_report;
use keel_store::Store;
use keel_store::projects::Project;

use crate::engagement::engagement_fixture;
use crate::fixtures::day;
use crate::spikes::spikes_fixture;

/// The same report of two stores holding the same rows, as JSON text.
async fn same_reports(
    file: &Store,
    memory: &Store,
    projects: (&Project, &Project),
    from: Option<&str>,
    to: Option<&str>,
) -> anyhow::Result<()> {
    let (from, to) = (from.map(day), to.map(day));
    let a = serde_json::to_string(&build_report(file, projects.0, from, to).await?)?;
    let b = serde_json::to_string(&build_report(memory, projects.1, from, to).await?)?;
    assert_eq!(a, b, "{from:?} … {to:?}");
    Ok(())
}

#[tokio::test]
async fn in_memory_sqlite_reports_like_a_file() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let file = Store::open(&format!("sqlite://{}", dir.path().join("keel.db").display())).await?;
    let memory = Store::open("sqlite::memory:").await?;

    let (pf, pm) = (engagement_fixture(&file).await?, engagement_fixture(&memory).await?);
    same_reports(&file, &memory, (&pf, &pm), None, None).await?;
    same_reports(&file, &memory, (&pf, &pm), Some("2026-01-02"), Some("2026-01-03")).await?;

    let (file, memory) = (
        Store::open(&format!("sqlite://{}", dir.path().join("spikes.db").display())).await?,
        Store::open("sqlite::memory:").await?,
    );
    let (pf, pm) = (spikes_fixture(&file).await?, spikes_fixture(&memory).await?);
    let report = build_report(&memory, &pm, None, None).await?;
    assert_eq!(report.bot_spikes.len(), 1, "the purchase is found on the sqlx path too");
    same_reports(&file, &memory, (&pf, &pm), None, None).await?;
    same_reports(&file, &memory, (&pf, &pm), Some("2026-04-01"), Some("2026-04-10")).await?;
    Ok(())
}
