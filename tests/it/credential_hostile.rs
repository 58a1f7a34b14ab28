//! Credential providers under hostile conditions: files that are devices, FIFOs or huge;
//! endpoints that redirect or speak plain http; URLs and proxies that carry passwords; and
//! `Duration` settings at their extremes. Everything runs against loopback stand-ins.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tencentcloud_billing::credentials::{
    AssumeRoleProvider, AssumeRoleProviderBuilder, CvmRoleProvider, ProfileProvider, RefreshPolicy,
    WebIdentityProvider, WebIdentityProviderBuilder,
};
use tencentcloud_billing::{Credentials, Error, ProvideCredentials};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ARN: &str = "qcs::cam::uin/100000000001:roleName/billing-reader";

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn sts_json(id: &str) -> String {
    format!(
        r#"{{"Response":{{"Credentials":{{"Token":"t","TmpSecretId":"{id}","TmpSecretKey":"k"}},"ExpiredTime":{},"RequestId":"r"}}}}"#,
        now() + 3600
    )
}

fn role_json(id: &str) -> String {
    format!(
        r#"{{"TmpSecretId":"{id}","TmpSecretKey":"k","Token":"t","ExpiredTime":{},"Code":"Success"}}"#,
        now() + 3600
    )
}

struct Dir(PathBuf);
impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir(tag: &str) -> Dir {
    let d = std::env::temp_dir().join(format!("tcb-hostile-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    Dir(d)
}

/// A FIFO in `dir`, or `None` when `mkfifo` is not available here.
fn fifo(dir: &Path) -> Option<PathBuf> {
    let p = dir.join("fifo");
    let ok = std::process::Command::new("mkfifo").arg(&p).status().map(|s| s.success()).unwrap_or(false);
    if !ok {
        eprintln!("mkfifo is not available: the FIFO cases are skipped");
    }
    ok.then_some(p)
}

fn assume_role(endpoint: &str) -> AssumeRoleProviderBuilder {
    AssumeRoleProvider::builder(Credentials::new("AKIDlong", "long-key"), ARN).endpoint(endpoint)
}

fn web_identity(endpoint: &str, token: &Path) -> WebIdentityProviderBuilder {
    WebIdentityProvider::builder()
        .endpoint(endpoint)
        .region("ap-shanghai")
        .provider_id("tke-oidc-provider")
        .token_file(token)
        .role_arn(ARN)
}

fn message(e: &Error) -> String {
    assert!(matches!(e, Error::Credentials(_)), "not a credentials error: {e:?}");
    assert!(!e.is_retryable());
    e.to_string()
}

/// Ten seconds at most: a provider that blocks on a FIFO fails the test instead of hanging it.
async fn bounded<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), f).await.expect("the provider blocked")
}

// --- B. Files ------------------------------------------------------------------------------

#[tokio::test]
async fn profile_file_must_be_a_small_regular_file() {
    let dir = temp_dir("profile");
    let e = bounded(ProfileProvider::builder().file("/dev/zero").build().provide_credentials()).await.unwrap_err();
    assert_eq!(message(&e), "credentials error: the profile file /dev/zero is not a regular file");
    let e = ProfileProvider::builder().file("/dev/zero").build().credentials().unwrap_err();
    assert_eq!(message(&e), "credentials error: the profile file /dev/zero is not a regular file");

    let big = dir.0.join("big");
    std::fs::write(&big, "[default]\n".to_owned() + &"# padding\n".repeat(2 * 1024 * 1024 / 10)).unwrap();
    assert!(std::fs::metadata(&big).unwrap().len() >= 2 * 1024 * 1024 - 10);
    let e = bounded(ProfileProvider::builder().file(&big).build().provide_credentials()).await.unwrap_err();
    assert_eq!(message(&e), format!("credentials error: the profile file {} is larger than 1 MiB", big.display()));

    if let Some(fifo) = fifo(&dir.0) {
        let e = bounded(ProfileProvider::builder().file(&fifo).build().provide_credentials()).await.unwrap_err();
        assert_eq!(
            message(&e),
            format!("credentials error: the profile file {} is not a regular file", fifo.display())
        );
    }
}

