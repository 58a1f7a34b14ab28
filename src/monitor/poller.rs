//! The async shell around the pure state machine: poll, step, queue events, sleep.

use std::collections::VecDeque;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use time::OffsetDateTime;

use super::runway::{BalancePoint, RunwayInput};
use super::snapshot::BalanceSnapshot;
use super::state::{Event, MonitorConfig, MonitorState, Observation};
use crate::client::BillingClient;

/// The default polling interval.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5 * 60);
/// The default number of readings kept for the runway (two weeks at the default interval).
pub const DEFAULT_HISTORY: usize = 14 * 24 * 12;
/// The shortest interval a monitor polls at, whatever it is asked: well within the 20/s quota
/// of `DescribeAccountBalance`, and faster than balances change anyway.
pub const MIN_INTERVAL: Duration = Duration::from_millis(100);
/// The longest interval a monitor polls at, whatever it is asked: a week. Longer values are
/// taken as this, so that the next poll's time can always be computed.
pub const MAX_INTERVAL: Duration = Duration::from_secs(7 * 86_400);

/// The future a [`BalanceSource`] returns.
pub type SourceFuture<'a> =
    Pin<Box<dyn Future<Output = Result<BalanceSnapshot, Box<dyn StdError + Send + Sync>>> + Send + 'a>>;

/// Where balances come from. [`BillingClient`] is one (it calls `DescribeAccountBalance`);
/// tests and other programs can script their own.
pub trait BalanceSource: Send + Sync + fmt::Debug {
    /// Read the balance once.
    fn fetch(&self) -> SourceFuture<'_>;
}

impl BalanceSource for BillingClient {
    fn fetch(&self) -> SourceFuture<'_> {
        Box::pin(async move {
            let r = self.describe_account_balance().send().await?;
            Ok(BalanceSnapshot::from_response(&r))
        })
    }
}

/// The monitor's wall clock, for the times its events carry.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> OffsetDateTime;
}

/// The system clock (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A wall clock driven by tokio's clock: it starts at a given time and advances with
/// `tokio::time`. Under `#[tokio::test(start_paused = true)]` it moves only when tokio's paused
/// clock does, so a test can run days of polling instantly.
#[derive(Debug, Clone, Copy)]
pub struct TokioClock {
    wall: OffsetDateTime,
    start: tokio::time::Instant,
}

impl TokioClock {
    /// A clock reading `wall` now.
    pub fn starting_at(wall: OffsetDateTime) -> Self {
        TokioClock { wall, start: tokio::time::Instant::now() }
    }
}

impl Clock for TokioClock {
    fn now(&self) -> OffsetDateTime {
        // Saturates at the end of the calendar rather than panicking on a far-future start.
        self.wall.saturating_add(time::Duration::try_from(self.start.elapsed()).unwrap_or(time::Duration::MAX))
    }
}

/// Polls the balance and reports [`Event`]s.
///
/// The decisions are made by [`MonitorState::step`], a pure function; the monitor adds the
/// polling, the clock and a history of readings for [`runway`](Self::runway).
///
/// ```no_run
/// use tencentcloud_billing::BillingClient;
/// use tencentcloud_billing::money::Cents;
/// use tencentcloud_billing::monitor::{AlertSink, BalanceMonitor, MonitorConfig, TracingSink};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = BillingClient::from_env()?;
/// let mut events = BalanceMonitor::new(client, MonitorConfig::new(Cents::from(50_000))).into_events();
/// while let Some(event) = events.next().await {
///     TracingSink.send(&event).await?;
/// }
/// # Ok(()) }
/// ```
pub struct BalanceMonitor {
    source: Arc<dyn BalanceSource>,
    config: MonitorConfig,
    state: MonitorState,
    history: VecDeque<BalancePoint>,
    history_limit: usize,
    interval: Duration,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for BalanceMonitor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BalanceMonitor")
            .field("source", &self.source)
            .field("config", &self.config)
            .field("interval", &self.interval)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// Configures a [`BalanceMonitor`].
#[derive(Debug)]
#[must_use]
pub struct BalanceMonitorBuilder {
    source: Arc<dyn BalanceSource>,
    config: MonitorConfig,
    interval: Duration,
    history_limit: usize,
    clock: Arc<dyn Clock>,
}

impl BalanceMonitorBuilder {
    /// How often to poll. Default 5 minutes; clamped to [`MIN_INTERVAL`]..=[`MAX_INTERVAL`].
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// How many readings to keep for the runway. Default [`DEFAULT_HISTORY`].
    pub fn history_limit(mut self, readings: usize) -> Self {
        self.history_limit = readings.max(2);
        self
    }

    /// The clock event times come from. Default [`SystemClock`].
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Build the monitor.
    pub fn build(self) -> BalanceMonitor {
        BalanceMonitor {
            source: self.source,
            config: self.config,
            state: MonitorState::default(),
            history: VecDeque::new(),
            history_limit: self.history_limit,
            interval: self.interval.clamp(MIN_INTERVAL, MAX_INTERVAL),
            clock: self.clock,
        }
    }
}

impl BalanceMonitor {
    /// A monitor of `client`'s account with the default interval and clock.
    pub fn new(client: BillingClient, config: MonitorConfig) -> Self {
        BalanceMonitor::builder(client, config).build()
    }

