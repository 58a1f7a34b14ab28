//! The async monitor shell: a scripted source under tokio's paused clock (no sockets, no real
//! sleeping), the real client against the sandbox, and the alert sinks against wiremock.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tencentcloud_billing::RetryConfig;
use tencentcloud_billing::datetime::{format_beijing, parse_beijing};
use tencentcloud_billing::money::Cents;
use tencentcloud_billing::monitor::{
    AlertSink, BalanceMonitor, BalanceSnapshot, BalanceSource, ChatFormat, ChatSink, Event, FanOut, MonitorConfig,
    SourceFuture, TokioClock, TracingSink, WebhookSink,
};
use tencentcloud_billing::sandbox::{Account, Fault, Sandbox};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Answers from a script, one per fetch; `None` is a failure. The last answer repeats.
#[derive(Debug, Clone)]
struct Script(Arc<Mutex<VecDeque<Option<i64>>>>);

impl Script {
    fn new(answers: &[Option<i64>]) -> Self {
        Script(Arc::new(Mutex::new(answers.iter().copied().collect())))
    }
}

impl BalanceSource for Script {
    fn fetch(&self) -> SourceFuture<'_> {
        let mut q = self.0.lock().unwrap();
        let next = if q.len() > 1 { q.pop_front().unwrap() } else { q.front().copied().flatten() };
        Box::pin(async move {
            match next {
                Some(v) => Ok(BalanceSnapshot::cash_account(Cents::from(v))),
                None => Err("scripted outage".into()),
            }
        })
    }
}

#[tokio::test(start_paused = true)]
async fn the_stream_polls_on_the_interval_with_paused_time() {
    let start = parse_beijing("2026-11-24 09:00:00").unwrap();
    let script = Script::new(&[Some(90_000), Some(40_000), Some(40_000), None, None, None, Some(40_000), Some(95_000)]);
    let config = MonitorConfig::new(Cents::from(50_000)).debounce(Duration::from_secs(60)).unreachable_after(3);
    let monitor = BalanceMonitor::builder(script, config)
        .interval(Duration::from_secs(60))
        .clock(TokioClock::starting_at(start))
        .build();
    let mut events = monitor.into_events();
    let begun = tokio::time::Instant::now();
    let mut seen = Vec::new();
    for _ in 0..4 {
        let e = events.next().await.unwrap();
        seen.push((format_beijing(e.at()), e.name()));
    }
    assert_eq!(
        seen,
        [
            ("2026-11-24 09:02:00".to_owned(), "low_balance"), // seen at 09:01, confirmed at 09:02
            ("2026-11-24 09:05:00".to_owned(), "unreachable"), // failures at 09:03, 09:04, 09:05
            ("2026-11-24 09:06:00".to_owned(), "reachable"),
            ("2026-11-24 09:08:00".to_owned(), "recovered"), // above 550.00 at 09:07 and 09:08
        ]
    );
    // Eight minutes of polling took no real time, and the monitor kept the readings.
    assert_eq!(begun.elapsed(), Duration::from_secs(8 * 60));
    let monitor = events.monitor().unwrap();
    assert_eq!(monitor.history().len(), 6);
    assert_eq!(monitor.state().consecutive_failures(), 0);
}

#[tokio::test(start_paused = true)]
async fn the_stream_is_a_futures_stream() {
    use futures_core::Stream;
    use std::pin::Pin;

    let script = Script::new(&[Some(1)]);
    let monitor = BalanceMonitor::builder(script, MonitorConfig::new(Cents::from(100)).debounce(Duration::ZERO))
        .clock(TokioClock::starting_at(parse_beijing("2026-11-24 09:00:00").unwrap()))
        .build();
    let mut stream = monitor.into_events();
    let first = std::future::poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await;
    assert!(matches!(first, Some(Event::LowBalance { .. })));
    // Nothing else happens: the next poll (5 minutes later) raises nothing, so it stays pending.
    let waited = tokio::time::timeout(Duration::from_secs(3600), stream.next()).await;
    assert!(waited.is_err());
}

