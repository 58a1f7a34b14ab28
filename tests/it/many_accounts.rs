//! Many accounts on one connection pool: `BillingClient::with_credentials` derives a client per
//! account that sends through the pool of the client it came from, with its own credentials and
//! its own quotas.

use std::time::Duration;

use tencentcloud_billing::money::Cents;
use tencentcloud_billing::sandbox::{Account, Sandbox};
use tencentcloud_billing::{BillingClient, Credentials, RetryConfig};

/// The TCP sockets of this process (and of any other on the machine) whose far end is `port` on
/// loopback, in any state: open, closing or in TIME_WAIT. A pool that opened and dropped a
/// connection per account would leave one entry each, so this counts every connection made, not
/// only those still open.
fn client_sockets_to(port: u16) -> usize {
    let mut n = 0;
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else { continue };
        for line in text.lines().skip(1) {
            // "  sl  local_address rem_address   st ...": addresses are HEXIP:HEXPORT.
            let mut fields = line.split_whitespace();
            let remote = fields.nth(2).unwrap_or_default();
            let remote_port = remote.rsplit(':').next().and_then(|p| u16::from_str_radix(p, 16).ok());
            if remote_port == Some(port) {
                n += 1;
            }
        }
    }
    n
}

fn id(i: u32) -> String {
    format!("AKIDmany{i:03}")
}

#[tokio::test]
async fn three_hundred_accounts_share_a_handful_of_sockets() {
    let sandbox = Sandbox::start().await.unwrap();
    for i in 0..300 {
        sandbox.add_account(
            &id(i),
            &format!("key-{i}"),
            Account::with_balance(Cents::from(1_000 + i64::from(i))).uin(u64::from(i)),
        );
    }
    let port = sandbox.addr().port();
    let base = sandbox.client_builder().build().unwrap();
    for i in 0..300 {
        let client = base.with_credentials(Credentials::new(id(i), format!("key-{i}")));
        assert!(!format!("{client:?}").contains(&format!("key-{i}")), "the derived client's Debug hides its key");
        let answer = client.describe_account_balance().send().await.unwrap();
        assert_eq!(answer.uin, Some(u64::from(i)), "account {i} is answered as itself");
        assert_eq!(answer.real_balance, Some(Cents::from(1_000 + i64::from(i))));
    }
    let requests = sandbox.requests();
    assert_eq!(requests.len(), 300);
    assert!(
        requests.iter().enumerate().all(|(i, r)| r.secret_id == id(i as u32)),
        "each call signed by its own account"
    );
    let sockets = client_sockets_to(port);
    assert!(sockets <= 4, "300 accounts one after another held {sockets} client sockets to the sandbox, not a handful");

    // The same count for clients built one per account: every one opens its own connection, so
    // the measure above would have seen them.
    let other = Sandbox::start().await.unwrap();
    let port = other.addr().port();
    let mut separate = Vec::new();
    for i in 0..20 {
        other.add_account(&id(i), &format!("key-{i}"), Account::default());
        let client = other.client_builder().credentials(Credentials::new(id(i), format!("key-{i}"))).build().unwrap();
        client.describe_account_balance().send().await.unwrap();
        separate.push(client);
    }
    let sockets = client_sockets_to(port);
    assert!(sockets >= 20, "20 separate clients held {sockets} sockets: the count misses connections");
}

#[tokio::test]
async fn each_derived_account_is_paced_on_its_own() {
    let sandbox = Sandbox::builder().enforce_quotas(false).start().await.unwrap();
    sandbox.add_account("AKIDpaceA", "key-a", Account::default());
    sandbox.add_account("AKIDpaceB", "key-b", Account::default());
    let base = sandbox
        .client_builder()
        .rate_limit("DescribeAccountBalance", 1)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let a = base.with_credentials(Credentials::new("AKIDpaceA", "key-a"));
    let b = base.with_credentials(Credentials::new("AKIDpaceB", "key-b"));
    assert_eq!(b.quota("DescribeAccountBalance").unwrap().limit(), 1, "the quota settings carry over");
    // A's second call waits a second for A's quota. B's call, started after it, must not queue
    // behind it: its quota is its own.
    let call = |c: &BillingClient| {
        let c = c.clone();
        tokio::spawn(async move { c.describe_account_balance().send().await.unwrap() })
    };
    a.describe_account_balance().send().await.unwrap();
    let a2 = call(&a);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let b1 = call(&b);
    b1.await.unwrap();
    a2.await.unwrap();
    let arrivals: Vec<(String, Duration)> = sandbox.requests().into_iter().map(|r| (r.secret_id, r.arrived)).collect();
    let order: Vec<&str> = arrivals.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(order, ["AKIDpaceA", "AKIDpaceB", "AKIDpaceA"], "B went ahead of A's paced call");
    let a_gap = arrivals[2].1 - arrivals[0].1;
    assert!(a_gap >= Duration::from_millis(900), "A's two calls {a_gap:?} apart: A's quota of 1/s was not kept");
}