#[tokio::test]
async fn token_file_must_be_a_small_regular_file() {
    let dir = temp_dir("token");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(sts_json("AKIDpod")))
        .mount(&server)
        .await;
    let big = dir.0.join("big");
    std::fs::write(&big, vec![b'x'; 2 * 1024 * 1024]).unwrap();
    let mut cases = vec![(PathBuf::from("/dev/zero"), "is not a regular file"), (big, "is larger than 1 MiB")];
    cases.extend(fifo(&dir.0).map(|f| (f, "is not a regular file")));
    for (file, expected) in cases {
        let p = web_identity(&server.uri(), &file).build().unwrap();
        let e = bounded(p.credentials()).await.unwrap_err();
        assert_eq!(message(&e), format!("credentials error: TKE OIDC: the token file {} {expected}", file.display()));
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 0, "no token, no request");
}

// --- C. Redirects and plain http -----------------------------------------------------------

/// A stand-in answering every request with `status` and a `Location` on `target`, whose path and
/// query carry a secret.
async fn redirecting(status: u16, target: &MockServer) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("location", format!("{}/steal/hunter2?key=hunter2", target.uri()).as_str()),
        )
        .mount(&server)
        .await;
    server
}

async fn target() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    server
}

async fn assert_refused_redirect(e: &Error, status: u16, first: &MockServer, second: &MockServer) {
    let msg = message(e);
    assert!(matches!(e, Error::Credentials(c) if !c.is_not_found()), "{msg}");
    assert!(msg.contains(&format!("HTTP {status}")), "{msg}");
    assert!(msg.contains(&format!("a redirect to {}", second.address())), "{msg}");
    assert!(msg.contains("never follow redirects"), "{msg}");
    let debug = format!("{e:?}");
    for shown in [&msg, &debug] {
        assert!(!shown.contains("hunter2") && !shown.contains("steal"), "{shown}");
    }
    assert_eq!(first.received_requests().await.unwrap().len(), 1);
    assert_eq!(second.received_requests().await.unwrap().len(), 0);
}

#[tokio::test]
async fn assume_role_refuses_redirects() {
    for status in [307, 308] {
        let second = target().await;
        let first = redirecting(status, &second).await;
        let e = assume_role(&first.uri()).build().unwrap().credentials().await.unwrap_err();
        assert!(message(&e).starts_with("credentials error: STS AssumeRole: "), "{e}");
        assert_refused_redirect(&e, status, &first, &second).await;
    }
}

#[tokio::test]
async fn web_identity_refuses_redirects() {
    let dir = temp_dir("redirect");
    let token = dir.0.join("token");
    std::fs::write(&token, "oidc-token-secret").unwrap();
    for status in [307, 308] {
        let second = target().await;
        let first = redirecting(status, &second).await;
        let e = web_identity(&first.uri(), &token).build().unwrap().credentials().await.unwrap_err();
        assert!(message(&e).starts_with("credentials error: STS AssumeRoleWithWebIdentity: "), "{e}");
        assert!(!format!("{e} {e:?}").contains("oidc-token-secret"));
        assert_refused_redirect(&e, status, &first, &second).await;
    }
}

#[tokio::test]
async fn cvm_role_refuses_redirects() {
    for status in [307, 308] {
        let second = target().await;
        let first = redirecting(status, &second).await;
        let p = CvmRoleProvider::builder().base_url(format!("{}/latest/meta-data/", first.uri())).build().unwrap();
        let e = p.credentials().await.unwrap_err();
        assert!(message(&e).starts_with("credentials error: the CVM metadata service answered"), "{e}");
        assert_refused_redirect(&e, status, &first, &second).await;
    }
}

