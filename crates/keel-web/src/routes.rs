//! The route table: every route Keel serves, with the guard it needs and a one-line summary.
//!
//! The router ([`router`]), the OpenAPI document (`openapi`) and the route-by-role test
//! all read [`table`], so adding a route here is the only way to add one — and it cannot be
//! added without a guard.

use crate::auth::guard::{Guard, enforce};
use crate::{
    AppState, analytics, assets, auth, brief, calendar_feeds, connections, data, definitions, error, flash, goals,
    health, heavy, meetings, notifications, openapi, ops, people, plan, projects, reports, review, security_headers,
    session, team, text_guard,
};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::routing::{MethodRouter, get, post};
use axum::{Router, middleware};
use keel_domain::Action;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

/// One route: what it answers, who may call it, and what it is for.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub guard: Guard,
    pub summary: &'static str,
    /// The OpenAPI operation of an API route (`doc module::__path_handler`, made by
    /// `#[utoipa::path]` on the handler); every `/api/` route has one (a test checks).
    pub doc: Option<crate::openapi::DocFn>,
}

impl RouteSpec {
    pub fn is_api(&self) -> bool {
        self.path.starts_with("/api/")
    }
}

macro_rules! route {
    ($method:ident $path:literal, $guard:expr, $summary:literal, $handler:expr) => {
        (
            RouteSpec { method: Method::$method, path: $path, guard: $guard, summary: $summary, doc: None },
            route!(@router $method $handler),
        )
    };
    ($method:ident $path:literal, $guard:expr, $summary:literal, $handler:expr, doc $doc:path) => {
        (
            RouteSpec {
                method: Method::$method,
                path: $path,
                guard: $guard,
                summary: $summary,
                doc: Some(crate::openapi::doc::<$doc>),
            },
            route!(@router $method $handler),
        )
    };
    (@router GET $h:expr) => { get($h) };
    (@router POST $h:expr) => { post($h) };
}

