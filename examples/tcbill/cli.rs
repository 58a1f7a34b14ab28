//! The commands of `tcbill`; `main.rs` only parses arguments and wires Ctrl-C. Tests call
//! [`run`] directly.

use std::error::Error as StdError;
use std::future::Future;
use std::io::Write;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use tencentcloud_billing::BillingClient;
use tencentcloud_billing::datetime::{YearMonth, format_beijing, format_date, parse_date};
use tencentcloud_billing::money::{Cents, Decimal, Percent, Yuan};
use tencentcloud_billing::monitor::{
    AccountKind, AlertSink, BalanceMonitor, BalanceSnapshot, ChatFormat, ChatSink, Health, MonitorConfig, MonitorState,
    MonthCost, Observation, RunwayInput, WebhookSink,
};
use tencentcloud_billing::sandbox::Sandbox;
use tencentcloud_billing::sandbox::demo::{Demo, DemoHandle, Scenario};
use time::{Date, OffsetDateTime};

/// Exit code for errors (0–2 are the health codes of `watch --once`).
pub const EXIT_ERROR: u8 = 3;
/// Exit code after Ctrl-C.
pub const EXIT_INTERRUPTED: u8 = 130;

type BoxError = Box<dyn StdError + Send + Sync>;
/// A future that completes when the user asks to stop (Ctrl-C).
pub type Interrupt = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Tencent Cloud billing from the command line.
#[derive(Debug, Parser)]
#[command(
    name = "tcbill",
    version,
    about = "Tencent Cloud billing from the command line: balance, bill exports, cost summaries, monitoring and runway"
)]
pub struct Cli {
    /// Use the built-in sandbox with a demo account even when credentials are set.
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// The demo account's situation in the sandbox: healthy, low, overdue or credit.
    #[arg(long, global = true, default_value = "healthy", value_name = "SCENARIO")]
    pub demo: Scenario,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the account balance.
    Balance {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Export a month of bill details, streaming page by page.
    Bills {
        /// The billing month (default: last month).
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<YearMonth>,
        /// The output format.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        /// Write to this file instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Show a month's cost broken down one way, optionally as a chart.
    Summary {
        /// The billing month (default: last month).
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<YearMonth>,
        /// How to break the cost down.
        #[arg(long, value_enum, default_value_t = GroupBy::Product)]
        by: GroupBy,
        /// The tag key, with `--by tag`.
        #[arg(long, value_name = "KEY")]
        tag_key: Option<String>,
        /// Also draw a bar chart to this file (.svg or .png).
        #[arg(long, value_name = "FILE")]
        chart: Option<PathBuf>,
    },
    /// Watch the balance and report low balance, overdue and the rest.
    Watch {
        /// Alert below this available balance, in yuan (e.g. 500.00).
        #[arg(long, value_name = "AMOUNT")]
        threshold: Yuan,
        /// Re-arm the low-balance alert only above threshold + this margin (default 10%).
        #[arg(long, value_name = "AMOUNT")]
        margin: Option<Yuan>,
        /// How often to poll: 30s, 5m, 1h.
        #[arg(long, default_value = "5m", value_parser = parse_duration)]
        interval: Duration,
        /// How long a change must last before it is reported.
        #[arg(long, default_value = "5m", value_parser = parse_duration)]
        debounce: Duration,
        /// POST events to this URL.
        #[arg(long, value_name = "URL")]
        webhook: Option<String>,
        /// The body the webhook gets: the event as JSON, or a text message for a chat robot.
        #[arg(long, value_enum, default_value_t = HookFormat::Json)]
        webhook_format: HookFormat,
        /// Check once and exit: 0 healthy, 1 low, 2 overdue, 3 could not check.
        #[arg(long)]
        once: bool,
    },
    /// Forecast when the balance runs out.
    Runway {
        /// Also say what top-up lasts through this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        until: Option<Date>,
    },
}

/// Output formats of `bills`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Comma-separated values with a header line.
    Csv,
    /// One JSON object per line.
    Ndjson,
}

/// The breakdowns of `summary`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupBy {
    /// By product.
    Product,
    /// By region.
    Region,
    /// By project.
    Project,
    /// By pay mode (subscription or pay-as-you-go).
    PayMode,
    /// By the value of one tag key.
    Tag,
}

