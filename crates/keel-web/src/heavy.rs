//! A bound on the requests that read a whole project at once (the report in every format, the
//! analytics page), so a storm of them cannot take every database connection.
//!
//! One report reads its sections concurrently, each on a connection of its own (four at
//! most), and its post list keeps one until the last row is sent. Sixty-four reports at once
//! on a pool of sixteen left each holding some connections while waiting for more: every
//! report failed, and `/healthz` and other people's cheap requests waited ten seconds for a
//! connection. Here at most [`HeavyGate::permits`] such requests run per instance, sized so
//! their connections leave [`RESERVED_CONNECTIONS`] for everything else; the rest queue, and
//! past [`MAX_WAIT`] or [`MAX_QUEUE`] are told to come back (503 with `Retry-After`) rather
//! than left to stall. A permit is held until the response body is sent or dropped.

use crate::{AppState, WebError};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Connections one heavy request may hold at once (the report's concurrent sections).
pub const CONNECTIONS_PER_REQUEST: u32 = 4;
/// Connections kept for everything else: logins, pages, `/healthz`, background jobs.
pub const RESERVED_CONNECTIONS: u32 = 4;
/// How long a heavy request waits for its turn before it is told to come back.
pub const MAX_WAIT: Duration = Duration::from_secs(30);
/// Heavy requests allowed to wait at once; more are told to come back at once.
pub const MAX_QUEUE: usize = 512;

/// The per-instance bound.
#[derive(Debug)]
pub struct HeavyGate {
    permits: Arc<Semaphore>,
    size: usize,
    waiting: AtomicUsize,
}

impl HeavyGate {
    /// A gate sized for a pool of `pool_size` connections (at least two heavy requests run).
    pub fn for_pool(pool_size: u32) -> HeavyGate {
        let size = (pool_size.saturating_sub(RESERVED_CONNECTIONS) / CONNECTIONS_PER_REQUEST).max(2) as usize;
        HeavyGate {
            permits: Arc::new(Semaphore::new(size)),
            size,
            waiting: AtomicUsize::new(0),
        }
    }

    /// How many heavy requests may run at once.
    pub fn permits(&self) -> usize {
        self.size
    }

    pub(crate) async fn enter(&self) -> Result<tokio::sync::OwnedSemaphorePermit, WebError> {
        if let Ok(permit) = self.permits.clone().try_acquire_owned() {
            return Ok(permit);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_QUEUE {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(busy());
        }
        let permit = tokio::time::timeout(MAX_WAIT, self.permits.clone().acquire_owned()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        match permit {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(busy()),
        }
    }
}

fn busy() -> WebError {
    WebError::Busy {
        message: "the server is busy computing other reports; try again in a few seconds".into(),
        retry_after: 5,
    }
}

/// Whether a route reads a whole project at once on every request. The analytics page and
/// the report JSON (API and download) are not gated here: they are usually answered from
/// the cache of computed figures (`analytics::cache`), and take a permit themselves
/// ([`HeavyGate::enter`]) only when they compute.
pub fn is_heavy(path: &str) -> bool {
    path.ends_with("/report.csv") || path.ends_with("/report.html")
}

/// Middleware for heavy routes: waits for a permit and keeps it until the body is done.
pub async fn gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let permit = match state.heavy.enter().await {
        Ok(permit) => permit,
        Err(e) => return e.into_response(),
    };
    let response = next.run(request).await;
    let (parts, body) = response.into_parts();
    let stream = body.into_data_stream().map(move |chunk| {
        // The permit lives as long as the stream: released when the last byte is sent or
        // the client goes away.
        let _held = &permit;
        chunk
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heavy_requests_leave_connections_for_the_rest() {
        assert_eq!(HeavyGate::for_pool(16).permits(), 3);
        assert_eq!(HeavyGate::for_pool(32).permits(), 7);
        assert_eq!(HeavyGate::for_pool(8).permits(), 2);
        assert!(is_heavy("/projects/{slug}/report.csv") && is_heavy("/projects/{slug}/report.html"));
        // Gated inside, only when they compute.
        assert!(!is_heavy("/api/v1/projects/{slug}/report") && !is_heavy("/projects/{slug}/analytics"));
        assert!(!is_heavy("/api/v1/projects/{slug}/posts"));
    }
}
