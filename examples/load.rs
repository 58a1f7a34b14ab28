//! End-to-end load: the real client against a minimal local HTTP server, next to a raw reqwest
//! client doing plain POSTs against the same server in the same run.
//!
//! ```text
//! cargo run --release --example load                 # 10 rounds of 0.5 s per phase
//! cargo run --release --example load -- --secs 1 --rounds 1
//! cargo run --release --example load -- --profile client 20000 --concurrency 1   # for callgrind
//! cargo run --release --example load -- --profile protocol 200000  # the protocol's work without the send path
//! ```
//!
//! The server is a tiny hyper 1 server on 127.0.0.1 (an ephemeral port), on its own thread with
//! its own single-threaded runtime, answering every POST with a fixed `DescribeAccountBalance`
//! envelope. The callers run on a tokio runtime with `--client-threads` workers (default 2, the
//! machine's core count, as `#[tokio::main]` would pick; 0 means a current-thread runtime). The
//! client is built with `.disable_rate_limit()`; it signs, sends and decodes every call exactly
//! as against Tencent. The raw client is a `reqwest::Client` built with exactly the settings the
//! client's transport gives its own (no redirects, HTTP/1.1, timeouts, TCP options, no reqwest
//! retries, no proxy), posting `{}` with a JSON content type and reading the body as bytes.
//!
//! Five phases, each run for `--secs` seconds in each of `--rounds` interleaved rounds (so all
//! see the same background noise): raw and client sequentially, then raw, client and the
//! "protocol floor" with 64 concurrent callers, the order rotating between rounds. The protocol
//! floor is raw reqwest sending the header set the client sends (fixed values: no signature is
//! computed) and decoding the typed answer: what the protocol costs a client built on reqwest,
//! without this crate's send path (the client builds its requests without a `RequestBuilder`, so
//! it can run above this floor). It prints calls/s, p50 and p99 latency, the CPU time per call
//! of the callers' threads and of the server's thread (Linux schedstat), and the ratios: the
//! median of the rounds' paired ratios, which a burst of other work on the machine moves little,
//! and the ratio of all rounds pooled. Loopback only; every loop stops at its deadline.

use std::convert::Infallible;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tencentcloud_billing::types::DescribeAccountBalanceResponse;
use tencentcloud_billing::{ApiResponse, BillingClient, Credentials};

const ENVELOPE: &[u8] = br#"{"Response":{"Balance":1234567,"Uin":909619400,"RealBalance":1234567,"CashAccountBalance":1200000,"IncomeIntoAccountBalance":34567,"PresentAccountBalance":0,"FreezeAmount":0,"OweAmount":0,"IsAllowArrears":false,"IsCreditLimited":false,"CreditAmount":0,"CreditBalance":0,"RealCreditBalance":0,"TempCredit":0,"RequestId":"ca7573cb-473d-40f3-8c58-7be43ae60195"}}"#;

