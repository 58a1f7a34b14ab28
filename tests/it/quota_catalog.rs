//! The documented quotas as the catalog and the client carry them, and the 5/s pacing through the
//! limiter's pure logic (and, with a paused clock and no sockets, through its waiting).

use std::num::NonZeroU32;
use std::time::Duration;

use tencentcloud_billing::__internals::quota::{Pacer, Quota, RateLimiter};
use tencentcloud_billing::{ACTIONS, ActionKind, BillingClient, Credentials, Site, find_action};

const FIVE: [&str; 4] =
    ["DescribeBillDetail", "DescribeBillResourceSummary", "DescribeCostDetail", "DescribeDosageCosDetailByDate"];
const FIFTY: [&str; 3] =
    ["DescribeAllocationMonthOverview", "DescribeAllocationOverview", "DescribeAllocationTrendByMonth"];

#[test]
fn the_catalog_has_all_72_actions_with_their_quotas() {
    assert_eq!(ACTIONS.len(), 72);
    assert!(ACTIONS.windows(2).all(|w| w[0].name < w[1].name), "sorted by name");
    for a in ACTIONS {
        let expected = if FIVE.contains(&a.name) {
            5
        } else if FIFTY.contains(&a.name) {
            50
        } else {
            20
        };
        assert_eq!(a.quota, expected, "{}", a.name);
        assert_eq!(find_action(a.name).map(|f| f.method), Some(a.method));
    }
    let china = ACTIONS.iter().filter(|a| a.sites.contains(&Site::China)).count();
    let intl = ACTIONS.iter().filter(|a| a.sites.contains(&Site::International)).count();
    assert_eq!((china, intl), (71, 65));
    assert_eq!(find_action("DescribeCPQBillingMapping").unwrap().sites, &[Site::International]);
}

#[test]
fn kinds_mark_writes_and_money() {
    for name in ["PayDeals", "CreateInstance", "RenewInstance", "RefundInstance", "SetRenewal"] {
        assert_eq!(find_action(name).unwrap().kind, ActionKind::Money, "{name}");
    }
    for a in ACTIONS {
        let write = ["Create", "Modify", "Delete"].iter().any(|p| a.name.starts_with(p));
        if write && a.name != "CreateInstance" {
            assert_eq!(a.kind, ActionKind::Write, "{}", a.name);
        }
        if a.name.starts_with("Describe") {
            assert_eq!(a.kind, ActionKind::Read, "{}", a.name);
        }
    }
}

#[test]
fn the_client_enforces_the_documented_quotas() {
    let c = BillingClient::builder().credentials(Credentials::new("AKIDtest", "test-key")).build().unwrap();
    for name in FIVE {
        assert_eq!(c.quota(name).map(|q| q.limit()), Some(5), "{name}");
    }
    for name in FIFTY {
        assert_eq!(c.quota(name).map(|q| q.limit()), Some(50), "{name}");
    }
    assert_eq!(c.quota("DescribeAccountWarning").map(|q| q.limit()), Some(20));
}

#[test]
fn five_per_second_never_puts_six_requests_in_one_second() {
    // A caller that sends the moment the pacer allows, for ten seconds of simulated time.
    let mut pacer = Pacer::new(Quota::per_second(NonZeroU32::new(5).unwrap()));
    let second = 1_000_000_000u64;
    let mut now = 0u64;
    let mut sent = Vec::new();
    while now < 10 * second {
        match pacer.check(now) {
            Ok(()) => sent.push(now),
            Err(wait) => now += wait,
        }
    }
    for (i, &t) in sent.iter().enumerate() {
        let in_window = sent[i..].iter().take_while(|&&u| u < t + second).count();
        assert!(in_window <= 5, "{in_window} requests in the second starting at {t} ns");
    }
    // The pacing keeps throughput close to the quota: 99% of it.
    assert!(sent.len() >= 49, "{} requests in 10 s", sent.len());
    // A window of one second plus the pacing margin still holds at most five.
    let margin = tencentcloud_billing::__internals::quota::PACING_MARGIN.as_nanos() as u64;
    for (i, &t) in sent.iter().enumerate() {
        assert!(sent[i..].iter().take_while(|&&u| u < t + second + margin).count() <= 5);
    }
}

#[tokio::test(start_paused = true)]
async fn the_limiter_waits_between_permits() {
    let limiter = RateLimiter::new(Quota::per_second(NonZeroU32::new(5).unwrap()));
    let start = tokio::time::Instant::now();
    for _ in 0..11 {
        limiter.acquire().await;
    }
    // Ten intervals of (1 s + margin) / 5 after the first, immediate permit.
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(2020), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(2100), "{elapsed:?}");
}
