//! Configuration, layered: built-in defaults → a TOML file → `KEEL_*` environment variables →
//! command-line flags. Anything unparseable stops Keel at start with the source named;
//! unknown `KEEL_*` variables are warned about (a typo would otherwise be silently ignored).

use anyhow::{Context, bail};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The database URL is a secret (it may hold a password): `Debug` shows it redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(pub String);

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&keel_store::redact_url(&self.0))
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    pub listen: SocketAddr,
    /// Mark cookies `Secure` (serve over HTTPS, directly or behind a TLS proxy).
    pub secure_cookies: bool,
    /// Largest upload accepted, in MiB.
    pub max_upload_mb: usize,
    /// Memory for computed analytics and reports, in MiB (0: computed on every request).
    pub figure_cache_mb: usize,
    /// Log filter (`info`, `keel=debug,sqlx=warn`…).
    pub log: String,
    /// Notifications and calendars: see [`NotifyConfig`].
    pub notify: NotifyConfig,
    /// Whether anyone may sign up a new organization at `/signup` (off by default: an
    /// installation usually serves one agency, and its admin invites everyone else).
    pub allow_signup: bool,
    /// The platforms' API addresses (the Telegram one is `notify.telegram_api_url`).
    pub vk_api_url: String,
    pub instagram_api_url: String,
    pub meta_api_url: String,
    pub yandex_direct_api_url: String,
    /// Requests a second per connection for pulls (`KEEL_PULL_RATES`, e.g. `vk=3,amocrm=7`;
    /// 0 means no limit, for a local server in a benchmark).
    pub pull_rates: keel_app::publishing::Rates,
    /// The secret key connections' credentials are sealed with (`KEEL_SECRET_KEY`); without it
    /// a SQLite installation makes a key file beside its database.
    pub secret_key: Option<SecretKeyText>,
}

/// The secret key as configured (base64). `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKeyText(pub String);

impl std::fmt::Debug for SecretKeyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKeyText(***)")
    }
}

impl Config {
    /// The installation's secret key: `secret_key` when set, else the key file beside a SQLite
    /// database (made on first start). `None` for PostgreSQL without `KEEL_SECRET_KEY`.
    /// Where the platforms are and how to reach them, for the server, the jobs and `keel sync`.
    pub fn platforms(&self) -> anyhow::Result<keel_app::publishing::Platforms> {
        Ok(keel_app::publishing::Platforms {
            vk_api_url: self.vk_api_url.clone(),
            telegram_api_url: self.notify.telegram_api_url.clone(),
            instagram_api_url: self.instagram_api_url.clone(),
            meta_api_url: self.meta_api_url.clone(),
            yandex_direct_api_url: self.yandex_direct_api_url.clone(),
            telegram_bot: self.notify.telegram_bot_token.clone(),
            key: self.load_secret_key()?,
            timeout: std::time::Duration::from_secs(30),
            public_url: self.notify.public_url.clone(),
            rates: self.pull_rates,
            ..Default::default()
        })
    }

    pub fn load_secret_key(&self) -> anyhow::Result<Option<keel_store::sealing::SecretKey>> {
        use keel_store::sealing::SecretKey;
        if let Some(text) = &self.secret_key {
            return Ok(Some(SecretKey::from_base64(&text.0).context("KEEL_SECRET_KEY")?));
        }
        match SecretKey::file_beside(&self.database_url.0) {
            Some(path) => Ok(Some(SecretKey::load_or_create(&path)?)),
            None => Ok(None),
        }
    }
}

/// Where notifications go out and how links back to Keel are written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotifyConfig {
    /// The address people reach Keel at (`https://keel.agency.example`), for links in e-mails,
    /// Telegram messages and calendar feeds.
    pub public_url: Option<String>,
    /// SMTP server and sender; e-mail notifications are off without them.
    pub smtp: Option<keel_notify::email::SmtpSettings>,
    /// The Telegram bot's token; the bot is off without it.
    pub telegram_bot_token: Option<keel_platforms::telegram::BotToken>,
    /// The Bot API server (the public one unless testing or using a local Bot API server).
    pub telegram_api_url: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: DatabaseUrl("sqlite://keel.db".into()),
            listen: "127.0.0.1:8080".parse().expect("constant address"),
            secure_cookies: false,
            max_upload_mb: 64,
            figure_cache_mb: keel_web::DEFAULT_FIGURE_CACHE_BYTES >> 20,
            log: "info,sqlx=warn,tower_http=info".into(),
            allow_signup: false,
            vk_api_url: keel_platforms::vk::DEFAULT_API_URL.into(),
            instagram_api_url: "https://graph.instagram.com".into(),
            meta_api_url: "https://graph.facebook.com".into(),
            yandex_direct_api_url: keel_platforms::yandex_direct::DEFAULT_API_URL.into(),
            pull_rates: keel_app::publishing::Rates::default(),
            secret_key: None,
            notify: NotifyConfig {
                telegram_api_url: keel_platforms::telegram::DEFAULT_API_URL.into(),
                ..Default::default()
            },
        }
    }
}

