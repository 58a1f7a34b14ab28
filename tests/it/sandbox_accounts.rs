//! Several accounts in one sandbox, and the demo organization, through the typed client and its
//! paginators: each key pair reaches its own account and quota, the organization's balances and
//! bills page exactly as the spec says.

use std::time::Duration;

use tencentcloud_billing::datetime::YearMonth;
use tencentcloud_billing::money::Cents;
use tencentcloud_billing::sandbox::demo::{Demo, Organization, Scenario};
use tencentcloud_billing::sandbox::{Account, Sandbox};
use tencentcloud_billing::{BillingClient, Credentials, RetryConfig};

fn client(sandbox: &Sandbox, id: &str, key: &str) -> BillingClient {
    sandbox.client_builder().credentials(Credentials::new(id, key)).build().unwrap()
}

async fn spawn_all<F>(futs: impl IntoIterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futs.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn each_key_pair_reaches_its_own_account() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.add_account("AKIDplain", "plain-key", Account::with_balance(Cents::from(777)).uin(42));
    let prod = sandbox.add_demo_account("AKIDprod", "prod-key", Demo::new().seed(1).burn_per_hour(Cents::ZERO));
    let _staging = sandbox.add_demo_account(
        "AKIDstaging",
        "staging-key",
        Demo::new().seed(2).scenario(Scenario::Overdue).burn_per_hour(Cents::ZERO),
    );
    let default = sandbox.client_builder().build().unwrap();
    let b = |c: BillingClient| async move { c.describe_account_balance().send().await.unwrap() };
    assert_eq!(b(default.clone()).await.real_balance, Some(Cents::from(1_000_000)), "the default account");
    let plain = b(client(&sandbox, "AKIDplain", "plain-key")).await;
    assert_eq!((plain.real_balance, plain.uin), (Some(Cents::from(777)), Some(42)));
    assert_eq!(b(client(&sandbox, "AKIDprod", "prod-key")).await.real_balance, Some(Cents::from(5_200_000)));
    let staging = b(client(&sandbox, "AKIDstaging", "staging-key")).await;
    assert_eq!(staging.owe_amount, Some(Cents::from(128_050)));
    // The handle changes its own account only.
    prod.set_balance(Cents::from(123));
    assert_eq!(b(client(&sandbox, "AKIDprod", "prod-key")).await.real_balance, Some(Cents::from(123)));
    assert_eq!(sandbox.account_of("AKIDprod").unwrap().cash, Cents::from(123));
    assert_eq!(sandbox.account().cash, Cents::from(1_000_000));
    assert_eq!(sandbox.account_of("AKIDnobody"), None);
    // The demo's bills are served to the demo accounts, not to the plain one or the default.
    let month = YearMonth::current_beijing().previous();
    let rows = |c: BillingClient| async move {
        c.describe_bill_detail().month(month).offset(0).limit(10).send().await.unwrap().detail_set().len()
    };
    assert_eq!(rows(client(&sandbox, "AKIDstaging", "staging-key")).await, 10);
    assert_eq!(rows(client(&sandbox, "AKIDplain", "plain-key")).await, 0);
    assert_eq!(rows(default).await, 0);
    // A wrong key for a known SecretId is still refused.
    let e = client(&sandbox, "AKIDprod", "wrong").describe_account_balance().send().await.unwrap_err();
    assert_eq!(e.code().map(|c| c.as_str()), Some("AuthFailure.SignatureFailure"));
}

#[tokio::test]
async fn each_account_has_its_own_quota() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.add_account("AKIDa", "key-a", Account::default());
    sandbox.add_account("AKIDb", "key-b", Account::default());
    let unpaced = |id: &str, key: &str| {
        sandbox
            .client_builder()
            .credentials(Credentials::new(id, key))
            .disable_rate_limit()
            .retry(RetryConfig::disabled())
            .build()
            .unwrap()
    };
    let (a, b) = (unpaced("AKIDa", "key-a"), unpaced("AKIDb", "key-b"));
    // 20 a second each: 20 for each account in the same instant all pass...
    let calls = (0..20)
        .flat_map(|_| [a.clone(), b.clone()])
        .map(|c| async move { c.describe_org_member_account_balance().send().await });
    let results = spawn_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "{:?}", results.iter().find(|r| r.is_err()));
    // ...and the 21st of either is refused.
    let e = a.describe_org_member_account_balance().send().await.unwrap_err();
    assert!(e.is_throttling(), "{e}");
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert!(a.describe_org_member_account_balance().send().await.is_ok());
}

