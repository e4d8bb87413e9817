//! What each command does. Each takes the loaded [`Config`] and opens the store itself.

mod admin;
mod backup;
mod data;
mod serve;
mod sync;

use crate::cli::{Command, MemberCommand, ProjectCommand, UserCommand};
use crate::config::Config;
use keel_store::Store;

pub use admin::{add_member, create_project, create_token, create_user};
pub use backup::{backup, restore};
pub use serve::serve;

pub async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    // Backups copy the database as it is and restores need it empty: neither migrates first.
    match &command {
        Command::Backup { to } => return backup::backup(&config.database_url.0, to).await,
        Command::Restore { from } => return backup::restore(&config.database_url.0, from).await,
        _ => {}
    }
    let store = Store::open(&config.database_url.0).await?;
    let result = dispatch(command, &config, &store).await;
    store.close().await;
    result
}

async fn dispatch(command: Command, config: &Config, store: &Store) -> anyhow::Result<()> {
    match command {
        Command::Serve { demo, .. } => serve(config, store, demo).await,
        Command::Demo => {
            let summary = crate::demo::fill(store).await?;
            println!("{summary}");
            Ok(())
        }
        Command::Project {
            command:
                ProjectCommand::Create {
                    slug,
                    name,
                    started_on,
                    client,
                },
        } => {
            let p = create_project(store, &slug, &name, started_on.as_deref(), client.as_deref()).await?;
            println!("created project {} ({}) in status {}", p.slug, p.name, p.status);
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    password_stdin: _,
                    name,
                    admin,
                },
        } => {
            let mut password = String::new();
            std::io::stdin().read_line(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']);
            let user = create_user(store, &email, password, name.as_deref(), admin).await?;
            println!(
                "created user {}{}",
                user.email,
                if admin { " (organization admin)" } else { "" }
            );
            Ok(())
        }
        Command::Member {
            command:
                MemberCommand::Add {
                    slug,
                    email,
                    role,
                    speciality,
                },
        } => {
            let added = add_member(store, &slug, &email, &role, speciality.as_deref()).await?;
            println!(
                "{email} {} {role} in {slug}",
                if added { "is now" } else { "already was" }
            );
            Ok(())
        }
        Command::Token { command } => admin::token(store, command).await,
        Command::Import {
            project,
            format,
            year,
            account,
            currency,
            micros,
            files,
        } => {
            let options = keel_import::ImportOptions {
                year: year.unwrap_or(keel_import::ImportOptions::default().year),
                account,
                currency,
                money_in_micros: micros,
            };
            data::import(store, &project, &format, options, &files).await
        }
        Command::Sync {
            project,
            platform,
            from,
            to,
        } => {
            sync::sync(
                config,
                store,
                &project,
                platform.as_deref(),
                from.as_deref(),
                to.as_deref(),
            )
            .await
        }
        Command::Report {
            project,
            from,
            to,
            format,
            lang,
        } => data::report(store, &project, from.as_deref(), to.as_deref(), &format, &lang).await,
        Command::Backup { .. } | Command::Restore { .. } => {
            unreachable!("run handles backups before opening the store")
        }
    }
}
