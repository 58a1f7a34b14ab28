//! FOCUS rows as Parquet, through the `parquet` crate's column writers (no Arrow).
//!
//! The schema has one column per entry of [`COLUMNS`], in order, `REQUIRED` where
//! FOCUS forbids null and `OPTIONAL` elsewhere:
//!
//! | FOCUS type | Parquet |
//! |---|---|
//! | amounts and quantities | `DECIMAL(38, 10)`, a 16-byte `FIXED_LEN_BYTE_ARRAY`: 28 digits before the point and 10 after, exactly |
//! | times | `INT64` `TIMESTAMP(MICROS, isAdjustedToUTC = true)` |
//! | text and enumerations | `BYTE_ARRAY` `STRING` |
//! | `Tags` | `BYTE_ARRAY` `STRING` holding a JSON object (FOCUS allows a JSON string); no tags is null |
//!
//! Pages are compressed with Snappy. Rows are buffered, column by column, up to the row-group
//! size (8,192 rows unless [`ParquetWriter::with_row_group_size`] says otherwise) and then
//! written out as a row group, so memory stays bounded however many rows go through.
//! [`ParquetWriter::finish`] writes the rows still buffered as a last, shorter row group and then
//! the footer: calling it after an interruption gives a valid file of every row written so far.
//! A writer dropped without `finish` leaves a file without a footer, which no reader opens.

use std::io::Write;
use std::sync::Arc;

use ::parquet::basic::{Compression, LogicalType, Repetition, TimeUnit, Type as PhysicalType};
use ::parquet::data_type::{ByteArray, ByteArrayType, FixedLenByteArray, FixedLenByteArrayType, Int64Type};
use ::parquet::errors::ParquetError;
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::writer::SerializedFileWriter;
use ::parquet::schema::types::{Type, TypePtr};

use super::cells::{Cell, DECIMAL_PRECISION, DECIMAL_SCALE, checked_cells, micros, tags_json, unscaled};
use super::{COLUMNS, ColumnType, FocusRow, WriteError};

/// The default number of rows per row group.
pub const DEFAULT_ROW_GROUP_SIZE: usize = 8_192;

/// One column's buffered values, and its definition levels when it is nullable.
#[derive(Debug)]
enum Values {
    Text(Vec<ByteArray>),
    Decimal(Vec<FixedLenByteArray>),
    Time(Vec<i64>),
}

#[derive(Debug)]
struct ColumnBuffer {
    values: Values,
    /// 1 for a value, 0 for null; only for `OPTIONAL` columns.
    defs: Option<Vec<i16>>,
}

impl ColumnBuffer {
    fn clear(&mut self) {
        match &mut self.values {
            Values::Text(v) => v.clear(),
            Values::Decimal(v) => v.clear(),
            Values::Time(v) => v.clear(),
        }
        if let Some(d) = &mut self.defs {
            d.clear();
        }
    }
}

/// Writes [`FocusRow`]s as a Parquet file to `W`.
///
/// ```
/// use tencentcloud_billing::focus::FocusRow;
/// use tencentcloud_billing::focus::parquet::ParquetWriter;
///
/// # fn main() -> Result<(), tencentcloud_billing::focus::WriteError> {
/// let mut parquet = ParquetWriter::new(Vec::new())?;
/// let mut row = FocusRow::default();
/// row.billed_cost = "12.50000000".parse().unwrap();
/// # row.billing_period_start = Some(time::OffsetDateTime::UNIX_EPOCH);
/// # row.billing_period_end = Some(time::OffsetDateTime::UNIX_EPOCH);
/// # row.charge_period_start = Some(time::OffsetDateTime::UNIX_EPOCH);
/// # row.charge_period_end = Some(time::OffsetDateTime::UNIX_EPOCH);
/// parquet.write_row(&row)?;
/// let bytes = parquet.finish()?;
/// assert_eq!(&bytes[..4], b"PAR1");
/// # Ok(()) }
/// ```
pub struct ParquetWriter<W: Write + Send> {
    file: SerializedFileWriter<W>,
    columns: Vec<ColumnBuffer>,
    buffered: usize,
    row_group_size: usize,
    rows: u64,
    row_groups: u64,
    poisoned: bool,
}

