//! A deterministic demo account for the sandbox: a month of bills, the summaries that agree with
//! them, a balance that drains as the bills accrue, and low-balance and overdue scenarios.
//!
//! Everything is computed from a seed, so the same [`Demo`] always produces the same rows:
//!
//! - `DescribeBillDetail` serves [`Demo::rows_per_month`] rows per month (3,000 by default)
//!   across ten products, six regions, four projects, both pay modes and a few tags, honouring
//!   `Offset`/`Limit` (at most 300), `Month` or `BeginTime`/`EndTime`, `NeedRecordNum`, the
//!   `PayMode`/`ResourceId`/`ActionType`/`ProjectId`/`BusinessCode` filters and `Context`. Past
//!   months are complete; the current month (by the sandbox clock, Beijing time) holds the rows up
//!   to now; future months are empty. The sandbox's 5/s quota for the action applies as usual.
//! - `DescribeBillSummaryByProduct`/`ByRegion`/`ByProject`/`ByPayMode`/`ByTag` and
//!   `DescribeCostSummaryByProduct`/`ByRegion`/`ByProject`/`ByTag` sum exactly those rows.
//! - `DescribeAccountBalance` starts from the scenario's account and drains at the rate the bills
//!   spend (see [`Demo::burn_per_hour`]); advance the sandbox clock to watch it fall.
//! - `DescribeAccountWarning` / `ModifyAccountWarning` keep the balance-alarm setting.
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

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use time::{OffsetDateTime, PrimitiveDateTime, Time};

use super::{Account, HandlerContext, Sandbox, SandboxError, State, lock};
use crate::datetime::{BEIJING, YearMonth, format_beijing};
use crate::money::{Cents, Decimal};

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

/// A deterministic demo account; install it with [`Sandbox::install_demo`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Demo {
    seed: u64,
    rows_per_month: u32,
    scenario: Scenario,
    burn_per_hour: Option<Cents>,
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
        Demo { seed: 20180709, rows_per_month: 3_000, scenario: Scenario::Healthy, burn_per_hour: None }
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
    pub fn bill_detail(&self, month: YearMonth, index: u32) -> Value {
        self.row(month, index).to_json(month)
    }

    fn row(&self, month: YearMonth, index: u32) -> Row {
        Row::generate(self, month, index)
    }

    fn rows(&self, month: YearMonth, now_unix: i64) -> impl Iterator<Item = Row> + '_ {
        (0..self.rows_at(month, now_unix)).map(move |i| self.row(month, i))
    }
}

// ---------------------------------------------------------------------------------------------
// The catalogue the rows are drawn from.

struct Product {
    business: &'static str,
    business_name: &'static str,
    product: &'static str,
    product_name: &'static str,
    /// Relative frequency of rows.
    weight: u64,
    resource_prefix: &'static str,
    resources: u64,
    /// Hourly price range in cents (low, high).
    hourly: (i64, i64),
    /// Whether some rows are monthly subscriptions.
    prepaid: bool,
    components: &'static [(&'static str, &'static str, &'static str, &'static str, &'static str)],
}

const PRODUCTS: &[Product] = &[
    Product {
        business: "p_cvm",
        business_name: "Cloud Virtual Machine",
        product: "sp_cvm_s5",
        product_name: "CVM - Standard S5",
        weight: 30,
        resource_prefix: "ins",
        resources: 40,
        hourly: (35, 480),
        prepaid: true,
        components: &[
            ("v_cvm_compute", "Compute", "v_cvm_compute_s5", "Compute - S5 4C8G", "instance-hour"),
            ("v_cvm_rootdisk", "System disk", "v_cvm_rootdisk_ssd", "System disk - SSD", "GB-hour"),
        ],
    },
    Product {
        business: "p_cbs",
        business_name: "Cloud Block Storage",
        product: "sp_cbs_premium",
        product_name: "CBS - Premium Cloud Disk",
        weight: 12,
        resource_prefix: "disk",
        resources: 30,
        hourly: (4, 60),
        prepaid: true,
        components: &[("v_cbs_premium", "Capacity", "v_cbs_premium_gb", "Premium disk capacity", "GB-hour")],
    },
    Product {
        business: "p_cos",
        business_name: "Cloud Object Storage",
        product: "sp_cos_standard",
        product_name: "COS - Standard Storage",
        weight: 10,
        resource_prefix: "cos",
        resources: 8,
        hourly: (10, 240),
        prepaid: false,
        components: &[
            ("v_cos_storage", "Storage", "v_cos_standard_gb", "Standard storage", "GB-hour"),
            ("v_cos_requests", "Requests", "v_cos_read_req", "Read requests", "10k requests"),
        ],
    },
    Product {
        business: "p_cdn",
        business_name: "Content Delivery Network",
        product: "sp_cdn_traffic",
        product_name: "CDN - Traffic",
        weight: 9,
        resource_prefix: "cdn",
        resources: 5,
        hourly: (50, 900),
        prepaid: false,
        components: &[("v_cdn_traffic", "Traffic", "v_cdn_traffic_domestic", "Domestic traffic", "GB")],
    },
    Product {
        business: "p_cdb",
        business_name: "TencentDB for MySQL",
        product: "sp_cdb_ha",
        product_name: "MySQL - Two-node",
        weight: 8,
        resource_prefix: "cdb",
        resources: 10,
        hourly: (60, 620),
        prepaid: true,
        components: &[
            ("v_cdb_compute", "Instance", "v_cdb_4c16g", "Instance - 4C16G", "instance-hour"),
            ("v_cdb_storage", "Storage", "v_cdb_ssd_gb", "SSD storage", "GB-hour"),
        ],
    },
    Product {
        business: "p_clb",
        business_name: "Cloud Load Balancer",
        product: "sp_clb",
        product_name: "CLB - Standard",
        weight: 6,
        resource_prefix: "lb",
        resources: 12,
        hourly: (2, 40),
        prepaid: false,
        components: &[("v_clb_instance", "Instance", "v_clb_lcu", "LCU", "LCU-hour")],
    },
    Product {
        business: "p_apigateway",
        business_name: "API Gateway",
        product: "sp_apigateway_calls",
        product_name: "API Gateway - Calls",
        weight: 7,
        resource_prefix: "service",
        resources: 9,
        hourly: (1, 120),
        prepaid: false,
        components: &[("v_apigw_calls", "Calls", "v_apigw_calls_10k", "API calls", "10k calls")],
    },
    Product {
        business: "p_faceid",
        business_name: "eKYC",
        product: "sp_faceid_verify",
        product_name: "eKYC - Liveness Verification",
        weight: 4,
        resource_prefix: "faceid",
        resources: 3,
        hourly: (30, 400),
        prepaid: false,
        components: &[("v_faceid_verify", "Verification", "v_faceid_liveness", "Liveness checks", "call")],
    },
    Product {
        business: "p_redis",
        business_name: "TencentDB for Redis",
        product: "sp_redis_standard",
        product_name: "Redis - Standard",
        weight: 6,
        resource_prefix: "crs",
        resources: 8,
        hourly: (20, 260),
        prepaid: true,
        components: &[("v_redis_memory", "Memory", "v_redis_memory_gb", "Memory", "GB-hour")],
    },
    Product {
        business: "p_cls",
        business_name: "Cloud Log Service",
        product: "sp_cls_index",
        product_name: "CLS - Indexing",
        weight: 8,
        resource_prefix: "topic",
        resources: 14,
        hourly: (1, 90),
        prepaid: false,
        components: &[("v_cls_index", "Index traffic", "v_cls_index_gb", "Index traffic", "GB")],
    },
];

