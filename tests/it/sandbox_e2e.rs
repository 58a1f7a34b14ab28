//! The client against the embedded sandbox, end to end over real HTTP on loopback.

use crate::common;
use std::time::Duration;

use tencentcloud_billing::money::Cents;
use tencentcloud_billing::sandbox::{Account, Fault, SANDBOX_SECRET_ID, SANDBOX_SECRET_KEY, Sandbox};
use tencentcloud_billing::{BillingClient, Credentials, Error, ErrorCode, RetryConfig, tc3};

#[tokio::test]
async fn balance_round_trip_uses_the_state_the_test_sets() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.set_account(
        Account::with_balance(Cents::from(50_000))
            .owing(Cents::from(1_250))
            .with_credit(Cents::from(900_000), Cents::from(100))
            .uin(600_000_561_284),
    );
    let client = sandbox.client_builder().build().unwrap();
    let b = client.describe_account_balance().send().await.unwrap();
    assert_eq!(b.uin, Some(600_000_561_284));
    assert_eq!(b.cash_account_balance, Some(Cents::from(50_000)));
    assert_eq!(b.owe_amount, Some(Cents::from(1_250)));
    assert_eq!(b.real_balance, Some(Cents::from(48_750)));
    assert_eq!(b.credit_amount.map(|c| c.to_yuan().to_string()), Some("9000".into()));
    assert_eq!(b.is_credit_limited, Some(true));
    assert!(!b.request_id.is_empty());
    assert!(b.temp_amount_info_list.is_none());
    let with_temp = client.describe_account_balance().temp_credit(true).send().await.unwrap();
    assert_eq!(with_temp.temp_amount_info_list(), &[]);
}

#[tokio::test]
async fn a_wrong_key_is_a_signature_failure() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = BillingClient::builder()
        .endpoint(sandbox.endpoint())
        .credentials(Credentials::new(tencentcloud_billing::sandbox::SANDBOX_SECRET_ID, "not-the-key"))
        .build()
        .unwrap();
    let err = client.describe_account_balance().send().await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::AuthFailureSignatureFailure), "{err}");
    assert!(err.request_id().is_some());
    // Authentication failures are not retried.
    assert_eq!(sandbox.requests().len(), 1);
    assert!(!format!("{err} {err:?}").contains("not-the-key"));
}

#[tokio::test]
async fn an_unknown_secret_id_is_reported() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = BillingClient::builder()
        .endpoint(sandbox.endpoint())
        .credentials(Credentials::new("AKIDnobody", "k"))
        .build()
        .unwrap();
    let err = client.describe_account_balance().send().await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::AuthFailureSecretIdNotFound));
}

#[tokio::test]
async fn temporary_credentials_need_their_token() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.add_credentials("AKIDsts", "sts-key", Some("the-token"));
    let good = BillingClient::builder()
        .endpoint(sandbox.endpoint())
        .credentials(Credentials::new("AKIDsts", "sts-key").with_token("the-token"))
        .build()
        .unwrap();
    good.describe_account_balance().send().await.unwrap();
    let bad = BillingClient::builder()
        .endpoint(sandbox.endpoint())
        .credentials(Credentials::new("AKIDsts", "sts-key"))
        .build()
        .unwrap();
    let err = bad.describe_account_balance().send().await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::AuthFailureTokenFailure));
}

/// Send a signed request for an arbitrary action name, which the typed client cannot do.
async fn raw_call(sandbox: &Sandbox, action: &str, body: &str) -> serde_json::Value {
    let ts = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let host = sandbox.addr().to_string();
    let signed = tc3::sign(
        &tc3::SigningInput::post_json(&host, "billing", body.as_bytes(), ts),
        SANDBOX_SECRET_ID,
        SANDBOX_SECRET_KEY,
    );
    let resp = common::raw_http()
        .post(sandbox.endpoint())
        .header("content-type", "application/json")
        .header("authorization", signed.authorization())
        .header("x-tc-action", action)
        .header("x-tc-version", "2018-07-09")
        .header("x-tc-timestamp", ts.to_string())
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap()
}

#[tokio::test]
async fn unknown_actions_are_invalid_action() {
    let sandbox = Sandbox::start().await.unwrap();
    let v = raw_call(&sandbox, "DescribeMoneyTree", "{}").await;
    assert_eq!(v["Response"]["Error"]["Code"], "InvalidAction");
    assert!(v["Response"]["RequestId"].is_string());
    // An intl-only action on the China-site sandbox is unknown there too.
    let v = raw_call(&sandbox, "DescribeCPQBillingMapping", "{}").await;
    assert_eq!(v["Response"]["Error"]["Code"], "InvalidAction");
    let v = raw_call(&sandbox, "DescribeBillSummaryByProduct", "{}").await;
    assert!(v["Response"]["Error"].is_null(), "{v}");
}

