//! Serde glue between Tencent's loose wire forms and the typed values.
//!
//! The wire is inconsistent: numbers arrive as strings and strings as numbers, `null` appears in
//! fields documented as required, and `"-"` or `""` stand for "not applicable". Every typed value
//! implements [`FromWire`], and response fields use [`opt`], which maps `null`, a missing field,
//! `""` and `"-"` to `None` and anything else through `FromWire`, or fails with a message naming
//! what was expected.

use std::fmt;
use std::marker::PhantomData;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::Serializer;
use time::{Date, OffsetDateTime};

use crate::datetime::{DateOrMonth, ParseTimeError, YearMonth};
use crate::money::{Cents, ParseMoneyError, Percent, Yuan, YuanE8, decimal_from_f64, parse_decimal};

/// A value that can be read from any of the JSON forms Tencent uses for it.
pub(crate) trait FromWire: Sized {
    /// What the value looks like, for error messages.
    const EXPECTING: &'static str;
    /// Whether `""` and `"-"` mean "absent" (true for typed values; a plain string keeps them).
    const SENTINELS: bool = true;
    fn from_wire_str(s: &str) -> Result<Self, String> {
        Err(format!("unexpected string {s:?}"))
    }
    fn from_wire_u64(v: u64) -> Result<Self, String> {
        Err(format!("unexpected number {v}"))
    }
    fn from_wire_i64(v: i64) -> Result<Self, String> {
        Err(format!("unexpected number {v}"))
    }
    fn from_wire_f64(v: f64) -> Result<Self, String> {
        Err(format!("unexpected number {v}"))
    }
    fn from_wire_bool(v: bool) -> Result<Self, String> {
        Err(format!("unexpected boolean {v}"))
    }
}

fn is_sentinel(s: &str) -> bool {
    matches!(s.trim(), "" | "-")
}

struct OptVisitor<T>(PhantomData<T>);

impl<'de, T: FromWire> Visitor<'de> for OptVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        if T::SENTINELS && is_sentinel(s) { Ok(None) } else { T::from_wire_str(s).map(Some).map_err(E::custom) }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::from_wire_u64(v).map(Some).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::from_wire_i64(v).map(Some).map_err(E::custom)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::from_wire_f64(v).map(Some).map_err(E::custom)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        T::from_wire_bool(v).map(Some).map_err(E::custom)
    }
}

/// Deserialize an optional typed value: `null`, `""` and `"-"` are `None`.
pub(crate) fn opt<'de, D: Deserializer<'de>, T: FromWire>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_option(OptVisitor(PhantomData))
}

/// Deserialize a value that must be present (used by the types' own `Deserialize`).
pub(crate) fn required<'de, D: Deserializer<'de>, T: FromWire>(d: D) -> Result<T, D::Error> {
    opt(d)?.ok_or_else(|| de::Error::custom(format_args!("expected {}, found an empty value", T::EXPECTING)))
}

struct VecVisitor<T>(PhantomData<T>);

impl<'de, T: FromWire> Visitor<'de> for VecVisitor<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of {}", T::EXPECTING)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(v) = seq.next_element_seed(OptSeed::<T>(PhantomData))? {
            // A sentinel inside a list carries nothing: skip it.
            if let Some(v) = v {
                out.push(v);
            }
        }
        Ok(Some(out))
    }
}

struct OptSeed<T>(PhantomData<T>);

impl<'de, T: FromWire> de::DeserializeSeed<'de> for OptSeed<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        opt(d)
    }
}

/// Deserialize an optional list of typed values.
#[allow(dead_code)] // used by generated list fields
pub(crate) fn opt_vec<'de, D: Deserializer<'de>, T: FromWire>(d: D) -> Result<Option<Vec<T>>, D::Error> {
    d.deserialize_option(VecVisitor(PhantomData))
}

/// Deserialize a value for which `null` means its default: a `null` RequestId is the empty string,
/// like a missing one. No cost beyond the `null` check.
#[allow(dead_code)] // used by generated response types
pub(crate) fn null_as_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

