//! The fault matrix: every way an answer can go wrong, each as a wiremock, sandbox or raw-TCP
//! scenario on 127.0.0.1, asserting the exact typed outcome (success after retries, or the error
//! kind, code, RequestId and body snippet) and the exact number of requests the server saw.
//! Backoffs are a few milliseconds so the whole matrix runs in about a second.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tencentcloud_billing::money::Cents;
use tencentcloud_billing::sandbox::Sandbox;
use tencentcloud_billing::{
    BillingClient, BillingClientBuilder, Credentials, CredentialsFuture, DecodeError, Error, ErrorCode,
    ProvideCredentials, RetryConfig, ServiceError, TimeoutKind, TransportPhase,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const OK: &str = r#"{"Response":{"Balance":700,"RealBalance":650,"Uin":600000561284,"RequestId":"req-ok"}}"#;

fn fast_retry() -> RetryConfig {
    RetryConfig::standard().with_initial_backoff(Duration::from_millis(2)).with_max_backoff(Duration::from_millis(10))
}

fn client_for(url: &str) -> BillingClientBuilder {
    BillingClient::builder()
        .credentials(Credentials::new("AKIDfault", "fault-secret-key"))
        .endpoint(url)
        .retry(fast_retry())
}

/// A wiremock server answering with `responses` in order; the last one repeats.
async fn serving(responses: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    let n = responses.len();
    for (i, r) in responses.into_iter().enumerate() {
        let m = Mock::given(method("POST")).respond_with(r);
        let m = if i + 1 < n { m.up_to_n_times(1) } else { m };
        // Earlier mounts win while they last, so mount in order with decreasing priority.
        m.with_priority(u8::try_from(i + 1).unwrap()).mount(&server).await;
    }
    server
}

fn status(code: u16, body: impl Into<Vec<u8>>) -> ResponseTemplate {
    ResponseTemplate::new(code).set_body_raw(body.into(), "application/json")
}

fn error_envelope(code: &str, request_id: &str) -> String {
    format!(r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"injected {code}"}},"RequestId":"{request_id}"}}}}"#)
}

async fn seen(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

fn decode_error(e: Error) -> Box<DecodeError> {
    match e {
        Error::Decode(d) => d,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

fn service_error(e: Error) -> Box<ServiceError> {
    match e {
        Error::Service(s) => s,
        other => panic!("expected a service error, got {other:?}"),
    }
}

async fn balance(client: &BillingClient) -> Result<tencentcloud_billing::types::DescribeAccountBalanceResponse, Error> {
    client.describe_account_balance().send().await
}

// --- HTTP status faults ----------------------------------------------------------------------

#[tokio::test]
async fn http_500_is_retried_then_reported_with_its_body() {
    let server = serving(vec![status(500, "Internal Server Error")]).await;
    let d = decode_error(balance(&client_for(&server.uri()).build().unwrap()).await.unwrap_err());
    assert_eq!(
        (d.status, d.reason.as_str(), d.body_snippet()),
        (500, "unexpected http status 500", "Internal Server Error")
    );
    assert_eq!(d.request_id, None);
    assert_eq!(seen(&server).await, 3);
}

#[tokio::test]
async fn http_502_with_an_html_page_is_retried_then_reported() {
    let page = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>";
    let server = serving(vec![ResponseTemplate::new(502).set_body_raw(page, "text/html")]).await;
    let d = decode_error(balance(&client_for(&server.uri()).build().unwrap()).await.unwrap_err());
    assert_eq!((d.status, d.reason.as_str()), (502, "unexpected http status 502"));
    assert_eq!(d.body_snippet(), page);
    assert_eq!(seen(&server).await, 3);
}

#[tokio::test]
async fn http_503_then_success() {
    let server = serving(vec![status(503, "Service Unavailable"), status(200, OK)]).await;
    let r = balance(&client_for(&server.uri()).build().unwrap()).await.unwrap();
    assert_eq!((r.request_id.as_str(), r.balance), ("req-ok", Some(Cents::from(700))));
    assert_eq!(seen(&server).await, 2);
}

#[tokio::test]
async fn http_429_is_throttling_and_retried() {
    let server = serving(vec![status(429, "Too Many Requests")]).await;
    let e = balance(&client_for(&server.uri()).build().unwrap()).await.unwrap_err();
    assert!(e.is_throttling() && e.is_retryable());
    let d = decode_error(e);
    assert_eq!((d.status, d.body_snippet()), (429, "Too Many Requests"));
    assert_eq!(seen(&server).await, 3);

    let server = serving(vec![status(429, "slow down"), status(200, OK)]).await;
    balance(&client_for(&server.uri()).build().unwrap()).await.unwrap();
    assert_eq!(seen(&server).await, 2);
}

#[tokio::test]
async fn an_error_envelope_with_http_500_keeps_code_and_request_id() {
    let server = serving(vec![status(500, error_envelope("InternalError", "req-500"))]).await;
    let s = service_error(balance(&client_for(&server.uri()).build().unwrap()).await.unwrap_err());
    assert_eq!(
        (s.code.clone(), s.request_id.as_deref(), s.http_status),
        (ErrorCode::InternalError, Some("req-500"), 500)
    );
    assert_eq!(seen(&server).await, 3);
}

#[tokio::test]
async fn the_retry_budget_stops_a_retry_storm() {
    // 500 tokens, 5 a retry: 50 failing calls spend it on 2 retries each; after that, each call
    // is tried once. No success comes back to refill it.
    let server = serving(vec![status(503, "down for everyone")]).await;
    let client = client_for(&server.uri()).disable_rate_limit().build().unwrap();
    for _ in 0..60 {
        let d = decode_error(balance(&client).await.unwrap_err());
        assert_eq!(d.status, 503);
    }
    assert_eq!(seen(&server).await, 50 * 3 + 10);
}

// --- Connection faults (raw TCP stand-ins) ---------------------------------------------------

/// What the raw stand-in does with one connection.
#[derive(Clone)]
enum Raw {
    /// Read part of the request, then close with unread data: the peer sees a TCP reset.
    Reset,
    /// Read the whole request, write these bytes, close.
    Write(Vec<u8>),
}

/// A tiny HTTP/1.1 stand-in on 127.0.0.1: connection `n` (0-based) gets `script(n)`. Returns the
/// URL and the number of requests that arrived.
async fn raw_server(script: impl Fn(usize) -> Raw + Send + Sync + 'static) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let n = seen.fetch_add(1, Ordering::SeqCst);
            match script(n) {
                Raw::Reset => {
                    let mut first = [0u8; 8];
                    let _ = sock.read_exact(&mut first).await;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    let _ = sock.set_zero_linger();
                    drop(sock);
                }
                Raw::Write(bytes) => {
                    read_request(&mut sock).await;
                    let _ = sock.write_all(&bytes).await;
                    let _ = sock.shutdown().await;
                }
            }
        }
    });
    (url, count)
}

