//! Telegram: the channel's subscribers (`getChatMemberCount`) as the day's follower count. The
//! Bot API gives no views and no reactions of channel posts: those come from the channel's
//! export file (`telegram-export`).

use super::PullCx;
use super::run::{PullError, SyncRequest};
use keel_platforms::telegram::{BotToken, TelegramApi};
use keel_platforms::{Pace, patiently};
use serde_json::Value;

pub async fn pull(cx: &mut PullCx<'_>, secret: &Value, request: &SyncRequest) -> Result<(), PullError> {
    let token = match secret.get("bot_token").and_then(Value::as_str) {
        Some(own) => BotToken(own.to_owned()),
        None => cx
            .platforms
            .telegram_bot
            .clone()
            .ok_or_else(|| PullError::BadSecret("no bot token, and this Keel has no bot of its own".into()))?,
    };
    let api = TelegramApi::new(&cx.platforms.telegram_api_url, token).with_timeout(cx.platforms.timeout);
    let pace = Pace::per_second(cx.platforms.rates.telegram);
    (cx.progress)("Telegram getChatMemberCount", None);
    let account = cx.connection.account.clone();
    let members = patiently(&pace, || api.get_chat_member_count(&account)).await?;
    cx.followers("telegram", request.today, members).await?;
    Ok(())
}
