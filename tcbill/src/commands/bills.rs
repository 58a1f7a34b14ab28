//! `tcbill bills`: stream a month of bill details to CSV or NDJSON as the pages arrive.
//!
//! With `--org`, the rows are the organization's (DescribeBillDetailForOrganization): the same
//! columns, with each row's `owner_uin` the member account it belongs to.
//!
//! Memory stays flat: each page is written and dropped before the next is fetched. Rows are
//! written whole and the output is flushed after every page, so whatever stops the export
//! (Ctrl-C, an error) leaves a file of complete rows.
//!
//! Bill text comes from whoever named the resources and tags, so the CSV neutralises text cells
//! a spreadsheet would run as a formula (see [`csv_field`]); NDJSON keeps the text as it is.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Value, json};
use tencentcloud_billing::BillingClient;
use tencentcloud_billing::datetime::{YearMonth, format_beijing};
use tencentcloud_billing::money::Yuan;
use tencentcloud_billing::types::BillDetail;

use clap::ValueEnum;

use crate::amounts::{AmountOverflow, checked_total};
use crate::exit::EXIT_INTERRUPTED;
use crate::interrupt::Interrupt;
use crate::pages::{Page, Pages};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Output formats of `bills`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Comma-separated values with a header line.
    Csv,
    /// One JSON object per line.
    Ndjson,
}

/// The CSV columns, in order. Changing them breaks users' spreadsheets: add at the end only.
pub const CSV_COLUMNS: &[&str] = &[
    "bill_month",
    "bill_day",
    "id",
    "bill_id",
    "order_id",
    "pay_time",
    "fee_begin_time",
    "fee_end_time",
    "business_code",
    "business_name",
    "product_code",
    "product_name",
    "pay_mode",
    "action_type",
    "action_type_name",
    "region_id",
    "region_name",
    "zone_name",
    "project_id",
    "project_name",
    "resource_id",
    "resource_name",
    "owner_uin",
    "tags",
    "cost",
    "real_cost",
    "cash_paid",
    "voucher_paid",
    "incentive_paid",
    "transfer_paid",
    "components",
];

/// The columns that hold numbers tcbill formats itself (amounts, the project id, the component
/// count), by name. They are written as they are: a refund's `-12.50` must stay a number.
/// Every other column is text from the bill and is neutralised when it looks like a formula.
pub const NUMERIC_COLUMNS: &[&str] =
    &["project_id", "cost", "real_cost", "cash_paid", "voucher_paid", "incentive_paid", "transfer_paid", "components"];

/// How an export ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Done {
    /// Rows written.
    pub rows: u64,
    /// Pages fetched.
    pub pages: u64,
    /// Whether Ctrl-C stopped it.
    pub interrupted: bool,
}

/// One bill row's values, in [`CSV_COLUMNS`] order. Times are Beijing time; amounts are exact
/// decimals in the currency unit, summed over the row's components.
///
/// # Errors
/// [`AmountOverflow`] when a row's components add up past what a decimal holds (each is below
/// 10^26; a few hundred of them can overflow, and `+` would panic).
pub fn flatten(d: &BillDetail) -> Result<Vec<String>, AmountOverflow> {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let t = |v: &Option<time::OffsetDateTime>| v.map(format_beijing).unwrap_or_default();
    let sum = |column: &str, f: fn(&tencentcloud_billing::types::BillDetailComponent) -> Option<Yuan>| {
        checked_total(d.component_set().iter().filter_map(f), || {
            format!("the {column} of bill row {:?}", d.id.as_deref().unwrap_or(""))
        })
        .map(|y| y.to_string())
    };
    let tags = d
        .tags()
        .iter()
        .map(|t| format!("{}={}", t.tag_key.as_deref().unwrap_or(""), t.tag_value.as_deref().unwrap_or("")))
        .collect::<Vec<_>>()
        .join(";");
    Ok(vec![
        d.bill_month.map(|m| YearMonth::of(m.date()).to_string()).unwrap_or_default(),
        d.bill_day.map(|t| format_beijing(t).chars().take(10).collect()).unwrap_or_default(),
        s(&d.id),
        s(&d.bill_id),
        s(&d.order_id),
        t(&d.pay_time),
        t(&d.fee_begin_time),
        t(&d.fee_end_time),
        s(&d.business_code),
        s(&d.business_code_name),
        s(&d.product_code),
        s(&d.product_code_name),
        s(&d.pay_mode_name),
        s(&d.action_type),
        s(&d.action_type_name),
        s(&d.region_id),
        s(&d.region_name),
        s(&d.zone_name),
        d.project_id.map(|p| p.to_string()).unwrap_or_default(),
        s(&d.project_name),
        s(&d.resource_id),
        s(&d.resource_name),
        s(&d.owner_uin),
        tags,
        sum("cost", |c| c.cost)?,
        sum("real_cost", |c| c.real_cost)?,
        sum("cash_paid", |c| c.cash_pay_amount)?,
        sum("voucher_paid", |c| c.voucher_pay_amount)?,
        sum("incentive_paid", |c| c.incentive_pay_amount)?,
        sum("transfer_paid", |c| c.transfer_pay_amount)?,
        d.component_set().len().to_string(),
    ])
}

