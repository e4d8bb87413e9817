//! The computed figures of the analytics page and the report API, kept per project and
//! period and keyed by the project's data version.
//!
//! Computing them reads a project's raw rows (120–170 ms a request on the demo data), while
//! they change only when the data does. Every write that changes what they read bumps
//! `projects.data_version` in its own transaction (`keel_store::bump_data_version!`: imports
//! of posts, daily figures, ads and leads; goals), and every request reads the version with
//! the project it resolves anyway (`ProjectCtx`), so the check costs no query of its own. A
//! key holds the version: an instance whose cached figures are older than the database's
//! simply misses, whichever instance made the write — several `keel serve` on one
//! PostgreSQL never serve each other's stale figures.
//!
//! Why a figure is never stale: a request reads version `v` and then computes, so it reads
//! data at least as new as `v` (the bump commits with the data); a figure stored under `v`
//! may be newer than `v`, never older. A figure is served only under the version the
//! request read.
//!
//! The key also holds the day (goals' "current" and forecast count to today) and the
//! project's start (the baseline of an open period). What is cached is the language-free
//! input of the page, the page's sections rendered in each language asked for (the chrome
//! around them — who is signed in, the form — is rendered per request), and the report's
//! JSON bytes (when at most [`MAX_JSON_BYTES`]).
//!
//! Memory is bounded: every entry has a weight (the JSON's length; an estimate of the page
//! figures' heap size) and the least recently used entries go once the total passes the
//! capacity ([`DEFAULT_CAPACITY_BYTES`]). Entries of a project's older versions go as soon
//! as a newer one is stored.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use chrono::NaiveDate;
use keel_report::Report;
use keel_report::series::Analytics;
use keel_store::data::{PostKey, PostText};
use keel_store::projects::Project;

/// The cache's capacity by default.
pub const DEFAULT_CAPACITY_BYTES: usize = 32 * 1024 * 1024;
/// A report JSON longer than this is streamed every time, never kept.
pub const MAX_JSON_BYTES: usize = 4 * 1024 * 1024;

/// What is cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The analytics page's figures ([`PageFigures`]).
    Page,
    /// The analytics page's sections, rendered in one language (HTML).
    PageHtml(keel_domain::Lang),
    /// The report's JSON (`keel report --format json`).
    ReportJson,
    /// The project's row counts (the overview page): a count per table costs a scan of the
    /// project's index, 10 ms and more on a project with a million posts.
    Counts,
    /// What the health checks read from the data (`health::facts::DataFacts`).
    Health,
}

/// One project, period and day, at one data version.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub kind: Kind,
    pub project: i64,
    pub version: i64,
    pub started_on: NaiveDate,
    pub today: NaiveDate,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Key {
    /// The key of `project` as the request resolved it (with its data version), today.
    pub fn new(kind: Kind, project: &Project, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Key {
        Key {
            kind,
            project: project.id,
            version: project.data_version,
            started_on: project.started_on,
            today: chrono::Utc::now().date_naive(),
            from,
            to,
        }
    }
}

/// Everything the analytics page shows that does not depend on the reader's language.
#[derive(Debug)]
pub struct PageFigures {
    /// The first and last day holding data; `None` for a project without data.
    pub span: Option<(NaiveDate, NaiveDate)>,
    /// `None` when the project holds no data.
    pub analytics: Option<Analytics>,
    /// The period before, as long as this one (see the page).
    pub previous: Option<Report>,
    pub currencies: Vec<String>,
    pub texts: HashMap<PostKey, PostText>,
}

impl PageFigures {
    /// An estimate of the heap the figures hold, in bytes.
    fn weight(&self) -> usize {
        let report = |r: &Report| {
            r.accounts.len() * 256
                + r.bot_spikes.len() * 128
                + r.goals.len() * 512
                + r.funnel.len() * 128
                + r.ads.campaigns.len() * 256
                + 1024
        };
        let mut bytes = 1024 + self.currencies.len() * 32;
        if let Some(a) = &self.analytics {
            bytes += report(&a.report);
            bytes += a
                .series
                .iter()
                .map(|s| 64 + s.days.len() * size_of::<keel_report::SeriesDay>())
                .sum::<usize>();
            bytes += (a.best_posts.len() + a.worst_posts.len()) * 384;
        }
        bytes += self.previous.as_ref().map_or(0, report);
        bytes += self
            .texts
            .iter()
            .map(|((p, a, id), t)| {
                96 + p.len()
                    + a.len()
                    + id.len()
                    + t.text.as_ref().map_or(0, String::len)
                    + t.url.as_ref().map_or(0, String::len)
            })
            .sum::<usize>();
        bytes
    }
}

/// A cached value.
#[derive(Debug, Clone)]
pub enum Cached {
    Page(Arc<PageFigures>),
    Html(Arc<str>),
    Json(Bytes),
    Counts(keel_store::data::DataCounts),
    Health(Arc<crate::health::facts::DataFacts>),
}

impl Cached {
    fn weight(&self) -> usize {
        match self {
            Cached::Page(p) => p.weight(),
            Cached::Html(h) => h.len() + 64,
            Cached::Json(b) => b.len() + 64,
            Cached::Counts(_) => 128,
            Cached::Health(d) => {
                1024 + d.0.len() * 128 + d.1.len() * 128 + d.2.iter().map(|g| 512 + g.values.len() * 16).sum::<usize>()
            }
        }
    }
}

#[derive(Debug)]
struct Entry {
    value: Cached,
    weight: usize,
    used: u64,
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<Key, Entry>,
    weight: usize,
    tick: u64,
    hits: u64,
    misses: u64,
}

/// The cache; one per `keel serve` (in `AppState`).
#[derive(Debug)]
pub struct FigureCache {
    inner: Mutex<Inner>,
    capacity: usize,
}

impl Default for FigureCache {
    fn default() -> Self {
        FigureCache::new(DEFAULT_CAPACITY_BYTES)
    }
}

/// Counts for `/metrics`-like inspection and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    pub entries: usize,
    pub weight: usize,
    pub hits: u64,
    pub misses: u64,
}