#[tokio::test]
async fn the_sandbox_enforces_quotas_and_the_client_stays_under_them() {
    let sandbox = Sandbox::start().await.unwrap();
    // Without client-side pacing, a burst of 40 trips the sandbox's 20/s quota.
    let unpaced = sandbox.client_builder().disable_rate_limit().retry(RetryConfig::disabled()).build().unwrap();
    let results = futures_join_all((0..40).map(|_| {
        let c = unpaced.clone();
        async move { c.describe_account_balance().send().await }
    }))
    .await;
    let throttled = results.iter().filter(|r| r.as_ref().is_err_and(Error::is_throttling)).count();
    assert!(throttled >= 20, "only {throttled} throttled");

    tokio::time::sleep(Duration::from_millis(1100)).await;
    sandbox.clear_requests();
    // With the client's limiter, every one of 30 concurrent calls succeeds.
    let paced = sandbox.client_builder().retry(RetryConfig::disabled()).build().unwrap();
    let results = futures_join_all((0..30).map(|_| {
        let c = paced.clone();
        async move { c.describe_account_balance().send().await }
    }))
    .await;
    assert!(results.iter().all(Result::is_ok), "{:?}", results.iter().find(|r| r.is_err()));
    let arrivals = sandbox.arrivals("DescribeAccountBalance");
    assert_eq!(arrivals.len(), 30);
    for (i, t) in arrivals.iter().enumerate() {
        let in_window = arrivals[i..].iter().take_while(|u| **u - *t < Duration::from_secs(1)).count();
        assert!(in_window <= 20, "{in_window} requests within one second");
    }
}

#[tokio::test]
async fn injected_faults_are_answered_then_normal_service_resumes() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.inject_faults("DescribeAccountBalance", [Fault::ServiceError("InternalError".into())]);
    let client = sandbox
        .client_builder()
        .retry(RetryConfig::standard().with_initial_backoff(Duration::from_millis(5)))
        .build()
        .unwrap();
    client.describe_account_balance().send().await.unwrap();
    let codes: Vec<_> = sandbox.requests().into_iter().map(|r| r.error_code).collect();
    assert_eq!(codes, vec![Some("InternalError".to_owned()), None]);
}

#[tokio::test]
async fn a_skewed_client_clock_is_corrected_from_the_server_date() {
    for skew in [600i64, -600] {
        let sandbox = Sandbox::builder().clock_skew(skew).start().await.unwrap();
        let client = sandbox.client_builder().build().unwrap();
        client.describe_account_balance().send().await.unwrap();
        let codes: Vec<_> = sandbox.requests().into_iter().map(|r| r.error_code).collect();
        assert_eq!(codes, vec![Some("AuthFailure.SignatureExpire".to_owned()), None], "skew {skew}");
        assert!((client.clock_offset() - skew).abs() <= 2, "offset {} for skew {skew}", client.clock_offset());
        // Later calls use the corrected clock at once.
        client.describe_account_balance().send().await.unwrap();
        assert_eq!(sandbox.requests().len(), 3);
    }
}

async fn futures_join_all<F: std::future::Future + Send + 'static>(futs: impl IntoIterator<Item = F>) -> Vec<F::Output>
where
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
async fn hostile_requests_get_error_envelopes_not_a_crash() {
    let sandbox = Sandbox::start().await.unwrap();
    let send = |ts: &str, body: String| {
        common::raw_http()
            .post(sandbox.endpoint())
            .header("content-type", "application/json")
            .header("authorization", format!("TC3-HMAC-SHA256 Credential={}/2026-01-01/billing/tc3_request, SignedHeaders=content-type;host, Signature=00", tencentcloud_billing::sandbox::SANDBOX_SECRET_ID))
            .header("x-tc-action", "DescribeAccountBalance")
            .header("x-tc-version", "2018-07-09")
            .header("x-tc-timestamp", ts.to_owned())
            .body(body)
            .send()
    };
    for (ts, body) in
        [("-9223372036854775808", "{}".to_owned()), ("9223372036854775807", "{}".to_owned()), ("0", "标".repeat(3000))]
    {
        let resp = send(ts, body).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
        assert_eq!(v["Response"]["Error"]["Code"], "AuthFailure.SignatureExpire", "{ts}");
    }
    // The sandbox still serves normal calls afterwards.
    sandbox.client_builder().build().unwrap().describe_account_balance().send().await.unwrap();
}

#[tokio::test]
async fn non_ascii_request_bodies_are_recorded_safely() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client_builder().build().unwrap();
    client.create_allocation_tag().tag_key(["标".repeat(1400)]).send().await.unwrap();
    let recorded = &sandbox.requests()[0];
    assert!(recorded.body.len() <= 4096 && recorded.body.starts_with("{\"TagKey\""));
}
