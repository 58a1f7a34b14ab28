//! The commands of `tcbill`; `main.rs` only parses arguments and wires Ctrl-C. Tests call
//! [`run`] directly.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io::Write;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use tencentcloud_billing::credentials::{CredentialsChain, ProfileProvider};
use tencentcloud_billing::datetime::{YearMonth, format_beijing, format_date, parse_date};
use tencentcloud_billing::files::Progress;
use tencentcloud_billing::money::{Cents, Decimal, Percent, Yuan};
use tencentcloud_billing::monitor::{
    AccountKind, AlertSink, BalanceMonitor, BalanceSnapshot, ChatFormat, ChatSink, Health, MonitorConfig, MonitorState,
    MonthCost, Observation, RunwayInput, SystemClock, WebhookSink,
};
use tencentcloud_billing::sandbox::Sandbox;
use tencentcloud_billing::sandbox::demo::{Demo, DemoHandle, Organization, Scenario};
use tencentcloud_billing::types::BillFileType;
use tencentcloud_billing::wait::Waiter;
use tencentcloud_billing::{BillingClient, BillingClientBuilder, Credentials, ProvideCredentials};
use time::{Date, OffsetDateTime};

/// Exit code for errors: bad arguments, credentials that are configured but broken, an
/// unreachable or failing API (0–2 are the health codes of `watch --once`).
pub const EXIT_ERROR: u8 = 3;
/// Exit code of `watch`, `serve` and `focus` when they could only use the demo account: no credentials
/// were found, so tcbill fell back to the sandbox without being asked (`--sandbox`). Never 0, so
/// that a cron job on a machine without credentials cannot read "healthy".
pub const EXIT_DEMO_DATA: u8 = 4;
/// Exit code after Ctrl-C.
pub const EXIT_INTERRUPTED: u8 = 130;

/// The exit codes, for `--help`.
const EXIT_CODES_HELP: &str = "\
Exit codes:
  0    success; for `watch --once`: healthy
  1    `watch --once`: low balance
  2    `watch --once`: overdue
  3    error: bad arguments, broken credentials, API unreachable or failing
  4    `watch`, `serve`, `focus`: no credentials found, only the demo account was there (not a real account)
  130  interrupted (Ctrl-C)

Credentials come from the default chain: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY,
then the profile file (TENCENTCLOUD_CREDENTIALS_FILE or ~/.tencentcloud/credentials), then the
CVM instance role, then TKE OIDC. Only when none is configured does tcbill use the built-in
sandbox with a demo account, and it says so on stderr; a source that is configured but broken
is an error (exit 3), never a fallback. --sandbox asks for the demo explicitly.

--profile NAME uses that profile of the profile file, and nothing else: a missing file or
profile is an error (exit 3). `watch` and `serve` take several, one account each. With
--sandbox, a profile names a demo account instead: healthy, low, overdue or credit.

Proxies come from the environment, as for curl: HTTPS_PROXY, HTTP_PROXY and ALL_PROXY (upper or
lower case), with NO_PROXY for exceptions; localhost is never proxied.";

/// The shortest `--interval`: polling faster serves nobody.
pub const MIN_INTERVAL: Duration = Duration::from_secs(1);
/// The longest `--interval` and `--debounce`. Far beyond any sensible setting, and far from the
/// point where adding it to a clock reading could overflow.
pub const MAX_DURATION: Duration = Duration::from_secs(30 * 86_400);

