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
        "Tax" => "The tax on the cost",
        "AmountBeforeTax" => "The cash paid, before tax",
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
        "ProjectId" => "The ID of the project the resource belongs to",
        "ProjectName" => "The name of the project the resource belongs to (the default project when none was assigned)",
        "RegionId" => "The ID of the region the resource is in",
        "RegionName" => "The name of the region the resource is in",
        "ZoneName" => "The availability zone name",
        "ResourceId" => "The resource (instance) ID",
        "ResourceName" => "The resource (instance) name",
        "ActionType" => "The transaction type code",
        "ActionTypeName" => "The transaction type's name",
        "OrderId" => "The ID of the sub-order that bought the resource (subscriptions only)",
        "BillId" => "The transaction ID: the number of the settlement that charged the cost",
        "PayTime" => "When the charge was paid",
        "FeeBeginTime" => "The start of the period charged for",
        "FeeEndTime" => "The end of the period charged for",
        "PayerUin" => "The UIN of the paying account",
        "OwnerUin" => "The UIN of the account that uses the resource",
        "OperateUin" => "The UIN of the account or role that bought or opened the resource",
        "Month" | "BillMonth" => "The billing month",
        "BillDay" | "BillDate" => "The billing day",
        "Context" => "The paging cursor: the value the previous page returned, passed back to speed up paging",
        "NeedRecordNum" => "Whether to also return the total record count",
        "Ready" => "Whether the data is ready; when not, Tencent is still preparing it (try again in a few minutes)",
        "Uin" => "The UIN of the account it belongs to",
        "CreateTime" => "When it was created",
        "UpdateTime" => "When it was last changed",
        "Remark" => "A free-text remark",
        "TreeNodeUniqKey" => "The unique key of the allocation unit in the allocation tree",
        "Tags" => "The tags on the resource, as key-value pairs",
        "TagKey" => "The cost allocation tag key",
        "TagValue" => "The value the resource has for the tag key",
        "ClientToken" => "An idempotency token; filled in with a fresh one when not set",
        "NextToken" => "The paging token: empty on the first call, then the value the previous page returned",
        "MaxResults" => "How many records per page",
        "RealTotalCostRatio" => "The share of the total cost after discounts",
        "Trend" => "The change from the previous period",
        "Total" => "The sums over all rows",
        "Limit" => "How many records to return",
        "Offset" => "Where the page starts",
        "BeginTime" => "The start of the period",
        "EndTime" => "The end of the period",
        "StartTime" => "The start of the period",
        "Name" => "The display name",
        "Data" => "The answer's payload",
        "Detail" => "The rows of the answer",
        "InstanceType" => "The instance type code",
        "InstanceTypeName" => {
            "The kind of instance bought, e.g. a resource pack, reserved instance, savings plan or spot instance"
        }
        "Tag" => "The tags of the resource",
        "RecordNum" => "How many records there are",
        "TotalCount" => "How many records there are",
        "PeriodType" => "How the period is counted",
        "TreeNodeUniqKeyName" => "The name of the allocation unit",
        "TreeNodeUniqKeys" => "Allocation units, by their unique keys",
        "RuleId" => "The cost-sharing rule's ID",
        "RuleName" => "The cost-sharing rule's display name",
        "RuleDetail" => "The rule's conditions, as an expression tree",
        "RuleList" => "The rules, each with its conditions",
        "Business" => "Products to filter by",
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
        "BudgetId" => "The ID Tencent gave the budget when it was created",
        "BudgetName" => "The display name of the budget",
        "BudgetNote" => "A free-text remark on the budget",
        "BudgetQuota" => {
            "The budget amount: an amount for a fixed budget, or a JSON array text of per-period amounts for a planned one"
        }
        "Status" => "The state it is in",
        "AllocationType" => "How the cost was allocated",
        "Message" => "A message from the service",
        "Code" => "A result code from the service (0 means success)",
        "SubProductCode" => "The code of the sub-product (the level under the product)",
        "SubProductCodeName" => "The sub-product's display name",
        "SubProductName" => "The sub-product's display name",
        "ProductName" => "The product's display name",
        "SPDeduction" => "The part of the cost covered by savings plans",
        "SPDeductionRate" => "The savings plan deduction rate",
        "SPCost" => "The savings plan cost",
        "RICost" | "RiCost" => "The part of the cost covered by reserved instances",
        "TaxRate" => "The tax rate applied to the cost",
        "Children" => "The child nodes",
        "Type" => "What kind it is",
        "SearchKey" => "A search keyword",
        "Sort" => "The field to sort by",
        "SortType" => "The sort order",
        "SummaryOverview" => "The summary rows",
        "SummaryTotal" => "The totals over all rows",
        "PageSize" => "How many records per page",
        "PageNo" | "PageNumber" => "The page number, counted from 1",
        "ZoneId" => "The availability zone ID",
        "ZoneCode" => "The availability zone code",
        "RegionCode" => "The code of the region the instance is in",
        "RegionType" => "The region type code",
        "RegionTypeName" => "Whether the region is in mainland China or outside it (domestic or international)",
        "UsedAmount" => "The usage billed for the component",
        "UsedAmountUnit" => "The unit the usage is measured in",
        "Formula" => "How the cost was computed",
        "FormulaUrl" => "A link to how the cost was computed",
        "ComponentConfig" => "The configuration of the billing component",
        "ComponentSet" => "The billing components",
        "CostBeforeTax" => "The cost after discounts, before tax",
        "Currency" => "The currency the amounts are in",
        "FeeType" => "The kind of cost",
        "Value" => "The value of the pair",
        "Key" => "The key of the pair",
        "BillDates" => "Days or months to filter by",
        "InstanceId" | "InstanceID" => "The ID of the instance the record is for",
        "InstanceIdList" => "Instance IDs",
        "InstanceList" => "The instances",
        "SplitItemId" => "The ID of the split item, for products billed per item (a COS bucket, a CDN domain)",
        "SplitItemName" => "The name of the split item, for products billed per item",
        "SinglePrice" => "The unit price",
        "SinglePriceUnit" => "The unit of the unit price: currency per usage unit per duration unit",
        "ContractPrice" => "The discounted unit price: list price times discount",
        "TimeSpan" => "The usage duration",
        "TimeUnit" => "The unit of the usage duration",
        "AssociatedOrder" => "The orders the charge relates to",
        "PriceInfo" => "The pricing factors",
        "Ratio" => "The share",
        "Project" => "Projects to filter by",
        "Region" => "Regions to filter by",
        "BillType" => "The kind of bill",
        "Current" => "The current page number",
        "Pages" => "How many pages there are",
        "Size" => "How many records per page",
        "Records" => "The records on this page",
        "LeftRealTotalCost" => "The cost after discounts not yet allocated",
        "Threshold" => "The level that triggers an alert",
        "VoucherId" => "The voucher's ID, as used to look up its uses",
        "RealTotalMeasure" => "The usage before deductions",
        "DeductedMeasure" => "The usage covered by resource packs",
        "ReserveDetail" => "Details of the reservation",
        "DiscountObject" => "What the discount applies to",
        "DiscountType" => "The kind of discount",
        "DiscountContent" => "The discount itself, e.g. `0.8` for 20% off",
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
        "TotalCostBeforeTax" => "The total cost after discounts, before tax",
        "TotalTax" => "The tax on the total cost",
        "TrendType" => "Which way the cost moved since the previous period",
        "Operator" => "How the value is matched",
        "RatioDetail" => "The shares of each allocation unit",
        "RiTimeSpan" | "RITimeSpan" => "The duration covered by reserved instances",
        "ReduceType" => "The kind of reduction",
        "OriginalCostWithRI" => "The list-price cost of the part covered by reserved instances",
        "OriginalCostWithSP" => "The list-price cost of the part covered by savings plans",
        "Balance" => "The balance left",
        "CycleType" => "The budget cycle",
        "PeriodBegin" => "The first day or month the budget covers",
        "PeriodEnd" => "The last day or month the budget covers",
        "PlanType" => "Whether the budget is fixed or planned per period",
        "WarnJson" => "The alert thresholds",
        "WaveThresholdJson" => "The alerts on cost changes",
        "DimensionsRange" => "What the budget covers",
        "Unit" => "The unit the values are measured in",
        "RenewFlag" => "The renewal setting",
        "RenewPeriod" => "The renewal period",
        "RenewPeriodUnit" => "The unit of the renewal period",
        "TempCredit" => "The temporary credit",
        "Open" => "Whether the low-balance alert is on",
        "DetailSet" => "The line items",
        "PayScene" => "Where the payment applies",
        "RealBalance" => "The available balance",
        "CashAccountBalance" => "The balance of the cash account (money topped up)",
        "OweAmount" => "The amount owed",
        "CreditAmount" => "The credit limit",
        "Amount" => "The sum of money",
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
        "BillingItemCode" => "The code of the billing item (what is metered)",
        "BillingItemCodeName" => "The billing item's display name",
        "SubBillingItemCode" => "The code of the billing sub-item (component)",
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
        ("DescribeAccountBalanceResponse", "Balance") => {
            "The same real available balance as `real_balance`, as a whole number; kept for older callers"
        }
        ("DescribeAccountBalanceResponse", "Uin") => "The account's UIN",
        ("DescribeAccountBalanceResponse", "RealBalance") => {
            "The real available balance now, fractions included: cash plus income plus gifts, less frozen and owed amounts"
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
        // Budgets.
        ("BudgetOperationLogEntity", "Action") => "What was done to the budget",
        ("BudgetOperationLogEntity", "DiffValue") => "What changed, property by property",
        ("BudgetOperationLogEntity", "OperationChannel") => "Where the change was made",
        ("BudgetInfoDiffEntity", "Property") => "The property that changed",
        ("BudgetInfoDiffEntity", "Before") => "The value before the change",
        ("BudgetInfoDiffEntity", "After") => "The value after the change",
        ("CreateBudgetRequest", "BudgetName") => "A display name for the new budget",
        ("ModifyBudgetRequest", "BudgetName") => "The budget's new display name",
        ("DescribeBudgetRequest", "BudgetName") => "Only budgets with this display name",
        ("DescribeBudgetRequest", "BudgetId") => "Only this budget, by ID",
        ("ModifyBudgetRequest", "BudgetId") => "The budget to change, by ID",
        ("DescribeBudgetOperationLogRequest", "BudgetId") => "The budget whose changes to list, by ID",
        ("DescribeBudgetRemindRecordListRequest", "BudgetId") => "The budget whose alerts to list, by ID",
        ("BudgetSendInfoDto", "BudgetId") => "The budget these notification settings belong to",
        ("DeleteBudgetRequest", "BudgetIds") => "The budgets to delete, by ID",
        ("DescribeBudgetRequest", "BudgetStatus") => "Only budgets in this state",
        ("DescribeBudgetRequest", "CycleTypes") => "Only budgets with these cycles",
        ("BudgetExtend", "BudgetStatus") => "Whether the budget is in effect",
        ("BudgetExtend", "BudgetProgress") => "How much of the budget is used so far",
        ("BudgetExtend", "ForecastProgress") => "How much of the budget the forecast cost would use",
        ("BudgetExtend", "ForecastCost") => "The cost forecast for the budget period",
        ("BudgetExtend", "BudgetQuotaJson") => "The per-period amounts of a planned budget, as JSON text",
        ("BudgetExtend", "BudgetSendInfoForm") => "The custom recipients and channels of alerts",
        ("BudgetExtend", "SendDetail") => "Who custom alerts are sent to",
        ("BudgetExtend", "DefaultMode") => "Whether alerts go to the account itself (0 means they do)",
        ("BudgetExtend", "CurDateDesc") => "The current budget period, as displayed",
        ("BudgetExtend", "RemindTimes") => "How many alerts have been sent",
        ("BudgetExtend", "MoneyStatus") => "Whether spending is over the budget",
        ("BudgetExtend", "HasForecast") => "Whether a forecast is set up and has data",
        ("BudgetExtend", "TemplateType") => "The template the budget was made from",
        ("BudgetExtend", "Dimensions") => "What the budget tracks: cost, usage, reserved instances or savings plans",
        ("BudgetPlan", "DateDesc") => "The period, as displayed",
        ("BudgetPlan", "Quota") => "The budget amount for the period",
        ("BudgetRemindRecords", "DateDesc") => "The budget period the alert is about",
        ("BudgetRemindRecords", "AlarmType") => "What triggered the alert",
        ("BudgetRemindRecords", "MessageContent") => "The text of the alert",
        ("BudgetRemindRecords", "SendTime") => "When the alert was sent",
        ("BudgetSendInfoDto", "Id") => "The ID of the notification setting",
        ("BudgetSendInfoDto", "ReceiverIds") => "The users or user groups to notify, by ID",
        ("BudgetSendInfoDto", "ReceiverType") => "Who receives the alerts",
        ("BudgetSendInfoDto", "NoticeWays") => "The channels alerts are sent through",
        ("BudgetSendInfoDto", "WeekDays") => {
            "The days of the week alerts may be sent on, comma-separated: 1 Monday, 2 Tuesday, ... 7 Sunday"
        }
        ("BudgetWarn", "WarnType") | ("WaveThresholdForm", "WarnType") => {
            "Whether the alert watches actual or forecast cost"
        }
        ("BudgetWarn", "CalType") => "How the threshold is expressed: a share of the budget or a fixed amount",
        ("BudgetWarn", "ThresholdValue") => "The level that triggers the alert (0 or more), as set by `cal_type`",
        ("WaveThresholdForm", "Threshold") => "How large a change triggers the alert (0 or more)",
        ("WaveThresholdForm", "MetaType") => "What the cost is compared with",
        ("BudgetConditionsForm", "ProjectIds") => "The projects the budget covers",
        ("BudgetConditionsForm", "RegionIds") => "The regions the budget covers",
        ("BudgetConditionsForm", "Tags") => "The tags the budget covers",
        ("BudgetConditionsForm", "ConsumptionTypes") => "The consumption types the budget covers",
        ("TagsForm", "TagKey") => "A tag key the budget covers",
        ("TagsForm", "TagValue") => "The values of that tag key the budget covers",
        // The paging object Tencent's budget-alert query returns as is.
        ("BudgetRemindRecordList", "Total")
        | ("DataForBudgetInfoPage", "Total")
        | ("DataForBudgetOperationLogPage", "Total") => "How many records there are in all",
        ("BudgetRemindRecordList", "MaxLimit") => "The largest page size the server allows",
        ("BudgetRemindRecordList", "Orders") => "The sort order the server applied",
        ("BudgetRemindRecordList", "CountId" | "OptimizeCountSql" | "SearchCount") => {
            "A setting of the server's paging framework, of no use to callers"
        }
        ("OrderDto", "Column") => "The field sorted by",
        ("OrderDto", "Asc") => "Whether the sort is ascending",
        ("CreateBudgetResponse", "Data") => "The budget as created",
        ("ModifyBudgetResponse", "Data") => "The budget as changed",
        ("DeleteBudgetResponse", "Data") => "The IDs of the deleted budgets",
        ("DescribeBudgetResponse", "Data") => "The budgets found, one page",
        ("DescribeBudgetOperationLogResponse", "Data") => "The changes found, one page",
        ("DescribeBudgetRemindRecordListResponse", "Data") => "The alerts found, one page",
        // Allocation (cost-sharing and collection rules, allocation units).
        ("CreateAllocationRuleResponse", "Id") => "The ID of the new cost-sharing rule",
        ("CreateAllocationUnitResponse", "Id") => "The ID of the new allocation unit",
        ("CreateGatherRuleRequest", "Id") => "The allocation unit the rule gathers costs into, by ID",
        ("CreateGatherRuleResponse", "Id") => "The ID of the new collection rule",
        ("DeleteAllocationUnitRequest", "Id") => "The allocation unit to delete, by ID",
        ("DescribeAllocationUnitDetailRequest", "Id") => "The allocation unit to read, by ID",
        ("ModifyAllocationUnitRequest", "Id") => "The allocation unit to change, by ID",
        ("DescribeGatherRuleDetailRequest", "Id") => "The collection rule to read, by ID",
        ("ModifyGatherRuleRequest", "Id") => "The collection rule to change, by ID",
        ("DescribeGatherRuleDetailResponse", "Id") => "The collection rule's ID",
        ("DescribeAllocationRuleDetailResponse", "Id") => "The cost-sharing rule's ID",
        ("DescribeAllocationTreeResponse", "Id") => "The ID of the allocation unit at the top of the tree",
        ("DescribeAllocationTreeResponse", "Name") => "The name of the allocation unit at the top of the tree",
        ("DescribeAllocationUnitDetailResponse" | "AllocationOverviewNode" | "AllocationTree", "Id") => {
            "The allocation unit's ID"
        }
        ("DescribeAllocationUnitDetailResponse" | "AllocationOverviewNode" | "AllocationTree", "Name") => {
            "The allocation unit's display name"
        }
        ("CreateAllocationUnitRequest", "Name") => "A display name for the new allocation unit",
        ("ModifyAllocationUnitRequest", "Name") => "The allocation unit's new display name",
        ("ModifyAllocationRuleRequest", "Name") => "The cost-sharing rule's new display name",
        ("AllocationRulesSummary", "Name") => "A display name for the new cost-sharing rule",
        ("DescribeAllocationRuleDetailResponse", "Name") => "The cost-sharing rule's display name",
        ("DescribeAllocationRuleSummaryRequest", "Name") => "Part of a rule or allocation unit name to search for",
        ("DeleteAllocationRuleRequest", "RuleId") => "The cost-sharing rule to delete, by ID",
        ("DeleteGatherRuleRequest", "RuleId") => "The collection rule to delete, by ID",
        ("DescribeAllocationRuleDetailRequest", "RuleId") => "The cost-sharing rule to read, by ID",
        ("ModifyAllocationRuleRequest", "RuleId") => "The cost-sharing rule to change, by ID",
        ("DescribeAllocationUnitDetailResponse", "RuleId") => "The unit's collection rule, when it has one",
        ("GatherResourceSummary", "RuleId") => "The cost-sharing rule the resource matched, by ID",
        ("GatherResourceSummary", "RuleName") => "The display name of the cost-sharing rule the resource matched",
        ("GatherResourceSummary", "BelongRule") => "The cost-sharing rule the resource matched",
        ("GatherResourceSummary", "OtherRules") => "Other rules the resource also matched",
        ("GatherResourceSummary", "BelongTreeNodeUniqKey") => "The allocation unit the resource is gathered into",
        ("GatherResourceSummary", "OtherTreeNodeUniqKeys") => "Other allocation units the resource also matched",
        ("GatherResourceSummary", "EffectiveMode") => "How the resource came to be gathered",
        ("CreateAllocationRuleRequest", "RuleList") => "The cost-sharing rules to create",
        ("CreateGatherRuleRequest", "RuleList") => "The collection rules to create",
        ("DescribeAllocationRuleSummaryResponse", "RuleList") => "The cost-sharing rules found",
        ("AllocationRuleOverview", "AllocationNode") => "The allocation units the rule shares costs over",
        ("AllocationRuleExpression", "RuleKey") => "The dimension the condition tests",
        ("AllocationRuleExpression", "RuleValue") => {
            "The values the dimension is tested against, e.g. product codes when the key is `businessCode`"
        }
        ("AllocationRuleExpression", "Operator") => "How the dimension is tested against the values",
        ("AllocationRuleExpression", "Connectors") => "How the child conditions combine",
        (
            "DescribeAllocationRuleDetailResponse"
            | "DescribeAllocationRuleSummaryRequest"
            | "ModifyAllocationRuleRequest"
            | "AllocationRuleOverview"
            | "AllocationRulesSummary",
            "Type",
        ) => "How the rule divides the shared costs",
        ("AllocationOverviewNode", "Symbol") => "Which kinds of rule the allocation unit has",
        ("AllocationOverviewNode", "Detail") => "The unit's amounts for the month",
        ("AllocationStat", "Average") => "The average cost over the months",
        ("DescribeAllocationTrendByMonthResponse", "Previous") => "The costs of the earlier months",
        ("DescribeAllocationTrendByMonthResponse", "Stat") => "Statistics over the months",
        ("AllocationBillTrendDetail", "Name") => "The month, as displayed",
        (
            "AllocationDetail" | "AllocationSummaryByItem" | "AllocationSummaryByResource" | "GatherResourceSummary",
            "AllocationType",
        ) => "Where the cost comes from: shared by a rule, gathered, or not allocated",
        (
            "DescribeAllocationBillConditionsRequest"
            | "DescribeAllocationSummaryByItemRequest"
            | "DescribeAllocationSummaryByResourceRequest",
            "AllocationType",
        ) => "Only costs of this origin: shared by a rule, gathered, or not allocated",
        ("AllocationSummaryByBusiness", "AllocationRealTotalCost") => {
            "The cost after discounts: list price, less what reserved instances and savings plans cover, times the discount"
        }
        ("AllocationSummaryByBusiness", "TotalTax") => "The unit's total tax: gathered plus shared",
        ("AllocationOverviewTotal", "CostBeforeTax") => "The total cost after discounts, before tax",
        ("AllocationDetail", "SplitRatio") => "The split item's share of the usage or duration before splitting",
        ("DescribeGatherResourceRequest", "GatherType") => "Which resources to list, by how their cost is allocated",
        ("DescribeGatherResourceResponse", "GatherResourceSummary") => "The resources found, one page",
        ("DescribeGatherResourceResponse", "LastUpdateTime") => "When the data was last refreshed",
        ("DescribeAllocationBillDetailResponse", "Detail") => "The allocation bill line items, one page",
        ("DescribeAllocationMonthOverviewResponse", "Detail") => "The month's amounts, per allocation unit",
        ("DescribeAllocationOverviewResponse", "Detail") => "The overview rows, per allocation unit and period",
        ("DescribeAllocationSummaryByBusinessResponse", "Detail") => "The rows, one per product",
        ("DescribeAllocationSummaryByItemResponse", "Detail") => "The rows, one per billing component",
        ("DescribeAllocationSummaryByResourceResponse", "Detail") => "The rows, one per resource",
        (
            "DescribeAllocationBillDetailResponse"
            | "DescribeAllocationMonthOverviewResponse"
            | "DescribeAllocationOverviewResponse"
            | "DescribeAllocationSummaryByBusinessResponse"
            | "DescribeAllocationSummaryByItemResponse"
            | "DescribeAllocationSummaryByResourceResponse",
            "Total",
        ) => "The amounts summed over every row",
        // Bills, costs and their line items.
        ("BillDetail", "Id") => "The line item's record ID",
        ("BillDetail", "ExtendField") => "Extra attributes of the resource, as in the resource bill",
        ("BillDetailAssociatedOrder", "PrepayPurchase") => "The order that bought the resource",
        ("BillDetailAssociatedOrder", "PrepayRenew") => "The orders that renewed the resource",
        ("BillDetailAssociatedOrder", "PrepayModifyUp") => "The order that upgraded the configuration",
        ("BillDetailAssociatedOrder", "ReverseOrder") => "The order that reversed (wrote off) the charge",
        ("BillDetailAssociatedOrder", "NewOrder") => "The order as it was after the discount adjustment",
        ("BillDetailAssociatedOrder", "Original") => "The order as it was before the discount adjustment",
        ("BillDetailComponent", "PriceUnit") => {
            "The unit of the component's price: currency per usage unit per duration unit"
        }
        ("CostComponentSet", "PriceUnit") => "The unit of the list price",
        ("BillDetailComponent", "TimeUnitName") => "The unit the usage duration is measured in",
        ("BillDetailComponent", "TaxAmount") => "The tax on the component's cost",
        ("BillDetailComponent", "SpecifiedPrice") => "A price fixed for the component (no longer used)",
        ("BillDetailComponent", "UsedAmount") | ("AllocationDetail" | "AllocationSummaryByItem", "UsedAmount") => {
            "The usage billed: the original usage less what deductions such as resource packs cover"
        }
        ("BillDetailComponentConfig", "Name") => "The name of the configuration item",
        ("BillDetailComponentConfig", "Value") => "The value of the configuration item",
        ("BillResourceSummary" | "BillDistributionResourceSummary", "ConfigDesc") => {
            "The resource's billing items and usage, in one text (resource bills only)"
        }
        ("BillResourceSummary" | "BillDistributionResourceSummary", "ExtendField1") => {
            "A product-specific extra attribute, first slot (resource bills only)"
        }
        ("BillResourceSummary" | "BillDistributionResourceSummary", "ExtendField2") => {
            "A product-specific extra attribute, second slot (resource bills only)"
        }
        ("BillResourceSummary" | "BillDistributionResourceSummary", "ExtendField3") => {
            "A product-specific extra attribute, third slot (resource bills only)"
        }
        ("BillResourceSummary" | "BillDistributionResourceSummary", "ExtendField4") => {
            "A product-specific extra attribute, fourth slot (resource bills only)"
        }
        ("BillResourceSummary" | "BillDistributionResourceSummary", "ExtendField5") => {
            "A product-specific extra attribute, fifth slot (resource bills only)"
        }
        ("ConsumptionResourceSummaryDataItem", "Extend1") => "A product-specific extra attribute, first slot",
        ("ConsumptionResourceSummaryDataItem", "Extend2") => "A product-specific extra attribute, second slot",
        ("ConsumptionResourceSummaryDataItem", "Extend3") => "A product-specific extra attribute, third slot",
        ("ConsumptionResourceSummaryDataItem", "Extend4") => "A product-specific extra attribute, fourth slot",
        ("ConsumptionResourceSummaryDataItem", "Extend5") => "A product-specific extra attribute, fifth slot",
        ("ConsumptionResourceSummaryDataItem", "DailyTotalCost") => "The cost per day",
        ("ConsumptionResourceSummaryDataItem", "DayDiff") => "How many days the cost covers",
        ("ConsumptionResourceSummaryDataItem", "ConsumptionTypeName") => "The consumption type, as displayed",
        ("ConsumptionBusinessSummaryDataItem", "RegionName") => "The region's name (regional summaries only)",
        ("ConsumptionSummaryTrend", "Type") => "Which way the cost moved",
        ("ConsumptionSummaryTrend", "Value") => "How much the cost moved; absent when it did not move",
        ("CostDetail", "OrderId") => "The ID of the order behind the cost",
        ("CostDetail", "BillId") => "The ID of the transaction behind the cost",
        ("SummaryDetail", "GroupKey") => "The code of the group the row sums (a product code when grouping by product)",
        ("SummaryDetail", "GroupValue") => "The display name of the group the row sums",
        ("PayModeSummaryOverviewItem", "Detail") => "The costs split by transaction type",
        ("TagSummaryOverviewItem", "TagValue") => "The tag value the row sums",
        ("BillTag" | "BillTagInfo", "TagKey") => "A tag key on the resource",
        ("BillTag" | "BillTagInfo", "TagValue") => "The resource's value for that tag key",
        ("DescribeBillAdjustInfoResponse", "Total") => "How many adjustments there are",
        ("DescribeBillAdjustInfoResponse", "Data") => "The adjustment records",
        ("DescribeBillDownloadUrlRequest", "FileType") => "Which bill file to download",
        ("DescribeBillDownloadUrlRequest", "ChildUin") => {
            "Member accounts whose self-paid bills to download (for an organization's admin); the caller's own by default"
        }
        ("DescribeBillDownloadUrlResponse", "DownloadUrl") => "A link to the bill file, valid for one day",
        ("DescribeBillDownloadUrlResponse", "Ready") => "Whether the bill file is ready to download",
        ("DescribeBillResourceSummaryRequest" | "DescribeBillResourceSummaryForOrganizationRequest", "TagKey") => {
            "Only resources with this cost allocation tag key (bills from 2021-01 on)"
        }
        ("DescribeBillResourceSummaryRequest" | "DescribeBillResourceSummaryForOrganizationRequest", "TagValue") => {
            "Only resources with this value for the tag key; empty for those without a value (bills from 2021-01 on)"
        }
        ("DescribeBillSummaryRequest" | "DescribeBillSummaryForOrganizationRequest", "TagKey") => {
            "The tag key to group by, when `group_type` is `tag`"
        }
        ("DescribeBillSummaryByTagRequest" | "DescribeCostSummaryByTagRequest", "TagKey") => {
            "The cost allocation tag key whose values the rows sum by"
        }
        ("DescribeBillSummaryByTagRequest", "TagValue") => "Only this value of the tag key",
        ("DescribeCostExplorerSummaryRequest", "TagKeyStr") => "The cost allocation tag key, when grouping by tag",
        ("DescribeCostExplorerSummaryRequest", "Conditions") => "Filters that narrow the data",
        ("DescribeCostExplorerSummaryRequest", "Dimensions") => "The dimension to group the data by",
        ("DescribeCostExplorerSummaryRequest", "NeedConditionValue") => {
            "Whether to also return the values each filter can take"
        }
        ("DescribeCostExplorerSummaryResponse", "ConditionValue") => "The values each filter can take, when asked for",
        ("DescribeCostExplorerSummaryResponse", "Header") => "The column headers of the table",
        ("DescribeCostExplorerSummaryResponse", "Detail") => "The data rows, one per group",
        ("DescribeCostExplorerSummaryResponse", "TotalDetail") => "The row of totals",
        ("AnalyseDetail", "Name") => "The group the row is for, as displayed",
        ("AnalyseDetail", "Total") => "The row's total over the period",
        ("AnalyseDetail", "TimeDetail") => "The row's amounts, one per date",
        ("AnalyseHeaderDetail", "HeadDetail") => "The date columns",
        ("AnalyseHeaderDetail", "Name") => "The header of the group column",
        ("AnalyseHeaderDetail", "Total") => "The header of the total column",
        ("AnalyseHeaderTimeDetail", "Name") => "The date the column is for",
        ("AnalyseTimeDetail", "Time") => "The date the amount is for",
        ("AnalyseTimeDetail", "Money") => "The amount on that date",
        ("AnalyseAmountDetail", "Key") => "The fee type's code",
        ("AnalyseAmountDetail", "Display") => "Whether the fee type is shown",
        ("AnalyseConditions", "ConsumptionTypes") => "Consumption types to filter by, as codes",
        ("AnalyseConditions", "Tags") => "Cost allocation tags to filter by",
        ("DescribeCostSummaryByResourceRequest", "Conditions") => {
            "Filters; only the resource keyword, projects, regions, billing modes and products are honoured"
        }
        ("DescribeCostSummaryByResourceRequest", "NeedConditionValue") => {
            "Whether to also return the values each filter can take"
        }
        ("DescribeCostSummaryByResourceResponse", "ConditionValue") => {
            "The values each filter can take, when asked for"
        }
        ("DescribeCostSummaryByProductResponse", "Data") => "The consumption rows, one per product",
        ("DescribeCostSummaryByProjectResponse", "Data") => "The consumption rows, one per project",
        ("DescribeCostSummaryByRegionResponse", "Data") => "The consumption rows, one per region",
        ("DescribeCostSummaryByResourceResponse", "Data") => "The consumption rows, one per resource",
        (
            "DescribeCostSummaryByProductResponse"
            | "DescribeCostSummaryByProjectResponse"
            | "DescribeCostSummaryByRegionResponse"
            | "DescribeCostSummaryByResourceResponse",
            "Total",
        ) => "The consumption summed over every row",
        ("Conditions", "TimeRange") => "How many recent months to cover",
        ("Conditions", "ResourceKeyword") => "A resource ID or name, matched partially",
        ("Conditions", "HideFreeCost") => "Whether to leave out transactions of zero amount",
        ("Conditions", "OrderByCost") => "The direction to sort by cost",
        ("Conditions", "BillIds") => "Transaction IDs to filter by",
        ("Conditions", "FileIds") => "File IDs to filter by",
        ("Conditions", "FileTypes") => "File types to filter by",
        ("Conditions", "ProjectId") => "Only resources of this project, by ID",
        ("Conditions", "RegionId") => "Only resources in this region, by ID",
        ("Conditions", "BusinessCode") => "Only this product, by code",
        ("Conditions", "PayMode") => "Only this billing mode",
        ("ApplicableProducts", "PayMode") => "The billing mode the voucher applies to",
        ("ExcludedProducts", "PayMode") => "The billing mode the voucher does not apply to",
        ("VoucherInfos", "PayMode") => "The billing mode the voucher applies to",
        ("DescribeVoucherInfoRequest", "PayMode") => "Only vouchers for this billing mode",
        ("BudgetConditionsForm", "PayMode") => "The billing mode the budget covers",
        ("Conditions", "Status") => "A status to filter by (Tencent documents no values)",
        ("Conditions" | "AnalyseConditions", "ProjectIds") => "Projects to filter by, by ID",
        ("Conditions" | "AnalyseConditions", "RegionIds") => "Regions to filter by, by ID",
        // Fund transactions (DescribeBillList).
        ("DescribeBillListResponse", "TransactionList") => "The fund transactions, one page",
        ("DescribeBillListResponse", "DeductAmount") => "The total charged over the period",
        ("DescribeBillListResponse", "RechargeAmount") => "The total topped up over the period",
        ("DescribeBillListResponse", "ReturnAmount") => "The total refunded over the period",
        ("DescribeBillListResponse", "BlockAmount") => "The total frozen over the period",
        ("DescribeBillListResponse", "UnblockAmount") => "The total unfrozen over the period",
        ("DescribeBillListResponse", "AgentInAmount") => "The total transferred in over the period",
        ("DescribeBillListResponse", "AgentOutAmount") => "The total transferred out over the period",
        ("DescribeBillListResponse", "AdvanceRechargeAmount") => "The total advanced to the account over the period",
        ("DescribeBillListResponse", "AdvancePayAmount") => "The total paid back on advances over the period",
        ("DescribeBillListResponse", "WithdrawAmount") => "The total withdrawn over the period",
        ("DescribeBillListRequest", "WithZeroAmount") => "Whether to include transactions of zero amount",
        ("DescribeBillListRequest", "SubPayType") => "The kind of transaction within `pay_type`",
        ("BillTransactionInfo", "BillId") => "The fund transaction's serial number",
        ("BillTransactionInfo", "Amount") => "How much moved: positive into the account, negative out of it",
        ("BillTransactionInfo", "Balance") => "The available balance after the transaction",
        ("BillTransactionInfo", "Cash") => "The cash account balance after the transaction",
        ("BillTransactionInfo", "Incentive") => "The gift (incentive) balance after the transaction",
        ("BillTransactionInfo", "Freezing") => "The frozen balance after the transaction",
        ("BillTransactionInfo", "DeductMode") => "How the charge was settled",
        ("BillTransactionInfo", "OperationInfo") => "A description of the transaction",
        ("BillTransactionInfo", "OperationTime") => "When the transaction happened",
        ("BillTransactionInfo", "PayChannel") => "The channel the money moved through",
        // Orders, instances, payment.
        ("DescribeDealsByCondRequest", "Status") => "Only orders in this state (default 4, delivered)",
        ("DescribeDealsByCondRequest", "StatusSet") => "Only orders in any of these states (values as for `status`)",
        ("DescribeDealsByCondResponse", "Deals") => "The orders found, one page",
        ("Deal", "Status") => "The order's state",
        ("Deal", "Action") => "What the order does: buy, renew, change the configuration, refund, ...",
        ("Deal", "OrderId") => "The ID of this sub-order; `big_deal_id` groups several",
        ("Deal", "Creator") => "The account that created the order",
        ("Deal", "Payer") => "The account that paid for the order",
        ("Deal", "Policy") => "The discount rate applied",
        ("Deal", "Price") => "The order's unit price",
        ("Deal", "ProductInfo") => "The product details, as name-value pairs",
        ("Deal", "GoodsCategoryId") => "The ID of the product category",
        ("Deal", "RefReturnDeals") => "The orders the refund concerns",
        ("Deal", "VoucherDecline") => "The part paid with vouchers",
        ("Deal", "Currency") => "The currency of the order's amounts",
        ("ProductInfo", "Name") => "The name of the product detail",
        ("ProductInfo", "Value") => "The value of the product detail",
        ("CreateInstanceRequest", "Parameter") => "The details of the product to buy (its configuration)",
        ("CreateInstanceRequest", "Quantity") => "How many to buy (default 1)",
        ("CreateInstanceRequest", "ProjectId") => "The project to put the new instance in, by ID (default 0)",
        ("CreateInstanceRequest", "RegionCode") => "The region to buy in, by code",
        ("CreateInstanceRequest", "SubProductCode") => "The sub-product to buy, by code",
        ("CreateInstanceResponse", "OrderId") => "The ID of the order placed",
        ("RefundInstanceRequest", "InstanceId") => "The instance to return, by ID",
        ("RenewInstanceRequest", "InstanceId") => "The instance to renew, by ID",
        ("SetRenewalRequest", "InstanceId") => "The instance whose renewal setting changes, by ID (one per call)",
        ("OperateRsp", "InstanceId") => "The instance the operation applied to",
        ("RenewInstance", "InstanceId") => "The instance's ID, as `renew_instance` and `set_renewal` take it",
        ("RenewInstance", "InstanceName") => "The name the user gave the instance in the console; empty when unset",
        ("RenewInstance", "ExpireTime") => "When the instance expires",
        ("RenewInstance", "Status") => "Whether the instance runs normally or is isolated",
        ("RenewInstance", "ProductName") => "The product's display name, e.g. Cloud Virtual Machine",
        ("DescribeRenewInstancesRequest", "ExpireTimeStart") => "Only instances expiring at or after this time",
        ("DescribeRenewInstancesRequest", "ExpireTimeEnd") => "Only instances expiring at or before this time",
        ("DescribeRenewInstancesRequest", "RenewFlagList") => "Only instances with these renewal settings",
        ("DescribeRenewInstancesRequest", "Reverse") => "Sort descending instead of ascending (the default)",
        ("DescribeRenewInstancesResponse", "InstanceList") => "The instances found, one page",
        ("SetRenewalResponse", "InstanceList") => "The instances the change failed for",
        ("PayDealsRequest", "OrderIds") => "The sub-orders to pay, by ID; set this or `big_deal_ids`, not both",
        ("PayDealsResponse", "OrderIds") => "The sub-orders that were paid",
        ("PayDealsResponse", "ResourceIds") => "The resources of the orders that were paid",
        ("PayDealsRequest", "AutoVoucher") => "Whether to apply vouchers automatically",
        ("PayDealsRequest", "VoucherIds") => "The voucher to pay with (only one is supported)",
        ("PayDealsRequest", "AgentPay") => "Who pays for the orders",
        ("PayDealsRequest", "CpsUin") => "The UIN of the referrer, for rebates; leave unset",
        // Vouchers.
        ("DescribeVoucherInfoRequest", "Status") => "Only vouchers in this state",
        ("DescribeVoucherInfoRequest", "ActivityId") => "Only vouchers from this campaign, by ID",
        ("DescribeVoucherInfoRequest", "CodeId") => "Only the voucher issued by this order, by order ID",
        ("DescribeVoucherInfoRequest", "VoucherName") => "Only vouchers with this name",
        ("DescribeVoucherInfoRequest", "VoucherMainType") => "Only vouchers of this main type",
        ("DescribeVoucherInfoRequest", "VoucherSubType") => "Only vouchers of this sub-type",
        ("DescribeVoucherInfoRequest", "SortField") => "The field to sort vouchers by",
        ("DescribeVoucherInfoRequest", "SortOrder") => "The sort direction",
        ("DescribeVoucherInfoRequest", "StartTimeFrom") => "Only vouchers whose validity starts on or after this day",
        ("DescribeVoucherInfoRequest", "StartTimeTo") => "Only vouchers whose validity starts on or before this day",
        ("DescribeVoucherInfoRequest", "EndTimeFrom") => "Only vouchers expiring on or after this day",
        ("DescribeVoucherInfoRequest", "EndTimeTo") => "Only vouchers expiring on or before this day",
        ("DescribeVoucherInfoRequest", "CreateTimeFrom") => "Only vouchers issued on or after this day",
        ("DescribeVoucherInfoRequest", "CreateTimeTo") => "Only vouchers issued on or before this day",
        ("DescribeVoucherInfoRequest", "Lang") => {
            "The language of product names: `zh` (the default) for Chinese, anything else for English"
        }
        ("DescribeVoucherInfoResponse", "VoucherInfos") => "The vouchers found, one page",
        ("DescribeVoucherInfoResponse", "TotalBalance") => "What is left on all the vouchers found",
        ("DescribeVoucherInfoResponse", "Unit") => "The unit of the voucher amounts: `micro`, 1e-8 of a yuan or dollar",
        ("DescribeVoucherUsageDetailsRequest", "VoucherId") => "The voucher whose uses to list, by ID",
        ("DescribeVoucherUsageDetailsResponse", "UsageRecords") => "The voucher's uses, one page",
        ("DescribeVoucherUsageDetailsResponse", "TotalUsedAmount") => "The total paid with the voucher so far",
        ("VoucherInfos", "Status") => "The voucher's state",
        ("VoucherInfos", "NominalValue") => "The voucher's face value",
        ("VoucherInfos", "Balance") => "What is left on the voucher",
        ("VoucherInfos", "ApplicableProducts") => "The products the voucher can pay for",
        ("VoucherInfos", "ExcludedProducts") => "The products the voucher cannot pay for",
        ("VoucherInfos", "PolicyRemark") => "Usage notes or remarks on the voucher's batch",
        ("ApplicableProducts", "GoodsName") => {
            "The products the voucher applies to: all products, or product names joined by commas"
        }
        ("ExcludedProducts", "GoodsName") => "The products the voucher does not apply to",
        ("UsageRecords", "UsedAmount") => "How much of the voucher this use took",
        ("UsageRecords", "UsedTime") => "When the voucher was used",
        ("UsageRecords", "UsageDetails") => "What the voucher paid for, item by item",
        ("UsageRecords", "SeqId") => {
            "The transaction's unique ID: the order name for prepaid ones, the trade number for adjustments and pay-as-you-go"
        }
        ("UsageDetails", "Action") => {
            "The kind of prepaid transaction; only present for prepaid charges in the common scene"
        }
        ("UsageDetails", "CalcUnit") => "The settlement period",
        ("UsageDetails", "ProductName") => "The name of the product the voucher paid for",
        ("UsageDetails", "ProductEnName") => "The English name of the product the voucher paid for",
        ("UsageDetails", "SubProductName") => "Details of the product the voucher paid for",
        ("UsageDetails", "SubProductEnName") => "The English name of the sub-product the voucher paid for",
        ("UsageDetails", "BillingItemCode") => "The code of the billing item the voucher paid for",
        ("UsageDetails", "SubBillingItemCode") => "The code of the billing sub-item the voucher paid for",
        // Usage (dosage) records.
        ("DescribeDosageDetail", "Date") => "The day the usage was recorded",
        ("DescribeDosageDetail", "DosageUnit") => "The unit the usage is measured in",
        ("DescribeDosageDetail", "DeductValue") => "The part of the usage offset by deductions such as resource packs",
        ("DescribeDosageDetail", "RemainValue") => "The deduction left after this usage",
        ("DescribeDosageDetail", "SdkAppId") => "The application (SDKAppID) the usage belongs to",
        ("DescribeDosageDetail", "AttrStr") => "Other details of the record, as key-value pairs",
        ("DescribeDosageDetail", "SheetName") => "The name of the usage template",
        ("DescribeDosageDetail", "BillingItemCode") => "The code of the component type",
        ("DescribeDosageDetail", "BillingItemCodeName") => "The component type's display name",
        ("DescribeDosageDetail", "SubBillingItemCode") => "The code of the component",
        ("DescribeDosageDetail", "SubBillingItemCodeName") => "The component's display name",
        ("DescribeDosageDetailListResponse", "Record") => "The usage records, one page",
        ("DescribeDosageDetailByDateRequest", "Domain") => {
            "The domain to query (CDN); an empty string for other products"
        }
        ("DescribeDosageDetailByDateRequest", "InstanceID") => {
            "The EIP or CLB instance to query; all of them when empty"
        }
        ("DescribeDosageDetailByDateResponse", "DetailSets") => "The usage, one set per domain or instance",
        ("DescribeDosageDetailByDateResponse", "Unit") => "The unit the usage is measured in",
        ("DescribeDosageDetailByDateResponse", "RetCode") => "A result code (0 means success)",
        ("DescribeDosageDetailByDateResponse", "RetMsg") => "A result message",
        ("DescribeDosageCosDetailByDateResponse", "DetailSets") => "The usage records of the bucket",
        ("DetailSet", "Domain") => "The domain the usage is for",
        ("DetailSet", "InstanceID") => "The instance the usage is for",
        ("DetailSet", "DetailPoints") => "The usage, one point per time",
        ("DetailPoint", "Time") => "The time the data point is for",
        ("DetailPoint", "Value") => "The usage at that time",
        ("CosDetailSets", "Unit") => "The unit the billing item's usage is measured in",
        ("CosDetailSets", "BillingItemCodeName") => "The billing item's display name",
        ("CosDetailSets", "SubProductCodeName") => "The sub-product's display name",
        ("DescribeSavingPlanResourceInfoRequest", "CreateStartDate") => {
            "Only savings plans bought on or after this day"
        }
        ("DescribeSavingPlanResourceInfoRequest", "CreateEndDate") => "Only savings plans bought on or before this day",
        // Quoted-product (CPQ) mapping.
        ("DescribeCPQBillingMappingRequest", "BusinessName") => "Only this product, by name",
        ("DescribeCPQBillingMappingRequest", "ProductName") => "Only this sub-product, by name",
        ("DescribeCPQBillingMappingRequest", "ItemName") => "Only this billing component, by name",
        ("DescribeCPQBillingMappingRequest", "ComponentName") => "Only this component type, by name",
        ("DescribeCPQBillingMappingRequest", "CategoryName") => "Only this quoted product, by name",
        ("DescribeCPQBillingMappingRequest", "SpuName") => "Only this quoted sub-product, by name",
        ("DescribeCPQBillingMappingResponse", "ResourceSpuSet") => "The mapping rows, one page",
        ("ResourceSpuSet", "BusinessNameEn") => "The product's English name",
        ("ResourceSpuSet", "BusinessNameZh") => "The product's Chinese name",
        ("ResourceSpuSet", "ProductNameEn") => "The sub-product's English name",
        ("ResourceSpuSet", "ProductNameZh") => "The sub-product's Chinese name",
        ("ResourceSpuSet", "ItemNameEn") => "The billing component's English name",
        ("ResourceSpuSet", "ItemNameZh") => "The billing component's Chinese name",
        ("ResourceSpuSet", "ComponentNameEn") => "The component type's English name",
        ("ResourceSpuSet", "ComponentNameZh") => "The component type's Chinese name",
        ("ResourceSpuSet", "CategoryNameEn") => "The quoted product's English name",
        ("ResourceSpuSet", "CategoryNameZh") => "The quoted product's Chinese name",
        ("ResourceSpuSet", "SpuNameEn") => "The quoted sub-product's English name",
        ("ResourceSpuSet", "SpuNameZh") => "The quoted sub-product's Chinese name",
        // Tags.
        ("CreateAllocationTagRequest", "TagKey") => "The tag key to start using for cost allocation",
        ("DeleteAllocationTagRequest", "TagKey") => "The tag key to stop using for cost allocation",
        ("DescribeTagListRequest", "TagKey") => "Part of a tag key to search for",
        ("DescribeTagListRequest", "Status") => "Only tag keys of this kind; every kind when unset",
        ("DescribeTagListRequest", "OrderType") => "The sort direction",
        ("DescribeTagListResponse", "Data") => "The tag keys found, one page",
        ("TagDataInfo", "TagKey") => "The tag key, as set on resources",
        ("TagDataInfo", "Status") => "Whether the tag key is used for cost allocation",
        // Organizations.
        ("DescribeOrgMemberAccountBalanceRequest", "MemberUins") => {
            "Only these member accounts (at most 10, digits only); every member when empty"
        }
        ("DescribeOrgMemberAccountBalanceResponse", "Data") => "The balances, one per member account",
        ("DescribeOrgMemberAccountBalanceData", "MemberUin") => "The member account's UIN",
        ("DescribeOrgMemberAccountBalanceData", "MemberName") => "The member account's display name",
        ("DescribeOrgMemberAccountBalanceData", "IsCreditAccount") => "Whether the member account runs on credit",
        ("DescribeOrgMemberAccountBalanceData", "BasicCreditAmount") => "The member account's basic credit limit",
        ("JsonObject", "Key") => "The key of the pair",
        ("JsonObject", "Value") => "The value of the pair",
        _ => return None,
    })
}

