//! The period report for the client as PDF and XLSX (`keel report --format pdf|xlsx`): the
//! figures the client reads are the JSON report's, to the digit. The PDF's text is extracted
//! with poppler's `pdftotext` (CI installs poppler-utils; without it the PDF part is skipped
//! unless `KEEL_TEST_REQUIRE` demands `poppler`); the XLSX is read back with `calamine`.

use crate::helpers::*;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use serde_json::Value;
use std::io::Cursor;
use std::process::Command;

const OCTOBER: [&str; 4] = ["--from", "2026-10-01", "--to", "2026-10-31"];

fn keel(db: &TestDb, args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_keel"))
        .arg("--database")
        .arg(&db.url)
        .args(args)
        .env_remove("KEEL_DATABASE_URL")
        .output()
        .expect("run keel");
    assert!(
        out.status.success(),
        "keel {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn report(db: &TestDb, format: &str, lang: &str) -> Vec<u8> {
    let mut args = vec!["report", "--project", "client-a"];
    args.extend(OCTOBER);
    args.extend(["--format", format, "--lang", lang]);
    keel(db, &args)
}

/// The text of a PDF, or `None` (the test noted as skipped) without poppler.
pub fn pdf_text(test: &str, pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    match Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output() {
        Ok(out) if out.status.success() => Some(String::from_utf8(out.stdout).unwrap()),
        _ => {
            skip(test, "poppler", "pdftotext (poppler-utils) is not installed");
            None
        }
    }
}

/// A number as the English report writes it: grouped thousands, `places` decimals, `−` for minus.
fn en(v: f64, places: usize) -> String {
    let text = format!("{:.*}", places, v.abs());
    let (whole, frac) = text.split_once('.').map_or((text.as_str(), ""), |(w, f)| (w, f));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "\u{2212}"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

fn stage_name(stage: &str) -> &'static str {
    match stage {
        "impressions_to_clicks" => "Impressions → clicks",
        "clicks_to_leads" => "Clicks → leads",
        _ => "Leads → deals",
    }
}

on_both_backends! {
    async fn the_pdf_report_carries_the_json_reports_goals_er_cpl_and_funnel_verdicts(backend) {
        let Some(db) = TestDb::new(backend, "report_pdf").await else { return };
        keel(&db, &["demo"]);
        let json: Value = serde_json::from_slice(&report(&db, "json", "en")).unwrap();
        let pdf = report(&db, "pdf", "en");
        assert!(pdf.starts_with(b"%PDF-"), "a PDF");
        // The fonts travel inside the file.
        assert!(pdf.windows(9).any(|w| w == b"FontFile2"), "embedded TrueType fonts");
        let Some(text) = pdf_text("the_pdf_report_carries_the_json_reports_goals_er_cpl_and_funnel_verdicts", &pdf) else { return };
        // pdftotext writes the labels' no-break spaces as plain ones.
        let text = text.replace('\u{a0}', " ");
        let lines: Vec<&str> = text.lines().collect();
        let line_with = |needle: &str| lines.iter().find(|l| l.contains(needle)).copied().unwrap_or_else(|| panic!("no line with {needle:?} in\n{text}"));
        assert!(text.contains("Demo Agency"), "the agency's name");
        assert!(text.contains("1 Oct 2026 – 31 Oct 2026"));
        // ER of every account, on the account's row.
        let accounts = json["accounts"].as_array().unwrap();
        assert!(!accounts.is_empty());
        for a in accounts {
            let er = a["er_followers"].as_f64().unwrap();
            let row = line_with(&format!("{} ·", a["platform"].as_str().unwrap()));
            assert!(text.contains(&format!("{}%", en(er, 2))), "ER {er} of {a} in\n{row}");
        }
        // CPL of every campaign and in total.
        let ads = &json["ads"];
        for c in ads["campaigns"].as_array().unwrap() {
            let row = line_with(&format!("{} · {}", c["platform"].as_str().unwrap(), c["campaign"].as_str().unwrap()));
            let cpl = en(c["cpl"].as_f64().unwrap(), 2);
            assert!(row.contains(&cpl), "CPL {cpl} in {row:?}");
        }
        let total = line_with("Total ");
        assert!(total.contains(&en(ads["cpl"].as_f64().unwrap(), 2)), "{total}");
        // Every funnel stage with its conversion, baseline and verdict on one row.
        for s in json["funnel"].as_array().unwrap() {
            let row = line_with(stage_name(s["stage"].as_str().unwrap()));
            for key in ["conversion", "baseline"] {
                if let Some(v) = s[key].as_f64() {
                    assert!(row.contains(&format!("{}%", en(v, 2))), "{key} {v} in {row:?}");
                }
            }
            if let Some(v) = s["verdict"].as_str() {
                assert!(row.trim_end().ends_with(v), "verdict {v} in {row:?}");
            }
        }
        // Every goal with its progress.
        let goals = json["goals"].as_array().unwrap();
        assert!(!goals.is_empty(), "the demo has goals");
        for g in goals {
            if let Some(p) = g["progress_pct"].as_f64() {
                assert!(text.contains(&format!("{}%", en(p, 2))), "progress {p} of {}", g["metric"]);
            }
        }
        // Page numbers.
        let pages = text.matches("Page ").count();
        assert!(pages >= 2 && text.contains(&format!("Page {pages} of {pages}")), "{pages} pages");

        // The Russian report: Cyrillic text and Russian numbers.
        let ru = report(&db, "pdf", "ru");
        let Some(ru) = pdf_text("report_pdf_ru", &ru) else { return };
        assert!(ru.contains("Итоги") && ru.contains("Воронка"), "{ru}");
        let er = accounts[0]["er_followers"].as_f64().unwrap();
        assert!(ru.contains(&format!("{}\u{a0}%", en(er, 2).replace('.', ","))) || ru.contains(&format!("{} %", en(er, 2).replace('.', ","))), "{ru}");
    }

    async fn the_xlsx_report_holds_the_json_reports_numbers_one_sheet_per_section(backend) {
        let Some(db) = TestDb::new(backend, "report_xlsx").await else { return };
        keel(&db, &["demo"]);
        let json: Value = serde_json::from_slice(&report(&db, "json", "en")).unwrap();
        let bytes = report(&db, "xlsx", "en");
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let names = book.sheet_names();
        for sheet in ["Summary", "Goals", "KPIs and engagement", "Ads", "Funnel", "Approval workflow"] {
            assert!(names.iter().any(|n| n == sheet), "{sheet} in {names:?}");
        }
        let rows = |book: &mut Xlsx<_>, name: &str| -> Vec<Vec<Data>> {
            book.worksheet_range(name).unwrap().rows().map(|r| r.to_vec()).collect()
        };
        let find = |rows: &[Vec<Data>], first: &str| -> Vec<Data> {
            rows.iter().find(|r| r.first() == Some(&Data::String(first.to_owned()))).cloned().unwrap_or_else(|| panic!("no row {first:?} in {rows:?}"))
        };
        let float = |d: &Data| match d { Data::Float(v) => Some(*v), Data::Int(v) => Some(*v as f64), _ => None };
        // The JSON streams every post while the document sums them per day (`post_days`): the
        // same figure, added in another order, may differ in its last bit.
        let same = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
            (a, b) => a == b,
        };
        let kpis = rows(&mut book, "KPIs and engagement");
        for a in json["accounts"].as_array().unwrap() {
            let row = find(&kpis, &format!("{}\u{a0}·\u{a0}{}", a["platform"].as_str().unwrap(), a["account"].as_str().unwrap()));
            assert!(same(float(&row[5]), a["er_followers"].as_f64()), "ER of {a}: {:?}", row[5]);
            assert_eq!(float(&row[3]), a["posts"].as_f64(), "posts of {a}");
            assert_eq!(float(&row[4]), a["interactions"].as_f64());
        }
        let ads = rows(&mut book, "Ads");
        for c in json["ads"]["campaigns"].as_array().unwrap() {
            let row = find(&ads, &format!("{}\u{a0}·\u{a0}{}", c["platform"].as_str().unwrap(), c["campaign"].as_str().unwrap()));
            assert!(same(float(&row[1]), c["spend"].as_f64()));
            assert!(same(float(&row[7]), c["cpl"].as_f64()), "CPL of {c}");
        }
        assert!(same(float(&find(&ads, "Total")[7]), json["ads"]["cpl"].as_f64()));
        let funnel = rows(&mut book, "Funnel");
        for s in json["funnel"].as_array().unwrap() {
            let row = find(&funnel, stage_name(s["stage"].as_str().unwrap()));
            assert!(same(float(&row[2]), s["conversion"].as_f64()), "{s}");
            assert!(same(float(&row[3]), s["baseline"].as_f64()), "{s}");
            assert!(same(float(&row[4]), s["z"].as_f64()), "{s}");
            assert_eq!(row[5], Data::String(s["verdict"].as_str().unwrap_or("not enough data").to_owned()));
        }
        let goals = rows(&mut book, "Goals");
        let progress: Vec<Option<f64>> = goals.iter().skip_while(|r| r.first() != Some(&Data::String("Metric".into()))).skip(1).map(|r| float(&r[4])).collect();
        let expected: Vec<Option<f64>> = json["goals"].as_array().unwrap().iter().map(|g| g["progress_pct"].as_f64()).collect();
        assert_eq!(progress.len(), expected.len());
        assert!(progress.iter().zip(&expected).all(|(a, b)| same(*a, *b)), "{progress:?} vs {expected:?}");
    }
}

