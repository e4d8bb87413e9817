//! The project's pages, grouped into a few sections so the navigation fits a phone: a row of
//! sections, and under it the pages of the current section. One name per page, the same in the
//! tab, the page title and the links that lead to it.

/// A page of a project: its tab id (what each page passes as `tab`), its dictionary key and its
/// path under `/projects/{slug}`.
pub struct Page {
    pub tab: &'static str,
    pub key: &'static str,
    pub path: &'static str,
}

/// A section and its pages; the section's link goes to its first page.
pub struct Section {
    pub id: &'static str,
    pub key: &'static str,
    pub pages: &'static [Page],
}

pub const SECTIONS: &[Section] = &[
    Section {
        id: "overview",
        key: "section.overview",
        pages: &[Page {
            tab: "overview",
            key: "project.overview",
            path: "",
        }],
    },
    Section {
        id: "plan",
        key: "section.plan",
        pages: &[
            Page {
                tab: "plan",
                key: "plan.tab",
                path: "/plan",
            },
            Page {
                tab: "calendar",
                key: "project.calendar",
                path: "/calendar",
            },
            Page {
                tab: "connections",
                key: "connections.tab",
                path: "/connections",
            },
            Page {
                tab: "audit",
                key: "audit.tab",
                path: "/audit",
            },
        ],
    },
    Section {
        id: "results",
        key: "section.results",
        pages: &[
            Page {
                tab: "analytics",
                key: "project.analytics",
                path: "/analytics",
            },
            Page {
                tab: "health",
                key: "project.health",
                path: "/health",
            },
            Page {
                tab: "data",
                key: "project.data",
                path: "/data",
            },
        ],
    },
    Section {
        id: "agreement",
        key: "section.agreement",
        pages: &[
            Page {
                tab: "brief",
                key: "project.brief",
                path: "/brief",
            },
            Page {
                tab: "goals",
                key: "project.goals",
                path: "/goals",
            },
            Page {
                tab: "meetings",
                key: "project.meetings",
                path: "/meetings",
            },
        ],
    },
    Section {
        id: "team",
        key: "section.team",
        pages: &[Page {
            tab: "members",
            key: "project.members",
            path: "/members",
        }],
    },
];

/// The section that holds the page `tab` (the overview for an unknown tab).
pub fn section_of(tab: &str) -> &'static Section {
    SECTIONS
        .iter()
        .find(|s| s.pages.iter().any(|p| p.tab == tab))
        .unwrap_or(&SECTIONS[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_is_in_one_section_once() {
        let mut tabs: Vec<_> = SECTIONS.iter().flat_map(|s| s.pages.iter().map(|p| p.tab)).collect();
        let all = tabs.len();
        tabs.sort();
        tabs.dedup();
        assert_eq!(tabs.len(), all);
        assert!(SECTIONS.len() <= 5, "a phone shows five sections in one row");
        for section in SECTIONS {
            assert!(crate::i18n::Tr::knows(section.key), "{}", section.key);
            for page in section.pages {
                assert!(crate::i18n::Tr::knows(page.key), "{}", page.key);
                assert_eq!(section_of(page.tab).id, section.id);
            }
        }
    }
}