impl FigureCache {
    /// A cache holding at most about `capacity` bytes.
    pub fn new(capacity: usize) -> FigureCache {
        FigureCache {
            inner: Mutex::new(Inner::default()),
            capacity,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves nothing half-done worth refusing.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The value under `key`, marked as just used.
    pub fn get(&self, key: &Key) -> Option<Cached> {
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        match inner.entries.get_mut(key) {
            Some(entry) => {
                entry.used = tick;
                let value = entry.value.clone();
                inner.hits += 1;
                Some(value)
            }
            None => {
                inner.misses += 1;
                None
            }
        }
    }

    /// The page figures under `key`.
    pub fn page(&self, key: &Key) -> Option<Arc<PageFigures>> {
        match self.get(key) {
            Some(Cached::Page(p)) => Some(p),
            _ => None,
        }
    }

    /// The rendered sections under `key`.
    pub fn html(&self, key: &Key) -> Option<Arc<str>> {
        match self.get(key) {
            Some(Cached::Html(h)) => Some(h),
            _ => None,
        }
    }

    /// The row counts of `project` at its data version: from the cache, or counted and kept.
    pub async fn counts(
        &self,
        store: &keel_store::Store,
        project: &Project,
    ) -> keel_store::StoreResult<keel_store::data::DataCounts> {
        let key = Key::new(Kind::Counts, project, None, None);
        if let Some(Cached::Counts(c)) = self.get(&key) {
            return Ok(c);
        }
        let counts = store.data_counts(project).await?;
        self.insert(key, Cached::Counts(counts));
        Ok(counts)
    }

    /// The report JSON under `key`.
    pub fn json(&self, key: &Key) -> Option<Bytes> {
        match self.get(key) {
            Some(Cached::Json(b)) => Some(b),
            _ => None,
        }
    }

    /// Keeps `value` under `key`: drops the project's entries of older versions, then the
    /// least recently used entries until the total fits. A value heavier than the whole
    /// capacity is not kept.
    pub fn insert(&self, key: Key, value: Cached) {
        let weight = value.weight();
        if weight > self.capacity {
            return;
        }
        let mut inner = self.lock();
        let (project, version) = (key.project, key.version);
        let stale: Vec<Key> = inner
            .entries
            .keys()
            .filter(|k| k.project == project && k.version < version)
            .cloned()
            .collect();
        for k in stale {
            if let Some(e) = inner.entries.remove(&k) {
                inner.weight -= e.weight;
            }
        }
        inner.tick += 1;
        let used = inner.tick;
        if let Some(old) = inner.entries.insert(key, Entry { value, weight, used }) {
            inner.weight -= old.weight;
        }
        inner.weight += weight;
        while inner.weight > self.capacity {
            let Some(oldest) = inner.entries.iter().min_by_key(|(_, e)| e.used).map(|(k, _)| k.clone()) else {
                break;
            };
            if let Some(e) = inner.entries.remove(&oldest) {
                inner.weight -= e.weight;
            }
        }
    }

    pub fn stats(&self) -> CacheStats {
        let inner = self.lock();
        CacheStats {
            entries: inner.entries.len(),
            weight: inner.weight,
            hits: inner.hits,
            misses: inner.misses,
        }
    }
}

/// A `Write` that passes everything to `out` and keeps a copy while it stays within
/// [`MAX_JSON_BYTES`] (the copy is dropped past it).
pub struct Tee<'a, W: std::io::Write> {
    pub out: &'a mut W,
    copy: Option<Vec<u8>>,
}

impl<'a, W: std::io::Write> Tee<'a, W> {
    pub fn new(out: &'a mut W) -> Self {
        Tee {
            out,
            copy: Some(Vec::new()),
        }
    }