/// (id, name, zone, weight)
const REGIONS: &[(&str, &str, &str, u64)] = &[
    ("ap-guangzhou", "South China (Guangzhou)", "Guangzhou Zone 6", 30),
    ("ap-shanghai", "East China (Shanghai)", "Shanghai Zone 4", 25),
    ("ap-beijing", "North China (Beijing)", "Beijing Zone 7", 20),
    ("ap-chengdu", "Southwest China (Chengdu)", "Chengdu Zone 2", 8),
    ("ap-hongkong", "Hong Kong, Macau and Taiwan (China) (Hong Kong)", "Hong Kong Zone 2", 9),
    ("ap-singapore", "Southeast Asia (Singapore)", "Singapore Zone 3", 8),
];

const PROJECTS: &[(i64, &str)] =
    &[(0, "Default Project"), (1001, "web-frontend"), (1002, "data-platform"), (1003, "ml-research")];

const ENV_TAGS: &[&str] = &["prod", "prod", "prod", "staging", "dev", ""];
const TEAM_TAGS: &[&str] = &["payments", "search", "growth", ""];

/// The tag keys the demo resources carry.
pub const TAG_KEYS: &[&str] = &["env", "team"];

const PAYER_UIN: &str = "100000000001";

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn hash(seed: u64, parts: &[u64]) -> u64 {
    parts.iter().fold(mix(seed), |acc, p| mix(acc ^ p))
}

fn pick<T>(items: &[T], weight: impl Fn(&T) -> u64, h: u64) -> &T {
    let total: u64 = items.iter().map(&weight).sum();
    let mut x = h % total.max(1);
    for it in items {
        let w = weight(it);
        if x < w {
            return it;
        }
        x -= w;
    }
    &items[0]
}

/// Unix seconds of the month's first instant (Beijing), and its length in seconds.
fn month_span(month: YearMonth) -> (i64, i64) {
    let start = PrimitiveDateTime::new(month.first_day(), Time::MIDNIGHT).assume_offset(BEIJING).unix_timestamp();
    (start, i64::from(month.days()) * 86_400)
}

fn month_key(month: YearMonth) -> u64 {
    (month.year() as u64) * 100 + month.month() as u64
}

fn beijing(unix: i64) -> String {
    format_beijing(OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH))
}

/// A money string with 8 decimal places, as bills send them.
fn m8(d: Decimal) -> String {
    let mut d = d.round_dp(8);
    d.rescale(8);
    d.to_string()
}

fn ratio(part: Decimal, total: Decimal) -> String {
    if total.is_zero() {
        return "0.00".into();
    }
    let mut r = (part * Decimal::ONE_HUNDRED / total).round_dp(2);
    r.rescale(2);
    r.to_string()
}

// ---------------------------------------------------------------------------------------------
// Rows.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PayMode {
    PrePay,
    PostPay,
}

impl PayMode {
    fn code(self) -> &'static str {
        match self {
            PayMode::PrePay => "prePay",
            PayMode::PostPay => "postPay",
        }
    }
    fn name(self) -> &'static str {
        match self {
            PayMode::PrePay => "Monthly Subscription",
            PayMode::PostPay => "Pay-As-You-Go",
        }
    }
}

struct Component {
    code: &'static str,
    name: &'static str,
    item_code: &'static str,
    item_name: &'static str,
    unit: &'static str,
    used: Decimal,
    cost: Decimal,
    real_cost: Decimal,
    discount: Decimal,
    voucher: Decimal,
    incentive: Decimal,
    cash: Decimal,
}

