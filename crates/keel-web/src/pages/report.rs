//! The HTML report (`keel report --format html`): one self-contained page, styles inlined,
//! readable offline and printable.

use keel_report::Report;
use keel_store::projects::Project;

pub fn standalone(project: &Project, report: &Report) -> String {
    // Filled in with the analytics page's sections.
    let _ = (project, report);
    String::new()
}
