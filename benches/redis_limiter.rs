//! What the Redis limiter costs per request, against the local one.
//!
//! ```sh
//! export TCBILLING_TEST_REDIS_URL="$(scripts/start-test-redis.sh)"
//! cargo bench --features redis --bench redis_limiter
//! ```
//!
//! Four measurements, each for the local limiter and the Redis one:
//!
//! 1. **Unsaturated acquire**: a permit is always free (a quota far above the request rate), so
//!    `acquire()` costs only its decision: a mutex for the local pacer, one script round trip for
//!    Redis. A bare `PING` round trip is shown for scale.
//! 2. **Unsaturated call**: a whole `describe_account_balance()` against the embedded sandbox over
//!    loopback HTTP, so the limiter's share of a real call shows.
//! 3. **Saturated acquire**: four callers per limiter against quotas of 5, 20 and 50 per second
//!    for a few seconds each. The numbers are the achieved rate (also as a share of what the pacing
//!    allows, N per 1.01 s), how late each permit came after its slot (the gap between consecutive
//!    permits less the interval), and how many Redis round trips each permit took.
//!
//! It is a plain program (`harness = false`) so that it needs no benchmarking crate; without
//! `TCBILLING_TEST_REDIS_URL` (or `TCBILLING_BENCH_REDIS_URL`) it says so and exits.

use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tencentcloud_billing::__internals::quota::{Quota, RateLimiter, RedisStore};
use tencentcloud_billing::sandbox::Sandbox;
use tencentcloud_billing::{BillingClient, Credentials, RetryConfig};
use tokio::time::Instant;

const SECRET_KEY: &str = "bench-key";

fn main() {
    let url = ["TCBILLING_BENCH_REDIS_URL", "TCBILLING_TEST_REDIS_URL"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.trim().is_empty()));
    let Some(url) = url else {
        println!("redis_limiter: skipped, set TCBILLING_TEST_REDIS_URL (scripts/start-test-redis.sh starts a Redis)");
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(run(url));
}

async fn run(url: String) {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("redis_limiter benchmark: {cores} cores, Redis at {}", redacted(&url));
    println!();

    // 1. Unsaturated acquire.
    println!("unsaturated acquire (a permit is always free)             mean      p50      p99");
    let unlimited = Quota::per_second(NonZeroU32::MAX);
    let local = RateLimiter::new(unlimited);
    let samples = time_n(200_000, || local.acquire()).await;
    print_row("local limiter", &samples);
    let store = RedisStore::open(&url).unwrap();
    let shared = RateLimiter::shared(unlimited, &store, &account("acquire"), "DescribeBillList");
    shared.acquire().await; // connect
    let samples = time_n(20_000, || shared.acquire()).await;
    print_row("redis limiter (one script round trip)", &samples);
    let mut conn = redis::Client::open(url.as_str()).unwrap().get_multiplexed_async_connection().await.unwrap();
    let samples = time_n(20_000, || {
        let mut c = conn.clone();
        async move {
            let _: String = redis::cmd("PING").query_async(&mut c).await.unwrap();
        }
    })
    .await;
    print_row("bare redis PING, for scale", &samples);
    assert!(store.is_available(), "Redis failed during the benchmark");
    println!();

    // 2. Unsaturated call through the client.
    println!("unsaturated call (DescribeAccountBalance, sandbox, HTTP)   mean      p50      p99");
    let id = account("call");
    let sandbox = Sandbox::builder().enforce_quotas(false).start().await.unwrap();
    sandbox.add_credentials(&id, SECRET_KEY, None);
    let build = |redis: Option<&str>| {
        let b = BillingClient::builder()
            .endpoint(sandbox.endpoint())
            .credentials(Credentials::new(&id, SECRET_KEY))
            .retry(RetryConfig::disabled())
            .rate_limit("DescribeAccountBalance", u32::MAX);
        match redis {
            Some(u) => b.redis_rate_limit(u),
            None => b,
        }
        .build()
        .unwrap()
    };
    let (local_client, redis_client) = (build(None), build(Some(&url)));
    let mut means = Vec::new();
    for (name, client) in [("local limiter", &local_client), ("redis limiter", &redis_client)] {
        for _ in 0..200 {
            client.describe_account_balance().send().await.unwrap(); // warm up
        }
        let samples = time_n(5_000, || async {
            client.describe_account_balance().send().await.unwrap();
        })
        .await;
        print_row(name, &samples);
        means.push(mean(&samples));
    }
    println!("{:<55} {:>8}", "extra per call with redis (mean)", fmt_dur(means[1].saturating_sub(means[0])));
    println!();

    // 3. Saturated acquire.
    let seconds = 4;
    println!("saturated acquire (4 callers, {seconds} s)         rate  of pace  late mean  late p99  trips/permit");
    for n in [5u32, 20, 50] {
        let quota = Quota::per_second(NonZeroU32::new(n).unwrap());
        let pace = f64::from(n) / 1.01;
        let local = Arc::new(RateLimiter::new(quota));
        let (rate, late, _) = saturate(&local, quota, seconds).await;
        println!(
            "{:<36} {:>7.2}/s {:>7.1}% {:>9} {:>9} {:>9}",
            format!("local limiter, quota {n}/s"),
            rate,
            100.0 * rate / pace,
            fmt_dur(mean(&late)),
            fmt_dur(pct(&late, 99)),
            "-"
        );
        let shared = Arc::new(RateLimiter::shared(quota, &store, &account("saturated"), "DescribeBillList"));
        let before = script_calls(&mut conn).await;
        let (rate, late, permits) = saturate(&shared, quota, seconds).await;
        let trips = (script_calls(&mut conn).await - before) as f64 / permits as f64;
        println!(
            "{:<36} {:>7.2}/s {:>7.1}% {:>9} {:>9} {:>9.2}",
            format!("redis limiter, quota {n}/s"),
            rate,
            100.0 * rate / pace,
            fmt_dur(mean(&late)),
            fmt_dur(pct(&late, 99)),
            trips
        );
    }
    println!(
        "(\"of pace\": of N per 1.01 s, the most the pacing allows; \"late\": gap between permits less the interval)"
    );
    assert!(store.is_available(), "Redis failed during the benchmark");
}

