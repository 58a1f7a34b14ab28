//! How spec fields map to Rust types, and which string value sets become enums.

use std::collections::{BTreeMap, BTreeSet};

use crate::spec::{FieldSpec, ObjectSpec, Spec};

/// The Rust type of one value (a list field holds a `Vec` of these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Str,
    U64,
    I64,
    F64,
    Bool,
    /// An integer the wire wants as a JSON string (DescribeCPQBillingMapping's Offset/Limit).
    U64AsString,
    Yuan,
    Cents,
    YuanE8,
    Percent,
    DateTime,
    Date,
    Month,
    MonthStart,
    DateOrMonth,
    Enum(String),
    Object(String),
}

impl Ty {
    /// The type as written in generated code (imports make the short names resolve).
    pub fn rust(&self) -> String {
        match self {
            Ty::Str => "String".into(),
            Ty::U64 | Ty::U64AsString => "u64".into(),
            Ty::I64 => "i64".into(),
            Ty::F64 => "f64".into(),
            Ty::Bool => "bool".into(),
            Ty::Yuan => "Yuan".into(),
            Ty::Cents => "Cents".into(),
            Ty::YuanE8 => "YuanE8".into(),
            Ty::Percent => "Percent".into(),
            Ty::DateTime => "OffsetDateTime".into(),
            Ty::Date => "Date".into(),
            Ty::Month | Ty::MonthStart => "YearMonth".into(),
            Ty::DateOrMonth => "DateOrMonth".into(),
            Ty::Enum(n) | Ty::Object(n) => n.clone(),
        }
    }

    /// The `use` line a file needs for this type, if any.
    pub fn import(&self) -> Option<(&'static str, String)> {
        match self {
            Ty::Yuan | Ty::Cents | Ty::YuanE8 | Ty::Percent => Some(("crate::money", self.rust())),
            Ty::DateTime => Some(("time", "OffsetDateTime".into())),
            Ty::Date => Some(("time", "Date".into())),
            Ty::Month | Ty::MonthStart | Ty::DateOrMonth => Some(("crate::datetime", self.rust())),
            Ty::Enum(n) => Some(("crate::generated::enums", n.clone())),
            Ty::Object(n) => Some(("crate::generated::models", n.clone())),
            _ => None,
        }
    }

    /// Decoded with plain serde (no lenient wire glue).
    pub fn plain_de(&self) -> bool {
        matches!(self, Ty::Str | Ty::Object(_))
    }
}

#[derive(Debug, Clone)]
pub struct FieldTy {
    pub ty: Ty,
    pub list: bool,
}

impl FieldTy {
    pub fn rust(&self) -> String {
        if self.list { format!("Vec<{}>", self.ty.rust()) } else { self.ty.rust() }
    }
}

/// A generated string enum: its name and `(variant, wire value)` pairs.
#[derive(Debug, Clone)]
pub struct EnumDef {
    pub name: String,
    pub variants: Vec<(String, String)>,
    /// `(object, wire field)` pairs that use it.
    pub users: Vec<(String, String)>,
}

