//! Exact money. The billing API uses three representations, and each gets its own type:
//!
//! | type | wire form | used for |
//! |---|---|---|
//! | [`Yuan`] | decimal string, up to 8 places (`"17.50000000"`) | bills, costs, allocation |
//! | [`Cents`] | JSON number, integral or fractional | account balance, orders |
//! | [`YuanE8`] | integer in 1e-8 of the unit | vouchers |
//!
//! "Yuan" means the account's currency unit: CNY on the China site, USD on the international site.
//! None of them is a float; conversions between them are exact:
//!
//! ```
//! use tencentcloud_billing::money::{Cents, Yuan, YuanE8};
//! let balance: Cents = "1234567.5".parse()?;
//! assert_eq!(balance.to_yuan().to_string(), "12345.675");
//! let voucher = YuanE8::new(1_000_000_001);
//! assert_eq!(voucher.to_yuan().to_string(), "10.00000001");
//! assert_eq!("0.01".parse::<Yuan>()?.to_cents(), Cents::from(1));
//! # Ok::<(), tencentcloud_billing::money::ParseMoneyError>(())
//! ```
//!
//! Tencent marks "not applicable" money with `"-"` (bills before Bill 3.0, contract prices) or
//! `""`. Response fields are `Option`s, and those sentinels decode as `None`, like `null` and a
//! missing field.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

pub use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// A money string or number that is not an exact decimal amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid amount {input:?}: {reason}")]
pub struct ParseMoneyError {
    input: String,
    reason: &'static str,
}

impl ParseMoneyError {
    fn new(input: &str, reason: &'static str) -> Self {
        ParseMoneyError { input: crate::text::clip(input, 64), reason }
    }
}

/// The largest magnitude accepted from text or the wire: 10^26. Keeping two digits of headroom
/// below the 28-digit limit means converting any accepted amount to cents cannot overflow.
const MAX_MAGNITUDE: Decimal = Decimal::from_parts(0xE400_0000, 0xDCC8_0CD2, 0x0052_B7D2, false, 0);

/// Parse a decimal without rounding: more than 28 significant digits is an error, not a rounding.
pub(crate) fn parse_decimal(s: &str) -> Result<Decimal, ParseMoneyError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(ParseMoneyError::new(s, "empty"));
    }
    let d = if t.contains(['e', 'E']) {
        exact_scientific(t).ok_or_else(|| ParseMoneyError::new(s, "not a decimal number within 28 digits"))?
    } else {
        Decimal::from_str_exact(t).map_err(|_| ParseMoneyError::new(s, "not a decimal number within 28 digits"))?
    };
    if d.abs() >= MAX_MAGNITUDE {
        return Err(ParseMoneyError::new(s, "amount out of range (at most 26 integer digits)"));
    }
    Ok(d)
}

/// `mantissa e exponent` without rounding: the mantissa is parsed exactly, and the exponent only
/// moves the decimal point, so the same digits are refused with or without an exponent.
fn exact_scientific(t: &str) -> Option<Decimal> {
    let (m, e) = t.split_once(['e', 'E'])?;
    let m = Decimal::from_str_exact(m).ok()?;
    let e: i32 = e.strip_prefix('+').unwrap_or(e).parse().ok()?;
    let scale = i64::from(m.scale()) - i64::from(e);
    if scale >= 0 {
        Decimal::try_from_i128_with_scale(m.mantissa(), u32::try_from(scale).ok()?).ok()
    } else {
        let k = u32::try_from(-scale).ok().filter(|k| *k <= 28)?;
        Decimal::try_from_i128_with_scale(m.mantissa().checked_mul(10i128.pow(k))?, 0).ok()
    }
}

/// A float from JSON, taken at its shortest decimal spelling: `0.1` is 0.1, not the binary
/// neighbour. JSON numbers are written in decimal, so this recovers what the server wrote.
pub(crate) fn decimal_from_f64(v: f64) -> Result<Decimal, ParseMoneyError> {
    if !v.is_finite() {
        return Err(ParseMoneyError::new(&v.to_string(), "not finite"));
    }
    let s = format!("{v}");
    parse_decimal(&s)
}

