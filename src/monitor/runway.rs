//! Runway: how fast the balance burns, when it runs out, and what top-up lasts until a date.
//!
//! The inputs are plain series, so any source works: the balance history a
//! [`BalanceMonitor`](super::BalanceMonitor) keeps, and the month's cost so far from
//! `DescribeBillSummaryByProduct` or a `DescribeCostSummary*` action.
//!
//! Two estimates of the daily burn are possible:
//!
//! - **from the balance history**: the sum of every drop between consecutive readings, divided
//!   by the time the readings span. Rises (top-ups, refunds) are ignored, so a top-up in the
//!   middle of the window does not hide the spending.
//! - **from the month's cost so far**: the cost divided by the time elapsed since the month
//!   started (Beijing time). Prepaid purchases and renewals are charged in lumps, so early in the
//!   month this can overstate the steady burn.
//!
//! The more confident estimate wins; on a tie, the higher burn (the earlier run-out) wins, since
//! the point of a runway is not to be caught out.
//!
//! ```
//! use tencentcloud_billing::money::Cents;
//! use tencentcloud_billing::monitor::{BalancePoint, Confidence, RunwayInput};
//! use tencentcloud_billing::datetime::parse_beijing;
//!
//! let t0 = parse_beijing("2026-11-20 00:00:00")?;
//! // 100.00 a day for four days, read every 12 hours.
//! let history: Vec<BalancePoint> = (0..9)
//!     .map(|i| BalancePoint::new(t0 + time::Duration::hours(12 * i), Cents::from(100_000 - 5_000 * i)))
//!     .collect();
//! let now = t0 + time::Duration::days(4);
//! let runway = RunwayInput::new(Cents::from(60_000), now).history(history).forecast();
//! assert_eq!(runway.burn.as_ref().map(|b| b.per_day), Some(Cents::from(10_000)));
//! assert_eq!(runway.runs_out, Some(now + time::Duration::days(6)));
//! assert_eq!(runway.confidence, Confidence::Medium);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::time::Duration;

use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

use crate::datetime::{BEIJING, YearMonth};
use crate::money::{Cents, Decimal, Yuan};

const SECONDS_PER_DAY: i64 = 86_400;

/// One reading of the available balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct BalancePoint {
    /// When it was read.
    pub at: OffsetDateTime,
    /// The available balance, in cents.
    pub available: Cents,
}

impl BalancePoint {
    /// A reading.
    pub fn new(at: OffsetDateTime, available: Cents) -> Self {
        BalancePoint { at, available }
    }
}

/// A month's cost so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct MonthCost {
    /// The billing month.
    pub month: YearMonth,
    /// The cost so far, in the currency unit.
    pub cost: Yuan,
    /// When the figure was read (the bills lag, so "now" is usually right).
    pub as_of: OffsetDateTime,
}

impl MonthCost {
    /// A month's cost so far.
    pub fn new(month: YearMonth, cost: Yuan, as_of: OffsetDateTime) -> Self {
        MonthCost { month, cost, as_of }
    }

    /// Read `month`'s cost after discounts so far from `DescribeBillSummaryByProduct`, as of
    /// now (or, for a past month, as of its end).
    ///
    /// ```no_run
    /// use tencentcloud_billing::datetime::YearMonth;
    /// use tencentcloud_billing::monitor::{MonthCost, RunwayInput};
    /// # async fn run(client: tencentcloud_billing::BillingClient) -> Result<(), tencentcloud_billing::Error> {
    /// let cost = MonthCost::fetch(&client, YearMonth::current_beijing()).await?;
    /// let balance = client.describe_account_balance().send().await?;
    /// let available = tencentcloud_billing::monitor::BalanceSnapshot::from_response(&balance).available();
    /// let runway = RunwayInput::new(available, time::OffsetDateTime::now_utc()).month_cost(cost).forecast();
    /// println!("runs out: {:?}", runway.runs_out);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// Any error of `DescribeBillSummaryByProduct`.
    pub async fn fetch(client: &crate::BillingClient, month: YearMonth) -> crate::Result<MonthCost> {
        let r = client.describe_bill_summary_by_product().begin_time(month).end_time(month).send().await?;
        let cost = r.summary_total.and_then(|t| t.real_total_cost).unwrap_or(Yuan::ZERO);
        let end = month.end();
        Ok(MonthCost { month, cost, as_of: OffsetDateTime::now_utc().min(end) })
    }
}

