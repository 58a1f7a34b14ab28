//! Per-action quotas, enforced before a request is sent.
//!
//! Tencent counts requests per account and action in one-second windows. Releasing the whole quota
//! as a burst at the start of each second fails at the server: connection set-up and scheduling
//! jitter move requests of one burst into the next server-side second, which then sees two bursts.
//! So the limiter *paces*: consecutive requests of an action leave at least
//! [`Quota::interval`] apart, a little more than `1 s / N`. Any N+1 consecutive requests then span
//! more than one second plus [`PACING_MARGIN`] (less the small [`LATENESS_CREDIT`] for late
//! timers), so no one-second window, at the client or on arrival at the server (with up to 8 ms of
//! jitter), holds more than N. Saturated throughput is `N / (1 + margin)`: 99% of the quota.
//!
//! The decision is [`Pacer::check`], a pure function of the current time. [`RateLimiter`] adds
//! the waiting: callers queue in arrival order (a FIFO lock), and only the head of the queue
//! sleeps until its slot. A caller cancelled while it waits leaves the queue and consumes nothing,
//! because the slot is taken only at the moment the permit is granted.
//!
//! With the `redis` feature, [`RateLimiter::shared`] takes the same decision in Redis instead, so
//! that every process of a fleet that uses the same Redis and the same account paces one action
//! together. The waiting stays here and is the same for both: only the question "may the head of
//! the queue go now, and if not, how long until it may?" goes to Redis. See `RedisStore`.
//!
//! Only [`Quota`] is public (at the crate root). The pacer and the limiters are reachable by the
//! benchmarks and tests through the hidden `internals` feature, and may change in any release.
#![cfg_attr(not(feature = "internals"), allow(unreachable_pub, dead_code))]

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

#[cfg(feature = "redis")]
mod fleet;
#[cfg(feature = "redis")]
pub use fleet::{REDIS_PROBE_BACKOFF_MAX, REDIS_PROBE_BACKOFF_MIN, REDIS_TIMEOUT, RedisStore};

/// The slack added to each one-second window when pacing, to absorb jitter between the client and
/// the server's clock. 10 ms keeps saturated throughput at 99% of the quota.
pub const PACING_MARGIN: Duration = Duration::from_millis(10);

/// A rate: at most `per_second` requests in any sliding one-second window.
///
/// ```
/// use std::num::NonZeroU32;
/// use tencentcloud_billing::Quota;
/// let q = Quota::per_second(NonZeroU32::new(20).unwrap());
/// assert_eq!(q.interval().as_micros(), 50_500);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    per_second: NonZeroU32,
}

impl Quota {
    /// The documented default for most billing actions.
    pub const DEFAULT_PER_SECOND: u32 = 20;

    /// A quota of `n` requests per second. A zero rate cannot be expressed.
    pub const fn per_second(n: NonZeroU32) -> Self {
        Quota { per_second: n }
    }

    /// The rate.
    pub const fn limit(&self) -> u32 {
        self.per_second.get()
    }

    /// The minimum spacing between two requests: `(1 s + PACING_MARGIN) / N`.
    pub fn interval(&self) -> Duration {
        let window = Duration::from_secs(1) + PACING_MARGIN;
        Duration::from_nanos((window.as_nanos() / u128::from(self.per_second.get())) as u64)
    }
}

/// The pure pacing decision (GCRA with a burst of one) over a monotonic clock in nanoseconds:
/// at 5/s, a grant at 0 makes the next wait until 202 ms (`check(1_000)` is `Err(201_999_000)`).
#[derive(Debug, Clone)]
pub struct Pacer {
    interval: u64,
    /// How much lateness a grant may pass on to the next slot (see [`LATENESS_CREDIT`]).
    credit: u64,
    /// The earliest time the next request may leave (the "theoretical arrival time").
    next: u64,
}

/// How late a request may be granted after its slot and still keep the schedule.
///
/// Timers wake a waiting caller a little after its slot (tokio's have a 1 ms resolution, and the
/// wake-up itself takes time). If the next slot were counted from the late grant, that lateness
/// would add up along a queue: about 1 ms lost every 50 ms at 20/s, 2-3% of the quota. So when a
/// request is granted less than one interval after its slot, the next slot is one interval after
/// the later of the slot and the grant less this credit; after a longer idle spell it is one
/// interval after the grant, as before. The credit is never accumulated: any N+1 consecutive
/// grants still span at least `1 s + PACING_MARGIN - LATENESS_CREDIT` (1.008 s). It is capped at a
/// quarter of the interval.
pub const LATENESS_CREDIT: Duration = Duration::from_millis(2);

