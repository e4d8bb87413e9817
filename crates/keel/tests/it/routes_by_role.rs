//! Every route of the route table, called as every role: the guard's answer must match the
//! permission table of the domain crate. Driven by `route_specs()`, so a new route is covered
//! without anyone remembering to add it here.

use crate::helpers::*;
use keel_domain::{Access, Decision, Role, RoleSet, decide};
use keel_web::Guard;
use keel_web::routes::{RouteSpec, route_specs};
use reqwest::{Method, StatusCode};

/// Who calls: a label, an e-mail (None = anonymous), the roles in client-a, org admin.
struct Caller {
    email: Option<&'static str>,
    roles: RoleSet,
    org_admin: bool,
}

async fn callers(app: &TestApp) -> Vec<Caller> {
    // Roles the demo lacks, and people with no role at all.
    let extra = [
        ("viewer@test.local", false),
        ("outsider@test.local", false),
        ("admin2@test.local", true),
    ];
    for (email, admin) in extra {
        keel::commands::create_user(&app.store, email, DEMO_PASSWORD, None, admin)
            .await
            .unwrap();
    }
    keel::commands::add_member(&app.store, "client-a", "viewer@test.local", "viewer", None)
        .await
        .unwrap();
    let one = RoleSet::of;
    vec![
        Caller {
            email: None,
            roles: RoleSet::EMPTY,
            org_admin: false,
        },
        Caller {
            email: Some("client-a@demo.local"),
            roles: one(Role::ClientOwner),
            org_admin: false,
        },
        Caller {
            email: Some("approver-a@demo.local"),
            roles: one(Role::ClientApprover),
            org_admin: false,
        },
        Caller {
            email: Some("member-a@demo.local"),
            roles: one(Role::ClientMember),
            org_admin: false,
        },
        Caller {
            email: Some("agency@demo.local"),
            roles: one(Role::AgencyLead),
            org_admin: true,
        },
        Caller {
            email: Some("specialist@demo.local"),
            roles: one(Role::Specialist),
            org_admin: false,
        },
        Caller {
            email: Some("viewer@test.local"),
            roles: one(Role::Viewer),
            org_admin: false,
        },
        Caller {
            email: Some("client-b@demo.local"),
            roles: RoleSet::EMPTY,
            org_admin: false,
        },
        Caller {
            email: Some("outsider@test.local"),
            roles: RoleSet::EMPTY,
            org_admin: false,
        },
        Caller {
            email: Some("admin2@test.local"),
            roles: RoleSet::EMPTY,
            org_admin: true,
        },
    ]
}

/// Real ids of client-a's content plan for the path parameters of the plan's routes:
/// its first demo post (in review, by the specialist, with an image and a comment).
struct PlanIds {
    post: i64,
    image: i64,
    comment: i64,
}

async fn plan_ids(app: &TestApp) -> PlanIds {
    let org = app
        .store
        .ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency")
        .await
        .unwrap();
    let project = app
        .store
        .project_by_slug(org.id(), "client-a")
        .await
        .unwrap()
        .expect("client-a");
    let post = app
        .store
        .plan_posts_of(project.id())
        .await
        .unwrap()
        .into_iter()
        .min_by_key(|p| p.id)
        .expect("a demo post");
    let image = app.store.plan_images(post.id).await.unwrap()[0].id;
    let comment = app.store.plan_comments(post.id).await.unwrap()[0].id.0;
    PlanIds {
        post: post.id.0,
        image,
        comment,
    }
}

fn concrete_path(spec: &RouteSpec, ids: &PlanIds) -> String {
    spec.path
        .replace("{slug}", "client-a")
        .replace("{code}", "ru")
        .replace("{format}", "posts")
        .replace("{file}", "icon.svg")
        .replace("{id}", &ids.post.to_string())
        .replace("{image}", &ids.image.to_string())
        .replace("{comment}", &ids.comment.to_string())
        .replace("{feed}", "keelcal_unknown.ics")
        .replace("{token}", "unknown-token")
        // Goals, brief and meetings: the demo makes client-a's first, so they hold id 1.
        .replace("{goal_id}", "1")
        .replace("{version}", "1")
        .replace("{meeting_id}", "1")
        .replace("{item_id}", "1")
        // Publications: the demo post has none, so resolving one is refused as "not now" (409).
        .replace("{platform}", "vk")
}

