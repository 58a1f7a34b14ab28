//! `tcbill focus`: bills as FOCUS 1.2 files (Parquet or CSV), a month or a range of months.
//!
//! The month is streamed page by page through the library's paginator, at the action's quota,
//! and each page is mapped and handed to the library's writer before the next is fetched, so
//! memory stays bounded (a page, plus one Parquet row group). Ctrl-C stops the walk between
//! pages and the writer is finished: the file holds every row of the pages fetched, with a valid
//! Parquet footer.
//!
//! A range (`--months 2025-06..2026-10 --out DIR`) writes one file per month, partitioned the way
//! DuckDB, Spark and pandas read with hive partitioning:
//! `DIR/billing_period=2025-06/part-0.parquet`. A month is written under a temporary name
//! (`part-0.parquet.partial`) and renamed only once complete, so a rerun skips the months that
//! have their file and redoes the others.
//!
//! `--out s3://bucket/prefix/` writes the same layout to object storage ([`s3`]).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tencentcloud_billing::BillingClient;
use tencentcloud_billing::datetime::YearMonth;
use tencentcloud_billing::focus::csv::CsvWriter;
use tencentcloud_billing::focus::parquet::ParquetWriter;
use tencentcloud_billing::focus::{FocusMapper, FocusRow, MapError, WriteError, is_prepaid};
use tencentcloud_billing::types::{BillDetail, PayMode};

use crate::exit::EXIT_INTERRUPTED;
use crate::interrupt::Interrupt;
use crate::pages::{Page, Pages};

pub mod s3;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The most months one `--months` range may hold: ten years.
pub const MAX_MONTHS: usize = 120;

/// The file formats of `focus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FocusFormat {
    /// Apache Parquet: typed columns, exact decimals, compressed.
    Parquet,
    /// CSV with a header line.
    Csv,
}

impl FocusFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            FocusFormat::Parquet => "parquet",
            FocusFormat::Csv => "csv",
        }
    }

    /// The format a file name implies by its extension.
    pub fn from_path(path: &Path) -> Option<FocusFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "parquet" => Some(FocusFormat::Parquet),
            "csv" => Some(FocusFormat::Csv),
            _ => None,
        }
    }
}

/// An inclusive range of months, `2025-06..2026-10`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthRange {
    /// The first month.
    pub first: YearMonth,
    /// The last month (included).
    pub last: YearMonth,
}

impl MonthRange {
    /// The months, in order.
    pub fn months(&self) -> Vec<YearMonth> {
        let mut out = vec![self.first];
        while out.len() < MAX_MONTHS && *out.last().unwrap_or(&self.last) < self.last {
            // Below `last`, so a next month exists.
            let Some(next) = out[out.len() - 1].next() else { break };
            out.push(next);
        }
        out
    }
}

/// Parse `YYYY-MM..YYYY-MM` (inclusive), at most [`MAX_MONTHS`] months, first not after last.
pub fn parse_month_range(s: &str) -> Result<MonthRange, String> {
    let (a, b) = s.split_once("..").ok_or_else(|| format!("{s:?} is not a range like 2025-06..2026-10"))?;
    let first: YearMonth = a.trim().parse().map_err(|e| format!("{a:?}: {e}"))?;
    let last: YearMonth = b.trim().parse().map_err(|e| format!("{b:?}: {e}"))?;
    if first > last {
        return Err(format!("{s:?} ends before it starts"));
    }
    let count = (last.year() - first.year()) * 12 + (last.month() as i32 - first.month() as i32) + 1;
    if count as usize > MAX_MONTHS {
        return Err(format!("{s:?} holds {count} months; at most {MAX_MONTHS} at a time"));
    }
    Ok(MonthRange { first, last })
}

