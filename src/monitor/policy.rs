//! Product suspension policies: what happens to a product's resources when the account is
//! overdue, kept as data so users can add their own.

use std::fmt;
use std::time::Duration;

use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

use crate::datetime::{BEIJING, YearMonth};

/// One hour.
const HOUR: Duration = Duration::from_secs(3_600);
/// One day.
const DAY: Duration = Duration::from_secs(86_400);

/// The latest deadline a policy gives: the last day of the calendar the crate handles, at
/// midnight UTC (still a valid time in Beijing). A grace or retention so long that a deadline
/// would fall later saturates here instead of overflowing.
pub const LATEST_DEADLINE: OffsetDateTime = PrimitiveDateTime::new(Date::MAX, Time::MIDNIGHT).assume_utc();

/// `t + d`, saturating at [`LATEST_DEADLINE`].
fn saturating_later(t: OffsetDateTime, d: Duration) -> OffsetDateTime {
    time::Duration::try_from(d)
        .ok()
        .and_then(|d| t.checked_add(d))
        .map_or(LATEST_DEADLINE, |later| later.min(LATEST_DEADLINE))
}

/// When a product suspends an overdue account's resources.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SuspensionRule {
    /// Resources keep running for this long after the account goes overdue, then are suspended.
    Grace(Duration),
    /// The product is billed once a month, between these days (inclusive, Beijing time) of the
    /// following month; if the account is overdue when that deduction runs, the product is
    /// suspended while it stays overdue.
    MonthlyDeduction {
        /// The first day of the deduction window, 1–28.
        first_day: u8,
        /// The last day of the deduction window, `first_day`–28.
        last_day: u8,
    },
}

/// A product's suspension policy: the rule, and how long data is kept once suspended.
///
/// Two are built in, [`api_gateway`](Self::api_gateway) and [`ekyc`](Self::ekyc); add your own
/// with [`after_grace`](Self::after_grace) or [`monthly_deduction`](Self::monthly_deduction):
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_billing::monitor::SuspensionPolicy;
///
/// let cvm = SuspensionPolicy::after_grace("My CVM fleet", Duration::from_secs(2 * 3600))
///     .data_retained_for(Duration::from_secs(15 * 86_400));
/// assert_eq!(cvm.product(), "My CVM fleet");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuspensionPolicy {
    product: String,
    rule: SuspensionRule,
    data_retention: Option<Duration>,
}

/// When one product is expected to be suspended, and when its data is at risk, for an account
/// overdue since a given time.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Deadline {
    /// The product the policy describes.
    pub product: String,
    /// The earliest time the product is expected to be suspended.
    pub suspension: OffsetDateTime,
    /// When configuration and data may be destroyed, if the policy says.
    pub data_at_risk: Option<OffsetDateTime>,
}

impl SuspensionPolicy {
    /// API Gateway: its APIs keep serving for 24 hours after the account goes overdue, then are
    /// suspended; configuration and data may be destroyed 180 days after suspension.
    pub fn api_gateway() -> Self {
        SuspensionPolicy::after_grace("API Gateway", 24 * HOUR).data_retained_for(180 * DAY)
    }

    /// eKYC (face verification): billed monthly on the 1st–3rd of the following month, and
    /// suspended if that deduction leaves the account overdue, for as long as it stays overdue.
    pub fn ekyc() -> Self {
        SuspensionPolicy::monthly_deduction("eKYC", 1, 3)
    }

    /// The built-in policies: API Gateway and eKYC.
    pub fn builtin() -> Vec<SuspensionPolicy> {
        vec![SuspensionPolicy::api_gateway(), SuspensionPolicy::ekyc()]
    }

    /// A product suspended `grace` after the account goes overdue. Any duration is accepted; a
    /// deadline that would fall after [`LATEST_DEADLINE`] is that.
    pub fn after_grace(product: impl Into<String>, grace: Duration) -> Self {
        SuspensionPolicy { product: product.into(), rule: SuspensionRule::Grace(grace), data_retention: None }
    }

    /// A product billed between `first_day` and `last_day` of the following month and suspended
    /// if that leaves the account overdue. Days are clamped to 1–28 and ordered.
    pub fn monthly_deduction(product: impl Into<String>, first_day: u8, last_day: u8) -> Self {
        let first_day = first_day.clamp(1, 28);
        let last_day = last_day.clamp(first_day, 28);
        SuspensionPolicy {
            product: product.into(),
            rule: SuspensionRule::MonthlyDeduction { first_day, last_day },
            data_retention: None,
        }
    }

    /// Data may be destroyed this long after suspension. Any duration is accepted, saturating
    /// at [`LATEST_DEADLINE`] like the grace.
    pub fn data_retained_for(mut self, retention: Duration) -> Self {
        self.data_retention = Some(retention);
        self
    }

    /// The product's name.
    pub fn product(&self) -> &str {
        &self.product
    }

    /// The suspension rule.
    pub fn rule(&self) -> &SuspensionRule {
        &self.rule
    }

