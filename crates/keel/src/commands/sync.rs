//! `keel sync`: pulls each connection of a project (or one platform's) now, in the terminal,
//! with a progress line; the same sync as the schedule's and "sync now" (recorded in `syncs`,
//! the imports log naming the connection).

use crate::config::Config;
use anyhow::bail;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use keel_app::pulls::{SyncKind, SyncRequest, sync_connection};
use keel_domain::connection::ConnectionPlatform;
use keel_store::Store;
use std::io::IsTerminal;

pub async fn sync(
    config: &Config,
    store: &Store,
    slug: &str,
    platform: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
) -> anyhow::Result<()> {
    let project = super::data::project(store, slug).await?;
    let only = match platform {
        Some(p) => Some(ConnectionPlatform::parse(p).ok_or_else(|| {
            anyhow::anyhow!(
                "--platform `{p}` is not one of vk, telegram, instagram, yandex_direct, meta_ads, amocrm, bitrix24"
            )
        })?),
        None => None,
    };
    let platforms = config.platforms()?;
    if platforms.key.is_none() {
        bail!("this Keel has no secret key (KEEL_SECRET_KEY): the connections' credentials cannot be opened");
    }
    let connections: Vec<_> = store
        .connections_of(project.id())
        .await?
        .into_iter()
        .filter(|c| only.is_none_or(|p| c.platform() == Some(p)))
        .collect();
    if connections.is_empty() {
        bail!(
            "project `{slug}` has no {}connection: connect accounts on its Connections page",
            only.map(|p| format!("{} ", p.label())).unwrap_or_default()
        );
    }
    let from = super::data::parse_day("--from", from)?;
    let to = super::data::parse_day("--to", to)?;
    let today = keel_app::pulls::zone_of(&project).day_of(keel_store::now());
    let mut failed = 0;
    for connection in &connections {
        let first = store.last_good_sync(connection.id, &[]).await?.is_none();
        let to = to.unwrap_or(today);
        let days = if first {
            keel_app::pulls::schedule::BACKFILL_DAYS
        } else {
            keel_app::pulls::schedule::RECENT_DAYS
        };
        let from = from.unwrap_or(to - chrono::Days::new(days));
        if from > to {
            bail!("--from {from} is after --to {to}");
        }
        let request = SyncRequest {
            from,
            to,
            today,
            kind: if first { SyncKind::Backfill } else { SyncKind::Manual },
            actor: "cli".into(),
        };
        let label = format!("{} {}", connection.platform, connection.account);
        let bar = bar(&label);
        let on_progress = |stage: &str, done: Option<(u64, u64)>| {
            match done {
                Some((done, total)) if total > 0 => {
                    bar.set_length(total);
                    bar.set_position(done);
                }
                Some((done, _)) => bar.set_position(done),
                None => {}
            }
            bar.set_message(format!("{label}: {stage}"));
        };
        let record = sync_connection(store, &platforms, connection, &request, &on_progress)
            .await?
            .record;
        bar.finish_and_clear();
        match &record.error {
            None => println!(
                "{label} ({from} … {to}): {} rows read, {} stored, {} replaced, {} unchanged",
                record.rows_read, record.stored, record.replaced, record.unchanged
            ),
            Some(error) => {
                failed += 1;
                eprintln!("{label} ({from} … {to}): failed: {error}");
            }
        }
    }
    if failed > 0 {
        bail!("{failed} of {} connection(s) failed to sync", connections.len());
    }
    Ok(())
}

/// A progress line on a terminal; nothing when stderr is redirected.
fn bar(label: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(ProgressStyle::with_template("{spinner} {msg} {pos}/{len} {elapsed}").expect("constant template"));
    bar.set_message(label.to_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