/// RFC 4180 quoting: only fields that need it.
pub fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) { format!("\"{}\"", v.replace('"', "\"\"")) } else { v.to_owned() }
}

/// A text cell made safe for spreadsheets, then quoted as CSV requires. Following OWASP's
/// advice on CSV injection, a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a leading `'`, so that Excel, LibreOffice and Sheets show it as text instead of
/// evaluating it (`=HYPERLINK(...)`, `@SUM(...)`, `-2+3+cmd|...`).
pub fn csv_text_field(v: &str) -> String {
    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) { csv_field(&format!("'{v}")) } else { csv_field(v) }
}

/// One CSV line of values in [`CSV_COLUMNS`] order: text cells neutralised, numeric ones as they
/// are. What counts is the column, not the content, so that a negative amount stays a number.
pub fn csv_line(values: &[String]) -> String {
    let mut line = CSV_COLUMNS
        .iter()
        .zip(values)
        .map(|(column, v)| if NUMERIC_COLUMNS.contains(column) { csv_field(v) } else { csv_text_field(v) })
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

/// One NDJSON line: the CSV columns as keys (project_id and components as numbers), plus the
/// components themselves.
fn ndjson_line(d: &BillDetail, values: &[String]) -> String {
    let mut obj = serde_json::Map::new();
    for (k, v) in CSV_COLUMNS.iter().zip(values) {
        let value = match *k {
            "project_id" | "components" => v.parse::<i64>().map_or(Value::Null, Value::from),
            _ => Value::String(v.clone()),
        };
        obj.insert((*k).to_owned(), value);
    }
    let amount = |v: Option<Yuan>| v.map(|y| Value::String(y.to_string())).unwrap_or(Value::Null);
    obj.insert(
        "component_set".into(),
        d.component_set()
            .iter()
            .map(|c| {
                json!({
                    "component_code": c.component_code,
                    "component_name": c.component_code_name,
                    "item_code": c.item_code,
                    "item_name": c.item_code_name,
                    "used_amount": c.used_amount,
                    "used_amount_unit": c.used_amount_unit,
                    "cost": amount(c.cost),
                    "real_cost": amount(c.real_cost),
                    "cash_paid": amount(c.cash_pay_amount),
                    "voucher_paid": amount(c.voucher_pay_amount),
                    "incentive_paid": amount(c.incentive_pay_amount),
                    "transfer_paid": amount(c.transfer_pay_amount),
                })
            })
            .collect(),
    );
    let mut line = Value::Object(obj).to_string();
    line.push('\n');
    line
}

fn progress() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} {pos}/{len} rows, {msg} [{elapsed_precise}, ETA {eta}]")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.set_message("0 pages");
    bar
}

/// Whose bill details to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The account's own (DescribeBillDetail, 300 rows a page).
    Account,
    /// The organization's, every member's (DescribeBillDetailForOrganization, 100 rows a page).
    Organization,
}

/// The next page of either source, as account bill rows with the total the answer claims.
async fn next_page(pages: &mut Pages) -> Option<Result<(Option<u64>, Vec<BillDetail>), BoxError>> {
    Some(pages.next().await?.map_err(BoxError::from).and_then(|(page, total)| {
        let rows = match page {
            Page::Account(rows) => rows,
            Page::Org(rows) => rows.iter().map(as_bill_detail).collect::<Result<_, _>>()?,
        };
        Ok((total, rows))
    }))
}

