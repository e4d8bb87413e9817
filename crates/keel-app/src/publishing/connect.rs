//! Connecting an account: the caller must manage the project's connections; the credentials are
//! checked with the platform before anything is stored, and what is wrong is said in words a
//! marketer can act on ([`Problem`]).
//!
//! - VK: the community exists (`groups.getById`) and the token's user is its administrator or
//!   editor (`is_admin`, `admin_level` ≥ 2: who may post as the community). A VK ID token
//!   (`vk2.a.…`) is refused at once: VK answers its `wall.post` with error 1051.
//! - Telegram: the chat exists (`getChat`) and is a channel, and the bot (`getMe`) is an
//!   administrator allowed to post there (`getChatMember`: `can_post_messages`).
//! - Instagram: the account answers (`/me`) and is the one named, publishing quota is left
//!   (`content_publishing_limit`), and `public_url` is set (Meta fetches images from it).
//! - Yandex Direct: the token may act for the advertiser `account` (`Client-Login`):
//!   `clients.get` answers its login, name and currency.
//! - amoCRM: the account at `account` (its own address) answers `/api/v4/account` to the
//!   access token; a refresh token comes with the app's client id and secret, or not at all
//!   (a long-lived token).
//! - Meta Ads: the ad account `act_…` answers to the token (`GET /act_{id}`) and is active
//!   (`account_status` 1).
//! - Bitrix24: the inbound webhook (`secret.webhook_url`, `https://PORTAL/rest/<user>/<code>/`)
//!   belongs to the portal `account` and may read the CRM (`scope` lists `crm`).

use super::Platforms;
use crate::access::ProjectAccess;
use crate::refusal::{AppResult, Refusal};
use keel_domain::Lang;
use keel_domain::connection::ConnectionPlatform;
use keel_platforms::PlatformError;
use keel_platforms::telegram::{BotToken, TelegramApi, TelegramError};
use keel_platforms::vk::{AccessToken, VkApi, VkError};
use keel_store::Store;
use keel_store::connections::{Connection, NewConnection};
use keel_store::sealing::Secret;

/// What a person asked to connect.
#[derive(Debug, Clone)]
pub struct ConnectInput {
    pub platform: String,
    pub account: String,
    /// `{"access_token": …}` or `{"bot_token": …}` (see PRODUCT.md).
    pub secret: serde_json::Value,
}

/// Why a connection was not made, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NoSecretKey,
    UnknownPlatform(String),
    MissingSecret(&'static str),
    BadAccount(ConnectionPlatform),
    VkIdToken,
    TokenRejected(ConnectionPlatform),
    NoCommunity(String),
    CannotPostToCommunity(String),
    NoBot,
    NoChannel(String),
    NotAChannel(String),
    BotNotAdmin(String),
    /// The platform did not answer as documented; the detail is for the curious.
    Unreachable(ConnectionPlatform, String),
    /// The platform refused the check in its own words.
    Refused(ConnectionPlatform, String),
    NoPublicUrl,
    NoQuota(i64),
    /// amoCRM: a refresh token without the client id and secret to use it.
    AmocrmPartialRefresh,
    /// Yandex Direct: the token may not act for this advertiser.
    NotAdvertiser(String),
    /// Meta: the ad account is not active (its `account_status`).
    AdAccountInactive(String, i64),
    /// Bitrix24: the webhook is not of this portal, or is not a webhook address.
    BadWebhook,
    /// Bitrix24: the webhook may not read the CRM.
    NoCrmScope,
}

