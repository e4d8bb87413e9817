//! `bitrix24`: Bitrix24 REST `crm.deal.list` answers (`{"result": [deal…], "next": 50,
//! "total": 120, "time": {…}}`), one answer, a JSON array of answers or one a line. Bitrix24
//! gives every field as a string (`"ID": "12"`, `"OPPORTUNITY": "1500.00"`), an empty string
//! for an empty field, and dates as `2024-03-01T10:00:00+03:00`.
//!
//! Each deal becomes a lead: lead_id = `bitrix24-<ID>`, created_at = `DATE_CREATE`, amount =
//! `OPPORTUNITY`, source = `UTM_SOURCE`, else `SOURCE_ID` (Bitrix24's source, e.g. `WEB`,
//! `CALL`), campaign = `UTM_CAMPAIGN`, repeat = `IS_RETURN_CUSTOMER` is `Y`.
//!
//! Status from `STAGE_SEMANTIC_ID`: `S` (success) is `won`, `F` (failure) is `lost`, `P`
//! (in progress) is open: `new` while the deal is in its pipeline's first stage (`STAGE_ID`
//! `NEW`, or `C<n>:NEW` in pipeline n), `qualified` in any later stage. closed_at =
//! `CLOSEDATE` of a won or lost deal; an open deal's `CLOSEDATE` is only the planned date, and
//! is not taken. An error answer (`{"error", "error_description"}`) is refused with its words.

use crate::ImportOptions;
use crate::error::Reason;
use crate::json::{Cx, JsonFormat, Node};
use keel_store::data::LeadRow;

pub(crate) struct Bitrix24;

impl JsonFormat for Bitrix24 {
    type Row = LeadRow;
    const NOTHING: (&'static str, &'static str) = ("deals (result is empty)", "сделок: result пуст");

    fn new(_: &ImportOptions) -> Self {
        Bitrix24
    }

    fn page(&mut self, page: &Node<'_>, cx: &mut Cx<'_>, out: &mut Vec<LeadRow>) {
        if let Some(error) = page.get("error") {
            let code = error.v.as_str().map_or_else(|| error.v.to_string(), str::to_owned);
            let words = page
                .v
                .get("error_description")
                .and_then(|d| d.as_str())
                .unwrap_or_default();
            cx.bad(
                &error,
                Reason::new(
                    format!("the answer is a Bitrix24 error, not data: {code} {words}"),
                    format!("это ответ Bitrix24 с ошибкой, а не данные: {code} {words}"),
                ),
            );
            return;
        }
        let Some(result) = cx.req(page, "result") else { return };
        for deal in cx.array(&result) {
            if cx.problems.full() {
                return;
            }
            if let Some(row) = deal_row(&deal, cx) {
                out.push(row);
            }
        }
    }
}

/// A field's text: `None` when absent, null or empty.
fn text<'v>(deal: &Node<'v>, key: &str, cx: &mut Cx<'_>) -> Option<Node<'v>> {
    let node = deal.get(key)?;
    match node.v.as_str() {
        Some(s) if s.trim().is_empty() => None,
        Some(_) => Some(node),
        None => {
            // Numbers are taken as their digits; anything else is wrong.
            if node.v.is_number() {
                Some(node)
            } else {
                cx.string(&node);
                None
            }
        }
    }
}

fn deal_row(deal: &Node<'_>, cx: &mut Cx<'_>) -> Option<LeadRow> {
    if !cx.object(deal) {
        return None;
    }
    let before = cx.problems.len();
    let id = match text(deal, "ID", cx) {
        Some(n) => cx.label(&n),
        None => {
            cx.missing(deal, "ID");
            None
        }
    };
    let created_at = match text(deal, "DATE_CREATE", cx) {
        Some(n) => cx.timestamp(&n),
        None => {
            cx.missing(deal, "DATE_CREATE");
            None
        }
    };
    let semantic = match text(deal, "STAGE_SEMANTIC_ID", cx) {
        Some(n) => match n.v.as_str().map(str::trim) {
            Some(s @ ("S" | "F" | "P")) => Some(s),
            _ => {
                cx.bad(
                    &n,
                    Reason::new(
                        "is not a stage's meaning (expected S, F or P)",
                        "это не смысл стадии (нужно S, F или P)",
                    ),
                );
                None
            }
        },
        None => {
            cx.missing(deal, "STAGE_SEMANTIC_ID");
            None
        }
    };
    let stage = deal.get("STAGE_ID").and_then(|n| n.v.as_str()).unwrap_or_default();
    let first_stage = stage == "NEW" || stage.ends_with(":NEW");
    let closed = matches!(semantic, Some("S" | "F"));
    let closed_at = match text(deal, "CLOSEDATE", cx) {
        Some(n) if closed => cx.timestamp(&n),
        _ => None,
    };
    let amount = text(deal, "OPPORTUNITY", cx).and_then(|n| cx.decimal(&n));
    let source = match text(deal, "UTM_SOURCE", cx) {
        Some(n) => cx.label(&n),
        None => text(deal, "SOURCE_ID", cx).and_then(|n| cx.label(&n)),
    };
    let campaign = text(deal, "UTM_CAMPAIGN", cx).and_then(|n| cx.label(&n));
    let repeat = deal.get("IS_RETURN_CUSTOMER").and_then(|n| n.v.as_str()) == Some("Y");
    if cx.problems.len() != before {
        return None;
    }
    let status = match semantic? {
        "S" => "won",
        "F" => "lost",
        _ if first_stage => "new",
        _ => "qualified",
    };
    Some(LeadRow {
        lead_id: format!("bitrix24-{}", id?),
        created_at: created_at?,
        source,
        campaign,
        status: status.to_owned(),
        amount,
        closed_at,
        repeat,
    })
}
