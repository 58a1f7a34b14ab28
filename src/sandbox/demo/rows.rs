//! Row generation: each bill row is a pure function of the seed, the month and its index, so any
//! page can be produced without generating the rows before it.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::Demo;
use super::catalog::{
    ACCOUNTS, ENV_TAGS, PAYER_UIN, PRODUCTS, PROJECTS, Product, REGIONS, TAX_RATE, TAXED_REGION, TEAM_TAGS,
};
use crate::datetime::{YearMonth, format_beijing};
use crate::money::Decimal;

/// SplitMix64's finaliser: neighbouring inputs give unrelated outputs, so row `i` and row `i + 1`
/// share nothing.
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
pub(super) fn month_span(month: YearMonth) -> (i64, i64) {
    let start = month.start().unix_timestamp();
    (start, i64::from(month.days()) * 86_400)
}

fn month_key(month: YearMonth) -> u64 {
    (month.year() as u64) * 100 + month.month() as u64
}

fn beijing(unix: i64) -> String {
    format_beijing(OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH))
}

/// A money string with 8 decimal places, as bills send them.
pub(super) fn m8(d: Decimal) -> String {
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

/// The action type of a subscription refund.
pub(super) const REFUND: &str = "prepay_return";
/// The action type of a compensation credited by a bill adjustment.
pub(super) const COMPENSATION: &str = "recon_increase";

/// How a row is paid: a monthly subscription or pay-as-you-go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum PayMode {
    PrePay,
    PostPay,
}

impl PayMode {
    pub(super) fn code(self) -> &'static str {
        match self {
            PayMode::PrePay => "prePay",
            PayMode::PostPay => "postPay",
        }
    }
    pub(super) fn name(self) -> &'static str {
        match self {
            PayMode::PrePay => "Monthly Subscription",
            PayMode::PostPay => "Pay-As-You-Go",
        }
    }
}

/// One billed component of a row (an instance's compute, its disk, its traffic, ...).
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
    /// Tax on the component (rows of the taxed region only), on top of `real_cost`.
    tax: Decimal,
}

impl Component {
    fn to_json(&self, pay_mode: PayMode) -> Value {
        let c = self;
        let mut v = json!({
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
            // A unit price, as the list price is: the price after discounts per unit used.
            "ContractPrice": m8(if c.used.is_zero() { c.real_cost } else { c.real_cost / c.used }),
            "InstanceType": "",
            "RiTimeSpan": "0.00000000",
            "OriginalCostWithRI": "0.00000000",
            "SPDeductionRate": "0.00000000",
            "OriginalCostWithSP": "0.00000000",
            "BlendedDiscount": c.discount.to_string(),
            "ComponentConfig": [],
        });
        if !c.tax.is_zero() {
            let (n, scale) = TAX_RATE;
            v["TaxRate"] = json!(Decimal::new(n, scale).to_string());
            v["TaxAmount"] = json!(m8(c.tax));
        }
        v
    }
}

/// One bill row, before it is rendered as `DescribeBillDetail` sends it.
pub(super) struct Row {
    index: u32,
    ts: i64,
    pub(super) product: &'static Product,
    pub(super) resource_id: String,
    pub(super) region: &'static (&'static str, &'static str, &'static str, u64),
    pub(super) project: &'static (i64, &'static str),
    tags: Vec<(&'static str, &'static str)>,
    pub(super) pay_mode: PayMode,
    pub(super) action: (&'static str, &'static str),
    /// The account that owns the resource (`OwnerUin`); the payer is always [`PAYER_UIN`].
    pub(super) owner: &'static str,
    components: Vec<Component>,
    span_secs: i64,
}

/// The amounts of a group of rows, as the summaries report them.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Sums {
    pub(super) real: Decimal,
    pub(super) cost: Decimal,
    pub(super) cash: Decimal,
    pub(super) voucher: Decimal,
    pub(super) incentive: Decimal,
    pub(super) transfer: Decimal,
    /// Tax, which Tencent's summaries leave out of their totals.
    pub(super) tax: Decimal,
}

