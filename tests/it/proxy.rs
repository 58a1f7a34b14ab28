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
        let head = crate::common::read_head(&mut stream).await;
        stream.write_all(answer.as_bytes()).await.unwrap();
        let mut through = vec![0u8; 4096];
        let n = if answer.contains(" 200 ") {
            tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut through)).await.unwrap().unwrap()
        } else {
            0
        };
        through.truncate(n);
        (head, through)
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

/// A proxy stand-in that answers every POST with a `status` redirect to `location`, and expects
/// exactly one (checked when it is dropped).
async fn redirecting_proxy(status: u16, location: &str) -> MockServer {
    let proxy = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).insert_header("location", location))
        .expect(1)
        .mount(&proxy)
        .await;
    proxy
}

/// A redirect answered by the proxy itself is an error, never followed: the proxy sees exactly one
/// request.
#[tokio::test]
async fn a_redirect_through_the_proxy_is_not_followed() {
    let proxy = redirecting_proxy(307, "http://evil.invalid/steal").await;
    let client = BillingClient::builder()
        .credentials(Credentials::new("AKIDproxy", "proxy-secret"))
        .endpoint("http://billing.invalid/")
        .allow_insecure_http()
        .proxy(format!("http://{}", proxy.address()))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let e = client.describe_account_balance().send().await.unwrap_err();
    assert!(matches!(&e, tencentcloud_billing::Error::Redirect(r) if r.status == 307), "{e:?}");
    assert!(e.to_string().contains("evil.invalid") && !e.to_string().contains("steal"), "{e}");
}

// The environment's proxies. The variables are process-wide and the tests of this binary run in
// parallel threads, so each case runs in a child process of this binary (`child`), whose
// environment is set when it is spawned; the stand-ins run here, in the parent.

/// The proxy variables, all cleared in a child before its own are set.
const PROXY_VARS: [&str; 8] =
    ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"];

