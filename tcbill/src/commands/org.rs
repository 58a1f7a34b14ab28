//! `tcbill org balances`: every member account's balance, through
//! DescribeOrgMemberAccountBalance, walking its pages (page numbers from 1, at most 10 members a
//! page) with the library's paginator.

use std::io::Write;

use serde_json::json;
use tencentcloud_billing::BillingClient;
use tencentcloud_billing::money::{Cents, Yuan};
use tencentcloud_billing::types::DescribeOrgMemberAccountBalanceData;

use crate::amounts::money;
use crate::columns;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A member's state: overdue when it owes, low when a cash member's balance is below the
/// threshold, ok otherwise.
pub fn status(m: &DescribeOrgMemberAccountBalanceData, threshold: Option<Yuan>) -> &'static str {
    let owed = m.owe_amount.unwrap_or(Cents::ZERO);
    let balance = m.real_balance.unwrap_or(Cents::ZERO);
    if owed > Cents::ZERO {
        "overdue"
    } else if m.is_credit_account != Some(true) && threshold.is_some_and(|t| balance.to_yuan() < t) {
        "low"
    } else {
        "ok"
    }
}

fn amount(c: Option<Cents>) -> String {
    c.map_or_else(|| "-".to_owned(), |c| money(c.to_yuan()))
}

/// Fetch every member's balance, `page_size` members a request, and print them as a table (or
/// a JSON array). Reports the members and requests on stderr.
pub async fn balances(
    client: &BillingClient,
    json: bool,
    page_size: i64,
    threshold: Option<Yuan>,
    out: &mut dyn Write,
) -> Result<(), BoxError> {
    let mut items = client.describe_org_member_account_balance().page_size(page_size).into_paginator().items();
    let mut members = Vec::new();
    while let Some(m) = items.next().await {
        members.push(m?);
    }
    eprintln!("tcbill: {} members in {} pages", members.len(), items.pages_fetched());
    if json {
        let rows: Vec<_> = members
            .iter()
            .map(|m| {
                json!({
                    "member_uin": m.member_uin,
                    "member_name": m.member_name,
                    "account_kind": if m.is_credit_account == Some(true) { "credit" } else { "cash" },
                    "available": m.real_balance.map(|c| money(c.to_yuan())),
                    "cash": m.cash_account_balance.map(|c| money(c.to_yuan())),
                    "owed": m.owe_amount.map(|c| money(c.to_yuan())),
                    "credit_limit": m.credit_amount.map(|c| money(c.to_yuan())),
                    "temp_credit": m.temp_credit.map(|c| money(c.to_yuan())),
                    "status": status(m, threshold),
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::Value::Array(rows))?;
        return Ok(());
    }
    // Names pad by display width: Chinese names take two cells a character.
    let width = columns::widest(members.iter().filter_map(|m| m.member_name.as_deref()), 4);
    writeln!(
        out,
        "{:<14}  {}  {:<6}  {:>14}  {:>14}  {:>12}  {:>14}  status",
        "member",
        columns::left("name", width),
        "kind",
        "available",
        "cash",
        "owed",
        "credit limit"
    )?;
    for m in &members {
        writeln!(
            out,
            "{:<14}  {}  {:<6}  {:>14}  {:>14}  {:>12}  {:>14}  {}",
            m.member_uin.as_deref().unwrap_or("-"),
            columns::left(m.member_name.as_deref().unwrap_or(""), width),
            if m.is_credit_account == Some(true) { "credit" } else { "cash" },
            amount(m.real_balance),
            amount(m.cash_account_balance),
            amount(m.owe_amount),
            amount(m.credit_amount),
            status(m, threshold),
        )?;
    }
    Ok(())
}
