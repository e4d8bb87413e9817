//! The bot's update loop: `/start CODE` links a private chat to the Keel user who made the code;
//! the approve / request-changes buttons become [`BotCommand`]s carried out by an
//! [`ApprovalDesk`] — the workflow, which checks that the person may decide on that post.

use crate::messages::{Messages, MsgLang};
use keel_domain::UserId;
use keel_platforms::telegram::types::{CallbackQuery, ForceReply, Message, ReplyMarkup, Update, User};
use keel_platforms::telegram::{TelegramApi, TelegramError};
use keel_store::{Store, StoreError};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What the desk answers: `Ok(text)` to show on success, `Err(text)` saying why the decision
/// was refused (not an approver, post no longer under review, …). Both are shown to the person.
pub type DeskFuture<'a> = Pin<Box<dyn Future<Output = Result<String, String>> + Send + 'a>>;

/// Where decisions taken in Telegram are carried out. The workflow implements it with its own
/// functions, so a decision from Telegram obeys exactly the rules of one taken on the web
/// (approvers only, never one's own post, audit trail).
pub trait ApprovalDesk: Send + Sync {
    fn approve(&self, user: UserId, post_id: i64) -> DeskFuture<'_>;
    fn request_changes<'a>(&'a self, user: UserId, post_id: i64, comment: &'a str) -> DeskFuture<'a>;
}

/// A decision someone took in Telegram, attributed to their linked Keel user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BotCommand {
    Approve {
        user: UserId,
        post_id: i64,
    },
    RequestChanges {
        user: UserId,
        post_id: i64,
        comment: String,
    },
}

impl BotCommand {
    /// Carries the command out through `desk`.
    pub async fn execute(&self, desk: &dyn ApprovalDesk) -> Result<String, String> {
        match self {
            BotCommand::Approve { user, post_id } => desk.approve(*user, *post_id).await,
            BotCommand::RequestChanges { user, post_id, comment } => {
                desk.request_changes(*user, *post_id, comment).await
            }
        }
    }
}

/// What a button asks for, parsed from its callback data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonPress {
    Approve(i64),
    RequestChanges(i64),
}

impl ButtonPress {
    pub fn parse(data: &str) -> Option<ButtonPress> {
        let (verb, id) = data.split_once(':')?;
        let id: i64 = id.parse().ok().filter(|id| *id > 0)?;
        match verb {
            "approve" => Some(ButtonPress::Approve(id)),
            "changes" => Some(ButtonPress::RequestChanges(id)),
            _ => None,
        }
    }
}

/// How long the bot waits for the comment after "request changes" was pressed.
const COMMENT_WAIT: Duration = Duration::from_secs(15 * 60);

