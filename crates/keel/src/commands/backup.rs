//! `keel backup` and `keel restore`: a consistent copy of the whole database, and loading one
//! into an empty database, with a summary of what was copied.

use keel_store::backup::{self, BackupSummary};
use keel_store::{Store, redact_url};
use std::path::Path;

fn print_summary(summary: &BackupSummary) {
    for table in &summary.tables {
        println!("  {:<32} {:>10} rows", table.table, table.rows);
    }
    println!(
        "{} tables, {} rows, schema version {}, {} bytes",
        summary.tables.len(),
        summary.total_rows(),
        summary.schema_version,
        summary.bytes
    );
}

/// Backs up the database at `url` to `to` (a new file).
pub async fn backup(url: &str, to: &Path) -> anyhow::Result<()> {
    println!("backing up {} to {} …", redact_url(url), to.display());
    let store = Store::open_unmigrated(url).await?;
    let summary = store.backup_to(url, to).await;
    store.close().await;
    let summary = summary?;
    print_summary(&summary);
    println!("backup written to {}", to.display());
    Ok(())
}

/// Restores the backup `from` into the empty database at `url`.
pub async fn restore(url: &str, from: &Path) -> anyhow::Result<()> {
    println!("restoring {} into {} …", from.display(), redact_url(url));
    let summary = backup::restore(url, from).await?;
    print_summary(&summary);
    println!("restored into {}", redact_url(url));
    Ok(())
}