impl Pacer {
    /// A pacer for `quota` that has sent nothing yet.
    pub fn new(quota: Quota) -> Self {
        let interval = quota.interval().as_nanos() as u64;
        Pacer { interval, credit: (LATENESS_CREDIT.as_nanos() as u64).min(interval / 4), next: 0 }
    }

    /// Ask to send at `now` (nanoseconds on a monotonic clock). `Ok` takes the slot; `Err` says
    /// how many nanoseconds to wait, and changes nothing.
    pub fn check(&mut self, now: u64) -> Result<(), u64> {
        if now >= self.next {
            let late = now - self.next;
            self.next = if late < self.interval {
                // Woken a little after its slot: keep the schedule, less at most the credit.
                self.next.max(now.saturating_sub(self.credit)) + self.interval
            } else {
                // After an idle spell: start afresh, nothing banked.
                now + self.interval
            };
            Ok(())
        } else {
            Err(self.next - now)
        }
    }

    /// The spacing in nanoseconds.
    pub fn interval_nanos(&self) -> u64 {
        self.interval
    }
}

/// Paces one action's requests and queues waiting callers fairly.
///
/// Shared through an `Arc` by every clone of a client.
#[derive(Debug)]
pub struct RateLimiter {
    quota: Quota,
    origin: Instant,
    pacer: Mutex<Pacer>,
    /// FIFO: tokio's mutex hands the lock over in the order `lock()` was called.
    queue: tokio::sync::Mutex<()>,
    backend: Backend,
}

/// Where the pacing decision is taken. The queue and the sleeping are the same for every backend.
#[derive(Debug)]
enum Backend {
    /// This process's [`Pacer`].
    Local,
    /// A GCRA in Redis shared by the fleet; this process's [`Pacer`] while Redis is unavailable.
    #[cfg(feature = "redis")]
    Redis(fleet::SharedPacer),
}

impl RateLimiter {
    /// A limiter for `quota`, local to this process.
    pub fn new(quota: Quota) -> Self {
        Self::with_backend(quota, Backend::Local)
    }

