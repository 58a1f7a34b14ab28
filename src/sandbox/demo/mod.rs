//! A deterministic demo account for the sandbox: a month of bills, the summaries that agree with
//! them, a balance that drains as the bills accrue, and low-balance and overdue scenarios.
//!
//! Everything is computed from a seed, so the same [`Demo`] always produces the same rows:
//!
//! - `DescribeBillDetail` serves [`Demo::rows_per_month`] rows per month (3,000 by default)
//!   across ten products, six regions, four projects, both pay modes and a few tags, with the
//!   cases a FOCUS export meets: pay-as-you-go usage, subscriptions bought, renewed and refunded,
//!   compensations, vouchers and gift credit, tax (in `ap-singapore`), and resources owned by
//!   three member accounts besides the payer ([`ACCOUNTS`]). It honours
//!   `Offset`/`Limit` (at most 300), `Month` or `BeginTime`/`EndTime`, `NeedRecordNum`, the
//!   `PayMode`/`ResourceId`/`ActionType`/`ProjectId`/`BusinessCode` filters and `Context`. Past
//!   months are complete; the current month (by the sandbox clock, Beijing time) holds the rows up
//!   to now; future months are empty. The sandbox's 5/s quota for the action applies as usual.
//! - `DescribeBillSummaryByProduct`/`ByRegion`/`ByProject`/`ByPayMode`/`ByTag` and
//!   `DescribeCostSummaryByProduct`/`ByRegion`/`ByProject`/`ByTag` sum exactly those rows (tax
//!   aside, as Tencent's do); [`Demo::month_figures`] gives the same sums and the row counts.
//! - `DescribeAccountBalance` starts from the scenario's account and drains at the rate the bills
//!   spend (see [`Demo::burn_per_hour`]); advance the sandbox clock to watch it fall.
//! - `DescribeAccountWarning` / `ModifyAccountWarning` keep the balance-alarm setting.
//! - With [`Demo::organization`], the demo account administers member accounts:
//!   `DescribeOrgMemberAccountBalance` and `DescribeBillDetailForOrganization` serve them (see
//!   [`Organization`]).
//!
//! ```
//! use tencentcloud_billing::sandbox::Sandbox;
//! use tencentcloud_billing::sandbox::demo::{Demo, Scenario};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start().await?;
//! let demo = sandbox.install_demo(Demo::new().scenario(Scenario::LowBalance));
//! let client = sandbox.client_builder().build()?;
//! let before = client.describe_account_balance().send().await?.real_balance;
//! sandbox.advance_clock(3_600);
//! let after = client.describe_account_balance().send().await?.real_balance;
//! assert!(after < before);
//! assert_eq!(demo.rows_in_month("2026-10".parse()?), 3_000);
//! # Ok(()) }
//! ```

mod catalog;
mod handlers;
mod install;
mod org;
mod rows;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Account;
use crate::datetime::YearMonth;
use crate::money::{Cents, Decimal};
pub use catalog::{ACCOUNTS, TAG_KEYS};
pub use install::DemoHandle;
pub use org::{MAX_ORG_BALANCE_PAGE, MAX_ORG_BILL_PAGE, Member, Organization};
use rows::{Row, month_span};

/// Amounts of a group of demo rows, exact to the last of their 8 decimal places.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Figures {
    /// The product's name (`BusinessCodeName`); empty for a month's total.
    pub name: String,
    /// `RealTotalCost`: the cost after discounts, as the bill summaries report it.
    pub real_total: Decimal,
    /// `TotalCost`: the cost at list prices.
    pub list_total: Decimal,
    /// Paid with vouchers.
    pub voucher: Decimal,
    /// Paid from the gift (incentive) account.
    pub incentive: Decimal,
    /// Paid in cash.
    pub cash: Decimal,
    /// Tax on the components, which the bill summaries leave out.
    pub tax: Decimal,
    /// `real_total + tax`: what FOCUS `BilledCost` adds up to.
    pub billed: Decimal,
    /// `DescribeBillDetail` rows.
    pub bill_rows: u32,
    /// FOCUS rows the `focus` mapping makes of them.
    pub focus_rows: u64,
}

