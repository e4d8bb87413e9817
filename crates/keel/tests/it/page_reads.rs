//! The combined reads that keep pages cheap under load (issue 14) return exactly what the
//! separate reads they replace return: the caller (session with the unread count, or token), the project with
//! the caller's roles, the overview's first-day facts and the projects list's rows of all
//! projects at once; and an API token's last use is still recorded.

use crate::helpers::*;
use keel_domain::Email;
use keel_store::Store;

const DEMO_PEOPLE: [&str; 6] = [
    "agency@demo.local",
    "specialist@demo.local",
    "client-a@demo.local",
    "approver-a@demo.local",
    "member-a@demo.local",
    "client-b@demo.local",
];

async fn user(store: &Store, email: &str) -> keel_store::users::User {
    store
        .user_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .expect("a demo user")
}

on_both_backends! {
    async fn combined_reads_equal_the_separate_ones(backend) {
        let Some(app) = TestApp::demo(backend, "page_reads").await else { return };
        let store = &app.store;
        // A project of another organization, whose slug must not resolve for the demo's people.
        let other = store.ensure_org("other-org", "Other agency").await.unwrap();
        store
            .create_project(&keel_store::projects::NewProject {
                org: other.id(),
                slug: keel_domain::Slug::parse("other-org-project").unwrap(),
                name: keel_domain::ProjectName::parse("Other").unwrap(),
                started_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                client: None,
            })
            .await
            .unwrap();
        for email in DEMO_PEOPLE {
            let user = user(store, email).await;

            // The session and the top bar's count.
            let token = store.create_session(user.id()).await.unwrap();
            let alone = store.session_user(&token).await.unwrap().expect("live session");
            let unread = store.unread_count(user.id()).await.unwrap();

            // The project and the caller's roles, for every project of the organization
            // (members and not), and none for a slug that does not exist.
            let all = store.projects_visible_to(user.org(), user.id(), true).await.unwrap();
            assert!(all.len() >= 2);
            for project in &all {
                let (p, mut roles) = store
                    .project_by_slug_with_roles(user.org(), &project.slug, user.id())
                    .await
                    .unwrap()
                    .expect("the project");
                assert_eq!(format!("{p:?}"), format!("{project:?}"));
                let mut expected = store.roles_in(project.id(), user.id()).await.unwrap();
                roles.sort_by_key(|r| r.as_str());
                expected.sort_by_key(|r| r.as_str());
                assert_eq!(roles, expected, "{email} in {}", project.slug);
            }
            assert!(store.project_by_slug_with_roles(user.org(), "no-such-project", user.id()).await.unwrap().is_none());

            // The guard's one statement: the caller (session or API token) with the project
            // of the address' slug and their roles, as the separate reads give them.
            let api = app.token(email).await;
            for slug in all.iter().map(|p| Some(p.slug.as_str())).chain([None, Some("no-such-project"), Some("other-org-project")]) {
                let expected_project = match slug {
                    Some(slug) => store.project_by_slug_with_roles(user.org(), slug, user.id()).await.unwrap(),
                    None => None,
                };
                let by_session = store.session_caller(&token, slug).await.unwrap().expect("live session");
                let by_token = store.token_caller(&api, slug).await.unwrap().expect("live token");
                for (caller, unread) in [(&by_session, Some(unread)), (&by_token, None)] {
                    assert_eq!(format!("{:?}", caller.user), format!("{alone:?}"));
                    assert_eq!(caller.unread, unread);
                    let mut got = caller.project.clone();
                    let mut expected = expected_project.clone();
                    for found in [&mut got, &mut expected].into_iter().flatten() {
                        found.1.sort_by_key(|r| r.as_str());
                    }
                    assert_eq!(format!("{got:?}"), format!("{expected:?}"), "{email} at {slug:?}");
                }
            }
            assert!(store.session_caller("not-a-session", Some("client-a")).await.unwrap().is_none());
            assert!(store.token_caller("not-a-token", Some("client-a")).await.unwrap().is_none());

            // The projects list's rows, as the admin sees them and as the user does.
            for admin in [false, true] {
                let visible = store.projects_visible_to(user.org(), user.id(), admin).await.unwrap();
                let mut rows = store.project_list_rows(user.org(), user.id(), admin).await.unwrap();
                for project in &visible {
                    let got = rows.remove(&project.id).unwrap_or_default();
                    let mut roles = got.roles.clone();
                    let mut expected_roles = store.roles_in(project.id(), user.id()).await.unwrap();
                    roles.sort_by_key(|r| r.as_str());
                    expected_roles.sort_by_key(|r| r.as_str());
                    assert_eq!(roles, expected_roles);
                    let brief = store.brief_versions(project.id()).await.unwrap().into_iter().next();
                    assert_eq!(format!("{:?}", got.latest_brief), format!("{brief:?}"));
                    let schedule = store.meeting_schedule(project.id()).await.unwrap();
                    assert_eq!(format!("{:?}", got.schedule), format!("{schedule:?}"));
                    let meetings = store.meetings(project.id()).await.unwrap();
                    assert_eq!(format!("{:?}", got.meetings), format!("{meetings:?}"));
                    let posts = store.plan_posts_of(project.id()).await.unwrap();
                    assert_eq!(format!("{:?}", got.posts), format!("{posts:?}"));
                    let members = store.members_of(project.id()).await.unwrap();
                    assert_eq!(format!("{:?}", got.members), format!("{members:?}"));
                }
                assert!(rows.is_empty(), "rows of projects {email} does not see: {:?}", rows.keys());
            }
        }

        // The demo holds briefs, meetings and plan posts, so the comparisons above compared
        // something.
        let agency = user(store, "agency@demo.local").await;
        let rows = store.project_list_rows(agency.org(), agency.id(), false).await.unwrap();
        assert!(rows.values().any(|r| r.latest_brief.is_some()));
        assert!(rows.values().any(|r| !r.posts.is_empty()));
        assert!(rows.values().any(|r| !r.members.is_empty()));
    }

    async fn first_steps_facts_equal_the_lists_they_replace(backend) {
        let Some(app) = TestApp::demo(backend, "page_reads_steps").await else { return };
        let store = &app.store;
        let agency = user(store, "agency@demo.local").await;
        for project in store.projects_visible_to(agency.org(), agency.id(), true).await.unwrap() {
            let facts = store.first_steps_facts(project.id()).await.unwrap();
            assert_eq!(facts.brief_saved, !store.brief_versions(project.id()).await.unwrap().is_empty());
            let goals = store.goals_of(project.id()).await.unwrap();
            assert_eq!(
                facts.goal_agreed,
                goals.iter().any(|g| g.agreed_client_at.is_some() && g.agreed_agency_at.is_some())
            );
            assert_eq!(facts.posts_planned as usize, store.plan_posts_of(project.id()).await.unwrap().len());

            // The overview's reads over one connection.
            let at = keel_store::now();
            let reads = store.overview_reads(project.id(), at).await.unwrap();
            assert_eq!(format!("{:?}", reads.members), format!("{:?}", store.members_of(project.id()).await.unwrap()));
            assert_eq!(format!("{:?}", reads.first_steps), format!("{facts:?}"));
            assert_eq!(reads.settings, store.workflow_settings(project.id()).await.unwrap());
            assert_eq!(reads.health, store.workflow_health(project.id(), at).await.unwrap());
            assert_eq!(
                format!("{:?}", reads.action_items),
                format!("{:?}", store.action_items(project.id()).await.unwrap())
            );
        }
    }

    async fn a_token_use_is_recorded(backend) {
        let Some(app) = TestApp::demo(backend, "page_reads_token").await else { return };
        let token = app.token("agency@demo.local").await;
        let agency = user(&app.store, "agency@demo.local").await;
        let before = app.store.tokens_of(agency.id()).await.unwrap();
        assert!(before.iter().all(|t| t.last_used_at.is_none()));
        let response = reqwest::Client::new()
            .get(app.url("/api/v1/projects"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        let after = app.store.tokens_of(agency.id()).await.unwrap();
        assert!(after.iter().any(|t| t.last_used_at.is_some()), "{after:?}");
        // A second use within the minute answers the same, from the same record.
        let again = app.store.token_user(&token).await.unwrap().expect("still live");
        assert_eq!(again.id, agency.id);
    }
}