    /// A limiter for `quota` whose pace is shared, through `store`, by every process that uses
    /// the same Redis, `account` and `action`.
    ///
    /// `account` is anything that names the Tencent Cloud account to the fleet; the client passes
    /// the SecretId. Only a hash of it reaches Redis (see [`RedisStore::key`]). While Redis cannot
    /// be reached the limiter paces this process alone, as [`RateLimiter::new`] does, and it goes
    /// back to the shared pace once Redis answers again.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn shared(quota: Quota, store: &RedisStore, account: &str, action: &str) -> Self {
        Self::with_backend(quota, Backend::Redis(fleet::SharedPacer::new(store, account, action, quota)))
    }

    fn with_backend(quota: Quota, backend: Backend) -> Self {
        // The fleet's script in Redis gives the same lateness credit as the local pacer, so the
        // local pacer that follows a shared limiter predicts the fleet's next slot (a little late,
        // never early) and a saturated process still costs one round trip per permit.
        let pacer = Pacer::new(quota);
        RateLimiter {
            quota,
            origin: Instant::now(),
            pacer: Mutex::new(pacer),
            queue: tokio::sync::Mutex::new(()),
            backend,
        }
    }

    /// Whether the pace is shared through Redis (even while Redis is unavailable).
    pub fn is_shared(&self) -> bool {
        !matches!(self.backend, Backend::Local)
    }

    /// The quota enforced.
    pub fn quota(&self) -> Quota {
        self.quota
    }

    /// Wait for a permit and take it. Returns how long the caller waited.
    ///
    /// Cancel-safe: dropping the future before it completes takes no permit. (With a shared
    /// limiter, a future dropped while its question is on the way to Redis may still have taken a
    /// slot there; that slows the fleet by one slot and never lets it exceed the quota.)
    pub async fn acquire(&self) -> Duration {
        let start = Instant::now();
        let _turn = self.queue.lock().await;
        loop {
            match self.decide().await {
                Ok(granted_at) => return granted_at.saturating_duration_since(start),
                Err(wait) => tokio::time::sleep(wait).await,
            }
        }
    }

    /// Take a permit only if one is free right now and nobody is queued.
    ///
    /// A shared limiter cannot ask Redis without waiting for the answer, so it answers `false`
    /// while Redis is in use, and decides locally only while it falls back to the local pace.
    pub fn try_acquire(&self) -> bool {
        let Ok(_turn) = self.queue.try_lock() else { return false };
        match &self.backend {
            Backend::Local => {}
            #[cfg(feature = "redis")]
            Backend::Redis(shared) if shared.is_available() => return false,
            #[cfg(feature = "redis")]
            Backend::Redis(_) => {}
        }
        self.check_local(Instant::now()).is_ok()
    }

    /// One decision for the head of the queue: `Ok(when)` takes the slot, `Err(wait)` asks it to
    /// sleep and ask again.
    async fn decide(&self) -> Result<Instant, Duration> {
        #[cfg(feature = "redis")]
        if let Backend::Redis(shared) = &self.backend {
            // The local pacer follows every permit this process gets, so right after one it knows,
            // without asking, that the fleet's next slot is an interval away. Waiting that out
            // first halves the round trips under load, and it lets the other processes, which
            // asked earlier, have the next slot first.
            self.peek_local(Instant::now())?;
            if let Some(decision) = shared.check().await {
                let now = Instant::now();
                if decision.is_ok() {
                    // Follow the permit, so that a fall-back also continues this process's pace
                    // instead of starting with a burst.
                    let _ = self.check_local(now);
                }
                return decision.map(|()| now);
            }
        }
        let now = Instant::now();
        self.check_local(now).map(|()| now)
    }

    fn check_local(&self, now: Instant) -> Result<(), Duration> {
        let mut pacer = self.pacer.lock().unwrap_or_else(|e| e.into_inner());
        pacer.check(self.nanos(now)).map_err(Duration::from_nanos)
    }

    /// The local decision at `now`, without taking the slot.
    #[cfg(feature = "redis")]
    fn peek_local(&self, now: Instant) -> Result<(), Duration> {
        let mut pacer = self.pacer.lock().unwrap_or_else(|e| e.into_inner()).clone();
        pacer.check(self.nanos(now)).map_err(Duration::from_nanos)
    }

    fn nanos(&self, now: Instant) -> u64 {
        // Offset by one interval so that the very first request is never asked to wait.
        now.saturating_duration_since(self.origin).as_nanos() as u64 + self.quota.interval().as_nanos() as u64
    }
}

/// The limiters of every action, built once per client and shared by its clones.
#[derive(Debug, Default)]
pub(crate) struct Quotas {
    by_action: HashMap<&'static str, Arc<RateLimiter>>,
    disabled: bool,
    /// Where the fleet's pace is kept, so that [`Quotas::for_account`] can share another
    /// account's through the same Redis.
    #[cfg(feature = "redis")]
    store: Option<RedisStore>,
}

