//! An organization for the demo: the demo account as the admin of a few member accounts, each
//! with its own balance and its own bills, served by `DescribeOrgMemberAccountBalance` and
//! `DescribeBillDetailForOrganization`.
//!
//! Each member's bills are the demo's row generator run with a seed of the member's own and the
//! member's row count, so a member's month is as deterministic as the demo's, and the
//! organization's month is the members' months one after the other (by member order). The member
//! balances stay as set: unlike the demo account's, they do not drain.

use serde_json::{Value, json};

use super::Demo;
use super::catalog::PAYER_UIN;
use super::handlers::{DetailQuery, bad, detail_answer, int_field};
use crate::datetime::YearMonth;
use crate::generated::models::DistributionBillDetail;
use crate::money::Cents;
use crate::sandbox::{Account, SandboxError, Scope};

/// The largest page `DescribeOrgMemberAccountBalance` serves (`PageSize`).
pub const MAX_ORG_BALANCE_PAGE: u64 = 10;
/// The largest page `DescribeBillDetailForOrganization` serves (`Limit`).
pub const MAX_ORG_BILL_PAGE: u64 = 100;
/// The most `MemberUins` one `DescribeOrgMemberAccountBalance` request may name.
const MAX_MEMBER_UINS: usize = 10;

/// One member account of an [`Organization`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    uin: u64,
    name: String,
    account: Account,
    rows_per_month: u32,
}

impl Member {
    /// A member with its UIN, name, balance (the account's UIN is set to the member's) and the
    /// number of bill rows a complete month of its has (at least 1).
    pub fn new(uin: u64, name: impl Into<String>, account: Account, rows_per_month: u32) -> Self {
        Member { uin, name: name.into(), account: account.uin(uin), rows_per_month: rows_per_month.max(1) }
    }

    /// The member's UIN.
    pub fn uin(&self) -> u64 {
        self.uin
    }

    /// The member's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The member's balance, as `DescribeOrgMemberAccountBalance` reports it.
    pub fn account(&self) -> &Account {
        &self.account
    }

    /// Bill rows in a complete month.
    pub fn rows_per_month(&self) -> u32 {
        self.rows_per_month
    }

    /// The member's bills: the demo's generator with a seed derived from the demo's and the UIN.
    fn bills(&self, demo: &Demo) -> Demo {
        let mut bills = demo.clone();
        bills.seed = demo.seed ^ self.uin.rotate_left(17) ^ 0x6f72_6700;
        bills.rows_per_month = self.rows_per_month;
        bills.organization = None;
        bills
    }
}

/// The member accounts the demo account administers; add it with [`Demo::organization`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct Organization {
    members: Vec<Member>,
}

impl Organization {
    /// An organization without members.
    pub fn new() -> Self {
        Organization::default()
    }

    /// The demo organization: twelve members, so that the balances take two pages of ten. The
    /// first four show the situations worth alerting on:
    ///
    /// | UIN | name | balance | rows a month |
    /// |---|---|---|---|
    /// | 200000000101 | platform | 36,500.00 cash | 600 |
    /// | 200000000102 | data-team | 415.00 cash: low | 400 |
    /// | 200000000103 | marketing | nothing, 960.25 owed: overdue | 250 |
    /// | 200000000104 | research | a 10,000.00 credit line, 1,200.00 of it left | 300 |
    /// | 200000000105 to 112 | team-05 to team-12 | 5,000.00 + 123.45 × n cash | 40 each |
    pub fn demo() -> Self {
        let mut org = Organization::new()
            .member(Member::new(200_000_000_101, "platform", Account::with_balance(Cents::from(3_650_000)), 600))
            .member(Member::new(200_000_000_102, "data-team", Account::with_balance(Cents::from(41_500)), 400))
            .member(Member::new(
                200_000_000_103,
                "marketing",
                Account::with_balance(Cents::ZERO).owing(Cents::from(96_025)),
                250,
            ))
            .member(Member::new(
                200_000_000_104,
                "research",
                Account::with_balance(Cents::ZERO).with_credit(Cents::from(1_000_000), Cents::from(120_000)),
                300,
            ));
        for n in 5..=12_i64 {
            let cash = Cents::from(500_000 + 12_345 * n);
            org = org.member(Member::new(
                200_000_000_100 + n as u64,
                format!("team-{n:02}"),
                Account::with_balance(cash),
                40,
            ));
        }
        org
    }

