//! `tcbill runway`: when the balance runs out at the current burn, and what top-up lasts to a date.

use std::io::Write;

use tencentcloud_billing::BillingClient;
use tencentcloud_billing::datetime::{BEIJING, YearMonth, format_date};
use tencentcloud_billing::money::Decimal;
use tencentcloud_billing::monitor::{BalanceSnapshot, MonthCost, RunwayInput};
use time::{Date, OffsetDateTime};

use crate::amounts::{cents, money};
use crate::error::BoxError;

/// Run `runway`.
pub async fn run(client: &BillingClient, until: Option<Date>, out: &mut dyn Write) -> Result<(), BoxError> {
    let b = client.describe_account_balance().send().await?;
    let s = BalanceSnapshot::from_response(&b);
    let now = OffsetDateTime::now_utc();
    let current = YearMonth::current_beijing();
    // This month's cost so far; in its first day, last month's (a whole month) instead.
    let into_month = now.to_offset(BEIJING).date() - current.first_day();
    let month = if into_month.whole_days() < 1 { current.previous() } else { current };
    let month_cost = MonthCost::fetch(client, month).await?;
    let cost = month_cost.cost;
    let mut input = RunwayInput::new(s.available(), now).month_cost(month_cost);
    if let Some(d) = until {
        input = input.until(d);
    }
    let f = input.forecast();
    writeln!(out, "  {:<20}{:>14}", "available", cents(f.available))?;
    writeln!(out, "  {:<20}{:>14}", format!("cost {month}"), money(cost))?;
    match &f.burn {
        Some(b) => writeln!(
            out,
            "  {:<20}{:>14} a day (from {:.1} days of {month}; confidence {})",
            "burn",
            cents(b.per_day),
            b.span.as_secs_f64() / 86_400.0,
            b.confidence
        )?,
        None => writeln!(out, "  {:<20}{:>14}", "burn", "unknown")?,
    }
    match f.runs_out {
        Some(t) if t <= now => writeln!(out, "  {:<20}{:>14}", "runs out", "already")?,
        Some(t) => {
            let days = Decimal::from((t - now).whole_hours()) / Decimal::from(24);
            writeln!(
                out,
                "  {:<20}{:>14} (in {} days)",
                "runs out",
                format_date(t.to_offset(BEIJING).date()),
                days.round_dp(1)
            )?
        }
        None => writeln!(out, "  {:<20}{:>14}", "runs out", "not at this rate")?,
    }
    if let (Some(d), Some(need)) = (f.until, f.top_up_needed) {
        writeln!(out, "  {:<20}{:>14}", format!("top-up to {}", format_date(d)), cents(need))?;
    }
    Ok(())
}
