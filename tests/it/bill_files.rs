//! Bill files end to end: the waiter on `Ready: 0`, the download to disk, and every way the file
//! host can fail (size, stall, short body, redirect, plain http), with nothing left under the
//! final name and no link signature in any error.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tencentcloud_billing::files::Progress;
use tencentcloud_billing::sandbox::{self, Sandbox};
use tencentcloud_billing::types::BillFileType;
use tencentcloud_billing::wait::Waiter;
use tencentcloud_billing::{BillingClient, Credentials, DownloadErrorKind, Error, TimeoutKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::ym;

/// A fresh, empty directory for one test.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tcbilling-files-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The names in `d`, sorted: temporary files included.
fn listing(d: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// Polls a millisecond apart, so that tests on real time stay fast.
fn quick() -> Waiter {
    Waiter::new(Duration::from_secs(30)).initial_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(2))
}

/// A sandbox whose `DescribeBillDownloadUrl` answers ready with `url`, and a client for it.
async fn link_to(url: String) -> (Sandbox, BillingClient) {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.set_json_handler("DescribeBillDownloadUrl", move |_, _| {
        Ok(serde_json::json!({ "Ready": 1, "DownloadUrl": url }).to_string())
    });
    let client = sandbox.client_builder().build().unwrap();
    (sandbox, client)
}

/// Neither the error's text, its `Debug`, nor any of its sources shows the link's query.
fn no_query(e: &Error) {
    let mut texts = vec![e.to_string(), format!("{e:?}")];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        texts.push(s.to_string());
        source = s.source();
    }
    for t in texts {
        assert!(!t.contains("secret") && !t.contains("sign="), "the link's query leaked: {t}");
    }
}

fn kind(e: &Error) -> &DownloadErrorKind {
    match e {
        Error::Download(d) => &d.kind,
        other => panic!("expected a download error, got {other:?}"),
    }
}

/// A one-connection HTTP server on a raw socket: reads the request head, writes `answer`, then
/// holds the connection open (`hold`) or closes it.
async fn raw_server(answer: Vec<u8>, hold: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.unwrap();
            if n == 0 {
                return;
            }
            head.extend_from_slice(&buf[..n]);
        }
        socket.write_all(&answer).await.unwrap();
        socket.flush().await.unwrap();
        if hold {
            std::future::pending::<()>().await;
        }
    });
    format!("http://{addr}/bill.csv?sign=secret")
}

#[tokio::test]
async fn not_ready_three_times_then_the_exact_file() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.bill_files_not_ready(3);
    let client = sandbox.client_builder().build().unwrap();
    let d = dir("e2e");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let file = client
        .download_bill(BillFileType::BillDetail, ym("2026-10"), &d)
        .wait(quick())
        .on_progress(move |p| {
            if let Progress::NotReady { polls } = p {
                log.lock().unwrap().push(polls);
            }
        })
        .send()
        .await
        .unwrap();
    let expected = sandbox::bill_file("billDetail", ym("2026-10")).unwrap();
    assert_eq!(std::fs::read(d.join("billDetail-2026-10.csv")).unwrap(), expected);
    assert_eq!(file.path, d.join("billDetail-2026-10.csv"));
    assert_eq!(file.bytes, expected.len() as u64);
    assert_eq!(expected.iter().filter(|b| **b == b'\n').count(), 3_001, "a header and 3,000 rows");
    assert_eq!(listing(&d), ["billDetail-2026-10.csv"], "no temporary file left");
    let calls = sandbox.requests().iter().filter(|r| r.action == "DescribeBillDownloadUrl").count();
    assert_eq!(calls, 4);
    assert_eq!(*seen.lock().unwrap(), [1, 2, 3]);
    let _ = std::fs::remove_dir_all(d);
}

