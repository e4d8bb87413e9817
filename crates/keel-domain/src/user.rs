//! People: a parsed e-mail address is the login name.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A lower-cased e-mail address with one `@`, a local part and a dotless-or-dotted domain.
/// Deliberately not RFC 5322 complete: it accepts what people type and refuses obvious typos.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an e-mail address (expected name@domain)")]
pub struct InvalidEmail(pub String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, InvalidEmail> {
        let s = raw.trim().to_lowercase();
        let valid = match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !s.chars().any(|c| c.is_whitespace() || c.is_control())
                    && s.len() <= 254
            }
            None => false,
        };
        if valid {
            Ok(Email(s))
        } else {
            Err(InvalidEmail(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = InvalidEmail;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Email::parse(&s)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse(" Client-A@Demo.Local ").unwrap().as_str(),
            "client-a@demo.local"
        );
    }

    #[test]
    fn obvious_typos_are_refused() {
        for bad in ["", "a", "a@", "@b", "a@@b", "a b@c", "a@.b", "a@b."] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
