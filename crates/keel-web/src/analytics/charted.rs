//! Which accounts get charts over time on the analytics page and in the HTML report.
//!
//! Three charts of up to a year of days are a few dozen KB of SVG per account, so a project
//! with a thousand accounts would make a page of several megabytes (3,000 charts) that takes
//! seconds to build, send and draw. Only the [`CHARTED_ACCOUNTS`] accounts with the most
//! interactions in the period are charted; every account's figures are still listed.

use keel_report::AccountRow;

/// How many accounts are charted at most.
pub const CHARTED_ACCOUNTS: usize = 12;

/// For each account of `accounts` (in listing order), whether it is charted: the
/// [`CHARTED_ACCOUNTS`] with the most interactions, ties going to the one listed first.
pub fn charted(accounts: &[AccountRow]) -> Vec<bool> {
    let mut order: Vec<usize> = (0..accounts.len()).collect();
    // A stable sort: equal interactions keep listing order.
    order.sort_by_key(|&i| std::cmp::Reverse(accounts[i].interactions));
    let mut charted = vec![false; accounts.len()];
    for i in order.into_iter().take(CHARTED_ACCOUNTS) {
        charted[i] = true;
    }
    charted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(k: usize, interactions: i64) -> AccountRow {
        AccountRow {
            platform: "vk".into(),
            account: format!("a{k:02}"),
            followers_start: None,
            followers_end: None,
            follower_growth_pct: None,
            posts: 1,
            interactions,
            er_followers: None,
            err_reach: None,
            er_views: None,
        }
    }

    #[test]
    fn a_few_accounts_are_all_charted() {
        assert_eq!(charted(&[row(0, 5), row(1, 0)]), [true, true]);
        assert!(charted(&[]).is_empty());
        let twelve: Vec<AccountRow> = (0..CHARTED_ACCOUNTS).map(|k| row(k, 0)).collect();
        assert!(charted(&twelve).iter().all(|c| *c));
    }

    #[test]
    fn only_the_most_engaged_accounts_are_charted_ties_in_listing_order() {
        // Interactions rise with the index, but for the last account, which ties with a07
        // for the twelfth place: a07, listed first, wins it.
        let mut rows: Vec<AccountRow> = (0..20).map(|k| row(k, k as i64)).collect();
        rows[19].interactions = 7;
        let flags = charted(&rows);
        let picked: Vec<usize> = (0..20).filter(|&k| flags[k]).collect();
        assert_eq!(picked, [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    }
}