/// An organization's row as a [`BillDetail`]: the two types share Tencent's field names, so the
/// row is carried over field by field through its wire form; the fields only an account's bill
/// has stay empty.
pub fn as_bill_detail(d: &tencentcloud_billing::types::DistributionBillDetail) -> Result<BillDetail, BoxError> {
    let wire = serde_json::to_value(d)?;
    Ok(serde_json::from_value(wire)?)
}

/// Export `month` of the account's own bill to `file` (or `stdout`) in `format`, stopping
/// cleanly when `interrupt` fires.
pub async fn export(
    client: &BillingClient,
    month: YearMonth,
    format: Format,
    file: Option<&Path>,
    stdout: &mut dyn Write,
    interrupt: Interrupt,
) -> Result<Done, BoxError> {
    export_from(client, Source::Account, month, format, file, stdout, interrupt).await
}

/// Export `month` of `source`'s bill details to `file` (or `stdout`) in `format`, stopping
/// cleanly when `interrupt` fires.
pub async fn export_from(
    client: &BillingClient,
    source: Source,
    month: YearMonth,
    format: Format,
    file: Option<&Path>,
    stdout: &mut dyn Write,
    mut interrupt: Interrupt,
) -> Result<Done, BoxError> {
    let mut file_out;
    let out: &mut dyn Write = match file {
        Some(path) => {
            file_out =
                BufWriter::new(File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?);
            &mut file_out
        }
        None => stdout,
    };
    if format == Format::Csv {
        out.write_all(csv_line(&CSV_COLUMNS.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>()).as_bytes())?;
        out.flush()?;
    }
    let bar = progress();
    let mut pages = Pages::new(client, month, source == Source::Organization);
    let mut done = Done { rows: 0, pages: 0, interrupted: false };
    loop {
        let page = tokio::select! {
            page = next_page(&mut pages) => page,
            () = &mut interrupt => {
                done.interrupted = true;
                break;
            }
        };
        let Some(page) = page else { break };
        let (total, rows) = match page {
            Ok(p) => p,
            Err(e) => {
                out.flush()?;
                bar.abandon();
                return Err(e);
            }
        };
        done.pages += 1;
        if let Some(total) = total {
            // Tencent's total may undercount; never let the bar run past its end.
            bar.set_length(total.max(done.rows + rows.len() as u64));
        }
        for d in &rows {
            let values = match flatten(d) {
                Ok(v) => v,
                Err(e) => {
                    // The rows before this one are complete; this one cannot be written honestly.
                    out.flush()?;
                    bar.abandon();
                    return Err(Box::new(e));
                }
            };
            let line = match format {
                Format::Csv => csv_line(&values),
                Format::Ndjson => ndjson_line(d, &values),
            };
            out.write_all(line.as_bytes())?;
            done.rows += 1;
        }
        out.flush()?;
        bar.set_position(done.rows);
        bar.set_message(format!("{} pages", done.pages));
    }
    out.flush()?;
    if done.interrupted {
        bar.abandon()
    } else {
        bar.finish()
    }
    Ok(done)
}

/// Run `bills`: export `month` (the organization's with `org`) to `file` or `out`, then say how
/// many rows and pages on stderr; [`EXIT_INTERRUPTED`] after Ctrl-C.
pub async fn run(
    client: &BillingClient,
    month: YearMonth,
    format: Format,
    file: Option<&Path>,
    org: bool,
    out: &mut dyn Write,
    interrupt: Interrupt,
) -> Result<u8, BoxError> {
    let source = if org { Source::Organization } else { Source::Account };
    // A file is written under `<file>.partial` and renamed when complete: on an error or Ctrl-C,
    // `file` keeps what it held, so `tcbill bills --out f && upload f` never uploads half a month.
    let partial = file.map(crate::partial::partial_path);
    let done = match export_from(client, source, month, format, partial.as_deref(), out, interrupt).await {
        Ok(done) => done,
        Err(e) => {
            return Err(match (&partial, file) {
                (Some(partial), Some(file)) => format!("{e}; {}", crate::partial::left_alone(partial, file)).into(),
                _ => e,
            });
        }
    };
    let kept = match (&partial, file) {
        (Some(partial), Some(file)) if done.interrupted => format!("; {}", crate::partial::left_alone(partial, file)),
        (Some(partial), Some(file)) => {
            crate::partial::commit(partial, file)?;
            String::new()
        }
        _ => String::new(),
    };
    eprintln!(
        "tcbill: {} rows in {} pages{}{kept}",
        done.rows,
        done.pages,
        if done.interrupted { " (interrupted)" } else { "" }
    );
    Ok(if done.interrupted { EXIT_INTERRUPTED } else { 0 })
}