fn main() {
    let mut secs = 0.5f64;
    let mut rounds = 10usize;
    let mut concurrency = 64usize;
    let mut client_threads = 2usize;
    let mut profile: Option<(String, usize)> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().and_then(|v| v.parse::<f64>().ok()).expect("a number after the flag");
        match a.as_str() {
            "--secs" => secs = value().clamp(0.1, 30.0),
            "--rounds" => rounds = value().clamp(1.0, 50.0) as usize,
            "--concurrency" => concurrency = value().clamp(1.0, 1024.0) as usize,
            "--client-threads" => client_threads = value().clamp(0.0, 64.0) as usize,
            "--profile" => {
                let which = args
                    .next()
                    .filter(|w| matches!(w.as_str(), "raw" | "client" | "protocol"))
                    .expect("--profile raw|client|protocol N");
                let calls: usize = args.next().and_then(|v| v.parse().ok()).expect("--profile raw|client|protocol N");
                profile = Some((which, calls.min(1_000_000)));
            }
            other => {
                panic!("unknown argument {other:?} (try --secs, --rounds, --concurrency, --client-threads, --profile)")
            }
        }
    }
    let phase = Duration::from_secs_f64(secs);

    let (addr, server_tid) = start_server();
    let url = format!("http://{addr}/");
    let rt = if client_threads == 0 {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_multi_thread().worker_threads(client_threads).enable_all().build()
    }
    .expect("runtime");
    rt.block_on(async {
        let client = BillingClient::builder()
            .credentials(Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"))
            .endpoint(&url)
            .disable_rate_limit()
            .build()
            .expect("client");
        // The baseline: reqwest configured exactly as the client's own transport builds its
        // `reqwest::Client` (src/transport.rs, `Http::new`), so that the comparison measures the
        // crate's work and not different settings: no redirects, HTTP/1.1 only, the same connect
        // timeout, idle timeout and TCP options, no Referer, none of reqwest's own retries, no
        // proxy. Pool sizes are reqwest's defaults on both sides.
        // reqwest's rustls comes without a crypto provider (the library never installs one for the
        // process): an application building its own reqwest client installs one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let keepalive = Duration::from_secs(15);
        let raw = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .http1_only()
            .connect_timeout(tencentcloud_billing::DEFAULT_CONNECT_TIMEOUT)
            .pool_idle_timeout(Duration::from_secs(50))
            .tcp_nodelay(true)
            .tcp_keepalive(keepalive)
            .tcp_keepalive_interval(keepalive)
            .tcp_keepalive_retries(3)
            .referer(false)
            .retry(reqwest::retry::never().max_retries_per_request(0))
            .no_proxy()
            .build()
            .expect("reqwest client");
        let protocol = Caller::Protocol(raw.clone(), url.as_str().into(), Arc::new(protocol_headers(addr)));
        let raw = Caller::Raw(raw, url.as_str().into());
        let client = Caller::Client(client);

        if let Some((which, calls)) = profile {
            // A fixed number of calls of one kind and nothing else, for an instruction count
            // under `valgrind --tool=callgrind` (see docs/PERFORMANCE.md).
            let caller = match which.as_str() {
                "raw" => raw,
                "protocol" => protocol,
                _ => client,
            };
            let per_task = calls.div_ceil(concurrency);
            let tasks: Vec<_> = (0..concurrency)
                .map(|_| {
                    let caller = caller.clone();
                    tokio::spawn(async move {
                        for _ in 0..per_task {
                            caller.call().await;
                        }
                    })
                })
                .collect();
            for t in tasks {
                t.await.expect("caller task");
            }
            println!("{which}: {} calls, {concurrency} concurrent", per_task * concurrency);
            return;
        }

        // Warm up: open the connections both sides will reuse, fault in the code paths.
        run(&raw, concurrency, Duration::from_millis(300), server_tid).await;
        run(&client, concurrency, Duration::from_millis(300), server_tid).await;

        // raw, client sequentially; raw, client, protocol floor concurrently.
        let mut stats: [Stats; 5] = Default::default();
        // The client/raw ratio of each round, at each concurrency: the phases it compares ran
        // back to back, so they saw the same background. The order rotates between rounds, so
        // that a drift in the background favours none of them.
        let mut paired: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        let mut paired_floor = Vec::new();
        let mut paired_vs_floor = Vec::new();
        for round in 0..rounds {
            let order = if round % 2 == 0 { [0usize, 1] } else { [1, 0] };
            let mut rates = [0.0f64; 2];
            for who in order {
                let s = run([&raw, &client][who], 1, phase, server_tid).await;
                rates[who] = s.latencies_ns.len() as f64 / s.elapsed.as_secs_f64();
                stats[who].add(s);
            }
            paired[0].push(rates[1] / rates[0]);
            let mut rates = [0.0f64; 3];
            for i in 0..3 {
                let who = (i + round) % 3;
                let s = run([&raw, &client, &protocol][who], concurrency, phase, server_tid).await;
                rates[who] = s.latencies_ns.len() as f64 / s.elapsed.as_secs_f64();
                stats[2 + who].add(s);
            }
            paired[1].push(rates[1] / rates[0]);
            paired_floor.push(rates[2] / rates[0]);
            paired_vs_floor.push(rates[1] / rates[2]);
        }

        let runtime = match client_threads {
            0 => "a current-thread runtime".to_owned(),
            n => format!("a {n}-worker runtime"),
        };
        println!(
            "load: {rounds} round(s) x {secs} s per phase; callers on {runtime}, server on its own thread; 127.0.0.1"
        );
        println!(
            "{:<32} {:>9} {:>9} {:>9} {:>14} {:>14}",
            "phase", "calls/s", "p50 µs", "p99 µs", "caller CPU µs", "server CPU µs"
        );
        let names = [
            "raw reqwest, sequential".to_owned(),
            "BillingClient, sequential".to_owned(),
            format!("raw reqwest, {concurrency} concurrent"),
            format!("BillingClient, {concurrency} concurrent"),
            format!("protocol floor, {concurrency} concurrent"),
        ];
        for (name, s) in names.iter().zip(&mut stats) {
            println!(
                "{:<32} {:>9.0} {:>9.1} {:>9.1} {:>14.2} {:>14.2}",
                name,
                s.rate(),
                s.percentile(0.50),
                s.percentile(0.99),
                s.cpu_per_call_us(s.caller_cpu),
                s.cpu_per_call_us(s.server_cpu)
            );
        }
        for (k, label) in [(0usize, "sequential".to_owned()), (1, format!("{concurrency} concurrent"))] {
            let r = sorted(&paired[k]);
            println!(
                "ratio client/raw calls/s, {label}: {:.3} (median of {} paired rounds; {:.3} to {:.3}); {:.3} over all rounds pooled",
                median(&r),
                r.len(),
                r[0],
                r[r.len() - 1],
                stats[2 * k + 1].rate() / stats[2 * k].rate()
            );
        }
        println!(
            "ratio protocol floor/raw calls/s, {concurrency} concurrent: {:.3}; client/protocol floor: {:.3} (medians of \
             {} paired rounds)",
            median(&sorted(&paired_floor)),
            median(&sorted(&paired_vs_floor)),
            paired_floor.len()
        );
        // Calls/s follow the mean latency, which other work on the machine skews with rare long
        // stalls; the median is the steadier companion figure.
        println!(
            "ratio raw/client p50 latency, sequential: {:.3}",
            stats[0].percentile(0.50) / stats[1].percentile(0.50)
        );
    });
}

