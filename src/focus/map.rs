//! From Tencent bill rows to FOCUS rows.
//!
//! [`FocusMapper`] turns one `DescribeBillDetail` row ([`BillDetail`]) or one
//! `DescribeBillDetailForOrganization` row ([`DistributionBillDetail`]) into FOCUS rows:
//!
//! - one charge row per billing component (the component carries the quantity, the unit and the
//!   prices, so a coarser row would have to drop them);
//! - one `Tax` row per component whose `TaxAmount` is not zero (international site);
//! - for prepaid charges (subscriptions bought, renewed, changed or refunded), one amortisation
//!   row holding the share of the charge that falls inside the billing month, while the purchase
//!   row itself keeps `EffectiveCost` at zero. Earlier months' purchases give this month's share
//!   through [`FocusMapper::amortise_detail`].
//!
//! `BilledCost` is Tencent's `RealCost`: the amount after discounts that the bill charges, so the
//! rows of a month add up to the bill summaries (`RealTotalCost`) plus tax. `EffectiveCost`
//! further takes off what vouchers and the gift (incentive) account paid. The whole mapping,
//! column by column, is in `docs/focus.md`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::OnceLock;

use time::{Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use super::{
    ChargeCategory, ChargeClass, ChargeFrequency, CommitmentDiscountCategory, FocusRow, PricingCategory,
    ServiceCategory,
};
use crate::datetime::{BEIJING, YearMonth};
use crate::generated::models::{BillDetail, BillDetailComponent, BillTagInfo, DistributionBillDetail};
use crate::money::{Decimal, Yuan};
use crate::protocol::Site;

/// The name FOCUS rows give as provider, publisher and invoice issuer unless told otherwise.
pub const TENCENT_CLOUD: &str = "Tencent Cloud";

/// The product table, as kept in the repository (`spec/focus/service-categories.csv`).
const SERVICE_TABLE: &str = include_str!("../../spec/focus/service-categories.csv");

/// The subcategory table, as kept in the repository (`spec/focus/service-subcategories.csv`).
const SUBCATEGORY_TABLE: &str = include_str!("../../spec/focus/service-subcategories.csv");

/// The unit table, as kept in the repository (`spec/focus/units.csv`).
const UNIT_TABLE: &str = include_str!("../../spec/focus/units.csv");

/// The places amounts are rounded to when a share has to be computed (amortisation): the bills'
/// own precision.
const AMOUNT_PLACES: u32 = 8;

// ---------------------------------------------------------------------------------------------
// Errors.

/// Why a bill row could not become FOCUS rows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MapErrorKind {
    /// A component has no `RealCost` (absent, or Tencent's `"-"`): `BilledCost` cannot be null
    /// and is never invented.
    MissingAmount {
        /// The wire name of the missing field.
        field: &'static str,
    },
    /// A quantity field holds something other than a decimal number.
    BadQuantity {
        /// The wire name of the field.
        field: &'static str,
        /// What it held (clipped).
        value: String,
    },
    /// Neither the row nor the mapper names the paying account.
    MissingPayer,
    /// The row has neither a product code nor a product name to name the service by.
    MissingService,
    /// The row belongs to another billing month than the mapper's.
    MonthMismatch {
        /// The row's billing month.
        row: YearMonth,
        /// The mapper's billing month.
        expected: YearMonth,
    },
    /// A component names a currency that is not a three-letter ISO 4217 code.
    BadCurrency(String),
    /// An amount is too large for exact arithmetic (beyond 28 digits).
    Overflow,
}

/// A bill row that could not be mapped, with the row's `Id` (or `BillId`) when it has one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct MapError {
    kind: MapErrorKind,
    row: Option<String>,
}

impl MapError {
    fn new(kind: MapErrorKind, row: Option<&str>) -> Self {
        MapError { kind, row: row.map(|r| crate::text::clip(r, 64)) }
    }

    /// What went wrong.
    pub fn kind(&self) -> &MapErrorKind {
        &self.kind
    }

    /// The bill row's `Id` (or `BillId`), when it has one.
    pub fn row_id(&self) -> Option<&str> {
        self.row.as_deref()
    }
}

