//! Platform credentials at rest: sealed with XChaCha20-Poly1305 (RustCrypto's
//! `chacha20poly1305`) under the installation's secret key.
//!
//! - The key is 32 bytes: `KEEL_SECRET_KEY` (base64), or a key file Keel makes beside a SQLite
//!   database on first start (`keel.db` → `keel.db.key`, mode 0600). A PostgreSQL installation
//!   has no file beside its database and must set `KEEL_SECRET_KEY` (every instance the same).
//! - A sealed value is a random 24-byte nonce followed by the ciphertext and its tag. The
//!   associated data names what the value belongs to (project and platform), so a sealed value
//!   copied into another row does not open.
//! - Opened secrets live in [`Secret`], whose `Debug` never shows them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::path::{Path, PathBuf};

const NONCE_LEN: usize = 24;

/// The installation's secret key. `Debug` never shows it.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

/// Why a key could not be had or a value could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("the secret key is not 32 bytes in base64 (make one with `openssl rand -base64 32`)")]
    BadKey,
    #[error("the key file {path}: {detail}")]
    KeyFile { path: String, detail: String },
    #[error(
        "a stored secret does not open with this installation's key (the key changed, or the value was tampered with): reconnect the account"
    )]
    WontOpen,
}

impl SecretKey {
    /// A key from its base64 text (`KEEL_SECRET_KEY`).
    pub fn from_base64(text: &str) -> Result<SecretKey, SealError> {
        let bytes = BASE64.decode(text.trim()).map_err(|_| SealError::BadKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| SealError::BadKey)?;
        Ok(SecretKey(key))
    }

    /// A fresh random key.
    pub fn generate() -> SecretKey {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).expect("the operating system's random source failed");
        SecretKey(key)
    }

    pub fn to_base64(&self) -> String {
        BASE64.encode(self.0)
    }

    /// Where the key file of the SQLite database at `url` lives (`sqlite://keel.db` →
    /// `keel.db.key`); `None` for other databases and in-memory SQLite.
    pub fn file_beside(url: &str) -> Option<PathBuf> {
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
        let path = path.split('?').next().unwrap_or(path);
        if path.is_empty() || path.contains(":memory:") {
            return None;
        }
        Some(PathBuf::from(format!("{path}.key")))
    }

    /// Reads the key file at `path`, or makes it (readable by its owner only) when missing.
    pub fn load_or_create(path: &Path) -> Result<SecretKey, SealError> {
        let fail = |detail: String| SealError::KeyFile {
            path: path.display().to_string(),
            detail,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => SecretKey::from_base64(&text).map_err(|e| fail(e.to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = SecretKey::generate();
                write_private(path, &key.to_base64()).map_err(|e| fail(e.to_string()))?;
                Ok(key)
            }
            Err(e) => Err(fail(e.to_string())),
        }
    }

    /// Seals `plain`, bound to `context` (what the value belongs to).
    pub fn seal(&self, plain: &[u8], context: &str) -> Vec<u8> {
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).expect("the operating system's random source failed");
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: context.as_bytes(),
                },
            )
            .expect("XChaCha20-Poly1305 encrypts any length Keel stores");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens a value sealed by [`SecretKey::seal`] with the same `context`.
    pub fn open(&self, sealed: &[u8], context: &str) -> Result<Secret, SealError> {
        if sealed.len() < NONCE_LEN + 16 {
            return Err(SealError::WontOpen);
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let plain = cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SealError::WontOpen)?;
        String::from_utf8(plain).map(Secret).map_err(|_| SealError::WontOpen)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// An opened credential (JSON text). `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// The last four characters of a credential, the only part ever shown again.
pub fn hint_of(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() < 12 {
        // Too short to show any of it safely.
        return "····".into();
    }
    chars[chars.len() - 4..].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_context() {
        let key = SecretKey::generate();
        let sealed = key.seal(b"{\"access_token\":\"vk1.a.secret-token\"}", "project:1:vk");
        assert!(!sealed.windows(12).any(|w| w == b"secret-token"));
        assert_eq!(
            key.open(&sealed, "project:1:vk").unwrap().0,
            "{\"access_token\":\"vk1.a.secret-token\"}"
        );
        assert!(key.open(&sealed, "project:2:vk").is_err());
        assert!(SecretKey::generate().open(&sealed, "project:1:vk").is_err());
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(key.open(&tampered, "project:1:vk").is_err());
        // The same plaintext seals differently each time (fresh nonce).
        assert_ne!(
            sealed,
            key.seal(b"{\"access_token\":\"vk1.a.secret-token\"}", "project:1:vk")
        );
    }

    #[test]
    fn keys_round_trip_through_base64_and_bad_ones_are_refused() {
        let key = SecretKey::generate();
        let again = SecretKey::from_base64(&key.to_base64()).unwrap();
        assert_eq!(again.0, key.0);
        assert!(SecretKey::from_base64("c2hvcnQ=").is_err());
        assert!(SecretKey::from_base64("not base64!").is_err());
        assert_eq!(format!("{key:?}"), "SecretKey(***)");
    }

    #[test]
    fn the_key_file_is_made_once_beside_the_database_and_private() {
        let dir = std::env::temp_dir().join(format!("keel-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/keel.db?mode=rwc", dir.display());
        let path = SecretKey::file_beside(&url).unwrap();
        assert_eq!(path, dir.join("keel.db.key"));
        let _ = std::fs::remove_file(&path);
        let first = SecretKey::load_or_create(&path).unwrap();
        let second = SecretKey::load_or_create(&path).unwrap();
        assert_eq!(first.0, second.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(SecretKey::file_beside("postgres://localhost/keel").is_none());
    }

    #[test]
    fn only_the_last_four_characters_are_shown() {
        assert_eq!(hint_of("vk1.a.abcdefghijkl1234"), "1234");
        assert_eq!(hint_of("short"), "····");
    }
}