impl<W: Write + Send> std::fmt::Debug for ParquetWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetWriter")
            .field("rows", &self.rows)
            .field("buffered", &self.buffered)
            .field("row_groups", &self.row_groups)
            .field("row_group_size", &self.row_group_size)
            .finish_non_exhaustive()
    }
}

fn parquet_error(e: ParquetError) -> WriteError {
    match e {
        ParquetError::External(inner) => match inner.downcast::<std::io::Error>() {
            Ok(io) => WriteError::Io(*io),
            Err(other) => WriteError::Parquet(other),
        },
        other => WriteError::Parquet(Box::new(other)),
    }
}

/// The FOCUS schema as Parquet types.
fn schema() -> Result<TypePtr, ParquetError> {
    let fields = COLUMNS
        .iter()
        .map(|c| {
            let builder = match c.ty {
                ColumnType::Decimal => Type::primitive_type_builder(c.name, PhysicalType::FIXED_LEN_BYTE_ARRAY)
                    .with_length(16)
                    .with_logical_type(Some(LogicalType::decimal(DECIMAL_SCALE as i32, DECIMAL_PRECISION as i32)))
                    .with_precision(DECIMAL_PRECISION as i32)
                    .with_scale(DECIMAL_SCALE as i32),
                ColumnType::DateTime => Type::primitive_type_builder(c.name, PhysicalType::INT64)
                    .with_logical_type(Some(LogicalType::timestamp(true, TimeUnit::MICROS))),
                _ => Type::primitive_type_builder(c.name, PhysicalType::BYTE_ARRAY)
                    .with_logical_type(Some(LogicalType::String)),
            };
            let repetition = if c.nullable { Repetition::OPTIONAL } else { Repetition::REQUIRED };
            builder.with_repetition(repetition).build().map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Arc::new(Type::group_type_builder("schema").with_fields(fields).build()?))
}

impl<W: Write + Send> ParquetWriter<W> {
    /// Start a file with row groups of [`DEFAULT_ROW_GROUP_SIZE`] rows.
    ///
    /// # Errors
    /// [`WriteError::Io`] when writing the file's first bytes fails.
    pub fn new(out: W) -> Result<Self, WriteError> {
        Self::with_row_group_size(out, DEFAULT_ROW_GROUP_SIZE)
    }

    /// Start a file with row groups of `rows` rows (at least 1). Larger groups compress better
    /// and read faster; smaller ones hold less in memory and lose less to an abrupt stop.
    ///
    /// # Errors
    /// [`WriteError::Io`] when writing the file's first bytes fails.
    pub fn with_row_group_size(out: W, rows: usize) -> Result<Self, WriteError> {
        let rows = rows.max(1);
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!(
                "tencentcloud-billing {} (FOCUS {})",
                env!("CARGO_PKG_VERSION"),
                super::FOCUS_VERSION
            ))
            .build();
        let file =
            SerializedFileWriter::new(out, schema().map_err(parquet_error)?, Arc::new(props)).map_err(parquet_error)?;
        let capacity = rows.min(DEFAULT_ROW_GROUP_SIZE);
        let columns = COLUMNS
            .iter()
            .map(|c| ColumnBuffer {
                values: match c.ty {
                    ColumnType::Decimal => Values::Decimal(Vec::with_capacity(capacity)),
                    ColumnType::DateTime => Values::Time(Vec::with_capacity(capacity)),
                    _ => Values::Text(Vec::with_capacity(capacity)),
                },
                defs: c.nullable.then(|| Vec::with_capacity(capacity)),
            })
            .collect();
        Ok(ParquetWriter { file, columns, buffered: 0, row_group_size: rows, rows: 0, row_groups: 0, poisoned: false })
    }

    /// Add one row; when the buffer reaches the row-group size, write it out as a row group.
    ///
    /// # Errors
    /// [`WriteError::Null`], [`WriteError::Decimal`] or [`WriteError::Time`] when a value cannot
    /// be written exactly; the row is not added then, and the writer goes on. [`WriteError::Io`]
    /// or [`WriteError::Parquet`] when writing a row group fails; the writer is unusable after
    /// that ([`WriteError::Poisoned`]).
    pub fn write_row(&mut self, row: &FocusRow) -> Result<(), WriteError> {
        if self.poisoned {
            return Err(WriteError::Poisoned);
        }
        let cells = checked_cells(row, self.rows + 1)?;
        for (buffer, cell) in self.columns.iter_mut().zip(cells) {
            if let Some(defs) = &mut buffer.defs {
                defs.push(i16::from(cell != Cell::Null));
            }
            // `checked_cells` has matched every value to its column's type and range.
            match (&mut buffer.values, cell) {
                (_, Cell::Null) => {}
                (Values::Text(v), Cell::Text(t)) => v.push(ByteArray::from(t)),
                (Values::Text(v), Cell::Tags(tags)) => v.push(ByteArray::from(tags_json(tags).into_bytes())),
                (Values::Decimal(v), Cell::Decimal(d)) => {
                    let n = unscaled(d).unwrap_or_default();
                    v.push(FixedLenByteArray::from(n.to_be_bytes().to_vec()));
                }
                (Values::Time(v), Cell::Time(t)) => v.push(micros(t).unwrap_or_default()),
                _ => {}
            }
        }
        self.buffered += 1;
        self.rows += 1;
        if self.buffered >= self.row_group_size {
            self.flush_row_group()?;
        }
        Ok(())
    }

    /// Rows accepted so far (written out or buffered).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Row groups written out so far.
    pub fn row_groups(&self) -> u64 {
        self.row_groups
    }

    /// Write the buffered rows out as a row group now (nothing when none is buffered).
    ///
    /// # Errors
    /// [`WriteError::Io`] or [`WriteError::Parquet`]; the writer is unusable after that.
    pub fn flush_row_group(&mut self) -> Result<(), WriteError> {
        if self.poisoned {
            return Err(WriteError::Poisoned);
        }
        if self.buffered == 0 {
            return Ok(());
        }
        self.poisoned = true;
        let mut group = self.file.next_row_group().map_err(parquet_error)?;
        for buffer in &self.columns {
            let mut column = group
                .next_column()
                .map_err(parquet_error)?
                .ok_or_else(|| WriteError::Parquet("the schema has fewer columns than the rows".into()))?;
            let defs = buffer.defs.as_deref();
            match &buffer.values {
                Values::Text(v) => column.typed::<ByteArrayType>().write_batch(v, defs, None),
                Values::Decimal(v) => column.typed::<FixedLenByteArrayType>().write_batch(v, defs, None),
                Values::Time(v) => column.typed::<Int64Type>().write_batch(v, defs, None),
            }
            .map_err(parquet_error)?;
            column.close().map_err(parquet_error)?;
        }
        group.close().map_err(parquet_error)?;
        self.file.flush().map_err(WriteError::Io)?;
        for buffer in &mut self.columns {
            buffer.clear();
        }
        self.buffered = 0;
        self.row_groups += 1;
        self.poisoned = false;
        Ok(())
    }

    /// Write the buffered rows as a last row group, then the footer, and hand back the
    /// destination. The result is a complete file of every row accepted, even when the export
    /// stopped early.
    ///
    /// # Errors
    /// [`WriteError::Io`] or [`WriteError::Parquet`]; [`WriteError::Poisoned`] when an earlier
    /// row group failed.
    pub fn finish(mut self) -> Result<W, WriteError> {
        self.flush_row_group()?;
        self.file.into_inner().map_err(parquet_error)
    }
}

