//! `tcbill balance`: the account balance, as a table or JSON.

use std::io::Write;

use tencentcloud_billing::BillingClient;
use tencentcloud_billing::money::Cents;
use tencentcloud_billing::monitor::{AccountKind, BalanceSnapshot, Health, MonitorConfig};

use crate::amounts::cents;
use crate::error::BoxError;

/// Run `balance`.
pub async fn run(client: &BillingClient, json: bool, out: &mut dyn Write) -> Result<(), BoxError> {
    let b = client.describe_account_balance().send().await?;
    let s = BalanceSnapshot::from_response(&b);
    let health = MonitorConfig::new(Cents::ZERO).assess(&s);
    let kind = match s.kind() {
        AccountKind::CreditLimited => "credit",
        _ => "cash",
    };
    let status = match health {
        Health::Overdue => "overdue",
        Health::Low => "credit exhausted",
        _ => "ok",
    };
    if json {
        let v = serde_json::json!({
            "uin": b.uin,
            "site": client.site().as_str(),
            "account_kind": kind,
            "available": cents(s.available()),
            "real_balance": cents(s.real_balance),
            "cash": cents(s.cash),
            "income": cents(s.income),
            "present": cents(s.present),
            "frozen": cents(s.frozen),
            "owed": cents(s.owed),
            "credit_limit": cents(s.credit_limit),
            "credit_available": s.real_credit_balance.map(cents),
            "status": status,
            "request_id": b.request_id,
        });
        writeln!(out, "{v}")?;
        return Ok(());
    }
    let uin = b.uin.map_or_else(|| "unknown".to_owned(), |u| u.to_string());
    writeln!(out, "account {uin} ({}, {kind} account)", client.site())?;
    let mut row = |label: &str, value: String| writeln!(out, "  {label:<18}{value:>16}");
    row("available", cents(s.available()))?;
    row("cash", cents(s.cash))?;
    row("income", cents(s.income))?;
    row("gifts", cents(s.present))?;
    row("frozen", cents(s.frozen))?;
    row("owed", cents(s.owed))?;
    if s.kind() == AccountKind::CreditLimited {
        row("credit limit", cents(s.credit_limit))?;
        row("credit available", s.real_credit_balance.map_or_else(|| "-".into(), cents))?;
    }
    row("status", status.to_owned())?;
    if health == Health::Overdue {
        writeln!(out, "  top up now: API Gateway suspends 24 hours after an account goes overdue")?;
    }
    Ok(())
}