#[tokio::test]
async fn the_file_host_gets_no_credentials_and_no_tc_header() {
    let host = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/bill.csv"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"a,b\n1,2\n".to_vec(), "text/csv"))
        .expect(1)
        .mount(&host)
        .await;
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.add_credentials("AKIDtemporary", "temporary-key", Some("session-token"));
    let url = format!("{}/bill.csv?sign=secret", host.uri());
    sandbox.set_json_handler("DescribeBillDownloadUrl", move |_, _| {
        Ok(serde_json::json!({ "Ready": 1, "DownloadUrl": url }).to_string())
    });
    let client = sandbox
        .client_builder()
        .credentials(Credentials::new("AKIDtemporary", "temporary-key").with_token("session-token"))
        .header("X-Team", "finops")
        .build()
        .unwrap();
    let d = dir("headers");
    let file = client.download_bill(BillFileType::BillSummary, ym("2026-10"), &d).send().await.unwrap();
    assert_eq!(file.bytes, 8);
    assert_eq!(std::fs::read(d.join("billSummary-2026-10.csv")).unwrap(), b"a,b\n1,2\n");
    // The API call itself was signed with the temporary credentials.
    assert_eq!(sandbox.requests()[0].secret_id, "AKIDtemporary");
    let received = host.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let names: Vec<String> = received[0].headers.keys().map(|k| k.as_str().to_ascii_lowercase()).collect();
    assert!(!names.iter().any(|n| n == "authorization"), "{names:?}");
    assert!(!names.iter().any(|n| n.starts_with("x-tc-")), "{names:?}");
    assert!(!names.iter().any(|n| n == "x-team"), "the billing client's own headers stay with it: {names:?}");
    let all = format!("{:?}", received[0].headers);
    assert!(!all.contains("session-token") && !all.contains("AKIDtemporary"), "{all}");
    let _ = std::fs::remove_dir_all(d);
}

#[tokio::test]
async fn over_the_size_cap_nothing_is_left() {
    // Announced by Content-Length: refused before a byte is written.
    let host = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![b'x'; 1000], "text/csv"))
        .mount(&host)
        .await;
    let (_sandbox, client) = link_to(format!("{}/bill.csv?sign=secret", host.uri())).await;
    let d = dir("cap");
    let e = client.download_bill(BillFileType::BillDetail, ym("2026-10"), &d).max_bytes(999).send().await.unwrap_err();
    assert_eq!(kind(&e), &DownloadErrorKind::TooLarge { limit: 999 });
    no_query(&e);
    assert_eq!(listing(&d), Vec::<String>::new());
    // Unannounced (chunked): cut once the bytes written pass the cap.
    let mut answer = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..4 {
        answer.extend_from_slice(b"100\r\n");
        answer.extend_from_slice(&[b'y'; 256]);
        answer.extend_from_slice(b"\r\n");
    }
    answer.extend_from_slice(b"0\r\n\r\n");
    let (_sandbox, client) = link_to(raw_server(answer, false).await).await;
    let e = client.download_bill(BillFileType::BillDetail, ym("2026-10"), &d).max_bytes(600).send().await.unwrap_err();
    assert_eq!(kind(&e), &DownloadErrorKind::TooLarge { limit: 600 });
    assert_eq!(listing(&d), Vec::<String>::new(), "the partial file is removed");
    let _ = std::fs::remove_dir_all(d);
}

#[tokio::test]
async fn a_stalled_host_ends_with_a_stall_error() {
    let mut answer = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".to_vec();
    answer.extend_from_slice(&[b'z'; 10]);
    let (_sandbox, client) = link_to(raw_server(answer, true).await).await;
    let d = dir("stall");
    let e = client
        .download_bill(BillFileType::BillDetail, ym("2026-10"), &d)
        .stall_timeout(Duration::from_millis(300))
        // Ten bytes in the window are also below the rate floor; this test is about silence.
        .min_rate(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(kind(&e), &DownloadErrorKind::Stalled { after: Duration::from_millis(300) });
    no_query(&e);
    assert_eq!(listing(&d), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(d);
}

/// A one-connection file host that announces `length` bytes, then sends `chunk` of them every
/// `every`.
async fn trickle_server(length: u64, chunk: usize, every: Duration) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let mut head = Vec::new();
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let Ok(n) = socket.read(&mut buf).await else { return };
            if n == 0 {
                return;
            }
            head.extend_from_slice(&buf[..n]);
        }
        let answer = format!("HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\n");
        if socket.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
        for _ in 0..length.div_ceil(chunk as u64) {
            if socket.write_all(&vec![b'z'; chunk]).await.is_err() {
                return;
            }
            tokio::time::sleep(every).await;
        }
    });
    format!("http://{addr}/bill.csv?sign=secret")
}