/// The exact figures of a month of demo bills, computed from the rows the sandbox serves, for
/// tests that compare an export (FOCUS, CSV, a warehouse) with the source to the last digit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct MonthFigures {
    /// The month.
    pub month: Option<YearMonth>,
    /// The whole month.
    pub total: Figures,
    /// By product code (`BusinessCode`).
    pub by_product: BTreeMap<String, Figures>,
    /// Billing components across the rows.
    pub components: u64,
    /// Rows of subscriptions bought, renewed or refunded (paid ahead, amortised in FOCUS).
    pub prepaid_rows: u32,
    /// Subscription refunds (`prepay_return`, negative amounts).
    pub refund_rows: u32,
    /// Compensations credited by a bill adjustment (`recon_increase`, negative amounts).
    pub compensation_rows: u32,
    /// Components paid partly with vouchers.
    pub voucher_components: u64,
    /// Components paid from the gift account.
    pub gift_components: u64,
    /// Components charged tax.
    pub taxed_components: u64,
    /// The accounts owning the month's resources (`OwnerUin`); the payer is [`ACCOUNTS`]`[0]`.
    pub owners: BTreeSet<String>,
}

/// The largest page `DescribeBillDetail` serves.
pub const MAX_BILL_PAGE: u64 = 300;

/// The account state a demo starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Scenario {
    /// 52,000.00 in cash: weeks of runway.
    #[default]
    Healthy,
    /// 320.00 in cash: below a 500.00 threshold, hours from overdue.
    LowBalance,
    /// Nothing left and 1,280.50 owed.
    Overdue,
    /// A 20,000.00 credit line with 18,500.00 of it used and 150.00 frozen: 1,350.00 of credit
    /// left, nothing owed yet.
    CreditNearlyExhausted,
}

impl Scenario {
    /// The account the scenario starts from.
    pub fn account(&self) -> Account {
        match self {
            Scenario::Healthy => Account::with_balance(Cents::from(5_200_000)),
            Scenario::LowBalance => Account::with_balance(Cents::from(32_000)),
            Scenario::Overdue => Account::with_balance(Cents::ZERO).owing(Cents::from(128_050)),
            Scenario::CreditNearlyExhausted => {
                let limit = Cents::from(2_000_000);
                let used = Cents::from(1_850_000);
                let frozen = Cents::from(15_000);
                let mut a =
                    Account::with_balance(Cents::ZERO).freezing(frozen).with_credit(limit, limit - used - frozen);
                a.credit_balance = limit - used;
                a
            }
        }
    }

    /// The name used on command lines: `healthy`, `low`, `overdue`, `credit`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Scenario::Healthy => "healthy",
            Scenario::LowBalance => "low",
            Scenario::Overdue => "overdue",
            Scenario::CreditNearlyExhausted => "credit",
        }
    }
}

impl std::str::FromStr for Scenario {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "healthy" => Ok(Scenario::Healthy),
            "low" => Ok(Scenario::LowBalance),
            "overdue" => Ok(Scenario::Overdue),
            "credit" => Ok(Scenario::CreditNearlyExhausted),
            other => Err(format!("unknown scenario {other:?}: healthy, low, overdue or credit")),
        }
    }
}

/// A deterministic demo account; install it with [`Sandbox::install_demo`](crate::sandbox::Sandbox::install_demo).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Demo {
    seed: u64,
    rows_per_month: u32,
    scenario: Scenario,
    burn_per_hour: Option<Cents>,
    organization: Option<Organization>,
}

impl Default for Demo {
    fn default() -> Self {
        Demo::new()
    }
}

impl Demo {
    /// The default demo: seed 20180709, 3,000 rows a month, the healthy scenario, a balance that
    /// drains at the bills' average rate.
    pub fn new() -> Self {
        Demo {
            seed: 20180709,
            rows_per_month: 3_000,
            scenario: Scenario::Healthy,
            burn_per_hour: None,
            organization: None,
        }
    }

    /// Another seed gives other (equally deterministic) data.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// How many bill rows a complete month has (at least 1).
    pub fn rows_per_month(mut self, rows: u32) -> Self {
        self.rows_per_month = rows.max(1);
        self
    }

    /// The starting account.
    pub fn scenario(mut self, scenario: Scenario) -> Self {
        self.scenario = scenario;
        self
    }

    /// How fast the balance drains, in cents per hour of sandbox time. Zero keeps it still. By
    /// default, a 30-day month's worth of the demo bills' average.
    pub fn burn_per_hour(mut self, cents: Cents) -> Self {
        self.burn_per_hour = Some(cents);
        self
    }

    /// Rows in a complete month.
    pub fn month_rows(&self) -> u32 {
        self.rows_per_month
    }