macro_rules! decimal_money {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(Decimal);

        impl $name {
            /// Zero.
            pub const ZERO: $name = $name(Decimal::ZERO);

            /// Wrap an exact decimal.
            pub const fn new(amount: Decimal) -> Self {
                $name(amount)
            }

            /// The exact decimal value.
            pub const fn amount(&self) -> Decimal {
                self.0
            }

            /// Whether the amount is below zero.
            pub fn is_negative(&self) -> bool {
                self.0.is_sign_negative() && !self.0.is_zero()
            }

            /// Whether the amount is zero.
            pub fn is_zero(&self) -> bool {
                self.0.is_zero()
            }

            /// The sum, or `None` on overflow.
            pub fn checked_add(self, other: Self) -> Option<Self> {
                self.0.checked_add(other.0).map($name)
            }

            /// The difference, or `None` on overflow.
            pub fn checked_sub(self, other: Self) -> Option<Self> {
                self.0.checked_sub(other.0).map($name)
            }

            /// The sum of any number of amounts, or `None` on overflow.
            pub fn checked_sum<I: IntoIterator<Item = Self>>(iter: I) -> Option<Self> {
                iter.into_iter().try_fold($name::ZERO, $name::checked_add)
            }
        }

        impl From<Decimal> for $name {
            fn from(d: Decimal) -> Self {
                $name(d)
            }
        }

        impl From<i64> for $name {
            fn from(v: i64) -> Self {
                $name(Decimal::from(v))
            }
        }

        impl FromStr for $name {
            type Err = ParseMoneyError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                parse_decimal(s).map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        /// # Panics
        /// On overflow beyond 28 digits, like integer arithmetic. Amounts decoded from the wire
        /// are below 10^26, so sums of fewer than 790 of them cannot overflow; use `checked_add`
        /// or `checked_sum` where that bound is not enough.
        impl Add for $name {
            type Output = $name;
            fn add(self, rhs: $name) -> $name {
                $name(self.0 + rhs.0)
            }
        }

        impl AddAssign for $name {
            fn add_assign(&mut self, rhs: $name) {
                self.0 += rhs.0;
            }
        }

        impl Sub for $name {
            type Output = $name;
            fn sub(self, rhs: $name) -> $name {
                $name(self.0 - rhs.0)
            }
        }

        impl SubAssign for $name {
            fn sub_assign(&mut self, rhs: $name) {
                self.0 -= rhs.0;
            }
        }

        impl Neg for $name {
            type Output = $name;
            fn neg(self) -> $name {
                $name(-self.0)
            }
        }

        impl Sum for $name {
            fn sum<I: Iterator<Item = $name>>(iter: I) -> $name {
                iter.fold($name::ZERO, |a, b| a + b)
            }
        }

        impl<'a> Sum<&'a $name> for $name {
            fn sum<I: Iterator<Item = &'a $name>>(iter: I) -> $name {
                iter.fold($name::ZERO, |a, b| a + *b)
            }
        }

    };
}

decimal_money! {
    /// An amount in the account's currency unit (yuan on the China site, US dollars on the
    /// international site), exact to any number of decimal places up to 28 digits.
    ///
    /// On the wire it is a decimal string such as `"0.01155781"`, and requests send it as one.
    Yuan
}

decimal_money! {
    /// An amount in cents (fen, or US cents on the international site). Balances and orders
    /// use it. The wire sends a JSON number, integral or fractional; either is kept exactly.
    Cents
}

impl Yuan {
    /// The same amount in cents, exactly.
    ///
    /// # Panics
    /// When the result does not fit in 28 digits, which no amount parsed from text or decoded
    /// from the wire (all below 10^26) can reach; see [`Yuan::checked_to_cents`].
    pub fn to_cents(self) -> Cents {
        self.checked_to_cents().expect("amount too large to express in cents")
    }

    /// The same amount in cents, or `None` when it does not fit in 28 digits.
    pub fn checked_to_cents(self) -> Option<Cents> {
        scale_by_pow10(self.0, 2).map(Cents)
    }
}

impl Cents {
    /// The same amount in the currency unit, exactly.
    pub fn to_yuan(self) -> Yuan {
        Yuan(scale_by_pow10(self.0, -2).expect("dividing by 100 cannot overflow"))
    }

    /// The amount as whole cents, when it has no fractional part.
    pub fn to_i64(self) -> Option<i64> {
        use rust_decimal::prelude::ToPrimitive;
        if self.0.fract().is_zero() { self.0.to_i64() } else { None }
    }
}

/// Multiply by 10^k (k = ±2) exactly by moving the decimal point; `None` on overflow.
fn scale_by_pow10(d: Decimal, k: i32) -> Option<Decimal> {
    let scale = d.scale() as i32 - k;
    if (0..=28).contains(&scale) {
        let mut r = d;
        r.set_scale(scale as u32).ok()?;
        Some(r.normalize())
    } else if scale < 0 {
        // The decimal point moves right past the last digit.
        d.checked_mul(Decimal::from_i128_with_scale(10i128.pow(k.unsigned_abs()), 0))
    } else {
        // More than 28 decimal places: rust_decimal cannot hold it, round at 28.
        d.checked_div(Decimal::from_i128_with_scale(10i128.pow(k.unsigned_abs()), 0))
    }
}

