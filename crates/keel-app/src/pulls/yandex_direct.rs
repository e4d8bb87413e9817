//! Yandex Direct: the campaigns' daily figures of the range from the Reports service, offline
//! (201/202 with `retryIn`, the same request repeated until 200), money in currency units
//! (`returnMoneyInMicros: false`), without the title and summary lines. The TSV goes to the
//! `yandex-direct` format as it came, with the advertiser's currency from `clients.get`.

use super::PullCx;
use super::run::{PullError, SyncRequest, secret_text};
use keel_import::{Format, ImportOptions};
use keel_platforms::yandex_direct::YandexDirectApi;
use keel_platforms::{Pace, patiently};
use serde_json::Value;

pub async fn pull(cx: &mut PullCx<'_>, secret: &Value, request: &SyncRequest) -> Result<(), PullError> {
    let token = secret_text(secret, "access_token")?;
    let api = YandexDirectApi::new(&cx.platforms.yandex_direct_api_url, &token, &cx.connection.account)
        .with_timeout(cx.platforms.timeout)
        .with_poll(cx.platforms.report_poll_cap, 120);
    let pace = Pace::per_second(cx.platforms.rates.yandex_direct);
    (cx.progress)("Yandex Direct clients.get", None);
    let client = patiently(&pace, || api.client()).await?;
    (cx.progress)("Yandex Direct report", None);
    let (from, to) = (request.from.to_string(), request.to.to_string());
    // The queue holds at most 5 reports: a full queue (error 9000) waits and asks again.
    let tsv = patiently(&pace, || api.campaign_report(&from, &to)).await?;
    let data_lines = tsv.lines().filter(|l| !l.trim().is_empty()).count();
    if data_lines > 1 {
        let options = ImportOptions {
            currency: Some(client.currency),
            money_in_micros: false,
            ..ImportOptions::default()
        };
        cx.import(Format::YandexDirect, tsv.into_bytes(), options).await?;
    }
    Ok(())
}
