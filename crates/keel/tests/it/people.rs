//! People from the web, end to end over HTTP with a real SMTP server on loopback: the agency
//! lead makes a project and invites a client owner, whose e-mailed link sets a password and
//! lands them on that project alone; a password reset link works once; a revoked invitation
//! answers 404; a deactivated person can neither log in nor use their tokens.

use crate::helpers::*;
use crate::notifications_delivery::readable;
use keel_domain::Email;
use keel_notify::email::SmtpSettings;
use keel_testkit::smtp::{Received, start_smtp};
use keel_web::{AppState, WebConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

/// Keel with the demo data, mailing through a loopback SMTP server, at a known public URL.
pub(crate) async fn app_with_mail(backend: Backend, test: &str) -> Option<(TestApp, Arc<Mutex<Vec<Received>>>)> {
    let (port, inbox) = start_smtp();
    let app = TestApp::with_state_at(backend, test, |store, addr| {
        AppState::new(
            store,
            WebConfig {
                public_url: Some(format!("http://{addr}")),
                smtp: Some(SmtpSettings {
                    url: format!("smtp://127.0.0.1:{port}"),
                    from: "Keel <keel@agency.test>".into(),
                }),
                ..Default::default()
            },
        )
    })
    .await?;
    keel::demo::fill(&app.store).await.expect("demo data");
    Some((app, inbox))
}

/// Waits for a mail to `to` whose text holds `path_prefix` followed by a token, and returns
/// that link's path with the token.
pub(crate) async fn link_mailed_to(inbox: &Arc<Mutex<Vec<Received>>>, to: &str, path_prefix: &str) -> (String, String) {
    for _ in 0..100 {
        let found = inbox.lock().unwrap().iter().rev().find_map(|m| {
            if !m.rcpt_to.iter().any(|r| r.contains(to)) {
                return None;
            }
            let text = readable(&String::from_utf8_lossy(&m.data));
            let at = text.find(path_prefix)?;
            let token: String = text[at + path_prefix.len()..]
                .chars()
                .take_while(|c| c.is_ascii_hexdigit())
                .collect();
            (token.len() == 64).then(|| (format!("{path_prefix}{token}"), text))
        });
        if let Some(found) = found {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no mail to {to} with a {path_prefix} link arrived");
}

async fn api(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

pub(crate) async fn post_form(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    csrf_page: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = csrf_of(csrf_page);
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("_csrf", &csrf));
    client.post(app.url(path)).form(&form).send().await.unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

on_both_backends! {
    async fn the_agency_lead_invites_a_client_owner_who_joins_resets_a_password_and_is_deactivated(backend) {
        let Some((app, inbox)) = app_with_mail(backend, "people_end_to_end").await else { return };

        // The agency lead makes a project from the projects page.
        let lead = TestApp::browser();
        assert_eq!(app.login(&lead, "agency@demo.local", DEMO_PASSWORD).await.status(), StatusCode::SEE_OTHER);
        let (status, projects) = page(&lead, &app, "/projects").await;
        assert_eq!(status, StatusCode::OK);
        assert!(projects.contains("data-test=\"new-project\""), "admins see the form");
        let made = post_form(&lead, &app, "/projects", &projects, &[
            ("name", "New Client"), ("slug", "new-client"), ("client", "New Client LLC"), ("started_on", "2026-11-01"),
        ]).await;
        assert_eq!(made.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&made), "/projects/new-client/members");

        // …and invites the client owner from the team page, in Russian.
        let (_, team) = page(&lead, &app, "/projects/new-client/members").await;
        let invited = post_form(&lead, &app, "/projects/new-client/members", &team, &[
            ("email", "New.Client@example.test"), ("role", "client_owner"), ("speciality", ""),
        ]).await;
        assert_eq!(invited.status(), StatusCode::OK);
        let team = invited.text().await.unwrap();
        assert!(team.contains("data-test=\"invitation-link\""), "the link is shown once");
        assert!(team.contains("new.client@example.test"), "listed as invited");

        // The invitation arrives by mail; its link sets name and password and lands on the project.
        let (link, mail) = link_mailed_to(&inbox, "new.client@example.test", "/invitations/").await;
        assert!(mail.contains("New Client"), "names the project: {mail}");
        let owner = TestApp::browser();
        let (status, form) = page(&owner, &app, &link).await;
        assert_eq!(status, StatusCode::OK);
        let weak = post_form(&owner, &app, &link, &form, &[("name", "Nina Client"), ("password", "password123")]).await;
        assert_eq!(weak.status(), StatusCode::BAD_REQUEST, "a common password is refused in words");
        assert!(weak.text().await.unwrap().contains("common"));
        let joined = post_form(&owner, &app, &link, &form, &[("name", "Nina Client"), ("password", "correct horse battery")]).await;
        assert_eq!(joined.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&joined), "/projects/new-client");
        let (status, home) = page(&owner, &app, "/projects").await;
        assert_eq!(status, StatusCode::OK);
        assert!(home.contains("data-test=\"project-new-client\""));
        assert!(!home.contains("project-client-a") && !home.contains("project-client-b"), "sees only their project");
        assert_eq!(page(&owner, &app, "/projects/client-a").await.0, StatusCode::NOT_FOUND);
        assert_eq!(page(&owner, &app, &link).await.0, StatusCode::NOT_FOUND, "the link worked once");
        let (_, members) = page(&lead, &app, "/projects/new-client/members").await;
        assert!(members.contains("Nina Client"), "now a member, no longer invited");
        assert!(!members.contains("data-test=\"invitations\""));

        // A reset link arrives for a known address and works once; an unknown one gets the same page.
        let anonymous = TestApp::browser();
        let (_, forgot) = page(&anonymous, &app, "/password/forgot").await;
        let unknown = post_form(&anonymous, &app, "/password/forgot", &forgot, &[("email", "nobody@example.test")]).await;
        let unknown = unknown.text().await.unwrap();
        let known = post_form(&anonymous, &app, "/password/forgot", &forgot, &[("email", "new.client@example.test")]).await;
        assert_eq!(known.status(), StatusCode::OK);
        assert_eq!(known.text().await.unwrap(), unknown, "the same answer for unknown addresses");
        let (reset_link, _) = link_mailed_to(&inbox, "new.client@example.test", "/password/reset/").await;
        let (status, reset_form) = page(&anonymous, &app, &reset_link).await;
        assert_eq!(status, StatusCode::OK);
        let reset = post_form(&anonymous, &app, &reset_link, &reset_form, &[("password", "a brand new secret")]).await;
        assert_eq!(reset.status(), StatusCode::SEE_OTHER);
        assert_eq!(page(&anonymous, &app, &reset_link).await.0, StatusCode::NOT_FOUND, "a used reset link is gone");
        let again = post_form(&anonymous, &app, &reset_link, &reset_form, &[("password", "another new secret")]).await;
        assert_eq!(again.status(), StatusCode::NOT_FOUND);
        assert_eq!(page(&owner, &app, "/projects").await.0, StatusCode::SEE_OTHER, "every session ended after the reset");
        let relogged = TestApp::browser();
        assert_eq!(app.login(&relogged, "new.client@example.test", "correct horse battery").await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(app.login(&relogged, "new.client@example.test", "a brand new secret").await.status(), StatusCode::SEE_OTHER);

        // Deactivated: sessions end, tokens answer 401, login fails.
        let token = app.token("new.client@example.test").await;
        let projects = reqwest::Client::new().get(app.url("/api/v1/projects")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(projects.json::<Value>().await.unwrap().as_array().unwrap().len(), 1, "only their project");
        let user = app.store.user_by_email(&Email::parse("new.client@example.test").unwrap()).await.unwrap().unwrap();
        let admin = app.token("agency@demo.local").await;
        let (status, _) = api(&app, &admin, &format!("/api/v1/users/{}/deactivate", user.id), json!({})).await;
        assert_eq!(status, StatusCode::OK);
        let refused = reqwest::Client::new().get(app.url("/api/v1/projects")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(page(&relogged, &app, "/projects").await.0, StatusCode::SEE_OTHER);
        let fresh = TestApp::browser();
        assert_eq!(app.login(&fresh, "new.client@example.test", "a brand new secret").await.status(), StatusCode::UNAUTHORIZED);
        let project = app.store.project_by_slug(user.org(), "new-client").await.unwrap().unwrap();
        let trail = app.store.audit_of_project(project.id(), 100).await.unwrap();
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        for action in ["created", "invited", "accepted", "deactivated"] {
            assert!(actions.contains(&action), "{action} on the audit trail: {actions:?}");
        }
        // …and on the audit page, in the reader's language, under "people".
        let audit = lead
            .get(app.url("/projects/new-client/audit?kind=people"))
            .header("accept-language", "ru")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(audit.contains("пригласил(а)") && audit.contains("принял(а) приглашение") && audit.contains("отключил(а)"), "{audit}");
    }

    async fn the_api_invites_adds_revokes_and_reveals_nothing_about_other_organizations(backend) {
        let Some((app, inbox)) = app_with_mail(backend, "people_api").await else { return };
        let lead = app.token("agency@demo.local").await;
        let (status, project) = api(&app, &lead, "/api/v1/projects", json!({
            "slug": "api-client", "name": "API Client", "client": "API Client Ltd", "started_on": "2026-12-01"
        })).await;
        assert_eq!(status, StatusCode::CREATED, "{project}");
        assert_eq!(project["client"], "API Client Ltd");
        let (status, _) = api(&app, &lead, "/api/v1/projects", json!({"slug": "api-client", "name": "Again"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "a taken slug");
        let specialist = app.token("specialist@demo.local").await;
        let (status, _) = api(&app, &specialist, "/api/v1/projects", json!({"slug": "mine", "name": "Mine"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // An agency lead who is not an admin may start a project too, and leads it.
        keel::commands::create_user(&app.store, "lead2@test.local", DEMO_PASSWORD, None, false).await.unwrap();
        keel::commands::add_member(&app.store, "client-b", "lead2@test.local", "agency_lead", None).await.unwrap();
        let lead2 = app.token("lead2@test.local").await;
        let (status, own) = api(&app, &lead2, "/api/v1/projects", json!({"slug": "lead2-project", "name": "Lead Two"})).await;
        assert_eq!(status, StatusCode::CREATED, "{own}");
        let listed: Value = reqwest::Client::new().get(app.url("/api/v1/projects")).bearer_auth(&lead2).send().await.unwrap().json().await.unwrap();
        let mine = listed.as_array().unwrap().iter().find(|p| p["slug"] == "lead2-project").expect("sees what they made");
        assert_eq!(mine["roles"], json!(["agency_lead"]));

        // A user of the organization is added at once.
        let (status, added) = api(&app, &lead, "/api/v1/projects/api-client/invitations", json!({
            "email": "specialist@demo.local", "role": "specialist"
        })).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(added["status"], "added");
        assert!(added.get("url").is_none());

        // A stranger is invited, with the link in the answer; a second invitation replaces it.
        let invite = json!({"email": "stranger@example.test", "role": "client_member"});
        let (_, first) = api(&app, &lead, "/api/v1/projects/api-client/invitations", invite.clone()).await;
        assert_eq!(first["status"], "invited");
        let (_, second) = api(&app, &lead, "/api/v1/projects/api-client/invitations", invite.clone()).await;
        let first_path = first["url"].as_str().unwrap().split_once("/invitations/").map(|(_, t)| format!("/invitations/{t}")).unwrap();
        let second_path = second["url"].as_str().unwrap().split_once("/invitations/").map(|(_, t)| format!("/invitations/{t}")).unwrap();
        let browser = TestApp::browser();
        assert_eq!(page(&browser, &app, &first_path).await.0, StatusCode::NOT_FOUND, "replaced by the newer one");
        assert_eq!(page(&browser, &app, &second_path).await.0, StatusCode::OK);

        // Revoked: the link answers 404, and so does revoking again.
        let id = second["id"].as_i64().unwrap();
        let (status, _) = api(&app, &specialist, &format!("/api/v1/invitations/{id}/revoke"), json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the specialist (on the project) may not manage its people");
        let (status, _) = api(&app, &lead, &format!("/api/v1/invitations/{id}/revoke"), json!({})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page(&browser, &app, &second_path).await.0, StatusCode::NOT_FOUND);
        let (status, _) = api(&app, &lead, &format!("/api/v1/invitations/{id}/revoke"), json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // A user of another organization: the same answer as a stranger, no mail, and the link
        // cannot attach them.
        let rival = app.store.ensure_org("rival", "Rival Agency").await.unwrap();
        app.store
            .create_user(rival.id(), &Email::parse("theirs@rival.test").unwrap(), "Theirs", &keel_store::credentials::hash_password("rival-password").unwrap(), false)
            .await
            .unwrap();
        let (status, theirs) = api(&app, &lead, "/api/v1/projects/api-client/invitations", json!({
            "email": "theirs@rival.test", "role": "viewer"
        })).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(theirs["status"], "invited");
        let path = theirs["url"].as_str().unwrap().split_once("/invitations/").map(|(_, t)| format!("/invitations/{t}")).unwrap();
        let (_, form) = page(&browser, &app, &path).await;
        let taken = post_form(&browser, &app, &path, &form, &[("name", "Intruder"), ("password", "correct horse battery")]).await;
        assert_eq!(taken.status(), StatusCode::NOT_FOUND);
        let rival_user = app.store.user_by_email(&Email::parse("theirs@rival.test").unwrap()).await.unwrap().unwrap();
        assert_eq!(rival_user.org_id, rival.id, "still theirs");
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(
            !inbox.lock().unwrap().iter().any(|m| m.rcpt_to.iter().any(|r| r.contains("rival.test"))),
            "nothing mailed to another organization's user"
        );
    }
}

on_both_backends! {
    async fn a_person_changes_their_password_makes_tokens_and_the_admin_sees_the_organization(backend) {
        let Some((app, inbox)) = app_with_mail(backend, "people_settings").await else { return };
        let here = TestApp::browser();
        let elsewhere = TestApp::browser();
        app.login(&here, "member-a@demo.local", DEMO_PASSWORD).await;
        app.login(&elsewhere, "member-a@demo.local", DEMO_PASSWORD).await;

        // Changing needs the current password and a good new one, said in the page's language.
        let (_, form) = page(&here, &app, "/settings/password").await;
        let wrong = post_form(&here, &app, "/settings/password", &form, &[("current_password", "not it"), ("new_password", "a long new phrase")]).await;
        assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
        let ru = here
            .post(app.url("/settings/password"))
            .header("accept-language", "ru")
            .form(&[("current_password", DEMO_PASSWORD), ("new_password", "short"), ("_csrf", &csrf_of(&form))])
            .send()
            .await
            .unwrap();
        assert_eq!(ru.status(), StatusCode::BAD_REQUEST);
        assert!(ru.text().await.unwrap().contains("слишком короткий"), "the reason in Russian");
        let changed = post_form(&here, &app, "/settings/password", &form, &[("current_password", DEMO_PASSWORD), ("new_password", "a long new phrase")]).await;
        assert_eq!(changed.status(), StatusCode::OK);
        assert!(changed.text().await.unwrap().contains("data-test=\"password-changed\""));
        assert_eq!(page(&here, &app, "/projects").await.0, StatusCode::OK, "this session stays");
        assert_eq!(page(&elsewhere, &app, "/projects").await.0, StatusCode::SEE_OTHER, "other sessions end");
        for _ in 0..50 {
            if inbox.lock().unwrap().iter().any(|m| m.rcpt_to.iter().any(|r| r.contains("member-a@demo.local"))) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(
            inbox.lock().unwrap().iter().any(|m| m.rcpt_to.iter().any(|r| r.contains("member-a@demo.local"))),
            "the owner is told by e-mail"
        );

        // A personal token: shown once, works, revoked answers 401.
        let (_, tokens) = page(&here, &app, "/settings/tokens").await;
        let made = post_form(&here, &app, "/settings/tokens", &tokens, &[("name", "laptop")]).await;
        let made = made.text().await.unwrap();
        let at = made.find("data-test=\"new-token\">").expect("the secret is shown") + "data-test=\"new-token\">".len();
        let secret = made[at..].split('<').next().unwrap().to_owned();
        let api = |secret: String| {
            let url = app.url("/api/v1/projects");
            async move { reqwest::Client::new().get(url).bearer_auth(secret).send().await.unwrap().status() }
        };
        assert_eq!(api(secret.clone()).await, StatusCode::OK);
        let info = app
            .store
            .tokens_of(app.store.user_by_email(&Email::parse("member-a@demo.local").unwrap()).await.unwrap().unwrap().id())
            .await
            .unwrap();
        let id = info.iter().find(|t| t.name == "laptop").unwrap().id.to_string();
        let (_, tokens) = page(&here, &app, "/settings/tokens").await;
        assert!(!tokens.contains(&secret), "never shown again");
        let revoked = post_form(&here, &app, "/settings/tokens/revoke", &tokens, &[("token_id", &id)]).await;
        assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
        assert_eq!(api(secret).await, StatusCode::UNAUTHORIZED);

        // The organization page: admins only, people with their projects and last login.
        assert_eq!(page(&here, &app, "/settings/organization").await.0, StatusCode::FORBIDDEN);
        let admin = TestApp::browser();
        app.login(&admin, "agency@demo.local", DEMO_PASSWORD).await;
        let (status, org) = page(&admin, &app, "/settings/organization").await;
        assert_eq!(status, StatusCode::OK);
        assert!(org.contains("Demo Agency") && org.contains("member-a@demo.local") && org.contains("Client A"), "{org}");
        let renamed = post_form(&admin, &app, "/settings/organization/name", &org, &[("name", "Demo Agency & Co")]).await;
        assert_eq!(renamed.status(), StatusCode::SEE_OTHER);
        let admin_user = app.store.user_by_email(&Email::parse("agency@demo.local").unwrap()).await.unwrap().unwrap();
        assert_eq!(app.store.org_by_id(admin_user.org()).await.unwrap().name, "Demo Agency & Co");
    }
}

on_both_backends! {
    async fn sign_up_makes_an_organization_whose_first_user_is_its_admin_only_when_allowed(backend) {
        let Some(closed) = TestApp::demo(backend, "signup_off").await else { return };
        assert_eq!(page(&TestApp::browser(), &closed, "/signup").await.0, StatusCode::NOT_FOUND, "off by default");
        drop(closed);

        let Some(app) = TestApp::with_state(backend, "signup_on", |store| {
            AppState::new(store, WebConfig { allow_signup: true, ..Default::default() })
        })
        .await else { return };
        keel::demo::fill(&app.store).await.unwrap();
        let founder = TestApp::browser();
        let (status, form) = page(&founder, &app, "/signup").await;
        assert_eq!(status, StatusCode::OK);
        let taken = post_form(&founder, &app, "/signup", &form, &[
            ("organization", "Rival Agency"), ("name", "Rita"), ("email", "agency@demo.local"), ("password", "correct horse battery"),
        ]).await;
        assert_eq!(taken.status(), StatusCode::BAD_REQUEST, "an address in use cannot sign up again");
        let made = post_form(&founder, &app, "/signup", &form, &[
            ("organization", "Rival Agency"), ("name", "Rita"), ("email", "rita@rival.test"), ("password", "correct horse battery"),
        ]).await;
        assert_eq!(made.status(), StatusCode::SEE_OTHER);
        let rita = app.store.user_by_email(&Email::parse("rita@rival.test").unwrap()).await.unwrap().unwrap();
        let demo = app.store.user_by_email(&Email::parse("agency@demo.local").unwrap()).await.unwrap().unwrap();
        assert!(rita.is_org_admin, "the first user is the admin");
        assert_ne!(rita.org_id, demo.org_id, "a new organization");
        let (_, projects) = page(&founder, &app, "/projects").await;
        assert!(!projects.contains("project-client-a"), "nothing of another organization");
        assert_eq!(page(&founder, &app, "/projects/client-a").await.0, StatusCode::NOT_FOUND);
    }
}
