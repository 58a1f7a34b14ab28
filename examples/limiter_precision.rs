//! Limiter precision: 10,000 concurrent callers on one 20/s action, on real time.
//!
//! ```text
//! cargo run --release --example limiter_precision                # 10,000 callers, 10 s
//! cargo run --release --example limiter_precision -- --callers 2000 --secs 5 --rate 50
//! ```
//!
//! Every caller asks the same [`RateLimiter`] for one permit at once, so all of them queue. The run
//! stops after `--secs` seconds (the callers still queued are dropped, which the limiter allows:
//! a cancelled wait takes no permit). It reports the largest number of permits granted in any
//! sliding one-second window (it must not exceed the quota), the achieved rate as a fraction of the
//! quota, and the peak resident memory of the process with every caller queued.

use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tencentcloud_billing::__internals::quota::{Quota, RateLimiter};

fn main() {
    let mut callers = 10_000usize;
    let mut secs = 10.0f64;
    let mut rate = 20u32;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().and_then(|v| v.parse::<f64>().ok()).expect("a number after the flag");
        match a.as_str() {
            "--callers" => callers = value().clamp(1.0, 1_000_000.0) as usize,
            "--secs" => secs = value().clamp(1.0, 60.0),
            "--rate" => rate = value().clamp(1.0, 10_000.0) as u32,
            other => panic!("unknown argument {other:?} (try --callers, --secs, --rate)"),
        }
    }
    let quota = Quota::per_second(NonZeroU32::new(rate).expect("rate >= 1"));
    let rss_before = status_kib("VmRSS");

    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let (grants, queued_rss) = rt.block_on(async {
        let limiter = Arc::new(RateLimiter::new(quota));
        let grants = Arc::new(Mutex::new(Vec::with_capacity(callers.min(1 << 20))));
        let start = Instant::now();
        let tasks: Vec<_> = (0..callers)
            .map(|_| {
                let limiter = Arc::clone(&limiter);
                let grants = Arc::clone(&grants);
                tokio::spawn(async move {
                    limiter.acquire().await;
                    let at = start.elapsed();
                    grants.lock().expect("grants").push(at);
                })
            })
            .collect();
        // Let every task reach the queue, then read the memory with all of them waiting.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let queued_rss = status_kib("VmRSS");
        tokio::time::sleep_until((start + Duration::from_secs_f64(secs)).into()).await;
        for t in &tasks {
            t.abort();
        }
        for t in tasks {
            let _ = t.await;
        }
        let mut g = grants.lock().expect("grants").clone();
        g.sort_unstable();
        (g, queued_rss)
    });

    let limit = quota.limit() as usize;
    let window = Duration::from_secs(1);
    // The count in every window [t, t + 1 s) that starts at a grant; the maximum over all
    // sliding windows is reached at one of those.
    let (mut max, mut over, mut lo) = (0usize, 0usize, 0usize);
    for hi in 0..grants.len() {
        while grants[hi] - grants[lo] >= window {
            lo += 1;
        }
        let n = hi - lo + 1;
        max = max.max(n);
        if n > limit {
            over += 1;
        }
    }
    let achieved = if grants.len() > 1 {
        (grants.len() - 1) as f64 / (*grants.last().expect("grants") - grants[0]).as_secs_f64()
    } else {
        0.0
    };
    println!(
        "limiter_precision: {callers} callers on one {limit}/s action for {secs} s (pacing interval {:.3} ms)",
        quota.interval().as_secs_f64() * 1e3
    );
    println!("permits granted:                     {}", grants.len());
    println!("max permits in any 1 s window:       {max} (quota {limit})");
    println!("windows over the quota:              {over}");
    println!(
        "achieved rate:                       {achieved:.3}/s = {:.2}% of the quota",
        achieved / f64::from(quota.limit()) * 100.0
    );
    println!("RSS before the runtime:              {:.1} MiB", rss_before as f64 / 1024.0);
    println!("RSS with all callers queued:         {:.1} MiB", queued_rss as f64 / 1024.0);
    // The kernel updates VmHWM lazily; the sample taken while queued can be a little above it.
    let peak = status_kib("VmHWM").max(queued_rss);
    println!("peak RSS (max of VmHWM and the above): {:.1} MiB", peak as f64 / 1024.0);
}

/// A `Vm*` line of /proc/self/status, in KiB (0 where /proc is not there).
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
