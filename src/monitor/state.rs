//! The monitor's decision logic: a pure function from (previous state, observation, now) to
//! (next state, events). No clock, no I/O.

use std::fmt;
use std::time::Duration;

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::policy::{Deadline, SuspensionPolicy};
use super::snapshot::{AccountKind, BalanceSnapshot};
use crate::datetime::{BEIJING, format_beijing};
use crate::money::{Cents, Decimal};

/// The default debounce: a condition must hold this long before it is reported.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_secs(5 * 60);
/// The default number of consecutive failed polls before [`Event::Unreachable`].
pub const DEFAULT_UNREACHABLE_AFTER: u32 = 3;

/// What the monitor watches for, and how patiently.
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_billing::money::Cents;
/// use tencentcloud_billing::monitor::{MonitorConfig, SuspensionPolicy};
///
/// let config = MonitorConfig::new(Cents::from(50_000)) // alert below 500.00
///     .margin(Cents::from(10_000))                      // re-arm above 600.00
///     .debounce(Duration::from_secs(600))
///     .policy(SuspensionPolicy::after_grace("CVM", Duration::from_secs(3600)));
/// assert_eq!(config.policies().len(), 3); // the two built-in policies and CVM
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitorConfig {
    threshold: Cents,
    margin: Cents,
    debounce: Duration,
    unreachable_after: u32,
    policies: Vec<SuspensionPolicy>,
}

impl MonitorConfig {
    /// Alert when the available balance falls below `threshold` (cents). The margin defaults to
    /// 10% of the threshold, the debounce to [`DEFAULT_DEBOUNCE`], and the policies to
    /// [`SuspensionPolicy::builtin`].
    pub fn new(threshold: Cents) -> Self {
        MonitorConfig {
            threshold,
            margin: Cents::new((threshold.amount() / Decimal::TEN).round_dp(0).abs()),
            debounce: DEFAULT_DEBOUNCE,
            unreachable_after: DEFAULT_UNREACHABLE_AFTER,
            policies: SuspensionPolicy::builtin(),
        }
    }

    /// Hysteresis: after a low-balance alert, the alert re-arms only once the available balance
    /// rises above threshold + margin. Negative margins are treated as zero.
    pub fn margin(mut self, margin: Cents) -> Self {
        self.margin = margin.max(Cents::ZERO);
        self
    }

    /// How long a condition (or its clearing) must persist, across observations, before it is
    /// reported. Zero reports on the first observation; any length is accepted (one longer than
    /// the calendar never reports).
    pub fn debounce(mut self, debounce: Duration) -> Self {
        self.debounce = debounce;
        self
    }

    /// Report [`Event::Unreachable`] after this many consecutive failed polls (at least 1).
    pub fn unreachable_after(mut self, failures: u32) -> Self {
        self.unreachable_after = failures.max(1);
        self
    }

    /// Add a product policy.
    pub fn policy(mut self, policy: SuspensionPolicy) -> Self {
        self.policies.push(policy);
        self
    }

    /// Replace all policies, the built-in ones included.
    pub fn policies_replaced(mut self, policies: Vec<SuspensionPolicy>) -> Self {
        self.policies = policies;
        self
    }

    /// The low-balance threshold, in cents.
    pub fn threshold(&self) -> Cents {
        self.threshold
    }

    /// The re-arm margin, in cents.
    pub fn hysteresis_margin(&self) -> Cents {
        self.margin
    }

    /// The debounce window.
    pub fn debounce_window(&self) -> Duration {
        self.debounce
    }

    /// Consecutive failures before the monitor reports the API unreachable.
    pub fn failures_before_unreachable(&self) -> u32 {
        self.unreachable_after
    }

    /// The product policies.
    pub fn policies(&self) -> &[SuspensionPolicy] {
        &self.policies
    }

    /// The deadlines of every policy for an account overdue since `since`.
    pub fn deadlines(&self, since: OffsetDateTime) -> Vec<Deadline> {
        self.policies.iter().map(|p| p.deadline(since)).collect()
    }

    /// Judge one snapshot on its own, with no debounce or history: what a single check (a cron
    /// job) reports.
    pub fn assess(&self, snapshot: &BalanceSnapshot) -> Health {
        if snapshot.is_overdue() {
            Health::Overdue
        } else if snapshot.is_credit_exhausted() || snapshot.available() < self.threshold {
            Health::Low
        } else {
            Health::Healthy
        }
    }
}

/// The verdict on a single snapshot; see [`MonitorConfig::assess`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Health {
    /// Above the threshold and nothing owed.
    Healthy,
    /// Below the threshold, or out of credit, but nothing owed.
    Low,
    /// Money is owed.
    Overdue,
}

