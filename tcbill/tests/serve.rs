//! `tcbill serve` against the sandbox: the exporter polled by hand (so that "one more poll" is a
//! call, not a wait), `/metrics` scraped over loopback HTTP, the output checked by `promtool`
//! when it is installed, and the command itself run through `tcbill::run`.

// Only the scraper is used here.
#[allow(dead_code)]
mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use clap::Parser;
use tcbill::commands::serve::{ClientMetrics, Exporter, serve_http};
use tcbill::{cli, interrupt};
use tencentcloud_billing::datetime::{BEIJING, YearMonth};
use tencentcloud_billing::money::Cents;
use tencentcloud_billing::monitor::{BalancePoint, Clock, MonthCost, RunwayInput};
use tencentcloud_billing::sandbox::Sandbox;
use tencentcloud_billing::sandbox::demo::{Demo, Scenario};
use tencentcloud_billing::sandbox::{Account, Fault};
use time::{OffsetDateTime, PrimitiveDateTime, Time};

/// A clock that always reads the same instant.
#[derive(Debug, Clone, Copy)]
struct Fixed(OffsetDateTime);

impl Clock for Fixed {
    fn now(&self) -> OffsetDateTime {
        self.0
    }
}

/// The 15th of last month, midnight Beijing time: last month is complete in the demo, so its
/// summary does not change while the test runs.
fn mid_last_month() -> (YearMonth, OffsetDateTime) {
    let month = YearMonth::current_beijing().previous();
    let day = month.first_day() + time::Duration::days(14);
    (month, PrimitiveDateTime::new(day, Time::MIDNIGHT).assume_offset(BEIJING))
}

