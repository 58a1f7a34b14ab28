//! Doc text, in our own words: a one-line purpose per action and a short phrase per common field.
//! Everything else is derived from names, units and sites.

use crate::spec::{ActionSpec, FieldSpec};
use crate::types::{FieldTy, Ty};

/// What each action is for (one line, no trailing period).
pub fn summary(action: &str) -> &'static str {
    match action {
        "CreateAllocationRule" => "Create a cost-sharing rule that spreads shared costs over allocation units",
        "CreateAllocationTag" => "Start using tag keys as cost allocation tags",
        "CreateAllocationUnit" => "Create a cost allocation unit",
        "CreateBudget" => "Create a budget with its alert settings",
        "CreateGatherRule" => "Create a collection rule that gathers costs into an allocation unit",
        "CreateInstance" => "Buy a new prepaid instance",
        "DeleteAllocationRule" => "Delete a cost-sharing rule",
        "DeleteAllocationTag" => "Stop using tag keys as cost allocation tags",
        "DeleteAllocationUnit" => "Delete a cost allocation unit",
        "DeleteBudget" => "Delete budgets",
        "DeleteGatherRule" => "Delete a collection rule",
        "DescribeAccountBalance" => "Query the account balance: cash, credit, frozen and owed amounts",
        "DescribeAccountWarning" => "Read the low-balance alert setting",
        "DescribeAllocateConditions" => "List the filter values the allocation resource directory offers",
        "DescribeAllocationBillConditions" => "List the filter values the allocation bills offer",
        "DescribeAllocationBillDetail" => "Page through the line items of allocation bills",
        "DescribeAllocationMonthOverview" => "Monthly overview of allocated costs per allocation unit",
        "DescribeAllocationOverview" => "Daily or monthly overview of allocated costs per allocation unit",
        "DescribeAllocationRuleDetail" => "Read one cost-sharing rule",
        "DescribeAllocationRuleSummary" => "List the cost-sharing rules",
        "DescribeAllocationSummaryByBusiness" => "Allocated costs summed by product",
        "DescribeAllocationSummaryByItem" => "Allocated costs summed by billing item",
        "DescribeAllocationSummaryByResource" => "Allocated costs summed by resource",
        "DescribeAllocationTree" => "Read the tree of cost allocation units",
        "DescribeAllocationTrendByMonth" => "Month-by-month trend of allocated costs",
        "DescribeAllocationUnitDetail" => "Read one cost allocation unit",
        "DescribeBillAdjustInfo" => "List the adjustments made to bills (re-settlements and manual corrections)",
        "DescribeBillDetail" => "Page through bill line items, the most detailed form of the bill",
        "DescribeBillDetailForOrganization" => {
            "Page through the bill line items of member accounts, for the admin account"
        }
        "DescribeBillDownloadUrl" => "Get download links for bill files",
        "DescribeBillList" => "Page through fund transactions: top-ups, deductions, refunds, freezes",
        "DescribeBillResourceSummary" => "Bill summed by resource (instance)",
        "DescribeBillResourceSummaryForOrganization" => {
            "Bill of member accounts summed by resource, for the admin account"
        }
        "DescribeBillSummary" => "Bill summed over one or more dimensions",
        "DescribeBillSummaryByPayMode" => "Bill summed by billing mode",
        "DescribeBillSummaryByProduct" => "Bill summed by product",
        "DescribeBillSummaryByProject" => "Bill summed by project",
        "DescribeBillSummaryByRegion" => "Bill summed by region",
        "DescribeBillSummaryByTag" => "Bill summed by the values of a tag key",
        "DescribeBillSummaryForOrganization" => "Bill of member accounts summed over dimensions, for the admin account",
        "DescribeBudget" => "List budgets, or read one",
        "DescribeBudgetOperationLog" => "List the changes made to a budget",
        "DescribeBudgetRemindRecordList" => "List the alerts a budget has sent",
        "DescribeCPQBillingMapping" => "Map quoted (CPQ) products to billing products, items and components",
        "DescribeCostDetail" => "Page through consumption line items",
        "DescribeCostExplorerSummary" => "Cost analysis over time, grouped by a dimension",
        "DescribeCostSummaryByProduct" => "Consumption summed by product",
        "DescribeCostSummaryByProject" => "Consumption summed by project",
        "DescribeCostSummaryByRegion" => "Consumption summed by region",
        "DescribeCostSummaryByResource" => "Consumption summed by resource",
        "DescribeCostSummaryByTag" => "Consumption summed by the values of a tag key",
        "DescribeDealsByCond" => "List orders",
        "DescribeDosageCosDetailByDate" => "Daily usage of a COS bucket",
        "DescribeDosageDetailByDate" => "Daily usage of a product",
        "DescribeDosageDetailList" => "Page through usage records of metered products",
        "DescribeGatherResource" => "List the resources gathered into allocation units",
        "DescribeGatherRuleDetail" => "Read one collection rule",
        "DescribeOrgMemberAccountBalance" => "Balances of the organization's member accounts",
        "DescribeRenewInstances" => "List instances with their renewal settings",
        "DescribeSavingPlanResourceInfo" => "Count the resources a savings plan covers",
        "DescribeTagList" => "List cost allocation tags",
        "DescribeVoucherInfo" => "List vouchers",
        "DescribeVoucherUsageDetails" => "List what a voucher paid for",
        "ModifyAccountWarning" => "Set the low-balance alert",
        "ModifyAllocationRule" => "Change a cost-sharing rule",
        "ModifyAllocationUnit" => "Change a cost allocation unit",
        "ModifyBudget" => "Change a budget",
        "ModifyGatherRule" => "Change a collection rule",
        "PayDeals" => "Pay for orders",
        "RefundInstance" => "Return an instance for a refund",
        "RenewInstance" => "Renew an instance",
        "SetRenewal" => "Change an instance's renewal settings",
        other => panic!("no summary written for {other}"),
    }
}