/// Run the ignored test `proxy::env::<name>` alone in a child process with `vars` set, and wait
/// for it to pass.
async fn child(name: &str, vars: Vec<(&'static str, String)>) {
    let test = format!("proxy::env::{name}");
    let out = tokio::task::spawn_blocking(move || {
        let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
        cmd.args([test.as_str(), "--exact", "--ignored", "--test-threads=1"]);
        for v in PROXY_VARS {
            cmd.env_remove(v);
        }
        cmd.envs(vars).output().unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{name}: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A listener nobody should reach, and whether anything did. Connections wait in the kernel's
/// backlog, so after the child has exited a non-blocking accept tells without waiting.
struct Untouched(std::net::TcpListener);

impl Untouched {
    fn new() -> Self {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.set_nonblocking(true).unwrap();
        Untouched(l)
    }
    fn url(&self) -> String {
        format!("http://{}", self.0.local_addr().unwrap())
    }
    fn reached(&self) -> bool {
        self.0.accept().is_ok()
    }
}

#[tokio::test]
async fn https_proxy_from_the_environment_carries_the_real_endpoint_in_a_tunnel() {
    let (proxy, seen) = one_tunnel("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n").await;
    child("default_endpoint_fails_to_connect", vec![("HTTPS_PROXY", proxy)]).await;
    let (head, _) = seen.await.unwrap();
    assert!(head.starts_with("CONNECT billing.tencentcloudapi.com:443 HTTP/1.1\r\n"), "{head}");
    // base64("tunnel-user:tunnel-pass")
    assert!(head.to_ascii_lowercase().contains("proxy-authorization: basic dhvubmvslxvzzxi6dhvubmvslxbhc3m="));
}

#[tokio::test]
async fn lower_case_and_all_proxy_variables_count_too() {
    for var in ["https_proxy", "ALL_PROXY", "all_proxy"] {
        let (proxy, seen) = one_tunnel("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n").await;
        child("default_endpoint_fails_to_connect", vec![(var, proxy)]).await;
        let (head, _) = seen.await.unwrap();
        assert!(head.starts_with("CONNECT billing.tencentcloudapi.com:443 "), "{var}: {head}");
    }
}

#[tokio::test]
async fn no_proxy_and_the_builders_no_proxy_bypass_the_environments_proxy() {
    let proxy = Untouched::new();
    child(
        "invalid_host_goes_direct",
        vec![("HTTPS_PROXY", proxy.url()), ("NO_PROXY", "example.com,billing.invalid".into())],
    )
    .await;
    assert!(!proxy.reached(), "NO_PROXY was not honoured");
    child("invalid_host_goes_direct_without_proxies", vec![("HTTPS_PROXY", proxy.url()), ("ALL_PROXY", proxy.url())])
        .await;
    assert!(!proxy.reached(), "no_proxy() was not honoured");
}

#[tokio::test]
async fn loopback_is_never_sent_to_the_environments_proxy() {
    let proxy = Untouched::new();
    let server = crate::common::answering(200, r#"{"Response":{"Balance":7,"RequestId":"direct"}}"#).await;
    let port = server.address().port();
    let vars = vec![("HTTPS_PROXY", proxy.url()), ("HTTP_PROXY", proxy.url()), ("ALL_PROXY", proxy.url())];
    let mut with_port = vars.clone();
    with_port.push(("LOOPBACK_PORT", port.to_string()));
    child("loopback_answers_directly", with_port).await;
    assert!(!proxy.reached(), "a loopback request went to the proxy");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_redirect_through_the_environments_proxy_is_not_followed() {
    let proxy = redirecting_proxy(302, "http://evil.invalid/").await;
    child("plain_http_endpoint_is_redirected", vec![("HTTP_PROXY", format!("http://{}", proxy.address()))]).await;
}

#[tokio::test]
async fn a_proxy_variable_that_is_no_url_fails_the_build_without_its_password() {
    child("bad_variable_fails_the_build", vec![("HTTPS_PROXY", "socks5://user:hunter2@proxy:1080".into())]).await;
}

/// The child halves: `#[ignore]`d, so that only their parents run them, in a child process.
mod env {
    use tencentcloud_billing::{BillingClient, Credentials, Error, RetryConfig};

    fn builder() -> tencentcloud_billing::BillingClientBuilder {
        BillingClient::builder()
            .credentials(Credentials::new("AKIDenv", "env-secret"))
            .retry(RetryConfig::disabled())
            .connect_timeout(std::time::Duration::from_secs(10))
    }

    #[tokio::test]
    #[ignore = "run by its parent test, in a child process"]
    async fn default_endpoint_fails_to_connect() {
        let e = builder().build().unwrap().describe_account_balance().send().await.unwrap_err();
        assert!(e.is_connect(), "{e:?}");
        assert!(!format!("{e} {e:?}").contains("tunnel-pass"), "{e:?}");
    }

    #[tokio::test]
    #[ignore = "run by its parent test, in a child process"]
    async fn invalid_host_goes_direct() {
        let client = builder().endpoint("https://billing.invalid/").build().unwrap();
        let e = client.describe_account_balance().send().await.unwrap_err();
        assert!(e.is_connect(), "{e:?}");
    }

    #[tokio::test]
    #[ignore = "run by its parent test, in a child process"]
    async fn invalid_host_goes_direct_without_proxies() {
        let client = builder().endpoint("https://billing.invalid/").no_proxy().build().unwrap();
        let e = client.describe_account_balance().send().await.unwrap_err();
        assert!(e.is_connect(), "{e:?}");
    }

    #[tokio::test]
    #[ignore = "run by its parent test, in a child process"]
    async fn loopback_answers_directly() {
        let port = std::env::var("LOOPBACK_PORT").unwrap();
        for host in ["127.0.0.1", "localhost", "127.0.0.1"] {
            let client = builder().endpoint(format!("http://{host}:{port}/")).build().unwrap();
            let r = client.describe_account_balance().send().await.unwrap();
            assert_eq!(r.request_id, "direct");
        }
    }

    #[tokio::test]
    #[ignore = "run by its parent test, in a child process"]
    async fn plain_http_endpoint_is_redirected() {
        let client = builder().endpoint("http://billing.invalid/").allow_insecure_http().build().unwrap();
        let e = client.describe_account_balance().send().await.unwrap_err();
        assert!(matches!(&e, Error::Redirect(r) if r.status == 302), "{e:?}");
    }

    #[tokio::test]
    #[ignore = "run by its parent test, in a child process"]
    async fn bad_variable_fails_the_build() {
        let e = builder().build().unwrap_err();
        assert!(matches!(e, Error::Config(_)), "{e:?}");
        let shown = format!("{e} {e:?}");
        assert!(shown.contains("HTTPS_PROXY") && !shown.contains("hunter2"), "{shown}");
        // The builder's no_proxy() ignores the environment, broken or not.
        assert!(builder().no_proxy().build().is_ok());
    }
}

/// The client's pooled connections have TCP keepalive probes (15 s idle, 15 s apart, 3 of them)
/// and no Nagle delay. Read back from the client's own socket: the one in this process whose peer
/// is the test server.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn connections_probe_when_idle_and_send_without_delay() {
    use std::os::fd::BorrowedFd;
    use std::time::Duration;
    let server = crate::common::answering(200, r#"{"Response":{"Balance":1,"RequestId":"sock"}}"#).await;
    let client = crate::common::mock_client(&server).build().unwrap();
    client.describe_account_balance().send().await.unwrap();
    // The connection now waits in the client's pool.
    let mut checked = 0;
    for entry in std::fs::read_dir("/proc/self/fd").unwrap() {
        let entry = entry.unwrap();
        let is_socket = std::fs::read_link(entry.path()).is_ok_and(|t| t.to_string_lossy().starts_with("socket:"));
        let Ok(fd) = entry.file_name().to_string_lossy().parse::<i32>() else { continue };
        if !is_socket {
            continue;
        }
        // SAFETY: the descriptor is only read (getsockopt) while this test holds the client, whose
        // pool keeps the socket open; another test's socket closing meanwhile makes the calls
        // fail, not misbehave.
        let fd = unsafe { BorrowedFd::borrow_raw(fd) };
        let sock = socket2::SockRef::from(&fd);
        if sock.peer_addr().ok().and_then(|a| a.as_socket()) != Some(*server.address()) {
            continue;
        }
        assert!(sock.keepalive().unwrap());
        assert_eq!(sock.tcp_keepalive_time().unwrap(), Duration::from_secs(15));
        assert_eq!(sock.tcp_keepalive_interval().unwrap(), Duration::from_secs(15));
        assert_eq!(sock.tcp_keepalive_retries().unwrap(), 3);
        assert!(sock.tcp_nodelay().unwrap());
        checked += 1;
    }
    assert_eq!(checked, 1, "exactly one pooled connection to the server");
    drop(client);
}