/// Objects that list the values a filter can take (what a later query may filter by).
const FILTER_VALUE_OBJECTS: &[&str] = &[
    "AnalyseConditionDetail",
    "ConsumptionResourceSummaryConditionValue",
    "DescribeAllocateConditionsResponse",
    "DescribeAllocationBillConditionsResponse",
];

/// The phrase of a field in an object of [`FILTER_VALUE_OBJECTS`].
fn filter_values(wire: &str) -> Option<&'static str> {
    Some(match wire {
        "Business" => "The products there are to filter by",
        "Product" => "The sub-products there are to filter by",
        "Item" => "The billing components there are to filter by, by name",
        "Component" => "The component types there are to filter by",
        "Region" => "The regions there are to filter by",
        "Zone" => "The availability zones there are to filter by",
        "PayMode" => "The billing modes there are to filter by",
        "Project" => "The projects there are to filter by",
        "OwnerUin" => "The using accounts there are to filter by",
        "ActionType" => "The transaction types there are to filter by",
        "Amount" => "The fee types there are to filter by",
        "TagKey" => "The cost allocation tag keys there are to filter by",
        "AllocationTreeNode" => "The allocation units there are to filter by",
        _ => return None,
    })
}

/// Phrases for request fields (filters and inputs) where the shared phrase reads as an answer.
fn request_glossary(wire: &str) -> Option<&'static str> {
    Some(match wire {
        "ProjectId" => "Only resources of this project, by ID",
        "ProjectIds" => "Only resources of these projects, by ID",
        "RegionId" => "Only resources in this region, by ID",
        "RegionIds" => "Only resources in these regions, by ID",
        "OrderId" => "Only this sub-order, by ID",
        "TagKey" => "Only resources with this cost allocation tag key",
        "TagValue" => {
            "Only resources with this value for the tag key; empty for those that have the key without a value"
        }
        "InstanceId" => "The instance to act on, by ID",
        "RegionCode" => "The region of the instance, by code",
        "SubProductCode" => "The sub-product of the instance, by code",
        "VoucherId" => "Only this voucher, by ID",
        "BudgetId" => "The budget to act on, by ID",
        "RuleId" => "The rule to act on, by ID",
        "Id" => "The item to act on, by ID",
        _ => return None,
    })
}