/// Webhook bodies of `watch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HookFormat {
    /// The event as a JSON object.
    Json,
    /// `{"text": ...}` (Slack and compatible).
    Text,
    /// WeCom group robot.
    Wecom,
    /// DingTalk robot.
    Dingtalk,
    /// Feishu / Lark bot.
    Feishu,
}

/// `30s`, `5m`, `1h`, `1d`, or plain seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num.parse().map_err(|_| format!("{s:?} is not a duration like 30s, 5m or 1h"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3_600,
        "d" => n * 86_400,
        _ => return Err(format!("{s:?} is not a duration like 30s, 5m or 1h")),
    };
    Ok(Duration::from_secs(secs))
}

fn parse_day(s: &str) -> Result<Date, String> {
    parse_date(s).map_err(|e| e.to_string())
}

/// The client, and the sandbox behind it when there are no credentials.
pub struct Connection {
    /// The client.
    pub client: BillingClient,
    /// The sandbox and its demo account, when used: kept alive as long as the connection.
    pub _sandbox: Option<(Sandbox, DemoHandle)>,
}

/// Connect to Tencent Cloud with the environment's credentials, or to a fresh sandbox.
pub async fn connect(cli: &Cli) -> Result<Connection, BoxError> {
    if !cli.sandbox && std::env::var_os("TENCENTCLOUD_SECRET_ID").is_some() {
        return Ok(Connection { client: BillingClient::from_env()?, _sandbox: None });
    }
    let sandbox = Sandbox::start().await?;
    let demo = sandbox.install_demo(Demo::new().scenario(cli.demo));
    eprintln!(
        "tcbill: {}: using the built-in sandbox at {} with a demo account ({} scenario)",
        if cli.sandbox { "--sandbox given" } else { "no credentials in the environment" },
        sandbox.endpoint(),
        cli.demo.as_str(),
    );
    let client = sandbox.client_builder().build()?;
    Ok(Connection { client, _sandbox: Some((sandbox, demo)) })
}

/// Run one command; returns the exit code.
pub async fn run(cli: Cli, out: &mut dyn Write, interrupt: Interrupt) -> u8 {
    let conn = match connect(&cli).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("tcbill: {}", chain(&*e));
            return EXIT_ERROR;
        }
    };
    let result = match cli.command {
        Command::Balance { json } => balance(&conn.client, json, out).await.map(|()| 0),
        Command::Bills { month, format, out: file } => {
            let month = month.unwrap_or_else(|| YearMonth::current_beijing().previous());
            crate::export::export(&conn.client, month, format, file.as_deref(), out, interrupt).await.map(|done| {
                eprintln!(
                    "tcbill: {} rows in {} pages{}",
                    done.rows,
                    done.pages,
                    if done.interrupted { " (interrupted)" } else { "" }
                );
                if done.interrupted { EXIT_INTERRUPTED } else { 0 }
            })
        }
        Command::Summary { month, by, tag_key, chart } => {
            let month = month.unwrap_or_else(|| YearMonth::current_beijing().previous());
            summary(&conn.client, month, by, tag_key.as_deref(), chart.as_deref(), out).await.map(|()| 0)
        }
        Command::Watch { threshold, margin, interval, debounce, webhook, webhook_format, once } => {
            let mut config = MonitorConfig::new(threshold.to_cents()).debounce(debounce);
            if let Some(m) = margin {
                config = config.margin(m.to_cents());
            }
            match sink(webhook.as_deref(), webhook_format) {
                Err(e) => Err(e),
                Ok(sink) if once => watch_once(&conn.client, &config, sink.as_deref(), out).await,
                Ok(sink) => watch(&conn.client, config, interval, sink, out, interrupt).await.map(|()| 0),
            }
        }
        Command::Runway { until } => runway(&conn.client, until, out).await.map(|()| 0),
    };
    let _ = out.flush();
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tcbill: {}", chain(&*e));
            EXIT_ERROR
        }
    }
}

/// An error and its causes on one line.
pub fn chain(e: &(dyn StdError + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let s = c.to_string();
        if !text.contains(&s) {
            text.push_str(": ");
            text.push_str(&s);
        }
        cause = c.source();
    }
    text
}

/// An amount with exactly two decimals, for tables.
pub fn money(y: Yuan) -> String {
    let mut d = y.amount().round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    d.rescale(2);
    d.to_string()
}

fn cents(c: Cents) -> String {
    money(c.to_yuan())
}

