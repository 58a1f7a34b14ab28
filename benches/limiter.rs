//! The per-action limiter: one uncontended acquire, and 1,000 tasks contending for one action.
//!
//! `cargo bench --bench limiter`

use std::future::Future;
use std::hint::black_box;
use std::num::NonZeroU32;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use divan::Bencher;
use divan::counter::ItemsCount;
use tencentcloud_billing::__internals::quota::{Quota, RateLimiter};

fn main() {
    divan::main();
}

/// A quota so high that the pace never makes anyone wait: what is left is the limiter's own cost.
fn unlimited() -> Quota {
    Quota::per_second(NonZeroU32::MAX)
}

const TASKS: usize = 1_000;

/// One `acquire().await` when the permit is free and nobody queues: a single poll.
#[divan::bench]
fn acquire_uncontended(b: Bencher<'_, '_>) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    let _guard = rt.enter();
    let limiter = RateLimiter::new(unlimited());
    let mut cx = Context::from_waker(Waker::noop());
    b.bench_local(|| {
        let fut = pin!(black_box(&limiter).acquire());
        match fut.poll(&mut cx) {
            Poll::Ready(waited) => waited,
            Poll::Pending => unreachable!("an uncontended acquire never waits"),
        }
    });
}

/// The floor for the next bench: spawn 1,000 tasks on a 2-worker runtime and join them.
#[divan::bench]
fn spawn_1000_tasks_baseline(b: Bencher<'_, '_>) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_time().build().unwrap();
    b.counter(ItemsCount::new(TASKS)).bench_local(|| {
        rt.block_on(async {
            let tasks: Vec<_> = (0..TASKS).map(|_| tokio::spawn(async { black_box(0) })).collect();
            for t in tasks {
                t.await.unwrap();
            }
        })
    });
}

/// 1,000 tasks on a 2-worker runtime all acquiring the same action at once.
#[divan::bench]
fn acquire_1000_contending_tasks(b: Bencher<'_, '_>) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_time().build().unwrap();
    let limiter = Arc::new(RateLimiter::new(unlimited()));
    b.counter(ItemsCount::new(TASKS)).bench_local(|| {
        rt.block_on(async {
            let tasks: Vec<_> = (0..TASKS)
                .map(|_| {
                    let l = Arc::clone(&limiter);
                    tokio::spawn(async move { l.acquire().await })
                })
                .collect();
            for t in tasks {
                t.await.unwrap();
            }
        })
    });
}

/// 1,000 tasks queued on a real 20/s quota, on tokio's paused (virtual) clock: 50 s of pacing
/// with the sleeps skipped, so what is measured is the CPU cost of queueing and waking.
#[divan::bench(sample_count = 20)]
fn acquire_1000_tasks_paced_20_per_s_virtual_time(b: Bencher<'_, '_>) {
    b.counter(ItemsCount::new(TASKS)).bench_local(|| {
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap();
        rt.block_on(async {
            let limiter = Arc::new(RateLimiter::new(Quota::per_second(NonZeroU32::new(20).unwrap())));
            let tasks: Vec<_> = (0..TASKS)
                .map(|_| {
                    let l = Arc::clone(&limiter);
                    tokio::spawn(async move { l.acquire().await })
                })
                .collect();
            for t in tasks {
                t.await.unwrap();
            }
        })
    });
}