/// A host that never goes silent but trickles bytes would, before the rate floor, hold a
/// download for as long as its Content-Length lasts (years, at a byte a second over 4 GiB).
#[tokio::test]
async fn a_trickling_host_is_stopped_within_one_window_and_leaves_nothing() {
    // 20 bytes a second, well under the default floor of 1 KiB/s, and never 500 ms silent.
    let (_sandbox, client) = link_to(trickle_server(100_000, 1, Duration::from_millis(50)).await).await;
    let d = dir("trickle");
    let written = Arc::new(Mutex::new(0u64));
    let seen = Arc::clone(&written);
    let start = std::time::Instant::now();
    let e = client
        .download_bill(BillFileType::BillDetail, ym("2026-10"), &d)
        .stall_timeout(Duration::from_millis(500))
        .on_progress(move |p| {
            if let Progress::Written { bytes, .. } = p {
                *seen.lock().unwrap() = bytes;
            }
        })
        .send()
        .await
        .unwrap_err();
    let elapsed = start.elapsed();
    let DownloadErrorKind::TooSlow { received, window, min_rate } = kind(&e).clone() else { panic!("{e:?}") };
    assert_eq!((window, min_rate), (Duration::from_millis(500), tencentcloud_billing::files::DEFAULT_MIN_RATE));
    assert!((1..512).contains(&received), "a window's bytes, under the 512-byte floor: {received}");
    assert!(*written.lock().unwrap() >= 1, "bytes did flow: it is slowness, not silence");
    assert!(elapsed < Duration::from_secs(5), "stopped at the first window's end, not after 100 kB: {elapsed:?}");
    assert!(e.to_string().contains("below the floor of 1024 bytes per second"), "{e}");
    no_query(&e);
    assert_eq!(listing(&d), Vec::<String>::new(), "nothing under the final name, no part file");
    let _ = std::fs::remove_dir_all(d);
}

