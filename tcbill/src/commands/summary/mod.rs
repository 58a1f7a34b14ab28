//! `tcbill summary`: a month's cost broken down one way, as a table and optionally a chart.

pub mod chart;

use std::io::Write;
use std::path::Path;

use clap::ValueEnum;
use tencentcloud_billing::BillingClient;
use tencentcloud_billing::datetime::YearMonth;
use tencentcloud_billing::money::{Percent, Yuan};

use crate::amounts::{checked_total, money};
use crate::columns;
use crate::error::BoxError;

/// The breakdowns of `summary`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupBy {
    /// By product.
    Product,
    /// By region.
    Region,
    /// By project.
    Project,
    /// By pay mode (subscription or pay-as-you-go).
    PayMode,
    /// By the value of one tag key.
    Tag,
}

/// One line of a summary table.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The display name.
    pub name: String,
    /// Cost after discounts.
    pub cost: Yuan,
    /// The share of the total, when the API says.
    pub share: Option<Percent>,
    /// Paid in cash.
    pub cash: Yuan,
    /// Paid with vouchers.
    pub voucher: Yuan,
}

fn y(v: Option<Yuan>) -> Yuan {
    v.unwrap_or(Yuan::ZERO)
}

/// Fetch a month's breakdown, largest first.
pub async fn fetch_summary(
    client: &BillingClient,
    month: YearMonth,
    by: GroupBy,
    tag_key: Option<&str>,
) -> Result<Vec<Group>, BoxError> {
    macro_rules! groups {
        ($items:expr, $name:expr) => {
            $items
                .iter()
                .map(|i| Group {
                    name: $name(i),
                    cost: y(i.real_total_cost),
                    share: i.real_total_cost_ratio,
                    cash: y(i.cash_pay_amount),
                    voucher: y(i.voucher_pay_amount),
                })
                .collect::<Vec<_>>()
        };
    }
    let text = |a: &Option<String>, b: &Option<String>| {
        a.clone().filter(|s| !s.is_empty()).or_else(|| b.clone()).unwrap_or_else(|| "(unknown)".into())
    };
    let mut groups = match by {
        GroupBy::Product => {
            let r = client.describe_bill_summary_by_product().begin_time(month).end_time(month).send().await?;
            groups!(
                r.summary_overview.unwrap_or_default(),
                |i: &tencentcloud_billing::types::BusinessSummaryOverviewItem| text(
                    &i.business_code_name,
                    &i.business_code
                )
            )
        }
        GroupBy::Region => {
            let r = client.describe_bill_summary_by_region().begin_time(month).end_time(month).send().await?;
            groups!(
                r.summary_overview.unwrap_or_default(),
                |i: &tencentcloud_billing::types::RegionSummaryOverviewItem| text(&i.region_name, &i.region_id)
            )
        }
        GroupBy::Project => {
            let r = client.describe_bill_summary_by_project().begin_time(month).end_time(month).send().await?;
            groups!(
                r.summary_overview.unwrap_or_default(),
                |i: &tencentcloud_billing::types::ProjectSummaryOverviewItem| text(&i.project_name, &i.project_id)
            )
        }
        GroupBy::PayMode => {
            let r = client.describe_bill_summary_by_pay_mode().begin_time(month).end_time(month).send().await?;
            groups!(
                r.summary_overview.unwrap_or_default(),
                |i: &tencentcloud_billing::types::PayModeSummaryOverviewItem| text(&i.pay_mode_name, &i.pay_mode)
            )
        }
        GroupBy::Tag => {
            let key = tag_key.ok_or("--by tag needs --tag-key KEY")?;
            let r = client.describe_bill_summary_by_tag().begin_time(month).end_time(month).tag_key(key).send().await?;
            groups!(
                r.summary_overview.unwrap_or_default(),
                |i: &tencentcloud_billing::types::TagSummaryOverviewItem| i
                    .tag_value
                    .clone()
                    .filter(|v| !v.is_empty())
                    .map_or_else(|| "(untagged)".to_owned(), |v| format!("{key}={v}"))
            )
        }
    };
    groups.sort_by(|a, b| b.cost.cmp(&a.cost).then_with(|| a.name.cmp(&b.name)));
    Ok(groups)
}