#[test]
fn sts_refuses_plain_http_off_loopback_unless_allowed() {
    let plain = "http://sts.tencentcloudapi.com/";
    let e = assume_role(plain).build().unwrap_err();
    assert!(matches!(e, Error::Config(_)) && e.to_string().contains("plain http"), "{e}");
    assert!(e.to_string().contains("STS endpoint"), "{e}");
    let e = WebIdentityProvider::builder().endpoint(plain).build().unwrap_err();
    assert!(matches!(e, Error::Config(_)) && e.to_string().contains("plain http"), "{e}");
    assert!(assume_role(plain).allow_http(true).build().is_ok());
    assert!(WebIdentityProvider::builder().endpoint(plain).allow_http(true).build().is_ok());
    // Loopback and https need no opt-in; other schemes are refused even with it.
    assert!(assume_role("http://127.0.0.1:9/").build().is_ok());
    assert!(assume_role("https://sts.tencentcloudapi.com/").build().is_ok());
    assert!(assume_role("ftp://sts.tencentcloudapi.com/").allow_http(true).build().is_err());
    // The metadata service is http by nature.
    assert!(CvmRoleProvider::builder().build().is_ok());
    assert!(CvmRoleProvider::builder().base_url("ftp://metadata.tencentyun.com/").build().is_err());
}

// --- D. No secret in errors or Debug -------------------------------------------------------

fn assert_hidden(what: &str, shown: &str) {
    assert!(!shown.contains("hunter2"), "{what}: {shown}");
}

#[tokio::test]
async fn urls_and_proxies_never_show_their_secrets() {
    let bad_proxy = "http://user:hunter2@[bad";
    let e = assume_role("https://sts.tencentcloudapi.com/").proxy(bad_proxy).build().unwrap_err();
    assert!(e.to_string().contains("invalid proxy"), "{e}");
    assert_hidden("assume role proxy", &format!("{e} {e:?}"));
    for proxy in ["user:hunter2@proxy.example:99999", "http://user:hunter2@proxy.example:99999"] {
        match assume_role("https://sts.tencentcloudapi.com/").proxy(proxy).build() {
            Ok(p) => assert_hidden(proxy, &format!("{p:?}")),
            Err(e) => assert_hidden(proxy, &format!("{e} {e:?}")),
        }
    }
    let e = WebIdentityProvider::builder().proxy(bad_proxy).build().unwrap_err();
    assert!(e.to_string().contains("invalid proxy"), "{e}");
    assert_hidden("web identity proxy", &format!("{e} {e:?}"));
    // The builders' Debug hides them too.
    let b = assume_role("https://user:hunter2@sts.tencentcloudapi.com/?key=hunter2").proxy(bad_proxy);
    assert_hidden("builder Debug", &format!("{b:?}"));
    let b = WebIdentityProvider::builder().endpoint("https://user:hunter2@sts.example/?key=hunter2").proxy(bad_proxy);
    assert_hidden("builder Debug", &format!("{b:?}"));
    let b = CvmRoleProvider::builder().base_url("http://user:hunter2@metadata.example/?key=hunter2");
    assert_hidden("builder Debug", &format!("{b:?}"));

    // Endpoints refused at build time.
    for endpoint in [
        "https://user:hunter2@[bad/?key=hunter2",
        "https://user:hunter2@/?key=hunter2",
        "http://user:hunter2@sts.example.com/?key=hunter2",
        "ftp://user:hunter2@sts.example.com/?key=hunter2",
        "not a url user:hunter2@x?key=hunter2",
        // Parses as scheme `user` with an opaque path: refused as not http(s), still hidden.
        "user:hunter2@sts.example.com:99999",
    ] {
        let e = assume_role(endpoint).build().unwrap_err();
        assert!(matches!(e, Error::Config(_)), "{endpoint}: {e:?}");
        assert_hidden(endpoint, &format!("{e} {e:?}"));
        let e = WebIdentityProvider::builder().endpoint(endpoint).build().unwrap_err();
        assert_hidden(endpoint, &format!("{e} {e:?}"));
        // Plain http is the metadata service's nature: that one builds.
        match CvmRoleProvider::builder().base_url(endpoint).build() {
            Ok(p) => assert_hidden(endpoint, &format!("{p:?}")),
            Err(e) => assert_hidden(endpoint, &format!("{e} {e:?}")),
        }
    }

    // Endpoints that build and then fail at request time (nothing listens on the port).
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let endpoint = format!("http://user:hunter2@127.0.0.1:{port}/latest/meta-data/?key=hunter2");
    let p = assume_role(&endpoint).build().unwrap();
    assert_hidden("provider Debug", &format!("{p:?}"));
    let e = p.credentials().await.unwrap_err();
    assert_hidden("assume role request", &format!("{e} {e:?}"));
    let dir = temp_dir("secrets");
    let token = dir.0.join("token");
    std::fs::write(&token, "t").unwrap();
    let p = web_identity(&endpoint, &token).build().unwrap();
    assert_hidden("provider Debug", &format!("{p:?}"));
    let e = p.credentials().await.unwrap_err();
    assert_hidden("web identity request", &format!("{e} {e:?}"));
    let p = CvmRoleProvider::builder().base_url(&endpoint).build().unwrap();
    assert_hidden("provider Debug", &format!("{p:?}"));
    let e = p.credentials().await.unwrap_err();
    assert!(e.to_string().contains("unreachable"), "{e}");
    assert_hidden("cvm request", &format!("{e} {e:?}"));
    // A proxy with a password that is valid but unreachable.
    let p = assume_role("https://sts.tencentcloudapi.com/")
        .proxy(format!("http://user:hunter2@127.0.0.1:{port}"))
        .build()
        .unwrap();
    assert_hidden("provider Debug", &format!("{p:?}"));
    let e = p.credentials().await.unwrap_err();
    assert_hidden("through the proxy", &format!("{e} {e:?}"));
}