impl fmt::Display for MapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot map the bill row")?;
        if let Some(r) = &self.row {
            write!(f, " {r:?}")?;
        }
        f.write_str(" to FOCUS: ")?;
        match &self.kind {
            MapErrorKind::MissingAmount { field } => write!(f, "a component has no {field}"),
            MapErrorKind::BadQuantity { field, value } => write!(f, "{field} {value:?} is not a decimal number"),
            MapErrorKind::MissingPayer => {
                f.write_str("no paying account (the row has no PayerUin; set FocusMapper::billing_account_id)")
            }
            MapErrorKind::MissingService => f.write_str("the row names no product (BusinessCode or BusinessCodeName)"),
            MapErrorKind::MonthMismatch { row, expected } => {
                write!(f, "the row is billed in {row}, the mapper maps {expected}")
            }
            MapErrorKind::BadCurrency(c) => write!(f, "currency {c:?} is not an ISO 4217 code"),
            MapErrorKind::Overflow => f.write_str("an amount is beyond exact decimal arithmetic"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The product table.

/// One line of the product table: a Tencent product and its FOCUS service category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ServiceEntry {
    /// Tencent's product code, as bill rows send it in `BusinessCode` (`p_cvm`).
    pub product_code: &'static str,
    /// The product's English name.
    pub product_name: &'static str,
    /// Its FOCUS service category (the 19 categories are the same in 1.0 and 1.2).
    pub category: ServiceCategory,
}

impl ServiceCategory {
    /// The category FOCUS spells `s` (exactly, as in `"AI and Machine Learning"`).
    pub fn from_focus(s: &str) -> Option<ServiceCategory> {
        ServiceCategory::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

/// Parse the product table: `#` comments, a header line, then `code,name,category` lines.
fn parse_service_table(text: &'static str) -> Result<Vec<ServiceEntry>, String> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    match lines.next() {
        Some((_, "product_code,product_name,category")) => {}
        other => return Err(format!("the header is {other:?}, not product_code,product_name,category")),
    }
    let mut entries = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (n, line) in lines {
        let fields: Vec<&str> = line.split(',').collect();
        let [code, name, category] = fields[..] else {
            return Err(format!("line {}: {} fields, not 3", n + 1, fields.len()));
        };
        if code.is_empty() || name.is_empty() {
            return Err(format!("line {}: an empty code or name", n + 1));
        }
        let category = ServiceCategory::from_focus(category)
            .ok_or_else(|| format!("line {}: {category:?} is not a FOCUS 1.0 service category", n + 1))?;
        if !seen.insert(code) {
            return Err(format!("line {}: {code} appears twice", n + 1));
        }
        entries.push(ServiceEntry { product_code: code, product_name: name, category });
    }
    Ok(entries)
}

struct ServiceTable {
    entries: Vec<ServiceEntry>,
    by_code: HashMap<&'static str, usize>,
    subcategories: HashMap<&'static str, &'static str>,
    units: HashMap<&'static str, &'static str>,
}

/// Every `ServiceSubcategory` FOCUS 1.2 allows, with the category it belongs to. Each category
/// ends with its `Other (<category>)` entry.
pub const SUBCATEGORIES: &[(ServiceCategory, &str)] = {
    use ServiceCategory as C;
    &[
        (C::AiAndMachineLearning, "AI Platforms"),
        (C::AiAndMachineLearning, "Bots"),
        (C::AiAndMachineLearning, "Generative AI"),
        (C::AiAndMachineLearning, "Machine Learning"),
        (C::AiAndMachineLearning, "Natural Language Processing"),
        (C::AiAndMachineLearning, "Other (AI and Machine Learning)"),
        (C::Analytics, "Analytics Platforms"),
        (C::Analytics, "Business Intelligence"),
        (C::Analytics, "Data Processing"),
        (C::Analytics, "Search"),
        (C::Analytics, "Streaming Analytics"),
        (C::Analytics, "Other (Analytics)"),
        (C::BusinessApplications, "Productivity and Collaboration"),
        (C::BusinessApplications, "Other (Business Applications)"),
        (C::Compute, "Containers"),
        (C::Compute, "End User Computing"),
        (C::Compute, "Quantum Compute"),
        (C::Compute, "Serverless Compute"),
        (C::Compute, "Virtual Machines"),
        (C::Compute, "Other (Compute)"),
        (C::Databases, "Caching"),
        (C::Databases, "Data Warehouses"),
        (C::Databases, "Ledger Databases"),
        (C::Databases, "NoSQL Databases"),
        (C::Databases, "Relational Databases"),
        (C::Databases, "Time Series Databases"),
        (C::Databases, "Other (Databases)"),
        (C::DeveloperTools, "Developer Platforms"),
        (C::DeveloperTools, "Continuous Integration and Deployment"),
        (C::DeveloperTools, "Development Environments"),
        (C::DeveloperTools, "Source Code Management"),
        (C::DeveloperTools, "Quality Assurance"),
        (C::DeveloperTools, "Other (Developer Tools)"),
        (C::Identity, "Identity and Access Management"),
        (C::Identity, "Other (Identity)"),
        (C::Integration, "API Management"),
        (C::Integration, "Messaging"),
        (C::Integration, "Workflow Orchestration"),
        (C::Integration, "Other (Integration)"),
        (C::InternetOfThings, "IoT Analytics"),
        (C::InternetOfThings, "IoT Platforms"),
        (C::InternetOfThings, "Other (Internet of Things)"),
        (C::ManagementAndGovernance, "Architecture"),
        (C::ManagementAndGovernance, "Compliance"),
        (C::ManagementAndGovernance, "Cost Management"),
        (C::ManagementAndGovernance, "Data Governance"),
        (C::ManagementAndGovernance, "Disaster Recovery"),
        (C::ManagementAndGovernance, "Endpoint Management"),
        (C::ManagementAndGovernance, "Observability"),
        (C::ManagementAndGovernance, "Support"),
        (C::ManagementAndGovernance, "Other (Management and Governance)"),
        (C::Media, "Content Creation"),
        (C::Media, "Gaming"),
        (C::Media, "Media Streaming"),
        (C::Media, "Mixed Reality"),
        (C::Media, "Other (Media)"),
        (C::Migration, "Data Migration"),
        (C::Migration, "Resource Migration"),
        (C::Migration, "Other (Migration)"),
        (C::Mobile, "Other (Mobile)"),
        (C::Multicloud, "Multicloud Integration"),
        (C::Multicloud, "Other (Multicloud)"),
        (C::Networking, "Application Networking"),
        (C::Networking, "Content Delivery"),
        (C::Networking, "Network Connectivity"),
        (C::Networking, "Network Infrastructure"),
        (C::Networking, "Network Routing"),
        (C::Networking, "Network Security"),
        (C::Networking, "Other (Networking)"),
        (C::Security, "Secret Management"),
        (C::Security, "Security Posture Management"),
        (C::Security, "Threat Detection and Response"),
        (C::Security, "Other (Security)"),
        (C::Storage, "Backup Storage"),
        (C::Storage, "Block Storage"),
        (C::Storage, "File Storage"),
        (C::Storage, "Object Storage"),
        (C::Storage, "Storage Platforms"),
        (C::Storage, "Other (Storage)"),
        (C::Web, "Application Platforms"),
        (C::Web, "Other (Web)"),
        (C::Other, "Other (Other)"),
    ]
};

/// The `Other (<category>)` subcategory of `category`.
fn other_subcategory(category: ServiceCategory) -> &'static str {
    SUBCATEGORIES.iter().rev().find(|(c, _)| *c == category).map_or("Other (Other)", |(_, s)| s)
}

/// Parse a two-column table (`#` comments, the header `header`, then `key,value` lines), checking
/// each value with `check`.
fn parse_pairs(
    text: &'static str,
    header: &str,
    check: impl Fn(&str, &str) -> Result<(), String>,
) -> Result<HashMap<&'static str, &'static str>, String> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    match lines.next() {
        Some((_, h)) if h == header => {}
        other => return Err(format!("the header is {other:?}, not {header}")),
    }
    let mut out = HashMap::new();
    for (n, line) in lines {
        let Some((key, value)) = line.split_once(',') else {
            return Err(format!("line {}: not key,value", n + 1));
        };
        if key.is_empty() || value.is_empty() || value.contains(',') {
            return Err(format!("line {}: an empty or extra field", n + 1));
        }
        check(key, value).map_err(|e| format!("line {}: {e}", n + 1))?;
        if out.insert(key, value).is_some() {
            return Err(format!("line {}: {key} appears twice", n + 1));
        }
    }
    Ok(out)
}