// ---------------------------------------------------------------------------------------------

async fn balance(client: &BillingClient, json: bool, out: &mut dyn Write) -> Result<(), BoxError> {
    let b = client.describe_account_balance().send().await?;
    let s = BalanceSnapshot::from_response(&b);
    let health = MonitorConfig::new(Cents::ZERO).assess(&s);
    let kind = match s.kind() {
        AccountKind::CreditLimited => "credit",
        _ => "cash",
    };
    let status = match health {
        Health::Overdue => "overdue",
        Health::Low => "credit exhausted",
        _ => "ok",
    };
    if json {
        let v = serde_json::json!({
            "uin": b.uin,
            "site": client.site().as_str(),
            "account_kind": kind,
            "available": cents(s.available()),
            "real_balance": cents(s.real_balance),
            "cash": cents(s.cash),
            "income": cents(s.income),
            "present": cents(s.present),
            "frozen": cents(s.frozen),
            "owed": cents(s.owed),
            "credit_limit": cents(s.credit_limit),
            "credit_available": s.real_credit_balance.map(cents),
            "status": status,
            "request_id": b.request_id,
        });
        writeln!(out, "{v}")?;
        return Ok(());
    }
    let uin = b.uin.map_or_else(|| "unknown".to_owned(), |u| u.to_string());
    writeln!(out, "account {uin} ({}, {kind} account)", client.site())?;
    let mut row = |label: &str, value: String| writeln!(out, "  {label:<18}{value:>16}");
    row("available", cents(s.available()))?;
    row("cash", cents(s.cash))?;
    row("income", cents(s.income))?;
    row("gifts", cents(s.present))?;
    row("frozen", cents(s.frozen))?;
    row("owed", cents(s.owed))?;
    if s.kind() == AccountKind::CreditLimited {
        row("credit limit", cents(s.credit_limit))?;
        row("credit available", s.real_credit_balance.map_or_else(|| "-".into(), cents))?;
    }
    row("status", status.to_owned())?;
    if health == Health::Overdue {
        writeln!(out, "  top up now: API Gateway suspends 24 hours after an account goes overdue")?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------

/// One line of a summary table.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The display name.
    pub name: String,
    /// Cost after discounts.
    pub cost: Yuan,
    /// The share of the total, when the API says.
    pub share: Option<Percent>,
    /// Paid in cash.
    pub cash: Yuan,
    /// Paid with vouchers.
    pub voucher: Yuan,
}

fn y(v: Option<Yuan>) -> Yuan {
    v.unwrap_or(Yuan::ZERO)
}

/// Fetch a month's breakdown, largest first.
pub async fn fetch_summary(
    client: &BillingClient,
    month: YearMonth,
    by: GroupBy,
    tag_key: Option<&str>,
) -> Result<Vec<Group>, BoxError> {
    macro_rules! groups {
        ($items:expr, $name:expr) => {
            $items
                .iter()
                .map(|i| Group {
                    name: $name(i),
                    cost: y(i.real_total_cost),
                    share: i.real_total_cost_ratio,
                    cash: y(i.cash_pay_amount),
                    voucher: y(i.voucher_pay_amount),
                })
                .collect::<Vec<_>>()
        };
    }
    let text = |a: &Option<String>, b: &Option<String>| {
        a.clone().filter(|s| !s.is_empty()).or_else(|| b.clone()).unwrap_or_else(|| "(unknown)".into())
    };
    let mut groups = match by {
        GroupBy::Product => {
            let r = client.describe_bill_summary_by_product().begin_time(month).end_time(month).send().await?;
            groups!(
                r.summary_overview.unwrap_or_default(),
                |i: &tencentcloud_billing::types::BusinessSummaryOverviewItem| text(
                    &i.business_code_name,
                    &i.business_code
                )
            )
        }
        GroupBy::Region => {
            let r = client.describe_bill_summary_by_region().begin_time(month).end_time(month).send().await?;
            groups!(
                r.summary_overview.unwrap_or_default(),
                |i: &tencentcloud_billing::types::RegionSummaryOverviewItem| text(&i.region_name, &i.region_id)
            )
        }
        GroupBy::Project => {
            let r = client.describe_bill_summary_by_project().begin_time(month).end_time(month).send().await?;
            groups!(
                r.summary_overview.unwrap_or_default(),
                |i: &tencentcloud_billing::types::ProjectSummaryOverviewItem| text(&i.project_name, &i.project_id)
            )
        }
        GroupBy::PayMode => {
            let r = client.describe_bill_summary_by_pay_mode().begin_time(month).end_time(month).send().await?;
            groups!(
                r.summary_overview.unwrap_or_default(),
                |i: &tencentcloud_billing::types::PayModeSummaryOverviewItem| text(&i.pay_mode_name, &i.pay_mode)
            )
        }
        GroupBy::Tag => {
            let key = tag_key.ok_or("--by tag needs --tag-key KEY")?;
            let r = client.describe_bill_summary_by_tag().begin_time(month).end_time(month).tag_key(key).send().await?;
            groups!(
                r.summary_overview.unwrap_or_default(),
                |i: &tencentcloud_billing::types::TagSummaryOverviewItem| i
                    .tag_value
                    .clone()
                    .filter(|v| !v.is_empty())
                    .map_or_else(|| "(untagged)".to_owned(), |v| format!("{key}={v}"))
            )
        }
    };
    groups.sort_by(|a, b| b.cost.cmp(&a.cost).then_with(|| a.name.cmp(&b.name)));
    Ok(groups)
}

/// The column header of a breakdown.
pub fn dimension(by: GroupBy) -> &'static str {
    match by {
        GroupBy::Product => "product",
        GroupBy::Region => "region",
        GroupBy::Project => "project",
        GroupBy::PayMode => "pay mode",
        GroupBy::Tag => "tag",
    }
}

