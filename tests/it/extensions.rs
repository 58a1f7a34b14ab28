//! Extension points: hooks that observe every attempt and add headers, extra headers per client
//! and per call, the `X-TC-RequestClient` suffix, and the `metrics` facade.

use std::sync::{Arc, Mutex};

use tencentcloud_billing::hook::{AttemptRecord, BeforeAttempt, Hook, Outcome};
use tencentcloud_billing::sandbox::{Fault, Sandbox};
use tencentcloud_billing::{BillingClient, Credentials, Error, RetryConfig};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const OK: &str = r#"{"Response":{"Balance":1,"RequestId":"req-ext"}}"#;

fn fast_retry() -> RetryConfig {
    RetryConfig::standard()
        .with_initial_backoff(std::time::Duration::from_millis(1))
        .with_max_backoff(std::time::Duration::from_millis(2))
}

/// What a hook saw of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    action: &'static str,
    attempt: u32,
    status: Option<u16>,
    request_id: Option<String>,
    outcome: Outcome,
    debug: String,
}

#[derive(Debug, Default, Clone)]
struct Recorder(Arc<Mutex<Vec<Seen>>>);

impl Hook for Recorder {
    fn before_attempt(&self, attempt: &mut BeforeAttempt<'_>) {
        attempt.insert_header("x-hook-attempt", &attempt.attempt().to_string()).unwrap();
        // A hook cannot take over the protocol's headers.
        assert!(attempt.insert_header("X-TC-Action", "PayDeals").is_err());
        assert!(attempt.insert_header("authorization", "forged").is_err());
    }

    fn after_attempt(&self, r: &AttemptRecord<'_>) {
        self.0.lock().unwrap().push(Seen {
            action: r.action(),
            attempt: r.attempt(),
            status: r.status(),
            request_id: r.request_id().map(str::to_owned),
            outcome: r.outcome(),
            debug: format!("{r:?}"),
        });
    }
}

#[tokio::test]
async fn a_hook_sees_every_attempt_and_no_secret() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.inject_faults("DescribeAccountBalance", [Fault::ServiceError("RequestLimitExceeded".into())]);
    let hook = Recorder::default();
    let client = sandbox.client_builder().retry(fast_retry()).hook(hook.clone()).build().unwrap();
    let r = client.describe_account_balance().send().await.unwrap();
    let seen = hook.0.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(
        (seen[0].action, seen[0].attempt, seen[0].status, seen[0].outcome),
        ("DescribeAccountBalance", 1, Some(200), Outcome::Throttled)
    );
    assert!(seen[0].request_id.is_some());
    assert_eq!((seen[1].attempt, seen[1].outcome), (2, Outcome::Ok));
    assert_eq!(seen[1].request_id.as_deref(), Some(r.request_id.as_str()));
    for s in &seen {
        assert!(!s.debug.contains(tencentcloud_billing::sandbox::SANDBOX_SECRET_KEY), "{}", s.debug);
    }
    // The signature still holds with the hook's header: the sandbox checked it on both attempts.
    assert_eq!(sandbox.requests().len(), 2);
}

#[tokio::test]
async fn headers_from_the_client_the_call_and_hooks_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_string(OK)).mount(&server).await;
    let client = BillingClient::builder()
        .credentials(Credentials::new("AKIDext", "ext-secret"))
        .endpoint(server.uri())
        .header("x-team", "finops")
        .hook(Recorder::default())
        .request_client_suffix("nightly-report_2.1")
        .build()
        .unwrap();
    client.describe_account_balance().with_header("x-call", "one").send().await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    let h = |name: &str| reqs[0].headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(h("x-team").as_deref(), Some("finops"));
    assert_eq!(h("x-call").as_deref(), Some("one"));
    assert_eq!(h("x-hook-attempt").as_deref(), Some("1"));
    assert_eq!(h("x-tc-action").as_deref(), Some("DescribeAccountBalance"));
    let client_name = h("x-tc-requestclient").unwrap();
    assert!(client_name.starts_with("SDK_RUST_tencentcloud-billing_"), "{client_name}");
    assert!(client_name.ends_with("_nightly-report_2.1"), "{client_name}");
}

#[tokio::test]
async fn protocol_headers_and_bad_suffixes_are_refused() {
    let creds = || Credentials::new("AKIDext", "ext-secret");
    for name in ["X-TC-Action", "x-tc-token", "Authorization", "Host", "Content-Type", "bad name"] {
        let e = BillingClient::builder().credentials(creds()).header(name, "v").build().unwrap_err();
        assert!(matches!(e, Error::Config(_)), "{name}: {e}");
    }
    for suffix in ["", "has space", "x".repeat(65).as_str(), "semi;colon"] {
        let e = BillingClient::builder().credentials(creds()).request_client_suffix(suffix).build().unwrap_err();
        assert!(e.to_string().contains("request_client_suffix"), "{suffix:?}: {e}");
    }
    let server = MockServer::start().await;
    let client = BillingClient::builder().credentials(creds()).endpoint(server.uri()).build().unwrap();
    let e = client.describe_account_balance().with_header("X-TC-Region", "ap-beijing").send().await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)) && e.to_string().contains("X-TC-Region"), "{e}");
    assert_eq!(server.received_requests().await.unwrap().len(), 0, "refused before sending");
}

#[cfg(feature = "metrics")]
#[test]
fn metrics_count_and_time_every_attempt() {
    use metrics_util::debugging::{DebugValue, DebuggingRecorder};
    use tencentcloud_billing::metrics::{
        ATTEMPT_DURATION_SECONDS, ATTEMPTS_TOTAL, QUOTA_WAIT_SECONDS, THROTTLED_TOTAL,
    };

    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    metrics::with_local_recorder(&recorder, || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let sandbox = Sandbox::start().await.unwrap();
            sandbox.inject_faults("DescribeAccountBalance", [Fault::ServiceError("RequestLimitExceeded".into())]);
            let client = sandbox.client_builder().retry(fast_retry()).build().unwrap();
            client.describe_account_balance().send().await.unwrap();
        });
    });
    let mut counters = std::collections::BTreeMap::new();
    let mut histograms = std::collections::BTreeMap::new();
    for (key, _, _, value) in snapshotter.snapshot().into_vec() {
        let labels: Vec<String> = key.key().labels().map(|l| format!("{}={}", l.key(), l.value())).collect();
        let name = format!("{}{{{}}}", key.key().name(), labels.join(","));
        match value {
            DebugValue::Counter(n) => {
                counters.insert(name, n);
            }
            DebugValue::Histogram(v) => {
                histograms.insert(name, v.len());
            }
            DebugValue::Gauge(_) => {}
        }
    }
    let c = |name: &str, labels: &str| counters.get(&format!("{name}{{{labels}}}")).copied();
    assert_eq!(c(ATTEMPTS_TOTAL, "action=DescribeAccountBalance,outcome=throttled"), Some(1), "{counters:?}");
    assert_eq!(c(ATTEMPTS_TOTAL, "action=DescribeAccountBalance,outcome=ok"), Some(1), "{counters:?}");
    assert_eq!(c(THROTTLED_TOTAL, "action=DescribeAccountBalance"), Some(1), "{counters:?}");
    let h = |name: &str| histograms.get(&format!("{name}{{action=DescribeAccountBalance}}")).copied();
    assert_eq!((h(ATTEMPT_DURATION_SECONDS), h(QUOTA_WAIT_SECONDS)), (Some(2), Some(2)), "{histograms:?}");
}