/// Enum names chosen by hand where the wire name alone is ambiguous or reads badly. Fields that map
/// to the same name share one enum (their value sets are merged).
const ENUM_NAMES: &[(&str, &str, &str)] = &[
    // (wire field, first object using it, enum name)
    ("Action", "BudgetOperationLogEntity", "BudgetLogAction"),
    ("Action", "Deal", "DealAction"),
    ("ActionType", "BillTransactionInfo", "TransactionType"),
    ("ActionType", "AnalyseActionTypeDetail", "BillActionTypeCode"),
    ("BillType", "BudgetExtend", "BudgetBillType"),
    ("CycleTypes", "DescribeBudgetRequest", "CycleType"),
    ("Dimensions", "BudgetExtend", "BudgetDimension"),
    ("Dimensions", "DescribeCostExplorerSummaryRequest", "CostExplorerDimension"),
    ("FeeType", "BudgetExtend", "BudgetFeeType"),
    ("FeeType", "AnalyseConditions", "AnalyseFeeType"),
    ("FeeType", "DescribeCostExplorerSummaryRequest", "CostExplorerFeeType"),
    ("FileType", "DescribeBillDownloadUrlRequest", "BillFileType"),
    ("NoticeWays", "BudgetSendInfoDto", "NoticeWay"),
    ("OrderByCost", "Conditions", "SortOrder"),
    ("OrderType", "DescribeTagListRequest", "SortOrder"),
    ("SortOrder", "DescribeVoucherInfoRequest", "SortOrder"),
    ("SortType", "DescribeAllocationBillDetailRequest", "SortOrder"),
    ("PayModes", "AnalyseConditions", "PayMode"),
    ("PayScene", "UsageRecords", "UsagePayScene"),
    ("PayScene", "DescribeVoucherInfoRequest", "VoucherPayScene"),
    ("PayType", "DescribeBillListRequest", "TransactionPayType"),
    ("PayType", "DescribeBillSummaryByProductRequest", "SummaryPayType"),
    ("PeriodType", "DescribeBillDetailForOrganizationRequest", "BillPeriodType"),
    ("PeriodType", "DescribeCostExplorerSummaryRequest", "PeriodType"),
    ("ProductCode", "DescribeDosageDetailListRequest", "DosageProductCode"),
    ("RenewFlagList", "DescribeRenewInstancesRequest", "RenewFlag"),
    ("RenewPeriodUnit", "RenewInstance", "PeriodUnit"),
    ("Sort", "DescribeAllocationOverviewRequest", "AllocationSort"),
    ("Sort", "DescribeAllocationBillDetailRequest", "AllocationDetailSort"),
    ("Sort", "DescribeGatherResourceRequest", "GatherSort"),
    ("SubPayType", "DescribeBillListRequest", "TransactionSubPayType"),
    ("Status", "RenewInstance", "InstanceStatus"),
    ("Status", "DescribeVoucherInfoRequest", "VoucherStatus"),
    ("Type", "ConsumptionSummaryTrend", "TrendType"),
];

/// Variant names chosen by hand: `(enum, wire value, variant)`.
const VARIANT_NAMES: &[(&str, &str, &str)] = &[("PeriodUnit", "m", "Month"), ("PeriodUnit", "y", "Year")];

pub struct Types {
    pub enums: BTreeMap<String, EnumDef>,
    /// `(object, wire field)` -> enum name.
    by_field: BTreeMap<(String, String), String>,
    /// Paging fields that are integers sent as strings: `(request object, wire field)`.
    string_ints: BTreeSet<(String, String)>,
}

