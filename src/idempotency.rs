//! Fresh idempotency tokens for the actions that take a `ClientToken`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A token unique to this call: the wall clock in nanoseconds, the process id and a process-wide
/// counter. Two calls in one process never share a token (the counter), and two processes started
/// at the same instant differ by their pid. 48 hex digits, within the documented 64-character limit.
pub(crate) fn client_token() -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{:024x}{:08x}{:016x}", nanos, std::process::id(), n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_short() {
        let a = client_token();
        let b = client_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 48);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    }
}