/// The file's keys; all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    listen: Option<String>,
    secure_cookies: Option<bool>,
    max_upload_mb: Option<usize>,
    figure_cache_mb: Option<usize>,
    log: Option<String>,
    public_url: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    telegram_bot_token: Option<String>,
    telegram_api_url: Option<String>,
    allow_signup: Option<bool>,
    vk_api_url: Option<String>,
    instagram_api_url: Option<String>,
    meta_api_url: Option<String>,
    yandex_direct_api_url: Option<String>,
    pull_rates: Option<String>,
    secret_key: Option<String>,
}

/// Flags given on the command line (they win over everything).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub database_url: Option<String>,
    pub listen: Option<String>,
}

/// Environment variables Keel reads. `KEEL_TEST_*` belong to the test suite.
pub const KNOWN_ENV: &[&str] = &[
    "KEEL_CONFIG",
    "KEEL_DATABASE_URL",
    "KEEL_LISTEN",
    "KEEL_SECURE_COOKIES",
    "KEEL_MAX_UPLOAD_MB",
    "KEEL_LOG",
    "KEEL_ALLOW_SIGNUP",
    "KEEL_PUBLIC_URL",
    "KEEL_SMTP_URL",
    "KEEL_MAIL_FROM",
    "KEEL_TELEGRAM_BOT_TOKEN",
    "KEEL_TELEGRAM_API_URL",
    "KEEL_VK_API_URL",
    "KEEL_INSTAGRAM_API_URL",
    "KEEL_META_API_URL",
    "KEEL_YANDEX_DIRECT_API_URL",
    "KEEL_PULL_RATES",
    "KEEL_SECRET_KEY",
];

impl Config {
    /// Loads the configuration from `file` (or `KEEL_CONFIG`, or `./keel.toml` if present),
    /// the environment and `flags`. Returns warnings to print once logging is set up.
    pub fn load(
        file: Option<&Path>,
        env: &[(String, String)],
        flags: &Overrides,
    ) -> anyhow::Result<(Config, Vec<String>)> {
        let mut config = Config::default();
        let mut warnings = vec![];
        let env_get = |key: &str| env.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let file: Option<PathBuf> = match (file, env_get("KEEL_CONFIG")) {
            (Some(f), _) => Some(f.to_owned()),
            (None, Some(f)) => Some(f.into()),
            (None, None) => Some(PathBuf::from("keel.toml")).filter(|p| p.exists()),
        };
        if let Some(path) = file {
            let text =
                std::fs::read_to_string(&path).with_context(|| format!("reading config file {}", path.display()))?;
            let parsed: FileConfig =
                toml::from_str(&text).with_context(|| format!("config file {}", path.display()))?;
            config.apply(parsed, &format!("config file {}", path.display()))?;
        }
        let from_env = FileConfig {
            database_url: env_get("KEEL_DATABASE_URL"),
            listen: env_get("KEEL_LISTEN"),
            secure_cookies: env_get("KEEL_SECURE_COOKIES")
                .map(|v| parse_bool(&v, "KEEL_SECURE_COOKIES"))
                .transpose()?,
            max_upload_mb: env_get("KEEL_MAX_UPLOAD_MB")
                .map(|v| {
                    v.parse()
                        .with_context(|| format!("KEEL_MAX_UPLOAD_MB: `{v}` is not a whole number of MiB"))
                })
                .transpose()?,
            figure_cache_mb: env_get("KEEL_FIGURE_CACHE_MB")
                .map(|v| {
                    v.parse()
                        .with_context(|| format!("KEEL_FIGURE_CACHE_MB: `{v}` is not a whole number of MiB"))
                })
                .transpose()?,
            log: env_get("KEEL_LOG"),
            public_url: env_get("KEEL_PUBLIC_URL"),
            smtp_url: env_get("KEEL_SMTP_URL"),
            mail_from: env_get("KEEL_MAIL_FROM"),
            telegram_bot_token: env_get("KEEL_TELEGRAM_BOT_TOKEN"),
            telegram_api_url: env_get("KEEL_TELEGRAM_API_URL"),
            allow_signup: env_get("KEEL_ALLOW_SIGNUP")
                .map(|v| parse_bool(&v, "KEEL_ALLOW_SIGNUP"))
                .transpose()?,
            vk_api_url: env_get("KEEL_VK_API_URL"),
            instagram_api_url: env_get("KEEL_INSTAGRAM_API_URL"),
            meta_api_url: env_get("KEEL_META_API_URL"),
            yandex_direct_api_url: env_get("KEEL_YANDEX_DIRECT_API_URL"),
            pull_rates: env_get("KEEL_PULL_RATES"),
            secret_key: env_get("KEEL_SECRET_KEY"),
        };
        config.apply(from_env, "environment")?;
        for (key, _) in env {
            if key.starts_with("KEEL_") && !key.starts_with("KEEL_TEST_") && !KNOWN_ENV.contains(&key.as_str()) {
                warnings.push(format!(
                    "unknown environment variable {key} is ignored (known: {})",
                    KNOWN_ENV.join(", ")
                ));
            }
        }
        let from_flags = FileConfig {
            database_url: flags.database_url.clone(),
            listen: flags.listen.clone(),
            ..Default::default()
        };
        config.apply(from_flags, "command line")?;
        config.check_notify()?;
        Ok((config, warnings))
    }

