//! Caching and refreshing of temporary credentials: early refresh in the background, one
//! refresh in flight, and backoff after a failed refresh.
//!
//! The refresh runs as its own task, not inside any caller. Callers holding still-valid
//! credentials never wait for it, and a caller that gives up (a deadline, a dropped future)
//! neither stops it nor skips the backoff its failure records.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use tokio::sync::watch;
use tokio::time::Instant;
use tracing::Instrument;

use super::Credentials;
use crate::error::{BoxError, CredentialsError, Error, Result};

/// When temporary credentials are refreshed, and how a failing refresh backs off.
///
/// The defaults: refresh 5 minutes before expiry, and after a failed refresh wait 1 s before
/// trying again, doubling up to 60 s. While a refresh is backing off, callers get the cached
/// credentials if they have not expired yet, and the last error otherwise, without touching the
/// endpoint.
///
/// Any `Duration` is accepted: zero means "at expiry" or "no wait", and values too large to
/// add to a clock mean "never" (they saturate instead of overflowing).
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_billing::credentials::RefreshPolicy;
/// let policy = RefreshPolicy::default()
///     .with_refresh_before(Duration::from_secs(600))
///     .with_failure_backoff(Duration::from_secs(2), Duration::from_secs(120));
/// assert_eq!(policy.refresh_before(), Duration::from_secs(600));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshPolicy {
    refresh_before: Duration,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        RefreshPolicy {
            refresh_before: Duration::from_secs(300),
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
        }
    }
}

impl RefreshPolicy {
    /// Refresh this long before the credentials expire (default 5 minutes). Credentials that live
    /// shorter than twice this are refreshed at half their lifetime instead.
    pub fn with_refresh_before(mut self, d: Duration) -> Self {
        self.refresh_before = d;
        self
    }

    /// After a failed refresh, wait `initial` before the next one, doubling after each further
    /// failure up to `max` (defaults 1 s and 60 s). A success resets it.
    pub fn with_failure_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// How long before expiry credentials are refreshed.
    pub fn refresh_before(&self) -> Duration {
        self.refresh_before
    }

    /// The first and the largest wait after a failed refresh.
    pub fn failure_backoff(&self) -> (Duration, Duration) {
        (self.initial_backoff, self.max_backoff)
    }

    /// When credentials fetched at `fetched` and expiring at `expires` should be replaced: the
    /// margin before expiry, but never earlier than half their lifetime.
    pub(crate) fn refresh_at(&self, fetched: SystemTime, expires: SystemTime) -> SystemTime {
        let lifetime = expires.duration_since(fetched).unwrap_or(Duration::ZERO);
        let early = expires.checked_sub(self.refresh_before).unwrap_or(fetched);
        let half = fetched.checked_add(lifetime / 2).unwrap_or(expires);
        early.max(half)
    }

    /// The wait after `failures` consecutive failed refreshes (1 for the first).
    pub(crate) fn backoff(&self, failures: u32) -> Duration {
        let exp = failures.saturating_sub(1).min(20);
        self.initial_backoff.saturating_mul(1u32 << exp).min(self.max_backoff)
    }
}

/// `now + d`, or a point about a century away when that does not fit in an `Instant`.
pub(crate) fn instant_after(now: Instant, d: Duration) -> Instant {
    const CENTURY: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
    now.checked_add(d).or_else(|| now.checked_add(CENTURY)).unwrap_or(now)
}

/// The clocks the cache reads: wall time for expiry (credentials expire at a wall-clock time)
/// and Tokio's monotonic time for backoff. Tests replace them.
#[derive(Clone, Copy)]
pub(crate) struct Clock {
    pub(crate) wall: fn() -> SystemTime,
    pub(crate) mono: fn() -> Instant,
}

impl Default for Clock {
    fn default() -> Self {
        Clock { wall: SystemTime::now, mono: Instant::now }
    }
}

