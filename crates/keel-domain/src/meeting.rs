//! Meetings on a schedule, the agenda Keel drafts from data, and the team's responsibility
//! matrix.

use crate::words::{Word, english, key, text};
use chrono::{DateTime, Duration, Months, Utc};
use serde::Serialize;
use std::str::FromStr;

/// How often a meeting recurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Recurrence {
    Weekly,
    Biweekly,
    Monthly,
}

impl Recurrence {
    pub const ALL: [Recurrence; 3] = [Recurrence::Weekly, Recurrence::Biweekly, Recurrence::Monthly];

    pub fn as_str(self) -> &'static str {
        match self {
            Recurrence::Weekly => "weekly",
            Recurrence::Biweekly => "biweekly",
            Recurrence::Monthly => "monthly",
        }
    }

    /// Typical days between meetings (the health check's yardstick).
    pub fn days(self) -> i64 {
        match self {
            Recurrence::Weekly => 7,
            Recurrence::Biweekly => 14,
            Recurrence::Monthly => 30,
        }
    }

    /// The `n`-th meeting after `first` (`n = 0` is `first`). Monthly meetings keep the day
    /// of month, clamped to the month's end.
    pub fn nth(self, first: DateTime<Utc>, n: u32) -> Option<DateTime<Utc>> {
        match self {
            Recurrence::Weekly => first.checked_add_signed(Duration::weeks(i64::from(n))),
            Recurrence::Biweekly => first.checked_add_signed(Duration::weeks(2 * i64::from(n))),
            Recurrence::Monthly => first.checked_add_months(Months::new(n)),
        }
    }

    /// Every meeting time in `from ..= to`.
    pub fn occurrences(self, first: DateTime<Utc>, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        (0..)
            .map_while(|n| self.nth(first, n))
            .take_while(|t| *t <= to)
            .filter(|t| *t >= from)
            .collect()
    }
}

impl FromStr for Recurrence {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Recurrence::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not one of weekly, biweekly, monthly"))
    }
}

/// One agenda point Keel drafts: a translatable kind and the facts. `text` is in English (the
/// API's); `words` is the same text in pieces, for a page in the reader's language.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AgendaItem {
    /// `goal_off_track`, `suspected_purchase`, `funnel_stage`, `awaiting_approval`,
    /// `sla_missed`.
    pub kind: &'static str,
    pub text: String,
    #[serde(skip)]
    pub words: Vec<Word>,
}

impl AgendaItem {
    fn new(kind: &'static str, words: Vec<Word>) -> AgendaItem {
        AgendaItem {
            kind,
            text: english(&words),
            words,
        }
    }
}

/// What the agenda is drafted from.
#[derive(Debug, Clone, Default)]
pub struct AgendaInput {
    /// (metric, progress %, forecast on track) of each goal.
    pub goals: Vec<(String, Option<f64>, Option<bool>)>,
    /// (account, date, excess) of each suspected purchase.
    pub spikes: Vec<(String, String, f64)>,
    /// (stage, zone, verdict) of each funnel stage off its baseline.
    pub stages_off: Vec<(String, String, String)>,
    /// (post id, excerpt) of each post waiting for the approvers.
    pub awaiting_approval: Vec<(i64, String)>,
    /// (post id, excerpt) of each urgent post that missed its SLA recently.
    pub sla_misses: Vec<(i64, String)>,
}

/// The draft: off-track goals first, then suspected purchases, funnel stages, posts waiting
/// for approval and missed urgent SLAs.
pub fn draft_agenda(input: &AgendaInput) -> Vec<AgendaItem> {
    let mut items = vec![];
    for (metric, progress, on_track) in &input.goals {
        if *on_track == Some(false) {
            let progress = progress.map(|p| format!("{p:.1} %")).unwrap_or_else(|| "—".into());
            items.push(AgendaItem::new(
                "goal_off_track",
                vec![key("metric", metric), text(format!(": {progress}"))],
            ));
        }
    }
    for (account, date, excess) in &input.spikes {
        items.push(AgendaItem::new(
            "suspected_purchase",
            vec![text(format!("{account} {date}: ≈{excess:.0}"))],
        ));
    }
    for (stage, zone, verdict) in &input.stages_off {
        items.push(AgendaItem::new(
            "funnel_stage",
            vec![
                key("funnel", stage),
                text(" ("),
                key("funnel.zone", zone),
                text("): "),
                key("funnel", verdict),
            ],
        ));
    }
    // Posts by their text: a number means nothing at a meeting.
    for (_, excerpt) in &input.awaiting_approval {
        items.push(AgendaItem::new("awaiting_approval", vec![text(format!("«{excerpt}»"))]));
    }
    for (_, excerpt) in &input.sla_misses {
        items.push(AgendaItem::new("sla_missed", vec![text(format!("«{excerpt}»"))]));
    }
    items
}

/// The areas of the responsibility matrix, in the order pages show them.
pub const TEAM_AREAS: [&str; 7] = [
    "strategy",
    "copy",
    "design",
    "targeting",
    "analytics",
    "approvals",
    "sales_follow_up",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn occurrences_follow_the_recurrence() {
        let first = at("2026-01-31T10:00:00Z");
        let weekly = Recurrence::Weekly.occurrences(first, at("2026-02-01T00:00:00Z"), at("2026-02-28T23:00:00Z"));
        assert_eq!(
            weekly,
            [
                at("2026-02-07T10:00:00Z"),
                at("2026-02-14T10:00:00Z"),
                at("2026-02-21T10:00:00Z"),
                at("2026-02-28T10:00:00Z")
            ]
        );
        let monthly = Recurrence::Monthly.occurrences(first, first, at("2026-04-01T00:00:00Z"));
        assert_eq!(monthly, [first, at("2026-02-28T10:00:00Z"), at("2026-03-31T10:00:00Z")]);
        assert_eq!(Recurrence::Biweekly.nth(first, 1), Some(at("2026-02-14T10:00:00Z")));
        assert!("daily".parse::<Recurrence>().is_err());
    }

    #[test]
    fn the_agenda_lists_only_what_needs_talking_about() {
        let input = AgendaInput {
            goals: vec![
                ("er_followers".into(), Some(12.5), Some(false)),
                ("reach".into(), Some(80.0), Some(true)),
            ],
            spikes: vec![("instagram/b".into(), "2026-06-12".into(), 6000.0)],
            stages_off: vec![("leads_to_deals".into(), "client".into(), "worse".into())],
            awaiting_approval: vec![(4, "Spring menu".into())],
            sla_misses: vec![(9, "Storm closes the shop".into())],
        };
        let agenda = draft_agenda(&input);
        let kinds: Vec<_> = agenda.iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds,
            [
                "goal_off_track",
                "suspected_purchase",
                "funnel_stage",
                "awaiting_approval",
                "sla_missed"
            ]
        );
        assert_eq!(agenda[0].text, "er_followers: 12.5 %");
        assert_eq!(agenda[2].text, "leads_to_deals (client): worse");
        assert_eq!(agenda[3].text, "«Spring menu»");
        assert_eq!(agenda[2].words[0], key("funnel", "leads_to_deals"));
    }
}
