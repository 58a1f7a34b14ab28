//! Bills as FOCUS rows: the FinOps Open Cost and Usage Specification, version 1.2.
//!
//! FOCUS is the column set that FinOps tools, warehouses and dashboards read without a
//! provider-specific adapter. This module turns the rows of `DescribeBillDetail` (and of
//! `DescribeBillDetailForOrganization`) into [`FocusRow`]s, and writes them as CSV or Parquet.
//!
//! The column-by-column mapping, with the source of every value and the reason wherever a column
//! is null, is in `docs/focus.md`.
//!
//! Amounts stay exact decimals ([`Decimal`]) to the last digit the bill carries; times are UTC.
//!
//! The version targeted is FOCUS 1.2, the one whose rule model the FinOps Foundation's
//! `focus-validator` 2.2.1 bundles. [`FOCUS_VERSION`] names it; the column list ([`COLUMNS`]) is
//! data, so a later version adds columns there and in [`FocusRow`] without changing the writers'
//! shape. A few 1.2 columns are derived by the writers rather than stored in [`FocusRow`]: the
//! `PricingCurrency*` columns repeat the billing currency and amounts (Tencent prices in the
//! currency it bills in), the account types are fixed labels, `x_OwnerAccountID` repeats
//! `SubAccountId`, and the capacity-reservation and `SkuPriceDetails` columns are null.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use crate::money::Decimal;

mod cells;
pub mod csv;
mod error;
mod map;
pub mod parquet;

pub use error::WriteError;
pub use map::{
    FocusMapper, MapError, MapErrorKind, RuleViolation, SUBCATEGORIES, ServiceEntry, TENCENT_CLOUD, check_row,
    focus_unit, is_prepaid, service_category, service_subcategory, service_table,
};

/// `BillingAccountType` of every row: the account that pays, in Tencent's own words.
pub const BILLING_ACCOUNT_TYPE: &str = "Payer Account";
/// `SubAccountType` of every row with a `SubAccountId`: the account that owns the resource.
pub const SUB_ACCOUNT_TYPE: &str = "Owner Account";

/// The FOCUS version the rows follow.
pub const FOCUS_VERSION: &str = "1.2";

