//! When to try a call again, as a pure decision.
//!
//! [`decide`] maps (what failed, which attempt, what kind of action) to "retry after d" or "give
//! up". It does no I/O and reads no clock; the jitter is an input. The rules:
//!
//! - throttling (`RequestLimitExceeded*`, HTTP 429), transient server errors (`InternalError*`,
//!   `ServiceUnavailable`, HTTP 5xx), connection failures and timeouts are retried for reads;
//! - a write or money-moving action is retried only when the request certainly never left the
//!   client (the connection could not be made), so it can never be applied twice;
//! - `AuthFailure.SignatureExpire` is retried once, at once, after the client corrects its clock
//!   from the server's `Date` header; for reads only (see below);
//! - authentication, parameter and permission errors are never retried;
//! - backoff is exponential with full jitter, capped, and a [`RetryBudget`] shared by the client
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

use crate::action::ActionKind;
use crate::error::{Error, ErrorCode, TimeoutKind, TransportPhase};

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

    /// Whether retries draw on the client's shared [`RetryBudget`] (on by default).
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

/// What went wrong, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// The server refused for quota reasons; nothing was executed.
    Throttled,
    /// A transient server-side failure (5xx, `InternalError*`).
    Transient,
    /// The connection could not be made: the request never left.
    Connect,
    /// The attempt timed out after the request may have been sent.
    Timeout,
    /// The connection failed after the request was sent.
    Interrupted,
    /// The server rejected the timestamp (`AuthFailure.SignatureExpire`).
    ClockSkew,
    /// Anything that repeating will not fix.
    Permanent,
}

/// Codes that say the request itself is wrong or not allowed: authentication, parameters and
/// permissions. Repeating it cannot help, whatever HTTP status came with it.
fn is_caller_error(code: &ErrorCode) -> bool {
    let c = code.as_str();
    code.is_auth()
        || ["InvalidParameter", "MissingParameter", "UnknownParameter", "UnauthorizedOperation", "InvalidAction"]
            .iter()
            .any(|p| c.starts_with(p))
        || matches!(c, "OperationDenied" | "IpInBlacklist" | "IpNotInWhitelist" | "InvalidRequest")
}

/// Classify an error for [`decide`]: service errors by [`classify_code`]; a non-JSON answer by
/// its HTTP status (429 throttled, 5xx transient); a failed connection as [`Failure::Connect`];
/// a connection lost after sending as [`Failure::Interrupted`]; an attempt timeout as
/// [`Failure::Timeout`] (a connect timeout as [`Failure::Connect`]); everything else (a 200 that
/// does not decode, a deadline, credentials, an invalid request) as [`Failure::Permanent`].
pub fn classify(err: &Error) -> Failure {
    match err {
        Error::Service(s) => classify_code(&s.code, s.http_status),
        Error::Decode(d) if d.status == 429 => Failure::Throttled,
        Error::Decode(d) if d.status >= 500 => Failure::Transient,
        Error::Transport(t) if t.phase == TransportPhase::Connect => Failure::Connect,
        Error::Transport(_) => Failure::Interrupted,
        // The request reached something that answered: it may have been executed, and the
        // answer is not the billing API's. Repeating it would only reach the same thing again.
        Error::Redirect(_) => Failure::Permanent,
        Error::Timeout(t) if t.kind == TimeoutKind::Connect => Failure::Connect,
        Error::Timeout(t) if t.kind == TimeoutKind::Attempt => Failure::Timeout,
        _ => Failure::Permanent,
    }
}

/// Classify a service error (`Response.Error`) by its code and the HTTP status it came with.
///
/// `AuthFailure.SignatureExpire` is [`Failure::ClockSkew`]; every `RequestLimitExceeded*` code
/// (documented or not) is [`Failure::Throttled`]; authentication, parameter and permission codes
/// are [`Failure::Permanent`] whatever the status; then HTTP 429 is throttling, and the
/// transient codes (`InternalError*`, `ServiceUnavailable`, the "try later" `FailedOperation`s)
/// or a 5xx status are [`Failure::Transient`].
///
/// ```
/// use tencentcloud_billing::ErrorCode;
/// use tencentcloud_billing::retry::{Failure, classify_code};
/// assert_eq!(classify_code(&ErrorCode::from("RequestLimitExceeded.UinLimitExceeded"), 200), Failure::Throttled);
/// assert_eq!(classify_code(&ErrorCode::from("InternalError.DbOperatError"), 200), Failure::Transient);
/// assert_eq!(classify_code(&ErrorCode::from("AuthFailure.SignatureFailure"), 500), Failure::Permanent);
/// ```
pub fn classify_code(code: &ErrorCode, http_status: u16) -> Failure {
    if *code == ErrorCode::AuthFailureSignatureExpire {
        Failure::ClockSkew
    } else if code.is_throttling() {
        Failure::Throttled
    } else if is_caller_error(code) {
        Failure::Permanent
    } else if http_status == 429 {
        Failure::Throttled
    } else if code.is_retryable() || http_status >= 500 {
        Failure::Transient
    } else {
        Failure::Permanent
    }
}