/// The meaning of each documented value of a field that is not an enum, where the docs define
/// them: `1 unpaid, 2 paid` (numbers) or `` `0` not gathered, `1` ... `` (strings).
fn value_meanings(object: &str, wire: &str) -> Option<&'static str> {
    Some(match (object, wire) {
        (_, "NeedRecordNum") => "1 yes, 0 no",
        ("DescribeBillDownloadUrlResponse", "Ready") => "0 the file is still being generated, 1 the file is ready",
        (_, "Ready") => "0 still being prepared, 1 ready",
        (_, "Open") => "1 on, 0 off",
        ("DescribeCostExplorerSummaryRequest", "NeedConditionValue") => "`1` yes, `0` no (the default)",
        ("DescribeCostSummaryByResourceRequest", "NeedConditionValue") => "1 yes, 0 no (the default)",
        ("DescribeCostExplorerSummaryRequest", "BillType") => "`1` the cost bill, `2` the consumption bill",
        ("PayDealsRequest", "AutoVoucher") => "1 yes, 0 no (the default)",
        ("CreateInstanceRequest", "PayMode") => "`PrePay` prepaid, the only mode",
        ("PayDealsRequest", "AgentPay") => {
            "0 the account pays for itself (the default), 1 a reseller pays for it, 3 a group agent pays, 4 a reseller pays through a product-level order placed for the customer"
        }
        ("Conditions", "HideFreeCost") => "0 keep them, 1 leave them out",
        ("Conditions", "TimeRange") => "6 six months, 12 twelve months",
        ("BudgetExtend", "MoneyStatus") => "1 within the budget, 2 over the budget",
        ("DescribeBillListRequest", "WithZeroAmount") => "0 leave them out (the default), 1 include them",
        ("DescribeTagListRequest" | "TagDataInfo", "Status") => "0 an ordinary tag, 1 a cost allocation tag",
        ("AllocationOverviewNode", "Symbol") => {
            "0 no rules, 1 both collection and cost-sharing rules, 2 collection rules only, 3 cost-sharing rules only"
        }
        (
            "DescribeAllocationRuleDetailResponse"
            | "DescribeAllocationRuleSummaryRequest"
            | "ModifyAllocationRuleRequest"
            | "AllocationRuleOverview"
            | "AllocationRulesSummary",
            "Type",
        ) => "1 custom shares, 2 equal shares, 3 shares in proportion",
        ("AllocationDetail", "AllocationType") => "0 shared by a rule, 1 gathered, 2 not allocated",
        (_, "AllocationType") => "0 shared by a rule, 1 gathered, -1 not allocated",
        ("GatherResourceSummary", "EffectiveMode") => {
            "`0` not gathered; `1` matched a collection rule; `2` assigned by hand, not yet in effect; `3` assigned by hand, in effect"
        }
        ("Deal", "Status") => {
            "1 awaiting payment, 2 paid, 3 being delivered, 4 delivered, 5 delivery failed, 6 refunded, 7 closed, 8 expired, 9 invalidated, 10 product invalidated, 11 payment on its behalf refused, 12 payment in progress"
        }
        ("DescribeDealsByCondRequest", "Status") => {
            "1 awaiting payment, 2 paid, 3 being delivered, 4 delivered (successful), 5 delivery failed, 6 refunded, 7 cancelled, 8 expired, 9 invalidated, 10 product invalidated, 11 payment on its behalf refused, 12 payment in progress, 13 refund in progress, 30 marketplace order awaiting the buyer's confirmation"
        }
        ("DescribeDosageDetailByDateRequest", "ProductCode") => {
            "`10194` interactive live streaming, core rooms; `10195` interactive live streaming, edge rooms; `102383` CDN static acceleration traffic, mainland China; `102384` CDN static acceleration bandwidth, mainland China; `102385` CDN static acceleration traffic, outside mainland China; `102386` CDN static acceleration bandwidth, outside mainland China; `100967` EIP billed by traffic; `101065` public CLB billed by traffic; `10226` live streaming traffic, mainland China; `10227` live streaming bandwidth, mainland China; `100763` live streaming traffic, outside mainland China; `100762` live streaming bandwidth, outside mainland China"
        }
        _ => return None,
    })
}