fn parse_subcategories(entries: &[ServiceEntry]) -> Result<HashMap<&'static str, &'static str>, String> {
    parse_pairs(SUBCATEGORY_TABLE, "product_code,subcategory", |code, sub| {
        let entry = entries
            .iter()
            .find(|e| e.product_code == code)
            .ok_or_else(|| format!("{code} is not in the product table"))?;
        if SUBCATEGORIES.contains(&(entry.category, sub)) {
            Ok(())
        } else {
            Err(format!("{sub:?} is not a FOCUS 1.2 subcategory of {}", entry.category))
        }
    })
}

fn parse_units() -> Result<HashMap<&'static str, &'static str>, String> {
    parse_pairs(UNIT_TABLE, "tencent_unit,focus_unit", |_, unit| {
        if is_focus_unit(unit) { Ok(()) } else { Err(format!("{unit:?} is not in the FOCUS unit format")) }
    })
}

fn table() -> &'static ServiceTable {
    static TABLE: OnceLock<ServiceTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The table is compiled in and checked by a unit test; were it ever broken, every product
        // would fall back to `Other` rather than panic.
        // The same holds for the subcategory and unit tables: a broken one falls back to
        // `Other (<category>)` and to units rewritten by rule.
        let entries = parse_service_table(SERVICE_TABLE).unwrap_or_default();
        let by_code = entries.iter().enumerate().map(|(i, e)| (e.product_code, i)).collect();
        let subcategories = parse_subcategories(&entries).unwrap_or_default();
        let units = parse_units().unwrap_or_default();
        ServiceTable { entries, by_code, subcategories, units }
    })
}

/// Every product the table knows, in the table's order.
pub fn service_table() -> &'static [ServiceEntry] {
    &table().entries
}

/// The FOCUS service category of a Tencent product code (`BusinessCode`); `Other` for a product
/// the table does not list.
pub fn service_category(product_code: &str) -> ServiceCategory {
    service_entry(product_code).map_or(ServiceCategory::Other, |e| e.category)
}

/// The FOCUS 1.2 service subcategory of a Tencent product code: the one the subcategory table
/// gives, else `Other (<category>)` of its category.
pub fn service_subcategory(product_code: &str) -> &'static str {
    table()
        .subcategories
        .get(product_code)
        .copied()
        .unwrap_or_else(|| other_subcategory(service_category(product_code)))
}

/// The time units FOCUS names, singular and plural.
const TIME_UNITS: &[(&str, &str)] = &[
    ("Year", "Years"),
    ("Month", "Months"),
    ("Day", "Days"),
    ("Hour", "Hours"),
    ("Minute", "Minutes"),
    ("Second", "Seconds"),
];

/// The data-size units FOCUS names.
const SIZE_UNITS: &[&str] = &[
    "b", "Kb", "Mb", "Gb", "Tb", "Pb", "Eb", "B", "KB", "MB", "GB", "TB", "PB", "EB", "Kib", "Mib", "Gib", "Tib",
    "Pib", "Eib", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB",
];

/// A count unit: words of ASCII letters and digits, each starting with a letter, one space apart.
fn is_count_unit(s: &str) -> bool {
    !s.is_empty()
        && s.split(' ').all(|w| {
            w.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) && w.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Whether `s` follows the FOCUS unit format: a unit (a data size, a time or a count), optionally
/// preceded by a whole quantity (`1000 Requests`), or a unit over plural time (`GB-Hours`), or a
/// rate (`GB/Hour`).
fn is_focus_unit(s: &str) -> bool {
    let unit = |u: &str| SIZE_UNITS.contains(&u) || is_count_unit(u);
    let plural = |t: &str| TIME_UNITS.iter().any(|(_, p)| *p == t);
    let singular = |t: &str| TIME_UNITS.iter().any(|(one, _)| *one == t);
    if let Some((u, t)) = s.rsplit_once('-') {
        return unit(u) && plural(t);
    }
    if let Some((u, t)) = s.split_once('/') {
        return (unit(u) || plural(u)) && singular(t);
    }
    match s.split_once(' ') {
        Some((n, u)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => unit(u) || plural(u),
        _ => unit(s),
    }
}

/// The FOCUS unit for Tencent's unit string: the unit table's name when it has one (`GB-hour`
/// is `GB-Hours`), a unit already in the FOCUS format as it is, and anything else rewritten into
/// a valid form: a trailing time (`-hour`, `/day`) becomes plural time (`-Hours`), words keep
/// their ASCII letters and digits, and what has no usable word becomes `Units`. The unit tests
/// list such cases.
pub fn focus_unit(tencent: &str) -> std::borrow::Cow<'static, str> {
    use std::borrow::Cow;
    let tencent = tencent.trim();
    if let Some(u) = table().units.get(tencent) {
        return Cow::Borrowed(u);
    }
    if is_focus_unit(tencent) {
        return Cow::Owned(tencent.to_owned());
    }
    let time = |t: &str| {
        TIME_UNITS
            .iter()
            .find(|(one, many)| one.eq_ignore_ascii_case(t) || many.eq_ignore_ascii_case(t))
            .map(|(_, many)| *many)
    };
    let (base, per) = match tencent.rsplit_once(['-', '/']) {
        Some((b, t)) if time(t.trim()).is_some() => (b, time(t.trim())),
        _ => (tencent, None),
    };
    let words: Vec<String> = base
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.as_bytes().first().is_some_and(u8::is_ascii_alphabetic))
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect();
    let base = if words.is_empty() { String::from("Units") } else { words.join(" ") };
    let base = if SIZE_UNITS.iter().any(|u| u.eq_ignore_ascii_case(&base)) && base.len() <= 3 {
        SIZE_UNITS.iter().find(|u| u.eq_ignore_ascii_case(&base) && u.ends_with('B')).map_or(base, |u| (*u).to_owned())
    } else {
        base
    };
    Cow::Owned(match per {
        Some(t) if base == "Units" && words.is_empty() => t.to_owned(),
        Some(t) => format!("{base}-{t}"),
        None => base,
    })
}

fn service_entry(product_code: &str) -> Option<&'static ServiceEntry> {
    let t = table();
    t.by_code.get(product_code).map(|&i| &t.entries[i])
}

// ---------------------------------------------------------------------------------------------
// The mapper.