async fn summary(
    client: &BillingClient,
    month: YearMonth,
    by: GroupBy,
    tag_key: Option<&str>,
    chart: Option<&std::path::Path>,
    out: &mut dyn Write,
) -> Result<(), BoxError> {
    let groups = fetch_summary(client, month, by, tag_key).await?;
    let total: Yuan = groups.iter().map(|g| g.cost).sum();
    let width = groups.iter().map(|g| g.name.chars().count()).max().unwrap_or(0).max(8);
    writeln!(out, "Cost by {} for {month}, after discounts", dimension(by))?;
    writeln!(out, "  {:<width$}  {:>14}  {:>8}  {:>14}  {:>12}", dimension(by), "cost", "share", "cash", "vouchers")?;
    for g in &groups {
        let share = g.share.map_or_else(|| "-".to_owned(), |p| format!("{}%", p.value().round_dp(2)));
        writeln!(
            out,
            "  {:<width$}  {:>14}  {:>8}  {:>14}  {:>12}",
            g.name,
            money(g.cost),
            share,
            money(g.cash),
            money(g.voucher)
        )?;
    }
    writeln!(out, "  {:<width$}  {:>14}", "total", money(total))?;
    if let Some(path) = chart {
        let title = format!("Cost by {} for {month} (after discounts)", dimension(by));
        crate::chart::render(path, &title, &groups)?;
        eprintln!("tcbill: chart written to {}", path.display());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------

fn sink(url: Option<&str>, format: HookFormat) -> Result<Option<Box<dyn AlertSink>>, BoxError> {
    let Some(url) = url else { return Ok(None) };
    let chat = |f| -> Result<Option<Box<dyn AlertSink>>, BoxError> { Ok(Some(Box::new(ChatSink::new(url, f)?))) };
    match format {
        HookFormat::Json => Ok(Some(Box::new(WebhookSink::new(url)?))),
        HookFormat::Text => chat(ChatFormat::Text),
        HookFormat::Wecom => chat(ChatFormat::WeCom),
        HookFormat::Dingtalk => chat(ChatFormat::DingTalk),
        HookFormat::Feishu => chat(ChatFormat::Feishu),
    }
}

async fn deliver(sink: Option<&dyn AlertSink>, event: &tencentcloud_billing::monitor::Event) {
    if let Some(s) = sink
        && let Err(e) = s.send(event).await
    {
        eprintln!("tcbill: webhook: {}", chain(&e));
    }
}

async fn watch_once(
    client: &BillingClient,
    config: &MonitorConfig,
    sink: Option<&dyn AlertSink>,
    out: &mut dyn Write,
) -> Result<u8, BoxError> {
    let b = client.describe_account_balance().send().await?;
    let s = BalanceSnapshot::from_response(&b);
    let health = config.assess(&s);
    let now = OffsetDateTime::now_utc();
    let label = match health {
        Health::Healthy => "healthy",
        Health::Low => "LOW",
        _ => "OVERDUE",
    };
    write!(out, "{label}: available {} (threshold {})", cents(s.available()), cents(config.threshold()))?;
    if s.is_overdue() {
        write!(out, ", owes {}", cents(s.owed))?;
    }
    writeln!(out)?;
    if s.is_overdue() {
        writeln!(out, "  if it went overdue just now (it may have been earlier):")?;
        for d in config.deadlines(now) {
            write!(out, "  {:<12} suspended from {}", d.product, format_beijing(d.suspension))?;
            if let Some(r) = d.data_at_risk {
                write!(out, ", data at risk from {}", format_beijing(r))?;
            }
            writeln!(out)?;
        }
    }
    // The same events a running monitor would raise on its first look, for the webhook.
    let once = config.clone().debounce(Duration::ZERO);
    let (_, events) = MonitorState::default().step(&once, &Observation::Balance(s), now);
    for e in &events {
        deliver(sink, e).await;
    }
    Ok(health.exit_code())
}

async fn watch(
    client: &BillingClient,
    config: MonitorConfig,
    interval: Duration,
    sink: Option<Box<dyn AlertSink>>,
    out: &mut dyn Write,
    mut interrupt: Interrupt,
) -> Result<(), BoxError> {
    writeln!(
        out,
        "watching every {}s: alert below {}, re-arm above {}, changes must last {}s; Ctrl-C to stop",
        interval.as_secs(),
        cents(config.threshold()),
        cents(config.threshold() + config.hysteresis_margin()),
        config.debounce_window().as_secs(),
    )?;
    out.flush()?;
    let mut events = BalanceMonitor::builder(client.clone(), config).interval(interval).build().into_events();
    loop {
        tokio::select! {
            e = events.next() => {
                let Some(e) = e else { return Ok(()) };
                writeln!(out, "{}  {:<16} {e}", format_beijing(e.at()), e.name())?;
                out.flush()?;
                deliver(sink.as_deref(), &e).await;
            }
            () = &mut interrupt => return Ok(()),
        }
    }
}

// ---------------------------------------------------------------------------------------------

async fn runway(client: &BillingClient, until: Option<Date>, out: &mut dyn Write) -> Result<(), BoxError> {
    let b = client.describe_account_balance().send().await?;
    let s = BalanceSnapshot::from_response(&b);
    let now = OffsetDateTime::now_utc();
    let current = YearMonth::current_beijing();
    // This month's cost so far; in its first day, last month's (a whole month) instead.
    let into_month = now.to_offset(tencentcloud_billing::datetime::BEIJING).date() - current.first_day();
    let month = if into_month.whole_days() < 1 { current.previous() } else { current };
    let month_cost = MonthCost::fetch(client, month).await?;
    let cost = month_cost.cost;
    let mut input = RunwayInput::new(s.available(), now).month_cost(month_cost);
    if let Some(d) = until {
        input = input.until(d);
    }
    let f = input.forecast();
    writeln!(out, "  {:<20}{:>14}", "available", cents(f.available))?;
    writeln!(out, "  {:<20}{:>14}", format!("cost {month}"), money(cost))?;
    match &f.burn {
        Some(b) => writeln!(
            out,
            "  {:<20}{:>14} a day (from {:.1} days of {month}; confidence {})",
            "burn",
            cents(b.per_day),
            b.span.as_secs_f64() / 86_400.0,
            b.confidence
        )?,
        None => writeln!(out, "  {:<20}{:>14}", "burn", "unknown")?,
    }
    match f.runs_out {
        Some(t) if t <= now => writeln!(out, "  {:<20}{:>14}", "runs out", "already")?,
        Some(t) => {
            let days = Decimal::from((t - now).whole_hours()) / Decimal::from(24);
            writeln!(
                out,
                "  {:<20}{:>14} (in {} days)",
                "runs out",
                format_date(t.to_offset(tencentcloud_billing::datetime::BEIJING).date()),
                days.round_dp(1)
            )?
        }
        None => writeln!(out, "  {:<20}{:>14}", "runs out", "not at this rate")?,
    }
    if let (Some(d), Some(need)) = (f.until, f.top_up_needed) {
        writeln!(out, "  {:<20}{:>14}", format!("top-up to {}", format_date(d)), cents(need))?;
    }
    Ok(())
}