impl Problem {
    pub fn text(&self, lang: Lang) -> String {
        let ru = lang == Lang::Ru;
        let pick = |en: String, r: String| if ru { r } else { en };
        match self {
            Problem::NoSecretKey => pick(
                "this Keel has no secret key to keep credentials with: the administrator sets KEEL_SECRET_KEY (32 bytes in base64)".into(),
                "у этой установки Keel нет секретного ключа для хранения доступов: администратор задаёт KEEL_SECRET_KEY (32 байта в base64)".into(),
            ),
            Problem::UnknownPlatform(p) => pick(
                format!("field `platform`: `{p}` is not one of vk, telegram, instagram, yandex_direct, meta_ads, amocrm, bitrix24"),
                format!("поле `platform`: `{p}` — не одна из площадок vk, telegram, instagram, yandex_direct, meta_ads, amocrm, bitrix24"),
            ),
            Problem::MissingSecret(field) => pick(
                format!("field `secret.{field}` is required"),
                format!("нужно поле `secret.{field}`"),
            ),
            Problem::BadAccount(ConnectionPlatform::Vk) => pick(
                "field `account`: the VK community's number, e.g. 12345 from vk.com/club12345".into(),
                "поле `account`: номер сообщества VK, например 12345 из адреса vk.com/club12345".into(),
            ),
            Problem::BadAccount(ConnectionPlatform::Telegram) => pick(
                "field `account`: the channel as @name, or its numeric id (-100…)".into(),
                "поле `account`: канал в виде @name или его числовой id (-100…)".into(),
            ),
            Problem::BadAccount(ConnectionPlatform::YandexDirect) => pick(
                "field `account`: the advertiser's Yandex Direct login (the Client-Login, e.g. coffee-house-direct)".into(),
                "поле `account`: логин рекламодателя в Яндекс Директе (Client-Login, например coffee-house-direct)".into(),
            ),
            Problem::BadAccount(ConnectionPlatform::Amocrm) => pick(
                "field `account`: the amoCRM account's address, e.g. https://name.amocrm.ru".into(),
                "поле `account`: адрес аккаунта amoCRM, например https://name.amocrm.ru".into(),
            ),
            Problem::AmocrmPartialRefresh => pick(
                "a refresh token needs the integration's client_id and client_secret beside it (or give only a long-lived access_token)".into(),
                "к refresh_token нужны client_id и client_secret интеграции (или укажите только долгосрочный access_token)".into(),
            ),
            Problem::NotAdvertiser(login) => pick(
                format!("the token's owner may not act for the advertiser {login}: check the login, or use a token of the agency that manages it"),
                format!("владелец токена не может работать от имени рекламодателя {login}: проверьте логин или возьмите токен агентства, которое его ведёт"),
            ),
            Problem::BadAccount(ConnectionPlatform::MetaAds) => pick(
                "field `account`: the Meta ad account's id, act_ and its number (e.g. act_1234567890 from Ads Manager)".into(),
                "поле `account`: id рекламного аккаунта Meta, act_ и его номер (например, act_1234567890 из Ads Manager)".into(),
            ),
            Problem::AdAccountInactive(name, status) => pick(
                format!("the ad account {name} is not active (Meta's account_status {status}): settle or reopen it in Ads Manager and connect again"),
                format!("рекламный аккаунт {name} не активен (account_status {status} у Meta): оплатите или откройте его в Ads Manager и подключите снова"),
            ),
            Problem::BadAccount(ConnectionPlatform::Bitrix24) => pick(
                "field `account`: the Bitrix24 portal's address, e.g. https://name.bitrix24.ru".into(),
                "поле `account`: адрес портала Битрикс24, например https://name.bitrix24.ru".into(),
            ),
            Problem::BadWebhook => pick(
                "field `secret.webhook_url`: the inbound webhook's address from the portal (Developer resources → Other → Inbound webhook), https://name.bitrix24.ru/rest/1/…/, on the portal named in `account`".into(),
                "поле `secret.webhook_url`: адрес входящего вебхука портала (Разработчикам → Другое → Входящий вебхук), https://name.bitrix24.ru/rest/1/…/, на портале из поля `account`".into(),
            ),
            Problem::NoCrmScope => pick(
                "the webhook may not read the CRM: edit it in the portal, tick the CRM (crm) right and save".into(),
                "вебхук не может читать CRM: откройте его на портале, отметьте право CRM (crm) и сохраните".into(),
            ),
            Problem::BadAccount(_) => pick(
                "field `account`: the account's id on the platform".into(),
                "поле `account`: id аккаунта на площадке".into(),
            ),
            Problem::VkIdToken => pick(
                "this is a VK ID token (it starts with vk2.a.), and VK does not let such tokens post to a community wall (error 1051). Connect with a user access token of the VK API (it starts with vk1.a.) with the wall, photos, groups and offline rights, issued to an administrator or editor of the community".into(),
                "это токен VK ID (начинается с vk2.a.), а VK не разрешает таким токенам публиковать на стене сообщества (ошибка 1051). Подключите пользовательский токен VK API (начинается с vk1.a.) с правами wall, photos, groups и offline, выданный администратору или редактору сообщества".into(),
            ),
            Problem::TokenRejected(p) => pick(
                format!("{} did not accept the token: it is wrong, expired or revoked. Get a new one and connect again", p.label()),
                format!("{} не принял токен: он неверный, истёк или отозван. Получите новый и подключите снова", p.label()),
            ),
            Problem::NoCommunity(a) => pick(
                format!("VK has no community {a}: check the number in the community's address (vk.com/club12345 → 12345)"),
                format!("в VK нет сообщества {a}: проверьте номер в адресе сообщества (vk.com/club12345 → 12345)"),
            ),
            Problem::CannotPostToCommunity(name) => pick(
                format!("the token's owner is not an administrator or editor of «{name}», so posts could not go out as the community: use a token of a person who manages it"),
                format!("владелец токена не администратор и не редактор сообщества «{name}», поэтому публиковать от имени сообщества нельзя: возьмите токен человека, который им управляет"),
            ),
            Problem::NoBot => pick(
                "field `secret.bot_token` is required: this Keel has no bot of its own (give the token @BotFather gave your bot)".into(),
                "нужно поле `secret.bot_token`: у этой установки Keel нет своего бота (укажите токен, который @BotFather выдал вашему боту)".into(),
            ),
            Problem::NoChannel(a) => pick(
                format!("Telegram does not know the chat {a}, or the bot is not in it: check the name and add the bot to the channel as an administrator"),
                format!("Telegram не знает чат {a} или бот в нём не состоит: проверьте имя и добавьте бота в канал администратором"),
            ),
            Problem::NotAChannel(a) => pick(
                format!("{a} is not a channel: Keel publishes to Telegram channels"),
                format!("{a} — не канал: Keel публикует в каналы Telegram"),
            ),
            Problem::BotNotAdmin(a) => pick(
                format!("the bot is not an administrator of {a} allowed to post: in the channel, open Administrators, add the bot and allow it to post messages"),
                format!("бот не администратор канала {a} с правом публикации: в канале откройте «Администраторы», добавьте бота и разрешите ему публиковать сообщения"),
            ),
            Problem::Unreachable(p, detail) => pick(
                format!("{} did not answer ({detail}); try again in a minute", p.label()),
                format!("{} не ответил ({detail}); попробуйте через минуту", p.label()),
            ),
            Problem::Refused(p, words) => pick(
                format!("{} refused: {words}", p.label()),
                format!("{} отказал: {words}", p.label()),
            ),
            Problem::NoPublicUrl => pick(
                "Instagram fetches images from Keel's public address, and this Keel has none: the administrator sets public_url (KEEL_PUBLIC_URL)".into(),
                "Instagram забирает картинки по публичному адресу Keel, а он не задан: администратор задаёт public_url (KEEL_PUBLIC_URL)".into(),
            ),
            Problem::NoQuota(used) => pick(
                format!("the account has used its publishing quota for the day ({used} posts): connect again tomorrow"),
                format!("аккаунт исчерпал дневную квоту публикаций ({used}): подключите снова завтра"),
            ),
        }
    }
}