#[tokio::test]
async fn the_monitor_reads_the_sandbox_through_the_client() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.set_account(Account::with_balance(Cents::from(80_000)));
    let client = sandbox.client_builder().retry(RetryConfig::disabled()).build().unwrap();
    let config = MonitorConfig::new(Cents::from(50_000)).debounce(Duration::ZERO).unreachable_after(2);
    let mut monitor = BalanceMonitor::new(client, config);
    assert!(monitor.poll().await.is_empty());
    sandbox.set_account(Account::with_balance(Cents::ZERO).owing(Cents::from(2_500)));
    let names: Vec<_> = monitor.poll().await.iter().map(Event::name).collect();
    assert_eq!(names, ["low_balance", "overdue"]);
    sandbox
        .inject_faults("DescribeAccountBalance", [Fault::Http(502, "bad gateway".into()), Fault::Http(502, "".into())]);
    assert!(monitor.poll().await.is_empty());
    let unreachable = monitor.poll().await;
    assert_eq!(unreachable.len(), 1);
    let Event::Unreachable { failures, error, .. } = &unreachable[0] else { panic!("{unreachable:?}") };
    assert_eq!(*failures, 2);
    assert!(error.contains("502"), "{error}");
    sandbox.set_account(Account::with_balance(Cents::from(1_000_000)));
    let names: Vec<_> = monitor.poll().await.iter().map(Event::name).collect();
    assert_eq!(names, ["reachable", "recovered", "recovered"]);
    // The history holds the three successful readings, and gives a runway.
    assert_eq!(monitor.history().len(), 3);
    assert!(monitor.runway().is_some());
    assert_eq!(sandbox.arrivals("DescribeAccountBalance").len(), 3);
}

fn overdue_event() -> Event {
    let config = MonitorConfig::new(Cents::from(50_000)).debounce(Duration::ZERO);
    let snapshot = BalanceSnapshot::cash_account(Cents::ZERO).owing(Cents::from(9_900));
    let (_, events) = tencentcloud_billing::monitor::MonitorState::default().step(
        &config,
        &tencentcloud_billing::monitor::Observation::Balance(snapshot),
        parse_beijing("2026-11-24 09:00:00").unwrap(),
    );
    events.into_iter().find(|e| e.name() == "overdue").unwrap()
}

#[tokio::test]
async fn the_webhook_retries_server_errors_then_delivers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .and(body_partial_json(serde_json::json!({ "event": "overdue", "owed": { "yuan": "99.00" } })))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let sink = WebhookSink::new(&format!("{}/hook", server.uri())).unwrap().backoff(Duration::from_millis(5));
    sink.send(&overdue_event()).await.unwrap();
}

#[tokio::test]
async fn the_webhook_gives_up_on_client_errors_and_after_its_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/bad"))
        .respond_with(ResponseTemplate::new(400))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/down"))
        .respond_with(ResponseTemplate::new(500))
        .expect(2)
        .mount(&server)
        .await;
    let bad = WebhookSink::new(&format!("{}/bad", server.uri())).unwrap().backoff(Duration::from_millis(1));
    let err = bad.send(&overdue_event()).await.unwrap_err();
    assert!(err.to_string().contains("400"), "{err}");
    let down =
        WebhookSink::new(&format!("{}/down", server.uri())).unwrap().attempts(2).backoff(Duration::from_millis(1));
    assert!(down.send(&overdue_event()).await.unwrap_err().to_string().contains("500"));
    assert!(WebhookSink::new("ftp://example.com/x").is_err());
    assert!(WebhookSink::new("not a url").is_err());
}

#[tokio::test]
async fn chat_sinks_send_readable_text_in_each_format() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/wecom"))
        .and(body_partial_json(serde_json::json!({ "msgtype": "text" })))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let sink = ChatSink::new(&format!("{}/wecom?key=SECRET", server.uri()), ChatFormat::WeCom).unwrap().label("prod");
    let event = overdue_event();
    let text = sink.message(&event);
    assert!(text.starts_with("[ALERT] prod: OVERDUE: the account owes 99.00"), "{text}");
    sink.send(&event).await.unwrap();
    let received = &server.received_requests().await.unwrap()[0];
    let body: serde_json::Value = serde_json::from_slice(&received.body).unwrap();
    assert_eq!(body["text"]["content"], text);
    // The webhook key never shows in Debug output.
    assert!(!format!("{sink:?}").contains("SECRET"));
    assert_eq!(ChatFormat::Text.body("hi"), r#"{"text":"hi"}"#);
    let feishu: serde_json::Value = serde_json::from_str(&ChatFormat::Feishu.body("hi")).unwrap();
    assert_eq!(feishu["content"]["text"], "hi");
    // Fan-out tries every sink and reports the failures.
    let fan = FanOut::new().with(TracingSink).with(WebhookSink::new("http://127.0.0.1:9/x").unwrap().attempts(1));
    assert_eq!(fan.len(), 2);
    let err = fan.send(&event).await.unwrap_err();
    assert!(err.to_string().starts_with("sink 2:"), "{err}");
}

