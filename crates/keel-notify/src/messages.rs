//! What notifications and the bot say, in English and Russian. The web app's dictionary lives
//! in `keel-web`; these texts leave Keel (e-mail, Telegram), so they live with the connectors.

use keel_domain::notification::NotificationKind;

/// The language of one message: the recipient's choice, else English (one `Lang` for all
/// of Keel; this name stays for the connectors' callers).
pub type MsgLang = keel_domain::Lang;

/// The connectors' texts, in the language they are called on.
pub trait Messages: Copy {
    /// The language itself.
    fn lang(self) -> MsgLang;

    /// A heading naming the kind of notification.
    fn kind_heading(self, kind: NotificationKind) -> &'static str {
        use NotificationKind::*;
        match kind {
            PostSubmitted => self
                .lang()
                .pick("A post awaits your approval", "Пост ждёт вашего согласования"),
            UrgentPostSubmitted => self
                .lang()
                .pick("Urgent: a post awaits your approval", "Срочно: пост ждёт согласования"),
            SlaHalfway => self.lang().pick(
                "Half the approval time has passed",
                "Прошла половина срока согласования",
            ),
            SlaMissed => self
                .lang()
                .pick("The approval deadline was missed", "Срок согласования пропущен"),
            ChangesRequested => self.lang().pick("Changes were requested", "Запрошены правки"),
            PostApproved => self.lang().pick("The post was approved", "Пост согласован"),
            CommentAdded => self.lang().pick("New comment on a post", "Новый комментарий к посту"),
            PublishFailed => self.lang().pick("A post was not published", "Пост не опубликован"),
        }
    }

    fn open_post(self) -> &'static str {
        self.lang().pick("Open the post", "Открыть пост")
    }

    fn email_footer(self) -> &'static str {
        self.lang().pick(
            "You get this e-mail because of your notification settings in Keel. Choose what you get at",
            "Вы получили это письмо согласно настройкам уведомлений в Keel. Выбрать уведомления можно здесь:",
        )
    }

    fn button_approve(self) -> &'static str {
        self.lang().pick("✅ Approve", "✅ Согласовать")
    }

    fn button_changes(self) -> &'static str {
        self.lang().pick("✏️ Request changes", "✏️ Запросить правки")
    }

    fn linked(self, name: &str) -> String {
        match self.lang() {
            MsgLang::En => format!(
                "This chat is now linked to {name} in Keel. Notifications will arrive here; posts awaiting your approval come with buttons."
            ),
            MsgLang::Ru => format!(
                "Этот чат привязан к пользователю {name} в Keel. Уведомления будут приходить сюда; к постам на согласовании будут кнопки."
            ),
        }
    }

    fn bad_code(self) -> &'static str {
        self.lang().pick(
            "This link code is unknown, already used or expired (codes last 15 minutes). Open Keel → Notifications → Link Telegram for a new one.",
            "Код привязки неизвестен, уже использован или устарел (код действует 15 минут). Получите новый в Keel → Уведомления → Привязать Telegram.",
        )
    }

    fn start_without_code(self) -> &'static str {
        self.lang().pick(
            "Hello! To get Keel notifications here, open Keel → Notifications → Link Telegram and follow the link shown there.",
            "Здравствуйте! Чтобы получать уведомления Keel здесь, откройте Keel → Уведомления → Привязать Telegram и перейдите по ссылке.",
        )
    }

    fn private_chat_only(self) -> &'static str {
        self.lang().pick(
            "Link Keel from a private chat with this bot, not from a group.",
            "Привязывайте Keel в личном чате с ботом, а не в группе.",
        )
    }

    fn not_linked(self) -> &'static str {
        self.lang().pick(
            "This Telegram account is not linked to a Keel user, so it cannot decide on posts. Link it in Keel → Notifications.",
            "Этот аккаунт Telegram не привязан к пользователю Keel и не может согласовывать посты. Привяжите его в Keel → Уведомления.",
        )
    }

    fn unknown_button(self) -> &'static str {
        self.lang()
            .pick("This button is no longer valid.", "Эта кнопка больше не действует.")
    }

    fn ask_for_changes(self, post_id: i64) -> String {
        match self.lang() {
            MsgLang::En => format!("What should change in post #{post_id}? Reply to this message with your comment."),
            MsgLang::Ru => format!("Что изменить в посте #{post_id}? Ответьте на это сообщение комментарием."),
        }
    }

    fn reply_with_comment(self) -> &'static str {
        self.lang().pick("Reply with your comment", "Ответьте комментарием")
    }

    fn unknown_text(self) -> &'static str {
        self.lang().pick(
            "I only deliver Keel notifications and take decisions from their buttons.",
            "Я присылаю уведомления Keel и принимаю решения по кнопкам под ними.",
        )
    }
}

impl Messages for MsgLang {
    fn lang(self) -> MsgLang {
        self
    }
}