    /// The default drain: the cost of a complete month of demo rows, spread over 720 hours,
    /// rounded to whole cents.
    pub fn default_burn_per_hour(&self) -> Cents {
        let month = YearMonth::new(2026, time::Month::October);
        let total: Decimal = (0..self.rows_per_month).map(|i| self.row(month, i).real_total()).sum();
        Cents::new((total * Decimal::ONE_HUNDRED / Decimal::from(720)).round_dp(0))
    }

    /// How many rows `month` holds when the sandbox clock reads `now_unix`: all of them for past
    /// months, those up to now for the current one, none for future ones.
    pub fn rows_at(&self, month: YearMonth, now_unix: i64) -> u32 {
        let (start, span) = month_span(month);
        let n = i128::from(self.rows_per_month);
        if now_unix < start {
            return 0;
        }
        let elapsed = i128::from(now_unix - start);
        let count = ((elapsed + 1) * n + i128::from(span) - 1) / i128::from(span);
        count.min(n) as u32
    }

    /// Row `index` of `month`, as `DescribeBillDetail` sends it in `DetailSet`.
    pub(crate) fn bill_detail(&self, month: YearMonth, index: u32) -> Value {
        self.row(month, index).to_json(month)
    }

    /// The exact figures of `month` when the sandbox clock reads `now_unix` (see
    /// [`DemoHandle::month_figures`] for the installed demo's clock).
    ///
    /// The FOCUS row count follows the `focus` mapping: a row per component, one more per taxed
    /// component, and one more per component of a prepaid row (the share amortised into the
    /// month, since every demo subscription starts inside its month).
    pub fn month_figures(&self, month: YearMonth, now_unix: i64) -> MonthFigures {
        let mut f = MonthFigures { month: Some(month), ..MonthFigures::default() };
        for r in self.rows(month, now_unix) {
            let p = f
                .by_product
                .entry(r.product.business.to_owned())
                .or_insert_with(|| Figures { name: r.product.business_name.to_owned(), ..Figures::default() });
            p.bill_rows += 1;
            f.total.bill_rows += 1;
            f.prepaid_rows += u32::from(r.is_prepaid());
            f.refund_rows += u32::from(r.pay_type() == "refund");
            f.compensation_rows += u32::from(r.pay_type() == "adjustment");
            f.owners.insert(r.owner.to_owned());
            for [real, list, voucher, incentive, cash, tax] in r.component_amounts() {
                let focus = 1 + u64::from(!tax.is_zero()) + u64::from(r.is_prepaid());
                f.components += 1;
                f.voucher_components += u64::from(!voucher.is_zero());
                f.gift_components += u64::from(!incentive.is_zero());
                f.taxed_components += u64::from(!tax.is_zero());
                for t in [&mut *p, &mut f.total] {
                    t.real_total += real;
                    t.list_total += list;
                    t.voucher += voucher;
                    t.incentive += incentive;
                    t.cash += cash;
                    t.tax += tax;
                    t.billed += real + tax;
                    t.focus_rows += focus;
                }
            }
        }
        f
    }

    fn row(&self, month: YearMonth, index: u32) -> Row {
        Row::generate(self, month, index)
    }

    fn rows(&self, month: YearMonth, now_unix: i64) -> impl Iterator<Item = Row> + '_ {
        (0..self.rows_at(month, now_unix)).map(move |i| self.row(month, i))
    }
}

impl Demo {
    /// The bill file the sandbox serves for `file_type` and `month`: a CSV line per bill row of
    /// the complete month (every type gets the same rows, tagged with the type), so that a
    /// download can be compared byte for byte.
    pub(crate) fn bill_file_csv(&self, file_type: &str, month: YearMonth) -> Vec<u8> {
        let mut out = String::from(
            "file_type,bill_month,id,business_code,region_id,pay_mode,resource_id,components,first_component_real_cost\n",
        );
        for i in 0..self.rows_per_month {
            let row = self.bill_detail(month, i);
            let field = |v: &Value, name: &str| v.get(name).and_then(Value::as_str).unwrap_or("").to_owned();
            let components = row.get("ComponentSet").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
            out.push_str(&format!(
                "{file_type},{month},{},{},{},{},{},{},{}\n",
                field(&row, "Id"),
                field(&row, "BusinessCode"),
                field(&row, "RegionId"),
                field(&row, "PayModeName"),
                field(&row, "ResourceId"),
                components.len(),
                components.first().map(|c| field(c, "RealCost")).unwrap_or_default(),
            ));
        }
        out.into_bytes()
    }
}
