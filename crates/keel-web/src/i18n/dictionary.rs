//! The dictionary: Fluent files per language (`crates/keel-web/locales/{en,ru}/*.ftl`), built
//! into the binary and parsed once.
//!
//! Templates and handlers name a message by its dotted key (`plan.title`); Fluent identifiers
//! cannot hold dots, so the file spells it `plan-title`. Keys never contain `-`, which keeps the
//! two spellings one-to-one.
//!
//! Messages without variables are formatted once at start and handed out as `&'static str`, so a
//! page pays a hash lookup per word. Messages with variables (counts with their CLDR plural forms:
//! Russian one/few/many) are formatted per call through [`Dictionary::format`].

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::types::FluentNumber;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use super::Lang;

/// One area of the interface per file, the same names in every language.
const FILES: &[(&str, &str, &str)] = &[
    (
        "connections",
        include_str!("../../locales/en/connections.ftl"),
        include_str!("../../locales/ru/connections.ftl"),
    ),
    (
        "reports",
        include_str!("../../locales/en/reports.ftl"),
        include_str!("../../locales/ru/reports.ftl"),
    ),
    (
        "core",
        include_str!("../../locales/en/core.ftl"),
        include_str!("../../locales/ru/core.ftl"),
    ),
    (
        "projects",
        include_str!("../../locales/en/projects.ftl"),
        include_str!("../../locales/ru/projects.ftl"),
    ),
    (
        "plan",
        include_str!("../../locales/en/plan.ftl"),
        include_str!("../../locales/ru/plan.ftl"),
    ),
    (
        "goals",
        include_str!("../../locales/en/goals.ftl"),
        include_str!("../../locales/ru/goals.ftl"),
    ),
    (
        "analytics",
        include_str!("../../locales/en/analytics.ftl"),
        include_str!("../../locales/ru/analytics.ftl"),
    ),
    (
        "health",
        include_str!("../../locales/en/health.ftl"),
        include_str!("../../locales/ru/health.ftl"),
    ),
    (
        "meetings",
        include_str!("../../locales/en/meetings.ftl"),
        include_str!("../../locales/ru/meetings.ftl"),
    ),
    (
        "brief",
        include_str!("../../locales/en/brief.ftl"),
        include_str!("../../locales/ru/brief.ftl"),
    ),
    (
        "people",
        include_str!("../../locales/en/people.ftl"),
        include_str!("../../locales/ru/people.ftl"),
    ),
    (
        "audit",
        include_str!("../../locales/en/audit.ftl"),
        include_str!("../../locales/ru/audit.ftl"),
    ),
    (
        "inbox",
        include_str!("../../locales/en/inbox.ftl"),
        include_str!("../../locales/ru/inbox.ftl"),
    ),
];

/// One language's messages.
pub struct Dictionary {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
    /// Every message formatted without arguments, by dotted key.
    plain: HashMap<&'static str, &'static str>,
}

static EN: LazyLock<Dictionary> = LazyLock::new(|| Dictionary::load(Lang::En));
static RU: LazyLock<Dictionary> = LazyLock::new(|| Dictionary::load(Lang::Ru));

/// The dictionary of `lang`.
pub fn of(lang: Lang) -> &'static Dictionary {
    match lang {
        Lang::En => &EN,
        Lang::Ru => &RU,
    }
}

/// The dotted key of a Fluent identifier, and back.
fn key_of(id: &str) -> String {
    id.replace('-', ".")
}
fn id_of(key: &str) -> String {
    key.replace('.', "-")
}

impl Dictionary {
    fn load(lang: Lang) -> Dictionary {
        let langid: LanguageIdentifier = lang.code().parse().expect("a language code");
        let mut bundle = FluentBundle::new_concurrent(vec![langid]);
        // Unicode isolation marks around every variable would end up inside HTML and CSV.
        bundle.set_use_isolating(false);
        bundle.set_formatter(Some(match lang {
            Lang::En => format_number_en,
            Lang::Ru => format_number_ru,
        }));
        let mut ids = Vec::new();
        for (name, en, ru) in FILES {
            let text = match lang {
                Lang::En => *en,
                Lang::Ru => *ru,
            };
            // A broken file is a build defect; the test `every_file_parses` names the line.
            let resource = FluentResource::try_new(text.to_owned())
                .unwrap_or_else(|(_, errors)| panic!("locales/{}/{name}.ftl: {errors:?}", lang.code()));
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(message) = entry {
                    ids.push(message.id.name.to_owned());
                }
            }
            bundle
                .add_resource(resource)
                .unwrap_or_else(|errors| panic!("locales/{}/{name}.ftl: {errors:?}", lang.code()));
        }
        let mut plain = HashMap::with_capacity(ids.len());
        for id in ids {
            let message = bundle.get_message(&id).expect("a message just added");
            let Some(pattern) = message.value() else { continue };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, None, &mut errors).into_owned();
            let key: &'static str = Box::leak(key_of(&id).into_boxed_str());
            plain.insert(key, &*Box::leak(text.into_boxed_str()));
        }
        Dictionary { lang, bundle, plain }
    }

    /// The message for `key` with no arguments.
    pub fn get(&self, key: &str) -> Option<&'static str> {
        self.plain.get(key).copied()
    }

    /// Every key this language has.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.plain.keys().copied()
    }

    /// The message for `key` with its variables; `None` for an unknown key.
    pub fn format(&self, key: &str, args: &[(&str, Arg)]) -> Option<String> {
        let message = self.bundle.get_message(&id_of(key))?;
        let pattern = message.value()?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Int(n) => fluent_args.set(*name, FluentValue::from(*n)),
                Arg::Text(s) => fluent_args.set(*name, FluentValue::from(s.as_str())),
            }
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned();
        if !errors.is_empty() {
            tracing::warn!(
                key,
                lang = self.lang.code(),
                ?errors,
                "translation formatted with errors"
            );
        }
        Some(text)
    }
}

/// A value for a message's variable.
#[derive(Debug, Clone)]
pub enum Arg {
    /// A count: picks the plural form and prints with the language's digit grouping.
    Int(i64),
    /// Text already formatted (a number with its unit, a name).
    Text(String),
}

fn format_number_en(value: &FluentValue, _: &intl_memoizer::concurrent::IntlLangMemoizer) -> Option<String> {
    number(value, Lang::En)
}
fn format_number_ru(value: &FluentValue, _: &intl_memoizer::concurrent::IntlLangMemoizer) -> Option<String> {
    number(value, Lang::Ru)
}

/// Counts print as `1,234` / `1 234`, like every other number on the page.
fn number(value: &FluentValue, lang: Lang) -> Option<String> {
    match value {
        FluentValue::Number(FluentNumber { value, .. }) if value.fract() == 0.0 => {
            Some(crate::charts::format::Fmt(lang).int(*value as i64))
        }
        _ => None,
    }
}