struct Failure {
    count: u32,
    retry_at: Instant,
    message: String,
    not_found: bool,
}

struct Cached {
    creds: Credentials,
    /// `None` for credentials that never expire.
    refresh_at: Option<SystemTime>,
}

/// What a finished refresh hands to the callers waiting for it. The error is shared because
/// `Error` is not `Clone`; each waiter gets its own copy (see [`shared_error`]).
type Outcome = std::result::Result<Credentials, Arc<Error>>;

#[derive(Default)]
struct State {
    current: Option<Cached>,
    failure: Option<Failure>,
    /// Set while a refresh task runs; callers without valid credentials subscribe to it.
    inflight: Option<watch::Receiver<Option<Outcome>>>,
}

/// What the refresh task and the callers share.
struct Shared {
    source: &'static str,
    policy: RefreshPolicy,
    /// The longest a refresh may take; past it, it is abandoned and counts as a failure.
    ceiling: Duration,
    clock: Clock,
    state: Mutex<State>,
}

/// Holds the current temporary credentials of one provider and refreshes them.
pub(crate) struct RefreshCache {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for RefreshCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let st = self.shared.lock();
        f.debug_struct("RefreshCache")
            .field("source", &self.shared.source)
            .field("expires_at", &st.current.as_ref().and_then(|c| c.creds.expires_at()))
            .field("failures", &st.failure.as_ref().map_or(0, |f| f.count))
            .field("refreshing", &st.inflight.is_some())
            .finish_non_exhaustive()
    }
}

enum Step {
    Ready(Result<Credentials>),
    Wait(watch::Receiver<Option<Outcome>>),
    /// Start a refresh; `serve` is what the caller gets meanwhile (still-valid credentials), or
    /// `None` when it must wait for the result.
    Start {
        handle: tokio::runtime::Handle,
        tx: watch::Sender<Option<Outcome>>,
        rx: watch::Receiver<Option<Outcome>>,
        serve: Option<Credentials>,
    },
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn step(&self) -> Step {
        let now = (self.clock.wall)();
        let mut st = self.lock();
        if let Some(c) = &st.current
            && c.refresh_at.is_none_or(|r| now < r)
        {
            return Step::Ready(Ok(c.creds.clone()));
        }
        // Inside the refresh window but not expired: good for this request whatever happens.
        let usable =
            st.current.as_ref().filter(|c| c.creds.expires_at().is_none_or(|e| now < e)).map(|c| c.creds.clone());
        if let Some(rx) = &st.inflight {
            return match usable {
                Some(c) => Step::Ready(Ok(c)),
                None => Step::Wait(rx.clone()),
            };
        }
        if let Some(f) = &st.failure {
            let mono = (self.clock.mono)();
            if mono < f.retry_at {
                if let Some(c) = usable {
                    return Step::Ready(Ok(c));
                }
                let wait = f.retry_at.saturating_duration_since(mono);
                let message = format!("{} (next attempt in {} ms)", f.message, wait.as_millis());
                return Step::Ready(Err(if f.not_found {
                    Error::credentials_not_found(message)
                } else {
                    Error::credentials(message, None)
                }));
            }
        }
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            return Step::Ready(usable.ok_or_else(|| {
                Error::credentials(format!("{}: refreshing credentials needs a Tokio runtime", self.source), None)
            }));
        };
        let (tx, rx) = watch::channel(None);
        st.inflight = Some(rx.clone());
        Step::Start { handle, tx, rx, serve: usable }
    }

    /// Record the result of a refresh (exactly once per refresh) and end it.
    fn complete(&self, fetched_at: SystemTime, result: Result<Credentials>) -> Outcome {
        let source = self.source;
        let result = result.and_then(|c| match c.expires_at() {
            Some(e) if e <= fetched_at => {
                Err(Error::credentials(format!("{source}: the credentials returned had already expired"), None))
            }
            _ => Ok(c),
        });
        let mut st = self.lock();
        st.inflight = None;
        match result {
            Ok(c) => {
                let refresh_at = c.expires_at().map(|e| self.policy.refresh_at(fetched_at, e));
                tracing::debug!(
                    source,
                    expires_in_s = c.expires_at().and_then(|e| e.duration_since(fetched_at).ok()).map(|d| d.as_secs()),
                    "credentials refreshed"
                );
                st.current = Some(Cached { creds: c.clone(), refresh_at });
                st.failure = None;
                Ok(c)
            }
            Err(e) => {
                let count = st.failure.as_ref().map_or(0, |f| f.count).saturating_add(1);
                let wait = self.policy.backoff(count);
                let not_found = e.is_credentials_not_found();
                let message = match &e {
                    Error::Credentials(c) => c.message.clone(),
                    other => other.to_string(),
                };
                tracing::debug!(source, failures = count, retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX), error = %e, "credentials refresh failed");
                st.failure =
                    Some(Failure { count, retry_at: instant_after((self.clock.mono)(), wait), message, not_found });
                Err(Arc::new(e))
            }
        }
    }
}

