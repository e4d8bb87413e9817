//! Signing in and out, the home redirect, and the interface language.

pub mod language;
pub mod page;