#[tokio::test]
async fn the_demo_balance_drains_into_overdue_and_recovers_on_top_up() {
    use tencentcloud_billing::sandbox::demo::{Demo, Scenario};
    let sandbox = Sandbox::start().await.unwrap();
    // 320.00, spending 100.00 an hour.
    let demo = sandbox.install_demo(Demo::new().scenario(Scenario::LowBalance).burn_per_hour(Cents::from(10_000)));
    let client = sandbox.client_builder().build().unwrap();
    let config = MonitorConfig::new(Cents::from(50_000)).debounce(Duration::ZERO);
    let mut monitor = BalanceMonitor::new(client, config);
    let names = |events: Vec<Event>| events.iter().map(Event::name).collect::<Vec<_>>();
    assert_eq!(names(monitor.poll().await), ["low_balance"]);
    sandbox.advance_clock(2 * 3_600);
    assert!(monitor.poll().await.is_empty(), "still low, not yet overdue");
    sandbox.advance_clock(2 * 3_600);
    let events = monitor.poll().await;
    let Some(Event::Overdue { owed, deadlines, .. }) = events.first() else { panic!("{events:?}") };
    assert!(*owed >= Cents::from(8_000) && *owed < Cents::from(8_100), "{owed}");
    assert_eq!(deadlines.len(), 2);
    demo.top_up(Cents::from(1_000_000));
    assert_eq!(names(monitor.poll().await), ["recovered", "recovered"]);
    // The history shows the fall and the top-up; the runway sees the burn.
    let runway = monitor.runway().unwrap().forecast();
    assert!(runway.burn.is_some());
}

#[tokio::test(start_paused = true)]
async fn the_interval_saturates_at_a_week_and_never_panics() {
    use tencentcloud_billing::monitor::{MAX_INTERVAL, MIN_INTERVAL};
    let start = parse_beijing("2026-11-24 09:00:00").unwrap();
    let config = || MonitorConfig::new(Cents::from(50_000)).debounce(Duration::ZERO);
    // Duration::MAX: polled once now, then a week later (`Instant + Duration::MAX` would panic).
    let monitor = BalanceMonitor::builder(Script::new(&[Some(40_000), Some(95_000)]), config())
        .interval(Duration::MAX)
        .clock(TokioClock::starting_at(start))
        .build();
    assert_eq!(monitor.interval(), MAX_INTERVAL);
    let mut events = monitor.into_events();
    let seen: Vec<(String, &str)> = [events.next().await.unwrap(), events.next().await.unwrap()]
        .iter()
        .map(|e| (format_beijing(e.at()), e.name()))
        .collect();
    assert_eq!(
        seen,
        [("2026-11-24 09:00:00".to_owned(), "low_balance"), ("2026-12-01 09:00:00".to_owned(), "recovered")]
    );
    // Duration::ZERO: the shortest interval, 100 ms.
    let monitor = BalanceMonitor::builder(Script::new(&[Some(40_000), Some(95_000)]), config())
        .interval(Duration::ZERO)
        .clock(TokioClock::starting_at(start))
        .build();
    assert_eq!(monitor.interval(), MIN_INTERVAL);
    let mut events = monitor.into_events();
    events.next().await.unwrap();
    let begun = tokio::time::Instant::now();
    assert_eq!(events.next().await.unwrap().name(), "recovered");
    assert_eq!(begun.elapsed(), MIN_INTERVAL);
}

#[tokio::test(start_paused = true)]
async fn a_clock_started_at_the_end_of_time_saturates() {
    use tencentcloud_billing::monitor::Clock;
    let end = time::PrimitiveDateTime::MAX.assume_utc();
    let clock = TokioClock::starting_at(end);
    tokio::time::advance(Duration::from_secs(3600)).await;
    assert_eq!(clock.now(), end);
}

#[tokio::test]
async fn sink_retry_settings_saturate() {
    // Duration::MAX and u32::MAX are taken as the caps (the doubling `backoff * 2` used to
    // overflow and panic); Duration::ZERO and 0 attempts as no wait and one attempt.
    let url = "http://127.0.0.1:9/hook";
    let huge = format!("{:?}", WebhookSink::new(url).unwrap().backoff(Duration::MAX).attempts(u32::MAX));
    assert!(huge.contains("attempts: 10") && huge.contains("backoff: 30s"), "{huge}");
    let chat = ChatSink::new(url, ChatFormat::Text).unwrap().backoff(Duration::MAX).attempts(u32::MAX);
    let chat = format!("{chat:?}");
    assert!(chat.contains("attempts: 10") && chat.contains("backoff: 30s"), "{chat}");
    let none = format!("{:?}", WebhookSink::new(url).unwrap().backoff(Duration::ZERO).attempts(0));
    assert!(none.contains("attempts: 1") && none.contains("backoff: 0ns"), "{none}");

    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let sink = WebhookSink::new(&server.uri()).unwrap().backoff(Duration::ZERO).attempts(u32::MAX);
    let err = sink.send(&overdue_event()).await.unwrap_err();
    assert!(err.to_string().contains("503"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 10, "SINK_MAX_ATTEMPTS");
    let once = ChatSink::new(&server.uri(), ChatFormat::Text).unwrap().backoff(Duration::ZERO).attempts(0);
    assert!(once.send(&overdue_event()).await.is_err());
    assert_eq!(server.received_requests().await.unwrap().len(), 11);
}

/// Every constructor of every sink, on `url`: the error, if any.
fn constructor_errors(url: &str, allow_http: bool) -> Vec<tencentcloud_billing::monitor::SinkError> {
    let mut out = Vec::new();
    let webhook = if allow_http { WebhookSink::new_allowing_http(url) } else { WebhookSink::new(url) };
    out.extend(webhook.err());
    for format in [ChatFormat::Text, ChatFormat::WeCom, ChatFormat::DingTalk, ChatFormat::Feishu] {
        let chat = if allow_http { ChatSink::new_allowing_http(url, format) } else { ChatSink::new(url, format) };
        out.extend(chat.err());
    }
    out
}

/// The error's Display and Debug, and its sources', as one text.
fn all_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = format!("{e} {e:?}");
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(&format!(" {c} {c:?}"));
        cause = c.source();
    }
    text
}