    /// Add a member (a member with the UIN of one already there replaces it).
    pub fn member(mut self, member: Member) -> Self {
        match self.members.iter_mut().find(|m| m.uin == member.uin) {
            Some(m) => *m = member,
            None => self.members.push(member),
        }
        self
    }

    /// The members, in the order the API lists them.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// Bill rows a complete month has across all members.
    pub fn rows_per_month(&self) -> u32 {
        self.members.iter().map(|m| m.rows_per_month).sum()
    }
}

impl Demo {
    /// Make the demo account the admin of `organization`: the sandbox then serves
    /// `DescribeOrgMemberAccountBalance` and `DescribeBillDetailForOrganization` for it.
    pub fn organization(mut self, organization: Organization) -> Self {
        self.organization = Some(organization);
        self
    }

    /// The organization's members, in order; none when the demo has no organization.
    pub fn organization_members(&self) -> &[Member] {
        self.organization.as_ref().map_or(&[], |o| o.members())
    }

    /// How many organization bill rows `month` holds for member `uin` when the sandbox clock
    /// reads `now_unix` (0 for a UIN that is not a member).
    pub fn member_rows_at(&self, uin: u64, month: YearMonth, now_unix: i64) -> u32 {
        self.organization_members().iter().find(|m| m.uin == uin).map_or(0, |m| m.bills(self).rows_at(month, now_unix))
    }

    /// How many organization bill rows `month` holds across all members at `now_unix`.
    pub fn org_rows_at(&self, month: YearMonth, now_unix: i64) -> u32 {
        self.organization_members().iter().map(|m| m.bills(self).rows_at(month, now_unix)).sum()
    }
}

/// Serve the organization's actions in `scope`, when the demo has an organization.
pub(super) fn install(scope: &Scope, demo: &std::sync::Arc<Demo>) {
    if demo.organization.is_none() {
        return;
    }
    let d = std::sync::Arc::clone(demo);
    scope.set_raw_handler("DescribeOrgMemberAccountBalance", move |_, body| {
        member_balances(d.organization_members(), body)
    });
    let d = std::sync::Arc::clone(demo);
    scope
        .set_raw_handler("DescribeBillDetailForOrganization", move |ctx, body| org_bill_detail(&d, ctx.now_unix, body));
}

/// One member's `DescribeOrgMemberAccountBalanceData`. Amounts are cents.
fn balance_json(m: &Member) -> Value {
    let a = &m.account;
    let c = |v: Cents| serde_json::to_value(v).unwrap_or(Value::Null);
    json!({
        "MemberUin": m.uin.to_string(),
        "MemberName": m.name,
        "IsCreditAccount": a.credit_limited,
        "RealBalance": c(a.real_balance()),
        "CashAccountBalance": c(a.cash),
        "CreditAmount": c(a.credit_amount + a.temp_credit),
        "TempCredit": c(a.temp_credit),
        "BasicCreditAmount": c(a.credit_amount),
        "OweAmount": c(a.owed),
    })
}