/// Every route, in the order the OpenAPI document lists them.
pub(crate) fn table() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    use Guard::*;
    vec![
        // Pages
        route!(GET "/", Public, "Home: the projects list, or the login page", session::page::home),
        route!(GET "/login", Public, "Login form", session::page::form),
        route!(POST "/login", Public, "Log in with e-mail and password", session::page::submit),
        route!(POST "/logout", SignedIn, "Log out", session::page::logout),
        route!(GET "/lang/{code}", Public, "Switch the interface language (remembered in a cookie)", session::language::switch_language),
        route!(GET "/projects", SignedIn, "The caller's projects", projects::page::list),
        route!(GET "/projects/{slug}", Project(Action::View), "Project overview", projects::page::overview),
        route!(GET "/projects/{slug}/analytics", Project(Action::View), "The project's figures and charts over a period", analytics::page::page),
        route!(GET "/projects/{slug}/report.json", Project(Action::View), "Download the project's report as JSON", reports::download::report_json),
        route!(GET "/projects/{slug}/report.csv", Project(Action::View), "Download the project's report as CSV", reports::download::report_csv),
        route!(GET "/projects/{slug}/report.html", Project(Action::View), "Download the project's report as a standalone HTML page", reports::download::report_html),
        route!(GET "/projects/{slug}/report.pdf", Project(Action::View), "Download the project's report for the client as PDF (`lang`: en or ru)", reports::download::report_pdf),
        route!(GET "/projects/{slug}/report.xlsx", Project(Action::View), "Download the project's report for the client as XLSX, one sheet per section", reports::download::report_xlsx),
        route!(GET "/projects/{slug}/reports", Project(Action::View), "The report for the client: downloads, share links, delivery schedule", reports::page::page),
        route!(POST "/projects/{slug}/reports/links", Project(Action::ManageReports), "Make a share link to the report of a period", reports::page::create_link),
        route!(POST "/projects/{slug}/reports/links/revoke", Project(Action::ManageReports), "Revoke a report share link", reports::page::revoke_link),
        route!(POST "/projects/{slug}/reports/schedule", Project(Action::ManageReports), "Set the report delivery schedule and the project's time zone", reports::page::set_schedule),
        route!(GET "/r/{token}", Public, "A report share link: the read-only report; the secret `{token}` is the credential; every open counted", reports::share::page),
        route!(GET "/r/{token}/report.pdf", Public, "A shared report as PDF", reports::share::pdf),
        route!(GET "/r/{token}/logo", Public, "The agency's logo on a shared report", reports::share::logo),
        route!(GET "/projects/{slug}/data", Project(Action::View), "The project's data and import history", data::page::page),
        route!(POST "/projects/{slug}/data", Project(Action::ImportData), "Upload a data file", data::page::upload),
        route!(GET "/projects/{slug}/data/sample/{format}", Project(Action::View), "A sample file of an import format, to fill in", data::page::sample),
        route!(GET "/projects/{slug}/members", Project(Action::ViewMembers), "Project team", team::page::list),
        route!(POST "/projects/{slug}/members", Project(Action::ManageMembers), "Add a person to the project", team::page::add),
        route!(POST "/projects/{slug}/members/remove", Project(Action::ManageMembers), "Remove a person's role", team::page::remove),
        route!(POST "/projects/{slug}/invitations/resend", Project(Action::ManageMembers), "Resend an invitation: a new link, seven more days", team::page::resend),
        route!(POST "/projects/{slug}/invitations/revoke", Project(Action::ManageMembers), "Revoke an invitation", team::page::revoke),
        // Review links: guest approvers decide without an account
        route!(POST "/projects/{slug}/guests", Project(Action::ManageMembers), "Add a guest approver (no password) and make their review link, mailed when mail is set up", review::manage::add_guest),
        route!(POST "/projects/{slug}/review-links", Project(Action::ManageMembers), "Make a review link for an approver of the project", review::manage::create),
        route!(POST "/projects/{slug}/review-links/{id}/revoke", Project(Action::ManageMembers), "Revoke a review link", review::manage::revoke),
        route!(GET "/review/{token}", Public, "A review link: the posts waiting for its approver; the secret `{token}` is the credential", review::guest::page),
        route!(GET "/review/{token}/done/{what}", Public, "A review link's page after a decision", review::guest::after),
        route!(POST "/review/{token}/posts/{id}", Public, "Approve or request changes through a review link", review::guest::decide),
        route!(GET "/review/{token}/images/{id}", Public, "An image of a post waiting on a review link", review::guest::image),
        // People: projects, invitations, passwords, tokens, the organization
        route!(POST "/projects", ProjectCreator, "Create a project", projects::create::form),
        route!(GET "/invitations/{token}", Public, "An invitation: set name and password; the secret `{token}` is the credential", people::accept::page),
        route!(POST "/invitations/{token}", Public, "Accept an invitation: become a user, log in, land on the project", people::accept::accept),
        route!(GET "/password/forgot", Public, "Ask for a password reset link", people::password::forgot_page),
        route!(POST "/password/forgot", Public, "Mail a one-time reset link (the same answer for unknown addresses)", people::password::forgot),
        route!(GET "/password/reset/{token}", Public, "Choose a new password; the secret `{token}` is the credential", people::password::reset_page),
        route!(POST "/password/reset/{token}", Public, "Set the new password, once; every session ends", people::password::reset),
        route!(GET "/signup", Public, "Sign up a new organization (only with allow_signup; else 404)", people::signup::page),
        route!(POST "/signup", Public, "Make the organization and its admin, and log in", people::signup::submit),
        route!(GET "/settings/password", SignedIn, "Change the caller's password", people::password::change_page),
        route!(POST "/settings/password", SignedIn, "Change the caller's password (the current one required; other sessions end)", people::password::change),
        route!(GET "/settings/tokens", SignedIn, "The caller's personal API tokens", people::tokens::page),
        route!(POST "/settings/tokens", SignedIn, "Make a personal API token (shown once)", people::tokens::create),
        route!(POST "/settings/tokens/revoke", SignedIn, "Revoke a personal API token", people::tokens::revoke),
        route!(GET "/settings/organization", OrgAdmin, "The organization: admins, people with their projects and last login", people::organization::page),
        route!(POST "/settings/organization/name", OrgAdmin, "Rename the organization", people::organization::rename),
        route!(POST "/settings/organization/brand", OrgAdmin, "The brand on reports: accent colour and logo (PNG or JPEG, multipart)", people::organization::brand),
        route!(GET "/settings/organization/logo", SignedIn, "The organization's logo", people::organization::logo),
        route!(POST "/settings/organization/deactivate", OrgAdmin, "Deactivate a person: sessions and tokens end, history stays", people::organization::deactivate_form),
        // Content plan and approvals
        route!(GET "/projects/{slug}/plan", Project(Action::View), "The content calendar (month, week) and list, with undated drafts", plan::pages::plan),
        route!(POST "/projects/{slug}/plan", Project(Action::WritePosts), "Create a draft post", plan::pages::create),
        route!(POST "/projects/{slug}/workflow", Project(Action::ManageWorkflow), "Change the urgent SLA and auto-approval", plan::overview::save),
        route!(GET "/projects/{slug}/audit", Project(Action::View), "The project's audit trail", plan::records::audit),
        route!(GET "/projects/{slug}/posts/{id}", Post(Action::View), "A post: editor, previews, comments, actions, audit trail", plan::post_page::page),
        route!(POST "/projects/{slug}/posts/{id}/edit", Post(Action::WritePosts), "Save a post's text, variants, platforms and date", plan::post_forms::edit),
        route!(POST "/projects/{slug}/posts/{id}/move", Post(Action::WritePosts), "Submit, schedule, mark published or failed, back to draft", plan::post_forms::move_post),
        route!(POST "/projects/{slug}/posts/{id}/decide", Post(Action::DecidePosts), "Approve or request changes", plan::post_forms::decide_post),
        route!(POST "/projects/{slug}/posts/{id}/comments", Post(Action::CommentPosts), "Comment on a post", plan::post_forms::comment),
        route!(POST "/projects/{slug}/posts/{id}/suggestions/{comment}", Post(Action::WritePosts), "Accept or decline a suggestion", plan::post_forms::resolve),
        route!(POST "/projects/{slug}/posts/{id}/images", Post(Action::WritePosts), "Upload an image to a post", plan::post_forms::upload),
        route!(GET "/projects/{slug}/posts/{id}/images/{image}", Post(Action::View), "A post's image", plan::post_forms::image),
        route!(GET "/inbox", SignedIn, "The caller's notifications", notifications::inbox::inbox),
        route!(POST "/inbox/read", SignedIn, "Mark every notification read", notifications::inbox::mark_read),
        // Notifications and calendar feeds
        route!(GET "/settings/notifications", SignedIn, "The caller's notification settings", notifications::settings::page),
        route!(POST "/settings/notifications", SignedIn, "Save which notifications reach the caller through which channel", notifications::settings::save),
        route!(POST "/settings/notifications/telegram/code", SignedIn, "Make a one-time code that links a Telegram chat to the caller", notifications::settings::telegram_code),
        route!(POST "/settings/notifications/telegram/unlink", SignedIn, "Unlink the caller's Telegram chat", notifications::settings::telegram_unlink),
        route!(GET "/projects/{slug}/calendar", Project(Action::View), "The project's calendar feeds", calendar_feeds::page::page),
        route!(POST "/projects/{slug}/calendar", Project(Action::ManageCalendarFeeds), "Make a secret iCal feed address of the project's plan", calendar_feeds::page::create),
        route!(POST "/projects/{slug}/calendar/revoke", Project(Action::ManageCalendarFeeds), "Revoke a calendar feed address", calendar_feeds::page::revoke),
        // Connections and publishing
        route!(GET "/projects/{slug}/connections", Project(Action::ViewConnections), "The project's connections to the platforms and their status", connections::page::page),
        route!(POST "/projects/{slug}/connections", Project(Action::ManageConnections), "Connect an account (checked with the platform first)", connections::page::connect),
        route!(POST "/projects/{slug}/connections/{connection}/remove", Project(Action::ManageConnections), "Remove a connection", connections::page::remove),
        route!(POST "/projects/{slug}/connections/{connection}/sync", Project(Action::ManageConnections), "Sync a connection now (its statistics are pulled in the background)", connections::page::sync_now),
        route!(POST "/projects/{slug}/posts/{id}/publications/{platform}", Post(Action::WritePosts), "Resolve a failed or unknown publication: send it again, or mark it published with its address", connections::page::resolve_publication),
        route!(GET "/media/{token}", Public, "One image of a post being published to Instagram, for Meta to download; the secret, expiring `{token}` is the credential", connections::media::image),
        route!(GET "/ical/{feed}", Public, "The project's plan as iCalendar; the secret `{feed}` (`<secret>.ics`) is the credential", calendar_feeds::page::feed),
        // Goals, brief, team matrix, meetings and health check
        route!(GET "/projects/{slug}/goals", Project(Action::View), "Goals with progress, feasibility and forecast", goals::page::page),
        route!(POST "/projects/{slug}/goals", Project(Action::ManageGoals), "Set a goal", goals::page::create),
        route!(POST "/projects/{slug}/goals/{goal_id}", Project(Action::ManageGoals), "Change a goal (clears both sides' agreement)", goals::page::update),
        route!(POST "/projects/{slug}/goals/{goal_id}/agree", Project(Action::ManageGoals), "Agree a goal for the caller's side", goals::page::agree),
        route!(POST "/projects/{slug}/goals/{goal_id}/archive", Project(Action::ManageGoals), "Archive a goal (it stops counting; its history stays)", goals::page::archive),
        route!(GET "/projects/{slug}/brief", Project(Action::View), "The brief, its versions and a side-by-side comparison", brief::page::page),
        route!(POST "/projects/{slug}/brief", Project(Action::EditBrief), "Save a new version of the brief", brief::page::save),
        route!(POST "/projects/{slug}/brief/{version}/acknowledge", Project(Action::AcknowledgeBrief), "Acknowledge a brief version", brief::page::acknowledge),
        route!(GET "/projects/{slug}/meetings", Project(Action::View), "Team matrix, meeting schedule, agenda, minutes, decisions and action items", meetings::page::page),
        route!(POST "/projects/{slug}/team", Project(Action::ManageMeetings), "Assign an area of the team matrix", meetings::page::set_area),
        route!(POST "/projects/{slug}/meetings/schedule", Project(Action::ManageMeetings), "Set the recurring meeting", meetings::page::set_schedule),
        route!(POST "/projects/{slug}/meetings", Project(Action::ManageMeetings), "Record a meeting with its agenda and minutes", meetings::page::record),
        route!(POST "/projects/{slug}/meetings/{meeting_id}/decisions", Project(Action::ManageMeetings), "Add a decision to the meeting's decision log", meetings::page::decide_),
        route!(POST "/projects/{slug}/meetings/{meeting_id}/actions", Project(Action::ManageMeetings), "Add an action item", meetings::page::add_item),
        route!(POST "/projects/{slug}/actions/{item_id}/done", Project(Action::ManageMeetings), "Mark an action item done", meetings::page::complete_item),
        route!(GET "/projects/{slug}/health", Project(Action::View), "The project's health check", health::page::page),
        route!(GET "/definitions", Public, "How every figure is computed", definitions::page::page),
        route!(GET "/static/{file}", Public, "Stylesheet, page scripts and icons, embedded in the binary", assets::serve),
        // Operations
        route!(GET "/healthz", Public, "Liveness and database reachability", ops::healthz),
        route!(GET "/metrics", Public, "Prometheus metrics", ops::metrics),
        // JSON API
        route!(GET "/api/v1/openapi.json", Public, "This API's OpenAPI document", openapi::document, doc openapi::__path_document),
        route!(GET "/api/v1/projects", SignedIn, "The caller's projects", projects::api::list, doc projects::api::__path_list),
        route!(POST "/api/v1/projects", ProjectCreator, "Create a project: `slug`, `name`, `client`, `started_on`", projects::create::api, doc projects::create::__path_api),
        route!(GET "/api/v1/projects/{slug}", Project(Action::View), "One project", projects::api::show, doc projects::api::__path_show),
        route!(POST "/api/v1/projects/{slug}/invitations", Project(Action::ManageMembers), "Add a person by `email` with a `role`: `added` for a user of the organization, else `invited` with a one-time `url` (7 days)", team::invitations::api_invite, doc team::invitations::__path_api_invite),
        route!(POST "/api/v1/invitations/{id}/revoke", SignedIn, "Revoke an invitation (who may manage its project's people); its link answers 404", team::invitations::api_revoke, doc team::invitations::__path_api_revoke),
        route!(POST "/api/v1/users/{user_id}/deactivate", OrgAdmin, "Deactivate a person of the organization: sessions end, tokens answer 401", people::organization::deactivate_api, doc people::organization::__path_deactivate_api),
        route!(GET "/api/v1/projects/{slug}/members", Project(Action::ViewMembers), "The project's team", team::api::members, doc team::api::__path_members),
        route!(POST "/api/v1/projects/{slug}/members", Project(Action::ManageMembers), "Add a person to the project", team::api::add_member, doc team::api::__path_add_member),
        route!(POST "/api/v1/projects/{slug}/imports", Project(Action::ImportData), "Import a data file (the body) into the project, all-or-nothing", data::api::import, doc data::api::__path_import),
        route!(GET "/api/v1/projects/{slug}/report", Project(Action::View), "The project's report (the JSON of `keel report`)", reports::api::report, doc reports::api::__path_report),
        route!(POST "/api/v1/projects/{slug}/report-links", Project(Action::ManageReports), "Make a share link to the report of a period (`from`, `to`, `expires_in_days`, default 30; `lang`) → `{id, url, expires_at}`", reports::share::api_create, doc reports::share::__path_api_create),
        route!(POST "/api/v1/report-links/{id}/revoke", SignedIn, "Revoke a report share link; its URL answers 404", reports::share::api_revoke, doc reports::share::__path_api_revoke),
        // Content plan and approvals
        route!(GET "/api/v1/projects/{slug}/posts", Project(Action::View), "The content plan's posts (`?state=`, `?platform=` filter)", plan::api::list, doc plan::api::__path_list),
        route!(POST "/api/v1/projects/{slug}/posts", Project(Action::WritePosts), "Create a draft post: `text`, `platforms`, `scheduled_at`, `urgent`, `rubric`, `variants`", plan::api::create, doc plan::api::__path_create),
        route!(GET "/api/v1/projects/{slug}/workflow", Project(Action::View), "Workflow settings, designated approvers and the workflow's health", plan::api::workflow, doc plan::api::__path_workflow),
        route!(POST "/api/v1/projects/{slug}/workflow", Project(Action::ManageWorkflow), "Change the urgent SLA (`urgent_sla_minutes`), `auto_approve` and `publish_urgent_at_once`", plan::api::set_workflow, doc plan::api::__path_set_workflow),
        route!(GET "/api/v1/posts/{id}", Post(Action::View), "One post with its comments and audit trail (`events`)", plan::api::show, doc plan::api::__path_show),
        route!(POST "/api/v1/posts/{id}/edit", Post(Action::WritePosts), "Change a draft or a post sent back (fields left out keep their value)", plan::api::edit, doc plan::api::__path_edit),
        route!(POST "/api/v1/posts/{id}/submit", Post(Action::WritePosts), "Send the post for approval (urgent posts start their SLA clock)", plan::api::submit, doc plan::api::__path_submit),
        route!(POST "/api/v1/posts/{id}/approve", Post(Action::DecidePosts), "Approve the post (designated approvers, not on their own post)", plan::api::approve, doc plan::api::__path_approve),
        route!(POST "/api/v1/posts/{id}/request-changes", Post(Action::DecidePosts), "Send the post back (`comment` required; a revision round)", plan::api::request_changes, doc plan::api::__path_request_changes),
        route!(POST "/api/v1/posts/{id}/comments", Post(Action::CommentPosts), "Comment (`text`; `suggestion: true` for an approver's suggestion)", plan::api::comment, doc plan::api::__path_comment),
        route!(POST "/api/v1/posts/{id}/suggestions/{comment}", Post(Action::WritePosts), "Resolve a suggestion: `resolution` accepted, or declined with a `reason`", plan::api::resolve_suggestion, doc plan::api::__path_resolve_suggestion),
        route!(POST "/api/v1/posts/{id}/images", Post(Action::WritePosts), "Attach an image (the body; PNG, JPEG, WebP or GIF; `?name=`)", plan::api::upload_image, doc plan::api::__path_upload_image),
        route!(POST "/api/v1/posts/{id}/schedule", Post(Action::WritePosts), "Schedule an approved post (`scheduled_at`, else the post's own)", plan::api::schedule, doc plan::api::__path_schedule),
        route!(POST "/api/v1/posts/{id}/mark-published", Post(Action::WritePosts), "Record that the post went out", plan::api::mark_published, doc plan::api::__path_mark_published),
        route!(POST "/api/v1/posts/{id}/mark-failed", Post(Action::WritePosts), "Record that publishing failed", plan::api::mark_failed, doc plan::api::__path_mark_failed),
        route!(POST "/api/v1/posts/{id}/back-to-draft", Post(Action::WritePosts), "Withdraw or reopen the post as a draft", plan::api::back_to_draft, doc plan::api::__path_back_to_draft),
        route!(POST "/api/v1/posts/{id}/retry-publishing", Post(Action::WritePosts), "Send a failed post again: its failed and unknown publications go back to pending", connections::api::retry, doc connections::api::__path_retry),
        route!(POST "/api/v1/posts/{id}/publications/{platform}/resolve", Post(Action::WritePosts), "Resolve an unknown publication: `url` when found on the platform, else it is sent again", connections::api::resolve, doc connections::api::__path_resolve),
        route!(GET "/api/v1/projects/{slug}/connections", Project(Action::ViewConnections), "The project's connections (`platform`, `account`, `status`, `last_error`; never the secret)", connections::api::list, doc connections::api::__path_list),
        route!(POST "/api/v1/projects/{slug}/connections", Project(Action::ManageConnections), "Connect an account: `platform`, `account`, `secret` (checked with the platform; 422 says what is wrong)", connections::api::create, doc connections::api::__path_create),
        route!(POST "/api/v1/projects/{slug}/connections/{connection}/reconnect", Project(Action::ManageConnections), "New credentials for a connection (`secret`), checked; its status is `ok` again", connections::api::reconnect, doc connections::api::__path_reconnect),
        route!(POST "/api/v1/projects/{slug}/connections/{connection}/remove", Project(Action::ManageConnections), "Remove a connection", connections::api::remove, doc connections::api::__path_remove),
        route!(POST "/api/v1/connections/{id}/sync", SignedIn, "Pull the connection's statistics now (`from`, `to`; who may manage its project's connections); 202, the sync runs in the background", connections::api::sync, doc connections::api::__path_sync),
        route!(GET "/api/v1/notifications", SignedIn, "The caller's in-app notifications, newest first", notifications::api::list, doc notifications::api::__path_list),
        // Goals, brief, meetings and health check
        route!(GET "/api/v1/goal-catalog", SignedIn, "The metric catalog and the KPI presets by goal type", goals::api::catalog, doc goals::api::__path_catalog),
        route!(GET "/api/v1/projects/{slug}/goals", Project(Action::View), "The project's goals with baseline, progress, feasibility and forecast", goals::api::list, doc goals::api::__path_list),
        route!(POST "/api/v1/projects/{slug}/goals", Project(Action::ManageGoals), "Set a goal (client owner, agency lead)", goals::api::create, doc goals::api::__path_create),
        route!(POST "/api/v1/projects/{slug}/goals/{goal_id}", Project(Action::ManageGoals), "Change a goal (clears both sides' agreement)", goals::api::update, doc goals::api::__path_update),
        route!(POST "/api/v1/projects/{slug}/goals/{goal_id}/agree", Project(Action::ManageGoals), "Agree a goal for the caller's side", goals::api::agree, doc goals::api::__path_agree),
        route!(POST "/api/v1/projects/{slug}/goals/{goal_id}/archive", Project(Action::ManageGoals), "Archive a goal (`reason`); it leaves the list and the report, its history stays", goals::api::archive, doc goals::api::__path_archive),
        route!(GET "/api/v1/projects/{slug}/brief", Project(Action::View), "Every version of the brief, newest first", brief::api::list, doc brief::api::__path_list),
        route!(POST "/api/v1/projects/{slug}/brief", Project(Action::EditBrief), "Save a new version of the brief", brief::api::save, doc brief::api::__path_save),
        route!(GET "/api/v1/projects/{slug}/brief/compare", Project(Action::View), "Two brief versions field by field (?left=&right=)", brief::api::compare_versions, doc brief::api::__path_compare_versions),
        route!(POST "/api/v1/projects/{slug}/brief/{version}/acknowledge", Project(Action::AcknowledgeBrief), "Acknowledge a brief version (agency lead)", brief::api::acknowledge, doc brief::api::__path_acknowledge),
        route!(GET "/api/v1/projects/{slug}/meetings", Project(Action::View), "Team matrix, upcoming meetings, drafted agenda, minutes, decisions and action items", meetings::api::list, doc meetings::api::__path_list),
        route!(GET "/api/v1/projects/{slug}/health", Project(Action::View), "The project's health check: findings with evidence", health::api::health, doc health::api::__path_health),
    ]
}

