//! Reading the JSON formats: a file is one API answer (a "page"), a JSON array of answers, or
//! answers one after another (JSON lines, or simply concatenated). Pages are read one at a
//! time, each parsed whole (an API page is at most a few hundred items), so memory stays
//! bounded by the largest page, not by the file.
//!
//! A problem names the line its page starts on and the JSON path of the offending value
//! (`response.items[3].likes.count`; in an array of answers the path starts with the
//! answer's index, `[2].response.items[3].likes.count`). A syntax error names its own line
//! and column.

use crate::ImportOptions;
use crate::error::{ImportError, Problems, Reason};
use crate::pipeline::{Sink, run_with};
use crate::values;
use chrono::{DateTime, Utc};
use keel_store::data::{DataRow, ImportMeta, ImportSummary, POST_TEXT_CHARS};
use keel_store::{Store, projects::Project};
use serde::Deserialize;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read};

/// One JSON format: what it makes of each answer.
pub(crate) trait JsonFormat: Send + Sized + 'static {
    type Row: DataRow;
    /// What a file without a single row lacks, for the message (`"posts"`, «постов»).
    const NOTHING: (&'static str, &'static str);
    fn new(opts: &ImportOptions) -> Self;
    /// Reads one answer; its rows go to `out`, its problems to `cx`.
    fn page(&mut self, page: &Node<'_>, cx: &mut Cx<'_>, out: &mut Vec<Self::Row>);
    /// After the last answer: rows held back until everything was read (VK's posts wait for
    /// a reach answer that may come after them).
    fn end(&mut self, _cx: &mut Cx<'_>, _out: &mut Vec<Self::Row>) {}
}

/// Parses `reader` as answers of `F` on a blocking thread and imports what they hold.
pub(crate) async fn run_json<F: JsonFormat>(
    store: &Store,
    project: &Project,
    reader: impl Read + Send + 'static,
    opts: ImportOptions,
    meta: &ImportMeta<'_>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ImportSummary, ImportError> {
    run_with::<F::Row>(store, project, meta, progress, move |sink| {
        read::<F>(reader, &opts, sink)
    })
    .await
}

fn read<F: JsonFormat>(reader: impl Read, opts: &ImportOptions, sink: &mut Sink<F::Row>) -> Result<(), ImportError> {
    let mut format = F::new(opts);
    let mut out = Vec::new();
    let mut pages = 0u64;
    // The problems are the sink's; they are held here while the pages are read.
    let mut problems = std::mem::take(&mut sink.problems);
    let end_line = each_page(reader, &mut problems, |page, line, problems, bytes| {
        pages += 1;
        let mut cx = Cx { problems, line };
        format.page(&page, &mut cx, &mut out);
        sink.bytes = bytes;
        flush(sink, &mut out, problems.is_empty());
        !(sink.done() || problems.full())
    });
    let end_line = match end_line {
        Ok(line) => line,
        Err(e) => {
            sink.problems = problems;
            return Err(e);
        }
    };
    if let Some(end_line) = end_line {
        let mut cx = Cx {
            problems: &mut problems,
            line: end_line,
        };
        format.end(&mut cx, &mut out);
        flush(sink, &mut out, problems.is_empty());
        if pages == 0 && problems.is_empty() {
            problems.push(1, "", Reason::new("the file is empty", "файл пустой"));
        } else if sink.rows == 0 && problems.is_empty() {
            let (en, ru) = F::NOTHING;
            problems.push(
                1,
                "",
                Reason::new(
                    format!("the file holds no {en}: is it the right export, and the right period?"),
                    format!("в файле нет ни одной записи ({ru}): тот ли это файл и тот ли период?"),
                ),
            );
        }
    }
    sink.problems = problems;
    Ok(())
}

fn flush<R>(sink: &mut Sink<R>, out: &mut Vec<R>, ok: bool) {
    for row in out.drain(..) {
        if ok {
            sink.push(row);
        } else {
            sink.skip();
        }
    }
}

/// Counts what is read, for the line numbers and the progress.
struct Counting<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

