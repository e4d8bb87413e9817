//! In a real browser: Debian's Chromium driven through chromedriver (WebDriver).

use crate::helpers::*;
use fantoccini::{ClientBuilder, Locator};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const CHROMIUM: &str = "/usr/bin/chromium";

fn chromedriver_path() -> String {
    std::env::var("KEEL_TEST_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into())
}

/// Starts chromedriver, or reports the skip and returns `None` when Chromium is not installed.
async fn start_driver(test: &str) -> Option<Driver> {
    let driver = chromedriver_path();
    if !Path::new(&driver).exists() || !Path::new(CHROMIUM).exists() {
        skip(
            test,
            "chromium",
            &format!("Chromium not installed ({CHROMIUM}, {driver}); install Debian's chromium and chromium-driver"),
        );
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(&driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    // From here the Driver owns the process: dropping it kills and reaps chromedriver.
    let driver = Driver {
        child,
        port,
        _profile: tempfile::tempdir().unwrap(),
    };
    for _ in 0..100 {
        if reqwest::get(format!("http://127.0.0.1:{port}/status")).await.is_ok() {
            return Some(driver);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on port {port}");
}

async fn browser(driver: &Driver) -> fantoccini::Client {
    let args = [
        "--headless=new".to_owned(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--disable-dev-shm-usage".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--window-size=390,844".into(), // a phone
        format!("--user-data-dir={}", driver._profile.path().display()),
    ];
    let caps = serde_json::json!({ "goog:chromeOptions": { "binary": CHROMIUM, "args": args } });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    ClientBuilder::rustls()
        .expect("rustls")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_sees_only_their_project_and_logs_out() {
    let test = "browser_client_isolation";
    let Some(driver) = start_driver(test).await else {
        return;
    };
    let app = TestApp::demo(Backend::Sqlite, test).await.unwrap();
    let c = browser(&driver).await;
    let result = async {
        c.goto(&app.url("/projects")).await?;
        // Not signed in: sent to the login form.
        assert!(c.current_url().await?.path().starts_with("/login"));
        log_in(&c, &app, "client-a@demo.local").await?;
        let cards = c.find_all(Locator::Css("[data-test=project-list] .card-link")).await?;
        assert_eq!(cards.len(), 1, "client-a sees exactly one project");
        assert_eq!(cards[0].attr("href").await?.as_deref(), Some("/projects/client-a"));
        // Client B's project does not exist for client-a.
        c.goto(&app.url("/projects/client-b")).await?;
        let title = c.find(Locator::Css("[data-test=error-title]")).await?.text().await?;
        assert!(title == "Nothing here" || title == "Здесь ничего нет", "{title}");
        assert!(c.source().await?.contains("404"));
        // Log out from the top bar; the projects page then asks for a login again.
        c.find(Locator::Css("[data-test=logout]")).await?.click().await?;
        c.wait().for_url(&url::Url::parse(&app.url("/login"))?).await?;
        c.goto(&app.url("/projects")).await?;
        assert!(c.current_url().await?.path().starts_with("/login"));
        Ok::<_, Box<dyn std::error::Error>>(())
    }
    .await;
    let _ = c.close().await;
    result.expect("browser walk");
}

// Content plan and approvals: the specialist submits and the approver approves,
// through the pages, on a phone-sized window.

async fn log_in(c: &fantoccini::Client, app: &TestApp, email: &str) -> Result<(), Box<dyn std::error::Error>> {
    c.goto(&app.url("/login")).await?;
    c.find(Locator::Css("input[name=email]"))
        .await?
        .send_keys(email)
        .await?;
    c.find(Locator::Css("input[name=password]"))
        .await?
        .send_keys(DEMO_PASSWORD)
        .await?;
    c.find(Locator::Css("button[type=submit].primary"))
        .await?
        .click()
        .await?;
    c.wait().for_element(Locator::Css("[data-test=project-list]")).await?;
    Ok(())
}

async fn post_state(c: &fantoccini::Client) -> Result<String, Box<dyn std::error::Error>> {
    let badge = c.find(Locator::Css("[data-test=post-state]")).await?;
    Ok(badge.attr("data-state").await?.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_specialist_submits_and_the_approver_approves_in_the_browser() {
    let test = "browser_approval";
    let Some(driver) = start_driver(test).await else {
        return;
    };
    let app = TestApp::demo(Backend::Sqlite, test).await.unwrap();
    let org = app
        .store
        .ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency")
        .await
        .unwrap();
    let project = app.store.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
    let draft = app
        .store
        .plan_posts_of(project.id())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.state.as_str() == "draft")
        .expect("a demo draft");
    let post_url = app.url(&format!("/projects/client-a/posts/{}", draft.id));
    let runner = keel::jobs::runner(&app.store);
    let c = browser(&driver).await;
    let result = async {
        // The specialist finds the draft beside the calendar and sends it for approval.
        log_in(&c, &app, "specialist@demo.local").await?;
        c.goto(&app.url("/projects/client-a/plan")).await?;
        c.wait().for_element(Locator::Css("[data-test=calendar]")).await?;
        let drafts = c.find_all(Locator::Css("[data-test=draft-item]")).await?;
        assert!(!drafts.is_empty(), "undated drafts sit beside the calendar");
        c.goto(&post_url).await?;
        assert_eq!(post_state(&c).await?, "draft");
        assert!(
            c.find(Locator::Css("[data-test=approve]")).await.is_err(),
            "a specialist has no approve button"
        );
        // The page's script (a static file the Content-Security-Policy allows) counts the
        // characters as the text is typed.
        let count = c.find(Locator::Css("[data-count-for]")).await?;
        let counted = count.text().await?;
        c.find(Locator::Css("textarea[data-main-text]"))
            .await?
            .send_keys(" and twelve more")
            .await?;
        let recounted = count.text().await?;
        assert_ne!(counted, recounted, "the live count follows the text");
        c.find(Locator::Css("[data-test=move-submit]")).await?.click().await?;
        c.wait()
            .for_element(Locator::Css("[data-test=post-state][data-state=in_review]"))
            .await?;
        c.find(Locator::Css("[data-test=logout]")).await?.click().await?;
        c.wait().for_url(&url::Url::parse(&app.url("/login"))?).await?;
        // The approver is notified (the job runner delivers to the inbox) …
        runner.run_due(keel_store::now()).await?;
        log_in(&c, &app, "approver-a@demo.local").await?;
        let unread = c.find(Locator::Css("[data-test=unread-count]")).await?.text().await?;
        assert!(unread.parse::<u32>()? >= 1, "{unread}");
        c.goto(&app.url("/inbox")).await?;
        let link = c
            .find(Locator::Css(&format!(
                "[data-test=inbox] a[href='/projects/client-a/posts/{}']",
                draft.id
            )))
            .await?;
        link.click().await?;
        c.wait().for_element(Locator::Css("[data-test=approve]")).await?;
        assert_eq!(post_state(&c).await?, "in_review");
        // … and approves.
        c.find(Locator::Css("[data-test=approve]")).await?.click().await?;
        c.wait()
            .for_element(Locator::Css("[data-test=post-state][data-state=approved]"))
            .await?;
        let trail = c.find(Locator::Css("[data-test=post-audit]")).await?.text().await?;
        assert!(trail.contains("Olga Approver"), "{trail}");
        Ok::<_, Box<dyn std::error::Error>>(())
    }
    .await;
    let _ = c.close().await;
    result.expect("browser walk");
    // On the record, with actor and time.
    let events = app.store.audit_of(project.id(), "post", draft.id.0).await.unwrap();
    let approval = events
        .iter()
        .find(|e| e.action == "approved")
        .expect("approval recorded");
    assert_eq!(approval.actor_email.as_deref(), Some("approver-a@demo.local"));
    let submission = events
        .iter()
        .find(|e| e.action == "submitted")
        .expect("submission recorded");
    assert_eq!(submission.actor_email.as_deref(), Some("specialist@demo.local"));
    assert!(approval.at >= submission.at);
}

// Goals, brief and agreement.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_walks_from_brief_to_goal_to_agreement_and_becomes_active() {
    let test = "browser_brief_goal_agreement";
    let Some(driver) = start_driver(test).await else {
        return;
    };
    let app = TestApp::demo(Backend::Sqlite, test).await.unwrap();
    keel::commands::create_project(&app.store, "walk", "Walk-through", Some("2026-01-01"), None)
        .await
        .unwrap();
    keel::commands::add_member(&app.store, "walk", "client-a@demo.local", "client_owner", None)
        .await
        .unwrap();
    keel::commands::add_member(&app.store, "walk", "agency@demo.local", "agency_lead", None)
        .await
        .unwrap();
    let c = browser(&driver).await;
    let result = async {
        log_in(&c, &app, "client-a@demo.local").await?;
        // The brief: the client owner describes the business.
        c.goto(&app.url("/projects/walk/brief")).await?;
        c.find(Locator::Css("[data-test=brief-form] textarea[name=business]"))
            .await?
            .send_keys("A bakery with two shops")
            .await?;
        c.find(Locator::Css("[data-test=brief-form] textarea[name=tone_of_voice]"))
            .await?
            .send_keys("Friendly")
            .await?;
        c.find(Locator::Css("[data-test=brief-form] button[type=submit]"))
            .await?
            .click()
            .await?;
        let latest = c
            .wait()
            .for_element(Locator::Css("[data-test=brief-latest]"))
            .await?
            .text()
            .await?;
        assert!(latest.contains("A bakery with two shops"), "{latest}");
        // A goal: 5,000 reach a month from an entered baseline of 2,000.
        c.goto(&app.url("/projects/walk/goals")).await?;
        let form = c.find(Locator::Css("[data-test=goal-form]")).await?;
        form.find(Locator::Css("select[name=metric] option[value=reach]"))
            .await?
            .click()
            .await?;
        form.find(Locator::Css("select[name=target_kind] option[value=absolute]"))
            .await?
            .click()
            .await?;
        form.find(Locator::Css("input[name=target_value]"))
            .await?
            .send_keys("5000")
            .await?;
        form.find(Locator::Css("input[name=baseline]"))
            .await?
            .send_keys("2000")
            .await?;
        c.execute(
            "document.querySelector('[data-test=goal-form] input[name=start]').value = '2026-01-01';\
                   document.querySelector('[data-test=goal-form] input[name=deadline]').value = '2026-03-31';",
            vec![],
        )
        .await?;
        form.find(Locator::Css("button[type=submit]")).await?.click().await?;
        let card = c
            .wait()
            .for_element(Locator::Css("section.goal[data-metric=reach]"))
            .await?;
        let id = card
            .attr("data-test")
            .await?
            .unwrap()
            .trim_start_matches("goal-")
            .to_owned();
        // The client owner agrees; the project waits for the agency.
        c.find(Locator::Css(&format!("[data-test=agree-{id}]")))
            .await?
            .click()
            .await?;
        c.wait().for_element(Locator::Css("section.goal")).await?;
        c.goto(&app.url("/projects/walk")).await?;
        let status = c.find(Locator::Css("[data-test=project-status]")).await?.text().await?;
        assert!(status == "Setup" || status == "Подготовка", "{status}");
        c.find(Locator::Css("[data-test=logout]")).await?.click().await?;
        c.wait().for_url(&url::Url::parse(&app.url("/login"))?).await?;
        // The agency lead agrees too: the project becomes active.
        log_in(&c, &app, "agency@demo.local").await?;
        c.goto(&app.url("/projects/walk/goals")).await?;
        c.find(Locator::Css(&format!("[data-test=agree-{id}]")))
            .await?
            .click()
            .await?;
        c.wait().for_element(Locator::Css("[data-test=goal-agreed]")).await?;
        c.goto(&app.url("/projects/walk")).await?;
        let status = c.find(Locator::Css("[data-test=project-status]")).await?.text().await?;
        assert!(status == "Active" || status == "Активен", "{status}");
        Ok::<_, Box<dyn std::error::Error>>(())
    }
    .await;
    let _ = c.close().await;
    result.expect("browser walk");
}

/// Every page of a project, as the agency lead sees it (the widest pages: every form shown).
const PROJECT_PAGES: [&str; 16] = [
    "/projects",
    "/projects/client-a",
    "/projects/client-a/analytics",
    "/projects/client-a/data",
    "/projects/client-a/plan",
    "/projects/client-a/plan?view=week",
    "/projects/client-a/plan?view=list",
    "/projects/client-a/audit",
    "/projects/client-a/brief",
    "/projects/client-a/goals",
    "/projects/client-a/meetings",
    "/projects/client-a/health",
    "/projects/client-a/members",
    "/projects/client-a/calendar",
    "/settings/notifications",
    "/inbox",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_project_page_fits_a_phone_in_both_languages() {
    let test = "browser_phone_width";
    let Some(driver) = start_driver(test).await else {
        return;
    };
    let app = TestApp::demo(Backend::Sqlite, test).await.unwrap();
    let c = browser(&driver).await;
    let result = async {
        log_in(&c, &app, "agency@demo.local").await?;
        // A post's own page too (the first draft of the plan).
        c.goto(&app.url("/projects/client-a/plan")).await?;
        let post = c
            .find(Locator::Css("[data-test=draft-item]"))
            .await?
            .attr("href")
            .await?
            .expect("a link");
        let mut wide = vec![];
        for (width, height) in [(390, 844), (1366, 900)] {
            c.set_window_size(width, height).await?;
            for lang in ["en", "ru"] {
                c.goto(&app.url(&format!("/lang/{lang}"))).await?;
                for path in PROJECT_PAGES.iter().copied().chain([post.as_str()]) {
                    c.goto(&app.url(path)).await?;
                    let widths = c
                        .execute(
                            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
                            vec![],
                        )
                        .await?;
                    let (scroll, client) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
                    if scroll > client {
                        wide.push(format!("{path} ({lang}): {scroll} px in a {client} px window"));
                    }
                }
            }
        }
        assert!(wide.is_empty(), "pages wider than the window: {wide:#?}");
        c.set_window_size(390, 844).await?;
        // On a phone the month is an agenda: days with posts, each with its date, no grid.
        c.goto(&app.url("/projects/client-a/plan")).await?;
        let shown = c
            .execute(
                "const seen = s => [...document.querySelectorAll(s)].filter(e => e.offsetParent !== null).length; \
                 return [seen('.calendar .day-date'), seen('.calendar .dow'), seen('.calendar .plan-item')];",
                vec![],
            )
            .await?;
        let (dates, weekday_heads, posts) = (
            shown[0].as_i64().unwrap(),
            shown[1].as_i64().unwrap(),
            shown[2].as_i64().unwrap(),
        );
        assert!(dates > 0 && posts >= dates, "{shown:?}");
        assert_eq!(weekday_heads, 0, "no grid header on a phone");
        Ok::<_, Box<dyn std::error::Error>>(())
    }
    .await;
    let _ = c.close().await;
    result.expect("browser walk");
}

// People from the web: the agency lead makes a project and invites its owner, who follows the
// link, sets a password and lands on that project alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agency_lead_creates_a_project_and_invites_an_owner_who_joins_in_the_browser() {
    let test = "browser_invitation";
    let Some(driver) = start_driver(test).await else {
        return;
    };
    let app = TestApp::demo(Backend::Sqlite, test).await.unwrap();
    let c = browser(&driver).await;
    let result = async {
        log_in(&c, &app, "agency@demo.local").await?;
        let form = c.form(Locator::Css("[data-test=new-project]")).await?;
        form.set_by_name("name", "Bakery").await?;
        form.set_by_name("slug", "bakery").await?;
        form.set_by_name("client", "Bakery Ltd").await?;
        form.submit().await?;
        c.wait()
            .for_url(&url::Url::parse(&app.url("/projects/bakery/members"))?)
            .await?;
        c.find(Locator::Css(
            "form[action='/projects/bakery/members'] input[name=email]",
        ))
        .await?
        .send_keys("new.client@example.test")
        .await?;
        c.find(Locator::Css("select[name=role] option[value=client_owner]"))
            .await?
            .click()
            .await?;
        c.find(Locator::Css("form[action='/projects/bakery/members'] button.primary"))
            .await?
            .click()
            .await?;
        let link = c
            .wait()
            .for_element(Locator::Css("[data-test=invitation-link]"))
            .await?
            .text()
            .await?;
        assert!(link.contains("/invitations/"), "{link}");
        // The invitee (in a browser that is no longer the lead's: log out first).
        c.find(Locator::Css("[data-test=logout]")).await?.click().await?;
        c.wait().for_url(&url::Url::parse(&app.url("/login"))?).await?;
        c.goto(&link).await?;
        c.find(Locator::Css("input[name=name]"))
            .await?
            .send_keys("Nina Baker")
            .await?;
        c.find(Locator::Css("input[name=password]"))
            .await?
            .send_keys("warm bread every morning")
            .await?;
        c.find(Locator::Css("button[type=submit].primary"))
            .await?
            .click()
            .await?;
        c.wait()
            .for_url(&url::Url::parse(&app.url("/projects/bakery"))?)
            .await?;
        c.goto(&app.url("/projects")).await?;
        let cards = c.find_all(Locator::Css("[data-test=project-list] .card-link")).await?;
        assert_eq!(cards.len(), 1, "the new owner sees only their project");
        assert_eq!(cards[0].attr("href").await?.as_deref(), Some("/projects/bakery"));
        Ok::<_, Box<dyn std::error::Error>>(())
    }
    .await;
    let _ = c.close().await;
    result.expect("browser walk");
}

// Connections and publishing: the agency lead connects VK and Telegram on the Connections tab,
// schedules an approved post, and sees it published with its links.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lead_connects_schedules_and_sees_the_post_published_in_the_browser() {
    let test = "browser_publishing";
    let Some(driver) = start_driver(test).await else {
        return;
    };
    let (app, vk, bot, platforms) = super::publishing::app_with_platforms(Backend::Sqlite, test)
        .await
        .unwrap();
    // An approved post with an image, dated now (scheduling keeps its date).
    let when = chrono::Utc::now();
    let id = super::publishing::approved_post(&app, "Fresh roast on Friday", when).await;
    let c = browser(&driver).await;
    let result = async {
        log_in(&c, &app, "agency@demo.local").await?;
        for (platform, account, token) in [
            (
                "vk",
                keel_testkit::vk_api::GROUP_ID.to_string(),
                keel_testkit::vk_api::TOKEN,
            ),
            (
                "telegram",
                keel_testkit::bot_api::CHANNEL.to_owned(),
                keel_testkit::bot_api::TOKEN,
            ),
        ] {
            c.goto(&app.url("/projects/client-a/connections")).await?;
            c.find(Locator::Css(&format!("select[name=platform] option[value={platform}]")))
                .await?
                .click()
                .await?;
            c.find(Locator::Css("input[name=account]"))
                .await?
                .send_keys(&account)
                .await?;
            c.find(Locator::Css("input[name=token]"))
                .await?
                .send_keys(token)
                .await?;
            c.find(Locator::Css("[data-test=connect-form] button[type=submit]"))
                .await?
                .click()
                .await?;
            c.wait()
                .for_element(Locator::Css(&format!("[data-test=connection-{platform}]")))
                .await?;
        }
        let cards = c.find(Locator::Css("[data-test=connections]")).await?.text().await?;
        assert!(cards.contains("Coffee House") && cards.contains("Working"), "{cards}");
        assert!(!c.source().await?.contains(keel_testkit::vk_api::TOKEN));
        // Schedule the approved post from its page.
        let post_url = app.url(&format!("/projects/client-a/posts/{id}"));
        c.goto(&post_url).await?;
        c.find(Locator::Css("[data-test=move-schedule]")).await?.click().await?;
        c.wait()
            .for_element(Locator::Css("[data-test=post-state][data-state=scheduled]"))
            .await?;
        // Its time comes (the runner `keel serve` runs), and the page shows it published.
        keel_app::jobs::runner_publishing(&app.store, vec![], platforms.clone())
            .run_due(when + chrono::Duration::seconds(1))
            .await?;
        c.goto(&post_url).await?;
        assert_eq!(post_state(&c).await?, "published");
        let links = c.find_all(Locator::Css("[data-test=publication-link]")).await?;
        let mut hrefs = vec![];
        for link in links {
            hrefs.push(link.attr("href").await?.unwrap_or_default());
        }
        let vk_post = vk.wall().last().map(|p| p.id).unwrap_or_default();
        assert!(
            hrefs.contains(&format!(
                "https://vk.com/wall-{}_{vk_post}",
                keel_testkit::vk_api::GROUP_ID
            )),
            "{hrefs:?}"
        );
        assert!(
            hrefs.iter().any(|h| h.starts_with("https://t.me/keel_test_channel/")),
            "{hrefs:?}"
        );
        Ok::<_, Box<dyn std::error::Error>>(())
    }
    .await;
    let _ = c.close().await;
    result.expect("browser walk");
    assert_eq!(vk.wall().len(), 1);
    assert_eq!(bot.calls_to("sendPhoto").len(), 1);
}