fn refused(problem: Problem) -> crate::refusal::AppError {
    Refusal::Connection(problem).into()
}

/// A field of the secret, trimmed, if present and non-empty.
fn secret_field(secret: &serde_json::Value, name: &str) -> Option<String> {
    secret
        .get(name)
        .and_then(|v| v.as_str())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// What the check learned: the account's id as stored, its name, the stored secret and the
/// text whose last four characters are shown.
struct Checked {
    account: String,
    name: String,
    secret: serde_json::Value,
    hint: String,
}

/// Checks the account with its platform and stores the connection (a reconnect replaces the
/// project's connection to the same platform). The caller must manage connections.
pub async fn connect(
    store: &Store,
    platforms: &Platforms,
    access: &ProjectAccess,
    input: &ConnectInput,
) -> AppResult<Connection> {
    if !access.allows(keel_domain::Action::ManageConnections) {
        return Err(Refusal::Forbidden.into());
    }
    let key = platforms.key.as_ref().ok_or_else(|| refused(Problem::NoSecretKey))?;
    let platform = ConnectionPlatform::parse(&input.platform)
        .ok_or_else(|| refused(Problem::UnknownPlatform(input.platform.clone())))?;
    let checked = match platform {
        ConnectionPlatform::Vk => check_vk(platforms, input).await?,
        ConnectionPlatform::Telegram => check_telegram(platforms, input).await?,
        ConnectionPlatform::Instagram => check_instagram(platforms, input).await?,
        ConnectionPlatform::YandexDirect => check_yandex_direct(platforms, input).await?,
        ConnectionPlatform::Amocrm => check_amocrm(platforms, input).await?,
        ConnectionPlatform::MetaAds => check_meta(platforms, input).await?,
        ConnectionPlatform::Bitrix24 => check_bitrix24(platforms, input).await?,
    };
    let secret = Secret(checked.secret.to_string());
    let connection = store
        .save_connection(
            key,
            &NewConnection {
                org: access.project.org(),
                project: access.project.id(),
                platform,
                account: &checked.account,
                account_name: &checked.name,
                secret: &secret,
                hint_of: &checked.hint,
                actor: access.user.id(),
            },
        )
        .await?;
    tracing::info!(connection = connection.id, platform = %platform, "connection checked and saved");
    Ok(connection)
}

/// The project's connections (who may see them: agency side and client owner).
pub async fn connections(store: &Store, access: &ProjectAccess) -> AppResult<Vec<Connection>> {
    if !access.allows(keel_domain::Action::ViewConnections) {
        return Err(Refusal::Forbidden.into());
    }
    Ok(store.connections_of(access.project.id()).await?)
}

/// Removes a connection of the project.
pub async fn remove(store: &Store, access: &ProjectAccess, id: i64) -> AppResult<()> {
    if !access.allows(keel_domain::Action::ManageConnections) {
        return Err(Refusal::Forbidden.into());
    }
    let connection = store
        .connection(id)
        .await?
        .filter(|c| c.project_id == access.project.id().0)
        .ok_or(Refusal::NotFound)?;
    store.remove_connection(&connection, access.user.id()).await?;
    Ok(())
}

/// The VK check (see the module docs).
async fn check_vk(platforms: &Platforms, input: &ConnectInput) -> AppResult<Checked> {
    let token =
        secret_field(&input.secret, "access_token").ok_or_else(|| refused(Problem::MissingSecret("access_token")))?;
    let account = input.account.trim().trim_start_matches("club").trim_start_matches('-');
    let group_id: i64 = account
        .parse()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| refused(Problem::BadAccount(ConnectionPlatform::Vk)))?;
    let token = AccessToken(token);
    if token.is_vk_id_token() {
        return Err(refused(Problem::VkIdToken));
    }
    let api = VkApi::new(&platforms.vk_api_url, token.clone()).with_timeout(platforms.timeout);
    let group = api
        .groups_get_by_id(&group_id.to_string())
        .await
        .map_err(|e| vk_problem(&e, &group_id.to_string()))?;
    if group.deactivated.is_some() {
        return Err(refused(Problem::NoCommunity(group_id.to_string())));
    }
    if !group.may_post_as_community() {
        return Err(refused(Problem::CannotPostToCommunity(group.name)));
    }
    Ok(Checked {
        account: group.id.to_string(),
        name: group.name,
        secret: serde_json::json!({ "access_token": token.0 }),
        hint: token.0,
    })
}

