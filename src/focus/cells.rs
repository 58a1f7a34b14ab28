//! A row's values in [`COLUMNS`] order, checked and converted once for both writers.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::{BILLING_ACCOUNT_TYPE, COLUMNS, ColumnType, FocusRow, SUB_ACCOUNT_TYPE, WriteError};
use crate::money::Decimal;

/// The scale of every FOCUS amount in the files: the bills carry 8 decimal places, unit prices
/// a few more.
pub(crate) const DECIMAL_SCALE: u32 = 10;
/// The precision: 38 digits, the most a 16-byte decimal holds.
pub(crate) const DECIMAL_PRECISION: u32 = 38;

/// One value of a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell<'a> {
    Null,
    Text(&'a str),
    Decimal(Decimal),
    Time(OffsetDateTime),
    Tags(&'a BTreeMap<String, String>),
}

fn text(v: &Option<String>) -> Cell<'_> {
    v.as_deref().map_or(Cell::Null, Cell::Text)
}

fn dec(v: Option<Decimal>) -> Cell<'static> {
    v.map_or(Cell::Null, Cell::Decimal)
}

fn time(v: Option<OffsetDateTime>) -> Cell<'static> {
    v.map_or(Cell::Null, Cell::Time)
}

fn name<T>(v: Option<T>, f: impl FnOnce(T) -> &'static str) -> Cell<'static> {
    v.map_or(Cell::Null, |v| Cell::Text(f(v)))
}

/// How many columns [`cells`] knows; a column added to [`COLUMNS`] must be added here too.
const KNOWN: usize = 64;
const _: () = assert!(COLUMNS.len() == KNOWN, "a FOCUS column was added: give it a value in focus/cells.rs");

/// The row's values in [`COLUMNS`] order, unchecked.
pub(crate) fn cells(r: &FocusRow) -> [Cell<'_>; KNOWN] {
    [
        text(&r.availability_zone),
        Cell::Decimal(r.billed_cost),
        Cell::Text(&r.billing_account_id),
        text(&r.billing_account_name),
        Cell::Text(BILLING_ACCOUNT_TYPE),
        Cell::Text(&r.billing_currency),
        time(r.billing_period_end),
        time(r.billing_period_start),
        // Bill rows carry no capacity reservation.
        Cell::Null,
        Cell::Null,
        Cell::Text(r.charge_category.as_str()),
        name(r.charge_class, |v| v.as_str()),
        text(&r.charge_description),
        name(r.charge_frequency, |v| v.as_str()),
        time(r.charge_period_end),
        time(r.charge_period_start),
        name(r.commitment_discount_category, |v| v.as_str()),
        text(&r.commitment_discount_id),
        text(&r.commitment_discount_name),
        dec(r.commitment_discount_quantity),
        name(r.commitment_discount_status, |v| v.as_str()),
        text(&r.commitment_discount_type),
        text(&r.commitment_discount_unit),
        dec(r.consumed_quantity),
        text(&r.consumed_unit),
        Cell::Decimal(r.contracted_cost),
        dec(r.contracted_unit_price),
        Cell::Decimal(r.effective_cost),
        text(&r.invoice_id),
        Cell::Text(&r.invoice_issuer_name),
        Cell::Decimal(r.list_cost),
        dec(r.list_unit_price),
        name(r.pricing_category, |v| v.as_str()),
        // Tencent prices in the currency it bills in: the pricing-currency columns repeat the
        // billing ones.
        Cell::Text(&r.billing_currency),
        dec(r.contracted_unit_price),
        Cell::Decimal(r.effective_cost),
        dec(r.list_unit_price),
        dec(r.pricing_quantity),
        text(&r.pricing_unit),
        Cell::Text(&r.provider_name),
        Cell::Text(&r.publisher_name),
        text(&r.region_id),
        text(&r.region_name),
        text(&r.resource_id),
        text(&r.resource_name),
        text(&r.resource_type),
        Cell::Text(r.service_category.as_str()),
        Cell::Text(&r.service_name),
        Cell::Text(&r.service_subcategory),
        text(&r.sku_id),
        text(&r.sku_meter),
        // No SKU price id, hence no price details.
        Cell::Null,
        text(&r.sku_price_id),
        text(&r.sub_account_id),
        text(&r.sub_account_name),
        if r.sub_account_id.is_some() { Cell::Text(SUB_ACCOUNT_TYPE) } else { Cell::Null },
        if r.tags.is_empty() { Cell::Null } else { Cell::Tags(&r.tags) },
        text(&r.x_bill_id),
        text(&r.x_component_name),
        text(&r.x_component_type),
        time(r.x_export_time),
        text(&r.sub_account_id),
        text(&r.x_product_code),
        text(&r.x_subproduct_name),
    ]
}

/// The row's values, checked against the columns: no null where FOCUS forbids one, every amount
/// representable as `DECIMAL(38, 10)`, every time a whole microsecond in years 1 to 9999.
///
/// # Errors
/// The first value that fails, as [`WriteError::Null`], [`WriteError::Decimal`] or
/// [`WriteError::Time`].
pub(crate) fn checked_cells(r: &FocusRow, row: u64) -> Result<[Cell<'_>; KNOWN], WriteError> {
    let cells = cells(r);
    for (column, cell) in COLUMNS.iter().zip(&cells) {
        match *cell {
            Cell::Null if !column.nullable => return Err(WriteError::Null { row, column: column.name }),
            Cell::Decimal(value) if unscaled(value).is_none() => {
                return Err(WriteError::Decimal { row, column: column.name, value });
            }
            Cell::Time(value) if micros(value).is_none() => {
                return Err(WriteError::Time { row, column: column.name, value });
            }
            _ => {}
        }
        debug_assert!(matches!(
            (column.ty, cell),
            (_, Cell::Null)
                | (ColumnType::String, Cell::Text(_))
                | (ColumnType::Decimal, Cell::Decimal(_))
                | (ColumnType::DateTime, Cell::Time(_))
                | (ColumnType::Tags, Cell::Tags(_))
        ));
    }
    Ok(cells)
}

/// `value` × 10^[`DECIMAL_SCALE`] when that is an integer of at most 38 digits: the unscaled
/// value of `DECIMAL(38, 10)`. Trailing zeros beyond the scale are fine; other digits are not.
pub(crate) fn unscaled(value: Decimal) -> Option<i128> {
    let v = value.normalize();
    if v.scale() > DECIMAL_SCALE {
        return None;
    }
    let n = v.mantissa().checked_mul(10i128.checked_pow(DECIMAL_SCALE - v.scale())?)?;
    (n.unsigned_abs() < 10u128.pow(DECIMAL_PRECISION)).then_some(n)
}

/// Microseconds since the Unix epoch, when the time is a whole microsecond in years 1 to 9999.
pub(crate) fn micros(t: OffsetDateTime) -> Option<i64> {
    if !(1..=9999).contains(&t.year()) || !t.nanosecond().is_multiple_of(1_000) {
        return None;
    }
    i64::try_from(t.unix_timestamp_nanos() / 1_000).ok()
}

/// ISO 8601 in UTC with a `Z`: `2026-10-01T00:00:00Z`, with `.ffffff` only when the time has a
/// fraction. For a time [`micros`] accepts.
pub(crate) fn utc_text(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let mut s = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    if t.microsecond() != 0 {
        s.push_str(&format!(".{:06}", t.microsecond()));
    }
    s.push('Z');
    s
}

/// Tags as a JSON object, keys in order.
pub(crate) fn tags_json(tags: &BTreeMap<String, String>) -> String {
    // A map of strings always serialises; the fallback is never taken.
    serde_json::to_string(tags).unwrap_or_else(|_| String::from("{}"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::focus::{ChargeFrequency, ServiceCategory};

    fn utc(y: i32, m: time::Month, d: u8) -> OffsetDateTime {
        time::Date::from_calendar_date(y, m, d).unwrap().midnight().assume_utc()
    }

    /// A row with awkward values: a large amount, a tiny negative one, text that needs quoting.
    pub(crate) fn sample_row() -> FocusRow {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        FocusRow {
            availability_zone: Some("ap-guangzhou-3".into()),
            billed_cost: d("123456789012345678.12345678"),
            billing_account_id: "100000000001".into(),
            billing_currency: "CNY".into(),
            billing_period_start: Some(utc(2026, time::Month::October, 1)),
            billing_period_end: Some(utc(2026, time::Month::November, 1)),
            charge_period_start: Some(utc(2026, time::Month::October, 3)),
            charge_period_end: Some(utc(2026, time::Month::October, 4)),
            charge_frequency: Some(ChargeFrequency::UsageBased),
            contracted_cost: d("-0.00000001"),
            effective_cost: d("0"),
            list_cost: d("1.5"),
            consumed_quantity: Some(d("3600")),
            invoice_issuer_name: "Tencent Cloud".into(),
            provider_name: "Tencent Cloud".into(),
            publisher_name: "Tencent Cloud".into(),
            resource_name: Some("web \"1\", eu".into()),
            service_category: ServiceCategory::Compute,
            service_name: "Cloud Virtual Machine".into(),
            service_subcategory: "Virtual Machines".into(),
            tags: [("env".to_owned(), "prod".to_owned()), ("team".to_owned(), "a,b".to_owned())].into(),
            ..FocusRow::default()
        }
    }

    #[test]
    fn unscaled_is_exact_or_refused() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(unscaled(d("1.23456789")), Some(12_345_678_900));
        assert_eq!(unscaled(d("-0.0000000001")), Some(-1));
        assert_eq!(unscaled(d("1.000000000000000")), Some(10_000_000_000));
        assert_eq!(unscaled(d("0.00000000001")), None, "11 decimal places");
        assert_eq!(
            unscaled(d("9999999999999999999999999999")),
            Some(99_999_999_999_999_999_999_999_999_990_000_000_000)
        );
        assert_eq!(unscaled(Decimal::MAX), None, "29 integer digits");
        assert_eq!(unscaled(Decimal::MIN), None);
    }

    proptest::proptest! {
        /// Any decimal is either written exactly (the unscaled value at scale 10 is the same
        /// number) or refused, never rounded or wrapped; the text form parses back to it.
        #[test]
        fn decimals_are_exact_or_refused(m in proptest::num::i128::ANY, scale in 0u32..=28) {
            let max: i128 = 79_228_162_514_264_337_593_543_950_335;
            let value = Decimal::from_i128_with_scale(m % (max + 1), scale);
            match unscaled(value) {
                Some(n) => {
                    // Read the 38-digit integer back as text with the point put 10 places in.
                    let digits = format!("{:011}", n.unsigned_abs());
                    let (int, frac) = digits.split_at(digits.len() - DECIMAL_SCALE as usize);
                    let sign = if n < 0 { "-" } else { "" };
                    let back: Decimal = format!("{sign}{int}.{}", frac.trim_end_matches('0')).trim_end_matches('.').parse().unwrap();
                    proptest::prop_assert_eq!(back, value);
                }
                None => {
                    let v = value.normalize();
                    proptest::prop_assert!(v.scale() > DECIMAL_SCALE || v.abs() >= Decimal::from_i128_with_scale(10i128.pow(28), 0));
                }
            }
            proptest::prop_assert_eq!(value.to_string().parse::<Decimal>().ok(), Some(value));
            proptest::prop_assert!(!value.to_string().contains(['e', 'E']));
        }
    }

    #[test]
    fn times_are_utc_with_a_z() {
        let beijing = time::UtcOffset::from_hms(8, 0, 0).unwrap();
        let day = time::Date::from_calendar_date(2026, time::Month::October, 1).unwrap();
        let t = day.with_hms(8, 0, 0).unwrap().assume_offset(beijing);
        assert_eq!(utc_text(t), "2026-10-01T00:00:00Z");
        assert_eq!(micros(t), Some(1_790_812_800_000_000));
        let frac = t + time::Duration::microseconds(1_500);
        assert_eq!(utc_text(frac), "2026-10-01T00:00:00.001500Z");
        assert_eq!(micros(t + time::Duration::nanoseconds(1)), None);
    }
}
