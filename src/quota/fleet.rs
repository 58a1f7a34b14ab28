//! The fleet-wide pace: the same GCRA as [`Pacer`](super::Pacer), kept in Redis.
//!
//! One key per account and action holds the earliest time (on Redis's clock, in microseconds) the
//! next request of that action may leave. A Lua script reads it, compares it with `TIME`, and
//! either moves it one interval on (go) or answers how long to wait; Redis runs scripts one at a
//! time, so the decision is atomic across every process. Keys carry an expiry a little longer
//! than one interval, so an idle action leaves nothing behind.
//!
//! Redis is an optimisation of fairness across processes, never a reason to fail a call: when it
//! cannot be reached, errs, is slow or answers what the script never returns (a wait longer than
//! one interval, a negative number, another type), the limiter paces the process locally, warns
//! once, and asks Redis again after a short backoff.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use sha2::{Digest, Sha256};
use tokio::time::Instant;

use super::Quota;

/// How long one decision, connecting included, may take before Redis counts as unavailable.
pub const REDIS_TIMEOUT: Duration = Duration::from_millis(250);

/// The wait before the first probe of Redis after it became unavailable.
pub const REDIS_PROBE_BACKOFF_MIN: Duration = Duration::from_millis(500);

/// The longest wait between two probes of a Redis that stays unavailable. The backoff doubles
/// from [`REDIS_PROBE_BACKOFF_MIN`] up to this, so a recovered Redis is used again within it.
pub const REDIS_PROBE_BACKOFF_MAX: Duration = Duration::from_secs(5);

/// The prefix of every key the limiter writes.
const KEY_PREFIX: &str = "tcbilling:quota:v1";

/// How many hex digits of the account's SHA-256 go into a key (64 bits).
const ACCOUNT_HEX_LEN: usize = 16;

/// The pacing decision, run atomically by Redis.
///
/// `KEYS[1]` is the action's key; `ARGV[1]` the interval and `ARGV[2]` the lateness credit, both in
/// microseconds. The answer is 0 when the request may go now (and the slot is taken), or the wait in
/// microseconds (and nothing changes). As in the local `Pacer`, a grant that comes after its slot
/// (the queue head's timer fires a little late) passes up to the credit of that lateness on, so
/// late wake-ups do not add up along a saturated queue; the credit is never banked.
const SCRIPT: &str = r"
-- tencentcloud-billing fleet pacing: GCRA with a burst of one.
if redis.replicate_commands then pcall(redis.replicate_commands) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local credit = tonumber(ARGV[2] or '0') or 0
local ttl = string.format('%.0f', math.ceil(interval / 1000) + 1000)
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat > now + interval then
  -- Redis's clock stepped back: never make anyone wait more than one interval from now.
  tat = now + interval
  redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', ttl)
end
if now < tat then
  return tat - now
end
local base = now - credit
if tat > base then base = tat end
redis.call('SET', KEYS[1], string.format('%.0f', base + interval), 'PX', ttl)
return 0
";

/// A Redis server that holds the pace of a fleet, and the health of the connection to it.
///
/// Cheap to clone: clones share one connection and one view of whether Redis is available.
/// [`BillingClientBuilder::redis_rate_limit`](crate::BillingClientBuilder::redis_rate_limit) makes
/// one for a client; make one yourself to build [`RateLimiter::shared`](super::RateLimiter::shared)
/// limiters for other work.
///
/// # Key layout
/// `tcbilling:quota:v1:<account>:<action>`, where `<account>` is the first 16 hex digits of the
/// SHA-256 of the account name (the SecretId, for a client), so neither the SecretId nor anything
/// secret is stored. Each value is a decimal number of microseconds on Redis's clock, and each key
/// expires one interval plus a second after it was last written.
#[derive(Clone)]
pub struct RedisStore {
    inner: Arc<StoreInner>,
}

struct StoreInner {
    client: redis::Client,
    /// Where Redis is, for logs: host, port and database, never the password.
    addr: String,
    connection: Mutex<Option<ConnectionManager>>,
    health: Mutex<Health>,
    script: redis::Script,
}

#[derive(Debug, Default)]
struct Health {
    down: Option<Outage>,
}