impl Serialize for Yuan {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// Requests take cents as whole integers (`ModifyAccountWarning.Threshold`), so a fractional
/// amount is refused when the request is serialized (before anything is sent) rather than sent
/// as a float the server would misread.
impl Serialize for Cents {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.to_i64() {
            Some(v) => s.serialize_i64(v),
            None => Err(serde::ser::Error::custom(format_args!(
                "{} cents is not a whole number of cents within range",
                self.0
            ))),
        }
    }
}

/// Serialize an optional amount in cents from an answer the way the wire sends it, as a JSON
/// number, whenever decoding that number gives the same amount back; otherwise (more digits than
/// a float carries) as a decimal string, which decodes exactly.
#[allow(dead_code)] // used by generated response types
pub(crate) fn ser_opt_cents_exact<S: Serializer>(v: &Option<Cents>, s: S) -> Result<S::Ok, S::Error> {
    use rust_decimal::prelude::ToPrimitive;
    let Some(c) = v else { return s.serialize_none() };
    if let Some(i) = c.to_i64() {
        return s.serialize_i64(i);
    }
    match c.0.to_f64() {
        Some(f) if decimal_from_f64(f).is_ok_and(|d| d == c.0) => s.serialize_f64(f),
        _ => s.collect_str(&c.0),
    }
}

/// An amount in 1e-8 of the currency unit, as vouchers report it (`Balance`, `NominalValue`,
/// `UsedAmount`). `YuanE8::new(100_000_000)` is one yuan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct YuanE8(i64);

impl YuanE8 {
    /// Wrap a raw count of 1e-8 units.
    pub const fn new(units: i64) -> Self {
        YuanE8(units)
    }

    /// The raw count.
    pub const fn units(&self) -> i64 {
        self.0
    }

    /// The same amount in the currency unit, exactly.
    pub fn to_yuan(self) -> Yuan {
        Yuan(Decimal::new(self.0, 8).normalize())
    }

    /// The same amount in cents, exactly.
    pub fn to_cents(self) -> Cents {
        Cents(Decimal::new(self.0, 6).normalize())
    }
}

impl fmt::Display for YuanE8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_yuan(), f)
    }
}

/// A percentage, as the cost-ratio fields send it (`"12.34"` or `"12.34%"`): the number of
/// percent, exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percent(Decimal);

impl Percent {
    /// Wrap a number of percent.
    pub const fn new(percent: Decimal) -> Self {
        Percent(percent)
    }

    /// The number of percent (`12.5` for 12.5%).
    pub const fn value(&self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0)
    }
}