impl Component {
    fn to_json(&self, pay_mode: PayMode) -> Value {
        let c = self;
        json!({
            "ComponentCodeName": c.name,
            "ItemCodeName": c.item_name,
            "SinglePrice": m8(if c.used.is_zero() { c.cost } else { c.cost / c.used }),
            "PriceUnit": format!("CNY/{}", c.unit),
            "UsedAmount": c.used.to_string(),
            "UsedAmountUnit": c.unit,
            "RealTotalMeasure": c.used.to_string(),
            "DeductedMeasure": "0",
            "TimeSpan": if pay_mode == PayMode::PrePay { "1" } else { "3600" },
            "TimeUnitName": if pay_mode == PayMode::PrePay { "month" } else { "second" },
            "Cost": m8(c.cost),
            "Discount": c.discount.to_string(),
            "ReduceType": "Discount",
            "RealCost": m8(c.real_cost),
            "VoucherPayAmount": m8(c.voucher),
            "CashPayAmount": m8(c.cash),
            "IncentivePayAmount": m8(c.incentive),
            "TransferPayAmount": m8(Decimal::ZERO),
            "ItemCode": c.item_code,
            "ComponentCode": c.code,
            "ContractPrice": m8(c.cost),
            "InstanceType": "",
            "RiTimeSpan": "0.00000000",
            "OriginalCostWithRI": "0.00000000",
            "SPDeductionRate": "0.00000000",
            "OriginalCostWithSP": "0.00000000",
            "BlendedDiscount": c.discount.to_string(),
            "ComponentConfig": [],
        })
    }
}

struct Row {
    index: u32,
    ts: i64,
    product: &'static Product,
    resource_id: String,
    region: &'static (&'static str, &'static str, &'static str, u64),
    project: &'static (i64, &'static str),
    tags: Vec<(&'static str, &'static str)>,
    pay_mode: PayMode,
    action: (&'static str, &'static str),
    components: Vec<Component>,
    span_secs: i64,
}

#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    real: Decimal,
    cost: Decimal,
    cash: Decimal,
    voucher: Decimal,
    incentive: Decimal,
    transfer: Decimal,
}

impl Sums {
    fn add(&mut self, r: &Row) {
        for c in &r.components {
            self.real += c.real_cost;
            self.cost += c.cost;
            self.cash += c.cash;
            self.voucher += c.voucher;
            self.incentive += c.incentive;
        }
    }

    fn fields(&self, total: Decimal) -> Value {
        json!({
            "RealTotalCost": m8(self.real),
            "TotalCost": m8(self.cost),
            "CashPayAmount": m8(self.cash),
            "VoucherPayAmount": m8(self.voucher),
            "IncentivePayAmount": m8(self.incentive),
            "TransferPayAmount": m8(self.transfer),
            "RealTotalCostRatio": ratio(self.real, total),
        })
    }
}

impl Row {
    fn generate(demo: &Demo, month: YearMonth, index: u32) -> Row {
        let mk = month_key(month);
        let h = |k: u64| hash(demo.seed, &[mk, u64::from(index), k]);
        let (start, span) = month_span(month);
        let ts = start + (i64::from(index) * span) / i64::from(demo.rows_per_month);
        let product = pick(PRODUCTS, |p| p.weight, h(1));
        let pidx = PRODUCTS.iter().position(|p| std::ptr::eq(p, product)).unwrap_or(0) as u64;
        let resource = h(2) % product.resources;
        let rh = hash(demo.seed, &[pidx, resource, 77]);
        let region = pick(REGIONS, |r| r.3, rh);
        let project = &PROJECTS[(rh >> 16) as usize % PROJECTS.len()];
        let mut tags = Vec::new();
        let env = ENV_TAGS[(rh >> 24) as usize % ENV_TAGS.len()];
        if !env.is_empty() {
            tags.push(("env", env));
        }
        let team = TEAM_TAGS[(rh >> 32) as usize % TEAM_TAGS.len()];
        if !team.is_empty() {
            tags.push(("team", team));
        }
        let resource_id = format!("{}-{:08x}", product.resource_prefix, (rh >> 8) as u32);
        let prepaid = product.prepaid && h(3) % 100 < 1;
        let (pay_mode, action, hours) = if prepaid {
            let action = if h(4) % 3 == 0 {
                ("prepay_purchase", "Subscription purchase")
            } else {
                ("prepay_renew", "Subscription renewal")
            };
            (PayMode::PrePay, action, 720)
        } else {
            (PayMode::PostPay, ("postpay_deduct_h", "Pay-as-you-go hourly settlement"), 1)
        };
        let (lo, hi) = product.hourly;
        // Pay-as-you-go lists at about twice the hourly price of a subscription.
        let hourly_cents = (lo + (h(5) % (hi - lo + 1) as u64) as i64) * if prepaid { 1 } else { 2 };
        // 1e-8 yuan precision: hourly cents × hours, with a little noise in the last places.
        let units = hourly_cents * hours * 1_000_000 + (h(6) % 1_000_000) as i64;
        let total = Decimal::new(units, 8);
        let discount = match h(7) % 10 {
            0..=5 => Decimal::ONE,
            6..=8 => Decimal::new(9, 1),
            _ => Decimal::new(8, 1),
        };
        let voucher_row = h(8) % 100 < 8;
        let gift_row = !voucher_row && h(8) % 100 < 13;
        let n = product.components.len();
        let mut components = Vec::with_capacity(n);
        let mut left = total;
        for (k, (code, name, item_code, item_name, unit)) in product.components.iter().enumerate() {
            let cost = if k + 1 == n { left } else { (total * Decimal::new(8, 1)).round_dp(8) };
            left -= cost;
            let real_cost = (cost * discount).round_dp(8);
            let voucher = if voucher_row { real_cost.min(Decimal::new(5, 0)) } else { Decimal::ZERO };
            let incentive = if gift_row { real_cost } else { Decimal::ZERO };
            components.push(Component {
                code,
                name,
                item_code,
                item_name,
                unit,
                used: Decimal::from(1 + h(9 + k as u64) % 64),
                cost,
                real_cost,
                discount,
                voucher,
                incentive,
                cash: real_cost - voucher - incentive,
            });
        }
        Row {
            index,
            ts,
            product,
            resource_id,
            region,
            project,
            tags,
            pay_mode,
            action,
            components,
            span_secs: hours * 3_600 - 1,
        }
    }