#[derive(Clone)]
enum Caller {
    Raw(reqwest::Client, Arc<str>),
    Client(BillingClient),
    /// Raw reqwest sending the header set the client sends (fixed values, no signature computed)
    /// and decoding the typed answer: the work the protocol itself asks for, without the send
    /// path.
    Protocol(reqwest::Client, Arc<str>, Arc<reqwest::header::HeaderMap>),
}

/// The headers a `DescribeAccountBalance` request of the client carries, with fixed values of
/// the same lengths (the Authorization is a real signature's length).
fn protocol_headers(addr: std::net::SocketAddr) -> reqwest::header::HeaderMap {
    let mut h = reqwest::header::HeaderMap::new();
    let auth = format!(
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2026-12-03/billing/tc3_request, \
         SignedHeaders=content-type;host, Signature={}",
        "0".repeat(64)
    );
    for (name, value) in [
        ("authorization", auth.as_str()),
        ("content-type", "application/json; charset=utf-8"),
        ("host", &addr.to_string()),
        ("accept", "*/*"),
        ("x-tc-action", "DescribeAccountBalance"),
        ("x-tc-version", "2018-07-09"),
        ("x-tc-timestamp", "1764730000"),
        ("x-tc-requestclient", "tencentcloud-billing/0.1.0"),
        ("x-tc-language", "zh-CN"),
    ] {
        h.insert(reqwest::header::HeaderName::from_static(name), value.parse().expect("a valid header value"));
    }
    h
}

impl Caller {
    async fn call(&self) {
        match self {
            Caller::Raw(http, url) => {
                let resp = http
                    .post(&**url)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(&b"{}"[..])
                    .send()
                    .await
                    .expect("raw POST");
                assert!(resp.status().is_success());
                let body = resp.bytes().await.expect("raw body");
                assert_eq!(body.len(), ENVELOPE.len());
            }
            Caller::Protocol(http, url, headers) => {
                let resp = http
                    .post(&**url)
                    .headers((**headers).clone())
                    .body(&b"{}"[..])
                    .send()
                    .await
                    .expect("protocol POST");
                let body = resp.bytes().await.expect("protocol body");
                let balance = <DescribeAccountBalanceResponse as ApiResponse>::from_json(&body).expect("decodes");
                assert!(balance.balance.is_some());
            }
            Caller::Client(client) => {
                let balance = client.describe_account_balance().send().await.expect("DescribeAccountBalance");
                assert!(balance.balance.is_some());
            }
        }
    }
}

