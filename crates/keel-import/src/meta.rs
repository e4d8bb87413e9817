//! `meta-ads`: Meta Marketing API insights answers (`GET /act_<id>/insights?level=campaign&
//! time_increment=1&fields=campaign_name,spend,impressions,clicks,actions,…`: `{"data":
//! [row…], "paging": {"cursors", "next"}}`), one answer, a JSON array of answers or one a
//! line. The API gives numbers as strings (`"spend": "12.34"`, `"impressions": "1520"`).
//!
//! Each row becomes a day of a campaign's ads: platform `meta_ads`, campaign =
//! `campaign_name`, date = `date_start` (a row must cover one day, `date_stop` the same: ask
//! with `time_increment=1`), spend = `spend` (currency units), currency = the row's
//! `account_currency` when asked for, else the options' currency, else `USD`, impressions
//! = `impressions`, clicks = `clicks`, leads = the `lead` entry of `actions[]`, else its
//! `onsite_conversion.lead_grouped` entry (Meta reports the same leads under both; never
//! both are added), video views = the `video_view` entry of `actions[]`. Without `actions`
//! leads and video views are NULL (not reported); with `actions` but no such entry they are
//! 0 (Meta lists only the actions that happened). An error answer (`{"error": {"message",
//! "code"}}`) is refused with its words.

use crate::ImportOptions;
use crate::error::Reason;
use crate::json::{Cx, JsonFormat, Node, currency, option_currency};
use keel_store::data::AdRow;

pub(crate) struct MetaAds {
    currency: Result<Option<String>, Reason>,
    checked: bool,
}

impl JsonFormat for MetaAds {
    type Row = AdRow;
    const NOTHING: (&'static str, &'static str) = ("ad statistics (data is empty)", "статистики рекламы: data пуст");

    fn new(opts: &ImportOptions) -> Self {
        MetaAds {
            currency: option_currency(opts),
            checked: false,
        }
    }

    fn page(&mut self, page: &Node<'_>, cx: &mut Cx<'_>, out: &mut Vec<AdRow>) {
        if !self.checked {
            self.checked = true;
            if let Err(r) = &self.currency {
                cx.problems.push(1, "currency", r.clone());
            }
        }
        if let Some(error) = page.get("error") {
            let message = error.v.get("message").and_then(|m| m.as_str()).unwrap_or_default();
            let code = error.v.get("code").map(|c| c.to_string()).unwrap_or_default();
            cx.bad(
                &error,
                Reason::new(
                    format!("the answer is a Meta error, not data: {code} {message}"),
                    format!("это ответ Meta с ошибкой, а не данные: {code} {message}"),
                ),
            );
            return;
        }
        let Some(data) = cx.req(page, "data") else { return };
        for row in cx.array(&data) {
            if cx.problems.full() {
                return;
            }
            if let Some(row) = self.row(&row, cx) {
                out.push(row);
            }
        }
    }
}

impl MetaAds {
    fn row(&self, row: &Node<'_>, cx: &mut Cx<'_>) -> Option<AdRow> {
        if !cx.object(row) {
            return None;
        }
        let before = cx.problems.len();
        let campaign = cx.req(row, "campaign_name").and_then(|n| cx.label(&n));
        let date = cx.req(row, "date_start").and_then(|n| cx.date(&n));
        if let (Some(start), Some(stop_node)) = (date, row.get("date_stop"))
            && let Some(stop) = cx.date(&stop_node)
            && stop != start
        {
            cx.bad(
                &stop_node,
                Reason::new(
                    format!("the row covers {start} to {stop}, not one day: ask for the insights with time_increment=1"),
                    format!("строка охватывает дни с {start} по {stop}, а не один день: запросите статистику с time_increment=1"),
                ),
            );
        }
        let spend = cx.req(row, "spend").and_then(|n| cx.decimal(&n));
        let impressions = row.get("impressions").and_then(|n| cx.count_or_string(&n));
        let clicks = row.get("clicks").and_then(|n| cx.count_or_string(&n));
        let row_currency = row
            .get("account_currency")
            .and_then(|n| cx.string(&n).map(|s| (n.path.clone(), s.to_owned())));
        let currency = match row_currency {
            Some((path, c)) => currency(&c).map_err(|r| cx.problems.push_at(cx.line, &path, r)).ok(),
            None => Some(self.currency.clone().ok().flatten().unwrap_or_else(|| "USD".to_owned())),
        };
        let (mut leads, mut video_views) = (None, None);
        if let Some(actions) = row.get("actions") {
            let (mut lead, mut grouped, mut video) = (None, None, None);
            for action in cx.array(&actions) {
                if !cx.object(&action) {
                    continue;
                }
                let kind = cx.req(&action, "action_type").and_then(|n| cx.string(&n));
                let slot = match kind {
                    Some("lead") => &mut lead,
                    Some("onsite_conversion.lead_grouped") => &mut grouped,
                    Some("video_view") => &mut video,
                    _ => continue,
                };
                *slot = cx.req(&action, "value").and_then(|n| cx.count_or_string(&n));
            }
            leads = Some(lead.or(grouped).unwrap_or(0));
            video_views = Some(video.unwrap_or(0));
        }
        if cx.problems.len() != before {
            return None;
        }
        Some(AdRow {
            platform: "meta_ads".to_owned(),
            campaign: campaign?,
            date: date?,
            spend: spend?,
            currency: currency?,
            impressions,
            clicks,
            leads,
            video_views,
        })
    }
}
