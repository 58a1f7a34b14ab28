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
        "Limit" => "How many records to return",
        "Offset" => "Where the page starts",
        "BeginTime" => "The start of the period",
        "EndTime" => "The end of the period",
        "StartTime" => "The start of the period",
        "Name" => "The name",
        "Data" => "The records",
        "Detail" => "The records",
        "InstanceType" => "The instance type code",
        "InstanceTypeName" => "The instance type's name",
        "Tag" => "The tags of the resource",
        "RecordNum" => "How many records there are",
        "TotalCount" => "How many records there are",
        "PeriodType" => "How the period is counted",
        "TreeNodeUniqKeyName" => "The name of the allocation unit",
        "TreeNodeUniqKeys" => "Allocation units, by their unique keys",
        "RuleId" => "The rule ID",
        "RuleName" => "The rule name",
        "RuleDetail" => "The rule",
        "RuleList" => "The rules",
        "Business" => "Products",
        "BusinessCodes" => "Product codes",
        "ProductCodes" => "Sub-product codes",
        "ComponentCodes" => "Billing component codes",
        "ItemCodes" => "Billing item codes",
        "RegionIds" => "Region IDs",
        "ProjectIds" => "Project IDs",
        "ZoneIds" => "Availability zone IDs",
        "ActionTypes" => "Transaction type codes",
        "PayModes" => "Billing modes",
        "OwnerUins" => "UINs of the accounts that use the resources",
        "OperateUins" => "UINs of the accounts or roles that bought or opened the resources",
        "PayerUins" => "UINs of the paying accounts",
        "InstanceTypes" => "Instance type codes",
        "ConsumptionTypes" => "Consumption types",
        "BudgetId" => "The budget ID",
        "BudgetName" => "The budget name",
        "BudgetNote" => "A note on the budget",
        "BudgetQuota" => {
            "The budget amount: an amount for a fixed budget, or a JSON array text of per-period amounts for a planned one"
        }
        "Status" => "The status",
        "AllocationType" => "How the cost was allocated",
        "Message" => "A message from the service",
        "Code" => "A result code from the service (0 means success)",
        "SubProductCode" => "The sub-product code",
        "SubProductCodeName" => "The sub-product name",
        "SubProductName" => "The sub-product name",
        "ProductName" => "The product name",
        "SPDeduction" => "The part of the cost covered by savings plans",
        "SPDeductionRate" => "The savings plan deduction rate",
        "SPCost" => "The savings plan cost",
        "RICost" | "RiCost" => "The part of the cost covered by reserved instances",
        "TaxRate" => "The tax rate",
        "Children" => "The child nodes",
        "Type" => "The type",
        "SearchKey" => "A search keyword",
        "Sort" => "The field to sort by",
        "SortType" => "The sort order",
        "SummaryOverview" => "The summary rows",
        "SummaryTotal" => "The totals over all rows",
        "PageSize" => "How many records per page",
        "PageNo" | "PageNumber" => "The page number, counted from 1",
        "ZoneId" => "The availability zone ID",
        "ZoneCode" => "The availability zone code",
        "RegionCode" => "The region code",
        "RegionType" => "The region type code",
        "RegionTypeName" => "The region type's name",
        "UsedAmount" => "The amount used",
        "UsedAmountUnit" => "The unit of the amount used",
        "Formula" => "How the cost was computed",
        "FormulaUrl" => "A link to how the cost was computed",
        "ComponentConfig" => "The configuration of the billing component",
        "ComponentSet" => "The billing components",
        "CostBeforeTax" => "The cost before tax",
        "Currency" => "The currency",
        "FeeType" => "The kind of cost",
        "Value" => "The value",
        "Key" => "The key",
        "BillDates" => "Days or months to filter by",
        "InstanceId" | "InstanceID" => "The instance ID",
        "InstanceIdList" => "Instance IDs",
        "InstanceList" => "The instances",
        "SplitItemId" => "The split item ID",
        "SplitItemName" => "The split item name",
        "SinglePrice" => "The unit price",
        "SinglePriceUnit" => "The unit of the unit price",
        "ContractPrice" => "The contract price",
        "TimeSpan" => "The usage duration",
        "TimeUnit" => "The unit of the usage duration",
        "AssociatedOrder" => "The orders the charge relates to",
        "PriceInfo" => "The pricing factors",
        "Ratio" => "The share",
        "Project" => "Projects",
        "Region" => "Regions",
        "BillType" => "The kind of bill",
        "Current" => "The current page number",
        "Pages" => "How many pages there are",
        "Size" => "How many records per page",
        "Records" => "The records on this page",
        "LeftRealTotalCost" => "The cost after discounts not yet allocated",
        "Threshold" => "The threshold",
        "VoucherId" => "The voucher ID",
        "RealTotalMeasure" => "The usage before deductions",
        "DeductedMeasure" => "The usage covered by resource packs",
        "ReserveDetail" => "Details of the reservation",
        "DiscountObject" => "What the discount applies to",
        "DiscountType" => "The kind of discount",
        "DiscountContent" => "The discount",
        "GatherCashPayAmount" => "The gathered part paid in cash",
        "GatherVoucherPayAmount" => "The gathered part paid with vouchers",
        "GatherIncentivePayAmount" => "The gathered part paid from the gift account",
        "GatherTransferPayAmount" => "The gathered part paid from shared credit",
        "GatherRealCost" => "The gathered cost after discounts",
        "GatherCostBeforeTax" => "The gathered cost before tax",
        "GatherTax" => "The gathered tax",
        "AllocateCashPayAmount" => "The allocated part paid in cash",
        "AllocateVoucherPayAmount" => "The allocated part paid with vouchers",
        "AllocateIncentivePayAmount" => "The allocated part paid from the gift account",
        "AllocateTransferPayAmount" => "The allocated part paid from shared credit",
        "AllocateRealCost" => "The allocated cost after discounts",
        "AllocateCostBeforeTax" => "The allocated cost before tax",
        "AllocateTax" => "The allocated tax",
        "TotalCashPayAmount" => "The total paid in cash",
        "TotalVoucherPayAmount" => "The total paid with vouchers",
        "TotalIncentivePayAmount" => "The total paid from the gift account",
        "TotalTransferPayAmount" => "The total paid from shared credit",
        "TotalCostBeforeTax" => "The total cost before tax",
        "TotalTax" => "The total tax",
        "TrendType" => "Which way the cost moved since the previous period",
        "Operator" => "How the value is matched",
        "RatioDetail" => "The shares of each allocation unit",
        "RiTimeSpan" | "RITimeSpan" => "The duration covered by reserved instances",
        "ReduceType" => "The kind of reduction",
        "OriginalCostWithRI" => "The list-price cost of the part covered by reserved instances",
        "OriginalCostWithSP" => "The list-price cost of the part covered by savings plans",
        "Balance" => "The balance",
        "CycleType" => "The budget cycle",
        "PeriodBegin" => "The first day or month the budget covers",
        "PeriodEnd" => "The last day or month the budget covers",
        "PlanType" => "Whether the budget is fixed or planned per period",
        "WarnJson" => "The alert thresholds",
        "WaveThresholdJson" => "The alerts on cost changes",
        "DimensionsRange" => "What the budget covers",
        "Unit" => "The unit",
        "RenewFlag" => "The renewal setting",
        "RenewPeriod" => "The renewal period",
        "RenewPeriodUnit" => "The unit of the renewal period",
        "TempCredit" => "The temporary credit",
        "Open" => "Whether the alert is on: 1 on, 0 off",
        "DetailSet" => "The line items",
        "PayScene" => "Where the payment applies",
        "RealBalance" => "The available balance",
        "CashAccountBalance" => "The cash account balance",
        "OweAmount" => "The amount owed",
        "CreditAmount" => "The credit limit",
        "Amount" => "The amount",
        "Period" => "The duration bought",
        "PeriodUnit" => "The unit of the duration",
        "BigDealId" => "The ID of the order group",
        "BigDealIds" => "IDs of order groups",
        "OrderIds" | "OrderIdList" => "Order IDs",
        "ResourceSummarySet" => "The rows, one per resource",
        "GroupType" => "The dimension to group by",
        "SummaryDetail" => "The summary rows",
        "DosageBeginTime" => "The start of the usage period",
        "DosageEndTime" => "The end of the usage period",
        "DosageValue" => "The usage",
        "DosageType" => "The usage granularity",
        "BillingItemCode" => "The billing item code",
        "BillingItemCodeName" => "The billing item name",
        "SubBillingItemCode" => "The billing sub-item code",
        "BucketName" => "The COS bucket name",
        "StartDate" => "The first day",
        "EndDate" => "The last day",
        "BeginMonth" => "The first month",
        "EndMonth" => "The last month",
        "ParentId" => "The ID of the parent node",
        "NodeId" => "The ID of the allocation unit",
        "SourceName" => "The name of the source the unit comes from",
        "SourceId" => "The ID of the source the unit comes from",
        "TimeFrom" => "The first day",
        "TimeTo" => "The last day",
        "PayType" => "The kind of transaction",
        "AdjustType" => "The kind of adjustment",
        "AdjustNum" => "The adjustment number",
        "AdjustCompletionTime" => "When the adjustment was made",
        "AdjustAmount" => "The amount adjusted",
        _ => return None,
    })
}

