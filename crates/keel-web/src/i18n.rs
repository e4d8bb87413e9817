//! Russian and English. The language comes from the `keel_lang` cookie (set by the switcher)
//! or, failing that, from the browser's `Accept-Language`.

use axum::http::{HeaderMap, header};

pub const LANG_COOKIE: &str = "keel_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ru,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    /// The cookie's choice, else the first of `ru`/`en` the browser lists, else English.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
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

    pub fn tr(self) -> Tr {
        Tr(self)
    }
}

/// Translations for one language, handed to templates as `t`.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    /// The text for `key`. An unknown key shows as itself, and a test keeps templates and the
    /// dictionary in step.
    pub fn get<K: AsRef<str> + ?Sized>(&self, key: &K) -> &'static str {
        let key = key.as_ref();
        match ENTRIES.iter().find(|(k, _, _)| *k == key) {
            Some((_, en, ru)) => match self.0 {
                Lang::En => en,
                Lang::Ru => ru,
            },
            None => {
                tracing::warn!(key, "missing translation");
                "?"
            }
        }
    }

    pub fn lang(&self) -> &'static str {
        self.0.code()
    }
}

/// (key, English, Russian).
pub const ENTRIES: &[(&str, &str, &str)] = &[
    (
        "app.tagline",
        "Client and agency, one honest workspace",
        "Клиент и агентство в одном честном пространстве",
    ),
    ("nav.projects", "Projects", "Проекты"),
    ("nav.logout", "Log out", "Выйти"),
    ("nav.language", "Language", "Язык"),
    ("login.title", "Log in", "Вход"),
    ("login.email", "E-mail", "Эл. почта"),
    ("login.password", "Password", "Пароль"),
    ("login.submit", "Log in", "Войти"),
    (
        "login.failed",
        "Wrong e-mail or password.",
        "Неверная эл. почта или пароль.",
    ),
    (
        "login.throttled",
        "Too many failed attempts. Wait 15 minutes and try again.",
        "Слишком много неудачных попыток. Подождите 15 минут и попробуйте снова.",
    ),
    (
        "login.hint",
        "Demo users have the password demo-password.",
        "У демо-пользователей пароль demo-password.",
    ),
    ("projects.title", "Your projects", "Ваши проекты"),
    (
        "projects.empty",
        "You are not on any project yet. Ask your organization admin to add you, or create one with `keel project create`.",
        "Вы пока не участвуете ни в одном проекте. Попросите администратора организации добавить вас или создайте проект командой `keel project create`.",
    ),
    ("projects.client", "Client", "Клиент"),
    ("projects.started", "Started", "Начат"),
    ("projects.roles", "Your roles", "Ваши роли"),
    ("projects.admin", "organization admin", "администратор организации"),
    ("status.setup", "Setup", "Подготовка"),
    ("status.active", "Active", "Активен"),
    ("status.paused", "Paused", "Приостановлен"),
    ("status.closed", "Closed", "Закрыт"),
    (
        "status.setup.hint",
        "The project stays in setup until it has a brief and a SMART goal agreed by the client owner and the agency lead.",
        "Проект остаётся на подготовке, пока у него нет брифа и SMART-цели, согласованной владельцем со стороны клиента и руководителем агентства.",
    ),
    ("project.overview", "Overview", "Обзор"),
    ("project.status", "Status", "Статус"),
    ("project.members", "Team", "Команда"),
    ("project.data", "Data", "Данные"),
    (
        "project.data.empty",
        "No platform data yet. Import posts, daily figures, ads or leads with `keel import --project SLUG --format posts FILE`.",
        "Данных площадок пока нет. Загрузите посты, дневные показатели, рекламу или лиды: `keel import --project SLUG --format posts FILE`.",
    ),
    ("project.people", "People on the project", "Участники проекта"),
    ("project.posts", "Posts", "Посты"),
    ("project.days", "Account-days", "Дни аккаунтов"),
    ("project.ads", "Ad rows", "Строки рекламы"),
    ("project.leads", "Leads", "Лиды"),
    ("members.title", "Team", "Команда"),
    ("members.person", "Person", "Участник"),
    ("members.role", "Role", "Роль"),
    ("members.speciality", "Speciality", "Специализация"),
    ("members.add", "Add to the project", "Добавить в проект"),
    ("members.add.submit", "Add", "Добавить"),
    ("members.remove", "Remove", "Убрать"),
    ("members.added", "Added.", "Добавлено."),
    ("members.removed", "Removed.", "Убрано."),
    (
        "members.empty",
        "Nobody is on this project yet. Add the client owner and the agency lead first.",
        "В проекте пока никого нет. Сначала добавьте владельца со стороны клиента и руководителя агентства.",
    ),
    (
        "members.approvers.warning",
        "More than two approvers: posts will stall in endless edits. Keep one or two people who decide.",
        "Больше двух согласующих: посты будут тонуть в бесконечных правках. Оставьте одного-двух человек, которые принимают решение.",
    ),
    (
        "members.user.hint",
        "The person must already have an account (keel user create EMAIL).",
        "У человека уже должна быть учётная запись (keel user create EMAIL).",
    ),
    ("role.client_owner", "Client owner", "Владелец (клиент)"),
    ("role.client_approver", "Approver (client)", "Согласующий (клиент)"),
    ("role.client_member", "Client team member", "Сотрудник клиента"),
    ("role.agency_lead", "Agency lead", "Руководитель агентства"),
    ("role.specialist", "Specialist", "Специалист"),
    ("role.viewer", "Viewer", "Наблюдатель"),
    ("definitions.title", "How Keel computes its figures", "Как Keel считает показатели"),
    ("definitions.intro", "Every number on Keel's pages links here. The formulas are those of the product specification, and tests check them against hand-worked values and real data.", "Каждое число на страницах Keel ведёт сюда. Формулы — из спецификации продукта; тесты сверяют их с посчитанными вручную значениями и реальными данными."),
    ("nav.definitions", "Definitions", "Определения"),
    ("data.read", "rows read", "строк прочитано"),
    ("data.stored", "stored", "добавлено"),
    ("data.replaced", "replaced", "заменено"),
    ("data.unchanged", "unchanged", "без изменений"),
    ("data.rejected", "rejected, nothing of it was stored. Fix these lines and upload it again:", "файл отклонён, из него ничего не сохранено. Исправьте эти строки и загрузите снова:"),
    ("data.upload", "Import a file", "Загрузить файл"),
    ("data.format", "Format", "Формат"),
    ("data.file", "File", "Файл"),
    ("data.import", "Import", "Загрузить"),
    ("data.hint", "Each file is imported whole or not at all; importing the same file again changes nothing.", "Файл загружается целиком или не загружается вовсе; повторная загрузка того же файла ничего не меняет."),
    ("data.columns", "Columns of each format", "Столбцы каждого формата"),
    ("data.facebook", "the UCI \"Facebook metrics\" export as is (semicolon separated); see docs/imports.md for how its posts are dated", "выгрузка UCI «Facebook metrics» как есть (через точку с запятой); как датируются посты — в docs/imports.md"),
    ("data.history", "Imports", "Загрузки"),
    ("data.when", "When", "Когда"),
    ("data.by", "By", "Кто"),
    ("error.back", "Back to your projects", "К вашим проектам"),
    ("error.404", "Nothing here", "Здесь ничего нет"),
    (
        "error.404.hint",
        "The page does not exist, or you do not have access to it. Check the address or go back to your projects.",
        "Страницы не существует или у вас нет к ней доступа. Проверьте адрес или вернитесь к своим проектам.",
    ),
    ("error.403", "Not allowed", "Нет прав"),
    (
        "error.403.hint",
        "Your role in this project does not allow this. Ask the project's client owner or the agency lead.",
        "Ваша роль в проекте не позволяет это сделать. Обратитесь к владельцу проекта со стороны клиента или к руководителю агентства.",
    ),
    ("error.400", "Something in the request is wrong", "В запросе ошибка"),
    (
        "error.500",
        "Something broke on our side",
        "Что-то сломалось на нашей стороне",
    ),
    (
        "error.500.hint",
        "The failure was logged. Try again in a moment.",
        "Сбой записан в журнал. Попробуйте ещё раз чуть позже.",
    ),
    (
        "error.other",
        "The request could not be completed",
        "Запрос не выполнен",
    ),
];

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
    fn keys_are_unique_and_translated() {
        for (i, (key, en, ru)) in ENTRIES.iter().enumerate() {
            assert!(!en.is_empty() && !ru.is_empty(), "{key}");
            assert!(ENTRIES[i + 1..].iter().all(|(k, _, _)| k != key), "duplicate {key}");
        }
    }

    /// Every `t.get("…")` in a template names a key of the dictionary.
    #[test]
    fn templates_use_only_known_keys() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for piece in text.split("t.get(\"").skip(1) {
                let key = piece.split('"').next().unwrap();
                assert!(
                    ENTRIES.iter().any(|(k, _, _)| *k == key),
                    "{}: unknown key {key}",
                    path.display()
                );
            }
        }
    }
}
