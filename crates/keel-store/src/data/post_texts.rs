//! A post's text and address (`posts.text`, `posts.url`), read for the few posts a page lists
//! by name (the analytics page's best and worst). The report never reads them: a million
//! texts would cost the report its speed and change nothing it computes.

use std::collections::HashMap;

use crate::projects::Project;
use crate::{Store, StoreResult, on_pool};

/// A post, as its natural key: platform, account, post id.
pub type PostKey = (String, String, String);

/// What a person recognises a post by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostText {
    pub text: Option<String>,
    pub url: Option<String>,
}

impl Store {
    /// The text and address of each of `keys` that has either; posts with neither are left
    /// out of the map. One query per post: pages ask for about ten.
    pub async fn post_texts(&self, project: &Project, keys: &[PostKey]) -> StoreResult<HashMap<PostKey, PostText>> {
        let mut found = HashMap::new();
        for key in keys {
            let (platform, account, post_id) = key;
            let row = on_pool!(&self.pool, p => {
                sqlx::query_as::<_, (Option<String>, Option<String>)>(
                    "SELECT text, url FROM posts
                     WHERE project_id = $1 AND platform = $2 AND account = $3 AND post_id = $4",
                )
                .bind(project.id)
                .bind(platform)
                .bind(account)
                .bind(post_id)
                .fetch_optional(p)
                .await
            })?;
            if let Some((text, url)) = row
                && (text.is_some() || url.is_some())
            {
                found.insert(key.clone(), PostText { text, url });
            }
        }
        Ok(found)
    }
}