/// A sandbox serving the demo with a balance that stays still (no drain), and an exporter of it
/// serving `/metrics` on a free loopback port.
struct Setup {
    sandbox: Sandbox,
    exporter: Exporter,
    url: String,
    http: reqwest::Client,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Setup {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn setup(scenario: Scenario, at: OffsetDateTime) -> Setup {
    let sandbox = Sandbox::start().await.unwrap();
    // The handle only changes the demo; the sandbox keeps serving it when the handle is dropped.
    let _demo = sandbox.install_demo(Demo::new().scenario(scenario).burn_per_hour(Cents::ZERO));
    let metrics = ClientMetrics::new();
    let client = sandbox.client_builder().hook(metrics.clone()).build().unwrap();
    let exporter = Exporter::new(client, metrics, Fixed(at), None);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/metrics", listener.local_addr().unwrap());
    let server = tokio::spawn(serve_http(listener, exporter.registry()));
    Setup { sandbox, exporter, url, http: common::scraper(), server }
}

impl Setup {
    async fn scrape(&self) -> String {
        let r = self.http.get(&self.url).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "text/plain; version=0.0.4; charset=utf-8");
        r.text().await.unwrap()
    }
}

/// The value of the sample whose name and labels are exactly `series` (as written in the text).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

const ACCOUNT: &str = r#"{account="100000000001",site="cn"}"#;

fn series(name: &str) -> String {
    format!("{name}{ACCOUNT}")
}

/// Runs promtool with `args` and `stdin`; `None` (after saying so) when it is not installed.
fn promtool(args: &[&str], stdin: &str) -> Option<std::process::Output> {
    let child =
        Command::new("promtool").args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn();
    let Ok(mut child) = child else {
        println!("skipped: promtool not installed (Debian: apt-get install prometheus)");
        return None;
    };
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    Some(child.wait_with_output().unwrap())
}

#[tokio::test]
async fn scrapes_show_the_last_poll_exactly_and_never_call_the_api() {
    let (month, at) = mid_last_month();
    let mut s = setup(Scenario::Healthy, at).await;

    // Before the first poll: only the failure counters, at zero.
    let text = s.scrape().await;
    assert!(!text.contains("tcbill_balance_available_yuan"), "{text}");
    assert_eq!(sample(&text, r#"tcbill_poll_failures_total{site="cn",action="DescribeAccountBalance"}"#), Some(0.0));
    assert_eq!(s.sandbox.requests().len(), 0);

    assert_eq!(s.exporter.poll().await, vec![]);
    let text = s.scrape().await;
    // The demo's healthy account: 52,000.00 in cash, nothing owed, frozen or lent.
    for (name, value) in [
        ("tcbill_balance_available_yuan", "52000.0"),
        ("tcbill_balance_owed_yuan", "0.0"),
        ("tcbill_balance_frozen_yuan", "0.0"),
        ("tcbill_credit_limit_yuan", "0.0"),
        ("tcbill_credit_available_yuan", "0.0"),
    ] {
        let line = format!("{} {value}", series(name));
        assert!(text.lines().any(|l| l == line), "no line {line:?} in\n{text}");
    }
    assert_eq!(sample(&text, &series("tcbill_last_poll_success_timestamp_seconds")), Some(at.unix_timestamp() as f64));
    for action in ["DescribeAccountBalance", "DescribeBillSummaryByProduct"] {
        let requests = format!(r#"tcbill_client_requests_total{{action="{action}",outcome="ok"}}"#);
        assert_eq!(sample(&text, &requests), Some(1.0), "{action}");
        let failures = format!(r#"tcbill_poll_failures_total{{site="cn",action="{action}"}}"#);
        assert_eq!(sample(&text, &failures), Some(0.0), "{action}");
        let waits = format!(r#"tcbill_client_quota_wait_seconds_count{{action="{action}"}}"#);
        assert_eq!(sample(&text, &waits), Some(1.0), "{action}");
    }
    assert!(!text.contains("tcbill_client_throttled_total{"), "{text}");

    // The month's cost by product, as the API reports it (a complete month: it cannot move).
    let plain = s.sandbox.client_builder().build().unwrap();
    let summary = plain.describe_bill_summary_by_product().begin_time(month).end_time(month).send().await.unwrap();
    let items = summary.summary_overview.unwrap_or_default();
    assert_eq!(items.len(), 10);
    for i in &items {
        let (code, name) = (i.business_code.clone().unwrap(), i.business_code_name.clone().unwrap());
        let labels = format!(r#"{{account="100000000001",site="cn",product="{name}",product_code="{code}"}}"#);
        let want: f64 = i.real_total_cost.unwrap().to_string().parse().unwrap();
        assert_eq!(sample(&text, &format!("tcbill_month_to_date_cost_yuan{labels}")), Some(want), "{name}");
    }
    assert_eq!(text.lines().filter(|l| l.starts_with("tcbill_month_to_date_cost_yuan{")).count(), 10);

    // The runway: the available balance over the month's burn so far, in seconds.
    let total = summary.summary_total.and_then(|t| t.real_total_cost).unwrap();
    let available = Cents::from(5_200_000);
    let forecast = RunwayInput::new(available, at)
        .history([BalancePoint::new(at, available)])
        .month_cost(MonthCost::new(month, total, at))
        .forecast();
    let want = (forecast.runs_out.unwrap() - at).as_seconds_f64();
    assert!(want > 86_400.0, "{want}");
    assert_eq!(sample(&text, &series("tcbill_runway_seconds")), Some(want));

    // The account changes; one more poll shows it.
    s.sandbox.update_account(|a| {
        a.cash = Cents::from(100_000);
        a.owed = Cents::from(2_550);
        a.frozen = Cents::from(1_000);
    });
    assert_eq!(s.exporter.poll().await, vec![]);
    let text = s.scrape().await;
    // 1,000.00 cash - 10.00 frozen - 25.50 owed.
    assert_eq!(sample(&text, &series("tcbill_balance_available_yuan")), Some(964.5));
    assert_eq!(sample(&text, &series("tcbill_balance_owed_yuan")), Some(25.5));
    assert_eq!(sample(&text, &series("tcbill_balance_frozen_yuan")), Some(10.0));
    let balance_calls = r#"tcbill_client_requests_total{action="DescribeAccountBalance",outcome="ok"}"#;
    assert_eq!(sample(&text, balance_calls), Some(2.0));

    // A thousand scrapes later, the API has seen nothing more.
    let before = s.sandbox.requests().len();
    assert_eq!(before, 5, "2 polls of 2 calls, and the test's own summary call");
    for _ in 0..1_000 {
        let again = s.scrape().await;
        assert_eq!(sample(&again, balance_calls), Some(2.0));
    }
    assert_eq!(s.sandbox.requests().len(), before);

    if let Some(out) = promtool(&["check", "metrics"], &text) {
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "promtool check metrics: {said}\n{text}");
        assert_eq!(said.trim(), "", "promtool has remarks");
    }
}

#[tokio::test]
async fn a_credit_account_shows_its_line() {
    let (_, at) = mid_last_month();
    let mut s = setup(Scenario::CreditNearlyExhausted, at).await;
    assert_eq!(s.exporter.poll().await, vec![]);
    let text = s.scrape().await;
    // A 20,000.00 line, 18,500.00 used and 150.00 frozen: 1,350.00 left to spend.
    assert_eq!(sample(&text, &series("tcbill_credit_limit_yuan")), Some(20_000.0));
    assert_eq!(sample(&text, &series("tcbill_credit_available_yuan")), Some(1_350.0));
    assert_eq!(sample(&text, &series("tcbill_balance_available_yuan")), Some(1_350.0));
    assert_eq!(sample(&text, &series("tcbill_balance_frozen_yuan")), Some(150.0));
}

#[tokio::test]
async fn a_failed_poll_is_counted_and_keeps_the_last_figures() {
    let (_, at) = mid_last_month();
    let mut s = setup(Scenario::Healthy, at).await;
    assert_eq!(s.exporter.poll().await, vec![]);
    let first = s.scrape().await;

    s.sandbox.set_account(Account::with_balance(Cents::from(1)));
    s.sandbox.inject_faults("DescribeAccountBalance", [Fault::ServiceError("UnauthorizedOperation".into())]);
    let errors = s.exporter.poll().await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "DescribeAccountBalance");
    assert!(errors[0].1.contains("UnauthorizedOperation"), "{errors:?}");

    let text = s.scrape().await;
    let failures = r#"tcbill_poll_failures_total{site="cn",action="DescribeAccountBalance"}"#;
    assert_eq!(sample(&text, failures), Some(1.0));
    let failed = r#"tcbill_client_requests_total{action="DescribeAccountBalance",outcome="service_error"}"#;
    assert_eq!(sample(&text, failed), Some(1.0));
    // The balance and the time of the last success are those of the first poll.
    for name in ["tcbill_balance_available_yuan", "tcbill_last_poll_success_timestamp_seconds"] {
        assert_eq!(sample(&text, &series(name)), sample(&first, &series(name)), "{name}");
    }
    assert_eq!(sample(&text, &series("tcbill_balance_available_yuan")), Some(52_000.0));
}

#[tokio::test]
async fn only_get_and_head_of_metrics_are_served() {
    let (_, at) = mid_last_month();
    let s = setup(Scenario::Healthy, at).await;
    let base = s.url.trim_end_matches("/metrics").to_owned();
    let post = s.http.post(&s.url).body("x").send().await.unwrap();
    assert_eq!(post.status(), 405);
    assert_eq!(post.headers()["allow"], "GET, HEAD");
    assert_eq!(s.http.get(format!("{base}/nothing")).send().await.unwrap().status(), 404);
    assert_eq!(s.http.get(format!("{base}/")).send().await.unwrap().status(), 200);
    let head = s.http.head(&s.url).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(s.sandbox.requests().len(), 0);
}

/// Collects what `tcbill::run` writes, line by line.
struct Lines(tokio::sync::mpsc::UnboundedSender<String>);

impl Write for Lines {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = self.0.send(String::from_utf8_lossy(buf).into_owned());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_serve_command_serves_until_interrupted() {
    let args = ["tcbill", "--sandbox", "serve", "--listen", "127.0.0.1:0", "--interval", "1h", "--account", "demo"];
    let cli = cli::Cli::try_parse_from(args).unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut out = Lines(tx);
    let interrupt: interrupt::Interrupt = Box::pin(async {
        let _ = stopped.await;
    });
    let scraper = async move {
        // `writeln!` may arrive in pieces: gather up to the end of the line.
        let mut line = String::new();
        while !line.contains('\n') {
            line.push_str(&rx.recv().await.unwrap());
        }
        let url = line.split_whitespace().nth(1).unwrap().trim_end_matches(',').to_owned();
        assert!(url.starts_with("http://127.0.0.1:") && url.ends_with("/metrics"), "{line}");
        let http = common::scraper();
        // The first poll runs as the server starts; wait for it, a bounded number of scrapes.
        let mut text = String::new();
        for _ in 0..400 {
            text = http.get(&url).send().await.unwrap().text().await.unwrap();
            if text.contains("tcbill_last_poll_success_timestamp_seconds{") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        let _ = stop.send(());
        text
    };
    let (code, text) = tokio::join!(tcbill::run(cli, &mut out, interrupt), scraper);
    assert_eq!(code, tcbill::exit::EXIT_INTERRUPTED, "stopped by a signal: 130, as --help says");
    assert!(text.contains(r#"tcbill_balance_available_yuan{account="demo",site="cn"} "#), "{text}");
    let calls = r#"tcbill_client_requests_total{action="DescribeAccountBalance",outcome="ok"}"#;
    assert_eq!(sample(&text, calls), Some(1.0), "{text}");
}

fn repo_file(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The metric names a text mentions (`tcbill_...`).
fn metric_names(text: &str) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("tcbill_") {
        let tail = &rest[i..];
        let end = tail.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(tail.len());
        names.insert(tail[..end].to_owned());
        rest = &tail[end..];
    }
    names
}

#[tokio::test]
async fn the_dashboard_and_the_rules_use_only_metrics_the_exporter_serves() {
    let (_, at) = mid_last_month();
    let mut s = setup(Scenario::Healthy, at).await;
    // One refusal for quota, which the client retries: every family then has a sample.
    s.sandbox.inject_faults("DescribeAccountBalance", [Fault::ServiceError("RequestLimitExceeded".into())]);
    assert_eq!(s.exporter.poll().await, vec![]);
    let scrape = s.scrape().await;
    let throttled = r#"tcbill_client_throttled_total{action="DescribeAccountBalance"}"#;
    assert_eq!(sample(&scrape, throttled), Some(1.0), "{scrape}");
    for (outcome, n) in [("throttled", 1.0), ("ok", 1.0)] {
        let requests =
            format!(r#"tcbill_client_requests_total{{action="DescribeAccountBalance",outcome="{outcome}"}}"#);
        assert_eq!(sample(&scrape, &requests), Some(n), "{outcome}");
    }
    // Every family the scrape declares (a counter may have no sample yet), with a histogram's
    // series names.
    let mut served = std::collections::BTreeSet::new();
    for l in scrape.lines() {
        let Some(rest) = l.strip_prefix("# TYPE ") else { continue };
        let (name, kind) = rest.split_once(' ').unwrap();
        served.insert(name.to_owned());
        if kind == "histogram" {
            served.extend(["_bucket", "_sum", "_count"].map(|s| format!("{name}{s}")));
        }
    }

    let dashboard = repo_file("dashboards/grafana.json");
    let json: serde_json::Value = serde_json::from_str(&dashboard).unwrap();
    assert!(!json["panels"].as_array().unwrap().is_empty());
    let rules = repo_file("alerts/billing.rules.yml");
    for (file, text) in [("dashboards/grafana.json", &dashboard), ("alerts/billing.rules.yml", &rules)] {
        let used = metric_names(text);
        assert!(used.len() >= 3, "{file}: {used:?}");
        for name in used {
            assert!(served.contains(&name), "{file} uses {name}, which the exporter does not serve");
        }
    }

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("alerts");
    for args in [["check", "rules"], ["test", "rules"]] {
        let file = if args[0] == "check" { "billing.rules.yml" } else { "billing.rules.test.yml" };
        let path = dir.join(file);
        let mut full: Vec<&str> = args.to_vec();
        full.push(path.to_str().unwrap());
        let Some(out) = promtool(&full, "") else { return };
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "promtool {}: {said}", full.join(" "));
    }
}
