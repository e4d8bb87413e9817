//! Does a file repeat a key? Answered while it streams, so the common case (no repeats)
//! can take PostgreSQL's fast path without a query over the whole file.

use super::DataRow;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, DefaultHasher, Hasher};

/// Keys remembered at most: 2M 64-bit hashes are about 36 MiB. Larger files are checked
/// by the database instead.
const MAX_KEYS: usize = 1 << 21;

/// The hashes of the keys seen so far.
pub(super) struct KeyTracker {
    seen: Option<HashSet<u64, BuildHasherDefault<Identity>>>,
    repeated: bool,
}

impl KeyTracker {
    pub fn new() -> KeyTracker {
        KeyTracker {
            seen: Some(HashSet::default()),
            repeated: false,
        }
    }

    pub fn add<R: DataRow>(&mut self, row: &R) {
        if self.repeated {
            return;
        }
        let Some(seen) = &mut self.seen else { return };
        let mut h = DefaultHasher::new();
        row.hash_key(&mut h);
        // Two keys sharing a hash count as a repeat: that only costs the slower path,
        // which is exact either way.
        if !seen.insert(h.finish()) {
            self.repeated = true;
            self.seen = None;
        } else if seen.len() >= MAX_KEYS {
            self.seen = None;
        }
    }

    /// Whether no key seen so far repeats, for certain.
    pub fn vouches(&self) -> bool {
        self.repeats() == Some(false)
    }

    /// `Some(true)`: a key may repeat; `Some(false)`: none does; `None`: too many to know.
    pub fn repeats(&self) -> Option<bool> {
        match (self.repeated, &self.seen) {
            (true, _) => Some(true),
            (false, Some(_)) => Some(false),
            (false, None) => None,
        }
    }
}

/// The values are hashes already; hashing them again would only cost time.
#[derive(Default)]
pub(super) struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}