/// `v` in ascending order.
fn sorted(v: &[f64]) -> Vec<f64> {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// The median of sorted, non-empty `v`.
fn median(v: &[f64]) -> f64 {
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

/// One phase's raw results.
struct Sample {
    latencies_ns: Vec<u32>,
    elapsed: Duration,
    /// CPU time of the callers' threads and of the server's thread, in nanoseconds.
    caller_cpu: u64,
    server_cpu: u64,
}

/// `callers` concurrent tasks making calls until `phase` has passed.
async fn run(caller: &Caller, callers: usize, phase: Duration, server_tid: u32) -> Sample {
    let cpu_before = thread_cpu_ns();
    let start = Instant::now();
    let deadline = start + phase;
    let tasks: Vec<_> = (0..callers)
        .map(|_| {
            let caller = caller.clone();
            tokio::spawn(async move {
                let mut lat = Vec::with_capacity(16 * 1024);
                while Instant::now() < deadline {
                    let t = Instant::now();
                    caller.call().await;
                    lat.push(t.elapsed().as_nanos().min(u32::MAX as u128) as u32);
                }
                lat
            })
        })
        .collect();
    let mut latencies_ns = Vec::new();
    for t in tasks {
        latencies_ns.extend(t.await.expect("caller task"));
    }
    let elapsed = start.elapsed();
    let cpu_after = thread_cpu_ns();
    let (mut caller_cpu, mut server_cpu) = (0, 0);
    for (tid, after) in cpu_after {
        let used = after - cpu_before.iter().find(|(t, _)| *t == tid).map_or(0, |(_, b)| *b);
        if tid == server_tid { server_cpu += used } else { caller_cpu += used }
    }
    Sample { latencies_ns, elapsed, caller_cpu, server_cpu }
}

/// Every thread of this process with its CPU time so far in nanoseconds (Linux schedstat).
fn thread_cpu_ns() -> Vec<(u32, u64)> {
    let Ok(dir) = std::fs::read_dir("/proc/self/task") else { return Vec::new() };
    dir.filter_map(|e| {
        let e = e.ok()?;
        let tid = e.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(e.path().join("schedstat")).ok()?;
        Some((tid, stat.split_whitespace().next()?.parse().ok()?))
    })
    .collect()
}

#[derive(Default)]
struct Stats {
    lat: Vec<u32>,
    elapsed: Duration,
    caller_cpu: u64,
    server_cpu: u64,
}

impl Stats {
    fn add(&mut self, s: Sample) {
        self.lat.extend(s.latencies_ns);
        self.elapsed += s.elapsed;
        self.caller_cpu += s.caller_cpu;
        self.server_cpu += s.server_cpu;
    }
    fn rate(&self) -> f64 {
        self.lat.len() as f64 / self.elapsed.as_secs_f64()
    }
    fn percentile(&mut self, p: f64) -> f64 {
        self.lat.sort_unstable();
        let i = ((self.lat.len() as f64 * p) as usize).min(self.lat.len().saturating_sub(1));
        self.lat.get(i).copied().unwrap_or(0) as f64 / 1_000.0
    }
    fn cpu_per_call_us(&self, cpu: u64) -> f64 {
        cpu as f64 / 1_000.0 / self.lat.len().max(1) as f64
    }
}

/// Start the server on its own thread; returns its address once it listens, and the thread's id.
fn start_server() -> (std::net::SocketAddr, u32) {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("load-server".into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("server runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
                let tid = std::fs::read_link("/proc/thread-self")
                    .ok()
                    .and_then(|p| p.file_name()?.to_str()?.parse().ok())
                    .unwrap_or(0);
                tx.send((listener.local_addr().expect("local addr"), tid)).expect("report the address");
                loop {
                    let Ok((stream, _)) = listener.accept().await else { continue };
                    stream.set_nodelay(true).ok();
                    tokio::spawn(async move {
                        let service = service_fn(|req: Request<hyper::body::Incoming>| async move {
                            // Read the request body, as a real endpoint would.
                            let _ = req.into_body().collect().await;
                            let mut resp = Response::new(Full::new(Bytes::from_static(ENVELOPE)));
                            resp.headers_mut()
                                .insert(hyper::header::CONTENT_TYPE, "application/json".parse().expect("static"));
                            Ok::<_, Infallible>(resp)
                        });
                        let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                    });
                }
            });
        })
        .expect("spawn the server thread");
    rx.recv().expect("the server started")
}
