//! What makes a post's draft unstorable, by field, so each edge can say it where the field is
//! and in the reader's language (the platform limits are separate: a draft may exceed them
//! while being written; they block submission).

use super::variants::Platform;
use crate::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftProblem {
    /// No platform ticked.
    NoPlatform,
    /// Neither the text nor any variant holds anything.
    NoText,
    /// A variant for a platform the post does not go to.
    VariantOffPlatform(Platform),
}

impl DraftProblem {
    /// The form field (and API field) the problem belongs to.
    pub fn field(self) -> &'static str {
        match self {
            DraftProblem::NoPlatform => "platforms",
            DraftProblem::NoText => "text",
            DraftProblem::VariantOffPlatform(_) => "variants",
        }
    }

    /// The problem in `lang`, without the field's name (a page shows it at the field).
    pub fn reason(self, lang: Lang) -> String {
        match (self, lang) {
            (DraftProblem::NoPlatform, Lang::En) => {
                "tick at least one platform: VK, Telegram, Instagram or Facebook".into()
            }
            (DraftProblem::NoPlatform, Lang::Ru) => {
                "отметьте хотя бы одну площадку: VK, Telegram, Instagram или Facebook".into()
            }
            (DraftProblem::NoText, Lang::En) => "a post needs some text".into(),
            (DraftProblem::NoText, Lang::Ru) => "у поста должен быть текст".into(),
            (DraftProblem::VariantOffPlatform(p), Lang::En) => {
                format!("a variant for {}, which is not among the post's platforms", p.label())
            }
            (DraftProblem::VariantOffPlatform(p), Lang::Ru) => {
                format!("вариант для {}, которой нет среди площадок поста", p.label())
            }
        }
    }

    /// `field `name`: reason`, as the API and logs say it.
    pub fn message(self, lang: Lang) -> String {
        match lang {
            Lang::En => format!("field `{}`: {}", self.field(), self.reason(lang)),
            Lang::Ru => format!("поле `{}`: {}", self.field(), self.reason(lang)),
        }
    }
}

/// The first problem of a draft with `platforms`, `text` and per-platform `variants`.
pub fn draft_problem<'a>(
    platforms: &[Platform],
    text: &str,
    variants: impl IntoIterator<Item = (&'a Platform, &'a String)>,
) -> Option<DraftProblem> {
    let variants: Vec<(&Platform, &String)> = variants.into_iter().collect();
    if platforms.is_empty() {
        return Some(DraftProblem::NoPlatform);
    }
    if text.trim().is_empty() && variants.iter().all(|(_, v)| v.trim().is_empty()) {
        return Some(DraftProblem::NoText);
    }
    variants
        .iter()
        .find(|(p, _)| !platforms.contains(p))
        .map(|(p, _)| DraftProblem::VariantOffPlatform(**p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn each_problem_names_its_field_in_both_languages() {
        let none = BTreeMap::new();
        assert_eq!(draft_problem(&[], "hi", &none), Some(DraftProblem::NoPlatform));
        assert_eq!(draft_problem(&[Platform::Vk], "  ", &none), Some(DraftProblem::NoText));
        let mut variants = BTreeMap::new();
        variants.insert(Platform::Telegram, "привет".to_owned());
        assert_eq!(
            draft_problem(&[Platform::Vk], "", &variants),
            Some(DraftProblem::VariantOffPlatform(Platform::Telegram))
        );
        assert_eq!(draft_problem(&[Platform::Vk, Platform::Telegram], "", &variants), None);
        assert_eq!(
            DraftProblem::NoPlatform.message(Lang::Ru),
            "поле `platforms`: отметьте хотя бы одну площадку: VK, Telegram, Instagram или Facebook"
        );
    }
}
