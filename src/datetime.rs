//! Beijing time, dates and billing months.
//!
//! Billing timestamps are wall-clock Beijing time (UTC+8, no daylight saving) written
//! `yyyy-MM-dd HH:mm:ss`. They decode into [`time::OffsetDateTime`] at offset +08:00, so they
//! compare correctly with any other instant. Dates decode into [`time::Date`] and billing months
//! into [`YearMonth`].
//!
//! The wire is not always consistent (a month sent as `2024-05-01 00:00:00` or `202405`, a
//! datetime sent with milliseconds or as a bare date), so parsing accepts those variants too.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Beijing time's offset from UTC.
pub const BEIJING: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => panic!("valid offset"),
};

/// A date or time that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} {input:?}")]
pub struct ParseTimeError {
    what: &'static str,
    input: String,
}

impl ParseTimeError {
    fn new(what: &'static str, input: &str) -> Self {
        ParseTimeError { what, input: crate::text::clip(input, 64) }
    }
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_date_parts(y: &str, m: &str, d: &str) -> Option<Date> {
    let month = Month::try_from(u8::try_from(digits(m)?).ok()?).ok()?;
    Date::from_calendar_date(i32::try_from(digits(y)?).ok()?, month, u8::try_from(digits(d)?).ok()?).ok()
}

/// Parse `yyyy-MM-dd` (also accepting a trailing time, which is ignored).
pub fn parse_date(s: &str) -> Result<Date, ParseTimeError> {
    let t = s.trim();
    let day = t.split([' ', 'T']).next().unwrap_or("");
    let mut it = day.split('-');
    match (it.next(), it.next(), it.next(), it.next()) {
        (Some(y), Some(m), Some(d), None) if y.len() == 4 => parse_date_parts(y, m, d),
        _ => None,
    }
    .ok_or_else(|| ParseTimeError::new("date", s))
}

/// Parse a Beijing wall-clock time `yyyy-MM-dd HH:mm:ss` (also `…:ss.SSS`, `…THH:mm:ss`, or a
/// bare date meaning midnight) into an instant at +08:00.
pub fn parse_beijing(s: &str) -> Result<OffsetDateTime, ParseTimeError> {
    let err = || ParseTimeError::new("Beijing datetime", s);
    let t = s.trim();
    let (day, clock) = match t.split_once([' ', 'T']) {
        Some((d, c)) => (d, Some(c.trim())),
        None => (t, None),
    };
    let date = parse_date(day).map_err(|_| err())?;
    let time = match clock {
        None => Time::MIDNIGHT,
        Some(c) => {
            let (hms, frac) = match c.split_once('.') {
                Some((hms, f)) => (hms, Some(f)),
                None => (c, None),
            };
            let mut it = hms.split(':');
            let (h, m, sec) = match (it.next(), it.next(), it.next(), it.next()) {
                (Some(h), Some(m), Some(sec), None) => (h, m, sec),
                (Some(h), Some(m), None, None) => (h, m, "0"),
                _ => return Err(err()),
            };
            let nanos = match frac {
                None => 0,
                Some(f) if !f.is_empty() && f.len() <= 9 => digits(f).ok_or_else(err)? * 10u32.pow(9 - f.len() as u32),
                Some(_) => return Err(err()),
            };
            let to_u8 = |v: &str| digits(v).and_then(|v| u8::try_from(v).ok()).ok_or_else(err);
            Time::from_hms_nano(to_u8(h)?, to_u8(m)?, to_u8(sec)?, nanos).map_err(|_| err())?
        }
    };
    Ok(PrimitiveDateTime::new(date, time).assume_offset(BEIJING))
}

/// Format an instant as Beijing wall-clock time, `yyyy-MM-dd HH:mm:ss`.
///
/// Never panics: an instant whose Beijing time lies past the last representable date (the
/// final hours of year 9999 in UTC) is written with its true year, 10000, which no request
/// accepts (request serialization checks the year first and refuses the call).
pub fn format_beijing(t: OffsetDateTime) -> String {
    if let Some(b) = t.checked_to_offset(BEIJING) {
        return format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            b.year(),
            b.month() as u8,
            b.day(),
            b.hour(),
            b.minute(),
            b.second()
        );
    }
    // Past Date::MAX in Beijing time: count the seconds from 10000-01-01 00:00 Beijing by hand.
    let start = PrimitiveDateTime::new(Date::MAX, Time::MIDNIGHT).assume_offset(BEIJING).unix_timestamp() + 86_400;
    let after = (t.unix_timestamp() - start).max(0);
    let (day, secs) = (after / 86_400, after % 86_400);
    format!("10000-01-{:02} {:02}:{:02}:{:02}", day + 1, secs / 3600, secs / 60 % 60, secs % 60)
}