type BoxError = Box<dyn StdError + Send + Sync>;
/// A future that completes when the user asks to stop (Ctrl-C).
pub type Interrupt = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Tencent Cloud billing from the command line.
#[derive(Debug, Parser)]
#[command(
    name = "tcbill",
    version,
    about = "Tencent Cloud billing from the command line: balance, bill exports (CSV, NDJSON, FOCUS), cost summaries, monitoring and runway",
    after_help = EXIT_CODES_HELP
)]
pub struct Cli {
    /// Use the built-in sandbox with a demo account even when credentials are set (and let
    /// `watch --once` report the demo account's health as exit 0–2).
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// The demo account's situation in the sandbox: healthy, low, overdue or credit.
    #[arg(long, global = true, default_value = "healthy", value_name = "SCENARIO")]
    pub demo: Scenario,
    /// Use this profile of the profile file (`[NAME]`); repeat it for `watch` and `serve` to
    /// follow several accounts. With --sandbox, it names a demo account: healthy, low, overdue
    /// or credit.
    #[arg(long = "profile", global = true, value_name = "NAME")]
    pub profiles: Vec<String>,
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
        /// Export the organization's bills (every member's, with the member's UIN in
        /// `owner_uin`) through DescribeBillDetailForOrganization.
        #[arg(long)]
        org: bool,
    },
    /// Organizations: what the member accounts hold.
    Org {
        /// What to show.
        #[command(subcommand)]
        command: OrgCommand,
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
        /// How often to poll: 30s, 5m, 1h (1s to 30d).
        #[arg(long, default_value = "5m", value_parser = parse_interval)]
        interval: Duration,
        /// How long a change must last before it is reported (0s to 30d).
        #[arg(long, default_value = "5m", value_parser = parse_debounce)]
        debounce: Duration,
        /// POST events to this URL.
        #[arg(long, value_name = "URL")]
        webhook: Option<String>,
        /// The body the webhook gets: the event as JSON, or a text message for a chat robot.
        #[arg(long, value_enum, default_value_t = HookFormat::Json)]
        webhook_format: HookFormat,
        /// Check once and exit: 0 healthy, 1 low, 2 overdue, 3 could not check, 4 demo data only.
        #[arg(long)]
        once: bool,
    },
    /// Download a month's bill file: for large accounts (above about 200,000 bill rows a month)
    /// the files serve better than `bills`. Waits while Tencent generates the file.
    Download {
        /// The billing month (default: last month).
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<YearMonth>,
        /// Which file: L0 overview (billOverview, a PDF), L1 summary (billSummary), L2 per
        /// resource (billResource), L3 detail (billDetail), pack (billPack).
        #[arg(long = "type", value_enum, default_value_t = FileKind::L3)]
        kind: FileKind,
        /// The directory to write the file into (it must exist).
        #[arg(long, value_name = "DIR", default_value = ".")]
        out: PathBuf,
        /// How long to wait for the file to be generated (1s to 30d).
        #[arg(long, default_value = "10m", value_parser = parse_interval)]
        wait: Duration,
    },
    /// Serve the balance, the month's cost by product, the runway and the client's own traffic
    /// as Prometheus metrics on /metrics. Scrapes read the last poll; they never call the API.
    Serve {
        /// The address to serve /metrics on.
        #[arg(long, default_value = "127.0.0.1:9184", value_name = "ADDR:PORT")]
        listen: std::net::SocketAddr,
        /// How often to poll the balance and the month's cost: 30s, 5m, 1h (1s to 30d).
        #[arg(long, default_value = "60s", value_parser = parse_interval)]
        interval: Duration,
        /// The `account` label (default: the --profile name, else the UIN the API reports).
        #[arg(long, value_name = "NAME")]
        account: Option<String>,
    },
    /// Export bills as FOCUS 1.2 (the FinOps Open Cost and Usage Specification): a month to a
    /// Parquet or CSV file, or a range of months into a directory, one file per month. Streams
    /// page by page in bounded memory; Ctrl-C leaves a valid file of the pages fetched.
    Focus {
        /// The billing month (default: last month).
        #[arg(long, value_name = "YYYY-MM", conflicts_with = "months")]
        month: Option<YearMonth>,
        /// A range of months, both included, written as DIR/billing_period=YYYY-MM/part-0.parquet;
        /// a rerun skips the months already complete.
        #[arg(long, value_name = "YYYY-MM..YYYY-MM", value_parser = crate::focus::parse_month_range)]
        months: Option<crate::focus::MonthRange>,
        /// The file format (default: from the --out extension; Parquet for --months).
        #[arg(long, value_enum)]
        format: Option<crate::focus::FocusFormat>,
        /// The file to write (with --months: the directory).
        #[arg(long, value_name = "FILE|DIR")]
        out: PathBuf,
        /// Export the whole organization's bills (DescribeBillDetailForOrganization), with the
        /// member account in SubAccountId.
        #[arg(long)]
        org: bool,
        /// Rows per Parquet row group: what is held in memory before it is written.
        #[arg(long, value_name = "ROWS", default_value_t = tencentcloud_billing::focus::parquet::DEFAULT_ROW_GROUP_SIZE)]
        row_group_size: usize,
        /// Amortise into each month the prepaid charges (subscriptions) of this many months
        /// before it, fetched with PayMode=prePay (0 to 36; 0: only the month's own charges).
        #[arg(long, value_name = "MONTHS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(0..=36))]
        carry_months: u32,
        /// The FOCUS version written; 1.2 is the only one (1.0's column set was dropped).
        #[arg(long, value_name = "VERSION", default_value = "1.2", value_parser = ["1.2"])]
        spec: String,
    },
    /// Forecast when the balance runs out.
    Runway {
        /// Also say what top-up lasts through this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        until: Option<Date>,
    },
}

/// The subcommands of `org`.
#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// List every member account's balance, page by page.
    Balances {
        /// Print a JSON array (an object per member) instead of a table.
        #[arg(long)]
        json: bool,
        /// Members per request, 1 to 10 (the API's maximum, the default).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(i64).range(1..=10))]
        page_size: i64,
        /// Mark cash members whose available balance is below this amount, in yuan, as low.
        #[arg(long, value_name = "AMOUNT")]
        threshold: Option<Yuan>,
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

/// The bill files of `download`, by level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileKind {
    /// `billOverview`: the L0 overview, a PDF.
    #[value(name = "L0", alias = "l0")]
    L0,
    /// `billSummary`: the L1 summary.
    #[value(name = "L1", alias = "l1")]
    L1,
    /// `billResource`: the L2 bill per resource.
    #[value(name = "L2", alias = "l2")]
    L2,
    /// `billDetail`: the L3 detailed bill.
    #[value(name = "L3", alias = "l3")]
    L3,
    /// `billPack`: the bill package.
    #[value(name = "pack")]
    Pack,
}