/// What to export, from the command line.
#[derive(Debug, Clone)]
pub struct FocusJob {
    /// Through `DescribeBillDetailForOrganization` (every member account) instead of
    /// `DescribeBillDetail`.
    pub org: bool,
    /// The file format.
    pub format: FocusFormat,
    /// Rows per Parquet row group.
    pub row_group_size: usize,
    /// How many earlier months' prepaid charges are amortised into each month (0: none).
    /// Account exports only: organization rows carry their own month's share, but the mapper
    /// takes account rows to carry forward.
    pub carry_months: u32,
}

/// How one month's export ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthDone {
    /// The month.
    pub month: YearMonth,
    /// FOCUS rows written.
    pub rows: u64,
    /// Bill rows read from the month's pages (a bill row gives one FOCUS row per component, and
    /// more for tax and amortisation).
    pub bill_rows: u64,
    /// FOCUS rows that amortise earlier months' prepaid charges into this one.
    pub carried: u64,
    /// Pages fetched.
    pub pages: u64,
    /// Whether Ctrl-C stopped it.
    pub interrupted: bool,
}

/// The prepaid rows of earlier months, kept to amortise their cost into later ones: a month's
/// FOCUS file carries the share of every subscription bought in the `carry_months` before it
/// whose period reaches into it. Only prepaid rows are kept (a few per hundred bill rows), for at
/// most `carry_months` months, so memory stays bounded.
#[derive(Debug, Default)]
pub struct Carry {
    months: std::collections::BTreeMap<YearMonth, Vec<BillDetail>>,
}

impl Carry {
    /// Fetch (prepaid rows only, `PayMode=prePay`) the months of the window before `month` that
    /// are not held yet, and forget the months before the window.
    async fn fill(
        &mut self,
        client: &BillingClient,
        month: YearMonth,
        carry_months: u32,
    ) -> Result<(), tencentcloud_billing::Error> {
        let mut first = month;
        for _ in 0..carry_months {
            first = first.previous();
        }
        self.months.retain(|m, _| *m >= first && *m < month);
        let mut m = first;
        while m < month {
            if let std::collections::btree_map::Entry::Vacant(slot) = self.months.entry(m) {
                let rows = client
                    .describe_bill_detail()
                    .month(m)
                    .limit(300)
                    .pay_mode(PayMode::PrePay)
                    .into_paginator()
                    .items()
                    .try_collect()
                    .await?;
                slot.insert(rows.into_iter().filter(is_prepaid).collect());
            }
            // Below `month`, so a next month exists.
            let Some(next) = m.next() else { break };
            m = next;
        }
        Ok(())
    }

    /// Keep `month`'s prepaid rows, for the months after it.
    fn keep(&mut self, month: YearMonth, rows: &[BillDetail]) {
        self.months.entry(month).or_default().extend(rows.iter().filter(|r| is_prepaid(r)).cloned());
    }

    /// The rows held for months before `month`.
    fn before(&self, month: YearMonth) -> impl Iterator<Item = &BillDetail> {
        self.months.range(..month).flat_map(|(_, rows)| rows)
    }
}

/// The library's writers behind one face.
enum Sink<W: Write + Send> {
    Csv(CsvWriter<W>),
    Parquet(Box<ParquetWriter<W>>),
}

impl<W: Write + Send> Sink<W> {
    fn new(out: W, job: &FocusJob) -> Result<Sink<W>, BoxError> {
        Ok(match job.format {
            FocusFormat::Csv => Sink::Csv(CsvWriter::new(out)?),
            FocusFormat::Parquet => {
                Sink::Parquet(Box::new(ParquetWriter::with_row_group_size(out, job.row_group_size)?))
            }
        })
    }

    fn write_row(&mut self, row: &FocusRow) -> Result<(), WriteError> {
        match self {
            Sink::Csv(w) => w.write_row(row),
            Sink::Parquet(w) => w.write_row(row),
        }
    }

    /// Complete the file (footer included) and hand it to `output` to close.
    fn finish<O: MonthOutput<Writer = W>>(self, output: &mut O) -> Result<(), BoxError> {
        let out = match self {
            Sink::Csv(w) => w.finish()?,
            Sink::Parquet(w) => w.finish()?,
        };
        output.close(out)
    }
}

