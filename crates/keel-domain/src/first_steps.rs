//! A new project's checklist: the steps that make Keel useful, in the order they depend on each
//! other, each ticked from what the project holds, never by hand.

/// What the checklist reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub brief_saved: bool,
    /// A goal both sides agreed to.
    pub goal_agreed: bool,
    pub approvers: usize,
    /// Rows of platform data (posts, days, ads, leads) or connected accounts.
    pub data_or_connections: bool,
    pub posts_planned: usize,
}

/// One step: a dictionary key (`first_steps.{key}` and `first_steps.how.{key}`) and the page of
/// the project where it is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub key: &'static str,
    pub path: &'static str,
    pub done: bool,
}

/// The five steps in order: brief → a goal agreed by both sides → approvers named → data in →
/// the first post.
pub fn steps(p: &Progress) -> [Step; 5] {
    [
        Step {
            key: "brief",
            path: "/brief",
            done: p.brief_saved,
        },
        Step {
            key: "goal",
            path: "/goals",
            done: p.goal_agreed,
        },
        Step {
            key: "approvers",
            path: "/members",
            done: p.approvers > 0,
        },
        Step {
            key: "data",
            path: "/data",
            done: p.data_or_connections,
        },
        Step {
            key: "post",
            path: "/plan",
            done: p.posts_planned > 0,
        },
    ]
}

/// The first step not yet done: what the project should do next (`None` once all are done).
pub fn next(steps: &[Step]) -> Option<&Step> {
    steps.iter().find(|s| !s.done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_project_starts_with_the_brief() {
        let all = steps(&Progress::default());
        assert!(all.iter().all(|s| !s.done));
        assert_eq!(next(&all).unwrap().key, "brief");
    }

    #[test]
    fn the_next_step_is_the_first_undone_even_when_later_ones_are_done() {
        let all = steps(&Progress {
            brief_saved: true,
            approvers: 1,
            posts_planned: 3,
            ..Progress::default()
        });
        assert_eq!(all.iter().filter(|s| s.done).count(), 3);
        assert_eq!(next(&all).unwrap().key, "goal");
        let done = steps(&Progress {
            brief_saved: true,
            goal_agreed: true,
            approvers: 2,
            data_or_connections: true,
            posts_planned: 1,
        });
        assert_eq!(next(&done), None);
    }
}
