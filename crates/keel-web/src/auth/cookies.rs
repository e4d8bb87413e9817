//! Reading and writing cookies. Every cookie Keel sets is `HttpOnly` and `SameSite`, and
//! `Secure` when served over HTTPS.

use axum::http::{HeaderMap, HeaderValue, header};

/// The value of cookie `name` in the request, if present.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Whether this request reached Keel over HTTPS (directly configured, or via a proxy).
pub fn is_secure(headers: &HeaderMap, configured: bool) -> bool {
    configured
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` value. `max_age` of `Some(0)` deletes the cookie; `None` is a session cookie.
pub fn set(name: &str, value: &str, max_age: Option<i64>, same_site: &str, secure: bool) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie).expect("cookie values are ASCII tokens")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_one_cookie_among_several() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; keel_session=abc; b=2"));
        assert_eq!(get(&h, "keel_session").as_deref(), Some("abc"));
        assert_eq!(get(&h, "keel"), None);
    }

    #[test]
    fn cookies_are_http_only_and_secure_when_asked() {
        let c = set("x", "y", Some(60), "Lax", true);
        let s = c.to_str().unwrap();
        assert!(
            s.contains("HttpOnly") && s.contains("SameSite=Lax") && s.contains("Secure") && s.contains("Max-Age=60")
        );
        assert!(!set("x", "y", None, "Lax", false).to_str().unwrap().contains("Secure"));
    }
}
