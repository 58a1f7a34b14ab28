//! Polling until something is ready: a bill file (`DescribeBillDownloadUrl` answering `Ready: 1`),
//! a summary whose flag says its data are complete, or an action that answers
//! `FailedOperation.SummaryDataNotReady` until the data are in.
//!
//! A [`Waiter`] polls at once, then after delays that double from
//! [`Waiter::initial_delay`] up to [`Waiter::max_delay`], and gives up with
//! [`Error::Timeout`] of kind [`TimeoutKind::Wait`] once the next poll would fall after its
//! deadline. The schedule is a pure function of the settings ([`Waiter::poll_offsets`]), so
//! tests can assert it without a clock.
//!
//! ```no_run
//! use std::time::Duration;
//! use tencentcloud_billing::wait::Waiter;
//! use tencentcloud_billing::datetime::YearMonth;
//! use tencentcloud_billing::types::BillFileType;
//! # async fn run(client: tencentcloud_billing::BillingClient) -> Result<(), Box<dyn std::error::Error>> {
//! let month: YearMonth = "2026-10".parse()?;
//! let answer = Waiter::new(Duration::from_secs(600))
//!     .until(
//!         "DescribeBillDownloadUrl",
//!         || client.describe_bill_download_url().file_type(BillFileType::BillDetail).month(month).send(),
//!         |r| r.ready == Some(1),
//!     )
//!     .await?;
//! println!("{:?}", answer.download_url.is_some());
//! # Ok(()) }
//! ```

use std::future::Future;
use std::time::Duration;

use crate::error::{Error, ErrorCode, Result, TimeoutError, TimeoutKind};

/// How often and how long to poll; see the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct Waiter {
    initial: Duration,
    max: Duration,
    deadline: Duration,
}

impl Default for Waiter {
    /// Two seconds doubling up to thirty, for at most ten minutes: bill files of large accounts
    /// take minutes to generate, and the action's quota (20/s) is never a concern at this pace.
    fn default() -> Self {
        Waiter::new(Duration::from_secs(600))
    }
}

impl Waiter {
    /// A waiter that gives up after `deadline`, with the default delays (2 s doubling to 30 s).
    pub fn new(deadline: Duration) -> Self {
        Waiter { initial: Duration::from_secs(2), max: Duration::from_secs(30), deadline }
    }