impl Quotas {
    /// One limiter per known action, at its documented quota unless overridden.
    pub(crate) fn new(
        actions: impl IntoIterator<Item = (&'static str, u32)>,
        overrides: &HashMap<&'static str, NonZeroU32>,
        disabled: bool,
    ) -> Self {
        Self::build(actions, overrides, disabled, |_, quota| RateLimiter::new(quota))
    }

    /// The same quotas for another account: fresh limiters, because Tencent counts each
    /// account's requests on their own, and with Redis the fleet keys of `account`.
    pub(crate) fn for_account(&self, #[cfg_attr(not(feature = "redis"), allow(unused))] account: &str) -> Self {
        let by_action = self
            .by_action
            .iter()
            .map(|(&name, limiter)| {
                let quota = limiter.quota();
                #[cfg(feature = "redis")]
                let limiter = match &self.store {
                    Some(store) => RateLimiter::shared(quota, store, account, name),
                    None => RateLimiter::new(quota),
                };
                #[cfg(not(feature = "redis"))]
                let limiter = RateLimiter::new(quota);
                (name, Arc::new(limiter))
            })
            .collect();
        Quotas {
            by_action,
            disabled: self.disabled,
            #[cfg(feature = "redis")]
            store: self.store.clone(),
        }
    }

    /// As [`Quotas::new`], with every action's pace shared through `store` under `account`.
    #[cfg(feature = "redis")]
    pub(crate) fn shared(
        actions: impl IntoIterator<Item = (&'static str, u32)>,
        overrides: &HashMap<&'static str, NonZeroU32>,
        disabled: bool,
        store: &RedisStore,
        account: &str,
    ) -> Self {
        let mut quotas = Self::build(actions, overrides, disabled, |action, quota| {
            RateLimiter::shared(quota, store, account, action)
        });
        quotas.store = Some(store.clone());
        quotas
    }

    fn build(
        actions: impl IntoIterator<Item = (&'static str, u32)>,
        overrides: &HashMap<&'static str, NonZeroU32>,
        disabled: bool,
        make: impl Fn(&'static str, Quota) -> RateLimiter,
    ) -> Self {
        let by_action = actions
            .into_iter()
            .map(|(name, documented)| {
                let n = overrides
                    .get(name)
                    .copied()
                    .or(NonZeroU32::new(documented))
                    .unwrap_or(NonZeroU32::new(Quota::DEFAULT_PER_SECOND).expect("non-zero"));
                (name, Arc::new(make(name, Quota::per_second(n))))
            })
            .collect();
        Quotas {
            by_action,
            disabled,
            #[cfg(feature = "redis")]
            store: None,
        }
    }

    pub(crate) fn limiter(&self, action: &str) -> Option<&Arc<RateLimiter>> {
        if self.disabled { None } else { self.by_action.get(action) }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_pacer_spaces_grants_by_the_interval() {
        let mut p = Pacer::new(Quota::per_second(NonZeroU32::new(5).unwrap()));
        assert_eq!(p.check(0), Ok(()));
        assert_eq!(p.check(1_000), Err(201_999_000));
        assert_eq!(p.check(202_000_000), Ok(()));
    }

    use super::*;

    fn q(n: u32) -> Quota {
        Quota::per_second(NonZeroU32::new(n).unwrap())
    }

    /// The largest number of events in any half-open window `[t, t + 1 s)`.
    fn max_per_window(times: &[u64], window: u64) -> usize {
        let mut best = 0;
        let mut lo = 0;
        for hi in 0..times.len() {
            while times[hi] - times[lo] >= window {
                lo += 1;
            }
            best = best.max(hi - lo + 1);
        }
        best
    }

    /// Drive a pacer with callers that ask at the given times and retry exactly when told.
    fn simulate(quota: Quota, arrivals: &[u64]) -> Vec<u64> {
        let mut p = Pacer::new(quota);
        let mut now = 0;
        let mut out = Vec::new();
        for &a in arrivals {
            now = now.max(a);
            loop {
                match p.check(now) {
                    Ok(()) => break,
                    Err(w) => now += w,
                }
            }
            out.push(now);
        }
        out
    }

    #[test]
    fn a_burst_is_spread_out() {
        for n in [5, 20, 50] {
            let sent = simulate(q(n), &vec![0; 1000]);
            assert_eq!(max_per_window(&sent, 1_000_000_000), n as usize, "quota {n}");
            // Even with 10 ms of jitter on arrival, no server-side window holds more than n.
            let jittered: Vec<u64> =
                sent.iter().enumerate().map(|(i, t)| t + if i % 2 == 0 { 9_999_999 } else { 0 }).collect();
            let mut sorted = jittered.clone();
            sorted.sort_unstable();
            assert!(max_per_window(&sorted, 1_000_000_000) <= n as usize, "quota {n} with jitter");
        }
    }

    #[test]
    fn saturated_throughput_is_at_least_98_percent() {
        for n in [5u32, 20, 50] {
            let sent = simulate(q(n), &vec![0; 10 * n as usize + 1]);
            let span = (sent.last().unwrap() - sent[0]) as f64 / 1e9;
            let rate = (sent.len() - 1) as f64 / span;
            assert!(rate >= 0.98 * n as f64, "quota {n}: {rate}/s");
            assert!(rate <= n as f64);
        }
    }

    #[test]
    fn late_wake_ups_do_not_add_up() {
        // Every waiter wakes 0 to 3 ms after its slot, as a 1 ms timer wheel and a busy scheduler do.
        for n in [5u32, 20, 50] {
            let mut p = Pacer::new(q(n));
            let (mut now, mut sent) = (0u64, Vec::new());
            for i in 0..(20 * n as u64) {
                loop {
                    match p.check(now) {
                        Ok(()) => break,
                        Err(w) => now += w + (i * 7_919 % 3_000) * 1_000,
                    }
                }
                sent.push(now);
            }
            assert!(max_per_window(&sent, 1_000_000_000) <= n as usize, "quota {n}");
            // With up to 8 ms of server-side jitter on top, still no window over the quota.
            let mut jittered: Vec<u64> =
                sent.iter().enumerate().map(|(i, t)| t + if i % 2 == 0 { 7_999_999 } else { 0 }).collect();
            jittered.sort_unstable();
            assert!(max_per_window(&jittered, 1_000_000_000) <= n as usize, "quota {n} with jitter");
            let rate = (sent.len() - 1) as f64 / ((sent.last().unwrap() - sent[0]) as f64 / 1e9);
            assert!(rate >= 0.98 * f64::from(n), "quota {n}: {rate}/s");
        }
    }

    #[test]
    fn steady_load_below_quota_never_waits() {
        // 10/s against a 20/s quota.
        let arrivals: Vec<u64> = (0..100).map(|i| i * 100_000_000).collect();
        assert_eq!(simulate(q(20), &arrivals), arrivals);
    }

    #[test]
    fn a_refused_check_changes_nothing() {
        let mut p = Pacer::new(q(5));
        p.check(0).unwrap();
        let before = p.clone().check(10).unwrap_err();
        for _ in 0..100 {
            assert!(p.check(10).is_err());
        }
        assert_eq!(p.check(10), Err(before));
    }

    #[test]
    fn idle_time_is_not_banked() {
        let mut p = Pacer::new(q(5));
        p.check(0).unwrap();
        // After a long pause only one request goes at once: no burst credit built up.
        p.check(10_000_000_000).unwrap();
        assert!(p.check(10_000_000_001).is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn many_concurrent_callers_are_served_in_order_and_paced() {
        let limiter = Arc::new(RateLimiter::new(q(20)));
        let order = Arc::new(Mutex::new(Vec::new()));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for i in 0..200u32 {
            let limiter = Arc::clone(&limiter);
            let order = Arc::clone(&order);
            tasks.push(tokio::spawn(async move {
                limiter.acquire().await;
                order.lock().unwrap().push((i, Instant::now().duration_since(start).as_nanos() as u64));
            }));
            // Make arrival order deterministic.
            tokio::task::yield_now().await;
        }
        for t in tasks {
            t.await.unwrap();
        }
        let order = order.lock().unwrap();
        let ids: Vec<u32> = order.iter().map(|(i, _)| *i).collect();
        assert_eq!(ids, (0..200).collect::<Vec<_>>(), "served in arrival order");
        let times: Vec<u64> = order.iter().map(|(_, t)| *t).collect();
        assert_eq!(max_per_window(&times, 1_000_000_000), 20);
        let elapsed = *times.last().unwrap() as f64 / 1e9;
        assert!(199.0 / elapsed >= 0.98 * 20.0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_waiter_consumes_nothing() {
        let limiter = RateLimiter::new(q(5));
        limiter.acquire().await; // t = 0
        // A waiter that gives up after 50 ms (its slot would have been at ~202 ms).
        let gave_up = tokio::time::timeout(Duration::from_millis(50), limiter.acquire()).await;
        assert!(gave_up.is_err());
        // The next caller gets the slot the cancelled one would have had.
        let waited = limiter.acquire().await;
        let at = Instant::now();
        assert!(waited <= Duration::from_millis(153), "{waited:?}");
        // And the one after is one interval later, not two.
        limiter.acquire().await;
        assert_eq!(Instant::now().duration_since(at), q(5).interval());
    }

    #[tokio::test(start_paused = true)]
    async fn try_acquire_respects_the_pace() {
        let limiter = RateLimiter::new(q(50));
        assert!(limiter.try_acquire());
        assert!(!limiter.try_acquire());
        tokio::time::advance(q(50).interval()).await;
        assert!(limiter.try_acquire());
    }

    #[test]
    fn quotas_use_documented_values_and_overrides() {
        let mut overrides = HashMap::new();
        overrides.insert("DescribeBillDetail", NonZeroU32::new(2).unwrap());
        let quotas =
            Quotas::new([("DescribeBillDetail", 5), ("DescribeAccountBalance", 20), ("X", 0)], &overrides, false);
        assert_eq!(quotas.limiter("DescribeBillDetail").unwrap().quota().limit(), 2);
        assert_eq!(quotas.limiter("DescribeAccountBalance").unwrap().quota().limit(), 20);
        assert_eq!(quotas.limiter("X").unwrap().quota().limit(), 20);
        let off = Quotas::new([("DescribeBillDetail", 5)], &HashMap::new(), true);
        assert!(off.limiter("DescribeBillDetail").is_none());
    }
}