    fn real_total(&self) -> Decimal {
        self.components.iter().map(|c| c.real_cost).sum()
    }

    fn tag(&self, key: &str) -> &'static str {
        self.tags.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| *v)
    }

    fn to_json(&self, month: YearMonth) -> Value {
        let id = format!("{}{:02}{:06}", month.year(), month.month() as u8, self.index);
        let order = format!("2026{:015}", hash(7, &[month_key(month), u64::from(self.index)]) % 1_000_000_000_000_000);
        let day = &beijing(self.ts)[..10];
        let overseas = self.region.0 == "ap-hongkong" || self.region.0 == "ap-singapore";
        let mut row = json!({
            "BusinessCodeName": self.product.business_name,
            "ProductCodeName": self.product.product_name,
            "PayModeName": self.pay_mode.name(),
            "ProjectName": self.project.1,
            "RegionName": self.region.1,
            "ZoneName": self.region.2,
            "ResourceId": self.resource_id,
            "ResourceName": format!("{}-{}", self.project.1, self.resource_id),
            "ActionTypeName": self.action.1,
            "OrderId": order,
            "BillId": format!("{order}{:04}", self.index % 10_000),
            "PayTime": beijing(self.ts + 3_600),
            "FeeBeginTime": beijing(self.ts),
            "FeeEndTime": beijing(self.ts + self.span_secs),
            "ComponentSet": self.components.iter().map(|c| c.to_json(self.pay_mode)).collect::<Vec<_>>(),
        });
        let more = json!({
            "PayerUin": PAYER_UIN,
            "OwnerUin": PAYER_UIN,
            "OperateUin": PAYER_UIN,
            "Tags": self.tags.iter().map(|(k, v)| json!({ "TagKey": k, "TagValue": v })).collect::<Vec<_>>(),
            "BusinessCode": self.product.business,
            "ProductCode": self.product.product,
            "ActionType": self.action.0,
            "RegionId": self.region.0,
            "ProjectId": self.project.0,
            "PriceInfo": [],
            "AssociatedOrder": {},
            "Formula": "",
            "FormulaUrl": "",
            "BillDay": format!("{day} 00:00:00"),
            "BillMonth": format!("{month}-01 00:00:00"),
            "Id": id,
            "RegionType": if overseas { "overseas" } else { "mainland" },
            "RegionTypeName": if overseas { "Outside Chinese mainland" } else { "Chinese mainland" },
            "ReserveDetail": "",
            "DiscountObject": "",
            "DiscountType": "",
            "DiscountContent": "",
        });
        if let (Some(r), Value::Object(m)) = (row.as_object_mut(), more) {
            r.extend(m);
        }
        row
    }
}

// ---------------------------------------------------------------------------------------------
// Request parsing.

fn bad(code: &str, message: impl Into<String>) -> SandboxError {
    SandboxError::new(code, message)
}

fn int_field(body: &Value, name: &str) -> Result<Option<i64>, SandboxError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            n.as_i64().map(Some).ok_or_else(|| bad("InvalidParameterValue", format!("{name} must be an integer")))
        }
        Some(Value::String(s)) => {
            s.trim().parse().map(Some).map_err(|_| bad("InvalidParameterValue", format!("{name} must be an integer")))
        }
        Some(_) => Err(bad("InvalidParameterValue", format!("{name} must be an integer"))),
    }
}

fn str_field<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body.get(name).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn month_field(body: &Value, name: &str) -> Result<Option<YearMonth>, SandboxError> {
    str_field(body, name)
        .map(|s| {
            s.parse::<YearMonth>().map_err(|_| bad("InvalidParameterValue", format!("{name} {s:?} is not a month")))
        })
        .transpose()
}

/// `BeginTime`..=`EndTime` as months, both required, at most 12 apart.
fn month_range(body: &Value) -> Result<Vec<YearMonth>, SandboxError> {
    let begin = month_field(body, "BeginTime")?.ok_or_else(|| bad("MissingParameter", "BeginTime is required"))?;
    let end = month_field(body, "EndTime")?.ok_or_else(|| bad("MissingParameter", "EndTime is required"))?;
    if end < begin {
        return Err(bad("InvalidParameterValue", "EndTime is before BeginTime"));
    }
    let mut months = vec![begin];
    while *months.last().unwrap_or(&begin) < end {
        let next = months[months.len() - 1].next();
        months.push(next);
        if months.len() > 12 {
            return Err(bad("InvalidParameterValue", "the range spans more than 12 months"));
        }
    }
    Ok(months)
}

/// The filters of `DescribeBillDetail`.
#[derive(Debug, Default, PartialEq, Eq, Hash)]
struct DetailFilter {
    pay_mode: Option<String>,
    resource_id: Option<String>,
    action_type: Option<String>,
    project_id: Option<i64>,
    business_code: Option<String>,
}

impl DetailFilter {
    fn parse(body: &Value) -> Result<Self, SandboxError> {
        let pay_mode = str_field(body, "PayMode").map(str::to_owned);
        if let Some(p) = &pay_mode
            && p != "prePay"
            && p != "postPay"
        {
            return Err(bad("InvalidParameterValue", format!("PayMode {p:?} is not prePay or postPay")));
        }
        Ok(DetailFilter {
            pay_mode,
            resource_id: str_field(body, "ResourceId").map(str::to_owned),
            action_type: str_field(body, "ActionType").map(str::to_owned),
            project_id: int_field(body, "ProjectId")?,
            business_code: str_field(body, "BusinessCode").map(str::to_owned),
        })
    }

