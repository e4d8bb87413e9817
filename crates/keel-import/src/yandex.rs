//! `yandex-direct`: a Yandex Direct Reports v5 `CAMPAIGN_PERFORMANCE_REPORT` in TSV, as the
//! Reports service returns it: tab separated, never quoted, optionally a first line with the
//! report's name (without `skipReportHeader`), a header row of field names, and optionally a
//! last line `Total rows: N` (without `skipReportSummary`). Values it has no data for are
//! `--`.
//!
//! Each row becomes a day of a campaign's ads: platform `yandex_direct`, campaign =
//! `CampaignName`, date = `Date`, spend = `Cost` (in currency units; divided by 1,000,000
//! when the options say the report is in micros, the service's default without
//! `returnMoneyInMicros: false`), currency from the options (default `RUB`: the report
//! carries none; it is the client account's currency), impressions = `Impressions`, clicks
//! = `Clicks`, leads = `Conversions` (each NULL when absent or `--`); video views are not in
//! this report (NULL). Required: `Date`, `CampaignName`, `Cost`.

use crate::ImportOptions;
use crate::cells::{Cells, Col, Header};
use crate::error::{Problems, Reason};
use crate::json::option_currency;
use crate::pipeline::RowParser;
use crate::values;
use keel_store::data::AdRow;

pub(crate) struct YandexDirect {
    currency: String,
    micros: bool,
    date: Col,
    campaign: Col,
    cost: Col,
    impressions: Col,
    clicks: Col,
    conversions: Col,
}

impl RowParser for YandexDirect {
    type Row = AdRow;
    const DELIMITER: u8 = b'\t';
    const QUOTING: bool = false;

    fn from_header(h: &Header, p: &mut Problems, opts: &ImportOptions) -> Self {
        let currency = match option_currency(opts) {
            Ok(c) => c.unwrap_or_else(|| "RUB".to_owned()),
            Err(r) => {
                p.push(1, "currency", r);
                String::new()
            }
        };
        YandexDirect {
            currency,
            micros: opts.money_in_micros,
            date: h.required("Date", p),
            campaign: h.required("CampaignName", p),
            cost: h.required("Cost", p),
            impressions: h.optional("Impressions"),
            clicks: h.optional("Clicks"),
            conversions: h.optional("Conversions"),
        }
    }

    fn parse(&mut self, c: &mut Cells<'_>) -> AdRow {
        let campaign = c.text(&self.campaign);
        let date = c.date(&self.date);
        let cost = match c.raw(&self.cost) {
            Some("--") => Some(0.0),
            Some(s) if !s.is_empty() => values::decimal(s).map_err(|r| c.bad(&self.cost, r)).ok(),
            Some(_) => {
                c.bad(
                    &self.cost,
                    Reason::new("is empty; a value is required", "пусто, а значение обязательно"),
                );
                None
            }
            None => None,
        };
        let spend = cost.map_or(0.0, |v| if self.micros { v / 1_000_000.0 } else { v });
        let [impressions, clicks, leads] =
            [self.impressions, self.clicks, self.conversions].map(|col| match c.raw(&col) {
                Some("--" | "") | None => None,
                Some(s) => values::count(s).map_err(|r| c.bad(&col, r)).ok(),
            });
        AdRow {
            platform: "yandex_direct".to_owned(),
            campaign,
            date,
            spend,
            currency: self.currency.clone(),
            impressions,
            clicks,
            leads,
            video_views: None,
        }
    }

    fn is_preamble(first: &csv::ByteRecord) -> bool {
        // The report's name stands alone on the first line; the header has many fields.
        first.len() == 1
    }

    fn is_summary(record: &csv::ByteRecord) -> bool {
        record.get(0).is_some_and(|c| c.trim_ascii().starts_with(b"Total rows"))
    }
}
