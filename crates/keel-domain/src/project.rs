//! Projects: the slug that names one in URLs and the CLI, and its lifecycle status.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A project's URL name: 2–48 characters of `a-z`, `0-9` and inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidSlug {
    #[error("project slug `{0}` must be 2 to 48 characters long")]
    Length(String),
    #[error(
        "project slug `{0}` may hold only lower-case latin letters, digits and hyphens, and may not start or end with a hyphen"
    )]
    Characters(String),
}

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, InvalidSlug> {
        if !(2..=48).contains(&raw.len()) {
            return Err(InvalidSlug::Length(raw.to_owned()));
        }
        let ok_chars = raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok_chars || raw.starts_with('-') || raw.ends_with('-') {
            return Err(InvalidSlug::Characters(raw.to_owned()));
        }
        Ok(Slug(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = InvalidSlug;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Slug::parse(&s)
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> String {
        s.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A project's display name: trimmed, 1–120 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("project name must be 1 to 120 characters long")]
pub struct InvalidProjectName;

impl ProjectName {
    pub fn parse(raw: &str) -> Result<Self, InvalidProjectName> {
        let s = raw.trim();
        if s.is_empty() || s.chars().count() > 120 {
            return Err(InvalidProjectName);
        }
        Ok(ProjectName(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a project is in its life. A project stays in `Setup` until it has a brief and an
/// agreed SMART goal (core rule 1); the check that moves it on arrives with goals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    Setup,
    Active,
    Paused,
    Closed,
}

impl ProjectStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectStatus::Setup => "setup",
            ProjectStatus::Active => "active",
            ProjectStatus::Paused => "paused",
            ProjectStatus::Closed => "closed",
        }
    }
}

impl std::fmt::Display for ProjectStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for ProjectStatus {
    type Error = crate::ids::UnknownName;

    /// A stored status (as written by [`ProjectStatus::as_str`]).
    fn try_from(name: String) -> Result<ProjectStatus, Self::Error> {
        name.parse().map_err(|_| crate::ids::UnknownName {
            what: "project status",
            name,
        })
    }
}

impl FromStr for ProjectStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "setup" => Ok(ProjectStatus::Setup),
            "active" => Ok(ProjectStatus::Active),
            "paused" => Ok(ProjectStatus::Paused),
            "closed" => Ok(ProjectStatus::Closed),
            other => Err(format!("unknown project status `{other}`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_slugs_are_valid() {
        assert_eq!(Slug::parse("client-a").unwrap().as_str(), "client-a");
    }

    #[test]
    fn slugs_refuse_what_would_break_a_url() {
        for bad in ["a", "Client", "-a", "a-", "a/b", "a b", "ab%2f", "проект"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(Slug::parse(&"a".repeat(49)).is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(ProjectName::parse("  Client A ").unwrap().as_str(), "Client A");
        assert!(ProjectName::parse("   ").is_err());
        assert!(ProjectName::parse(&"я".repeat(121)).is_err());
    }
}