    fn is_empty(&self) -> bool {
        *self == DetailFilter::default()
    }

    fn matches(&self, r: &Row) -> bool {
        self.pay_mode.as_deref().is_none_or(|p| p == r.pay_mode.code())
            && self.resource_id.as_deref().is_none_or(|x| x == r.resource_id)
            && self.action_type.as_deref().is_none_or(|x| x == r.action.0)
            && self.project_id.is_none_or(|x| x == r.project.0)
            && self.business_code.as_deref().is_none_or(|x| x == r.product.business)
    }

    fn fingerprint(&self) -> u64 {
        let text = format!("{self:?}");
        text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
    }
}

fn detail_month(body: &Value) -> Result<YearMonth, SandboxError> {
    if let Some(m) = month_field(body, "Month")? {
        return Ok(m);
    }
    let begin = str_field(body, "BeginTime");
    let end = str_field(body, "EndTime");
    match (begin, end) {
        (Some(b), Some(e)) => {
            let (b, e) = (
                b.parse::<YearMonth>().map_err(|_| bad("InvalidParameterValue", "BeginTime is not a datetime"))?,
                e.parse::<YearMonth>().map_err(|_| bad("InvalidParameterValue", "EndTime is not a datetime"))?,
            );
            if b != e {
                return Err(bad("InvalidParameterValue", "BeginTime and EndTime must be in the same month"));
            }
            Ok(b)
        }
        _ => Err(bad("MissingParameter", "Month, or BeginTime and EndTime, is required")),
    }
}

// ---------------------------------------------------------------------------------------------
// Answers.

impl Demo {
    fn describe_bill_detail(&self, now: i64, body: &Value) -> Result<Value, SandboxError> {
        let offset = int_field(body, "Offset")?.ok_or_else(|| bad("MissingParameter", "Offset is required"))?;
        let limit = int_field(body, "Limit")?.ok_or_else(|| bad("MissingParameter", "Limit is required"))?;
        if offset < 0 {
            return Err(bad("InvalidParameterValue", "Offset must not be negative"));
        }
        if !(1..=MAX_BILL_PAGE as i64).contains(&limit) {
            return Err(bad("InvalidParameterValue", format!("Limit must be 1 to {MAX_BILL_PAGE}")));
        }
        let month = detail_month(body)?;
        let filter = DetailFilter::parse(body)?;
        let fp = filter.fingerprint();
        if let Some(ctx) = str_field(body, "Context") {
            let ok = ctx
                .strip_prefix("demo:")
                .and_then(|rest| rest.split_once(':'))
                .is_some_and(|(m, f)| m == month.to_string() && u64::from_str_radix(f, 16).ok() == Some(fp));
            if !ok {
                return Err(bad("InvalidParameterValue", "Context does not belong to this query"));
            }
        }
        let (offset, limit) = (offset as u64, limit as u64);
        let (rows, total): (Vec<Value>, u64) = if filter.is_empty() {
            let total = u64::from(self.rows_at(month, now));
            let end = (offset + limit).min(total);
            let rows = (offset.min(total)..end).map(|i| self.bill_detail(month, i as u32)).collect();
            (rows, total)
        } else {
            let mut total = 0;
            let mut rows = Vec::new();
            for r in self.rows(month, now).filter(|r| filter.matches(r)) {
                if total >= offset && total < offset + limit {
                    rows.push(r.to_json(month));
                }
                total += 1;
            }
            (rows, total)
        };
        let mut answer = json!({ "DetailSet": rows, "Context": format!("demo:{month}:{fp:x}") });
        if int_field(body, "NeedRecordNum")? == Some(1) {
            answer["Total"] = json!(total);
        }
        Ok(answer)
    }

    /// Sum the rows of `months` by `key`, returning (key, display name, sums), largest first.
    fn group(
        &self,
        months: &[YearMonth],
        now: i64,
        key: impl Fn(&Row) -> Option<(String, String)>,
    ) -> (Vec<(String, String, Sums)>, Sums) {
        let mut groups: BTreeMap<String, (String, Sums)> = BTreeMap::new();
        let mut total = Sums::default();
        for &m in months {
            for r in self.rows(m, now) {
                total.add(&r);
                if let Some((k, name)) = key(&r) {
                    groups.entry(k).or_insert_with(|| (name, Sums::default())).1.add(&r);
                }
            }
        }
        let mut v: Vec<_> = groups.into_iter().map(|(k, (n, s))| (k, n, s)).collect();
        v.sort_by(|a, b| b.2.real.cmp(&a.2.real).then_with(|| a.0.cmp(&b.0)));
        (v, total)
    }

