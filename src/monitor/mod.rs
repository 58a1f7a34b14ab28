//! Balance monitoring: typed events when the balance runs low, the account goes overdue, credit
//! runs out or funds are frozen, with product suspension deadlines, runway forecasts and alert
//! sinks.
//!
//! The parts:
//!
//! - [`BalanceSnapshot`] reads a `DescribeAccountBalance` answer and defines what "available"
//!   means for cash and credit accounts.
//! - [`MonitorConfig`] and [`MonitorState::step`] decide, as a pure function of (previous state,
//!   observation, now), which [`Event`]s to raise: with hysteresis on the threshold, a debounce
//!   window against the API's lag, and no duplicates.
//! - [`SuspensionPolicy`] turns "overdue since" into per-product suspension and data-loss
//!   deadlines (API Gateway and eKYC are built in).
//! - [`BalanceMonitor`] polls, keeps a history, and yields an [`EventStream`].
//! - [`RunwayInput`] forecasts the burn, the run-out date and the top-up needed.
//! - [`AlertSink`]s deliver events: [`WebhookSink`], [`ChatSink`], [`TracingSink`], [`FanOut`].
//! - [`balance_alarm`] and [`set_balance_alarm`] read and set Tencent's own balance alarm (China
//!   site).
//!
//! # Events
//!
//! | event | raised when | cleared by |
//! |---|---|---|
//! | [`Event::LowBalance`] | available < threshold | available > threshold + margin ([`Event::Recovered`]) |
//! | [`Event::Overdue`] | `OweAmount > 0` | `OweAmount` back to zero |
//! | [`Event::CreditExhausted`] | a credit account's available ≤ 0 | available > 0 |
//! | [`Event::FundsFrozen`] | `FreezeAmount > 0` | `FreezeAmount` back to zero |
//! | [`Event::Unreachable`] | N polls in a row failed | [`Event::Reachable`] on the next success |
//!
//! A condition (or its clearing) must be seen for the whole debounce window, across polls,
//! before it is reported: a dip that reverses within the window raises nothing.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use tencentcloud_billing::money::Cents;
//! use tencentcloud_billing::monitor::{BalanceSnapshot, Event, MonitorConfig, MonitorState, Observation};
//! use tencentcloud_billing::datetime::parse_beijing;
//!
//! let config = MonitorConfig::new(Cents::from(50_000)).debounce(Duration::ZERO);
//! let t = parse_beijing("2026-11-24 09:00:00")?;
//! let low = Observation::Balance(BalanceSnapshot::cash_account(Cents::from(42_000)));
//! let (state, events) = MonitorState::default().step(&config, &low, t);
//! assert!(matches!(events[..], [Event::LowBalance { .. }]));
//! // Still low: nothing new.
//! let (_, events) = state.step(&config, &low, t + time::Duration::minutes(5));
//! assert!(events.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod alarm;
mod policy;
mod poller;
pub mod runway;
mod sink;
mod snapshot;
mod state;

pub use alarm::{BalanceAlarm, balance_alarm, set_balance_alarm};
pub use policy::{Deadline, LATEST_DEADLINE, SuspensionPolicy, SuspensionRule};
pub use poller::{
    BalanceMonitor, BalanceMonitorBuilder, BalanceSource, Clock, DEFAULT_HISTORY, DEFAULT_INTERVAL, EventStream,
    MAX_INTERVAL, MIN_INTERVAL, SourceFuture, SystemClock, TokioClock,
};
pub use runway::{BalancePoint, BurnBasis, BurnEstimate, Confidence, MonthCost, Runway, RunwayInput, RunwayOptions};
pub use sink::{
    AlertSink, ChatFormat, ChatSink, FanOut, SINK_MAX_ATTEMPTS, SINK_MAX_BACKOFF, SinkError, SinkFuture, TracingSink,
    WebhookSink,
};
pub use snapshot::{AccountKind, BalanceSnapshot};
pub use state::{
    Condition, DEFAULT_DEBOUNCE, DEFAULT_UNREACHABLE_AFTER, Event, Health, MonitorConfig, MonitorState, Observation,
};