impl Sums {
    pub(super) fn add(&mut self, r: &Row) {
        for c in &r.components {
            self.real += c.real_cost;
            self.cost += c.cost;
            self.cash += c.cash;
            self.voucher += c.voucher;
            self.incentive += c.incentive;
            self.tax += c.tax;
        }
    }

    /// Add another group's sums.
    pub(super) fn absorb(&mut self, other: &Sums) {
        self.real += other.real;
        self.cost += other.cost;
        self.cash += other.cash;
        self.voucher += other.voucher;
        self.incentive += other.incentive;
        self.transfer += other.transfer;
        self.tax += other.tax;
    }

    pub(super) fn fields(&self, total: Decimal) -> Value {
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
    pub(super) fn generate(demo: &Demo, month: YearMonth, index: u32) -> Row {
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
        // A subscription is bought, renewed, or (one in four) refunded; one pay-as-you-go row in
        // two hundred is a compensation credited by a bill adjustment. Both give money back: their
        // amounts are negative.
        let (pay_mode, action, hours) = if prepaid {
            let action = match h(4) % 4 {
                0 => ("prepay_purchase", "Subscription purchase"),
                1 => (REFUND, "Subscription refund"),
                _ => ("prepay_renew", "Subscription renewal"),
            };
            (PayMode::PrePay, action, 720)
        } else if h(3) % 1000 >= 995 {
            (PayMode::PostPay, (COMPENSATION, "Bill adjustment compensation"), 1)
        } else {
            (PayMode::PostPay, ("postpay_deduct_h", "Pay-as-you-go hourly settlement"), 1)
        };
        let gives_back = action.0 == REFUND || action.0 == COMPENSATION;
        let owner = ACCOUNTS[(rh >> 40) as usize % ACCOUNTS.len()].0;
        let taxed = region.0 == TAXED_REGION;
        let (lo, hi) = product.hourly;
        // Pay-as-you-go lists at about twice the hourly price of a subscription.
        let hourly_cents = (lo + (h(5) % (hi - lo + 1) as u64) as i64) * if prepaid { 1 } else { 2 };
        // 1e-8 yuan precision: hourly cents × hours, with a little noise in the last places.
        let units = hourly_cents * hours * 1_000_000 + (h(6) % 1_000_000) as i64;
        let total = Decimal::new(if gives_back { -units } else { units }, 8);
        let discount = match h(7) % 10 {
            0..=5 => Decimal::ONE,
            6..=8 => Decimal::new(9, 1),
            _ => Decimal::new(8, 1),
        };
        let voucher_row = !gives_back && h(8) % 100 < 8;
        let gift_row = !gives_back && !voucher_row && h(8) % 100 < 13;
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
                tax: if taxed { (real_cost * Decimal::new(TAX_RATE.0, TAX_RATE.1)).round_dp(8) } else { Decimal::ZERO },
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
            owner,
            components,
            span_secs: hours * 3_600 - 1,
        }
    }

    /// How `DescribeBillSummaryByProduct`'s `PayType` classes the row.
    pub(super) fn pay_type(&self) -> &'static str {
        match self.action.0 {
            REFUND => "refund",
            COMPENSATION => "adjustment",
            _ => "consume",
        }
    }

    /// The row's components, as the figures need them: (real cost, list cost, voucher, gift,
    /// cash, tax).
    pub(super) fn component_amounts(&self) -> impl Iterator<Item = [Decimal; 6]> + '_ {
        self.components.iter().map(|c| [c.real_cost, c.cost, c.voucher, c.incentive, c.cash, c.tax])
    }

    /// Whether the row pays for a subscription period ahead (bought, renewed or refunded).
    pub(super) fn is_prepaid(&self) -> bool {
        self.pay_mode == PayMode::PrePay
    }

    pub(super) fn real_total(&self) -> Decimal {
        self.components.iter().map(|c| c.real_cost).sum()
    }

    pub(super) fn tag(&self, key: &str) -> &'static str {
        self.tags.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| *v)
    }

    pub(super) fn to_json(&self, month: YearMonth) -> Value {
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
            "OwnerUin": self.owner,
            "OperateUin": self.owner,
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
}
