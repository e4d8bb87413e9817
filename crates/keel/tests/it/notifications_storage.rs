//! Notification preferences, Telegram links and iCal feed secrets, on both backends.

use crate::helpers::*;
use keel_domain::notification::{Channel, NotificationKind};
use keel_domain::{Email, UserId};
use keel_store::Store;
use keel_store::notify_prefs::PreferenceGrid;

async fn user(store: &Store, email: &str) -> UserId {
    store
        .user_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .expect("demo user")
        .id()
}

async fn project(store: &Store, slug: &str) -> keel_store::projects::Project {
    let org = store
        .ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency")
        .await
        .unwrap();
    store.project_by_slug(org.id(), slug).await.unwrap().unwrap()
}

on_both_backends! {
    async fn preferences_default_to_everything_on_and_are_replaced_whole(backend) {
        let Some(app) = TestApp::demo(backend, "notify_prefs").await else { return };
        let approver = user(&app.store, "approver-a@demo.local").await;
        let grid = app.store.notification_preferences(approver).await.unwrap();
        assert_eq!(grid, PreferenceGrid::all_on());
        assert!(app.store.wants_notification(approver, NotificationKind::CommentAdded, Channel::Email).await.unwrap());

        let chosen = PreferenceGrid::only(&[
            (NotificationKind::PostSubmitted, Channel::Email),
            (NotificationKind::PostSubmitted, Channel::Telegram),
        ]);
        app.store.set_notification_preferences(approver, &chosen).await.unwrap();
        let back = app.store.notification_preferences(approver).await.unwrap();
        assert_eq!(back, chosen);
        assert!(back.wants(NotificationKind::PostSubmitted, Channel::Telegram));
        assert!(!back.wants(NotificationKind::PostSubmitted, Channel::InApp));
        assert!(!app.store.wants_notification(approver, NotificationKind::CommentAdded, Channel::Email).await.unwrap());
        assert!(app.store.wants_notification(approver, NotificationKind::PostSubmitted, Channel::Email).await.unwrap());
        // Another user's choices are untouched.
        let owner = user(&app.store, "client-a@demo.local").await;
        assert_eq!(app.store.notification_preferences(owner).await.unwrap(), PreferenceGrid::all_on());
        // Saving again replaces, it does not add.
        app.store.set_notification_preferences(approver, &PreferenceGrid::all_on()).await.unwrap();
        assert_eq!(app.store.notification_preferences(approver).await.unwrap(), PreferenceGrid::all_on());
    }

    async fn the_notification_language_is_stored_and_checked(backend) {
        let Some(app) = TestApp::demo(backend, "notify_lang").await else { return };
        let approver = user(&app.store, "approver-a@demo.local").await;
        assert_eq!(app.store.recipient(approver).await.unwrap().notify_language, None);
        app.store.set_notify_language(approver, Some("ru")).await.unwrap();
        let r = app.store.recipient(approver).await.unwrap();
        assert_eq!(r.notify_language.as_deref(), Some("ru"));
        assert_eq!(r.email, "approver-a@demo.local");
        let err = app.store.set_notify_language(approver, Some("de")).await.unwrap_err();
        assert!(err.to_string().contains("`de`"), "{err}");
    }

    async fn a_link_code_links_one_chat_once_and_expires(backend) {
        let Some(app) = TestApp::demo(backend, "notify_tg_codes").await else { return };
        let approver = user(&app.store, "approver-a@demo.local").await;
        let owner = user(&app.store, "client-a@demo.local").await;
        let code = app.store.create_telegram_link_code(approver).await.unwrap();
        assert_eq!(code.len(), 32);
        // Only the hash is stored.
        let stored: Vec<String> = keel_store::on_pool!(app.store.raw_pool_for_tests(), p => {
            sqlx::query_scalar("SELECT code_hash FROM telegram_link_codes").fetch_all(p).await
        }).unwrap();
        assert!(!stored.contains(&code));

        assert_eq!(app.store.redeem_telegram_link_code("0123456789abcdef0123456789abcdef", 555, None).await.unwrap(), None);
        assert_eq!(app.store.redeem_telegram_link_code(&code, 555, Some("anna")).await.unwrap(), Some(approver));
        let link = app.store.telegram_link_of(approver).await.unwrap().unwrap();
        assert_eq!((link.chat_id, link.username.as_deref()), (555, Some("anna")));
        assert_eq!(app.store.user_by_telegram_chat(555).await.unwrap(), Some(approver));
        // Single use.
        assert_eq!(app.store.redeem_telegram_link_code(&code, 777, None).await.unwrap(), None);

        // A newer code replaces an unused older one.
        let first = app.store.create_telegram_link_code(owner).await.unwrap();
        let second = app.store.create_telegram_link_code(owner).await.unwrap();
        assert_eq!(app.store.redeem_telegram_link_code(&first, 777, None).await.unwrap(), None);
        // An expired code does nothing.
        keel_store::on_pool!(app.store.raw_pool_for_tests(), p => {
            sqlx::query("UPDATE telegram_link_codes SET expires_at = $1 WHERE used_at IS NULL")
                .bind(keel_store::now() - chrono::Duration::seconds(1))
                .execute(p).await.map(|_| ())
        }).unwrap();
        assert_eq!(app.store.redeem_telegram_link_code(&second, 777, None).await.unwrap(), None);
        assert_eq!(app.store.user_by_telegram_chat(777).await.unwrap(), None);

        // The same chat linked by another person moves to them.
        let third = app.store.create_telegram_link_code(owner).await.unwrap();
        assert_eq!(app.store.redeem_telegram_link_code(&third, 555, None).await.unwrap(), Some(owner));
        assert_eq!(app.store.user_by_telegram_chat(555).await.unwrap(), Some(owner));
        assert_eq!(app.store.telegram_link_of(approver).await.unwrap(), None);

        assert!(app.store.unlink_telegram(owner).await.unwrap());
        assert!(!app.store.unlink_telegram(owner).await.unwrap());
        assert_eq!(app.store.user_by_telegram_chat(555).await.unwrap(), None);
    }

    async fn feed_secrets_open_one_project_until_revoked(backend) {
        let Some(app) = TestApp::demo(backend, "notify_feeds").await else { return };
        let a = project(&app.store, "client-a").await;
        let b = project(&app.store, "client-b").await;
        let lead = user(&app.store, "agency@demo.local").await;
        let (id1, secret1) = app.store.create_ical_feed(a.org(), a.id(), "Google Calendar", lead).await.unwrap();
        let (_id2, secret2) = app.store.create_ical_feed(a.org(), a.id(), "Phone", lead).await.unwrap();
        assert!(secret1.starts_with("keelcal_"));
        assert_ne!(secret1, secret2);
        let target = app.store.ical_feed_by_secret(&secret1).await.unwrap().unwrap();
        assert_eq!((target.project(), target.project_slug.as_str()), (a.id(), "client-a"));
        let feeds = app.store.ical_feeds_of(a.id()).await.unwrap();
        assert_eq!(feeds.len(), 2);
        assert_eq!(feeds[1].label, "Google Calendar");
        assert_eq!(feeds[1].created_by_name.as_deref(), Some("Anna Lead (agency)"));
        assert!(app.store.ical_feeds_of(b.id()).await.unwrap().is_empty());

        // Another project's id does not revoke this feed.
        assert!(!app.store.revoke_ical_feed(b.id(), id1).await.unwrap());
        assert!(app.store.ical_feed_by_secret(&secret1).await.unwrap().is_some());
        assert!(app.store.revoke_ical_feed(a.id(), id1).await.unwrap());
        assert!(!app.store.revoke_ical_feed(a.id(), id1).await.unwrap());
        assert_eq!(app.store.ical_feed_by_secret(&secret1).await.unwrap(), None);
        // The other feed still works; a made-up secret never does.
        assert!(app.store.ical_feed_by_secret(&secret2).await.unwrap().is_some());
        assert_eq!(app.store.ical_feed_by_secret("keelcal_nope").await.unwrap(), None);
        let long = "x".repeat(81);
        assert!(app.store.create_ical_feed(a.org(), a.id(), &long, lead).await.is_err());
    }
}