/// Ends a refresh whose task stopped without finishing (a panic in the fetch, a runtime shutting
/// down), so that it still counts as one failure and later callers do not wait on it forever.
struct Unfinished {
    shared: Arc<Shared>,
    fetched_at: SystemTime,
    armed: bool,
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if self.armed {
            let source = self.shared.source;
            let _ = self.shared.complete(
                self.fetched_at,
                Err(Error::credentials(format!("{source}: the refresh stopped before finishing"), None)),
            );
        }
    }
}

/// The source of an error shared between the callers of one refresh: it shows (and chains to)
/// the original error's source.
struct SharedSource(Arc<Error>);

impl SharedSource {
    fn inner(&self) -> &(dyn std::error::Error + 'static) {
        match &*self.0 {
            Error::Credentials(c) => match c.source.as_deref() {
                Some(s) => s,
                None => &*self.0,
            },
            other => other,
        }
    }
}

impl std::fmt::Display for SharedSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.inner(), f)
    }
}

impl std::fmt::Debug for SharedSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.inner(), f)
    }
}

impl std::error::Error for SharedSource {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner().source()
    }
}

/// A waiter's own copy of a refresh's error: always [`Error::Credentials`], with the same message
/// and "not found" flag.
fn shared_error(e: &Arc<Error>) -> Error {
    let source = || Some(Box::new(SharedSource(Arc::clone(e))) as BoxError);
    match &**e {
        Error::Credentials(c) => Error::Credentials(Box::new(CredentialsError {
            message: c.message.clone(),
            not_found: c.not_found,
            source: c.source.as_ref().and_then(|_| source()),
        })),
        other => Error::credentials(other.to_string(), source()),
    }
}

impl RefreshCache {
    /// A cache for `source` (its name in logs and errors) whose refreshes are abandoned after
    /// `ceiling`.
    #[cfg(test)]
    pub(crate) fn new(source: &'static str, policy: RefreshPolicy, ceiling: Duration) -> Self {
        RefreshCache::with_clock(source, policy, ceiling, Clock::default())
    }

    pub(crate) fn with_clock(source: &'static str, policy: RefreshPolicy, ceiling: Duration, clock: Clock) -> Self {
        RefreshCache {
            shared: Arc::new(Shared { source, policy, ceiling, clock, state: Mutex::new(State::default()) }),
        }
    }

