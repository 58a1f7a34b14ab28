//! Every log line at TRACE, from this crate and from its dependencies (hyper-util's `tracing`
//! events, and any `log` records, bridged), during a signed call, a failed call with
//! retries, and credential refreshes (STS AssumeRole and the CVM role): none holds a secret key, a
//! token or a signature, and the spans carry what they promise.
//!
//! One test in this binary: it installs the global subscriber.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tencentcloud_billing::credentials::{AssumeRoleProvider, CvmRoleProvider};
use tencentcloud_billing::{BillingClient, Credentials, RetryConfig};
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET_KEY: &str = "LONG-LIVED-SECRET-KEY-0123456789";
const SESSION_TOKEN: &str = "SESSION-TOKEN-abcdefghijklmnop";
const TMP_KEY: &str = "TEMPORARY-SECRET-KEY-9876543210";
const TMP_TOKEN: &str = "TEMPORARY-TOKEN-zyxwvutsrqponm";
const CVM_KEY: &str = "CVM-ROLE-SECRET-KEY-5555555555";
const CVM_TOKEN: &str = "CVM-ROLE-TOKEN-6666666666666666";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// The `Signature=...` part of every Authorization header a server received.
async fn signatures(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter_map(|r| r.headers.get("authorization").and_then(|v| v.to_str().ok()))
        .filter_map(|a| a.split("Signature=").nth(1).map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_any_log_line() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .try_init()
        .unwrap();

    let ok = r#"{"Response":{"Balance":1,"RequestId":"req-signed"}}"#;
    let billing = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("x-tc-token", SESSION_TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_string(ok))
        .mount(&billing)
        .await;
    Mock::given(method("POST"))
        .and(header("x-tc-token", TMP_TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"Response":{"RequestId":"req-sts"}}"#))
        .mount(&billing)
        .await;
    Mock::given(method("POST"))
        .and(header("x-tc-token", CVM_TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"Response":{"RequestId":"req-cvm"}}"#))
        .mount(&billing)
        .await;
    let long_lived = Credentials::new("AKIDtrace", SECRET_KEY).with_token(SESSION_TOKEN);

    // 1. A signed call.
    let client = BillingClient::builder().endpoint(billing.uri()).credentials(long_lived.clone()).build().unwrap();
    assert_eq!(client.describe_account_balance().send().await.unwrap().request_id, "req-signed");

    // 2. A failed call: retried twice, then an error envelope.
    let failing = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("overloaded"))
        .up_to_n_times(2)
        .mount(&failing)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"no"},"RequestId":"req-failed"}}"#,
        ))
        .mount(&failing)
        .await;
    let client = BillingClient::builder()
        .endpoint(failing.uri())
        .credentials(long_lived.clone())
        .retry(RetryConfig::standard().with_initial_backoff(Duration::from_millis(2)))
        .build()
        .unwrap();
    let e = client.describe_account_balance().send().await.unwrap_err();
    assert_eq!(e.request_id(), Some("req-failed"));

    // 3. Credential refreshes: STS AssumeRole, then the CVM role.
    let sts = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            r#"{{"Response":{{"Credentials":{{"Token":"{TMP_TOKEN}","TmpSecretId":"AKIDtmp","TmpSecretKey":"{TMP_KEY}"}},"ExpiredTime":{},"RequestId":"sts-1"}}}}"#,
            now() + 3600
        )))
        .mount(&sts)
        .await;
    let role = AssumeRoleProvider::builder(long_lived.clone(), "qcs::cam::uin/1:roleName/trace")
        .endpoint(sts.uri())
        .build()
        .unwrap();
    let client = BillingClient::builder().endpoint(billing.uri()).credentials_provider(role).build().unwrap();
    assert_eq!(client.describe_account_balance().send().await.unwrap().request_id, "req-sts");

    let metadata = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/meta-data/cam/security-credentials/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("trace-role"))
        .mount(&metadata)
        .await;
    Mock::given(method("GET"))
        .and(path("/meta-data/cam/security-credentials/trace-role"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            r#"{{"TmpSecretId":"AKIDcvm","TmpSecretKey":"{CVM_KEY}","Token":"{CVM_TOKEN}","ExpiredTime":{},"Code":"Success"}}"#,
            now() + 3600
        )))
        .mount(&metadata)
        .await;
    let cvm = CvmRoleProvider::builder().base_url(format!("{}/meta-data/", metadata.uri())).build().unwrap();
    let client = BillingClient::builder().endpoint(billing.uri()).credentials_provider(cvm).build().unwrap();
    assert_eq!(client.describe_account_balance().send().await.unwrap().request_id, "req-cvm");

    // Let the last span-close lines land.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let logs = capture.text();

    let mut secrets: Vec<String> =
        [SECRET_KEY, SESSION_TOKEN, TMP_KEY, TMP_TOKEN, CVM_KEY, CVM_TOKEN].iter().map(|s| s.to_string()).collect();
    for server in [&billing, &failing, &sts] {
        let sigs = signatures(server).await;
        assert!(!sigs.is_empty());
        secrets.extend(sigs);
    }
    // Three calls reached `billing`, three attempts `failing`, one AssumeRole `sts`.
    assert_eq!(secrets.len(), 6 + 3 + 3 + 1);
    for secret in &secrets {
        assert!(!logs.contains(secret.as_str()), "a secret ({}...) appears in the logs", &secret[..8]);
    }
    // Nor any Authorization header at all.
    assert!(!logs.contains("TC3-HMAC-SHA256 Credential="));

    // The capture really holds the calls, their spans and fields, and the dependencies' output.
    for expected in [
        "billing.call",
        "billing.attempt",
        "action=\"DescribeAccountBalance\"",
        "request_id=\"req-signed\"",
        "request_id=\"req-failed\"",
        "outcome=\"ok\"",
        "outcome=\"service_error\"",
        "error_code=\"AuthFailure.SignatureFailure\"",
        "attempts=3",
        "quota_wait_ms=",
        "latency_ms=",
        "status=503",
        "retrying",
        "credentials refreshed",
        "source=\"sts_assume_role\"",
        "source=\"cvm_role\"",
    ] {
        assert!(logs.contains(expected), "{expected:?} missing from the logs:\n{logs}");
    }
    assert!(logs.contains("hyper_util"), "no dependency output was captured:\n{logs}");
}
