//! What the client puts on the wire: headers, signature and body, checked with wiremock.

use std::time::{SystemTime, UNIX_EPOCH};

use tencentcloud_billing::{BillingClient, Credentials, Language, RetryConfig, Site, tc3};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const OK: &str = r#"{"Response":{"Balance":100,"Uin":1,"RequestId":"req-1"}}"#;

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(OK, "application/json"))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> tencentcloud_billing::BillingClientBuilder {
    BillingClient::builder()
        .credentials(Credentials::new("AKIDwire", "wire-secret"))
        .endpoint(server.uri())
        .retry(RetryConfig::disabled())
}

fn header<'a>(r: &'a Request, name: &str) -> Option<&'a str> {
    r.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn sends_the_documented_headers_and_a_verifiable_signature() {
    let server = server().await;
    let c = client(&server).build().unwrap();
    let resp = c.describe_account_balance().temp_credit(true).send().await.unwrap();
    assert_eq!(resp.request_id, "req-1");

    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(r.url.path(), "/");
    assert_eq!(header(r, "content-type"), Some("application/json"));
    assert_eq!(header(r, "x-tc-action"), Some("DescribeAccountBalance"));
    assert_eq!(header(r, "x-tc-version"), Some("2018-07-09"));
    assert_eq!(header(r, "x-tc-language"), Some("zh-CN"));
    assert_eq!(
        header(r, "x-tc-requestclient"),
        Some(concat!("SDK_RUST_tencentcloud-billing_", env!("CARGO_PKG_VERSION")))
    );
    assert!(header(r, "x-tc-region").is_none(), "no region unless configured");
    assert!(header(r, "x-tc-token").is_none());
    assert_eq!(r.body, br#"{"TempCredit":true}"#);

    let ts: i64 = header(r, "x-tc-timestamp").unwrap().parse().unwrap();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    assert!((now - ts).abs() < 60);

    // Recompute the signature from what arrived.
    let host = header(r, "host").unwrap();
    let expected = tc3::sign(&tc3::SigningInput::post_json(host, "billing", &r.body, ts), "AKIDwire", "wire-secret");
    assert_eq!(header(r, "authorization"), Some(expected.authorization()));
    assert!(expected.authorization().starts_with(&format!(
        "TC3-HMAC-SHA256 Credential=AKIDwire/{}/billing/tc3_request, SignedHeaders=content-type;host, Signature=",
        tc3::utc_date_string(ts)
    )));
}

#[tokio::test]
async fn empty_request_sends_an_empty_object() {
    let server = server().await;
    client(&server).build().unwrap().describe_account_balance().send().await.unwrap();
    assert_eq!(server.received_requests().await.unwrap()[0].body, b"{}");
}

#[tokio::test]
async fn region_token_and_language_are_sent_when_configured() {
    let server = server().await;
    let c = BillingClient::builder()
        .credentials(Credentials::new("AKIDsts", "sts-secret").with_token("sts-token-value"))
        .endpoint(server.uri())
        .region("ap-guangzhou")
        .language(Language::EnUs)
        .build()
        .unwrap();
    c.describe_account_balance().send().await.unwrap();
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(header(r, "x-tc-region"), Some("ap-guangzhou"));
    assert_eq!(header(r, "x-tc-token"), Some("sts-token-value"));
    assert_eq!(header(r, "x-tc-language"), Some("en-US"));
}

#[tokio::test]
async fn international_site_defaults_to_english() {
    let server = server().await;
    let c = client(&server).site(Site::International).build().unwrap();
    c.describe_account_balance().send().await.unwrap();
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(header(r, "x-tc-language"), Some("en-US"));
}

#[tokio::test]
async fn send_future_is_send_and_client_is_shareable() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_sync<T: Send + Sync + Clone + 'static>() {}
    assert_sync::<BillingClient>();
    let server = server().await;
    let c = client(&server).build().unwrap();
    let fut = c.describe_account_balance().send();
    assert_send(&fut);
    // Clones share one client: spawn calls from several tasks.
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.describe_account_balance().send().await })
        })
        .collect();
    for h in handles {
        h.await.unwrap().unwrap();
    }
    fut.await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
}

#[test]
fn from_env_names_the_missing_variable() {
    // SAFETY: this test binary has no other test touching these variables concurrently.
    unsafe {
        std::env::remove_var("TENCENTCLOUD_SECRET_ID");
        std::env::remove_var("TENCENTCLOUD_SECRET_KEY");
    }
    let e = BillingClient::from_env().unwrap_err().to_string();
    assert!(e.contains("TENCENTCLOUD_SECRET_ID"), "{e}");
    unsafe { std::env::set_var("TENCENTCLOUD_SECRET_ID", "AKIDenv") };
    let e = BillingClient::from_env().unwrap_err().to_string();
    assert!(e.contains("TENCENTCLOUD_SECRET_KEY"), "{e}");
    unsafe {
        std::env::set_var("TENCENTCLOUD_SECRET_KEY", "env-secret");
        std::env::set_var("TENCENTCLOUD_BILLING_ENDPOINT", "http://127.0.0.1:9/");
    }
    let c = BillingClient::from_env().unwrap();
    assert_eq!(c.endpoint(), "http://127.0.0.1:9/");
    unsafe {
        std::env::remove_var("TENCENTCLOUD_SECRET_ID");
        std::env::remove_var("TENCENTCLOUD_SECRET_KEY");
        std::env::remove_var("TENCENTCLOUD_BILLING_ENDPOINT");
    }
}

#[tokio::test]
async fn the_idempotency_token_is_visible_before_sending_and_sent_as_is() {
    let server = server().await;
    let c = client(&server).build().unwrap();
    let builder = c
        .create_instance()
        .product_code("p_cvm")
        .sub_product_code("sp_cvm_s1")
        .region_code("ap-guangzhou")
        .zone_code("ap-guangzhou-3")
        .pay_mode("PrePay")
        .parameter("{}");
    let token = builder.request().client_token.clone().expect("filled when the builder is made");
    assert!(token.len() >= 32 && token.len() <= 64, "{token}");
    let other = c.create_instance().request().client_token.clone().unwrap();
    assert_ne!(token, other, "every request gets its own token");
    let _ = builder.send().await; // the mock answers a balance body; only the request matters here
    let r = &server.received_requests().await.unwrap()[0];
    let sent: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(sent["ClientToken"], token.as_str());
}