/// A real 40 × 20 PNG in the agency's colour.
pub fn png_logo() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 20, image::Rgb([0xc2, 0x18, 0x5b]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

on_both_backends! {
    async fn the_pdf_carries_the_agencys_logo_and_colour(backend) {
        let Some(db) = TestDb::new(backend, "report_brand").await else { return };
        keel(&db, &["demo"]);
        let store = keel_store::Store::open(&db.url).await.unwrap();
        let org = store.default_org().await.unwrap();
        store.set_org_brand(org.id(), "#c2185b", Some((png_logo(), "image/png".into()))).await.unwrap();
        let pdf = report(&db, "pdf", "en");
        // The logo is an image XObject; the accent is the fill colour of the band on every page.
        let raw = String::from_utf8_lossy(&pdf);
        assert!(raw.contains("/Subtype /Image") || raw.contains("/Subtype/Image"), "an embedded image");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("r.pdf"), &pdf).unwrap();
        let Ok(out) = Command::new("pdftoppm").args(["-r", "20", "-f", "1", "-l", "1", "-png"]).arg(dir.path().join("r.pdf")).arg(dir.path().join("p")).output() else {
            skip("the_pdf_carries_the_agencys_logo_and_colour", "poppler", "pdftoppm is not installed");
            return;
        };
        assert!(out.status.success());
        let page = image::open(dir.path().join("p-1.png")).unwrap().to_rgb8();
        // The top band, in the accent colour.
        let px = page.get_pixel(page.width() / 2, 0);
        let near = |a: u8, b: u8| a.abs_diff(b) < 12;
        assert!(near(px[0], 0xc2) && near(px[1], 0x18) && near(px[2], 0x5b), "band pixel {px:?}");
    }
}

