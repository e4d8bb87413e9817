//! The versioned brief: a new version is checked field by field and saved whole (versions
//! are never edited); the agency lead acknowledges a version they have read.

use crate::access::ProjectAccess;
use crate::refusal::{AppResult, Refusal};
use keel_domain::brief::{BriefContent, BriefProblem, FieldChange, compare};
use keel_store::Store;
use keel_store::brief::BriefVersion;

impl From<BriefProblem> for Refusal {
    fn from(p: BriefProblem) -> Refusal {
        Refusal::invalid(p.field, p.reason)
    }
}

/// Saves `content` as the project's next version, written by `who`.
pub async fn save(store: &Store, who: &ProjectAccess, content: BriefContent) -> AppResult<BriefVersion> {
    let content = content.validated().map_err(Refusal::from)?;
    Ok(store
        .save_brief(who.project.org(), who.project.id(), &content, who.user.id())
        .await?)
}

/// `who` acknowledges `version` of the project's brief.
pub async fn acknowledge(store: &Store, who: &ProjectAccess, version: i64) -> AppResult<BriefVersion> {
    Ok(store
        .acknowledge_brief(who.project.org(), who.project.id(), version, who.user.id())
        .await?)
}

/// Versions `left` and `right` of the project's brief, field by field.
pub async fn compare_versions(
    store: &Store,
    who: &ProjectAccess,
    left: i64,
    right: i64,
) -> AppResult<Vec<FieldChange>> {
    let left = store.brief_version(who.project.id(), left).await?;
    let right = store.brief_version(who.project.id(), right).await?;
    Ok(compare(&left.content(), &right.content()))
}