/// Time `n` sequential runs of `f`.
async fn time_n<F, Fut>(n: usize, mut f: F) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future,
{
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        f().await;
        samples.push(t.elapsed());
    }
    samples
}

/// Four callers on `limiter` for `seconds`: the achieved rate, how late each permit came, and how
/// many permits there were (the callers queued at the end finish after it).
async fn saturate(limiter: &Arc<RateLimiter>, quota: Quota, seconds: u64) -> (f64, Vec<Duration>, usize) {
    let granted = Arc::new(Mutex::new(Vec::new()));
    let end = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let (limiter, granted) = (Arc::clone(limiter), Arc::clone(&granted));
        tasks.push(tokio::spawn(async move {
            while Instant::now() < end {
                limiter.acquire().await;
                granted.lock().unwrap().push(Instant::now());
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let mut granted = granted.lock().unwrap().clone();
    granted.sort_unstable();
    let span = granted.last().unwrap().duration_since(granted[0]).as_secs_f64();
    let rate = (granted.len() - 1) as f64 / span;
    let late = granted.windows(2).map(|w| w[1].duration_since(w[0]).saturating_sub(quota.interval())).collect();
    (rate, late, granted.len())
}

async fn script_calls(conn: &mut redis::aio::MultiplexedConnection) -> u64 {
    let info: String = redis::cmd("INFO").arg("commandstats").query_async(conn).await.unwrap();
    // cmdstat_evalsha:calls=123,... and cmdstat_eval:calls=1,... (after a script reload)
    info.lines()
        .filter(|l| l.starts_with("cmdstat_evalsha:") || l.starts_with("cmdstat_eval:"))
        .filter_map(|l| l.split("calls=").nth(1)?.split(',').next()?.parse::<u64>().ok())
        .sum()
}

fn account(tag: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("AKIDbench{tag}{}x{nanos}", std::process::id())
}

fn redacted(url: &str) -> String {
    match url.rsplit_once('@') {
        Some((_, host)) => format!("redis://***@{host}"),
        None => url.to_owned(),
    }
}

fn mean(samples: &[Duration]) -> Duration {
    samples.iter().sum::<Duration>() / samples.len().max(1) as u32
}

fn pct(samples: &[Duration], p: usize) -> Duration {
    let mut s = samples.to_vec();
    s.sort_unstable();
    s.get((s.len() * p / 100).min(s.len().saturating_sub(1))).copied().unwrap_or_default()
}

fn fmt_dur(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 10.0 {
        format!("{:.2} µs", us)
    } else if us < 10_000.0 {
        format!("{:.0} µs", us)
    } else {
        format!("{:.1} ms", us / 1e3)
    }
}

fn print_row(name: &str, samples: &[Duration]) {
    println!(
        "{:<55} {:>8} {:>8} {:>8}",
        name,
        fmt_dur(mean(samples)),
        fmt_dur(pct(samples, 50)),
        fmt_dur(pct(samples, 99))
    );
}
