//! Why a publication failed or is in doubt, as a value ([`Reason`]): its code (stored with the
//! publication as `error_key`), its English words (stored as `error`, and in the API) and its
//! words in the reader's language (pages, notifications).

use keel_domain::Lang;
use keel_domain::workflow::variants::Platform;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The platform refused the token (revoked, expired): reconnect.
    TokenRejected(Platform),
    /// A VK ID token cannot post to walls (error 1051).
    VkIdToken,
    /// The bot was removed from the channel or lost the right to post (Telegram 403).
    BotRemoved,
    /// The platform refused this post, in its words.
    Rejected(Platform, String),
    /// The platform kept asking to wait.
    RateLimited(Platform, String),
    /// No answer, before anything was published; tried again.
    Unreachable(Platform, String),
    /// The publishing call got no answer: it may or may not have gone out.
    OutcomeUnknown(Platform, String),
    /// The project has no connection to the platform (removed after scheduling).
    NotConnected(Platform),
    /// The connection needs reconnecting since an earlier failure.
    NeedsReconnecting(Platform),
    /// The stored credentials do not open (the secret key changed).
    SecretWontOpen(Platform),
    /// Instagram could not take the post's image (downloading or processing it failed).
    ImageNotTaken(String),
    /// Instagram downloads images from Keel, and Keel's `public_url` is not set.
    NoPublicUrl,
    /// Instagram publishes only posts with an image.
    NeedsImage,
}

impl Reason {
    pub fn key(&self) -> &'static str {
        match self {
            Reason::TokenRejected(_) => "token_rejected",
            Reason::VkIdToken => "vk_id_token",
            Reason::BotRemoved => "bot_removed",
            Reason::Rejected(..) => "rejected",
            Reason::RateLimited(..) => "rate_limited",
            Reason::Unreachable(..) => "unreachable",
            Reason::OutcomeUnknown(..) => "outcome_unknown",
            Reason::NotConnected(_) => "not_connected",
            Reason::NeedsReconnecting(_) => "needs_reconnecting",
            Reason::SecretWontOpen(_) => "secret_wont_open",
            Reason::ImageNotTaken(_) => "image_not_taken",
            Reason::NoPublicUrl => "no_public_url",
            Reason::NeedsImage => "needs_image",
        }
    }

    pub fn english(&self) -> String {
        self.text(Lang::En)
    }

    pub fn text(&self, lang: Lang) -> String {
        let ru = lang == Lang::Ru;
        let pick = |en: String, r: String| if ru { r } else { en };
        match self {
            Reason::TokenRejected(p) => pick(
                format!("{} no longer accepts the connection's token (revoked or expired): the agency lead reconnects the account on the Connections tab, then retries the post", p.label()),
                format!("{} больше не принимает токен подключения (отозван или истёк): руководитель от агентства переподключает аккаунт на вкладке «Подключения» и повторяет публикацию", p.label()),
            ),
            Reason::VkIdToken => pick(
                "VK refused: the connection uses a VK ID token (vk2.a.…), which may not post to community walls (error 1051); reconnect with a VK API user token (vk1.a.…) of a community administrator or editor".into(),
                "VK отказал: подключение использует токен VK ID (vk2.a.…), которому нельзя публиковать на стене сообщества (ошибка 1051); переподключите с пользовательским токеном VK API (vk1.a.…) администратора или редактора сообщества".into(),
            ),
            Reason::BotRemoved => pick(
                "Telegram refused: the bot is no longer an administrator of the channel allowed to post; add it back, reconnect, then retry".into(),
                "Telegram отказал: бот больше не администратор канала с правом публикации; верните его, переподключите и повторите".into(),
            ),
            Reason::Rejected(p, words) => pick(
                format!("{} refused the post: {words}", p.label()),
                format!("{} отклонил пост: {words}", p.label()),
            ),
            Reason::RateLimited(p, _) => pick(
                format!("{} kept asking to wait (too many requests); retry later", p.label()),
                format!("{} просил подождать (слишком много запросов); повторите позже", p.label()),
            ),
            Reason::Unreachable(p, detail) => pick(
                format!("{} did not answer ({detail}); Keel tries again", p.label()),
                format!("{} не ответил ({detail}); Keel попробует ещё раз", p.label()),
            ),
            Reason::OutcomeUnknown(p, _) => pick(
                format!("{} did not confirm the post and Keel cannot tell whether it went out: look at the channel, then mark it published with its link, or send it again", p.label()),
                format!("{} не подтвердил публикацию, и Keel не может узнать, вышел ли пост: посмотрите канал, затем отметьте пост опубликованным со ссылкой или отправьте снова", p.label()),
            ),
            Reason::NotConnected(p) => pick(
                format!("the project has no {} connection any more", p.label()),
                format!("у проекта больше нет подключения {}", p.label()),
            ),
            Reason::NeedsReconnecting(p) => pick(
                format!("the {} connection needs reconnecting (an earlier post found its token refused): reconnect it, then retry", p.label()),
                format!("подключение {} нужно переподключить (платформа отказала в токене при прошлой публикации): переподключите и повторите", p.label()),
            ),
            Reason::SecretWontOpen(p) => pick(
                format!("the stored {} credentials do not open with this installation's secret key: reconnect the account", p.label()),
                format!("сохранённые доступы {} не открываются секретным ключом этой установки: переподключите аккаунт", p.label()),
            ),
            Reason::ImageNotTaken(detail) => pick(
                format!("Instagram could not take the post's image ({detail}); it downloads images from Keel's public address (public_url), which must be reachable from the internet: check it, then retry"),
                format!("Instagram не смог принять изображение поста ({detail}); он скачивает изображения с публичного адреса Keel (public_url), который должен быть доступен из интернета: проверьте его и повторите"),
            ),
            Reason::NoPublicUrl => pick(
                "Instagram downloads a post's images from Keel, and Keel's public address (public_url) is not set: the administrator sets it, then the post is retried".into(),
                "Instagram скачивает изображения поста с Keel, а публичный адрес Keel (public_url) не задан: администратор задаёт его, затем публикацию повторяют".into(),
            ),
            Reason::NeedsImage => pick(
                "Instagram publishes only posts with an image: add one, then retry".into(),
                "Instagram публикует только посты с изображением: добавьте его и повторите".into(),
            ),
        }
    }
}

/// The words of a stored reason code, for pages (the stored English words when the code is not
/// one of [`Reason`]'s or carries the platform's own words).
pub fn stored_reason(key: Option<&str>, english: Option<&str>, platform: Platform, lang: Lang) -> Option<String> {
    let reason = match key? {
        "token_rejected" => Reason::TokenRejected(platform),
        "vk_id_token" => Reason::VkIdToken,
        "bot_removed" => Reason::BotRemoved,
        "rate_limited" => Reason::RateLimited(platform, String::new()),
        "outcome_unknown" | "outcome_still_unknown" => Reason::OutcomeUnknown(platform, String::new()),
        "not_connected" => Reason::NotConnected(platform),
        "needs_reconnecting" => Reason::NeedsReconnecting(platform),
        "secret_wont_open" => Reason::SecretWontOpen(platform),
        "no_public_url" => Reason::NoPublicUrl,
        "needs_image" => Reason::NeedsImage,
        _ => return english.map(str::to_owned),
    };
    Some(reason.text(lang))
}
