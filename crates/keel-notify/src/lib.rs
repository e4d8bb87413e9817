//! Keel's notification and calendar connectors: e-mail over SMTP ([`email`]), a Telegram bot
//! ([`telegram`]) and iCalendar feeds ([`ical`]).
//!
//! The workflow decides who hears what (a `keel_domain::notification::Notification` per
//! recipient); the channels here implement `Deliver` and decide only how, after checking the
//! recipient's preferences. The bot turns button presses into [`telegram::BotCommand`]s that an
//! [`telegram::ApprovalDesk`] (the workflow) carries out.

#![forbid(unsafe_code)]

pub mod email;
pub mod ical;
pub mod messages;
pub mod people;
pub mod telegram;

/// `public_url` (the installation's address as users reach it, perhaps with a path prefix)
/// joined with an absolute `path`.
pub fn public_link(public_url: &str, path: &str) -> String {
    format!("{}/{}", public_url.trim_end_matches('/'), path.trim_start_matches('/'))
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_join_with_exactly_one_slash() {
        assert_eq!(
            super::public_link("https://keel.example/", "/projects/a/posts/1"),
            "https://keel.example/projects/a/posts/1"
        );
        assert_eq!(
            super::public_link("https://x.example/keel", "projects/a"),
            "https://x.example/keel/projects/a"
        );
    }
}
