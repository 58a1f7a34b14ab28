//! `tcbill` end to end against the sandbox. The example's modules are compiled into this test and
//! driven through `cli::run`, the same entry point `main` uses; one test also runs the built binary
//! and interrupts it with SIGINT.

#[path = "../examples/tcbill/chart.rs"]
#[allow(dead_code)]
mod chart;
#[path = "../examples/tcbill/cli.rs"]
#[allow(dead_code)]
mod cli;
#[path = "../examples/tcbill/export.rs"]
#[allow(dead_code)]
mod export;

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use serde_json::Value;
use tencentcloud_billing::datetime::YearMonth;
use tencentcloud_billing::money::Decimal;
use tencentcloud_billing::sandbox::demo::Demo;

const HEADER: &str = "bill_month,bill_day,id,bill_id,order_id,pay_time,fee_begin_time,fee_end_time,business_code,\
business_name,product_code,product_name,pay_mode,action_type,action_type_name,region_id,region_name,zone_name,\
project_id,project_name,resource_id,resource_name,owner_uin,tags,cost,real_cost,cash_paid,voucher_paid,\
incentive_paid,transfer_paid,components";

fn never() -> cli::Interrupt {
    Box::pin(std::future::pending())
}

/// Run `tcbill --sandbox ARGS`; returns (exit code, stdout).
async fn tcbill(args: &[&str], interrupt: cli::Interrupt) -> (u8, String) {
    let mut argv = vec!["tcbill", "--sandbox"];
    argv.extend_from_slice(args);
    let mut out = Vec::new();
    let code = cli::run(cli::Cli::try_parse_from(argv).unwrap(), &mut out, interrupt).await;
    (code, String::from_utf8(out).unwrap())
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tcbill-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Split one CSV line (RFC 4180, no embedded newlines in the demo data).
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let (mut quoted, mut chars) = (false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            (c, _) => out.last_mut().unwrap().push(c),
        }
    }
    out
}

fn last_month() -> YearMonth {
    YearMonth::current_beijing().previous()
}

#[tokio::test]
async fn bills_csv_has_every_row_of_the_month_under_a_stable_header() {
    let month = last_month();
    let path = temp("bills.csv");
    let (code, _) = tcbill(&["bills", "--month", &month.to_string(), "--out", path.to_str().unwrap()], never()).await;
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(HEADER));
    assert_eq!(export::CSV_COLUMNS.join(","), HEADER);
    let rows: Vec<Vec<String>> = lines.map(fields).collect();
    let expected = Demo::new().rows_at(month, time::OffsetDateTime::now_utc().unix_timestamp());
    assert_eq!(rows.len(), expected as usize);
    assert!(rows.iter().all(|r| r.len() == export::CSV_COLUMNS.len()));
    assert!(rows.iter().all(|r| r[0] == month.to_string()));
    // The rows add up to the month's summary, to the last of 8 decimal places.
    let real = export::CSV_COLUMNS.iter().position(|c| *c == "real_cost").unwrap();
    let sum: Decimal = rows.iter().map(|r| r[real].parse::<Decimal>().unwrap()).sum();
    let (code, table) = tcbill(&["summary", "--month", &month.to_string(), "--by", "region"], never()).await;
    assert_eq!(code, 0);
    let total = table.lines().last().unwrap().split_whitespace().last().unwrap().to_owned();
    assert_eq!(cli::money(tencentcloud_billing::money::Yuan::new(sum)), total, "{table}");
    let _ = std::fs::remove_file(path);
}

#[tokio::test]
async fn bills_ndjson_parses_line_by_line() {
    let month = last_month();
    let (code, out) = tcbill(&["bills", "--month", &month.to_string(), "--format", "ndjson"], never()).await;
    assert_eq!(code, 0);
    let rows: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 3_000);
    for r in &rows {
        for c in export::CSV_COLUMNS {
            assert!(r.get(*c).is_some(), "{c} missing in {r}");
        }
        assert_eq!(r["components"].as_u64().map(|n| n as usize), r["component_set"].as_array().map(Vec::len));
        assert!(r["real_cost"].as_str().unwrap().parse::<Decimal>().is_ok());
    }
}

#[tokio::test]
async fn an_interrupted_export_leaves_complete_rows() {
    let path = temp("interrupted.csv");
    let stop: cli::Interrupt = Box::pin(tokio::time::sleep(Duration::from_millis(700)));
    let (code, _) = tcbill(&["bills", "--out", path.to_str().unwrap()], stop).await;
    assert_eq!(code, cli::EXIT_INTERRUPTED);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.ends_with('\n'));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], HEADER);
    let rows = lines.len() - 1;
    // Whole pages of whole rows, and not the whole month.
    assert!(rows.is_multiple_of(300) && rows < 3_000, "{rows}");
    assert!(lines[1..].iter().all(|l| fields(l).len() == export::CSV_COLUMNS.len()));
    let _ = std::fs::remove_file(path);
}