/// Maps Tencent bill rows of one billing month to FOCUS rows.
///
/// It carries what the rows do not say: the site (hence the currency), the billing month, the
/// names of the provider and of the accounts, and, for organization rows, the paying account.
///
/// ```
/// use tencentcloud_billing::Site;
/// use tencentcloud_billing::focus::FocusMapper;
///
/// let mapper = FocusMapper::new(Site::China, "2026-10".parse()?)
///     .billing_account_name("Example Ltd")
///     .account_name("100000000002", "data team");
/// let (start, end) = mapper.billing_period();
/// assert_eq!(start.to_string(), "2026-09-30 16:00:00.0 +00:00:00");
/// assert_eq!(end.to_string(), "2026-10-31 16:00:00.0 +00:00:00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct FocusMapper {
    month: YearMonth,
    currency: String,
    billing_account_id: Option<String>,
    billing_account_name: Option<String>,
    account_names: BTreeMap<String, String>,
    provider: String,
    publisher: String,
    invoice_issuer: String,
    export_time: Option<OffsetDateTime>,
}

/// The classification of a bill row's action type.
#[derive(Debug, Clone, Copy)]
struct Charge {
    category: ChargeCategory,
    frequency: ChargeFrequency,
    pricing: Option<PricingCategory>,
    class: Option<ChargeClass>,
    /// Paid ahead for a period: the cost is amortised over `FeeBeginTime..=FeeEndTime`.
    prepaid: bool,
    /// A savings plan's own fee.
    savings_plan: bool,
}

/// The fields the two bill-row types share, borrowed.
struct Source<'a> {
    id: Option<&'a str>,
    bill_id: Option<&'a str>,
    business_code: Option<&'a str>,
    business_code_name: Option<&'a str>,
    product_code_name: Option<&'a str>,
    action_type: Option<&'a str>,
    action_type_name: Option<&'a str>,
    region_id: Option<&'a str>,
    region_name: Option<&'a str>,
    zone_name: Option<&'a str>,
    resource_id: Option<&'a str>,
    resource_name: Option<&'a str>,
    payer_uin: Option<&'a str>,
    owner_uin: Option<&'a str>,
    fee_begin: Option<OffsetDateTime>,
    fee_end: Option<OffsetDateTime>,
    bill_day: Option<OffsetDateTime>,
    bill_month: Option<OffsetDateTime>,
    components: &'a [BillDetailComponent],
    tags: &'a [BillTagInfo],
}

impl Source<'_> {
    fn row_id(&self) -> Option<&str> {
        self.id.or(self.bill_id)
    }
}

/// A present, meaningful text: not absent, not empty, not Tencent's `"-"`.
fn text(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty() && *s != "-")
}

impl<'a> Source<'a> {
    fn of_detail(d: &'a BillDetail) -> Self {
        Source {
            id: text(&d.id),
            bill_id: text(&d.bill_id),
            business_code: text(&d.business_code),
            business_code_name: text(&d.business_code_name),
            product_code_name: text(&d.product_code_name),
            action_type: text(&d.action_type),
            action_type_name: text(&d.action_type_name),
            region_id: text(&d.region_id),
            region_name: text(&d.region_name),
            zone_name: text(&d.zone_name),
            resource_id: text(&d.resource_id),
            resource_name: text(&d.resource_name),
            payer_uin: text(&d.payer_uin),
            owner_uin: text(&d.owner_uin),
            fee_begin: d.fee_begin_time,
            fee_end: d.fee_end_time,
            bill_day: d.bill_day,
            bill_month: d.bill_month,
            components: d.component_set(),
            tags: d.tags(),
        }
    }

    fn of_distribution(d: &'a DistributionBillDetail) -> Self {
        Source {
            id: None,
            bill_id: text(&d.bill_id),
            business_code: text(&d.business_code),
            business_code_name: text(&d.business_code_name),
            product_code_name: text(&d.product_code_name),
            action_type: text(&d.action_type),
            action_type_name: text(&d.action_type_name),
            region_id: text(&d.region_id),
            region_name: text(&d.region_name),
            zone_name: text(&d.zone_name),
            resource_id: text(&d.resource_id),
            resource_name: text(&d.resource_name),
            // Organization rows name no payer: the mapper's billing account pays.
            payer_uin: None,
            owner_uin: text(&d.owner_uin),
            fee_begin: d.fee_begin_time,
            fee_end: d.fee_end_time,
            bill_day: d.bill_day,
            bill_month: d.bill_month,
            components: d.component_set(),
            tags: d.tags(),
        }
    }
}

/// The FOCUS classification of an action type (`ActionType`); see `docs/focus.md`.
fn classify(action: Option<&str>) -> Charge {
    use ChargeCategory as C;
    use ChargeFrequency as F;
    let usage = |pricing| Charge {
        category: C::Usage,
        frequency: F::UsageBased,
        pricing: Some(pricing),
        class: None,
        prepaid: false,
        savings_plan: false,
    };
    let purchase = |frequency, prepaid| Charge {
        category: C::Purchase,
        frequency,
        pricing: Some(PricingCategory::Standard),
        class: None,
        prepaid,
        savings_plan: false,
    };
    let other = |category, class| Charge {
        category,
        frequency: F::OneTime,
        pricing: None,
        class,
        prepaid: false,
        savings_plan: false,
    };
    match action.unwrap_or("") {
        "postpay_deduct_h" | "postpay_deduct_d" | "postpay_deduct_m" => usage(PricingCategory::Standard),
        "postpay_deduct_s" => usage(PricingCategory::Dynamic),
        "prepay_purchase" | "prepay_modify" | "pre_to_post" => purchase(F::OneTime, true),
        "prepay_renew" => purchase(F::Recurring, true),
        "prepay_return" => Charge { class: Some(ChargeClass::Correction), ..purchase(F::OneTime, true) },
        "offline_deduct" | "online_deduct" => purchase(F::OneTime, false),
        "svp_hour_pay" => Charge { savings_plan: true, ..purchase(F::Recurring, false) },
        "recon_deduct" => other(C::Adjustment, Some(ChargeClass::Correction)),
        "recon_increase" | "recon_increase_f" => other(C::Credit, Some(ChargeClass::Correction)),
        "recon_guarantee" | "billVirtualId" => other(C::Adjustment, None),
        a if a.starts_with("prepay") => purchase(F::OneTime, true),
        _ => usage(PricingCategory::Standard),
    }
}

/// Whether `row` is a prepaid charge, whose cost is spread over its fee period: the rows
/// [`FocusMapper::amortise_detail`] carries into later months, and the only ones worth keeping
/// for that.
pub fn is_prepaid(row: &BillDetail) -> bool {
    classify(text(&row.action_type)).prepaid
}