/// One FOCUS row: one charge of one resource over one charge period.
///
/// Field names follow the FOCUS column names in snake case; [`COLUMNS`] gives the FOCUS name,
/// the type and the nullability of each, in the order the writers emit them. Columns that FOCUS
/// allows to be null are `Option`s. Columns specific to Tencent Cloud carry the `x_` prefix that
/// FOCUS reserves for provider columns.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct FocusRow {
    /// `AvailabilityZone`.
    pub availability_zone: Option<String>,
    /// `BilledCost`: what the invoice charges for this row.
    pub billed_cost: Decimal,
    /// `BillingAccountId`: the paying account's UIN.
    pub billing_account_id: String,
    /// `BillingAccountName`.
    pub billing_account_name: Option<String>,
    /// `BillingCurrency`: ISO 4217, `CNY` or `USD` by site.
    pub billing_currency: String,
    /// `BillingPeriodEnd` (exclusive).
    pub billing_period_end: Option<OffsetDateTime>,
    /// `BillingPeriodStart` (inclusive).
    pub billing_period_start: Option<OffsetDateTime>,
    /// `ChargeCategory`.
    pub charge_category: ChargeCategory,
    /// `ChargeClass`: `Correction` for a charge that corrects an earlier period, else null.
    pub charge_class: Option<ChargeClass>,
    /// `ChargeDescription`.
    pub charge_description: Option<String>,
    /// `ChargeFrequency`.
    pub charge_frequency: Option<ChargeFrequency>,
    /// `ChargePeriodEnd` (exclusive).
    pub charge_period_end: Option<OffsetDateTime>,
    /// `ChargePeriodStart` (inclusive).
    pub charge_period_start: Option<OffsetDateTime>,
    /// `CommitmentDiscountCategory`.
    pub commitment_discount_category: Option<CommitmentDiscountCategory>,
    /// `CommitmentDiscountId`.
    pub commitment_discount_id: Option<String>,
    /// `CommitmentDiscountName`.
    pub commitment_discount_name: Option<String>,
    /// `CommitmentDiscountStatus`.
    pub commitment_discount_status: Option<CommitmentDiscountStatus>,
    /// `CommitmentDiscountType`.
    pub commitment_discount_type: Option<String>,
    /// `CommitmentDiscountQuantity`: for a savings plan's own fee, the amount committed for the
    /// charge period, in [`commitment_discount_unit`](Self::commitment_discount_unit).
    pub commitment_discount_quantity: Option<Decimal>,
    /// `CommitmentDiscountUnit`: the currency a spend commitment is measured in.
    pub commitment_discount_unit: Option<String>,
    /// `ConsumedQuantity`.
    pub consumed_quantity: Option<Decimal>,
    /// `ConsumedUnit`.
    pub consumed_unit: Option<String>,
    /// `ContractedCost`.
    pub contracted_cost: Decimal,
    /// `ContractedUnitPrice`.
    pub contracted_unit_price: Option<Decimal>,
    /// `EffectiveCost`: the cost after every discount, voucher and deduction, amortised where the
    /// rows allow it.
    pub effective_cost: Decimal,
    /// `InvoiceId`: null, as bill rows name no invoice (see `docs/focus.md`); a caller who knows
    /// the invoice may set it.
    pub invoice_id: Option<String>,
    /// `InvoiceIssuerName`.
    pub invoice_issuer_name: String,
    /// `ListCost`: the cost at list prices.
    pub list_cost: Decimal,
    /// `ListUnitPrice`.
    pub list_unit_price: Option<Decimal>,
    /// `PricingCategory`.
    pub pricing_category: Option<PricingCategory>,
    /// `PricingQuantity`.
    pub pricing_quantity: Option<Decimal>,
    /// `PricingUnit`.
    pub pricing_unit: Option<String>,
    /// `ProviderName`.
    pub provider_name: String,
    /// `PublisherName`.
    pub publisher_name: String,
    /// `RegionId`.
    pub region_id: Option<String>,
    /// `RegionName`.
    pub region_name: Option<String>,
    /// `ResourceId`.
    pub resource_id: Option<String>,
    /// `ResourceName`.
    pub resource_name: Option<String>,
    /// `ResourceType`.
    pub resource_type: Option<String>,
    /// `ServiceCategory`, from the repository's product table.
    pub service_category: ServiceCategory,
    /// `ServiceName`.
    pub service_name: String,
    /// `ServiceSubcategory`, from the repository's subcategory table (`Other (<category>)` for a
    /// product it does not list).
    pub service_subcategory: String,
    /// `SkuId`.
    pub sku_id: Option<String>,
    /// `SkuMeter`: the billing component (`ComponentCodeName`) a SKU meters.
    pub sku_meter: Option<String>,
    /// `SkuPriceId`.
    pub sku_price_id: Option<String>,
    /// `SubAccountId`: the UIN that owns the resource.
    pub sub_account_id: Option<String>,
    /// `SubAccountName`.
    pub sub_account_name: Option<String>,
    /// `Tags`: key to value; written as a JSON object.
    pub tags: BTreeMap<String, String>,
    /// `x_BillId`: Tencent's bill row id, to trace a FOCUS row back to its bill row.
    pub x_bill_id: Option<String>,
    /// `x_ComponentName`: the billing item (`ItemCodeName`), as Tencent's own FOCUS export
    /// names it.
    pub x_component_name: Option<String>,
    /// `x_ComponentType`: the billing component (`ComponentCodeName`).
    pub x_component_type: Option<String>,
    /// `x_ExportTime`: when the export ran (set through [`FocusMapper::export_time`]).
    pub x_export_time: Option<OffsetDateTime>,
    /// `x_ProductCode`: Tencent's product code (the key of the service-category table).
    pub x_product_code: Option<String>,
    /// `x_SubproductName`: the sub-product (`ProductCodeName`).
    pub x_subproduct_name: Option<String>,
}