#[tokio::test]
async fn watch_once_exit_codes() {
    for (scenario, threshold, code, first) in [
        ("healthy", "500.00", 0, "healthy"),
        ("low", "500.00", 1, "LOW"),
        ("overdue", "500.00", 2, "OVERDUE"),
        ("credit", "500.00", 0, "healthy"),
        ("credit", "2000", 1, "LOW"),
    ] {
        let (got, out) = tcbill(&["--demo", scenario, "watch", "--threshold", threshold, "--once"], never()).await;
        assert_eq!(got, code, "{scenario}: {out}");
        assert!(out.starts_with(first), "{scenario}: {out}");
    }
    let (_, out) = tcbill(&["--demo", "overdue", "watch", "--threshold", "1", "--once"], never()).await;
    assert!(out.contains("API Gateway  suspended from"), "{out}");
}

#[tokio::test]
async fn watch_once_posts_the_events_to_the_webhook() {
    use wiremock::matchers::{body_partial_json, method};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_partial_json(serde_json::json!({ "event": "overdue" })))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let (code, _) =
        tcbill(&["--demo", "overdue", "watch", "--threshold", "500", "--once", "--webhook", &server.uri()], never())
            .await;
    assert_eq!(code, 2);
    // Low balance and overdue.
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn summary_charts_are_valid_svg_and_png() {
    let svg = temp("costs.svg");
    let (code, table) = tcbill(&["summary", "--by", "product", "--chart", svg.to_str().unwrap()], never()).await;
    assert_eq!(code, 0);
    assert!(table.contains("Cloud Virtual Machine") && table.contains("total"), "{table}");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"), "{}", &text[..80.min(text.len())]);
    assert!(text.contains("Cloud Virtual Machine"));
    let png = temp("costs.png");
    let (code, _) =
        tcbill(&["summary", "--by", "tag", "--tag-key", "env", "--chart", png.to_str().unwrap()], never()).await;
    assert_eq!(code, 0);
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert!(bytes.len() > 1_000);
    let (code, _) = tcbill(&["summary", "--chart", temp("costs.gif").to_str().unwrap()], never()).await;
    assert_eq!(code, cli::EXIT_ERROR);
    let (code, _) = tcbill(&["summary", "--by", "tag"], never()).await;
    assert_eq!(code, cli::EXIT_ERROR);
    for p in [svg, png] {
        let _ = std::fs::remove_file(p);
    }
}

#[tokio::test]
async fn balance_and_runway() {
    let (code, out) = tcbill(&["balance", "--json"], never()).await;
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    // 52,000.00, less a few seconds of the demo's drain.
    let available: Decimal = v["available"].as_str().unwrap().parse().unwrap();
    assert!(available <= Decimal::from(52_000) && available > Decimal::from(51_990), "{v}");
    assert_eq!(v["account_kind"], "cash");
    let (code, out) = tcbill(&["--demo", "overdue", "balance"], never()).await;
    assert_eq!(code, 0);
    assert!(out.contains("overdue"), "{out}");
    let (code, out) = tcbill(&["--demo", "low", "runway", "--until", "2099-12-31"], never()).await;
    assert_eq!(code, 0);
    assert!(out.contains("burn") && out.contains("runs out") && out.contains("top-up to 2099-12-31"), "{out}");
}

#[test]
fn charts_of_one_bar_and_of_many() {
    let group = |i: usize| cli::Group {
        name: format!("group {i}"),
        cost: tencentcloud_billing::money::Yuan::from(100 * i as i64 + 1),
        share: None,
        cash: tencentcloud_billing::money::Yuan::ZERO,
        voucher: tencentcloud_billing::money::Yuan::ZERO,
    };
    let one = temp("one.svg");
    chart::render(&one, "one", &[group(1)]).unwrap();
    assert!(std::fs::read_to_string(&one).unwrap().contains("group 1"));
    // More than twelve: the rest are summed into one bar.
    let many: Vec<_> = (1..=20).rev().map(group).collect();
    let path = temp("many.svg");
    chart::render(&path, "many", &many).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("8 others") && text.contains("group 20") && !text.contains("group 8<"));
    assert!(chart::render(&temp("none.svg"), "none", &[]).is_err());
    for p in [one, path] {
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn durations_parse() {
    assert_eq!(cli::parse_duration("5m"), Ok(Duration::from_secs(300)));
    assert_eq!(cli::parse_duration("90"), Ok(Duration::from_secs(90)));
    assert_eq!(cli::parse_duration("2h"), Ok(Duration::from_secs(7_200)));
    assert!(cli::parse_duration("5 minutes").is_err());
    assert_eq!(export::csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
}

/// The real binary and a real SIGINT, when the example has been built (`cargo test` builds it).
#[cfg(unix)]
#[test]
fn ctrl_c_in_the_binary_leaves_a_valid_file() {
    let Some(bin) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent()?.parent().map(|d| d.join("examples").join("tcbill")))
        .filter(|p| p.exists())
    else {
        eprintln!("skipped: the tcbill example binary is not built (run the whole `cargo test`)");
        return;
    };
    let path = temp("sigint.csv");
    let mut child = std::process::Command::new(bin)
        .args(["--sandbox", "bills", "--out", path.to_str().unwrap()])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1_200));
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let rows = text.lines().count() - 1;
    if rows == 3_000 {
        // The machine was fast enough to finish first: the file is simply complete.
        assert_eq!(status.code(), Some(0));
    } else {
        assert_eq!(status.code(), Some(130));
        assert!(rows.is_multiple_of(300), "{rows}");
    }
    assert!(text.starts_with(HEADER) && text.ends_with('\n'));
    let _ = std::fs::remove_file(path);
}