/// A quantity: absent, empty or `"-"` is null; anything else must be a decimal.
fn quantity(s: &Option<String>, field: &'static str, row: Option<&str>) -> Result<Option<Decimal>, MapError> {
    let Some(t) = text(s) else { return Ok(None) };
    let parsed = if t.contains(['e', 'E']) { Decimal::from_scientific(t) } else { Decimal::from_str_exact(t) };
    parsed
        .map(Some)
        .map_err(|_| MapError::new(MapErrorKind::BadQuantity { field, value: crate::text::clip(t, 32) }, row))
}

fn amount(y: Option<Yuan>) -> Option<Decimal> {
    y.map(|y| y.amount())
}

/// The first instant of `month` in Beijing time, in UTC.
fn month_start_utc(month: YearMonth) -> OffsetDateTime {
    month.start().to_offset(UtcOffset::UTC)
}

fn is_currency_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// The cumulative share of `net` at `at` within `[begin, end)`, rounded to `places`.
fn cumulative(net: Decimal, begin: i64, end: i64, at: i64, places: u32) -> Option<Decimal> {
    let done = (at - begin).clamp(0, end - begin);
    if done == end - begin {
        return Some(net.round_dp(places));
    }
    let part = net.checked_mul(Decimal::from(done))?.checked_div(Decimal::from(end - begin))?;
    Some(part.round_dp(places))
}

/// The share of `net`, spread evenly over `[begin, end)`, that falls in `[from, to)`, with the
/// overlap; `None` when they do not overlap. Shares are differences of rounded cumulative
/// amounts, so the shares of consecutive windows add up to `net` exactly.
fn share(net: Decimal, (begin, end): (i64, i64), (from, to): (i64, i64)) -> Result<Option<(Decimal, i64, i64)>, ()> {
    let (s, t) = (begin.max(from), end.min(to));
    if s >= t || end <= begin {
        return Ok(None);
    }
    let places = net.scale().max(AMOUNT_PLACES);
    let hi = cumulative(net, begin, end, t, places).ok_or(())?;
    let lo = cumulative(net, begin, end, s, places).ok_or(())?;
    Ok(Some((hi - lo, s, t)))
}

impl FocusMapper {
    /// A mapper for `month` (a Beijing-time billing month) on `site`: the currency is `CNY` on
    /// the China site and `USD` on the international site, and the provider, publisher and
    /// invoice issuer are all "Tencent Cloud".
    pub fn new(site: Site, month: YearMonth) -> Self {
        let currency = match site {
            Site::China => "CNY",
            Site::International => "USD",
        };
        FocusMapper {
            month,
            currency: currency.to_owned(),
            billing_account_id: None,
            billing_account_name: None,
            account_names: BTreeMap::new(),
            provider: TENCENT_CLOUD.to_owned(),
            publisher: TENCENT_CLOUD.to_owned(),
            invoice_issuer: TENCENT_CLOUD.to_owned(),
            export_time: None,
        }
    }

    /// The paying account's UIN, for rows that do not name one: organization rows
    /// (`DescribeBillDetailForOrganization`) always need it. Rows with a `PayerUin` keep theirs.
    pub fn billing_account_id(mut self, uin: impl Into<String>) -> Self {
        self.billing_account_id = Some(uin.into());
        self
    }

    /// The paying account's name (`BillingAccountName`), which bills do not carry.
    pub fn billing_account_name(mut self, name: impl Into<String>) -> Self {
        self.billing_account_name = Some(name.into());
        self
    }

    /// A name for an account UIN: used for `SubAccountName` (the owner), and for
    /// `BillingAccountName` when no name was set for the payer.
    pub fn account_name(mut self, uin: impl Into<String>, name: impl Into<String>) -> Self {
        self.account_names.insert(uin.into(), name.into());
        self
    }

    /// Another invoice issuer than "Tencent Cloud" (a reseller, say).
    pub fn invoice_issuer(mut self, name: impl Into<String>) -> Self {
        self.invoice_issuer = name.into();
        self
    }

    /// When the export runs, written as `x_ExportTime` on every row (null unless set), to the
    /// whole second in UTC (FOCUS date-times carry no fraction). The caller passes the clock's
    /// reading, so the mapping itself stays a pure function.
    pub fn export_time(mut self, at: OffsetDateTime) -> Self {
        let at = at.to_offset(UtcOffset::UTC);
        self.export_time = Some(at.replace_nanosecond(0).unwrap_or(at));
        self
    }

    /// The billing month.
    pub fn month(&self) -> YearMonth {
        self.month
    }

    /// The currency the rows are billed in, unless a component names its own.
    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// `BillingPeriodStart` and `BillingPeriodEnd`: the billing month in Beijing time, as UTC
    /// instants (start inclusive, end exclusive).
    pub fn billing_period(&self) -> (OffsetDateTime, OffsetDateTime) {
        (month_start_utc(self.month), self.month.end())
    }

    /// The FOCUS rows of one `DescribeBillDetail` row: per component a charge row, a tax row when
    /// tax is charged, and for prepaid charges the share amortised into this month.
    pub fn map_detail(&self, row: &BillDetail) -> Result<Vec<FocusRow>, MapError> {
        self.map(&Source::of_detail(row), true)
    }

    /// The FOCUS rows of one `DescribeBillDetailForOrganization` row. `SubAccountId` is the
    /// member that owns the resource (`OwnerUin`); `BillingAccountId` is the mapper's
    /// [`billing_account_id`](Self::billing_account_id), which these rows need.
    pub fn map_org_detail(&self, row: &DistributionBillDetail) -> Result<Vec<FocusRow>, MapError> {
        self.map(&Source::of_distribution(row), true)
    }

    /// This month's amortisation rows for a prepaid charge of an earlier month (or any month):
    /// the share of its cost after vouchers and gifts that falls inside this billing month. Pass
    /// the prepaid rows of the months before to carry their cost into this one; rows that are not
    /// prepaid, or whose period does not reach this month, give nothing. Do not pass this
    /// month's rows: [`map_detail`](Self::map_detail) already includes their share.
    pub fn amortise_detail(&self, row: &BillDetail) -> Result<Vec<FocusRow>, MapError> {
        let src = Source::of_detail(row);
        let charge = classify(src.action_type);
        if !charge.prepaid {
            return Ok(Vec::new());
        }
        let rows = self.map(&src, false)?;
        Ok(rows.into_iter().filter(|r| r.billed_cost.is_zero() && is_amortisation(r)).collect())
    }

