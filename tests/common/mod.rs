//! Shared helpers for the integration tests.
#![allow(dead_code)]

use tencentcloud_billing::{BillingClient, BillingClientBuilder, Credentials, RetryConfig};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client builder for a wiremock server: test credentials, no retries.
pub fn mock_client(server: &MockServer) -> BillingClientBuilder {
    BillingClient::builder()
        .credentials(Credentials::new("AKIDtest", "test-secret-key"))
        .endpoint(server.uri())
        .retry(RetryConfig::disabled())
}

/// A server that answers every POST with `status` and `body`.
pub async fn answering(status: u16, body: impl Into<Vec<u8>>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.into(), "application/json"))
        .mount(&server)
        .await;
    server
}
