//! Adding people by e-mail: a user of the organization gets the role, anyone else an
//! invitation — mailed in the inviter's language when SMTP is configured, and its link in the
//! API's answer either way. Resend and revoke, from the team page and the API.

use crate::auth::{CurrentUser, ProjectCtx};
use crate::calendar_feeds::page::base_url;
use crate::json::ApiJson;
use crate::{AppState, Lang, WebError};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use keel_app::people::{Invited, invite};
use keel_store::invitations::Invitation;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct InvitationBody {
    #[serde(default)]
    #[schema(required, format = Email)]
    pub email: String,
    #[serde(default)]
    #[schema(required, value_type = crate::openapi::RoleName)]
    pub role: String,
    /// The e-mail's language (`en`, `ru`); else the inviter's.
    #[serde(default)]
    #[schema(value_type = Option<crate::openapi::LangCode>)]
    pub lang: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct InvitationJson {
    /// The invitation's id (for revoking it); the user's id when they were added.
    pub id: i64,
    pub email: String,
    #[schema(value_type = crate::openapi::RoleName)]
    pub role: String,
    /// `added` (a user of the organization) or `invited`.
    #[schema(value_type = String, examples("added", "invited", "revoked"))]
    pub status: &'static str,
    /// The one-time link that sets the invitee's name and password (`invited` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub expires_at: Option<String>,
}

/// The acceptance link of an invitation's token.
pub fn invitation_link(base: &str, token: &str) -> String {
    format!("{base}/invitations/{token}")
}

/// Adds or invites, and mails the invitation in the background (a slow mail server must not
/// hold the inviter's request; the link is in the answer anyway). Shared by the page.
pub(crate) async fn add_or_invite(
    state: &AppState,
    headers: &HeaderMap,
    ctx: &ProjectCtx,
    email: &str,
    role: &str,
    lang: Lang,
) -> Result<InvitationJson, WebError> {
    match invite(&state.store, ctx, email, role, lang).await? {
        Invited::Added(user) => Ok(InvitationJson {
            id: user.id,
            email: user.email,
            role: role.trim().to_owned(),
            status: "added",
            url: None,
            expires_at: None,
        }),
        Invited::Invited {
            invitation,
            token,
            send_mail,
        } => {
            let url = invitation_link(&base_url(state, headers), &token);
            if send_mail {
                mail_invitation(state, &invitation, &ctx.project.name, &ctx.user.display_name, &url);
            }
            Ok(InvitationJson {
                id: invitation.id,
                email: invitation.email,
                role: invitation.role,
                status: "invited",
                url: Some(url),
                expires_at: Some(invitation.expires_at.to_rfc3339()),
            })
        }
    }
}

fn mail_invitation(state: &AppState, invitation: &Invitation, project: &str, inviter: &str, url: &str) {
    let Some(mail) = state.mail.clone() else {
        tracing::info!(
            invitation = invitation.id,
            "no SMTP configured: the invitation link is shown, not mailed"
        );
        return;
    };
    let lang = Lang::parse(&invitation.lang).unwrap_or_default();
    let role_name = crate::i18n::Tr(lang).get(crate::layout::role_key(&invitation.role));
    let (to, project, inviter, url, id) = (
        invitation.email.clone(),
        project.to_owned(),
        inviter.to_owned(),
        url.to_owned(),
        invitation.id,
    );
    tokio::spawn(async move {
        match mail.invitation(&to, lang, &project, &inviter, role_name, &url).await {
            Ok(()) => tracing::info!(invitation = id, "invitation mailed"),
            Err(e) => tracing::warn!(invitation = id, error = %e, "mailing the invitation failed"),
        }
    });
}

/// `POST /api/v1/projects/{slug}/invitations`: 201 with `added` or `invited` (and the link).
#[utoipa::path(post, path = "/api/v1/projects/{slug}/invitations", params(crate::openapi::Slug), request_body = InvitationBody,
    responses((status = 201, body = InvitationJson), (status = 409, description = "already a member with this role, or already invited", body = crate::openapi::ErrorJson)))]
pub async fn api_invite(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(ctx): Extension<ProjectCtx>,
    ApiJson(body): ApiJson<InvitationBody>,
) -> Result<(StatusCode, Json<InvitationJson>), WebError> {
    let lang = crate::i18n::lang_field(body.lang.as_deref(), &headers)?;
    let json = add_or_invite(&state, &headers, &ctx, &body.email, &body.role, lang).await?;
    Ok((StatusCode::CREATED, Json(json)))
}

/// `POST /api/v1/invitations/{id}/revoke`: the link dies; 404 for an invitation the caller
/// may not see or that is no longer pending.
#[utoipa::path(post, path = "/api/v1/invitations/{id}/revoke", params(("id" = i64, Path, description = "the invitation's id")),
    responses((status = 200, body = InvitationJson), (status = 403, description = "the caller may not manage this project's people", body = crate::openapi::ErrorJson), (status = 404, description = "no such pending invitation the caller may see", body = crate::openapi::ErrorJson)))]
pub async fn api_revoke(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    Path(id): Path<i64>,
) -> Result<Json<InvitationJson>, WebError> {
    let invitation = keel_app::people::revoke(&state.store, user, id).await?;
    Ok(Json(InvitationJson {
        id: invitation.id,
        email: invitation.email,
        role: invitation.role,
        status: "revoked",
        url: None,
        expires_at: None,
    }))
}
