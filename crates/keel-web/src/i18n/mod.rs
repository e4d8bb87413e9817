//! Russian and English. The language comes from the `keel_lang` cookie (set by the switcher)
//! or, failing that, from the browser's `Accept-Language`.

use axum::http::{HeaderMap, header};

pub const LANG_COOKIE: &str = "keel_lang";

pub use keel_domain::Lang;

/// What the web adds to [`Lang`]: reading it from a request, and the dictionary.
pub trait LangExt: Sized {
    /// The cookie's choice, else the first of `ru`/`en` the browser lists, else English.
    fn from_headers(headers: &HeaderMap) -> Self;

    fn tr(self) -> Tr;
}

impl LangExt for Lang {
    fn from_headers(headers: &HeaderMap) -> Lang {
        if let Some(lang) = crate::auth::cookies::get(headers, LANG_COOKIE).and_then(|c| Lang::parse(&c)) {
            return lang;
        }
        let accept = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        accept
            .split(',')
            .filter_map(|part| part.split(';').next())
            .map(|tag| tag.trim().to_ascii_lowercase())
            .find_map(|tag| Lang::parse(tag.split('-').next().unwrap_or("")))
            .unwrap_or_default()
    }

    fn tr(self) -> Tr {
        Tr(self)
    }
}

/// The language an API body's optional `lang` field asks for (a report, an invitation e-mail),
/// else the request's own; anything but `en` or `ru` is refused naming the field.
pub fn lang_field(field: Option<&str>, headers: &HeaderMap) -> Result<Lang, crate::error::WebError> {
    match field {
        None => Ok(Lang::from_headers(headers)),
        Some(code) => Lang::parse(code).ok_or_else(|| {
            crate::error::WebError::invalid(
                format!("field `lang`: expected `en` or `ru`, not `{code}`"),
                format!("поле `lang`: нужно `en` или `ru`, а не `{code}`"),
            )
        }),
    }
}

mod dictionary;

pub use dictionary::Arg;

/// Translations for one language, handed to templates as `t`.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    /// The text for `key`. An unknown key shows as "?", and tests keep templates, code and the
    /// dictionary in step.
    pub fn get<K: AsRef<str> + ?Sized>(&self, key: &K) -> &'static str {
        let key = key.as_ref();
        dictionary::of(self.0).get(key).unwrap_or_else(|| {
            tracing::warn!(key, "missing translation");
            "?"
        })
    }

    pub fn lang(&self) -> &'static str {
        self.0.code()
    }

    /// The text for the key `prefix.name` (a key built from data, such as a status).
    pub fn get_in(&self, prefix: &str, name: &str) -> &'static str {
        self.get(&format!("{prefix}.{name}"))
    }

    /// The text for `key` with its variables: `t.with("count.more", &[("n", Arg::Int(3))])`.
    pub fn with(&self, key: &str, args: &[(&str, Arg)]) -> String {
        dictionary::of(self.0).format(key, args).unwrap_or_else(|| {
            tracing::warn!(key, "missing translation");
            "?".to_owned()
        })
    }

    /// A count with its noun in the right plural form: "1 post", "3 поста", "5 постов". The
    /// message selects on `$n` (`{ $n -> [one] … [few] … *[many] … }`).
    pub fn count(&self, key: &str, n: i64) -> String {
        self.with(key, &[("n", Arg::Int(n))])
    }

    /// Is `key` in the dictionary?
    #[cfg(test)]
    pub fn knows(key: &str) -> bool {
        dictionary::of(Lang::En).get(key).is_some()
    }

    /// The key as a `'static` str when the dictionary has it (for keys carried in cookies).
    pub fn known_key(key: &str) -> Option<&'static str> {
        dictionary::of(Lang::En).keys().find(|k| *k == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_browser_language_is_used_when_no_choice_was_made() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("ru-RU,ru;q=0.9,en;q=0.8"),
        );
        assert_eq!(Lang::from_headers(&headers), Lang::Ru);
        headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("de-DE,en;q=0.5"));
        assert_eq!(Lang::from_headers(&headers), Lang::En);
    }

    #[test]
    fn the_remembered_choice_wins_over_the_browser() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("ru"));
        headers.insert(header::COOKIE, HeaderValue::from_static("keel_lang=en"));
        assert_eq!(Lang::from_headers(&headers), Lang::En);
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let en: std::collections::BTreeSet<_> = dictionary::of(Lang::En).keys().collect();
        let ru: std::collections::BTreeSet<_> = dictionary::of(Lang::Ru).keys().collect();
        assert!(!en.is_empty());
        let only_en: Vec<_> = en.difference(&ru).collect();
        let only_ru: Vec<_> = ru.difference(&en).collect();
        assert!(
            only_en.is_empty() && only_ru.is_empty(),
            "English only: {only_en:?}; Russian only: {only_ru:?}"
        );
        for key in &en {
            assert!(
                !Tr(Lang::En).get(*key).is_empty() && !Tr(Lang::Ru).get(*key).is_empty(),
                "{key}"
            );
            assert!(!key.contains('-'), "{key}: keys use dots, the files dashes");
        }
    }

    /// Every `t.get("…")` and `t.count("…")` in a template or in the web's code names a key of
    /// the dictionary.
    #[test]
    fn templates_and_code_use_only_known_keys() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut dirs = vec![root.join("templates"), root.join("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        let mut seen = 0;
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            for call in ["t.get(\"", "t.count(\"", "t.with(\""] {
                for piece in text.split(call).skip(1) {
                    let key = piece.split('"').next().unwrap();
                    if key.contains('{') || key == "…" {
                        continue;
                    }
                    seen += 1;
                    assert!(Tr::knows(key), "{}: unknown key {key}", path.display());
                }
            }
        }
        assert!(seen > 100, "the scan found only {seen} keys");
    }

    /// Russian counts take one of three forms (CLDR: one, few, many); English two.
    #[test]
    fn counts_take_the_plural_form_of_their_language() {
        let ru = Tr(Lang::Ru);
        let forms: Vec<String> = [1, 2, 5, 11, 21, 22, 1234]
            .iter()
            .map(|n| ru.count("count.posts", *n))
            .collect();
        assert_eq!(
            forms,
            [
                "1 пост",
                "2 поста",
                "5 постов",
                "11 постов",
                "21 пост",
                "22 поста",
                "1\u{a0}234 поста"
            ]
        );
        let en = Tr(Lang::En);
        let forms: Vec<String> = [1, 2, 5, 21, 1234]
            .iter()
            .map(|n| en.count("count.posts", *n))
            .collect();
        assert_eq!(forms, ["1 post", "2 posts", "5 posts", "21 posts", "1,234 posts"]);
    }
}