/// A "request changes" press waiting for its comment.
#[derive(Debug, Clone)]
struct PendingChanges {
    post_id: i64,
    /// The notification whose buttons go once the request is made.
    buttons_at: Option<(i64, i64)>,
    since: Instant,
}

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error(transparent)]
    Telegram(#[from] TelegramError),
    #[error("storage: {0}")]
    Store(#[from] StoreError),
}

/// The bot. Run [`Bot::run`] in one `keel serve` instance only: Telegram answers a second
/// concurrent `getUpdates` with 409 Conflict.
pub struct Bot<D: ApprovalDesk> {
    api: TelegramApi,
    store: Store,
    desk: D,
    /// Keyed by the Telegram user who pressed the button. In memory: after a restart the
    /// person presses the button again.
    pending: Mutex<HashMap<i64, PendingChanges>>,
}

impl<D: ApprovalDesk> Bot<D> {
    pub fn new(api: TelegramApi, store: Store, desk: D) -> Bot<D> {
        Bot {
            api,
            store,
            desk,
            pending: Mutex::new(HashMap::new()),
        }
    }

    pub fn desk(&self) -> &D {
        &self.desk
    }

    /// Long-polls until `shutdown` resolves, handling each update once. Waits as long as the
    /// API asks on 429, and backs off (up to a minute) on other failures.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut offset = None;
        let mut backoff = Duration::from_secs(1);
        loop {
            let wait = tokio::select! {
                _ = &mut shutdown => return,
                polled = self.poll_once(&mut offset, 50) => match polled {
                    Ok(_) => { backoff = Duration::from_secs(1); continue }
                    Err(e) => {
                        let wait = e.retry_after().map(Duration::from_secs).unwrap_or(backoff);
                        tracing::warn!(error = %e, wait_secs = wait.as_secs(), "Telegram polling failed");
                        backoff = (backoff * 2).min(Duration::from_secs(60));
                        wait
                    }
                },
            };
            tokio::select! {
                _ = &mut shutdown => return,
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// One `getUpdates` call and the handling of what it returned; returns how many updates
    /// came. An update whose handling fails is logged and not fetched again, so one bad update
    /// cannot stop the bot.
    pub async fn poll_once(&self, offset: &mut Option<i64>, timeout_secs: u64) -> Result<usize, TelegramError> {
        let updates = self.api.get_updates(*offset, timeout_secs).await?;
        for update in &updates {
            *offset = Some(update.update_id + 1);
            if let Err(e) = self.handle(update).await {
                tracing::warn!(update_id = update.update_id, error = %e, "handling a Telegram update failed");
            }
        }
        Ok(updates.len())
    }

    /// Handles one update.
    pub async fn handle(&self, update: &Update) -> Result<(), BotError> {
        if let Some(callback) = &update.callback_query {
            self.on_callback(callback).await
        } else if let Some(message) = &update.message {
            self.on_message(message).await
        } else {
            Ok(())
        }
    }

    /// The language to answer `from` in: their Keel choice once linked, else their Telegram
    /// app's language.
    async fn lang_of(&self, from: &User, linked: Option<UserId>) -> Result<MsgLang, BotError> {
        if let Some(user) = linked {
            let chosen = self.store.recipient(user).await?.notify_language;
            if chosen.is_some() {
                return Ok(MsgLang::from_code(chosen.as_deref()));
            }
        }
        let app = from.language_code.as_deref().unwrap_or("");
        Ok(MsgLang::from_code(Some(if app.starts_with("ru") {
            "ru"
        } else {
            "en"
        })))
    }

    async fn on_message(&self, message: &Message) -> Result<(), BotError> {
        let (Some(from), Some(text)) = (&message.from, message.text.as_deref()) else {
            return Ok(());
        };
        let chat = message.chat.id;
        if let Some(rest) = start_argument(text) {
            let lang = self.lang_of(from, None).await?;
            if !message.chat.is_private() {
                self.api.send_message(chat, lang.private_chat_only(), None).await?;
                return Ok(());
            }
            if rest.is_empty() {
                self.api.send_message(chat, lang.start_without_code(), None).await?;
                return Ok(());
            }
            let reply = match self
                .store
                .redeem_telegram_link_code(rest, chat, from.username.as_deref())
                .await?
            {
                Some(user) => {
                    let lang = self.lang_of(from, Some(user)).await?;
                    lang.linked(&self.store.recipient(user).await?.display_name)
                }
                None => lang.bad_code().to_owned(),
            };
            self.api.send_message(chat, &reply, None).await?;
            return Ok(());
        }
        if !message.chat.is_private() {
            return Ok(()); // The bot does not talk in groups.
        }
        let pending = self.take_pending(from.id);
        let linked = self.store.user_by_telegram_chat(from.id).await?;
        let lang = self.lang_of(from, linked).await?;
        let (Some(pending), Some(user)) = (pending, linked) else {
            self.api.send_message(chat, lang.unknown_text(), None).await?;
            return Ok(());
        };
        let command = BotCommand::RequestChanges {
            user,
            post_id: pending.post_id,
            comment: text.trim().to_owned(),
        };
        let outcome = command.execute(&self.desk).await;
        if outcome.is_ok()
            && let Some((chat_id, message_id)) = pending.buttons_at
        {
            self.remove_buttons(chat_id, message_id).await;
        }
        let (Ok(reply) | Err(reply)) = outcome;
        self.api.send_message(chat, &reply, None).await?;
        Ok(())
    }

    async fn on_callback(&self, callback: &CallbackQuery) -> Result<(), BotError> {
        // The person who pressed is who decides: in a private chat their id is the chat's.
        let linked = self.store.user_by_telegram_chat(callback.from.id).await?;
        let lang = self.lang_of(&callback.from, linked).await?;
        let Some(user) = linked else {
            self.api
                .answer_callback_query(&callback.id, Some(lang.not_linked()), true)
                .await?;
            return Ok(());
        };
        let Some(press) = callback.data.as_deref().and_then(ButtonPress::parse) else {
            self.api
                .answer_callback_query(&callback.id, Some(lang.unknown_button()), false)
                .await?;
            return Ok(());
        };
        let buttons_at = callback.message.as_ref().map(|m| (m.chat.id, m.message_id));
        match press {
            ButtonPress::Approve(post_id) => {
                let outcome = BotCommand::Approve { user, post_id }.execute(&self.desk).await;
                let refused = outcome.is_err();
                let (Ok(reply) | Err(reply)) = outcome;
                self.api
                    .answer_callback_query(&callback.id, Some(&reply), refused)
                    .await?;
                if !refused && let Some((chat_id, message_id)) = buttons_at {
                    self.remove_buttons(chat_id, message_id).await;
                }
                self.api.send_message(callback.from.id, &reply, None).await?;
            }
            ButtonPress::RequestChanges(post_id) => {
                self.pending.lock().expect("pending map").insert(
                    callback.from.id,
                    PendingChanges {
                        post_id,
                        buttons_at,
                        since: Instant::now(),
                    },
                );
                self.api
                    .answer_callback_query(&callback.id, Some(lang.reply_with_comment()), false)
                    .await?;
                let prompt = ReplyMarkup::ForceReply(ForceReply {
                    force_reply: true,
                    input_field_placeholder: Some(lang.reply_with_comment().into()),
                });
                self.api
                    .send_message(callback.from.id, &lang.ask_for_changes(post_id), Some(&prompt))
                    .await?;
            }
        }
        Ok(())
    }

    fn take_pending(&self, telegram_user: i64) -> Option<PendingChanges> {
        let mut pending = self.pending.lock().expect("pending map");
        pending.retain(|_, p| p.since.elapsed() < COMMENT_WAIT);
        pending.remove(&telegram_user)
    }

    /// Removes a message's buttons once decided; a failure (message too old, already edited)
    /// only costs the cosmetic change, so it is logged, not raised.
    async fn remove_buttons(&self, chat_id: i64, message_id: i64) {
        if let Err(e) = self.api.edit_message_reply_markup(chat_id, message_id, None).await {
            tracing::info!(error = %e, "could not remove decided buttons");
        }
    }
}

/// The argument of a `/start` command (`/start CODE`, `/start@KeelBot CODE`), or `None` for any
/// other text.
fn start_argument(text: &str) -> Option<&str> {
    let text = text.trim();
    let (command, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let name = command.split('@').next().unwrap_or("");
    (name == "/start").then_some(rest.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn button_data_names_a_decision_and_a_post() {
        assert_eq!(ButtonPress::parse("approve:42"), Some(ButtonPress::Approve(42)));
        assert_eq!(ButtonPress::parse("changes:7"), Some(ButtonPress::RequestChanges(7)));
        assert_eq!(ButtonPress::parse("approve:-1"), None);
        assert_eq!(ButtonPress::parse("approve:x"), None);
        assert_eq!(ButtonPress::parse("delete:4"), None);
        assert_eq!(ButtonPress::parse("approve"), None);
    }

    #[test]
    fn start_commands_are_recognised_with_or_without_the_bot_name() {
        assert_eq!(start_argument("/start abc"), Some("abc"));
        assert_eq!(start_argument("/start@KeelBot  abc "), Some("abc"));
        assert_eq!(start_argument("/start"), Some(""));
        assert_eq!(start_argument("/started abc"), None);
        assert_eq!(start_argument("hello"), None);
    }
}
