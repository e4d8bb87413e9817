//! E-mail delivery against a real SMTP server on loopback (mailin-embedded).

use crate::fixtures::*;
use keel_domain::notification::{Channel, Deliver, NotificationKind};
use keel_notify::email::{EmailChannel, SmtpSettings};
use keel_store::notify_prefs::PreferenceGrid;
use keel_testkit::smtp::start_smtp;

fn channel(fx: &Fixture, port: u16) -> EmailChannel {
    let settings = SmtpSettings {
        url: format!("smtp://127.0.0.1:{port}"),
        from: "Keel <keel@agency.test>".into(),
    };
    EmailChannel::new(fx.store.clone(), &settings, "https://keel.agency.test/").unwrap()
}

/// Undoes quoted-printable soft line breaks and `=XX` escapes, enough to read the bodies.
fn decode_qp(text: &str) -> String {
    let joined = text.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'=' && i + 2 < bytes.len())
            .then(|| Some(hex(bytes[i + 1])? * 16 + hex(bytes[i + 2])?))
            .flatten();
        if let Some(byte) = escaped {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn a_notification_arrives_as_an_email_with_subject_and_link() {
    let fx = fixture().await;
    let (port, delivered) = start_smtp();
    let email = channel(&fx, port);
    assert_eq!(email.channel(), Channel::Email);

    email.deliver(&submitted(fx.sam, fx.project, 42)).await.unwrap();

    let got = delivered.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let message = &got[0];
    assert_eq!(message.mail_from, "keel@agency.test");
    assert_eq!(message.rcpt_to, vec!["sam@agency.test".to_owned()]);
    let raw = String::from_utf8(message.data.clone()).unwrap();
    assert!(
        raw.contains("\r\nTo: \"Sam Specialist\" <sam@agency.test>\r\n"),
        "{raw}"
    );
    assert!(raw.starts_with("From: Keel <keel@agency.test>\r\n"), "{raw}");
    assert_eq!(
        subject_of(&raw),
        "[Client A — coffee] Approval needed: «Spring menu launch»"
    );
    assert!(raw.contains("multipart/alternative"), "{raw}");
    assert!(raw.contains("text/plain") && raw.contains("text/html"));
    let body = decode_qp(&raw);
    assert!(
        body.contains("https://keel.agency.test/projects/client-a/posts/42"),
        "{body}"
    );
    assert!(
        body.contains("<a href=\"https://keel.agency.test/projects/client-a/posts/42\""),
        "{body}"
    );
    assert!(body.contains("A post awaits your approval"), "{body}");
    assert!(body.contains("Open the post"), "{body}");
    assert!(
        body.contains("https://keel.agency.test/settings/notifications"),
        "{body}"
    );
}

#[tokio::test]
async fn the_email_is_in_the_recipients_language_and_the_subject_decodes() {
    let fx = fixture().await;
    let (port, delivered) = start_smtp();
    channel(&fx, port)
        .deliver(&submitted(fx.olga, fx.project, 7))
        .await
        .unwrap();
    let got = delivered.lock().unwrap().clone();
    assert_eq!(got[0].rcpt_to, vec!["olga@client.test".to_owned()]);
    let raw = String::from_utf8(got[0].data.clone()).unwrap();
    assert_eq!(
        subject_of(&raw),
        "[Client A — coffee] Approval needed: «Spring menu launch»"
    );
    assert!(
        raw.contains("\r\nTo: =?utf-8?b?"),
        "a Cyrillic display name is encoded: {raw}"
    );
    // Whatever the transfer encoding, the parts carry the link and the Russian heading.
    let decoded = decode_all_parts(&raw);
    assert!(decoded.contains("Пост ждёт вашего согласования"), "{decoded}");
    assert!(decoded.contains("Открыть пост"), "{decoded}");
    assert!(
        decoded.contains("https://keel.agency.test/projects/client-a/posts/7"),
        "{decoded}"
    );
    assert!(decoded.contains("«Spring menu launch»"), "{decoded}");
}

#[tokio::test]
async fn nothing_is_sent_to_someone_who_turned_email_off() {
    let fx = fixture().await;
    let (port, delivered) = start_smtp();
    let only_telegram = PreferenceGrid::only(&[(NotificationKind::PostSubmitted, Channel::Telegram)]);
    fx.store
        .set_notification_preferences(fx.sam, &only_telegram)
        .await
        .unwrap();
    let email = channel(&fx, port);
    email.deliver(&submitted(fx.sam, fx.project, 1)).await.unwrap();
    assert!(delivered.lock().unwrap().is_empty());
    email.deliver(&submitted(fx.olga, fx.project, 1)).await.unwrap();
    assert_eq!(delivered.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn an_unreachable_server_is_an_error_to_retry() {
    let fx = fixture().await;
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = channel(&fx, port)
        .deliver(&submitted(fx.sam, fx.project, 1))
        .await
        .unwrap_err();
    assert!(err.starts_with("SMTP"), "{err}");
}

/// The text of every MIME part, with quoted-printable and base64 bodies decoded.
fn decode_all_parts(raw: &str) -> String {
    let mut out = String::new();
    for part in raw.split("\r\n--") {
        let Some((headers, body)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let lower = headers.to_ascii_lowercase();
        if lower.contains("content-transfer-encoding: base64") {
            out.push_str(&String::from_utf8_lossy(&base64_decode(body)));
        } else if lower.contains("content-transfer-encoding: quoted-printable") {
            out.push_str(&decode_qp(body));
        } else {
            out.push_str(body);
        }
        out.push('\n');
    }
    out
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = vec![];
    for c in text.bytes() {
        let Some(v) = ALPHABET.iter().position(|a| *a == c) else {
            continue;
        };
        bits = (bits << 6) | v as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

/// The Subject header, unfolded and with RFC 2047 encoded words decoded.
fn subject_of(raw: &str) -> String {
    let start = raw.find("\r\nSubject: ").unwrap() + 11;
    let mut header = String::new();
    for (i, line) in raw[start..].split("\r\n").enumerate() {
        if i > 0 && !line.starts_with(' ') {
            break;
        }
        header.push_str(line);
    }
    let mut out = String::new();
    let mut previous_encoded = false;
    for word in header.split(' ').filter(|w| !w.is_empty()) {
        let inner = word
            .strip_prefix("=?utf-8?b?")
            .or_else(|| word.strip_prefix("=?utf-8?B?"))
            .and_then(|w| w.strip_suffix("?="));
        match inner {
            Some(encoded) => {
                // Whitespace between two encoded words is not part of the text (RFC 2047 §6.2).
                if !previous_encoded && !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&String::from_utf8(base64_decode(encoded)).unwrap());
                previous_encoded = true;
            }
            None => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(word);
                previous_encoded = false;
            }
        }
    }
    out
}