/// [`format_beijing`] for requests: `None` when the Beijing year is outside 0..=9999, which the
/// API's four-digit format cannot carry.
pub(crate) fn checked_format_beijing(t: OffsetDateTime) -> Option<String> {
    let b = t.checked_to_offset(BEIJING)?;
    (0..=9999).contains(&b.year()).then(|| format_beijing(b))
}

fn out_of_range<E: serde::ser::Error>(t: &OffsetDateTime) -> E {
    E::custom(format_args!("time {t} is outside years 0000-9999 in Beijing time"))
}

/// Format a date as `yyyy-MM-dd`.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// A billing month, such as `2026-10`.
///
/// ```
/// use tencentcloud_billing::datetime::YearMonth;
/// let m: YearMonth = "2026-10".parse()?;
/// assert_eq!(m.to_string(), "2026-10");
/// assert_eq!(m.next().unwrap().to_string(), "2026-11");
/// assert_eq!(m.days(), 31);
/// # Ok::<(), tencentcloud_billing::datetime::ParseTimeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: Month,
}

impl YearMonth {
    /// A month. Years outside 0..=9999 are clamped.
    pub fn new(year: i32, month: Month) -> Self {
        YearMonth { year: year.clamp(0, 9999), month }
    }

    /// The month containing `date`.
    pub fn of(date: Date) -> Self {
        YearMonth::new(date.year(), date.month())
    }

    /// The current billing month in Beijing time.
    pub fn current_beijing() -> Self {
        YearMonth::of(OffsetDateTime::now_utc().to_offset(BEIJING).date())
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month.
    pub fn month(&self) -> Month {
        self.month
    }

    /// The first day of the month.
    pub fn first_day(&self) -> Date {
        Date::from_calendar_date(self.year, self.month, 1).expect("day 1 exists")
    }

    /// The month's first instant: midnight of its first day in Beijing time, where billing
    /// months begin.
    pub fn start(&self) -> OffsetDateTime {
        PrimitiveDateTime::new(self.first_day(), Time::MIDNIGHT).assume_offset(BEIJING)
    }

    /// The last day of the month.
    pub fn last_day(&self) -> Date {
        Date::from_calendar_date(self.year, self.month, self.days()).expect("last day exists")
    }

    /// How many days the month has.
    pub fn days(&self) -> u8 {
        self.month.length(self.year)
    }

    /// The following month, or `None` after 9999-12, the last month this type holds (it never
    /// wraps around to an earlier month).
    pub fn next(&self) -> Option<Self> {
        if self.month != Month::December {
            Some(YearMonth::new(self.year, self.month.next()))
        } else if self.year < 9999 {
            Some(YearMonth::new(self.year + 1, Month::January))
        } else {
            None
        }
    }

    /// The first instant after the month (midnight Beijing time after its last day), in UTC.
    /// Defined for every month, 9999-12 included, whose end lies after the last representable
    /// Beijing date but still within UTC's.
    pub fn end(&self) -> OffsetDateTime {
        self.start().to_offset(UtcOffset::UTC) + time::Duration::days(i64::from(self.days()))
    }

    /// The preceding month.
    pub fn previous(&self) -> Self {
        if self.month == Month::January {
            YearMonth::new(self.year - 1, Month::December)
        } else {
            YearMonth::new(self.year, self.month.previous())
        }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month as u8)
    }
}