fn vk_problem(error: &VkError, account: &str) -> crate::refusal::AppError {
    use keel_platforms::vk::codes;
    let problem = match error.code() {
        Some(codes::TOKEN_KIND) => Problem::VkIdToken,
        Some(codes::AUTH | codes::GROUP_AUTH) => Problem::TokenRejected(ConnectionPlatform::Vk),
        Some(codes::PARAM | codes::ACCESS_GROUP) => Problem::NoCommunity(account.into()),
        Some(_) => match error {
            VkError::Api { message, .. } => Problem::Refused(ConnectionPlatform::Vk, message.clone()),
            _ => Problem::Unreachable(ConnectionPlatform::Vk, error.to_string()),
        },
        None => Problem::Unreachable(ConnectionPlatform::Vk, short(error)),
    };
    refused(problem)
}

/// An error's text without the method prefix, for "did not answer (…)".
fn short(error: &dyn std::error::Error) -> String {
    let text = error.to_string();
    text.split_once(": ").map(|(_, rest)| rest.to_owned()).unwrap_or(text)
}

/// The Telegram check (see the module docs).
async fn check_telegram(platforms: &Platforms, input: &ConnectInput) -> AppResult<Checked> {
    let own = secret_field(&input.secret, "bot_token");
    let token = match (&own, &platforms.telegram_bot) {
        (Some(token), _) => BotToken(token.clone()),
        (None, Some(installation)) => installation.clone(),
        (None, None) => return Err(refused(Problem::NoBot)),
    };
    let account = input.account.trim().to_owned();
    let well_formed = (account.starts_with('@') && account.len() > 1) || account.parse::<i64>().is_ok();
    if !well_formed {
        return Err(refused(Problem::BadAccount(ConnectionPlatform::Telegram)));
    }
    let api = TelegramApi::new(&platforms.telegram_api_url, token.clone()).with_timeout(platforms.timeout);
    let telegram = |e: TelegramError| match (e.code(), e.failure()) {
        (Some(401), _) => refused(Problem::TokenRejected(ConnectionPlatform::Telegram)),
        (Some(400 | 403), _) => refused(Problem::NoChannel(account.clone())),
        (Some(_), keel_platforms::Failure::Rejected { reason }) => {
            refused(Problem::Refused(ConnectionPlatform::Telegram, reason))
        }
        _ => refused(Problem::Unreachable(ConnectionPlatform::Telegram, short(&e))),
    };
    let me = api.get_me().await.map_err(telegram)?;
    let chat = api.get_chat(&account).await.map_err(telegram)?;
    if chat.kind != "channel" {
        return Err(refused(Problem::NotAChannel(account)));
    }
    let member = api.get_chat_member(&account, me.id).await.map_err(telegram)?;
    let title = chat.title.clone().unwrap_or_else(|| account.clone());
    if !member.may_post() {
        return Err(refused(Problem::BotNotAdmin(title)));
    }
    let name = match &chat.username {
        Some(username) => format!("{title} (@{username})"),
        None => title,
    };
    Ok(Checked {
        // The numeric id: a channel's @name can change, its id cannot.
        account: chat.id.to_string(),
        name,
        secret: match &own {
            Some(t) => serde_json::json!({ "bot_token": t }),
            None => serde_json::json!({}),
        },
        hint: own.unwrap_or_default(),
    })
}

