//! Storage errors: the variants callers act on are explicit; driver errors keep their cause.

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique key already holds this value (a taken slug or e-mail).
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    /// Like `Invalid`, worded for people in both interface languages (what a page may show).
    #[error("{en}")]
    Unacceptable { en: String, ru: String },
    /// The caller's relation to the resource does not allow the action (HTTP 403).
    #[error("{0}")]
    Forbidden(String),
    /// A workflow rule refused the action; `keel-app` words it in the reader's language.
    #[error("refused by the workflow: {0:?}")]
    Refused(keel_domain::workflow::Refusal),
    #[error("database configuration: {0}")]
    Config(String),
    #[error("cannot connect to the database {0}")]
    Connect(String),
    #[error(
        "the database schema is at version {found}, newer than this keel binary knows ({known}); \
         run a newer keel, or restore a backup taken before the upgrade"
    )]
    SchemaTooNew { found: i64, known: i64 },
    #[error("database migration failed: {0}")]
    Migrate(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

impl StoreError {
    /// Turns a unique-constraint violation into [`StoreError::Conflict`] with `message`.
    pub fn on_unique(self, message: impl Into<String>) -> StoreError {
        match &self {
            StoreError::Db(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                StoreError::Conflict(message.into())
            }
            _ => self,
        }
    }
}

/// `fetch_optional` → `NotFound` in one step.
pub trait OrNotFound<T> {
    fn or_not_found(self) -> StoreResult<T>;
}

impl<T> OrNotFound<T> for Result<Option<T>, sqlx::Error> {
    fn or_not_found(self) -> StoreResult<T> {
        self?.ok_or(StoreError::NotFound)
    }
}