#[cfg(test)]
mod tests {
    //! Unit and property tests, run as the library's own tests (`cargo test -p tcbill`).

    use proptest::prelude::*;

    use tencentcloud_billing::money::Decimal;

    use super::*;
    use crate::amounts::tests::{AT_THE_BOUND, decoded_amount_text, reference_sum};

    /// A bill row as the decoder reads it, with one component per cost.
    fn row(costs: &[String]) -> BillDetail {
        let components: Vec<Value> = costs
            .iter()
            .map(|c| json!({ "Cost": c, "RealCost": c, "CashPayAmount": c, "VoucherPayAmount": "0" }))
            .collect();
        serde_json::from_value(json!({ "Id": "row-1", "ComponentSet": components })).unwrap()
    }

    fn column(name: &str) -> usize {
        CSV_COLUMNS.iter().position(|c| *c == name).unwrap()
    }

    #[test]
    fn text_cells_are_neutralised_by_column_not_by_content() {
        let mut values: Vec<String> = CSV_COLUMNS.iter().map(|_| String::new()).collect();
        values[column("product_name")] = "=1+1".into();
        values[column("resource_name")] = "-1".into();
        values[column("tags")] = "@a=b;c=d".into();
        values[column("project_id")] = "-1".into();
        values[column("cost")] = "-12.50".into();
        values[column("real_cost")] = "+3".into();
        values[column("region_name")] = "a=b".into();
        assert_eq!(csv_line(&values), ",,,,,,,,,,,'=1+1,,,,,a=b,,-1,,,'-1,,'@a=b;c=d,-12.50,+3,,,,,\n");
        assert_eq!(csv_text_field("\tx"), "'\tx");
        assert_eq!(csv_text_field("\rx"), "\"'\rx\"");
        assert_eq!(csv_text_field("=\"x\",y"), "\"'=\"\"x\"\",y\"");
        assert_eq!(csv_text_field("safe - text"), "safe - text");
    }

    #[test]
    fn a_row_past_28_digits_is_an_error_not_a_panic() {
        let costs = vec![AT_THE_BOUND.to_owned(); 800];
        let e = flatten(&row(&costs)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the cost of bill row \"row-1\" adds up to more than 28 digits: the amounts cannot be right, so no total \
             is shown"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn export_never_panics_on_extreme_amounts(
            costs in prop_oneof![
                prop::collection::vec(decoded_amount_text(), 0..60),
                (any::<bool>(), 700usize..900)
                    .prop_map(|(neg, n)| vec![format!("{}{AT_THE_BOUND}", if neg { "-" } else { "" }); n]),
            ]
        ) {
            let d = row(&costs);
            let decoded: Vec<Yuan> = costs.iter().map(|c| c.parse().unwrap()).collect();
            match (flatten(&d), reference_sum(&decoded)) {
                (Ok(values), Some(sum)) => {
                    prop_assert_eq!(values[column("cost")].parse::<Decimal>().unwrap(), sum);
                    let line = csv_line(&values);
                    // The amount is written as the number it is, negative or not.
                    let cells: Vec<&str> = line.trim_end().split(',').collect();
                    prop_assert_eq!(cells[column("cost")], sum.to_string());
                    prop_assert!(ndjson_line(&d, &values).ends_with('\n'));
                }
                (Err(e), None) => prop_assert!(e.what.starts_with("the cost of bill row")),
                (got, want) => prop_assert!(false, "{:?} but the sum is {:?}", got, want),
            }
        }
    }
}
