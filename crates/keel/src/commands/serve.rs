//! `keel serve`: the web app and API until Ctrl-C or SIGTERM.

use crate::config::Config;
use anyhow::Context;
use keel_store::Store;
use keel_web::{AppState, WebConfig};
use std::time::Duration;

pub async fn serve(config: &Config, store: &Store, demo: bool) -> anyhow::Result<()> {
    if demo {
        if crate::demo::is_empty(store).await? {
            tracing::info!("empty database: filling the demo data");
            fill_demo(config, store).await?;
        } else {
            tracing::info!("the database already holds data: demo data not added");
        }
    }
    // Notifications: channels are built here so a bad SMTP setting stops
    // Keel at start; the bot polls until shutdown.
    let channels = crate::notify::delivery_channels(&config.notify, store)?;
    tracing::info!(
        channels = channels.len(),
        "notification channels configured (e-mail, Telegram)"
    );
    let (bot_stop, bot_stopped) = tokio::sync::oneshot::channel::<()>();
    let desk = crate::notify::WorkflowDesk::new(store.clone());
    let telegram = crate::notify::start_telegram(&config.notify, store, desk, async {
        let _ = bot_stopped.await;
    })
    .await;
    let platforms = config.platforms()?;
    if platforms.key.is_none() {
        tracing::warn!("no secret key (KEEL_SECRET_KEY): accounts cannot be connected, nothing is published");
    }
    let web = WebConfig {
        platforms: platforms.clone(),
        secure_cookies: config.secure_cookies,
        max_body_bytes: config.max_upload_mb * 1024 * 1024,
        public_url: config.notify.public_url.clone(),
        telegram: telegram.as_ref().map(|(web, _)| web.clone()),
        smtp: config.notify.smtp.clone(),
        allow_signup: config.allow_signup,
        figure_cache_bytes: Some(config.figure_cache_mb << 20),
    };
    let state = AppState::new(store.clone(), web);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(database = ?config.database_url, "Keel is running at http://{address}/");
    eprintln!("Keel is running at http://{address}/ (Ctrl-C stops it)");
    let pruner = tokio::spawn(prune_periodically(store.clone()));
    // Pulls: every minute the schedule enqueues the connections whose sync is due.
    let planner = tokio::spawn(plan_pulls_periodically(store.clone()));
    // Timers and notifications: every instance runs the shared queue in the database.
    let mut runner = keel_app::jobs::runner_publishing(store, channels, std::sync::Arc::new(platforms));
    // Scheduled reports go out through the same SMTP settings as invitations.
    keel_web::report_schedule::DeliveryJob::register(&mut runner, state.mail.clone());
    let runner = std::sync::Arc::new(runner);
    let jobs = runner.spawn(crate::jobs::POLL_EVERY);
    keel_web::serve(listener, state, shutdown_signal()).await?;
    jobs.abort();
    pruner.abort();
    planner.abort();
    let _ = bot_stop.send(());
    if let Some((_, bot)) = telegram {
        let _ = tokio::time::timeout(Duration::from_secs(5), bot).await;
    }
    Ok(())
}

/// Fills the demo data in a child `keel demo` on the same database, so that the memory the
/// year's imports took goes back to the system with that process: filled in the server's own
/// process, the allocator kept most of it (idle RSS 117 MiB, against about 40 MiB for the same
/// server on the filled database). Falls back to filling here when the binary cannot be
/// started again.
async fn fill_demo(config: &Config, store: &Store) -> anyhow::Result<()> {
    let child = std::env::current_exe().and_then(|exe| {
        std::process::Command::new(exe)
            .arg("--database")
            .arg(&config.database_url.0)
            .arg("demo")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
    });
    match child {
        Ok(child) => {
            let output = tokio::task::spawn_blocking(move || child.wait_with_output()).await??;
            anyhow::ensure!(
                output.status.success(),
                "filling the demo data failed ({})",
                output.status
            );
            tracing::info!("{}", String::from_utf8_lossy(&output.stdout).trim());
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not start `keel demo`: filling the demo data in this process");
            let summary = crate::demo::fill(store).await?;
            tracing::info!("{summary}");
        }
    }
    Ok(())
}

/// The sync schedule (`keel_app::pulls::schedule`): looked at every minute.
async fn plan_pulls_periodically(store: Store) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        match keel_app::pulls::plan_due(&store, keel_store::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(syncs = n, "syncs enqueued by the schedule"),
            Err(e) => tracing::warn!(error = %e, "planning syncs failed"),
        }
    }
}

/// Expired sessions and old login failures are deleted hourly.
async fn prune_periodically(store: Store) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        if let Err(e) = store.prune_expired().await {
            tracing::warn!(error = %e, "pruning expired sessions failed");
        }
        // Finished background jobs are kept a month for inspection.
        if let Err(e) = store
            .prune_finished_jobs(keel_store::now() - chrono::Duration::days(30))
            .await
        {
            tracing::warn!(error = %e, "pruning finished jobs failed");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
