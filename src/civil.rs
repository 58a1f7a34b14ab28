//! Calendar arithmetic on days since the Unix epoch: a leaf that the signer (credential scope
//! dates) and the `Date` header parser share without depending on each other.

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_match_the_time_crate() {
        for day in (-1000..30_000).step_by(7) {
            let d = time::Date::from_julian_day(2_440_588 + day as i32).unwrap();
            let (y, m, dd) = civil_from_days(day);
            assert_eq!((y as i32, m as u8, dd as u8), (d.year(), d.month() as u8, d.day()));
        }
    }
}
