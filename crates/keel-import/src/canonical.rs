//! The four canonical CSVs of PRODUCT.md ("Data in"): comma separated, UTF-8, a header row,
//! columns found by name, extra columns ignored.
//!
//! Required columns are the natural key and the values the schema cannot store as NULL
//! (`published_at`, `date`, `spend`, `currency`, `created_at`, `status`). Every other
//! column may be left out of the file entirely; an empty or absent count is NULL ("not
//! reported"), which the metrics treat as 0 in sums but never use as a denominator.

use crate::ImportOptions;
use crate::cells::{Cells, Col, Header};
use crate::error::Problems;
use crate::pipeline::RowParser;
use keel_store::data::{AdRow, DailyRow, LeadRow, PostRow};

/// `platform,account,post_id,published_at,type,likes,comments,shares,saves,views,reach,impressions,followers`,
/// and, when the file has them, a post's `text` and `url` (shown beside the best and worst posts).
pub(crate) struct Posts {
    key: [Col; 3],
    published_at: Col,
    post_type: Col,
    counts: [Col; 8],
    text: Col,
    url: Col,
}

impl RowParser for Posts {
    type Row = PostRow;

    fn from_header(h: &Header, p: &mut Problems, _: &ImportOptions) -> Self {
        Posts {
            key: ["platform", "account", "post_id"].map(|c| h.required(c, p)),
            published_at: h.required("published_at", p),
            post_type: h.optional("type"),
            counts: [
                "likes",
                "comments",
                "shares",
                "saves",
                "views",
                "reach",
                "impressions",
                "followers",
            ]
            .map(|c| h.optional(c)),
            text: h.optional("text"),
            url: h.optional("url"),
        }
    }

    fn parse(&mut self, c: &mut Cells<'_>) -> PostRow {
        let [platform, account, post_id] = self.key.map(|k| c.text(&k));
        let published_at = c.timestamp(&self.published_at);
        let post_type = c.opt_text(&self.post_type);
        let [likes, comments, shares, saves, views, reach, impressions, followers] = self.counts.map(|k| c.count(&k));
        PostRow {
            platform,
            account,
            post_id,
            published_at,
            post_type,
            likes,
            comments,
            shares,
            saves,
            views,
            reach,
            impressions,
            followers,
            text: c.opt_post_text(&self.text),
            url: c.opt_url(&self.url),
        }
    }
}

/// `platform,account,date,followers,reach,impressions,mentions,hashtag_uses,profile_visits,site_clicks`
pub(crate) struct Daily {
    key: [Col; 2],
    date: Col,
    counts: [Col; 7],
}

impl RowParser for Daily {
    type Row = DailyRow;

    fn from_header(h: &Header, p: &mut Problems, _: &ImportOptions) -> Self {
        Daily {
            key: ["platform", "account"].map(|c| h.required(c, p)),
            date: h.required("date", p),
            counts: [
                "followers",
                "reach",
                "impressions",
                "mentions",
                "hashtag_uses",
                "profile_visits",
                "site_clicks",
            ]
            .map(|c| h.optional(c)),
        }
    }

    fn parse(&mut self, c: &mut Cells<'_>) -> DailyRow {
        let [platform, account] = self.key.map(|k| c.text(&k));
        let date = c.date(&self.date);
        let [
            followers,
            reach,
            impressions,
            mentions,
            hashtag_uses,
            profile_visits,
            site_clicks,
        ] = self.counts.map(|k| c.count(&k));
        DailyRow {
            platform,
            account,
            date,
            followers,
            reach,
            impressions,
            mentions,
            hashtag_uses,
            profile_visits,
            site_clicks,
        }
    }
}

/// `platform,campaign,date,spend,currency,impressions,clicks,leads,video_views`
pub(crate) struct Ads {
    key: [Col; 2],
    date: Col,
    spend: Col,
    currency: Col,
    counts: [Col; 4],
}

impl RowParser for Ads {
    type Row = AdRow;

    fn from_header(h: &Header, p: &mut Problems, _: &ImportOptions) -> Self {
        Ads {
            key: ["platform", "campaign"].map(|c| h.required(c, p)),
            date: h.required("date", p),
            spend: h.required("spend", p),
            currency: h.required("currency", p),
            counts: ["impressions", "clicks", "leads", "video_views"].map(|c| h.optional(c)),
        }
    }

    fn parse(&mut self, c: &mut Cells<'_>) -> AdRow {
        let [platform, campaign] = self.key.map(|k| c.text(&k));
        let date = c.date(&self.date);
        let spend = c.decimal(&self.spend);
        let currency = c.text(&self.currency);
        let [impressions, clicks, leads, video_views] = self.counts.map(|k| c.count(&k));
        AdRow {
            platform,
            campaign,
            date,
            spend,
            currency,
            impressions,
            clicks,
            leads,
            video_views,
        }
    }
}

/// `lead_id,created_at,source,campaign,status,amount,closed_at,repeat`
pub(crate) struct Leads {
    lead_id: Col,
    created_at: Col,
    source: Col,
    campaign: Col,
    status: Col,
    amount: Col,
    closed_at: Col,
    repeat: Col,
}

impl RowParser for Leads {
    type Row = LeadRow;

    fn from_header(h: &Header, p: &mut Problems, _: &ImportOptions) -> Self {
        Leads {
            lead_id: h.required("lead_id", p),
            created_at: h.required("created_at", p),
            source: h.optional("source"),
            campaign: h.optional("campaign"),
            status: h.required("status", p),
            amount: h.optional("amount"),
            closed_at: h.optional("closed_at"),
            repeat: h.optional("repeat"),
        }
    }

    fn parse(&mut self, c: &mut Cells<'_>) -> LeadRow {
        LeadRow {
            lead_id: c.text(&self.lead_id),
            created_at: c.timestamp(&self.created_at),
            source: c.opt_text(&self.source),
            campaign: c.opt_text(&self.campaign),
            status: c.status(&self.status),
            amount: c.opt_decimal(&self.amount),
            closed_at: c.opt_timestamp(&self.closed_at),
            repeat: c.flag(&self.repeat),
        }
    }
}
