//! The goals, brief, meetings and health pages, and the meeting calendar, on both backends.

use crate::helpers::*;
use reqwest::StatusCode;

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

async fn signed_in(app: &TestApp, email: &str) -> reqwest::Client {
    let client = TestApp::browser();
    app.login(&client, email, DEMO_PASSWORD).await;
    client
}

on_both_backends! {
    async fn the_demo_projects_are_active_with_agreed_goals_and_their_pages_show_the_numbers(backend) {
        let Some(app) = TestApp::demo(backend, "goals_and_meetings_pages").await else { return };
        let org = app.store.default_org().await.unwrap();
        for slug in ["client-a", "client-b"] {
            let p = app.store.project_by_slug(org.id(), slug).await.unwrap().unwrap();
            assert_eq!(p.status.as_str(), "active", "{slug}");
        }
        let lead = signed_in(&app, "agency@demo.local").await;
        let goals = page(&app, &lead, "/projects/client-b/goals").await;
        assert!(goals.contains("data-test=\"vanity-note\"") && goals.contains("/definitions#er"), "followers-only goal gets the ER note");
        assert!(goals.contains("data-test=\"goal-verdict\""), "feasibility shown");
        assert!(goals.contains("<svg"), "progress and forecast chart");
        let goals_a = page(&app, &lead, "/projects/client-a/goals").await;
        assert!(!goals_a.contains("data-test=\"vanity-note\""), "ER and leads are not vanity");
        // The pace is said in a sentence with its unit and enough digits to never read "0".
        let rates: Vec<&str> = goals_a.split("data-test=\"goal-rates\">").skip(1).map(|r| r.split('<').next().unwrap()).collect();
        assert!(!rates.is_empty(), "the feasibility sentence");
        for r in &rates {
            assert!(r.starts_with("Needs ") && r.contains(" a day") && !r.contains("Needs 0 a day"), "{r}");
        }
        assert!(goals_a.contains(" pp a day"), "ER's pace in percentage points: {rates:?}");
        let brief = page(&app, &lead, "/projects/client-a/brief").await;
        assert!(brief.contains("Specialty coffee roastery"));
        let health = page(&app, &lead, "/projects/client-b/health").await;
        assert!(health.contains("data-test=\"finding-purchased_followers\" data-status=\"problem\""), "{health}");
        assert!(health.contains("2026-06-12"));
        let meetings = page(&app, &lead, "/projects/client-a/meetings").await;
        assert!(meetings.contains("Judge the account by ER"), "the decision log");
        assert!(meetings.contains("data-test=\"agenda\""), "an agenda drafted from the data");
        assert!(meetings.contains("Funnel stage off its baseline"), "client-a's sales stage is on the agenda");
        let overview = page(&app, &lead, "/projects/client-a").await;
        assert!(overview.contains("data-test=\"overdue-items\"") && overview.contains("Share CRM lead statuses weekly"));
        let list = page(&app, &lead, "/projects").await;
        assert!(list.contains("data-test=\"health-client-a\"") && list.contains("data-test=\"health-client-b\""));
        // Russian too.
        let ru = TestApp::browser();
        app.login(&ru, "agency@demo.local", DEMO_PASSWORD).await;
        ru.get(app.url("/lang/ru")).send().await.unwrap();
        let health_ru = page(&app, &ru, "/projects/client-b/health").await;
        assert!(health_ru.contains("Нет купленных подписчиков"), "translated");
        // The evidence says its words in Russian too: funnel stages, zones, metrics, yes/no.
        for english in ["impressions_to_clicks", "leads_to_deals", "(client)", "(agency)", ">followers", "steady", "worse"] {
            assert!(!health_ru.contains(english), "English evidence on a Russian page: {english}");
        }
        assert!(health_ru.contains("Показы → клики (Зона агентства)"), "{health_ru}");
        let agenda_ru = page(&app, &ru, "/projects/client-a/meetings").await;
        let agenda = agenda_ru.split("data-test=\"agenda\"").nth(1).unwrap().split("</ul>").next().unwrap();
        assert!(!agenda.contains("leads_to_deals") && !agenda.contains("er_followers") && !agenda.contains('#'), "{agenda}");
        assert!(agenda.contains("Лиды → сделки"), "{agenda}");
    }

    async fn meetings_decisions_and_action_items_are_recorded_through_the_pages(backend) {
        let Some(app) = TestApp::demo(backend, "meeting_forms").await else { return };
        let owner = signed_in(&app, "client-a@demo.local").await;
        let html = page(&app, &owner, "/projects/client-a/meetings").await;
        let csrf = csrf_of(&html);
        let post = |path: &str, form: Vec<(&str, &str)>| {
            let mut form = form;
            form.push(("_csrf", &csrf));
            owner.post(app.url(path)).form(&form).send()
        };
        let r = post("/projects/client-a/meetings", vec![("starts_at", "2026-11-10T09:30"), ("title", "Kick-off"), ("minutes", "Went well"), ("held", "1")]).await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let meetings = app.store.meetings(app.store.project_by_slug(app.store.default_org().await.unwrap().id(), "client-a").await.unwrap().unwrap().id()).await.unwrap();
        let kickoff = meetings.iter().find(|m| m.title == "Kick-off").unwrap();
        assert!(kickoff.held);
        let r = post(&format!("/projects/client-a/meetings/{}/decisions", kickoff.id), vec![("text", "Post daily at 9:00")]).await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = post(&format!("/projects/client-a/meetings/{}/actions", kickoff.id), vec![("text", "Draft the plan"), ("due_on", "2026-01-05"), ("owner_id", "0")]).await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let bad = post("/projects/client-a/meetings", vec![("starts_at", "tomorrow"), ("title", "x")]).await.unwrap();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        assert!(bad.text().await.unwrap().contains("starts_at"));
        let html = page(&app, &owner, "/projects/client-a/meetings").await;
        assert!(html.contains("Post daily at 9:00") && html.contains("Draft the plan"));
        let overview = page(&app, &owner, "/projects/client-a").await;
        assert!(overview.contains("Draft the plan"), "overdue on the overview");
        // A member may look but not record.
        let member = signed_in(&app, "member-a@demo.local").await;
        let html = page(&app, &member, "/projects/client-a/meetings").await;
        let r = member.post(app.url("/projects/client-a/meetings")).form(&[("_csrf", csrf_of(&html).as_str()), ("starts_at", "2026-11-11T09:30"), ("title", "x")]).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }

    async fn the_meeting_form_shows_the_stored_schedule_and_refusals_name_the_field(backend) {
        let Some(app) = TestApp::demo(backend, "meeting_schedule_form").await else { return };
        let org = app.store.default_org().await.unwrap();
        let project = app.store.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
        let lead = signed_in(&app, "agency@demo.local").await;
        let html = page(&app, &lead, "/projects/client-a/meetings").await;
        // The demo meets every two weeks: the form says so, and only that.
        let repeats = html.split("name=\"recurrence\"").nth(1).unwrap().split("</select>").next().unwrap();
        assert!(repeats.contains("<option value=\"biweekly\" selected>"), "the stored value is selected: {repeats}");
        assert_eq!(repeats.matches(" selected").count(), 1, "one choice selected: {repeats}");
        // Saved again with only the title changed, the schedule keeps repeating every two weeks.
        let csrf = csrf_of(&html);
        let form = [("_csrf", csrf.as_str()), ("title", "Weekly sync, renamed"), ("first_at", "2026-09-01T10:00"),
            ("recurrence", "biweekly"), ("duration_minutes", "45"), ("link", "https://meet.example.com/keel-demo")];
        let r = lead.post(app.url("/projects/client-a/meetings/schedule")).form(&form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let stored = app.store.meeting_schedule(project.id()).await.unwrap().unwrap();
        assert_eq!((stored.title.as_str(), stored.recurrence.as_str()), ("Weekly sync, renamed", "biweekly"));
        // A person who is not on the project cannot be given an area; the field is named.
        let outsider = app.store.user_by_email(&keel_domain::Email::parse("client-b@demo.local").unwrap()).await.unwrap().unwrap();
        let id = outsider.id().0.to_string();
        let form = [("_csrf", csrf.as_str()), ("area", "copy"), ("side", "agency"), ("user_id", id.as_str())];
        let r = lead.post(app.url("/projects/client-a/team")).form(&form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(r.text().await.unwrap().contains("user_id"));
        // In Russian, the refusal is in Russian.
        lead.get(app.url("/lang/ru")).send().await.unwrap();
        let form = [("_csrf", csrf.as_str()), ("title", "x"), ("first_at", "завтра"), ("recurrence", "weekly"), ("duration_minutes", "45")];
        let r = lead.post(app.url("/projects/client-a/meetings/schedule")).form(&form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(r.text().await.unwrap().contains("поле `first_at`"));
    }

    async fn the_meeting_calendar_lists_the_schedule_for_the_ical_feed(backend) {
        let Some(app) = TestApp::demo(backend, "meeting_calendar").await else { return };
        let org = app.store.default_org().await.unwrap();
        let project = app.store.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
        let from: chrono::DateTime<chrono::Utc> = "2026-09-01T00:00:00Z".parse().unwrap();
        let to: chrono::DateTime<chrono::Utc> = "2026-10-01T00:00:00Z".parse().unwrap();
        let entries = app.store.meeting_calendar(project.id(), from, to).await.unwrap();
        let starts: Vec<String> = entries.iter().map(|e| e.start.to_rfc3339()).collect();
        // Biweekly from 1 September 10:00 UTC, 45 minutes, with the call link.
        assert_eq!(starts, ["2026-09-01T10:00:00+00:00", "2026-09-15T10:00:00+00:00", "2026-09-29T10:00:00+00:00"]);
        assert_eq!(entries[0].end - entries[0].start, chrono::Duration::minutes(45));
        assert_eq!(entries[0].link, "https://meet.example.com/keel-demo");
        // The recorded meeting off the schedule (13 October) is listed too.
        let october = app.store.meeting_calendar(project.id(), to, "2026-10-31T00:00:00Z".parse().unwrap()).await.unwrap();
        assert!(october.iter().any(|e| e.start.to_rfc3339() == "2026-10-13T10:00:00+00:00"), "{october:?}");
    }
}

on_both_backends! {
    async fn changing_a_goal_on_its_page_clears_the_agreement_and_goes_on_the_record(backend) {
        let Some(app) = TestApp::demo(backend, "goal_change_page").await else { return };
        let org = app.store.default_org().await.unwrap();
        let project = app.store.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
        let goal = app.store.goals_of(project.id()).await.unwrap().into_iter().next().unwrap();
        assert!(goal.agreed_by_both());
        let owner = signed_in(&app, "client-a@demo.local").await;
        let html = page(&app, &owner, "/projects/client-a/goals").await;
        let csrf = csrf_of(&html);
        let form = [("_csrf", csrf.as_str()), ("metric", goal.metric.as_str()), ("target_kind", "absolute"),
            ("target_value", "6,5"), ("start", "2026-09-01"), ("deadline", "2027-01-31"), ("zone", "agency"), ("baseline", "")];
        let r = owner.post(app.url(&format!("/projects/client-a/goals/{}", goal.id))).form(&form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let changed = app.store.goal(project.id(), goal.id).await.unwrap();
        assert_eq!(changed.target_value, 6.5);
        assert!(!changed.agreed_by_both() && changed.agreed_client_at.is_none());
        let last = app.store.audit_of(project.id(), "goal", goal.id.0).await.unwrap().pop().unwrap();
        assert_eq!(last.action, "changed");
        assert_eq!(last.detail_json()["after"]["deadline"], "2027-01-31");
        // A wrong date is explained on the page; nothing changes.
        let bad = [("_csrf", csrf.as_str()), ("metric", goal.metric.as_str()), ("target_kind", "absolute"),
            ("target_value", "5"), ("start", "2026-09-01"), ("deadline", "soon"), ("zone", "agency")];
        let r = owner.post(app.url(&format!("/projects/client-a/goals/{}", goal.id))).form(&bad).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(r.text().await.unwrap().contains("`deadline`"));
        assert_eq!(app.store.goal(project.id(), goal.id).await.unwrap().target_value, 6.5);
        // On a Russian page the refusal is Russian, a number that is not one included.
        owner.get(app.url("/lang/ru")).send().await.unwrap();
        let r = owner.post(app.url(&format!("/projects/client-a/goals/{}", goal.id))).form(&bad).send().await.unwrap();
        assert!(r.text().await.unwrap().contains("поле `deadline`"));
        let mut not_a_number = bad;
        not_a_number[3] = ("target_value", "ten");
        let r = owner.post(app.url(&format!("/projects/client-a/goals/{}", goal.id))).form(&not_a_number).send().await.unwrap();
        assert!(r.text().await.unwrap().contains("поле `target`: `ten`"));
    }
}

on_both_backends! {
    async fn the_meetings_api_gives_the_team_the_agenda_and_the_decision_log(backend) {
        let Some(app) = TestApp::demo(backend, "meetings_api").await else { return };
        let token = app.token("member-a@demo.local").await;
        let body: serde_json::Value = reqwest::Client::new().get(app.url("/api/v1/projects/client-a/meetings")).bearer_auth(&token)
            .send().await.unwrap().json().await.unwrap();
        assert!(body["team"].as_array().unwrap().iter().any(|t| t["area"] == "approvals" && t["side"] == "client"), "{body}");
        assert!(body["agenda"].as_array().unwrap().iter().any(|a| a["kind"] == "funnel_stage" && a["text"].as_str().unwrap().contains("leads_to_deals (client)")), "{body}");
        let meeting = &body["meetings"][0];
        assert_eq!(meeting["decisions"].as_array().unwrap().len(), 2);
        let items = meeting["action_items"].as_array().unwrap();
        assert!(items.iter().any(|i| i["done"] == true) && items.iter().any(|i| i["overdue"] == true), "{meeting}");
        let other = app.token("client-b@demo.local").await;
        let status = reqwest::Client::new().get(app.url("/api/v1/projects/client-a/meetings")).bearer_auth(&other).send().await.unwrap().status();
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

on_both_backends! {
    async fn an_action_says_it_was_done_once_on_the_next_page(backend) {
        let Some(app) = TestApp::demo(backend, "flash_messages").await else { return };
        let lead = signed_in(&app, "agency@demo.local").await;
        let html = page(&app, &lead, "/projects/client-a/meetings").await;
        let csrf = csrf_of(&html);
        let form = [("_csrf", csrf.as_str()), ("starts_at", "2026-11-20T09:30"), ("title", "Check-in")];
        // Back to the page, which says what happened.
        let r = lead.post(app.url("/projects/client-a/meetings")).form(&form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let to = r.headers()["location"].to_str().unwrap().to_owned();
        assert!(to.ends_with("/meetings"));
        let landed = page(&app, &lead, &to).await;
        assert!(landed.contains("data-test=\"flash\"") && landed.contains("Saved."), "the message shows");
        // Once: the next page is quiet.
        let again = page(&app, &lead, "/projects/client-a/meetings").await;
        assert!(!again.contains("data-test=\"flash\""), "shown once");
        // Only dictionary messages travel: a forged cookie shows nothing.
        let session = app.session("agency@demo.local").await;
        let forged = reqwest::Client::new().get(app.url("/projects/client-a/meetings"))
            .header("cookie", format!("keel_session={session}; keel_flash=<b>hacked</b>"))
            .send().await.unwrap().text().await.unwrap();
        assert!(!forged.contains("data-test=\"flash\"") && !forged.contains("hacked"));
        // In Russian.
        lead.get(app.url("/lang/ru")).send().await.unwrap();
        let html = page(&app, &lead, "/projects/client-a/brief").await;
        let csrf = csrf_of(&html);
        let brief = [("_csrf", csrf.as_str()), ("business", "Обжарка кофе"), ("reporting_cadence", "monthly")];
        let r = lead.post(app.url("/projects/client-a/brief")).form(&brief).send().await.unwrap();
        let to = r.headers()["location"].to_str().unwrap().to_owned();
        assert!(page(&app, &lead, &to).await.contains("Новая версия брифа сохранена."));
    }
}