on_both_backends! {
    async fn the_pdf_shows_the_picture_of_a_listed_post_keel_published(backend) {
        let Some(db) = TestDb::new(backend, "report_pictures").await else { return };
        keel(&db, &["demo"]);
        let json: Value = serde_json::from_slice(&report(&db, "json", "en")).unwrap();
        // The October post with the highest ER is listed among the best posts.
        let best = json["posts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["er"].is_number())
            .max_by(|a, b| a["er"].as_f64().partial_cmp(&b["er"].as_f64()).unwrap())
            .unwrap()
            .clone();
        let (platform, post_id) = (best["platform"].as_str().unwrap(), best["post_id"].as_str().unwrap());
        let before = report(&db, "pdf", "en");
        let images = |pdf: &[u8]| pdf.windows(13).filter(|w| *w == b"/Subtype /Ima" || w.starts_with(b"/Subtype/Imag")).count();
        // Keel published it: one of the plan's posts carries an image and a publication with
        // that platform post id (VK names its posts `-<community>_<post>`).
        let store = keel_store::Store::open(&db.url).await.unwrap();
        let published_as = if platform == "vk" { format!("-1_{post_id}") } else { post_id.to_owned() };
        let png = png_logo();
        keel_store::on_pool!(store.raw_pool_for_tests(), p => {
            let post: i64 = sqlx::query_scalar(
                "SELECT pp.id FROM plan_posts pp JOIN projects pr ON pr.id = pp.project_id
                 WHERE pr.slug = 'client-a' ORDER BY pp.id LIMIT 1",
            )
            .fetch_one(p).await.unwrap();
            sqlx::query(
                "INSERT INTO plan_post_images (post_id, content_type, file_name, bytes, size, created_at)
                 VALUES ($1, 'image/png', 'post.png', $2, $3, $4)",
            )
            .bind(post).bind(&png).bind(png.len() as i32).bind(chrono::Utc::now())
            .execute(p).await.unwrap();
            sqlx::query(
                "INSERT INTO plan_publications (post_id, platform, state, platform_post_id, attempts, updated_at)
                 VALUES ($1, $2, 'published', $3, 1, $4)",
            )
            .bind(post).bind(platform).bind(&published_as).bind(chrono::Utc::now())
            .execute(p).await.unwrap();
        });
        let after = report(&db, "pdf", "en");
        assert_eq!(images(&after), images(&before) + 1, "one more image: the post's picture");
        let Some(text) = pdf_text("the_pdf_shows_the_picture_of_a_listed_post_keel_published", &after) else { return };
        assert!(text.contains("Pictures of these posts that Keel published"), "{text}");
        assert!(text.contains(post_id), "the picture's caption names the post");
    }
}
