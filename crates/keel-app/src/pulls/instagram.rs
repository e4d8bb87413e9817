//! Instagram: the account's media of the range with each one's insights, and its followers.
//!
//! `/{ig-user-id}/media` gives the media newest first, `MEDIA_PAGE` a page, the next page
//! by the cursor `after` while the answer has `paging.next`; paging stops at the first media
//! older than the range. Each media of the range is asked its `/insights` (`views`, `reach`,
//! `likes`, `comments`, `shares`, `saved`), nested under the media's `insights` as the field
//! expansion would give it, and the pages go to the `instagram-media` format as one JSON
//! array — one batch, one import, nothing stored until every page and insight is in. An empty
//! insights answer stays empty: no data, not 0. `followers_count` is the day's follower count
//! (a `daily` row).
//!
//! The long-lived token lives 60 days and is refreshed ([`REFRESH_BEFORE`] ahead of its expiry,
//! or at the first sync, when Keel does not know the expiry yet): the new token and its expiry
//! are sealed together in one write of the connection's secret before the pull goes on.

use super::PullCx;
use super::run::{PullError, SyncRequest, secret_text};
use chrono::{DateTime, Duration, Utc};
use keel_import::{Format, ImportOptions};
use keel_platforms::instagram::InstagramApi;
use keel_platforms::{Pace, patiently};
use keel_store::sealing::Secret;
use serde_json::{Value, json};

/// How long before its expiry a long-lived token is refreshed.
pub const REFRESH_BEFORE: Duration = Duration::days(10);

pub async fn pull(cx: &mut PullCx<'_>, secret: &Value, request: &SyncRequest) -> Result<(), PullError> {
    let token = secret_text(secret, "access_token")?;
    let expires_at = secret
        .get("expires_at")
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc));
    let pace = Pace::per_second(cx.platforms.rates.instagram);
    let mut api = InstagramApi::new(&cx.platforms.instagram_api_url, &token).with_timeout(cx.platforms.timeout);
    if expires_at.is_none_or(|at| at - keel_store::now() < REFRESH_BEFORE) {
        api = refresh(cx, api, &pace, expires_at).await?;
    }
    let user = cx.connection.account.clone();
    let (from, until) = (
        cx.day_start(request.from),
        cx.day_start(request.to + chrono::Days::new(1)),
    );

    let mut pages: Vec<Value> = vec![];
    let mut after: Option<String> = None;
    let mut read = 0u64;
    loop {
        (cx.progress)("Instagram media", Some((read, 0)));
        let cursor = after.clone();
        let page = patiently(&pace, || api.media_page(&user, cursor.as_deref())).await?;
        read += page.media.len() as u64;
        let mut past_range = false;
        let mut data: Vec<Value> = vec![];
        let items = page
            .page
            .get("data")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (media, raw) in page.media.iter().zip(items) {
            let Some(at) = media.published_at().map(|t| t.timestamp()) else {
                // The format's parser says what is wrong with it.
                data.push(raw);
                continue;
            };
            if at < from {
                past_range = true;
            } else if at < until {
                data.push(raw);
            }
        }
        if !data.is_empty() {
            pages.push(json!({ "data": data }));
        }
        after = page.after;
        if after.is_none() || past_range {
            break;
        }
    }
    let total: u64 = pages
        .iter()
        .map(|p| p["data"].as_array().map_or(0, Vec::len) as u64)
        .sum();
    let mut done = 0u64;
    for page in &mut pages {
        let Some(data) = page.get_mut("data").and_then(Value::as_array_mut) else {
            continue;
        };
        for media in data {
            (cx.progress)("Instagram insights", Some((done, total)));
            let Some(id) = media.get("id").and_then(Value::as_str).map(str::to_owned) else {
                continue;
            };
            let insights = patiently(&pace, || api.media_insights(&id)).await?;
            media["insights"] = insights;
            done += 1;
        }
    }
    (cx.progress)("Instagram followers_count", None);
    let followers = patiently(&pace, || api.followers_count(&user)).await?;
    if !pages.is_empty() {
        let bytes = serde_json::to_vec(&pages).map_err(|e| PullError::Import("instagram-media", e.to_string()))?;
        let options = ImportOptions {
            account: Some(cx.connection.account.clone()),
            ..ImportOptions::default()
        };
        cx.import(Format::InstagramMedia, bytes, options).await?;
    }
    if let Some(followers) = followers {
        cx.followers("instagram", request.today, followers).await?;
    }
    Ok(())
}

/// Refreshes the long-lived token and stores the new one with its expiry (one sealed write);
/// the API with the new token. When the refresh fails while the token has not expired (or its
/// expiry is unknown), the current token is kept.
async fn refresh(
    cx: &PullCx<'_>,
    api: InstagramApi,
    pace: &Pace,
    expires_at: Option<DateTime<Utc>>,
) -> Result<InstagramApi, PullError> {
    (cx.progress)("Instagram token refresh", None);
    let fresh = match patiently(pace, || api.refresh_token()).await {
        Ok(fresh) => fresh,
        // Instagram refuses to refresh a token younger than 24 hours; a token not yet expired
        // goes on being used, and the media call says whether it really is refused.
        Err(e) if expires_at.is_none_or(|at| at > keel_store::now()) => {
            tracing::info!(connection = cx.connection.id, error = %e, "Instagram did not refresh the token; the current one is used");
            return Ok(api);
        }
        Err(e) => return Err(e.into()),
    };
    let expires_at = keel_store::now() + Duration::seconds(fresh.expires_in);
    let key = cx.platforms.key.as_ref().ok_or(PullError::NoSecretKey)?;
    let secret = json!({
        "access_token": fresh.access_token,
        "expires_at": expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    });
    cx.store
        .replace_connection_secret(key, cx.connection, &Secret(secret.to_string()))
        .await?;
    tracing::info!(connection = cx.connection.id, %expires_at, "Instagram token refreshed and stored");
    Ok(api.with_token(&fresh.access_token))
}
