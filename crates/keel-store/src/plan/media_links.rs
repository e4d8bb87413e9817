//! Public, expiring links to one image of a post, for platforms that fetch images themselves
//! (Instagram: Meta downloads the `image_url` it is given). The token (256 random bits) is
//! handed out once and only its SHA-256 is kept; a link serves its one image until it expires,
//! as a JPEG (the only image format Instagram publishes), and nothing else.

use crate::credentials::{random_secret, secret_hash};
use crate::{Store, StoreResult, now, on_pool};
use chrono::{DateTime, Utc};
use keel_domain::PostId;

impl Store {
    /// Makes a link to `image` of `post` working until `expires_at`; returns its token. Links
    /// expired by now are deleted on the way.
    pub async fn create_media_link(&self, post: PostId, image: i64, expires_at: DateTime<Utc>) -> StoreResult<String> {
        let token = random_secret("");
        let at = now();
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            sqlx::query("DELETE FROM publication_media WHERE expires_at < $1")
                .bind(at)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO publication_media (token_hash, post_id, image_id, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(secret_hash(&token))
            .bind(post.0)
            .bind(image)
            .bind(at)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<(), sqlx::Error>(())
        })?;
        Ok(token)
    }

    /// The image behind a live link, as JPEG bytes (converted when stored in another format);
    /// `None` for an unknown or expired token.
    pub async fn media_link_jpeg(&self, token: &str, at: DateTime<Utc>) -> StoreResult<Option<Vec<u8>>> {
        let row: Option<(String, Vec<u8>)> = on_pool!(&self.pool, p => {
            sqlx::query_as(
                "SELECT i.content_type, i.bytes FROM publication_media m
                   JOIN plan_post_images i ON i.id = m.image_id AND i.post_id = m.post_id
                 WHERE m.token_hash = $1 AND m.expires_at > $2",
            )
            .bind(secret_hash(token))
            .bind(at)
            .fetch_optional(p)
            .await
        })?;
        let Some((content_type, bytes)) = row else {
            return Ok(None);
        };
        if content_type == "image/jpeg" {
            return Ok(Some(bytes));
        }
        let converted = tokio::task::spawn_blocking(move || super::images::to_jpeg(&bytes))
            .await
            .map_err(|e| crate::StoreError::Invalid(format!("the JPEG conversion stopped: {e}")))?
            .map_err(crate::StoreError::Invalid)?;
        Ok(Some(converted))
    }
}
