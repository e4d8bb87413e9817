//! Share links: an expiring (30 days unless said otherwise), revocable, read-only link to one
//! report — a project, a period and a language. The token is shown once and kept only as its
//! SHA-256; every open of the page is counted; a link that is unknown, expired or revoked
//! answers 404, the same as one that never existed. Nothing else of the project is reachable
//! from it: the page is the standalone report (no navigation, no links into Keel) plus its
//! PDF, and both carry `noindex`.

use crate::auth::{CurrentUser, ProjectCtx};
use crate::calendar_feeds::page::base_url;
use crate::json::ApiJson;
use crate::{AppState, WebError};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::NaiveDate;
use keel_domain::Action;
use keel_domain::Lang;
use keel_store::reports::{REPORT_LINK_DAYS, ReportLink};
use serde::{Deserialize, Serialize};

/// A share link to ask for.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct LinkBody {
    #[serde(default, deserialize_with = "crate::json::optional_date")]
    pub from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "crate::json::optional_date")]
    pub to: Option<NaiveDate>,
    /// Days the link lives, 1 to 365 (default 30).
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    pub expires_in_days: Option<i64>,
    /// `en` or `ru` (default: the caller's browser language).
    #[serde(default)]
    #[schema(value_type = Option<crate::openapi::LangCode>)]
    pub lang: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct LinkJson {
    pub id: i64,
    pub url: String,
    #[schema(format = DateTime)]
    pub expires_at: String,
}

pub fn link_url(base: &str, token: &str) -> String {
    format!("{base}/r/{token}")
}

/// Makes a link after checking the period and the lifetime (1 to 365 days).
pub(crate) async fn make(
    state: &AppState,
    ctx: &ProjectCtx,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    days: Option<i64>,
    lang: Lang,
) -> Result<(ReportLink, String), WebError> {
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(WebError::BadRequest(format!("`from` ({f}) is after `to` ({t})")));
    }
    let days = days.unwrap_or(REPORT_LINK_DAYS);
    if !(1..=365).contains(&days) {
        return Err(WebError::BadRequest(
            "`expires_in_days` must be between 1 and 365".into(),
        ));
    }
    Ok(state
        .store
        .create_report_link(
            ctx.project.org(),
            ctx.project.id(),
            from,
            to,
            lang.code(),
            ctx.user.id(),
            days,
        )
        .await?)
}

/// `POST /api/v1/projects/{slug}/report-links`.
#[utoipa::path(post, path = "/api/v1/projects/{slug}/report-links", params(crate::openapi::Slug), request_body = LinkBody, responses((status = 201, body = LinkJson)))]
pub async fn api_create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(ctx): Extension<ProjectCtx>,
    ApiJson(body): ApiJson<LinkBody>,
) -> Result<(StatusCode, Json<LinkJson>), WebError> {
    let lang = crate::i18n::lang_field(body.lang.as_deref(), &headers)?;
    let (link, token) = make(&state, &ctx, (body.from, body.to), body.expires_in_days, lang).await?;
    Ok((
        StatusCode::CREATED,
        Json(LinkJson {
            id: link.id,
            url: link_url(&base_url(&state, &headers), &token),
            expires_at: link.expires_at.to_rfc3339(),
        }),
    ))
}

/// `POST /api/v1/report-links/{id}/revoke`: 404 for a link the caller may not see, 403 for
/// one whose project they see but may not manage reports of.
#[utoipa::path(post, path = "/api/v1/report-links/{id}/revoke", params(("id" = i64, Path, description = "the link's id")),
    responses((status = 204, description = "revoked"), (status = 403, description = "the caller may not manage this project's reports", body = crate::openapi::ErrorJson), (status = 404, description = "no such link the caller may see", body = crate::openapi::ErrorJson)))]
pub async fn api_revoke(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    Path(id): Path<i64>,
) -> Result<StatusCode, WebError> {
    let link = state
        .store
        .report_link_in_org(user.org(), id)
        .await?
        .ok_or(WebError::NotFound)?;
    let project = state
        .store
        .project_by_id(keel_domain::ProjectId(link.project_id))
        .await?;
    let ctx = keel_app::access::to_project(&state.store, user, project, Action::ManageReports).await?;
    state
        .store
        .revoke_report_link(ctx.project.org(), ctx.project.id(), id, ctx.user.id())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Search engines must not index, follow or cache a shared report.
const NOINDEX: (header::HeaderName, &str) = (
    header::HeaderName::from_static("x-robots-tag"),
    "noindex, nofollow, noarchive",
);

/// `GET /r/{token}`: the shared report, counted as an open.
pub async fn page(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, WebError> {
    let link = state.store.open_report_link(&token).await?.ok_or(WebError::NotFound)?;
    let project = state
        .store
        .project_by_id(keel_domain::ProjectId(link.project_id))
        .await?;
    let lang = Lang::parse(&link.lang).unwrap_or_default();
    let a = keel_report::series::build_analytics(
        &state.store,
        &project,
        link.period_from,
        link.period_to,
        crate::analytics::page::TOP_POSTS,
    )
    .await?;
    let brand = super::document::brand_of(&state.store, &project).await?;
    let html = super::standalone::standalone_analytics(&project, &a, lang);
    let html = super::standalone::shared(&html, &brand, lang, &format!("/r/{token}"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
            NOINDEX,
        ],
        html,
    )
        .into_response())
}

/// `GET /r/{token}/report.pdf`: the shared report as PDF (not counted again).
pub async fn pdf(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, WebError> {
    let link = state.store.report_link(&token).await?.ok_or(WebError::NotFound)?;
    let project = state
        .store
        .project_by_id(keel_domain::ProjectId(link.project_id))
        .await?;
    let lang = Lang::parse(&link.lang).unwrap_or_default();
    let bytes = super::document::pdf(&state.store, &project, link.period_from, link.period_to, lang).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
            NOINDEX,
        ],
        bytes,
    )
        .into_response())
}

/// `GET /r/{token}/logo`: the agency's logo on the shared page.
pub async fn logo(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, WebError> {
    let link = state.store.report_link(&token).await?.ok_or(WebError::NotFound)?;
    let brand = state.store.org_brand(keel_domain::OrgId(link.org_id)).await?;
    match (brand.logo, brand.logo_type) {
        (Some(bytes), Some(kind)) if kind == "image/png" || kind == "image/jpeg" => Ok((
            [
                (header::CONTENT_TYPE, kind),
                (header::CACHE_CONTROL, "no-store".to_owned()),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            ],
            bytes,
        )
            .into_response()),
        _ => Err(WebError::NotFound),
    }
}
