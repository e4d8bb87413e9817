//! Scheduled delivery: each project may have one schedule (monthly on day N, or weekly on a
//! weekday, at a local time in the project's time zone) that e-mails the report of the period
//! just ended, as a PDF, to the people chosen (the client owner by default).
//!
//! Each delivery is a job (`report_delivery`) in the shared queue: queued when the schedule is
//! set, and the next one queued in the same transaction that records a success. A failed send
//! (no SMTP, a refused address, the server down) is an error of the job: the runner retries it
//! with backoff, and the schedule shows the last error until a send succeeds. All recipients
//! get one message, so a retry never reaches some of them twice.

use std::sync::Arc;

use chrono::{DateTime, NaiveTime, Utc};
use keel_domain::report_schedule::{Cadence, next_run, parse_zone, period_of};
use keel_domain::{Lang, ProjectId, UserId};
use keel_notify::people::{PeopleMail, ReportMail};
use keel_store::Store;
use keel_store::jobs::{Job, JobFuture, JobHandler};
use keel_store::projects::Project;
use keel_store::reports::{NewSchedule, REPORT_DELIVERY};

use crate::i18n::{Arg, LangExt};

pub use keel_store::reports::REPORT_DELIVERY as KIND;

/// A schedule as asked for, before it is checked.
#[derive(Debug, Clone)]
pub struct ScheduleInput {
    pub cadence: String,
    pub day_of: i64,
    /// `HH:MM`.
    pub at: String,
    pub lang: Lang,
    /// User ids; empty means the project's client owners.
    pub recipients: Vec<i64>,
}

/// Why a schedule was refused, in English and Russian.
#[derive(Debug, Clone, PartialEq)]
pub struct BadSchedule {
    pub en: String,
    pub ru: String,
}

impl BadSchedule {
    fn new(en: impl Into<String>, ru: impl Into<String>) -> BadSchedule {
        BadSchedule {
            en: en.into(),
            ru: ru.into(),
        }
    }

    /// The refusal in the reader's language.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ru => &self.ru,
        }
    }
}

/// Checks and stores `input` as the schedule of `project`, queueing its first delivery.
/// Returns when that is due.
pub async fn set(
    store: &Store,
    project: &Project,
    actor: UserId,
    input: &ScheduleInput,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<DateTime<Utc>, BadSchedule>> {
    let Some(cadence) = Cadence::parse(&input.cadence, input.day_of) else {
        return Ok(Err(BadSchedule::new(
            "monthly takes a day 1–28; weekly a weekday 1–7 (1 = Monday)",
            "ежемесячно — день месяца от 1 до 28; еженедельно — день недели от 1 до 7 (1 — понедельник)",
        )));
    };
    let Ok(time) = NaiveTime::parse_from_str(input.at.trim(), "%H:%M") else {
        return Ok(Err(BadSchedule::new(
            format!("`{}` is not a time as HH:MM", input.at),
            format!("«{}» — не время в виде ЧЧ:ММ", input.at),
        )));
    };
    let tz = parse_zone(&project.time_zone).unwrap_or(chrono_tz::UTC);
    let members = store.members_of(project.id()).await?;
    let recipients: Vec<i64> = if input.recipients.is_empty() {
        members
            .iter()
            .filter(|m| m.role() == Some(keel_domain::Role::ClientOwner))
            .map(|m| m.user_id)
            .collect()
    } else {
        input.recipients.clone()
    };
    if recipients.is_empty() || !recipients.iter().all(|r| members.iter().any(|m| m.user_id == *r)) {
        return Ok(Err(BadSchedule::new(
            "recipients must be members of the project",
            "получатели должны быть участниками проекта",
        )));
    }
    let next = next_run(cadence, time, tz, now);
    store
        .set_report_schedule(
            project.org(),
            project.id(),
            &NewSchedule {
                cadence: cadence.as_str(),
                day_of: cadence.day_of() as i32,
                at_time: &time.format("%H:%M").to_string(),
                lang: input.lang.code(),
                recipients: &recipients,
                next_run_at: next,
            },
            actor,
        )
        .await?;
    Ok(Ok(next))
}

/// The job handler: mails the report due at the job's time.
pub struct DeliveryJob {
    pub mail: Option<Arc<PeopleMail>>,
}

impl DeliveryJob {
    /// Registers the handler on `runner`.
    pub fn register(runner: &mut keel_store::jobs::JobRunner, mail: Option<Arc<PeopleMail>>) {
        runner.register(REPORT_DELIVERY, Arc::new(DeliveryJob { mail }));
    }
}

impl JobHandler for DeliveryJob {
    fn run<'a>(&'a self, store: &'a Store, job: &'a Job, _as_of: DateTime<Utc>) -> JobFuture<'a> {
        Box::pin(async move {
            let project = job
                .payload
                .get("project_id")
                .and_then(|v| v.as_i64())
                .ok_or_else(|| format!("job {} has no project_id", job.id))?;
            match deliver(store, self.mail.as_deref(), ProjectId(project), job.run_at).await {
                Ok(()) => Ok(()),
                Err(e) => {
                    let text = format!("{e:#}");
                    let _ = store
                        .record_report_delivery(ProjectId(project), Some(&text), None)
                        .await;
                    Err(text)
                }
            }
        })
    }
}