/// How much to trust an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Confidence {
    /// Too little data: few readings, a short span, or the first day of a month.
    Low,
    /// Enough for a rough figure.
    Medium,
    /// Several days of data.
    High,
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        })
    }
}

/// Where a burn estimate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BurnBasis {
    /// Drops between balance readings.
    BalanceHistory,
    /// The month's cost so far.
    MonthCost,
}

/// An estimated burn rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct BurnEstimate {
    /// Cents spent per day, rounded to a hundredth of a cent.
    pub per_day: Cents,
    /// Where it came from.
    pub basis: BurnBasis,
    /// How much to trust it.
    pub confidence: Confidence,
    /// How much time the data spans.
    pub span: Duration,
    /// How many readings it used (1 for a month's cost).
    pub points: usize,
}

/// When the thresholds of [`Confidence`] are met.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RunwayOptions {
    /// Readings needed for medium confidence from the history. Default 4.
    pub medium_points: usize,
    /// Span needed for medium confidence from the history. Default 6 hours.
    pub medium_span: Duration,
    /// Readings needed for high confidence from the history. Default 12.
    pub high_points: usize,
    /// Span needed for high confidence from the history. Default 3 days.
    pub high_span: Duration,
    /// Time into the month needed for medium confidence from the month's cost. Default 1 day.
    pub medium_elapsed: Duration,
    /// Time into the month needed for high confidence from the month's cost. Default 7 days.
    pub high_elapsed: Duration,
}

impl Default for RunwayOptions {
    fn default() -> Self {
        RunwayOptions {
            medium_points: 4,
            medium_span: Duration::from_secs(6 * 3600),
            high_points: 12,
            high_span: Duration::from_secs(3 * 86_400),
            medium_elapsed: Duration::from_secs(86_400),
            high_elapsed: Duration::from_secs(7 * 86_400),
        }
    }
}

/// What a forecast needs. Build it, then call [`forecast`](Self::forecast).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct RunwayInput {
    available: Cents,
    now: OffsetDateTime,
    history: Vec<BalancePoint>,
    month_cost: Option<MonthCost>,
    until: Option<Date>,
    options: RunwayOptions,
}

/// A forecast.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Runway {
    /// When it was made.
    pub now: OffsetDateTime,
    /// The available balance it started from, in cents.
    pub available: Cents,
    /// The burn rate used, or `None` without data.
    pub burn: Option<BurnEstimate>,
    /// When the available balance reaches zero: `now` if it already has, `None` if it never
    /// does at this burn, the burn is unknown, or the date is too far away to represent.
    pub runs_out: Option<OffsetDateTime>,
    /// The date the top-up is for (the balance should last through its end, Beijing time).
    pub until: Option<Date>,
    /// The smallest top-up, in whole cents, that keeps the balance above zero through `until`.
    /// Saturates at the largest decimal for a need beyond the range.
    pub top_up_needed: Option<Cents>,
    /// The confidence of the burn used (`Low` without data).
    pub confidence: Confidence,
}

impl RunwayInput {
    /// A forecast from `available` cents at `now`, with no data yet.
    pub fn new(available: Cents, now: OffsetDateTime) -> Self {
        RunwayInput {
            available,
            now,
            history: Vec::new(),
            month_cost: None,
            until: None,
            options: RunwayOptions::default(),
        }
    }

    /// The balance readings (any order).
    pub fn history(mut self, points: impl IntoIterator<Item = BalancePoint>) -> Self {
        self.history.extend(points);
        self
    }

    /// The month's cost so far.
    pub fn month_cost(mut self, cost: MonthCost) -> Self {
        self.month_cost = Some(cost);
        self
    }

    /// Also compute the top-up needed to last through the end of `date` (Beijing time).
    pub fn until(mut self, date: Date) -> Self {
        self.until = Some(date);
        self
    }