// --- E. Durations at their extremes --------------------------------------------------------

async fn sts_stand_in() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(sts_json("AKIDsts")))
        .mount(&server)
        .await;
    server
}

async fn metadata_stand_in() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/cam/security-credentials/billing-role"))
        .respond_with(ResponseTemplate::new(200).set_body_string(role_json("AKIDcvm")))
        .mount(&server)
        .await;
    server
}

fn policies() -> [RefreshPolicy; 4] {
    [
        RefreshPolicy::default().with_refresh_before(Duration::MAX),
        RefreshPolicy::default().with_refresh_before(Duration::ZERO),
        RefreshPolicy::default().with_failure_backoff(Duration::MAX, Duration::MAX),
        RefreshPolicy::default().with_failure_backoff(Duration::ZERO, Duration::ZERO),
    ]
}

fn is_config(r: Result<impl std::fmt::Debug, Error>) -> bool {
    matches!(r, Err(Error::Config(_)))
}

#[tokio::test]
async fn cvm_duration_settings_never_panic() {
    let server = metadata_stand_in().await;
    let base = format!("{}/latest/meta-data/", server.uri());
    let builder = || CvmRoleProvider::builder().base_url(&base).role_name("billing-role");
    for (connect, request) in [(Duration::ZERO, Duration::from_secs(3)), (Duration::from_secs(1), Duration::ZERO)] {
        let e = builder().timeouts(connect, request).build().unwrap_err();
        assert!(matches!(e, Error::Config(_)) && e.to_string().contains("more than zero"), "{e}");
    }
    for (connect, request) in [
        (Duration::MAX, Duration::MAX),
        (Duration::MAX, Duration::from_secs(3)),
        (Duration::from_secs(1), Duration::MAX),
    ] {
        let p = builder().timeouts(connect, request).build().unwrap();
        assert_eq!(p.credentials().await.unwrap().secret_id(), "AKIDcvm");
    }
    for policy in policies() {
        let p = builder().refresh_policy(policy).build().unwrap();
        assert_eq!(p.credentials().await.unwrap().secret_id(), "AKIDcvm");
        assert_eq!(p.credentials().await.unwrap().secret_id(), "AKIDcvm");
    }
}