/// The largest body of a form or JSON request (a post's text at every platform's limit is
/// well under it).
pub const FORM_BODY_LIMIT: usize = 2 * 1024 * 1024;
/// The largest body of an image upload: the 8 MB an image may be, plus a multipart form's
/// own fields and boundaries.
pub const IMAGE_BODY_LIMIT: usize = keel_store::plan::images::MAX_IMAGE_BYTES + 256 * 1024;

/// How large a request body a route reads: images up to their limit, data files up to
/// `max_upload_mb` (streamed to disk), everything else a form's worth.
fn body_limit(spec: &RouteSpec, config: &crate::WebConfig) -> usize {
    let is_post = spec.method == Method::POST;
    if is_post && spec.path.ends_with("/images") {
        IMAGE_BODY_LIMIT
    } else if is_post && (spec.path.ends_with("/imports") || spec.path.ends_with("/data")) {
        config.max_body_bytes
    } else {
        FORM_BODY_LIMIT
    }
}

/// A 413 for a request whose `Content-Length` is over its route's limit, without reading it.
async fn refuse_announced_oversize(limit: usize, request: Request, next: Next) -> axum::response::Response {
    let announced = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        use axum::response::IntoResponse;
        return crate::WebError::PayloadTooLarge(format!(
            "the request body is larger than this address accepts ({} MiB); for data files, split the file or raise max_upload_mb (KEEL_MAX_UPLOAD_MB)",
            limit / (1024 * 1024)
        ))
        .into_response();
    }
    next.run(request).await
}

