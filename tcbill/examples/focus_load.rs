//! How fast `tcbill focus` exports a large month, and how much memory it takes.
//!
//! ```text
//! cargo run --release -p tcbill --example focus_load [ROWS]
//! ```
//!
//! It starts the sandbox with a demo month of ROWS bill rows (100,000 by default), with the
//! quota off on both sides (the real API's 5 pages a second would measure Tencent, not the
//! export), and exports the month to Parquet and then to CSV through the same code as the command
//! (`tcbill::focus::export_month`): fetch, decode, map, write. The sandbox runs in the same
//! process and generates each page on request, so its work is counted too; a first pass that
//! only fetches and decodes the pages shows that share. Then it writes the same number of FOCUS
//! rows straight to the library's writers, to show theirs.
//!
//! Peak memory is the process's VmHWM (Linux), read after each step; it only grows, so each
//! figure is the peak so far.

use std::path::Path;
use std::time::Instant;

use tcbill::commands::focus::{FocusFormat, FocusJob, export_month};
use tencentcloud_billing::datetime::YearMonth;
use tencentcloud_billing::focus::FocusRow;
use tencentcloud_billing::focus::csv::CsvWriter;
use tencentcloud_billing::focus::parquet::{DEFAULT_ROW_GROUP_SIZE, ParquetWriter};
use tencentcloud_billing::money::Decimal;
use tencentcloud_billing::sandbox::Sandbox;
use tencentcloud_billing::sandbox::demo::Demo;

/// The process's peak resident memory in MiB, from /proc/self/status (None elsewhere).
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn report(what: &str, rows: u64, started: Instant, path: Option<&Path>) {
    let secs = started.elapsed().as_secs_f64();
    let size = path
        .and_then(|p| std::fs::metadata(p).ok())
        .map_or_else(String::new, |m| format!(", {:.1} MiB file", m.len() as f64 / (1024.0 * 1024.0)));
    println!(
        "{what:<34} {rows:>7} rows in {secs:>6.2} s = {:>8.0} rows/s{size}, peak RSS so far {:.1} MiB",
        rows as f64 / secs,
        peak_mib().unwrap_or(f64::NAN)
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let rows: u32 = std::env::args().nth(1).map(|a| a.parse()).transpose()?.unwrap_or(100_000);
    let dir = std::env::temp_dir().join(format!("tcbill-focus-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    println!("baseline peak RSS {:.1} MiB", peak_mib().unwrap_or(f64::NAN));

    let sandbox = Sandbox::builder().enforce_quotas(false).start().await?;
    let _demo = sandbox.install_demo(Demo::new().rows_per_month(rows));
    let client = sandbox.client_builder().disable_rate_limit().build()?;
    let month = YearMonth::current_beijing().previous();

    // Fetching and decoding alone, to separate the API side (here the sandbox) from the export.
    let started = Instant::now();
    let mut pages = client.describe_bill_detail().month(month).limit(300).need_record_num(1).into_paginator();
    let mut fetched = 0u64;
    while let Some(page) = pages.next().await {
        fetched += page?.detail_set().len() as u64;
    }
    report(&format!("fetch {month} (no export)"), fetched, started, None);

    // The whole path, as `tcbill focus --month` runs it.
    for format in [FocusFormat::Parquet, FocusFormat::Csv] {
        let path = dir.join(format!("focus.{}", format.extension()));
        let job = FocusJob { org: false, format, row_group_size: DEFAULT_ROW_GROUP_SIZE, carry_months: 0 };
        let mut interrupt: tcbill::interrupt::Interrupt = Box::pin(std::future::pending());
        let started = Instant::now();
        let mut carry = tcbill::commands::focus::Carry::default();
        let done = export_month(&client, month, &job, &path, &mut carry, &mut interrupt, &mut false).await?;
        // Bill rows in, per second; the FOCUS rows they became are printed beside.
        println!("  ({} bill rows became {} FOCUS rows)", done.bill_rows, done.rows);
        report(&format!("export {month} to {format:?}"), done.bill_rows, started, Some(&path));
    }

    // The writers alone: FOCUS rows made in memory (one bill row's mapping, with the amount and
    // the resource varied), written to a file.
    let page = client.describe_bill_detail().month(month).offset(0).limit(1).send().await?;
    let mapper = tencentcloud_billing::focus::FocusMapper::new(client.site(), month);
    let first = page.detail_set().first().ok_or("the demo month is empty")?;
    let template: FocusRow = mapper.map_detail(first)?.into_iter().next().ok_or("a bill row without components")?;
    let row = |i: u32| {
        let mut r = template.clone();
        r.billed_cost = Decimal::new(i64::from(i) * 7_919, 8);
        r.resource_id = Some(format!("ins-{i:08x}"));
        r
    };
    let path = dir.join("writer.parquet");
    let started = Instant::now();
    let mut w = ParquetWriter::new(std::io::BufWriter::new(std::fs::File::create(&path)?))?;
    for i in 0..rows {
        w.write_row(&row(i))?;
    }
    w.finish()?;
    report("ParquetWriter alone", u64::from(rows), started, Some(&path));
    let path = dir.join("writer.csv");
    let started = Instant::now();
    let mut w = CsvWriter::new(std::io::BufWriter::new(std::fs::File::create(&path)?))?;
    for i in 0..rows {
        w.write_row(&row(i))?;
    }
    w.finish()?;
    report("CsvWriter alone", u64::from(rows), started, Some(&path));

    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
