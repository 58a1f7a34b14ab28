//! Fresh idempotency tokens for the actions that take a `ClientToken`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

/// A token unique to this call: 128 bits from the operating system's random source, as 32
/// lowercase hex digits (within the documented 64-character limit).
///
/// Random rather than derived from the clock and the process: in containers the process id is
/// often 1 and clocks can be coarse, so two machines could otherwise send the same token and
/// Tencent would take two different orders for one. Should the random source fail (it does not on
/// any supported platform), the token is a SHA-256 of the clock, the process, the thread and a
/// process-wide counter: unique within the process, and still unlikely to meet another's.
pub(crate) fn client_token() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::getrandom(&mut bytes).is_err() {
        bytes = fallback();
    }
    hex::encode(bytes)
}

fn fallback() -> [u8; 16] {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let mut h = Sha256::new();
    h.update(nanos.to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    h.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    h.update(format!("{:?}", std::thread::current().id()).as_bytes());
    let digest = h.finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn well_formed(t: &str) -> bool {
        t.len() == 32 && t.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    }

    /// A million tokens drawn by eight threads at once: no two alike, each 32 hex digits.
    #[test]
    fn a_million_tokens_from_several_threads_are_all_different() {
        let threads: Vec<_> =
            (0..8).map(|_| std::thread::spawn(|| (0..125_000).map(|_| client_token()).collect::<Vec<_>>())).collect();
        let mut seen = HashSet::with_capacity(1_000_000);
        for t in threads {
            for token in t.join().unwrap() {
                assert!(well_formed(&token), "{token:?}");
                assert!(seen.insert(token), "a token came twice");
            }
        }
        assert_eq!(seen.len(), 1_000_000);
    }

    /// Nothing of the clock or the process shows in a token: two tokens drawn back to back share
    /// no long common prefix (the old scheme shared its first 20 or so digits).
    #[test]
    fn tokens_carry_no_clock_or_process_prefix() {
        let shared = |a: &str, b: &str| a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
        let longest = (0..1000).map(|_| shared(&client_token(), &client_token())).max().unwrap();
        assert!(longest < 12, "tokens share {longest} leading digits");
        let pid = format!("{:08x}", std::process::id());
        assert!((0..100).all(|_| !client_token().contains(&pid) || pid == "00000000"));
    }

    #[test]
    fn the_fallback_is_well_formed_and_unique_within_the_process() {
        let tokens: HashSet<String> = (0..10_000).map(|_| hex::encode(fallback())).collect();
        assert_eq!(tokens.len(), 10_000);
        assert!(tokens.iter().all(|t| well_formed(t)));
    }
}
