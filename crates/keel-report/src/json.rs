//! `keel report --format json`: the JSON of [`crate::Report`], written as it is computed.
//!
//! The `posts` list is serialized row by row straight from the database cursor, so a
//! million posts never sit in memory, while the other (small) sections are computed
//! concurrently; they are written after it. The keys come in the order of
//! [`crate::Report`]'s fields, and the output is byte for byte `serde_json::to_string`
//! of `build_report(…)` plus a newline (a test checks it).

use std::io::Write;

use chrono::NaiveDate;
use keel_store::Store;
use keel_store::projects::Project;
use serde::Serialize;

use crate::run;
use crate::scope::Scope;

/// Writes the report of `project` over `from ..= to` to `out` as one JSON object
/// followed by a newline. Output is buffered here; `out` needs no buffering of its own.
pub async fn write_report_json(
    store: &Store,
    project: &Project,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    out: impl Write,
) -> anyhow::Result<()> {
    let scope = Scope::new(project, from, to)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);

    w.write_all(b"{")?;
    field(&mut w, "project", &project.slug, false)?;
    field(&mut w, "period", &scope.period(), true)?;

    // The posts stream out while the other sections are computed on other connections.
    w.write_all(b",\"posts\":[")?;
    let mut first = true;
    let mut line = Vec::with_capacity(256);
    let summary = run(store, &scope, |row| {
        line.clear();
        if !first {
            line.push(b',');
        }
        first = false;
        row.write_json(&mut line)?;
        w.write_all(&line)?;
        Ok(())
    })
    .await?;
    w.write_all(b"]")?;

    field(&mut w, "accounts", &summary.accounts, true)?;
    field(&mut w, "bot_spikes", &summary.bot_spikes, true)?;
    field(&mut w, "ads", &summary.ads, true)?;
    field(&mut w, "funnel", &summary.funnel, true)?;
    let goals = crate::goals::goal_rows(store, project, crate::scope::zone_of(project).today()).await?;
    field(&mut w, "goals", &goals, true)?;
    w.write_all(b"}\n")?;
    w.flush()?;
    Ok(())
}

/// Writes `"key":value`, preceded by a comma unless it is the object's first member.
fn field<W: Write>(w: &mut W, key: &str, value: &impl Serialize, comma: bool) -> anyhow::Result<()> {
    if comma {
        w.write_all(b",")?;
    }
    serde_json::to_writer(&mut *w, key)?;
    w.write_all(b":")?;
    serde_json::to_writer(&mut *w, value)?;
    Ok(())
}
