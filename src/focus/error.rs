//! What can go wrong while writing FOCUS rows.

use time::OffsetDateTime;

use crate::money::Decimal;

/// A failure of the [`CsvWriter`](super::csv::CsvWriter) or the
/// [`ParquetWriter`](super::parquet::ParquetWriter).
///
/// Rows are checked whole before any of their values is written: a row that fails leaves the
/// writer as it was, with every earlier row still in it, so the caller can report it, skip it or
/// `finish()` the file. `row` counts the rows given to the writer from 1.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// Writing to the destination failed.
    #[error("writing the FOCUS file failed")]
    Io(#[source] std::io::Error),
    /// The Parquet encoder refused (the source says why).
    #[error("encoding the FOCUS rows as Parquet failed")]
    Parquet(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
    /// A column FOCUS requires to be non-null has no value.
    #[error("row {row}: {column} is null, which FOCUS does not allow")]
    Null {
        /// The row, counting from 1.
        row: u64,
        /// The FOCUS column.
        column: &'static str,
    },
    /// An amount has more than 10 decimal places or 28 integer digits, so it cannot be written as
    /// `DECIMAL(38, 10)` without rounding or overflow.
    #[error("row {row}: {column} {value} does not fit DECIMAL(38, 10) exactly")]
    Decimal {
        /// The row, counting from 1.
        row: u64,
        /// The FOCUS column.
        column: &'static str,
        /// The amount.
        value: Decimal,
    },
    /// A time has a fraction below the microsecond or falls outside the years 1 to 9999, which
    /// the ISO 8601 text and Parquet's microsecond timestamps hold exactly.
    #[error("row {row}: {column} {value} is not a whole microsecond between the years 1 and 9999")]
    Time {
        /// The row, counting from 1.
        row: u64,
        /// The FOCUS column.
        column: &'static str,
        /// The time.
        value: OffsetDateTime,
    },
    /// The writer failed earlier in a way that may have left part of a row or row group behind,
    /// so it takes no more rows.
    #[error("the FOCUS writer failed earlier and takes no more rows")]
    Poisoned,
}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> Self {
        WriteError::Io(e)
    }
}