    /// The delay after the first poll that is not ready (at least 1 ms: polling in a busy loop
    /// would only burn the action's quota).
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial = delay.max(Duration::from_millis(1));
        self
    }

    /// The longest delay between two polls (never below the initial delay).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max = delay;
        self
    }

    /// How long to keep polling, counted from the first poll.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The delay after the `n`th poll that was not ready (counting from 1): the initial delay
    /// doubled `n - 1` times, capped at the maximum.
    pub fn delay_after(&self, n: u32) -> Duration {
        let cap = self.max.max(self.initial);
        let doublings = n.saturating_sub(1).min(31);
        self.initial.checked_mul(1u32 << doublings).map_or(cap, |d| d.min(cap))
    }

    /// When each poll happens, counted from the first, if every poll answered at once and none was
    /// ready: the schedule up to the deadline. How many items it yields is how many polls a
    /// waiter makes before giving up. It is computed as it is read, so a waiter with a deadline
    /// of centuries costs nothing until polled (`.take(n)` for the first polls).
    pub fn poll_offsets(&self) -> impl Iterator<Item = Duration> + Clone + use<> {
        let w = *self;
        std::iter::successors(Some((Duration::ZERO, 1u32)), move |&(at, n)| {
            let next = at.checked_add(w.delay_after(n)).filter(|&next| next <= w.deadline)?;
            Some((next, n.saturating_add(1)))
        })
        .map(|(at, _)| at)
    }

    /// Call `poll` until `ready` holds for its answer, sleeping between calls on the schedule;
    /// the first error is returned as is. `what` names the operation in the timeout error.
    ///
    /// # Errors
    /// The error of a poll, or [`Error::Timeout`] of kind [`TimeoutKind::Wait`] when the next poll
    /// would fall after the deadline (a poll still running at the deadline is abandoned).
    pub async fn until<T, F, Fut>(
        &self,
        what: &'static str,
        mut poll: F,
        mut ready: impl FnMut(&T) -> bool,
    ) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        self.run(
            what,
            || {
                let f = poll();
                async { f.await.map(Some) }
            },
            |t| ready(t),
        )
        .await
    }

    /// As [`Waiter::until`], and an answer of `FailedOperation.SummaryDataNotReady` counts as "not
    /// yet" rather than as a failure: the summary actions answer it while the month's data are
    /// still being computed.
    ///
    /// # Errors
    /// As [`Waiter::until`].
    pub async fn until_ready<T, F, Fut>(
        &self,
        what: &'static str,
        mut poll: F,
        mut ready: impl FnMut(&T) -> bool,
    ) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        self.run(
            what,
            || {
                let f = poll();
                async {
                    match f.await {
                        Err(e) if e.code() == Some(&ErrorCode::FailedOperationSummaryDataNotReady) => Ok(None),
                        other => other.map(Some),
                    }
                }
            },
            |t| ready(t),
        )
        .await
    }

    /// The loop: `poll` answers `None` for "not yet, no value to judge".
    async fn run<T, F, Fut>(&self, what: &'static str, mut poll: F, mut ready: impl FnMut(&T) -> bool) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Option<T>>>,
    {
        let timeout =
            || Error::Timeout(Box::new(TimeoutError { action: what, kind: TimeoutKind::Wait, after: self.deadline }));
        let started = tokio::time::Instant::now();
        let Some(ends) = started.checked_add(self.deadline) else {
            // A deadline too far away to represent is no deadline.
            return self.run_unbounded(&mut poll, &mut ready).await;
        };
        let mut n = 0u32;
        loop {
            n = n.saturating_add(1);
            match tokio::time::timeout_at(ends, poll()).await {
                Err(_) => return Err(timeout()),
                Ok(Err(e)) => return Err(e),
                Ok(Ok(Some(v))) if ready(&v) => return Ok(v),
                Ok(Ok(_)) => {}
            }
            let next = tokio::time::Instant::now().checked_add(self.delay_after(n));
            match next {
                Some(at) if at <= ends => {
                    tracing::debug!(what, polls = n, "not ready yet");
                    tokio::time::sleep_until(at).await;
                }
                _ => return Err(timeout()),
            }
        }
    }

    async fn run_unbounded<T, F, Fut>(&self, poll: &mut F, ready: &mut impl FnMut(&T) -> bool) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Option<T>>>,
    {
        let mut n = 0u32;
        loop {
            n = n.saturating_add(1);
            if let Some(v) = poll().await?
                && ready(&v)
            {
                return Ok(v);
            }
            tokio::time::sleep(self.delay_after(n)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    fn s(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn delays_double_up_to_the_cap() {
        let w = Waiter::new(s(600)).initial_delay(s(1)).max_delay(s(10));
        let delays: Vec<u64> = (1..=7).map(|n| w.delay_after(n).as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 10, 10, 10]);
        assert_eq!(w.delay_after(u32::MAX), s(10));
        // A cap below the initial delay is the initial delay.
        assert_eq!(Waiter::new(s(1)).initial_delay(s(5)).max_delay(s(1)).delay_after(3), s(5));
        assert_eq!(Waiter::new(s(1)).initial_delay(Duration::ZERO).delay_after(1), Duration::from_millis(1));
        let huge = Waiter::new(s(1)).initial_delay(Duration::MAX).max_delay(Duration::MAX);
        assert_eq!(huge.delay_after(40), Duration::MAX);
    }

    #[test]
    fn the_schedule_stops_before_the_deadline() {
        let w = Waiter::new(s(20)).initial_delay(s(1)).max_delay(s(8));
        let at: Vec<u64> = w.poll_offsets().map(|d| d.as_secs()).collect();
        assert_eq!(at, [0, 1, 3, 7, 15]);
        // A poll exactly at the deadline still happens.
        let at: Vec<u64> = w.deadline(s(23)).poll_offsets().map(|d| d.as_secs()).collect();
        assert_eq!(at, [0, 1, 3, 7, 15, 23]);
        assert_eq!(Waiter::new(Duration::ZERO).poll_offsets().collect::<Vec<_>>(), [Duration::ZERO]);
    }

    #[test]
    fn an_endless_deadline_is_read_lazily_and_never_overflows() {
        let w = Waiter::new(Duration::MAX).initial_delay(Duration::MAX).max_delay(Duration::MAX);
        // The first delay reaches the end of the clock, and the one after would overflow it.
        assert_eq!(w.poll_offsets().collect::<Vec<_>>(), [Duration::ZERO, Duration::MAX]);
        let w = Waiter::new(Duration::MAX);
        let first: Vec<u64> = w.poll_offsets().take(7).map(|d| d.as_secs()).collect();
        assert_eq!(first, [0, 2, 6, 14, 30, 60, 90]);
        // Deep into the schedule, each poll is the capped delay after the one before.
        let far = w.poll_offsets().nth(1_000_000).unwrap();
        assert_eq!(far, Duration::from_secs(60 + 30 * (1_000_000 - 5)));
    }

    #[tokio::test(start_paused = true)]
    async fn never_ready_times_out_after_the_scheduled_polls() {
        let w = Waiter::new(s(20)).initial_delay(s(1)).max_delay(s(8));
        let polls = AtomicU32::new(0);
        let begun = tokio::time::Instant::now();
        let e = w
            .until("Thing", || async { Ok::<_, Error>(polls.fetch_add(1, Ordering::Relaxed)) }, |_| false)
            .await
            .unwrap_err();
        assert_eq!(polls.load(Ordering::Relaxed), 5);
        assert_eq!(begun.elapsed(), s(15), "gave up at the last poll, not at the deadline");
        let Error::Timeout(t) = &e else { panic!("{e:?}") };
        assert_eq!((t.action, t.kind, t.after), ("Thing", TimeoutKind::Wait, s(20)));
        assert_eq!(e.to_string(), "Thing: waiting until ready timed out after 20s");
    }

    #[tokio::test(start_paused = true)]
    async fn ready_on_the_fourth_poll() {
        let w = Waiter::new(s(60)).initial_delay(s(1)).max_delay(s(8));
        let polls = AtomicU32::new(0);
        let v = w.until("Thing", || async { Ok::<_, Error>(polls.fetch_add(1, Ordering::Relaxed) + 1) }, |n| *n == 4);
        assert_eq!(v.await.unwrap(), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn summary_data_not_ready_is_not_yet_only_for_until_ready() {
        let not_ready = || {
            Error::Service(Box::new(crate::error::ServiceError {
                action: "DescribeBillSummary",
                code: ErrorCode::FailedOperationSummaryDataNotReady,
                message: "later".into(),
                request_id: None,
                http_status: 200,
            }))
        };
        let w = Waiter::new(s(60)).initial_delay(s(1));
        let polls = AtomicU32::new(0);
        let poll = || async {
            match polls.fetch_add(1, Ordering::Relaxed) {
                0 | 1 => Err(not_ready()),
                n => Ok(n),
            }
        };
        assert_eq!(w.until_ready("DescribeBillSummary", poll, |_| true).await.unwrap(), 2);
        polls.store(0, Ordering::Relaxed);
        let e = w.until("DescribeBillSummary", poll, |_| true).await.unwrap_err();
        assert_eq!(e.code(), Some(&ErrorCode::FailedOperationSummaryDataNotReady));
        assert_eq!(polls.load(Ordering::Relaxed), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_poll_that_hangs_is_cut_at_the_deadline() {
        let w = Waiter::new(s(5));
        let begun = tokio::time::Instant::now();
        let e = w.until("Thing", std::future::pending::<Result<()>>, |_| true).await.unwrap_err();
        assert!(matches!(&e, Error::Timeout(t) if t.kind == TimeoutKind::Wait), "{e:?}");
        assert_eq!(begun.elapsed(), s(5));
    }
}