impl FromStr for YearMonth {
    type Err = ParseTimeError;
    /// Accepts `yyyy-MM`, `yyyyMM`, and a full date or datetime (whose month is taken).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let err = || ParseTimeError::new("month", s);
        let (y, m) = if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
            (&t[..4], &t[4..])
        } else {
            let mut it = t.split([' ', 'T']).next().unwrap_or("").split('-');
            let y = it.next().ok_or_else(err)?;
            let m = it.next().ok_or_else(err)?;
            if let Some(d) = it.next() {
                parse_date_parts(y, m, d).ok_or_else(err)?;
            }
            (y, m)
        };
        if y.len() != 4 {
            return Err(err());
        }
        let month = digits(m).and_then(|m| u8::try_from(m).ok()).and_then(|m| Month::try_from(m).ok());
        Ok(YearMonth::new(digits(y).ok_or_else(err)? as i32, month.ok_or_else(err)?))
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A day or a whole month, for fields that take either (a budget's period, whose granularity
/// follows its cycle; allocation filters by day or by month). Written `yyyy-MM-dd` or `yyyy-MM`.
///
/// ```
/// use tencentcloud_billing::datetime::DateOrMonth;
/// let d: DateOrMonth = "2025-01-01".parse()?;
/// let m: DateOrMonth = "2025-01".parse()?;
/// assert_eq!((d.to_string(), m.to_string()), ("2025-01-01".into(), "2025-01".into()));
/// assert_eq!(d.month(), m.month());
/// # Ok::<(), tencentcloud_billing::datetime::ParseTimeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOrMonth {
    /// One day.
    Date(Date),
    /// A whole month.
    Month(YearMonth),
}

impl DateOrMonth {
    /// The month the value falls in.
    pub fn month(&self) -> YearMonth {
        match self {
            DateOrMonth::Date(d) => YearMonth::of(*d),
            DateOrMonth::Month(m) => *m,
        }
    }
}

impl From<Date> for DateOrMonth {
    fn from(d: Date) -> Self {
        DateOrMonth::Date(d)
    }
}

impl From<YearMonth> for DateOrMonth {
    fn from(m: YearMonth) -> Self {
        DateOrMonth::Month(m)
    }
}

impl fmt::Display for DateOrMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateOrMonth::Date(d) => f.write_str(&format_date(*d)),
            DateOrMonth::Month(m) => fmt::Display::fmt(m, f),
        }
    }
}

impl FromStr for DateOrMonth {
    type Err = ParseTimeError;
    /// `yyyy-MM-dd` (a trailing time is ignored) is a day; `yyyy-MM` or `yyyyMM` is a month.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let day = s.trim().split([' ', 'T']).next().unwrap_or("");
        if day.matches('-').count() == 2 {
            parse_date(s).map(DateOrMonth::Date).map_err(|_| ParseTimeError::new("date or month", s))
        } else {
            s.parse().map(DateOrMonth::Month).map_err(|_| ParseTimeError::new("date or month", s))
        }
    }
}

impl Serialize for DateOrMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Serialize an optional month as its first second, `yyyy-MM-01 00:00:00`, the form some
/// allocation actions document for their `Month`.
#[allow(dead_code)] // used by generated request types
pub(crate) fn ser_opt_month_start<S: Serializer>(v: &Option<YearMonth>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(m) => s.serialize_str(&format!("{m}-01 00:00:00")),
        None => s.serialize_none(),
    }
}

/// Serialize an optional instant as Beijing wall-clock time.
#[allow(dead_code)] // used by generated request types
pub(crate) fn ser_opt_beijing<S: Serializer>(v: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(t) => s.serialize_str(&checked_format_beijing(*t).ok_or_else(|| out_of_range(t))?),
        None => s.serialize_none(),
    }
}

/// Serialize an optional instant from an answer as Beijing wall-clock time, keeping a fraction of
/// a second when there is one, so that decoding the text again gives the same instant.
#[allow(dead_code)] // used by generated response types
pub(crate) fn ser_opt_beijing_exact<S: Serializer>(v: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(t) => {
            let nanos = t.nanosecond();
            let whole = checked_format_beijing(*t).ok_or_else(|| out_of_range(t))?;
            if nanos == 0 {
                s.serialize_str(&whole)
            } else {
                let fraction = format!("{nanos:09}");
                s.serialize_str(&format!("{whole}.{}", fraction.trim_end_matches('0')))
            }
        }
        None => s.serialize_none(),
    }
}

/// Serialize an optional date as `yyyy-MM-dd`.
#[allow(dead_code)] // used by generated request types
pub(crate) fn ser_opt_date<S: Serializer>(v: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(d) => s.serialize_str(&format_date(*d)),
        None => s.serialize_none(),
    }
}