/// The specs alone, for documentation and tests.
pub fn route_specs() -> Vec<RouteSpec> {
    table().into_iter().map(|(spec, _)| spec).collect()
}

pub(crate) fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for (spec, handler) in table() {
        let (guard, path) = (spec.guard, spec.path);
        // Layers wrap outwards: metrics, then the guard, then (heavy routes) the gate, so a
        // caller who may not see the project never waits for a permit.
        let handler = if heavy::is_heavy(path) {
            handler.route_layer(middleware::from_fn_with_state(state.clone(), heavy::gate))
        } else {
            handler
        };
        // axum's limit binds the extractors (forms, JSON, multipart); an announced
        // `Content-Length` over it is refused before the body is read; a data file read as a
        // stream is counted by the spooler against the same limit.
        let limit = body_limit(&spec, &state.config);
        let handler = handler
            .layer(DefaultBodyLimit::max(limit))
            .route_layer(middleware::from_fn(move |r: Request, n: Next| {
                refuse_announced_oversize(limit, r, n)
            }));
        let guarded = handler
            .route_layer(middleware::from_fn_with_state(
                state.clone(),
                move |s: State<AppState>, r: Request, n: Next| enforce(guard, s, r, n),
            ))
            .route_layer(middleware::from_fn_with_state(
                state.clone(),
                move |s: State<AppState>, r: Request, n: Next| ops::track(path, s, r, n),
            ));
        router = router.route(path, guarded);
    }
    router
        .fallback(|| async { crate::WebError::NotFound })
        .layer(middleware::from_fn_with_state(state.clone(), auth::csrf::issue))
        .layer(middleware::from_fn_with_state(state.clone(), flash::carry))
        .layer(middleware::from_fn(text_guard::refuse_nul_in_address))
        .layer(RequestBodyLimitLayer::new(
            state.config.max_body_bytes.max(IMAGE_BODY_LIMIT),
        ))
        .layer(middleware::from_fn(error::render_errors))
        // Outside the error pages, so refusals, the fallback 404 and static files carry the
        // headers as well.
        .layer(middleware::from_fn(security_headers::set))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