/// The meaning of one value of a generated enum.
pub fn variant_doc(enum_name: &str, value: &str) -> Option<&'static str> {
    Some(match (enum_name, value) {
        ("AdjustType", "manualAdjustment") => "a bill adjusted by hand",
        ("AdjustType", "supplementarySettlement") => "a settlement added afterwards",
        ("AdjustType", "reSettlement") => "a settlement done again",
        ("AlarmType", "BUDGET") => "the budget threshold was reached",
        ("AlarmType", "WAVE") => "the cost changed more than allowed",
        ("AllocationDetailSort" | "GatherSort", "RiTimeSpan") => "the duration covered by reserved instances",
        ("AllocationDetailSort", "ExtendPayAmount1") => "the list price of the duration reserved instances covered",
        ("AllocationDetailSort" | "GatherSort", "RealCost" | "realCost") => "the cost after discounts",
        ("AllocationDetailSort" | "GatherSort", "CashPayAmount" | "cashPayAmount") => "the part paid in cash",
        ("AllocationDetailSort" | "GatherSort", "VoucherPayAmount" | "voucherPayAmount") => {
            "the part paid with vouchers"
        }
        ("AllocationDetailSort" | "GatherSort", "IncentivePayAmount" | "incentivePayAmount") => {
            "the part paid from gift credit"
        }
        ("AllocationDetailSort" | "GatherSort", "TransferPayAmount" | "transferPayAmount") => {
            "the part paid from shared credit"
        }
        ("AllocationDetailSort", "Cost") => "the component's list price",
        ("AllocationSort", "GatherCashPayAmount") => "gathered cost, cash part",
        ("AllocationSort", "GatherVoucherPayAmount") => "gathered cost, voucher part",
        ("AllocationSort", "GatherIncentivePayAmount") => "gathered cost, gift credit part",
        ("AllocationSort", "GatherTransferPayAmount") => "gathered cost, shared credit part",
        ("AllocationSort", "AllocateCashPayAmount") => "shared-out cost, cash part",
        ("AllocationSort", "AllocateVoucherPayAmount") => "shared-out cost, voucher part",
        ("AllocationSort", "AllocateIncentivePayAmount") => "shared-out cost, gift credit part",
        ("AllocationSort", "AllocateTransferPayAmount") => "shared-out cost, shared credit part",
        ("AllocationSort", "TotalCashPayAmount") => "total cost, cash part",
        ("AllocationSort", "TotalVoucherPayAmount") => "total cost, voucher part",
        ("AllocationSort", "TotalIncentivePayAmount") => "total cost, gift credit part",
        ("AllocationSort", "TotalTransferPayAmount") => "total cost, shared credit part",
        ("AllocationSort", "GatherRealCost") => "gathered cost after discounts",
        ("AllocationSort", "AllocateRealCost") => "shared-out cost after discounts",
        ("AllocationSort", "RealTotalCost") => "total cost after discounts",
        ("AllocationSort", "Ratio") => "share of the total cost after discounts",
        ("AllocationSort", "BusinessCode") => "the product code",
        ("AllocationSort", "Trend") => "the change from the previous month",
        ("AnalyseFeeType", "cashPayAmount") => "cash",
        ("AnalyseFeeType", "incentivePayAmount") => "gift credit",
        ("AnalyseFeeType", "voucherPayAmount") => "vouchers",
        ("AnalyseFeeType", "transferPayAmount") => "shared credit",
        ("AnalyseFeeType", "tax") => "tax",
        ("AnalyseFeeType", "amountBeforeTax") => "cash paid before tax",
        ("BillActionTypeCode", "prepay_purchase") => "a new monthly or yearly subscription",
        ("BillActionTypeCode", "prepay_renew") => "a subscription renewal",
        ("BillActionTypeCode", "prepay_modify") => "a subscription configuration change",
        ("BillActionTypeCode", "prepay_return") => "a subscription refund",
        ("BillActionTypeCode", "postpay_deduct_h") => "pay-as-you-go, settled hourly",
        ("BillActionTypeCode", "postpay_deduct_d") => "pay-as-you-go, settled daily",
        ("BillActionTypeCode", "postpay_deduct_m") => "pay-as-you-go, settled monthly",
        ("BillActionTypeCode", "offline_deduct") => "a charge for an offline project",
        ("BillActionTypeCode", "online_deduct") => "a charge for an offline product",
        ("BillActionTypeCode", "recon_deduct") => "a charge made by a bill adjustment",
        ("BillActionTypeCode", "recon_increase") => "a compensation made by a bill adjustment",
        ("BillActionTypeCode", "postpay_deduct_s") => "a spot instance, settled hourly",
        ("BillActionTypeCode", "recon_increase_f") => "a compensation made by an offline project adjustment",
        ("BillActionTypeCode", "pre_to_post") => "a subscription switched to pay-as-you-go",
        ("BillActionTypeCode", "svp_hour_pay") => "the hourly fee of a savings plan",
        ("BillActionTypeCode", "recon_guarantee") => "a charge for a minimum commitment",
        ("BillActionTypeCode", "billVirtualId") => "the monthly rounding difference",
        ("BillFileType", "billOverview") => "the L0 bill, as PDF",
        ("BillFileType", "billSummary") => "the L1 summary bill",
        ("BillFileType", "billResource") => "the L2 bill per resource",
        ("BillFileType", "billDetail") => "the L3 detailed bill",
        ("BillFileType", "billPack") => "the bill package",
        ("BillPeriodType", "byUsedTime") => "by when the usage happened (the billing period)",
        ("BillPeriodType", "byPayTime") => "by when the charge was deducted",
        ("BudgetBillType", "BILL") => "the system (cost) bill",
        ("BudgetBillType", "CONSUMPTION") => "the consumption bill",
        ("BudgetDimension", "COST") => "cost",
        ("BudgetDimension", "USAGE") => "usage",
        ("BudgetDimension", "RI") => "reserved instances",
        ("BudgetDimension", "SP") => "savings plans",
        ("BudgetFeeType", "COST") => "the cost at list price",
        ("BudgetFeeType", "REAL_COST") => "the actual cost after discounts",
        ("BudgetFeeType", "CASH") => "cash",
        ("BudgetFeeType", "INCENTIVE") => "gift credit",
        ("BudgetFeeType", "VOUCHER") => "vouchers",
        ("BudgetFeeType", "TRANSFER") => "shared credit",
        ("BudgetFeeType", "TAX") => "tax",
        ("BudgetFeeType", "AMOUNT_BEFORE_TAX") => "cash paid before tax",
        ("BudgetLogAction", "ADD") => "created",
        ("BudgetLogAction", "UPDATE") => "changed",
        ("BudgetLogAction", "DELETE") => "deleted",
        ("BudgetStatus", "EXPIRED") => "expired",
        ("BudgetStatus", "ACTIVE") => "in effect",
        ("BudgetStatus", "UNACTIVATED") => "no longer in effect",
        ("BudgetStatus", "ACTIVATED") => "waiting to take effect",
        ("CalType", "PERCENTAGE") => "a percentage of the budget amount",
        ("CalType", "ABS") => "a fixed amount",
        ("Connectors", "and") => "every child condition must hold",
        ("Connectors", "or") => "any child condition may hold",
        ("CostExplorerDimension", "default") => "no grouping, totals only",
        ("CostExplorerDimension", "feeType") => "by fee type",
        ("CostExplorerDimension", "billType") => "by bill type",
        ("CostExplorerDimension", "business") => "by product",
        ("CostExplorerDimension", "product") => "by sub-product",
        ("CostExplorerDimension", "region") => "by region",
        ("CostExplorerDimension", "zone") => "by availability zone",
        ("CostExplorerDimension", "actionType") => "by transaction type",
        ("CostExplorerDimension", "payMode") => "by billing mode",
        ("CostExplorerDimension", "tags") => "by tag",
        ("CostExplorerDimension", "project") => "by project",
        ("CostExplorerDimension", "payerUin") => "by paying account",
        ("CostExplorerDimension", "ownerUin") => "by using account",
        ("CostExplorerFeeType", "cost") => "the total cost after discounts",
        ("CostExplorerFeeType", "totalCost") => "the cost at list price",
        ("CycleType", "DAY") => "daily",
        ("CycleType", "MONTH") => "monthly",
        ("CycleType", "QUARTER") => "quarterly",
        ("CycleType", "YEAR") => "yearly",
        ("DealAction", "modifyNetworkMode") => "a change of bandwidth billing mode",
        ("DealAction", "modifyNetworkSize") => "a change of bandwidth size",
        ("DealAction", "refund") => "a refund",
        ("DealAction", "downgrade") => "a configuration downgrade",
        ("DealAction", "upgrade") => "a configuration upgrade",
        ("DealAction", "renew") => "a renewal",
        ("DealAction", "purchase") => "a purchase",
        ("DealAction", "preMoveOut") => "a subscription resource moved out",
        ("DealAction", "preMoveIn") => "a subscription resource moved in",
        ("DealAction", "preToPost") => "a subscription switched to pay-as-you-go",
        ("DealAction", "postMoveOut") => "a pay-as-you-go resource moved out",
        ("DealAction", "postMoveIn") => "a pay-as-you-go resource moved in",
        ("DeductMode", "trade") => "a monthly or yearly subscription (prepaid)",
        ("DeductMode", "hourh") => "pay-as-you-go, settled hourly",
        ("DeductMode", "hourd") => "pay-as-you-go, settled daily",
        ("DeductMode", "hourm") | ("DeductMode", "month") => "pay-as-you-go, settled monthly",
        ("DosageProductCode", "p_ccc") => "Cloud Contact Center",
        ("DosageProductCode", "p_rav") => "Real-Time Audio and Video",
        ("DosageProductCode", "p_pstn") => "number protection",
        ("DosageProductCode", "p_smh") => "Smart Media Hosting",
        ("DosageProductCode", "p_coding_devops") => "CODING DevOps",
        ("DosageProductCode", "p_dsa") => "Global IP Application Acceleration",
        ("DosageType", "minute") => "summed per 5 minutes",
        ("DosageType", "hour") => "summed per hour",
        ("DosageType", "day") => "summed per day",
        ("DosageType", "month") => "summed per month",
        ("DosageType", "comm") => "other",
        ("GatherType", "all") => "every resource",
        ("GatherType", "none") => "resources not gathered into any unit",
        ("GatherType", "allocation") => "resources whose cost a rule shares out",
        ("GatherType", "gather") => "resources gathered into a unit",
        ("GroupType", "business") => "by product",
        ("GroupType", "project") => "by project",
        ("GroupType", "region") => "by region",
        ("GroupType", "payMode") => "by billing mode",
        ("GroupType", "tag") => "by the values of a tag key (set `tag_key`)",
        ("HasForecast", "NO_FORECAST") => "no forecast set up",
        ("HasForecast", "FORECAST_NO_DATA") => "a forecast is set up but has no data yet",
        ("HasForecast", "FORECAST_HAS_DATA") => "a forecast is set up and has data",
        ("InstanceStatus", "NORMAL") => "running normally",
        ("InstanceStatus", "ISOLATED") => "isolated",
        ("MetaType", "chain") => "the previous period (period over period)",
        ("MetaType", "yoy") => "the same period one cycle earlier (year over year)",
        ("MetaType", "fix") => "a fixed value",
        ("NoticeWay", "TITLE") => "the message center",
        ("NoticeWay", "SITE") => "an in-console message",
        ("NoticeWay", "EMAIL") => "email",
        ("NoticeWay", "SMS") => "text message",
        ("NoticeWay", "WECHAT") => "WeChat",
        ("NoticeWay", "VOICE") => "a voice call",
        ("NoticeWay", "QYWX") => "WeCom (WeChat Work)",
        ("OperationChannel", "CONSOLE") => "in the console",
        ("OperationChannel", "API") => "through the API",
        ("Operator", "in") => "the value is one of those listed",
        ("Operator", "not in") => "the value is none of those listed",
        ("PayMode", "prePay") => "prepaid: a monthly or yearly subscription",
        ("PayMode", "postPay") => "pay-as-you-go",
        ("PayMode", "riPay") => "reserved instance",
        ("PayMode", "*") => "any billing mode",
        ("PeriodType", "month") => "per month",
        ("PeriodType", "day") => "per day",
        ("PeriodType", "weekday") => "per day of the week",
        ("PeriodUnit", "m") => "months",
        ("PeriodUnit", "y") => "years",
        ("PlanType", "FIX") => "one fixed amount for every period",
        ("PlanType", "CYCLE") => "a planned amount per period",
        ("ReceiverType", "UIN") => "the account itself (the default)",
        ("ReceiverType", "USER") => "chosen users",
        ("ReceiverType", "GROUP") => "chosen user groups",
        ("RenewFlag", "NOTIFY_AND_MANUAL_RENEW") => "notify before expiry, renew by hand",
        ("RenewFlag", "NOTIFY_AND_AUTO_RENEW") => "notify before expiry and renew automatically",
        ("RenewFlag", "DISABLE_NOTIFY_AND_MANUAL_RENEW") => "do not renew at expiry",
        ("RuleKey", "ownerUin") => "the UIN of the account using the resource",
        ("RuleKey", "operateUin") => "the UIN of the account that operated the resource",
        ("RuleKey", "businessCode") => "the product code (first level)",
        ("RuleKey", "productCode") => "the sub-product code (second level)",
        ("RuleKey", "itemCode") => "the billing item code (fourth level)",
        ("RuleKey", "projectId") => "the project ID",
        ("RuleKey", "regionId") => "the region ID",
        ("RuleKey", "resourceId") => "the resource ID",
        ("RuleKey", "tag") => "a tag key-value pair",
        ("RuleKey", "payMode") => "the billing mode",
        ("RuleKey", "instanceType") => "the instance type",
        ("RuleKey", "actionType") => "the transaction type",
        ("SortField", "BeginTime") => "when the voucher becomes valid",
        ("SortField", "EndTime") => "when the voucher expires",
        ("SortField", "CreateTime") => "when the voucher was issued",
        ("SortOrder", "desc") => "descending",
        ("SortOrder", "asc") => "ascending",
        ("SummaryPayType", "consume") => "consumption",
        ("SummaryPayType", "refund") => "refunds",
        ("SummaryPayType", "adjustment") => "bill adjustments",
        ("TemplateType", "CUS") => "a custom budget",
        ("TemplateType", "ZERO_COST") => "the zero-spend budget template",
        ("TemplateType", "BY_MONTH") => "the monthly cost budget template",
        ("TransactionPayType", "all") => "every kind",
        ("TransactionPayType", "recharge") => "a top-up",
        ("TransactionPayType", "return") => "a refund",
        ("TransactionPayType", "unblock") => "an unfreeze",
        ("TransactionPayType", "agentin") => "funds transferred in",
        ("TransactionPayType", "advanced") => "an advance",
        ("TransactionPayType", "cash") => "a withdrawal",
        ("TransactionPayType", "deduct") => "a charge",
        ("TransactionPayType", "block") => "a freeze",
        ("TransactionPayType", "agentout") => "funds transferred out",
        ("TransactionPayType", "repay") => "an advance paid back",
        ("TransactionPayType", "repayment") => "a repayment (international credit accounts only)",
        ("TransactionPayType", "adj_refund") => "an upward adjustment (international credit accounts only)",
        ("TransactionPayType", "adj_deduct") => "a downward adjustment (international credit accounts only)",
        ("TransactionSubPayType", "all") => "every kind of charge",
        ("TransactionSubPayType", "trade") => "a prepaid payment (charges) or a prepaid refund (refunds)",
        ("TransactionSubPayType", "hour_h") => "pay-as-you-go, settled hourly (charges)",
        ("TransactionSubPayType", "hour_d") => "pay-as-you-go, settled daily (charges)",
        ("TransactionSubPayType", "hour_m") => "pay-as-you-go, settled monthly (charges)",
        ("TransactionSubPayType", "decompensate") => "a charge made by a bill adjustment (charges)",
        ("TransactionSubPayType", "other") => "by a third party (charges, freezes, unfreezes)",
        ("TransactionSubPayType", "panshi") => {
            "an offline project (charges), gift credit cleared (withdrawals) or an advance paid back (repay)"
        }
        ("TransactionSubPayType", "offline") => "offline (charges for offline products, top-ups, withdrawals)",
        ("TransactionSubPayType", "online") => "online (top-ups, withdrawals)",
        ("TransactionSubPayType", "bank-enterprice") => "a top-up through a direct bank-enterprise link",
        ("TransactionSubPayType", "transfer") => "a top-up from revenue sharing",
        ("TransactionSubPayType", "advanced") => "a top-up by advance",
        ("TransactionSubPayType", "hour") => "pay-as-you-go (freezes, unfreezes)",
        ("TransactionSubPayType", "month") => "monthly (freezes, unfreezes)",
        ("TransactionSubPayType", "compensate") => "a compensation made by a bill adjustment (refunds)",
        ("TransactionType", "deduct") => "a charge",
        ("TransactionType", "recharge") => "a top-up",
        ("TransactionType", "return") => "a refund",
        ("TransactionType", "block") => "a freeze",
        ("TransactionType", "unblock") => "an unfreeze",
        ("TrendType", "upward") => "up",
        ("TrendType", "downward") => "down",
        ("TrendType", "none") => "unchanged",
        ("UsagePayScene", "adjust") => "a bill adjustment",
        ("UsagePayScene", "common") => "an ordinary transaction",
        ("VoucherMainType", "has_price") => "a cash voucher that has a price",
        ("VoucherMainType", "no_price") => "a voucher without a price",
        ("VoucherPayScene", "spotpay") => "spot instances (pay-as-you-go)",
        ("VoucherPayScene", "settle account") => "ordinary pay-as-you-go",
        ("VoucherPayScene", "purchase") => "a new subscription",
        ("VoucherPayScene", "renew") => "a subscription renewal, automatic ones included",
        ("VoucherPayScene", "modify") => "a subscription configuration change",
        ("VoucherPayScene", "oneOffFee") => "the upfront payment of a reserved instance",
        ("VoucherPayScene", "hourlyFee") => "the hourly fee of a reserved instance",
        ("VoucherPayScene", "*") => "every payment scene",
        ("VoucherStatus", "unUsed") => "not used yet",
        ("VoucherStatus", "used") => "used up",
        ("VoucherStatus", "delivered") => "delivered",
        ("VoucherStatus", "cancel") => "voided",
        ("VoucherStatus", "overdue") => "expired",
        ("VoucherSubType", "discount") => "a discount voucher",
        ("VoucherSubType", "deduct") => "a deduction voucher",
        ("WarnType", "ACTUAL") => "the actual cost",
        ("WarnType", "FORECAST") => "the forecast cost",
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

/// The phrase a field's doc starts with (no trailing period, no unit or site notes).
pub fn field_phrase(owner: &str, f: &FieldSpec, paging: Option<(&ActionSpec, &str)>) -> String {
    let style = paging.and_then(|(a, _)| a.paging.as_ref().map(|p| p.style.as_str()));
    let mut first = match (style, paging.map(|(_, role)| role)) {
        (Some("offset_records"), Some("offset")) => "The offset of the first record to return".to_owned(),
        (Some("offset_page0"), Some("offset")) => "The page to return, counted from 0".to_owned(),
        (Some("offset_page1" | "page_no" | "page_number"), Some("offset")) => {
            "The page to return, counted from 1".to_owned()
        }
        (_, Some("size")) => "How many records per page".to_owned(),
        _ => field_override(owner, &f.wire)
            .or_else(|| if FILTER_VALUE_OBJECTS.contains(&owner) { filter_values(&f.wire) } else { None })
            .or_else(|| if owner.ends_with("Request") { request_glossary(&f.wire) } else { None })
            .or_else(|| glossary(&f.wire))
            .map_or_else(|| humanize(&f.wire), str::to_owned),
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
    first
}

/// How a documented value is written in a `Values:` line: `3` for numbers, `` `3` `` for strings.
fn value_token(v: &serde_json::Value) -> String {
    match v.as_str() {
        Some(s) => format!("`{s}`"),
        None => v.to_string(),
    }
}

/// The `Values:` text of a field with a documented value set, checked to mention every value.
pub fn values_line(owner: &str, f: &FieldSpec) -> Option<String> {
    let values = f.values.as_ref()?;
    let text = value_meanings(owner, &f.wire)?;
    for v in values.iter().filter(|v| v.as_str() != Some("")) {
        let token = value_token(v);
        let starts = text.starts_with(&format!("{token} "))
            || text.contains(&format!(", {token} "))
            || text.contains(&format!("; {token} "));
        assert!(starts, "{owner}.{}: the value meanings do not explain {token}: {text}", f.wire);
    }
    Some(format!("Values: {text}."))
}

/// Words that say nothing about a field on their own.
const EMPTY_WORDS: &[&str] =
    &["the", "a", "an", "of", "s", "its", "this", "it", "for", "to", "or", "and", "in", "on", "by", "as", "is"];
/// Words that, alone, make a phrase generic ("The records", "The value").
const GENERIC_WORDS: &[&str] = &[
    "record",
    "value",
    "type",
    "status",
    "key",
    "unit",
    "amount",
    "name",
    "detail",
    "info",
    "information",
    "data",
    "list",
    "item",
    "result",
    "time",
    "id",
    "code",
    "set",
    "field",
];

fn content_words(s: &str) -> std::collections::BTreeSet<String> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .filter(|w| !EMPTY_WORDS.contains(&w.as_str()))
        .map(|w| match w.strip_suffix('s') {
            Some(stem) if stem.len() > 2 && !w.ends_with("ss") => stem.to_owned(),
            _ => w,
        })
        .collect()
}

/// Whether a phrase only restates the field's name: its words (in any order, ignoring articles
/// and plurals) are among the name's, or are only generic words such as "value" or "records".
pub fn restates_name(wire: &str, phrase: &str) -> bool {
    let said = content_words(phrase);
    let name = content_words(&humanize(wire));
    said.is_empty() || said.is_subset(&name) || said.iter().all(|w| GENERIC_WORDS.contains(&w.as_str()))
}

/// The doc comment of a field, as lines: the phrase with its unit, sentinel, site and status
/// notes, then the meaning of each documented value when the docs define them.
pub fn field_doc(
    owner: &str,
    owner_sites: &[String],
    f: &FieldSpec,
    ty: &FieldTy,
    paging: Option<(&ActionSpec, &str)>,
) -> Vec<String> {
    let first = field_phrase(owner, f, paging);
    let mut line = format!("{first}.");
    if let Some(u) = unit_note(&ty.ty) {
        line.push(' ');
        line.push_str(u);
    }
    if f.sentinels.iter().any(|s| s == "-") {
        line.push_str(" `None` when Tencent sends `-` (not applicable).");
    }
    // Enums explain their values on the variants.
    let meanings = if matches!(ty.ty, Ty::Enum(_)) { None } else { values_line(owner, f) };
    if let (Some(values), None) = (&f.values, &meanings) {
        // Enums document their values on the variants; others list the bare values.
        if !matches!(ty.ty, Ty::Enum(_)) {
            let vs: Vec<String> = values.iter().filter(|v| v.as_str() != Some("")).map(value_token).collect();
            if !vs.is_empty() {
                line.push_str(&format!(" One of {}.", vs.join(", ")));
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
    let mut lines = vec![line];
    lines.extend(meanings);
    lines
}
