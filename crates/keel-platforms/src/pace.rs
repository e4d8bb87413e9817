//! What each platform allows: a per-connection request rate ([`Pace`]) and patience with the
//! platform's own "slow down" answers ([`patiently`]). A connector makes one `Pace` per
//! connection and passes every call through it, so two connections of a project never slow
//! each other down and one connection never exceeds its platform's documented rate.

use crate::failure::{Failure, PlatformError};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// At most `per_second` requests a second, spaced evenly (VK: 3 a second for a user token;
/// amoCRM: 7; Bitrix24: 2, its drain rate). Cheap to clone: clones share the clock.
#[derive(Debug, Clone)]
pub struct Pace {
    interval: Duration,
    next: Arc<Mutex<Option<Instant>>>,
}

impl Pace {
    /// `per_second` requests a second; 0 means no limit (a local server in a benchmark).
    pub fn per_second(per_second: f64) -> Pace {
        let interval = if per_second > 0.0 {
            Duration::from_secs_f64(1.0 / per_second)
        } else {
            Duration::ZERO
        };
        Pace {
            interval,
            next: Arc::new(Mutex::new(None)),
        }
    }

    /// Waits until the next request may go.
    pub async fn wait(&self) {
        if self.interval.is_zero() {
            return;
        }
        let mut next = self.next.lock().await;
        let now = Instant::now();
        let at = next.map_or(now, |n| n.max(now));
        if at > now {
            tokio::time::sleep_until(at).await;
        }
        *next = Some(at + self.interval);
    }
}

/// How many times a call the platform asked to slow down is tried before giving up.
pub const SLOW_DOWN_ATTEMPTS: u32 = 6;

/// Runs `call` (paced) and, when the platform answers "slow down" ([`Failure::RetryLater`]),
/// waits as long as it said (else 1 s, 2 s, 4 s …, at most 60 s) and calls again, up to
/// [`SLOW_DOWN_ATTEMPTS`] times. Any other failure ends it at once.
pub async fn patiently<T, E, F, Fut>(pace: &Pace, mut call: F) -> Result<T, E>
where
    E: PlatformError,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut attempt = 0;
    loop {
        pace.wait().await;
        match call().await {
            Err(e) if attempt + 1 < SLOW_DOWN_ATTEMPTS => match e.failure() {
                Failure::RetryLater { after } => {
                    let wait = after
                        .unwrap_or(Duration::from_secs(1 << attempt))
                        .min(Duration::from_secs(60));
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                _ => return Err(e),
            },
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn requests_are_spaced_at_the_allowed_rate() {
        let pace = Pace::per_second(50.0);
        let start = Instant::now();
        for _ in 0..5 {
            pace.wait().await;
        }
        // The first goes at once, the next four 20 ms apart.
        assert!(start.elapsed() >= Duration::from_millis(80), "{:?}", start.elapsed());
        let free = Pace::per_second(0.0);
        let start = Instant::now();
        for _ in 0..1000 {
            free.wait().await;
        }
        assert!(start.elapsed() < Duration::from_millis(50));
    }
}