fn enum_values(f: &FieldSpec) -> Option<Vec<String>> {
    if f.element != "string" || f.reference.is_some() {
        return None;
    }
    let values: Vec<String> =
        f.values.as_ref()?.iter().map(|v| v.as_str().map(str::to_owned)).collect::<Option<_>>()?;
    let named: Vec<String> = values.into_iter().filter(|v| !v.is_empty()).collect();
    // Value sets of numbers stay strings: variant names like `V1` would say nothing.
    if named.len() < 2 || named.iter().any(|v| v.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    Some(named)
}

/// `prePay` -> `PrePay`, `NOTIFY_AND_AUTO_RENEW` -> `NotifyAndAutoRenew`, `not in` -> `NotIn`.
pub fn variant_name(value: &str) -> String {
    if value == "*" {
        return "All".into();
    }
    let mut out = String::new();
    for word in value.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let all_caps = word.chars().all(|c| !c.is_ascii_lowercase());
        let mut chars = word.chars();
        if let Some(c) = chars.next() {
            out.push(c.to_ascii_uppercase());
            let rest: String = chars.collect();
            out.push_str(&if all_caps { rest.to_ascii_lowercase() } else { rest });
        }
    }
    if out.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

impl Types {
    pub fn new(spec: &Spec) -> Types {
        // Cluster the value sets of each wire name by overlap, in spec order.
        struct Cluster {
            wire: String,
            first_object: String,
            values: Vec<String>,
            users: Vec<(String, String)>,
        }
        let mut clusters: Vec<Cluster> = Vec::new();
        for o in &spec.objects {
            for f in &o.fields {
                let Some(values) = enum_values(f) else { continue };
                let user = (o.name.clone(), f.wire.clone());
                let overlapping: Vec<usize> = clusters
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.wire == f.wire && c.values.iter().any(|v| values.contains(v)))
                    .map(|(i, _)| i)
                    .collect();
                match overlapping.first() {
                    None => clusters.push(Cluster {
                        wire: f.wire.clone(),
                        first_object: o.name.clone(),
                        values,
                        users: vec![user],
                    }),
                    Some(&i) => {
                        // Merge every other overlapping cluster into the first.
                        for &j in overlapping[1..].iter().rev() {
                            let c = clusters.remove(j);
                            for v in c.values {
                                if !clusters[i].values.contains(&v) {
                                    clusters[i].values.push(v);
                                }
                            }
                            clusters[i].users.extend(c.users);
                        }
                        for v in values {
                            if !clusters[i].values.contains(&v) {
                                clusters[i].values.push(v);
                            }
                        }
                        clusters[i].users.push(user);
                    }
                }
            }
        }
        let mut enums: BTreeMap<String, EnumDef> = BTreeMap::new();
        let mut by_field = BTreeMap::new();
        let wire_counts = clusters.iter().fold(BTreeMap::<&str, usize>::new(), |mut m, c| {
            *m.entry(c.wire.as_str()).or_default() += 1;
            m
        });
        let mut chosen = Vec::new();
        for c in &clusters {
            let named = ENUM_NAMES.iter().find(|(w, o, _)| *w == c.wire && c.users.iter().any(|(uo, _)| uo == o));
            let name = match named {
                Some((_, _, n)) => n.to_string(),
                None if wire_counts[c.wire.as_str()] == 1 => c.wire.clone(),
                None => panic!(
                    "wire field {} has several unrelated value sets; name the one first used by {} in ENUM_NAMES",
                    c.wire, c.first_object
                ),
            };
            chosen.push(name);
        }
        for (c, name) in clusters.into_iter().zip(chosen) {
            let def = enums.entry(name.clone()).or_insert_with(|| EnumDef {
                name: name.clone(),
                variants: Vec::new(),
                users: Vec::new(),
            });
            for v in &c.values {
                if def.variants.iter().any(|(_, w)| w == v) {
                    continue;
                }
                let variant = VARIANT_NAMES
                    .iter()
                    .find(|(e, w, _)| *e == name && w == v)
                    .map(|(_, _, n)| n.to_string())
                    .unwrap_or_else(|| variant_name(v));
                if def.variants.iter().any(|(n, _)| *n == variant) {
                    panic!("enum {name}: two values map to the variant {variant}");
                }
                def.variants.push((variant, v.clone()));
            }
            for u in c.users {
                by_field.insert(u.clone(), name.clone());
                def.users.push(u);
            }
        }
        for e in enums.values_mut() {
            e.users.sort();
            e.users.dedup();
        }
        let object_names: BTreeSet<&str> = spec.objects.iter().map(|o| o.name.as_str()).collect();
        for n in enums.keys() {
            assert!(!object_names.contains(n.as_str()), "enum name {n} collides with an object");
        }
        let mut string_ints = BTreeSet::new();
        for a in &spec.actions {
            if let Some(p) = a.paging.as_ref().filter(|p| p.string_typed) {
                string_ints.insert((a.input.clone(), p.offset_field.clone()));
                string_ints.insert((a.input.clone(), p.size_field.clone()));
            }
        }
        Types { enums, by_field, string_ints }
    }

    /// The Rust type of a field.
    pub fn field(&self, o: &ObjectSpec, f: &FieldSpec) -> FieldTy {
        let key = (o.name.clone(), f.wire.clone());
        let ty = if let Some(r) = &f.reference {
            Ty::Object(r.clone())
        } else if self.string_ints.contains(&key) {
            Ty::U64AsString
        } else if let Some(e) = self.by_field.get(&key) {
            Ty::Enum(e.clone())
        } else {
            match f.unit.as_deref() {
                Some("yuan_decimal_string" | "yuan_float") => Ty::Yuan,
                Some("cents_float" | "cents_int") => Ty::Cents,
                Some("units_1e8_int") => Ty::YuanE8,
                Some("percent_string") => Ty::Percent,
                Some("beijing_datetime") => Ty::DateTime,
                Some("date") => Ty::Date,
                Some("month") => Ty::Month,
                Some("month_start") => Ty::MonthStart,
                Some("date_or_month") => Ty::DateOrMonth,
                Some("uin" | "count") | None => match f.element.as_str() {
                    "int64" => Ty::I64,
                    "uint64" => Ty::U64,
                    "float" => Ty::F64,
                    "bool" => Ty::Bool,
                    "string" | "datetime" => Ty::Str,
                    other => panic!("{}.{}: unknown element type {other}", o.name, f.wire),
                },
                Some(other) => panic!("{}.{}: unknown unit {other}", o.name, f.wire),
            }
        };
        FieldTy { ty, list: f.list }
    }
}
