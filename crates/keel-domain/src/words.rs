//! Texts made from data that a page shows in the reader's language: figures and names stay as
//! they are, words are translation keys with their English (which the API and logs use).

/// A piece of such a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Word {
    Text(String),
    /// A translation key and its English.
    Key(String, String),
}

/// Figures and names, as they are.
pub fn text(t: impl Into<String>) -> Word {
    Word::Text(t.into())
}

/// The word `name` under `prefix` (`metric` + `followers` → key `metric.followers`, English
/// `followers`).
pub fn key(prefix: &str, name: &str) -> Word {
    Word::Key(format!("{prefix}.{name}"), name.to_owned())
}

/// The English of `words`, joined.
pub fn english(words: &[Word]) -> String {
    words
        .iter()
        .map(|w| match w {
            Word::Text(t) => t.as_str(),
            Word::Key(_, en) => en.as_str(),
        })
        .collect()
}

/// `words` joined, each key looked up with `translate`.
pub fn render<'a>(words: &'a [Word], translate: impl Fn(&str) -> &'a str) -> String {
    words
        .iter()
        .map(|w| match w {
            Word::Text(t) => t.as_str(),
            Word::Key(key, _) => translate(key),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_in_english_or_translated() {
        let words = [key("metric", "followers"), text(": 12.5 %")];
        assert_eq!(english(&words), "followers: 12.5 %");
        let ru = render(&words, |k| {
            if k == "metric.followers" {
                "Подписчики"
            } else {
                "?"
            }
        });
        assert_eq!(ru, "Подписчики: 12.5 %");
    }
}