    /// The cached credentials, refreshed with `fetch` when they are due.
    ///
    /// Still-valid credentials are returned at once, and the refresh runs in the background.
    /// Callers with expired or no credentials wait for the one refresh in flight. `fetch` is
    /// called (and its future spawned) only when a refresh starts.
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<Credentials>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Credentials>> + Send + 'static,
    {
        match self.shared.step() {
            Step::Ready(r) => r,
            Step::Wait(rx) => self.wait(rx).await,
            Step::Start { handle, tx, rx, serve } => {
                let shared = Arc::clone(&self.shared);
                // Created here so that it belongs to the caller's span, as refreshes always did.
                let span = tracing::debug_span!("billing.credentials", source = shared.source);
                let fut = fetch();
                handle.spawn(async move {
                    let fetched_at = (shared.clock.wall)();
                    let mut unfinished = Unfinished { shared: Arc::clone(&shared), fetched_at, armed: true };
                    let result = match tokio::time::timeout(shared.ceiling, fut.instrument(span)).await {
                        Ok(r) => r,
                        Err(_) => Err(Error::credentials(
                            format!(
                                "{}: the refresh did not finish within {} ms",
                                shared.source,
                                shared.ceiling.as_millis()
                            ),
                            None,
                        )),
                    };
                    let outcome = shared.complete(fetched_at, result);
                    unfinished.armed = false;
                    // Nobody may be waiting; that is fine.
                    let _ = tx.send(Some(outcome));
                });
                match serve {
                    Some(c) => Ok(c),
                    None => self.wait(rx).await,
                }
            }
        }
    }

    async fn wait(&self, mut rx: watch::Receiver<Option<Outcome>>) -> Result<Credentials> {
        let outcome = match rx.wait_for(Option::is_some).await {
            Ok(v) => v.clone(),
            Err(_) => None,
        };
        match outcome {
            Some(Ok(c)) => Ok(c),
            Some(Err(e)) => Err(shared_error(&e)),
            None => {
                Err(Error::credentials(format!("{}: the refresh stopped before finishing", self.shared.source), None))
            }
        }
    }

    /// Wait until no refresh is in flight (tests: to look at the state a refresh left).
    #[cfg(test)]
    pub(crate) async fn idle(&self) {
        let rx = self.shared.lock().inflight.clone();
        if let Some(mut rx) = rx {
            let _ = rx.wait_for(Option::is_some).await;
        }
    }

    /// How many refreshes in a row have failed (tests).
    #[cfg(test)]
    pub(crate) fn failures(&self) -> u32 {
        self.shared.lock().failure.as_ref().map_or(0, |f| f.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};

    fn at(secs: i64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs as u64)
    }

    /// A wall clock per test, set by hand; the monotonic clock is Tokio's (paused in most tests).
    macro_rules! wall_clock {
        ($now:ident, $clock:ident) => {
            static $now: AtomicI64 = AtomicI64::new(1_700_000_000);
            fn $clock() -> Clock {
                Clock { wall: || at($now.load(Ordering::SeqCst)), mono: Instant::now }
            }
        };
    }

    const T0: i64 = 1_700_000_000;

    fn creds(id: &'static str, expires: i64) -> Credentials {
        Credentials::new(id, "k").with_token("t").with_expiry(at(expires))
    }