#[tokio::test]
async fn org_balances_page_through_the_paginator() {
    let sandbox = Sandbox::start().await.unwrap();
    let demo = sandbox.install_demo(Demo::new().organization(Organization::demo()));
    let client = sandbox.client_builder().build().unwrap();
    assert_eq!(demo.demo().organization_members().len(), 12);
    // A short page ends the walk; after a full last page it takes one empty page to know (the
    // paginator never stops on a total alone).
    for (size, pages) in [(None, 2), (Some(5), 3), (Some(4), 4), (Some(1), 13)] {
        sandbox.clear_requests();
        let mut request = client.describe_org_member_account_balance();
        if let Some(s) = size {
            request = request.page_size(s);
        }
        let mut items = request.into_paginator().items();
        let mut got = Vec::new();
        while let Some(m) = items.next().await {
            got.push(m.unwrap());
        }
        assert_eq!(got.len(), 12, "page size {size:?}");
        let requests = sandbox.requests();
        assert_eq!(requests.len(), pages, "page size {size:?}: {requests:?}");
        assert!(requests.iter().all(|r| r.error_code.is_none()));
        for (m, want) in got.iter().zip(demo.demo().organization_members()) {
            assert_eq!(m.member_uin.as_deref(), Some(want.uin().to_string().as_str()));
            assert_eq!(m.member_name.as_deref(), Some(want.name()));
            assert_eq!(m.real_balance, Some(want.account().real_balance()));
            assert_eq!(m.owe_amount, Some(want.account().owed));
        }
    }
    let overdue = client.describe_org_member_account_balance().member_uins(["200000000103"]).send().await;
    let overdue = overdue.unwrap();
    assert_eq!(overdue.total_count, Some(1));
    assert_eq!(overdue.data.unwrap()[0].owe_amount, Some(Cents::from(96_025)));
    // The client refuses a page above the maximum before sending (the sandbox would too: see its
    // unit tests).
    sandbox.clear_requests();
    let e = client.describe_org_member_account_balance().page_size(11).send().await.unwrap_err();
    assert!(e.to_string().contains("above the documented maximum of 10"), "{e}");
    assert!(sandbox.requests().is_empty());
}

#[tokio::test]
async fn org_bills_page_through_every_member() {
    let sandbox = Sandbox::start().await.unwrap();
    let demo = sandbox.install_demo(Demo::new().organization(Organization::demo()));
    let client = sandbox.client_builder().build().unwrap();
    let month = YearMonth::current_beijing().previous();
    let expected = demo.demo().org_rows_at(month, sandbox.now_unix());
    assert_eq!(expected, 1_870, "last month is complete");
    let mut items =
        client.describe_bill_detail_for_organization().month(month).need_record_num(1).into_paginator().items();
    let mut per_member = std::collections::BTreeMap::<String, u32>::new();
    while let Some(row) = items.next().await {
        let row = row.unwrap();
        *per_member.entry(row.owner_uin.clone().unwrap()).or_default() += 1;
    }
    assert_eq!(per_member.values().sum::<u32>(), expected);
    for m in demo.demo().organization_members() {
        assert_eq!(per_member.get(&m.uin().to_string()).copied(), Some(m.rows_per_month()), "{}", m.name());
    }
    // 100 rows a page (the documented maximum): 19 pages for 1,870 rows, the last one short.
    let requests = sandbox.requests();
    assert_eq!(requests.len(), 19);
    assert!(requests.iter().all(|r| r.error_code.is_none() && r.body.contains("\"Limit\":100")));
    // Without an organization the actions answer empty, as before.
    let plain = Sandbox::start().await.unwrap();
    let _demo = plain.install_demo(Demo::new());
    let c = plain.client_builder().build().unwrap();
    assert_eq!(c.describe_org_member_account_balance().send().await.unwrap().data, None);
}