struct SkipNullVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for SkipNullVisitor<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // As serde's own `Vec` impl: trust a size hint only up to about 1 MiB.
        let cap = seq.size_hint().unwrap_or(0).min((1 << 20) / std::mem::size_of::<T>().max(1));
        let mut out = Vec::with_capacity(cap);
        // `Option<T>` only peeks for `null` before decoding `T` in place: nothing extra is allocated.
        while let Some(v) = seq.next_element::<Option<T>>()? {
            if let Some(v) = v {
                out.push(v);
            }
        }
        Ok(Some(out))
    }
}

/// Deserialize an optional list of plainly decoded values (objects, strings), skipping `null`
/// elements: `null` or a missing list is `None`, `[a, null, b]` is `[a, b]`. Typed scalar lists
/// use [`opt_vec`], which also skips the `""` and `"-"` sentinels.
#[allow(dead_code)] // used by generated list fields
pub(crate) fn opt_vec_skip_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    d.deserialize_option(SkipNullVisitor(PhantomData))
}

/// Plain wire types, so that generated code can use [`opt`] uniformly and gain the leniency
/// (a number sent as a string, `""` for "none").
impl FromWire for String {
    const EXPECTING: &'static str = "a string";
    const SENTINELS: bool = false;
    fn from_wire_str(s: &str) -> Result<Self, String> {
        Ok(s.to_owned())
    }
    fn from_wire_u64(v: u64) -> Result<Self, String> {
        Ok(v.to_string())
    }
    fn from_wire_i64(v: i64) -> Result<Self, String> {
        Ok(v.to_string())
    }
    fn from_wire_f64(v: f64) -> Result<Self, String> {
        Ok(v.to_string())
    }
    fn from_wire_bool(v: bool) -> Result<Self, String> {
        Ok(v.to_string())
    }
}

macro_rules! int_from_wire {
    ($($t:ty),*) => {$(
        impl FromWire for $t {
            const EXPECTING: &'static str = concat!("an integer (", stringify!($t), ")");
            fn from_wire_str(s: &str) -> Result<Self, String> {
                s.trim().parse().map_err(|_| format!("invalid integer {s:?}"))
            }
            fn from_wire_u64(v: u64) -> Result<Self, String> {
                <$t>::try_from(v).map_err(|_| format!("integer {v} out of range"))
            }
            fn from_wire_i64(v: i64) -> Result<Self, String> {
                <$t>::try_from(v).map_err(|_| format!("integer {v} out of range"))
            }
            fn from_wire_f64(v: f64) -> Result<Self, String> {
                if v.fract() == 0.0 && v >= <$t>::MIN as f64 && v <= <$t>::MAX as f64 {
                    Ok(v as $t)
                } else {
                    Err(format!("{v} is not an integer"))
                }
            }
            fn from_wire_bool(v: bool) -> Result<Self, String> {
                Ok(v as $t)
            }
        }
    )*};
}
int_from_wire!(u64, i64, u32, i32);

impl FromWire for bool {
    const EXPECTING: &'static str = "a boolean";
    fn from_wire_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "true" | "1" | "True" | "TRUE" => Ok(true),
            "false" | "0" | "False" | "FALSE" => Ok(false),
            _ => Err(format!("invalid boolean {s:?}")),
        }
    }
    fn from_wire_u64(v: u64) -> Result<Self, String> {
        Ok(v != 0)
    }
    fn from_wire_i64(v: i64) -> Result<Self, String> {
        Ok(v != 0)
    }
    fn from_wire_bool(v: bool) -> Result<Self, String> {
        Ok(v)
    }
}

/// A float is only used for fields Tencent documents as unit-less ratios and weights; money never.
impl FromWire for f64 {
    const EXPECTING: &'static str = "a number";
    fn from_wire_str(s: &str) -> Result<Self, String> {
        s.trim().parse().map_err(|_| format!("invalid number {s:?}"))
    }
    fn from_wire_u64(v: u64) -> Result<Self, String> {
        Ok(v as f64)
    }
    fn from_wire_i64(v: i64) -> Result<Self, String> {
        Ok(v as f64)
    }
    fn from_wire_f64(v: f64) -> Result<Self, String> {
        Ok(v)
    }
}

