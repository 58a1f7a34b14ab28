//! The command line: clap's definitions of the flags and subcommands, nothing else. Running them
//! is [`crate::run`]'s job.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};
use tencentcloud_billing::datetime::{YearMonth, parse_date};
use tencentcloud_billing::money::Yuan;
use tencentcloud_billing::sandbox::demo::Scenario;
use time::Date;

use crate::commands::bills::Format;
use crate::commands::download::FileKind;
use crate::commands::focus::s3::S3Flags;
use crate::commands::focus::{FocusFormat, MonthRange, parse_month_range};
use crate::commands::summary::GroupBy;
use crate::commands::watch::HookFormat;
use crate::duration::{parse_debounce, parse_interval};

/// The exit codes, for `--help`.
const EXIT_CODES_HELP: &str = "\
Exit codes:
  0    success; for `watch --once`: healthy
  1    `watch --once`: low balance
  2    `watch --once`: overdue
  3    error: bad arguments, broken credentials, API unreachable or failing
  4    no credentials found and no --sandbox: refused, nothing fetched, printed or written
  130  interrupted (Ctrl-C)

Credentials come from the default chain: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY,
then the profile file (TENCENTCLOUD_CREDENTIALS_FILE or ~/.tencentcloud/credentials), then the
CVM instance role, then TKE OIDC. Every command fails closed: when none is configured, it
refuses with exit 4 before it prints a figure or writes a file; it never falls back to demo
data. A source that is configured but broken is an error (exit 3). --sandbox asks for the
built-in sandbox with a demo account (--demo picks its situation); only then are demo data shown.

--profile NAME uses that profile of the profile file, and nothing else: a missing file or
profile is an error (exit 3). `watch` and `serve` take several, one account each. With
--sandbox, a profile names a demo account instead: healthy, low, overdue or credit.

Proxies come from the environment, as for curl: HTTPS_PROXY, HTTP_PROXY and ALL_PROXY (upper or
lower case), with NO_PROXY for exceptions; localhost is never proxied.";

/// Tencent Cloud billing from the command line.
#[derive(Debug, Parser)]
#[command(
    name = "tcbill",
    version,
    about = "Tencent Cloud billing from the command line: balance, bill exports (CSV, NDJSON, FOCUS), cost summaries, monitoring and runway",
    after_help = EXIT_CODES_HELP
)]
pub struct Cli {
    /// Use the built-in sandbox with a demo account, whatever credentials are set. Without it, no
    /// command ever shows demo data: no credentials means exit 4.
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
        /// Check once and exit: 0 healthy, 1 low, 2 overdue, 3 could not check, 4 no credentials.
        #[arg(long)]
        once: bool,
        /// With several --profile, how many accounts are polled at the same time (1 to 1024).
        #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=1024))]
        concurrency: u16,
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
        /// End the whole job, waiting included, after this long (1s to 30d; default: no deadline).
        #[arg(long, value_parser = parse_interval)]
        deadline: Option<Duration>,
        /// The slowest transfer kept going, in bytes per second averaged over each minute; a
        /// slower host is stopped like a silent one (0: only a silent minute stops it).
        #[arg(long, value_name = "BYTES_PER_SEC", default_value_t = tencentcloud_billing::files::DEFAULT_MIN_RATE)]
        min_rate: u64,
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
        /// With several --profile, how many accounts are polled at the same time (1 to 1024).
        #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=1024))]
        concurrency: u16,
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
        #[arg(long, value_name = "YYYY-MM..YYYY-MM", value_parser = parse_month_range)]
        months: Option<MonthRange>,
        /// The file format (default: from the --out extension; Parquet for --months).
        #[arg(long, value_enum)]
        format: Option<FocusFormat>,
        /// The file to write (with --months: the directory), or s3://bucket/prefix/ for object
        /// storage (COS, S3, MinIO), always in the --months layout, with credentials from
        /// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
        #[arg(long, value_name = "FILE|DIR|s3://BUCKET/PREFIX/")]
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
        /// Object storage: the endpoint, region and addressing for --out s3://.
        #[command(flatten)]
        s3: S3Flags,
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

fn parse_day(s: &str) -> Result<Date, String> {
    parse_date(s).map_err(|e| e.to_string())
}
