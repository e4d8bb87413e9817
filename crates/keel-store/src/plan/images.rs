//! Post images, stored in the database (several instances behind a load balancer share them),
//! accepted only when their first bytes are a PNG, JPEG, WebP or GIF signature and the whole
//! image decodes — the name and the browser's claimed type are not trusted, and a file with a
//! valid signature and garbage after it is refused too.

use super::posts::PlanPost;
use super::refusal;
use crate::{Store, StoreError, StoreResult, append_audit, audit::NewAuditEvent, now, on_pool};
use chrono::{DateTime, Utc};
use keel_domain::workflow::{PostAction, Relation, transition};
use keel_domain::{OrgId, PostId, UserId};

/// The largest image accepted (platforms themselves refuse much larger photos).
pub const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;
/// At most this many images on one post (Instagram and VK carousels hold ten).
pub const MAX_IMAGES_PER_POST: usize = 10;

/// The image type named by the content's magic bytes.
pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else {
        None
    }
}

/// The largest width or height decoded, and the most memory a decode may take: a small file
/// that claims a 100,000 × 100,000 picture is refused instead of allocated.
const MAX_SIDE: u32 = 12_000;
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// Decodes the whole image (off the async executor) and says why it cannot be, if it cannot.
async fn check_decodes(bytes: &[u8]) -> Result<(), String> {
    let owned = bytes.to_vec();
    let result = tokio::task::spawn_blocking(move || {
        let mut reader = image::ImageReader::new(std::io::Cursor::new(owned))
            .with_guessed_format()
            .map_err(|e| e.to_string())?;
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(MAX_SIDE);
        limits.max_image_height = Some(MAX_SIDE);
        limits.max_alloc = Some(MAX_DECODE_BYTES);
        reader.limits(limits);
        reader.decode().map(|_| ()).map_err(|e| e.to_string())
    })
    .await;
    result.unwrap_or_else(|e| Err(format!("the decoder stopped: {e}")))
}

