//! Russian pages say everything in Russian: every page a person lives in is rendered in
//! Russian and its visible text (and its titles and labels) is scanned for the English wording
//! of any dictionary message that Russian words differently. A hard-coded English string that
//! is also in the dictionary, or a message rendered through the wrong language, fails here.

use crate::helpers::*;
use std::collections::BTreeMap;

/// `id = value` lines of the Fluent files of one language (plain messages only: those with
/// variables or plural forms are left out, their text depends on the values).
fn messages(lang: &str) -> BTreeMap<String, String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../keel-web/locales")
        .join(lang);
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            let Some((id, value)) = line.split_once(" = ") else {
                continue;
            };
            if id.starts_with([' ', '#']) || value.contains('{') {
                continue;
            }
            out.insert(id.to_owned(), value.to_owned());
        }
    }
    out
}

/// What a reader sees of `html`: the text between tags, and the `title`, `aria-label` and
/// `placeholder` attributes; scripts and styles left out; entities that matter decoded.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        let after = &rest[open..];
        let close = after.find('>').map(|c| c + 1).unwrap_or(after.len());
        let tag = &after[..close];
        for attr in ["title=\"", "aria-label=\"", "placeholder=\""] {
            if let Some(at) = tag.find(attr) {
                let value = &tag[at + attr.len()..];
                out.push(' ');
                out.push_str(value.split('"').next().unwrap_or(""));
                out.push(' ');
            }
        }
        rest = &after[close..];
        for skip in ["<script", "<style"] {
            if tag.starts_with(skip) {
                let end = skip.replace('<', "</");
                rest = rest.find(&end).map(|e| &rest[e..]).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

on_both_backends! {
    async fn russian_pages_show_no_english_dictionary_wording(backend) {
        let Some(app) = TestApp::demo(backend, "russian_pages").await else { return };
        let (en, ru) = (messages("en"), messages("ru"));
        // English wordings long enough to be unmistakable and worded differently in Russian.
        let english: Vec<(&String, &String)> = en
            .iter()
            .filter(|(id, value)| value.len() >= 12 && value.contains(' ') && ru.get(*id) != Some(value))
            .collect();
        assert!(english.len() > 200, "{} wordings to look for", english.len());
        let post = app.store.plan_posts_of(app.store.project_by_slug(
            app.store.user_by_email(&keel_domain::Email::parse("agency@demo.local").unwrap()).await.unwrap().unwrap().org(),
            "client-a",
        ).await.unwrap().unwrap().id()).await.unwrap()[0].id.0;
        let pages = [
            "/projects".to_owned(),
            "/projects/client-a".into(),
            "/projects/client-a/plan".into(),
            "/projects/client-a/plan?view=week".into(),
            "/projects/client-a/plan?view=list".into(),
            format!("/projects/client-a/posts/{post}"),
            "/projects/client-a/calendar".into(),
            "/projects/client-a/connections".into(),
            "/projects/client-a/audit".into(),
            "/projects/client-a/analytics".into(),
            "/projects/client-b/analytics".into(),
            "/projects/client-a/health".into(),
            "/projects/client-b/health".into(),
            "/projects/client-a/data".into(),
            "/projects/client-a/brief".into(),
            "/projects/client-a/goals".into(),
            "/projects/client-a/meetings".into(),
            "/projects/client-a/members".into(),
            "/inbox".into(),
            "/settings/notifications".into(),
            "/settings/password".into(),
            "/settings/tokens".into(),
            "/settings/organization".into(),
        ];
        let session = app.session("agency@demo.local").await;
        let client = reqwest::Client::new();
        let mut found = Vec::new();
        for path in &pages {
            let response = client
                .get(app.url(path))
                .header("cookie", format!("keel_session={session}; keel_lang=ru"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), reqwest::StatusCode::OK, "{path}");
            let text = visible(&response.text().await.unwrap());
            assert!(text.contains("Проекты"), "{path} is not in Russian");
            for (id, value) in &english {
                if text.contains(value.as_str()) {
                    found.push(format!("{path}: {id} = {value}"));
                }
            }
        }
        assert!(found.is_empty(), "English on Russian pages:\n{}", found.join("\n"));
    }
}
