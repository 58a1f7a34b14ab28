//! IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), for the `Date` header used to correct clock skew.

use crate::civil::civil_from_days;

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

/// Parse an IMF-fixdate into Unix seconds.
pub(crate) fn parse(s: &str) -> Option<i64> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let rest = s.trim().split_once(", ")?.1;
    let mut it = rest.split(' ');
    let day: u32 = it.next()?.parse().ok()?;
    let mon = it.next()?;
    let month = MONTHS.iter().position(|m| *m == mon)? as u8 + 1;
    let year: i32 = it.next()?.parse().ok()?;
    let mut hms = it.next()?.split(':');
    let (h, m, sec): (u8, u8, u8) = (hms.next()?.parse().ok()?, hms.next()?.parse().ok()?, hms.next()?.parse().ok()?);
    if it.next()? != "GMT" {
        return None;
    }
    let date =
        time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, u8::try_from(day).ok()?).ok()?;
    let t = time::Time::from_hms(h, m, sec).ok()?;
    Some(time::PrimitiveDateTime::new(date, t).assume_utc().unix_timestamp())
}

/// Format Unix seconds as an IMF-fixdate.
#[cfg_attr(not(feature = "sandbox"), allow(dead_code))]
pub(crate) fn format(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS[days.rem_euclid(7) as usize],
        d,
        MONTHS[m as usize - 1],
        y,
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trip() {
        assert_eq!(super::parse("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(super::format(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        for t in [0i64, 1_551_113_065, 1_795_996_799] {
            assert_eq!(super::parse(&super::format(t)), Some(t));
        }
        assert_eq!(super::parse("yesterday"), None);
        assert_eq!(super::parse("Sun, 06 Nov 1994 08:49:37 PST"), None);
    }
}
