//! The one-line title of a workflow notification in the recipient's language (`notify_language`:
//! `ru` → Russian, anything else → English; see `Lang::from_code`). E-mail and Telegram add a heading and the link in
//! the same language (`keel-notify`'s messages); the inbox page words items in the reader's UI
//! language from the kind and the post.

use chrono::{DateTime, Utc};
use keel_domain::Lang;
use keel_domain::notification::NotificationKind;

/// The title of `kind` about the post `excerpt`; `deadline` is a running urgent SLA.
pub fn notification_title(
    kind: NotificationKind,
    language: Lang,
    excerpt: &str,
    deadline: Option<DateTime<Utc>>,
) -> String {
    use NotificationKind::*;
    let when = deadline.map(|d| d.format("%Y-%m-%d %H:%M").to_string());
    if language == Lang::Ru {
        let due = when.map(|w| format!(" (срочно, до {w} UTC)")).unwrap_or_default();
        match kind {
            PostSubmitted => format!("Нужно согласование: «{excerpt}»"),
            UrgentPostSubmitted => format!("Срочно нужно согласование: «{excerpt}»{due}"),
            SlaHalfway => format!("Прошла половина срока согласования: «{excerpt}»{due}"),
            SlaMissed => format!("Срок согласования пропущен: «{excerpt}»"),
            ChangesRequested => format!("Запрошены правки: «{excerpt}»"),
            PostApproved => format!("Согласовано: «{excerpt}»"),
            CommentAdded => format!("Новый комментарий к «{excerpt}»"),
            PublishFailed => format!("Не опубликовано: «{excerpt}»"),
        }
    } else {
        let due = when.map(|w| format!(" (urgent, due {w} UTC)")).unwrap_or_default();
        match kind {
            PostSubmitted => format!("Approval needed: «{excerpt}»"),
            UrgentPostSubmitted => format!("Urgent approval needed: «{excerpt}»{due}"),
            SlaHalfway => format!("Half the approval time is gone: «{excerpt}»{due}"),
            SlaMissed => format!("Approval time missed: «{excerpt}»"),
            ChangesRequested => format!("Changes requested: «{excerpt}»"),
            PostApproved => format!("Approved: «{excerpt}»"),
            CommentAdded => format!("New comment on «{excerpt}»"),
            PublishFailed => format!("Not published: «{excerpt}»"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn titles_follow_the_recipients_language() {
        let due = Utc.with_ymd_and_hms(2026, 3, 2, 14, 30, 0).unwrap();
        assert_eq!(
            notification_title(
                NotificationKind::UrgentPostSubmitted,
                Lang::Ru,
                "Весеннее меню",
                Some(due)
            ),
            "Срочно нужно согласование: «Весеннее меню» (срочно, до 2026-03-02 14:30 UTC)"
        );
        assert_eq!(
            notification_title(
                NotificationKind::UrgentPostSubmitted,
                Lang::En,
                "Spring menu",
                Some(due)
            ),
            "Urgent approval needed: «Spring menu» (urgent, due 2026-03-02 14:30 UTC)"
        );
        assert_eq!(
            notification_title(NotificationKind::PostApproved, Lang::En, "Spring menu", None),
            "Approved: «Spring menu»"
        );
        for kind in NotificationKind::ALL {
            let ru = notification_title(kind, Lang::Ru, "x", None);
            assert_ne!(ru, notification_title(kind, Lang::En, "x", None), "{kind:?}");
        }
    }
}