    /// Change the confidence thresholds.
    pub fn options(mut self, options: RunwayOptions) -> Self {
        self.options = options;
        self
    }

    /// The burn rate from the balance history alone, if there are two readings or more over a
    /// positive span.
    pub fn burn_from_history(&self) -> Option<BurnEstimate> {
        let mut points = self.history.clone();
        points.sort_by_key(|p| p.at);
        let (first, last) = (points.first()?, points.last()?);
        let span = last.at - first.at;
        if points.len() < 2 || !span.is_positive() {
            return None;
        }
        // Drops only; a drop too large for a decimal (readings at opposite ends of the range)
        // and a sum past the top saturate, so an absurd history gives an absurd burn, not a panic.
        let spent = points
            .windows(2)
            .map(|w| match w[0].available.amount().checked_sub(w[1].available.amount()) {
                Some(d) => d.max(Decimal::ZERO),
                None if w[0].available > w[1].available => Decimal::MAX,
                None => Decimal::ZERO,
            })
            .fold(Decimal::ZERO, |total, d| total.checked_add(d).unwrap_or(Decimal::MAX));
        let spent = Cents::new(spent);
        let span = Duration::try_from(span).ok()?;
        let o = &self.options;
        let confidence = if points.len() >= o.high_points && span >= o.high_span {
            Confidence::High
        } else if points.len() >= o.medium_points && span >= o.medium_span {
            Confidence::Medium
        } else {
            Confidence::Low
        };
        Some(BurnEstimate {
            per_day: per_day(spent, span)?,
            basis: BurnBasis::BalanceHistory,
            confidence,
            span,
            points: points.len(),
        })
    }

    /// The burn rate from the month's cost alone, if the month has started.
    pub fn burn_from_month_cost(&self) -> Option<BurnEstimate> {
        let m = self.month_cost?;
        let start = m.month.start();
        let elapsed = Duration::try_from(m.as_of - start).ok().filter(|d| !d.is_zero())?;
        let o = &self.options;
        let confidence = if elapsed >= o.high_elapsed {
            Confidence::High
        } else if elapsed >= o.medium_elapsed {
            Confidence::Medium
        } else {
            Confidence::Low
        };
        Some(BurnEstimate {
            per_day: per_day(m.cost.checked_to_cents().unwrap_or(Cents::new(Decimal::MAX)).max(Cents::ZERO), elapsed)?,
            basis: BurnBasis::MonthCost,
            confidence,
            span: elapsed,
            points: 1,
        })
    }

    /// Estimate the burn, the run-out time and the top-up.
    pub fn forecast(&self) -> Runway {
        let burn = match (self.burn_from_history(), self.burn_from_month_cost()) {
            (Some(a), Some(b)) => Some(if (a.confidence, a.per_day) >= (b.confidence, b.per_day) { a } else { b }),
            (a, b) => a.or(b),
        };
        let runs_out = if self.available <= Cents::ZERO {
            Some(self.now)
        } else {
            // A run-out too far away to compute (or to represent) is as good as never: `None`.
            burn.filter(|b| b.per_day > Cents::ZERO).and_then(|b| {
                let secs = scale(self.available.amount(), Decimal::from(SECONDS_PER_DAY), b.per_day.amount())?;
                let secs = rust_decimal::prelude::ToPrimitive::to_i64(&secs.floor())?;
                self.now.checked_add(time::Duration::seconds(secs))
            })
        };
        let top_up_needed = self.until.map(|date| {
            let end = PrimitiveDateTime::new(date.next_day().unwrap_or(date), Time::MIDNIGHT).assume_offset(BEIJING);
            let secs = (end - self.now).whole_seconds().max(0);
            let burn = burn.map_or(Decimal::ZERO, |b| b.per_day.amount()).max(Decimal::ZERO);
            // Saturating: a need beyond the decimal range reads as the largest amount.
            let cost = scale(burn, Decimal::from(secs), Decimal::from(SECONDS_PER_DAY)).unwrap_or(Decimal::MAX);
            let need = cost.checked_sub(self.available.amount()).unwrap_or(Decimal::MAX);
            Cents::new(need.max(Decimal::ZERO).ceil())
        });
        Runway {
            now: self.now,
            available: self.available,
            burn,
            runs_out,
            until: self.until,
            top_up_needed,
            confidence: burn.map_or(Confidence::Low, |b| b.confidence),
        }
    }
}

