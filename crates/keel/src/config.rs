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
    /// Log filter (`info`, `keel=debug,sqlx=warn`…).
    pub log: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: DatabaseUrl("sqlite://keel.db".into()),
            listen: "127.0.0.1:8080".parse().expect("constant address"),
            secure_cookies: false,
            max_upload_mb: 64,
            log: "info,sqlx=warn,tower_http=info".into(),
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
    log: Option<String>,
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
            log: env_get("KEEL_LOG"),
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
        Ok((config, warnings))
    }

    fn apply(&mut self, layer: FileConfig, source: &str) -> anyhow::Result<()> {
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
        if let Some(log) = layer.log {
            self.log = log;
        }
        Ok(())
    }
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
    fn a_database_password_never_shows_in_debug_output() {
        let url = DatabaseUrl("postgres://keel:hunter22@db/keel".into());
        assert!(!format!("{url:?}").contains("hunter22"));
    }
}