    /// The whole output, when it stayed within the bound.
    pub fn into_copy(self) -> Option<Vec<u8>> {
        self.copy
    }
}

impl<W: std::io::Write> std::io::Write for Tee<'_, W> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(data)?;
        if let Some(copy) = &mut self.copy {
            if copy.len() + n > MAX_JSON_BYTES {
                self.copy = None;
            } else {
                copy.extend_from_slice(&data[..n]);
            }
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(project: i64, version: i64, from: Option<NaiveDate>) -> Key {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        Key {
            kind: Kind::ReportJson,
            project,
            version,
            started_on: day,
            today: day,
            from,
            to: None,
        }
    }

    fn json(n: usize) -> Cached {
        Cached::Json(Bytes::from(vec![b'x'; n]))
    }

    #[test]
    fn a_newer_version_misses_and_drops_the_older_entries() {
        let cache = FigureCache::new(1 << 20);
        cache.insert(key(1, 1, None), json(10));
        cache.insert(key(2, 1, None), json(10));
        assert!(cache.json(&key(1, 1, None)).is_some());
        assert!(cache.json(&key(1, 2, None)).is_none(), "another version is another key");
        cache.insert(key(1, 2, None), json(20));
        assert!(cache.json(&key(1, 1, None)).is_none(), "the older version is gone");
        assert!(cache.json(&key(2, 1, None)).is_some(), "other projects stay");
        assert_eq!(cache.stats().entries, 2);
        assert_eq!(cache.stats().weight, 10 + 64 + 20 + 64);
    }

    #[test]
    fn the_least_recently_used_go_first_and_the_total_stays_bounded() {
        let cache = FigureCache::new(1000);
        let day = |d| NaiveDate::from_ymd_opt(2026, 1, d);
        for d in 1..=4 {
            cache.insert(key(1, 1, day(d)), json(136)); // 200 bytes each
        }
        assert!(cache.json(&key(1, 1, day(1))).is_some()); // 1 is now the most recent
        cache.insert(key(1, 1, day(5)), json(336)); // 400 bytes: 1,200 in all, 2 must go
        assert!(cache.stats().weight <= 1000, "{:?}", cache.stats());
        assert!(cache.json(&key(1, 1, day(2))).is_none());
        assert!(cache.json(&key(1, 1, day(1))).is_some());
        assert!(cache.json(&key(1, 1, day(5))).is_some());
        cache.insert(key(1, 1, day(6)), json(2000));
        assert!(
            cache.json(&key(1, 1, day(6))).is_none(),
            "heavier than the whole cache: not kept"
        );
    }

    #[test]
    fn the_tee_keeps_a_copy_only_within_the_bound() {
        use std::io::Write;
        let mut out = Vec::new();
        let mut tee = Tee::new(&mut out);
        tee.write_all(b"hello").unwrap();
        assert_eq!(tee.into_copy().as_deref(), Some(&b"hello"[..]));
        let mut out = Vec::new();
        let mut tee = Tee::new(&mut out);
        tee.write_all(&vec![0; MAX_JSON_BYTES + 1]).unwrap();
        assert!(tee.into_copy().is_none());
        assert_eq!(out.len(), MAX_JSON_BYTES + 1);
    }
}