/// Revoking an invitation is decided on the invitation's project: as managing client-a's people.
const REVOKE_INVITATION: &str = "/api/v1/invitations/{id}/revoke";

/// Revoking a report share link is decided on the link's project: as managing client-a's reports.
const REVOKE_REPORT_LINK: &str = "/api/v1/report-links/{id}/revoke";

/// Syncing a connection is decided on the connection's project: as managing client-a's
/// connections.
const SYNC_CONNECTION: &str = "/api/v1/connections/{id}/sync";

/// The guard a route's answer is checked against.
fn effective_guard(spec: &RouteSpec) -> Guard {
    if spec.path == SYNC_CONNECTION {
        Guard::Project(keel_domain::Action::ManageConnections)
    } else if spec.path == REVOKE_INVITATION {
        Guard::Project(keel_domain::Action::ManageMembers)
    } else if spec.path == REVOKE_REPORT_LINK {
        Guard::Project(keel_domain::Action::ManageReports)
    } else {
        spec.guard
    }
}

/// A connection of client-a, stored directly (no platform to check it with): removing and
/// reconnecting act on it.
async fn fresh_connection(app: &TestApp) -> i64 {
    let org = app
        .store
        .ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency")
        .await
        .unwrap();
    let project = app.store.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
    let lead = app
        .store
        .user_by_email(&keel_domain::Email::parse("agency@demo.local").unwrap())
        .await
        .unwrap()
        .unwrap();
    let secret = keel_store::sealing::Secret(r#"{"access_token":"vk1.a.routes-by-role-token"}"#.into());
    let connection = app
        .store
        .save_connection(
            &keel_store::sealing::SecretKey::generate(),
            &keel_store::connections::NewConnection {
                org: org.id(),
                project: project.id(),
                platform: keel_domain::connection::ConnectionPlatform::Vk,
                account: "218000001",
                account_name: "Coffee House",
                secret: &secret,
                hint_of: "vk1.a.routes-by-role-token",
                actor: lead.id(),
            },
        )
        .await
        .unwrap();
    connection.id
}

/// Routes that use up what they act on get a fresh one per call: an invitation of client-a
/// to revoke, a person to deactivate, a connection to remove.
async fn fresh_target(app: &TestApp, spec: &RouteSpec) -> String {
    if spec.path.contains("{connection}") {
        return spec
            .path
            .replace("{slug}", "client-a")
            .replace("{connection}", &fresh_connection(app).await.to_string());
    }
    if spec.path == SYNC_CONNECTION {
        return spec.path.replace("{id}", &fresh_connection(app).await.to_string());
    }
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let org = app
        .store
        .ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency")
        .await
        .unwrap();
    if spec.path == REVOKE_INVITATION {
        let project = app.store.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
        let lead = app
            .store
            .user_by_email(&keel_domain::Email::parse("agency@demo.local").unwrap())
            .await
            .unwrap()
            .unwrap();
        let email = keel_domain::Email::parse(&format!("invitee{n}@test.local")).unwrap();
        let new = keel_store::invitations::NewInvitation {
            org: org.id(),
            project: project.id(),
            email: &email,
            role: Role::Viewer,
            lang: "en",
            invited_by: lead.id(),
        };
        let (invitation, _) = app.store.create_invitation(&new).await.unwrap().unwrap();
        spec.path.replace("{id}", &invitation.id.to_string())
    } else if spec.path == REVOKE_REPORT_LINK {
        let project = app.store.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
        let lead = app
            .store
            .user_by_email(&keel_domain::Email::parse("agency@demo.local").unwrap())
            .await
            .unwrap()
            .unwrap();
        let (link, _) = app
            .store
            .create_report_link(org.id(), project.id(), None, None, "en", lead.id(), 30)
            .await
            .unwrap();
        spec.path.replace("{id}", &link.id.to_string())
    } else {
        let email = format!("person{n}@test.local");
        keel::commands::create_user(&app.store, &email, DEMO_PASSWORD, None, false)
            .await
            .unwrap();
        let user = app
            .store
            .user_by_email(&keel_domain::Email::parse(&email).unwrap())
            .await
            .unwrap()
            .unwrap();
        spec.path.replace("{user_id}", &user.id.to_string())
    }
}

async fn call(app: &TestApp, spec: &RouteSpec, caller: &Caller, ids: &PlanIds) -> StatusCode {
    let client = TestApp::browser();
    let method = Method::from_bytes(spec.method.as_str().as_bytes()).unwrap();
    let path = if spec.path == REVOKE_INVITATION
        || spec.path == REVOKE_REPORT_LINK
        || spec.path == SYNC_CONNECTION
        || spec.path.contains("{user_id}")
        || spec.path.contains("{connection}")
    {
        fresh_target(app, spec).await
    } else {
        concrete_path(spec, ids)
    };
    let mut request = client.request(method, app.url(&path));
    let csrf = "0".repeat(64);
    if let Some(email) = caller.email {
        if spec.is_api() {
            request = request.bearer_auth(app.token(email).await);
        } else {
            let session = app.session(email).await;
            request = request.header("cookie", format!("keel_session={session}; keel_csrf={csrf}"));
        }
    }
    if spec.method.as_str() == "POST" {
        request = if spec.is_api() {
            request.json(&serde_json::json!({}))
        } else {
            request.form(&[("_csrf", csrf.as_str())])
        };
    }
    request.send().await.unwrap().status()
}

on_both_backends! {
    async fn every_route_answers_every_role_as_the_permission_table_says(backend) {
        let Some(app) = TestApp::demo(backend, "routes_by_role").await else { return };
        let callers = callers(&app).await;
        let ids = plan_ids(&app).await;
        let specs = route_specs();
        assert!(specs.len() >= 15, "the route table looks truncated");
        let mut checked = 0;
        for spec in &specs {
            for caller in &callers {
                let status = call(&app, spec, caller, &ids).await;
                let who = caller.email.unwrap_or("anonymous");
                let context = format!("{} {} as {who}: got {status}", spec.method, spec.path);
                assert!(!status.is_server_error(), "{context}");
                let anonymous_answer = if spec.is_api() { StatusCode::UNAUTHORIZED } else { StatusCode::SEE_OTHER };
                match effective_guard(spec) {
                    Guard::OrgAdmin if caller.email.is_none() => assert_eq!(status, anonymous_answer, "{context}"),
                    Guard::OrgAdmin if caller.org_admin => assert!(![401, 403, 404].contains(&status.as_u16()), "{context}"),
                    Guard::OrgAdmin => assert_eq!(status, StatusCode::FORBIDDEN, "{context}"),
                    Guard::ProjectCreator if caller.email.is_none() => assert_eq!(status, anonymous_answer, "{context}"),
                    Guard::ProjectCreator => {
                        let may = keel_domain::may_create_projects(caller.org_admin, caller.roles.contains(Role::AgencyLead));
                        if may {
                            assert!(![401, 403, 404].contains(&status.as_u16()), "{context}");
                        } else {
                            assert_eq!(status, StatusCode::FORBIDDEN, "{context}");
                        }
                    }
                    Guard::Public => assert!(status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN, "{context}"),
                    Guard::SignedIn if caller.email.is_none() => assert_eq!(status, anonymous_answer, "{context}"),
                    Guard::SignedIn => assert!(![401, 403, 404].contains(&status.as_u16()), "{context}"),
                    Guard::Project(_) | Guard::Post(_) if caller.email.is_none() => assert_eq!(status, anonymous_answer, "{context}"),
                    Guard::Project(action) | Guard::Post(action) => {
                        let expected = decide(Access { roles: caller.roles, org_admin: caller.org_admin }, action);
                        match expected {
                            Decision::Invisible => assert_eq!(status, StatusCode::NOT_FOUND, "{context}"),
                            Decision::Forbidden => assert_eq!(status, StatusCode::FORBIDDEN, "{context}"),
                            Decision::Allow => assert!(![401, 403, 404].contains(&status.as_u16()), "{context}"),
                        }
                    }
                }
                checked += 1;
            }
        }
        assert_eq!(checked, specs.len() * callers.len());
    }
}
