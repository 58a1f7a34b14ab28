//! Providers against endpoints that hang or fail while cached credentials are in their refresh
//! window or expired. The cache's clocks are injected: the wall clock puts the credentials where
//! a test needs them, the monotonic one steps over backoff periods. Nothing asserts on elapsed
//! time; the only real waits are the stand-ins' request timeouts.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::cache::{Clock, RefreshPolicy};
use super::{AssumeRoleProvider, Credentials, CvmRoleProvider};
use crate::error::Error;

const T0: i64 = 1_700_000_000;
const CREDS_PATH: &str = "/latest/meta-data/cam/security-credentials/billing-role";

/// A wall clock and a monotonic offset per test, moved by hand.
macro_rules! test_clock {
    ($wall:ident, $mono_ms:ident, $clock:ident) => {
        static $wall: AtomicI64 = AtomicI64::new(T0);
        static $mono_ms: AtomicU64 = AtomicU64::new(0);
        fn $clock() -> Clock {
            Clock {
                wall: || SystemTime::UNIX_EPOCH + Duration::from_secs($wall.load(Ordering::SeqCst) as u64),
                mono: || Instant::now() + Duration::from_millis($mono_ms.load(Ordering::SeqCst)),
            }
        }
    };
}

fn role_json(id: &str, expires: i64) -> String {
    format!(r#"{{"TmpSecretId":"{id}","TmpSecretKey":"k","Token":"t","ExpiredTime":{expires},"Code":"Success"}}"#)
}

fn sts_json(id: &str, expires: i64) -> String {
    format!(
        r#"{{"Response":{{"Credentials":{{"Token":"t","TmpSecretId":"{id}","TmpSecretKey":"k"}},"ExpiredTime":{expires},"RequestId":"r"}}}}"#
    )
}

/// A raw HTTP stand-in on loopback: it answers the first request with `first` (a JSON body)
/// and never answers any later one. `arrivals` counts requests (not connections).
struct HangAfterFirst {
    uri: String,
    arrivals: Arc<AtomicUsize>,
}

impl HangAfterFirst {
    async fn start(first: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let uri = format!("http://{}", listener.local_addr().unwrap());
        let arrivals = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&arrivals);
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else { return };
                let (counter, first) = (Arc::clone(&counter), first.clone());
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    loop {
                        // One request head at a time (the stand-ins only see GETs and small POSTs).
                        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                            match sock.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                            continue;
                        };
                        let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                        let body_len = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        while buf.len() < end + 4 + body_len {
                            match sock.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        }
                        buf.drain(..end + 4 + body_len);
                        if counter.fetch_add(1, Ordering::SeqCst) > 0 {
                            // Hold the connection open and never answer.
                            std::future::pending::<()>().await;
                        }
                        let resp = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{first}",
                            first.len()
                        );
                        if sock.write_all(resp.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        HangAfterFirst { uri, arrivals }
    }

    fn arrivals(&self) -> usize {
        self.arrivals.load(Ordering::SeqCst)
    }

    /// Wait (a few seconds at most) until `n` requests have arrived.
    async fn until(&self, n: usize) {
        for _ in 0..500 {
            if self.arrivals() >= n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// Five concurrent calls, each with a 300 ms deadline.
async fn five_calls<P: super::ProvideCredentials>(p: &Arc<P>) -> Vec<Result<crate::Result<Credentials>, ()>> {
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let p = Arc::clone(p);
            tokio::spawn(async move {
                tokio::time::timeout(Duration::from_millis(300), p.provide_credentials()).await.map_err(|_| ())
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

// The reported case: a metadata service that hangs while the cached credentials have 9 s left.
#[tokio::test]
async fn cvm_hanging_metadata_does_not_delay_valid_credentials() {
    test_clock!(WALL, MONO, clock);
    let stand_in = HangAfterFirst::start(role_json("AKIDcached", T0 + 3600)).await;
    let p = Arc::new(
        CvmRoleProvider::builder()
            .base_url(format!("{}/latest/meta-data/", stand_in.uri))
            .role_name("billing-role")
            .timeouts(Duration::from_secs(1), Duration::from_secs(30))
            .clock(clock())
            .build()
            .unwrap(),
    );
    assert_eq!(p.credentials().await.unwrap().secret_id(), "AKIDcached");
    assert_eq!(stand_in.arrivals(), 1);

    WALL.store(T0 + 3600 - 9, Ordering::SeqCst);
    let results = five_calls(&p).await;
    for r in &results {
        let c = r.as_ref().expect("served without waiting").as_ref().unwrap();
        assert_eq!(c.secret_id(), "AKIDcached");
    }
    stand_in.until(2).await;
    // Five more: the refresh is still in flight (hanging), so nothing new is sent.
    for r in five_calls(&p).await {
        assert_eq!(r.expect("served without waiting").unwrap().secret_id(), "AKIDcached");
    }
    assert_eq!(stand_in.arrivals(), 2, "exactly one refresh request for ten callers");
}

// A metadata service answering 500 inside the window: the cached credentials are served, and it
// sees one request per backoff period (1 s, then 2 s).
#[tokio::test]
async fn cvm_failing_metadata_gets_one_request_per_backoff_period() {
    test_clock!(WALL, MONO, clock);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CREDS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_string(role_json("AKIDcached", T0 + 3600)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CREDS_PATH))
        .respond_with(ResponseTemplate::new(500).set_body_string("broken"))
        .mount(&server)
        .await;
    let count = || async { server.received_requests().await.unwrap().len() };
    let p = Arc::new(
        CvmRoleProvider::builder()
            .base_url(format!("{}/latest/meta-data/", server.uri()))
            .role_name("billing-role")
            .refresh_policy(
                RefreshPolicy::default().with_failure_backoff(Duration::from_secs(1), Duration::from_secs(60)),
            )
            .clock(clock())
            .build()
            .unwrap(),
    );
    p.credentials().await.unwrap();
    WALL.store(T0 + 3600 - 9, Ordering::SeqCst);

    let served = |results: Vec<Result<crate::Result<Credentials>, ()>>| {
        results.into_iter().all(|r| matches!(r, Ok(Ok(c)) if c.secret_id() == "AKIDcached"))
    };
    assert!(served(five_calls(&p).await));
    p.cache().idle().await;
    assert_eq!((count().await, p.cache().failures()), (2, 1));
    // Inside the first backoff (1 s): no request.
    MONO.store(999, Ordering::SeqCst);
    assert!(served(five_calls(&p).await));
    p.cache().idle().await;
    assert_eq!(count().await, 2);
    // After it: exactly one more, and the next backoff is 2 s.
    MONO.store(1_000, Ordering::SeqCst);
    assert!(served(five_calls(&p).await));
    p.cache().idle().await;
    assert_eq!((count().await, p.cache().failures()), (3, 2));
    MONO.store(2_999, Ordering::SeqCst);
    assert!(served(five_calls(&p).await));
    p.cache().idle().await;
    assert_eq!(count().await, 3);
    MONO.store(3_000, Ordering::SeqCst);
    assert!(served(five_calls(&p).await));
    p.cache().idle().await;
    assert_eq!((count().await, p.cache().failures()), (4, 3));
}

// Expired credentials and a hanging metadata service: callers that give up start nothing new;
// callers that wait get a credentials error when the request times out; the failure is
// recorded once, and the next call is answered from the backoff.
#[tokio::test]
async fn cvm_expired_credentials_wait_for_one_bounded_refresh() {
    test_clock!(WALL, MONO, clock);
    let stand_in = HangAfterFirst::start(role_json("AKIDold", T0 + 3600)).await;
    let p = Arc::new(
        CvmRoleProvider::builder()
            .base_url(format!("{}/latest/meta-data/", stand_in.uri))
            .role_name("billing-role")
            .timeouts(Duration::from_secs(1), Duration::from_millis(1500))
            .clock(clock())
            .build()
            .unwrap(),
    );
    p.credentials().await.unwrap();
    WALL.store(T0 + 3600 + 1, Ordering::SeqCst);

    // Callers that give up after 300 ms.
    for r in five_calls(&p).await {
        assert!(r.is_err(), "expired credentials are not served");
    }
    stand_in.until(2).await;
    assert_eq!(stand_in.arrivals(), 2, "the cancelled callers started one refresh between them");

    // Callers that wait share it, and its end.
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let p = Arc::clone(&p);
            tokio::spawn(async move { p.credentials().await })
        })
        .collect();
    for t in tasks {
        let e = t.await.unwrap().unwrap_err();
        assert!(matches!(e, Error::Credentials(_)), "{e:?}");
        assert!(e.to_string().contains("unreachable"), "{e}");
    }
    assert_eq!(p.cache().failures(), 1);
    let e = p.credentials().await.unwrap_err();
    assert!(e.to_string().contains("next attempt in"), "{e}");
    assert_eq!(stand_in.arrivals(), 2);
}

// The same guarantee for STS: a hanging AssumeRole does not hold up still-valid credentials.
#[tokio::test]
async fn assume_role_hanging_sts_does_not_delay_valid_credentials() {
    test_clock!(WALL, MONO, clock);
    let stand_in = HangAfterFirst::start(sts_json("AKIDrole", T0 + 3600)).await;
    let p = Arc::new(
        AssumeRoleProvider::builder(Credentials::new("AKIDlong", "long-key"), "qcs::cam::uin/1:roleName/r")
            .endpoint(stand_in.uri.clone())
            .timeouts(Duration::from_secs(1), Duration::from_secs(30))
            .clock(clock())
            .build()
            .unwrap(),
    );
    assert_eq!(p.credentials().await.unwrap().secret_id(), "AKIDrole");
    WALL.store(T0 + 3600 - 9, Ordering::SeqCst);
    for r in five_calls(&p).await {
        assert_eq!(r.expect("served without waiting").unwrap().secret_id(), "AKIDrole");
    }
    stand_in.until(2).await;
    for r in five_calls(&p).await {
        assert_eq!(r.expect("served without waiting").unwrap().secret_id(), "AKIDrole");
    }
    assert_eq!(stand_in.arrivals(), 2);
}

// And for TKE OIDC.
#[tokio::test]
async fn web_identity_hanging_sts_does_not_delay_valid_credentials() {
    test_clock!(WALL, MONO, clock);
    let token = std::env::temp_dir().join(format!("tcb-hostile-oidc-{}", std::process::id()));
    std::fs::write(&token, "oidc-token").unwrap();
    let stand_in = HangAfterFirst::start(sts_json("AKIDpod", T0 + 3600)).await;
    let p = Arc::new(
        super::WebIdentityProvider::builder()
            .endpoint(stand_in.uri.clone())
            .region("ap-shanghai")
            .provider_id("p")
            .token_file(&token)
            .role_arn("qcs::cam::uin/1:roleName/r")
            .timeouts(Duration::from_secs(1), Duration::from_secs(30))
            .clock(clock())
            .build()
            .unwrap(),
    );
    assert_eq!(p.credentials().await.unwrap().secret_id(), "AKIDpod");
    WALL.store(T0 + 3600 - 9, Ordering::SeqCst);
    for r in five_calls(&p).await {
        assert_eq!(r.expect("served without waiting").unwrap().secret_id(), "AKIDpod");
    }
    stand_in.until(2).await;
    for r in five_calls(&p).await {
        assert_eq!(r.expect("served without waiting").unwrap().secret_id(), "AKIDpod");
    }
    assert_eq!(stand_in.arrivals(), 2);
    let _ = std::fs::remove_file(&token);
}
