//! The UCI "Facebook metrics" export (Moro, Rita & Vala 2016): 500 posts of one cosmetics
//! brand's page in 2014, `;`-separated, Facebook Insights column names, blank cells meaning 0.
//!
//! The export has no post ids and no dates, so Keel derives them, deterministically:
//! - **post_id** is `fb-<n>`, `n` the 1-based number of the data row in the file. The same
//!   file therefore always yields the same ids, and re-importing it changes nothing.
//! - **published_at** is rebuilt from `Post Month`, `Post Weekday` (1 = Sunday … 7 =
//!   Saturday) and `Post Hour`, in the year given (default 2014, the dataset's year), at the
//!   full hour in UTC (the export has no time zone). The rows are newest first, so the
//!   first row is dated to the last day of its month with its weekday, and each following
//!   row to the latest day with its weekday that is not after the row before it (a week
//!   earlier when that would be the same day at a later hour), never leaving its month —
//!   if it would, the first such weekday of the month is used. On the real file this walk
//!   lands the newest post on Wednesday 2014-12-31 and needs no such correction for any row,
//!   which is also what fixes the weekday numbering (with Monday = 1 it would need some).
//!
//! Mapped: likes = `like`, comments = `comment`, shares = `share`, reach = `Lifetime Post
//! Total Reach`, impressions = `Lifetime Post Total Impressions`, followers = `Page total
//! likes`, type = `Type`; saves and views are not in the export (NULL). Platform `facebook`,
//! account from [`ImportOptions`] (default `page`). Every mapped column is required.

use crate::ImportOptions;
use crate::cells::{Cells, Col, Header};
use crate::error::{Problems, Reason};
use crate::pipeline::RowParser;
use chrono::{Datelike, Days, NaiveDate, NaiveTime};
use keel_store::data::PostRow;

pub(crate) struct FacebookMetrics {
    year: i32,
    account: String,
    followers: Col,
    post_type: Col,
    month: Col,
    weekday: Col,
    hour: Col,
    reach: Col,
    impressions: Col,
    comments: Col,
    likes: Col,
    shares: Col,
    /// Data rows seen so far (the next post's number is this plus one).
    seen: u64,
    /// The date and hour given to the previous (newer) post.
    previous: Option<(NaiveDate, u32)>,
}

impl RowParser for FacebookMetrics {
    type Row = PostRow;
    const DELIMITER: u8 = b';';

    fn from_header(h: &Header, p: &mut Problems, opts: &ImportOptions) -> Self {
        if !(1000..=9999).contains(&opts.year) {
            let reason = Reason::new(
                format!("the year {} given for its dates is not 1000–9999", opts.year),
                format!("год {}, указанный для дат, не в пределах 1000–9999", opts.year),
            );
            p.push(1, "Post Month", reason);
        }
        let account = opts.account.as_deref().unwrap_or("page").trim();
        if account.is_empty() || account.contains('\0') || account.chars().count() > crate::cells::MAX_TEXT_CHARS {
            let reason = Reason::new(
                format!(
                    "the account name given for its posts must be 1 to {} characters without NUL",
                    crate::cells::MAX_TEXT_CHARS
                ),
                format!(
                    "название аккаунта для постов должно быть от 1 до {} символов, без NUL",
                    crate::cells::MAX_TEXT_CHARS
                ),
            );
            p.push(1, "account", reason);
        }
        FacebookMetrics {
            year: opts.year,
            account: account.to_owned(),
            followers: h.required("Page total likes", p),
            post_type: h.required("Type", p),
            month: h.required("Post Month", p),
            weekday: h.required("Post Weekday", p),
            hour: h.required("Post Hour", p),
            reach: h.required("Lifetime Post Total Reach", p),
            impressions: h.required("Lifetime Post Total Impressions", p),
            comments: h.required("comment", p),
            likes: h.required("like", p),
            shares: h.required("share", p),
            seen: 0,
            previous: None,
        }
    }

    fn parse(&mut self, c: &mut Cells<'_>) -> PostRow {
        self.seen += 1;
        let post_id = format!("fb-{}", self.seen);
        let month = c.count_in(&self.month, 1, 12);
        let weekday = c.count_in(&self.weekday, 1, 7);
        let hour = c.count_in(&self.hour, 0, 23);
        // A row with a bad cell is never stored, and must not move the walk.
        let published_at = match (month, weekday, hour) {
            (Some(m), Some(w), Some(h)) if c.ok => {
                let (m, w, h) = (m as u32, w as u32, h as u32);
                let day = self.date_for(m, w, h);
                day.and_time(NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN))
            }
            _ => NaiveDate::MIN.and_time(NaiveTime::MIN),
        }
        .and_utc();
        PostRow {
            platform: "facebook".to_owned(),
            account: self.account.clone(),
            post_id,
            published_at,
            post_type: c.opt_text(&self.post_type),
            likes: Some(c.count_or_zero(&self.likes)),
            comments: Some(c.count_or_zero(&self.comments)),
            shares: Some(c.count_or_zero(&self.shares)),
            saves: None,
            views: None,
            reach: Some(c.count_or_zero(&self.reach)),
            impressions: Some(c.count_or_zero(&self.impressions)),
            followers: Some(c.count_or_zero(&self.followers)),
            // The UCI export carries neither the text nor the address of a post.
            text: None,
            url: None,
        }
    }
}

impl FacebookMetrics {
    /// The date of a post from its month, weekday (1 = Sunday) and hour; see the module
    /// documentation for the walk.
    fn date_for(&mut self, month: u32, weekday: u32, hour: u32) -> NaiveDate {
        let first = NaiveDate::from_ymd_opt(self.year, month, 1).unwrap_or(NaiveDate::MIN);
        let last = first
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(first);
        let matches = |d: NaiveDate| d.weekday().num_days_from_sunday() + 1 == weekday;
        let mut day = match self.previous {
            Some((prev, _)) if (first..=last).contains(&prev) => prev,
            _ => last,
        };
        while !matches(day) {
            day = day.pred_opt().unwrap_or(day);
        }
        if let Some((prev, prev_hour)) = self.previous
            && day == prev
            && hour > prev_hour
        {
            day = day - Days::new(7);
        }
        if day < first {
            day = first;
            while !matches(day) {
                day = day.succ_opt().unwrap_or(day);
            }
        }
        self.previous = Some((day, hour));
        day
    }
}
