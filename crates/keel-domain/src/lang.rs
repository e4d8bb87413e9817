//! The language a person reads Keel in: the web interface, e-mails, Telegram messages and the
//! wording of refusals. Russian and English; anything else is English.

/// Russian or English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Ru,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    /// The code used in cookies, settings and `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// `en` or `ru`; anything else is not a language Keel speaks.
    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    /// A stored choice (a person's notification language): `ru` → Russian; anything else, or
    /// nothing stored, → English.
    pub fn from_code(code: Option<&str>) -> Lang {
        match code {
            Some("ru") => Lang::Ru,
            _ => Lang::En,
        }
    }

    /// One of two texts, by language.
    pub fn pick<T>(self, en: T, ru: T) -> T {
        match self {
            Lang::En => en,
            Lang::Ru => ru,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_is_english() {
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
            assert_eq!(Lang::from_code(Some(lang.code())), lang);
        }
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::from_code(Some("de")), Lang::En);
        assert_eq!(Lang::from_code(None), Lang::En);
        assert_eq!(Lang::Ru.pick("a", "b"), "b");
    }
}