#[derive(Debug)]
struct Outage {
    since: Instant,
    next_probe: Instant,
    backoff: Duration,
    failed_probes: u64,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("addr", &self.inner.addr)
            .field("available", &self.is_available())
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// A store at `url` (`redis://[user:password@]host[:port][/db]`). Nothing is connected until
    /// the first decision, so this neither waits nor fails when Redis is down.
    ///
    /// # Errors
    /// [`Error::Config`](crate::Error::Config) when `url` is not a Redis URL this build supports.
    pub fn open(url: &str) -> crate::Result<RedisStore> {
        let client = redis::Client::open(url).map_err(|e| {
            // The URL may hold a password: name the problem, not the URL.
            crate::Error::Config(Box::new(crate::error::ConfigError {
                message: "redis_rate_limit: invalid Redis URL".into(),
                source: Some(Box::new(e)),
            }))
        })?;
        let info = client.get_connection_info();
        let addr = format!("{}/{}", info.addr(), info.redis_settings().db());
        Ok(RedisStore {
            inner: Arc::new(StoreInner {
                client,
                addr,
                connection: Mutex::new(None),
                health: Mutex::new(Health::default()),
                script: redis::Script::new(SCRIPT),
            }),
        })
    }

    /// The key that holds `action`'s pace for `account`, e.g.
    /// `tcbilling:quota:v1:<16 hex digits>:DescribeBillDetail`. The account appears only as a hash.
    pub fn key(account: &str, action: &str) -> String {
        let digest = hex::encode(Sha256::digest(account.as_bytes()));
        format!("{KEY_PREFIX}:{}:{action}", &digest[..ACCOUNT_HEX_LEN])
    }

    /// Whether the last exchange with Redis succeeded (true before the first one). While this is
    /// false, limiters built on the store pace each process on its own.
    pub fn is_available(&self) -> bool {
        self.health().down.is_none()
    }

    fn health(&self) -> MutexGuard<'_, Health> {
        self.inner.health.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Ask Redis for `key`'s decision. `None` means "decide locally": Redis is unavailable, or it
    /// failed just now (which is logged once per outage).
    async fn check(&self, key: &str, interval_micros: u64) -> Option<Result<(), Duration>> {
        if !self.may_ask() {
            return None;
        }
        let mut conn = match self.connection() {
            Ok(c) => c,
            Err(e) => {
                self.failed(&e);
                return None;
            }
        };
        let mut invocation = self.inner.script.prepare_invoke();
        // The same credit the local pacer gives: 2 ms, at most a quarter of the interval.
        let credit = (super::LATENESS_CREDIT.as_micros() as u64).min(interval_micros / 4);
        invocation.key(key).arg(interval_micros).arg(credit);
        match tokio::time::timeout(REDIS_TIMEOUT, invocation.invoke_async::<i64>(&mut conn)).await {
            Ok(Ok(answer)) => match decision(answer, interval_micros) {
                Some(decision) => {
                    self.succeeded();
                    Some(decision)
                }
                // Not an answer the script can give: whatever answered is not our script on a
                // sound Redis. Sleeping it could stop every call for days; it is a fault.
                None => {
                    self.failed(&format_args!(
                        "answer {answer} is outside what the pacing script returns (0 to {interval_micros} µs)"
                    ));
                    None
                }
            },
            Ok(Err(e)) => {
                self.failed(&e);
                None
            }
            Err(_) => {
                self.failed(&format_args!("no answer within {} ms", REDIS_TIMEOUT.as_millis()));
                None
            }
        }
    }

    /// True when Redis is believed up, or when it is down and this caller is the one to probe it.
    fn may_ask(&self) -> bool {
        let mut health = self.health();
        match &mut health.down {
            None => true,
            Some(outage) => {
                let now = Instant::now();
                if now < outage.next_probe {
                    return false;
                }
                // Claim the probe: everyone else keeps deciding locally until it has answered.
                outage.next_probe = now + outage.backoff;
                true
            }
        }
    }

    /// The shared connection, opened lazily inside the caller's runtime.
    fn connection(&self) -> redis::RedisResult<ConnectionManager> {
        let mut slot = self.inner.connection.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(conn) = &*slot {
            return Ok(conn.clone());
        }
        // No retries inside the manager: probing after a failure is this module's job, and a
        // decision must never wait for reconnection attempts.
        let config = ConnectionManagerConfig::new()
            .set_number_of_retries(0)
            .set_connection_timeout(Some(REDIS_TIMEOUT))
            .set_response_timeout(Some(REDIS_TIMEOUT));
        let conn = ConnectionManager::new_lazy_with_config(self.inner.client.clone(), config)?;
        *slot = Some(conn.clone());
        Ok(conn)
    }

