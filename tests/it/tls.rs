//! TLS is verified: a server whose certificate the platform does not trust never sees a request.
//! The fixture `tests/fixtures/untrusted-localhost.pem` is a self-signed certificate for
//! `localhost` and 127.0.0.1 made for this test (its key is beside it; it protects nothing).

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tencentcloud_billing::{BillingClient, Credentials, RetryConfig};

/// The error's text and its causes', lowercased.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(" / ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text.to_lowercase()
}

/// A TLS listener on 127.0.0.1 presenting `cert` (PEM chain) with `key`; its port.
async fn tls_listener(cert: &[u8], key: &[u8]) -> (tokio::net::TcpListener, tokio_rustls::TlsAcceptor, u16) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let certs = CertificateDer::pem_slice_iter(cert).collect::<Result<Vec<_>, _>>().unwrap();
    let key = PrivateKeyDer::from_pem_slice(key).unwrap();
    let config = rustls::ServerConfig::builder().with_no_client_auth().with_single_cert(certs, key).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    (listener, tokio_rustls::TlsAcceptor::from(Arc::new(config)), port)
}

#[tokio::test]
async fn a_certificate_the_platform_does_not_trust_is_refused_before_anything_is_sent() {
    let (listener, acceptor, port) = tls_listener(
        include_bytes!("../fixtures/untrusted-localhost.pem"),
        include_bytes!("../fixtures/untrusted-localhost.key"),
    )
    .await;
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        acceptor.accept(tcp).await.map(|_| ())
    });

    let client = BillingClient::builder()
        .credentials(Credentials::new("AKIDtls", "tls-secret"))
        .endpoint(format!("https://localhost:{port}/"))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let e = client.describe_account_balance().send().await.unwrap_err();
    // Refused during the handshake: a connection failure, so nothing reached the server.
    assert!(e.is_connect(), "{e:?}");
    assert!(chain(&e).contains("certificate"), "{}", chain(&e));
    let handshake = server.await.unwrap();
    assert!(handshake.is_err(), "the client finished a handshake with an untrusted certificate");
}

/// A TLS server on 127.0.0.1 with a certificate for `localhost` issued by the test CA
/// (`tests/fixtures/test-ca.pem`), answering one request with a balance. Returns its port and
/// whether the handshake succeeded.
async fn test_ca_server() -> (u16, tokio::task::JoinHandle<bool>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (listener, acceptor, port) = tls_listener(
        include_bytes!("../fixtures/test-ca-localhost.pem"),
        include_bytes!("../fixtures/test-ca-localhost.key"),
    )
    .await;
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let Ok(mut tls) = acceptor.accept(tcp).await else { return false };
        // The head and the body of one small request, then one answer.
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        while !seen.windows(2).any(|w| w == b"{}") {
            match tls.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
        let body = r#"{"Response":{"Balance":5,"RequestId":"via-test-ca"}}"#;
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        let _ = tls.write_all(answer.as_bytes()).await;
        let _ = tls.flush().await;
        true
    });
    (port, server)
}

fn test_ca_client(port: u16, trust: bool) -> BillingClient {
    let mut b = BillingClient::builder()
        .credentials(Credentials::new("AKIDtls", "tls-secret"))
        .endpoint(format!("https://localhost:{port}/"))
        .retry(RetryConfig::disabled());
    if trust {
        b = b.add_root_certificate(include_bytes!("../fixtures/test-ca.pem"));
    }
    b.build().unwrap()
}

#[tokio::test]
async fn a_ca_added_with_add_root_certificate_is_trusted_and_refused_without_it() {
    let (port, server) = test_ca_server().await;
    let r = test_ca_client(port, true).describe_account_balance().send().await.unwrap();
    assert_eq!(r.request_id, "via-test-ca");
    assert!(server.await.unwrap());

    let (port, server) = test_ca_server().await;
    let e = test_ca_client(port, false).describe_account_balance().send().await.unwrap_err();
    assert!(e.is_connect(), "{e:?}");
    assert!(chain(&e).contains("certificate"), "{}", chain(&e));
    assert!(!server.await.unwrap(), "the client finished a handshake with a CA it was not given");
}

#[test]
fn a_root_certificate_that_is_not_pem_fails_the_build() {
    let e = BillingClient::builder()
        .credentials(Credentials::new("AKIDtls", "tls-secret"))
        .add_root_certificate(b"-----BEGIN NOTHING-----")
        .build()
        .unwrap_err();
    assert!(
        matches!(e, tencentcloud_billing::Error::Config(_)) && e.to_string().contains("add_root_certificate"),
        "{e}"
    );
}

/// An `https://` proxy: the client speaks TLS to the proxy (trusting it through
/// `add_root_certificate`), and sends its `CONNECT` inside that TLS.
#[tokio::test]
async fn an_https_proxy_is_reached_over_tls_and_asked_for_a_tunnel() {
    use tokio::io::AsyncWriteExt;
    let (listener, acceptor, port) = tls_listener(
        include_bytes!("../fixtures/test-ca-localhost.pem"),
        include_bytes!("../fixtures/test-ca-localhost.key"),
    )
    .await;
    let proxy = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut tls = acceptor.accept(tcp).await.unwrap();
        let head = crate::common::read_head(&mut tls).await;
        let _ = tls.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n").await;
        let _ = tls.flush().await;
        head
    });
    let client = BillingClient::builder()
        .credentials(Credentials::new("AKIDtls", "tls-secret"))
        .endpoint("https://billing.invalid/")
        .proxy(format!("https://localhost:{port}"))
        .add_root_certificate(include_bytes!("../fixtures/test-ca.pem"))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let e = client.describe_account_balance().send().await.unwrap_err();
    assert!(e.is_connect(), "{e:?}");
    let head = proxy.await.unwrap();
    assert!(head.starts_with("CONNECT billing.invalid:443 HTTP/1.1\r\n"), "{head}");
}
