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

    /// The text for the key `prefix.name` (a key built from data, such as a status).
    pub fn get_in(&self, prefix: &str, name: &str) -> &'static str {
        self.get(&format!("{prefix}.{name}"))
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
        "A user of the organization gets the role at once; anyone else gets an invitation by e-mail with a link to set their name and password (7 days).",
        "Пользователь организации сразу получает роль; остальным приходит приглашение по почте со ссылкой, чтобы задать имя и пароль (7 дней).",
    ),
    (
        "invitations.title",
        "Invited, not yet joined",
        "Приглашены, ещё не присоединились",
    ),
    ("invitations.status", "Status", "Статус"),
    ("invitations.invited", "Invited", "Приглашён(а)"),
    ("invitations.expired", "Link expired", "Ссылка истекла"),
    ("invitations.until", "until", "до"),
    ("invitations.resend", "Resend", "Отправить снова"),
    ("invitations.revoke", "Revoke", "Отозвать"),
    (
        "invitations.revoked",
        "Invitation revoked: its link no longer works.",
        "Приглашение отозвано: ссылка больше не работает.",
    ),
    (
        "invitations.sent",
        "Invitation made; it is e-mailed when mail is configured.",
        "Приглашение создано; письмо уходит, если настроена почта.",
    ),
    (
        "invitations.link",
        "The one-time link (valid 7 days), to pass on yourself if needed:",
        "Одноразовая ссылка (7 дней), если нужно передать её самим:",
    ),
    ("invitation.title", "Join Keel", "Присоединиться к Keel"),
    ("invitation.to", "You are invited to", "Вас пригласили в проект"),
    ("invitation.name", "Your name", "Ваше имя"),
    ("invitation.submit", "Set password and join", "Задать пароль и войти"),
    ("password.new", "New password", "Новый пароль"),
    ("password.current", "Current password", "Текущий пароль"),
    (
        "password.rules",
        "At least 8 characters, and not one of the most common passwords. A few words make a good one.",
        "Не меньше 8 символов и не из самых распространённых паролей. Хороший пароль — несколько слов.",
    ),
    ("password.forgot.title", "Forgot your password?", "Забыли пароль?"),
    ("password.forgot.link", "Forgot your password?", "Забыли пароль?"),
    (
        "password.forgot.submit",
        "Send a reset link",
        "Прислать ссылку для сброса",
    ),
    (
        "password.forgot.sent",
        "If this address has an account, a link to choose a new password is on its way (valid for one hour).",
        "Если для этого адреса есть учётная запись, на него отправлена ссылка для нового пароля (действует час).",
    ),
    ("password.reset.title", "Choose a new password", "Новый пароль"),
    ("password.reset.submit", "Set the password", "Задать пароль"),
    (
        "login.reset_done",
        "Your password is set and every session was logged out. Log in with the new password.",
        "Пароль задан, все сеансы завершены. Войдите с новым паролем.",
    ),
    ("password.change.title", "Change password", "Смена пароля"),
    ("password.change.submit", "Change password", "Сменить пароль"),
    (
        "password.change.done",
        "Password changed. Your other sessions were logged out.",
        "Пароль изменён. Остальные сеансы завершены.",
    ),
    ("tokens.title", "Personal API tokens", "Личные токены API"),
    ("tokens.name", "Name", "Название"),
    ("tokens.created", "Made", "Создан"),
    ("tokens.last_used", "Last used", "Последнее использование"),
    ("tokens.revoked", "Revoked", "Отозван"),
    ("tokens.revoke", "Revoke", "Отозвать"),
    ("tokens.new", "Make a token", "Создать токен"),
    ("tokens.create", "Make", "Создать"),
    (
        "tokens.shown_once",
        "Copy the token now: it is shown this once. Send it as `Authorization: Bearer …`.",
        "Скопируйте токен сейчас: он показывается один раз. Передавайте его как `Authorization: Bearer …`.",
    ),
    ("org.title", "Organization", "Организация"),
    ("org.admins", "Admins", "Администраторы"),
    ("org.name", "Name", "Название"),
    ("org.rename", "Save", "Сохранить"),
    ("org.last_login", "Last login", "Последний вход"),
    ("org.deactivate", "Deactivate", "Отключить"),
    ("org.deactivated", "Deactivated", "Отключён"),
    ("projects.new", "New project", "Новый проект"),
    ("projects.new.name", "Name", "Название"),
    ("projects.new.slug", "Address (slug)", "Адрес (slug)"),
    ("projects.new.submit", "Create", "Создать"),
    ("nav.account", "Password and tokens", "Пароль и токены"),
    ("signup.title", "Sign up your organization", "Регистрация организации"),
    (
        "signup.hint",
        "You become the new organization's admin and invite your team from there.",
        "Вы станете администратором новой организации и пригласите команду.",
    ),
    (
        "signup.organization",
        "Organization (agency or company)",
        "Организация (агентство или компания)",
    ),
    ("signup.submit", "Sign up", "Зарегистрироваться"),
    ("role.client_owner", "Client owner", "Владелец (клиент)"),
    ("role.client_approver", "Approver (client)", "Согласующий (клиент)"),
    ("role.client_member", "Client team member", "Сотрудник клиента"),
    ("role.agency_lead", "Agency lead", "Руководитель агентства"),
    ("role.specialist", "Specialist", "Специалист"),
    ("role.viewer", "Viewer", "Наблюдатель"),
    (
        "definitions.title",
        "How Keel computes its figures",
        "Как Keel считает показатели",
    ),
    (
        "definitions.intro",
        "Every number on Keel's pages links here. The formulas are those of the product specification, and tests check them against hand-worked values and real data.",
        "Каждое число на страницах Keel ведёт сюда. Формулы — из спецификации продукта; тесты сверяют их с посчитанными вручную значениями и реальными данными.",
    ),
    ("nav.definitions", "Definitions", "Определения"),
    ("data.read", "rows read", "строк прочитано"),
    ("data.stored", "stored", "добавлено"),
    ("data.replaced", "replaced", "заменено"),
    ("data.unchanged", "unchanged", "без изменений"),
    (
        "data.rejected",
        "rejected, nothing of it was stored. Fix these lines and upload it again:",
        "файл отклонён, из него ничего не сохранено. Исправьте эти строки и загрузите снова:",
    ),
    ("data.upload", "Import a file", "Загрузить файл"),
    ("data.format", "Format", "Формат"),
    ("data.file", "File", "Файл"),
    ("data.import", "Import", "Загрузить"),
    (
        "data.hint",
        "Each file is imported whole or not at all; importing the same file again changes nothing.",
        "Файл загружается целиком или не загружается вовсе; повторная загрузка того же файла ничего не меняет.",
    ),
    ("data.columns", "Columns of each format", "Столбцы каждого формата"),
    (
        "data.facebook",
        "the UCI \"Facebook metrics\" export as is (semicolon separated); see crates/keel-import/docs/imports.md in the source for how its posts are dated",
        "выгрузка UCI «Facebook metrics» как есть (через точку с запятой); как датируются посты — в crates/keel-import/docs/imports.md в исходниках",
    ),
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
    // Analytics page and HTML report.
    ("project.analytics", "Analytics", "Аналитика"),
    ("analytics.from", "From", "С"),
    ("analytics.to", "To", "По"),
    ("analytics.show", "Show", "Показать"),
    ("analytics.period", "Period", "Период"),
    ("analytics.last30", "Last 30 days of data", "Последние 30 дней данных"),
    ("analytics.last90", "Last 90 days of data", "Последние 90 дней данных"),
    ("analytics.all", "All data", "Все данные"),
    ("analytics.download", "Download the report", "Скачать отчёт"),
    (
        "analytics.nodata",
        "This project has no data yet. Import posts, daily account figures, ads or leads on the Data page, and the figures and charts appear here.",
        "В проекте пока нет данных. Загрузите посты, дневные показатели аккаунтов, рекламу или лиды на странице «Данные» — и здесь появятся показатели и графики.",
    ),
    ("analytics.import", "Import data", "Загрузить данные"),
    (
        "analytics.error.date",
        "is not a date. Write it as YYYY-MM-DD, e.g. 2026-03-31.",
        "— не дата. Запишите её как ГГГГ-ММ-ДД, например 2026-03-31.",
    ),
    (
        "analytics.error.order",
        "The start of the period is after its end. Swap the dates.",
        "Начало периода позже его конца. Поменяйте даты местами.",
    ),
    (
        "analytics.period.empty",
        "Nothing was recorded in this period. Pick another period, or import data that covers it.",
        "За этот период ничего не записано. Выберите другой период или загрузите данные за него.",
    ),
    ("analytics.accounts", "Accounts", "Аккаунты"),
    (
        "analytics.accounts.none",
        "No account has posts or daily figures in this period.",
        "Ни у одного аккаунта нет постов или дневных показателей за этот период.",
    ),
    (
        "report.no_series",
        "Charts over time need the daily series, which this file was made without. Download the HTML report from the project's Analytics page to get them.",
        "Графикам по дням нужны дневные ряды, а этот файл собран без них. Скачайте HTML-отчёт со страницы «Аналитика» проекта, чтобы получить их.",
    ),
    ("analytics.marker", "Suspected purchase", "Подозрение на покупку"),
    ("analytics.followers", "Followers", "Подписчики"),
    ("analytics.growth", "Growth", "Прирост"),
    ("analytics.posts", "Posts", "Посты"),
    ("analytics.interactions", "Interactions", "Взаимодействия"),
    ("analytics.daily_er", "Daily ER", "Дневной ER"),
    ("analytics.reach", "Reach", "Охват"),
    (
        "analytics.chart.no_followers",
        "No daily follower counts in this period: import the account's daily figures to see the curve.",
        "За этот период нет дневных данных о подписчиках: загрузите дневные показатели аккаунта, чтобы увидеть кривую.",
    ),
    (
        "analytics.chart.no_er",
        "No day in this period has both posts and a follower count, so there is no daily ER to draw.",
        "Ни в один день периода нет одновременно постов и числа подписчиков, поэтому дневной ER построить нельзя.",
    ),
    (
        "analytics.chart.no_reach",
        "No reach recorded in this period.",
        "За этот период охват не записан.",
    ),
    (
        "analytics.spikes",
        "Suspected purchased followers",
        "Подозрение на купленных подписчиков",
    ),
    (
        "analytics.spikes.none",
        "No follower jump in this period looks bought.",
        "Ни один скачок подписчиков за этот период не похож на покупку.",
    ),
    (
        "analytics.spikes.intro",
        "A one-day jump in followers that engagement did not follow: the new followers do not like, comment or share, so ER falls. Bought followers make every later ER look worse.",
        "Скачок подписчиков за один день, за которым не последовала активность: новые подписчики не ставят лайков, не комментируют и не делятся, поэтому ER падает. Купленные подписчики портят каждый следующий ER.",
    ),
    ("analytics.spike.gain", "Followers gained that day", "Прирост за день"),
    (
        "analytics.spike.bots",
        "Estimated bots (above the usual daily gain)",
        "Оценка числа ботов (сверх обычного прироста)",
    ),
    (
        "analytics.spike.er",
        "Daily ER, 14 days before → after",
        "Дневной ER, 14 дней до → после",
    ),
    (
        "analytics.top",
        "Best and worst posts by ER",
        "Лучшие и худшие посты по ER",
    ),
    (
        "analytics.posts.none",
        "No post in this period has a known follower count, so none can be ranked by ER.",
        "Ни у одного поста за этот период нет известного числа подписчиков, поэтому их нельзя ранжировать по ER.",
    ),
    ("analytics.best", "Best posts by ER", "Лучшие посты по ER"),
    ("analytics.worst", "Worst posts by ER", "Худшие посты по ER"),
    ("analytics.post", "Post", "Пост"),
    ("analytics.date", "Date", "Дата"),
    ("analytics.ads", "Ads", "Реклама"),
    (
        "analytics.ads.none",
        "No ads data in this period. Import the ads export to see spend, CTR, CPC, CPL and CPM per campaign.",
        "За этот период нет данных о рекламе. Загрузите выгрузку рекламы, чтобы увидеть расход, CTR, CPC, CPL и CPM по кампаниям.",
    ),
    ("analytics.ads.spend", "Spend", "Расход"),
    ("analytics.ads.impressions", "Impressions", "Показы"),
    ("analytics.ads.clicks", "Clicks", "Клики"),
    ("analytics.ads.leads", "Leads", "Лиды"),
    ("analytics.ads.video_views", "Video views", "Просмотры видео"),
    ("analytics.ads.campaign", "Campaign", "Кампания"),
    ("analytics.ads.ctr", "CTR by campaign", "CTR по кампаниям"),
    ("analytics.ads.cpc", "CPC by campaign", "CPC по кампаниям"),
    ("analytics.ads.cpl", "CPL by campaign", "CPL по кампаниям"),
    ("analytics.ads.cpm", "CPM by campaign", "CPM по кампаниям"),
    (
        "analytics.funnel",
        "Funnel and zones of responsibility",
        "Воронка и зоны ответственности",
    ),
    (
        "analytics.funnel.none",
        "No ads or leads in this period, so the funnel is empty. Import ads and leads (with their statuses) to compare each stage with its baseline.",
        "За этот период нет рекламы и лидов, поэтому воронка пуста. Загрузите рекламу и лиды (со статусами), чтобы сравнить каждый этап с базовым уровнем.",
    ),
    (
        "analytics.funnel.hint",
        "Each stage is compared with its own baseline; the bar is scaled to the stage, the dark tick is the baseline. Green stages are the agency's, purple ones the client's sales team's.",
        "Каждый этап сравнивается со своим базовым уровнем; полоса масштабирована по этапу, тёмная отметка — базовый уровень. Зелёные этапы — зона агентства, фиолетовые — отдела продаж клиента.",
    ),
    ("analytics.how", "How this is computed", "Как это считается"),
    ("analytics.stage", "Stage", "Этап"),
    ("analytics.zone", "Zone", "Зона"),
    ("analytics.conversion", "Conversion", "Конверсия"),
    ("analytics.verdict", "Verdict", "Вердикт"),
    (
        "analytics.undefined",
        "Undefined: the denominator is zero or unknown",
        "Не определено: знаменатель равен нулю или неизвестен",
    ),
    ("funnel.impressions_to_clicks", "Impressions → clicks", "Показы → клики"),
    ("funnel.clicks_to_leads", "Clicks → leads", "Клики → лиды"),
    ("funnel.leads_to_deals", "Leads → deals", "Лиды → сделки"),
    ("funnel.zone.agency", "Agency zone", "Зона агентства"),
    ("funnel.zone.client", "Client zone", "Зона клиента"),
    ("funnel.baseline", "baseline", "базовый уровень"),
    ("funnel.vs_baseline", "vs baseline", "при базовом уровне"),
    ("funnel.worse", "worse", "хуже"),
    ("funnel.steady", "steady", "в норме"),
    ("funnel.better", "better", "лучше"),
    ("funnel.none", "not enough data", "недостаточно данных"),
    (
        "funnel.say.worse_client",
        "Significantly worse than its baseline. This stage is in the client's zone: it is the sales team's result, not the agency's.",
        "Значимо хуже базового уровня. Этот этап — в зоне клиента: это результат отдела продаж, а не агентства.",
    ),
    (
        "funnel.say.worse_agency",
        "Significantly worse than its baseline. This stage is in the agency's zone.",
        "Значимо хуже базового уровня. Этот этап — в зоне агентства.",
    ),
    (
        "funnel.say.better_client",
        "Significantly better than its baseline, in the client's zone (the sales team).",
        "Значимо лучше базового уровня, в зоне клиента (отдел продаж).",
    ),
    (
        "funnel.say.better_agency",
        "Significantly better than its baseline, in the agency's zone.",
        "Значимо лучше базового уровня, в зоне агентства.",
    ),
    (
        "funnel.say.steady",
        "Within its usual range: no significant change.",
        "В обычных пределах: значимых изменений нет.",
    ),
    (
        "funnel.say.none",
        "Not enough data to compare with a baseline.",
        "Недостаточно данных для сравнения с базовым уровнем.",
    ),
    ("report.title", "Report", "Отчёт"),
    ("def.interactions", "Interactions (I)", "Взаимодействия (I)"),
    (
        "def.interactions.text",
        "I = likes + comments + shares + saves. A missing field counts as 0; reposts are shares.",
        "I = лайки + комментарии + репосты + сохранения. Отсутствующее значение считается нулём.",
    ),
    ("def.er", "Post ER by followers", "ER поста по подписчикам"),
    (
        "def.er.text",
        "ER = I / followers × 100, with the account's follower count on the post's publication day, else the post's own followers field.",
        "ER = I / подписчики × 100, где подписчики — число подписчиков аккаунта в день публикации, иначе поле followers самого поста.",
    ),
    ("def.err", "Post ERR (by reach)", "ERR поста (по охвату)"),
    ("def.err.text", "ERR = I / reach × 100.", "ERR = I / охват × 100."),
    ("def.erv", "Post ERV (by views)", "ERV поста (по просмотрам)"),
    ("def.erv.text", "ERV = I / views × 100.", "ERV = I / просмотры × 100."),
    ("def.period_er", "Period ER", "ER за период"),
    (
        "def.period_er.text",
        "The mean of the account's posts' ER over the period (posts with followers unknown are skipped). Period ERR: ΣI / Σreach × 100 over posts with reach > 0; period ERV likewise over views.",
        "Среднее ER постов аккаунта за период (посты с неизвестным числом подписчиков пропускаются). ERR за период: ΣI / Σохват × 100 по постам с охватом > 0; ERV за период — так же по просмотрам.",
    ),
    ("def.daily_er", "Daily ER", "Дневной ER"),
    (
        "def.daily_er.text",
        "ΣI of the posts published that day / followers that day × 100. A day without posts has none.",
        "ΣI постов, опубликованных в этот день / подписчики в этот день × 100. У дня без постов дневного ER нет.",
    ),
    ("def.growth", "Follower growth", "Прирост подписчиков"),
    (
        "def.growth.text",
        "(F_end − F_start) / F_start × 100, F being the follower count on the period's first and last day with daily data; net daily gain F_d − F_d−1.",
        "(F_конец − F_начало) / F_начало × 100, где F — число подписчиков в первый и последний день периода с дневными данными; чистый прирост за день F_d − F_d−1.",
    ),
    ("def.ads", "Ads", "Реклама"),
    (
        "def.ads.text",
        "CTR = clicks / impressions × 100, CPC = spend / clicks, CPL = spend / leads, CPV = spend / video views, CPM = spend / impressions × 1000.",
        "CTR = клики / показы × 100, CPC = расход / клики, CPL = расход / лиды, CPV = расход / просмотры видео, CPM = расход / показы × 1000.",
    ),
    ("def.undefined", "\"—\": undefined", "«—»: не определено"),
    (
        "def.undefined.text",
        "A ratio with a zero denominator is undefined: \"—\" here, null in JSON. Never 0, never infinity.",
        "Отношение с нулевым знаменателем не определено: здесь «—», в JSON — null. Никогда не 0 и не бесконечность.",
    ),
    (
        "def.funnel",
        "Funnel and zones of responsibility",
        "Воронка и зоны ответственности",
    ),
    (
        "def.funnel.text",
        "Impressions → clicks and clicks → leads are the agency's zone; leads → deals (leads created in the period that are won, over leads created in the period) is the client's. A sales-stage drop is never attributed to the agency.",
        "Показы → клики и клики → лиды — зона агентства; лиды → сделки (выигранные лиды, созданные за период, к лидам, созданным за период) — зона клиента. Падение на этапе продаж никогда не приписывается агентству.",
    ),
    ("def.baseline", "Baseline and verdict", "Базовый уровень и вердикт"),
    (
        "def.baseline.text",
        "A stage's baseline is its conversion over the 90 days before the period (or the project's start); without data there, over the first 90 days of data. A two-proportion z-test compares the period with it: |z| > 2.58 (99 %) makes the verdict worse or better, otherwise steady.",
        "Базовый уровень этапа — его конверсия за 90 дней до начала периода (или старта проекта); если там нет данных — за первые 90 дней данных. Период сравнивается с ним z-тестом для двух долей: |z| > 2,58 (99 %) даёт вердикт «хуже» или «лучше», иначе «в норме».",
    ),
    (
        "def.bots",
        "Suspected purchased followers",
        "Подозрение на купленных подписчиков",
    ),
    (
        "def.bots.text",
        "A day's net follower gain is a spike when it exceeds the median of the 28 gains before it by more than 6 × max(MAD × 1.4826, 1) and 0.5 % of the followers. It is reported when the mean daily ER of the 14 days after it is more than 20 % below that of the 14 days before. The excess over the median estimates the number of bots.",
        "Чистый прирост подписчиков за день считается всплеском, если превышает медиану 28 предыдущих приростов более чем на 6 × max(MAD × 1,4826; 1) и на 0,5 % подписчиков. О нём сообщается, если средний дневной ER за 14 дней после него более чем на 20 % ниже, чем за 14 дней до. Превышение над медианой — оценка числа ботов.",
    ),
    // Content plan and approvals
    ("plan.tab", "Content plan", "Контент-план"),
    ("plan.title", "Content plan", "Контент-план"),
    ("plan.month", "Month", "Месяц"),
    ("plan.week", "Week", "Неделя"),
    ("plan.list", "List", "Список"),
    ("plan.prev", "Earlier", "Раньше"),
    ("plan.next", "Later", "Позже"),
    ("plan.today", "Today", "Сегодня"),
    ("plan.drafts", "Drafts without a date", "Черновики без даты"),
    ("plan.drafts.empty", "No undated drafts.", "Черновиков без даты нет."),
    (
        "plan.empty",
        "No posts yet. The agency team writes the first one with the form below.",
        "Постов пока нет. Команда агентства пишет первый в форме ниже.",
    ),
    (
        "plan.empty.readonly",
        "No posts yet: the agency team has not written any.",
        "Постов пока нет: команда агентства ещё ничего не написала.",
    ),
    ("plan.new", "New post", "Новый пост"),
    ("plan.create", "Create draft", "Создать черновик"),
    ("plan.all_states", "All states", "Все статусы"),
    ("plan.all_platforms", "All platforms", "Все площадки"),
    ("plan.filter", "Show", "Показать"),
    ("plan.flagged", "Over two revision rounds", "Больше двух раундов правок"),
    ("plan.urgent", "Urgent", "Срочный"),
    ("plan.sla_missed", "SLA missed", "SLA нарушен"),
    ("plan.due", "Decision due", "Решение до"),
    ("plan.day.mon", "Mon", "Пн"),
    ("plan.day.tue", "Tue", "Вт"),
    ("plan.day.wed", "Wed", "Ср"),
    ("plan.day.thu", "Thu", "Чт"),
    ("plan.day.fri", "Fri", "Пт"),
    ("plan.day.sat", "Sat", "Сб"),
    ("plan.day.sun", "Sun", "Вс"),
    ("post.text", "Text", "Текст"),
    ("post.rubric", "Rubric", "Рубрика"),
    ("post.platforms", "Platforms", "Площадки"),
    ("post.scheduled_at", "Publication (UTC)", "Публикация (UTC)"),
    ("post.no_date", "no date", "без даты"),
    (
        "post.urgent",
        "Urgent: approval within the project's SLA",
        "Срочный: согласование в пределах SLA проекта",
    ),
    ("post.variants", "Text per platform", "Текст для каждой площадки"),
    (
        "post.variant.hint",
        "Leave empty to use the main text.",
        "Оставьте пустым, чтобы использовать основной текст.",
    ),
    ("post.save", "Save", "Сохранить"),
    ("post.author", "Author", "Автор"),
    ("post.rounds", "Revision rounds", "Раунды правок"),
    ("post.previews", "Previews", "Превью"),
    ("post.images", "Images", "Изображения"),
    ("post.images.empty", "No images yet.", "Изображений пока нет."),
    ("post.images.upload", "Upload image", "Загрузить изображение"),
    (
        "post.images.hint",
        "PNG, JPEG, WebP or GIF, up to 8 MB.",
        "PNG, JPEG, WebP или GIF, до 8 МБ.",
    ),
    (
        "post.problems",
        "Fix before sending for approval",
        "Исправьте перед отправкой на согласование",
    ),
    ("post.comments", "Comments and suggestions", "Комментарии и предложения"),
    ("post.comments.empty", "No comments yet.", "Комментариев пока нет."),
    ("post.comment", "Comment", "Комментировать"),
    (
        "post.comment.suggestion",
        "This is a suggestion the agency must answer",
        "Это предложение, на которое агентство должно ответить",
    ),
    ("post.advisory", "advisory", "совещательный"),
    ("post.binding", "approver", "согласующий"),
    ("post.suggestion.open", "Suggestion: open", "Предложение: открыто"),
    (
        "post.suggestion.accepted",
        "Suggestion: accepted",
        "Предложение: принято",
    ),
    (
        "post.suggestion.declined",
        "Suggestion: declined",
        "Предложение: отклонено",
    ),
    ("post.accept", "Accept", "Принять"),
    ("post.decline", "Decline", "Отклонить"),
    ("post.decline.reason", "Reason for declining", "Причина отказа"),
    ("post.actions", "Actions", "Действия"),
    ("post.approve", "Approve", "Согласовать"),
    ("post.request_changes", "Request changes", "Запросить правки"),
    (
        "post.request_changes.comment",
        "What should change (becomes a suggestion)",
        "Что изменить (станет предложением)",
    ),
    ("post.submit", "Send for approval", "Отправить на согласование"),
    ("post.schedule", "Schedule", "Запланировать"),
    ("post.mark_published", "Mark published", "Отметить опубликованным"),
    ("post.mark_failed", "Mark failed", "Отметить сбой публикации"),
    ("post.back_to_draft", "Back to draft", "Вернуть в черновики"),
    ("post.audit", "Audit trail", "Журнал решений"),
    (
        "post.own",
        "You wrote this post: someone else approves it.",
        "Вы автор этого поста: согласует его кто-то другой.",
    ),
    ("post.chars", "characters", "символов"),
    ("state.draft", "Draft", "Черновик"),
    ("state.in_review", "In review", "На согласовании"),
    ("state.changes_requested", "Changes requested", "Нужны правки"),
    ("state.approved", "Approved", "Согласован"),
    ("state.scheduled", "Scheduled", "Запланирован"),
    ("state.published", "Published", "Опубликован"),
    ("state.failed", "Failed", "Сбой"),
    ("audit.title", "Audit trail", "Журнал решений"),
    ("audit.tab", "Audit", "Журнал"),
    (
        "audit.empty",
        "Nothing on the record yet: decisions appear here as they are made.",
        "Записей пока нет: решения появятся здесь по мере принятия.",
    ),
    ("audit.when", "When", "Когда"),
    ("audit.who", "Who", "Кто"),
    ("audit.what", "What", "Что"),
    ("audit.subject", "About", "Объект"),
    ("audit.keel", "Keel (automatic)", "Keel (автоматически)"),
    ("audit.created", "created", "создал(а)"),
    ("audit.edited", "edited", "изменил(а)"),
    ("audit.submitted", "sent for approval", "отправил(а) на согласование"),
    ("audit.approved", "approved", "согласовал(а)"),
    ("audit.changes_requested", "requested changes", "запросил(а) правки"),
    ("audit.commented", "commented", "прокомментировал(а)"),
    (
        "audit.suggestion_accepted",
        "accepted a suggestion",
        "принял(а) предложение",
    ),
    (
        "audit.suggestion_declined",
        "declined a suggestion",
        "отклонил(а) предложение",
    ),
    ("audit.image_added", "added an image", "добавил(а) изображение"),
    ("audit.scheduled", "scheduled", "запланировал(а)"),
    ("audit.published", "marked published", "отметил(а) публикацию"),
    ("audit.failed", "marked failed", "отметил(а) сбой"),
    ("audit.back_to_draft", "returned to draft", "вернул(а) в черновики"),
    ("audit.sla_missed", "SLA missed", "SLA нарушен"),
    (
        "audit.auto_approved",
        "approved automatically at SLA expiry",
        "согласовал автоматически по истечении SLA",
    ),
    (
        "audit.workflow_settings_changed",
        "changed the workflow settings",
        "изменил(а) настройки согласования",
    ),
    ("audit.other", "recorded", "записал(а)"),
    ("audit.goal.created", "set the goal", "поставил(а) цель"),
    ("audit.goal.changed", "changed the goal", "изменил(а) цель"),
    ("audit.goal.agreed", "agreed the goal", "согласовал(а) цель"),
    ("audit.goal.archived", "archived the goal", "отправил(а) цель в архив"),
    (
        "audit.project.activated",
        "the project became active",
        "проект стал активным",
    ),
    (
        "audit.brief.version_saved",
        "saved a brief version",
        "сохранил(а) версию брифа",
    ),
    (
        "audit.brief.acknowledged",
        "acknowledged the brief",
        "подтвердил(а) бриф",
    ),
    (
        "audit.team.area_assigned",
        "assigned an area",
        "назначил(а) ответственного",
    ),
    (
        "audit.meeting.scheduled",
        "set the meeting schedule",
        "задал(а) расписание встреч",
    ),
    ("audit.meeting.recorded", "recorded a meeting", "записал(а) встречу"),
    ("audit.meeting.decision", "recorded a decision", "записал(а) решение"),
    (
        "audit.meeting.action_item_added",
        "added an action item",
        "добавил(а) задачу",
    ),
    (
        "audit.meeting.action_item_done",
        "completed an action item",
        "выполнил(а) задачу",
    ),
    ("audit.object.post", "Post", "Пост"),
    ("audit.object.goal", "Goal", "Цель"),
    ("audit.object.brief", "Brief", "Бриф"),
    ("audit.object.meeting", "Meeting", "Встреча"),
    ("audit.object.schedule", "Meeting schedule", "Расписание встреч"),
    ("audit.object.team", "Team", "Команда"),
    ("audit.object.project", "Project", "Проект"),
    ("audit.object.other", "Other", "Другое"),
    ("audit.side.client", "for the client", "за клиента"),
    ("audit.side.agency", "for the agency", "за агентство"),
    ("audit.filter.all", "Everything", "Всё"),
    ("audit.filter.posts", "Posts", "Посты"),
    ("audit.filter.goals", "Goals", "Цели"),
    ("audit.filter.brief", "Brief", "Бриф"),
    ("audit.filter.meetings", "Team and meetings", "Команда и встречи"),
    ("audit.filter.project", "Project settings", "Настройки проекта"),
    ("audit.filter.people", "People", "Люди"),
    ("audit.filter.anyone", "Anyone", "Все участники"),
    ("audit.filter.show", "Show", "Показать"),
    (
        "audit.filter.empty",
        "Nothing on the record matches this filter. Choose “Everything” and “Anyone” to see the whole trail.",
        "Под этот фильтр ничего не подходит. Выберите «Всё» и «Все участники», чтобы увидеть весь журнал.",
    ),
    ("audit.object.invitation", "Invitation", "Приглашение"),
    ("audit.object.person", "Person", "Участник"),
    ("audit.invited", "invited", "пригласил(а)"),
    ("audit.accepted", "accepted the invitation", "принял(а) приглашение"),
    ("audit.revoked", "revoked the invitation of", "отозвал(а) приглашение"),
    ("audit.deactivated", "deactivated", "отключил(а)"),
    ("workflow.title", "Approval workflow", "Согласование"),
    (
        "health.median",
        "Median time to approve",
        "Медианное время согласования",
    ),
    (
        "health.first_time",
        "First-time approval rate",
        "Согласовано с первого раза",
    ),
    (
        "health.rounds",
        "Average revision rounds",
        "Среднее число раундов правок",
    ),
    ("health.sla", "Urgent SLA hit rate", "Срочные посты в пределах SLA"),
    ("health.minutes", "min", "мин"),
    ("health.approvers", "Designated approvers", "Согласующие"),
    (
        "health.approvers.none",
        "No approver yet: give someone on the client side the client_approver role on the team page.",
        "Согласующих пока нет: дайте кому-то со стороны клиента роль client_approver на странице команды.",
    ),
    ("health.sla_setting", "Urgent SLA", "SLA срочных постов"),
    (
        "health.auto_approve",
        "Auto-approve at SLA expiry",
        "Автосогласование по истечении SLA",
    ),
    ("health.on", "on", "вкл."),
    ("health.yes", "yes", "да"),
    ("health.no", "no", "нет"),
    ("health.off", "off", "выкл."),
    ("health.save", "Save settings", "Сохранить настройки"),
    ("flash.saved", "Saved.", "Сохранено."),
    (
        "flash.brief_saved",
        "The new version of the brief is saved.",
        "Новая версия брифа сохранена.",
    ),
    ("flash.brief_acknowledged", "Brief acknowledged.", "Бриф подтверждён."),
    (
        "flash.goal_set",
        "Goal set. It counts once both sides agree it.",
        "Цель поставлена. Она начнёт учитываться, когда её согласуют обе стороны.",
    ),
    (
        "flash.goal_changed",
        "Goal changed. Both sides agree it again.",
        "Цель изменена. Обе стороны согласуют её заново.",
    ),
    (
        "flash.goal_agreed",
        "Goal agreed for your side.",
        "Цель согласована с вашей стороны.",
    ),
    ("flash.goal_archived", "Goal archived.", "Цель отправлена в архив."),
    ("flash.meeting_saved", "Meeting saved.", "Встреча сохранена."),
    ("flash.post_created", "Draft created.", "Черновик создан."),
    ("flash.post_saved", "Post saved.", "Пост сохранён."),
    (
        "flash.post_moved",
        "Done: the post's state changed.",
        "Готово: состояние поста изменилось.",
    ),
    ("flash.comment_added", "Comment added.", "Комментарий добавлен."),
    ("inbox.title", "Notifications", "Уведомления"),
    (
        "inbox.empty",
        "No notifications. You will hear here when a post needs you.",
        "Уведомлений нет. Когда пост потребует вашего участия, вы узнаете здесь.",
    ),
    ("inbox.read_all", "Mark all read", "Отметить все прочитанными"),
    ("inbox.new", "new", "новое"),
    ("inbox.waiting", "Waiting for you", "Ждут вас"),
    (
        "inbox.waiting_empty",
        "Nothing waits for you. Posts sent to you for approval, and your posts sent back with changes, appear here.",
        "Ничего не ждёт вас. Здесь появятся посты, отправленные вам на согласование, и ваши посты, возвращённые на доработку.",
    ),
    ("inbox.decide", "Your decision", "Нужно ваше решение"),
    ("inbox.fix", "Changes requested", "Нужны правки"),
    ("inbox.urgent", "Urgent", "Срочно"),
    ("inbox.since", "waiting since", "ждёт с"),
    ("inbox.untitled", "A post without text", "Пост без текста"),
    ("inbox.log", "Notification log", "Журнал уведомлений"),
    ("notify.post_submitted", "Approval needed", "Нужно согласование"),
    (
        "notify.urgent_post_submitted",
        "Urgent approval needed",
        "Срочно нужно согласование",
    ),
    (
        "notify.sla_halfway",
        "Half the approval time is gone",
        "Прошла половина времени на согласование",
    ),
    (
        "notify.sla_missed",
        "Approval time missed",
        "Время на согласование истекло",
    ),
    ("notify.changes_requested", "Changes requested", "Запрошены правки"),
    ("notify.post_approved", "Approved", "Согласован"),
    ("notify.comment_added", "New comment", "Новый комментарий"),
    // Notifications and calendar feeds.
    ("nav.notifications", "Notifications", "Уведомления"),
    ("notify.title", "Notifications", "Уведомления"),
    (
        "notify.intro",
        "Choose which notifications reach you, and where.",
        "Выберите, какие уведомления и куда вам приходят.",
    ),
    ("notify.kind", "Notification", "Уведомление"),
    ("notify.channel.in_app", "In Keel", "В Keel"),
    ("notify.channel.email", "E-mail", "Эл. почта"),
    ("notify.channel.telegram", "Telegram", "Telegram"),
    (
        "notify.kind.post_submitted",
        "A post is submitted for your approval",
        "Публикация отправлена вам на согласование",
    ),
    (
        "notify.kind.urgent_post_submitted",
        "An urgent post is submitted (its approval time runs)",
        "Отправлена срочная публикация (идёт срок согласования)",
    ),
    (
        "notify.kind.sla_halfway",
        "Half of an urgent post's approval time has passed",
        "Прошла половина срока согласования срочной публикации",
    ),
    (
        "notify.kind.sla_missed",
        "An urgent post's approval time ran out",
        "Срок согласования срочной публикации истёк",
    ),
    (
        "notify.kind.changes_requested",
        "Changes are requested on your post",
        "По вашей публикации запрошены правки",
    ),
    (
        "notify.kind.post_approved",
        "Your post is approved",
        "Ваша публикация согласована",
    ),
    (
        "notify.kind.comment_added",
        "Someone comments on a post",
        "Новый комментарий к публикации",
    ),
    (
        "notify.language",
        "Language of e-mails and Telegram messages",
        "Язык писем и сообщений в Telegram",
    ),
    ("notify.save", "Save", "Сохранить"),
    (
        "notify.saved",
        "Your notification settings are saved.",
        "Настройки уведомлений сохранены.",
    ),
    (
        "notify.telegram.column.hint",
        "Telegram messages reach you only once your Telegram is linked below.",
        "Сообщения в Telegram приходят, только когда ниже привязан ваш Telegram.",
    ),
    (
        "notify.telegram.off",
        "Telegram is not set up on this Keel installation: the administrator sets telegram_bot_token to enable it.",
        "Telegram не настроен в этой установке Keel: администратор включает его параметром telegram_bot_token.",
    ),
    (
        "notify.telegram.linked",
        "Your Telegram is linked",
        "Ваш Telegram привязан",
    ),
    ("notify.telegram.unlink", "Unlink", "Отвязать"),
    (
        "notify.telegram.unlinked",
        "Telegram is unlinked: no more messages go there.",
        "Telegram отвязан: сообщения туда больше не приходят.",
    ),
    ("notify.telegram.link", "Link Telegram", "Привязать Telegram"),
    (
        "notify.telegram.link.hint",
        "Link your Telegram to get notifications there; posts awaiting your approval come with approve and request-changes buttons.",
        "Привяжите Telegram, чтобы получать уведомления там; к публикациям на согласовании будут кнопки «Согласовать» и «Запросить правки».",
    ),
    (
        "notify.telegram.code.open",
        "Open the bot and press Start:",
        "Откройте бота и нажмите «Запустить»:",
    ),
    (
        "notify.telegram.code.manual",
        "Or send the bot this message:",
        "Или отправьте боту сообщение:",
    ),
    (
        "notify.telegram.code.expires",
        "The code works once and expires soon",
        "Код действует один раз и недолго",
    ),
    ("project.calendar", "Calendar feed", "Календарь"),
    ("calendar.title", "Calendar feed", "Подписка на календарь"),
    (
        "calendar.intro",
        "Subscribe to the content plan in Google Calendar, Apple Calendar or Outlook through a secret address. Anyone holding the address sees the plan: revoke it when it leaks or is no longer needed.",
        "Подпишитесь на контент-план в Google Календаре, Календаре Apple или Outlook по секретному адресу. Любой, у кого есть адрес, видит план: отзовите адрес, если он утёк или больше не нужен.",
    ),
    (
        "calendar.empty",
        "No calendar feed yet.",
        "Подписок на календарь пока нет.",
    ),
    (
        "calendar.empty.manage",
        "Create an address below and add it to your calendar app.",
        "Создайте адрес ниже и добавьте его в приложение календаря.",
    ),
    (
        "calendar.empty.ask",
        "The agency lead or the client owner can create one.",
        "Создать адрес может руководитель со стороны агентства или владелец со стороны клиента.",
    ),
    ("calendar.label", "Label", "Название"),
    (
        "calendar.label.placeholder",
        "e.g. Anna's phone",
        "например, телефон Анны",
    ),
    ("calendar.created_by", "Created by", "Кто создал"),
    ("calendar.created_at", "Created (UTC)", "Создан (UTC)"),
    ("calendar.status", "Status", "Статус"),
    ("calendar.live", "Active", "Действует"),
    ("calendar.revoked", "Revoked", "Отозван"),
    ("calendar.revoke", "Revoke", "Отозвать"),
    ("calendar.create", "New feed address", "Новый адрес подписки"),
    ("calendar.create.submit", "Create the address", "Создать адрес"),
    (
        "calendar.new",
        "The new feed's address. Copy it now: it is shown only once.",
        "Адрес новой подписки. Скопируйте его сейчас: он показывается только один раз.",
    ),
    (
        "calendar.subscribe.hint",
        "In your calendar app choose “Add calendar from URL” (or “Subscribe”) and paste the address.",
        "В приложении календаря выберите «Добавить календарь по URL» (или «Подписаться») и вставьте адрес.",
    ),
    (
        "calendar.revoked.done",
        "The address is revoked: calendars using it stop updating.",
        "Адрес отозван: календари, которые им пользовались, перестанут обновляться.",
    ),
    // Goals, brief, team matrix, meetings and health check.
    ("project.brief", "Brief", "Бриф"),
    ("project.goals", "Goals", "Цели"),
    ("project.meetings", "Team & meetings", "Команда и встречи"),
    ("project.health", "Health", "Здоровье"),
    ("common.save", "Save", "Сохранить"),
    ("metric.followers", "Followers", "Подписчики"),
    ("metric.er_followers", "ER by followers", "ER по подписчикам"),
    ("metric.err_reach", "ERR (by reach)", "ERR (по охвату)"),
    ("metric.reach", "Reach", "Охват"),
    ("metric.mentions", "Mentions", "Упоминания"),
    ("metric.hashtag_uses", "Hashtag uses", "Использования хэштега"),
    ("metric.interactions", "Interactions", "Взаимодействия"),
    ("metric.repeat_requests", "Repeat requests", "Повторные обращения"),
    ("metric.clicks", "Clicks", "Клики"),
    ("metric.leads", "Leads", "Лиды"),
    ("metric.cpc", "CPC", "CPC"),
    ("metric.cpl", "CPL", "CPL"),
    ("metric.cpv", "CPV", "CPV"),
    ("metric.lead_to_deal", "Lead→deal conversion", "Конверсия лид→сделка"),
    ("metric.revenue", "Revenue", "Выручка"),
    ("goals.title", "Goals", "Цели"),
    ("goals.type.awareness", "Awareness", "Узнаваемость"),
    ("goals.type.loyalty", "Loyalty", "Лояльность"),
    ("goals.type.leads", "Leads", "Лиды"),
    ("goals.type.sales", "Sales (client zone)", "Продажи (зона клиента)"),
    (
        "goals.setup.hint",
        "The project is in setup: it becomes active once it has a brief and a goal agreed by both the client owner and the agency lead.",
        "Проект на подготовке: он станет активным, когда появится бриф и цель, согласованная и владельцем со стороны клиента, и руководителем агентства.",
    ),
    (
        "goals.empty",
        "No goals yet. Pick a metric from a KPI preset below, set a target and a deadline; Keel measures the baseline from the data and checks whether the target is realistic.",
        "Целей пока нет. Выберите метрику из набора KPI ниже, задайте цель и срок — Keel измерит исходное значение по данным и проверит, реалистична ли цель.",
    ),
    ("goals.agreed", "Agreed by both sides", "Согласована обеими сторонами"),
    ("goals.proposed", "Not agreed yet", "Ещё не согласована"),
    (
        "goals.vanity",
        "Followers and likes alone say little about results, and can be bought. Judge the account by engagement as well:",
        "Подписчики и лайки сами по себе мало говорят о результате и могут быть куплены. Оценивайте аккаунт и по вовлечённости:",
    ),
    ("goals.vanity.link", "see ER", "см. ER"),
    ("goals.vanity.short", "vanity metric", "метрика тщеславия"),
    ("goals.period", "Period", "Период"),
    ("goals.zone", "Zone", "Зона"),
    ("goals.archive", "Archive this goal", "Отправить цель в архив"),
    ("goals.archive.reason", "Why (optional)", "Почему (необязательно)"),
    (
        "goals.archive.hint",
        "An archived goal stops counting in the report, the health check and the agenda. Its history stays on the audit trail; it cannot be changed or agreed again.",
        "Цель в архиве больше не учитывается в отчёте, проверке здоровья и повестке. Её история остаётся в журнале; изменить или согласовать её снова нельзя.",
    ),
    ("goals.archive.submit", "Archive the goal", "Отправить в архив"),
    ("goals.archived", "Archived goals", "Цели в архиве"),
    ("goals.archived.on", "Archived", "В архиве с"),
    (
        "goals.archived.hint",
        "Kept for the record. To pursue one again, set it as a new goal: both sides agree it afresh.",
        "Сохранены для истории. Чтобы вернуться к цели, поставьте её заново: обе стороны согласуют её снова.",
    ),
    ("goals.zone.default", "the metric's own zone", "зона метрики"),
    ("goals.baseline", "Baseline", "Исходное значение"),
    (
        "goals.baseline.entered",
        "Baseline (leave empty to measure from data)",
        "Исходное значение (пусто — измерить по данным)",
    ),
    ("goals.current", "Now", "Сейчас"),
    ("goals.progress", "Progress", "Прогресс"),
    ("goals.feasibility", "Feasibility", "Реалистичность"),
    ("goals.verdict.realistic", "Realistic", "Реалистична"),
    ("goals.verdict.unrealistic", "Unrealistic", "Нереалистична"),
    ("goals.required_rate", "needs", "нужно"),
    ("goals.best_rate", "best in history", "лучшее в истории"),
    ("goals.per_day_over", "per day, windows of", "в день, окна по"),
    ("goals.days", "days", "дн."),
    ("goals.forecast", "Forecast at deadline", "Прогноз на срок"),
    ("goals.on_track", "on track", "идёт по плану"),
    ("goals.off_track", "off track", "отстаёт"),
    ("goals.agreement", "Agreement", "Согласование"),
    ("goals.side.client", "Client", "Клиент"),
    ("goals.side.agency", "Agency", "Агентство"),
    ("goals.agree", "Agree to this goal", "Согласовать цель"),
    ("goals.new", "New goal", "Новая цель"),
    ("goals.change", "Change this goal", "Изменить цель"),
    ("goals.change.submit", "Save the change", "Сохранить изменение"),
    (
        "goals.change.hint",
        "A change goes on the record and needs both sides to agree again.",
        "Изменение попадает в журнал, и обеим сторонам нужно согласовать цель заново.",
    ),
    ("goals.metric", "Metric", "Метрика"),
    ("goals.target_kind", "Target as", "Цель как"),
    ("goals.relative", "change, %", "изменение, %"),
    ("goals.absolute", "value to reach", "значение"),
    ("goals.target", "Target", "Цель"),
    ("goals.start", "Start", "Начало"),
    ("goals.deadline", "Deadline", "Срок"),
    ("goals.create", "Set the goal", "Поставить цель"),
    (
        "goals.feasibility.hint",
        "Keel compares the daily rate the target needs with the best rate over any period of the same length in the account's history; more than 3× that is flagged unrealistic (a warning, not a block).",
        "Keel сравнивает нужный целью темп в день с лучшим темпом за любой период той же длины в истории аккаунта; больше чем в 3 раза — цель помечается нереалистичной (предупреждение, не запрет).",
    ),
    ("goals.catalog", "Metric catalog", "Каталог метрик"),
    (
        "goals.chart.empty",
        "No data for this metric yet.",
        "По этой метрике ещё нет данных.",
    ),
    ("brief.title", "Brief", "Бриф"),
    (
        "brief.empty",
        "No brief yet. Describe the business, its audience, tone of voice and taboo topics, and the terms of the work: the project cannot leave setup without a brief.",
        "Брифа пока нет. Опишите бизнес, аудиторию, тон общения и запретные темы, а также условия работы: без брифа проект не выйдет из подготовки.",
    ),
    (
        "brief.pay_tied.warning",
        "The agency's pay is tied to a share of sales, which the client's sales team controls: results would be blamed on the wrong side.",
        "Оплата агентства привязана к доле продаж, которыми управляет отдел продаж клиента: за результат будут спрашивать не с той стороны.",
    ),
    ("brief.version", "Version", "Версия"),
    ("brief.versions", "Versions", "Версии"),
    ("brief.author", "Author", "Автор"),
    ("brief.saved", "Saved", "Сохранена"),
    ("brief.acknowledged", "Acknowledged by the agency", "Принята агентством"),
    ("brief.acknowledge", "Acknowledge", "Принять"),
    ("brief.left", "Version", "Версия"),
    ("brief.right", "with version", "с версией"),
    ("brief.compare", "Compare", "Сравнить"),
    ("brief.edit", "Save a new version", "Сохранить новую версию"),
    ("brief.save", "Save version", "Сохранить версию"),
    ("brief.business", "Business", "Бизнес"),
    ("brief.products", "Products", "Продукты"),
    ("brief.audience", "Audience", "Аудитория"),
    ("brief.competitors", "Competitors", "Конкуренты"),
    ("brief.tone_of_voice", "Tone of voice", "Тон общения"),
    ("brief.taboo_topics", "Taboo topics", "Запретные темы"),
    ("brief.approvers", "Who approves", "Кто согласует"),
    (
        "brief.brand_assets",
        "Brand assets (text, links)",
        "Брендовые материалы (текст, ссылки)",
    ),
    ("brief.fixed_fee", "Fixed monthly fee", "Фиксированная оплата в месяц"),
    ("brief.ad_budget", "Monthly ad budget", "Рекламный бюджет в месяц"),
    ("brief.reporting_cadence", "Reporting cadence", "Периодичность отчётов"),
    (
        "brief.sales_share_pct",
        "Pay as a share of sales, %",
        "Оплата как доля продаж, %",
    ),
    (
        "brief.sales_share.hint",
        "Leave empty unless the agency's pay depends on sales.",
        "Оставьте пустым, если оплата агентства не зависит от продаж.",
    ),
    ("cadence.weekly", "Weekly", "Еженедельно"),
    ("cadence.biweekly", "Every two weeks", "Раз в две недели"),
    ("cadence.monthly", "Monthly", "Ежемесячно"),
    ("team.title", "Who does what", "Кто за что отвечает"),
    ("team.area", "Area", "Область"),
    ("team.who", "Who", "Кто"),
    ("team.side", "Side", "Сторона"),
    ("team.note", "Note", "Примечание"),
    ("team.strategy", "Strategy", "Стратегия"),
    ("team.copy", "Copy", "Тексты"),
    ("team.design", "Design", "Дизайн"),
    ("team.targeting", "Targeting", "Таргетинг"),
    ("team.analytics", "Analytics", "Аналитика"),
    ("team.approvals", "Approvals", "Согласование"),
    ("team.sales_follow_up", "Sales follow-up", "Работа с лидами (продажи)"),
    ("meetings.title", "Team & meetings", "Команда и встречи"),
    ("meetings.schedule", "Meeting schedule", "Расписание встреч"),
    (
        "meetings.schedule.empty",
        "No regular meeting yet. Set one below: projects without regular meetings drift.",
        "Регулярной встречи пока нет. Назначьте её ниже: проекты без регулярных встреч дрейфуют.",
    ),
    ("meetings.minutes_unit", "min", "мин"),
    ("meetings.link", "Call link", "Ссылка на звонок"),
    ("meetings.next", "Next", "Ближайшие"),
    ("meetings.meeting_title", "Title", "Название"),
    ("meetings.first_at", "First meeting (UTC)", "Первая встреча (UTC)"),
    ("meetings.recurrence", "Repeats", "Повтор"),
    ("meetings.duration", "Duration, minutes", "Длительность, минут"),
    ("meetings.agenda", "Agenda", "Повестка"),
    (
        "meetings.agenda.empty",
        "Nothing in the data needs discussing: goals on track, no suspected purchases, funnel stages at their baselines.",
        "В данных нет ничего, что требует обсуждения: цели идут по плану, подозрений на покупку нет, этапы воронки на базовом уровне.",
    ),
    ("meetings.record", "Record a meeting", "Записать встречу"),
    ("meetings.starts_at", "When (UTC)", "Когда (UTC)"),
    ("meetings.minutes", "Minutes", "Протокол"),
    ("meetings.held", "Held", "Состоялась"),
    ("meetings.not_held", "Not held", "Не состоялась"),
    (
        "meetings.empty",
        "No meetings recorded yet.",
        "Встреч пока не записано.",
    ),
    ("meetings.decisions", "Decisions", "Решения"),
    ("meetings.decision", "Decision", "Решение"),
    (
        "meetings.decision.add",
        "Add to the decision log",
        "Добавить в журнал решений",
    ),
    ("meetings.items", "Action items", "Задачи"),
    ("meetings.item", "Action item", "Задача"),
    ("meetings.item.add", "Add", "Добавить"),
    ("meetings.owner", "Owner", "Ответственный"),
    ("meetings.due", "Due", "Срок"),
    ("meetings.overdue", "Overdue", "Просрочена"),
    ("meetings.done", "Done", "Готово"),
    ("agenda.goal_off_track", "Goal off track", "Цель отстаёт"),
    (
        "agenda.suspected_purchase",
        "Suspected purchased followers",
        "Подозрение на купленных подписчиков",
    ),
    (
        "agenda.funnel_stage",
        "Funnel stage off its baseline",
        "Этап воронки отклонился от базы",
    ),
    ("project.overdue", "Overdue action items", "Просроченные задачи"),
    ("projects.health", "Health", "Здоровье"),
    ("health.title", "Health check", "Проверка здоровья"),
    (
        "health.intro",
        "Each known way to sink a project, tested on this project's data.",
        "Каждая известная причина провала проекта, проверенная на данных этого проекта.",
    ),
    ("health.status.healthy", "Healthy", "В порядке"),
    ("health.status.warning", "Warning", "Внимание"),
    ("health.status.problem", "Problem", "Проблема"),
    ("health.todo", "What to do:", "Что делать:"),
    (
        "health.smart_goal.title",
        "A SMART goal agreed by both sides",
        "SMART-цель, согласованная обеими сторонами",
    ),
    (
        "health.smart_goal.problem",
        "No goal is agreed by both the client owner and the agency lead: nobody can say whether the work succeeds.",
        "Нет цели, согласованной и владельцем со стороны клиента, и руководителем агентства: никто не может сказать, успешна ли работа.",
    ),
    (
        "health.smart_goal.todo",
        "Set a goal on the Goals tab (metric, target, deadline) and have both sides agree to it.",
        "Поставьте цель на вкладке «Цели» (метрика, цель, срок) и согласуйте её обеими сторонами.",
    ),
    (
        "health.smart_goal.ok",
        "At least one measurable goal with a deadline is agreed by both sides.",
        "Как минимум одна измеримая цель со сроком согласована обеими сторонами.",
    ),
    (
        "health.vanity_goals.title",
        "Goals beyond vanity metrics",
        "Цели не только по метрикам тщеславия",
    ),
    (
        "health.vanity_goals.problem",
        "Every goal is judged by followers or likes alone, which say little about the business and can be bought.",
        "Все цели оцениваются только подписчиками или лайками — они мало говорят о бизнесе и могут быть куплены.",
    ),
    (
        "health.vanity_goals.todo",
        "Add a goal on engagement (ER), leads or sales.",
        "Добавьте цель по вовлечённости (ER), лидам или продажам.",
    ),
    (
        "health.vanity_goals.ok",
        "The goals include metrics of engagement or business results (or there are no goals to judge yet).",
        "Среди целей есть метрики вовлечённости или бизнес-результата (или целей пока нет).",
    ),
    (
        "health.purchased_followers.title",
        "No purchased followers",
        "Нет купленных подписчиков",
    ),
    (
        "health.purchased_followers.problem",
        "Follower spikes were followed by falling engagement: the new followers look bought, and they dilute ER.",
        "За всплесками подписчиков последовало падение вовлечённости: новые подписчики похожи на купленных и размывают ER.",
    ),
    (
        "health.purchased_followers.todo",
        "Ask who bought them, stop it, and judge the account by ER rather than follower counts.",
        "Выясните, кто их купил, прекратите это и оценивайте аккаунт по ER, а не по числу подписчиков.",
    ),
    (
        "health.purchased_followers.ok",
        "No follower spike without matching engagement in the account's history.",
        "В истории аккаунта нет всплесков подписчиков без соответствующей вовлечённости.",
    ),
    (
        "health.sales_stage_zone.title",
        "Funnel stages and their zones",
        "Этапы воронки и зоны ответственности",
    ),
    (
        "health.sales_stage_zone.problem",
        "A funnel stage is off its baseline (or the agency's pay depends on sales). Each stage belongs to one zone: a drop in leads→deals is the client's sales team's, never the agency's.",
        "Этап воронки отклонился от базы (или оплата агентства зависит от продаж). У каждого этапа своя зона: падение лид→сделка — зона отдела продаж клиента, а не агентства.",
    ),
    (
        "health.sales_stage_zone.todo",
        "Raise a client-zone drop with the client's sales team; review an agency-zone drop with the agency; do not tie the agency's pay to sales.",
        "Падение в зоне клиента обсудите с отделом продаж клиента, в зоне агентства — с агентством; не привязывайте оплату агентства к продажам.",
    ),
    (
        "health.sales_stage_zone.ok",
        "Every funnel stage holds its baseline, and the agency's pay does not depend on sales.",
        "Все этапы воронки держатся на базовом уровне, и оплата агентства не зависит от продаж.",
    ),
    (
        "health.meetings_held.title",
        "Regular meetings, held",
        "Регулярные встречи проводятся",
    ),
    (
        "health.meetings_held.problem",
        "There is no regular meeting, or none was held for more than two of its intervals.",
        "Регулярной встречи нет, или её не проводили дольше двух интервалов.",
    ),
    (
        "health.meetings_held.todo",
        "Set a meeting schedule on the Team & meetings tab and record each meeting with its decisions.",
        "Назначьте расписание на вкладке «Команда и встречи» и записывайте каждую встречу с решениями.",
    ),
    (
        "health.meetings_held.ok",
        "Meetings are scheduled and held on time.",
        "Встречи назначены и проводятся вовремя.",
    ),
    (
        "health.stale_brief.title",
        "A current, acknowledged brief",
        "Актуальный принятый бриф",
    ),
    (
        "health.stale_brief.problem",
        "There is no brief, it is older than six months, or the agency has not acknowledged its latest version.",
        "Брифа нет, он старше полугода, или агентство не приняло его последнюю версию.",
    ),
    (
        "health.stale_brief.todo",
        "Review the brief with the client and save a new version; the agency lead acknowledges it.",
        "Пересмотрите бриф с клиентом и сохраните новую версию; руководитель агентства её принимает.",
    ),
    (
        "health.stale_brief.ok",
        "The brief was updated within six months and the agency acknowledged it.",
        "Бриф обновлялся в последние полгода, и агентство его приняло.",
    ),
    (
        "health.approvers.title",
        "At most two approvers",
        "Не больше двух согласующих",
    ),
    (
        "health.approvers.problem",
        "More than two people approve content, or nobody does: edits never end, or nobody can say yes.",
        "Контент согласуют больше двух человек или никто: правки не кончаются, или некому сказать «да».",
    ),
    (
        "health.approvers.todo",
        "Name one or two approvers on the client's side (Team tab); everyone else comments, and their remarks are advisory.",
        "Назначьте одного-двух согласующих со стороны клиента (вкладка «Команда»); остальные комментируют, и их замечания — рекомендации.",
    ),
    (
        "health.approvers.ok",
        "One or two named approvers decide; other remarks are advisory.",
        "Решают один-два назначенных согласующих; остальные замечания — рекомендации.",
    ),
    ("health.ev.approvers", "Approvers", "Согласующие"),
    ("health.ev.goals", "Goals", "Цели"),
    (
        "health.ev.goals_agreed",
        "Agreed by both",
        "Согласованы обеими сторонами",
    ),
    ("health.ev.goal", "For example", "Например"),
    ("health.ev.metrics", "Goal metrics", "Метрики целей"),
    ("health.ev.spikes", "Suspected purchases", "Подозрения на покупку"),
    ("health.ev.spike", "Suspected purchase", "Подозрение на покупку"),
    (
        "health.ev.stage",
        "Stage: conversion / baseline, verdict",
        "Этап: конверсия / база, вывод",
    ),
    ("health.ev.pay_tied", "Pay tied to sales", "Оплата привязана к продажам"),
    ("health.ev.schedule", "Days between meetings", "Дней между встречами"),
    ("health.ev.last_held", "Last held", "Последняя проведённая"),
    (
        "health.ev.missed",
        "Planned but not held",
        "Запланированы, но не проведены",
    ),
    ("health.ev.days_since", "Days since", "Дней прошло"),
    ("health.ev.brief", "Latest version saved", "Последняя версия сохранена"),
    ("health.ev.brief_age", "Age, days", "Возраст, дней"),
    (
        "health.ev.acknowledged",
        "Acknowledged by the agency",
        "Принята агентством",
    ),
    // page: a project with many accounts charts only the most engaged ones.
    (
        "analytics.charted",
        "Charts over time are drawn for the {n} accounts with the most interactions in the period; the other accounts show their figures only.",
        "Графики по дням построены для {n} аккаунтов с наибольшим числом взаимодействий за период; для остальных показаны только цифры.",
    ),
    // Health items and agenda items from the content workflow.
    (
        "health.revision_rounds.title",
        "Revision rounds stay at two or fewer",
        "Не больше двух раундов правок",
    ),
    (
        "health.revision_rounds.problem",
        "Posts went back for changes more than twice: edits are not converging.",
        "Посты уходили на правки больше двух раз: правки не сходятся.",
    ),
    (
        "health.revision_rounds.todo",
        "Settle the disputed points in one call with the approver, and write the rule that was missing into the brief (tone of voice, taboo topics).",
        "Решите спорные моменты одним созвоном с согласующим и впишите недостающее правило в бриф (тон, запретные темы).",
    ),
    (
        "health.revision_rounds.ok",
        "No post needed more than two rounds of changes.",
        "Ни одному посту не понадобилось больше двух раундов правок.",
    ),
    (
        "health.urgent_sla.title",
        "Urgent posts decided within their SLA",
        "Срочные посты согласуются в срок",
    ),
    (
        "health.urgent_sla.problem",
        "Urgent posts waited past their SLA: situational content goes out late or not at all.",
        "Срочные посты ждали дольше SLA: ситуативный контент выходит поздно или не выходит.",
    ),
    (
        "health.urgent_sla.todo",
        "Make sure approvers get urgent notifications (Telegram is fastest), lengthen the SLA to what the client can keep, or turn on auto-approval at expiry.",
        "Убедитесь, что согласующие получают срочные уведомления (быстрее всего — в Telegram), увеличьте SLA до выполнимого или включите автосогласование по истечении.",
    ),
    (
        "health.urgent_sla.ok",
        "Every urgent post of the last 90 days was decided within its SLA (or there were none).",
        "Все срочные посты за 90 дней согласованы в срок (или их не было).",
    ),
    (
        "health.ev.flagged",
        "Posts past two rounds",
        "Постов больше двух раундов",
    ),
    ("health.ev.flagged_post", "Post: rounds", "Пост: раундов"),
    (
        "health.ev.urgent",
        "Urgent posts due in 90 days",
        "Срочных постов за 90 дней",
    ),
    ("health.ev.sla_missed", "SLA missed", "SLA нарушен"),
    ("health.ev.sla_miss", "Missed: post, deadline", "Нарушен: пост, срок"),
    (
        "agenda.awaiting_approval",
        "Post waiting for approval",
        "Пост ждёт согласования",
    ),
    (
        "agenda.sla_missed",
        "Urgent post missed its SLA",
        "Срочный пост не согласован в срок",
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
