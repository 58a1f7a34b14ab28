//! Figures for the [`metrics`](https://docs.rs/metrics) facade (feature `metrics`): every
//! attempt is counted and timed, by action and outcome. Install any recorder (Prometheus,
//! StatsD, …) to collect them; without one, the facade does nothing and costs next to nothing.
//!
//! | name | kind | labels |
//! |---|---|---|
//! | `tencentcloud_billing_attempts_total` | counter | `action`, `outcome` |
//! | `tencentcloud_billing_throttled_total` | counter | `action` |
//! | `tencentcloud_billing_attempt_duration_seconds` | histogram | `action` |
//! | `tencentcloud_billing_quota_wait_seconds` | histogram | `action` |
//!
//! `outcome` is one of the names of [`crate::hook::Outcome`] (`ok`, `throttled`,
//! `service_error`, `transport_error`, `timeout`, …). Labels hold no secret.

use crate::hook::AttemptRecord;

/// Attempts, by action and outcome.
pub const ATTEMPTS_TOTAL: &str = "tencentcloud_billing_attempts_total";
/// Attempts the server refused for quota, by action.
pub const THROTTLED_TOTAL: &str = "tencentcloud_billing_throttled_total";
/// From sending to the last byte of the answer, in seconds, by action.
pub const ATTEMPT_DURATION_SECONDS: &str = "tencentcloud_billing_attempt_duration_seconds";
/// Time spent waiting for a quota permit before an attempt, in seconds, by action.
pub const QUOTA_WAIT_SECONDS: &str = "tencentcloud_billing_quota_wait_seconds";

pub(crate) fn record_attempt(r: &AttemptRecord<'_>) {
    let outcome = r.outcome();
    metrics::counter!(ATTEMPTS_TOTAL, "action" => r.action(), "outcome" => outcome.as_str()).increment(1);
    if outcome.is_throttled() {
        metrics::counter!(THROTTLED_TOTAL, "action" => r.action()).increment(1);
    }
    metrics::histogram!(ATTEMPT_DURATION_SECONDS, "action" => r.action()).record(r.latency().as_secs_f64());
    metrics::histogram!(QUOTA_WAIT_SECONDS, "action" => r.action()).record(r.quota_wait().as_secs_f64());
}