#[cfg(test)]
mod tests {
    use ::parquet::file::reader::{FileReader, SerializedFileReader};
    use ::parquet::record::Field;

    use super::*;
    use crate::focus::cells::tests::sample_row;

    /// Read a file back through the crate's own reader (from disk: its in-memory reader wants
    /// the `bytes` crate, which the library does not depend on).
    fn read(bytes: Vec<u8>) -> SerializedFileReader<std::fs::File> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "tcbilling-focus-{}-{}.parquet",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, bytes).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        SerializedFileReader::new(file).unwrap()
    }

    #[test]
    fn rows_read_back_exactly_in_row_groups() {
        let mut w = ParquetWriter::with_row_group_size(Vec::new(), 3).unwrap();
        let mut rows = Vec::new();
        for i in 0..7 {
            let mut r = sample_row();
            r.billed_cost = format!("-{i}.0000000001").parse().unwrap();
            r.resource_id = (i % 2 == 0).then(|| format!("ins-{i}"));
            w.write_row(&r).unwrap();
            rows.push(r);
        }
        assert_eq!(w.row_groups(), 2, "two full groups written, one row buffered");
        let reader = read(w.finish().unwrap());
        let meta = reader.metadata();
        assert_eq!(meta.num_row_groups(), 3);
        assert_eq!(meta.file_metadata().num_rows(), 7);
        let schema = meta.file_metadata().schema_descr();
        assert_eq!(schema.num_columns(), COLUMNS.len());
        let billed = schema.column(1);
        assert_eq!(billed.name(), "BilledCost");
        assert_eq!(billed.type_precision(), 38);
        assert_eq!(billed.type_scale(), 10);
        let got: Vec<_> = reader.get_row_iter(None).unwrap().map(|r| r.unwrap()).collect();
        for (i, row) in got.iter().enumerate() {
            let fields: Vec<(&String, &Field)> = row.get_column_iter().collect();
            match fields[1].1 {
                Field::Decimal(d) => {
                    let n = i128::from_be_bytes(d.data().try_into().unwrap());
                    assert_eq!(n, -(i as i128) * 10_000_000_000 - 1);
                }
                other => panic!("BilledCost read as {other:?}"),
            }
            let resource = fields.iter().find(|(n, _)| *n == "ResourceId").unwrap().1;
            if i % 2 == 0 {
                assert_eq!(resource, &Field::Str(format!("ins-{i}")));
            } else {
                assert_eq!(resource, &Field::Null);
            }
            let start = fields.iter().find(|(n, _)| *n == "BillingPeriodStart").unwrap().1;
            assert_eq!(start, &Field::TimestampMicros(1_790_812_800_000_000));
            let tags = fields.iter().find(|(n, _)| *n == "Tags").unwrap().1;
            assert_eq!(tags, &Field::Str(r#"{"env":"prod","team":"a,b"}"#.into()));
        }
    }

    #[test]
    fn an_amount_that_does_not_fit_is_a_typed_error_and_the_file_stays_valid() {
        let mut w = ParquetWriter::new(Vec::new()).unwrap();
        w.write_row(&sample_row()).unwrap();
        let mut r = sample_row();
        r.effective_cost = crate::money::Decimal::MAX;
        let e = w.write_row(&r).unwrap_err();
        assert!(matches!(e, WriteError::Decimal { row: 2, column: "EffectiveCost", .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "row 2: EffectiveCost 79228162514264337593543950335 does not fit DECIMAL(38, 10) exactly"
        );
        assert_eq!(w.rows(), 1);
        let reader = read(w.finish().unwrap());
        assert_eq!(reader.metadata().file_metadata().num_rows(), 1);
    }

    #[test]
    fn an_empty_file_is_valid_and_dropping_unfinished_does_not_panic() {
        let reader = read(ParquetWriter::new(Vec::new()).unwrap().finish().unwrap());
        assert_eq!(reader.metadata().file_metadata().num_rows(), 0);
        let mut w = ParquetWriter::with_row_group_size(Vec::new(), 2).unwrap();
        for _ in 0..3 {
            w.write_row(&sample_row()).unwrap();
        }
        drop(w);
    }

    /// A destination that fails after `left` bytes.
    struct Failing {
        left: usize,
    }
    impl Write for Failing {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.left < buf.len() {
                return Err(std::io::Error::other("disk full"));
            }
            self.left -= buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failing_destination_is_an_io_error_then_poisoned() {
        let mut w = ParquetWriter::with_row_group_size(Failing { left: 64 }, 1).unwrap();
        let e = w.write_row(&sample_row()).unwrap_err();
        assert!(matches!(e, WriteError::Io(_) | WriteError::Parquet(_)), "{e:?}");
        assert!(matches!(w.write_row(&sample_row()), Err(WriteError::Poisoned)));
        assert!(matches!(w.finish(), Err(WriteError::Poisoned)));
    }
}
