//! When to try a call again, as a pure decision.
//!
//! [`RetryConfig`] is the user's setting. Inside, `decide` maps everything known after a failed
//! attempt (what failed, which attempt, what kind of action, whether the clock was corrected, the
//! time left, the shared budget) to "retry after d" or "give up". It does no I/O and reads no
//! clock; the jitter is an input. The rules:
//!
//! - throttling (`RequestLimitExceeded*`, HTTP 429), transient server errors (`InternalError*`,
//!   `ServiceUnavailable`, HTTP 5xx), connection failures and timeouts are retried for reads;
//! - a write or money-moving action is retried only when the request certainly never left the
//!   client (the connection could not be made), so it can never be applied twice;
//! - `AuthFailure.SignatureExpire` is retried once, at once, after the client corrects its clock
//!   from the server's `Date` header; for reads only (see below);
//! - authentication, parameter and permission errors are never retried;
//! - backoff is exponential with full jitter, capped, and a retry budget shared by the client
//!   stops retry storms when the endpoint is failing for everyone.
//!
//! Every retry is a new attempt: a fresh quota permit, fresh credentials from the provider, a
//! fresh timestamp and signature. The backoff sleep happens between attempts, so it does not
//! count against the per-attempt timeout; it does count against the call's deadline, and a retry
//! whose backoff would end past the deadline is not made.
//!
//! # Writes and `AuthFailure.SignatureExpire`
//!
//! A write or money-moving action answered with `SignatureExpire` is **not** re-sent, although
//! the server most likely rejected it at authentication, before doing anything. The client still
//! learns the clock offset from that answer, so the caller's own retry (or the next call) is
//! signed with the corrected clock and goes through. The reason: "the request never left the
//! client" is the only condition under which this crate repeats a write, and here the request
//! did reach the server. Whether anything behind Tencent's gateway acts on a request before its
//! signature is checked is not documented, and a doubled payment costs more than one failed call.
//! [`crate::Error::may_have_been_sent`] is true for such an error; read the code to decide.

use std::time::Duration;

use crate::error::Failure;
use crate::protocol::ActionKind;

/// Retry settings. The default is [`RetryConfig::standard`].
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_billing::RetryConfig;
/// let retry = RetryConfig::standard().with_max_attempts(5).with_initial_backoff(Duration::from_millis(100));
/// assert_eq!(retry.max_attempts(), 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    use_budget: bool,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::standard()
    }
}

impl RetryConfig {
    /// 3 attempts, backoff from 500 ms doubling up to 20 s with full jitter, with a retry budget.
    pub fn standard() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            use_budget: true,
        }
    }

    /// One attempt: never retry.
    pub fn disabled() -> Self {
        RetryConfig { max_attempts: 1, ..RetryConfig::standard() }
    }

    /// Total attempts including the first (at least 1).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// The backoff ceiling before jitter for the first retry; it doubles for each later one.
    pub fn with_initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// The largest backoff before jitter.
    pub fn with_max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// Whether retries draw on the client's shared retry budget (on by default).
    pub fn with_budget(mut self, on: bool) -> Self {
        self.use_budget = on;
        self
    }

    /// Total attempts including the first.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The initial backoff.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The backoff cap.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// Whether the retry budget applies.
    pub fn uses_budget(&self) -> bool {
        self.use_budget
    }

    /// The backoff before retry number `retry` (1 for the first retry), given `jitter` in `[0, 1)`:
    /// `jitter × min(max, initial × 2^(retry-1))`.
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let exp = self.initial_backoff.saturating_mul(1u32 << retry.saturating_sub(1).min(20));
        let cap = exp.min(self.max_backoff);
        // `Duration::mul_f64` panics when the product rounds past `Duration::MAX`, which a
        // `Duration::MAX` setting does (it is not exact as an f64): saturate instead.
        Duration::try_from_secs_f64(cap.as_secs_f64() * jitter.clamp(0.0, 1.0)).map_or(cap, |d| d.min(cap))
    }
}

