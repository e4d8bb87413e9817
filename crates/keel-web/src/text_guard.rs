//! Text that people type or send is checked before it reaches a handler, in one place for
//! every form, JSON body and address: no NUL characters (PostgreSQL cannot store them and
//! answered 500; SQLite stored them), and no field longer than its limit (SQLite stored a
//! 5 MB value and every page showing it grew to match; PostgreSQL refused long keys with a 500).
//!
//! A refusal is a 422 that names the field and says why, so the sender can fix it.

use crate::WebError;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The longest free text accepted in one field, in characters: more than any platform's post
/// (Facebook's 63,206), brief section or meeting minutes need.
pub const MAX_FIELD_CHARS: usize = 65_536;

/// Fields that name or label something, with their own, shorter limits (by the field's name,
/// the last segment of a JSON path).
const SHORT_FIELDS: &[(&str, usize)] = &[
    ("email", 254),
    ("name", 200),
    ("title", 300),
    ("rubric", 100),
    ("speciality", 200),
    ("slug", 64),
    ("role", 64),
    ("platform", 64),
    ("account", 256),
    ("client", 200),
    ("currency", 16),
    ("password", 1_024),
];

fn limit_for(field: &str) -> usize {
    let last = field.rsplit(['.', '[']).next().unwrap_or(field);
    SHORT_FIELDS
        .iter()
        .find(|(name, _)| *name == last)
        .map_or(MAX_FIELD_CHARS, |(_, limit)| *limit)
}

/// Checks one field's value.
pub fn check_field(field: &str, value: &str) -> Result<(), WebError> {
    if value.contains('\0') {
        return Err(refused(
            field,
            "contains a NUL character (\\0), which text cannot hold; remove it".to_owned(),
            "содержит символ NUL (\\0), который текст хранить не может; удалите его".to_owned(),
        ));
    }
    let limit = limit_for(field);
    // Counting characters is only needed when the bytes could exceed the limit.
    if value.len() > limit {
        let chars = value.chars().count();
        if chars > limit {
            return Err(refused(
                field,
                format!("is {chars} characters long; at most {limit} are allowed"),
                format!("длиной {chars} символов; допускается не больше {limit}"),
            ));
        }
    }
    Ok(())
}

/// Checks every field of a URL-encoded form (the CSRF extractor calls it).
pub fn check_form(body: &[u8]) -> Result<(), WebError> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|e| WebError::invalid(format!("malformed form: {e}"), format!("форма повреждена: {e}")))?;
    for (name, value) in &fields {
        check_field(name, name)?;
        check_field(name, value)?;
    }
    Ok(())
}

/// Checks every string (keys too) of a JSON body, naming the field by its path.
pub fn check_json(body: &[u8]) -> Result<(), WebError> {
    // Unparseable JSON is left for the extractor to describe.
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Ok(());
    };
    walk("", &value)
}

fn walk(path: &str, value: &serde_json::Value) -> Result<(), WebError> {
    use serde_json::Value;
    match value {
        Value::String(s) => check_field(if path.is_empty() { "body" } else { path }, s),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| walk(&format!("{path}[{i}]"), v)),
        Value::Object(map) => map.iter().try_for_each(|(key, v)| {
            let inner = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            check_field(&inner, key)?;
            walk(&inner, v)
        }),
        _ => Ok(()),
    }
}

fn refused(field: &str, reason: String, reason_ru: String) -> WebError {
    let shown: String = field.chars().filter(|c| !c.is_control()).take(80).collect();
    WebError::Rejected {
        message: format!("field `{shown}` {reason}"),
        details: serde_json::json!([{ "field": shown, "reason": reason }]),
        ru: Some(format!("поле `{shown}` {reason_ru}")),
    }
}

/// Refuses an address whose path or query holds an encoded NUL (`%00`) before any handler
/// or extractor decodes it into a slug, an id or a search value.
pub async fn refuse_nul_in_address(request: Request, next: Next) -> Response {
    let uri = request.uri();
    let has_nul = |s: &str| {
        s.as_bytes()
            .windows(3)
            .any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0')
    };
    if has_nul(uri.path()) || uri.query().is_some_and(has_nul) {
        return WebError::invalid(
            "the address contains an encoded NUL character (%00), which no name or id can hold",
            "адрес содержит закодированный символ NUL (%00), которого не может быть ни в имени, ни в номере",
        )
        .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_overlong_fields_are_named() {
        let err = check_json(br#"{"text": "a\u0000b", "variants": {"vk": "ok"}}"#).unwrap_err();
        assert!(
            err.to_string().contains("field `text`") && err.to_string().contains("NUL"),
            "{err}"
        );
        let long = format!(r#"{{"items": [{{"rubric": "{}"}}]}}"#, "x".repeat(101));
        let err = check_json(long.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `items[0].rubric` is 101 characters long; at most 100 are allowed"
        );
        assert!(check_json("{\"text\": \"Кофе ☕ 3 поста\"}".as_bytes()).is_ok());
        let err = check_form(b"_csrf=x&comment=a%00b").unwrap_err();
        assert!(err.to_string().contains("field `comment`"), "{err}");
        assert!(check_form(b"_csrf=x&comment=fine").is_ok());
        assert_eq!(
            err.text(crate::i18n::Lang::Ru),
            "поле `comment` содержит символ NUL (\\0), который текст хранить не может; удалите его"
        );
    }

    #[test]
    fn the_limit_counts_characters_not_bytes() {
        // 100 Cyrillic letters are 200 bytes and still fit a 100-character rubric.
        assert!(check_field("rubric", &"я".repeat(100)).is_ok());
        assert!(check_field("rubric", &"я".repeat(101)).is_err());
    }
}
