//! The binary COPY reader on hand-made bytes, cut into chunks at every possible place.

use chrono::{NaiveDate, TimeZone, Utc};

use super::{Rows, SIGNATURE};

/// A stream with one row (`'vk'`, NULL, 42, 2000-01-02 00:00:01 UTC, 2000-01-03) and the
/// end marker, as PostgreSQL writes it.
fn copy_bytes() -> Vec<u8> {
    let mut b = SIGNATURE.to_vec();
    b.extend(0i32.to_be_bytes()); // flags
    b.extend(0i32.to_be_bytes()); // header extension length
    b.extend(5i16.to_be_bytes());
    b.extend(2i32.to_be_bytes());
    b.extend(b"vk");
    b.extend((-1i32).to_be_bytes()); // NULL
    b.extend(8i32.to_be_bytes());
    b.extend(42i64.to_be_bytes());
    b.extend(8i32.to_be_bytes());
    b.extend((86_400_000_000i64 + 1_000_000).to_be_bytes()); // 1 day 1 s after 2000-01-01
    b.extend(4i32.to_be_bytes());
    b.extend(2i32.to_be_bytes()); // 2 days after 2000-01-01
    b.extend((-1i16).to_be_bytes());
    b
}

#[tokio::test]
async fn rows_whatever_the_chunks() {
    let bytes = copy_bytes();
    for cut in 1..bytes.len() {
        let chunks: Vec<sqlx::Result<Vec<u8>>> = vec![Ok(bytes[..cut].to_vec()), Ok(bytes[cut..].to_vec())];
        let mut rows = Rows::new(futures_util::stream::iter(chunks));
        let mut row = rows.next_row().await.unwrap().expect("one row");
        assert_eq!(row.str().unwrap(), "vk");
        assert_eq!(row.int8().unwrap(), None);
        assert_eq!(row.int8().unwrap(), Some(42));
        assert_eq!(
            row.timestamptz().unwrap(),
            Utc.with_ymd_and_hms(2000, 1, 2, 0, 0, 1).unwrap()
        );
        assert_eq!(row.date().unwrap(), NaiveDate::from_ymd_opt(2000, 1, 3).unwrap());
        assert!(row.int8().is_err(), "no sixth field");
        assert!(rows.next_row().await.unwrap().is_none(), "cut at {cut}");
    }
}

#[tokio::test]
async fn a_truncated_stream_is_an_error() {
    let bytes = copy_bytes();
    let chunks: Vec<sqlx::Result<Vec<u8>>> = vec![Ok(bytes[..bytes.len() - 3].to_vec())];
    let mut rows = Rows::new(futures_util::stream::iter(chunks));
    let first = rows.next_row().await;
    assert!(first.is_err(), "the row is cut short");
}