/// The outcome of [`decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Sleep this long, then try again (re-signed, with a fresh quota permit).
    RetryAfter(Duration),
    /// Return the error.
    GiveUp,
}

/// Decide whether to retry after attempt number `attempt` (1-based) failed with `failure`.
///
/// `jitter` is a number in `[0, 1)`; the client draws it from a per-client generator.
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_billing::ActionKind;
/// use tencentcloud_billing::retry::{Decision, Failure, RetryConfig, decide};
/// let cfg = RetryConfig::standard();
/// // A throttled read is retried after a jittered backoff: half of the 500 ms ceiling here.
/// assert_eq!(decide(Failure::Throttled, 1, ActionKind::Read, &cfg, 0.5), Decision::RetryAfter(Duration::from_millis(250)));
/// // A payment that may have reached the server is never sent again.
/// assert_eq!(decide(Failure::Transient, 1, ActionKind::Money, &cfg, 0.5), Decision::GiveUp);
/// // One that certainly did not (the connection failed) is.
/// assert!(matches!(decide(Failure::Connect, 1, ActionKind::Money, &cfg, 0.5), Decision::RetryAfter(_)));
/// ```
pub fn decide(failure: Failure, attempt: u32, kind: ActionKind, cfg: &RetryConfig, jitter: f64) -> Decision {
    if attempt >= cfg.max_attempts {
        return Decision::GiveUp;
    }
    let safe = match failure {
        Failure::Permanent => false,
        // Never sent: safe for every kind of action.
        Failure::Connect => true,
        // Everything else may have reached the server: only reads are repeated.
        _ => kind.is_idempotent(),
    };
    if !safe {
        return Decision::GiveUp;
    }
    match failure {
        Failure::ClockSkew => Decision::RetryAfter(Duration::ZERO),
        _ => Decision::RetryAfter(cfg.backoff(attempt, jitter)),
    }
}

/// A token bucket that caps retries across all calls of a client, so that an endpoint failing for
/// everyone is not hit with a storm of retries: each retry costs tokens, each success returns one.
#[derive(Debug, Clone)]
pub struct RetryBudget {
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
    pub const CAPACITY: u32 = 500;
    /// Tokens a retry costs.
    pub const RETRY_COST: u32 = 5;
    /// Tokens a retry after a timeout costs (timeouts are the most expensive to repeat).
    pub const TIMEOUT_RETRY_COST: u32 = 10;

    /// A full bucket of `capacity` tokens.
    pub fn new(capacity: u32) -> Self {
        RetryBudget { tokens: capacity, capacity }
    }

