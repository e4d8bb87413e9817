//! Goals, brief and health check through the API, end to end, on both backends.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn call(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new().request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        request = request.json(&b);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    call(app, token, reqwest::Method::POST, path, Some(body)).await
}

async fn get(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    call(app, token, reqwest::Method::GET, path, None).await
}

/// Followers of all the project's accounts on `day`, straight from the daily table.
async fn followers_on(app: &TestApp, slug: &str, day: &str) -> f64 {
    let org = app.store.default_org().await.unwrap();
    let project = app.store.project_by_slug(org.id(), slug).await.unwrap().unwrap();
    let day: chrono::NaiveDate = day.parse().unwrap();
    let sum: i64 = keel_store::on_pool!(app.store.raw_pool_for_tests(), p => {
        sqlx::query_scalar("SELECT CAST(SUM(followers) AS BIGINT) FROM daily_stats WHERE project_id = $1 AND date = $2")
            .bind(project.id).bind(day).fetch_one(p).await
    })
    .unwrap();
    sum as f64
}

fn goal(metric: &str, target: Value, start: &str, deadline: &str) -> Value {
    json!({ "metric": metric, "target": target, "start": start, "deadline": deadline, "zone": "agency" })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

on_both_backends! {
    async fn nine_hundred_percent_more_followers_in_thirty_days_is_unrealistic_and_one_percent_realistic(backend) {
        let Some(app) = TestApp::demo(backend, "goal_feasibility").await else { return };
        let owner = app.token("client-a@demo.local").await;
        let (status, big) = post(&app, &owner, "/api/v1/projects/client-a/goals",
            goal("followers", json!({"relative_pct": 900}), "2026-10-01", "2026-10-31")).await;
        assert_eq!(status, StatusCode::CREATED, "{big}");
        let f = &big["feasibility"];
        assert_eq!(f["verdict"], "unrealistic", "{big}");
        let required = f["required_rate"].as_f64().unwrap();
        let best = f["best_historical_rate"].as_f64().expect("the best rate is shown");
        assert!(best > 0.0 && required > 3.0 * best, "{f}");
        assert_eq!(f["window_days"], 30);
        assert_eq!(f["rate_unit"], "per_day");

        // Baseline and progress come from the data.
        let baseline = followers_on(&app, "client-a", "2026-10-01").await;
        let current = followers_on(&app, "client-a", "2026-10-31").await;
        assert!(close(big["baseline"].as_f64().unwrap(), baseline), "{big}");
        assert_eq!(big["baseline_source"], "data");
        assert!(close(big["target_value"].as_f64().unwrap(), baseline * 10.0));
        assert!(close(required, 9.0 * baseline / 30.0), "{required}");
        assert!(close(big["current"].as_f64().unwrap(), current));
        let progress = (current - baseline) / (baseline * 9.0) * 100.0;
        assert!(close(big["progress_pct"].as_f64().unwrap(), progress), "{big}");
        assert!(big["forecast"]["value_at_deadline"].is_number(), "{big}");

        let (status, small) = post(&app, &owner, "/api/v1/projects/client-a/goals",
            goal("followers", json!({"relative_pct": 1}), "2026-10-01", "2026-10-31")).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(small["feasibility"]["verdict"], "realistic", "{small}");
        assert!(close(small["feasibility"]["best_historical_rate"].as_f64().unwrap(), best), "same history, same window");

        // Client B bought 6,000 followers on 2026-06-12: that is not growth the account
        // achieved, so no 30-day window holding it counts as its best (with it, the best would
        // be above 6,000 / 30 = 200 a day).
        let lead = app.token("agency@demo.local").await;
        let (_, b) = post(&app, &lead, "/api/v1/projects/client-b/goals",
            goal("followers", json!({"relative_pct": 900}), "2026-10-01", "2026-10-31")).await;
        assert_eq!(b["feasibility"]["verdict"], "unrealistic", "{b}");
        let best_b = b["feasibility"]["best_historical_rate"].as_f64().unwrap();
        assert!(best_b > 0.0 && best_b < 6000.0 / 30.0, "{b}");

        // The list and the report's goals carry the same numbers.
        let (_, list) = get(&app, &owner, "/api/v1/projects/client-a/goals").await;
        assert!(list.as_array().unwrap().iter().any(|g| g["id"] == big["id"] && g["progress_pct"] == big["progress_pct"]));
        let (_, report) = get(&app, &owner, "/api/v1/projects/client-a/report").await;
        let in_report = report["goals"].as_array().unwrap().iter().find(|g| g["id"] == big["id"]).expect("goal in the report");
        assert_eq!(in_report["feasibility"], big["feasibility"]);
    }

    async fn only_the_client_owner_and_the_agency_lead_set_goals(backend) {
        let Some(app) = TestApp::demo(backend, "goal_roles").await else { return };
        let body = goal("er_followers", json!({"absolute": 6.5}), "2026-10-01", "2026-12-31");
        for email in ["member-a@demo.local", "approver-a@demo.local", "specialist@demo.local"] {
            let token = app.token(email).await;
            let (status, err) = post(&app, &token, "/api/v1/projects/client-a/goals", body.clone()).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{email}: {err}");
            assert_eq!(get(&app, &token, "/api/v1/projects/client-a/goals").await.0, StatusCode::OK, "{email} may look");
        }
        let other = app.token("client-b@demo.local").await;
        assert_eq!(post(&app, &other, "/api/v1/projects/client-a/goals", body.clone()).await.0, StatusCode::NOT_FOUND);
        assert_eq!(get(&app, &other, "/api/v1/projects/client-a/goals").await.0, StatusCode::NOT_FOUND);
        for email in ["client-a@demo.local", "agency@demo.local"] {
            let token = app.token(email).await;
            assert_eq!(post(&app, &token, "/api/v1/projects/client-a/goals", body.clone()).await.0, StatusCode::CREATED, "{email}");
        }
    }

    async fn bad_goals_are_refused_saying_which_field_and_why(backend) {
        let Some(app) = TestApp::demo(backend, "goal_input").await else { return };
        let lead = app.token("agency@demo.local").await;
        let cases = [
            (goal("likes", json!({"absolute": 5}), "2026-10-01", "2026-12-31"), "metric"),
            (goal("reach", json!({"absolute": 5}), "2026-10-01", "2026-09-01"), "deadline"),
            (goal("reach", json!({"absolute": 5}), "2026-10-01", "31.12.2026"), "deadline"),
            (goal("revenue", json!({"absolute": 5}), "2026-10-01", "2026-12-31"), "zone"),
            (goal("reach", json!({"relative_pct": -150}), "2026-10-01", "2026-12-31"), "target"),
            (goal("reach", json!({"relative_pct": 10}), "2020-01-01", "2020-12-31"), "baseline"),
            // Targets no plan can mean: a percentage above 100, a billion percent, a change
            // that makes the metric worse, a target the metric is already past.
            (goal("er_followers", json!({"absolute": 250}), "2026-10-01", "2026-12-31"), "target"),
            (goal("followers", json!({"relative_pct": 1_000_000_000}), "2026-10-01", "2026-12-31"), "target"),
            (goal("cpl", json!({"relative_pct": 10}), "2026-10-01", "2026-12-31"), "target"),
            (goal("followers", json!({"absolute": 10}), "2026-10-01", "2026-12-31"), "target"),
        ];
        for (body, field) in cases {
            let (status, err) = post(&app, &lead, "/api/v1/projects/client-a/goals", body.clone()).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {err}");
            assert!(err["error"].as_str().unwrap().contains(&format!("`{field}`")), "{field}: {err}");
        }
        // An entered baseline stands in where there is no data.
        let mut entered = goal("reach", json!({"relative_pct": 10}), "2020-01-01", "2020-12-31");
        entered["baseline"] = json!(1000);
        let (status, g) = post(&app, &lead, "/api/v1/projects/client-a/goals", entered).await;
        assert_eq!(status, StatusCode::CREATED, "{g}");
        assert_eq!(g["baseline_source"], "entered");
        assert!(close(g["target_value"].as_f64().unwrap(), 1100.0));
    }

    async fn a_project_leaves_setup_only_with_a_brief_and_a_goal_agreed_by_both(backend) {
        let Some(app) = TestApp::demo(backend, "goal_setup").await else { return };
        keel::commands::create_project(&app.store, "fresh", "Fresh project", Some("2026-01-01"), None).await.unwrap();
        keel::commands::add_member(&app.store, "fresh", "client-a@demo.local", "client_owner", None).await.unwrap();
        keel::commands::add_member(&app.store, "fresh", "agency@demo.local", "agency_lead", None).await.unwrap();
        let owner = app.token("client-a@demo.local").await;
        let lead = app.token("agency@demo.local").await;
        let status_of = |v: Value| v["status"].as_str().unwrap().to_owned();
        let brief = json!({"business": "Bakery", "tone_of_voice": "warm", "reporting_cadence": "monthly"});
        assert_eq!(post(&app, &owner, "/api/v1/projects/fresh/brief", brief).await.0, StatusCode::CREATED);
        assert_eq!(status_of(get(&app, &owner, "/api/v1/projects/fresh").await.1), "setup", "a brief alone is not enough");
        let mut g = goal("reach", json!({"absolute": 5000}), "2026-01-01", "2026-03-31");
        g["baseline"] = json!(1000);
        let (_, created) = post(&app, &lead, "/api/v1/projects/fresh/goals", g).await;
        let id = created["id"].as_i64().unwrap();
        assert_eq!(status_of(get(&app, &owner, "/api/v1/projects/fresh").await.1), "setup", "a goal nobody agreed");
        let (status, agreed) = post(&app, &owner, &format!("/api/v1/projects/fresh/goals/{id}/agree"), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{agreed}");
        assert_eq!(agreed["project_status"], "setup", "the agency has not agreed yet");
        assert!(agreed["goal"]["agreed_by_client"].is_string());
        let (_, agreed) = post(&app, &lead, &format!("/api/v1/projects/fresh/goals/{id}/agree"), json!({})).await;
        assert_eq!(agreed["project_status"], "active");
        assert_eq!(agreed["goal"]["agreed"], true);

        // Changing the goal clears both agreements; every step is on the audit record.
        let mut changed = goal("reach", json!({"absolute": 6000}), "2026-01-01", "2026-03-31");
        changed["baseline"] = json!(1000);
        let (status, after) = post(&app, &owner, &format!("/api/v1/projects/fresh/goals/{id}"), changed).await;
        assert_eq!(status, StatusCode::OK, "{after}");
        assert_eq!(after["agreed"], false);
        let project = app.store.project_by_slug(app.store.default_org().await.unwrap().id(), "fresh").await.unwrap().unwrap();
        let actions: Vec<String> = app.store.audit_of(project.id(), "goal", id).await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(actions, ["created", "agreed", "agreed", "changed"]);
        let project_events = app.store.audit_of(project.id(), "project", project.id).await.unwrap();
        assert_eq!(project_events.len(), 1);
        assert_eq!(project_events[0].action, "activated");
    }

    async fn a_project_with_no_goal_stays_in_setup(backend) {
        let Some(app) = TestApp::demo(backend, "goal_none").await else { return };
        keel::commands::create_project(&app.store, "bare", "Bare", Some("2026-01-01"), None).await.unwrap();
        keel::commands::add_member(&app.store, "bare", "agency@demo.local", "agency_lead", None).await.unwrap();
        let lead = app.token("agency@demo.local").await;
        post(&app, &lead, "/api/v1/projects/bare/brief", json!({"business": "Gym"})).await;
        let (_, p) = get(&app, &lead, "/api/v1/projects/bare").await;
        assert_eq!(p["status"], "setup");
        let (_, health) = get(&app, &lead, "/api/v1/projects/bare/health").await;
        let smart = health["findings"].as_array().unwrap().iter().find(|f| f["check"] == "smart_goal").unwrap();
        assert_eq!(smart["status"], "problem", "{smart}");
    }

    async fn the_brief_keeps_every_version_compares_two_and_the_agency_lead_acknowledges(backend) {
        let Some(app) = TestApp::demo(backend, "brief_versions").await else { return };
        let owner = app.token("client-a@demo.local").await;
        let (_, before) = get(&app, &owner, "/api/v1/projects/client-a/brief").await;
        let n = before.as_array().unwrap().len();
        let (status, v1) = post(&app, &owner, "/api/v1/projects/client-a/brief",
            json!({"business": "Roastery", "tone_of_voice": "calm", "fixed_fee": 1500})).await;
        assert_eq!(status, StatusCode::CREATED, "{v1}");
        assert_eq!(v1["pay_tied_to_sales_warning"], false);
        let (_, v2) = post(&app, &owner, "/api/v1/projects/client-a/brief",
            json!({"business": "Roastery", "tone_of_voice": "bold", "fixed_fee": 1500, "sales_share_pct": 5})).await;
        assert_eq!(v2["pay_tied_to_sales_warning"], true);
        let (_, all) = get(&app, &owner, "/api/v1/projects/client-a/brief").await;
        assert_eq!(all.as_array().unwrap().len(), n + 2);
        let (l, r) = (v1["version"].as_i64().unwrap(), v2["version"].as_i64().unwrap());
        assert_eq!(r, l + 1);
        let (_, diff) = get(&app, &owner, &format!("/api/v1/projects/client-a/brief/compare?left={l}&right={r}")).await;
        let changed: Vec<&str> = diff.as_array().unwrap().iter().filter(|c| c["changed"] == true).map(|c| c["field"].as_str().unwrap()).collect();
        assert_eq!(changed, ["tone_of_voice", "sales_share_pct"]);
        let (status, _) = post(&app, &owner, &format!("/api/v1/projects/client-a/brief/{r}/acknowledge"), json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only the agency lead acknowledges");
        let lead = app.token("agency@demo.local").await;
        let (status, ack) = post(&app, &lead, &format!("/api/v1/projects/client-a/brief/{r}/acknowledge"), json!({})).await;
        assert_eq!(status, StatusCode::OK);
        assert!(ack["acknowledged_by"].is_string(), "{ack}");
        let (status, err) = post(&app, &owner, "/api/v1/projects/client-a/brief", json!({"business": "x", "reporting_cadence": "daily"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"].as_str().unwrap().contains("reporting_cadence"));
        let member = app.token("member-a@demo.local").await;
        assert_eq!(post(&app, &member, "/api/v1/projects/client-a/brief", json!({"business": "x"})).await.0, StatusCode::FORBIDDEN);
    }

    async fn the_demo_projects_health_checks_show_findings_with_evidence(backend) {
        let Some(app) = TestApp::demo(backend, "health_demo").await else { return };
        let lead = app.token("agency@demo.local").await;
        let (status, a) = get(&app, &lead, "/api/v1/projects/client-a/health").await;
        assert_eq!(status, StatusCode::OK, "{a}");
        let find = |h: &Value, check: &str| h["findings"].as_array().unwrap().iter().find(|f| f["check"] == check).cloned().unwrap();
        for h in [&a] {
            for f in h["findings"].as_array().unwrap() {
                assert!(!f["evidence"].as_array().unwrap().is_empty(), "{f}");
            }
        }
        // Client A's sales team converts worse: a client-zone finding, never the agency's.
        let sales = find(&a, "sales_stage_zone");
        assert_eq!(sales["status"], "problem", "{sales}");
        let evidence = sales["evidence"].to_string();
        assert!(evidence.contains("leads_to_deals (client)") && evidence.contains("worse"), "{evidence}");
        assert!(!evidence.contains("leads_to_deals (agency)"));
        // Client B's bought followers, with the day and the ER before and after.
        let (_, b) = get(&app, &lead, "/api/v1/projects/client-b/health").await;
        let bots = find(&b, "purchased_followers");
        assert_eq!(bots["status"], "problem");
        assert!(bots["evidence"].to_string().contains("2026-06-12"), "{bots}");
        assert_eq!(find(&a, "purchased_followers")["status"], "healthy");
        // One approver is healthy; three are a problem, named.
        assert_eq!(find(&a, "approvers")["status"], "healthy");
        for email in ["client-a@demo.local", "member-a@demo.local"] {
            keel::commands::add_member(&app.store, "client-a", email, "client_approver", None).await.unwrap();
        }
        let (_, a) = get(&app, &lead, "/api/v1/projects/client-a/health").await;
        let approvers = find(&a, "approvers");
        assert_eq!(approvers["status"], "problem");
        assert!(approvers["evidence"][0]["value"].as_str().unwrap().starts_with("3: "), "{approvers}");
        // The demo's post sent back three times is a problem, named with its rounds.
        let rounds = find(&a, "revision_rounds");
        assert_eq!(rounds["status"], "problem", "{rounds}");
        assert!(rounds["evidence"][0]["value"].as_str().unwrap().ends_with(": 3"), "{rounds}");
        // The demo's urgent post is in review and its 30 minutes run: no miss yet…
        let sla = find(&a, "urgent_sla");
        assert_eq!(sla["status"], "healthy", "{sla}");
        // …until the SLA timer fires after the deadline; then the miss is a problem with the post.
        keel::jobs::runner(&app.store).run_due(keel_store::now() + chrono::Duration::hours(1)).await.unwrap();
        let (_, a) = get(&app, &lead, "/api/v1/projects/client-a/health").await;
        let sla = find(&a, "urgent_sla");
        assert_eq!(sla["status"], "problem", "{sla}");
        assert_eq!(sla["evidence"][1]["value"], "1", "{sla}");
        assert!(sla["evidence"][2]["value"].as_str().unwrap().starts_with('#'), "{sla}");
        // The next meeting's agenda names the posts waiting for approval.
        let (status, meetings) = get(&app, &lead, "/api/v1/projects/client-a/meetings").await;
        assert_eq!(status, StatusCode::OK);
        assert!(meetings.to_string().contains("awaiting_approval"), "{meetings}");
    }
}

/// `SELECT CAST(expr AS DOUBLE PRECISION)` over client-a's rows, with `$2`/`$3` bound to the
/// 30 days ending on 2026-10-01 (the window a flow or rate metric's value on that day covers).
async fn independent(app: &TestApp, sql: &str) -> f64 {
    let org = app.store.default_org().await.unwrap();
    let project = app.store.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
    let (from, to): (chrono::NaiveDate, chrono::NaiveDate) =
        ("2026-09-02".parse().unwrap(), "2026-10-01".parse().unwrap());
    keel_store::on_pool!(app.store.raw_pool_for_tests(), p => {
        sqlx::query_scalar::<_, f64>(sql).bind(project.id).bind(from).bind(to).fetch_one(p).await
    })
    .unwrap()
}

on_both_backends! {
    async fn flow_and_rate_baselines_are_the_thirty_days_ending_on_the_start(backend) {
        let Some(app) = TestApp::demo(backend, "goal_baselines").await else { return };
        let lead = app.token("agency@demo.local").await;
        let baseline = |metric: &'static str| {
            let (app, lead) = (&app, lead.clone());
            async move {
                // Ten percent better: up, or down for a cost.
                let change = if metric == "cpl" { -10 } else { 10 };
                let (status, g) = post(app, &lead, "/api/v1/projects/client-a/goals",
                    json!({"metric": metric, "target": {"relative_pct": change}, "start": "2026-10-01", "deadline": "2026-12-31"})).await;
                assert_eq!(status, StatusCode::CREATED, "{g}");
                g["baseline"].as_f64().unwrap()
            }
        };
        let leads = independent(&app, "SELECT CAST(SUM(leads) AS DOUBLE PRECISION) FROM ad_stats WHERE project_id = $1 AND date BETWEEN $2 AND $3").await;
        assert!(close(baseline("leads").await, leads));
        let cpl = independent(&app, "SELECT CAST(SUM(spend) / SUM(leads) AS DOUBLE PRECISION) FROM ad_stats WHERE project_id = $1 AND date BETWEEN $2 AND $3 AND leads IS NOT NULL").await;
        assert!(close(baseline("cpl").await, cpl));
        let reach = independent(&app, "SELECT CAST(SUM(reach) AS DOUBLE PRECISION) FROM daily_stats WHERE project_id = $1 AND date BETWEEN $2 AND $3").await;
        assert!(close(baseline("reach").await, reach));
        // Lead→deal: leads created in the window (UTC days) that are won, in percent.
        let day = match backend { Backend::Sqlite => "substr(created_at, 1, 10)", Backend::Postgres => "CAST((created_at AT TIME ZONE 'UTC') AS DATE)" };
        let won = independent(&app, &format!("SELECT CAST(SUM(CASE WHEN status = 'won' THEN 1 ELSE 0 END) * 100.0 / COUNT(*) AS DOUBLE PRECISION) FROM leads WHERE project_id = $1 AND {day} BETWEEN $2 AND $3")).await;
        let (_, g) = post(&app, &lead, "/api/v1/projects/client-a/goals",
            json!({"metric": "lead_to_deal", "target": {"absolute": 30}, "start": "2026-10-01", "deadline": "2026-12-31", "zone": "client"})).await;
        assert!(close(g["baseline"].as_f64().unwrap(), won), "{g} vs {won}");
    }
}

on_both_backends! {
    async fn an_archived_goal_leaves_the_list_and_the_report_and_stays_on_the_record(backend) {
        let Some(app) = TestApp::demo(backend, "goal_archive").await else { return };
        let owner = app.token("client-a@demo.local").await;
        let member = app.token("member-a@demo.local").await;
        let (_, goals) = get(&app, &owner, "/api/v1/projects/client-a/goals").await;
        let id = goals[0]["id"].as_i64().unwrap();
        let path = format!("/api/v1/projects/client-a/goals/{id}/archive");
        // A member may look, not archive.
        assert_eq!(post(&app, &member, &path, json!({})).await.0, StatusCode::FORBIDDEN);
        let (status, archived) = post(&app, &owner, &path, json!({"reason": "the spring campaign replaced it"})).await;
        assert_eq!(status, StatusCode::OK, "{archived}");
        assert!(archived["archived_at"].is_string());
        // Gone from the list and the report; the other goal stays.
        let (_, after) = get(&app, &owner, "/api/v1/projects/client-a/goals").await;
        assert_eq!(after.as_array().unwrap().len(), goals.as_array().unwrap().len() - 1);
        assert!(!after.as_array().unwrap().iter().any(|g| g["id"] == id));
        let (_, report) = get(&app, &owner, "/api/v1/projects/client-a/report").await;
        assert!(!report["goals"].as_array().unwrap().iter().any(|g| g["id"] == id));
        // It cannot be agreed or changed again; archiving twice changes nothing.
        let (status, err) = post(&app, &owner, &format!("/api/v1/projects/client-a/goals/{id}/agree"), json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["error"].as_str().unwrap().contains("archived"));
        assert_eq!(post(&app, &owner, &path, json!({})).await.0, StatusCode::OK);
        // On the record once, with the reason.
        let project = app.store.project_by_slug(app.store.default_org().await.unwrap().id(), "client-a").await.unwrap().unwrap();
        let archived_events: Vec<_> = app.store.audit_of(project.id(), "goal", id).await.unwrap().into_iter().filter(|e| e.action == "archived").collect();
        assert_eq!(archived_events.len(), 1);
        assert!(archived_events[0].detail.contains("the spring campaign replaced it"));
        // The goals page lists it under the archive.
        let session = app.session("client-a@demo.local").await;
        let html = reqwest::Client::new().get(app.url("/projects/client-a/goals"))
            .header("cookie", format!("keel_session={session}"))
            .send().await.unwrap().text().await.unwrap();
        assert!(html.contains("data-test=\"archived-goals\"") && !html.contains(&format!("data-test=\"goal-{id}\"")));
        // Another project's goal cannot be archived through this project.
        let other = app.token("client-b@demo.local").await;
        assert_eq!(post(&app, &other, &path, json!({})).await.0, StatusCode::NOT_FOUND);
    }
}
