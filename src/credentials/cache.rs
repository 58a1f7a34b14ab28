//! Caching and refreshing of temporary credentials: one refresh in flight, early refresh, and
//! backoff after a failed refresh.

use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use tokio::time::Instant;
use tracing::Instrument;

use super::Credentials;
use crate::error::{Error, Result};

/// When temporary credentials are refreshed, and how a failing refresh backs off.
///
/// The defaults: refresh 5 minutes before expiry, and after a failed refresh wait 1 s before
/// trying again, doubling up to 60 s. While a refresh is backing off, callers get the cached
/// credentials if they have not expired yet, and the last error otherwise, without touching the
/// endpoint.
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
        early.max(fetched + lifetime / 2)
    }

    /// The wait after `failures` consecutive failed refreshes (1 for the first).
    pub(crate) fn backoff(&self, failures: u32) -> Duration {
        let exp = failures.saturating_sub(1).min(20);
        self.initial_backoff.saturating_mul(1u32 << exp).min(self.max_backoff)
    }
}

struct Failure {
    count: u32,
    retry_at: Instant,
    message: String,
    not_found: bool,
}

#[derive(Default)]
struct State {
    current: Option<(Credentials, SystemTime)>,
    failure: Option<Failure>,
}

/// Holds the current temporary credentials of one provider and refreshes them.
pub(crate) struct RefreshCache {
    policy: RefreshPolicy,
    state: Mutex<State>,
    /// Held while a refresh is in flight; waiters queue here and then find the fresh result.
    refreshing: tokio::sync::Mutex<()>,
    clock: fn() -> SystemTime,
}

impl std::fmt::Debug for RefreshCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let st = self.lock();
        f.debug_struct("RefreshCache")
            .field("expires_at", &st.current.as_ref().and_then(|(c, _)| c.expires_at()))
            .field("failures", &st.failure.as_ref().map_or(0, |f| f.count))
            .finish_non_exhaustive()
    }
}

enum Check {
    Ready(Result<Credentials>),
    Refresh,
}

impl RefreshCache {
    pub(crate) fn new(policy: RefreshPolicy) -> Self {
        RefreshCache::with_clock(policy, SystemTime::now)
    }

