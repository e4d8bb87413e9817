//! amoCRM: the leads updated in the range, 250 a page following `_links.next` (204: none),
//! with the pipelines answer (which stage is the first) — all pages and the pipelines as one
//! JSON array for the `amocrm` format, one batch.
//!
//! A 401 in the middle of a sync refreshes the token once: amoCRM answers a new access token
//! and a new refresh token and revokes the old refresh token at that moment, so the new pair
//! is sealed and committed before the next call (a sync failing later cannot lose it).

use super::PullCx;
use super::run::{PullError, SyncRequest};
use keel_import::{Format, ImportOptions};
use keel_platforms::amocrm::{AmocrmApi, AmocrmError, Tokens};
use keel_platforms::{Pace, patiently};
use keel_store::sealing::Secret;
use serde_json::Value;
use std::future::Future;

/// The API with the connection's tokens, refreshed (and stored) when amoCRM stops accepting
/// the access token.
struct Session<'c, 'a> {
    cx: &'c PullCx<'a>,
    api: AmocrmApi,
    tokens: Tokens,
    pace: Pace,
}

impl Session<'_, '_> {
    async fn call<T, F, Fut>(&mut self, call: F) -> Result<T, PullError>
    where
        F: Fn(AmocrmApi) -> Fut,
        Fut: Future<Output = Result<T, AmocrmError>>,
    {
        let api = self.api.clone();
        match patiently(&self.pace, || call(api.clone())).await {
            Err(e) if e.unauthorized() && self.tokens.refreshable() => {
                self.refresh().await?;
                let api = self.api.clone();
                Ok(patiently(&self.pace, || call(api.clone())).await?)
            }
            other => Ok(other?),
        }
    }

    async fn refresh(&mut self) -> Result<(), PullError> {
        (self.cx.progress)("amoCRM token refresh", None);
        let api = self.api.clone();
        let tokens = self.tokens.clone();
        let fresh = patiently(&self.pace, || api.refresh(&tokens)).await?;
        let key = self.cx.platforms.key.as_ref().ok_or(PullError::NoSecretKey)?;
        let sealed = Secret(serde_json::to_string(&fresh).expect("tokens serialize"));
        if let Err(e) = self
            .cx
            .store
            .replace_connection_secret(key, self.cx.connection, &sealed)
            .await
        {
            // The old refresh token is already revoked: without the new one stored, a person
            // has to authorize Keel again.
            tracing::error!(connection = self.cx.connection.id, error = %e,
                "amoCRM answered new tokens that could not be stored: the account must be reconnected");
            return Err(PullError::Store(e));
        }
        tracing::info!(connection = self.cx.connection.id, "amoCRM tokens refreshed and stored");
        self.api = self.api.clone().with_access_token(&fresh.access_token);
        self.tokens = fresh;
        Ok(())
    }
}

pub async fn pull(cx: &mut PullCx<'_>, secret: Value, request: &SyncRequest) -> Result<(), PullError> {
    let tokens: Tokens = serde_json::from_value(secret).map_err(|e| PullError::BadSecret(e.to_string()))?;
    let api = AmocrmApi::new(&cx.connection.account, &tokens.access_token).with_timeout(cx.platforms.timeout);
    let (from, until) = (
        cx.day_start(request.from),
        cx.day_start(request.to + chrono::Days::new(1)) - 1,
    );
    let first = api.leads_url(from, until);
    let mut answers: Vec<Value> = vec![];
    let mut leads = 0usize;
    {
        let mut session = Session {
            cx: &*cx,
            api,
            tokens,
            pace: Pace::per_second(cx.platforms.rates.amocrm),
        };
        (cx.progress)("amoCRM pipelines", None);
        answers.push(session.call(|api| async move { api.pipelines_answer().await }).await?);
        let mut next = Some(first);
        while let Some(url) = next.take() {
            (cx.progress)("amoCRM leads", Some((leads as u64, 0)));
            let page = session
                .call(|api| {
                    let url = url.clone();
                    async move { api.leads_page(&url).await }
                })
                .await?;
            let Some(page) = page else { break };
            leads += page.leads;
            next = page.next;
            answers.push(page.page);
        }
    }
    if leads > 0 {
        let bytes = serde_json::to_vec(&answers).map_err(|e| PullError::Import("amocrm", e.to_string()))?;
        cx.import(Format::Amocrm, bytes, ImportOptions::default()).await?;
    }
    Ok(())
}
