//! Scheduled report delivery through the job runner and a loopback SMTP server: a monthly
//! schedule of client-a (Moscow time) mails October's report as a PDF to the client owner on
//! 1 November at 09:00 MSK, then queues December's; a send that fails (no SMTP) is retried and
//! its error shown on the schedule until a send succeeds.

use crate::helpers::*;
use base64::Engine;
use keel_domain::Lang;
use keel_notify::email::SmtpSettings;
use keel_notify::people::PeopleMail;
use keel_store::jobs::JobRunner;
use keel_testkit::smtp::start_smtp;
use keel_web::report_schedule::{DeliveryJob, ScheduleInput, set};
use std::sync::Arc;

fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

/// The attachment of a received message, decoded.
fn attachment(data: &str) -> (String, Vec<u8>) {
    let ty = data.find("Content-Type: application/pdf").expect("a PDF part");
    // RFC 2231 parameter: `filename*0="…"` (lettre splits long names).
    let name_at = data.find("filename").expect("a file name");
    let quoted = name_at + data[name_at..].find('"').unwrap() + 1;
    let name: String = data[quoted..].chars().take_while(|c| *c != '"').collect();
    let headers_end = ty.max(name_at);
    let body_at = headers_end + data[headers_end..].find("\r\n\r\n").unwrap() + 4;
    let body: String = data[body_at..]
        .lines()
        .take_while(|l| !l.starts_with("--"))
        .collect::<Vec<_>>()
        .concat();
    (
        name,
        base64::engine::general_purpose::STANDARD.decode(body.trim()).unwrap(),
    )
}

on_both_backends! {
    async fn a_monthly_schedule_mails_the_pdf_to_the_client_owner_in_the_projects_time_zone(backend) {
        let Some(app) = TestApp::demo(backend, "report_schedule").await else { return };
        let (port, inbox) = start_smtp();
        let mail = PeopleMail::new(&SmtpSettings { url: format!("smtp://127.0.0.1:{port}"), from: "Keel <keel@agency.test>".into() }).unwrap();
        let org = app.store.default_org().await.unwrap();
        let project = app.store.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
        assert_eq!(project.time_zone, "Europe/Moscow", "the demo works in Moscow");
        let lead = app.store.user_by_email(&keel_domain::Email::parse("agency@demo.local").unwrap()).await.unwrap().unwrap();
        let input = ScheduleInput { cadence: "monthly".into(), day_of: 1, at: "09:00".into(), lang: Lang::En, recipients: vec![] };
        let next = set(&app.store, &project, lead.id(), &input, utc("2026-10-15T12:00:00Z")).await.unwrap().unwrap();
        assert_eq!(next, utc("2026-11-01T06:00:00Z"), "09:00 in Moscow");
        let schedule = app.store.report_schedule(project.id()).await.unwrap().unwrap();
        let owner = app.store.user_by_email(&keel_domain::Email::parse("client-a@demo.local").unwrap()).await.unwrap().unwrap();
        assert_eq!(schedule.recipient_ids(), vec![owner.id().0], "the client owner by default");

        // First without SMTP: the send fails, is kept for a retry, and the schedule says why.
        let mut broken = JobRunner::new(app.store.clone());
        DeliveryJob::register(&mut broken, None);
        let summary = broken.run_due(next + chrono::Duration::seconds(1)).await.unwrap();
        assert_eq!(summary.retried, 1, "{summary:?}");
        let schedule = app.store.report_schedule(project.id()).await.unwrap().unwrap();
        assert!(schedule.last_error.as_deref().unwrap_or("").contains("SMTP"), "{schedule:?}");
        assert!(inbox.lock().unwrap().is_empty());

        // The retry, with SMTP: one message to the owner with the PDF of October.
        let mut runner = JobRunner::new(app.store.clone());
        DeliveryJob::register(&mut runner, Some(Arc::new(mail)));
        let summary = runner.run_due(next + chrono::Duration::hours(2)).await.unwrap();
        assert_eq!(summary.succeeded, 1, "{summary:?}");
        let received = inbox.lock().unwrap().clone();
        assert_eq!(received.len(), 1);
        assert_eq!(received[0].rcpt_to.len(), 1);
        assert!(received[0].rcpt_to[0].contains("client-a@demo.local"), "{:?}", received[0].rcpt_to);
        let data = String::from_utf8_lossy(&received[0].data).into_owned();
        assert!(data.contains("Subject: Client A"), "{data}");
        assert!(data.contains("Demo Agency"), "the agency's name in the e-mail");
        let (name, pdf) = attachment(&data);
        assert_eq!(name, "keel-client-a-report-2026-10-01-2026-10-31.pdf");
        assert!(pdf.starts_with(b"%PDF"));
        if let Some(text) = crate::client_reports::pdf_text("scheduled_pdf", &pdf) {
            assert!(text.contains("1 Oct 2026 – 31 Oct 2026"), "{text}");
        }
        // Recorded, and December's delivery queued.
        let schedule = app.store.report_schedule(project.id()).await.unwrap().unwrap();
        assert!(schedule.last_error.is_none() && schedule.last_sent_at.is_some(), "{schedule:?}");
        assert_eq!(schedule.next_run_at, utc("2026-12-01T06:00:00Z"));
        let pending: Vec<_> = app.store.jobs_of_kind("report_delivery").await.unwrap().into_iter().filter(|j| j.state == "pending").collect();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].run_at, utc("2026-12-01T06:00:00Z"));
        // Nothing more is due before then.
        let summary = runner.run_due(utc("2026-11-30T00:00:00Z")).await.unwrap();
        assert_eq!(summary.succeeded + summary.retried + summary.failed, 0);
    }
}