impl FileKind {
    /// The `FileType` the API takes for this level.
    pub fn file_type(self) -> BillFileType {
        match self {
            FileKind::L0 => BillFileType::BillOverview,
            FileKind::L1 => BillFileType::BillSummary,
            FileKind::L2 => BillFileType::BillResource,
            FileKind::L3 => BillFileType::BillDetail,
            FileKind::Pack => BillFileType::BillPack,
        }
    }
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

/// `30s`, `5m`, `1h`, `1d`, or plain seconds, at most [`MAX_DURATION`].
///
/// Arithmetic is checked: a count of days too large for the clock is refused, not wrapped or
/// panicked on.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let shape = || format!("{s:?} is not a duration like 30s, 5m or 1h");
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let per_unit: u64 = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(shape()),
    };
    let too_long = || format!("{s:?} is too long: at most {}d", MAX_DURATION.as_secs() / 86_400);
    if num.is_empty() {
        return Err(shape());
    }
    // Only digits are left, so a parse failure means more than u64 can hold.
    let n: u64 = num.parse().map_err(|_| too_long())?;
    let secs = n.checked_mul(per_unit).ok_or_else(too_long)?;
    let d = Duration::from_secs(secs);
    if d > MAX_DURATION {
        return Err(too_long());
    }
    Ok(d)
}

/// A polling interval: a [`parse_duration`] of at least [`MIN_INTERVAL`].
pub fn parse_interval(s: &str) -> Result<Duration, String> {
    let d = parse_duration(s)?;
    if d < MIN_INTERVAL {
        return Err(format!("{:?} is too short: poll at most once a second (1s)", s.trim()));
    }
    Ok(d)
}

/// A debounce window: any [`parse_duration`], 0s included (report at once).
pub fn parse_debounce(s: &str) -> Result<Duration, String> {
    parse_duration(s)
}

fn parse_day(s: &str) -> Result<Date, String> {
    parse_date(s).map_err(|e| e.to_string())
}

/// Why tcbill is talking to the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SandboxUse {
    /// `--sandbox` was given: the demo account is what the user wants.
    Asked,
    /// No credential source is configured, so tcbill fell back to the demo account. Nothing it
    /// reports is about a real account, which `watch` says with [`EXIT_DEMO_DATA`].
    NoCredentials,
}

/// The client, and the sandbox behind it when one is used.
pub struct Connection {
    /// The client.
    pub client: BillingClient,
    /// The sandbox and its demo accounts, when used: kept alive as long as the connection.
    pub _sandbox: Option<(Sandbox, Vec<DemoHandle>)>,
    /// Whether and why the client talks to the sandbox.
    pub sandbox: Option<SandboxUse>,
}

/// One account tcbill talks to.
pub struct AccountClient {
    /// The `--profile` it comes from; `None` for the default credentials (or the demo).
    pub profile: Option<String>,
    /// Its client: one per account, so each has its own quota.
    pub client: BillingClient,
}

/// The clients of every account asked for, and the sandbox behind them when one is used.
pub struct Connections {
    /// One per `--profile`, in the order given; one when no `--profile` was given.
    pub accounts: Vec<AccountClient>,
    /// The sandbox and its demo accounts, when used: kept alive as long as the connections.
    pub _sandbox: Option<(Sandbox, Vec<DemoHandle>)>,
    /// Whether and why the clients talk to the sandbox.
    pub sandbox: Option<SandboxUse>,
}

/// The demo every sandbox account of tcbill serves: `scenario`, and the demo organization.
fn demo(scenario: Scenario) -> Demo {
    Demo::new().scenario(scenario).organization(Organization::demo())
}

/// Connect to Tencent Cloud with the default credential chain, or to a fresh sandbox.
///
/// The chain (environment, profile file, CVM role, TKE OIDC) is asked once here. Only its "not
/// found" answer, meaning no source is configured at all, leads to the sandbox. A source that is
/// configured but fails (a malformed profile file, a half-set environment, a CVM role the
/// metadata service refuses) is an error: falling back would report on a demo account as if it
/// were the user's.
pub async fn connect(cli: &Cli) -> Result<Connection, BoxError> {
    connect_with(cli, |b| b).await
}

/// [`connect`], with `configure` applied to the client builder (to add a hook, say), whichever
/// endpoint it ends up on. With one `--profile`, its account; with several, an error.
pub async fn connect_with(
    cli: &Cli,
    configure: impl FnOnce(BillingClientBuilder) -> BillingClientBuilder,
) -> Result<Connection, BoxError> {
    if cli.profiles.len() > 1 {
        return Err(several_profiles().into());
    }
    // One account, so `configure` runs once.
    let configure = std::cell::Cell::new(Some(configure));
    let c = connect_accounts(cli, |_, b| match configure.take() {
        Some(f) => f(b),
        None => b,
    })
    .await?;
    let Some(first) = c.accounts.into_iter().next() else { return Err("no account to connect to".into()) };
    Ok(Connection { client: first.client, _sandbox: c._sandbox, sandbox: c.sandbox })
}

fn several_profiles() -> String {
    "only `watch` and `serve` follow several accounts: give one --profile".to_owned()
}