/// The Instagram check (see the module docs).
async fn check_instagram(platforms: &Platforms, input: &ConnectInput) -> AppResult<Checked> {
    use keel_platforms::instagram::InstagramApi;
    let token =
        secret_field(&input.secret, "access_token").ok_or_else(|| refused(Problem::MissingSecret("access_token")))?;
    let account = input.account.trim().to_owned();
    if account.is_empty() || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused(Problem::BadAccount(ConnectionPlatform::Instagram)));
    }
    if platforms.public_url.is_none() {
        return Err(refused(Problem::NoPublicUrl));
    }
    let api = InstagramApi::new(&platforms.instagram_api_url, &token).with_timeout(platforms.timeout);
    let instagram = |e: keel_platforms::instagram::InstagramError| match (e.code(), e.failure()) {
        (Some(190), _) => refused(Problem::TokenRejected(ConnectionPlatform::Instagram)),
        (Some(_), keel_platforms::Failure::Rejected { reason }) => {
            refused(Problem::Refused(ConnectionPlatform::Instagram, reason))
        }
        _ => refused(Problem::Unreachable(ConnectionPlatform::Instagram, short(&e))),
    };
    let me = api.me().await.map_err(instagram)?;
    let user_id = me.user_id.clone().or(me.id.clone()).unwrap_or_default();
    if user_id != account && me.id.as_deref() != Some(account.as_str()) {
        return Err(refused(Problem::Refused(
            ConnectionPlatform::Instagram,
            format!("the token belongs to account {user_id}, not {account}"),
        )));
    }
    let limit = api.content_publishing_limit(&user_id).await.map_err(instagram)?;
    if let Some(config) = &limit.config
        && limit.quota_usage >= config.quota_total
    {
        return Err(refused(Problem::NoQuota(limit.quota_usage)));
    }
    let name = me.username.map(|u| format!("@{u}")).unwrap_or_else(|| account.clone());
    Ok(Checked {
        account: user_id,
        name,
        secret: serde_json::json!({ "access_token": token }),
        hint: token,
    })
}

