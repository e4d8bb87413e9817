//! The rows of ad statistics and leads (see `rows.rs` for the trait they implement).

use super::encode::{CopyRow, date_text, ts_text};
use super::rows::{DataRow, SqliteQuery, TableSpec};
use chrono::{DateTime, NaiveDate, Utc};
use std::hash::{Hash, Hasher};

/// One day of one ad campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct AdRow {
    pub platform: String,
    pub campaign: String,
    pub date: NaiveDate,
    pub spend: f64,
    pub currency: String,
    pub impressions: Option<i64>,
    pub clicks: Option<i64>,
    pub leads: Option<i64>,
    pub video_views: Option<i64>,
}

impl DataRow for AdRow {
    const SPEC: &'static TableSpec = &TableSpec {
        table: "ad_stats",
        key: &["platform", "campaign", "date"],
        columns: &[
            ("platform", "TEXT"),
            ("campaign", "TEXT"),
            ("date", "DATE"),
            ("spend", "DOUBLE PRECISION"),
            ("currency", "TEXT"),
            ("impressions", "BIGINT"),
            ("clicks", "BIGINT"),
            ("leads", "BIGINT"),
            ("video_views", "BIGINT"),
        ],
    };

    fn bind_sqlite<'q>(&'q self, q: SqliteQuery<'q>) -> SqliteQuery<'q> {
        q.bind(self.platform.as_str())
            .bind(self.campaign.as_str())
            .bind(date_text(&self.date))
            .bind(self.spend)
            .bind(self.currency.as_str())
            .bind(self.impressions)
            .bind(self.clicks)
            .bind(self.leads)
            .bind(self.video_views)
    }

    fn write_copy(&self, out: &mut CopyRow<'_>) {
        out.text(&self.platform);
        out.text(&self.campaign);
        out.date(&self.date);
        out.float(Some(self.spend));
        out.text(&self.currency);
        for n in [self.impressions, self.clicks, self.leads, self.video_views] {
            out.int(n);
        }
    }

    fn hash_key(&self, state: &mut impl Hasher) {
        (&self.platform, &self.campaign, &self.date).hash(state);
    }
}

/// One lead (a deal when its status is `won`).
#[derive(Debug, Clone, PartialEq)]
pub struct LeadRow {
    pub lead_id: String,
    pub created_at: DateTime<Utc>,
    pub source: Option<String>,
    pub campaign: Option<String>,
    /// One of `new`, `qualified`, `won`, `lost` (the schema refuses anything else).
    pub status: String,
    pub amount: Option<f64>,
    pub closed_at: Option<DateTime<Utc>>,
    pub repeat: bool,
}

impl DataRow for LeadRow {
    const SPEC: &'static TableSpec = &TableSpec {
        table: "leads",
        key: &["lead_id"],
        columns: &[
            ("lead_id", "TEXT"),
            ("created_at", "TIMESTAMPTZ"),
            ("source", "TEXT"),
            ("campaign", "TEXT"),
            ("status", "TEXT"),
            ("amount", "DOUBLE PRECISION"),
            ("closed_at", "TIMESTAMPTZ"),
            ("repeat", "BOOLEAN"),
        ],
    };

    fn bind_sqlite<'q>(&'q self, q: SqliteQuery<'q>) -> SqliteQuery<'q> {
        q.bind(self.lead_id.as_str())
            .bind(ts_text(&self.created_at))
            .bind(self.source.as_deref())
            .bind(self.campaign.as_deref())
            .bind(self.status.as_str())
            .bind(self.amount)
            .bind(self.closed_at.as_ref().map(ts_text))
            .bind(self.repeat)
    }

    fn write_copy(&self, out: &mut CopyRow<'_>) {
        out.text(&self.lead_id);
        out.ts(&self.created_at);
        out.opt_text(self.source.as_deref());
        out.opt_text(self.campaign.as_deref());
        out.text(&self.status);
        out.float(self.amount);
        match &self.closed_at {
            Some(t) => out.ts(t),
            None => out.null(),
        }
        out.bool(self.repeat);
    }

    fn hash_key(&self, state: &mut impl Hasher) {
        self.lead_id.hash(state);
    }
}