/// Phrases for fields whose meaning depends on the object they are in.
fn field_override(object: &str, wire: &str) -> Option<&'static str> {
    Some(match (object, wire) {
        ("DescribeAccountBalanceRequest", "TempCredit") => {
            "Also return the temporary credit lines (`temp_amount_info_list`)"
        }
        ("DescribeAccountBalanceResponse", "Balance") => "The available balance (integral on the wire)",
        ("DescribeAccountBalanceResponse", "Uin") => "The account's UIN",
        ("DescribeAccountBalanceResponse", "RealBalance") => {
            "The available balance: cash plus income plus gifts, less frozen and owed amounts"
        }
        ("DescribeAccountBalanceResponse", "IncomeIntoAccountBalance") => "The income account balance (transfers in)",
        ("DescribeAccountBalanceResponse", "PresentAccountBalance") => "The gift (present) account balance",
        ("DescribeAccountBalanceResponse", "FreezeAmount") => "The frozen amount",
        ("DescribeAccountBalanceResponse", "OweAmount") => "The amount owed; above zero means the account is overdue",
        ("DescribeAccountBalanceResponse", "IsAllowArrears") => "Whether the account may go into arrears",
        ("DescribeAccountBalanceResponse", "IsCreditLimited") => {
            "Whether the account's spending is capped by a credit limit"
        }
        ("DescribeAccountBalanceResponse", "CreditBalance") => "The credit left",
        ("DescribeAccountBalanceResponse", "RealCreditBalance") => "The credit actually available",
        ("DescribeAccountBalanceResponse", "TempAmountInfoList") => {
            "The temporary credit lines, when the request asked for them"
        }
        ("UinTempAmountModel", "TempAmount") => "The temporary credit",
        ("UinTempAmountModel", "StartTime") => "When the line starts",
        ("UinTempAmountModel", "EndTime") => "When the line ends",
        (
            "ModifyAccountWarningRequest" | "ModifyAccountWarningResponse" | "DescribeAccountWarningResponse",
            "Threshold",
        ) => "The balance below which an alert is sent",
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
                "Spu" => Some("SPU"),
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
        _ => match field_override(owner, &f.wire).or_else(|| glossary(&f.wire)) {
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
        if first.contains(" 0 ") || first.ends_with(" 0") || first.contains("0 no") || first.contains("0 off") {
            // The phrase already spells the values out.
        } else if !matches!(ty.ty, Ty::Enum(_)) && f.element != "string" {
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
    vec![line]
}