/// The Meta Ads check (see the module docs).
async fn check_meta(platforms: &Platforms, input: &ConnectInput) -> AppResult<Checked> {
    use keel_platforms::meta::{MetaApi, MetaError};
    let token =
        secret_field(&input.secret, "access_token").ok_or_else(|| refused(Problem::MissingSecret("access_token")))?;
    let number = input.account.trim().trim_start_matches("act_");
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused(Problem::BadAccount(ConnectionPlatform::MetaAds)));
    }
    let account = format!("act_{number}");
    let api = MetaApi::new(&platforms.meta_api_url, &token).with_timeout(platforms.timeout);
    let meta = |e: MetaError| match (e.code(), e.failure()) {
        (Some(190), _) => refused(Problem::TokenRejected(ConnectionPlatform::MetaAds)),
        (Some(100), _) => refused(Problem::BadAccount(ConnectionPlatform::MetaAds)),
        (Some(_), keel_platforms::Failure::Rejected { reason }) => {
            refused(Problem::Refused(ConnectionPlatform::MetaAds, reason))
        }
        _ => refused(Problem::Unreachable(ConnectionPlatform::MetaAds, short(&e))),
    };
    let found = api.ad_account(&account).await.map_err(meta)?;
    let name = found.name.clone().unwrap_or_else(|| account.clone());
    if let Some(status) = found.account_status.filter(|s| *s != 1) {
        return Err(refused(Problem::AdAccountInactive(name, status)));
    }
    Ok(Checked {
        account: found.id,
        name,
        secret: serde_json::json!({ "access_token": token }),
        hint: token,
    })
}

/// The Bitrix24 check (see the module docs).
async fn check_bitrix24(platforms: &Platforms, input: &ConnectInput) -> AppResult<Checked> {
    use keel_platforms::bitrix24::BitrixApi;
    let webhook =
        secret_field(&input.secret, "webhook_url").ok_or_else(|| refused(Problem::MissingSecret("webhook_url")))?;
    let web = url::Url::parse(&webhook)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some() && u.path().starts_with("/rest/"))
        .ok_or_else(|| refused(Problem::BadWebhook))?;
    let portal = web.origin().ascii_serialization();
    let account = match input.account.trim().trim_end_matches('/') {
        "" => portal.clone(),
        given => {
            let parsed = url::Url::parse(given)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some() && u.path() == "/")
                .ok_or_else(|| refused(Problem::BadAccount(ConnectionPlatform::Bitrix24)))?;
            if parsed.origin() != web.origin() {
                return Err(refused(Problem::BadWebhook));
            }
            given.to_owned()
        }
    };
    let api = BitrixApi::new(&webhook).with_timeout(platforms.timeout);
    let scope = api.scope().await.map_err(|e| match (e.failure(), e.code()) {
        (keel_platforms::Failure::Reconnect, Some("insufficient_scope" | "ACCESS_DENIED")) => {
            refused(Problem::NoCrmScope)
        }
        (keel_platforms::Failure::Reconnect, _) => refused(Problem::TokenRejected(ConnectionPlatform::Bitrix24)),
        (keel_platforms::Failure::Rejected { reason }, _) => {
            refused(Problem::Refused(ConnectionPlatform::Bitrix24, reason))
        }
        _ => refused(Problem::Unreachable(ConnectionPlatform::Bitrix24, short(&e))),
    })?;
    if !scope.iter().any(|s| s == "crm") {
        return Err(refused(Problem::NoCrmScope));
    }
    Ok(Checked {
        name: web.host_str().unwrap_or_default().to_owned(),
        account,
        secret: serde_json::json!({ "webhook_url": webhook }),
        hint: webhook.trim_end_matches('/').to_owned(),
    })
}