    fn bill_summary(&self, action: &str, now: i64, body: &Value) -> Result<Value, SandboxError> {
        let months = month_range(body)?;
        let bill_month = months[0].to_string();
        match action {
            "DescribeBillSummaryByProduct" => {
                let pay_type = str_field(body, "PayType");
                if let Some(p) = pay_type
                    && !matches!(p, "consume" | "refund" | "adjustment")
                {
                    return Err(bad(
                        "InvalidParameterValue",
                        format!("PayType {p:?} is not consume, refund or adjustment"),
                    ));
                }
                // The demo has consumption only.
                let consume = pay_type.is_none_or(|p| p == "consume");
                let (groups, total) = self.group(&months, now, |r| {
                    consume.then(|| (r.product.business.to_owned(), r.product.business_name.to_owned()))
                });
                let total = if consume { total } else { Sums::default() };
                let items: Vec<_> = groups
                    .iter()
                    .map(|(k, n, s)| {
                        let mut v = s.fields(total.real);
                        v["BusinessCode"] = json!(k);
                        v["BusinessCodeName"] = json!(n);
                        v["BillMonth"] = json!(bill_month);
                        v
                    })
                    .collect();
                let mut sum = total.fields(total.real);
                if let Some(o) = sum.as_object_mut() {
                    o.remove("RealTotalCostRatio");
                }
                Ok(json!({ "Ready": 1, "SummaryTotal": sum, "SummaryOverview": items }))
            }
            "DescribeBillSummaryByRegion" => {
                let (groups, total) =
                    self.group(&months, now, |r| Some((r.region.0.to_owned(), r.region.1.to_owned())));
                Ok(json!({ "Ready": 1, "SummaryOverview": groups.iter().map(|(k, n, s)| {
                    let mut v = s.fields(total.real);
                    v["RegionId"] = json!(k);
                    v["RegionName"] = json!(n);
                    v["BillMonth"] = json!(bill_month);
                    v
                }).collect::<Vec<_>>() }))
            }
            "DescribeBillSummaryByProject" => {
                let (groups, total) =
                    self.group(&months, now, |r| Some((r.project.0.to_string(), r.project.1.to_owned())));
                Ok(json!({ "Ready": 1, "SummaryOverview": groups.iter().map(|(k, n, s)| {
                    let mut v = s.fields(total.real);
                    v["ProjectId"] = json!(k);
                    v["ProjectName"] = json!(n);
                    v["BillMonth"] = json!(bill_month);
                    v
                }).collect::<Vec<_>>() }))
            }
            "DescribeBillSummaryByPayMode" => {
                let (groups, total) =
                    self.group(&months, now, |r| Some((r.pay_mode.code().to_owned(), r.pay_mode.name().to_owned())));
                let items: Vec<_> = groups
                    .iter()
                    .map(|(k, n, s)| {
                        let (detail, _) = self.group(&months, now, |r| {
                            (r.pay_mode.code() == k).then(|| (r.action.0.to_owned(), r.action.1.to_owned()))
                        });
                        let mut v = s.fields(total.real);
                        v["PayMode"] = json!(k);
                        v["PayModeName"] = json!(n);
                        v["Detail"] = detail
                            .iter()
                            .map(|(ak, an, asum)| {
                                let mut d = asum.fields(s.real);
                                d["ActionType"] = json!(ak);
                                d["ActionTypeName"] = json!(an);
                                d["BillMonth"] = json!(bill_month);
                                d
                            })
                            .collect();
                        v
                    })
                    .collect();
                Ok(json!({ "Ready": 1, "SummaryOverview": items }))
            }
            "DescribeBillSummaryByTag" | "DescribeCostSummaryByTag" => {
                let key = str_field(body, "TagKey").ok_or_else(|| bad("MissingParameter", "TagKey is required"))?;
                if !TAG_KEYS.contains(&key) {
                    return Err(bad(
                        "FailedOperation.TagKeyNotExist",
                        format!("the tag key {key:?} is not a cost allocation tag"),
                    ));
                }
                let only = str_field(body, "TagValue");
                let (groups, total) = self.group(&months, now, |r| {
                    let v = r.tag(key);
                    only.is_none_or(|o| o == v).then(|| (v.to_owned(), v.to_owned()))
                });
                let items: Vec<_> = groups
                    .iter()
                    .map(|(k, _, s)| {
                        let mut v = s.fields(total.real);
                        v["TagValue"] = json!(k);
                        v
                    })
                    .collect();
                Ok(json!({
                    "Ready": 1,
                    "SummaryOverview": items,
                    "SummaryTotal": { "RealTotalCost": m8(total.real), "TotalCost": m8(total.cost) },
                }))
            }
            _ => Err(bad("InternalError", format!("{action} is not a summary"))),
        }
    }

    fn cost_summary(&self, action: &str, now: i64, body: &Value) -> Result<Value, SandboxError> {
        let months = month_range(body)?;
        let offset = int_field(body, "Offset")?.ok_or_else(|| bad("MissingParameter", "Offset is required"))?;
        let limit = int_field(body, "Limit")?.ok_or_else(|| bad("MissingParameter", "Limit is required"))?;
        if offset < 0 || !(1..=1000).contains(&limit) {
            return Err(bad("InvalidParameterValue", "Offset must be 0 or more and Limit 1 to 1000"));
        }
        let previous: Vec<YearMonth> = months.iter().map(YearMonth::previous).collect();
        type Key = fn(&Row) -> (String, String);
        let key: Key = match action {
            "DescribeCostSummaryByProduct" => |r| (r.product.business.to_owned(), r.product.business_name.to_owned()),
            "DescribeCostSummaryByRegion" => |r| (r.region.0.to_owned(), r.region.1.to_owned()),
            _ => |r| (r.project.0.to_string(), r.project.1.to_owned()),
        };
        let (groups, total) = self.group(&months, now, |r| Some(key(r)));
        let (before, _) = self.group(&previous, now, |r| Some(key(r)));
        let items: Vec<_> = groups
            .iter()
            .skip(offset as usize)
            .take(limit as usize)
            .map(|(k, n, s)| {
                let prior = before.iter().find(|(pk, _, _)| pk == k).map(|(_, _, p)| p.real);
                let trend = match prior {
                    Some(p) if !p.is_zero() => {
                        let change = ((s.real - p) * Decimal::ONE_HUNDRED / p).round_dp(2);
                        let kind = if change.is_sign_positive() && !change.is_zero() {
                            "upward"
                        } else if change.is_zero() {
                            "none"
                        } else {
                            "downward"
                        };
                        json!({ "Type": kind, "Value": change.abs().to_string() })
                    }
                    _ => json!({ "Type": "none", "Value": "" }),
                };
                let mut v = json!({
                    "RealTotalCost": m8(s.real),
                    "Trend": trend,
                    "CashPayAmount": m8(s.cash),
                    "IncentivePayAmount": m8(s.incentive),
                    "VoucherPayAmount": m8(s.voucher),
                    "TransferPayAmount": m8(s.transfer),
                });
                match action {
                    "DescribeCostSummaryByProduct" => {
                        v["BusinessCode"] = json!(k);
                        v["BusinessCodeName"] = json!(n);
                    }
                    "DescribeCostSummaryByRegion" => {
                        v["RegionId"] = json!(k);
                        v["RegionName"] = json!(n);
                    }
                    _ => {
                        v["ProjectId"] = json!(k);
                        v["ProjectName"] = json!(n);
                    }
                }
                v
            })
            .collect();
        let mut answer = json!({ "Ready": 1, "Total": { "RealTotalCost": m8(total.real) }, "Data": items });
        if int_field(body, "NeedRecordNum")? == Some(1) {
            answer["RecordNum"] = json!(groups.len());
        }
        Ok(answer)
    }
}