    /// `own`: the row is of this billing month (checked), rather than an earlier month's prepaid
    /// row carried forward.
    fn map(&self, src: &Source<'_>, own: bool) -> Result<Vec<FocusRow>, MapError> {
        let row_id = src.row_id();
        let err = |kind| MapError::new(kind, row_id);
        if own && let Some(m) = src.bill_month {
            let m = YearMonth::of(m.to_offset(BEIJING).date());
            if m != self.month {
                return Err(err(MapErrorKind::MonthMismatch { row: m, expected: self.month }));
            }
        }
        let billing_account_id = src
            .payer_uin
            .map(str::to_owned)
            .or_else(|| self.billing_account_id.clone())
            .ok_or_else(|| err(MapErrorKind::MissingPayer))?;
        let entry = src.business_code.and_then(service_entry);
        let service_name = src
            .business_code_name
            .or(entry.map(|e| e.product_name))
            .or(src.business_code)
            .ok_or_else(|| err(MapErrorKind::MissingService))?
            .to_owned();
        let service_category = entry.map_or(ServiceCategory::Other, |e| e.category);
        let charge = classify(src.action_type);
        let (period_start, period_end) = self.billing_period();
        let (charge_start, charge_end) = self.charge_period(src);
        let tags: BTreeMap<String, String> = src
            .tags
            .iter()
            .filter_map(|t| {
                let key = t.tag_key.as_deref().map(str::trim).filter(|k| !k.is_empty())?;
                Some((key.to_owned(), t.tag_value.clone().unwrap_or_default()))
            })
            .collect();
        let base = FocusRow {
            availability_zone: src.zone_name.map(str::to_owned),
            billing_account_id: billing_account_id.clone(),
            billing_account_name: self
                .billing_account_name
                .clone()
                .or_else(|| self.account_names.get(&billing_account_id).cloned()),
            billing_currency: self.currency.clone(),
            billing_period_start: Some(period_start),
            billing_period_end: Some(period_end),
            charge_category: charge.category,
            charge_class: charge.class,
            charge_frequency: Some(charge.frequency),
            charge_period_start: Some(charge_start),
            charge_period_end: Some(charge_end),
            invoice_issuer_name: self.invoice_issuer.clone(),
            pricing_category: charge.pricing,
            provider_name: self.provider.clone(),
            publisher_name: self.publisher.clone(),
            region_id: src.region_id.map(str::to_owned),
            region_name: src.region_name.map(str::to_owned),
            resource_id: src.resource_id.map(str::to_owned),
            resource_name: src.resource_name.map(str::to_owned),
            // FOCUS ties the type to the id: there exactly when a resource is. The sub-product
            // names the kind of resource best; a row without one falls back to the product.
            resource_type: src.resource_id.and(src.product_code_name.or(src.business_code_name)).map(str::to_owned),
            service_category,
            service_name,
            service_subcategory: src
                .business_code
                .and_then(|c| table().subcategories.get(c).copied())
                .unwrap_or_else(|| other_subcategory(service_category))
                .to_owned(),
            sub_account_id: src.owner_uin.map(str::to_owned),
            sub_account_name: src.owner_uin.and_then(|u| self.account_names.get(u).cloned()),
            tags,
            x_bill_id: src.bill_id.or(src.id).map(str::to_owned),
            x_export_time: self.export_time,
            x_product_code: src.business_code.map(str::to_owned),
            x_subproduct_name: src.product_code_name.map(str::to_owned),
            ..FocusRow::default()
        };
        let mut out = Vec::with_capacity(src.components.len() + 1);
        for c in src.components {
            self.component(src, c, charge, own, &base, &mut out)?;
        }
        Ok(out)
    }

    /// `FeeBeginTime` to `FeeEndTime` (inclusive to the second, so one second is added to make
    /// the end exclusive), in UTC. Without them, the billing day, else the billing month; an end
    /// not after the start becomes the start plus one second.
    fn charge_period(&self, src: &Source<'_>) -> (OffsetDateTime, OffsetDateTime) {
        let utc = |t: OffsetDateTime| t.to_offset(UtcOffset::UTC);
        let (month_start, month_end) = self.billing_period();
        let day = src.bill_day.map(|d| {
            let start = PrimitiveDateTime::new(d.to_offset(BEIJING).date(), Time::MIDNIGHT).assume_offset(BEIJING);
            (utc(start), utc(start + Duration::days(1)))
        });
        let start = src.fee_begin.map(utc).or(day.map(|d| d.0)).unwrap_or(month_start);
        let end = src
            .fee_end
            .map(|e| utc(e + Duration::seconds(1)))
            .or(if src.fee_begin.is_none() { day.map(|d| d.1) } else { None })
            .unwrap_or(if src.fee_begin.is_none() { month_end } else { start });
        let end = if end > start { end } else { start + Duration::seconds(1) };
        (start, end)
    }

