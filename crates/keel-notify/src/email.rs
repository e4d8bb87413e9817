//! E-mail notifications over SMTP (lettre): one message per notification, plain text and HTML,
//! in the recipient's language, linking back to the post.

use crate::messages::{Messages, MsgLang};
use crate::public_link;
use keel_domain::notification::{Channel, Deliver, DeliveryResult, Notification};
use keel_domain::text::escape_html as html_escape;
use keel_store::Store;
use keel_store::notify_prefs::Recipient;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// Where and as whom Keel sends mail.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    /// `smtps://user:pass@host:465`, `smtp://user:pass@host:587?tls=required` (STARTTLS), or
    /// `smtp://127.0.0.1:25` (plain, for a relay on the same machine).
    pub url: String,
    /// The `From:` address, e.g. `Keel <keel@agency.example>`.
    pub from: String,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("url", &keel_store::redact_url(&self.url))
            .field("from", &self.from)
            .finish()
    }
}

impl SmtpSettings {
    /// Checks the settings without connecting: a well-formed URL, a usable scheme, a parseable
    /// sender, and no password sent in clear text to another machine.
    pub fn validate(&self) -> Result<(), String> {
        let url = url::Url::parse(&self.url).map_err(|e| format!("smtp_url is not a URL: {e}"))?;
        let tls = url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
        let encrypted = match (url.scheme(), tls.as_deref()) {
            ("smtps", _) => true,
            ("smtp", Some("required")) => true,
            ("smtp", None | Some("opportunistic")) => false,
            (scheme, tls) => {
                return Err(format!(
                    "smtp_url: scheme `{scheme}` with tls={tls:?} is not supported; use smtps://, smtp://…?tls=required or smtp://"
                ));
            }
        };
        let host = url.host_str().ok_or("smtp_url has no host")?;
        let loopback = host == "localhost"
            || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
            || host
                .trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if url.password().is_some() && !encrypted && !loopback {
            return Err(format!(
                "smtp_url would send the password to {host} unencrypted: use smtps:// or add ?tls=required"
            ));
        }
        self.from
            .parse::<Mailbox>()
            .map_err(|e| format!("mail_from `{}` is not an e-mail address: {e}", self.from))?;
        Ok(())
    }
}

/// The e-mail channel.
pub struct EmailChannel {
    store: Store,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

impl EmailChannel {
    /// A channel sending through `settings`; links start with `public_url`.
    pub fn new(store: Store, settings: &SmtpSettings, public_url: &str) -> Result<EmailChannel, String> {
        settings.validate()?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.url)
            .map_err(|e| format!("smtp_url: {e}"))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = settings.from.parse().map_err(|e| format!("mail_from: {e}"))?;
        Ok(EmailChannel {
            store,
            transport,
            from,
            public_url: public_url.to_owned(),
        })
    }

    async fn send(&self, notification: &Notification) -> Result<(), String> {
        let user = notification.recipient;
        let wanted = self
            .store
            .wants_notification(user, notification.kind, Channel::Email)
            .await
            .map_err(|e| format!("reading preferences: {e}"))?;
        if !wanted {
            return Ok(());
        }
        let recipient = self
            .store
            .recipient(user)
            .await
            .map_err(|e| format!("reading the recipient: {e}"))?;
        let project_name = self
            .store
            .project_by_id(notification.project)
            .await
            .map_err(|e| format!("reading the project: {e}"))?
            .name;
        let message = compose(&self.from, &recipient, &project_name, notification, &self.public_url)?;
        self.transport.send(message).await.map_err(|e| format!("SMTP: {e}"))?;
        Ok(())
    }
}

impl Deliver for EmailChannel {
    fn channel(&self) -> Channel {
        Channel::Email
    }

    fn deliver<'a>(
        &'a self,
        notification: &'a Notification,
    ) -> Pin<Box<dyn Future<Output = DeliveryResult> + Send + 'a>> {
        Box::pin(self.send(notification))
    }
}

/// The message for one recipient: subject `[Project] title`, a plain-text and an HTML part.
pub fn compose(
    from: &Mailbox,
    recipient: &Recipient,
    project_name: &str,
    notification: &Notification,
    public_url: &str,
) -> Result<Message, String> {
    let lang = MsgLang::from_code(recipient.notify_language.as_deref());
    let link = public_link(public_url, &notification.link_path);
    let settings = public_link(public_url, "/settings/notifications");
    let heading = lang.kind_heading(notification.kind);
    let to = Mailbox::new(
        Some(recipient.display_name.clone()),
        recipient
            .email
            .parse()
            .map_err(|e| format!("the recipient's address `{}`: {e}", recipient.email))?,
    );
    let mut plain = format!("{heading}\n\n{}\n", notification.title);
    if !notification.body.is_empty() {
        plain.push_str(&format!("\n{}\n", notification.body));
    }
    plain.push_str(&format!(
        "\n{}: {link}\n\n-- \n{} {settings}\n",
        lang.open_post(),
        lang.email_footer()
    ));
    let body_html = if notification.body.is_empty() {
        String::new()
    } else {
        format!(
            "<p style=\"white-space:pre-line\">{}</p>",
            html_escape(&notification.body)
        )
    };
    let html = format!(
        "<!doctype html><html lang=\"{code}\"><body style=\"font-family:sans-serif;line-height:1.5\">\
         <p style=\"color:#555\">{heading}</p><h1 style=\"font-size:1.2em\">{title}</h1>{body_html}\
         <p><a href=\"{link}\" style=\"font-weight:bold\">{open}</a></p>\
         <hr><p style=\"color:#777;font-size:.85em\">{footer} <a href=\"{settings}\">{settings}</a></p></body></html>",
        code = match lang {
            MsgLang::En => "en",
            MsgLang::Ru => "ru",
        },
        heading = html_escape(heading),
        title = html_escape(&notification.title),
        link = html_escape(&link),
        open = html_escape(lang.open_post()),
        footer = html_escape(lang.email_footer()),
        settings = html_escape(&settings),
    );
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(format!("[{project_name}] {}", notification.title))
        .multipart(MultiPart::alternative_plain_html(plain, html))
        .map_err(|e| format!("building the e-mail: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(url: &str) -> SmtpSettings {
        SmtpSettings {
            url: url.into(),
            from: "Keel <keel@agency.example>".into(),
        }
    }

    #[test]
    fn passwords_never_travel_in_clear_to_another_machine() {
        assert!(settings("smtps://u:p@mail.example").validate().is_ok());
        assert!(settings("smtp://u:p@mail.example:587?tls=required").validate().is_ok());
        assert!(settings("smtp://127.0.0.1:2525").validate().is_ok());
        assert!(settings("smtp://u:p@localhost:25").validate().is_ok());
        let err = settings("smtp://u:p@mail.example:25").validate().unwrap_err();
        assert!(err.contains("unencrypted"), "{err}");
        assert!(settings("http://mail.example").validate().is_err());
        let bad_from = SmtpSettings {
            from: "not an address".into(),
            ..settings("smtp://127.0.0.1:25")
        };
        assert!(bad_from.validate().unwrap_err().contains("mail_from"));
    }

    #[test]
    fn the_password_never_shows_in_debug_output() {
        assert!(!format!("{:?}", settings("smtps://u:hunter22@mail.example")).contains("hunter22"));
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html_escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
