//! `amocrm`: amoCRM API v4 `/api/v4/leads` pages (`{"_page", "_links", "_embedded":
//! {"leads": […]}}`), one page, a JSON array of pages or one page a line; optionally with the
//! account's `/api/v4/leads/pipelines` answer (`{"_embedded": {"pipelines": [{"id",
//! "_embedded": {"statuses": [{"id", "sort", "type"}]}}]}}`) anywhere among them.
//!
//! Each lead becomes a lead: lead_id = `amocrm-<id>`, created_at = `created_at` and
//! closed_at = `closed_at` (Unix seconds; `null` while open), amount = `price`, source and
//! campaign = the lead's `UTM_SOURCE` and `UTM_CAMPAIGN` tracking fields
//! (`custom_fields_values[]` by `field_code`; NULL without them), repeat = false (amoCRM's
//! lead carries no such flag).
//!
//! Status: `status_id` 142 ("successfully realized") is `won`, 143 ("closed and not
//! realized") is `lost`, in every pipeline. Any other status is open, and becomes `new` or
//! `qualified`: when the file has the pipelines answer, a lead in its pipeline's unsorted
//! status (`type` 1) or in the first stage (the open status with the lowest `sort`) is `new`
//! and a lead in any later stage is `qualified` (someone moved it on); without the pipelines
//! answer every open lead is `new` (Keel cannot tell the stages apart, and does not count a
//! lead as qualified without knowing).
//!
//! The leads are held (as rows) until the end of the file, since the pipelines may follow.

use crate::ImportOptions;
use crate::error::Reason;
use crate::json::{Cx, JsonFormat, Node};
use keel_store::data::LeadRow;
use std::collections::HashMap;

pub(crate) const WON: i64 = 142;
pub(crate) const LOST: i64 = 143;

pub(crate) struct Amocrm {
    /// Leads read, each with its pipeline and status.
    leads: Vec<(LeadRow, i64, i64)>,
    /// Per pipeline, the open statuses that count as new.
    first_stages: HashMap<i64, Vec<i64>>,
}

impl JsonFormat for Amocrm {
    type Row = LeadRow;
    const NOTHING: (&'static str, &'static str) = ("leads (_embedded.leads is empty)", "сделок: _embedded.leads пуст");

    fn new(_: &ImportOptions) -> Self {
        Amocrm {
            leads: Vec::new(),
            first_stages: HashMap::new(),
        }
    }

    fn page(&mut self, page: &Node<'_>, cx: &mut Cx<'_>, _out: &mut Vec<LeadRow>) {
        let Some(embedded) = page.get("_embedded") else {
            let what = if page.has("title") && page.has("status") {
                let title = page.v.get("title").and_then(|t| t.as_str()).unwrap_or_default();
                let detail = page.v.get("detail").and_then(|t| t.as_str()).unwrap_or_default();
                format!(": it is an amoCRM error answer ({title} {detail})")
            } else {
                String::new()
            };
            cx.bad(
                page,
                Reason::new(
                    format!("is not an amoCRM leads or pipelines answer: it has no \"_embedded\"{what}"),
                    format!("это не ответ amoCRM со сделками или воронками: в нём нет \"_embedded\"{what}"),
                ),
            );
            return;
        };
        if !cx.object(&embedded) {
            return;
        }
        if let Some(pipelines) = embedded.get("pipelines") {
            for pipeline in cx.array(&pipelines) {
                self.pipeline(&pipeline, cx);
            }
            return;
        }
        let Some(leads) = cx.req(&embedded, "leads") else {
            return;
        };
        for lead in cx.array(&leads) {
            if cx.problems.full() {
                return;
            }
            if let Some(read) = lead_row(&lead, cx) {
                self.leads.push(read);
            }
        }
    }

    fn end(&mut self, _cx: &mut Cx<'_>, out: &mut Vec<LeadRow>) {
        for (mut row, pipeline, status) in std::mem::take(&mut self.leads) {
            row.status = match status {
                WON => "won",
                LOST => "lost",
                _ => match self.first_stages.get(&pipeline) {
                    Some(first) if !first.contains(&status) => "qualified",
                    _ => "new",
                },
            }
            .to_owned();
            out.push(row);
        }
    }
}

impl Amocrm {
    fn pipeline(&mut self, pipeline: &Node<'_>, cx: &mut Cx<'_>) {
        if !cx.object(pipeline) {
            return;
        }
        let Some(id) = cx.req(pipeline, "id").and_then(|n| cx.count(&n)) else {
            return;
        };
        let Some(embedded) = cx.req(pipeline, "_embedded") else {
            return;
        };
        let Some(statuses) = cx.req(&embedded, "statuses") else {
            return;
        };
        let mut open: Vec<(i64, i64, i64)> = Vec::new();
        for status in cx.array(&statuses) {
            if !cx.object(&status) {
                continue;
            }
            let sid = cx.req(&status, "id").and_then(|n| cx.count(&n));
            let sort = status.get("sort").and_then(|n| cx.count(&n)).unwrap_or(0);
            let kind = status.get("type").and_then(|n| cx.count(&n)).unwrap_or(0);
            if let Some(sid) = sid
                && sid != WON
                && sid != LOST
            {
                open.push((sid, sort, kind));
            }
        }
        let first_sorted = open.iter().filter(|s| s.2 != 1).min_by_key(|s| s.1).map(|s| s.0);
        let new: Vec<i64> = open
            .iter()
            .filter(|s| s.2 == 1 || Some(s.0) == first_sorted)
            .map(|s| s.0)
            .collect();
        self.first_stages.insert(id, new);
    }
}

/// A lead's row (status still to be decided), its pipeline and status.
fn lead_row(lead: &Node<'_>, cx: &mut Cx<'_>) -> Option<(LeadRow, i64, i64)> {
    if !cx.object(lead) {
        return None;
    }
    let before = cx.problems.len();
    let id = cx.req(lead, "id").and_then(|n| cx.count(&n));
    let status = cx.req(lead, "status_id").and_then(|n| cx.count(&n));
    let pipeline = lead.get("pipeline_id").and_then(|n| cx.count(&n)).unwrap_or(0);
    let created_at = cx.req(lead, "created_at").and_then(|n| cx.unix_time(&n));
    let closed_at = match lead.get("closed_at") {
        // amoCRM writes 0 as well as null for "not closed".
        Some(n) if n.v.as_i64() == Some(0) => None,
        Some(n) => cx.unix_time(&n),
        None => None,
    };
    let amount = lead.get("price").and_then(|n| cx.decimal(&n));
    let (mut source, mut campaign) = (None, None);
    if let Some(fields) = lead.get("custom_fields_values") {
        for field in cx.array(&fields) {
            let code = field.v.get("field_code").and_then(|c| c.as_str()).unwrap_or_default();
            let slot = match code {
                "UTM_SOURCE" => &mut source,
                "UTM_CAMPAIGN" => &mut campaign,
                _ => continue,
            };
            let Some(values) = cx.req(&field, "values") else {
                continue;
            };
            if let Some(value) = cx.array(&values).first().and_then(|v| cx.req(v, "value")) {
                *slot = cx.label(&value);
            }
        }
    }
    if cx.problems.len() != before {
        return None;
    }
    let row = LeadRow {
        lead_id: format!("amocrm-{}", id?),
        created_at: created_at?,
        source,
        campaign,
        status: String::new(),
        amount,
        closed_at,
        repeat: false,
    };
    Some((row, pipeline, status?))
}