// ---------------------------------------------------------------------------------------------
// Installing the demo.

#[derive(Debug)]
struct Drain {
    per_hour: Cents,
    /// Sandbox time the account's cash was last set.
    anchor: i64,
}

#[derive(Debug, Default)]
struct Warning {
    threshold: u64,
    open: bool,
}

/// A handle on an installed demo: change the balance, read the row counts.
pub struct DemoHandle {
    state: Arc<State>,
    demo: Arc<Demo>,
    drain: Arc<Mutex<Drain>>,
}

impl fmt::Debug for DemoHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DemoHandle").field("demo", &self.demo).field("drain", &self.drain).finish_non_exhaustive()
    }
}

impl DemoHandle {
    /// The demo's settings.
    pub fn demo(&self) -> &Demo {
        &self.demo
    }

    /// Set the cash balance now (sandbox time), clearing any amount owed; it drains from here.
    pub fn set_balance(&self, cash: Cents) {
        let now = self.state.now_unix();
        let mut account = lock(&self.state.account);
        account.cash = cash.max(Cents::ZERO);
        account.owed = (-cash).max(Cents::ZERO);
        lock(&self.drain).anchor = now;
    }

    /// Add `amount` to the balance now, paying off what is owed first.
    pub fn top_up(&self, amount: Cents) {
        let current = self.balance();
        self.set_balance(current + amount);
    }

    /// The cash balance now, negative when money is owed (what `DescribeAccountBalance` would
    /// report as cash minus owed, before frozen amounts and gifts).
    pub fn balance(&self) -> Cents {
        let account = drained(&lock(&self.state.account), &lock(&self.drain), self.state.now_unix());
        account.cash - account.owed
    }

    /// Change how fast the balance drains, from now on.
    pub fn set_burn_per_hour(&self, cents: Cents) {
        let current = self.balance();
        lock(&self.drain).per_hour = cents;
        self.set_balance(current);
    }

    /// How many bill rows `month` holds now (sandbox time).
    pub fn rows_in_month(&self, month: YearMonth) -> u32 {
        self.demo.rows_at(month, self.state.now_unix())
    }
}

/// The account after draining `per_hour` since the anchor: cash first, then into debt.
fn drained(account: &Account, drain: &Drain, now: i64) -> Account {
    let mut a = account.clone();
    let secs = (now - drain.anchor).max(0);
    let spent = Cents::new((drain.per_hour.amount() * Decimal::from(secs) / Decimal::from(3_600)).floor());
    if a.credit_limited {
        // A credit account spends its line first; beyond it, the excess is owed.
        let from_line = spent.min(a.real_credit_balance.max(Cents::ZERO));
        a.credit_balance -= from_line;
        a.real_credit_balance -= from_line;
        a.owed += spent - from_line;
    } else if spent > a.cash {
        a.owed += spent - a.cash;
        a.cash = Cents::ZERO;
    } else {
        a.cash -= spent;
    }
    a
}

const BILL_SUMMARIES: &[&str] = &[
    "DescribeBillSummaryByProduct",
    "DescribeBillSummaryByRegion",
    "DescribeBillSummaryByProject",
    "DescribeBillSummaryByPayMode",
    "DescribeBillSummaryByTag",
    "DescribeCostSummaryByTag",
];

const COST_SUMMARIES: &[&str] =
    &["DescribeCostSummaryByProduct", "DescribeCostSummaryByRegion", "DescribeCostSummaryByProject"];

