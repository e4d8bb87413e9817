//! Comparing the day sums imports keep with a recount of the same posts.

/// The day sums with ER sums rounded: a recount adds the same posts' ERs in another order,
/// which may change the last bits of a floating-point sum.
pub fn rounded(all: &[keel_store::data::post_days::AccountDays]) -> Vec<String> {
    let r = |f: Option<f64>| f.map(|f| format!("{f:.9}"));
    all.iter()
        .flat_map(|a| {
            a.days.iter().map(move |d| {
                let mut d = *d;
                let ers = (r(d.own_er_sum), r(d.own_er_max), r(d.own_er_min));
                (d.own_er_sum, d.own_er_max, d.own_er_min) = (None, None, None);
                format!("{}/{} {d:?} {ers:?}", a.platform, a.account)
            })
        })
        .collect()
}