/// Serialize an optional value with `Display` as a JSON string (for string-typed numeric inputs).
#[allow(dead_code)] // used by generated request types
pub(crate) fn ser_opt_display<S: Serializer, T: fmt::Display>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

// --- The money and time types ---------------------------------------------------------------
//
// Their wire forms live here, not beside the types: money and time are leaves that know nothing
// of the wire's quirks, and this is the one place that does.

macro_rules! decimal_from_wire {
    ($name:ident) => {
        impl FromWire for $name {
            const EXPECTING: &'static str = concat!("an amount (", stringify!($name), ")");
            fn from_wire_str(s: &str) -> Result<Self, String> {
                s.parse().map_err(|e: ParseMoneyError| e.to_string())
            }
            fn from_wire_u64(v: u64) -> Result<Self, String> {
                Ok($name::new(Decimal::from(v)))
            }
            fn from_wire_i64(v: i64) -> Result<Self, String> {
                Ok($name::new(Decimal::from(v)))
            }
            fn from_wire_f64(v: f64) -> Result<Self, String> {
                decimal_from_f64(v).map($name::new).map_err(|e| e.to_string())
            }
        }
    };
}

decimal_from_wire!(Yuan);
decimal_from_wire!(Cents);

impl FromWire for YuanE8 {
    const EXPECTING: &'static str = "an integer amount in 1e-8 units";
    fn from_wire_str(s: &str) -> Result<Self, String> {
        s.trim().parse::<i64>().map(YuanE8::new).map_err(|_| format!("invalid 1e-8 amount {s:?}"))
    }
    fn from_wire_u64(v: u64) -> Result<Self, String> {
        i64::try_from(v).map(YuanE8::new).map_err(|_| format!("1e-8 amount {v} out of range"))
    }
    fn from_wire_i64(v: i64) -> Result<Self, String> {
        Ok(YuanE8::new(v))
    }
    fn from_wire_f64(v: f64) -> Result<Self, String> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(YuanE8::new(v as i64))
        } else {
            Err(format!("1e-8 amount {v} is not an integer"))
        }
    }
}

impl FromWire for Percent {
    const EXPECTING: &'static str = "a percentage";
    fn from_wire_str(s: &str) -> Result<Self, String> {
        let t = s.trim().trim_end_matches('%');
        parse_decimal(t).map(Percent::new).map_err(|e| e.to_string())
    }
    fn from_wire_u64(v: u64) -> Result<Self, String> {
        Ok(Percent::new(Decimal::from(v)))
    }
    fn from_wire_i64(v: i64) -> Result<Self, String> {
        Ok(Percent::new(Decimal::from(v)))
    }
    fn from_wire_f64(v: f64) -> Result<Self, String> {
        decimal_from_f64(v).map(Percent::new).map_err(|e| e.to_string())
    }
}

impl FromWire for YearMonth {
    const EXPECTING: &'static str = "a month (yyyy-MM)";
    fn from_wire_str(s: &str) -> Result<Self, String> {
        s.parse().map_err(|e: ParseTimeError| e.to_string())
    }
}

impl FromWire for Date {
    const EXPECTING: &'static str = "a date (yyyy-MM-dd)";
    fn from_wire_str(s: &str) -> Result<Self, String> {
        crate::datetime::parse_date(s).map_err(|e| e.to_string())
    }
}

impl FromWire for OffsetDateTime {
    const EXPECTING: &'static str = "a Beijing datetime (yyyy-MM-dd HH:mm:ss)";
    fn from_wire_str(s: &str) -> Result<Self, String> {
        crate::datetime::parse_beijing(s).map_err(|e| e.to_string())
    }
}