impl Sandbox {
    /// Serve the demo account: set the scenario's account and install handlers for the bill,
    /// summary, balance and balance-alarm actions (replacing any set before). See the
    /// [`demo`](crate::sandbox::demo) module.
    pub fn install_demo(&self, demo: Demo) -> DemoHandle {
        let per_hour = demo.burn_per_hour.unwrap_or_else(|| demo.default_burn_per_hour());
        self.set_account(demo.scenario.account());
        let demo = Arc::new(demo);
        let drain = Arc::new(Mutex::new(Drain { per_hour, anchor: self.now_unix() }));

        let d = Arc::clone(&demo);
        self.set_handler("DescribeBillDetail", move |ctx, body| d.describe_bill_detail(ctx.now_unix, body));
        for action in BILL_SUMMARIES {
            let d = Arc::clone(&demo);
            self.set_handler(action, move |ctx: &HandlerContext<'_>, body| {
                d.bill_summary(ctx.action, ctx.now_unix, body)
            });
        }
        for action in COST_SUMMARIES {
            let d = Arc::clone(&demo);
            self.set_handler(action, move |ctx: &HandlerContext<'_>, body| {
                d.cost_summary(ctx.action, ctx.now_unix, body)
            });
        }
        let dr = Arc::clone(&drain);
        self.set_handler("DescribeAccountBalance", move |ctx, body| {
            let account = drained(ctx.account, &lock(&dr), ctx.now_unix);
            Ok(account.to_json(body.get("TempCredit").and_then(Value::as_bool).unwrap_or(false)))
        });
        let warning = Arc::new(Mutex::new(Warning::default()));
        let w = Arc::clone(&warning);
        self.set_handler("DescribeAccountWarning", move |_, _| {
            let w = lock(&w);
            Ok(json!({ "Threshold": w.threshold.to_string(), "Open": if w.open { "1" } else { "0" } }))
        });
        self.set_handler("ModifyAccountWarning", move |_, body| {
            let threshold =
                int_field(body, "Threshold")?.ok_or_else(|| bad("MissingParameter", "Threshold is required"))?;
            let open = int_field(body, "Open")?.ok_or_else(|| bad("MissingParameter", "Open is required"))?;
            if threshold < 0 || !(0..=1).contains(&open) {
                return Err(bad("InvalidParameterValue", "Threshold must be 0 or more and Open 0 or 1"));
            }
            let mut w = lock(&warning);
            w.threshold = threshold as u64;
            w.open = open == 1;
            Ok(json!({ "Threshold": w.threshold.to_string(), "Open": if w.open { "1" } else { "0" } }))
        });
        DemoHandle { state: Arc::clone(&self.state), demo, drain }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oct() -> YearMonth {
        "2026-10".parse().unwrap()
    }

    #[test]
    fn rows_are_deterministic_and_spread_over_the_month() {
        let demo = Demo::new();
        assert_eq!(demo.bill_detail(oct(), 17), demo.bill_detail(oct(), 17));
        assert_ne!(demo.bill_detail(oct(), 17), Demo::new().seed(1).bill_detail(oct(), 17));
        let first = demo.bill_detail(oct(), 0);
        let last = demo.bill_detail(oct(), 2_999);
        assert_eq!(first["FeeBeginTime"], "2026-10-01 00:00:00");
        assert!(last["FeeBeginTime"].as_str().unwrap().starts_with("2026-10-31"));
        assert_eq!(first["BillMonth"], "2026-10-01 00:00:00");
        // Component costs add up to exact 8-place strings.
        let c = &first["ComponentSet"][0];
        assert_eq!(c["RealCost"].as_str().unwrap().split('.').nth(1).unwrap().len(), 8);
    }

    #[test]
    fn month_prefixes_follow_the_clock() {
        let demo = Demo::new();
        let (start, span) = month_span(oct());
        assert_eq!(demo.rows_at(oct(), start - 1), 0);
        assert_eq!(demo.rows_at(oct(), start), 1);
        assert_eq!(demo.rows_at(oct(), start + span / 2), 1_501);
        assert_eq!(demo.rows_at(oct(), start + span - 1), 3_000);
        assert_eq!(demo.rows_at(oct(), start + 10 * span), 3_000);
        // Every served row really started by `now`.
        for now in [start + 1_000, start + 777_777] {
            let n = demo.rows_at(oct(), now);
            assert!(demo.row(oct(), n - 1).ts <= now);
            assert!(n == 3_000 || demo.row(oct(), n).ts > now);
        }
    }

    #[test]
    fn summaries_add_up_to_the_rows() {
        let demo = Demo::new();
        let now = i64::MAX / 4;
        let body = json!({ "BeginTime": "2026-10", "EndTime": "2026-10" });
        let exact: Decimal = demo.rows(oct(), now).map(|r| r.real_total()).sum();
        let by_product = demo.bill_summary("DescribeBillSummaryByProduct", now, &body).unwrap();
        let total: Decimal = by_product["SummaryTotal"]["RealTotalCost"].as_str().unwrap().parse().unwrap();
        assert_eq!(total, exact.round_dp(8));
        for action in BILL_SUMMARIES.iter().filter(|a| !a.ends_with("Tag")) {
            let v = demo.bill_summary(action, now, &body).unwrap();
            let sum: Decimal = v["SummaryOverview"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["RealTotalCost"].as_str().unwrap().parse::<Decimal>().unwrap())
                .sum();
            assert_eq!(sum, exact, "{action}");
        }
        let mut tagged = body.clone();
        tagged["TagKey"] = json!("env");
        let v = demo.bill_summary("DescribeBillSummaryByTag", now, &tagged).unwrap();
        let sum: Decimal = v["SummaryOverview"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["RealTotalCost"].as_str().unwrap().parse::<Decimal>().unwrap())
            .sum();
        assert_eq!(sum, exact);
        let mut paged = body.clone();
        paged["Offset"] = json!(0);
        paged["Limit"] = json!(100);
        paged["NeedRecordNum"] = json!(1);
        let v = demo.cost_summary("DescribeCostSummaryByRegion", now, &paged).unwrap();
        assert_eq!(v["RecordNum"], 6);
        assert_eq!(v["Total"]["RealTotalCost"], by_product["SummaryTotal"]["RealTotalCost"]);
        // Thousands of yuan a month: a realistic scale for the charts and the runway.
        assert!(exact > Decimal::from(10_000) && exact < Decimal::from(100_000), "{exact}");
    }

    #[test]
    fn drain_spends_cash_then_owes() {
        let account = Account::with_balance(Cents::from(1_000));
        let d = Drain { per_hour: Cents::from(600), anchor: 0 };
        assert_eq!(drained(&account, &d, 3_600).cash, Cents::from(400));
        let after = drained(&account, &d, 7_200);
        assert_eq!((after.cash, after.owed), (Cents::ZERO, Cents::from(200)));
        assert_eq!(drained(&account, &d, -5).cash, Cents::from(1_000));
    }
}
