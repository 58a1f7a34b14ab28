//! Shared helpers for the integration tests.
#![allow(dead_code)]

use serde::Serialize;
use serde_json::Value;
use tencentcloud_billing::datetime::{DateOrMonth, YearMonth, parse_beijing, parse_date};
use tencentcloud_billing::money::{Cents, Yuan};
use tencentcloud_billing::{ApiResponse, BillingClient, BillingClientBuilder, Credentials, RetryConfig};
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

/// Decode an example answer (`{"Response": {...}}`) through the client's own decoder.
pub fn decode<T: ApiResponse>(body: &str) -> T {
    match T::from_json(body.as_bytes()) {
        Ok(answer) => answer,
        Err(e) => panic!("example does not decode into {}: {e}", std::any::type_name::<T>()),
    }
}

/// Serializing a decoded answer and decoding that text again gives the same value, so callers can
/// cache or pass answers on as JSON.
pub fn round_trips<T: ApiResponse + Serialize + PartialEq>(answer: &T) {
    let text = serde_json::to_string(answer).expect("the answer serializes");
    let again: T = decode(&format!(r#"{{"Response":{text}}}"#));
    assert_eq!(&again, answer, "decoding {text} again gives another value");
}

/// Decoding must fail, with an error that mentions `needle`.
pub fn decode_fails<T: ApiResponse>(body: &str, needle: &str) {
    match T::from_json(body.as_bytes()) {
        Ok(_) => panic!("expected {} to refuse the example", std::any::type_name::<T>()),
        Err(e) => assert!(e.to_string().contains(needle), "error {e} does not mention {needle:?}"),
    }
}

pub fn yuan(s: &str) -> Yuan {
    s.parse().expect("amount")
}

pub fn cents(s: &str) -> Cents {
    s.parse().expect("cents")
}

pub fn bj(s: &str) -> time::OffsetDateTime {
    parse_beijing(s).expect("Beijing datetime")
}

pub fn date(s: &str) -> time::Date {
    parse_date(s).expect("date")
}

pub fn ym(s: &str) -> YearMonth {
    s.parse().expect("month")
}

pub fn dom(s: &str) -> DateOrMonth {
    s.parse().expect("date or month")
}

/// Assert that `request` serializes to the same JSON as `expected`, compared semantically:
/// - a number and a string holding the same number are equal (Tencent's examples send `"10"`);
/// - a `null` member equals a missing one;
/// - values at the JSON pointers in `months` are compared as months (the examples spell a month
///   `2022-10`, `202210`, `2022-10-01` or `2022-10-01 00:00:00`).
pub fn same_json<T: Serialize>(request: &T, expected: &str, months: &[&str]) {
    let actual = serde_json::to_value(request).expect("request serializes");
    let expected: Value = serde_json::from_str(expected).expect("fixture is JSON");
    let mut diffs = Vec::new();
    compare("", &actual, &expected, months, &mut diffs);
    assert!(
        diffs.is_empty(),
        "request differs from the example:\n{}\nsent: {}",
        diffs.join("\n"),
        serde_json::to_string_pretty(&actual).unwrap()
    );
}

fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn compare(path: &str, a: &Value, e: &Value, months: &[&str], diffs: &mut Vec<String>) {
    if months.contains(&path) {
        let m = |v: &Value| v.as_str().and_then(|s| s.parse::<YearMonth>().ok());
        if m(a).is_none() || m(a) != m(e) {
            diffs.push(format!("{path}: month {a} != {e}"));
        }
        return;
    }
    match (a, e) {
        (Value::Object(am), Value::Object(em)) => {
            for (k, ev) in em {
                let p = format!("{path}/{k}");
                match am.get(k) {
                    Some(av) => compare(&p, av, ev, months, diffs),
                    None if ev.is_null() => {}
                    None => diffs.push(format!("{p}: missing (example has {ev})")),
                }
            }
            for (k, av) in am {
                if !em.contains_key(k) && !av.is_null() {
                    diffs.push(format!("{path}/{k}: sent {av}, not in the example"));
                }
            }
        }
        (Value::Array(aa), Value::Array(ea)) => {
            if aa.len() != ea.len() {
                diffs.push(format!("{path}: {} elements != {}", aa.len(), ea.len()));
                return;
            }
            for (i, (av, ev)) in aa.iter().zip(ea).enumerate() {
                compare(&format!("{path}/{i}"), av, ev, months, diffs);
            }
        }
        (Value::String(x), Value::String(y)) if x == y => {}
        (Value::Bool(x), Value::Bool(y)) if x == y => {}
        (Value::Null, Value::Null) => {}
        _ => match (as_number(a), as_number(e)) {
            (Some(x), Some(y)) if x == y && (a.is_number() || e.is_number()) => {}
            _ => diffs.push(format!("{path}: sent {a}, example has {e}")),
        },
    }
}

/// A bare reqwest client (plain http only), for requests the typed client cannot make (an
/// unknown action, a hand-signed request). reqwest's rustls comes without a crypto provider (the
/// library never installs one for the process), so this installs ring first, as an application
/// building its own reqwest client would.
pub fn raw_http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// Read an HTTP head (up to its blank line, at most 16 KiB) from `stream`, a byte at a time so
/// that nothing after it is consumed.
pub async fn read_head(stream: &mut (impl tokio::io::AsyncRead + Unpin)) -> String {
    use tokio::io::AsyncReadExt;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        if stream.read(&mut byte).await.unwrap() == 0 {
            break;
        }
        head.push(byte[0]);
    }
    String::from_utf8_lossy(&head).into_owned()
}
