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

/// A one-connection stand-in for an HTTP proxy on 127.0.0.1: it reads the `CONNECT` head, answers
/// it with `answer`, and (when the tunnel is granted) reads the first bytes that come through it.
/// Returns the head and those bytes.
async fn one_tunnel(answer: &'static str) -> (String, tokio::task::JoinHandle<(String, Vec<u8>)>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://tunnel-user:tunnel-pass@{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
            if stream.read(&mut byte).await.unwrap() == 0 {
                break;
            }
            head.push(byte[0]);
        }
        stream.write_all(answer.as_bytes()).await.unwrap();
        let mut through = vec![0u8; 4096];
        let n = if answer.contains(" 200 ") {
            tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut through)).await.unwrap().unwrap()
        } else {
            0
        };
        through.truncate(n);
        (String::from_utf8_lossy(&head).into_owned(), through)
    });
    (url, task)
}

fn https_client(proxy: String) -> BillingClient {
    BillingClient::builder()
        .credentials(Credentials::new("AKIDtunnel", "tunnel-secret"))
        // `.invalid` never resolves: only the proxy may be contacted.
        .endpoint("https://billing.invalid/")
        .proxy(proxy)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_and_the_proxy_sees_no_signature() {
    let (proxy, seen) = one_tunnel("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n").await;
    let e = https_client(proxy).describe_account_balance().send().await.unwrap_err();
    let (head, _) = seen.await.unwrap();
    assert!(head.starts_with("CONNECT billing.invalid:443 HTTP/1.1\r\n"), "{head}");
    // base64("tunnel-user:tunnel-pass")
    assert!(
        head.to_ascii_lowercase().contains("proxy-authorization: basic dhvubmvslxvzzxi6dhvubmvslxbhc3m="),
        "{head}"
    );
    let lower = head.to_ascii_lowercase();
    assert!(!lower.contains("tc3-hmac") && !lower.contains("x-tc-") && !lower.contains("akidtunnel"), "{head}");
    // A refused tunnel is a connection failure: nothing reached the endpoint, and the error
    // shows neither the proxy's password nor the secret.
    assert!(e.is_connect(), "{e:?}");
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains("tunnel-pass") && !shown.contains("tunnel-secret"), "{shown}");
}

#[tokio::test]
async fn tls_to_the_endpoint_runs_inside_the_tunnel() {
    let (proxy, seen) = one_tunnel("HTTP/1.1 200 Connection established\r\n\r\n").await;
    let client = https_client(proxy);
    let call = tokio::spawn(async move { client.describe_account_balance().send().await });
    let (head, through) = seen.await.unwrap();
    assert!(head.starts_with("CONNECT billing.invalid:443 "), "{head}");
    // The first thing through the tunnel is a TLS handshake record (0x16) naming the endpoint
    // (SNI), not the request.
    assert_eq!(through.first(), Some(&0x16), "{through:?}");
    assert!(through.windows(15).any(|w| w == b"billing.invalid"), "no SNI in {through:?}");
    assert!(!through.windows(10).any(|w| w == b"AKIDtunnel"), "the request went in the clear");
    // The stand-in closes the tunnel mid-handshake: a connection failure.
    let e = call.await.unwrap().unwrap_err();
    assert!(e.is_connect(), "{e:?}");
}

#[tokio::test]
async fn https_to_a_plain_http_server_fails_to_connect_and_sends_nothing_readable() {
    // A server that speaks plain HTTP on a port the client was told is https.
    let server = MockServer::start().await;
    let client = BillingClient::builder()
        .credentials(Credentials::new("AKIDtls", "tls-secret"))
        .endpoint(format!("https://{}/", server.address()))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let e = client.describe_account_balance().send().await.unwrap_err();
    assert!(e.is_connect(), "{e:?}");
    assert!(server.received_requests().await.unwrap().is_empty(), "a request was parsed by the server");
}