    fn apply(&mut self, mut layer: FileConfig, source: &str) -> anyhow::Result<()> {
        let notify = FileConfig {
            public_url: layer.public_url.take(),
            smtp_url: layer.smtp_url.take(),
            mail_from: layer.mail_from.take(),
            telegram_bot_token: layer.telegram_bot_token.take(),
            telegram_api_url: layer.telegram_api_url.take(),
            ..Default::default()
        };
        if let Some(url) = layer.database_url {
            if !(url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                bail!(
                    "{source}: database URL must start with sqlite:// or postgres:// (got `{}`)",
                    keel_store::redact_url(&url)
                );
            }
            self.database_url = DatabaseUrl(url);
        }
        if let Some(listen) = layer.listen {
            self.listen = listen.parse().with_context(|| {
                format!("{source}: listen address `{listen}` is not HOST:PORT (e.g. 127.0.0.1:8080)")
            })?;
        }
        if let Some(secure) = layer.secure_cookies {
            self.secure_cookies = secure;
        }
        if let Some(mb) = layer.max_upload_mb {
            if mb == 0 {
                bail!("{source}: max_upload_mb must be at least 1");
            }
            self.max_upload_mb = mb;
        }
        if let Some(mb) = layer.figure_cache_mb {
            self.figure_cache_mb = mb;
        }
        if let Some(log) = layer.log {
            self.log = log;
        }
        if let Some(allow) = layer.allow_signup {
            self.allow_signup = allow;
        }
        if let Some(url) = layer.vk_api_url {
            self.vk_api_url = http_url(&url, "vk_api_url", source)?;
        }
        if let Some(url) = layer.instagram_api_url {
            self.instagram_api_url = http_url(&url, "instagram_api_url", source)?;
        }
        if let Some(url) = layer.meta_api_url {
            self.meta_api_url = http_url(&url, "meta_api_url", source)?;
        }
        if let Some(url) = layer.yandex_direct_api_url {
            self.yandex_direct_api_url = http_url(&url, "yandex_direct_api_url", source)?;
        }
        if let Some(rates) = layer.pull_rates {
            for pair in rates.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let parsed = pair
                    .split_once('=')
                    .and_then(|(name, value)| Some((name.trim(), value.trim().parse::<f64>().ok()?)))
                    .filter(|(_, value)| value.is_finite() && *value >= 0.0);
                let r = &mut self.pull_rates;
                match parsed {
                    Some(("vk", v)) => r.vk = v,
                    Some(("amocrm", v)) => r.amocrm = v,
                    Some(("bitrix24", v)) => r.bitrix24 = v,
                    Some(("yandex_direct", v)) => r.yandex_direct = v,
                    Some(("telegram", v)) => r.telegram = v,
                    Some(("instagram", v)) => r.instagram = v,
                    Some(("meta_ads", v)) => r.meta = v,
                    _ => bail!(
                        "{source}: pull_rates: `{pair}` is not PLATFORM=REQUESTS_PER_SECOND (vk, amocrm, bitrix24, yandex_direct, telegram, instagram, meta_ads)"
                    ),
                }
            }
        }
        if let Some(key) = layer.secret_key {
            keel_store::sealing::SecretKey::from_base64(&key)
                .map_err(|e| anyhow::anyhow!("{source}: secret_key: {e}"))?;
            self.secret_key = Some(SecretKeyText(key));
        }
        self.apply_notify(notify, source)
    }

    fn apply_notify(&mut self, layer: FileConfig, source: &str) -> anyhow::Result<()> {
        let notify = &mut self.notify;
        if let Some(url) = layer.public_url {
            notify.public_url = Some(http_url(&url, "public_url", source)?);
        }
        if let Some(url) = layer.telegram_api_url {
            notify.telegram_api_url = http_url(&url, "telegram_api_url", source)?;
        }
        if let Some(token) = layer.telegram_bot_token {
            // Tokens look like `123456:ABC-def…`; anything else is a paste error.
            let well_formed = token
                .split_once(':')
                .is_some_and(|(id, rest)| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty());
            if !well_formed {
                bail!("{source}: telegram_bot_token is not a bot token (expected `<digits>:<secret>` from @BotFather)");
            }
            notify.telegram_bot_token = Some(keel_platforms::telegram::BotToken(token));
        }
        if layer.smtp_url.is_some() || layer.mail_from.is_some() {
            let current = notify.smtp.take();
            notify.smtp = Some(keel_notify::email::SmtpSettings {
                url: layer
                    .smtp_url
                    .or_else(|| current.as_ref().map(|c| c.url.clone()))
                    .unwrap_or_default(),
                from: layer.mail_from.or_else(|| current.map(|c| c.from)).unwrap_or_default(),
            });
        }
        Ok(())
    }

    /// Checks the notification settings once every layer is applied (the SMTP URL and the
    /// sender may come from different layers).
    fn check_notify(&self) -> anyhow::Result<()> {
        if let Some(smtp) = &self.notify.smtp {
            if smtp.url.is_empty() {
                bail!("mail_from is set but smtp_url is not: set both to send e-mail, or neither");
            }
            if smtp.from.is_empty() {
                bail!("smtp_url is set but mail_from is not: set the sender, e.g. `Keel <keel@agency.example>`");
            }
            smtp.validate().map_err(anyhow::Error::msg)?;
            if self.notify.public_url.is_none() {
                bail!("smtp_url is set but public_url is not: e-mails link back to Keel at public_url");
            }
        }
        if self.notify.telegram_bot_token.is_some() && self.notify.public_url.is_none() {
            bail!("telegram_bot_token is set but public_url is not: Telegram messages link back to Keel at public_url");
        }
        Ok(())
    }
}