/// The image re-encoded as a JPEG (quality 90; transparency dropped onto white), for
/// platforms that take only JPEG (Instagram).
pub fn to_jpeg(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|e| e.to_string())?.to_rgba8();
    let flat = image::RgbImage::from_fn(decoded.width(), decoded.height(), |x, y| {
        let [r, g, b, a] = decoded.get_pixel(x, y).0;
        let over_white = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&flat)
        .map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanImage {
    pub id: i64,
    pub post_id: i64,
    pub content_type: String,
    pub file_name: String,
    pub size: i32,
    pub created_at: DateTime<Utc>,
}

impl Store {
    /// Stores an image on a post that may still be edited.
    pub async fn add_plan_image(
        &self,
        post: &PlanPost,
        who: Relation,
        actor: UserId,
        file_name: &str,
        bytes: &[u8],
    ) -> StoreResult<PlanImage> {
        transition(post.state(), PostAction::Edit, who).map_err(refusal)?;
        if bytes.len() > MAX_IMAGE_BYTES {
            let (mb, max) = (bytes.len() as f64 / 1_048_576.0, MAX_IMAGE_BYTES / 1_048_576);
            return Err(StoreError::Unacceptable {
                en: format!("image `{file_name}`: {mb:.1} MB, larger than the {max} MB an image may be"),
                ru: format!("изображение «{file_name}»: {mb:.1} МБ, а допустимо не больше {max} МБ"),
            });
        }
        let content_type = sniff_image(bytes).ok_or_else(|| {
            StoreError::Unacceptable {
                en: format!(
                    "image `{file_name}`: the content is not a PNG, JPEG, WebP or GIF image (checked by its bytes, not its name)"
                ),
                ru: format!(
                    "изображение «{file_name}»: это не PNG, JPEG, WebP или GIF (проверено по содержимому, а не по имени)"
                ),
            }
        })?;
        check_decodes(bytes).await.map_err(|why| StoreError::Unacceptable {
            en: format!(
                "image `{file_name}`: it starts like a {content_type} file but does not decode ({why}); export it again"
            ),
            ru: format!(
                "изображение «{file_name}»: начинается как {content_type}, но не читается ({why}); сохраните его заново"
            ),
        })?;
        if self.plan_images(post.id).await?.len() >= MAX_IMAGES_PER_POST {
            return Err(StoreError::Unacceptable {
                en: format!("a post holds at most {MAX_IMAGES_PER_POST} images; remove one first"),
                ru: format!("у поста может быть не больше {MAX_IMAGES_PER_POST} изображений; сначала удалите одно"),
            });
        }
        let name: String = file_name.trim().chars().filter(|c| !c.is_control()).take(200).collect();
        let at = now();
        let id = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO plan_post_images (post_id, content_type, file_name, bytes, size, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(post.id.0)
            .bind(content_type)
            .bind(&name)
            .bind(bytes)
            .bind(bytes.len() as i32)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            append_audit!(&mut *tx, NewAuditEvent {
                org: post.org(),
                project: post.project(),
                subject_kind: "post",
                subject_id: post.id.0,
                actor: Some(actor),
                action: "image_added",
                detail: serde_json::json!({ "image_id": id, "file_name": name, "bytes": bytes.len() }),
                at,
            })?;
            tx.commit().await?;
            Ok::<i64, sqlx::Error>(id)
        })?;
        self.plan_images(post.id)
            .await?
            .into_iter()
            .find(|i| i.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// A post's images (without their bytes), in upload order.
    pub async fn plan_images(&self, post: PostId) -> StoreResult<Vec<PlanImage>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, PlanImage>(
                "SELECT id, post_id, content_type, file_name, size, created_at FROM plan_post_images
                 WHERE post_id = $1 ORDER BY id",
            )
            .bind(post.0)
            .fetch_all(p)
            .await
        })?)
    }

    /// The first image of each post of `project` that Keel published and whose platform
    /// post id is one of `wanted` (`(platform, post id)` as imported figures name posts) —
    /// what a report shows beside the figures of those posts. Only published posts with
    /// images; VK's own id `-<community>_<post>` names the post `<post>`, as its wall does.
    /// Returns `(platform, post id, image id, content type, bytes)`.
    pub async fn published_first_images(
        &self,
        project: keel_domain::ProjectId,
        wanted: &[(String, String)],
    ) -> StoreResult<Vec<(String, String, i64, String, Vec<u8>)>> {
        // A project's published posts are a few hundred a year: read them, match here.
        let published: Vec<(String, String, i64)> = on_pool!(&self.pool, p => {
            sqlx::query_as(
                "SELECT pb.platform, pb.platform_post_id,
                        (SELECT MIN(i.id) FROM plan_post_images i WHERE i.post_id = p.id)
                 FROM plan_publications pb JOIN plan_posts p ON p.id = pb.post_id
                 WHERE p.project_id = $1 AND pb.state = 'published' AND pb.platform_post_id IS NOT NULL
                   AND EXISTS (SELECT 1 FROM plan_post_images i WHERE i.post_id = p.id)",
            )
            .bind(project.0)
            .fetch_all(p)
            .await
        })?;
        let mut found = Vec::new();
        for (platform, post_id) in wanted {
            let hit = published.iter().find(|(pl, id, _)| {
                pl == platform && (id == post_id || (pl == "vk" && id.rsplit('_').next() == Some(post_id.as_str())))
            });
            let Some((_, _, image)) = hit else { continue };
            let row = on_pool!(&self.pool, p => {
                sqlx::query_as::<_, (String, Vec<u8>)>("SELECT content_type, bytes FROM plan_post_images WHERE id = $1")
                    .bind(image)
                    .fetch_optional(p)
                    .await
            })?;
            if let Some((content_type, bytes)) = row {
                found.push((platform.clone(), post_id.clone(), *image, content_type, bytes));
            }
        }
        Ok(found)
    }

    /// An image's type and bytes, if it belongs to a post of `org` in `project`.
    pub async fn plan_image_bytes(
        &self,
        org: OrgId,
        project: keel_domain::ProjectId,
        image: i64,
    ) -> StoreResult<Option<(String, Vec<u8>)>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, (String, Vec<u8>)>(
                "SELECT i.content_type, i.bytes FROM plan_post_images i JOIN plan_posts p ON p.id = i.post_id
                 WHERE i.id = $1 AND p.org_id = $2 AND p.project_id = $3",
            )
            .bind(image)
            .bind(org.0)
            .bind(project.0)
            .fetch_optional(p)
            .await
        })?)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn images_become_jpegs_for_instagram() {
        let picture = image::RgbaImage::from_fn(8, 6, |x, _| image::Rgba([200, 100, 50, if x < 4 { 255 } else { 0 }]));
        let mut png = std::io::Cursor::new(Vec::new());
        picture.write_to(&mut png, image::ImageFormat::Png).unwrap();
        let jpeg = to_jpeg(&png.into_inner()).unwrap();
        assert_eq!(sniff_image(&jpeg), Some("image/jpeg"));
        let back = image::load_from_memory(&jpeg).unwrap().to_rgb8();
        assert_eq!((back.width(), back.height()), (8, 6));
        // Transparent pixels land on white, opaque ones keep their colour (JPEG is lossy).
        assert!(
            back.get_pixel(7, 0).0.iter().all(|&c| c > 230),
            "{:?}",
            back.get_pixel(7, 0)
        );
        assert!(back.get_pixel(0, 0).0[0] > 180 && back.get_pixel(0, 0).0[2] < 80);
        assert!(to_jpeg(b"not an image").is_err());
    }
    use super::*;

    #[test]
    fn images_are_recognized_by_their_first_bytes() {
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff_image(b"RIFF\x10\x00\x00\x00WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff_image(b"GIF89a\x01\x00"), Some("image/gif"));
        assert_eq!(sniff_image(b"<svg xmlns="), None);
        assert_eq!(sniff_image(b"RIFF\x10\x00\x00\x00WAVE"), None);
        assert_eq!(sniff_image(b""), None);
    }
}
