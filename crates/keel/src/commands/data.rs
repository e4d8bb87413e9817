//! `keel import` and `keel report`.

use anyhow::{Context, bail};
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use keel_import::{Format, ImportError, ImportOptions};
use keel_store::Store;
use keel_store::projects::Project;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;

/// The project `slug` of the default organization, or an error saying how to make one.
pub async fn project(store: &Store, slug: &str) -> anyhow::Result<Project> {
    let org = store.default_org().await?;
    match store.project_by_slug(org.id(), slug).await? {
        Some(p) => Ok(p),
        None => bail!("no project `{slug}` (create it with `keel project create {slug} --name NAME`)"),
    }
}

pub async fn import(
    store: &Store,
    slug: &str,
    format: &str,
    options: ImportOptions,
    files: &[PathBuf],
) -> anyhow::Result<()> {
    let format: Format = format.parse()?;
    let project = project(store, slug).await?;
    for (done, path) in files.iter().enumerate() {
        let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let bar = progress_bar(size, path);
        let on_progress = |bytes: u64| bar.set_position(bytes);
        let name = path.display().to_string();
        let result = keel_import::import_with(
            store,
            &project,
            format,
            file,
            &name,
            "cli",
            options.clone(),
            &on_progress,
        )
        .await;
        bar.finish_and_clear();
        match result {
            Ok(s) => println!(
                "{name}: {} rows read, {} stored, {} replaced, {} unchanged",
                s.rows_read, s.stored, s.replaced, s.unchanged
            ),
            Err(ImportError::Invalid(problems)) => {
                eprintln!("{name}: rejected, nothing of it was stored:");
                for p in &problems {
                    eprintln!("  {p}");
                }
                if done > 0 {
                    eprintln!("(the {done} file(s) before it were imported and stay)");
                }
                bail!("{name} has {} problem(s); fix them and import it again", problems.len());
            }
            Err(e) => return Err(anyhow::Error::new(e).context(format!("importing {name} (nothing of it was stored)"))),
        }
    }
    Ok(())
}

/// A byte-progress bar on a terminal; nothing when stderr is redirected.
fn progress_bar(size: u64, path: &std::path::Path) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(size);
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
        .expect("constant template")
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    bar
}

pub(crate) fn parse_day(flag: &str, value: Option<&str>) -> anyhow::Result<Option<NaiveDate>> {
    value
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d").with_context(|| format!("{flag} `{v}` is not a date (YYYY-MM-DD)"))
        })
        .transpose()
}

pub async fn report(
    store: &Store,
    slug: &str,
    from: Option<&str>,
    to: Option<&str>,
    format: &str,
    lang: &str,
) -> anyhow::Result<()> {
    let (from, to) = (parse_day("--from", from)?, parse_day("--to", to)?);
    let project = project(store, slug).await?;
    let stdout = std::io::stdout().lock();
    let mut out = BufWriter::with_capacity(1 << 16, stdout);
    match format {
        "json" => keel_report::write_report_json(store, &project, from, to, &mut out).await?,
        "csv" => keel_report::write_report_csv(store, &project, from, to, &mut out).await?,
        "html" => {
            let html = keel_web::report_html_for_period(store, &project, from, to).await?;
            out.write_all(html.as_bytes())?;
        }
        "pdf" | "xlsx" => {
            let lang =
                keel_web::Lang::parse(lang).ok_or_else(|| anyhow::anyhow!("--lang `{lang}`: expected en or ru"))?;
            let bytes = if format == "pdf" {
                keel_web::report_pdf_for_period(store, &project, from, to, lang).await?
            } else {
                keel_web::report_xlsx_for_period(store, &project, from, to, lang).await?
            };
            out.write_all(&bytes)?;
        }
        other => bail!("unknown report format `{other}`: expected json, html, csv, pdf or xlsx"),
    }
    out.flush()?;
    Ok(())
}
