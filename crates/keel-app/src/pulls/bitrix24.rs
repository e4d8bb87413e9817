//! Bitrix24: the deals modified in the range, `crm.deal.list` through the inbound webhook, 50
//! a call following `next`, every page to the `bitrix24` format as one JSON array — one batch,
//! one import, nothing stored until every page is in. Calls go at the bucket's drain rate
//! (2 a second); a 503 `QUERY_LIMIT_EXCEEDED` is waited out (a second frees two requests)
//! and asked again — a read, so a retry cannot double anything.

use super::PullCx;
use super::run::{PullError, SyncRequest, secret_text};
use keel_import::{Format, ImportOptions};
use keel_platforms::bitrix24::BitrixApi;
use keel_platforms::{Pace, patiently};
use serde_json::Value;

pub async fn pull(cx: &mut PullCx<'_>, secret: &Value, request: &SyncRequest) -> Result<(), PullError> {
    let webhook = secret_text(secret, "webhook_url")?;
    let api = BitrixApi::new(&webhook).with_timeout(cx.platforms.timeout);
    let pace = Pace::per_second(cx.platforms.rates.bitrix24);
    let zone = cx.zone;
    let instant = |day: chrono::NaiveDate| zone.start_of(day).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (from, until) = (instant(request.from), instant(request.to + chrono::Days::new(1)));
    let mut pages: Vec<Value> = vec![];
    let mut start = Some(0u64);
    let mut deals = 0u64;
    while let Some(at) = start.take() {
        (cx.progress)("Bitrix24 crm.deal.list", Some((deals, 0)));
        let page = patiently(&pace, || api.deal_page(&from, &until, at)).await?;
        deals += page.deals as u64;
        if page.deals > 0 {
            pages.push(page.page);
        }
        start = page.next.filter(|n| *n > at);
    }
    if deals > 0 {
        let bytes = serde_json::to_vec(&pages).map_err(|e| PullError::Import("bitrix24", e.to_string()))?;
        cx.import(Format::Bitrix24, bytes, ImportOptions::default()).await?;
    }
    Ok(())
}