/// `spent` (zero or more) over `span`, per day, to a hundredth of a cent; saturating at the
/// largest decimal when the rate is beyond the range (a huge amount over a tiny span).
fn per_day(spent: Cents, span: Duration) -> Option<Cents> {
    let secs = Decimal::from(span.as_secs()) + Decimal::new(i64::from(span.subsec_millis()), 3);
    if secs.is_zero() {
        return None;
    }
    let v = scale(spent.amount(), Decimal::from(SECONDS_PER_DAY), secs).unwrap_or(Decimal::MAX);
    Some(Cents::new(v.round_dp(2).normalize()))
}

/// `a * b / c` without overflow: multiplied first for precision, else divided first; `None` when
/// the result itself is beyond the decimal range (or `c` is zero).
fn scale(a: Decimal, b: Decimal, c: Decimal) -> Option<Decimal> {
    a.checked_mul(b).and_then(|p| p.checked_div(c)).or_else(|| a.checked_div(c)?.checked_mul(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datetime::{format_beijing, parse_beijing};

    fn at(s: &str) -> OffsetDateTime {
        parse_beijing(s).unwrap()
    }
    fn c(v: i64) -> Cents {
        Cents::from(v)
    }
    fn hours(h: i64) -> time::Duration {
        time::Duration::hours(h)
    }

    #[test]
    fn steady_burn_runs_out_on_schedule() {
        let t0 = at("2026-11-01 00:00:00");
        // 240.00 a day: 10.00 an hour, read hourly for 4 days.
        let history: Vec<_> = (0..=96).map(|h| BalancePoint::new(t0 + hours(h), c(200_000 - 1_000 * h))).collect();
        let now = t0 + hours(96);
        let r = RunwayInput::new(c(104_000), now).history(history).until(parse_date("2026-11-10")).forecast();
        let b = r.burn.unwrap();
        assert_eq!(
            (b.per_day, b.basis, b.confidence, b.points),
            (c(24_000), BurnBasis::BalanceHistory, Confidence::High, 97)
        );
        // 1040.00 at 240.00 a day: 4 1/3 days, i.e. 104 hours.
        assert_eq!(r.runs_out, Some(now + hours(104)));
        // Through Nov 10 (end of day) is 6 days from Nov 5 00:00: 1440.00 needed, 1040.00 held.
        assert_eq!(r.top_up_needed, Some(c(40_000)));
        assert_eq!(r.confidence, Confidence::High);
    }

    fn parse_date(s: &str) -> Date {
        crate::datetime::parse_date(s).unwrap()
    }

    #[test]
    fn top_ups_do_not_hide_spending() {
        let t0 = at("2026-11-01 00:00:00");
        // 100.00 spent per 12 h, with a 1000.00 top-up in the middle.
        let values = [50_000, 40_000, 30_000, 130_000, 120_000, 110_000];
        let history: Vec<_> =
            values.iter().enumerate().map(|(i, v)| BalancePoint::new(t0 + hours(12 * i as i64), c(*v))).collect();
        let r = RunwayInput::new(c(110_000), t0 + hours(60)).history(history).forecast();
        // Drops: 4 × 100.00 over 60 hours = 160.00 a day.
        assert_eq!(r.burn.unwrap().per_day, c(16_000));
        assert_eq!(r.burn.unwrap().confidence, Confidence::Medium);
    }

    #[test]
    fn thin_history_is_low_confidence() {
        let t0 = at("2026-11-01 00:00:00");
        let r = RunwayInput::new(c(5_000), t0 + hours(1))
            .history([BalancePoint::new(t0, c(6_000)), BalancePoint::new(t0 + hours(1), c(5_000))])
            .forecast();
        assert_eq!(r.confidence, Confidence::Low);
        assert_eq!(r.burn.unwrap().per_day, c(24_000));
        assert_eq!(r.runs_out, Some(t0 + hours(6)));
        // One point, or no span: no estimate at all.
        let r = RunwayInput::new(c(5_000), t0).history([BalancePoint::new(t0, c(5_000))]).forecast();
        assert_eq!((r.burn, r.runs_out, r.confidence), (None, None, Confidence::Low));
    }

    #[test]
    fn month_cost_gives_a_rate() {
        // 10 days into November, 3000.00 spent: 300.00 a day.
        let now = at("2026-11-11 00:00:00");
        let month = "2026-11".parse().unwrap();
        let r = RunwayInput::new(c(150_000), now)
            .month_cost(MonthCost::new(month, "3000.00".parse().unwrap(), now))
            .until(parse_date("2026-11-30"))
            .forecast();
        let b = r.burn.unwrap();
        assert_eq!((b.per_day, b.basis, b.confidence), (c(30_000), BurnBasis::MonthCost, Confidence::High));
        assert_eq!(format_beijing(r.runs_out.unwrap()), "2026-11-16 00:00:00");
        // Nov 11 00:00 to Dec 1 00:00 is 20 days: 6000.00 needed, 1500.00 held.
        assert_eq!(r.top_up_needed, Some(c(450_000)));
        // Six hours into a month is too little to trust.
        let early = at("2026-11-01 06:00:00");
        let r = RunwayInput::new(c(150_000), early)
            .month_cost(MonthCost::new(month, "10".parse().unwrap(), early))
            .forecast();
        assert_eq!((r.confidence, r.burn.unwrap().per_day), (Confidence::Low, c(4_000)));
    }

    #[test]
    fn the_more_confident_estimate_wins_and_ties_go_to_the_higher_burn() {
        let now = at("2026-11-11 00:00:00");
        let month = "2026-11".parse().unwrap();
        let cost = MonthCost::new(month, "3000".parse().unwrap(), now); // 300.00/day, high
        let thin = [BalancePoint::new(now - hours(2), c(100_000)), BalancePoint::new(now, c(90_000))]; // 1200.00/day, low
        let r = RunwayInput::new(c(90_000), now).history(thin).month_cost(cost).forecast();
        assert_eq!(r.burn.unwrap().basis, BurnBasis::MonthCost);
        // Both high: the higher burn.
        let rich: Vec<_> = (0..=96).map(|h| BalancePoint::new(now - hours(96 - h), c(200_000 - 1_500 * h))).collect(); // 360.00/day
        let r = RunwayInput::new(c(56_000), now).history(rich).month_cost(cost).forecast();
        assert_eq!((r.burn.unwrap().basis, r.burn.unwrap().per_day), (BurnBasis::BalanceHistory, c(36_000)));
    }

    #[test]
    fn edge_cases() {
        let now = at("2026-11-11 00:00:00");
        // Already out: runs out now, top-up covers the debt.
        let r = RunwayInput::new(c(-2_500), now).until(parse_date("2026-11-10")).forecast();
        assert_eq!((r.runs_out, r.top_up_needed), (Some(now), Some(c(2_500))));
        // No spending: never runs out, nothing needed.
        let flat = [BalancePoint::new(now - hours(48), c(1_000)), BalancePoint::new(now, c(1_000))];
        let r = RunwayInput::new(c(1_000), now).history(flat).until(parse_date("2027-01-01")).forecast();
        assert_eq!((r.runs_out, r.top_up_needed), (None, Some(Cents::ZERO)));
        // Fractional cents round the top-up up to a whole cent.
        let drip = [BalancePoint::new(now - hours(24), c(100)), BalancePoint::new(now, "99.5".parse().unwrap())];
        let r = RunwayInput::new("99.5".parse().unwrap(), now).history(drip).until(parse_date("2026-11-11")).forecast();
        assert_eq!(r.burn.unwrap().per_day.to_string(), "0.5");
        assert_eq!(r.top_up_needed, Some(Cents::ZERO));
        let r = RunwayInput::new(c(1), now).history(drip).until(parse_date("2026-11-14")).forecast();
        // 4 days at 0.5 = 2 cents, 1 held: 1 cent.
        assert_eq!(r.top_up_needed, Some(c(1)));
    }
}
