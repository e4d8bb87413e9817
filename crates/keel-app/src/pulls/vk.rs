//! VK: the community wall's posts of the range with their reach, and the members count.
//!
//! `wall.get` gives the wall newest first, 100 a call; paging stops at the first post older
//! than the range (a pinned post, shown first whatever its date, does not stop it) or at the
//! wall's end. The posts of the range are asked for their reach 30 at a time
//! (`stats.getPostReach`). The pages and the reach answers go to the `vk-wall` format as one
//! JSON array of answers — one batch, one import. The members count of `groups.getById` is
//! the day's follower count (a `daily` row).

use super::PullCx;
use super::run::{PullError, SyncRequest, secret_text};
use keel_import::{Format, ImportOptions};
use keel_platforms::vk::{AccessToken, REACH_BATCH, VkApi, WALL_PAGE};
use keel_platforms::{Pace, patiently};
use serde_json::{Value, json};

pub async fn pull(cx: &mut PullCx<'_>, secret: &Value, request: &SyncRequest) -> Result<(), PullError> {
    let token = AccessToken(secret_text(secret, "access_token")?);
    let group_id: i64 = cx
        .connection
        .account
        .parse()
        .map_err(|_| PullError::BadSecret("the account is not a VK community number".into()))?;
    let api = VkApi::new(&cx.platforms.vk_api_url, token).with_timeout(cx.platforms.timeout);
    let pace = Pace::per_second(cx.platforms.rates.vk);
    let (from, until) = (
        cx.day_start(request.from),
        cx.day_start(request.to + chrono::Days::new(1)),
    );

    // The posts of the range, page by page; nothing is stored until every page is in. Each
    // answer is written out as it comes (a JSON array of answers), not held as a tree.
    let mut answers = Answers::default();
    let mut ids: Vec<i64> = vec![];
    let mut offset: u32 = 0;
    loop {
        (cx.progress)("VK wall.get", Some((u64::from(offset), 0)));
        let page = patiently(&pace, || api.wall_get_page(group_id, offset, WALL_PAGE)).await?;
        let read = page.items.len() as u32;
        let mut past_range = false;
        let items: Vec<Value> = page
            .items
            .into_iter()
            .filter(|item| {
                let date = item.get("date").and_then(Value::as_i64).unwrap_or(0);
                let pinned = item.get("is_pinned").and_then(Value::as_i64) == Some(1);
                if date < from && !pinned {
                    past_range = true;
                }
                date >= from && date < until
            })
            .collect();
        ids.extend(items.iter().filter_map(|i| i.get("id").and_then(Value::as_i64)));
        if !items.is_empty() {
            answers.push(&json!({"response": {"count": page.count, "items": items}}))?;
        }
        offset += read;
        if read == 0 || past_range || i64::from(offset) >= page.count {
            break;
        }
    }
    let batches = ids.len().div_ceil(REACH_BATCH) as u64;
    for (n, chunk) in ids.chunks(REACH_BATCH).enumerate() {
        (cx.progress)("VK stats.getPostReach", Some((n as u64, batches)));
        let reach = patiently(&pace, || api.stats_get_post_reach(group_id, chunk)).await?;
        answers.push(&json!({"response": reach}))?;
    }
    let group_ref = group_id.to_string();
    let group = patiently(&pace, || api.groups_get_by_id(&group_ref)).await?;
    if !answers.is_empty() {
        let bytes = answers.finish();
        let options = ImportOptions {
            account: Some(cx.connection.account.clone()),
            ..ImportOptions::default()
        };
        cx.import(Format::VkWall, bytes, options).await?;
    }
    if let Some(members) = group.members_count {
        cx.followers("vk", request.today, members).await?;
    }
    Ok(())
}

/// Answers written one after another into a JSON array.
#[derive(Default)]
struct Answers {
    bytes: Vec<u8>,
}

impl Answers {
    fn push(&mut self, answer: &Value) -> Result<(), PullError> {
        self.bytes.push(if self.bytes.is_empty() { b'[' } else { b',' });
        serde_json::to_writer(&mut self.bytes, answer).map_err(|e| PullError::Import("vk-wall", e.to_string()))
    }

    fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn finish(mut self) -> Vec<u8> {
        self.bytes.push(b']');
        self.bytes
    }
}