/// The bytes before a page, and between the pages of an array.
struct Gap<R> {
    reader: BufReader<Counting<R>>,
    line: u64,
    column: u64,
}

impl<R: Read> Gap<R> {
    /// Skips whitespace; the next byte, not consumed, or `None` at the end.
    fn peek(&mut self) -> Result<Option<u8>, ImportError> {
        loop {
            let buf = self.reader.fill_buf()?;
            let Some(&b) = buf.first() else { return Ok(None) };
            match b {
                b'\n' => {
                    self.line += 1;
                    self.column = 0;
                }
                b' ' | b'\t' | b'\r' => self.column += 1,
                _ => return Ok(Some(b)),
            }
            self.reader.consume(1);
        }
    }

    fn consume(&mut self) {
        self.reader.consume(1);
        self.column += 1;
    }

    /// Reads one JSON value starting here, moving the position past it.
    fn value(&mut self) -> Result<Value, serde_json::Error> {
        let mut track = Tracking {
            inner: &mut self.reader,
            line: self.line,
            column: self.column,
        };
        let mut de = serde_json::Deserializer::from_reader(&mut track);
        let value = Value::deserialize(&mut de);
        let (line, column) = (track.line, track.column);
        self.line = line;
        self.column = column;
        value
    }

    fn bytes(&self) -> u64 {
        self.reader.get_ref().bytes
    }

    fn unexpected(&self, problems: &mut Problems, what: &str, what_ru: &str) {
        problems.push(
            self.line,
            "",
            Reason::new(
                format!("unreadable JSON at column {}: {what}", self.column + 1),
                format!("JSON не читается (позиция {} в строке): {what_ru}", self.column + 1),
            ),
        );
    }
}

/// Follows the line and column through a value as serde_json reads it byte by byte.
struct Tracking<'a, R> {
    inner: &'a mut R,
    line: u64,
    column: u64,
}

impl<R: BufRead> Read for Tracking<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // One byte at a time from the buffer: serde_json asks for no more than it parses,
        // so the reader is left just past the value.
        if buf.is_empty() {
            return Ok(0);
        }
        let available = self.inner.fill_buf()?;
        let Some(&b) = available.first() else { return Ok(0) };
        self.inner.consume(1);
        buf[0] = b;
        if b == b'\n' {
            self.line += 1;
            self.column = 0;
        } else {
            self.column += 1;
        }
        Ok(1)
    }
}

