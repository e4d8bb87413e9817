//! E-mails about a person's access rather than about work: an invitation to a project, a
//! password reset link, and the notice that a password was changed. Sent through the same
//! SMTP settings (and the same 30-second timeout) as notifications, in the language the
//! sender chose: the inviter's for an invitation, the page's for a reset.

use crate::email::SmtpSettings;
use keel_domain::Lang;
use keel_domain::text::escape_html;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// A report to mail: see [`PeopleMail::report`].
pub struct ReportMail<'a> {
    pub to: &'a [String],
    pub lang: Lang,
    pub subject: &'a str,
    pub body: &'a str,
    /// The agency's name and accent colour (`#rrggbb`).
    pub brand: &'a str,
    pub accent: &'a str,
    pub pdf: &'a [u8],
    pub file_name: &'a str,
}

/// Sends the people e-mails. Cheap to share (`Arc`) between requests.
pub struct PeopleMail {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// One e-mail's words: subject, the lines before the link, the link's label, and the lines
/// after it.
struct Words {
    subject: String,
    intro: String,
    action: Option<(&'static str, String)>,
    outro: &'static str,
}

impl PeopleMail {
    pub fn new(settings: &SmtpSettings) -> Result<PeopleMail, String> {
        settings.validate()?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.url)
            .map_err(|e| format!("smtp_url: {e}"))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = settings.from.parse().map_err(|e| format!("mail_from: {e}"))?;
        Ok(PeopleMail { transport, from })
    }

    /// An invitation to `project` as `role_name`, from `inviter`, with the link that sets the
    /// invitee's name and password.
    pub async fn invitation(
        &self,
        to: &str,
        lang: Lang,
        project: &str,
        inviter: &str,
        role_name: &str,
        link: &str,
    ) -> Result<(), String> {
        let words = match lang {
            Lang::En => Words {
                subject: format!("{inviter} invites you to {project} on Keel"),
                intro: format!("{inviter} invites you to the project {project} as {role_name}."),
                action: Some(("Set your name and password", link.to_owned())),
                outro: "The link works once and for 7 days. If you did not expect this, ignore this e-mail.",
            },
            Lang::Ru => Words {
                subject: format!("{inviter} приглашает вас в проект {project} в Keel"),
                intro: format!("{inviter} приглашает вас в проект {project}, роль: {role_name}."),
                action: Some(("Задать имя и пароль", link.to_owned())),
                outro: "Ссылка действует один раз и 7 дней. Если вы не ждали приглашения, просто не отвечайте на это письмо.",
            },
        };
        self.send(to, lang, words).await
    }

    /// A review link: the posts of `project` waiting for the guest approver's decision,
    /// working until `until` (a date in words).
    pub async fn review_link(
        &self,
        to: &str,
        lang: Lang,
        project: &str,
        sender: &str,
        until: &str,
        link: &str,
    ) -> Result<(), String> {
        let words = match lang {
            Lang::En => Words {
                subject: format!("{project}: posts waiting for your approval"),
                intro: format!(
                    "{sender} asks you to review the posts of {project}. No account or password is needed: open the link, see each post as it will look, approve it or say what to change."
                ),
                action: Some(("Review the posts", link.to_owned())),
                outro: if until.is_empty() {
                    ""
                } else {
                    "The link is personal: do not forward it."
                },
            },
            Lang::Ru => Words {
                subject: format!("{project}: посты ждут вашего согласования"),
                intro: format!(
                    "{sender} просит вас посмотреть посты проекта {project}. Аккаунт и пароль не нужны: откройте ссылку, посмотрите, как будет выглядеть каждый пост, согласуйте его или напишите, что изменить."
                ),
                action: Some(("Посмотреть посты", link.to_owned())),
                outro: if until.is_empty() {
                    ""
                } else {
                    "Ссылка личная: не пересылайте её."
                },
            },
        };
        self.send(to, lang, words).await
    }

    /// A one-time password reset link.
    pub async fn password_reset(&self, to: &str, lang: Lang, link: &str) -> Result<(), String> {
        let words = match lang {
            Lang::En => Words {
                subject: "Reset your Keel password".into(),
                intro: "Someone (we hope you) asked to reset the password of this address on Keel.".into(),
                action: Some(("Choose a new password", link.to_owned())),
                outro: "The link works once and for one hour; after a reset every session is logged out. If it was not you, ignore this e-mail: your password stays as it is.",
            },
            Lang::Ru => Words {
                subject: "Сброс пароля Keel".into(),
                intro: "Кто-то (надеемся, вы) попросил сбросить пароль этого адреса в Keel.".into(),
                action: Some(("Задать новый пароль", link.to_owned())),
                outro: "Ссылка действует один раз и один час; после сброса все сеансы завершаются. Если это были не вы, ничего не делайте: пароль останется прежним.",
            },
        };
        self.send(to, lang, words).await
    }