/// Short phrases for fields that recur across many objects.
fn glossary(wire: &str) -> Option<&'static str> {
    Some(match wire {
        "RealTotalCost" => "The cost after discounts",
        "TotalCost" => "The cost at list price",
        "Cost" => "The cost at list price",
        "RealCost" => "The cost after discounts",
        "CashPayAmount" => "The part paid from the cash account",
        "VoucherPayAmount" => "The part paid with vouchers",
        "IncentivePayAmount" => "The part paid from the gift (incentive) account",
        "TransferPayAmount" => "The part paid from shared (transferred) credit",
        "Tax" => "The tax",
        "AmountBeforeTax" => "The amount before tax",
        "Discount" => "The discount applied",
        "BlendedDiscount" => "The blended discount: the cost after discounts over the list-price cost",
        "BusinessCode" => "The product code",
        "BusinessCodeName" => "The product name",
        "ProductCode" => "The sub-product code",
        "ProductCodeName" => "The sub-product name",
        "ItemCode" => "The billing item code",
        "ItemCodeName" => "The billing item name",
        "ComponentCode" => "The billing component code",
        "ComponentCodeName" => "The billing component name",
        "PayMode" => "The billing mode",
        "PayModeName" => "The billing mode's name",
        "ProjectId" => "The project ID",
        "ProjectName" => "The project name",
        "RegionId" => "The region ID",
        "RegionName" => "The region name",
        "ZoneName" => "The availability zone name",
        "ResourceId" => "The resource (instance) ID",
        "ResourceName" => "The resource (instance) name",
        "ActionType" => "The transaction type code",
        "ActionTypeName" => "The transaction type's name",
        "OrderId" => "The order ID",
        "BillId" => "The bill ID",
        "PayTime" => "When the charge was paid",
        "FeeBeginTime" => "The start of the period charged for",
        "FeeEndTime" => "The end of the period charged for",
        "PayerUin" => "The UIN of the paying account",
        "OwnerUin" => "The UIN of the account that uses the resource",
        "OperateUin" => "The UIN of the account or role that bought or opened the resource",
        "Month" | "BillMonth" => "The billing month",
        "BillDay" | "BillDate" => "The billing day",
        "Context" => "The paging cursor: the value the previous page returned, passed back to speed up paging",
        "NeedRecordNum" => "Whether to return the total record count: 1 yes, 0 no",
        "Ready" => "Whether the data is ready: 1 ready, 0 still being prepared (try again later)",
        "Uin" => "The account UIN",
        "CreateTime" => "When it was created",
        "UpdateTime" => "When it was last changed",
        "Remark" => "A free-text remark",
        "TreeNodeUniqKey" => "The unique key of the allocation unit in the allocation tree",
        "Tags" => "The tags",
        "TagKey" => "The tag key",
        "TagValue" => "The tag value",
        "ClientToken" => "An idempotency token; filled in with a fresh one when not set",
        "NextToken" => "The paging token: empty on the first call, then the value the previous page returned",
        "MaxResults" => "How many records per page",
        "RealTotalCostRatio" => "The share of the total cost after discounts",
        "Trend" => "The change from the previous period",
        "Total" => "The totals",
        _ => return None,
    })
}