    fn component(
        &self,
        src: &Source<'_>,
        c: &BillDetailComponent,
        charge: Charge,
        own: bool,
        base: &FocusRow,
        out: &mut Vec<FocusRow>,
    ) -> Result<(), MapError> {
        let row_id = src.row_id();
        let err = |kind| MapError::new(kind, row_id);
        let billed = amount(c.real_cost).ok_or_else(|| err(MapErrorKind::MissingAmount { field: "RealCost" }))?;
        // With a contract price Tencent sends no list cost ("-"): the contracted cost stands in.
        let list = amount(c.cost).unwrap_or(billed);
        let paid_by_credits = amount(c.voucher_pay_amount)
            .unwrap_or_default()
            .checked_add(amount(c.incentive_pay_amount).unwrap_or_default())
            .ok_or_else(|| err(MapErrorKind::Overflow))?;
        let net = billed.checked_sub(paid_by_credits).ok_or_else(|| err(MapErrorKind::Overflow))?;
        let currency = match text(&c.currency) {
            Some(code) if is_currency_code(code) => code.to_owned(),
            Some(code) => return Err(err(MapErrorKind::BadCurrency(crate::text::clip(code, 16)))),
            None => base.billing_currency.clone(),
        };
        let priced = matches!(charge.category, ChargeCategory::Usage | ChargeCategory::Purchase);
        let used = quantity(&c.used_amount, "UsedAmount", row_id)?;
        let measured = quantity(&c.real_total_measure, "RealTotalMeasure", row_id)?;
        let unit = text(&c.used_amount_unit).map(|u| focus_unit(u).into_owned());
        let (pricing_quantity, pricing_unit) = match (priced, used, &unit) {
            (true, Some(q), Some(u)) => (Some(q), Some(u.clone())),
            _ => (None, None),
        };
        let usage = charge.category == ChargeCategory::Usage;
        let (consumed_quantity, consumed_unit) = match (usage, measured.or(used), &unit) {
            (true, Some(q), Some(u)) => (Some(q), Some(u.clone())),
            _ => (None, None),
        };
        // A negative usage or purchase gives money back for an earlier charge: a correction.
        let refund = priced && billed.is_sign_negative() && !billed.is_zero();
        let class = if refund { Some(ChargeClass::Correction) } else { charge.class };
        // FOCUS unit prices are never negative: a refund carries its sign in the quantity, so
        // that price times quantity keeps the sign of the cost.
        let pricing_quantity = if refund { pricing_quantity.map(|q| -q.abs()) } else { pricing_quantity };
        let unit_price = |p: Option<Decimal>| if priced { p.map(|p| p.abs()) } else { None };
        let description =
            [src.action_type_name, src.product_code_name, text(&c.component_code_name), text(&c.item_code_name)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" / ");
        let commitment = charge.savings_plan.then_some(()).and(src.resource_id);
        let component_type = text(&c.component_code_name);
        let sku_id = if priced { text(&c.item_code) } else { None };
        let commitment_unit = commitment.map(|_| currency.clone());
        let row = FocusRow {
            billed_cost: billed,
            billing_currency: currency,
            charge_class: class,
            // FOCUS asks for a description on every row: the service name when the row names
            // nothing finer.
            charge_description: Some(if description.is_empty() { base.service_name.clone() } else { description }),
            commitment_discount_category: commitment.map(|_| CommitmentDiscountCategory::Spend),
            commitment_discount_id: commitment.map(str::to_owned),
            commitment_discount_name: commitment.and(src.resource_name).map(str::to_owned),
            commitment_discount_type: commitment.map(|_| "Savings Plan".to_owned()),
            // A savings plan's fee is the spend committed for its charge period.
            commitment_discount_quantity: commitment.map(|_| billed),
            commitment_discount_unit: commitment_unit,
            consumed_quantity,
            consumed_unit,
            contracted_cost: billed,
            contracted_unit_price: unit_price(amount(c.contract_price)),
            // A prepaid charge's effective cost is spread over its period (the row below).
            effective_cost: if charge.prepaid { Decimal::ZERO } else { net },
            list_cost: list,
            list_unit_price: unit_price(amount(c.single_price)),
            pricing_category: if commitment.is_some() { Some(PricingCategory::Committed) } else { charge.pricing },
            pricing_quantity,
            pricing_unit,
            sku_id: sku_id.map(str::to_owned),
            sku_meter: sku_id.and(component_type).map(str::to_owned),
            x_component_name: text(&c.item_code_name).map(str::to_owned),
            x_component_type: component_type.map(str::to_owned),
            ..base.clone()
        };
        let tax = amount(c.tax_amount).filter(|t| !t.is_zero());
        let amortised = if charge.prepaid { self.amortisation(src, &row, net, own)? } else { None };
        let purchase_recovers = charge.prepaid && amortised.is_none() && !self.spans(src);
        out.push(if purchase_recovers {
            // No period to spread over: the purchase row carries its own effective cost.
            FocusRow { effective_cost: net, ..row.clone() }
        } else {
            row.clone()
        });
        if let Some(a) = amortised {
            out.push(a);
        }
        if let Some(tax) = tax {
            let rate = text(&c.tax_rate);
            out.push(FocusRow {
                charge_category: ChargeCategory::Tax,
                billed_cost: tax,
                list_cost: tax,
                contracted_cost: tax,
                effective_cost: tax,
                charge_description: Some(match rate {
                    Some(r) => format!("Tax at {r} on {}", row.charge_description.as_deref().unwrap_or("the charge")),
                    None => format!("Tax on {}", row.charge_description.as_deref().unwrap_or("the charge")),
                }),
                commitment_discount_category: None,
                commitment_discount_id: None,
                commitment_discount_name: None,
                commitment_discount_type: None,
                commitment_discount_quantity: None,
                commitment_discount_unit: None,
                consumed_quantity: None,
                consumed_unit: None,
                contracted_unit_price: None,
                list_unit_price: None,
                pricing_category: None,
                pricing_quantity: None,
                pricing_unit: None,
                sku_id: None,
                sku_meter: None,
                ..row
            });
        }
        Ok(())
    }

    /// Whether the row has a fee period to amortise over.
    fn spans(&self, src: &Source<'_>) -> bool {
        matches!((src.fee_begin, src.fee_end), (Some(b), Some(e)) if e >= b)
    }

    /// The amortisation row of a prepaid component: the share of `net` inside the billing month
    /// (for the charge's own month, up to the month's end).
    fn amortisation(
        &self,
        src: &Source<'_>,
        row: &FocusRow,
        net: Decimal,
        own: bool,
    ) -> Result<Option<FocusRow>, MapError> {
        let (Some(begin), Some(end)) = (src.fee_begin, src.fee_end) else { return Ok(None) };
        if end < begin {
            return Ok(None);
        }
        let (from, to) = self.billing_period();
        let period = (begin.unix_timestamp(), end.unix_timestamp() + 1);
        // The charge's own month also takes the part of its period before the month (no earlier
        // export can hold it); later months take their own window. Either way the shares of all
        // months add up to the charge.
        let window = (if own { period.0 } else { from.unix_timestamp() }, to.unix_timestamp());
        let Some((part, s, t)) =
            share(net, period, window).map_err(|()| MapError::new(MapErrorKind::Overflow, src.row_id()))?
        else {
            return Ok(None);
        };
        let at = |u: i64| OffsetDateTime::from_unix_timestamp(u).unwrap_or(from);
        Ok(Some(FocusRow {
            charge_category: ChargeCategory::Usage,
            charge_frequency: Some(ChargeFrequency::UsageBased),
            charge_period_start: Some(at(s)),
            charge_period_end: Some(at(t)),
            charge_description: Some(format!(
                "{AMORTISED}{}",
                row.charge_description.as_deref().unwrap_or("a prepaid charge")
            )),
            billed_cost: Decimal::ZERO,
            list_cost: Decimal::ZERO,
            contracted_cost: Decimal::ZERO,
            effective_cost: part,
            list_unit_price: None,
            contracted_unit_price: None,
            consumed_quantity: None,
            consumed_unit: None,
            ..row.clone()
        }))
    }
}