/// An absolute http(s) URL, without a trailing slash.
fn http_url(value: &str, key: &str, source: &str) -> anyhow::Result<String> {
    let parsed = url::Url::parse(value).with_context(|| format!("{source}: {key} `{value}` is not a URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        bail!("{source}: {key} `{value}` must be an http:// or https:// address");
    }
    Ok(value.trim_end_matches('/').to_owned())
}

fn parse_bool(v: &str, key: &str) -> anyhow::Result<bool> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => bail!("{key}: `{v}` is not true or false"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn layers_apply_in_order_defaults_file_env_flags() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("keel.toml");
        std::fs::write(
            &file,
            "database_url = \"sqlite://file.db\"\nlisten = \"0.0.0.0:9000\"\nmax_upload_mb = 5\n",
        )
        .unwrap();
        let e = env(&[("KEEL_LISTEN", "127.0.0.1:9100")]);
        let flags = Overrides {
            database_url: Some("sqlite://flag.db".into()),
            listen: None,
        };
        let (c, warnings) = Config::load(Some(&file), &e, &flags).unwrap();
        assert_eq!(c.database_url.0, "sqlite://flag.db");
        assert_eq!(c.listen.to_string(), "127.0.0.1:9100");
        assert_eq!(c.max_upload_mb, 5);
        assert!(!c.secure_cookies);
        assert!(warnings.is_empty());
    }

    #[test]
    fn unknown_keel_variables_are_warned_about() {
        let e = env(&[
            ("KEEL_DATABSE_URL", "x"),
            ("KEEL_TEST_REQUIRE", "all"),
            ("HOME", "/root"),
        ]);
        let (_, warnings) = Config::load(None, &e, &Overrides::default()).unwrap();
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("KEEL_DATABSE_URL"));
    }

    #[test]
    fn bad_values_name_their_source() {
        let e = env(&[("KEEL_LISTEN", "eighty")]);
        let err = Config::load(None, &e, &Overrides::default()).unwrap_err();
        assert!(format!("{err:#}").contains("environment"), "{err:#}");
        let e = env(&[("KEEL_DATABASE_URL", "mysql://x")]);
        assert!(Config::load(None, &e, &Overrides::default()).is_err());
    }

    #[test]
    fn notification_settings_come_from_file_and_environment() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("keel.toml");
        std::fs::write(
            &file,
            "public_url = \"https://keel.agency.example/\"\nsmtp_url = \"smtps://keel:pw@mail.example\"\n",
        )
        .unwrap();
        let e = env(&[
            ("KEEL_MAIL_FROM", "Keel <keel@agency.example>"),
            ("KEEL_TELEGRAM_BOT_TOKEN", "123456:ABC-def"),
        ]);
        let (c, warnings) = Config::load(Some(&file), &e, &Overrides::default()).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(c.notify.public_url.as_deref(), Some("https://keel.agency.example"));
        let smtp = c.notify.smtp.clone().unwrap();
        assert_eq!(
            (smtp.url.as_str(), smtp.from.as_str()),
            ("smtps://keel:pw@mail.example", "Keel <keel@agency.example>")
        );
        assert_eq!(c.notify.telegram_bot_token.as_ref().unwrap().0, "123456:ABC-def");
        assert_eq!(c.notify.telegram_api_url, "https://api.telegram.org");
        let shown = format!("{c:?}");
        assert!(!shown.contains("ABC-def") && !shown.contains(":pw@"), "{shown}");
    }

    #[test]
    fn incomplete_or_unsafe_notification_settings_stop_keel() {
        let load = |pairs: &[(&str, &str)]| Config::load(None, &env(pairs), &Overrides::default()).map(|_| ());
        let err = load(&[
            ("KEEL_SMTP_URL", "smtp://127.0.0.1:25"),
            ("KEEL_PUBLIC_URL", "http://k.test"),
        ])
        .unwrap_err();
        assert!(err.to_string().contains("mail_from"), "{err}");
        let err = load(&[
            ("KEEL_SMTP_URL", "smtp://u:p@mail.example"),
            ("KEEL_MAIL_FROM", "k@a.test"),
            ("KEEL_PUBLIC_URL", "http://k.test"),
        ])
        .unwrap_err();
        assert!(err.to_string().contains("unencrypted"), "{err}");
        let err = load(&[("KEEL_SMTP_URL", "smtp://127.0.0.1:25"), ("KEEL_MAIL_FROM", "k@a.test")]).unwrap_err();
        assert!(err.to_string().contains("public_url"), "{err}");
        let err = load(&[("KEEL_TELEGRAM_BOT_TOKEN", "1:abc")]).unwrap_err();
        assert!(err.to_string().contains("public_url"), "{err}");
        let err = load(&[("KEEL_TELEGRAM_BOT_TOKEN", "not-a-token")]).unwrap_err();
        assert!(
            err.to_string().contains("environment") && err.to_string().contains("telegram_bot_token"),
            "{err}"
        );
        assert!(load(&[("KEEL_PUBLIC_URL", "keel.example")]).is_err());
        assert!(load(&[("KEEL_TELEGRAM_API_URL", "ftp://x")]).is_err());
    }

    #[test]
    fn a_database_password_never_shows_in_debug_output() {
        let url = DatabaseUrl("postgres://keel:hunter22@db/keel".into());
        assert!(!format!("{url:?}").contains("hunter22"));
    }
}