/// Calls `page` with each answer of the file, the line it starts on, the problems and the
/// bytes read so far, while it returns `true`. The line after the last answer, or `None`
/// when the file could not be read to its end.
fn each_page(
    reader: impl Read,
    problems: &mut Problems,
    mut page: impl FnMut(Node<'_>, u64, &mut Problems, u64) -> bool,
) -> Result<Option<u64>, ImportError> {
    let mut gap = Gap {
        reader: BufReader::with_capacity(
            1 << 16,
            Counting {
                inner: reader,
                bytes: 0,
            },
        ),
        line: 1,
        column: 0,
    };
    // Editors on Windows like to start UTF-8 files with a byte-order mark.
    if gap.reader.fill_buf()?.starts_with("\u{feff}".as_bytes()) {
        gap.reader.consume(3);
    }
    let in_array = gap.peek()? == Some(b'[');
    if in_array {
        gap.consume();
    }
    let mut index = 0usize;
    loop {
        match gap.peek()? {
            None if in_array => {
                gap.unexpected(
                    problems,
                    "the file ends before the array of answers is closed with ]",
                    "файл обрывается, не закрыв массив ответов скобкой ]",
                );
                return Ok(None);
            }
            None => return Ok(Some(gap.line)),
            Some(b']') if in_array => {
                gap.consume();
                if gap.peek()?.is_some() {
                    gap.unexpected(
                        problems,
                        "something follows the array of answers",
                        "после массива ответов есть что-то ещё",
                    );
                    return Ok(None);
                }
                return Ok(Some(gap.line));
            }
            Some(_) => {}
        }
        if in_array && index > 0 {
            if gap.peek()? != Some(b',') {
                gap.unexpected(
                    problems,
                    "expected , or ] after an answer",
                    "после ответа ожидается , или ]",
                );
                return Ok(None);
            }
            gap.consume();
            if gap.peek()?.is_none() {
                continue;
            }
        }
        let line = gap.line;
        let value = match gap.value() {
            Ok(v) => v,
            Err(e) if e.is_io() => return Err(ImportError::Io(e.into())),
            Err(e) => {
                // The tracked position is where serde_json stopped: at the offending byte.
                problems.push(gap.line, "", syntax(&e, gap.column.max(1)));
                return Ok(None);
            }
        };
        let path = if in_array { format!("[{index}]") } else { String::new() };
        index += 1;
        let node = Node { v: &value, path };
        if !node.v.is_object() {
            problems.push_at(
                line,
                node.shown(),
                Reason::new(
                    "an answer must be a JSON object ({…})",
                    "ответ должен быть JSON-объектом ({…})",
                ),
            );
            return Ok(None);
        }
        if !page(node, line, problems, gap.bytes()) {
            return Ok(None);
        }
    }
}

/// The reason of a JSON syntax error, without serde_json's own "at line … column …".
fn syntax(e: &serde_json::Error, column: u64) -> Reason {
    let text = e.to_string();
    let what = text.split(" at line ").next().unwrap_or(&text).to_owned();
    match e.classify() {
        serde_json::error::Category::Eof => Reason::new(
            format!("the file ends in the middle of a JSON value (column {column}): it was cut short"),
            format!("файл обрывается посреди JSON-значения (позиция {column}): он не дописан до конца"),
        ),
        _ => Reason::new(
            format!("unreadable JSON at column {column}: {what}"),
            format!("JSON не читается (позиция {column} в строке): {what}"),
        ),
    }
}

/// A value in an answer and its JSON path.
pub(crate) struct Node<'v> {
    pub v: &'v Value,
    pub path: String,
}

impl<'v> Node<'v> {
    /// The member `key`, if present and not `null`.
    pub fn get(&self, key: &str) -> Option<Node<'v>> {
        match self.v.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(Node {
                v,
                path: self.child(key),
            }),
        }
    }

    fn child(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// How the path is shown: `(the answer)` for the top.
    fn shown(&self) -> &str {
        if self.path.is_empty() {
            "(the answer)"
        } else {
            &self.path
        }
    }

    /// The member `key` of an object, if it is present and not `null`, and `self` is an object.
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

/// The problems of a page being read, and where the page starts.
pub(crate) struct Cx<'p> {
    pub problems: &'p mut Problems,
    pub line: u64,
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn kind_ru(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "число",
        Value::String(_) => "строка",
        Value::Array(_) => "массив",
        Value::Object(_) => "объект",
    }
}

fn shown_value(v: &Value) -> String {
    let (s, quote) = match v {
        Value::String(s) => (s.clone(), "\""),
        other => (other.to_string(), ""),
    };
    match s.char_indices().nth(40) {
        Some((cut, _)) => format!("{quote}{}…{quote}", &s[..cut]),
        None => format!("{quote}{s}{quote}"),
    }
}