/// Everything known after attempt number `attempt` (1-based) failed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attempted {
    pub(crate) failure: Failure,
    pub(crate) attempt: u32,
    pub(crate) kind: ActionKind,
    /// A clock-skew retry was already spent in this call.
    pub(crate) skew_retried: bool,
    /// This attempt's answer taught the client a corrected clock.
    pub(crate) clock_learnt: bool,
    /// Time left before the call's deadline, if it has one.
    pub(crate) time_left: Option<Duration>,
    /// A number in `[0, 1)` for the backoff's jitter.
    pub(crate) jitter: f64,
}

/// The outcome of [`decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Sleep this long, then try again (re-signed, with a fresh quota permit).
    RetryAfter(Duration),
    /// Return the error, for this reason.
    GiveUp(GiveUp),
}

/// Why a failed call is not tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GiveUp {
    /// Repeating cannot help, or the request may have been executed and the action is not a read.
    NotSafe,
    /// Every allowed attempt was made.
    Attempts,
    /// The backoff would end past the call's deadline: the last real error says more than a
    /// timeout would.
    Deadline,
    /// The client's shared retry budget is spent.
    Budget,
}

/// Decide whether to try again. Every retry rule is a line here, so that the send path only
/// carries out the decision. Takes the retry's cost from `budget` when it says yes.
pub(crate) fn decide(a: &Attempted, cfg: &RetryConfig, budget: &mut RetryBudget) -> Decision {
    if a.attempt >= cfg.max_attempts {
        return Decision::GiveUp(GiveUp::Attempts);
    }
    let failure = match a.failure {
        // Re-signing helps once, and only when the server told us its time.
        Failure::ClockSkew if a.skew_retried || !a.clock_learnt => Failure::Permanent,
        f => f,
    };
    let safe = match failure {
        Failure::Permanent => false,
        // Never sent: safe for every kind of action.
        Failure::Connect => true,
        // Everything else may have reached the server: only reads are repeated.
        _ => a.kind.is_idempotent(),
    };
    if !safe {
        return Decision::GiveUp(GiveUp::NotSafe);
    }
    let delay = match failure {
        Failure::ClockSkew => Duration::ZERO,
        _ => cfg.backoff(a.attempt, a.jitter),
    };
    if a.time_left.is_some_and(|left| delay >= left) {
        return Decision::GiveUp(GiveUp::Deadline);
    }
    if cfg.use_budget && !budget.try_withdraw(failure) {
        return Decision::GiveUp(GiveUp::Budget);
    }
    Decision::RetryAfter(delay)
}

/// A token bucket that caps retries across all calls of a client, so that an endpoint failing for
/// everyone is not hit with a storm of retries: each retry costs tokens, each success returns one.
#[derive(Debug, Clone)]
pub(crate) struct RetryBudget {
    tokens: u32,
    capacity: u32,
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget::new(RetryBudget::CAPACITY)
    }
}

impl RetryBudget {
    /// The default capacity.
    pub(crate) const CAPACITY: u32 = 500;
    /// Tokens a retry costs.
    pub(crate) const RETRY_COST: u32 = 5;
    /// Tokens a retry after a timeout costs (timeouts are the most expensive to repeat).
    pub(crate) const TIMEOUT_RETRY_COST: u32 = 10;

    /// A full bucket of `capacity` tokens.
    pub(crate) fn new(capacity: u32) -> Self {
        RetryBudget { tokens: capacity, capacity }
    }

    /// Take the cost of retrying after `failure`; `false` when the budget is spent. Clock-skew
    /// corrections are free: they are a one-off fix, not a symptom of overload.
    pub(crate) fn try_withdraw(&mut self, failure: Failure) -> bool {
        let cost = match failure {
            Failure::ClockSkew => 0,
            Failure::Timeout => Self::TIMEOUT_RETRY_COST,
            _ => Self::RETRY_COST,
        };
        if self.tokens >= cost {
            self.tokens -= cost;
            true
        } else {
            false
        }
    }