    fn succeeded(&self) {
        let outage = self.health().down.take();
        if let Some(outage) = outage {
            tracing::info!(
                redis = %self.inner.addr,
                outage_ms = outage.since.elapsed().as_millis() as u64,
                failed_probes = outage.failed_probes,
                "redis rate limiter reachable again; quotas are shared across processes again"
            );
        }
    }

    fn failed(&self, error: &dyn fmt::Display) {
        // Drop the connection: the next probe connects afresh (in whatever runtime asks), instead
        // of inheriting a broken connection or a reconnection already in progress.
        self.inner.connection.lock().unwrap_or_else(|e| e.into_inner()).take();
        let now = Instant::now();
        let mut health = self.health();
        match &mut health.down {
            None => {
                health.down = Some(Outage {
                    since: now,
                    next_probe: now + REDIS_PROBE_BACKOFF_MIN,
                    backoff: REDIS_PROBE_BACKOFF_MIN,
                    failed_probes: 0,
                });
                drop(health);
                tracing::warn!(
                    redis = %self.inner.addr,
                    %error,
                    "redis rate limiter unavailable; falling back to per-process quotas until it answers again"
                );
            }
            Some(outage) => {
                outage.failed_probes += 1;
                outage.backoff = (outage.backoff * 2).min(REDIS_PROBE_BACKOFF_MAX);
                outage.next_probe = now + outage.backoff;
                let retry_in_ms = outage.backoff.as_millis() as u64;
                drop(health);
                tracing::debug!(redis = %self.inner.addr, %error, retry_in_ms, "redis rate limiter still unavailable");
            }
        }
    }
}

/// One action's pace in a [`RedisStore`].
#[derive(Debug)]
pub(super) struct SharedPacer {
    store: RedisStore,
    key: String,
    interval_micros: u64,
}

impl SharedPacer {
    pub(super) fn new(store: &RedisStore, account: &str, action: &str, quota: Quota) -> Self {
        SharedPacer {
            store: store.clone(),
            key: RedisStore::key(account, action),
            interval_micros: interval_micros(quota),
        }
    }

    /// `Some(decision)` from Redis, or `None` to decide locally.
    pub(super) async fn check(&self) -> Option<Result<(), Duration>> {
        self.store.check(&self.key, self.interval_micros).await
    }

    pub(super) fn is_available(&self) -> bool {
        self.store.is_available()
    }
}

/// The decision the script's answer means: `0` is go, `1..=interval` the wait in microseconds.
/// Anything else (negative, or more than one interval ahead, which the script clamps away) is not
/// an answer the script gives, and `None`.
fn decision(answer: i64, interval_micros: u64) -> Option<Result<(), Duration>> {
    match u64::try_from(answer) {
        Ok(0) => Some(Ok(())),
        Ok(wait) if wait <= interval_micros => Some(Err(Duration::from_micros(wait))),
        _ => None,
    }
}