/// The overall deadline ends the job in either phase: while the file is not ready, and while a
/// host sends fast enough for the floor but too slowly to finish.
#[tokio::test]
async fn the_deadline_ends_the_job_while_waiting_and_while_downloading() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.bill_files_not_ready(u32::MAX);
    let client = sandbox.client_builder().build().unwrap();
    let d = dir("deadline-wait");
    let start = std::time::Instant::now();
    let e = client
        .download_bill(BillFileType::BillDetail, ym("2026-10"), &d)
        .wait(quick())
        .deadline(Duration::from_millis(300))
        .send()
        .await
        .unwrap_err();
    assert_eq!(kind(&e), &DownloadErrorKind::Deadline { after: Duration::from_millis(300) });
    assert!(start.elapsed() < Duration::from_secs(3), "{:?}", start.elapsed());
    assert!(e.to_string().contains("(no link yet)"), "{e}");
    assert_eq!(listing(&d), Vec::<String>::new());

    // About 3 kB/s clears a 1 kB/s floor, yet 100 kB would take half a minute.
    let (_sandbox, client) = link_to(trickle_server(100_000, 16, Duration::from_millis(5)).await).await;
    let d = dir("deadline-download");
    let start = std::time::Instant::now();
    let e = client
        .download_bill(BillFileType::BillDetail, ym("2026-10"), &d)
        .stall_timeout(Duration::from_millis(400))
        .deadline(Duration::from_millis(1_200))
        .send()
        .await
        .unwrap_err();
    assert_eq!(kind(&e), &DownloadErrorKind::Deadline { after: Duration::from_millis(1_200) }, "{e}");
    assert!(start.elapsed() < Duration::from_secs(4), "{:?}", start.elapsed());
    assert!(e.to_string().contains("/bill.csv"), "the link, without its query: {e}");
    no_query(&e);
    assert_eq!(listing(&d), Vec::<String>::new(), "the part file went with the job");
    let _ = std::fs::remove_dir_all(d);

    let e = client
        .download_bill(BillFileType::BillDetail, ym("2026-10"), dir("deadline-zero"))
        .deadline(Duration::ZERO)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_refused() {
    let mut answer = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n".to_vec();
    answer.extend_from_slice(&[b'z'; 10]);
    let (_sandbox, client) = link_to(raw_server(answer, false).await).await;
    let d = dir("short");
    let e = client.download_bill(BillFileType::BillDetail, ym("2026-10"), &d).send().await.unwrap_err();
    assert_eq!(kind(&e), &DownloadErrorKind::Truncated { expected: 100, received: 10 });
    no_query(&e);
    assert_eq!(listing(&d), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(d);
}

/// A body that only the connection's close ends (no Content-Length, no chunking) cannot prove it
/// is whole: 3,000 bytes of a 6,000-byte file followed by a close look just like the whole file.
/// Refused before anything is written, and nothing appears under the final name. A chunked body
/// that reaches its last chunk is fine.
#[tokio::test]
async fn a_close_delimited_body_is_refused_and_a_chunked_one_kept() {
    for version in ["HTTP/1.1", "HTTP/1.0"] {
        let mut answer = format!("{version} 200 OK\r\nConnection: close\r\n\r\n").into_bytes();
        answer.extend_from_slice(&[b'x'; 3000]);
        let (_sandbox, client) = link_to(raw_server(answer, false).await).await;
        let d = dir("unframed");
        let e = client.download_bill(BillFileType::BillDetail, ym("2026-10"), &d).send().await.unwrap_err();
        assert_eq!(kind(&e), &DownloadErrorKind::Unframed, "{version}: {e}");
        assert!(e.to_string().contains("could not be shown to be complete"), "{e}");
        no_query(&e);
        assert_eq!(listing(&d), Vec::<String>::new(), "{version}");
        let _ = std::fs::remove_dir_all(d);
    }
    let answer =
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n".to_vec();
    let (_sandbox, client) = link_to(raw_server(answer, false).await).await;
    let d = dir("chunked");
    let file = client.download_bill(BillFileType::BillDetail, ym("2026-10"), &d).send().await.unwrap();
    assert_eq!(std::fs::read(&file.path).unwrap(), b"hello");
    let _ = std::fs::remove_dir_all(d);
}

#[tokio::test(start_paused = true)]
async fn never_ready_times_out_after_the_scheduled_polls() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.bill_files_not_ready(u32::MAX);
    let client = sandbox.client_builder().build().unwrap();
    let d = dir("never");
    let waiter =
        Waiter::new(Duration::from_secs(20)).initial_delay(Duration::from_secs(1)).max_delay(Duration::from_secs(8));
    assert_eq!(waiter.poll_offsets().count(), 5, "polls at 0, 1, 3, 7 and 15 s");
    let e = client.download_bill(BillFileType::BillDetail, ym("2026-10"), &d).wait(waiter).send().await.unwrap_err();
    let Error::Timeout(t) = &e else { panic!("{e:?}") };
    assert_eq!((t.action, t.kind, t.after), ("DescribeBillDownloadUrl", TimeoutKind::Wait, Duration::from_secs(20)));
    let calls = sandbox.requests().iter().filter(|r| r.action == "DescribeBillDownloadUrl").count();
    assert_eq!(calls, 5);
    assert_eq!(listing(&d), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(d);
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"stolen".to_vec(), "text/csv"))
        .expect(0)
        .mount(&elsewhere)
        .await;
    let host = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", format!("{}/x.csv?sign=secret2", elsewhere.uri())),
        )
        .mount(&host)
        .await;
    let (_sandbox, client) = link_to(format!("{}/bill.csv?sign=secret", host.uri())).await;
    let d = dir("redirect");
    let e = client.download_bill(BillFileType::BillDetail, ym("2026-10"), &d).send().await.unwrap_err();
    let target = elsewhere.address().to_string();
    assert_eq!(kind(&e), &DownloadErrorKind::Redirect { status: 302, location_host: Some(target) });
    no_query(&e);
    assert_eq!(elsewhere.received_requests().await.unwrap().len(), 0);
    assert_eq!(listing(&d), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(d);
}