/// A FOCUS column's type, as the writers need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ColumnType {
    /// An exact decimal amount or quantity.
    Decimal,
    /// A UTC instant.
    DateTime,
    /// A string (including the enumerated columns).
    String,
    /// Key-value tags, as a JSON object.
    Tags,
}

/// One FOCUS column: its name, type and whether it may be null.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Column {
    /// The FOCUS column name, as written in headers and schemas.
    pub name: &'static str,
    /// Its type.
    pub ty: ColumnType,
    /// Whether FOCUS allows null.
    pub nullable: bool,
}

const fn col(name: &'static str, ty: ColumnType, nullable: bool) -> Column {
    Column { name, ty, nullable }
}

/// Every column the writers emit, in order: the FOCUS 1.2 Cost and Usage columns alphabetically,
/// then the provider (`x_`) columns.
pub const COLUMNS: &[Column] = {
    use ColumnType::{DateTime as T, Decimal as D, String as S, Tags};
    &[
        col("AvailabilityZone", S, true),
        col("BilledCost", D, false),
        col("BillingAccountId", S, false),
        col("BillingAccountName", S, true),
        col("BillingAccountType", S, false),
        col("BillingCurrency", S, false),
        col("BillingPeriodEnd", T, false),
        col("BillingPeriodStart", T, false),
        col("CapacityReservationId", S, true),
        col("CapacityReservationStatus", S, true),
        col("ChargeCategory", S, false),
        col("ChargeClass", S, true),
        col("ChargeDescription", S, true),
        col("ChargeFrequency", S, true),
        col("ChargePeriodEnd", T, false),
        col("ChargePeriodStart", T, false),
        col("CommitmentDiscountCategory", S, true),
        col("CommitmentDiscountId", S, true),
        col("CommitmentDiscountName", S, true),
        col("CommitmentDiscountQuantity", D, true),
        col("CommitmentDiscountStatus", S, true),
        col("CommitmentDiscountType", S, true),
        col("CommitmentDiscountUnit", S, true),
        col("ConsumedQuantity", D, true),
        col("ConsumedUnit", S, true),
        col("ContractedCost", D, false),
        col("ContractedUnitPrice", D, true),
        col("EffectiveCost", D, false),
        col("InvoiceId", S, true),
        col("InvoiceIssuerName", S, false),
        col("ListCost", D, false),
        col("ListUnitPrice", D, true),
        col("PricingCategory", S, true),
        col("PricingCurrency", S, false),
        col("PricingCurrencyContractedUnitPrice", D, true),
        col("PricingCurrencyEffectiveCost", D, false),
        col("PricingCurrencyListUnitPrice", D, true),
        col("PricingQuantity", D, true),
        col("PricingUnit", S, true),
        col("ProviderName", S, false),
        col("PublisherName", S, false),
        col("RegionId", S, true),
        col("RegionName", S, true),
        col("ResourceId", S, true),
        col("ResourceName", S, true),
        col("ResourceType", S, true),
        col("ServiceCategory", S, false),
        col("ServiceName", S, false),
        col("ServiceSubcategory", S, false),
        col("SkuId", S, true),
        col("SkuMeter", S, true),
        col("SkuPriceDetails", S, true),
        col("SkuPriceId", S, true),
        col("SubAccountId", S, true),
        col("SubAccountName", S, true),
        col("SubAccountType", S, true),
        col("Tags", Tags, true),
        col("x_BillId", S, true),
        col("x_ComponentName", S, true),
        col("x_ComponentType", S, true),
        col("x_ExportTime", T, true),
        col("x_OwnerAccountID", S, true),
        col("x_ProductCode", S, true),
        col("x_SubproductName", S, true),
    ]
};

