//! Review links end to end over HTTP, with the e-mail through a loopback SMTP server: the
//! client owner adds a guest approver (no password), the guest opens the mailed link without
//! an account, requests changes on one post and approves another; both land on the audit
//! trail as the guest's, via the link. A revoked or expired link answers 404 and changes
//! nothing; nothing else of the project is reachable from it.

use crate::helpers::*;
use crate::people::{app_with_mail, link_mailed_to, page as people_page, post_form};
use keel_domain::Email;
use reqwest::StatusCode;

on_both_backends! {
    async fn a_guest_approver_decides_through_the_mailed_link_and_nothing_else(backend) {
        let Some((app, inbox)) = app_with_mail(backend, "review_links").await else { return };
        let owner = TestApp::browser();
        app.login(&owner, "client-a@demo.local", DEMO_PASSWORD).await;
        let members = owner.get(app.url("/projects/client-a/members")).send().await.unwrap().text().await.unwrap();
        assert!(members.contains("data-test=\"add-guest\""), "the owner may add a guest approver");
        let csrf = csrf_of(&members);
        let made = owner
            .post(app.url("/projects/client-a/guests"))
            .form(&[("_csrf", csrf.as_str()), ("name", "Gleb Guest"), ("email", "gleb@client-a.test"), ("days", "7")])
            .send()
            .await
            .unwrap();
        assert_eq!(made.status(), StatusCode::OK);
        let shown = made.text().await.unwrap();
        assert!(shown.contains("data-test=\"review-link\""), "the link is shown once");
        let (path, mail) = link_mailed_to(&inbox, "gleb@client-a.test", "/review/").await;
        assert!(mail.contains("Review the posts"), "{mail}");
        assert!(shown.contains(&path), "the page shows the same link");
        let token = path.trim_start_matches("/review/").to_owned();

        // The guest: no account, no login.
        let guest = TestApp::browser();
        let page = guest.get(app.url(&path)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(page.headers()["x-robots-tag"], "noindex, nofollow");
        let html = page.text().await.unwrap();
        assert!(html.contains("data-test=\"review-approver\">Gleb Guest<"));
        let org = app.store.default_org().await.unwrap();
        let project = app.store.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
        let waiting: Vec<_> = app.store.plan_posts_of(project.id()).await.unwrap().into_iter()
            .filter(|p| p.state().as_str() == "in_review").collect();
        assert!(waiting.len() >= 2, "the demo has posts in review: {}", waiting.len());
        assert_eq!(html.matches("data-test=\"review-post\"").count(), waiting.len());
        let csrf = csrf_of(&html);
        let (first, second) = (waiting[0].id.0, waiting[1].id.0);
        let changes = guest
            .post(app.url(&format!("{path}/posts/{first}")))
            .form(&[("_csrf", csrf.as_str()), ("decision", "request_changes"), ("comment", "Shorter, please")])
            .send().await.unwrap();
        assert_eq!(changes.status(), StatusCode::SEE_OTHER);
        let approve = guest
            .post(app.url(&format!("{path}/posts/{second}")))
            .form(&[("_csrf", csrf.as_str()), ("decision", "approve")])
            .send().await.unwrap();
        assert_eq!(approve.status(), StatusCode::SEE_OTHER);
        let after = guest.get(app.url(&format!("{path}/done/approved"))).send().await.unwrap().text().await.unwrap();
        assert!(after.contains("data-test=\"review-done\""));
        let gleb = app.store.user_by_email(&Email::parse("gleb@client-a.test").unwrap()).await.unwrap().unwrap();
        let first_post = app.store.plan_post_any(keel_domain::PostId(first)).await.unwrap().unwrap();
        let second_post = app.store.plan_post_any(keel_domain::PostId(second)).await.unwrap().unwrap();
        assert_eq!(first_post.state().as_str(), "changes_requested");
        assert_eq!(second_post.state().as_str(), "approved");
        // On the audit trail: the guest's decisions, marked as made through the link.
        let trail = app.store.audit_of_project(project.id(), 1000).await.unwrap();
        for (post, action) in [(first, "changes_requested"), (second, "approved")] {
            let e = trail.iter().find(|e| e.subject_kind == "post" && e.subject_id == post && e.action == action)
                .unwrap_or_else(|| panic!("{action} on {post} audited"));
            assert_eq!(e.actor_id, Some(gleb.id), "the guest's own decision");
            assert_eq!(e.detail_json()["via"], "review_link");
        }
        let audit = owner.get(app.url("/projects/client-a/audit")).send().await.unwrap().text().await.unwrap();
        assert!(audit.contains("via review link") && audit.contains("Gleb Guest"));

        // Nothing else of the project: the link is no session; the guest cannot log in.
        let overview = guest.get(app.url("/projects/client-a")).send().await.unwrap();
        assert_eq!(overview.status(), StatusCode::SEE_OTHER);
        let other_image = guest.get(app.url(&format!("{path}/images/999999"))).send().await.unwrap();
        assert_eq!(other_image.status(), StatusCode::NOT_FOUND);
        let login = app.login(&TestApp::browser(), "gleb@client-a.test", "").await;
        assert_ne!(login.status(), StatusCode::SEE_OTHER, "no password, no login");

        // Revoked: 404, and a decision through it changes nothing.
        let link = app.store.review_links_of(project.id()).await.unwrap().into_iter().next().unwrap();
        let members = owner.get(app.url("/projects/client-a/members")).send().await.unwrap().text().await.unwrap();
        let csrf_owner = csrf_of(&members);
        let revoked = owner.post(app.url(&format!("/projects/client-a/review-links/{}/revoke", link.id)))
            .form(&[("_csrf", csrf_owner.as_str())]).send().await.unwrap();
        assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
        assert_eq!(guest.get(app.url(&path)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
        let third = waiting.get(2).map(|p| p.id.0).unwrap_or(first);
        let before = app.store.plan_post_any(keel_domain::PostId(third)).await.unwrap().unwrap().state();
        let late = guest.post(app.url(&format!("{path}/posts/{third}")))
            .form(&[("_csrf", csrf.as_str()), ("decision", "approve")]).send().await.unwrap();
        assert_eq!(late.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.store.plan_post_any(keel_domain::PostId(third)).await.unwrap().unwrap().state(), before);
        assert!(!token.is_empty());

        // Expired: 404 as well.
        let (_, expired) = app.store.create_review_link(org.id(), project.id(), gleb.id(), gleb.id(), 0).await.unwrap();
        assert_eq!(guest.get(app.url(&format!("/review/{expired}"))).send().await.unwrap().status(), StatusCode::NOT_FOUND);
        // An unknown token too, and the token is stored only as its hash.
        assert_eq!(guest.get(app.url("/review/0123")).send().await.unwrap().status(), StatusCode::NOT_FOUND);

        // Later the guest wants an account: "forgot password" with the same address sets one,
        // and their decisions stay theirs.
        let anonymous = TestApp::browser();
        let (_, forgot) = people_page(&anonymous, &app, "/password/forgot").await;
        post_form(&anonymous, &app, "/password/forgot", &forgot, &[("email", "gleb@client-a.test")]).await;
        let (reset_link, _) = link_mailed_to(&inbox, "gleb@client-a.test", "/password/reset/").await;
        let (_, reset_form) = people_page(&anonymous, &app, &reset_link).await;
        let reset = post_form(&anonymous, &app, &reset_link, &reset_form, &[("password", "gleb's own new secret")]).await;
        assert_eq!(reset.status(), StatusCode::SEE_OTHER);
        let signed_in = TestApp::browser();
        assert_eq!(app.login(&signed_in, "gleb@client-a.test", "gleb's own new secret").await.status(), StatusCode::SEE_OTHER);
        let trail = app.store.audit_of_project(project.id(), 1000).await.unwrap();
        assert!(trail.iter().any(|e| e.subject_id == second && e.action == "approved" && e.actor_id == Some(gleb.id)));
    }
}