impl FromWire for DateOrMonth {
    const EXPECTING: &'static str = "a date (yyyy-MM-dd) or a month (yyyy-MM)";
    fn from_wire_str(s: &str) -> Result<Self, String> {
        s.parse().map_err(|e: ParseTimeError| e.to_string())
    }
}

/// A money or time type read from its wire forms: `null`, `""` and `"-"` are refused here
/// (fields that may be absent are `Option`s read with [`opt`]).
macro_rules! deserialize_from_wire {
    ($($name:ty),*) => {$(
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                required(d)
            }
        }
    )*};
}

deserialize_from_wire!(Yuan, Cents, YuanE8, Percent, YearMonth, DateOrMonth);

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct T {
        #[serde(default, deserialize_with = "opt")]
        n: Option<u64>,
        #[serde(default, deserialize_with = "opt")]
        s: Option<String>,
        #[serde(default, deserialize_with = "opt_vec")]
        l: Option<Vec<u64>>,
        #[serde(default, deserialize_with = "opt")]
        b: Option<bool>,
    }

    #[test]
    fn lenient_forms() {
        let t: T = serde_json::from_str(r#"{"n":"42","s":7,"l":["1",2,null],"b":1}"#).unwrap();
        assert_eq!((t.n, t.s.as_deref(), t.l, t.b), (Some(42), Some("7"), Some(vec![1, 2]), Some(true)));
        let t: T = serde_json::from_str(r#"{"n":null,"s":"","l":null,"b":null}"#).unwrap();
        assert_eq!((t.n, t.s.as_deref(), t.l, t.b), (None, Some(""), None, None));
        let t: T = serde_json::from_str(r#"{"unknown":{"deep":[1,2]}}"#).unwrap();
        assert!(t.n.is_none());
    }

    #[derive(Deserialize, Debug, Default, PartialEq)]
    struct Row {
        #[serde(default)]
        a: Option<u64>,
    }

    #[derive(Deserialize, Debug)]
    struct Plain {
        #[serde(default, deserialize_with = "null_as_default")]
        id: String,
        #[serde(default, deserialize_with = "opt_vec_skip_null")]
        rows: Option<Vec<Row>>,
        #[serde(default, deserialize_with = "opt_vec_skip_null")]
        names: Option<Vec<String>>,
    }

    #[test]
    fn nulls_in_plain_lists_and_ids() {
        let p: Plain = serde_json::from_str(r#"{"id":null,"rows":[{"a":1},null,{}],"names":[null,"x",null]}"#).unwrap();
        assert_eq!(p.id, "");
        assert_eq!(p.rows, Some(vec![Row { a: Some(1) }, Row { a: None }]));
        assert_eq!(p.names, Some(vec!["x".to_owned()]));
        let p: Plain = serde_json::from_str(r#"{"rows":null,"names":[]}"#).unwrap();
        assert_eq!((p.id.as_str(), p.rows, p.names), ("", None, Some(vec![])));
        let p: Plain = serde_json::from_str(r#"{"id":"r-1"}"#).unwrap();
        assert_eq!((p.id.as_str(), p.rows, p.names), ("r-1", None, None));
        // Wrong shapes still fail.
        assert!(serde_json::from_str::<Plain>(r#"{"rows":{"a":1}}"#).is_err());
        assert!(serde_json::from_str::<Plain>(r#"{"names":[1]}"#).is_err());
        assert!(serde_json::from_str::<Plain>(r#"{"id":7}"#).is_err());
    }

    #[test]
    fn wrong_forms_fail_with_a_message() {
        let e = serde_json::from_str::<T>(r#"{"n":"abc"}"#).unwrap_err().to_string();
        assert!(e.contains("invalid integer"), "{e}");
        let e = serde_json::from_str::<T>(r#"{"n":-1}"#).unwrap_err().to_string();
        assert!(e.contains("out of range"), "{e}");
        assert!(serde_json::from_str::<T>(r#"{"n":{"a":1}}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"l":"x"}"#).is_err());
    }
}
