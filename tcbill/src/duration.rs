//! Durations on the command line (`--interval`, `--debounce`, `--wait`), parsed with checked
//! arithmetic and bounded.

use std::time::Duration;

/// The shortest `--interval`: polling faster serves nobody.
pub const MIN_INTERVAL: Duration = Duration::from_secs(1);
/// The longest `--interval` and `--debounce`. Far beyond any sensible setting, and far from the
/// point where adding it to a clock reading could overflow.
pub const MAX_DURATION: Duration = Duration::from_secs(30 * 86_400);

/// `30s`, `5m`, `1h`, `1d`, or plain seconds, at most [`MAX_DURATION`].
///
/// Arithmetic is checked: a count of days too large for the clock is refused, not wrapped or
/// panicked on.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let shape = || format!("{s:?} is not a duration like 30s, 5m or 1h");
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let per_unit: u64 = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(shape()),
    };
    let too_long = || format!("{s:?} is too long: at most {}d", MAX_DURATION.as_secs() / 86_400);
    if num.is_empty() {
        return Err(shape());
    }
    // Only digits are left, so a parse failure means more than u64 can hold.
    let n: u64 = num.parse().map_err(|_| too_long())?;
    let secs = n.checked_mul(per_unit).ok_or_else(too_long)?;
    let d = Duration::from_secs(secs);
    if d > MAX_DURATION {
        return Err(too_long());
    }
    Ok(d)
}

/// A polling interval: a [`parse_duration`] of at least [`MIN_INTERVAL`].
pub fn parse_interval(s: &str) -> Result<Duration, String> {
    let d = parse_duration(s)?;
    if d < MIN_INTERVAL {
        return Err(format!("{:?} is too short: poll at most once a second (1s)", s.trim()));
    }
    Ok(d)
}

/// A debounce window: any [`parse_duration`], 0s included (report at once).
pub fn parse_debounce(s: &str) -> Result<Duration, String> {
    parse_duration(s)
}
