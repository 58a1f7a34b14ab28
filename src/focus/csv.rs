//! FOCUS rows as CSV: a header of the [`COLUMNS`] names, then one line per row.
//!
//! - Quoting follows RFC 4180: a field is quoted when it holds a comma, a double quote, a line
//!   feed or a carriage return, and a double quote inside is doubled. Lines end with `\n`.
//! - Null is an empty field; an empty string is `""`, so readers that tell them apart can.
//! - Amounts are the exact decimals, digit for digit, never in exponent form and never rounded.
//! - Times are ISO 8601 in UTC with a `Z`: `2026-10-01T00:00:00Z`.
//! - `Tags` is a JSON object (`{"env":"prod"}`), quoted as CSV requires; no tags is null.
//!
//! This is data for programs (pandas, DuckDB, warehouses). Unlike `tcbill bills`, text is written
//! as it is, without the leading `'` that stops a spreadsheet from running a cell as a formula:
//! open it in a spreadsheet only if you trust the resource names and tags in your bills.
//! pandas' `read_csv` also reads the text `NA`, `null` or `NaN` as null unless told otherwise
//! (`keep_default_na=False`).

use std::io::Write;

use super::cells::{Cell, checked_cells, tags_json, utc_text};
use super::{COLUMNS, FocusRow, WriteError};

/// Writes [`FocusRow`]s as CSV to `W`, one whole line per row.
///
/// The writer does not buffer on its own: wrap a file in a [`std::io::BufWriter`]. Each row is
/// checked and formatted in full before any of it is written, so the output only ever holds
/// whole rows (after [`CsvWriter::flush`]).
///
/// ```
/// use tencentcloud_billing::focus::FocusRow;
/// use tencentcloud_billing::focus::csv::CsvWriter;
///
/// # fn main() -> Result<(), tencentcloud_billing::focus::WriteError> {
/// let mut csv = CsvWriter::new(Vec::new())?;
/// let mut row = FocusRow::default();
/// row.billed_cost = "12.50000000".parse().unwrap();
/// row.billing_period_start = Some(time::OffsetDateTime::UNIX_EPOCH);
/// # row.billing_period_end = Some(time::OffsetDateTime::UNIX_EPOCH);
/// # row.charge_period_start = Some(time::OffsetDateTime::UNIX_EPOCH);
/// # row.charge_period_end = Some(time::OffsetDateTime::UNIX_EPOCH);
/// csv.write_row(&row)?;
/// let text = String::from_utf8(csv.finish()?).unwrap();
/// assert!(text.lines().nth(1).unwrap().contains(",12.50000000,"));
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct CsvWriter<W: Write> {
    out: W,
    rows: u64,
    line: String,
}

impl<W: Write> CsvWriter<W> {
    /// Start the file: writes the header line.
    ///
    /// # Errors
    /// [`WriteError::Io`] when writing fails.
    pub fn new(mut out: W) -> Result<Self, WriteError> {
        let mut line = String::new();
        for (i, c) in COLUMNS.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            line.push_str(c.name);
        }
        line.push('\n');
        out.write_all(line.as_bytes())?;
        Ok(CsvWriter { out, rows: 0, line })
    }

    /// Write one row.
    ///
    /// # Errors
    /// [`WriteError::Null`] when a column FOCUS requires is null, [`WriteError::Time`] for a time
    /// the text cannot hold exactly, [`WriteError::Decimal`] for an amount past 28 digits before
    /// or 10 after the point (the Parquet writer's limit, kept here too so that both files agree);
    /// nothing of the row is written then. [`WriteError::Io`] when writing fails.
    pub fn write_row(&mut self, row: &FocusRow) -> Result<(), WriteError> {
        let cells = checked_cells(row, self.rows + 1)?;
        self.line.clear();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.line.push(',');
            }
            match *cell {
                Cell::Null => {}
                Cell::Text(t) => push_field(&mut self.line, t),
                Cell::Decimal(d) => {
                    self.line.push_str(&d.to_string());
                    // Readers that infer types from the text (polars, pandas, DuckDB's sniffer)
                    // take a column of `2`s for integers; `2.0` keeps it a decimal column.
                    if d.scale() == 0 {
                        self.line.push_str(".0");
                    }
                }
                Cell::Time(t) => self.line.push_str(&utc_text(t)),
                Cell::Tags(tags) => push_field(&mut self.line, &tags_json(tags)),
            }
        }
        self.line.push('\n');
        self.out.write_all(self.line.as_bytes())?;
        self.rows += 1;
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Flush the destination, so that what it holds ends with a whole row.
    ///
    /// # Errors
    /// [`WriteError::Io`].
    pub fn flush(&mut self) -> Result<(), WriteError> {
        self.out.flush()?;
        Ok(())
    }

    /// Flush and hand back the destination.
    ///
    /// # Errors
    /// [`WriteError::Io`].
    pub fn finish(mut self) -> Result<W, WriteError> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// One field, quoted when RFC 4180 requires it; an empty string is `""` so it is not read as null.
fn push_field(line: &mut String, v: &str) {
    if v.is_empty() || v.contains([',', '"', '\n', '\r']) {
        line.push('"');
        line.push_str(&v.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::focus::cells::tests::sample_row;

    #[test]
    fn quoting_follows_rfc_4180() {
        let mut line = String::new();
        for v in ["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", "", "=1+1"] {
            push_field(&mut line, v);
            line.push('|');
        }
        assert_eq!(line, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\"cr\r\"|\"\"|=1+1|");
    }

    #[test]
    fn a_row_is_written_exactly() {
        let mut w = CsvWriter::new(Vec::new()).unwrap();
        w.write_row(&sample_row()).unwrap();
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        assert_eq!(header.len(), COLUMNS.len());
        assert_eq!(header[1], "BilledCost");
        let line = lines.next().unwrap();
        assert!(
            line.starts_with("ap-guangzhou-3,123456789012345678.12345678,100000000001,,Payer Account,CNY,"),
            "{line}"
        );
        assert!(line.contains(",2026-11-01T00:00:00Z,2026-10-01T00:00:00Z,,,Usage,,"), "{line}");
        assert!(line.contains(",3600.0,"), "a whole quantity keeps a decimal point: {line}");
        assert!(line.contains(r#","{""env"":""prod"",""team"":""a,b""}","#), "{line}");
        assert!(line.contains(",-0.00000001,"), "a tiny negative amount, no exponent: {line}");
    }

    #[test]
    fn a_bad_row_writes_nothing() {
        let mut w = CsvWriter::new(Vec::new()).unwrap();
        let mut r = sample_row();
        r.charge_period_start = None;
        let e = w.write_row(&r).unwrap_err();
        assert_eq!(e.to_string(), "row 1: ChargePeriodStart is null, which FOCUS does not allow");
        let mut r = sample_row();
        r.list_cost = "0.00000000001".parse().unwrap();
        assert!(matches!(w.write_row(&r), Err(WriteError::Decimal { row: 1, column: "ListCost", .. })));
        w.write_row(&sample_row()).unwrap();
        assert_eq!(w.rows(), 1);
        assert_eq!(String::from_utf8(w.finish().unwrap()).unwrap().lines().count(), 2);
    }
}