/// Where a month's bytes go once the format's writer has them: a file keeps them as written; an
/// upload moves them on after each page, so that they never pile up in memory.
pub(crate) trait MonthOutput {
    /// What the format's writer writes into.
    type Writer: Write + Send;

    /// Called after each page's rows are written (and before the next page is fetched).
    fn page_written(&mut self) -> impl Future<Output = Result<(), BoxError>> + Send;

    /// Called once with the writer, after the format's writer has finished the file.
    fn close(&mut self, writer: Self::Writer) -> Result<(), BoxError>;
}

/// A file on disk: nothing to do between pages; flushed and synced at the end.
struct FileOutput;

impl MonthOutput for FileOutput {
    type Writer = BufWriter<File>;

    async fn page_written(&mut self) -> Result<(), BoxError> {
        Ok(())
    }

    fn close(&mut self, writer: BufWriter<File>) -> Result<(), BoxError> {
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(())
    }
}

fn progress(month: YearMonth) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let style =
        ProgressStyle::with_template("{spinner} {prefix} {pos}/{len} rows, {msg} [{elapsed_precise}, ETA {eta}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.set_prefix(month.to_string());
    bar.set_message("0 pages");
    bar
}

/// The mapper for `month`: the client's site gives the currency. Organization rows name no
/// payer, so for `--org` the paying account is the caller's own (the organization's admin), read
/// from `DescribeAccountBalance`, and the members' names (FOCUS's `SubAccountName`) come from
/// `DescribeOrgMemberAccountBalance`.
async fn mapper(client: &BillingClient, month: YearMonth, org: bool) -> Result<FocusMapper, BoxError> {
    let mut mapper = FocusMapper::new(client.site(), month).export_time(time::OffsetDateTime::now_utc());
    if !org {
        return Ok(mapper);
    }
    let uin = client.describe_account_balance().send().await?.uin;
    let uin = uin.ok_or("DescribeAccountBalance named no Uin, which the organization's rows need as their payer")?;
    // Names only label rows: without them the export is still whole, so a failure here is said
    // and the names are left out.
    match member_names(client).await {
        Ok(names) => {
            for (member, name) in names {
                mapper = mapper.account_name(member, name);
            }
        }
        Err(e) => eprintln!(
            "tcbill: warning: the members' names could not be read ({}); SubAccountName stays empty",
            crate::error::chain_text(&*e)
        ),
    }
    Ok(mapper.billing_account_id(uin.to_string()))
}

/// Every organization member's UIN and name, where it has one.
async fn member_names(client: &BillingClient) -> Result<Vec<(String, String)>, BoxError> {
    let mut items = client.describe_org_member_account_balance().into_paginator().items();
    let mut names = Vec::new();
    while let Some(m) = items.next().await {
        let m = m?;
        if let (Some(uin), Some(name)) = (m.member_uin, m.member_name.filter(|n| !n.trim().is_empty())) {
            names.push((uin.to_string(), name));
        }
    }
    Ok(names)
}

/// Export `month` into the file at `path`, stopping between pages when `interrupt` fires (and
/// then setting `*interrupted`, so that the future is never polled again). The file is finished
/// whatever happens after it was created: on success, on Ctrl-C and on an error, it holds the
/// rows written so far and, for Parquet, its footer.
///
/// With `job.carry_months`, the month's file starts with the shares of earlier months' prepaid
/// charges (from `carry`, which fetches what it lacks), and the month's own prepaid rows are kept
/// in `carry` for the months after it.
pub async fn export_month(
    client: &BillingClient,
    month: YearMonth,
    job: &FocusJob,
    path: &Path,
    carry: &mut Carry,
    interrupt: &mut Interrupt,
    interrupted: &mut bool,
) -> Result<MonthDone, BoxError> {
    // The file first, so that whatever happens next (Ctrl-C, an error) leaves a valid file.
    let file = BufWriter::new(File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?);
    export_month_to(client, month, job, file, &mut FileOutput, carry, interrupt, interrupted).await
}