/// `DescribeOrgMemberAccountBalance`: `PageNumber` from 1 (default 1), `PageSize` 1 to 10
/// (default 10), and `MemberUins` (at most 10 digit strings) to ask for some members only; UINs
/// that are not members are left out of the answer.
pub(super) fn member_balances(members: &[Member], body: &Value) -> Result<Value, SandboxError> {
    let page = int_field(body, "PageNumber")?.unwrap_or(1);
    let size = int_field(body, "PageSize")?.unwrap_or(MAX_ORG_BALANCE_PAGE as i64);
    if page < 1 {
        return Err(bad("InvalidParameterValue", "PageNumber must be 1 or more"));
    }
    if !(1..=MAX_ORG_BALANCE_PAGE as i64).contains(&size) {
        return Err(bad("InvalidParameterValue", format!("PageSize must be 1 to {MAX_ORG_BALANCE_PAGE}")));
    }
    let wanted: Option<Vec<u64>> = match body.get("MemberUins") {
        None | Some(Value::Null) => None,
        Some(Value::Array(uins)) if uins.is_empty() => None,
        Some(Value::Array(uins)) => {
            if uins.len() > MAX_MEMBER_UINS {
                return Err(bad("InvalidParameterValue", format!("MemberUins holds at most {MAX_MEMBER_UINS} UINs")));
            }
            let parsed = uins
                .iter()
                .map(|u| {
                    u.as_str()
                        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                        .and_then(|s| s.parse::<u64>().ok())
                        .ok_or_else(|| bad("InvalidParameterValue", "MemberUins must be strings of digits"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Some(parsed)
        }
        Some(_) => return Err(bad("InvalidParameterValue", "MemberUins must be a list")),
    };
    let chosen: Vec<&Member> = members.iter().filter(|m| wanted.as_ref().is_none_or(|w| w.contains(&m.uin))).collect();
    let start = usize::try_from((page - 1).saturating_mul(size)).unwrap_or(usize::MAX);
    let data: Vec<Value> = chosen.iter().skip(start).take(size as usize).map(|m| balance_json(m)).collect();
    Ok(json!({
        "Data": data,
        "TotalCount": chosen.len(),
        "PageSize": data.len(),
        "PageNumber": page,
    }))
}

/// One organization bill row, as `DistributionBillDetail` has it: the demo row of the member,
/// with the member as owner and operator.
fn org_row(member: &Member, bills: &Demo, month: YearMonth, index: u32) -> Result<Value, SandboxError> {
    let mut row = bills.bill_detail(month, index);
    let uin = Value::String(member.uin.to_string());
    row["OwnerUin"] = uin.clone();
    row["OperateUin"] = uin;
    row["PayerUin"] = Value::String(PAYER_UIN.to_owned());
    // Keep exactly the fields the organization's row type has.
    let typed: DistributionBillDetail = serde_json::from_value(row)
        .map_err(|e| bad("InternalError", format!("the demo row does not fit DistributionBillDetail: {e}")))?;
    serde_json::to_value(&typed).map_err(|e| bad("InternalError", e.to_string()))
}

/// `DescribeBillDetailForOrganization`: `Offset`/`Limit` (1 to 100) over the members' rows one
/// member after the other, `Month` or `BeginTime`/`EndTime` in one month, `NeedRecordNum`, the
/// same filters as `DescribeBillDetail` and its `Context` check.
pub(super) fn org_bill_detail(demo: &Demo, now: i64, body: &Value) -> Result<Value, SandboxError> {
    let DetailQuery { offset, limit, month, filter } = DetailQuery::parse(body, MAX_ORG_BILL_PAGE, "org")?;
    let mut rows = Vec::new();
    // `seen` counts the matching rows before the current one, across members.
    let mut seen: u64 = 0;
    for member in demo.organization_members() {
        let bills = member.bills(demo);
        if filter.is_empty() {
            let n = u64::from(bills.rows_at(month, now));
            let (from, to) = (offset.max(seen), (offset + limit).min(seen + n));
            for i in from..to.max(from) {
                rows.push(org_row(member, &bills, month, (i - seen) as u32)?);
            }
            seen += n;
        } else {
            for (i, r) in bills.rows(month, now).enumerate() {
                if filter.matches(&r) {
                    if seen >= offset && seen < offset + limit {
                        rows.push(org_row(member, &bills, month, i as u32)?);
                    }
                    seen += 1;
                }
            }
        }
    }
    detail_answer(body, rows, seen, "org", month, &filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Demo {
        Demo::new().organization(Organization::demo())
    }

    /// Far past any month the tests use: every month is complete.
    const LATER: i64 = i64::MAX / 4;

    #[test]
    fn balances_page_by_page_number_and_size() {
        let d = demo();
        let members = d.organization_members();
        assert_eq!(members.len(), 12);
        let first = member_balances(members, &json!({})).unwrap();
        assert_eq!(first["TotalCount"], 12);
        assert_eq!(first["PageSize"], 10);
        assert_eq!(first["PageNumber"], 1);
        assert_eq!(first["Data"][1]["MemberName"], "data-team");
        assert_eq!(first["Data"][1]["RealBalance"], 41_500);
        assert_eq!(first["Data"][2]["OweAmount"], 96_025);
        assert_eq!(first["Data"][3]["IsCreditAccount"], true);
        let second = member_balances(members, &json!({ "PageNumber": 2 })).unwrap();
        assert_eq!(second["PageSize"], 2);
        assert_eq!(second["Data"][1]["MemberUin"], "200000000112");
        let beyond = member_balances(members, &json!({ "PageNumber": 3, "PageSize": 10 })).unwrap();
        assert_eq!(beyond["Data"].as_array().unwrap().len(), 0);
        let some = member_balances(members, &json!({ "MemberUins": ["200000000103", "999"] })).unwrap();
        assert_eq!(some["TotalCount"], 1);
        assert_eq!(some["Data"][0]["MemberName"], "marketing");
        for bad_body in [
            json!({ "PageNumber": 0 }),
            json!({ "PageSize": 11 }),
            json!({ "PageSize": 0 }),
            json!({ "MemberUins": ["12a"] }),
            json!({ "MemberUins": (0..11).map(|i| i.to_string()).collect::<Vec<_>>() }),
        ] {
            let e = member_balances(members, &bad_body).unwrap_err();
            assert_eq!(e.code, "InvalidParameterValue", "{bad_body}");
        }
    }

    #[test]
    fn org_bills_walk_every_member_in_order() {
        let d = demo();
        let month: YearMonth = "2026-10".parse().unwrap();
        assert_eq!(d.org_rows_at(month, LATER), 1_870);
        assert_eq!(Organization::demo().rows_per_month(), 1_870);
        let mut owners = Vec::new();
        let mut offset = 0;
        loop {
            let body = json!({ "Offset": offset, "Limit": 100, "Month": "2026-10", "NeedRecordNum": 1 });
            let page = org_bill_detail(&d, LATER, &body).unwrap();
            assert_eq!(page["Total"], 1_870);
            let rows = page["DetailSet"].as_array().unwrap();
            if rows.is_empty() {
                break;
            }
            owners.extend(rows.iter().map(|r| r["OwnerUin"].as_str().unwrap().to_owned()));
            offset += rows.len();
        }
        assert_eq!(owners.len(), 1_870);
        for m in d.organization_members() {
            let n = owners.iter().filter(|o| **o == m.uin().to_string()).count();
            assert_eq!(n as u32, m.rows_per_month(), "{}", m.name());
        }
        // Members follow each other: 600 rows of the first, then the second's.
        assert_eq!(owners[599], "200000000101");
        assert_eq!(owners[600], "200000000102");
        // A filtered walk counts only the matching rows, and its Context is checked.
        let body = json!({ "Offset": 0, "Limit": 100, "Month": "2026-10", "NeedRecordNum": 1, "PayMode": "prePay" });
        let page = org_bill_detail(&d, LATER, &body).unwrap();
        let total = page["Total"].as_u64().unwrap();
        assert!(total > 0 && total < 1_870, "{total}");
        let mut wrong = body.clone();
        wrong["Context"] = json!("org:2026-10:0");
        assert_eq!(org_bill_detail(&d, LATER, &wrong).unwrap_err().code, "InvalidParameterValue");
        let mut right = body.clone();
        right["Context"] = page["Context"].clone();
        assert!(org_bill_detail(&d, LATER, &right).is_ok());
        let e = org_bill_detail(&d, LATER, &json!({ "Offset": 0, "Limit": 101, "Month": "2026-10" })).unwrap_err();
        assert_eq!(e.code, "InvalidParameterValue");
    }
}