macro_rules! focus_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vm])* $variant),+
        }

        impl $name {
            /// Every value, in FOCUS's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as FOCUS spells it.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

focus_enum! {
    /// `ChargeCategory`: what kind of charge a row is.
    ChargeCategory {
        /// A correction or other adjustment not tied to usage or a purchase.
        Adjustment => "Adjustment",
        /// A credit, such as a voucher applied as its own row.
        Credit => "Credit",
        /// A purchase of a prepaid resource or commitment.
        Purchase => "Purchase",
        /// Tax.
        Tax => "Tax",
        /// Pay-as-you-go usage.
        Usage => "Usage",
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from a macro that derives no Default
impl Default for ChargeCategory {
    fn default() -> Self {
        ChargeCategory::Usage
    }
}

focus_enum! {
    /// `ChargeClass`.
    ChargeClass {
        /// The row corrects a charge of an earlier billing period.
        Correction => "Correction",
    }
}

focus_enum! {
    /// `ChargeFrequency`.
    ChargeFrequency {
        /// Charged once (a purchase, a refund).
        OneTime => "One-Time",
        /// Charged on a schedule (a monthly subscription).
        Recurring => "Recurring",
        /// Charged by measured usage.
        UsageBased => "Usage-Based",
    }
}

focus_enum! {
    /// `CommitmentDiscountCategory`.
    CommitmentDiscountCategory {
        /// A commitment to spend an amount.
        Spend => "Spend",
        /// A commitment to use a quantity.
        Usage => "Usage",
    }
}

focus_enum! {
    /// `CommitmentDiscountStatus`.
    CommitmentDiscountStatus {
        /// The commitment covered usage.
        Used => "Used",
        /// The commitment went unused.
        Unused => "Unused",
    }
}

focus_enum! {
    /// `PricingCategory`.
    PricingCategory {
        /// List or negotiated prices.
        Standard => "Standard",
        /// Prices that vary with supply (spot).
        Dynamic => "Dynamic",
        /// Prices under a commitment.
        Committed => "Committed",
        /// Anything else.
        Other => "Other",
    }
}

focus_enum! {
    /// `ServiceCategory`: the FOCUS categories (the same 19 in 1.0, 1.1 and 1.2).
    ServiceCategory {
        /// AI and Machine Learning.
        AiAndMachineLearning => "AI and Machine Learning",
        /// Analytics.
        Analytics => "Analytics",
        /// Business Applications.
        BusinessApplications => "Business Applications",
        /// Compute.
        Compute => "Compute",
        /// Databases.
        Databases => "Databases",
        /// Developer Tools.
        DeveloperTools => "Developer Tools",
        /// Multicloud.
        Multicloud => "Multicloud",
        /// Identity.
        Identity => "Identity",
        /// Integration.
        Integration => "Integration",
        /// Internet of Things.
        InternetOfThings => "Internet of Things",
        /// Management and Governance.
        ManagementAndGovernance => "Management and Governance",
        /// Media.
        Media => "Media",
        /// Migration.
        Migration => "Migration",
        /// Mobile.
        Mobile => "Mobile",
        /// Networking.
        Networking => "Networking",
        /// Security.
        Security => "Security",
        /// Storage.
        Storage => "Storage",
        /// Web.
        Web => "Web",
        /// Other.
        Other => "Other",
    }
}

#[allow(clippy::derivable_impls)] // as above
impl Default for ServiceCategory {
    fn default() -> Self {
        ServiceCategory::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_unique_and_focus_columns_sorted() {
        let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        let focus: Vec<&str> = names.iter().copied().filter(|n| !n.starts_with("x_")).collect();
        let mut sorted = focus.clone();
        sorted.sort_unstable();
        assert_eq!(focus, sorted);
        let mut unique = names.clone();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        assert_eq!(focus.len(), 57, "FOCUS 1.2 Cost and Usage has 57 columns");
    }

    #[test]
    fn enums_spell_as_focus_does() {
        assert_eq!(ChargeFrequency::UsageBased.to_string(), "Usage-Based");
        assert_eq!(ServiceCategory::AiAndMachineLearning.as_str(), "AI and Machine Learning");
        assert_eq!(ServiceCategory::ALL.len(), 19);
    }
}
