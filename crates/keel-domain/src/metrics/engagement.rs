//! Engagement: interactions and ER by followers, reach (ERR) and views (ERV).
//!
//! `PRODUCT.md`: `I = likes + comments + shares + saves`; post `ER = I / followers × 100`,
//! `ERR = I / reach × 100`, `ERV = I / views × 100`; period ER is the *mean* of the posts'
//! ER, period ERR is the *ratio of sums*; daily ER is the day's `ΣI / followers × 100`.

use super::count_pct;

/// The interactions of one post. A field the source does not report is passed as 0
/// (`PRODUCT.md`: "a missing field counts as 0"); reposts are counted as shares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Interactions {
    /// Likes (reactions).
    pub likes: i64,
    /// Comments.
    pub comments: i64,
    /// Shares, reposts included.
    pub shares: i64,
    /// Saves (bookmarks).
    pub saves: i64,
}

impl Interactions {
    /// `I = likes + comments + shares + saves`.
    pub fn total(&self) -> i64 {
        self.likes + self.comments + self.shares + self.saves
    }
}

/// Post ER by followers: `I / followers × 100`; `None` when followers are unknown or 0.
pub fn post_er(interactions: i64, followers: Option<i64>) -> Option<f64> {
    count_pct(interactions, followers)
}

/// Post ERR by reach: `I / reach × 100`; `None` when reach is unknown or 0.
pub fn post_err(interactions: i64, reach: Option<i64>) -> Option<f64> {
    count_pct(interactions, reach)
}

/// Post ER by views: `I / views × 100`; `None` when views are unknown or 0.
pub fn post_erv(interactions: i64, views: Option<i64>) -> Option<f64> {
    count_pct(interactions, views)
}

/// The follower count a post's ER is computed against: the account's daily count on the
/// publication date when it was recorded, else the `followers` field the post carries.
///
/// The daily count wins because it is one consistent series for all posts of the day,
/// while a post's own field may have been captured at any later moment.
pub fn followers_on(post_day_followers: Option<i64>, post_own_followers: Option<i64>) -> Option<i64> {
    post_day_followers.or(post_own_followers)
}

/// Daily ER of an account: `ΣI of posts published that day / followers that day × 100`;
/// `None` when the day's follower count is unknown or 0.
pub fn daily_er(interactions_that_day: i64, followers_that_day: Option<i64>) -> Option<f64> {
    count_pct(interactions_that_day, followers_that_day)
}

/// Streaming accumulator of an account's engagement over a period.
///
/// Only sums are kept, so posts can be fed one by one from a database cursor, and chunks
/// accumulated in parallel can be combined with [`PeriodEngagement::merge`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeriodEngagement {
    posts: i64,
    interactions: i64,
    /// Σ of per-post ER over posts whose followers are known and > 0, and their count:
    /// period ER is a mean of ratios, so the ratios themselves must be summed.
    er_sum: f64,
    er_posts: i64,
    /// ΣI and Σreach over posts with reach > 0 (ERR is a ratio of sums).
    reach_interactions: i64,
    reach: i64,
    /// ΣI and Σviews over posts with views > 0 (ERV, by analogy with ERR).
    views_interactions: i64,
    views: i64,
}

impl PeriodEngagement {
    /// An empty period: no posts, every rate undefined.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one post: its interactions `I`, followers on its publication day (see
    /// [`followers_on`]), its reach and its views; unknown values are `None`.
    pub fn add_post(&mut self, interactions: i64, followers: Option<i64>, reach: Option<i64>, views: Option<i64>) {
        self.posts += 1;
        self.interactions += interactions;
        if let Some(er) = post_er(interactions, followers) {
            self.er_sum += er;
            self.er_posts += 1;
        }
        // A post without reach (or views) stays out of both numerator and denominator;
        // counting its interactions alone would inflate the ratio.
        if let Some(r) = reach.filter(|&r| r > 0) {
            self.reach_interactions += interactions;
            self.reach += r;
        }
        if let Some(v) = views.filter(|&v| v > 0) {
            self.views_interactions += interactions;
            self.views += v;
        }
    }

    /// Adds everything accumulated in `other` (a chunk computed separately).
    pub fn merge(&mut self, other: &PeriodEngagement) {
        self.posts += other.posts;
        self.interactions += other.interactions;
        self.er_sum += other.er_sum;
        self.er_posts += other.er_posts;
        self.reach_interactions += other.reach_interactions;
        self.reach += other.reach;
        self.views_interactions += other.views_interactions;
        self.views += other.views;
    }

    /// Number of posts added.
    pub fn posts(&self) -> i64 {
        self.posts
    }

    /// ΣI over all posts added.
    pub fn interactions(&self) -> i64 {
        self.interactions
    }

    /// Period ER: the mean of the posts' ER, skipping posts whose followers are unknown
    /// or 0; `None` when no post has a known follower count.
    pub fn er_followers(&self) -> Option<f64> {
        super::ratio(self.er_sum, self.er_posts as f64)
    }

    /// Period ERR: `ΣI / Σreach × 100` over posts with reach > 0; `None` without such posts.
    pub fn err_reach(&self) -> Option<f64> {
        count_pct(self.reach_interactions, Some(self.reach))
    }

    /// Period ER by views: `ΣI / Σviews × 100` over posts with views > 0.
    ///
    /// `PRODUCT.md` defines only the per-post ERV; the period value is taken as a ratio of
    /// sums by analogy with period ERR (views, like reach, are an audience-size measure),
    /// so a post with few views cannot swing it the way it would swing a mean of ratios.
    pub fn er_views(&self) -> Option<f64> {
        count_pct(self.views_interactions, Some(self.views))
    }
}

#[cfg(test)]
mod tests;