/// `RealTotalCost` -> `Real total cost`, `RICost` -> `RI cost`, `PayerUin` -> `Payer UIN`.
pub fn humanize(wire: &str) -> String {
    let chars: Vec<char> = wire.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            None => false,
            Some(p) => {
                (c.is_ascii_uppercase() && (p.is_ascii_lowercase() || p.is_ascii_digit()))
                    || (c.is_ascii_uppercase()
                        && p.is_ascii_uppercase()
                        && next.is_some_and(|n| n.is_ascii_lowercase()))
                    || (c.is_ascii_digit() && p.is_ascii_alphabetic())
            }
        };
        if boundary && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        if c == '_' {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    let words: Vec<String> = words
        .into_iter()
        .enumerate()
        .map(|(i, w)| {
            let special = match w.as_str() {
                "Uin" => Some("UIN"),
                "Uins" => Some("UINs"),
                "Id" => Some("ID"),
                "Ids" => Some("IDs"),
                "Url" => Some("URL"),
                "Cos" => Some("COS"),
                "Cpq" => Some("CPQ"),
                "Ri" => Some("RI"),
                "Sp" => Some("SP"),
                "Json" => Some("JSON"),
                _ => None,
            };
            match special {
                Some(s) => s.to_owned(),
                None if w.chars().all(|c| c.is_ascii_uppercase()) && w.len() > 1 => w,
                None if i == 0 => w,
                None => w.to_ascii_lowercase(),
            }
        })
        .collect();
    words.join(" ")
}

fn site_note(field_sites: &[String], owner_sites: &[String]) -> Option<&'static str> {
    if field_sites.len() >= owner_sites.len() || field_sites.len() != 1 {
        return None;
    }
    Some(if field_sites[0] == "cn" { "China site only." } else { "International site only." })
}

fn unit_note(ty: &Ty) -> Option<&'static str> {
    Some(match ty {
        Ty::Yuan => "In the account currency (yuan, or US dollars on the international site).",
        Ty::Cents => "In cents of the account currency.",
        Ty::YuanE8 => "In 1e-8 of the account currency.",
        Ty::Percent => "In percent.",
        Ty::DateTime => "Beijing time.",
        Ty::MonthStart => "Sent as the first second of the month, `yyyy-MM-01 00:00:00`.",
        Ty::DateOrMonth => "A day (`yyyy-MM-dd`) or a whole month (`yyyy-MM`).",
        _ => return None,
    })
}

/// The doc comment of a field, as lines.
pub fn field_doc(
    owner: &str,
    owner_sites: &[String],
    f: &FieldSpec,
    ty: &FieldTy,
    paging: Option<(&ActionSpec, &str)>,
) -> Vec<String> {
    let mut first = match paging.map(|(a, role)| (a.paging.as_ref().map(|p| p.style.as_str()), role)) {
        Some((Some("offset_records"), "offset")) => "The offset of the first record to return".to_owned(),
        Some((Some("offset_page0"), "offset")) => "The page to return, counted from 0".to_owned(),
        Some((Some("offset_page1" | "page_no" | "page_number"), "offset")) => {
            "The page to return, counted from 1".to_owned()
        }
        Some((_, "size")) => "How many records per page".to_owned(),
        _ => match glossary(&f.wire) {
            Some(g) => g.to_owned(),
            None => humanize(&f.wire),
        },
    };
    if let Some((a, "size")) = paging
        && let Some(max) = a.paging.as_ref().and_then(|p| p.size_max)
    {
        first.push_str(&format!(", at most {max}"));
    }
    if let Some((a, "total")) = paging {
        if a.paging.as_ref().is_some_and(|p| p.total_may_undercount) {
            first = "How many records there are. Cached by Tencent, so it can be lower than the real count".into();
        } else {
            first = "How many records there are".into();
        }
    }
    let mut line = format!("{first}.");
    if let Some(u) = unit_note(&ty.ty) {
        line.push(' ');
        line.push_str(u);
    }
    if f.sentinels.iter().any(|s| s == "-") {
        line.push_str(" `None` when Tencent sends `-` (not applicable).");
    }
    if let Some(values) = &f.values {
        if !matches!(ty.ty, Ty::Enum(_)) && f.element != "string" {
            let vs: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            line.push_str(&format!(" One of {}.", vs.join(", ")));
        } else if !matches!(ty.ty, Ty::Enum(_)) {
            let vs: Vec<String> =
                values.iter().filter_map(|v| v.as_str()).filter(|v| !v.is_empty()).map(|v| format!("`{v}`")).collect();
            if !vs.is_empty() {
                line.push_str(&format!(" Documented values: {}.", vs.join(", ")));
            }
        }
    }
    if let Some(s) = site_note(&f.sites, owner_sites) {
        line.push(' ');
        line.push_str(s);
    }
    if f.disabled {
        line.push_str(" Tencent marks this field disabled; expect it to be absent.");
    }
    let _ = owner;
    vec![line]
}