impl Health {
    /// The conventional exit code for scripts: 0 healthy, 1 low, 2 overdue.
    pub fn exit_code(&self) -> u8 {
        match self {
            Health::Healthy => 0,
            Health::Low => 1,
            Health::Overdue => 2,
        }
    }
}

/// A condition the monitor tracks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Condition {
    /// The available balance is below the threshold.
    LowBalance,
    /// Money is owed.
    Overdue,
    /// A credit account has no credit left.
    CreditExhausted,
    /// Part of the balance is frozen.
    FundsFrozen,
}

impl Condition {
    /// A short stable name: `low_balance`, `overdue`, `credit_exhausted`, `funds_frozen`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Condition::LowBalance => "low_balance",
            Condition::Overdue => "overdue",
            Condition::CreditExhausted => "credit_exhausted",
            Condition::FundsFrozen => "funds_frozen",
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Condition::LowBalance => "low balance",
            Condition::Overdue => "overdue",
            Condition::CreditExhausted => "credit exhausted",
            Condition::FundsFrozen => "funds frozen",
        })
    }
}

/// Something the monitor reports. Each is raised once per change: a condition is reported when
/// it starts and again ([`Event::Recovered`]) when it ends, never on every poll.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The available balance fell below the threshold.
    #[non_exhaustive]
    LowBalance {
        /// When the monitor reported it.
        at: OffsetDateTime,
        /// The available balance, in cents.
        available: Cents,
        /// The threshold, in cents.
        threshold: Cents,
        /// Cash or credit account (which decides what "available" means).
        kind: AccountKind,
    },
    /// The account owes money (`OweAmount > 0`).
    #[non_exhaustive]
    Overdue {
        /// When the monitor reported it.
        at: OffsetDateTime,
        /// When the monitor first saw money owed. The account may have gone overdue earlier
        /// (before the monitor started, or by the API's lag), so deadlines may come sooner.
        first_seen: OffsetDateTime,
        /// The amount owed, in cents.
        owed: Cents,
        /// Per configured product policy, when suspension is expected and data is at risk.
        deadlines: Vec<Deadline>,
    },
    /// A credit account has no credit left.
    #[non_exhaustive]
    CreditExhausted {
        /// When the monitor reported it.
        at: OffsetDateTime,
        /// The credit limit, in cents.
        credit_limit: Cents,
        /// The available credit, in cents (zero or below).
        available: Cents,
    },
    /// Part of the balance is frozen.
    #[non_exhaustive]
    FundsFrozen {
        /// When the monitor reported it.
        at: OffsetDateTime,
        /// The frozen amount, in cents.
        frozen: Cents,
    },
    /// A condition reported earlier has ended.
    #[non_exhaustive]
    Recovered {
        /// When the monitor reported it.
        at: OffsetDateTime,
        /// Which condition ended.
        condition: Condition,
        /// The available balance now, in cents.
        available: Cents,
    },
    /// Polls have failed this many times in a row.
    #[non_exhaustive]
    Unreachable {
        /// When the monitor reported it.
        at: OffsetDateTime,
        /// When the first of the failed polls happened.
        since: OffsetDateTime,
        /// Consecutive failures so far.
        failures: u32,
        /// The last error, as text.
        error: String,
    },
    /// A poll succeeded after [`Event::Unreachable`].
    #[non_exhaustive]
    Reachable {
        /// When the monitor reported it.
        at: OffsetDateTime,
        /// When the outage started (the first failed poll).
        down_since: OffsetDateTime,
    },
}

impl Event {
    /// When the event was raised.
    pub fn at(&self) -> OffsetDateTime {
        match self {
            Event::LowBalance { at, .. }
            | Event::Overdue { at, .. }
            | Event::CreditExhausted { at, .. }
            | Event::FundsFrozen { at, .. }
            | Event::Recovered { at, .. }
            | Event::Unreachable { at, .. }
            | Event::Reachable { at, .. } => *at,
        }
    }