/// Connect to every account asked for: one client per `--profile` (each from that profile of
/// the profile file, never from anywhere else), or, without `--profile`, [`connect`]'s one
/// client. `configure` gets the profile's name and the builder.
///
/// With `--sandbox`, each profile names a demo account of one sandbox: `healthy`, `low`,
/// `overdue` or `credit` (the scenario it starts from). Each has its own keys, bills (its own
/// seed), balance and quota, so several clients really are several accounts. Any other name is
/// an error.
pub async fn connect_accounts(
    cli: &Cli,
    configure: impl Fn(Option<&str>, BillingClientBuilder) -> BillingClientBuilder,
) -> Result<Connections, BoxError> {
    for (i, name) in cli.profiles.iter().enumerate() {
        if cli.profiles[..i].contains(name) {
            return Err(format!("--profile {name} is given twice").into());
        }
    }
    if cli.profiles.is_empty() {
        return connect_default(cli, |b| configure(None, b)).await;
    }
    if cli.sandbox {
        let sandbox = Sandbox::start().await?;
        let mut handles = Vec::new();
        let mut accounts = Vec::new();
        for (i, name) in cli.profiles.iter().enumerate() {
            let scenario: Scenario = name.parse().map_err(|_| {
                format!("--profile {name:?}: with --sandbox, a profile names a demo account: healthy, low, overdue or credit")
            })?;
            let (id, key) = (format!("AKIDSANDBOX{}", name.to_ascii_uppercase()), format!("sandbox-{name}-key"));
            let seed = 20180709 + i as u64 + 1;
            handles.push(sandbox.add_demo_account(&id, &key, demo(scenario).seed(seed)));
            let builder = sandbox.client_builder().credentials(Credentials::new(id, key));
            accounts
                .push(AccountClient { profile: Some(name.clone()), client: configure(Some(name), builder).build()? });
        }
        eprintln!(
            "tcbill: --sandbox: using the built-in sandbox at {} with the demo accounts {}",
            sandbox.endpoint(),
            cli.profiles.join(", ")
        );
        return Ok(Connections { accounts, _sandbox: Some((sandbox, handles)), sandbox: Some(SandboxUse::Asked) });
    }
    let mut accounts = Vec::new();
    for name in &cli.profiles {
        let provider = ProfileProvider::builder().profile(name.clone()).build();
        if let Err(e) = provider.provide_credentials().await {
            return Err(format!("--profile {name}: {}; not falling back to anything else", chain_text(&e)).into());
        }
        // The region and endpoint variables still apply; the profile's keys sign every request.
        let builder = BillingClientBuilder::from_env().credentials_provider(provider);
        accounts.push(AccountClient { profile: Some(name.clone()), client: configure(Some(name), builder).build()? });
    }
    Ok(Connections { accounts, _sandbox: None, sandbox: None })
}

/// The default chain, or the sandbox's default demo account: one account.
async fn connect_default(
    cli: &Cli,
    configure: impl FnOnce(BillingClientBuilder) -> BillingClientBuilder,
) -> Result<Connections, BoxError> {
    let not_found = if cli.sandbox {
        None
    } else {
        let chain = CredentialsChain::default_chain();
        match chain.provide_credentials().await {
            Ok(_) => {
                // The region and endpoint variables still apply; the chain (which sticks to the
                // source it found) signs every request.
                let client = configure(BillingClientBuilder::from_env().credentials_provider(chain)).build()?;
                let accounts = vec![AccountClient { profile: None, client }];
                return Ok(Connections { accounts, _sandbox: None, sandbox: None });
            }
            Err(tencentcloud_billing::Error::Credentials(e)) if e.is_not_found() => Some(e.message),
            Err(e) => {
                return Err(format!(
                    "{}; not falling back to the demo sandbox: fix the credentials, or pass --sandbox for the demo",
                    chain_text(&e)
                )
                .into());
            }
        }
    };
    let sandbox = Sandbox::start().await?;
    let demo = sandbox.install_demo(demo(cli.demo));
    let client = configure(sandbox.client_builder()).build()?;
    let used = match not_found {
        None => {
            eprintln!(
                "tcbill: --sandbox: using the built-in sandbox at {} with a demo account ({} scenario)",
                sandbox.endpoint(),
                cli.demo.as_str(),
            );
            SandboxUse::Asked
        }
        Some(tried) => {
            eprintln!(
                "tcbill: DEMO DATA, NOT A REAL ACCOUNT: {tried}; using the built-in sandbox at {} with a demo \
                 account ({} scenario). Configure credentials, or pass --sandbox to ask for the demo.",
                sandbox.endpoint(),
                cli.demo.as_str(),
            );
            SandboxUse::NoCredentials
        }
    };
    let accounts = vec![AccountClient { profile: None, client }];
    Ok(Connections { accounts, _sandbox: Some((sandbox, vec![demo])), sandbox: Some(used) })
}

