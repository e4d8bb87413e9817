//! The metric definitions of PRODUCT.md, in the reader's language. Every figure Keel shows
//! links to its entry here (`/definitions#er`, `#bots`…).

use crate::layout::Chrome;
use askama::Template;
use askama_web::WebTemplate;

#[derive(Template, WebTemplate)]
#[template(path = "definitions.html")]
pub struct DefinitionsPage {
    chrome: Chrome,
}

pub async fn page(chrome: Chrome) -> DefinitionsPage {
    DefinitionsPage { chrome }
}