#[test]
fn sink_errors_never_show_the_webhook_key() {
    for url in [
        "ftp://hooks.example/send?key=hunter2",
        "ftp://user:hunter2@hooks.example/send",
        "ftp://hooks.example/services/T0/hunter2",
        "http://user:hunter2@[bad/send?key=hunter2",
        "https://user:hunter2@hooks.example:99999/send?key=hunter2",
        "hooks.example/send?key=hunter2",
        "mailto:hunter2@hooks.example",
        "http://user:hunter2@hooks.example/hunter2?key=hunter2",
    ] {
        let errors = constructor_errors(url, false);
        assert_eq!(errors.len(), 5, "{url} must be refused by every constructor");
        for e in &errors {
            let text = all_text(e);
            assert!(!text.contains("hunter2"), "{url}: {text}");
        }
        let allowed = constructor_errors(url, true);
        let expected = if url.starts_with("http://user:hunter2@hooks") { 0 } else { 5 };
        assert_eq!(allowed.len(), expected, "{url}");
        for e in &allowed {
            assert!(!all_text(e).contains("hunter2"), "{url}: {}", all_text(e));
        }
    }
    // Plain http off this machine is refused by default, naming why.
    let e = WebhookSink::new("http://hooks.example/send?key=hunter2").unwrap_err();
    assert!(e.to_string().contains("plain http"), "{e}");
    // A valid sink's Debug hides userinfo, path and query.
    let ok = WebhookSink::new("https://user:hunter2@hooks.example/services/hunter2?key=hunter2").unwrap();
    let shown = format!("{ok:?}");
    assert!(!shown.contains("hunter2") && shown.contains("hooks.example"), "{shown}");
}

#[tokio::test]
async fn a_webhook_redirect_is_a_failure_and_never_followed() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&elsewhere).await;
    let hook = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(307).insert_header("Location", format!("{}/steal?key=hunter2", elsewhere.uri())),
        )
        .mount(&hook)
        .await;
    let target = elsewhere.uri().trim_start_matches("http://").to_owned();
    let webhook = WebhookSink::new(&format!("{}/hook?key=hunter2", hook.uri())).unwrap().attempts(3);
    let chat = ChatSink::new(&format!("{}/chat?key=hunter2", hook.uri()), ChatFormat::WeCom).unwrap().attempts(3);
    for sink in [&webhook as &dyn AlertSink, &chat] {
        let err = sink.send(&overdue_event()).await.unwrap_err();
        let text = all_text(&err);
        assert!(text.contains("307") && text.contains(&target), "{text}");
        assert!(!text.contains("hunter2") && !text.contains("steal"), "{text}");
    }
    assert_eq!(hook.received_requests().await.unwrap().len(), 2, "one attempt per sink: a redirect is not retried");
    assert_eq!(elsewhere.received_requests().await.unwrap().len(), 0);
}

#[tokio::test]
async fn a_webhook_urls_user_and_password_travel_as_basic_credentials_never_in_the_request_line() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/hook")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let url = format!("http://hook-user:hook%20pass@{}/hook?key=k1", server.address());
    WebhookSink::new(&url).unwrap().send(&overdue_event()).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 1);
    // base64("hook-user:hook pass")
    assert_eq!(reqs[0].headers.get("authorization").unwrap(), "Basic aG9vay11c2VyOmhvb2sgcGFzcw==");
    assert_eq!(reqs[0].url.query(), Some("key=k1"));
    assert_eq!(reqs[0].url.password(), None);
    assert_eq!(reqs[0].headers.get("content-type").unwrap(), "application/json");
}