/// Run one command; returns the exit code.
pub async fn run(cli: Cli, out: &mut dyn Write, interrupt: Interrupt) -> u8 {
    let several = cli.profiles.len() > 1;
    if several && !matches!(cli.command, Command::Watch { .. } | Command::Serve { .. }) {
        eprintln!("tcbill: {}", several_profiles());
        return EXIT_ERROR;
    }
    // `serve` counts the client's own requests through a hook, which goes on before the build;
    // with several accounts, each client's under its own `account` label.
    let metrics = matches!(cli.command, Command::Serve { .. }).then(crate::serve::ClientMetrics::new);
    let conns = match connect_accounts(&cli, |name, b| match (&metrics, name) {
        (Some(m), Some(name)) if several => b.hook(m.for_account(name)),
        (Some(m), _) => b.hook(m.clone()),
        (None, _) => b,
    })
    .await
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("tcbill: {}", chain_text(&*e));
            return EXIT_ERROR;
        }
    };
    let Some(first) = conns.accounts.first() else {
        eprintln!("tcbill: no account to connect to");
        return EXIT_ERROR;
    };
    let client = &first.client;
    let result = match cli.command {
        Command::Balance { json } => balance(client, json, out).await.map(|()| 0),
        Command::Bills { month, format, out: file, org } => {
            let month = month.unwrap_or_else(|| YearMonth::current_beijing().previous());
            let source = if org { crate::export::Source::Organization } else { crate::export::Source::Account };
            crate::export::export_from(client, source, month, format, file.as_deref(), out, interrupt).await.map(
                |done| {
                    eprintln!(
                        "tcbill: {} rows in {} pages{}",
                        done.rows,
                        done.pages,
                        if done.interrupted { " (interrupted)" } else { "" }
                    );
                    if done.interrupted { EXIT_INTERRUPTED } else { 0 }
                },
            )
        }
        Command::Org { command: OrgCommand::Balances { json, page_size, threshold } } => {
            crate::org::balances(client, json, page_size, threshold, out).await.map(|()| 0)
        }
        Command::Summary { month, by, tag_key, chart } => {
            let month = month.unwrap_or_else(|| YearMonth::current_beijing().previous());
            summary(client, month, by, tag_key.as_deref(), chart.as_deref(), out).await.map(|()| 0)
        }
        Command::Watch { threshold, margin, interval, debounce, webhook, webhook_format, once } if several => {
            match watch_config(threshold, margin, debounce) {
                Err(e) => Err(e),
                Ok(config) if once => {
                    watch_once_accounts(&conns.accounts, &config, webhook.as_deref(), webhook_format, out).await
                }
                Ok(config) => watch_accounts(
                    &conns.accounts,
                    config,
                    interval,
                    webhook.as_deref(),
                    webhook_format,
                    out,
                    interrupt,
                )
                .await
                .map(|()| 0),
            }
        }
        Command::Watch { threshold, margin, interval, debounce, webhook, webhook_format, once } => {
            let demo_only = conns.sandbox == Some(SandboxUse::NoCredentials);
            match (watch_config(threshold, margin, debounce), sink(webhook.as_deref(), webhook_format, None)) {
                (Err(e), _) | (_, Err(e)) => Err(e),
                (Ok(config), Ok(sink)) if once && demo_only => {
                    // The demo account's health says nothing about any real account: show it, but
                    // exit with a code no script can take for "healthy", and alert nobody.
                    watch_once(client, &config, None, out).await.map(|_| {
                        if sink.is_some() {
                            eprintln!("tcbill: the webhook was not called: these are demo data");
                        }
                        eprintln!(
                            "tcbill: exit {EXIT_DEMO_DATA}: only the demo account was checked (no credentials found)"
                        );
                        EXIT_DEMO_DATA
                    })
                }
                (Ok(config), Ok(sink)) if once => watch_once(client, &config, sink.as_deref(), out).await,
                (Ok(_), Ok(_)) if demo_only => {
                    Ok(refuse_demo("watch the demo account as if it were a real one", "watch"))
                }
                (Ok(config), Ok(sink)) => watch(client, config, interval, sink, out, interrupt).await.map(|()| 0),
            }
        }
        Command::Runway { until } => runway(client, until, out).await.map(|()| 0),
        Command::Focus { month, months, format, out: path, org, row_group_size, carry_months, spec: _ } => {
            if conns.sandbox == Some(SandboxUse::NoCredentials) {
                // A FOCUS file is loaded into cost tools as the account's bills: never the demo's.
                Ok(refuse_demo("export the demo account's bills as if they were real", "export"))
            } else {
                let args =
                    crate::focus::FocusArgs { month, months, format, out: path, org, row_group_size, carry_months };
                crate::focus::run(client, args, interrupt).await
            }
        }
        Command::Download { month, kind, out: dir, wait } => {
            let month = month.unwrap_or_else(|| YearMonth::current_beijing().previous());
            download(client, month, kind, &dir, wait).await.map(|()| 0)
        }
        Command::Serve { listen, interval, account } => {
            if conns.sandbox == Some(SandboxUse::NoCredentials) {
                // As with `watch`: metrics of the demo account would page someone about nothing.
                Ok(refuse_demo("export the demo account as if it were a real one", "export"))
            } else if several && account.is_some() {
                Err("--account labels one account; with several --profile, each is labelled by its profile name".into())
            } else {
                let metrics = metrics.unwrap_or_default();
                let exporter = if several {
                    let accounts = conns
                        .accounts
                        .iter()
                        .map(|a| (a.profile.clone().unwrap_or_default(), a.client.clone()))
                        .collect();
                    crate::serve::Exporter::accounts(accounts, metrics, SystemClock)
                } else {
                    // One account: --account, else the profile's name, else the UIN.
                    let label = account.or_else(|| first.profile.clone());
                    crate::serve::Exporter::new(client.clone(), metrics, SystemClock, label)
                };
                serve(exporter, listen, interval, out, interrupt).await
            }
        }
    };
    let _ = out.flush();
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tcbill: {}", chain_text(&*e));
            EXIT_ERROR
        }
    }
}

