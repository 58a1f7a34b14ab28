//! Several accounts and organizations: `--profile` (a real profile file read by the library's
//! `ProfileProvider`, its keys reaching a sandbox account of their own through
//! `TENCENTCLOUD_BILLING_ENDPOINT`), `watch` and `serve` over several accounts, and the
//! organization commands (`org balances`, `bills --org`) against the demo organization.
//!
//! Tests that count requests run the binary against a sandbox the test owns, so that every
//! request the command makes is seen; the others go through `tcbill::run` with `--sandbox`.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::Value;
use tcbill::commands::serve::{ClientMetrics, Exporter, serve_http};
use tcbill::{cli, exit, interrupt};
use tencentcloud_billing::Credentials;
use tencentcloud_billing::datetime::{BEIJING, YearMonth};
use tencentcloud_billing::hook::{AttemptRecord, BeforeAttempt, Hook};
use tencentcloud_billing::money::Cents;
use tencentcloud_billing::monitor::Clock;
use tencentcloud_billing::sandbox::demo::{Demo, Organization, Scenario};
use tencentcloud_billing::sandbox::{Account, SANDBOX_SECRET_ID, SANDBOX_SECRET_KEY, Sandbox};
use time::{OffsetDateTime, PrimitiveDateTime, Time};

mod common;
use common::fields;

fn never() -> interrupt::Interrupt {
    Box::pin(std::future::pending())
}

/// Run `tcbill ARGS` in process; returns (exit code, stdout).
async fn tcbill(args: &[&str]) -> (u8, String) {
    let mut argv = vec!["tcbill"];
    argv.extend_from_slice(args);
    let mut out = Vec::new();
    let code = tcbill::run(cli::Cli::try_parse_from(argv).unwrap(), &mut out, never()).await;
    (code, String::from_utf8(out).unwrap())
}

fn temp(name: &str) -> common::TempPath {
    common::TempPath::new(name)
}

/// What a run of the binary gave.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Run the binary with no `TENCENTCLOUD_*` or `TKE_*` variable but `env`, `HOME` in a fresh
/// directory, and the CVM role switched off: only what the test gives is found.
fn run_binary(tag: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let home = temp(&format!("home-{tag}"));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tcbill"));
    for (k, _) in std::env::vars_os() {
        let name = k.to_string_lossy();
        if name.starts_with("TENCENTCLOUD_") || name.starts_with("TKE_") || name == "USERPROFILE" {
            cmd.env_remove(&k);
        }
    }
    cmd.env("HOME", &home)
        .env("TENCENTCLOUD_CVM_ROLE_DISABLED", "true")
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null());
    let out = cmd.output().unwrap();
    let _ = std::fs::remove_dir_all(&home);
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// [`run_binary`] off the async runtime, so that the sandbox keeps answering meanwhile.
async fn run_async(tag: &'static str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    let env: Vec<(String, String)> = env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        run_binary(tag, &args, &env)
    })
    .await
    .unwrap()
}

/// A sandbox with three accounts besides its default one, and a profile file naming each.
struct Profiles {
    sandbox: Sandbox,
    file: common::TempPath,
}

const PROFILE_FILE: &str = "\
[default]
secret_id = AKIDdefaultnotused
secret_key = default-key

[prod]
secret_id = AKIDprod
secret_key = prod-secret-key

[staging]
secret_id = AKIDstaging
secret_key = staging-secret-key

[broke]
secret_id = AKIDbroke
secret_key = broke-secret-key
";

async fn profiles(tag: &str) -> Profiles {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.add_account("AKIDprod", "prod-secret-key", Account::with_balance(Cents::from(100_000)).uin(301));
    sandbox.add_account("AKIDstaging", "staging-secret-key", Account::with_balance(Cents::from(4_200)).uin(302));
    sandbox.add_account("AKIDbroke", "broke-secret-key", Account::with_balance(Cents::ZERO).owing(Cents::from(999)));
    let file = temp(&format!("credentials-{tag}"));
    std::fs::write(&file, PROFILE_FILE).unwrap();
    Profiles { sandbox, file }
}

