//! `instagram-media`: Instagram Graph API `/{ig-user-id}/media` pages (`{"data": [media…],
//! "paging": {"cursors", "next"}}`), one page, a JSON array of pages or one a line, each media
//! with its `/{media-id}/insights` answer under `insights` (`{"data": [{"name", "period",
//! "values": [{"value"}]} or {"name", "total_value": {"value"}}]}`) — what the field
//! expansion `fields=…,insights.metric(views,reach,likes,comments,shares,saved)` gives, and
//! how a connector that asks each media's insights separately nests them.
//!
//! Each media becomes a post: platform `instagram`; account from the options, else the
//! media's `owner.id` (the Instagram user id an Instagram connection stores; ask for the
//! `owner` field); post_id = `id`; published_at = `timestamp`; views, reach, shares and
//! saves = the insights `views`, `reach`, `shares`, `saved`; likes and comments = the
//! insights `likes` and `comments`, else the media's `like_count` and `comments_count`;
//! impressions = the insights `impressions` when an answer from before v22 has it (it is
//! gone since), else NULL. A metric the insights do not list is NULL, and an empty insights
//! answer (`"data": []`, what Instagram gives for media it has no insights for) means no
//! data — NULL, not 0. type = `reel` or `story` (`media_product_type`), else `photo`,
//! `video`, `carousel` (`media_type`); text = `caption` (its first 500 characters); url =
//! `permalink`. An error answer (`{"error": {"message", "code"}}`) is refused with its words.

use crate::ImportOptions;
use crate::error::Reason;
use crate::json::{Cx, JsonFormat, Node, option_account, post_text};
use keel_store::data::PostRow;
use serde_json::Value;

pub(crate) struct InstagramMedia {
    account: Result<Option<String>, Reason>,
    checked: bool,
}

impl JsonFormat for InstagramMedia {
    type Row = PostRow;
    const NOTHING: (&'static str, &'static str) = ("posts (data is empty)", "постов: data пуст");

    fn new(opts: &ImportOptions) -> Self {
        InstagramMedia {
            account: option_account(opts),
            checked: false,
        }
    }

    fn page(&mut self, page: &Node<'_>, cx: &mut Cx<'_>, out: &mut Vec<PostRow>) {
        if !self.checked {
            self.checked = true;
            if let Err(r) = &self.account {
                cx.problems.push(1, "account", r.clone());
            }
        }
        if let Some(error) = page.get("error") {
            let message = error.v.get("message").and_then(Value::as_str).unwrap_or_default();
            let code = error.v.get("code").map(|c| c.to_string()).unwrap_or_default();
            cx.bad(
                &error,
                Reason::new(
                    format!("the answer is an Instagram error, not data: {code} {message}"),
                    format!("это ответ Instagram с ошибкой, а не данные: {code} {message}"),
                ),
            );
            return;
        }
        let Some(data) = cx.req(page, "data") else { return };
        for media in cx.array(&data) {
            if cx.problems.full() {
                return;
            }
            if let Some(row) = self.media(&media, cx) {
                out.push(row);
            }
        }
    }
}

/// The insights of a media, by metric name.
#[derive(Default)]
struct Insights {
    views: Option<i64>,
    reach: Option<i64>,
    likes: Option<i64>,
    comments: Option<i64>,
    shares: Option<i64>,
    saved: Option<i64>,
    impressions: Option<i64>,
}

fn insights(node: &Node<'_>, cx: &mut Cx<'_>) -> Insights {
    let mut found = Insights::default();
    let Some(data) = cx.req(node, "data") else { return found };
    for metric in cx.array(&data) {
        if !cx.object(&metric) {
            continue;
        }
        let Some(name) = cx.req(&metric, "name").and_then(|n| cx.string(&n)) else {
            continue;
        };
        let slot = match name {
            "views" => &mut found.views,
            "reach" => &mut found.reach,
            "likes" => &mut found.likes,
            "comments" => &mut found.comments,
            "shares" => &mut found.shares,
            "saved" => &mut found.saved,
            "impressions" => &mut found.impressions,
            _ => continue,
        };
        let value = if let Some(total) = metric.get("total_value") {
            cx.req(&total, "value")
        } else if let Some(values) = cx.req(&metric, "values") {
            // Lifetime metrics have one value; the latest is the last.
            let list = cx.array(&values);
            match list.last() {
                Some(last) => cx.req(last, "value"),
                None => None,
            }
        } else {
            None
        };
        *slot = value.and_then(|v| cx.count(&v));
    }
    found
}

impl InstagramMedia {
    fn media(&self, media: &Node<'_>, cx: &mut Cx<'_>) -> Option<PostRow> {
        if !cx.object(media) {
            return None;
        }
        let before = cx.problems.len();
        let id = cx.req(media, "id").and_then(|n| cx.label(&n));
        let published_at = cx.req(media, "timestamp").and_then(|n| cx.timestamp(&n));
        let account = match &self.account {
            Ok(Some(a)) => Some(a.clone()),
            _ => match media.get("owner") {
                Some(owner) => cx.req(&owner, "id").and_then(|n| cx.label(&n)),
                None => {
                    cx.bad(
                        media,
                        Reason::new(
                            "has no owner.id, and no account was given: ask for the media's owner field, or name the account",
                            "нет owner.id, и аккаунт не указан: запросите у медиа поле owner или укажите аккаунт",
                        ),
                    );
                    None
                }
            },
        };
        let found = match media.get("insights") {
            Some(node) if cx.object(&node) => insights(&node, cx),
            _ => Insights::default(),
        };
        let like_count = media.get("like_count").and_then(|n| cx.count(&n));
        let comments_count = media.get("comments_count").and_then(|n| cx.count(&n));
        let product = media.v.get("media_product_type").and_then(Value::as_str);
        let kind = media.v.get("media_type").and_then(Value::as_str);
        let post_type = match (product, kind) {
            (Some("REELS"), _) => "reel".to_owned(),
            (Some("STORY"), _) => "story".to_owned(),
            (_, Some("IMAGE")) => "photo".to_owned(),
            (_, Some("VIDEO")) => "video".to_owned(),
            (_, Some("CAROUSEL_ALBUM")) => "carousel".to_owned(),
            (_, Some(other)) => other.to_ascii_lowercase().chars().take(40).collect(),
            (_, None) => "post".to_owned(),
        };
        let text = media.get("caption").and_then(|n| cx.string(&n)).and_then(post_text);
        let url = media.get("permalink").and_then(|n| cx.url(&n));
        if cx.problems.len() != before {
            return None;
        }
        Some(PostRow {
            platform: "instagram".to_owned(),
            account: account?,
            post_id: id?,
            published_at: published_at?,
            post_type: Some(post_type),
            likes: found.likes.or(like_count),
            comments: found.comments.or(comments_count),
            shares: found.shares,
            saves: found.saved,
            views: found.views,
            reach: found.reach,
            impressions: found.impressions,
            followers: None,
            text,
            url,
        })
    }
}