async fn read_request(sock: &mut tokio::net::TcpStream) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let Ok(n) = sock.read(&mut chunk).await else { return };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return;
            }
        }
    }
}

fn http_response(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[tokio::test]
async fn connection_reset_before_the_response() {
    let (url, count) = raw_server(|_| Raw::Reset).await;
    let e = balance(&client_for(&url).build().unwrap()).await.unwrap_err();
    match &e {
        Error::Transport(t) => assert_eq!(t.phase, TransportPhase::Request, "{e:?}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(e.may_have_been_sent() && e.is_retryable() && e.request_id().is_none());
    assert_eq!(count.load(Ordering::SeqCst), 3, "a read is retried after a reset");
}

#[tokio::test]
async fn connection_closed_mid_body_then_success() {
    let cut = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"Response\":{\"Bal"
        .to_vec();
    let (url, count) =
        raw_server(move |n| if n == 0 { Raw::Write(cut.clone()) } else { Raw::Write(http_response(OK)) }).await;
    let r = balance(&client_for(&url).build().unwrap()).await.unwrap();
    assert_eq!(r.request_id, "req-ok");
    assert_eq!(count.load(Ordering::SeqCst), 2);

    // Every time: the body-phase transport error comes back after three attempts.
    let cut = b"HTTP/1.1 200 OK\r\ncontent-length: 500\r\n\r\n{\"Resp".to_vec();
    let (url, count) = raw_server(move |_| Raw::Write(cut.clone())).await;
    let e = balance(&client_for(&url).build().unwrap()).await.unwrap_err();
    match &e {
        Error::Transport(t) => assert_eq!(t.phase, TransportPhase::Body, "{e:?}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn connection_refused_means_never_sent() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = client_for(&format!("http://127.0.0.1:{port}")).build().unwrap();
    let e = balance(&client).await.unwrap_err();
    assert!(e.is_connect() && !e.may_have_been_sent(), "{e:?}");
}

#[tokio::test]
async fn a_slow_response_past_the_attempt_timeout() {
    let server = serving(vec![status(200, OK).set_delay(Duration::from_millis(900))]).await;
    let client = client_for(&server.uri()).timeout(Duration::from_millis(150)).build().unwrap();
    let started = Instant::now();
    let e = balance(&client).await.unwrap_err();
    match &e {
        Error::Timeout(t) => assert_eq!((t.kind, t.after), (TimeoutKind::Attempt, Duration::from_millis(150))),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(seen(&server).await, 3, "reads are retried after a timeout");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn the_deadline_bounds_the_whole_call() {
    let server = serving(vec![status(200, OK).set_delay(Duration::from_millis(900))]).await;
    let client = client_for(&server.uri()).timeout(Duration::from_millis(800)).build().unwrap();
    let e = client.describe_account_balance().with_deadline(Duration::from_millis(250)).send().await.unwrap_err();
    match &e {
        Error::Timeout(t) => assert_eq!((t.kind, t.after), (TimeoutKind::Deadline, Duration::from_millis(250))),
        other => panic!("expected a deadline, got {other:?}"),
    }
    assert_eq!(seen(&server).await, 1);

    // A retry whose backoff would end past the deadline is not made: the real error comes back.
    let server = serving(vec![status(503, "down")]).await;
    let client = client_for(&server.uri())
        .retry(RetryConfig::standard().with_initial_backoff(Duration::from_secs(10)))
        .deadline(Duration::from_millis(500))
        .build()
        .unwrap();
    // Full jitter can draw a tiny backoff; try a few calls and require that none sleeps into the deadline.
    for _ in 0..3 {
        let started = Instant::now();
        let e = balance(&client).await.unwrap_err();
        assert!(matches!(&e, Error::Decode(d) if d.status == 503) || matches!(&e, Error::Timeout(_)), "{e:?}");
        assert!(started.elapsed() < Duration::from_millis(700));
    }
}

// --- Malformed bodies: never retried, decode errors with the snippet -------------------------

#[tokio::test]
async fn malformed_bodies_are_decode_errors_and_not_retried() {
    let cases: Vec<(&str, Vec<u8>, &str, Option<&str>)> = vec![
        ("empty body", Vec::new(), "empty response body", None),
        ("truncated JSON", br#"{"Response":{"Balance":10,"RequestId":"req-trunc"#.to_vec(), "truncated JSON", None),
        ("non-UTF-8 bytes", vec![0xff, 0xfe, 0xfd, b'{', 0x80], "malformed JSON", None),
        ("JSON array at top level", br#"[{"Response":{}}]"#.to_vec(), "expected a JSON object", None),
        ("Response as an array", br#"{"Response":[1,"x"]}"#.to_vec(), "expected a JSON object", None),
        ("Response missing", br#"{"Result":{"Balance":1},"RequestId":"x"}"#.to_vec(), "missing field `Response`", None),
        (
            "wrong type in a field",
            br#"{"Response":{"Balance":{"nested":true},"RequestId":"req-shape"}}"#.to_vec(),
            "unexpected response shape",
            Some("req-shape"),
        ),
    ];
    for (name, body, reason, request_id) in cases {
        let server = serving(vec![status(200, body.clone())]).await;
        let d = decode_error(balance(&client_for(&server.uri()).build().unwrap()).await.unwrap_err());
        assert!(d.reason.contains(reason), "{name}: {}", d.reason);
        assert_eq!(d.status, 200, "{name}");
        assert_eq!(d.request_id.as_deref(), request_id, "{name}");
        assert_eq!(d.body_snippet(), String::from_utf8_lossy(&body), "{name}");
        assert_eq!(seen(&server).await, 1, "{name}: a 200 that does not decode is not retried");
    }
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused() {
    let big = format!(r#"{{"Response":{{"RequestId":"req-big","Pad":"{}"}}}}"#, "x".repeat(100_000));
    // Announced by Content-Length: refused before reading.
    let server = serving(vec![status(200, big.clone())]).await;
    let client = client_for(&server.uri()).max_response_size(64 * 1024).build().unwrap();
    let d = decode_error(balance(&client).await.unwrap_err());
    assert_eq!(d.reason, format!("response body larger than the 65536-byte limit ({} bytes or more)", big.len()));
    assert_eq!(d.body_snippet(), "");
    assert_eq!(seen(&server).await, 1);

    // Chunked, with no length: refused as soon as the bytes read pass the cap.
    let mut chunked =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
    for piece in big.as_bytes().chunks(8192) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let (url, count) = raw_server(move |_| Raw::Write(chunked.clone())).await;
    let client = client_for(&url).max_response_size(64 * 1024).build().unwrap();
    let d = decode_error(balance(&client).await.unwrap_err());
    assert!(d.reason.starts_with("response body larger than the 65536-byte limit"), "{}", d.reason);
    assert!(d.body_snippet().starts_with(r#"{"Response":{"RequestId":"req-big","Pad":"xxx"#), "{}", d.body_snippet());
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_answer_in_many_small_chunks_is_read_whole() {
    // The reader keeps a one-chunk answer as it came; an answer in pieces is joined, in order.
    let mut chunked =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
    for piece in OK.as_bytes().chunks(3) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let (url, count) = raw_server(move |_| Raw::Write(chunked.clone())).await;
    let client = client_for(&url).build().unwrap();
    let answer = balance(&client).await.unwrap();
    assert_eq!(answer.request_id, "req-ok");
    assert_eq!(answer.uin, Some(600_000_561_284));
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

// --- Service errors ---------------------------------------------------------------------------

#[tokio::test]
async fn an_unknown_error_code_is_kept_and_not_retried() {
    let server = serving(vec![status(200, error_envelope("FailedOperation.NeverSeenBefore", "req-unknown"))]).await;
    let s = service_error(balance(&client_for(&server.uri()).build().unwrap()).await.unwrap_err());
    assert!(matches!(s.code, ErrorCode::Unknown(_)));
    assert_eq!(s.code.as_str(), "FailedOperation.NeverSeenBefore");
    assert_eq!(
        (s.message.as_str(), s.request_id.as_deref()),
        ("injected FailedOperation.NeverSeenBefore", Some("req-unknown"))
    );
    assert_eq!(seen(&server).await, 1);

    // An unknown InternalError sub-code is transient.
    let server = serving(vec![status(200, error_envelope("InternalError.BrandNew", "req-i")), status(200, OK)]).await;
    balance(&client_for(&server.uri()).build().unwrap()).await.unwrap();
    assert_eq!(seen(&server).await, 2);
}

#[tokio::test]
async fn every_request_limit_code_is_retried_then_succeeds() {
    for code in [
        "RequestLimitExceeded",
        "RequestLimitExceeded.UinLimitExceeded",
        "RequestLimitExceeded.IPLimitExceeded",
        "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
        "RequestLimitExceeded.NotYetDocumented",
    ] {
        let server = serving(vec![status(200, error_envelope(code, "req-limit")), status(200, OK)]).await;
        let r = balance(&client_for(&server.uri()).build().unwrap()).await.unwrap();
        assert_eq!(r.request_id, "req-ok", "{code}");
        assert_eq!(seen(&server).await, 2, "{code}");
    }
    // Throttled on every attempt: the throttling error, after three.
    let server = serving(vec![status(200, error_envelope("RequestLimitExceeded.UinLimitExceeded", "req-limit"))]).await;
    let e = balance(&client_for(&server.uri()).build().unwrap()).await.unwrap_err();
    assert!(e.is_throttling());
    assert_eq!(e.request_id(), Some("req-limit"));
    assert_eq!(seen(&server).await, 3);
}

#[tokio::test]
async fn auth_parameter_and_permission_errors_are_sent_once() {
    for (code, http) in [
        ("AuthFailure.SignatureFailure", 200),
        ("AuthFailure.SecretIdNotFound", 200),
        ("InvalidParameter.ParamCheckFailed", 200),
        ("UnauthorizedOperation.CamNoAuth", 200),
        ("AuthFailure.UnauthorizedOperation", 503),
    ] {
        let server = serving(vec![status(http, error_envelope(code, "req-auth"))]).await;
        let s = service_error(balance(&client_for(&server.uri()).build().unwrap()).await.unwrap_err());
        assert_eq!((s.code.as_str(), s.request_id.as_deref()), (code, Some("req-auth")));
        assert_eq!(seen(&server).await, 1, "{code}");
    }
}

#[tokio::test]
async fn signature_expire_with_a_skewed_clock_is_corrected_once() {
    for skew in [600i64, -600] {
        let sandbox = Sandbox::builder().clock_skew(skew).start().await.unwrap();
        let client = sandbox.client_builder().retry(fast_retry()).build().unwrap();
        let r = balance(&client).await.unwrap();
        assert!(!r.request_id.is_empty());
        let log = sandbox.requests();
        assert_eq!(log.len(), 2, "skew {skew}");
        assert_eq!(log[0].error_code.as_deref(), Some("AuthFailure.SignatureExpire"));
        assert_eq!(log[1].error_code, None);
        assert!((client.clock_offset() - skew).abs() <= 2, "offset {} for {skew}", client.clock_offset());
    }
}

#[tokio::test]
async fn signature_expire_without_a_date_header_is_not_retried() {
    let body = error_envelope("AuthFailure.SignatureExpire", "req-expired");
    let (url, count) = raw_server(move |_| Raw::Write(http_response(&body))).await;
    let client = client_for(&url).build().unwrap();
    let s = service_error(balance(&client).await.unwrap_err());
    assert_eq!((s.code.clone(), s.request_id.as_deref()), (ErrorCode::AuthFailureSignatureExpire, Some("req-expired")));
    assert_eq!(count.load(Ordering::SeqCst), 1, "re-signing with the same clock cannot help");
    assert_eq!(client.clock_offset(), 0);
}

// --- Lenient decoding -------------------------------------------------------------------------

#[tokio::test]
async fn nulls_in_every_field_decode_as_absent() {
    let body = r#"{"Response":{"Balance":null,"Uin":null,"RealBalance":null,"CashAccountBalance":null,
        "IncomeIntoAccountBalance":null,"PresentAccountBalance":null,"FreezeAmount":null,"OweAmount":null,
        "IsAllowArrears":null,"IsCreditLimited":null,"CreditAmount":null,"CreditBalance":null,
        "RealCreditBalance":null,"TempCredit":null,"TempAmountInfoList":null,"Error":null,"RequestId":"req-null"}}"#;
    let server = serving(vec![status(200, body)]).await;
    let r = balance(&client_for(&server.uri()).build().unwrap()).await.unwrap();
    let expected = serde_json::from_str::<tencentcloud_billing::types::DescribeAccountBalanceResponse>(
        r#"{"RequestId":"req-null"}"#,
    )
    .unwrap();
    assert_eq!(r, expected);
    assert_eq!(r.temp_amount_info_list(), &[]);
    assert_eq!(seen(&server).await, 1);

    // Nulls inside the objects of a list too.
    let body = r#"{"Response":{"TempAmountInfoList":[{"Uin":null,"TempAmount":null,"StartTime":null,"EndTime":null}],"RequestId":"req-null2"}}"#;
    let server = serving(vec![status(200, body)]).await;
    let r = balance(&client_for(&server.uri()).build().unwrap()).await.unwrap();
    let line = &r.temp_amount_info_list()[0];
    assert_eq!((&line.uin, line.temp_amount, line.start_time, line.end_time), (&None, None, None, None));
}

#[tokio::test]
async fn unknown_extra_fields_are_ignored() {
    let body = r#"{"Response":{"Balance":1,"BrandNewField":{"deep":[1,2,{"x":null}]},"DeprecatedWarning":"soon",
        "TempAmountInfoList":[{"Uin":"1","Surprise":true,"TempAmount":5}],"RequestId":"req-extra"},"Sibling":1}"#;
    let server = serving(vec![status(200, body)]).await;
    let r = balance(&client_for(&server.uri()).build().unwrap()).await.unwrap();
    assert_eq!((r.balance, r.request_id.as_str()), (Some(Cents::from(1)), "req-extra"));
    assert_eq!(r.temp_amount_info_list()[0].temp_amount, Some(Cents::from(5)));
}

#[tokio::test]
async fn dash_and_empty_money_fields_mean_not_applicable() {
    let body = r#"{"Response":{"Balance":"-","RealBalance":"","OweAmount":" - ","CreditAmount":"12.5",
        "TempAmountInfoList":[{"TempAmount":"-"},{"TempAmount":""}],"RequestId":"req-dash"}}"#;
    let server = serving(vec![status(200, body)]).await;
    let r = balance(&client_for(&server.uri()).build().unwrap()).await.unwrap();
    assert_eq!((r.balance, r.real_balance, r.owe_amount), (None, None, None));
    assert_eq!(r.credit_amount.map(|c| c.to_string()), Some("12.5".to_owned()));
    assert!(r.temp_amount_info_list().iter().all(|l| l.temp_amount.is_none()));

    // Yuan amounts in bills: "-" before Bill 3.0 and for contract prices, "" elsewhere.
    let body = r#"{"Response":{"Ready":1,"SummaryTotal":{"RealTotalCost":"-","TotalCost":"","CashPayAmount":"12.34000000"},
        "SummaryOverview":[{"BusinessCode":"p_cvm","RealTotalCost":"-","TotalCost":"0.01155781","RealTotalCostRatio":""}],
        "RequestId":"req-bill"}}"#;
    let server = serving(vec![status(200, body)]).await;
    let month = tencentcloud_billing::datetime::YearMonth::new(2021, time::Month::April);
    let r = client_for(&server.uri())
        .build()
        .unwrap()
        .describe_bill_summary_by_product()
        .begin_time(month)
        .end_time(month)
        .send()
        .await
        .unwrap();
    let total = r.summary_total.as_ref().unwrap();
    assert_eq!((total.real_total_cost, total.total_cost), (None, None));
    assert_eq!(total.cash_pay_amount.map(|y| y.to_string()), Some("12.34000000".to_owned()));
    let item = &r.summary_overview()[0];
    assert_eq!((item.real_total_cost, item.real_total_cost_ratio), (None, None));
    assert_eq!(item.total_cost.map(|y| y.to_string()), Some("0.01155781".to_owned()));
    assert_eq!(seen(&server).await, 1);
}

// --- Writes and money: never re-sent once they may have reached the server -------------------

async fn pay(client: &BillingClient) -> Result<tencentcloud_billing::types::PayDealsResponse, Error> {
    client.pay_deals().order_ids(["20261124000000000001"]).send().await
}

#[tokio::test]
async fn a_write_answered_with_502_is_never_re_sent() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = serving(vec![ResponseTemplate::new(502).set_body_raw(page, "text/html")]).await;
    let client = client_for(&server.uri()).build().unwrap();
    let d = decode_error(pay(&client).await.unwrap_err());
    assert_eq!((d.action, d.status, d.body_snippet()), ("PayDeals", 502, page));
    assert_eq!(seen(&server).await, 1, "a payment that may have been executed is not repeated");

    // The same for a configuration write, and for the other transient answers.
    for answer in [
        status(502, page),
        status(503, "unavailable"),
        status(429, "slow down"),
        status(200, error_envelope("InternalError", "req-w")),
        status(200, error_envelope("RequestLimitExceeded", "req-w")),
    ] {
        let server = serving(vec![answer]).await;
        let client = client_for(&server.uri()).build().unwrap();
        let e = client.modify_account_warning().threshold(Cents::from(100_000)).open(1).send().await.unwrap_err();
        assert!(e.is_retryable() && e.may_have_been_sent(), "{e:?}");
        assert_eq!(seen(&server).await, 1, "{e}");
        assert!(pay(&client).await.is_err());
        assert_eq!(seen(&server).await, 2, "PayDeals too: {e}");
    }
}

#[tokio::test]
async fn a_write_that_times_out_or_loses_its_connection_is_not_re_sent() {
    let server = serving(vec![status(200, OK).set_delay(Duration::from_millis(900))]).await;
    let client = client_for(&server.uri()).timeout(Duration::from_millis(100)).build().unwrap();
    let e = pay(&client).await.unwrap_err();
    assert!(matches!(&e, Error::Timeout(t) if t.kind == TimeoutKind::Attempt), "{e:?}");
    assert_eq!(seen(&server).await, 1);

    let (url, count) = raw_server(|_| Raw::Reset).await;
    let e = pay(&client_for(&url).build().unwrap()).await.unwrap_err();
    assert!(matches!(&e, Error::Transport(t) if t.phase == TransportPhase::Request), "{e:?}");
    assert_eq!(count.load(Ordering::SeqCst), 1);

    let cut = b"HTTP/1.1 200 OK\r\ncontent-length: 300\r\n\r\n{\"Response\":{\"OrderIds\":[".to_vec();
    let (url, count) = raw_server(move |_| Raw::Write(cut.clone())).await;
    let e = pay(&client_for(&url).build().unwrap()).await.unwrap_err();
    assert!(matches!(&e, Error::Transport(t) if t.phase == TransportPhase::Body), "{e:?}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_write_whose_connection_is_refused_is_retried_because_it_never_left() {
    // Nobody listens: three attempts, none of which reached anything.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let creds = Arc::new(Counting::default());
    let client = BillingClient::builder()
        .endpoint(format!("http://127.0.0.1:{port}"))
        .credentials_provider(Arc::clone(&creds))
        .retry(fast_retry())
        .build()
        .unwrap();
    let e = pay(&client).await.unwrap_err();
    assert!(e.is_connect() && !e.may_have_been_sent(), "{e:?}");
    assert_eq!(creds.0.load(Ordering::SeqCst), 3, "three attempts were made");
}

#[tokio::test]
async fn a_write_hit_by_signature_expire_learns_the_clock_but_is_not_re_sent() {
    let sandbox = Sandbox::builder().clock_skew(600).start().await.unwrap();
    let client = sandbox.client_builder().retry(fast_retry()).build().unwrap();
    let write = || client.modify_account_warning().threshold(Cents::from(100_000)).open(1).send();
    let s = service_error(write().await.unwrap_err());
    assert_eq!(s.code, ErrorCode::AuthFailureSignatureExpire);
    assert!(s.request_id.is_some());
    assert_eq!(sandbox.requests().len(), 1, "the write is not re-sent");
    assert!((client.clock_offset() - 600).abs() <= 2, "but the offset is stored: {}", client.clock_offset());
    // The caller's own retry is signed with the corrected clock and goes through.
    write().await.unwrap();
    let log = sandbox.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].error_code, None);
}

// --- What a retry re-does ---------------------------------------------------------------------

#[derive(Debug, Default)]
struct Counting(AtomicUsize);

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(Credentials::new("AKIDcount", "count-key")) })
    }
}

#[tokio::test]
async fn every_attempt_takes_fresh_credentials_and_a_fresh_quota_permit() {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&arrivals);
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(move |_: &Request| {
            log.lock().unwrap().push(Instant::now());
            status(503, "busy")
        })
        .mount(&server)
        .await;
    let creds = Arc::new(Counting::default());
    let client = BillingClient::builder()
        .endpoint(server.uri())
        .credentials_provider(Arc::clone(&creds))
        .retry(fast_retry().with_budget(false))
        .rate_limit("DescribeAccountBalance", 20)
        .build()
        .unwrap();
    let started = Instant::now();
    let _ = balance(&client).await.unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(creds.0.load(Ordering::SeqCst), 3);
    assert_eq!(arrivals.lock().unwrap().len(), 3);
    // 20/s is paced at about 50 ms a permit: the third attempt cannot start before ~101 ms,
    // while the two 2-10 ms backoffs alone would take at most 20 ms.
    assert!(elapsed >= Duration::from_millis(95), "{elapsed:?}");
}

// --- Redirects: never followed, never retried --------------------------------------------------

fn redirect(code: u16, location: &str) -> ResponseTemplate {
    ResponseTemplate::new(code).insert_header("location", location)
}

fn redirect_error(e: Error) -> Box<tencentcloud_billing::RedirectError> {
    match e {
        Error::Redirect(r) => r,
        other => panic!("expected a redirect error, got {other:?}"),
    }
}

/// Retries disabled; the endpoint answers 307 to itself three times, then 200. Followed, this
/// delivered PayDeals four times and reported success.
#[tokio::test]
async fn a_payment_redirected_to_itself_arrives_once_and_fails() {
    let server = MockServer::start().await;
    let here = format!("{}/again", server.uri());
    Mock::given(method("POST"))
        .respond_with(redirect(307, &here))
        .up_to_n_times(3)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(status(200, r#"{"Response":{"RequestId":"paid"}}"#))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = client_for(&server.uri()).retry(RetryConfig::disabled()).build().unwrap();
    let e = pay(&client).await.unwrap_err();
    assert!(e.may_have_been_sent() && !e.is_retryable(), "{e:?}");
    let host = server.address().to_string();
    let r = redirect_error(e);
    assert_eq!((r.action, r.status, r.location_host.as_deref()), ("PayDeals", 307, Some(host.as_str())));
    assert_eq!(seen(&server).await, 1);
}

/// An endless 308 loop, with the standard retries: followed, this delivered PayDeals 11 times.
#[tokio::test]
async fn an_endless_308_loop_delivers_one_payment_and_one_read() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(redirect(308, "/loop")).mount(&server).await;
    let client = client_for(&server.uri()).build().unwrap();
    assert_eq!(redirect_error(pay(&client).await.unwrap_err()).status, 308);
    assert_eq!(seen(&server).await, 1);
    // Not even a read is repeated: the same thing would answer the same way.
    assert_eq!(redirect_error(balance(&client).await.unwrap_err()).status, 308);
    assert_eq!(seen(&server).await, 2);
}

/// A 307 to another host: that host must receive nothing (no signed body, no token), and its
/// answer must never stand in for the payment's result.
#[tokio::test]
async fn a_redirect_to_another_host_sends_it_nothing() {
    let other = MockServer::start().await;
    Mock::given(method("POST")).respond_with(status(200, r#"{"Response":{"RequestId":"forged"}}"#)).mount(&other).await;
    // `localhost` rather than 127.0.0.1: another host name, as far as the client can tell.
    let elsewhere = format!("http://localhost:{}/collect?key=s3cret", other.address().port());
    let server = serving(vec![redirect(307, &elsewhere)]).await;
    let client = BillingClient::builder()
        .credentials(Credentials::new("AKIDfault", "fault-secret-key").with_token("session-token-xyz"))
        .endpoint(server.uri())
        .retry(fast_retry())
        .build()
        .unwrap();
    let e = pay(&client).await.unwrap_err();
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains("s3cret") && !shown.contains("/collect"), "{shown}");
    let r = redirect_error(e);
    assert_eq!(r.location_host, Some(format!("localhost:{}", other.address().port())));
    assert_eq!((seen(&server).await, seen(&other).await), (1, 0));
}

/// A 307 to a port where nothing listens, with the standard retries: followed, the failed
/// connection to the new port looked like "never sent", and the payment was sent three times.
#[tokio::test]
async fn a_redirect_to_a_dead_port_is_not_mistaken_for_a_connect_failure() {
    let dead = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_port = dead.local_addr().unwrap().port();
    drop(dead);
    let server = serving(vec![redirect(307, &format!("http://127.0.0.1:{dead_port}/"))]).await;
    let client = client_for(&server.uri()).build().unwrap();
    let e = pay(&client).await.unwrap_err();
    assert!(e.may_have_been_sent(), "{e:?}");
    assert_eq!(redirect_error(e).location_host, Some(format!("127.0.0.1:{dead_port}")));
    assert_eq!(seen(&server).await, 1);
}

#[tokio::test]
async fn every_3xx_is_a_redirect_error_without_a_location_too() {
    for code in [300, 301, 302, 303, 304, 307, 308] {
        let server = serving(vec![ResponseTemplate::new(code)]).await;
        let client = client_for(&server.uri()).build().unwrap();
        let r = redirect_error(balance(&client).await.unwrap_err());
        assert_eq!((r.status, r.location_host.as_deref()), (code, None));
        assert_eq!(seen(&server).await, 1, "{code}");
    }
}

// --- Plain http is for loopback only ----------------------------------------------------------

#[test]
fn plain_http_outside_loopback_is_refused_unless_asked_for() {
    let creds = || Credentials::new("AKIDfault", "fault-secret-key");
    for url in ["http://billing.tencentcloudapi.com/", "http://10.1.2.3:8080/", "http://gateway.internal/"] {
        let e = BillingClient::builder().credentials(creds()).endpoint(url).build().unwrap_err();
        assert!(matches!(e, Error::Config(_)) && e.to_string().contains("plain http"), "{url}: {e}");
        let c = BillingClient::builder().credentials(creds()).endpoint(url).allow_insecure_http().build().unwrap();
        assert_eq!(c.endpoint(), url);
    }
    for url in ["http://127.0.0.1:9/", "http://localhost:9/", "http://[::1]:9/", "https://gateway.internal/"] {
        BillingClient::builder().credentials(creds()).endpoint(url).build().unwrap();
    }
}

// --- Clock skew learnt by concurrent calls ----------------------------------------------------

/// Eight first calls at once against a server one hour ahead, each answer taking 300 ms. Learnt
/// from the offset each request was signed with, they all agree on the skew and all succeed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_signature_expires_converge_on_the_true_skew() {
    let sandbox = Sandbox::builder().clock_skew(3600).latency(Duration::from_millis(300)).start().await.unwrap();
    // No client-side pacing, so that all eight are signed before any answer is back.
    let client = sandbox.client_builder().retry(fast_retry()).disable_rate_limit().build().unwrap();
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.describe_account_balance().send().await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let offset = client.clock_offset();
    assert!((offset - 3600).abs() <= 5, "learnt offset {offset}");
    let expired =
        sandbox.requests().iter().filter(|r| r.error_code.as_deref() == Some("AuthFailure.SignatureExpire")).count();
    assert_eq!((expired, sandbox.requests().len()), (8, 16));
}

// --- Extreme durations never panic --------------------------------------------------------------

#[tokio::test]
async fn duration_max_settings_work_and_zero_is_refused() {
    let sandbox = Sandbox::start().await.unwrap();
    let huge = RetryConfig::standard().with_initial_backoff(Duration::MAX).with_max_backoff(Duration::MAX);
    let client = sandbox
        .client_builder()
        .connect_timeout(Duration::MAX)
        .timeout(Duration::MAX)
        .deadline(Duration::MAX)
        .retry(huge.clone())
        .build()
        .unwrap();
    client.describe_account_balance().send().await.unwrap();
    client
        .describe_account_balance()
        .with_deadline(Duration::MAX)
        .with_attempt_timeout(Duration::MAX)
        .with_retry(huge.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(huge.backoff(1, 0.999_999), Duration::MAX.mul_f64(0.5).max(huge.backoff(1, 0.999_999)));
    assert_eq!(huge.backoff(7, 1.0), Duration::MAX);

    for (what, b) in [
        ("connect_timeout", sandbox.client_builder().connect_timeout(Duration::ZERO)),
        ("timeout", sandbox.client_builder().timeout(Duration::ZERO)),
        ("deadline", sandbox.client_builder().deadline(Duration::ZERO)),
    ] {
        let e = b.build().unwrap_err();
        assert!(matches!(e, Error::Config(_)) && e.to_string().contains(what), "{what}: {e}");
    }
    let before = sandbox.requests().len();
    for e in [
        client.describe_account_balance().with_deadline(Duration::ZERO).send().await.unwrap_err(),
        client.describe_account_balance().with_attempt_timeout(Duration::ZERO).send().await.unwrap_err(),
    ] {
        assert!(matches!(e, Error::InvalidRequest(_)) && e.to_string().contains("zero"), "{e}");
    }
    assert_eq!(sandbox.requests().len(), before, "refused before sending");
    // Zero backoffs are legal: retries go at once.
    let zero = RetryConfig::standard().with_initial_backoff(Duration::ZERO).with_max_backoff(Duration::ZERO);
    assert_eq!(zero.backoff(3, 0.7), Duration::ZERO);
}

/// A server that declares an enormous body under a cap raised to `usize::MAX` must not make the
/// client reserve that much memory up front.
#[tokio::test]
async fn a_declared_terabyte_body_is_not_preallocated() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = s.read(&mut buf).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1099511627776\r\n\r\n{\"Resp";
        let _ = s.write_all(head.as_bytes()).await;
        // Then close: the body ends far short of what was declared.
    });
    let client = client_for(&format!("http://{addr}"))
        .max_response_size(usize::MAX)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let e = balance(&client).await.unwrap_err();
    assert!(matches!(&e, Error::Transport(t) if t.phase == TransportPhase::Body), "{e:?}");
}
