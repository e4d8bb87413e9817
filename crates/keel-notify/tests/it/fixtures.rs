//! A store on a temporary SQLite file with one organization, project and two people. (The store
//! functions used here are tested on both backends in the `keel` crate's suite.)

use keel_domain::notification::{Notification, NotificationKind};
use keel_domain::{Email, ProjectId, ProjectName, Slug, UserId};
use keel_store::Store;
use keel_store::projects::NewProject;

pub struct Fixture {
    pub store: Store,
    pub project: ProjectId,
    /// Approver with Russian chosen for notifications.
    pub olga: UserId,
    /// Specialist who never chose a language.
    pub sam: UserId,
    _dir: tempfile::TempDir,
}

pub async fn fixture() -> Fixture {
    let (url, dir) = keel_testkit::temp_sqlite();
    let store = Store::open(&url).await.unwrap();
    let org = store.ensure_org("agency", "Agency").await.unwrap();
    let project = store
        .create_project(&NewProject {
            org: org.id(),
            slug: Slug::parse("client-a").unwrap(),
            name: ProjectName::parse("Client A — coffee").unwrap(),
            started_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            client: None,
        })
        .await
        .unwrap();
    let user = |email: &'static str, name: &'static str| {
        let store = store.clone();
        let org = org.id();
        async move {
            store
                .create_user(org, &Email::parse(email).unwrap(), name, "not-a-real-hash", false)
                .await
                .unwrap()
                .id()
        }
    };
    let olga = user("olga@client.test", "Ольга Петрова").await;
    let sam = user("sam@agency.test", "Sam Specialist").await;
    store.set_notify_language(olga, Some("ru")).await.unwrap();
    Fixture {
        store,
        project: project.id(),
        olga,
        sam,
        _dir: dir,
    }
}

pub fn submitted(to: UserId, project: ProjectId, post_id: i64) -> Notification {
    Notification {
        kind: NotificationKind::PostSubmitted,
        recipient: to,
        project,
        post_id,
        title: "Approval needed: «Spring menu launch»".into(),
        body: "Sam submitted it; first round.".into(),
        link_path: format!("/projects/client-a/posts/{post_id}"),
    }
}