async fn deliver(
    store: &Store,
    mail: Option<&PeopleMail>,
    project: ProjectId,
    due: DateTime<Utc>,
) -> anyhow::Result<()> {
    let Some(schedule) = store.report_schedule(project).await? else {
        // The schedule was removed: nothing to send.
        return Ok(());
    };
    let Some(cadence) = Cadence::parse(&schedule.cadence, i64::from(schedule.day_of)) else {
        anyhow::bail!(
            "the stored schedule is not valid: {} {}",
            schedule.cadence,
            schedule.day_of
        );
    };
    let project = store.project_by_id(project).await?;
    let tz = parse_zone(&project.time_zone).unwrap_or(chrono_tz::UTC);
    let time = NaiveTime::parse_from_str(&schedule.at_time, "%H:%M").unwrap_or(NaiveTime::MIN);
    let Some(mail) = mail else {
        anyhow::bail!("no SMTP server is configured (smtp_url): the report cannot be mailed");
    };
    let (from, to) = period_of(cadence, tz, due);
    let lang = Lang::parse(&schedule.lang).unwrap_or_default();
    let t = lang.tr();
    let pdf = super::document::pdf(store, &project, Some(from), Some(to), lang).await?;
    let brand = store.org_brand(project.org()).await?;
    let org = store.org_by_id(project.org()).await?;
    let mut emails = Vec::new();
    for id in schedule.recipient_ids() {
        if let Ok(user) = store.user_by_id(UserId(id)).await {
            emails.push(user.email);
        }
    }
    anyhow::ensure!(!emails.is_empty(), "none of the schedule's recipients exists any more");
    let f = crate::charts::format::Fmt(lang);
    let period = format!("{} – {}", f.date(from), f.date(to));
    let args = [
        ("project", Arg::Text(project.name.clone())),
        ("period", Arg::Text(period)),
    ];
    let subject = t.with("reports.mail.subject", &args);
    let body = t.with("reports.mail.body", &args);
    let file_name = format!("keel-{}-report-{from}-{to}.pdf", project.slug);
    mail.report(&ReportMail {
        to: &emails,
        lang,
        subject: &subject,
        body: &body,
        brand: &org.name,
        accent: &brand.accent,
        pdf: &pdf,
        file_name: &file_name,
    })
    .await
    .map_err(|e| anyhow::anyhow!(e))?;
    let next = next_run(cadence, time, tz, due);
    store.record_report_delivery(project.id(), None, Some(next)).await?;
    tracing::info!(project = project.slug, %from, %to, recipients = emails.len(), "scheduled report mailed");
    Ok(())
}