    pub(crate) fn with_clock(policy: RefreshPolicy, clock: fn() -> SystemTime) -> Self {
        RefreshCache { policy, state: Mutex::new(State::default()), refreshing: tokio::sync::Mutex::new(()), clock }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn check(&self) -> Check {
        let now = (self.clock)();
        let st = self.lock();
        if let Some((c, refresh_at)) = &st.current
            && now < *refresh_at
        {
            return Check::Ready(Ok(c.clone()));
        }
        if let Some(f) = &st.failure
            && Instant::now() < f.retry_at
        {
            if let Some((c, _)) = &st.current
                && c.expires_at().is_none_or(|e| now < e)
            {
                return Check::Ready(Ok(c.clone()));
            }
            let wait = f.retry_at.saturating_duration_since(Instant::now());
            let message = format!("{} (next attempt in {} ms)", f.message, wait.as_millis());
            return Check::Ready(Err(if f.not_found {
                Error::credentials_not_found(message)
            } else {
                Error::credentials(message, None)
            }));
        }
        Check::Refresh
    }

    /// The cached credentials, or the result of `fetch` when they are due for refresh. Concurrent
    /// callers share one call of `fetch`.
    pub(crate) async fn get<F, Fut>(&self, source: &'static str, fetch: F) -> Result<Credentials>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Credentials>>,
    {
        if let Check::Ready(r) = self.check() {
            return r;
        }
        let _guard = self.refreshing.lock().await;
        // Someone else may have refreshed, or failed, while this caller waited.
        if let Check::Ready(r) = self.check() {
            return r;
        }
        let fetched_at = (self.clock)();
        let span = tracing::debug_span!("billing.credentials", source);
        let result = fetch().instrument(span).await.and_then(|c| match c.expires_at() {
            Some(e) if e <= fetched_at => {
                Err(Error::credentials(format!("{source}: the credentials returned had already expired"), None))
            }
            _ => Ok(c),
        });
        let mut st = self.lock();
        match result {
            Ok(c) => {
                let refresh_at = match c.expires_at() {
                    Some(e) => self.policy.refresh_at(fetched_at, e),
                    None => SystemTime::UNIX_EPOCH + Duration::from_secs(u64::MAX / 4),
                };
                tracing::debug!(
                    source,
                    expires_in_s = c.expires_at().and_then(|e| e.duration_since(fetched_at).ok()).map(|d| d.as_secs()),
                    "credentials refreshed"
                );
                st.current = Some((c.clone(), refresh_at));
                st.failure = None;
                Ok(c)
            }
            Err(e) => {
                let count = st.failure.as_ref().map_or(0, |f| f.count) + 1;
                let wait = self.policy.backoff(count);
                let not_found = e.is_credentials_not_found();
                tracing::debug!(source, failures = count, retry_in_ms = wait.as_millis() as u64, error = %e, "credentials refresh failed");
                st.failure =
                    Some(Failure { count, retry_at: Instant::now() + wait, message: e.to_string(), not_found });
                // Credentials inside the refresh margin still work: keep using them.
                if let Some((c, _)) = &st.current
                    && c.expires_at().is_none_or(|exp| fetched_at < exp)
                {
                    return Ok(c.clone());
                }
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};

    static NOW: AtomicI64 = AtomicI64::new(1_700_000_000);

    fn fake_now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(NOW.load(Ordering::SeqCst) as u64)
    }

    fn at(secs: i64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs as u64)
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

    // One test drives the fake clock, so the steps cannot race with each other.
    #[tokio::test]
    async fn caches_refreshes_early_and_backs_off_after_failure() {
        NOW.store(1_700_000_000, Ordering::SeqCst);
        let policy = RefreshPolicy::default().with_failure_backoff(Duration::from_millis(100), Duration::from_secs(1));
        let cache = RefreshCache::with_clock(policy, fake_now);
        let calls = AtomicU32::new(0);
        let ok = |id: &'static str, expires: i64| {
            calls.fetch_add(1, Ordering::SeqCst);
            async move { Ok(Credentials::new(id, "k").with_token("t").with_expiry(at(expires))) }
        };
        let t0 = 1_700_000_000;
        let c = cache.get("test", || ok("a", t0 + 3600)).await.unwrap();
        assert_eq!(c.secret_id(), "a");
        // Cached until 5 minutes before expiry.
        NOW.store(t0 + 3600 - 301, Ordering::SeqCst);
        assert_eq!(cache.get("test", || ok("b", 0)).await.unwrap().secret_id(), "a");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        NOW.store(t0 + 3600 - 299, Ordering::SeqCst);
        assert_eq!(cache.get("test", || ok("b", t0 + 7200)).await.unwrap().secret_id(), "b");
        assert_eq!(calls.load(Ordering::SeqCst), 2);

        // A failed refresh inside the margin keeps the still-valid credentials and backs off.
        NOW.store(t0 + 7200 - 100, Ordering::SeqCst);
        let fails = AtomicU32::new(0);
        let fail = || {
            fails.fetch_add(1, Ordering::SeqCst);
            async { Err(Error::credentials("endpoint down", None)) }
        };
        assert_eq!(cache.get("test", fail).await.unwrap().secret_id(), "b");
        assert_eq!(cache.get("test", fail).await.unwrap().secret_id(), "b");
        assert_eq!(fails.load(Ordering::SeqCst), 1, "the second call is inside the backoff");
        // Once expired, the error comes back, still without calling the endpoint.
        NOW.store(t0 + 7200 + 1, Ordering::SeqCst);
        let e = cache.get("test", fail).await.unwrap_err();
        assert!(e.to_string().contains("endpoint down") && e.to_string().contains("next attempt"), "{e}");
        assert_eq!(fails.load(Ordering::SeqCst), 1);
        tokio::time::sleep(Duration::from_millis(120)).await;
        cache.get("test", fail).await.unwrap_err();
        assert_eq!(fails.load(Ordering::SeqCst), 2, "after the backoff the endpoint is tried again");
        // The second failure waits twice as long (200 ms).
        tokio::time::sleep(Duration::from_millis(30)).await;
        cache.get("test", fail).await.unwrap_err();
        assert_eq!(fails.load(Ordering::SeqCst), 2);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(cache.get("test", || ok("c", t0 + 20_000)).await.unwrap().secret_id(), "c");

        // Credentials that arrive already expired count as a failure.
        let cache = RefreshCache::with_clock(policy, fake_now);
        let e = cache.get("test", || ok("old", t0)).await.unwrap_err();
        assert!(e.to_string().contains("already expired"), "{e}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_refresh() {
        let cache = Arc::new(RefreshCache::new(RefreshPolicy::default()));
        let calls = Arc::new(AtomicU32::new(0));
        let tasks: Vec<_> = (0..32)
            .map(|_| {
                let cache = Arc::clone(&cache);
                let calls = Arc::clone(&calls);
                tokio::spawn(async move {
                    cache
                        .get("test", || async move {
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
}
