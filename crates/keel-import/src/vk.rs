//! `vk-wall`: VK API answers of `wall.get` (`{"response": {"count", "items": [wall_wallpost_full…]}}`),
//! optionally with `stats.getPostReach` answers (`{"response": [stats_wallpost_stat…]}`)
//! merged per post, as one answer, a JSON array of answers or answers one per line, in any
//! order (a reach answer may come before or after the posts it covers).
//!
//! Each item becomes a post: platform `vk`; account from the options, else the wall's owner
//! as a VK connection stores it (a community's number without the minus, `123456` for
//! `owner_id` −123456; `id<N>` for a person's wall); post_id = `id`; published_at = `date`
//! (Unix seconds); likes = `likes.count`, comments = `comments.count`, shares =
//! `reposts.count`, views = `views.count` (each NULL when the item lacks it); reach =
//! `reach_total` of the post's `stats.getPostReach` entry (NULL without one); saves,
//! impressions and followers are not in these answers (NULL); type = the first attachment's
//! `type` (`photo`, `video`, `link`, …) or `text`; text = `text` (its first 500 characters);
//! url = `https://vk.com/wall<owner_id>_<id>`. Items that are not published posts
//! (`post_type` `postpone` or `suggest`) are skipped. A VK error answer (`{"error": …}`) is
//! refused with its code and message.
//!
//! The posts are held (as rows, not JSON) until the end of the file, since a reach answer
//! may follow them; a reach entry for a post the file does not have is refused (the
//! answers are of different walls).

use crate::ImportOptions;
use crate::error::Reason;
use crate::json::{Cx, JsonFormat, Node, option_account, post_text};
use keel_store::data::PostRow;
use std::collections::HashMap;

pub(crate) struct VkWall {
    account: Result<Option<String>, Reason>,
    /// Posts in file order, and where each post id is among them.
    posts: Vec<PostRow>,
    by_id: HashMap<String, Vec<usize>>,
    /// Reach per post id, with where it was given (path, line).
    reach: Vec<(String, i64, String, u64)>,
    account_checked: bool,
}

impl JsonFormat for VkWall {
    type Row = PostRow;
    const NOTHING: (&'static str, &'static str) = ("posts (response.items is empty)", "постов: response.items пуст");

    fn new(opts: &ImportOptions) -> Self {
        VkWall {
            account: option_account(opts),
            posts: Vec::new(),
            by_id: HashMap::new(),
            reach: Vec::new(),
            account_checked: false,
        }
    }

    fn page(&mut self, page: &Node<'_>, cx: &mut Cx<'_>, _out: &mut Vec<PostRow>) {
        if !self.account_checked {
            self.account_checked = true;
            if let Err(r) = &self.account {
                cx.problems.push(1, "account", r.clone());
            }
        }
        if let Some(error) = page.get("error") {
            let code = error.v.get("error_code").map(|c| c.to_string()).unwrap_or_default();
            let msg = error
                .v
                .get("error_msg")
                .and_then(|m| m.as_str())
                .unwrap_or_default()
                .to_owned();
            cx.bad(
                &error,
                Reason::new(
                    format!("the answer is a VK error, not data: {code} {msg}"),
                    format!("это ответ VK с ошибкой, а не данные: {code} {msg}"),
                ),
            );
            return;
        }
        let Some(response) = page.get("response") else {
            cx.bad(
                page,
                Reason::new(
                    "is not a wall.get or stats.getPostReach answer: it has no \"response\"",
                    "это не ответ wall.get или stats.getPostReach: в нём нет \"response\"",
                ),
            );
            return;
        };
        if response.v.is_array() {
            for stat in cx.array(&response) {
                self.stat(&stat, cx);
            }
            return;
        }
        if !cx.object(&response) {
            return;
        }
        let Some(items) = cx.req(&response, "items") else {
            return;
        };
        for item in cx.array(&items) {
            if cx.problems.full() {
                return;
            }
            if let Some(row) = self.item(&item, cx) {
                self.by_id
                    .entry(row.post_id.clone())
                    .or_default()
                    .push(self.posts.len());
                self.posts.push(row);
            }
        }
    }

    fn end(&mut self, cx: &mut Cx<'_>, out: &mut Vec<PostRow>) {
        // A post refused for a bad value is missing here: its reach is not a second problem.
        let complete = cx.problems.is_empty();
        for (post_id, reach, path, line) in std::mem::take(&mut self.reach) {
            match self.by_id.get(&post_id) {
                Some(indexes) => {
                    for &i in indexes {
                        self.posts[i].reach = Some(reach);
                    }
                }
                None if complete => cx.problems.push_at(
                    line,
                    &path,
                    Reason::new(
                        format!("reach is given for post {post_id}, which no wall.get answer in the file has"),
                        format!("охват указан для поста {post_id}, которого нет ни в одном ответе wall.get в файле"),
                    ),
                ),
                None => {}
            }
        }
        out.append(&mut self.posts);
    }
}

impl VkWall {
    fn item(&mut self, item: &Node<'_>, cx: &mut Cx<'_>) -> Option<PostRow> {
        if !cx.object(item) {
            return None;
        }
        if let Some(kind) = item.v.get("post_type").and_then(|t| t.as_str())
            && matches!(kind, "postpone" | "suggest")
        {
            return None;
        }
        let before = cx.problems.len();
        let id = cx.req(item, "id").and_then(|n| cx.count(&n));
        let owner = cx.req(item, "owner_id").and_then(|n| cx.integer(&n));
        let date = cx.req(item, "date").and_then(|n| cx.unix_time(&n));
        let mut count = |key: &str| {
            let inner = item.get(key)?;
            if !cx.object(&inner) {
                return None;
            }
            inner.get("count").and_then(|n| cx.count(&n))
        };
        let likes = count("likes");
        let comments = count("comments");
        let shares = count("reposts");
        let views = count("views");
        let text = item.get("text").and_then(|t| cx.string(&t)).and_then(post_text);
        let post_type = match item.get("attachments") {
            Some(list) => cx
                .array(&list)
                .first()
                .and_then(|a| a.get("type"))
                .and_then(|t| cx.label(&t))
                .unwrap_or_else(|| "text".to_owned()),
            None => "text".to_owned(),
        };
        if cx.problems.len() != before {
            return None;
        }
        let (id, owner, published_at) = (id?, owner?, date?);
        let account = match &self.account {
            Ok(Some(a)) => a.clone(),
            _ if owner < 0 => owner.unsigned_abs().to_string(),
            _ => format!("id{owner}"),
        };
        Some(PostRow {
            platform: "vk".to_owned(),
            account,
            post_id: id.to_string(),
            published_at,
            post_type: Some(post_type),
            likes,
            comments,
            shares,
            saves: None,
            views,
            reach: None,
            impressions: None,
            followers: None,
            text,
            url: Some(format!("https://vk.com/wall{owner}_{id}")),
        })
    }

    fn stat(&mut self, stat: &Node<'_>, cx: &mut Cx<'_>) {
        if !cx.object(stat) {
            return;
        }
        let post_id = cx.req(stat, "post_id").and_then(|n| cx.count(&n));
        let reach = stat.get("reach_total").and_then(|n| cx.count(&n));
        if let (Some(post_id), Some(reach)) = (post_id, reach) {
            self.reach
                .push((post_id.to_string(), reach, stat.path.clone(), cx.line));
        }
    }
}
