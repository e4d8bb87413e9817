//! Errors of Meta's Graph APIs, the same for the Instagram Graph API and the Marketing API:
//! a 4xx with `{"error": {"message", "type", "code", "error_subcode", "is_transient",
//! "error_user_msg", "fbtrace_id"}}` (Meta's "Handling Errors" guide).
//!
//! Code 190 (`OAuthException`) is an invalid, expired or revoked token; 4, 17, 32 and 613 are
//! rate limits, and 80000–80014 the Marketing API's ads-insights throttles; -1, -2 (and anything
//! marked `is_transient`) are passing server trouble; 1 and 2 an unknown or temporary service
//! error; code 9 subcode 2207042 is Instagram's 24-hour publishing limit.

use crate::failure::{Failure, PlatformError};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Which Graph API answered: the error's words name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphApi {
    Instagram,
    Meta,
}

impl std::fmt::Display for GraphApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            GraphApi::Instagram => "Instagram",
            GraphApi::Meta => "Meta",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error("{api} {what}: error {code}{}: {message}", subcode.map(|s| format!(" ({s})")).unwrap_or_default())]
    Api {
        api: GraphApi,
        what: &'static str,
        code: i64,
        subcode: Option<i64>,
        transient: bool,
        message: String,
    },
    #[error("{api} {what}: {detail}")]
    Transport {
        api: GraphApi,
        what: &'static str,
        detail: String,
    },
    #[error("{api} {what}: unexpected answer: {detail}")]
    Decode {
        api: GraphApi,
        what: &'static str,
        detail: String,
    },
}

impl GraphError {
    pub fn code(&self) -> Option<i64> {
        match self {
            GraphError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }
}

impl PlatformError for GraphError {
    fn failure(&self) -> Failure {
        match self {
            GraphError::Api {
                code,
                message,
                transient,
                subcode,
                ..
            } => match *code {
                190 => Failure::Reconnect,
                4 | 17 | 32 | 613 | -1 | -2 | 80000..=80014 => Failure::RetryLater { after: None },
                // The account's 24-hour publishing limit is reached.
                9 if *subcode == Some(2207042) => Failure::RetryLater { after: None },
                _ if *transient => Failure::RetryLater { after: None },
                1 | 2 => Failure::PlatformDown,
                _ => Failure::Rejected {
                    reason: message.clone(),
                },
            },
            _ => Failure::PlatformDown,
        }
    }
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ApiError,
}

#[derive(Deserialize)]
struct ApiError {
    #[serde(default)]
    message: String,
    code: i64,
    #[serde(default)]
    error_subcode: Option<i64>,
    #[serde(default)]
    is_transient: bool,
    /// Meta's words for the user, when it has them ("The media could not be fetched…").
    #[serde(default)]
    error_user_msg: Option<String>,
}

/// A Graph API answer as `T`, or the error it carries.
pub(crate) fn decode<T: DeserializeOwned>(
    api: GraphApi,
    what: &'static str,
    status: hyper::StatusCode,
    bytes: &[u8],
) -> Result<T, GraphError> {
    if let Ok(ErrorEnvelope { error }) = serde_json::from_slice(bytes) {
        let message = match error.error_user_msg.filter(|m| !m.is_empty()) {
            Some(user) if !error.message.is_empty() => format!("{} ({user})", error.message),
            Some(user) => user,
            None => error.message,
        };
        return Err(GraphError::Api {
            api,
            what,
            code: error.code,
            subcode: error.error_subcode,
            transient: error.is_transient,
            message,
        });
    }
    serde_json::from_slice(bytes).map_err(|e| GraphError::Decode {
        api,
        what,
        detail: format!("HTTP {status}: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(code: i64, subcode: Option<i64>, transient: bool) -> GraphError {
        GraphError::Api {
            api: GraphApi::Meta,
            what: "insights",
            code,
            subcode,
            transient,
            message: "words".into(),
        }
    }

    #[test]
    fn codes_map_to_what_the_caller_does() {
        assert_eq!(api_error(190, None, false).failure(), Failure::Reconnect);
        for code in [4, 17, 32, 613, -1, -2, 80000, 80014] {
            assert_eq!(
                api_error(code, None, false).failure(),
                Failure::RetryLater { after: None }
            );
        }
        assert_eq!(
            api_error(9, Some(2207042), false).failure(),
            Failure::RetryLater { after: None }
        );
        assert_eq!(
            api_error(100, None, true).failure(),
            Failure::RetryLater { after: None }
        );
        assert_eq!(api_error(2, None, false).failure(), Failure::PlatformDown);
        assert_eq!(
            api_error(100, None, false).failure(),
            Failure::Rejected { reason: "words".into() }
        );
    }

    #[test]
    fn an_error_answer_keeps_metas_words_for_the_user_and_names_the_api() {
        let body = br#"{"error": {"message": "Invalid parameter", "type": "OAuthException", "code": 9004,
            "error_subcode": 2207052, "error_user_msg": "The media could not be fetched", "fbtrace_id": "A"}}"#;
        let e = decode::<serde_json::Value>(GraphApi::Instagram, "media", hyper::StatusCode::BAD_REQUEST, body)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Instagram media: error 9004 (2207052): Invalid parameter (The media could not be fetched)"
        );
        let e = decode::<Vec<i64>>(GraphApi::Meta, "insights", hyper::StatusCode::OK, b"{}").unwrap_err();
        assert!(
            matches!(
                e,
                GraphError::Decode {
                    api: GraphApi::Meta,
                    ..
                }
            ),
            "{e}"
        );
    }
}