#[tokio::test]
async fn sts_duration_settings_never_panic() {
    let server = sts_stand_in().await;
    let dir = temp_dir("durations");
    let token = dir.0.join("token");
    std::fs::write(&token, "t").unwrap();
    let uri = server.uri();
    // Session duration: refused outside 1 s ..= 12 h, on both builders.
    for d in [Duration::ZERO, Duration::from_millis(500), Duration::from_secs(43_201), Duration::MAX] {
        let e = assume_role(&uri).duration(d).build().unwrap_err();
        assert!(matches!(e, Error::Config(_)) && e.to_string().contains("session duration"), "{d:?}: {e}");
        assert!(is_config(web_identity(&uri, &token).duration(d).build()), "{d:?}");
    }
    // Timeouts: zero refused, huge capped.
    for (connect, request) in [(Duration::ZERO, Duration::from_secs(3)), (Duration::from_secs(1), Duration::ZERO)] {
        assert!(is_config(assume_role(&uri).timeouts(connect, request).build()));
        assert!(is_config(web_identity(&uri, &token).timeouts(connect, request).build()));
    }
    let mut calls = 0;
    for (connect, request) in [(Duration::MAX, Duration::MAX), (Duration::MAX, Duration::from_secs(3))] {
        let p = assume_role(&uri).timeouts(connect, request).build().unwrap();
        assert_eq!(p.credentials().await.unwrap().secret_id(), "AKIDsts");
        let p = web_identity(&uri, &token).timeouts(connect, request).build().unwrap();
        assert_eq!(p.credentials().await.unwrap().secret_id(), "AKIDsts");
        calls += 2;
    }
    for policy in policies() {
        let p = assume_role(&uri).refresh_policy(policy).build().unwrap();
        assert_eq!(p.credentials().await.unwrap().secret_id(), "AKIDsts");
        let p = web_identity(&uri, &token).refresh_policy(policy).build().unwrap();
        assert_eq!(p.credentials().await.unwrap().secret_id(), "AKIDsts");
        calls += 2;
    }
    assert_eq!(server.received_requests().await.unwrap().len(), calls);
}

#[tokio::test]
async fn a_metadata_service_that_stalls_after_its_head_is_an_error_not_an_absence() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // Answers with a head and part of the body it declared, then nothing more. Something does
    // answer there, so a chain must stop on this error instead of trying another identity.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf).await;
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nbilling-").await;
                tokio::time::sleep(Duration::from_secs(30)).await;
            });
        }
    });
    let e = cvm_error_within_300_ms(addr).await;
    assert!(matches!(&e, Error::Credentials(c) if !c.is_not_found()), "{e:?}");
    assert!(e.to_string().contains("not complete"), "{e}");

    // No head at all in time: nothing answers there, which is an absence.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_addr = silent.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            held.push(stream);
        }
    });
    let e = cvm_error_within_300_ms(silent_addr).await;
    assert!(matches!(&e, Error::Credentials(c) if c.is_not_found()), "{e:?}");
}

/// The error of a CVM role provider whose metadata service at `addr` has 300 ms to answer.
async fn cvm_error_within_300_ms(addr: std::net::SocketAddr) -> Error {
    let p = CvmRoleProvider::builder()
        .base_url(format!("http://{addr}/latest/meta-data/"))
        .timeouts(Duration::from_secs(1), Duration::from_millis(300))
        .build()
        .unwrap();
    bounded(p.credentials()).await.unwrap_err()
}