/// Say why a command that would pass the demo account off as a real one does not run (no
/// credentials were found); returns [`EXIT_DEMO_DATA`].
fn refuse_demo(what: &str, verb: &str) -> u8 {
    eprintln!(
        "tcbill: refusing to {what} (no credentials found); configure credentials, or pass --sandbox to {verb} the demo"
    );
    EXIT_DEMO_DATA
}

/// An error and its causes on one line.
pub fn chain_text(e: &(dyn StdError + 'static)) -> String {
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

/// An amount too large to add up: more than the 28 digits an exact decimal holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountOverflow {
    /// What was being added up.
    pub what: String,
}

impl fmt::Display for AmountOverflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} adds up to more than 28 digits: the amounts cannot be right, so no total is shown", self.what)
    }
}

impl StdError for AmountOverflow {}

/// The sum of `amounts`, or [`AmountOverflow`] naming `what`. Each decoded amount is below
/// 10^26, but a few hundred of them can pass the decimal type's limit, where `+` would panic.
pub fn checked_total(
    amounts: impl IntoIterator<Item = Yuan>,
    what: impl FnOnce() -> String,
) -> Result<Yuan, AmountOverflow> {
    Yuan::checked_sum(amounts).ok_or_else(|| AmountOverflow { what: what() })
}