/// The quota's interval in whole microseconds, rounded up so the fleet is never faster than a
/// single process.
fn interval_micros(quota: Quota) -> u64 {
    quota.interval().as_nanos().div_ceil(1_000) as u64
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU32;

    use super::*;

    fn q(n: u32) -> Quota {
        Quota::per_second(NonZeroU32::new(n).unwrap())
    }

    #[test]
    fn keys_hash_the_account_and_name_the_action() {
        let secret_id = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
        let key = RedisStore::key(secret_id, "DescribeBillDetail");
        // The first 16 hex digits of SHA-256(SecretId), as docs/REDIS.md shows for this SecretId
        // (`printf %s AKID... | sha256sum | cut -c1-16`).
        assert_eq!(key, "tcbilling:quota:v1:490d7cf8937795a9:DescribeBillDetail");
        assert!(!key.contains(secret_id));
        assert!(!key.contains(&secret_id[4..12]), "no fragment of the SecretId either");
        // Same account and action: same key, in every process. Different: different keys.
        assert_eq!(key, RedisStore::key(secret_id, "DescribeBillDetail"));
        assert_ne!(key, RedisStore::key(secret_id, "DescribeBillList"));
        assert_ne!(key, RedisStore::key("AKIDother", "DescribeBillDetail"));
    }

    #[test]
    fn the_interval_matches_the_local_pacer_rounded_up() {
        assert_eq!(interval_micros(q(20)), 50_500);
        assert_eq!(interval_micros(q(5)), 202_000);
        assert_eq!(interval_micros(q(50)), 20_200);
        // 1.01 s / 3 = 336_666.67 µs: rounded up, never down.
        assert_eq!(interval_micros(q(3)), 336_667);
    }

    #[test]
    fn only_answers_the_script_can_give_are_decisions() {
        let interval = interval_micros(q(20));
        assert_eq!(decision(0, interval), Some(Ok(())));
        assert_eq!(decision(1, interval), Some(Err(Duration::from_micros(1))));
        assert_eq!(decision(50_500, interval), Some(Err(Duration::from_micros(50_500))));
        for bad in [-1, i64::MIN, 50_501, 1_000_000_000_000, i64::MAX] {
            assert_eq!(decision(bad, interval), None, "{bad}");
        }
    }

    #[test]
    fn a_bad_url_is_a_config_error_that_hides_the_password() {
        let e = RedisStore::open("http://:hunter2@127.0.0.1:1/").unwrap_err();
        assert!(e.to_string().contains("invalid Redis URL"), "{e}");
        assert!(!format!("{e:?}").contains("hunter2"), "{e:?}");
        let store = RedisStore::open("redis://:hunter2@127.0.0.1:6379/3").unwrap();
        let debug = format!("{store:?}");
        assert!(debug.contains("127.0.0.1:6379/3") && !debug.contains("hunter2"), "{debug}");
        assert!(store.is_available());
    }

    /// The script, against the Redis named by `TCBILLING_TEST_REDIS_URL`.
    mod script {
        use super::*;

        fn redis_url(test: &str) -> Option<String> {
            let url = std::env::var("TCBILLING_TEST_REDIS_URL").ok().filter(|u| !u.trim().is_empty());
            if url.is_none() {
                eprintln!("skipped quota::fleet script test {test}: TCBILLING_TEST_REDIS_URL is not set");
            }
            url
        }

        /// A fresh key per test and run, so parallel tests and earlier runs do not meet.
        fn fresh_key(name: &str) -> String {
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
            RedisStore::key(&format!("script-test-{}-{nanos}", std::process::id()), name)
        }

        async fn run(conn: &mut redis::aio::MultiplexedConnection, key: &str, interval: u64) -> i64 {
            redis::Script::new(SCRIPT).key(key).arg(interval).invoke_async(conn).await.unwrap()
        }

        async fn connect(url: &str) -> redis::aio::MultiplexedConnection {
            redis::Client::open(url).unwrap().get_multiplexed_async_connection().await.unwrap()
        }

        #[tokio::test]
        async fn a_late_grant_passes_on_at_most_the_credit() {
            let Some(url) = redis_url("a_late_grant_passes_on_at_most_the_credit") else { return };
            let mut conn = connect(&url).await;
            let key = fresh_key("LateCredit");
            let (interval, credit) = (200_000u64, 2_000u64);
            let go: i64 =
                redis::Script::new(SCRIPT).key(&key).arg(interval).arg(credit).invoke_async(&mut conn).await.unwrap();
            assert_eq!(go, 0);
            // The grant was "late" (no earlier slot), so the next slot is one interval less the
            // credit away: never less, so the credit cannot be banked.
            let wait: i64 =
                redis::Script::new(SCRIPT).key(&key).arg(interval).arg(credit).invoke_async(&mut conn).await.unwrap();
            assert!(wait > 150_000 && wait <= (interval - credit) as i64, "{wait}");
        }

        #[tokio::test]
        async fn go_then_wait_then_go() {
            let Some(url) = redis_url("go_then_wait_then_go") else { return };
            let mut conn = connect(&url).await;
            let key = fresh_key("GoThenWait");
            let interval = 200_000; // 200 ms
            assert_eq!(run(&mut conn, &key, interval).await, 0, "a fresh key goes at once");
            let stored: String = redis::cmd("GET").arg(&key).query_async(&mut conn).await.unwrap();
            assert!(stored.bytes().all(|b| b.is_ascii_digit()), "stored as whole microseconds: {stored}");
            let ttl: i64 = redis::cmd("PTTL").arg(&key).query_async(&mut conn).await.unwrap();
            assert!(ttl > 1_000 && ttl <= 1_200, "expires one interval plus a second later: {ttl} ms");
            let wait = run(&mut conn, &key, interval).await;
            assert!(wait > 150_000 && wait <= 200_000, "the next one waits the rest of the interval: {wait}");
            // A refused request changes nothing.
            for _ in 0..20 {
                assert!(run(&mut conn, &key, interval).await > 0);
            }
            let after: String = redis::cmd("GET").arg(&key).query_async(&mut conn).await.unwrap();
            assert_eq!(after, stored);
            tokio::time::sleep(Duration::from_micros(wait as u64 + 1_000)).await;
            assert_eq!(run(&mut conn, &key, interval).await, 0, "goes once the wait is over");
        }

        #[tokio::test]
        async fn idle_time_is_not_banked_and_keys_expire() {
            let Some(url) = redis_url("idle_time_is_not_banked_and_keys_expire") else { return };
            let mut conn = connect(&url).await;
            let key = fresh_key("Idle");
            let interval = 10_000; // 10 ms: the key lives 1.01 s
            assert_eq!(run(&mut conn, &key, interval).await, 0);
            tokio::time::sleep(Duration::from_millis(100)).await;
            assert_eq!(run(&mut conn, &key, interval).await, 0);
            assert!(run(&mut conn, &key, interval).await > 0, "burst of one after a pause");
            tokio::time::sleep(Duration::from_millis(1_200)).await;
            let exists: i64 = redis::cmd("EXISTS").arg(&key).query_async(&mut conn).await.unwrap();
            assert_eq!(exists, 0, "an idle action leaves no key behind");
        }

        #[tokio::test]
        async fn a_time_far_ahead_is_clamped_to_one_interval() {
            let Some(url) = redis_url("a_time_far_ahead_is_clamped_to_one_interval") else { return };
            let mut conn = connect(&url).await;
            let key = fresh_key("ClockStep");
            let (secs, micros): (u64, u64) = redis::cmd("TIME").query_async(&mut conn).await.unwrap();
            let hour_ahead = secs * 1_000_000 + micros + 3_600_000_000;
            let () =
                redis::cmd("SET").arg(&key).arg(hour_ahead).arg("PX").arg(60_000).query_async(&mut conn).await.unwrap();
            let wait = run(&mut conn, &key, 50_000).await;
            assert!(wait > 0 && wait <= 50_000, "{wait}");
        }

        #[tokio::test]
        async fn concurrent_callers_are_paced_by_redis_time() {
            let Some(url) = redis_url("concurrent_callers_are_paced_by_redis_time") else { return };
            let key = fresh_key("Concurrent");
            let interval = 20_000u64; // 50/s
            // Four connections race for 400 ms, each retrying as soon as it is told to.
            let deadline = std::time::Instant::now() + Duration::from_millis(400);
            let mut tasks = Vec::new();
            for _ in 0..4 {
                let (url, key) = (url.clone(), key.clone());
                tasks.push(tokio::spawn(async move {
                    let mut conn = connect(&url).await;
                    let mut granted = Vec::new();
                    while std::time::Instant::now() < deadline {
                        // The script and a read of the key in one transaction: on a grant, the key
                        // holds exactly the grant time plus one interval.
                        let (wait, tat): (i64, u64) = redis::pipe()
                            .atomic()
                            .cmd("EVAL")
                            .arg(SCRIPT)
                            .arg(1)
                            .arg(&key)
                            .arg(interval)
                            .cmd("GET")
                            .arg(&key)
                            .query_async(&mut conn)
                            .await
                            .unwrap();
                        if wait == 0 {
                            granted.push(tat - interval);
                        } else {
                            tokio::time::sleep(Duration::from_micros(wait as u64)).await;
                        }
                    }
                    granted
                }));
            }
            let mut all = Vec::new();
            for t in tasks {
                all.extend(t.await.unwrap());
            }
            all.sort_unstable();
            assert!(all.len() >= 10 && all.len() <= 21, "at most 400 ms / 20.2 ms grants: {}", all.len());
            // On Redis's clock, no two grants are closer than one interval.
            for pair in all.windows(2) {
                assert!(pair[1] - pair[0] >= interval, "{pair:?}");
            }
        }
    }
}
