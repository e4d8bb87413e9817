//! The command line of PRODUCT.md ("Public interface"). Every command takes `--database URL`.

use crate::commands;
use crate::config::{Config, Overrides};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "keel", version, about = "Keel: the client–agency SMM workspace")]
pub struct Cli {
    /// Database URL: sqlite://PATH (default sqlite://keel.db) or postgres://… [env: KEEL_DATABASE_URL]
    #[arg(long, global = true, value_name = "URL")]
    pub database: Option<String>,
    /// Configuration file (TOML) [env: KEEL_CONFIG; default: ./keel.toml if present]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web app and API
    Serve {
        /// Address to listen on (default 127.0.0.1:8080) [env: KEEL_LISTEN]
        #[arg(long, value_name = "HOST:PORT")]
        listen: Option<String>,
        /// Fill the demo data first when the database is empty
        #[arg(long)]
        demo: bool,
    },
    /// Fill the database with the demo organization (running it again changes nothing)
    Demo,
    /// Import data files into a project (each file all-or-nothing; re-imports change nothing)
    Import {
        #[arg(long, value_name = "SLUG")]
        project: String,
        /// posts, daily, ads, leads, facebook-metrics, vk-wall, telegram-export,
        /// instagram-media, yandex-direct, meta-ads, amocrm or bitrix24
        #[arg(long)]
        format: String,
        /// facebook-metrics only: the year the export's posts were published (default 2014)
        #[arg(long)]
        year: Option<i32>,
        /// The account the posts are stored under (facebook-metrics: default `page`; vk-wall,
        /// telegram-export, instagram-media: default the community, channel or user the file names)
        #[arg(long)]
        account: Option<String>,
        /// yandex-direct, meta-ads: the money's currency (default RUB for yandex-direct; for
        /// meta-ads each row's account_currency, else USD)
        #[arg(long)]
        currency: Option<String>,
        /// yandex-direct: the report's money is in micros (returnMoneyInMicros left at true)
        #[arg(long)]
        micros: bool,
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Pull platform statistics through a project's connections now (each batch
    /// all-or-nothing; a second sync of the same range changes nothing)
    Sync {
        #[arg(long, value_name = "SLUG")]
        project: String,
        /// Only this connection: vk, telegram, instagram, yandex_direct, meta_ads, amocrm, bitrix24
        #[arg(long)]
        platform: Option<String>,
        /// First day, inclusive (YYYY-MM-DD; default 90 days back for a first sync, else 30)
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        /// Last day, inclusive (YYYY-MM-DD; default today)
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: Option<String>,
    },
    /// Write a project's report to standard output
    Report {
        #[arg(long, value_name = "SLUG")]
        project: String,
        /// First day, inclusive (YYYY-MM-DD; default: all data)
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        /// Last day, inclusive (YYYY-MM-DD; default: all data)
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: Option<String>,
        /// json, html, csv, pdf or xlsx
        #[arg(long, default_value = "json")]
        format: String,
        /// Language of the pdf and xlsx reports: en or ru
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Manage projects
    Project {
        #[command(subcommand)]
        command: ProjectCommand,
    },
    /// Manage users
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage project memberships
    Member {
        #[command(subcommand)]
        command: MemberCommand,
    },
    /// Manage API tokens
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Write a consistent copy of the database to FILE (safe while `keel serve` runs)
    Backup {
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Load a backup into an empty database (refuses one that holds data)
    Restore {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum ProjectCommand {
    /// Create a project in the default organization
    Create {
        slug: String,
        #[arg(long)]
        name: String,
        /// First day of the engagement (YYYY-MM-DD; default today)
        #[arg(long, value_name = "YYYY-MM-DD")]
        started_on: Option<String>,
        /// The client company (created if new)
        #[arg(long)]
        client: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user in the default organization
    Create {
        email: String,
        /// Read the password from standard input (one line)
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Display name (default: the part of the e-mail before @)
        #[arg(long)]
        name: Option<String>,
        /// Make the user an organization admin
        #[arg(long)]
        admin: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum MemberCommand {
    /// Give a user a role in a project
    Add {
        slug: String,
        email: String,
        /// client_owner, client_approver, client_member, agency_lead, specialist or viewer
        role: String,
        /// Free-text speciality (copywriter, designer, targetologist…)
        #[arg(long)]
        speciality: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Make an API token for a user and print it (it is shown only once)
    Create {
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// List a user's tokens (never the secrets)
    List {
        #[arg(long)]
        user: String,
    },
    /// Revoke one of a user's tokens
    Revoke {
        #[arg(long)]
        user: String,
        id: i64,
    },
}

/// Parses the command line, loads the configuration, sets up logging and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let listen = match &cli.command {
        Command::Serve { listen, .. } => listen.clone(),
        _ => None,
    };
    let env: Vec<(String, String)> = std::env::vars().collect();
    let flags = Overrides {
        database_url: cli.database.clone(),
        listen,
    };
    let (config, warnings) = match Config::load(cli.config.as_deref(), &env, &flags) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("keel: configuration error: {e:#}");
            return ExitCode::from(2);
        }
    };
    // Commands other than `serve` print their own results: only warnings and errors are logged,
    // unless KEEL_LOG (or the config file) asks for more. sqlx's "slow statement" warnings print
    // whole SQL statements, which mean nothing to someone importing a file: only its errors.
    let is_serve = matches!(cli.command, Command::Serve { .. });
    let log_chosen =
        env.iter().any(|(k, _)| k == "KEEL_LOG") || cli.config.is_some() || std::path::Path::new("keel.toml").exists();
    init_logging(if is_serve || log_chosen {
        &config.log
    } else {
        "warn,sqlx=error"
    });
    for w in warnings {
        tracing::warn!("{w}");
    }
    let runtime = tokio::runtime::Runtime::new().expect("starting the async runtime");
    match runtime.block_on(commands::run(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS, // `keel report | head` is fine
        Err(e) => {
            eprintln!("keel: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn init_logging(filter: &str) {
    let filter =
        tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Logs go to stderr so that stdout stays clean for reports and tokens.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