impl Cx<'_> {
    /// Records a problem at `node`.
    pub fn bad(&mut self, node: &Node<'_>, reason: Reason) {
        self.problems.push_at(self.line, node.shown(), reason);
    }

    /// Records that `key` is missing from `node`.
    pub fn missing(&mut self, node: &Node<'_>, key: &str) {
        let path = node.child(key);
        self.problems.push_at(
            self.line,
            &path,
            Reason::new(
                "is missing; this value is required",
                "отсутствует, а это значение обязательно",
            ),
        );
    }

    fn wrong(&mut self, node: &Node<'_>, want: &str, want_ru: &str) {
        self.bad(
            node,
            Reason::new(
                format!("is {} ({}); expected {want}", kind(node.v), shown_value(node.v)),
                format!("здесь {} ({}), а нужно {want_ru}", kind_ru(node.v), shown_value(node.v)),
            ),
        );
    }

    /// The member `key`, required.
    pub fn req<'v>(&mut self, node: &Node<'v>, key: &str) -> Option<Node<'v>> {
        let found = node.get(key);
        if found.is_none() {
            self.missing(node, key);
        }
        found
    }

    /// The items of an array.
    pub fn array<'v>(&mut self, node: &Node<'v>) -> Vec<Node<'v>> {
        match node.v {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| Node {
                    v,
                    path: format!("{}[{i}]", node.path),
                })
                .collect(),
            _ => {
                self.wrong(node, "an array ([…])", "массив ([…])");
                Vec::new()
            }
        }
    }

    /// Whether `node` is an object; a problem if not.
    pub fn object(&mut self, node: &Node<'_>) -> bool {
        if node.v.is_object() {
            true
        } else {
            self.wrong(node, "an object ({…})", "объект ({…})");
            false
        }
    }

    /// A whole number ≥ 0 given as a JSON number.
    pub fn count(&mut self, node: &Node<'_>) -> Option<i64> {
        match node.v.as_i64() {
            Some(n) if n >= 0 => Some(n),
            Some(_) => {
                self.bad(
                    node,
                    Reason::new(
                        format!("{} is negative; counts cannot be", node.v),
                        format!("{} — отрицательное число, а счётчик не бывает меньше нуля", node.v),
                    ),
                );
                None
            }
            None => {
                self.wrong(node, "a whole number", "целое число");
                None
            }
        }
    }

    /// An identifier given as a whole JSON number (VK's ids, which may be negative).
    pub fn integer(&mut self, node: &Node<'_>) -> Option<i64> {
        let n = node.v.as_i64();
        if n.is_none() {
            self.wrong(node, "a whole number", "целое число");
        }
        n
    }

    /// A whole number ≥ 0 given as a number or as a string of digits (Meta's and
    /// Telegram's numbers arrive as strings).
    pub fn count_or_string(&mut self, node: &Node<'_>) -> Option<i64> {
        match node.v {
            Value::String(s) => values::count(s.trim()).map_err(|r| self.bad(node, r)).ok(),
            _ => self.count(node),
        }
    }

    /// A decimal ≥ 0 given as a number or a string (money: Meta's `spend`, Bitrix24's
    /// `OPPORTUNITY`).
    pub fn decimal(&mut self, node: &Node<'_>) -> Option<f64> {
        match node.v {
            Value::String(s) => values::decimal(s.trim()).map_err(|r| self.bad(node, r)).ok(),
            Value::Number(n) => match n.as_f64() {
                Some(v) if v >= 0.0 && v.is_finite() => Some(v),
                _ => {
                    self.bad(
                        node,
                        Reason::new(format!("{n} is negative"), format!("{n} — отрицательное число")),
                    );
                    None
                }
            },
            _ => {
                self.wrong(node, "a number", "число");
                None
            }
        }
    }

    /// A string.
    pub fn string<'v>(&mut self, node: &Node<'v>) -> Option<&'v str> {
        match node.v {
            Value::String(s) => Some(s),
            _ => {
                self.wrong(node, "a string", "строка");
                None
            }
        }
    }

    /// A short text (a name, an id, a label): at most [`crate::MAX_TEXT_CHARS`] characters,
    /// no NUL; a number is taken as its digits.
    pub fn label(&mut self, node: &Node<'_>) -> Option<String> {
        let s = match node.v {
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            _ => {
                self.wrong(node, "a string", "строка");
                return None;
            }
        };
        label_ok(&s).map_err(|r| self.bad(node, r)).ok().map(|()| s)
    }

    /// A moment given as Unix seconds (a number, or a string of digits).
    pub fn unix_time(&mut self, node: &Node<'_>) -> Option<DateTime<Utc>> {
        let secs = match node.v {
            Value::String(s) => s.trim().parse::<i64>().ok(),
            Value::Number(n) => n.as_i64(),
            _ => None,
        };
        match secs.and_then(unix) {
            Some(t) => Some(t),
            None => {
                self.bad(
                    node,
                    Reason::new(
                        format!(
                            "{} is not a moment in Unix seconds (years 1000 to 9999)",
                            shown_value(node.v)
                        ),
                        format!(
                            "{} — не момент времени в секундах Unix (годы с 1000 по 9999)",
                            shown_value(node.v)
                        ),
                    ),
                );
                None
            }
        }
    }

    /// A timestamp string in one of the forms of [`values::timestamp`].
    pub fn timestamp(&mut self, node: &Node<'_>) -> Option<DateTime<Utc>> {
        let s = self.string(node)?;
        values::timestamp(s.trim()).map_err(|r| self.bad(node, r)).ok()
    }

    /// A date string `YYYY-MM-DD`.
    pub fn date(&mut self, node: &Node<'_>) -> Option<chrono::NaiveDate> {
        let s = self.string(node)?;
        values::date(s.trim()).map_err(|r| self.bad(node, r)).ok()
    }

    /// An address a browser may open, checked like the posts CSV's `url`.
    pub fn url(&mut self, node: &Node<'_>) -> Option<String> {
        let s = self.string(node)?;
        values::web_address(s.trim()).map_err(|r| self.bad(node, r)).ok()
    }
}