#[tokio::test]
async fn plain_http_off_the_machine_and_error_statuses_are_refused_without_the_query() {
    let d = dir("refusals");
    let (_sandbox, client) = link_to("http://bills.example.com/x.csv?sign=secret".into()).await;
    let e = client.download_bill(BillFileType::BillDetail, ym("2026-10"), &d).send().await.unwrap_err();
    assert_eq!(kind(&e), &DownloadErrorKind::BadUrl);
    no_query(&e);
    let Error::Download(de) = &e else { unreachable!() };
    assert_eq!(de.url, "http://bills.example.com/x.csv?redacted");

    let host = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(403)).mount(&host).await;
    let (_sandbox, client) = link_to(format!("{}/bill.csv?sign=secret", host.uri())).await;
    let e = client.download_bill(BillFileType::BillDetail, ym("2026-10"), &d).send().await.unwrap_err();
    assert_eq!(kind(&e), &DownloadErrorKind::Status(403));
    no_query(&e);

    // Ready without a link, and a file name that would leave the directory.
    let (_sandbox, client) = link_to(String::new()).await;
    let e = client.download_bill(BillFileType::BillDetail, ym("2026-10"), &d).send().await.unwrap_err();
    assert_eq!(kind(&e), &DownloadErrorKind::NoUrl);
    let e =
        client.download_bill(BillFileType::BillDetail, ym("2026-10"), &d).file_name("../x").send().await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    assert_eq!(listing(&d), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(d);
}

/// A plain-HTTP proxy that answers every request itself, on any number of connections: the
/// API's POST with a ready link to `file_url`, a GET with a small file. It records the request
/// lines, which a client sends in absolute form (`GET http://host/path`) to a proxy.
async fn answering_proxy(file_url: String) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&lines);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let seen = Arc::clone(&seen);
            let file_url = file_url.clone();
            tokio::spawn(async move {
                let mut pending = Vec::new();
                let mut buf = [0u8; 4096];
                loop {
                    // One request: its head, then a body of Content-Length bytes.
                    let end = loop {
                        if let Some(i) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => pending.extend_from_slice(&buf[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&pending[..end]).into_owned();
                    let length: usize = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned())
                        })
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    while pending.len() < end + length {
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => pending.extend_from_slice(&buf[..n]),
                        }
                    }
                    pending.drain(..end + length);
                    let line = head.lines().next().unwrap_or_default().to_owned();
                    let (ctype, body) = if line.starts_with("POST") {
                        let json = serde_json::json!({
                            "Response": { "Ready": 1, "DownloadUrl": file_url, "RequestId": "req-proxy" }
                        });
                        ("application/json", json.to_string().into_bytes())
                    } else {
                        ("text/csv", b"a,b\n1,2\n".to_vec())
                    };
                    seen.lock().unwrap().push(line);
                    let answer =
                        format!("HTTP/1.1 200 OK\r\ncontent-type: {ctype}\r\ncontent-length: {}\r\n\r\n", body.len());
                    if socket.write_all(answer.as_bytes()).await.is_err() || socket.write_all(&body).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), lines)
}

#[tokio::test]
async fn the_file_is_fetched_through_the_clients_proxy() {
    // Neither the endpoint nor the file host listens: only the proxy can answer either request.
    let file_url = "http://127.0.0.1:9/bill.csv?sign=secret".to_owned();
    let (proxy, lines) = answering_proxy(file_url).await;
    let client = BillingClient::builder()
        .endpoint("http://127.0.0.1:9")
        .credentials(Credentials::new("AKIDproxy", "proxy-key"))
        .proxy(proxy)
        .build()
        .unwrap();
    let d = dir("proxy");
    let file = client.download_bill(BillFileType::BillSummary, ym("2026-10"), &d).send().await.unwrap();
    assert_eq!(std::fs::read(&file.path).unwrap(), b"a,b\n1,2\n");
    assert_eq!(file.request_id, "req-proxy");
    let lines = lines.lock().unwrap().clone();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("POST http://127.0.0.1:9/"), "{lines:?}");
    assert_eq!(lines[1], "GET http://127.0.0.1:9/bill.csv?sign=secret HTTP/1.1");
    let _ = std::fs::remove_dir_all(d);
}