/// The Yandex Direct check (see the module docs).
async fn check_yandex_direct(platforms: &Platforms, input: &ConnectInput) -> AppResult<Checked> {
    use keel_platforms::yandex_direct::{YandexDirectApi, codes};
    let token =
        secret_field(&input.secret, "access_token").ok_or_else(|| refused(Problem::MissingSecret("access_token")))?;
    let login = input.account.trim().to_ascii_lowercase();
    let well_formed = !login.is_empty()
        && login.len() <= 64
        && login.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._@".contains(&b));
    if !well_formed {
        return Err(refused(Problem::BadAccount(ConnectionPlatform::YandexDirect)));
    }
    let api = YandexDirectApi::new(&platforms.yandex_direct_api_url, &token, &login).with_timeout(platforms.timeout);
    let client = api.client().await.map_err(|e| match (e.code(), e.failure()) {
        (Some(codes::AUTH), _) => refused(Problem::TokenRejected(ConnectionPlatform::YandexDirect)),
        (Some(codes::NO_ACCESS), _) => refused(Problem::NotAdvertiser(login.clone())),
        (Some(_), keel_platforms::Failure::Rejected { reason }) => {
            refused(Problem::Refused(ConnectionPlatform::YandexDirect, reason))
        }
        _ => refused(Problem::Unreachable(ConnectionPlatform::YandexDirect, short(&e))),
    })?;
    let name = match client.client_info.filter(|n| !n.trim().is_empty()) {
        Some(info) => format!("{info} ({}, {})", client.login, client.currency),
        None => format!("{} ({})", client.login, client.currency),
    };
    Ok(Checked {
        account: client.login,
        name,
        secret: serde_json::json!({ "access_token": token }),
        hint: token,
    })
}

/// The amoCRM check (see the module docs).
async fn check_amocrm(platforms: &Platforms, input: &ConnectInput) -> AppResult<Checked> {
    use keel_platforms::amocrm::{AmocrmApi, Tokens};
    let token =
        secret_field(&input.secret, "access_token").ok_or_else(|| refused(Problem::MissingSecret("access_token")))?;
    let account = input.account.trim().trim_end_matches('/').to_owned();
    let parsed = url::Url::parse(&account).ok().filter(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some() && u.query().is_none() && u.path() == "/"
    });
    if parsed.is_none() {
        return Err(refused(Problem::BadAccount(ConnectionPlatform::Amocrm)));
    }
    let tokens = Tokens {
        access_token: token.clone(),
        refresh_token: secret_field(&input.secret, "refresh_token"),
        client_id: secret_field(&input.secret, "client_id"),
        client_secret: secret_field(&input.secret, "client_secret"),
    };
    let some = [&tokens.refresh_token, &tokens.client_id, &tokens.client_secret]
        .iter()
        .filter(|f| f.is_some())
        .count();
    if some != 0 && some != 3 {
        return Err(refused(Problem::AmocrmPartialRefresh));
    }
    let api = AmocrmApi::new(&account, &token).with_timeout(platforms.timeout);
    let found = api.account().await.map_err(|e| match (&e, e.failure()) {
        (keel_platforms::amocrm::AmocrmError::Api { status: 401, .. }, _) => {
            refused(Problem::TokenRejected(ConnectionPlatform::Amocrm))
        }
        (_, keel_platforms::Failure::Rejected { reason }) => {
            refused(Problem::Refused(ConnectionPlatform::Amocrm, reason))
        }
        _ => refused(Problem::Unreachable(ConnectionPlatform::Amocrm, short(&e))),
    })?;
    Ok(Checked {
        account,
        name: found.name,
        secret: serde_json::to_value(&tokens).expect("tokens serialize"),
        hint: token,
    })
}