    /// A call succeeded: return one token.
    pub(crate) fn deposit(&mut self) {
        self.tokens = (self.tokens + 1).min(self.capacity);
    }

    /// Tokens left.
    #[cfg(test)]
    pub(crate) fn tokens(&self) -> u32 {
        self.tokens
    }
}

/// A tiny xorshift generator for jitter: no `rand` dependency, seeded per client.
#[derive(Debug)]
pub(crate) struct Jitter(std::sync::atomic::AtomicU64);

impl Jitter {
    pub(crate) fn new() -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        Jitter(std::sync::atomic::AtomicU64::new(seed | 1))
    }

    /// A number in `[0, 1)`.
    ///
    /// The state advances with one atomic read-modify-write, so concurrent callers (throttled
    /// calls retrying at once) each draw a different number instead of reading the same state
    /// and retrying in step.
    pub(crate) fn next(&self) -> f64 {
        use std::sync::atomic::Ordering;
        let step = |mut x: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        // The closure always returns Some, so both arms hold the previous state.
        let previous = match self.0.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |x| Some(step(x))) {
            Ok(x) | Err(x) => x,
        };
        (step(previous) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActionKind::*;
    use Failure::*;

    fn cfg() -> RetryConfig {
        RetryConfig::standard()
    }

    /// Draws from many threads at once are all different: each advances the shared state once.
    #[test]
    fn concurrent_jitter_draws_never_repeat() {
        let jitter = std::sync::Arc::new(Jitter::new());
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let j = std::sync::Arc::clone(&jitter);
                std::thread::spawn(move || (0..20_000).map(|_| j.next().to_bits()).collect::<Vec<_>>())
            })
            .collect();
        let mut seen = std::collections::HashSet::new();
        for t in threads {
            for bits in t.join().unwrap() {
                let v = f64::from_bits(bits);
                assert!((0.0..1.0).contains(&v));
                assert!(seen.insert(bits), "two callers drew the same jitter");
            }
        }
        assert_eq!(seen.len(), 160_000);
    }

    fn attempted(failure: Failure, attempt: u32, kind: ActionKind) -> Attempted {
        Attempted { failure, attempt, kind, skew_retried: false, clock_learnt: true, time_left: None, jitter: 0.5 }
    }

    /// The decision with a full budget.
    fn decide(f: Failure, attempt: u32, kind: ActionKind, cfg: &RetryConfig, jitter: f64) -> Decision {
        super::decide(&Attempted { jitter, ..attempted(f, attempt, kind) }, cfg, &mut RetryBudget::default())
    }

    #[test]
    fn reads_retry_every_transient_failure() {
        for f in [Throttled, Transient, Connect, Timeout, Interrupted] {
            assert!(matches!(decide(f, 1, Read, &cfg(), 0.5), Decision::RetryAfter(_)), "{f:?}");
        }
        assert_eq!(decide(ClockSkew, 1, Read, &cfg(), 0.5), Decision::RetryAfter(Duration::ZERO));
        assert!(matches!(decide(Permanent, 1, Read, &cfg(), 0.5), Decision::GiveUp(GiveUp::NotSafe)));
    }

    #[test]
    fn writes_and_money_retry_only_when_never_sent() {
        for kind in [Write, Money] {
            assert!(matches!(decide(Connect, 1, kind, &cfg(), 0.5), Decision::RetryAfter(_)));
            for f in [Throttled, Transient, Timeout, Interrupted, ClockSkew, Permanent] {
                assert_eq!(decide(f, 1, kind, &cfg(), 0.5), Decision::GiveUp(GiveUp::NotSafe), "{kind:?} {f:?}");
            }
        }
    }

    #[test]
    fn attempts_are_capped() {
        assert!(matches!(decide(Throttled, 2, Read, &cfg(), 0.5), Decision::RetryAfter(_)));
        assert_eq!(decide(Throttled, 3, Read, &cfg(), 0.5), Decision::GiveUp(GiveUp::Attempts));
        assert_eq!(decide(Connect, 1, Read, &RetryConfig::disabled(), 0.5), Decision::GiveUp(GiveUp::Attempts));
    }

    #[test]
    fn clock_skew_is_re_signed_once_and_only_when_the_clock_was_learnt() {
        let mut budget = RetryBudget::default();
        let skew = attempted(ClockSkew, 1, Read);
        assert_eq!(super::decide(&skew, &cfg(), &mut budget), Decision::RetryAfter(Duration::ZERO));
        let again = Attempted { skew_retried: true, ..skew };
        assert_eq!(super::decide(&again, &cfg(), &mut budget), Decision::GiveUp(GiveUp::NotSafe));
        let no_date = Attempted { clock_learnt: false, ..skew };
        assert_eq!(super::decide(&no_date, &cfg(), &mut budget), Decision::GiveUp(GiveUp::NotSafe));
        assert_eq!(budget.tokens(), RetryBudget::CAPACITY, "a skew correction is free");
    }

    #[test]
    fn no_retry_whose_backoff_ends_past_the_deadline_and_none_without_budget() {
        let cfg = RetryConfig::standard().with_initial_backoff(Duration::from_secs(1));
        let mut budget = RetryBudget::default();
        // Jitter 0.5 of a 1 s ceiling: 500 ms.
        let a = Attempted { time_left: Some(Duration::from_millis(500)), ..attempted(Throttled, 1, Read) };
        assert_eq!(super::decide(&a, &cfg, &mut budget), Decision::GiveUp(GiveUp::Deadline));
        assert_eq!(budget.tokens(), RetryBudget::CAPACITY, "nothing spent on a retry not made");
        let a = Attempted { time_left: Some(Duration::from_millis(501)), ..a };
        assert_eq!(super::decide(&a, &cfg, &mut budget), Decision::RetryAfter(Duration::from_millis(500)));
        let mut empty = RetryBudget::new(4);
        assert_eq!(super::decide(&attempted(Transient, 1, Read), &cfg, &mut empty), Decision::GiveUp(GiveUp::Budget));
        let unbudgeted = cfg.clone().with_budget(false);
        assert!(matches!(
            super::decide(&attempted(Transient, 1, Read), &unbudgeted, &mut empty),
            Decision::RetryAfter(_)
        ));
    }

    #[test]
    fn backoff_is_exponential_capped_and_jittered() {
        let c = cfg();
        assert_eq!(c.backoff(1, 1.0), Duration::from_millis(500));
        assert_eq!(c.backoff(2, 1.0), Duration::from_secs(1));
        assert_eq!(c.backoff(3, 1.0), Duration::from_secs(2));
        assert_eq!(c.backoff(10, 1.0), Duration::from_secs(20));
        assert_eq!(c.backoff(40, 1.0), Duration::from_secs(20));
        assert_eq!(c.backoff(2, 0.0), Duration::ZERO);
        assert_eq!(c.backoff(2, 0.25), Duration::from_millis(250));
    }

    #[test]
    fn budget_stops_a_storm_and_refills_on_success() {
        let mut b = RetryBudget::new(12);
        assert!(b.try_withdraw(Throttled));
        assert!(b.try_withdraw(Throttled));
        assert!(!b.try_withdraw(Throttled));
        assert!(b.try_withdraw(ClockSkew));
        for _ in 0..3 {
            b.deposit();
        }
        assert!(b.try_withdraw(Transient));
        assert!(!b.try_withdraw(Timeout));
        for _ in 0..100 {
            b.deposit();
        }
        assert_eq!(b.tokens(), 12);
    }

    #[test]
    fn jitter_is_in_range() {
        let j = Jitter::new();
        for _ in 0..10_000 {
            let v = j.next();
            assert!((0.0..1.0).contains(&v));
        }
    }
}
