//! Property tests of every import format: random bytes, and each format's sample file
//! mutated (bytes flipped, cut short, lines duplicated, cells replaced with random text),
//! never panic, and a file refused stores nothing — every data table stays as it was.

use crate::support::{Env, dump, import};
use keel_import::{Format, ImportError};
use keel_store::data::{AdRow, DailyRow, LeadRow, PostRow};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

on_both!(mutated_and_random_files_never_panic_and_a_refused_one_stores_nothing);

/// Every format, the native JSON and TSV ones included.
const FORMATS: [Format; 12] = Format::ALL;

/// One change to a file's bytes.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Cut(usize),
    Insert(usize, Vec<u8>),
    DuplicateLine(usize),
    ReplaceCell(usize, usize, String),
    /// In a JSON file, the n-th member's value replaced (the file stays JSON, the value may
    /// not fit): what reaches the native formats' value checks rather than their syntax.
    ReplaceJsonValue(usize, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        any::<usize>().prop_map(Mutation::Cut),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..12)).prop_map(|(i, v)| Mutation::Insert(i, v)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (
            any::<usize>(),
            any::<usize>(),
            prop_oneof![
                Just(String::new()),
                Just("-1".to_owned()),
                Just("1e309".to_owned()),
                Just("9223372036854775808".to_owned()),
                Just("2024-02-30".to_owned()),
                Just("\"".to_owned()),
                Just("\u{0}".to_owned()),
                ".{0,20}",
            ]
        )
            .prop_map(|(l, c, s)| Mutation::ReplaceCell(l, c, s)),
        (
            any::<usize>(),
            prop_oneof![
                Just("null".to_owned()),
                Just("-1".to_owned()),
                Just("1e309".to_owned()),
                Just("\"12\"".to_owned()),
                Just("\"\"".to_owned()),
                Just("\"x\\u0000y\"".to_owned()),
                Just("[]".to_owned()),
                Just("\"2026-02-30T00:00:00Z\"".to_owned()),
                "\"[a-zA-Z0-9 ]{0,300}\"",
            ]
        )
            .prop_map(|(i, v)| Mutation::ReplaceJsonValue(i, v)),
    ]
}

fn apply(mut bytes: Vec<u8>, m: &Mutation) -> Vec<u8> {
    let n = bytes.len().max(1);
    match m {
        Mutation::Flip(i, b) => {
            if !bytes.is_empty() {
                bytes[i % n] = *b;
            }
        }
        Mutation::Cut(i) => bytes.truncate(i % n),
        Mutation::Insert(i, v) => {
            let at = i % (bytes.len() + 1);
            bytes.splice(at..at, v.iter().copied());
        }
        Mutation::DuplicateLine(i) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let line = lines[i % lines.len()];
                lines.insert(i % lines.len(), line);
            }
            bytes = (lines.join("\n") + "\n").into_bytes();
        }
        Mutation::ReplaceCell(l, c, s) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let sep = if text.lines().next().is_some_and(|h| h.contains(';')) {
                ';'
            } else {
                ','
            };
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            if !lines.is_empty() {
                let li = l % lines.len();
                let mut cells: Vec<String> = lines[li].split(sep).map(str::to_owned).collect();
                let ci = c % cells.len();
                cells[ci] = s.clone();
                lines[li] = cells.join(&sep.to_string());
            }
            bytes = (lines.join("\n") + "\n").into_bytes();
        }
        Mutation::ReplaceJsonValue(i, v) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let starts: Vec<usize> = text.match_indices("\": ").map(|(at, _)| at + 3).collect();
            if !starts.is_empty() {
                let start = starts[i % starts.len()];
                // The value runs to the next , } or ] outside a string (a nested value is
                // cut at its first member: still a change the parser must survive).
                let mut end = start;
                let mut in_string = false;
                let mut escaped = false;
                for (k, ch) in text[start..].char_indices() {
                    end = start + k;
                    match ch {
                        _ if escaped => escaped = false,
                        '\\' if in_string => escaped = true,
                        '"' => in_string = !in_string,
                        ',' | '}' | ']' if !in_string => break,
                        _ => {}
                    }
                    end = start + k + ch.len_utf8();
                }
                let mut out = text[..start].to_owned();
                out.push_str(v);
                out.push_str(&text[end..]);
                bytes = out.into_bytes();
            }
        }
    }
    bytes
}

async fn tables(env: &Env) -> [Vec<String>; 4] {
    [
        dump::<PostRow>(env).await,
        dump::<DailyRow>(env).await,
        dump::<AdRow>(env).await,
        dump::<LeadRow>(env).await,
    ]
}

async fn mutated_and_random_files_never_panic_and_a_refused_one_stores_nothing(env: Env) {
    let cases: u32 = std::env::var("KEEL_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let mut runner = TestRunner::new(Config {
        cases,
        ..Config::default()
    });
    let files = (
        0..FORMATS.len(),
        prop_oneof![
            3 => proptest::collection::vec(mutation(), 1..4).prop_map(Some),
            1 => Just(None),
        ],
        proptest::collection::vec(any::<u8>(), 0..300),
    );
    let (mut refused, mut taken) = (0, 0);
    for _ in 0..cases * FORMATS.len() as u32 {
        let (f, mutations, random) = files.new_tree(&mut runner).expect("a case").current();
        let format = FORMATS[f];
        let bytes = match &mutations {
            Some(ms) => ms.iter().fold(format.sample().as_bytes().to_vec(), apply),
            None => random,
        };
        let before = tables(&env).await;
        // Import through the same entry as the CLI and the API; a panic fails the test.
        let reader = std::io::Cursor::new(bytes.clone());
        let result = keel_import::import(&env.store, &env.project, format, reader, "fuzz.csv", "fuzz", &|_| {}).await;
        match result {
            Ok(_) => taken += 1,
            Err(ImportError::Invalid(problems)) => {
                refused += 1;
                assert!(!problems.is_empty(), "a refusal names its problems");
                assert_eq!(
                    tables(&env).await,
                    before,
                    "a refused {format:?} file changed the data: {mutations:?} {:?}",
                    String::from_utf8_lossy(&bytes)
                );
            }
            Err(other) => panic!("{format:?}: not a refusal but {other}: {mutations:?}"),
        }
    }
    // Both outcomes were exercised, and an unchanged sample is still taken afterwards.
    assert!(refused > 0, "no mutated file was refused");
    for format in FORMATS {
        import(&env, format, format.sample())
            .await
            .unwrap_or_else(|e| panic!("{format:?} sample: {e}"));
    }
    eprintln!("fuzzed imports: {taken} taken, {refused} refused");
}