impl Profiles {
    fn env(&self) -> [(&str, String); 2] {
        [
            ("TENCENTCLOUD_CREDENTIALS_FILE", self.file.to_str().unwrap().to_owned()),
            ("TENCENTCLOUD_BILLING_ENDPOINT", self.sandbox.endpoint()),
        ]
    }

    async fn run(&self, tag: &'static str, args: &[&str]) -> Run {
        let env = self.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        run_async(tag, args, &env).await
    }

    /// The SecretIds of the requests so far, in order.
    fn callers(&self) -> Vec<String> {
        self.sandbox.requests().into_iter().map(|r| r.secret_id).collect()
    }
}

fn json_field(stdout: &str, name: &str) -> Value {
    let v: Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    v[name].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_profile_reaches_its_own_account() {
    let p = profiles("select").await;
    let prod = p.run("prod", &["--profile", "prod", "balance", "--json"]).await;
    assert_eq!(prod.code, Some(0), "{prod:?}");
    assert_eq!(json_field(&prod.stdout, "available"), "1000.00");
    assert_eq!(json_field(&prod.stdout, "uin"), 301);
    assert_eq!(prod.stderr, "", "no sandbox banner, no secret");
    let staging = p.run("staging", &["--profile", "staging", "balance", "--json"]).await;
    assert_eq!(staging.code, Some(0), "{staging:?}");
    assert_eq!(json_field(&staging.stdout, "available"), "42.00");
    assert_eq!(json_field(&staging.stdout, "uin"), 302);
    // Without --profile, the [default] profile, whose key the sandbox does not know.
    let default = p.run("default", &["balance"]).await;
    assert_eq!(default.code, Some(3), "{default:?}");
    assert!(default.stderr.contains("AuthFailure.SecretIdNotFound"), "{default:?}");
    assert_eq!(p.callers(), ["AKIDprod", "AKIDstaging", "AKIDdefaultnotused"]);
    // Every subcommand takes --profile: the runway and a summary, on staging's account.
    p.sandbox.clear_requests();
    let runway = p.run("runway", &["--profile", "staging", "runway"]).await;
    assert_eq!(runway.code, Some(0), "{runway:?}");
    assert!(runway.stdout.contains("available") && runway.stdout.contains("42.00"), "{runway:?}");
    let summary = p.run("summary", &["--profile", "staging", "summary"]).await;
    assert_eq!(summary.code, Some(0), "{summary:?}");
    assert!(p.callers().iter().all(|c| c == "AKIDstaging"), "{:?}", p.callers());
    let _ = std::fs::remove_file(&p.file);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_profile_is_an_error_never_the_demo() {
    let p = profiles("unknown").await;
    let run = p.run("nobody", &["--profile", "nobody", "balance"]).await;
    assert_eq!(run.code, Some(i32::from(exit::EXIT_ERROR)), "{run:?}");
    assert_eq!(run.stdout, "");
    let path = p.file.display();
    assert_eq!(
        run.stderr,
        format!(
            "tcbill: --profile nobody: credentials error: the profile file {path} has no [nobody] profile; not \
             falling back to anything else\n"
        )
    );
    // One unknown among known ones stops everything before any call.
    let run = p
        .run("one-unknown", &["--profile", "prod", "--profile", "nobody", "watch", "--threshold", "1", "--once"])
        .await;
    assert_eq!(run.code, Some(3), "{run:?}");
    assert!(p.sandbox.requests().is_empty());
    // No profile file at all: an error too, not the demo the default chain would fall back to.
    let run = run_async("no-file", &["--profile", "prod", "balance"], &[]).await;
    assert_eq!(run.code, Some(3), "{run:?}");
    assert!(run.stderr.starts_with("tcbill: --profile prod: credentials error: no profile file"), "{run:?}");
    assert!(!run.stderr.contains("DEMO DATA") && !run.stderr.contains("sandbox at"), "{run:?}");
    // With --sandbox, a profile names a demo account; anything else is refused.
    let (code, out) = tcbill(&["--sandbox", "--profile", "prod", "balance"]).await;
    assert_eq!((code, out.as_str()), (exit::EXIT_ERROR, ""));
    // Several profiles are for watch and serve only.
    let (code, _) = tcbill(&["--sandbox", "--profile", "low", "--profile", "healthy", "balance"]).await;
    assert_eq!(code, exit::EXIT_ERROR);
    let (code, _) =
        tcbill(&["--sandbox", "--profile", "low", "--profile", "low", "watch", "--threshold", "1", "--once"]).await;
    assert_eq!(code, exit::EXIT_ERROR, "a profile given twice");
    let _ = std::fs::remove_file(&p.file);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_once_over_several_accounts_exits_with_the_worst() {
    let p = profiles("watch").await;
    let args = |names: &[&'static str]| {
        let mut a: Vec<&str> = names.iter().flat_map(|n| ["--profile", *n]).collect();
        a.extend(["watch", "--threshold", "500", "--once"]);
        a
    };
    // prod holds 1,000.00, staging 42.00 (low), broke owes 9.99 (overdue).
    let run = p.run("w1", &args(&["prod"])).await;
    assert_eq!(run.code, Some(0), "{run:?}");
    let run = p.run("w2", &args(&["prod", "staging"])).await;
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(
        run.stdout,
        "[prod] healthy: available 1000.00 (threshold 500.00)\n[staging] LOW: available 42.00 (threshold 500.00)\n"
    );
    let run = p.run("w3", &args(&["broke", "prod", "staging"])).await;
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stdout.starts_with("[broke] OVERDUE: available -9.99"), "{run:?}");
    // Each account was asked with its own keys, once per run (in any order within a run: the
    // accounts are checked side by side).
    let mut callers = p.callers();
    callers[1..3].sort();
    callers[3..6].sort();
    assert_eq!(callers, ["AKIDprod", "AKIDprod", "AKIDstaging", "AKIDbroke", "AKIDprod", "AKIDstaging"]);
    // An account that cannot be checked is the worst of all: exit 3, the others still shown.
    p.sandbox.add_account("AKIDstaging", "rotated-key", Account::default());
    let run = p.run("w4", &args(&["prod", "staging"])).await;
    assert_eq!(run.code, Some(3), "{run:?}");
    assert!(run.stdout.starts_with("[prod] healthy:"), "{run:?}");
    assert!(run.stderr.contains("tcbill: staging: ") && run.stderr.contains("AuthFailure.SignatureFailure"), "{run:?}");
    // The same through the sandbox's demo accounts, in process.
    for (names, want) in [
        (&["healthy"][..], 0),
        (&["healthy", "low"][..], 1),
        (&["low", "overdue", "healthy"][..], 2),
        (&["credit", "healthy"][..], 0),
    ] {
        let mut a = vec!["--sandbox"];
        a.extend(args(names));
        let (code, out) = tcbill(&a).await;
        assert_eq!(code, want, "{names:?}: {out}");
        // One account reads as before; several, each line names its account.
        for n in names.iter().filter(|_| names.len() > 1) {
            assert!(out.contains(&format!("[{n}] ")), "{names:?}: {out}");
        }
    }
    let _ = std::fs::remove_file(&p.file);
}

/// A clock that always reads the same instant: the 15th of last month (a complete month in the
/// demo, so its figures cannot move while the test runs).
#[derive(Debug, Clone, Copy)]
struct Fixed(OffsetDateTime);

impl Clock for Fixed {
    fn now(&self) -> OffsetDateTime {
        self.0
    }
}

fn mid_last_month() -> OffsetDateTime {
    let day = YearMonth::current_beijing().previous().first_day() + time::Duration::days(14);
    PrimitiveDateTime::new(day, Time::MIDNIGHT).assume_offset(BEIJING)
}

fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn serve_exports_each_account_under_its_own_labels() {
    let sandbox = Sandbox::start().await.unwrap();
    let still = |d: Demo| d.burn_per_hour(Cents::ZERO);
    let _prod = sandbox.add_demo_account("AKIDprod", "k1", still(Demo::new().seed(1)));
    let _dev = sandbox.add_demo_account("AKIDdev", "k2", still(Demo::new().seed(2).scenario(Scenario::Overdue)));
    let metrics = ClientMetrics::new();
    let client = |id: &str, key: &str, name: &str| {
        sandbox.client_builder().credentials(Credentials::new(id, key)).hook(metrics.for_account(name)).build().unwrap()
    };
    let accounts =
        vec![("prod".to_owned(), client("AKIDprod", "k1", "prod")), ("dev".to_owned(), client("AKIDdev", "k2", "dev"))];
    let mut exporter = Exporter::accounts(accounts, metrics.clone(), Fixed(mid_last_month()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/metrics", listener.local_addr().unwrap());
    let server = tokio::spawn(serve_http(listener, exporter.registry()));
    let http = common::scraper();
    let scrape = || async { http.get(&url).send().await.unwrap().text().await.unwrap() };

    // Before any poll: the failure counters of each account, at zero.
    let text = scrape().await;
    for a in ["prod", "dev"] {
        let s = format!(r#"tcbill_poll_failures_total{{account="{a}",site="cn",action="DescribeAccountBalance"}}"#);
        assert_eq!(sample(&text, &s), Some(0.0), "{text}");
    }
    assert_eq!(exporter.poll().await, vec![]);
    let text = scrape().await;
    let at = |name: &str, a: &str| sample(&text, &format!(r#"{name}{{account="{a}",site="cn"}}"#));
    assert_eq!(at("tcbill_balance_available_yuan", "prod"), Some(52_000.0));
    assert_eq!(at("tcbill_balance_owed_yuan", "prod"), Some(0.0));
    assert_eq!(at("tcbill_balance_available_yuan", "dev"), Some(-1_280.5));
    assert_eq!(at("tcbill_balance_owed_yuan", "dev"), Some(1_280.5));
    assert!(at("tcbill_runway_seconds", "prod").is_some_and(|s| s > 86_400.0), "{text}");
    assert_eq!(at("tcbill_runway_seconds", "dev"), Some(0.0));
    // Each account's own month: two seeds, two different totals, ten products each.
    let costs = |a: &str| -> f64 {
        let prefix = format!(r#"tcbill_month_to_date_cost_yuan{{account="{a}",site="cn","#);
        text.lines()
            .filter(|l| l.starts_with(&prefix))
            .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
            .sum()
    };
    assert!(costs("prod") > 0.0 && costs("dev") > 0.0 && costs("prod") != costs("dev"), "{text}");
    for a in ["prod", "dev"] {
        let prefix = format!(r#"tcbill_month_to_date_cost_yuan{{account="{a}","#);
        assert_eq!(text.lines().filter(|l| l.starts_with(&prefix)).count(), 10, "{a}");
        for action in ["DescribeAccountBalance", "DescribeBillSummaryByProduct"] {
            let calls = format!(r#"tcbill_client_requests_total{{account="{a}",action="{action}",outcome="ok"}}"#);
            assert_eq!(sample(&text, &calls), Some(1.0), "{calls}\n{text}");
        }
    }
    // One family descriptor each, whatever the number of accounts.
    assert_eq!(text.lines().filter(|l| *l == "# TYPE tcbill_balance_available_yuan gauge").count(), 1);
    // Each account was polled with its own keys: its own quota.
    let mut by_key = BTreeMap::<String, usize>::new();
    for r in sandbox.requests() {
        assert_eq!(r.error_code, None, "{r:?}");
        *by_key.entry(r.secret_id).or_default() += 1;
    }
    assert_eq!(by_key, BTreeMap::from([("AKIDdev".to_owned(), 2), ("AKIDprod".to_owned(), 2)]));
    // A thousand scrapes later, the API has seen nothing more.
    for _ in 0..1_000 {
        let again = scrape().await;
        assert!(again.contains(r#"tcbill_balance_available_yuan{account="dev",site="cn"} -1280.5"#));
    }
    assert_eq!(sandbox.requests().len(), 4);

    let child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    match child {
        Err(_) => println!("skipped: promtool not installed (Debian: apt-get install prometheus)"),
        Ok(mut child) => {
            child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
            let out = child.wait_with_output().unwrap();
            let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            assert!(out.status.success(), "promtool check metrics: {said}\n{text}");
            assert_eq!(said.trim(), "", "promtool has remarks");
        }
    }
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_serve_command_follows_several_profiles() {
    // Through the binary and a profile file: each profile's client, its own label set.
    let p = profiles("serve").await;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let listen = format!("127.0.0.1:{port}");
    let env = p.env();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tcbill"))
        .args(["--profile", "prod", "--profile", "staging", "serve", "--listen", &listen, "--interval", "1h"])
        .env_remove("TENCENTCLOUD_SECRET_ID")
        .env_remove("TENCENTCLOUD_SECRET_KEY")
        .env("TENCENTCLOUD_CVM_ROLE_DISABLED", "true")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let http = common::scraper();
    let url = format!("http://{listen}/metrics");
    let mut text = String::new();
    for _ in 0..400 {
        if let Ok(r) = http.get(&url).send().await {
            text = r.text().await.unwrap();
            if text.matches("tcbill_balance_available_yuan{").count() == 2 {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(sample(&text, r#"tcbill_balance_available_yuan{account="prod",site="cn"}"#), Some(1_000.0), "{text}");
    assert_eq!(sample(&text, r#"tcbill_balance_available_yuan{account="staging",site="cn"}"#), Some(42.0), "{text}");
    let calls = r#"tcbill_client_requests_total{account="staging",action="DescribeAccountBalance",outcome="ok"}"#;
    assert_eq!(sample(&text, calls), Some(1.0), "{text}");
    // --account cannot name several accounts.
    let (code, _) = tcbill(&[
        "--sandbox",
        "--profile",
        "low",
        "--profile",
        "healthy",
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--account",
        "x",
    ])
    .await;
    assert_eq!(code, exit::EXIT_ERROR);
    let _ = std::fs::remove_file(&p.file);
}

/// Counts the attempts in flight on a client (a hook sees each attempt start and end) and keeps
/// the most seen at once.
#[derive(Debug, Clone, Default)]
struct InFlight(Arc<(AtomicUsize, AtomicUsize)>);

impl InFlight {
    fn most(&self) -> usize {
        self.0.1.load(Ordering::SeqCst)
    }
}

impl Hook for InFlight {
    fn before_attempt(&self, _: &mut BeforeAttempt<'_>) {
        let now = self.0.0.fetch_add(1, Ordering::SeqCst) + 1;
        self.0.1.fetch_max(now, Ordering::SeqCst);
    }

    fn after_attempt(&self, _: &AttemptRecord<'_>) {
        self.0.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_accounts_are_polled_side_by_side_on_one_pool() {
    // Every answer takes 100 ms: one account after the other, a poll of 100 accounts (two calls
    // each) would take 20 s.
    let latency = Duration::from_millis(100);
    let sandbox = Sandbox::builder().latency(latency).start().await.unwrap();
    let id = |i: usize| format!("AKIDacct{i:03}");
    let _demos: Vec<_> = (0..100)
        .map(|i| sandbox.add_demo_account(&id(i), "k", Demo::new().seed(i as u64).burn_per_hour(Cents::ZERO)))
        .collect();
    for bound in [16, 100] {
        let metrics = ClientMetrics::new();
        let flight = InFlight::default();
        // One client, and a handle per account from it: one pool, one hook, each its own keys.
        let base = sandbox
            .client_builder()
            .credentials(Credentials::new(id(0), "k"))
            .hook(metrics.clone())
            .hook(flight.clone())
            .build()
            .unwrap();
        let accounts =
            (0..100).map(|i| (format!("a{i:03}"), base.with_credentials(Credentials::new(id(i), "k")))).collect();
        let mut exporter = Exporter::accounts(accounts, metrics.clone(), Fixed(mid_last_month())).concurrency(bound);
        let before = sandbox.requests().len();
        let started = Instant::now();
        let errors = tokio::time::timeout(Duration::from_secs(60), exporter.poll()).await.expect("the poll hangs");
        let took = started.elapsed();
        println!("{bound} accounts at a time: 100 accounts polled in {} ms", took.as_millis());
        assert_eq!(errors, vec![]);
        // The bound is reached and never passed.
        assert_eq!(flight.most(), bound, "most attempts in flight at once");
        let text = exporter.render().unwrap();
        assert_eq!(text.matches("tcbill_balance_available_yuan{").count(), 100, "{text}");
        assert_eq!(text.matches("tcbill_last_poll_success_timestamp_seconds{").count(), 100, "{text}");
        // The shared hook still counts each account's traffic under its own label.
        for i in [0, 57, 99] {
            for action in ["DescribeAccountBalance", "DescribeBillSummaryByProduct"] {
                let calls =
                    format!(r#"tcbill_client_requests_total{{account="a{i:03}",action="{action}",outcome="ok"}}"#);
                assert_eq!(sample(&text, &calls), Some(1.0), "{calls}");
            }
        }
        // Each account with its own keys, two calls each.
        let mut by_key = BTreeMap::<String, usize>::new();
        for r in &sandbox.requests()[before..] {
            *by_key.entry(r.secret_id.clone()).or_default() += 1;
        }
        assert_eq!(by_key.len(), 100);
        assert!(by_key.values().all(|n| *n == 2), "{by_key:?}");
    }
}

/// A sandbox serving the demo with its organization, reached with its default keys.
async fn org_sandbox() -> (Sandbox, tencentcloud_billing::sandbox::demo::DemoHandle) {
    let sandbox = Sandbox::start().await.unwrap();
    let demo = sandbox.install_demo(Demo::new().organization(Organization::demo()));
    (sandbox, demo)
}

fn org_env(sandbox: &Sandbox) -> [(&'static str, String); 3] {
    [
        ("TENCENTCLOUD_SECRET_ID", SANDBOX_SECRET_ID.to_owned()),
        ("TENCENTCLOUD_SECRET_KEY", SANDBOX_SECRET_KEY.to_owned()),
        ("TENCENTCLOUD_BILLING_ENDPOINT", sandbox.endpoint()),
    ]
}

async fn run_on(sandbox: &Sandbox, tag: &'static str, args: &[&str]) -> Run {
    let env = org_env(sandbox);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    run_async(tag, args, &env).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn org_balances_walk_every_page() {
    let (sandbox, demo) = org_sandbox().await;
    let members = demo.demo().organization_members().to_vec();
    assert_eq!(members.len(), 12);
    // 10 a page (the maximum): 2 requests; 5 a page: 3; 4 a page: 3 full ones and an empty one.
    for (size, pages) in [("10", 2), ("5", 3), ("4", 4)] {
        sandbox.clear_requests();
        let run = run_on(&sandbox, "org", &["org", "balances", "--page-size", size]).await;
        assert_eq!(run.code, Some(0), "{run:?}");
        let requests = sandbox.requests();
        assert_eq!(requests.len(), pages, "page size {size}: {requests:?}");
        for (i, r) in requests.iter().enumerate() {
            assert_eq!(r.action, "DescribeOrgMemberAccountBalance");
            assert_eq!(r.body, format!(r#"{{"PageNumber":{},"PageSize":{size}}}"#, i + 1));
        }
        assert_eq!(run.stderr, format!("tcbill: 12 members in {pages} pages\n"), "{run:?}");
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), 13, "{}", run.stdout);
        assert!(lines[0].starts_with("member"), "{}", run.stdout);
        for (line, m) in lines[1..].iter().zip(&members) {
            assert!(line.starts_with(&format!("{:<14}  {}", m.uin(), m.name())), "{line}");
        }
    }
    let run = run_on(&sandbox, "org-json", &["org", "balances", "--json", "--threshold", "500"]).await;
    assert_eq!(run.code, Some(0), "{run:?}");
    let rows: Vec<Value> = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(rows.len(), 12);
    let by_name = |n: &str| rows.iter().find(|r| r["member_name"] == n).unwrap().clone();
    assert_eq!(by_name("platform")["available"], "36500.00");
    assert_eq!(by_name("platform")["status"], "ok");
    assert_eq!(by_name("data-team")["available"], "415.00");
    assert_eq!(by_name("data-team")["status"], "low");
    assert_eq!(by_name("marketing")["owed"], "960.25");
    assert_eq!(by_name("marketing")["status"], "overdue");
    assert_eq!(by_name("research")["account_kind"], "credit");
    assert_eq!(by_name("research")["credit_limit"], "10000.00");
    // The page size is checked before any request.
    sandbox.clear_requests();
    let run = run_on(&sandbox, "org-bad", &["org", "balances", "--page-size", "11"]).await;
    assert_eq!(run.code, Some(i32::from(exit::EXIT_ERROR)), "a usage error: {run:?}");
    assert!(sandbox.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bills_org_exports_every_member_row_with_its_uin() {
    let (sandbox, demo) = org_sandbox().await;
    let month = YearMonth::current_beijing().previous();
    let expected = demo.demo().org_rows_at(month, sandbox.now_unix());
    assert_eq!(expected, 1_870);
    let month_s = month.to_string();
    let run = run_on(&sandbox, "bills-org", &["bills", "--org", "--month", &month_s]).await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.ends_with("tcbill: 1870 rows in 19 pages\n"), "{}", run.stderr);
    let mut lines = run.stdout.lines();
    let header = fields(lines.next().unwrap());
    let owner = header.iter().position(|c| c == "owner_uin").unwrap();
    let bill_month = header.iter().position(|c| c == "bill_month").unwrap();
    let mut per_member = BTreeMap::<String, u32>::new();
    for line in lines {
        let f = fields(line);
        assert_eq!(f.len(), header.len(), "{line}");
        assert_eq!(f[bill_month], month_s);
        assert!(!f[owner].is_empty(), "owner_uin filled: {line}");
        *per_member.entry(f[owner].clone()).or_default() += 1;
    }
    assert_eq!(per_member.values().sum::<u32>(), expected);
    for m in demo.demo().organization_members() {
        assert_eq!(per_member.get(&m.uin().to_string()).copied(), Some(m.rows_per_month()), "{}", m.name());
    }
    let requests = sandbox.requests();
    assert_eq!(requests.len(), 19);
    assert!(requests.iter().all(|r| r.action == "DescribeBillDetailForOrganization" && r.error_code.is_none()));
    // NDJSON: the same rows, each with its owner.
    let run = run_on(&sandbox, "bills-org-nd", &["bills", "--org", "--month", &month_s, "--format", "ndjson"]).await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let rows: Vec<Value> = run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 1_870);
    assert!(rows.iter().all(|r| r["owner_uin"].as_str().is_some_and(|u| u.starts_with("2000000001"))));
    // Through the in-process sandbox too: the demo's organization is there with --sandbox.
    let (code, out) = tcbill(&["--sandbox", "bills", "--org", "--month", &month_s]).await;
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 1 + 1_870);
}

#[tokio::test]
async fn several_accounts_post_their_events_under_their_names() {
    use wiremock::matchers::{body_partial_json, method};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    for (account, event, n) in [("overdue", "overdue", 1), ("overdue", "low_balance", 1), ("low", "low_balance", 1)] {
        Mock::given(method("POST"))
            .and(body_partial_json(serde_json::json!({ "event": event, "account": account })))
            .respond_with(ResponseTemplate::new(200))
            .expect(n)
            .mount(&server)
            .await;
    }
    let uri = server.uri();
    let args = ["--sandbox", "--profile", "low", "--profile", "overdue", "--profile", "healthy", "watch"];
    let mut argv = args.to_vec();
    argv.extend(["--threshold", "500", "--once", "--webhook", &uri]);
    let (code, out) = tcbill(&argv).await;
    assert_eq!(code, 2, "{out}");
    // Nothing for the healthy account, and nothing unnamed.
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// Output that the test can read while the command runs.
#[derive(Clone, Default)]
struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn watch_follows_several_accounts_until_interrupted() {
    let args = ["tcbill", "--sandbox", "--profile", "healthy", "--profile", "low", "--profile", "overdue", "watch"];
    let mut argv = args.to_vec();
    argv.extend(["--threshold", "500", "--interval", "1h", "--debounce", "0s"]);
    let cli = cli::Cli::try_parse_from(argv).unwrap();
    let out = Shared::default();
    let seen = out.clone();
    // Stop once both alerting accounts have reported (each monitor looks at once), or after 20 s.
    let interrupt: interrupt::Interrupt = Box::pin(async move {
        for _ in 0..800 {
            let text = String::from_utf8_lossy(&seen.0.lock().unwrap()).into_owned();
            if text.contains(" overdue      overdue") && text.contains(" low          low_balance") {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
    });
    let mut writer = out.clone();
    let code = tcbill::run(cli, &mut writer, interrupt).await;
    assert_eq!(code, tcbill::exit::EXIT_INTERRUPTED, "stopped by a signal: 130, as --help says");
    let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
    assert!(text.starts_with("watching healthy, low, overdue every 3600s: alert below 500.00"), "{text}");
    assert!(text.contains(" low          low_balance"), "{text}");
    assert!(text.contains(" overdue      overdue"), "{text}");
    assert!(!text.contains(" healthy      "), "the healthy account raises nothing: {text}");
}

/// Members named in Chinese (as zh-CN organizations name them): every column of the
/// `org balances` table starts in the same terminal cell on every line, a CJK character counting
/// two cells.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn org_balances_line_up_chinese_member_names() {
    use tencentcloud_billing::sandbox::demo::Member;
    use unicode_width::UnicodeWidthStr;
    let sandbox = Sandbox::start().await.unwrap();
    let org = Organization::new()
        .member(Member::new(401, "数据团队", Account::with_balance(Cents::from(120_000)), 10))
        .member(Member::new(402, "marketing", Account::with_balance(Cents::from(4_200)), 10))
        .member(Member::new(403, "研发中心 R&D", Account::with_balance(Cents::from(99)), 10));
    let _demo = sandbox.install_demo(Demo::new().organization(org));
    let run = run_on(&sandbox, "org-zh", &["org", "balances"]).await;
    assert_eq!(run.code, Some(0), "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert!(lines[1].contains("数据团队"), "{}", run.stdout);
    // Where the kind column starts ("kind", then "cash" on every member's line), in cells.
    let kind_cell = |line: &str| {
        let at = line.find("kind").or_else(|| line.find("cash")).unwrap();
        line[..at].width()
    };
    let header = kind_cell(lines[0]);
    assert_eq!(header, 14 + 2 + "研发中心 R&D".width() + 2, "{}", run.stdout);
    for line in &lines[1..] {
        assert_eq!(kind_cell(line), header, "{line:?}\n{}", run.stdout);
        assert_eq!(line.width(), lines[1].width(), "{line:?}\n{}", run.stdout);
    }
}