/// Written as the number of percent in a string (`"12.5"`), a form the decoder reads back exactly.
impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[test]
    fn long_invalid_amounts_are_cut_on_a_character_boundary() {
        let input = format!("{}€€€", "9".repeat(63));
        let e = input.parse::<Yuan>().unwrap_err();
        assert!(e.to_string().contains(&"9".repeat(63)), "{e}");
        assert!("€".repeat(40).parse::<Cents>().is_err());
    }

    #[derive(Deserialize)]
    struct Row {
        #[serde(default, deserialize_with = "crate::wire::opt")]
        cost: Option<Yuan>,
        #[serde(default, deserialize_with = "crate::wire::opt")]
        balance: Option<Cents>,
        #[serde(default, deserialize_with = "crate::wire::opt")]
        voucher: Option<YuanE8>,
    }

    fn row(json: &str) -> Row {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn yuan_strings_are_exact() {
        assert_eq!(row(r#"{"cost":"0.01155781"}"#).cost.unwrap().to_string(), "0.01155781");
        assert_eq!(row(r#"{"cost":"17.50000000"}"#).cost.unwrap().amount(), Decimal::new(175, 1));
        assert_eq!(row(r#"{"cost":"-3.20"}"#).cost.unwrap().to_cents(), Cents::from(-320));
        let huge = row(r#"{"cost":"99999999999999999999.99999999"}"#).cost.unwrap();
        assert_eq!(huge.to_string(), "99999999999999999999.99999999");
    }

    #[test]
    fn sentinels_and_nulls_are_absent() {
        for j in [r#"{"cost":"-"}"#, r#"{"cost":""}"#, r#"{"cost":null}"#, r#"{}"#, r#"{"cost":" - "}"#] {
            assert_eq!(row(j).cost, None, "{j}");
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for j in [
            r#"{"cost":"abc"}"#,
            r#"{"cost":"1.2.3"}"#,
            r#"{"cost":true}"#,
            r#"{"cost":"999999999999999999999999999999999"}"#,
            r#"{"balance":"x"}"#,
            r#"{"balance":[1]}"#,
            r#"{"voucher":1.5}"#,
        ] {
            let r: Result<Row, _> = serde_json::from_str(j);
            assert!(r.is_err(), "{j}");
        }
        // 29 decimal places cannot be held exactly: refused, not rounded.
        assert!("0.00000000000000000000000000001".parse::<Yuan>().is_err());
    }

    #[test]
    fn cents_accept_integers_and_fractions() {
        assert_eq!(row(r#"{"balance":36365911}"#).balance.unwrap(), Cents::from(36_365_911));
        assert_eq!(row(r#"{"balance":36365911.0}"#).balance.unwrap().to_i64(), Some(36_365_911));
        let frac = row(r#"{"balance":12.34}"#).balance.unwrap();
        assert_eq!(frac.to_string(), "12.34");
        assert_eq!(frac.to_yuan().to_string(), "0.1234");
        assert_eq!(row(r#"{"balance":-500}"#).balance.unwrap().to_yuan(), "-5".parse().unwrap());
        assert_eq!(row(r#"{"balance":"100"}"#).balance.unwrap(), Cents::from(100));
        assert_eq!(row(r#"{"balance":10000000000}"#).balance.unwrap().to_yuan().to_string(), "100000000");
    }

    #[test]
    fn e8_units_convert_exactly() {
        let v = row(r#"{"voucher":123456789012}"#).voucher.unwrap();
        assert_eq!(v.to_yuan().to_string(), "1234.56789012");
        assert_eq!(v.to_cents().to_string(), "123456.789012");
        assert_eq!(YuanE8::new(-1).to_yuan().to_string(), "-0.00000001");
    }

    #[test]
    fn conversions_round_trip() {
        for s in ["0", "0.01", "1", "12345.67891234", "-0.5", "79228162514264337593543950"] {
            let y: Yuan = s.parse().unwrap();
            assert_eq!(y.to_cents().to_yuan(), y, "{s}");
        }
    }

    #[test]
    fn serialization() {
        assert_eq!(serde_json::to_string(&Yuan::from(Decimal::new(1050, 2))).unwrap(), r#""10.50""#);
        assert_eq!(serde_json::to_string(&Cents::from(100)).unwrap(), "100");
        assert_eq!(serde_json::to_string(&"2500.00".parse::<Cents>().unwrap()).unwrap(), "2500");
        assert_eq!(serde_json::to_string(&YuanE8::new(5)).unwrap(), "5");
    }

    #[test]
    fn untrusted_amounts_never_overflow_later() {
        for s in ["9999999999999999999999999999", "1e28", "-1e27", "100000000000000000000000000"] {
            assert!(s.parse::<Yuan>().is_err(), "{s}");
        }
        let max: Yuan = "99999999999999999999999999.99".parse().unwrap();
        assert_eq!(max.to_cents().to_yuan(), max);
        assert_eq!(Yuan::new(Decimal::MAX).checked_to_cents(), None);
        assert_eq!(Yuan::checked_sum([Yuan::new(Decimal::MAX), Yuan::new(Decimal::MAX)]), None);
        // The same 29 digits are refused with and without an exponent, never rounded.
        for s in ["0.12345678901234567890123456789", "0.12345678901234567890123456789e0", "1e-29", "1.5e-28"] {
            assert!(s.parse::<Yuan>().is_err(), "{s}");
        }
        assert_eq!("1.5e2".parse::<Yuan>().unwrap().to_string(), "150");
        assert_eq!("15e-1".parse::<Yuan>().unwrap().to_string(), "1.5");
        assert_eq!("-2.5E+1".parse::<Yuan>().unwrap().to_string(), "-25");
        assert_eq!("1e-28".parse::<Yuan>().unwrap(), Yuan::new(Decimal::new(1, 28)));
        let garbage = "余".repeat(40);
        assert!(garbage.parse::<Yuan>().is_err());
        assert!(serde_json::to_string(&"1.5".parse::<Cents>().unwrap()).is_err());
    }

    #[test]
    fn sums() {
        let v: Vec<Yuan> = ["0.1", "0.2"].iter().map(|s| s.parse().unwrap()).collect();
        assert_eq!(v.iter().sum::<Yuan>().to_string(), "0.3");
    }

    #[test]
    fn percent() {
        #[derive(Deserialize)]
        struct P {
            #[serde(deserialize_with = "crate::wire::opt")]
            p: Option<Percent>,
        }
        let p: P = serde_json::from_str(r#"{"p":"12.5%"}"#).unwrap();
        assert_eq!(p.p.unwrap().value(), Decimal::new(125, 1));
    }
}