const AMORTISED: &str = "Amortised share of: ";

fn is_amortisation(r: &FocusRow) -> bool {
    r.charge_category == ChargeCategory::Usage
        && r.charge_description.as_deref().is_some_and(|d| d.starts_with(AMORTISED))
}

// ---------------------------------------------------------------------------------------------
// The rules a FOCUS row must keep.

/// A FOCUS rule a row breaks: the name of the `focus-validator` 1.0 check (`BilledCost_NotNull`)
/// or, for a rule of the specification the validator does not check, a name in the same style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RuleViolation(pub &'static str);

impl fmt::Display for RuleViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// Check one row against the FOCUS 1.2 rules that can be checked row by row: non-null columns,
/// UTC times, enumerations, currency codes, JSON tags, periods that end after they start, no
/// usage-based purchases, no pricing columns on tax rows, units in the FOCUS unit format, a
/// subcategory of the row's category, and no empty strings where a value is written (a CSV
/// reader would take them for null). Rule names keep the style of `focus-validator` 1.0's checks. Types already guarantee the
/// enumerations; the rest is checked here. Returns every rule broken.
pub fn check_row(row: &FocusRow) -> Result<(), Vec<RuleViolation>> {
    let mut broken = Vec::new();
    let mut rule = |ok: bool, name: &'static str| {
        if !ok {
            broken.push(RuleViolation(name));
        }
    };
    let utc = |t: Option<OffsetDateTime>| t.is_some_and(|t| t.offset() == UtcOffset::UTC);
    rule(!row.billing_account_id.is_empty(), "BillingAccountId_NotNull");
    rule(is_currency_code(&row.billing_currency), "BillingCurrency_IsCurrencyCode");
    rule(utc(row.billing_period_start), "BillingPeriodStart_IsDateTime");
    rule(utc(row.billing_period_end), "BillingPeriodEnd_IsDateTime");
    rule(utc(row.charge_period_start), "ChargePeriodStart_IsDateTime");
    rule(utc(row.charge_period_end), "ChargePeriodEnd_IsDateTime");
    rule(row.charge_frequency.is_some(), "ChargeFrequency_NotNull");
    rule(!row.invoice_issuer_name.is_empty(), "InvoiceIssuer_NotNull");
    rule(!row.provider_name.is_empty(), "Provider_NotNull");
    rule(!row.publisher_name.is_empty(), "Publisher_NotNull");
    rule(!row.service_name.is_empty(), "ServiceName_NotNull");
    rule(row.tags.keys().all(|k| !k.is_empty()), "Tags_IsJSONObject");
    rule(
        matches!((row.billing_period_start, row.billing_period_end), (Some(s), Some(e)) if s < e),
        "BillingPeriod_StartBeforeEnd",
    );
    rule(
        matches!((row.charge_period_start, row.charge_period_end), (Some(s), Some(e)) if s < e),
        "ChargePeriod_StartBeforeEnd",
    );
    rule(
        !(row.charge_category == ChargeCategory::Purchase && row.charge_frequency == Some(ChargeFrequency::UsageBased)),
        "ChargeFrequency_NotUsageBasedForPurchase",
    );
    let tax = row.charge_category == ChargeCategory::Tax;
    rule(
        !tax || (row.pricing_category.is_none()
            && row.pricing_quantity.is_none()
            && row.pricing_unit.is_none()
            && row.sku_id.is_none()
            && row.list_unit_price.is_none()),
        "Tax_NoPricing",
    );
    rule(row.pricing_quantity.is_some() == row.pricing_unit.is_some(), "PricingUnit_WithPricingQuantity");
    rule(row.consumed_quantity.is_some() == row.consumed_unit.is_some(), "ConsumedUnit_WithConsumedQuantity");
    rule(row.consumed_quantity.is_none() || row.charge_category == ChargeCategory::Usage, "ConsumedQuantity_UsageOnly");
    rule(
        row.commitment_discount_quantity.is_some() == row.commitment_discount_unit.is_some(),
        "CommitmentDiscountUnit_WithCommitmentDiscountQuantity",
    );
    rule(
        row.commitment_discount_id.is_some() || row.commitment_discount_quantity.is_none(),
        "CommitmentDiscountQuantity_WithId",
    );
    let unit_ok = |u: &Option<String>| u.as_deref().is_none_or(is_focus_unit);
    rule(unit_ok(&row.pricing_unit), "PricingUnit_UnitFormat");
    rule(unit_ok(&row.consumed_unit), "ConsumedUnit_UnitFormat");
    rule(
        SUBCATEGORIES.contains(&(row.service_category, row.service_subcategory.as_str())),
        "ServiceSubcategory_OfServiceCategory",
    );
    rule(row.sku_meter.is_none() || row.sku_id.is_some(), "SkuMeter_WithSkuId");
    rule(
        row.commitment_discount_id.is_some()
            || (row.commitment_discount_category.is_none()
                && row.commitment_discount_type.is_none()
                && row.commitment_discount_status.is_none()),
        "CommitmentDiscount_WithId",
    );
    let empty = [
        &row.availability_zone,
        &row.billing_account_name,
        &row.charge_description,
        &row.commitment_discount_id,
        &row.commitment_discount_name,
        &row.commitment_discount_type,
        &row.consumed_unit,
        &row.pricing_unit,
        &row.region_id,
        &row.region_name,
        &row.resource_id,
        &row.resource_name,
        &row.resource_type,
        &row.sku_id,
        &row.sku_price_id,
        &row.sub_account_id,
        &row.sub_account_name,
        &row.x_bill_id,
        &row.x_product_code,
        &row.commitment_discount_unit,
        &row.invoice_id,
        &row.sku_meter,
        &row.x_component_name,
        &row.x_component_type,
        &row.x_subproduct_name,
    ]
    .iter()
    .any(|v| v.as_deref() == Some(""));
    rule(!empty, "NoEmptyStrings");
    if broken.is_empty() { Ok(()) } else { Err(broken) }
}

#[cfg(test)]
mod tests;
