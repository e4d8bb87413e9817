//! A goal as typed (API body or form) turned into a validated [`GoalInput`] by the use-case
//! layer (`keel_app::goals`), so the API and the goals page refuse the same things with the
//! same words.

use crate::WebError;
use chrono::NaiveDate;
use keel_store::Store;
use keel_store::goals::GoalInput;
use keel_store::projects::Project;

pub use keel_app::goals::RawGoal;

/// Validates `raw`; `today` is the default start. An invalid field is a `BadRequest` with its
/// reason, which the goals page shows above its form.
pub async fn validate(
    store: &Store,
    project: &Project,
    raw: &RawGoal,
    today: NaiveDate,
) -> Result<GoalInput, WebError> {
    keel_app::goals::validate(store, project, raw, today)
        .await
        .map_err(|e| match e {
            keel_app::AppError::Refused(r @ keel_app::Refusal::Invalid { .. }) => WebError::BadRequest(r.to_string()),
            other => other.into(),
        })
}
