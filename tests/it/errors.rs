//! Error envelopes and malformed answers become typed errors, never panics.

use std::time::Duration;

use crate::common;

use common::{answering, mock_client};
use tencentcloud_billing::{BillingClient, DecodeError, Error, ErrorCode, RetryConfig};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answer(status: u16, body: impl Into<Vec<u8>>) -> (MockServer, BillingClient) {
    let server = answering(status, body).await;
    let client = mock_client(&server).max_response_size(64 * 1024).build().unwrap();
    (server, client)
}

fn envelope(code: &str) -> String {
    format!(r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"message for {code}"}},"RequestId":"rid-{code}"}}}}"#)
}

#[tokio::test]
async fn service_errors_carry_code_message_and_request_id() {
    let cases = [
        ("AuthFailure.SignatureFailure", ErrorCode::AuthFailureSignatureFailure, false, false),
        ("AuthFailure.UnauthorizedOperation", ErrorCode::AuthFailureUnauthorizedOperation, false, false),
        ("FailedOperation.BalanceInsufficient", ErrorCode::FailedOperationBalanceInsufficient, false, false),
        ("FailedOperation.SummaryDataNotReady", ErrorCode::FailedOperationSummaryDataNotReady, false, true),
        ("InternalError.GatewayError", ErrorCode::InternalErrorGatewayError, false, true),
        ("InvalidParameter.ParamCheckFailed", ErrorCode::InvalidParameterParamCheckFailed, false, false),
        ("InvalidParameterValue", ErrorCode::InvalidParameterValue, false, false),
        ("MissingParameter", ErrorCode::MissingParameter, false, false),
        ("RequestLimitExceeded.UinLimitExceeded", ErrorCode::RequestLimitExceededUinLimitExceeded, true, true),
        ("UnauthorizedOperation.CamNoAuth", ErrorCode::UnauthorizedOperationCamNoAuth, false, false),
        (
            "UnsupportedOperation.NOT_SUPPORT_THIS_ACTION",
            ErrorCode::UnsupportedOperationNotSupportThisAction,
            false,
            false,
        ),
        ("ResourceNotFound", ErrorCode::ResourceNotFound, false, false),
    ];
    for (code, expected, throttling, retryable) in cases {
        let (_server, client) = answer(200, envelope(code)).await;
        let err = client.describe_account_balance().send().await.unwrap_err();
        assert_eq!(err.code(), Some(&expected), "{code}");
        assert_eq!(err.request_id(), Some(format!("rid-{code}").as_str()));
        assert_eq!(err.is_throttling(), throttling, "{code}");
        assert_eq!(err.is_retryable(), retryable, "{code}");
        let Error::Service(s) = &err else { panic!("{err:?}") };
        assert_eq!(s.message, format!("message for {code}"));
        assert_eq!(s.http_status, 200);
        assert!(err.to_string().contains(code));
    }
}

#[tokio::test]
async fn unknown_codes_are_kept() {
    let (_s, client) = answer(200, envelope("FailedOperation.BrandNewThing")).await;
    let err = client.describe_account_balance().send().await.unwrap_err();
    let code = err.code().unwrap();
    assert!(matches!(code, ErrorCode::Unknown(_)));
    assert_eq!(code.as_str(), "FailedOperation.BrandNewThing");
}

fn decode_error(err: Error) -> Box<DecodeError> {
    match err {
        Error::Decode(d) => d,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn malformed_answers_are_decode_errors_with_a_snippet() {
    let cases: Vec<(u16, Vec<u8>, &str)> = vec![
        (502, b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec(), "status 502"),
        (200, b"<!DOCTYPE html><html>login page</html>".to_vec(), "HTML"),
        (200, Vec::new(), "empty"),
        (200, br#"{"Response":{"Balance":10"#.to_vec(), "truncated"),
        (200, b"[1,2]".to_vec(), "shape"),
        (200, br#"{"NotResponse":{}}"#.to_vec(), "shape"),
        (200, vec![0xff, 0xfe, 0x00, 0x01], "malformed"),
        (200, br#"{"Response":{"Balance":{"a":1},"RequestId":"r-obj"}}"#.to_vec(), "shape"),
    ];
    for (status, body, reason) in cases {
        let (_s, client) = answer(status, body.clone()).await;
        let d = decode_error(client.describe_account_balance().send().await.unwrap_err());
        assert!(d.reason.contains(reason), "{reason}: {}", d.reason);
        assert_eq!(d.status, status);
        let expected_snippet = String::from_utf8_lossy(&body[..body.len().min(512)]).into_owned();
        assert_eq!(d.body_snippet, expected_snippet);
    }
    // The RequestId survives a body of the wrong shape.
    let (_s, client) = answer(200, br#"{"Response":{"Balance":{"a":1},"RequestId":"r-obj"}}"#.to_vec()).await;
    assert_eq!(client.describe_account_balance().send().await.unwrap_err().request_id(), Some("r-obj"));
}

#[tokio::test]
async fn not_applicable_money_sentinels_decode_as_absent() {
    let body = br#"{"Response":{"Balance":"-","OweAmount":"","RealBalance":null,"RequestId":"r-dash"}}"#;
    let (_s, client) = answer(200, body.to_vec()).await;
    let r = client.describe_account_balance().send().await.unwrap();
    assert_eq!((r.balance, r.owe_amount, r.real_balance), (None, None, None));
    assert_eq!(r.request_id, "r-dash");
}

#[tokio::test]
async fn oversized_answers_are_refused() {
    let big = format!(r#"{{"Response":{{"RequestId":"x","Pad":"{}"}}}}"#, "a".repeat(100 * 1024));
    let (_s, client) = answer(200, big).await;
    let d = decode_error(client.describe_account_balance().send().await.unwrap_err());
    assert!(d.reason.contains("larger than the 65536-byte limit"), "{}", d.reason);
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}").set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = mock_client(&server).timeout(Duration::from_millis(200)).build().unwrap();
    let err = client.describe_account_balance().send().await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn reads_are_retried_after_a_transient_failure() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("unavailable"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"Response":{"Balance":5,"RequestId":"ok"}}"#))
        .mount(&server)
        .await;
    let client = mock_client(&server)
        .retry(RetryConfig::standard().with_initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();
    let r = client.describe_account_balance().send().await.unwrap();
    assert_eq!(r.request_id, "ok");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn secrets_never_appear_in_error_output() {
    let (_s, client) = answer(200, envelope("AuthFailure.SignatureFailure")).await;
    let err = client.describe_account_balance().send().await.unwrap_err();
    let all = format!("{err} {err:?} {client:?}");
    assert!(!all.contains("test-secret-key"), "{all}");
}

#[tokio::test]
async fn multibyte_garbage_in_typed_fields_is_an_error_not_a_panic() {
    let long = "余额".repeat(40);
    for body in [
        format!(r#"{{"Response":{{"Balance":"{long}","RequestId":"r"}}}}"#),
        format!(r#"{{"Response":{{"TempAmountInfoList":[{{"StartTime":"{long}"}}],"RequestId":"r"}}}}"#),
    ] {
        let (_s, client) = answer(200, body).await;
        let err = client.describe_account_balance().send().await.unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{err:?}");
        assert_eq!(err.request_id(), Some("r"));
    }
}