/// Serialize an optional list of dates as `yyyy-MM-dd` strings.
#[allow(dead_code)] // used by generated request types
pub(crate) fn ser_opt_dates<S: Serializer>(v: &Option<Vec<Date>>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(ds) => s.collect_seq(ds.iter().map(|d| format_date(*d))),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_with_multibyte_characters_are_errors_not_panics() {
        // Six bytes without a dash, where byte 4 falls inside a character (found by proptest).
        for s in ["¡0\u{d00}", "aaa€", "20€24", "２０２４０１"] {
            assert!(s.parse::<YearMonth>().is_err(), "{s:?}");
        }
        // Long invalid input is cut on a character boundary in the error.
        let long = format!("{}€€", "1".repeat(63));
        assert!(parse_date(&long).is_err() && parse_beijing(&long).is_err() && long.parse::<YearMonth>().is_err());
        assert_eq!("202401".parse::<YearMonth>().unwrap().to_string(), "2024-01");
    }

    #[test]
    fn beijing_times() {
        let t = parse_beijing("2026-11-01 07:59:59").unwrap();
        assert_eq!(t.offset(), BEIJING);
        // 07:59:59 in Beijing is the previous day in UTC.
        assert_eq!(t.to_offset(UtcOffset::UTC).day(), 31);
        assert_eq!(format_beijing(t), "2026-11-01 07:59:59");
        let last = OffsetDateTime::new_utc(Date::MAX, Time::MAX);
        assert_eq!(format_beijing(last), "10000-01-01 07:59:59");
        assert_eq!(checked_format_beijing(last), None);
        let first = OffsetDateTime::new_utc(Date::MIN, Time::MIDNIGHT);
        assert_eq!(format_beijing(first), "-9999-01-01 08:00:00");
        assert_eq!(checked_format_beijing(first), None);
        assert_eq!(format_beijing(t.to_offset(UtcOffset::UTC)), "2026-11-01 07:59:59");
        assert_eq!(parse_beijing("2026-11-01").unwrap(), parse_beijing("2026-11-01 00:00:00").unwrap());
        assert_eq!(parse_beijing("2026-11-01 10:00:00.250").unwrap().millisecond(), 250);
        assert!(parse_beijing(&"二".repeat(30)).is_err());
        for bad in
            ["", "2026-13-01 00:00:00", "2026-02-30 00:00:00", "2026-11-01 25:00:00", "yesterday", "2026-11-01 1:2:3:4"]
        {
            assert!(parse_beijing(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn months() {
        for s in ["2024-05", "202405", "2024-05-01", "2024-05-01 00:00:00"] {
            assert_eq!(s.parse::<YearMonth>().unwrap().to_string(), "2024-05", "{s}");
        }
        for bad in ["2024-13", "24-05", "2024", "", "2024-5x", "一二", "二二二二二二二二"] {
            assert!(bad.parse::<YearMonth>().is_err(), "{bad}");
        }
        let dec: YearMonth = "2025-12".parse().unwrap();
        assert_eq!(dec.next().unwrap().to_string(), "2026-01");
        assert_eq!(dec.next().unwrap().previous(), dec);
        let last: YearMonth = "9999-12".parse().unwrap();
        assert_eq!(last.next(), None, "never wraps to 9999-01");
        assert_eq!(format_beijing(last.end()), "10000-01-01 00:00:00");
        assert_eq!(dec.end(), dec.next().unwrap().start());
        assert_eq!("2024-02".parse::<YearMonth>().unwrap().days(), 29);
    }

    #[test]
    fn date_or_month() {
        let d: DateOrMonth = "2025-01-31".parse().unwrap();
        assert_eq!(d, DateOrMonth::Date(parse_date("2025-01-31").unwrap()));
        let m: DateOrMonth = "2025-01".parse().unwrap();
        assert_eq!(m.to_string(), "2025-01");
        assert_eq!(d.month(), m.month());
        assert_eq!("202501".parse::<DateOrMonth>().unwrap(), m);
        for bad in ["", "2025-13", "2025-02-30", "soon"] {
            assert!(bad.parse::<DateOrMonth>().is_err(), "{bad}");
        }
        #[derive(serde::Serialize)]
        struct R {
            #[serde(serialize_with = "ser_opt_month_start")]
            m: Option<YearMonth>,
        }
        let r = R { m: Some("2022-10".parse().unwrap()) };
        assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"m":"2022-10-01 00:00:00"}"#);
    }

    #[test]
    fn dates() {
        assert_eq!(format_date(parse_date("2024-02-29").unwrap()), "2024-02-29");
        assert!(parse_date("2023-02-29").is_err());
        assert_eq!(format_date(parse_date("2024-02-29 10:00:00").unwrap()), "2024-02-29");
    }
}
