//! Why an import failed: problems in the file (with line, column and reason), or trouble
//! reading it or storing it.

use keel_store::StoreError;
use std::fmt;

/// At most this many problems are collected; a file that bad needs fixing at the source.
pub const MAX_PROBLEMS: usize = 20;

/// One thing wrong with a file: where, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Problem {
    /// The line of the file the row starts on; the header is line 1. In a JSON file, the line
    /// its answer (page) starts on, or the line of a syntax error.
    pub line: u64,
    /// The header name of the column; in a JSON file, the JSON path of the offending value
    /// (e.g. `response.items[3].likes.count`, prefixed with `[n]` in an array of answers).
    pub column: String,
    /// What is wrong, quoting the offending value (English: the CLI, the API, logs).
    pub reason: String,
    /// The same reason in Russian, for pages read in Russian. Not part of the API's answer.
    #[serde(skip)]
    pub reason_ru: String,
    /// Whether `column` is a JSON path rather than a column's name (how it is worded).
    #[serde(skip)]
    pub at_path: bool,
}

/// Two problems are the same when they are at the same place for the same reason; the
/// Russian wording follows the English one.
impl PartialEq for Problem {
    fn eq(&self, other: &Self) -> bool {
        (self.line, &self.column, &self.reason) == (other.line, &other.column, &other.reason)
    }
}

impl Eq for Problem {}

impl Problem {
    /// Where and why, in Russian.
    pub fn to_russian(&self) -> String {
        let reason = if self.reason_ru.is_empty() {
            &self.reason
        } else {
            &self.reason_ru
        };
        if self.column.is_empty() {
            format!("строка {}: {reason}", self.line)
        } else if self.at_path {
            format!("строка {}, в {}: {reason}", self.line, self.column)
        } else {
            format!("строка {}, столбец «{}»: {reason}", self.line, self.column)
        }
    }
}

/// Why a cell or a file is wrong, in both interface languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub en: String,
    pub ru: String,
}

impl Reason {
    pub fn new(en: impl Into<String>, ru: impl Into<String>) -> Self {
        Reason {
            en: en.into(),
            ru: ru.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "line {}: {}", self.line, self.reason)
        } else if self.at_path {
            write!(f, "line {}, at {}: {}", self.line, self.column, self.reason)
        } else {
            write!(f, "line {}, column \"{}\": {}", self.line, self.column, self.reason)
        }
    }
}

/// Why an import stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is malformed; the first [`MAX_PROBLEMS`] problems, in file order.
    #[error("{}", invalid_message(.0))]
    Invalid(Vec<Problem>),
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    /// The database refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A bug: the reading thread died. Nothing was stored.
    #[error("the import stopped unexpectedly: {0}")]
    Internal(String),
}

fn invalid_message(problems: &[Problem]) -> String {
    let mut msg = format!(
        "the file was rejected and nothing was stored; {}:",
        if problems.len() >= MAX_PROBLEMS {
            format!("the first {MAX_PROBLEMS} problems")
        } else if problems.len() == 1 {
            "1 problem".to_owned()
        } else {
            format!("{} problems", problems.len())
        }
    );
    for p in problems {
        msg.push_str("\n  ");
        msg.push_str(&p.to_string());
    }
    msg
}

/// Collects problems while a file is scanned, keeping the first [`MAX_PROBLEMS`].
#[derive(Debug, Default)]
pub(crate) struct Problems {
    list: Vec<Problem>,
}

impl Problems {
    pub fn push(&mut self, line: u64, column: &str, reason: Reason) {
        self.add(line, column, reason, false);
    }

    /// A problem at a JSON path (`response.items[3].likes.count`).
    pub fn push_at(&mut self, line: u64, path: &str, reason: Reason) {
        self.add(line, path, reason, true);
    }

    fn add(&mut self, line: u64, column: &str, reason: Reason, at_path: bool) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(Problem {
                line,
                column: column.to_owned(),
                reason: reason.en,
                reason_ru: reason.ru,
                at_path,
            });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Enough collected: scanning further would not be reported.
    pub fn full(&self) -> bool {
        self.list.len() >= MAX_PROBLEMS
    }

    pub fn into_vec(self) -> Vec<Problem> {
        self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_names_line_column_and_reason() {
        let p = Problem {
            line: 17,
            column: "likes".into(),
            reason: "\"12a\" is not a whole number".into(),
            reason_ru: "«12a» — не целое число".into(),
            at_path: false,
        };
        assert_eq!(p.to_russian(), "строка 17, столбец «likes»: «12a» — не целое число");
        assert_eq!(
            p.to_string(),
            "line 17, column \"likes\": \"12a\" is not a whole number"
        );
        let e = ImportError::Invalid(vec![p]).to_string();
        assert!(e.contains("1 problem:\n  line 17"), "{e}");
    }
}
