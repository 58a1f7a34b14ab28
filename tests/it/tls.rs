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

#[tokio::test]
async fn a_certificate_the_platform_does_not_trust_is_refused_before_anything_is_sent() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let certs = CertificateDer::pem_slice_iter(include_bytes!("../fixtures/untrusted-localhost.pem"))
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(include_bytes!("../fixtures/untrusted-localhost.key")).unwrap();
    let config = rustls::ServerConfig::builder().with_no_client_auth().with_single_cert(certs, key).unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
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
