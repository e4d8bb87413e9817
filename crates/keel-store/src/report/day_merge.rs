//! The follower count of a post's publication day, found by merging two ordered scans
//! instead of looking up a daily row per post (a million index searches, most of a large
//! report's time): the posts in report order (time first) and the daily rows by date.
//!
//! Posts come in time order, so their days never go back. The daily rows of the current
//! day are held in a small map (one entry per account) and replaced when the day changes;
//! rows of days without posts are passed over. Memory is one day of daily rows.
//!
//! The caller drives the daily scan (a blocking cursor on SQLite, a COPY stream on
//! PostgreSQL):
//!
//! ```text
//! if days.day() != Some(&day) { days.start(day); while days.wants_row() { days.offer(next()?) } }
//! let followers = days.get(platform, account);
//! ```
//!
//! A day is whatever orders like the dates: `YYYY-MM-DD` text as SQLite stores it, or a
//! `NaiveDate`.

use std::collections::HashMap;

/// A daily row as read: date, platform, account, followers.
pub(crate) type DailyRow<D> = (D, String, String, Option<i64>);

/// The daily follower counts of the current day, by platform and account. Entries are
/// kept from day to day and marked with the day they hold (`generation`), so a new day
/// costs no allocation.
#[derive(Debug)]
pub(crate) struct DayFollowers<D> {
    day: Option<D>,
    generation: u64,
    by_account: HashMap<String, HashMap<String, (u64, Option<i64>)>>,
    /// The first daily row after the current day, read ahead.
    pending: Option<DailyRow<D>>,
    /// The daily scan has ended.
    done: bool,
}

impl<D> Default for DayFollowers<D> {
    fn default() -> Self {
        DayFollowers {
            day: None,
            generation: 0,
            by_account: HashMap::new(),
            pending: None,
            done: false,
        }
    }
}

impl<D: Ord> DayFollowers<D> {
    /// The current day (`None` before the first).
    pub fn day(&self) -> Option<&D> {
        self.day.as_ref()
    }

    /// Moves to `day`; then feed rows while [`DayFollowers::wants_row`].
    pub fn start(&mut self, day: D) {
        self.day = Some(day);
        self.generation += 1;
        if let Some(row) = self.pending.take() {
            self.absorb(row);
        }
    }

    /// Whether the next daily row may still belong to the current day.
    pub fn wants_row(&self) -> bool {
        !self.done && self.pending.is_none()
    }

    /// The next row of the date-ordered daily scan; `None` when it has ended.
    pub fn offer(&mut self, row: Option<DailyRow<D>>) {
        match row {
            Some(row) => self.absorb(row),
            None => self.done = true,
        }
    }

    /// Keeps a row of the current day, drops one of an earlier day, and holds back one of
    /// a later day (which ends the current day's rows).
    fn absorb(&mut self, row: DailyRow<D>) {
        let (date, platform, account, followers) = row;
        let Some(day) = &self.day else {
            self.pending = Some((date, platform, account, followers));
            return;
        };
        match date.cmp(day) {
            std::cmp::Ordering::Less => {}
            std::cmp::Ordering::Equal => {
                let accounts = self.by_account.entry(platform).or_default();
                accounts.insert(account, (self.generation, followers));
            }
            std::cmp::Ordering::Greater => self.pending = Some((date, platform, account, followers)),
        }
    }

    /// The current day's follower count of an account; `None` without a row or a count.
    pub fn get(&self, platform: &str, account: &str) -> Option<i64> {
        match self.by_account.get(platform)?.get(account)? {
            &(generation, followers) if generation == self.generation => followers,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(date: &str, account: &str, followers: Option<i64>) -> Option<DailyRow<String>> {
        Some((date.into(), "vk".into(), account.into(), followers))
    }

    /// Feeds `rows` (then the end) as the scan would, for one day.
    fn go(days: &mut DayFollowers<String>, day: &str, rows: &mut std::vec::IntoIter<Option<DailyRow<String>>>) {
        days.start(day.to_owned());
        while days.wants_row() {
            days.offer(rows.next().flatten());
        }
    }

    #[test]
    fn days_pass_over_earlier_rows_and_hold_back_later_ones() {
        let mut rows = vec![
            row("2026-01-01", "a", Some(10)),
            row("2026-01-02", "a", Some(20)),
            row("2026-01-02", "b", None),
            row("2026-01-04", "a", Some(40)),
        ]
        .into_iter();
        let mut days = DayFollowers::default();
        // 01-01 has no posts: its row is passed over on the way to 01-02.
        go(&mut days, "2026-01-02", &mut rows);
        assert_eq!(
            (days.get("vk", "a"), days.get("vk", "b"), days.get("vk", "c")),
            (Some(20), None, None)
        );
        // 01-03 has no daily rows: nothing from 01-02 lingers.
        go(&mut days, "2026-01-03", &mut rows);
        assert_eq!(days.get("vk", "a"), None);
        go(&mut days, "2026-01-04", &mut rows);
        assert_eq!(days.get("vk", "a"), Some(40));
        go(&mut days, "2026-01-05", &mut rows);
        assert_eq!(days.get("vk", "a"), None);
    }
}