/// Print a breakdown as a table with its total.
///
/// # Errors
/// [`AmountOverflow`](crate::amounts::AmountOverflow) when the groups cannot be totalled (checked before anything is written),
/// or the writer's error.
pub fn write_summary(out: &mut dyn Write, month: YearMonth, by: GroupBy, groups: &[Group]) -> Result<(), BoxError> {
    let total = checked_total(groups.iter().map(|g| g.cost), || format!("the cost by {} for {month}", dimension(by)))?;
    // Names pad by display width: Chinese names take two cells a character.
    let width = columns::widest(groups.iter().map(|g| g.name.as_str()), 8);
    writeln!(out, "Cost by {} for {month}, after discounts", dimension(by))?;
    writeln!(
        out,
        "  {}  {:>14}  {:>8}  {:>14}  {:>12}",
        columns::left(dimension(by), width),
        "cost",
        "share",
        "cash",
        "vouchers"
    )?;
    for g in groups {
        let share = g.share.map_or_else(|| "-".to_owned(), |p| format!("{}%", p.value().round_dp(2)));
        writeln!(
            out,
            "  {}  {:>14}  {:>8}  {:>14}  {:>12}",
            columns::left(&g.name, width),
            money(g.cost),
            share,
            money(g.cash),
            money(g.voucher)
        )?;
    }
    writeln!(out, "  {}  {:>14}", columns::left("total", width), money(total))?;
    Ok(())
}

/// The column header of a breakdown.
pub fn dimension(by: GroupBy) -> &'static str {
    match by {
        GroupBy::Product => "product",
        GroupBy::Region => "region",
        GroupBy::Project => "project",
        GroupBy::PayMode => "pay mode",
        GroupBy::Tag => "tag",
    }
}

/// Run `summary`: the table on `out`, the chart (if asked for) to its file.
pub async fn run(
    client: &BillingClient,
    month: YearMonth,
    by: GroupBy,
    tag_key: Option<&str>,
    chart: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), BoxError> {
    let groups = fetch_summary(client, month, by, tag_key).await?;
    write_summary(out, month, by, &groups)?;
    if let Some(path) = chart {
        let title = format!("Cost by {} for {month} (after discounts)", dimension(by));
        chart::render(path, &title, &groups)?;
        eprintln!("tcbill: chart written to {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::amounts::AmountOverflow;
    use crate::amounts::tests::{AT_THE_BOUND, decoded_amount, many_at_the_bound, reference_sum};

    fn group(name: String, cost: Yuan, cash: Yuan, voucher: Yuan) -> Group {
        Group { name, cost, share: None, cash, voucher }
    }

    pub(crate) fn groups() -> impl Strategy<Value = Vec<Group>> {
        prop_oneof![
            prop::collection::vec(
                ("\\PC{0,12}", decoded_amount(), decoded_amount(), decoded_amount())
                    .prop_map(|(n, c, cash, v)| group(n, c, cash, v)),
                0..40
            ),
            many_at_the_bound().prop_map(|costs| {
                costs.into_iter().enumerate().map(|(i, c)| group(format!("g{i}"), c, c, -c)).collect()
            }),
        ]
    }

    #[test]
    fn a_total_past_28_digits_is_an_error_not_a_panic() {
        let at_bound: Yuan = AT_THE_BOUND.parse().unwrap();
        let groups: Vec<Group> = (0..800).map(|i| group(format!("g{i}"), at_bound, at_bound, at_bound)).collect();
        let mut out = Vec::new();
        let month: YearMonth = "2026-10".parse().unwrap();
        let e = write_summary(&mut out, month, GroupBy::Product, &groups).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the cost by product for 2026-10 adds up to more than 28 digits: the amounts cannot be right, so no \
             total is shown"
        );
        assert!(out.is_empty(), "nothing half-written");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn summary_never_panics_on_extreme_amounts(groups in groups()) {
            let month: YearMonth = "2026-10".parse().unwrap();
            let mut out = Vec::new();
            let costs: Vec<Yuan> = groups.iter().map(|g| g.cost).collect();
            match (write_summary(&mut out, month, GroupBy::Region, &groups), reference_sum(&costs)) {
                (Ok(()), Some(sum)) => {
                    let text = String::from_utf8(out).unwrap();
                    let last = text.lines().last().unwrap().split_whitespace().last().unwrap().to_owned();
                    prop_assert_eq!(last, money(Yuan::new(sum)));
                }
                (Err(e), None) => prop_assert!(e.downcast_ref::<AmountOverflow>().is_some(), "{}", e),
                (got, want) => prop_assert!(false, "{:?} but the sum is {:?}", got.map_err(|e| e.to_string()), want),
            }
        }

    }
}