    /// Take the cost of retrying after `failure`; `false` when the budget is spent. Clock-skew
    /// corrections are free: they are a one-off fix, not a symptom of overload.
    pub fn try_withdraw(&mut self, failure: Failure) -> bool {
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
    pub fn deposit(&mut self) {
        self.tokens = (self.tokens + 1).min(self.capacity);
    }

    /// Tokens left.
    pub fn tokens(&self) -> u32 {
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
    pub(crate) fn next(&self) -> f64 {
        use std::sync::atomic::Ordering;
        let mut x = self.0.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0.store(x, Ordering::Relaxed);
        (x >> 11) as f64 / (1u64 << 53) as f64
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

    #[test]
    fn reads_retry_every_transient_failure() {
        for f in [Throttled, Transient, Connect, Timeout, Interrupted] {
            assert!(matches!(decide(f, 1, Read, &cfg(), 0.5), Decision::RetryAfter(_)), "{f:?}");
        }
        assert_eq!(decide(ClockSkew, 1, Read, &cfg(), 0.5), Decision::RetryAfter(Duration::ZERO));
        assert_eq!(decide(Permanent, 1, Read, &cfg(), 0.5), Decision::GiveUp);
    }

    #[test]
    fn writes_and_money_retry_only_when_never_sent() {
        for kind in [Write, Money] {
            assert!(matches!(decide(Connect, 1, kind, &cfg(), 0.5), Decision::RetryAfter(_)));
            for f in [Throttled, Transient, Timeout, Interrupted, ClockSkew, Permanent] {
                assert_eq!(decide(f, 1, kind, &cfg(), 0.5), Decision::GiveUp, "{kind:?} {f:?}");
            }
        }
    }

    #[test]
    fn attempts_are_capped() {
        assert!(matches!(decide(Throttled, 2, Read, &cfg(), 0.5), Decision::RetryAfter(_)));
        assert_eq!(decide(Throttled, 3, Read, &cfg(), 0.5), Decision::GiveUp);
        assert_eq!(decide(Connect, 1, Read, &RetryConfig::disabled(), 0.5), Decision::GiveUp);
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

    fn service(code: &str, status: u16) -> Error {
        Error::Service(Box::new(crate::error::ServiceError {
            action: "T",
            code: ErrorCode::from(code),
            message: String::new(),
            request_id: Some("r".into()),
            http_status: status,
        }))
    }

    fn decode(status: u16) -> Error {
        Error::Decode(Box::new(crate::error::DecodeError {
            action: "T",
            status,
            request_id: None,
            reason: String::new(),
            body_snippet: String::new(),
            source: None,
        }))
    }

    #[test]
    fn every_throttling_code_and_429_is_throttled() {
        for code in [
            "RequestLimitExceeded",
            "RequestLimitExceeded.UinLimitExceeded",
            "RequestLimitExceeded.IPLimitExceeded",
            "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
            "RequestLimitExceeded.SomeFutureSubCode",
        ] {
            assert_eq!(classify(&service(code, 200)), Throttled, "{code}");
        }
        assert_eq!(classify(&decode(429)), Throttled);
        assert_eq!(classify(&service("FailedOperation", 429)), Throttled);
    }

    #[test]
    fn transient_codes_and_5xx_are_transient() {
        for code in [
            "InternalError",
            "InternalError.DbOperatError",
            "InternalError.GatewayError",
            "InternalError.InternalError",
            "InternalError.UnknownError",
            "InternalError.SomethingNew",
            "ServiceUnavailable",
            "FailedOperation.QueryDBFailed",
            "FailedOperation.SummaryDataNotReady",
        ] {
            assert_eq!(classify(&service(code, 200)), Transient, "{code}");
        }
        for status in [500, 502, 503, 504] {
            assert_eq!(classify(&decode(status)), Transient, "{status}");
            assert_eq!(classify(&service("FailedOperation", status)), Transient, "{status}");
        }
    }

    #[test]
    fn auth_parameter_and_permission_errors_are_never_retried() {
        for code in [
            "AuthFailure.SignatureFailure",
            "AuthFailure.SecretIdNotFound",
            "AuthFailure.TokenFailure",
            "AuthFailure.UnauthorizedOperation",
            "AuthFailure.InvalidSecretId",
            "InvalidParameter",
            "InvalidParameter.ParamCheckFailed",
            "InvalidParameterValue",
            "MissingParameter",
            "UnknownParameter",
            "UnauthorizedOperation",
            "UnauthorizedOperation.CamNoAuth",
            "OperationDenied",
            "IpNotInWhitelist",
            "InvalidAction",
            "FailedOperation.BalanceInsufficient",
        ] {
            // Even when a gateway wraps them in a 5xx.
            for status in [200, 500, 503] {
                let f = classify(&service(code, status));
                assert!(
                    f == Permanent || (code == "FailedOperation.BalanceInsufficient" && status >= 500),
                    "{code} {status}: {f:?}"
                );
                for kind in [Read, Write, Money] {
                    if f == Permanent {
                        assert_eq!(decide(f, 1, kind, &cfg(), 0.5), Decision::GiveUp);
                    }
                }
            }
        }
        assert_eq!(classify(&service("AuthFailure.SignatureExpire", 200)), ClockSkew);
        assert_eq!(classify(&decode(200)), Permanent, "a 200 that does not decode is not retried");
        assert_eq!(classify(&decode(404)), Permanent);
    }

    #[test]
    fn network_failures_and_timeouts() {
        use crate::error::{TimeoutError, TransportError};
        let transport = |phase| Error::Transport(Box::new(TransportError { action: "T", phase, source: None }));
        let timeout = |kind| Error::Timeout(Box::new(TimeoutError { action: "T", kind, after: Duration::ZERO }));
        assert_eq!(classify(&transport(TransportPhase::Connect)), Connect);
        assert_eq!(classify(&transport(TransportPhase::Request)), Interrupted);
        assert_eq!(classify(&transport(TransportPhase::Body)), Interrupted);
        assert_eq!(classify(&timeout(TimeoutKind::Connect)), Connect);
        assert_eq!(classify(&timeout(TimeoutKind::Attempt)), Timeout);
        assert_eq!(classify(&timeout(TimeoutKind::Deadline)), Permanent);
        assert_eq!(classify(&Error::credentials("x", None)), Permanent);
        assert_eq!(classify(&Error::invalid_request("T", "x")), Permanent);
        // Timeouts are retried for reads only; a failed connection for everything.
        assert!(matches!(decide(Timeout, 1, Read, &cfg(), 0.5), Decision::RetryAfter(_)));
        assert_eq!(decide(Timeout, 1, Write, &cfg(), 0.5), Decision::GiveUp);
        assert!(matches!(decide(Connect, 2, Money, &cfg(), 0.5), Decision::RetryAfter(_)));
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