    /// A short stable name: `low_balance`, `overdue`, `credit_exhausted`, `funds_frozen`,
    /// `recovered`, `unreachable`, `reachable`.
    pub fn name(&self) -> &'static str {
        match self {
            Event::LowBalance { .. } => "low_balance",
            Event::Overdue { .. } => "overdue",
            Event::CreditExhausted { .. } => "credit_exhausted",
            Event::FundsFrozen { .. } => "funds_frozen",
            Event::Recovered { .. } => "recovered",
            Event::Unreachable { .. } => "unreachable",
            Event::Reachable { .. } => "reachable",
        }
    }

    /// Whether someone should act: everything but recoveries and reachability.
    pub fn is_alert(&self) -> bool {
        !matches!(self, Event::Recovered { .. } | Event::Reachable { .. })
    }

    /// The event as JSON text, exactly as the webhook sink posts it: an object whose amounts are
    /// decimal strings in the currency unit (`"499.99"`) with the raw cents alongside, and whose
    /// times are RFC 3339 in Beijing time.
    pub fn to_json(&self) -> String {
        self.payload().to_string()
    }

    /// The webhook payload as a JSON value.
    pub(crate) fn payload(&self) -> Value {
        let money = |c: &Cents| json!({ "yuan": yuan_2dp(*c), "cents": c.amount().to_string() });
        let mut v = match self {
            Event::LowBalance { available, threshold, kind, .. } => json!({
                "available": money(available),
                "threshold": money(threshold),
                "account_kind": match kind { AccountKind::Cash => "cash", AccountKind::CreditLimited => "credit" },
            }),
            Event::Overdue { first_seen, owed, deadlines, .. } => json!({
                "first_seen": rfc3339(*first_seen),
                "owed": money(owed),
                "deadlines": deadlines.iter().map(|d| json!({
                    "product": d.product,
                    "suspension": rfc3339(d.suspension),
                    "data_at_risk": d.data_at_risk.map(rfc3339),
                })).collect::<Vec<_>>(),
            }),
            Event::CreditExhausted { credit_limit, available, .. } => {
                json!({ "credit_limit": money(credit_limit), "available": money(available) })
            }
            Event::FundsFrozen { frozen, .. } => json!({ "frozen": money(frozen) }),
            Event::Recovered { condition, available, .. } => {
                json!({ "condition": condition.as_str(), "available": money(available) })
            }
            Event::Unreachable { since, failures, error, .. } => {
                json!({ "since": rfc3339(*since), "failures": failures, "error": error })
            }
            Event::Reachable { down_since, .. } => json!({ "down_since": rfc3339(*down_since) }),
        };
        v["event"] = json!(self.name());
        v["at"] = json!(rfc3339(self.at()));
        v
    }
}

/// One line a person can read, as the chat sink sends it.
impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::LowBalance { available, threshold, kind, .. } => {
                let what = match kind {
                    AccountKind::Cash => "available balance",
                    AccountKind::CreditLimited => "available credit",
                };
                write!(
                    f,
                    "Low balance: {what} {} is below the threshold {}",
                    yuan_2dp(*available),
                    yuan_2dp(*threshold)
                )
            }
            Event::Overdue { first_seen, owed, deadlines, .. } => {
                write!(
                    f,
                    "OVERDUE: the account owes {} (first seen {} Beijing time)",
                    yuan_2dp(*owed),
                    format_beijing(*first_seen)
                )?;
                for d in deadlines {
                    write!(f, "; {} suspended from {}", d.product, format_beijing(d.suspension))?;
                    if let Some(r) = d.data_at_risk {
                        write!(f, ", data at risk from {}", format_beijing(r))?;
                    }
                }
                Ok(())
            }
            Event::CreditExhausted { credit_limit, available, .. } => {
                write!(
                    f,
                    "Credit exhausted: {} available of a {} credit limit",
                    yuan_2dp(*available),
                    yuan_2dp(*credit_limit)
                )
            }
            Event::FundsFrozen { frozen, .. } => {
                write!(f, "Funds frozen: {} of the balance is frozen", yuan_2dp(*frozen))
            }
            Event::Recovered { condition, available, .. } => {
                write!(f, "Recovered from {condition}: available {}", yuan_2dp(*available))
            }
            Event::Unreachable { since, failures, error, .. } => write!(
                f,
                "Billing API unreachable: {failures} failed polls since {} Beijing time ({error})",
                format_beijing(*since)
            ),
            Event::Reachable { down_since, .. } => {
                write!(f, "Billing API reachable again (down since {} Beijing time)", format_beijing(*down_since))
            }
        }
    }
}

/// Cents as a currency amount with exactly two decimal places, for display.
pub(crate) fn yuan_2dp(c: Cents) -> String {
    let y = c.to_yuan().amount().round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    format!("{y:.2}")
}

/// RFC 3339 in Beijing time, e.g. `2026-11-24T17:00:00+08:00`.
pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    let s = format_beijing(t.to_offset(BEIJING));
    format!("{}T{}+08:00", &s[..10], &s[11..])
}

/// What one poll produced.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Observation {
    /// The balance was read.
    Balance(BalanceSnapshot),
    /// The poll failed; the text says why.
    Failed(String),
}

/// A debounced boolean: it flips only when the raw value has disagreed with it for the whole
/// debounce window, across observations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Latch {
    on: bool,
    /// When the raw value first disagreed, in the current run of disagreements.
    pending_since: Option<OffsetDateTime>,
}

