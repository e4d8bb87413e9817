//! The `posts` section: every post published in the period with its interactions, ER,
//! ERR and ER by views, ordered by publication time, then platform, account and post id.
//!
//! A project may hold a million posts, so rows are streamed and handed to a callback one
//! at a time; nothing here collects them. The same stream feeds the `accounts` section
//! (see [`crate::accounts`]), so the posts are read once per report.
//!
//! The rows come from the store (`Store::for_each_report_post`), each joined to its
//! account's daily row of its publication day; here they become the formulas' inputs.

use chrono::{DateTime, SecondsFormat, Utc};
use keel_domain::metrics::engagement::{Interactions, followers_on, post_er, post_err, post_erv};
use keel_store::Store;
use keel_store::report::PostRecord;
use serde::{Serialize, Serializer};

use crate::scope::Scope;

/// One post of the report.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PostRow {
    pub platform: String,
    pub account: String,
    pub post_id: String,
    /// Publication instant, serialized as RFC 3339 in UTC (`2026-01-05T10:00:00Z`).
    #[serde(serialize_with = "rfc3339_utc")]
    pub published_at: DateTime<Utc>,
    /// `I = likes + comments + shares + saves`.
    pub interactions: i64,
    /// `I / followers × 100`, followers of the publication day (else the post's own).
    pub er: Option<f64>,
    /// `I / reach × 100`.
    pub err: Option<f64>,
    /// `I / views × 100`.
    pub erv: Option<f64>,
}

impl PostRow {
    /// Appends this row's JSON to `out`, byte for byte what `serde_json` writes for it (a
    /// test checks), several times faster: the report writes a million of them, and the
    /// generic serializer spent its time escaping keys and formatting timestamps.
    pub fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.extend_from_slice(b"{\"platform\":");
        json_str(out, &self.platform)?;
        out.extend_from_slice(b",\"account\":");
        json_str(out, &self.account)?;
        out.extend_from_slice(b",\"post_id\":");
        json_str(out, &self.post_id)?;
        out.extend_from_slice(b",\"published_at\":\"");
        write_instant(out, &self.published_at);
        out.extend_from_slice(b"\",\"interactions\":");
        // Writing into a Vec cannot fail.
        let _ = std::io::Write::write_fmt(out, format_args!("{}", self.interactions));
        for (key, value) in [
            (&b",\"er\":"[..], self.er),
            (b",\"err\":", self.err),
            (b",\"erv\":", self.erv),
        ] {
            out.extend_from_slice(key);
            serde_json::to_writer(&mut *out, &value)?;
        }
        out.push(b'}');
        Ok(())
    }

    /// The publication instant as written in JSON and CSV.
    pub fn published_at_text(&self) -> String {
        self.published_at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }
}

/// A JSON string: as is when nothing in it needs escaping (the usual case), else escaped
/// by `serde_json`.
fn json_str(out: &mut Vec<u8>, s: &str) -> serde_json::Result<()> {
    if s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        return serde_json::to_writer(out, s);
    }
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
}

/// `published_at_text`, formatted by hand for whole seconds of four-digit years.
fn write_instant(out: &mut Vec<u8>, at: &DateTime<Utc>) {
    use chrono::{Datelike, Timelike};
    // The naive UTC value: each accessor of a `DateTime` applies the offset anew.
    let t = at.naive_utc();
    if t.nanosecond() != 0 || !(0..=9999).contains(&t.year()) {
        out.extend_from_slice(at.to_rfc3339_opts(SecondsFormat::AutoSi, true).as_bytes());
        return;
    }
    let digits = |out: &mut Vec<u8>, n: u32, width: u32| {
        for k in (0..width).rev() {
            out.push(b'0' + (n / 10u32.pow(k) % 10) as u8);
        }
    };
    digits(out, t.year() as u32, 4);
    out.push(b'-');
    digits(out, t.month(), 2);
    out.push(b'-');
    digits(out, t.day(), 2);
    out.push(b'T');
    digits(out, t.hour(), 2);
    out.push(b':');
    digits(out, t.minute(), 2);
    out.push(b':');
    digits(out, t.second(), 2);
    out.push(b'Z');
}

fn rfc3339_utc<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// A post as read: the inputs of the per-post formulas.
#[derive(Debug, Clone)]
pub(crate) struct RawPost {
    pub platform: String,
    pub account: String,
    pub post_id: String,
    pub published_at: DateTime<Utc>,
    /// `I`, missing counts as 0.
    pub interactions: i64,
    /// Followers the post's ER is computed against (`followers_on`).
    pub followers: Option<i64>,
    pub reach: Option<i64>,
    pub views: Option<i64>,
}

impl From<RawPost> for PostRow {
    fn from(r: RawPost) -> PostRow {
        PostRow {
            er: post_er(r.interactions, r.followers),
            err: post_err(r.interactions, r.reach),
            erv: post_erv(r.interactions, r.views),
            platform: r.platform,
            account: r.account,
            post_id: r.post_id,
            published_at: r.published_at,
            interactions: r.interactions,
        }
    }
}

/// Calls `each` with every post of the period, in report order, as the rows arrive.
/// Stops at the first error `each` returns (e.g. a closed output pipe).
pub(crate) async fn for_each_post(
    store: &Store,
    scope: &Scope,
    mut each: impl FnMut(RawPost) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    store
        .for_each_report_post(scope.days(), |record| each(raw(record)))
        .await
}

/// A post as read: sums the interactions (missing counts as 0) and picks the followers of
/// the day (`followers_on`).
pub(crate) fn raw(r: PostRecord) -> RawPost {
    let interactions = Interactions {
        likes: r.likes.unwrap_or(0),
        comments: r.comments.unwrap_or(0),
        shares: r.shares.unwrap_or(0),
        saves: r.saves.unwrap_or(0),
    };
    RawPost {
        platform: r.platform,
        account: r.account,
        post_id: r.post_id,
        published_at: r.published_at,
        interactions: interactions.total(),
        followers: followers_on(r.day_followers, r.own_followers),
        reach: r.reach,
        views: r.views,
    }
}

#[cfg(test)]
mod json_tests {
    use super::*;

    #[test]
    fn the_hand_written_json_is_serde_json_byte_for_byte() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let rows = [
            PostRow {
                platform: "vk".into(),
                account: "acc\"quoted\\ \u{1}".into(),
                post_id: "p1 ☃".into(),
                published_at: at("2026-01-05T10:00:00Z"),
                interactions: -3,
                er: Some(0.1554149852764751),
                err: None,
                erv: Some(2.0),
            },
            PostRow {
                platform: "instagram".into(),
                account: "a".into(),
                post_id: "x".into(),
                published_at: at("2026-01-05T10:00:00.250Z"),
                interactions: 0,
                er: Some(1e-7),
                err: Some(12345678.5),
                erv: None,
            },
        ];
        for row in rows {
            let mut mine = Vec::new();
            row.write_json(&mut mine).unwrap();
            assert_eq!(String::from_utf8(mine).unwrap(), serde_json::to_string(&row).unwrap());
        }
    }
}
