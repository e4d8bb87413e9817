//! `telegram-export`: a Telegram Desktop channel export, `result.json` ("Export chat
//! history", machine-readable JSON): `{"name", "type", "id", "messages": [message…]}`.
//!
//! Each message of type `message` becomes a post (service messages — "channel created",
//! "pinned a message" — are skipped): platform `telegram`; account from the options, else the
//! channel as a Telegram connection stores it, the Bot API id `-100<id>`; post_id = `id`;
//! published_at = `date_unixtime` (Unix seconds, in exports since 2022), else `date` read as
//! UTC (older exports give the exporting computer's local time without a zone); likes = the
//! sum of `reactions[].count` (0 without reactions — the export lists only reactions given;
//! they are the only interactions it holds); comments, shares, views, reach, impressions and
//! followers are not in the export (NULL); type = `photo`, `video` (`media_type`
//! `video_file` or `video_message`), `animation`, `audio` (`audio_file`, `voice_message`),
//! `sticker`, `poll`, `file`, else `text`; text = `text` (a string, or an array of strings
//! and `{"type", "text"}` entities, joined; its first 500 characters); no url (the export
//! does not carry the channel's public name). Only channel and supergroup exports are taken.

use crate::ImportOptions;
use crate::error::Reason;
use crate::json::{Cx, JsonFormat, Node, option_account, post_text};
use keel_store::data::PostRow;
use serde_json::Value;

pub(crate) struct TelegramExport {
    account: Result<Option<String>, Reason>,
}

impl JsonFormat for TelegramExport {
    type Row = PostRow;
    const NOTHING: (&'static str, &'static str) =
        ("posts (messages has no message)", "постов: в messages нет сообщений");

    fn new(opts: &ImportOptions) -> Self {
        TelegramExport {
            account: option_account(opts),
        }
    }

    fn page(&mut self, page: &Node<'_>, cx: &mut Cx<'_>, out: &mut Vec<PostRow>) {
        let account = match &self.account {
            Err(r) => {
                cx.problems.push(1, "account", r.clone());
                return;
            }
            Ok(Some(a)) => Some(a.clone()),
            Ok(None) => None,
        };
        let kind = cx
            .req(page, "type")
            .and_then(|n| cx.string(&n).map(|s| (n.path.clone(), s)));
        let id = cx.req(page, "id").and_then(|n| cx.count(&n));
        let Some(messages) = cx.req(page, "messages") else {
            return;
        };
        let account = match (account, kind, id) {
            (Some(a), _, _) => a,
            (None, Some((path, kind)), Some(id)) => {
                if !matches!(
                    kind,
                    "public_channel" | "private_channel" | "public_supergroup" | "private_supergroup"
                ) {
                    cx.problems.push_at(
                        cx.line,
                        &path,
                        Reason::new(
                            format!("is \"{kind}\": this is not a channel's export (export the channel's history)"),
                            format!("«{kind}»: это выгрузка не канала (выгрузите историю канала)"),
                        ),
                    );
                    return;
                }
                format!("-100{id}")
            }
            _ => return,
        };
        for message in cx.array(&messages) {
            if cx.problems.full() {
                return;
            }
            if let Some(row) = post(&message, &account, cx) {
                out.push(row);
            }
        }
    }
}

fn post(message: &Node<'_>, account: &str, cx: &mut Cx<'_>) -> Option<PostRow> {
    if !cx.object(message) {
        return None;
    }
    if message.v.get("type").and_then(Value::as_str) != Some("message") {
        return None;
    }
    let before = cx.problems.len();
    let id = cx.req(message, "id").and_then(|n| cx.count(&n));
    let published_at = match (message.get("date_unixtime"), message.get("date")) {
        (Some(n), _) => cx.unix_time(&n),
        (None, Some(n)) => cx.timestamp(&n),
        (None, None) => {
            cx.missing(message, "date");
            None
        }
    };
    let mut likes = 0i64;
    if let Some(reactions) = message.get("reactions") {
        for reaction in cx.array(&reactions) {
            if let Some(n) = cx.req(&reaction, "count").and_then(|n| cx.count(&n)) {
                likes = likes.saturating_add(n);
            }
        }
    }
    let text = match message.get("text") {
        None => None,
        Some(t) => match t.v {
            Value::String(s) => post_text(s),
            Value::Array(parts) => {
                let mut joined = String::new();
                for (i, part) in parts.iter().enumerate() {
                    match part {
                        Value::String(s) => joined.push_str(s),
                        Value::Object(o) => match o.get("text") {
                            Some(Value::String(s)) => joined.push_str(s),
                            _ => cx.missing(
                                &Node {
                                    v: part,
                                    path: format!("{}[{i}]", t.path),
                                },
                                "text",
                            ),
                        },
                        _ => cx.bad(
                            &Node {
                                v: part,
                                path: format!("{}[{i}]", t.path),
                            },
                            Reason::new(
                                "is neither text nor a text entity ({\"type\", \"text\"})",
                                "это ни текст, ни фрагмент текста ({\"type\", \"text\"})",
                            ),
                        ),
                    }
                }
                post_text(&joined)
            }
            _ => {
                cx.string(&t);
                None
            }
        },
    };
    let media = message.v.get("media_type").and_then(Value::as_str);
    let post_type = if message.has("photo") {
        "photo"
    } else if let Some(m) = media {
        match m {
            "video_file" | "video_message" => "video",
            "animation" => "animation",
            "audio_file" | "voice_message" => "audio",
            "sticker" => "sticker",
            _ => "file",
        }
    } else if message.has("poll") {
        "poll"
    } else if message.has("file") {
        "file"
    } else {
        "text"
    };
    if cx.problems.len() != before {
        return None;
    }
    Some(PostRow {
        platform: "telegram".to_owned(),
        account: account.to_owned(),
        post_id: id?.to_string(),
        published_at: published_at?,
        post_type: Some(post_type.to_owned()),
        likes: Some(likes),
        comments: None,
        shares: None,
        saves: None,
        views: None,
        reach: None,
        impressions: None,
        followers: None,
        text,
        url: None,
    })
}