/// The seconds since 1970 as a moment, within the years 1000 to 9999.
pub(crate) fn unix(secs: i64) -> Option<DateTime<Utc>> {
    use chrono::Datelike;
    DateTime::from_timestamp(secs, 0).filter(|t| (1000..=9999).contains(&t.year()))
}

/// Whether `s` may be stored as a name or identifier.
pub(crate) fn label_ok(s: &str) -> Result<(), Reason> {
    let chars = s.chars().count();
    if s.is_empty() {
        return Err(Reason::new(
            "is empty; a value is required",
            "пусто, а значение обязательно",
        ));
    }
    if s.contains('\0') {
        return Err(Reason::new("contains a NUL character", "содержит символ NUL"));
    }
    if chars > crate::MAX_TEXT_CHARS {
        return Err(Reason::new(
            format!(
                "is {chars} characters long; at most {} are allowed here",
                crate::MAX_TEXT_CHARS
            ),
            format!(
                "длина {chars} символов, а здесь допустимо не больше {}",
                crate::MAX_TEXT_CHARS
            ),
        ));
    }
    Ok(())
}

/// A post's text as Keel keeps it from a platform: NUL characters dropped, cut to its first
/// [`POST_TEXT_CHARS`] characters (enough to recognise the post; the platform keeps the
/// rest), `None` when empty.
pub(crate) fn post_text(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let cut = s.char_indices().nth(POST_TEXT_CHARS).map_or(s.len(), |(i, _)| i);
    Some(s[..cut].replace('\0', "").trim_end().to_owned()).filter(|t| !t.is_empty())
}

/// The account name given in the options, checked; a problem at line 1 when unusable.
pub(crate) fn option_account(opts: &ImportOptions) -> Result<Option<String>, Reason> {
    match opts.account.as_deref().map(str::trim) {
        None => Ok(None),
        Some(a) => label_ok(a).map(|()| Some(a.to_owned())).map_err(|r| {
            Reason::new(
                format!("the account given {}", r.en),
                format!("указанный аккаунт: {}", r.ru),
            )
        }),
    }
}

/// The currency given in the options (or `default`), upper-cased and checked.
pub(crate) fn option_currency(opts: &ImportOptions) -> Result<Option<String>, Reason> {
    match opts.currency.as_deref().map(str::trim) {
        None => Ok(None),
        Some(c) => currency(c).map(Some),
    }
}

/// A currency code: three letters (ISO 4217), stored upper-cased.
pub(crate) fn currency(c: &str) -> Result<String, Reason> {
    if c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(c.to_ascii_uppercase())
    } else {
        Err(Reason::new(
            format!("\"{c}\" is not a currency code (three letters, e.g. RUB, USD)"),
            format!("«{c}» — не код валюты (три буквы, например RUB, USD)"),
        ))
    }
}