    /// The notice that the password of `to` was changed (so a stranger's change is noticed).
    pub async fn password_changed(&self, to: &str, lang: Lang) -> Result<(), String> {
        let words = match lang {
            Lang::En => Words {
                subject: "Your Keel password was changed".into(),
                intro:
                    "The password of this address on Keel was just changed, and your other sessions were logged out."
                        .into(),
                action: None,
                outro: "If it was not you, reset the password from the login page at once and tell your organization's admin.",
            },
            Lang::Ru => Words {
                subject: "Пароль Keel изменён".into(),
                intro: "Пароль этого адреса в Keel только что изменён, остальные сеансы завершены.".into(),
                action: None,
                outro: "Если это были не вы, сразу сбросьте пароль со страницы входа и сообщите администратору организации.",
            },
        };
        self.send(to, lang, words).await
    }

    /// A report as a PDF attachment, in one message to every recipient (so a retry after a
    /// failed send cannot reach some of them twice), carrying the agency's name and colour.
    pub async fn report(&self, mail: &ReportMail<'_>) -> Result<(), String> {
        let mut builder = Message::builder().from(self.from.clone()).subject(mail.subject);
        for to in mail.to {
            let to: Mailbox = to.parse().map_err(|e| format!("the address `{to}`: {e}"))?;
            builder = builder.to(to);
        }
        let plain = format!("{}\n\n{}\n", mail.body, mail.brand);
        let html = format!(
            "<!doctype html><html lang=\"{}\"><body style=\"font-family:sans-serif;line-height:1.5\">\
             <div style=\"border-top:6px solid {accent};padding-top:8px;font-weight:bold;color:{accent}\">{}</div>\
             <p>{}</p></body></html>",
            mail.lang.code(),
            escape_html(mail.brand),
            escape_html(mail.body),
            accent = escape_html(mail.accent),
        );
        let pdf = Attachment::new(mail.file_name.to_owned()).body(
            mail.pdf.to_vec(),
            ContentType::parse("application/pdf").map_err(|e| format!("content type: {e}"))?,
        );
        let message = builder
            .multipart(
                MultiPart::mixed()
                    .multipart(MultiPart::alternative_plain_html(plain, html))
                    .singlepart(pdf),
            )
            .map_err(|e| format!("building the e-mail: {e}"))?;
        self.transport.send(message).await.map_err(|e| format!("SMTP: {e}"))?;
        Ok(())
    }

    async fn send(&self, to: &str, lang: Lang, words: Words) -> Result<(), String> {
        let message = compose(&self.from, to, lang, words)?;
        self.transport.send(message).await.map_err(|e| format!("SMTP: {e}"))?;
        Ok(())
    }
}

fn compose(from: &Mailbox, to: &str, lang: Lang, words: Words) -> Result<Message, String> {
    let to: Mailbox = to.parse().map_err(|e| format!("the address `{to}`: {e}"))?;
    let mut plain = format!("{}\n\n", words.intro);
    let mut html = format!(
        "<!doctype html><html lang=\"{}\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>{}</p>",
        lang.code(),
        escape_html(&words.intro)
    );
    if let Some((label, link)) = &words.action {
        plain.push_str(&format!("{label}: {link}\n\n"));
        html.push_str(&format!(
            "<p><a href=\"{}\" style=\"font-weight:bold\">{}</a></p>",
            escape_html(link),
            escape_html(label)
        ));
    }
    plain.push_str(words.outro);
    plain.push('\n');
    html.push_str(&format!(
        "<p style=\"color:#777;font-size:.85em\">{}</p></body></html>",
        escape_html(words.outro)
    ));
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(words.subject)
        .multipart(MultiPart::alternative_plain_html(plain, html))
        .map_err(|e| format!("building the e-mail: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_is_in_both_parts_and_the_words_in_the_chosen_language() {
        let from: Mailbox = "Keel <keel@agency.test>".parse().unwrap();
        let words = Words {
            subject: "Сброс пароля Keel".into(),
            intro: "Кто-то попросил <сбросить>".into(),
            action: Some(("Задать новый пароль", "https://keel.test/password/reset/abc".into())),
            outro: "Ссылка действует один раз",
        };
        let message = compose(&from, "new.client@example.test", Lang::Ru, words).unwrap();
        let text = String::from_utf8(message.formatted()).unwrap();
        assert!(text.contains("To: new.client@example.test"), "{text}");
        assert!(text.contains("multipart/alternative"), "{text}");
    }
}
