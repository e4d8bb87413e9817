//! Logging in and out through the pages, as a person would.

use crate::helpers::*;
use reqwest::StatusCode;

on_both_backends! {
    async fn login_sets_a_protected_cookie_and_logout_ends_the_session(backend) {
        let Some(app) = TestApp::demo(backend, "login_logout").await else { return };
        let browser = TestApp::browser();
        let response = app.login(&browser, "client-a@demo.local", DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let cookie = response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).find(|c| c.starts_with("keel_session=")).unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let projects = browser.get(app.url("/projects")).send().await.unwrap();
        assert_eq!(projects.status(), StatusCode::OK);
        let html = projects.text().await.unwrap();
        assert!(html.contains("data-test=\"project-client-a\"") && !html.contains("project-client-b"));
        let csrf = csrf_of(&html);
        let out = browser.post(app.url("/logout")).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(out.status(), StatusCode::SEE_OTHER);
        let after = browser.get(app.url("/projects")).send().await.unwrap();
        assert_eq!(after.status(), StatusCode::SEE_OTHER);
        assert!(after.headers()["location"].to_str().unwrap().starts_with("/login"));
    }

    async fn an_unknown_user_and_a_wrong_password_get_the_same_answer(backend) {
        let Some(app) = TestApp::demo(backend, "same_answer").await else { return };
        let wrong = app.login(&TestApp::browser(), "client-a@demo.local", "not-the-password").await;
        let unknown = app.login(&TestApp::browser(), "nobody@demo.local", "not-the-password").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(unknown.status(), wrong.status());
        let (a, b) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
        let error = |html: &str| html.split("data-test=\"login-error\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
        assert_eq!(error(&a), error(&b));
    }

    async fn repeated_failures_are_throttled(backend) {
        let Some(app) = TestApp::demo(backend, "throttle").await else { return };
        for _ in 0..keel_store::login_limit::MAX_PER_EMAIL {
            let r = app.login(&TestApp::browser(), "approver-a@demo.local", "guess-guess").await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
        // Now even the right password is refused until the window passes.
        let r = app.login(&TestApp::browser(), "approver-a@demo.local", DEMO_PASSWORD).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        // Other people are unaffected.
        let r = app.login(&TestApp::browser(), "member-a@demo.local", DEMO_PASSWORD).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }

    async fn parallel_guesses_get_no_more_checks_than_the_limit_allows(backend) {
        let Some(app) = TestApp::demo(backend, "parallel_guesses").await else { return };
        let email = "approver-a@demo.local";
        let used = keel_store::login_limit::MAX_PER_EMAIL - 2;
        for _ in 0..used {
            let r = app.login(&TestApp::browser(), email, "guess-guess").await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
        // Sixteen guesses released together, each with its own form and CSRF token.
        let mut ready = Vec::new();
        for _ in 0..16 {
            let browser = TestApp::browser();
            let page = browser.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
            ready.push((browser, csrf_of(&page)));
        }
        let url = app.url("/login");
        let guesses: Vec<_> = ready
            .into_iter()
            .map(|(browser, csrf)| {
                let url = url.clone();
                tokio::spawn(async move {
                    let form = [("email", email), ("password", "guess-guess"), ("_csrf", csrf.as_str()), ("next", "/projects")];
                    browser.post(url).form(&form).send().await.unwrap().status()
                })
            })
            .collect();
        let mut checked = 0;
        for guess in guesses {
            match guess.await.unwrap() {
                StatusCode::UNAUTHORIZED => checked += 1,
                StatusCode::TOO_MANY_REQUESTS => {}
                other => panic!("a guess answered {other}"),
            }
        }
        assert_eq!(checked, 2, "two attempts were left; {checked} passwords were checked");
    }

    async fn somebody_elses_guesses_do_not_lock_the_owner_out(backend) {
        let Some(app) = TestApp::demo(backend, "owner_not_locked").await else { return };
        for _ in 0..keel_store::login_limit::MAX_PER_EMAIL + 1 {
            app.login(&TestApp::browser(), "approver-a@demo.local", "guess-guess").await;
        }
        // The owner, from another address (127.0.0.2 reaches the loopback server too).
        let owner = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
            .build()
            .unwrap();
        let r = app.login(&owner, "approver-a@demo.local", DEMO_PASSWORD).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "the owner is let in, only slowed");
    }

    async fn a_form_without_its_csrf_token_is_refused(backend) {
        let Some(app) = TestApp::demo(backend, "csrf").await else { return };
        let browser = TestApp::browser();
        app.login(&browser, "client-a@demo.local", DEMO_PASSWORD).await;
        let forged = browser
            .post(app.url("/projects/client-a/members"))
            .form(&[("email", "member-a@demo.local"), ("role", "client_approver")])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
        assert!(forged.text().await.unwrap().contains("security token"));
        let members = app.store.members_of(app.store.project_by_slug(app.store.ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency").await.unwrap().id(), "client-a").await.unwrap().unwrap().id()).await.unwrap();
        assert!(!members.iter().any(|m| m.email == "member-a@demo.local" && m.role == "client_approver"));
    }

    async fn the_owner_adds_and_removes_a_member_through_the_page(backend) {
        let Some(app) = TestApp::demo(backend, "members_page").await else { return };
        let browser = TestApp::browser();
        app.login(&browser, "client-a@demo.local", DEMO_PASSWORD).await;
        let page = browser.get(app.url("/projects/client-a/members")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_of(&page);
        let added = browser
            .post(app.url("/projects/client-a/members"))
            .form(&[("_csrf", csrf.as_str()), ("email", "member-a@demo.local"), ("role", "viewer"), ("speciality", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(added.status(), StatusCode::SEE_OTHER);
        let unknown = browser
            .post(app.url("/projects/client-a/members"))
            .form(&[("_csrf", csrf.as_str()), ("email", "ghost@demo.local"), ("role", "viewer")])
            .send()
            .await
            .unwrap();
        // Someone without an account is invited (by e-mail when SMTP is set up), not refused.
        assert_eq!(unknown.status(), StatusCode::OK);
        let invited = unknown.text().await.unwrap();
        assert!(invited.contains("data-test=\"invitation-link\"") && invited.contains("ghost@demo.local"));
        let page = browser.get(app.url("/projects/client-a/members")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("member-a@demo.local"));
        let member = app.store.user_by_email(&keel_domain::Email::parse("member-a@demo.local").unwrap()).await.unwrap().unwrap();
        let removed = browser
            .post(app.url("/projects/client-a/members/remove"))
            .form(&[("_csrf", csrf.as_str()), ("user_id", &member.id.to_string()), ("role", "viewer")])
            .send()
            .await
            .unwrap();
        assert_eq!(removed.status(), StatusCode::SEE_OTHER);
        // Removal asks once more on the page, and the project's only client owner stays, even
        // when she removes herself, with the reason in words.
        assert!(page.contains("data-test=\"remove-member\"") && page.contains("data-test=\"remove-confirm\""));
        let owner = app.store.user_by_email(&keel_domain::Email::parse("client-a@demo.local").unwrap()).await.unwrap().unwrap();
        let last = browser
            .post(app.url("/projects/client-a/members/remove"))
            .form(&[("_csrf", csrf.as_str()), ("user_id", &owner.id.to_string()), ("role", "client_owner")])
            .send()
            .await
            .unwrap();
        assert_eq!(last.status(), StatusCode::CONFLICT);
        assert!(last.text().await.unwrap().contains("only client owner"));
        let project = app.store.project_by_slug(owner.org(), "client-a").await.unwrap().unwrap();
        let roles = app.store.roles_in(project.id(), owner.id()).await.unwrap();
        assert!(roles.contains(&keel_domain::Role::ClientOwner), "still the owner");
    }

    async fn only_a_demo_database_says_the_demo_password(backend) {
        let Some(empty) = TestApp::empty(backend, "no_demo_hint").await else { return };
        let login = reqwest::get(empty.url("/login")).await.unwrap().text().await.unwrap();
        assert!(!login.contains("demo-password") && !login.contains("data-test=\"demo-hint\""));
        let Some(demo) = TestApp::demo(backend, "demo_hint").await else { return };
        let login = reqwest::get(demo.url("/login")).await.unwrap().text().await.unwrap();
        assert!(login.contains("data-test=\"demo-hint\"") && login.contains("demo-password"));
    }

    async fn pages_follow_the_browser_language_and_the_switch_is_remembered(backend) {
        let Some(app) = TestApp::demo(backend, "language").await else { return };
        let browser = TestApp::browser();
        let ru = browser.get(app.url("/login")).header("accept-language", "ru-RU,ru;q=0.9").send().await.unwrap().text().await.unwrap();
        assert!(ru.contains("lang=\"ru\"") && ru.contains("Вход"));
        let switch = browser.get(app.url("/lang/en?next=%2Flogin")).send().await.unwrap();
        assert_eq!(switch.headers()["location"], "/login");
        let en = browser.get(app.url("/login")).header("accept-language", "ru").send().await.unwrap().text().await.unwrap();
        assert!(en.contains("lang=\"en\"") && en.contains("Log in"));
    }
}
