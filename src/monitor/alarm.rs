//! Tencent's own balance alarm (China site): the console setting that notifies the account's
//! contacts when the balance falls below a threshold. Read it and set it with typed values.

use crate::client::BillingClient;
use crate::error::{Error, Result};
use crate::money::Cents;

/// The balance alarm setting (`DescribeAccountWarning` / `ModifyAccountWarning`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct BalanceAlarm {
    /// Whether the alarm is on.
    pub enabled: bool,
    /// The balance below which Tencent notifies, in whole cents.
    pub threshold: Cents,
}

impl BalanceAlarm {
    /// An alarm at `threshold` cents, on.
    pub fn on(threshold: Cents) -> Self {
        BalanceAlarm { enabled: true, threshold }
    }

    /// The alarm switched off (the threshold is kept as given).
    pub fn off(threshold: Cents) -> Self {
        BalanceAlarm { enabled: false, threshold }
    }
}

/// Read the balance alarm. China site only.
///
/// ```no_run
/// # async fn run(client: tencentcloud_billing::BillingClient) -> Result<(), tencentcloud_billing::Error> {
/// let alarm = tencentcloud_billing::monitor::balance_alarm(&client).await?;
/// println!("alarm {} below {} yuan", if alarm.enabled { "on" } else { "off" }, alarm.threshold.to_yuan());
/// # Ok(()) }
/// ```
///
/// # Errors
/// Any error of `DescribeAccountWarning`; on an international-site client it is refused before
/// sending, as the action exists on the China site only.
pub async fn balance_alarm(client: &BillingClient) -> Result<BalanceAlarm> {
    let r = client.describe_account_warning().send().await?;
    Ok(BalanceAlarm { enabled: r.open == Some(1), threshold: r.threshold.unwrap_or(Cents::ZERO) })
}

/// Set the balance alarm and return the setting Tencent confirms. China site only.
///
/// ```no_run
/// use tencentcloud_billing::money::Cents;
/// use tencentcloud_billing::monitor::{BalanceAlarm, set_balance_alarm};
/// # async fn run(client: tencentcloud_billing::BillingClient) -> Result<(), tencentcloud_billing::Error> {
/// // Let Tencent notify the account's contacts below 1,000.00.
/// set_balance_alarm(&client, BalanceAlarm::on(Cents::from(100_000))).await?;
/// # Ok(()) }
/// ```
///
/// # Errors
/// [`Error::InvalidRequest`] when the threshold is negative or not a whole number of cents (the
/// API takes an integer); otherwise any error of `ModifyAccountWarning`. As a configuration
/// change it is only retried when the request certainly never left.
pub async fn set_balance_alarm(client: &BillingClient, alarm: BalanceAlarm) -> Result<BalanceAlarm> {
    if alarm.threshold.to_i64().is_none_or(|c| c < 0) {
        return Err(Error::invalid_request(
            "ModifyAccountWarning",
            format!("the threshold must be a whole, non-negative number of cents, not {}", alarm.threshold),
        ));
    }
    let r = client.modify_account_warning().threshold(alarm.threshold).open(u64::from(alarm.enabled)).send().await?;
    Ok(BalanceAlarm {
        enabled: r.open.map_or(alarm.enabled, |o| o == 1),
        threshold: r.threshold.unwrap_or(alarm.threshold),
    })
}