/// [`export_month`] into any [`MonthOutput`]: the writer is finished and handed to
/// `output.close` whatever happens (success, Ctrl-C or an error).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn export_month_to<O: MonthOutput>(
    client: &BillingClient,
    month: YearMonth,
    job: &FocusJob,
    writer: O::Writer,
    output: &mut O,
    carry: &mut Carry,
    interrupt: &mut Interrupt,
    interrupted: &mut bool,
) -> Result<MonthDone, BoxError> {
    let mut done = MonthDone { month, rows: 0, bill_rows: 0, carried: 0, pages: 0, interrupted: false };
    let carrying = job.carry_months > 0 && !job.org;
    let mut sink = Sink::new(writer, job)?;
    let prepare = async {
        let mapper = mapper(client, month, job.org).await?;
        if carrying {
            carry.fill(client, month, job.carry_months).await?;
        }
        Ok::<_, BoxError>(mapper)
    };
    let prepared = tokio::select! {
        m = prepare => Some(m),
        () = &mut *interrupt => None,
    };
    let mapper = match prepared {
        Some(Ok(m)) => m,
        Some(Err(e)) => {
            sink.finish(output)?;
            return Err(e);
        }
        None => {
            *interrupted = true;
            done.interrupted = true;
            sink.finish(output)?;
            return Ok(done);
        }
    };
    let bar = progress(month);
    let mut outcome: Result<(), BoxError> = Ok(());
    if carrying {
        for row in carry.before(month) {
            let written = mapper.amortise_detail(row).map_err(BoxError::from).and_then(|rows| {
                rows.iter().try_for_each(|r| sink.write_row(r).map_err(BoxError::from)).map(|()| rows.len())
            });
            match written {
                Ok(n) => done.carried += n as u64,
                Err(e) => {
                    outcome = Err(e);
                    break;
                }
            }
        }
        done.rows = done.carried;
    }
    let mut pages = Pages::new(client, month, job.org);
    while outcome.is_ok() {
        if *interrupted {
            done.interrupted = true;
            break;
        }
        let page = tokio::select! {
            page = pages.next() => page,
            () = &mut *interrupt => {
                *interrupted = true;
                done.interrupted = true;
                break;
            }
        };
        let (rows, total) = match page {
            None => break,
            Some(Err(e)) => {
                outcome = Err(Box::new(e));
                break;
            }
            Some(Ok(p)) => p,
        };
        done.pages += 1;
        done.bill_rows += rows.len() as u64;
        if let Some(t) = total {
            bar.set_length(t);
        }
        let mapped: Result<Vec<Vec<FocusRow>>, MapError> = match &rows {
            Page::Account(r) => r.iter().map(|d| mapper.map_detail(d)).collect(),
            Page::Org(r) => r.iter().map(|d| mapper.map_org_detail(d)).collect(),
        };
        let written = mapped.map_err(BoxError::from).and_then(|m| {
            m.iter().flatten().try_for_each(|r| sink.write_row(r).map(|()| done.rows += 1).map_err(BoxError::from))
        });
        if let Err(e) = written {
            outcome = Err(e);
            break;
        }
        if let Err(e) = output.page_written().await {
            outcome = Err(e);
            break;
        }
        if carrying && let Page::Account(r) = &rows {
            carry.keep(month, r);
        }
        bar.set_position(done.bill_rows);
        bar.set_message(format!("{} pages, {} FOCUS rows", done.pages, done.rows));
    }
    let finished = sink.finish(output);
    if outcome.is_ok() && !done.interrupted {
        bar.finish();
    } else {
        bar.abandon();
    }
    outcome?;
    finished?;
    Ok(done)
}

/// Where a range writes `month`: `DIR/billing_period=YYYY-MM/part-0.EXT`.
pub fn month_path(dir: &Path, month: YearMonth, format: FocusFormat) -> PathBuf {
    dir.join(format!("billing_period={month}")).join(format!("part-0.{}", format.extension()))
}