    /// How long data is kept after suspension, if known.
    pub fn data_retention(&self) -> Option<Duration> {
        self.data_retention
    }

    /// The deadlines for an account overdue since `overdue_since`.
    ///
    /// For a monthly deduction, the suspension is expected at the start of the next deduction
    /// window (Beijing time), or at `overdue_since` itself when that falls inside a window, since
    /// the deduction may already have run.
    pub fn deadline(&self, overdue_since: OffsetDateTime) -> Deadline {
        let suspension = match self.rule {
            SuspensionRule::Grace(grace) => saturating_later(overdue_since, grace),
            SuspensionRule::MonthlyDeduction { first_day, last_day } => {
                let local = overdue_since.to_offset(BEIJING);
                let month = YearMonth::of(local.date());
                let start = beijing_midnight(month, first_day);
                let end = beijing_midnight(month, last_day) + DAY;
                if overdue_since < start {
                    start
                } else if overdue_since < end {
                    overdue_since
                } else {
                    // After 9999-12 there is no next month: the month's own end stands in.
                    month.next().map_or_else(|| month.end(), |next| beijing_midnight(next, first_day))
                }
            }
        };
        Deadline {
            product: self.product.clone(),
            suspension,
            data_at_risk: self.data_retention.map(|r| saturating_later(suspension, r)),
        }
    }
}

impl fmt::Display for SuspensionPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rule {
            SuspensionRule::Grace(g) => {
                write!(f, "{}: suspended {} h after going overdue", self.product, g.as_secs() / 3600)?
            }
            SuspensionRule::MonthlyDeduction { first_day, last_day } => write!(
                f,
                "{}: billed on days {first_day}-{last_day} of the next month, suspended if that leaves the account overdue",
                self.product
            )?,
        }
        if let Some(r) = self.data_retention {
            write!(f, "; data at risk {} days after suspension", r.as_secs() / 86_400)?;
        }
        Ok(())
    }
}

fn beijing_midnight(month: YearMonth, day: u8) -> OffsetDateTime {
    let date = Date::from_calendar_date(month.year(), month.month(), day).unwrap_or_else(|_| month.first_day());
    PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_offset(BEIJING)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datetime::{format_beijing, parse_beijing};

    fn at(s: &str) -> OffsetDateTime {
        parse_beijing(s).unwrap()
    }

    #[test]
    fn api_gateway_suspends_after_a_day_and_risks_data_after_180_more() {
        let d = SuspensionPolicy::api_gateway().deadline(at("2026-11-24 10:30:00"));
        assert_eq!(format_beijing(d.suspension), "2026-11-25 10:30:00");
        assert_eq!(format_beijing(d.data_at_risk.unwrap()), "2027-05-24 10:30:00");
    }

    #[test]
    fn ekyc_waits_for_the_next_deduction_window() {
        let p = SuspensionPolicy::ekyc();
        let d = p.deadline(at("2026-11-24 10:30:00"));
        assert_eq!(format_beijing(d.suspension), "2026-12-01 00:00:00");
        assert_eq!(d.data_at_risk, None);
        // Across the year end.
        assert_eq!(format_beijing(p.deadline(at("2026-12-31 23:00:00")).suspension), "2027-01-01 00:00:00");
        // Inside the window the deduction may already have run: suspended as soon as now.
        assert_eq!(format_beijing(p.deadline(at("2026-12-02 08:00:00")).suspension), "2026-12-02 08:00:00");
        // Day 3 is still in the window; day 4 is not.
        assert_eq!(format_beijing(p.deadline(at("2026-12-03 23:59:59")).suspension), "2026-12-03 23:59:59");
        assert_eq!(format_beijing(p.deadline(at("2026-12-04 00:00:00")).suspension), "2027-01-01 00:00:00");
        // Windows are in Beijing time: 17:00 UTC on Nov 30 is already Dec 1 in Beijing.
        let utc = PrimitiveDateTime::new(
            Date::from_calendar_date(2026, time::Month::November, 30).unwrap(),
            Time::from_hms(17, 0, 0).unwrap(),
        )
        .assume_utc();
        assert_eq!(format_beijing(p.deadline(utc).suspension), "2026-12-01 01:00:00");
    }

    #[test]
    fn custom_policies() {
        let p = SuspensionPolicy::monthly_deduction("Batch", 10, 5);
        assert_eq!(p.rule(), &SuspensionRule::MonthlyDeduction { first_day: 10, last_day: 10 });
        let d = p.deadline(at("2026-11-01 00:00:00"));
        assert_eq!(format_beijing(d.suspension), "2026-11-10 00:00:00");
        let g = SuspensionPolicy::after_grace("CVM", 2 * HOUR).data_retained_for(15 * DAY);
        assert_eq!(g.to_string(), "CVM: suspended 2 h after going overdue; data at risk 15 days after suspension");
        assert_eq!(SuspensionPolicy::builtin().len(), 2);
    }
}
