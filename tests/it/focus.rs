//! A whole sandbox month through the client, mapped to FOCUS 1.2: every row keeps the FOCUS rules
//! `focus-validator` checks, the rows cover every FOCUS case the demo month holds, and the billed
//! cost per service adds up to the bill summary to the last digit.

use std::collections::{BTreeMap, BTreeSet};

use tencentcloud_billing::Site;
use tencentcloud_billing::datetime::YearMonth;
use tencentcloud_billing::focus::{
    COLUMNS, ChargeCategory, ChargeClass, FocusMapper, FocusRow, ServiceCategory, check_row,
};
use tencentcloud_billing::money::Decimal;
use tencentcloud_billing::sandbox::Sandbox;
use tencentcloud_billing::sandbox::demo::{ACCOUNTS, Demo};

#[tokio::test]
async fn a_sandbox_month_maps_to_valid_focus_rows_that_add_up_to_the_summary() {
    let sandbox = Sandbox::start().await.unwrap();
    let demo = sandbox.install_demo(Demo::new());
    let client = sandbox.client_builder().build().unwrap();
    let month = YearMonth::of(time::OffsetDateTime::from_unix_timestamp(sandbox.now_unix()).unwrap().date()).previous();
    let mut mapper = FocusMapper::new(Site::China, month).billing_account_name("Demo Payer");
    for (uin, name) in ACCOUNTS {
        mapper = mapper.account_name(*uin, *name);
    }

    let mut items = client.describe_bill_detail().month(month).into_paginator().items();
    let (mut details, mut rows) = (Vec::new(), Vec::<FocusRow>::new());
    while let Some(item) = items.next().await {
        let item = item.unwrap();
        rows.extend(mapper.map_detail(&item).unwrap());
        details.push(item);
    }
    let bill_rows = details.len() as u32;
    let figures = demo.month_figures(month);
    assert_eq!(bill_rows, figures.total.bill_rows);
    assert_eq!(bill_rows, 3_000);
    assert_eq!(rows.len() as u64, figures.total.focus_rows);

    // Every row keeps the rules.
    for r in &rows {
        if let Err(broken) = check_row(r) {
            panic!("{broken:?} in {r:#?}");
        }
    }
    assert_eq!(COLUMNS.len(), 64, "the 57 FOCUS 1.2 columns and 7 of Tencent's");

    // The month covers the FOCUS cases: usage, prepaid purchases and their amortisation, refunds
    // (corrections), credits, vouchers and gifts, tax, and resources of several member accounts.
    let categories: BTreeSet<ChargeCategory> = rows.iter().map(|r| r.charge_category).collect();
    for c in [ChargeCategory::Usage, ChargeCategory::Purchase, ChargeCategory::Tax, ChargeCategory::Credit] {
        assert!(categories.contains(&c), "no {c} row");
    }
    assert!(figures.refund_rows > 0 && figures.compensation_rows > 0 && figures.prepaid_rows > figures.refund_rows);
    let corrections = rows.iter().filter(|r| r.charge_class == Some(ChargeClass::Correction)).count();
    assert!(corrections as u32 >= figures.refund_rows + figures.compensation_rows);
    let mut refunds =
        rows.iter().filter(|r| r.charge_category == ChargeCategory::Purchase && r.billed_cost < Decimal::ZERO);
    assert!(refunds.clone().count() > 0 && refunds.all(|r| r.charge_class == Some(ChargeClass::Correction)));
    assert!(figures.voucher_components > 0 && figures.gift_components > 0 && figures.taxed_components > 0);
    let credited =
        rows.iter().filter(|r| r.effective_cost < r.billed_cost && r.charge_category == ChargeCategory::Usage);
    assert!(credited.count() as u64 >= figures.voucher_components.min(1));
    let owners: BTreeSet<&str> = rows.iter().filter_map(|r| r.sub_account_id.as_deref()).collect();
    let payer = ACCOUNTS[0].0;
    assert!(owners.iter().filter(|o| **o != payer).count() >= 3, "{owners:?}");
    assert!(rows.iter().all(|r| r.billing_account_id == payer));
    assert!(rows.iter().all(|r| r.sub_account_name.is_some()));
    assert!(rows.iter().all(|r| r.service_category != ServiceCategory::Other));

    // BilledCost per service is the summary's RealTotalCost, plus the tax the summary leaves out,
    // to the last digit; ListCost likewise with TotalCost.
    let mut billed: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut list: BTreeMap<&str, Decimal> = BTreeMap::new();
    for r in &rows {
        *billed.entry(r.service_name.as_str()).or_default() += r.billed_cost;
        *list.entry(r.service_name.as_str()).or_default() += r.list_cost;
    }
    let summary = client.describe_bill_summary_by_product().begin_time(month).end_time(month).send().await.unwrap();
    assert_eq!(summary.summary_overview().len(), billed.len());
    for item in summary.summary_overview() {
        let name = item.business_code_name.as_deref().unwrap();
        let code = item.business_code.as_deref().unwrap();
        let tax = figures.by_product[code].tax;
        let real = item.real_total_cost.unwrap().amount();
        assert_eq!(billed[name], real + tax, "{name}");
        assert_eq!(billed[name], figures.by_product[code].billed, "{name}");
        assert_eq!(list[name], item.total_cost.unwrap().amount() + tax, "{name}");
    }
    let total = summary.summary_total.as_ref().and_then(|t| t.real_total_cost).unwrap().amount();
    assert_eq!(rows.iter().map(|r| r.billed_cost).sum::<Decimal>(), total + figures.total.tax);

    // EffectiveCost: what vouchers and gifts paid comes off every charge; a prepaid charge is
    // amortised over its period, this month's share here and the rest next month, which adds up
    // to the charge after credits exactly.
    let next = FocusMapper::new(Site::China, month.next().unwrap()).billing_account_name("Demo Payer");
    let (mut prepaid_checked, mut usage_checked) = (0, 0);
    for item in &details {
        let own: Vec<&FocusRow> = rows.iter().filter(|r| r.x_bill_id == item.bill_id).collect();
        let credits: Decimal = item
            .component_set()
            .iter()
            .map(|c| {
                c.real_cost.unwrap().amount()
                    - c.voucher_pay_amount.map_or(Decimal::ZERO, |v| v.amount())
                    - c.incentive_pay_amount.map_or(Decimal::ZERO, |v| v.amount())
                    + c.tax_amount.map_or(Decimal::ZERO, |v| v.amount())
            })
            .sum();
        let effective: Decimal = own.iter().map(|r| r.effective_cost).sum();
        if item.action_type.as_deref().is_some_and(|a| a.starts_with("prepay")) {
            let later: Decimal = next.amortise_detail(item).unwrap().iter().map(|r| r.effective_cost).sum();
            assert_eq!(effective + later, credits, "{:?}", item.bill_id);
            prepaid_checked += 1;
        } else {
            assert_eq!(effective, credits, "{:?}", item.bill_id);
            usage_checked += 1;
        }
    }
    assert_eq!(prepaid_checked, figures.prepaid_rows);
    assert_eq!(prepaid_checked + usage_checked, 3_000);
}
