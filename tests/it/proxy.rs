//! Requests go through the configured proxy: the endpoint host is never resolved or contacted,
//! the proxy on 127.0.0.1 receives the request in absolute form with the proxy credentials.

use tencentcloud_billing::{BillingClient, Credentials, RetryConfig};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn requests_go_through_the_proxy() {
    let proxy = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(r#"{"Response":{"Balance":3,"RequestId":"via-proxy"}}"#),
        )
        .expect(1)
        .mount(&proxy)
        .await;
    let proxy_url = format!("http://proxyuser:proxypass@{}", proxy.address());
    let client = BillingClient::builder()
        .credentials(Credentials::new("AKIDproxy", "proxy-secret"))
        // `.invalid` never resolves: reaching it at all would fail the call.
        .endpoint("http://billing.invalid/")
        // Plain http to a host outside loopback is refused unless asked for.
        .allow_insecure_http()
        .proxy(proxy_url)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let r = client.describe_account_balance().send().await.unwrap();
    assert_eq!(r.request_id, "via-proxy");
    let reqs = proxy.received_requests().await.unwrap();
    let req = &reqs[0];
    assert_eq!(req.url.host_str(), Some("billing.invalid"), "{}", req.url);
    let auth = req.headers.get("proxy-authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    // base64("proxyuser:proxypass")
    assert_eq!(auth, "Basic cHJveHl1c2VyOnByb3h5cGFzcw==");
    assert_eq!(req.headers.get("host").and_then(|v| v.to_str().ok()), Some("billing.invalid"));

    let e =
        BillingClient::builder().credentials(Credentials::new("a", "b")).proxy("::not a url::").build().unwrap_err();
    assert!(e.to_string().contains("invalid proxy"), "{e}");
}