    /// Configure a monitor reading from any [`BalanceSource`] (a [`BillingClient`], or a script).
    pub fn builder(source: impl BalanceSource + 'static, config: MonitorConfig) -> BalanceMonitorBuilder {
        BalanceMonitorBuilder {
            source: Arc::new(source),
            config,
            interval: DEFAULT_INTERVAL,
            history_limit: DEFAULT_HISTORY,
            clock: Arc::new(SystemClock),
        }
    }

    /// Poll once now and return the events it raises (often none).
    pub async fn poll(&mut self) -> Vec<Event> {
        let observation = match self.source.fetch().await {
            Ok(s) => Observation::Balance(s),
            Err(e) => Observation::Failed(crate::ErrorChain(&*e).to_string()),
        };
        let now = self.clock.now();
        self.observe(&observation, now)
    }

    /// Feed an observation made at `now`, as [`poll`](Self::poll) does after fetching.
    pub fn observe(&mut self, observation: &Observation, now: OffsetDateTime) -> Vec<Event> {
        if let Observation::Balance(s) = observation {
            if self.history.len() >= self.history_limit {
                self.history.pop_front();
            }
            self.history.push_back(BalancePoint::new(now, s.available()));
        }
        self.state.apply(&self.config, observation, now)
    }

    /// Poll forever: once immediately, then every interval, yielding events as they come.
    pub fn into_events(self) -> EventStream {
        EventStream { monitor: Some(self), polling: None, queue: VecDeque::new(), next_poll: None }
    }

    /// The configuration.
    pub fn config(&self) -> &MonitorConfig {
        &self.config
    }

    /// The state machine's current state.
    pub fn state(&self) -> &MonitorState {
        &self.state
    }

    /// The polling interval.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// The readings kept, oldest first.
    pub fn history(&self) -> impl ExactSizeIterator<Item = &BalancePoint> + '_ {
        self.history.iter()
    }

    /// A runway forecast input holding the latest reading and the history; add the month's cost
    /// or a target date, then call [`RunwayInput::forecast`]. `None` before the first reading.
    pub fn runway(&self) -> Option<RunwayInput> {
        let last = self.history.back()?;
        Some(RunwayInput::new(last.available, last.at).history(self.history.iter().copied()))
    }
}

type PollFuture = Pin<Box<dyn Future<Output = (BalanceMonitor, Vec<Event>)> + Send>>;

/// The endless stream of events from [`BalanceMonitor::into_events`]. It implements
/// [`futures_core::Stream`] and has an inherent [`next`](Self::next).
pub struct EventStream {
    monitor: Option<BalanceMonitor>,
    polling: Option<PollFuture>,
    queue: VecDeque<Event>,
    next_poll: Option<tokio::time::Instant>,
}

impl fmt::Debug for EventStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("monitor", &self.monitor)
            .field("queued", &self.queue.len())
            .finish_non_exhaustive()
    }
}

impl EventStream {
    /// The next event; waits through as many polls as it takes. Never returns `None`.
    pub async fn next(&mut self) -> Option<Event> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next_event(cx)).await
    }

    /// The monitor, between polls (`None` while a poll is in flight).
    pub fn monitor(&self) -> Option<&BalanceMonitor> {
        self.monitor.as_ref()
    }

    fn poll_next_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        loop {
            if let Some(e) = self.queue.pop_front() {
                return Poll::Ready(Some(e));
            }
            if self.polling.is_none() {
                let Some(mut monitor) = self.monitor.take() else { return Poll::Ready(None) };
                let at = self.next_poll.unwrap_or_else(tokio::time::Instant::now);
                self.next_poll = Some(later(at, monitor.interval));
                self.polling = Some(Box::pin(async move {
                    tokio::time::sleep_until(at).await;
                    let events = monitor.poll().await;
                    (monitor, events)
                }));
            }
            let Some(fut) = self.polling.as_mut() else { return Poll::Ready(None) };
            match fut.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready((monitor, events)) => {
                    self.polling = None;
                    // A poll that overran its interval (slow answers, retries) pushes the next one a
                    // full interval on, rather than firing it at once to catch up.
                    let now = tokio::time::Instant::now();
                    if self.next_poll.is_some_and(|t| t < now) {
                        self.next_poll = Some(later(now, monitor.interval));
                    }
                    self.monitor = Some(monitor);
                    self.queue.extend(events);
                }
            }
        }
    }
}

/// `at + interval`, or `at` plus [`MAX_INTERVAL`] if that does not fit (it always does for an
/// interval the builder accepted; this keeps the sum itself from ever panicking).
fn later(at: tokio::time::Instant, interval: Duration) -> tokio::time::Instant {
    at.checked_add(interval).or_else(|| at.checked_add(MAX_INTERVAL)).unwrap_or(at)
}

impl futures_core::Stream for EventStream {
    type Item = Event;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        self.get_mut().poll_next_event(cx)
    }
}