/// The temporary name a month (or a single file) is written under until it is complete.
pub use crate::partial::partial_path;

/// How a range ended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RangeDone {
    /// The months written in this run, complete.
    pub written: Vec<MonthDone>,
    /// The months skipped because their file was already complete.
    pub skipped: Vec<YearMonth>,
    /// The month Ctrl-C stopped, left under its temporary name.
    pub interrupted: Option<YearMonth>,
}

/// Export every month of `range` into `dir`, skipping the months whose file is complete.
pub async fn export_range(
    client: &BillingClient,
    range: MonthRange,
    job: &FocusJob,
    dir: &Path,
    mut interrupt: Interrupt,
) -> Result<RangeDone, BoxError> {
    let mut done = RangeDone::default();
    let mut interrupted = false;
    // Held across the range: each month's prepaid rows serve the months after it, so only the
    // months before the range are fetched for carrying.
    let mut carry = Carry::default();
    for month in range.months() {
        let path = month_path(dir, month, job.format);
        if path.is_file() {
            done.skipped.push(month);
            continue;
        }
        if interrupted {
            break;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        let partial = partial_path(&path);
        let m = export_month(client, month, job, &partial, &mut carry, &mut interrupt, &mut interrupted).await?;
        if m.interrupted {
            done.interrupted = Some(month);
            break;
        }
        std::fs::rename(&partial, &path)
            .map_err(|e| format!("cannot rename {} to {}: {e}", partial.display(), path.display()))?;
        eprintln!("tcbill: {month}: {} rows in {} pages to {}", m.rows, m.pages, path.display());
        done.written.push(m);
    }
    Ok(done)
}

/// The flags of `tcbill focus`.
#[derive(Debug, Clone)]
pub struct FocusArgs {
    /// `--month` (default: last month).
    pub month: Option<YearMonth>,
    /// `--months`: a range into a directory instead of one month into a file.
    pub months: Option<MonthRange>,
    /// `--format` (default: from the extension; Parquet for a range).
    pub format: Option<FocusFormat>,
    /// `--out`: the file, or the directory for a range.
    pub out: PathBuf,
    /// `--org`.
    pub org: bool,
    /// `--row-group-size`.
    pub row_group_size: usize,
    /// `--carry-months`.
    pub carry_months: u32,
    /// `--s3-endpoint`, `--s3-region`, `--s3-path-style` (for `--out s3://...`).
    pub s3: s3::S3Flags,
}

/// `tcbill focus`: one month to a file, or a range into a directory. Returns the exit code.
pub async fn run(client: &BillingClient, args: FocusArgs, mut interrupt: Interrupt) -> Result<u8, BoxError> {
    let FocusArgs { month, months, format, out, org, row_group_size, carry_months, s3: s3_flags } = args;
    let out = out.as_path();
    let row_group_size = row_group_size.max(1);
    if let Some(location) = out.to_str().and_then(s3::parse_s3_url) {
        // Object storage always takes the partitioned layout; --month is a range of one.
        let location = location?;
        let range = months.unwrap_or_else(|| {
            let m = month.unwrap_or_else(|| YearMonth::current_beijing().previous());
            MonthRange { first: m, last: m }
        });
        let job = FocusJob { org, format: format.unwrap_or(FocusFormat::Parquet), row_group_size, carry_months };
        let credentials = s3::Credentials::from_vars(|k| std::env::var(k).ok())?;
        let store = s3::store(&location.bucket, &s3_flags, &credentials)?;
        let done = s3::export_range(client, store.as_ref(), &location.prefix, range, &job, interrupt).await?;
        let rows: u64 = done.written.iter().map(|m| m.rows).sum();
        eprintln!(
            "tcbill: focus {}..{} to s3://{}/{}: {} months uploaded ({rows} rows), {} already there{}",
            range.first,
            range.last,
            location.bucket,
            location.prefix,
            done.written.len(),
            done.skipped.len(),
            done.interrupted.map_or_else(String::new, |m| format!("; interrupted in {m}, upload aborted")),
        );
        return Ok(if done.interrupted.is_some() { EXIT_INTERRUPTED } else { 0 });
    }
    if let Some(range) = months {
        let format = format.unwrap_or(FocusFormat::Parquet);
        if out.exists() && !out.is_dir() {
            return Err(
                format!("--out {} is not a directory (--months writes one file per month)", out.display()).into()
            );
        }
        let job = FocusJob { org, format, row_group_size, carry_months };
        let done = export_range(client, range, &job, out, interrupt).await?;
        let rows: u64 = done.written.iter().map(|m| m.rows).sum();
        eprintln!(
            "tcbill: focus {}..{}: {} months written ({rows} rows), {} already complete{}",
            range.first,
            range.last,
            done.written.len(),
            done.skipped.len(),
            done.interrupted.map_or_else(String::new, |m| format!("; interrupted in {m}, which the next run redoes")),
        );
        return Ok(if done.interrupted.is_some() { EXIT_INTERRUPTED } else { 0 });
    }
    let format = match format.or_else(|| FocusFormat::from_path(out)) {
        Some(f) => f,
        None => {
            return Err(format!(
                "cannot tell the format of {}: name it .parquet or .csv, or pass --format",
                out.display()
            )
            .into());
        }
    };
    let month = month.unwrap_or_else(|| YearMonth::current_beijing().previous());
    let job = FocusJob { org, format, row_group_size, carry_months };
    let mut interrupted = false;
    // Written under `<out>.partial` and renamed when complete: on an error or Ctrl-C, `out` keeps
    // what it held (an earlier complete export, or nothing).
    let partial = partial_path(out);
    let done = match export_month(
        client,
        month,
        &job,
        &partial,
        &mut Carry::default(),
        &mut interrupt,
        &mut interrupted,
    )
    .await
    {
        Ok(done) => done,
        Err(e) => return Err(format!("{e}; {}", crate::partial::left_alone(&partial, out)).into()),
    };
    if !done.interrupted {
        crate::partial::commit(&partial, out)?;
    }
    eprintln!(
        "tcbill: focus {month}: {} FOCUS rows ({} carried from earlier months) from {} bill rows in {} pages to {}{}",
        done.rows,
        done.carried,
        done.bill_rows,
        done.pages,
        if done.interrupted { partial.display() } else { out.display() },
        if done.interrupted {
            format!(" (interrupted: a valid file of the pages fetched; {} was left as it was)", out.display())
        } else {
            String::new()
        }
    );
    Ok(if done.interrupted { EXIT_INTERRUPTED } else { 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_and_are_bounded() {
        let r = parse_month_range("2025-11..2026-02").unwrap();
        let months: Vec<String> = r.months().iter().map(|m| m.to_string()).collect();
        assert_eq!(months, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(parse_month_range("2026-10..2026-10").unwrap().months().len(), 1);
        assert!(parse_month_range("2026-10..2026-09").unwrap_err().contains("ends before it starts"));
        assert!(parse_month_range("2016-01..2026-10").unwrap_err().contains("at most 120"));
        assert!(parse_month_range("2026-10").is_err());
        assert!(parse_month_range("2026-13..2027-01").is_err());
        assert_eq!(parse_month_range("2016-11..2026-10").unwrap().months().len(), 120);
    }

    #[test]
    fn paths_are_hive_partitions_with_a_partial_twin() {
        let p = month_path(Path::new("out"), "2025-06".parse().unwrap(), FocusFormat::Parquet);
        assert_eq!(p, Path::new("out/billing_period=2025-06/part-0.parquet"));
        assert_eq!(partial_path(&p), Path::new("out/billing_period=2025-06/part-0.parquet.partial"));
        assert_eq!(FocusFormat::from_path(Path::new("x.PARQUET")), Some(FocusFormat::Parquet));
        assert_eq!(FocusFormat::from_path(Path::new("x.csv")), Some(FocusFormat::Csv));
        assert_eq!(FocusFormat::from_path(Path::new("x.json")), None);
    }
}