    /// A fetch that counts its calls and then never finishes.
    fn hanging(calls: &Arc<AtomicU32>) -> impl Future<Output = Result<Credentials>> + Send + 'static {
        calls.fetch_add(1, Ordering::SeqCst);
        std::future::pending()
    }

    fn failing(calls: &Arc<AtomicU32>) -> impl Future<Output = Result<Credentials>> + Send + 'static {
        calls.fetch_add(1, Ordering::SeqCst);
        async { Err(Error::credentials("endpoint down", None)) }
    }

    #[test]
    fn refresh_time_is_the_margin_or_half_the_lifetime() {
        let p = RefreshPolicy::default();
        assert_eq!(p.refresh_at(at(1000), at(1000 + 7200)), at(1000 + 7200 - 300));
        assert_eq!(p.refresh_at(at(1000), at(1000 + 400)), at(1000 + 200));
        assert_eq!(p.refresh_at(at(1000), at(900)), at(1000));
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let p = RefreshPolicy::default();
        let secs: Vec<u64> = (1..=9).map(|n| p.backoff(n).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }

    #[test]
    fn extreme_durations_saturate() {
        let max = RefreshPolicy::default()
            .with_refresh_before(Duration::MAX)
            .with_failure_backoff(Duration::MAX, Duration::MAX);
        // A margin longer than any lifetime: refresh at half-life.
        assert_eq!(max.refresh_at(at(1000), at(1000 + 400)), at(1000 + 200));
        assert_eq!(max.backoff(u32::MAX), Duration::MAX);
        let now = Instant::now();
        assert!(instant_after(now, Duration::MAX) > now + Duration::from_secs(50 * 365 * 24 * 3600));
        let zero = RefreshPolicy::default()
            .with_refresh_before(Duration::ZERO)
            .with_failure_backoff(Duration::ZERO, Duration::ZERO);
        assert_eq!(zero.refresh_at(at(1000), at(1000 + 7200)), at(1000 + 7200));
        assert_eq!(zero.backoff(1), Duration::ZERO);
        assert_eq!(instant_after(now, Duration::ZERO), now);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_with_maximal_backoff_neither_panics_nor_retries() {
        wall_clock!(NOW, clock);
        let policy = RefreshPolicy::default()
            .with_refresh_before(Duration::MAX)
            .with_failure_backoff(Duration::MAX, Duration::MAX);
        let cache = RefreshCache::with_clock("test", policy, Duration::MAX, clock());
        let calls = Arc::new(AtomicU32::new(0));
        for _ in 0..3 {
            let e = cache.get(|| failing(&calls)).await.unwrap_err();
            assert!(e.to_string().contains("endpoint down"), "{e}");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // No backoff at all: each call tries again.
        let zero = RefreshPolicy::default().with_failure_backoff(Duration::ZERO, Duration::ZERO);
        let cache = RefreshCache::with_clock("test", zero, Duration::from_secs(1), clock());
        cache.get(|| failing(&calls)).await.unwrap_err();
        cache.get(|| failing(&calls)).await.unwrap_err();
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    // Still-valid credentials inside the refresh window: every caller gets them at once while
    // the refresh hangs in the background, and only one refresh starts.
    #[tokio::test(start_paused = true)]
    async fn valid_credentials_are_served_while_a_refresh_hangs() {
        wall_clock!(NOW, clock);
        let cache =
            Arc::new(RefreshCache::with_clock("test", RefreshPolicy::default(), Duration::from_secs(3), clock()));
        cache.get(|| async { Ok(creds("a", T0 + 3600)) }).await.unwrap();
        NOW.store(T0 + 3600 - 9, Ordering::SeqCst);
        let calls = Arc::new(AtomicU32::new(0));
        let tasks: Vec<_> = (0..5)
            .map(|_| {
                let (cache, calls) = (Arc::clone(&cache), Arc::clone(&calls));
                tokio::spawn(async move {
                    tokio::time::timeout(Duration::from_millis(300), cache.get(|| hanging(&calls))).await
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().expect("served at once").unwrap().secret_id(), "a");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // The refresh is abandoned at its ceiling, once, and backs off (1 s): still served.
        cache.idle().await;
        assert_eq!(cache.failures(), 1);
        assert_eq!(cache.get(|| hanging(&calls)).await.unwrap().secret_id(), "a");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    // Callers that give up while waiting neither cancel the refresh nor start new ones, and its
    // failure is recorded once.
    #[tokio::test(start_paused = true)]
    async fn cancelled_waiters_do_not_restart_or_cancel_the_refresh() {
        wall_clock!(NOW, clock);
        let cache =
            Arc::new(RefreshCache::with_clock("test", RefreshPolicy::default(), Duration::from_secs(60), clock()));
        let calls = Arc::new(AtomicU32::new(0));
        let finished = Arc::new(AtomicU32::new(0));
        let slow_failure = |calls: &Arc<AtomicU32>, finished: &Arc<AtomicU32>| {
            calls.fetch_add(1, Ordering::SeqCst);
            let finished = Arc::clone(finished);
            async move {
                tokio::time::sleep(Duration::from_secs(10)).await;
                finished.fetch_add(1, Ordering::SeqCst);
                Err(Error::credentials("endpoint down", None))
            }
        };
        for _ in 0..5 {
            let r =
                tokio::time::timeout(Duration::from_millis(300), cache.get(|| slow_failure(&calls, &finished))).await;
            assert!(r.is_err(), "the caller gave up");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1, "one refresh for five callers");
        cache.idle().await;
        assert_eq!(finished.load(Ordering::SeqCst), 1, "the refresh ran to its end");
        assert_eq!(cache.failures(), 1);
        // Inside the backoff: the error at once, no new refresh.
        let e = cache.get(|| slow_failure(&calls, &finished)).await.unwrap_err();
        assert!(e.to_string().contains("endpoint down") && e.to_string().contains("next attempt"), "{e}");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    // Expired credentials and a hanging endpoint: callers wait on the one refresh and get an
    // error when it hits its ceiling.
    #[tokio::test(start_paused = true)]
    async fn expired_credentials_wait_for_the_one_refresh_until_its_ceiling() {
        wall_clock!(NOW, clock);
        let cache =
            Arc::new(RefreshCache::with_clock("test", RefreshPolicy::default(), Duration::from_secs(3), clock()));
        cache.get(|| async { Ok(creds("a", T0 + 3600)) }).await.unwrap();
        NOW.store(T0 + 3600 + 1, Ordering::SeqCst);
        let calls = Arc::new(AtomicU32::new(0));
        let tasks: Vec<_> = (0..5)
            .map(|_| {
                let (cache, calls) = (Arc::clone(&cache), Arc::clone(&calls));
                tokio::spawn(async move { cache.get(|| hanging(&calls)).await })
            })
            .collect();
        for t in tasks {
            let e = t.await.unwrap().unwrap_err();
            assert!(matches!(e, Error::Credentials(_)), "{e:?}");
            assert!(e.to_string().contains("test: the refresh did not finish within 3000 ms"), "{e}");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(cache.failures(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_panicking_refresh_counts_as_one_failure() {
        wall_clock!(NOW, clock);
        let cache = RefreshCache::with_clock("test", RefreshPolicy::default(), Duration::from_secs(3), clock());
        let e = cache
            .get(|| async {
                if NOW.load(Ordering::SeqCst) > 0 {
                    panic!("provider bug");
                }
                Ok(creds("never", T0 + 3600))
            })
            .await
            .unwrap_err();
        assert!(e.to_string().contains("stopped before finishing"), "{e}");
        assert_eq!(cache.failures(), 1);
        let e = cache.get(|| async { Ok(creds("later", T0 + 3600)) }).await.unwrap_err();
        assert!(e.to_string().contains("next attempt"), "{e}");
    }

    // One test drives the fake clock, so the steps cannot race with each other.
    #[tokio::test(start_paused = true)]
    async fn caches_refreshes_early_and_backs_off_after_failure() {
        wall_clock!(NOW, clock);
        let policy = RefreshPolicy::default().with_failure_backoff(Duration::from_millis(100), Duration::from_secs(1));
        let cache = RefreshCache::with_clock("test", policy, Duration::from_secs(10), clock());
        let calls = Arc::new(AtomicU32::new(0));
        let ok = |id: &'static str, expires: i64| {
            calls.fetch_add(1, Ordering::SeqCst);
            async move { Ok(creds(id, expires)) }
        };
        let c = cache.get(|| ok("a", T0 + 3600)).await.unwrap();
        assert_eq!(c.secret_id(), "a");
        // Cached until 5 minutes before expiry.
        NOW.store(T0 + 3600 - 301, Ordering::SeqCst);
        assert_eq!(cache.get(|| ok("b", 0)).await.unwrap().secret_id(), "a");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // Inside the margin: the old ones at once, the new ones once the background refresh lands.
        NOW.store(T0 + 3600 - 299, Ordering::SeqCst);
        assert_eq!(cache.get(|| ok("b", T0 + 7200)).await.unwrap().secret_id(), "a");
        cache.idle().await;
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(cache.get(|| ok("c", 0)).await.unwrap().secret_id(), "b");
        assert_eq!(calls.load(Ordering::SeqCst), 2);

        // A failed refresh inside the margin keeps the still-valid credentials and backs off.
        NOW.store(T0 + 7200 - 100, Ordering::SeqCst);
        let fails = Arc::new(AtomicU32::new(0));
        assert_eq!(cache.get(|| failing(&fails)).await.unwrap().secret_id(), "b");
        cache.idle().await;
        assert_eq!(cache.get(|| failing(&fails)).await.unwrap().secret_id(), "b");
        assert_eq!(fails.load(Ordering::SeqCst), 1, "the second call is inside the backoff");
        // Once expired, the error comes back, still without calling the endpoint.
        NOW.store(T0 + 7200 + 1, Ordering::SeqCst);
        let e = cache.get(|| failing(&fails)).await.unwrap_err();
        assert!(e.to_string().contains("endpoint down") && e.to_string().contains("next attempt"), "{e}");
        assert_eq!(fails.load(Ordering::SeqCst), 1);
        tokio::time::advance(Duration::from_millis(120)).await;
        cache.get(|| failing(&fails)).await.unwrap_err();
        assert_eq!(fails.load(Ordering::SeqCst), 2, "after the backoff the endpoint is tried again");
        // The second failure waits twice as long (200 ms).
        tokio::time::advance(Duration::from_millis(30)).await;
        cache.get(|| failing(&fails)).await.unwrap_err();
        assert_eq!(fails.load(Ordering::SeqCst), 2);
        tokio::time::advance(Duration::from_millis(200)).await;
        assert_eq!(cache.get(|| ok("d", T0 + 20_000)).await.unwrap().secret_id(), "d");

        // Credentials that arrive already expired count as a failure.
        let cache = RefreshCache::with_clock("test", policy, Duration::from_secs(10), clock());
        let e = cache.get(|| ok("old", T0)).await.unwrap_err();
        assert!(e.to_string().contains("already expired"), "{e}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_refresh() {
        let cache = Arc::new(RefreshCache::new("test", RefreshPolicy::default(), Duration::from_secs(10)));
        let calls = Arc::new(AtomicU32::new(0));
        let tasks: Vec<_> = (0..32)
            .map(|_| {
                let cache = Arc::clone(&cache);
                let calls = Arc::clone(&calls);
                tokio::spawn(async move {
                    cache
                        .get(|| async move {
                            calls.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Ok(Credentials::new("shared", "k")
                                .with_expiry(SystemTime::now() + Duration::from_secs(3600)))
                        })
                        .await
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap().secret_id(), "shared");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn waiters_share_the_error_and_its_source() {
        wall_clock!(NOW, clock);
        let cache =
            Arc::new(RefreshCache::with_clock("test", RefreshPolicy::default(), Duration::from_secs(10), clock()));
        let tasks: Vec<_> = (0..3)
            .map(|_| {
                let cache = Arc::clone(&cache);
                tokio::spawn(async move {
                    cache
                        .get(|| async {
                            tokio::time::sleep(Duration::from_millis(10)).await;
                            let io = std::io::Error::other("inner cause");
                            Err(Error::credentials("outer message", Some(Box::new(io))))
                        })
                        .await
                })
            })
            .collect();
        for t in tasks {
            let e = t.await.unwrap().unwrap_err();
            let Error::Credentials(c) = &e else { panic!("{e:?}") };
            assert_eq!(c.message, "outer message");
            assert!(!c.is_not_found());
            let src = std::error::Error::source(&**c).expect("a source");
            assert_eq!(src.to_string(), "inner cause");
        }
    }
}