/// Print a breakdown as a table with its total.
///
/// # Errors
/// [`AmountOverflow`] when the groups cannot be totalled (checked before anything is written),
/// or the writer's error.
pub fn write_summary(out: &mut dyn Write, month: YearMonth, by: GroupBy, groups: &[Group]) -> Result<(), BoxError> {
    let total = checked_total(groups.iter().map(|g| g.cost), || format!("the cost by {} for {month}", dimension(by)))?;
    let width = groups.iter().map(|g| g.name.chars().count()).max().unwrap_or(0).max(8);
    writeln!(out, "Cost by {} for {month}, after discounts", dimension(by))?;
    writeln!(out, "  {:<width$}  {:>14}  {:>8}  {:>14}  {:>12}", dimension(by), "cost", "share", "cash", "vouchers")?;
    for g in groups {
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
    Ok(())
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
    write_summary(out, month, by, &groups)?;
    if let Some(path) = chart {
        let title = format!("Cost by {} for {month} (after discounts)", dimension(by));
        crate::chart::render(path, &title, &groups)?;
        eprintln!("tcbill: chart written to {}", path.display());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------

/// Download a bill file into `dir`, reporting progress on stderr: the polls while it is not ready,
/// then the bytes (every 10% when the size is known, every 16 MiB otherwise).
async fn download(
    client: &BillingClient,
    month: YearMonth,
    kind: FileKind,
    dir: &std::path::Path,
    wait: Duration,
) -> Result<(), BoxError> {
    if !dir.is_dir() {
        return Err(format!("--out {} is not a directory", dir.display()).into());
    }
    let file_type = kind.file_type();
    eprintln!("tcbill: asking for the {file_type} file of {month}");
    let shown = std::sync::atomic::AtomicU64::new(0);
    let file = client
        .download_bill(file_type, month, dir)
        .wait(Waiter::new(wait))
        .on_progress(move |p| match p {
            Progress::NotReady { polls } => eprintln!("tcbill: not ready yet ({polls} polls); waiting"),
            Progress::Started { total: Some(t) } => eprintln!("tcbill: downloading {t} bytes"),
            Progress::Started { total: None } => eprintln!("tcbill: downloading (size not announced)"),
            Progress::Written { bytes, total } => {
                let step = match total {
                    Some(t) => (t / 10).max(1),
                    None => 16 << 20,
                };
                let last = shown.load(std::sync::atomic::Ordering::Relaxed);
                if bytes / step > last / step {
                    shown.store(bytes, std::sync::atomic::Ordering::Relaxed);
                    match total {
                        Some(t) => eprintln!("tcbill: {bytes}/{t} bytes ({}%)", bytes.saturating_mul(100) / t.max(1)),
                        None => eprintln!("tcbill: {bytes} bytes"),
                    }
                }
            }
            _ => {}
        })
        .send()
        .await?;
    eprintln!("tcbill: wrote {} bytes to {}", file.bytes, file.path.display());
    Ok(())
}

/// The monitor's settings from the flags. Amounts parsed from text are below 10^26, so the
/// conversion to cents cannot fail today; it is checked all the same rather than trusted.
fn watch_config(threshold: Yuan, margin: Option<Yuan>, debounce: Duration) -> Result<MonitorConfig, BoxError> {
    let to_cents = |y: Yuan, flag: &str| y.checked_to_cents().ok_or_else(|| format!("{flag} {y} is too large"));
    let mut config = MonitorConfig::new(to_cents(threshold, "--threshold")?).debounce(debounce);
    if let Some(m) = margin {
        config = config.margin(to_cents(m, "--margin")?);
    }
    Ok(config)
}

/// The webhook sink, if a URL was given; with an account name (several accounts), the JSON
/// body gets an `account` field and chat messages start with the name.
fn sink(url: Option<&str>, format: HookFormat, account: Option<&str>) -> Result<Option<Box<dyn AlertSink>>, BoxError> {
    let Some(url) = url else { return Ok(None) };
    let chat = |f| -> Result<Option<Box<dyn AlertSink>>, BoxError> {
        let sink = ChatSink::new(url, f)?;
        Ok(Some(Box::new(match account {
            Some(a) => sink.label(format!("Tencent Cloud billing, {a}")),
            None => sink,
        })))
    };
    match format {
        HookFormat::Json => {
            let sink = WebhookSink::new(url)?;
            Ok(Some(Box::new(match account {
                Some(a) => sink.account(a),
                None => sink,
            })))
        }
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
        eprintln!("tcbill: webhook: {}", chain_text(&e));
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
        config.threshold().checked_add(config.hysteresis_margin()).map_or_else(|| "-".to_owned(), cents),
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

/// The name an account goes by in `watch`'s output.
fn account_name(a: &AccountClient) -> &str {
    a.profile.as_deref().unwrap_or("default")
}

/// `watch --once` over several accounts, one after the other, each line prefixed with the
/// account's name. The exit code is the worst account's: 3 when one could not be checked, else
/// 2 when one is overdue, else 1 when one is low, else 0.
async fn watch_once_accounts(
    accounts: &[AccountClient],
    config: &MonitorConfig,
    webhook: Option<&str>,
    format: HookFormat,
    out: &mut dyn Write,
) -> Result<u8, BoxError> {
    let mut worst = 0;
    for a in accounts {
        let name = account_name(a);
        let sink = sink(webhook, format, Some(name))?;
        let mut text = Vec::new();
        let code = match watch_once(&a.client, config, sink.as_deref(), &mut text).await {
            Ok(code) => code,
            Err(e) => {
                eprintln!("tcbill: {name}: {}", chain_text(&*e));
                EXIT_ERROR
            }
        };
        for line in String::from_utf8_lossy(&text).lines() {
            writeln!(out, "[{name}] {line}")?;
        }
        worst = worst.max(code);
    }
    Ok(worst)
}

/// `watch` over several accounts: one monitor (and client, and quota) per account, the events
/// of all of them as they come, each line naming its account.
async fn watch_accounts(
    accounts: &[AccountClient],
    config: MonitorConfig,
    interval: Duration,
    webhook: Option<&str>,
    format: HookFormat,
    out: &mut dyn Write,
    mut interrupt: Interrupt,
) -> Result<(), BoxError> {
    let names: Vec<&str> = accounts.iter().map(account_name).collect();
    writeln!(
        out,
        "watching {} every {}s: alert below {}, re-arm above {}, changes must last {}s; Ctrl-C to stop",
        names.join(", "),
        interval.as_secs(),
        cents(config.threshold()),
        config.threshold().checked_add(config.hysteresis_margin()).map_or_else(|| "-".to_owned(), cents),
        config.debounce_window().as_secs(),
    )?;
    out.flush()?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut tasks = tokio::task::JoinSet::new();
    let mut sinks = Vec::new();
    for (i, a) in accounts.iter().enumerate() {
        sinks.push(sink(webhook, format, Some(names[i]))?);
        let mut events =
            BalanceMonitor::builder(a.client.clone(), config.clone()).interval(interval).build().into_events();
        let tx = tx.clone();
        tasks.spawn(async move {
            while let Some(e) = events.next().await {
                if tx.send((i, e)).is_err() {
                    return;
                }
            }
        });
    }
    drop(tx);
    loop {
        tokio::select! {
            e = rx.recv() => {
                let Some((i, e)) = e else { return Ok(()) };
                writeln!(out, "{}  {:<12} {:<16} {e}", format_beijing(e.at()), names[i], e.name())?;
                out.flush()?;
                deliver(sinks[i].as_deref(), &e).await;
            }
            () = &mut interrupt => return Ok(()),
        }
    }
}

// ---------------------------------------------------------------------------------------------

async fn serve(
    exporter: crate::serve::Exporter,
    listen: std::net::SocketAddr,
    interval: Duration,
    out: &mut dyn Write,
    interrupt: Interrupt,
) -> Result<u8, BoxError> {
    let listener =
        tokio::net::TcpListener::bind(listen).await.map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    crate::serve::run(exporter, listener, interval, out, interrupt).await.map(|()| 0)
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

#[cfg(test)]
pub(crate) mod tests {
    //! Unit and property tests, run as the library's own tests (`cargo test -p tcbill`).

    use proptest::prelude::*;

    use super::*;

    /// The largest magnitude the decoder accepts is just below 10^26: 26 nines.
    pub(crate) const AT_THE_BOUND: &str = "99999999999999999999999999";

    /// Amounts as they arrive on the wire and pass the decoder: ordinary ones, ones near the
    /// 10^26 bound, and the bound itself, with either sign.
    pub(crate) fn decoded_amount_text() -> impl Strategy<Value = String> {
        prop_oneof!["-?[0-9]{1,12}(\\.[0-9]{1,8})?", "-?[1-9][0-9]{25}(\\.[0-9]{1,2})?", "-?9{26}(\\.99)?",]
    }

    /// A decoded amount, parsed the way the decoder parses the wire's strings.
    pub(crate) fn decoded_amount() -> impl Strategy<Value = Yuan> {
        decoded_amount_text().prop_map(|t| t.parse::<Yuan>().expect("within the decoder's bound"))
    }

    /// Enough amounts at the bound, all of one sign, that their sum overflows (from 792 on) or
    /// comes close.
    pub(crate) fn many_at_the_bound() -> impl Strategy<Value = Vec<Yuan>> {
        (any::<bool>(), 700usize..900).prop_map(|(negative, n)| {
            let y: Yuan = AT_THE_BOUND.parse().unwrap();
            vec![if negative { -y } else { y }; n]
        })
    }

    /// The exact sum, or `None` past the decimal type's range, computed independently.
    pub(crate) fn reference_sum(amounts: &[Yuan]) -> Option<Decimal> {
        amounts.iter().try_fold(Decimal::ZERO, |a, y| a.checked_add(y.amount()))
    }

    fn group(name: String, cost: Yuan, cash: Yuan, voucher: Yuan) -> Group {
        Group { name, cost, share: None, cash, voucher }
    }

    pub(crate) fn groups() -> impl Strategy<Value = Vec<Group>> {
        prop_oneof![
            prop::collection::vec(
                ("\\PC{0,12}", decoded_amount(), decoded_amount(), decoded_amount())
                    .prop_map(|(n, c, cash, v)| group(n, c, cash, v)),
                0..40
            ),
            many_at_the_bound().prop_map(|costs| {
                costs.into_iter().enumerate().map(|(i, c)| group(format!("g{i}"), c, c, -c)).collect()
            }),
        ]
    }

    #[test]
    fn money_never_panics_at_the_decimal_limits() {
        assert_eq!(money(Yuan::new(Decimal::MAX)), Decimal::MAX.to_string());
        assert_eq!(money(Yuan::new(Decimal::MIN)), Decimal::MIN.to_string());
        assert_eq!(money(AT_THE_BOUND.parse().unwrap()), format!("{AT_THE_BOUND}.00"));
        assert_eq!(money("-12.505".parse().unwrap()), "-12.51");
        assert_eq!(money("-12.5".parse().unwrap()), "-12.50");
    }

    #[test]
    fn a_total_past_28_digits_is_an_error_not_a_panic() {
        let at_bound: Yuan = AT_THE_BOUND.parse().unwrap();
        let groups: Vec<Group> = (0..800).map(|i| group(format!("g{i}"), at_bound, at_bound, at_bound)).collect();
        let mut out = Vec::new();
        let month: YearMonth = "2026-10".parse().unwrap();
        let e = write_summary(&mut out, month, GroupBy::Product, &groups).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the cost by product for 2026-10 adds up to more than 28 digits: the amounts cannot be right, so no \
             total is shown"
        );
        assert!(out.is_empty(), "nothing half-written");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn summary_never_panics_on_extreme_amounts(groups in groups()) {
            let month: YearMonth = "2026-10".parse().unwrap();
            let mut out = Vec::new();
            let costs: Vec<Yuan> = groups.iter().map(|g| g.cost).collect();
            match (write_summary(&mut out, month, GroupBy::Region, &groups), reference_sum(&costs)) {
                (Ok(()), Some(sum)) => {
                    let text = String::from_utf8(out).unwrap();
                    let last = text.lines().last().unwrap().split_whitespace().last().unwrap().to_owned();
                    prop_assert_eq!(last, money(Yuan::new(sum)));
                }
                (Err(e), None) => prop_assert!(e.downcast_ref::<AmountOverflow>().is_some(), "{}", e),
                (got, want) => prop_assert!(false, "{:?} but the sum is {:?}", got.map_err(|e| e.to_string()), want),
            }
        }

        #[test]
        fn money_never_panics(y in decoded_amount(), m in any::<i128>(), scale in 0u32..=28) {
            let text = money(y);
            prop_assert_eq!(text.parse::<Decimal>().unwrap(),
                y.amount().round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero));
            // Any decimal at all, beyond what the decoder accepts.
            let max: i128 = 79_228_162_514_264_337_593_543_950_335; // Decimal::MAX's mantissa
            let _ = money(Yuan::new(Decimal::from_i128_with_scale(m.clamp(-max, max), scale)));
        }
    }
}
