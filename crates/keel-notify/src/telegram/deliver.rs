//! Notifications to linked Telegram chats; posts awaiting a decision come with approve /
//! request-changes buttons whose callback data names the post.

use crate::messages::{Messages, MsgLang};
use crate::public_link;
use keel_domain::notification::{Channel, Deliver, DeliveryResult, Notification};
use keel_platforms::telegram::TelegramApi;
use keel_platforms::telegram::types::{InlineKeyboardButton, InlineKeyboardMarkup, ReplyMarkup};
use keel_store::Store;
use std::future::Future;
use std::pin::Pin;

/// Callback data of the approve button: `approve:<post id>`.
pub fn approve_data(post_id: i64) -> String {
    format!("approve:{post_id}")
}

/// Callback data of the request-changes button: `changes:<post id>`.
pub fn changes_data(post_id: i64) -> String {
    format!("changes:{post_id}")
}

/// The decision buttons for one post, labelled in `lang`.
pub fn decision_keyboard(lang: MsgLang, post_id: i64) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup {
        inline_keyboard: vec![vec![
            InlineKeyboardButton {
                text: lang.button_approve().into(),
                callback_data: Some(approve_data(post_id)),
                url: None,
            },
            InlineKeyboardButton {
                text: lang.button_changes().into(),
                callback_data: Some(changes_data(post_id)),
                url: None,
            },
        ]],
    }
}

/// The Telegram channel.
pub struct TelegramChannel {
    api: TelegramApi,
    store: Store,
    public_url: String,
}

impl TelegramChannel {
    pub fn new(api: TelegramApi, store: Store, public_url: &str) -> TelegramChannel {
        TelegramChannel {
            api,
            store,
            public_url: public_url.to_owned(),
        }
    }

    async fn send(&self, n: &Notification) -> Result<(), String> {
        let Some(link) = self
            .store
            .telegram_link_of(n.recipient)
            .await
            .map_err(|e| format!("reading the Telegram link: {e}"))?
        else {
            return Ok(()); // Not linked: Telegram cannot reach this person.
        };
        let wanted = self
            .store
            .wants_notification(n.recipient, n.kind, Channel::Telegram)
            .await
            .map_err(|e| format!("reading preferences: {e}"))?;
        if !wanted {
            return Ok(());
        }
        let recipient = self.store.recipient(n.recipient).await.map_err(|e| e.to_string())?;
        let lang = MsgLang::from_code(recipient.notify_language.as_deref());
        let text = message_text(lang, n, &self.public_url);
        let buttons = n
            .kind
            .asks_for_decision()
            .then(|| ReplyMarkup::Inline(decision_keyboard(lang, n.post_id)));
        match self.api.send_message(link.chat_id, &text, buttons.as_ref()).await {
            Ok(_) => Ok(()),
            // 403: the person blocked the bot or deleted the chat. Retrying cannot help; the
            // link is dropped so they can link again from Keel when they want to.
            Err(e) if e.code() == Some(403) => {
                tracing::warn!(user = %n.recipient, error = %e, "Telegram refused the chat: unlinking it");
                self.store
                    .unlink_telegram(n.recipient)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(())
            }
            Err(e) => Err(e.to_string()),
        }
    }
}

/// The text of one notification: heading, title, body and the link to the post.
pub fn message_text(lang: MsgLang, n: &Notification, public_url: &str) -> String {
    let mut text = format!("{}\n\n{}", lang.kind_heading(n.kind), n.title);
    if !n.body.is_empty() {
        text.push_str(&format!("\n\n{}", n.body));
    }
    text.push_str(&format!(
        "\n\n{}: {}",
        lang.open_post(),
        public_link(public_url, &n.link_path)
    ));
    text
}

impl Deliver for TelegramChannel {
    fn channel(&self) -> Channel {
        Channel::Telegram
    }

    fn deliver<'a>(
        &'a self,
        notification: &'a Notification,
    ) -> Pin<Box<dyn Future<Output = DeliveryResult> + Send + 'a>> {
        Box::pin(self.send(notification))
    }
}