impl Latch {
    /// Feed the raw value; returns `Some(new value)` when the latch flips.
    fn feed(&mut self, raw: bool, now: OffsetDateTime, debounce: Duration) -> Option<bool> {
        if raw == self.on {
            self.pending_since = None;
            return None;
        }
        let since = *self.pending_since.get_or_insert(now);
        if now - since >= debounce {
            self.on = raw;
            self.pending_since = None;
            Some(raw)
        } else {
            None
        }
    }
}

/// Everything the monitor remembers between observations. Start from
/// [`MonitorState::default`] and feed observations to [`MonitorState::step`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MonitorState {
    low: Latch,
    overdue: Latch,
    credit: Latch,
    frozen: Latch,
    failures: u32,
    first_failure: Option<OffsetDateTime>,
    unreachable: bool,
    last: Option<BalanceSnapshot>,
    last_seen: Option<OffsetDateTime>,
}

impl MonitorState {
    /// The next state and the events an observation at `now` raises. Pure: the same inputs
    /// always give the same outputs.
    ///
    /// Events of one step come in a fixed order: reachability first, then low balance, credit
    /// exhausted, overdue, frozen funds, then recoveries in the same order.
    pub fn step(
        mut self,
        config: &MonitorConfig,
        observation: &Observation,
        now: OffsetDateTime,
    ) -> (Self, Vec<Event>) {
        let events = self.apply(config, observation, now);
        (self, events)
    }

    /// [`step`](Self::step) in place.
    pub fn apply(&mut self, config: &MonitorConfig, observation: &Observation, now: OffsetDateTime) -> Vec<Event> {
        let mut events = Vec::new();
        let s = match observation {
            Observation::Failed(error) => {
                self.failures += 1;
                let since = *self.first_failure.get_or_insert(now);
                if !self.unreachable && self.failures >= config.unreachable_after {
                    self.unreachable = true;
                    events.push(Event::Unreachable { at: now, since, failures: self.failures, error: error.clone() });
                }
                return events;
            }
            Observation::Balance(s) => s,
        };
        if let Some(down_since) = self.first_failure.take()
            && std::mem::take(&mut self.unreachable)
        {
            events.push(Event::Reachable { at: now, down_since });
        }
        self.failures = 0;

        let available = s.available();
        let debounce = config.debounce;
        // Hysteresis: once low, stay low until clearly above threshold + margin.
        // Saturating: a threshold near the top of the decimal range re-arms at that top.
        let rearm = config.threshold.checked_add(config.margin).unwrap_or(Cents::new(Decimal::MAX));
        let low_raw = if self.low.on { available <= rearm } else { available < config.threshold };
        let low = self.low.feed(low_raw, now, debounce);
        let credit = self.credit.feed(s.is_credit_exhausted(), now, debounce);
        let overdue_pending_before = self.overdue.pending_since;
        let overdue = self.overdue.feed(s.is_overdue(), now, debounce);
        let frozen = self.frozen.feed(s.has_frozen_funds(), now, debounce);

        if low == Some(true) {
            events.push(Event::LowBalance { at: now, available, threshold: config.threshold, kind: s.kind() });
        }
        if credit == Some(true) {
            events.push(Event::CreditExhausted { at: now, credit_limit: s.credit_limit, available });
        }
        if overdue == Some(true) {
            let first_seen = overdue_pending_before.unwrap_or(now);
            events.push(Event::Overdue { at: now, first_seen, owed: s.owed, deadlines: config.deadlines(first_seen) });
        }
        if frozen == Some(true) {
            events.push(Event::FundsFrozen { at: now, frozen: s.frozen });
        }
        for (flip, condition) in [
            (low, Condition::LowBalance),
            (credit, Condition::CreditExhausted),
            (overdue, Condition::Overdue),
            (frozen, Condition::FundsFrozen),
        ] {
            if flip == Some(false) {
                events.push(Event::Recovered { at: now, condition, available });
            }
        }
        self.last = Some(s.clone());
        self.last_seen = Some(now);
        events
    }

    /// The conditions currently reported (raised and not yet recovered).
    pub fn active(&self) -> Vec<Condition> {
        [
            (self.low.on, Condition::LowBalance),
            (self.credit.on, Condition::CreditExhausted),
            (self.overdue.on, Condition::Overdue),
            (self.frozen.on, Condition::FundsFrozen),
        ]
        .into_iter()
        .filter_map(|(on, c)| on.then_some(c))
        .collect()
    }

    /// Whether the monitor currently considers the API unreachable.
    pub fn is_unreachable(&self) -> bool {
        self.unreachable
    }

    /// Consecutive failed polls so far.
    pub fn consecutive_failures(&self) -> u32 {
        self.failures
    }

    /// The last successful snapshot and when it was taken.
    pub fn last_snapshot(&self) -> Option<(&BalanceSnapshot, OffsetDateTime)> {
        self.last.as_ref().zip(self.last_seen)
    }
}
