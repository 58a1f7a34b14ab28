use serde_json::{Value, json};

use super::*;

fn oct() -> YearMonth {
    "2026-10".parse().unwrap()
}

fn mapper() -> FocusMapper {
    FocusMapper::new(Site::China, oct()).account_name("100000000002", "Data Team")
}

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

fn component(extra: Value) -> Value {
    let mut c = json!({
        "ComponentCodeName": "Compute",
        "ItemCodeName": "Compute - S5 4C8G",
        "SinglePrice": "0.50000000",
        "PriceUnit": "CNY/instance-hour",
        "UsedAmount": "2",
        "UsedAmountUnit": "instance-hour",
        "RealTotalMeasure": "2",
        "DeductedMeasure": "0",
        "Cost": "1.00000000",
        "Discount": "0.8",
        "RealCost": "0.80000000",
        "VoucherPayAmount": "0.00000000",
        "CashPayAmount": "0.80000000",
        "IncentivePayAmount": "0.00000000",
        "TransferPayAmount": "0.00000000",
        "ItemCode": "v_cvm_compute_s5",
        "ComponentCode": "v_cvm_compute",
        "ContractPrice": "0.40000000",
    });
    if let (Some(o), Value::Object(e)) = (c.as_object_mut(), extra) {
        o.extend(e);
    }
    c
}

fn detail(extra: Value, components: Vec<Value>) -> BillDetail {
    let mut row = json!({
        "BusinessCodeName": "Cloud Virtual Machine",
        "ProductCodeName": "CVM - Standard S5",
        "PayModeName": "Pay-As-You-Go",
        "ProjectName": "Default Project",
        "RegionName": "South China (Guangzhou)",
        "ZoneName": "Guangzhou Zone 6",
        "ResourceId": "ins-0001",
        "ResourceName": "web-1",
        "ActionTypeName": "Pay-as-you-go hourly settlement",
        "BillId": "20261000000001",
        "FeeBeginTime": "2026-10-05 10:00:00",
        "FeeEndTime": "2026-10-05 10:59:59",
        "PayerUin": "100000000001",
        "OwnerUin": "100000000002",
        "OperateUin": "100000000002",
        "Tags": [{ "TagKey": "env", "TagValue": "prod" }, { "TagKey": "team", "TagValue": "" }],
        "BusinessCode": "p_cvm",
        "ProductCode": "sp_cvm_s5",
        "ActionType": "postpay_deduct_h",
        "RegionId": "ap-guangzhou",
        "ProjectId": 0,
        "BillDay": "2026-10-05 00:00:00",
        "BillMonth": "2026-10-01 00:00:00",
        "Id": "202610000001",
        "ComponentSet": components,
    });
    if let (Some(o), Value::Object(e)) = (row.as_object_mut(), extra) {
        o.extend(e);
    }
    serde_json::from_value(row).unwrap()
}

fn utc(s: &str) -> OffsetDateTime {
    let t = crate::datetime::parse_beijing(s).unwrap();
    t.to_offset(UtcOffset::UTC)
}

fn checked(rows: &[FocusRow]) {
    for r in rows {
        assert_eq!(check_row(r), Ok(()), "{r:#?}");
    }
}

#[test]
fn the_product_table_parses_without_duplicates_and_covers_the_products() {
    let parsed = parse_service_table(SERVICE_TABLE).expect("the table parses");
    assert_eq!(parsed.len(), service_table().len());
    assert!(parsed.len() > 100, "{}", parsed.len());
    let mut codes: Vec<&str> = parsed.iter().map(|e| e.product_code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), parsed.len(), "a product code appears twice");
    // The sandbox catalogue, and common products.
    for (code, category) in [
        ("p_cvm", ServiceCategory::Compute),
        ("p_cbs", ServiceCategory::Storage),
        ("p_cos", ServiceCategory::Storage),
        ("p_cdn", ServiceCategory::Networking),
        ("p_cdb", ServiceCategory::Databases),
        ("p_clb", ServiceCategory::Networking),
        ("p_apigateway", ServiceCategory::Integration),
        ("p_faceid", ServiceCategory::Security),
        ("p_redis", ServiceCategory::Databases),
        ("p_cls", ServiceCategory::ManagementAndGovernance),
        ("p_tke", ServiceCategory::Compute),
        ("p_scf", ServiceCategory::Compute),
        ("p_ckafka", ServiceCategory::Integration),
        ("p_cam", ServiceCategory::Identity),
        ("p_kms", ServiceCategory::Security),
        ("p_vod", ServiceCategory::Media),
        ("p_iotexplorer", ServiceCategory::InternetOfThings),
        ("p_hunyuan", ServiceCategory::AiAndMachineLearning),
        ("p_emr", ServiceCategory::Analytics),
    ] {
        assert_eq!(service_category(code), category, "{code}");
    }
    assert_eq!(service_category("p_not_a_product"), ServiceCategory::Other);
    assert_eq!(service_category(""), ServiceCategory::Other);
    // Every category the table uses is a FOCUS one, spelled as FOCUS spells it.
    for e in service_table() {
        assert_eq!(ServiceCategory::from_focus(e.category.as_str()), Some(e.category));
    }
}

#[test]
fn a_broken_product_table_is_refused_with_the_line() {
    let header = "product_code,product_name,category\n";
    let dup: &'static str = Box::leak(format!("{header}p_a,A,Compute\np_a,A again,Storage\n").into_boxed_str());
    assert!(parse_service_table(dup).unwrap_err().contains("appears twice"));
    let bad: &'static str = Box::leak(format!("{header}p_a,A,Computing\n").into_boxed_str());
    assert!(parse_service_table(bad).unwrap_err().contains("not a FOCUS 1.0 service category"));
    let short: &'static str = Box::leak(format!("{header}p_a,A\n").into_boxed_str());
    assert!(parse_service_table(short).unwrap_err().contains("2 fields"));
    assert!(parse_service_table("code,name\n").is_err());
}

#[test]
fn a_usage_row_maps_every_column() {
    let row =
        detail(json!({}), vec![component(json!({ "VoucherPayAmount": "0.30000000", "CashPayAmount": "0.50000000" }))]);
    let rows = mapper().map_detail(&row).unwrap();
    assert_eq!(rows.len(), 1);
    checked(&rows);
    let r = &rows[0];
    assert_eq!(r.charge_category, ChargeCategory::Usage);
    assert_eq!(r.charge_class, None);
    assert_eq!(r.charge_frequency, Some(ChargeFrequency::UsageBased));
    assert_eq!(r.pricing_category, Some(PricingCategory::Standard));
    assert_eq!(r.billed_cost, d("0.80000000"));
    assert_eq!(r.billed_cost.to_string(), "0.80000000", "the bill's scale is kept");
    assert_eq!(r.list_cost, d("1.00000000"));
    assert_eq!(r.contracted_cost, d("0.80000000"));
    // The voucher paid 0.30 of it: the effective cost is what the account really bore.
    assert_eq!(r.effective_cost, d("0.50000000"));
    assert_eq!(r.list_unit_price, Some(d("0.50000000")));
    assert_eq!(r.contracted_unit_price, Some(d("0.40000000")));
    // Tencent's `instance-hour` in the FOCUS unit format.
    assert_eq!((r.pricing_quantity, r.pricing_unit.as_deref()), (Some(d("2")), Some("Instance-Hours")));
    assert_eq!((r.consumed_quantity, r.consumed_unit.as_deref()), (Some(d("2")), Some("Instance-Hours")));
    assert_eq!(r.sku_id.as_deref(), Some("v_cvm_compute_s5"));
    assert_eq!(r.sku_price_id, None);
    assert_eq!(r.billing_account_id, "100000000001");
    assert_eq!(r.billing_account_name, None);
    assert_eq!((r.sub_account_id.as_deref(), r.sub_account_name.as_deref()), (Some("100000000002"), Some("Data Team")));
    assert_eq!(r.billing_currency, "CNY");
    assert_eq!(
        (r.region_id.as_deref(), r.region_name.as_deref()),
        (Some("ap-guangzhou"), Some("South China (Guangzhou)"))
    );
    assert_eq!(r.availability_zone.as_deref(), Some("Guangzhou Zone 6"));
    assert_eq!((r.resource_id.as_deref(), r.resource_name.as_deref()), (Some("ins-0001"), Some("web-1")));
    assert_eq!(r.resource_type.as_deref(), Some("CVM - Standard S5"));
    assert_eq!((r.service_name.as_str(), r.service_category), ("Cloud Virtual Machine", ServiceCategory::Compute));
    assert_eq!(r.tags.get("env").map(String::as_str), Some("prod"));
    assert_eq!(r.tags.get("team").map(String::as_str), Some(""));
    assert_eq!((r.x_bill_id.as_deref(), r.x_product_code.as_deref()), (Some("20261000000001"), Some("p_cvm")));
    assert_eq!((r.provider_name.as_str(), r.publisher_name.as_str()), ("Tencent Cloud", "Tencent Cloud"));
    assert_eq!(r.invoice_issuer_name, "Tencent Cloud");
    assert_eq!(
        r.charge_description.as_deref(),
        Some("Pay-as-you-go hourly settlement / CVM - Standard S5 / Compute / Compute - S5 4C8G")
    );
    assert!(r.commitment_discount_id.is_none() && r.commitment_discount_category.is_none());
    assert!(r.commitment_discount_quantity.is_none() && r.commitment_discount_unit.is_none());
    // The 1.1 and 1.2 columns, and Tencent's own export columns.
    assert_eq!(r.service_subcategory, "Virtual Machines");
    assert_eq!(r.sku_meter.as_deref(), Some("Compute"));
    assert_eq!(r.invoice_id, None);
    assert_eq!(
        (r.x_component_type.as_deref(), r.x_component_name.as_deref()),
        (Some("Compute"), Some("Compute - S5 4C8G"))
    );
    assert_eq!(r.x_subproduct_name.as_deref(), Some("CVM - Standard S5"));
    assert_eq!(r.x_export_time, None, "unset unless the caller gives the time");
    let at = utc("2026-11-02 11:04:05");
    let stamped = mapper().export_time(at).map_detail(&row).unwrap();
    assert_eq!(stamped[0].x_export_time, Some(at));
    let fraction = mapper().export_time(at + time::Duration::nanoseconds(999_999_999)).map_detail(&row).unwrap();
    assert_eq!(fraction[0].x_export_time, Some(at), "to the whole second");
}

#[test]
fn periods_are_utc_with_an_exclusive_end() {
    let rows = mapper().map_detail(&detail(json!({}), vec![component(json!({}))])).unwrap();
    let r = &rows[0];
    // October in Beijing time is 30 September 16:00 to 31 October 16:00 UTC.
    assert_eq!(r.billing_period_start, Some(utc("2026-10-01 00:00:00")));
    assert_eq!(r.billing_period_start.unwrap().to_string(), "2026-09-30 16:00:00.0 +00:00:00");
    assert_eq!(r.billing_period_end.unwrap().to_string(), "2026-10-31 16:00:00.0 +00:00:00");
    assert_eq!(r.charge_period_start.unwrap().to_string(), "2026-10-05 2:00:00.0 +00:00:00");
    assert_eq!(r.charge_period_end.unwrap().to_string(), "2026-10-05 3:00:00.0 +00:00:00");
    assert_eq!(r.charge_period_end.unwrap().offset(), UtcOffset::UTC);
    // No fee times: the billing day; an instant charge still ends after it starts.
    let row = detail(json!({ "FeeBeginTime": null, "FeeEndTime": null }), vec![component(json!({}))]);
    let r = &mapper().map_detail(&row).unwrap()[0];
    assert_eq!(
        (r.charge_period_start, r.charge_period_end),
        (Some(utc("2026-10-05 00:00:00")), Some(utc("2026-10-06 00:00:00")))
    );
    let row = detail(json!({ "FeeEndTime": "2026-10-05 09:00:00" }), vec![component(json!({}))]);
    let r = &mapper().map_detail(&row).unwrap()[0];
    assert_eq!(r.charge_period_end.unwrap() - r.charge_period_start.unwrap(), Duration::seconds(1));
    // December rolls into the next year.
    let (s, e) = FocusMapper::new(Site::International, "2026-12".parse().unwrap()).billing_period();
    assert_eq!(
        (s.to_string().as_str(), e.to_string().as_str()),
        ("2026-11-30 16:00:00.0 +00:00:00", "2026-12-31 16:00:00.0 +00:00:00")
    );
}

#[test]
fn every_action_type_has_its_charge_category_class_and_frequency() {
    use ChargeCategory as C;
    use ChargeFrequency as F;
    type Case = (&'static str, C, Option<ChargeClass>, F, Option<PricingCategory>);
    let cases: &[Case] = &[
        ("postpay_deduct_h", C::Usage, None, F::UsageBased, Some(PricingCategory::Standard)),
        ("postpay_deduct_d", C::Usage, None, F::UsageBased, Some(PricingCategory::Standard)),
        ("postpay_deduct_m", C::Usage, None, F::UsageBased, Some(PricingCategory::Standard)),
        ("postpay_deduct_s", C::Usage, None, F::UsageBased, Some(PricingCategory::Dynamic)),
        ("prepay_purchase", C::Purchase, None, F::OneTime, Some(PricingCategory::Standard)),
        ("prepay_renew", C::Purchase, None, F::Recurring, Some(PricingCategory::Standard)),
        ("prepay_modify", C::Purchase, None, F::OneTime, Some(PricingCategory::Standard)),
        ("pre_to_post", C::Purchase, None, F::OneTime, Some(PricingCategory::Standard)),
        ("offline_deduct", C::Purchase, None, F::OneTime, Some(PricingCategory::Standard)),
        ("online_deduct", C::Purchase, None, F::OneTime, Some(PricingCategory::Standard)),
        ("svp_hour_pay", C::Purchase, None, F::Recurring, Some(PricingCategory::Committed)),
        ("recon_deduct", C::Adjustment, Some(ChargeClass::Correction), F::OneTime, None),
        ("recon_guarantee", C::Adjustment, None, F::OneTime, None),
        ("billVirtualId", C::Adjustment, None, F::OneTime, None),
        ("something_new", C::Usage, None, F::UsageBased, Some(PricingCategory::Standard)),
        ("prepay_something_new", C::Purchase, None, F::OneTime, Some(PricingCategory::Standard)),
    ];
    for (action, category, class, frequency, pricing) in cases {
        let row = detail(json!({ "ActionType": action }), vec![component(json!({}))]);
        let rows = mapper().map_detail(&row).unwrap();
        checked(&rows);
        let r = &rows[0];
        assert_eq!(
            (r.charge_category, r.charge_class, r.charge_frequency, r.pricing_category),
            (*category, *class, Some(*frequency), *pricing),
            "{action}"
        );
        // Only usage and purchases carry prices, quantities and a SKU.
        let priced = matches!(category, C::Usage | C::Purchase);
        assert_eq!(r.sku_id.is_some(), priced, "{action}");
        assert_eq!(r.pricing_quantity.is_some(), priced, "{action}");
        assert_eq!(r.consumed_quantity.is_some(), *category == C::Usage, "{action}");
    }
    // A savings plan's own fee names the commitment.
    let row = detail(
        json!({ "ActionType": "svp_hour_pay", "ResourceId": "sp-1", "ResourceName": "plan" }),
        vec![component(json!({}))],
    );
    let r = &mapper().map_detail(&row).unwrap()[0];
    assert_eq!(r.commitment_discount_id.as_deref(), Some("sp-1"));
    assert_eq!(r.commitment_discount_category, Some(CommitmentDiscountCategory::Spend));
    assert_eq!(r.commitment_discount_type.as_deref(), Some("Savings Plan"));
    assert_eq!(r.commitment_discount_status, None);
}

#[test]
fn a_compensation_is_a_credit_that_corrects() {
    let c = component(json!({ "Cost": "-3.00000000", "RealCost": "-3.00000000", "CashPayAmount": "-3.00000000" }));
    let rows = mapper().map_detail(&detail(json!({ "ActionType": "recon_increase" }), vec![c])).unwrap();
    checked(&rows);
    let r = &rows[0];
    assert_eq!((r.charge_category, r.charge_class), (ChargeCategory::Credit, Some(ChargeClass::Correction)));
    assert_eq!((r.billed_cost, r.effective_cost), (d("-3"), d("-3")));
    assert_eq!((r.pricing_category, r.list_unit_price, r.sku_id.as_deref()), (None, None, None));
}

const PREPAID: &str = "prepay_purchase";

fn prepaid(action: &str, sign: &str) -> BillDetail {
    let amount = |s: &str| format!("{sign}{s}");
    detail(
        json!({
            "ActionType": action,
            "PayModeName": "Monthly Subscription",
            "FeeBeginTime": "2026-10-21 08:00:00",
            "FeeEndTime": "2026-11-20 07:59:59",
        }),
        vec![component(json!({
            "Cost": amount("1000.00000000"),
            "RealCost": amount("900.00000000"),
            "VoucherPayAmount": if sign.is_empty() { "100.00000000" } else { "0.00000000" },
            "CashPayAmount": amount("800.00000000"),
            "UsedAmount": "1",
            "RealTotalMeasure": "1",
            "UsedAmountUnit": "month",
        }))],
    )
}

#[test]
fn a_purchase_is_billed_now_and_amortised_over_its_period() {
    let row = prepaid(PREPAID, "");
    let rows = mapper().map_detail(&row).unwrap();
    checked(&rows);
    assert_eq!(rows.len(), 2);
    let (buy, share) = (&rows[0], &rows[1]);
    assert_eq!((buy.charge_category, buy.charge_frequency), (ChargeCategory::Purchase, Some(ChargeFrequency::OneTime)));
    assert_eq!((buy.billed_cost, buy.effective_cost, buy.list_cost), (d("900"), Decimal::ZERO, d("1000")));
    // 30 days from 21 October 00:00 UTC; October (Beijing) ends 31 October 16:00 UTC: 10 days
    // and 16 hours of 30 days, of the 800 left after the voucher.
    assert_eq!(share.charge_category, ChargeCategory::Usage);
    assert_eq!(
        (share.billed_cost, share.list_cost, share.contracted_cost),
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO)
    );
    let expected = (d("800") * Decimal::from(256) / Decimal::from(720)).round_dp(8);
    assert_eq!(share.effective_cost, expected);
    assert_eq!(share.effective_cost.to_string(), "284.44444444");
    assert_eq!(share.charge_period_start, Some(utc("2026-10-21 08:00:00")));
    assert_eq!(share.charge_period_end, share.billing_period_end);
    assert!(share.charge_description.as_deref().unwrap().starts_with("Amortised share of: "));
    // November gets the rest from October's row, to the last digit.
    let nov = FocusMapper::new(Site::China, "2026-11".parse().unwrap());
    let carried = nov.amortise_detail(&row).unwrap();
    checked(&carried);
    assert_eq!(carried.len(), 1);
    assert_eq!(carried[0].billed_cost, Decimal::ZERO);
    assert_eq!(share.effective_cost + carried[0].effective_cost, d("800"));
    assert_eq!(carried[0].charge_period_end, Some(utc("2026-11-20 08:00:00")));
    // December: nothing left. A usage row is not amortised at all.
    let dec = FocusMapper::new(Site::China, "2026-12".parse().unwrap());
    assert!(dec.amortise_detail(&row).unwrap().is_empty());
    assert!(nov.amortise_detail(&detail(json!({}), vec![component(json!({}))])).unwrap().is_empty());
    // A renewal recurs.
    let renew = mapper().map_detail(&prepaid("prepay_renew", "")).unwrap();
    assert_eq!(renew[0].charge_frequency, Some(ChargeFrequency::Recurring));
}

#[test]
fn amortised_shares_always_add_up_to_the_whole() {
    // Awkward amounts and periods: the shares of consecutive months still sum exactly.
    for (net, begin, end) in [
        ("0.00000001", 0_i64, 7_i64),
        ("100.00000000", 5, 2_592_005),
        ("-333.33333333", 86_399, 31_622_400),
        ("7.123456789", 1, 1_000_001),
    ] {
        let net = d(net);
        let mut total = Decimal::ZERO;
        let mut from = begin - 100;
        while from < end {
            let to = from + 123_457;
            if let Ok(Some((part, _, _))) = share(net, (begin, end), (from, to)) {
                total += part;
            }
            from = to;
        }
        assert_eq!(total, net);
    }
    assert_eq!(share(d("1"), (10, 10), (0, 100)), Ok(None));
    assert_eq!(share(d("1"), (10, 20), (20, 30)), Ok(None));
}

#[test]
fn a_refund_corrects_the_purchase_and_its_amortisation() {
    let rows = mapper().map_detail(&prepaid("prepay_return", "-")).unwrap();
    checked(&rows);
    let (refund, share) = (&rows[0], &rows[1]);
    assert_eq!(
        (refund.charge_category, refund.charge_class, refund.charge_frequency),
        (ChargeCategory::Purchase, Some(ChargeClass::Correction), Some(ChargeFrequency::OneTime))
    );
    assert_eq!((refund.billed_cost, refund.effective_cost), (d("-900"), Decimal::ZERO));
    assert_eq!(share.charge_class, Some(ChargeClass::Correction));
    assert!(share.effective_cost < Decimal::ZERO);
    // Unit prices stay non-negative, as FOCUS requires, even where the source's are negative;
    // the refund's sign moves to the quantity.
    let negative_prices = detail(
        json!({
            "ActionType": "prepay_return",
            "PayModeName": "Monthly Subscription",
            "FeeBeginTime": "2026-10-21 08:00:00",
            "FeeEndTime": "2026-11-20 07:59:59",
        }),
        vec![component(json!({
            "Cost": "-1000.00000000",
            "RealCost": "-900.00000000",
            "CashPayAmount": "-900.00000000",
            "SinglePrice": "-1000.00000000",
            "ContractPrice": "-900.00000000",
            "UsedAmount": "1",
            "RealTotalMeasure": "1",
            "UsedAmountUnit": "month",
        }))],
    );
    let refund = &mapper().map_detail(&negative_prices).unwrap()[0];
    assert_eq!((refund.list_unit_price, refund.contracted_unit_price), (Some(d("1000")), Some(d("900"))));
    assert_eq!(refund.pricing_quantity, Some(d("-1")));
    assert_eq!(refund.list_unit_price.unwrap() * refund.pricing_quantity.unwrap(), refund.list_cost);
    // A downgrade (a negative configuration change) is a correction too.
    let rows = mapper().map_detail(&prepaid("prepay_modify", "-")).unwrap();
    assert_eq!(rows[0].charge_class, Some(ChargeClass::Correction));
}

#[test]
fn a_row_paid_by_voucher_and_gifts_costs_nothing_effective() {
    let c = component(
        json!({ "VoucherPayAmount": "0.50000000", "IncentivePayAmount": "0.30000000", "CashPayAmount": "0.00000000" }),
    );
    let r = &mapper().map_detail(&detail(json!({}), vec![c])).unwrap()[0];
    assert_eq!((r.billed_cost, r.effective_cost), (d("0.8"), Decimal::ZERO));
    assert_eq!(r.charge_category, ChargeCategory::Usage);
}

#[test]
fn tax_is_its_own_row() {
    let c = component(json!({ "TaxRate": "0.09", "TaxAmount": "0.07200000", "Currency": "USD" }));
    let m = FocusMapper::new(Site::International, oct());
    let rows = m.map_detail(&detail(json!({}), vec![c, component(json!({ "TaxAmount": "0" }))])).unwrap();
    checked(&rows);
    assert_eq!(rows.len(), 3, "a zero tax makes no row");
    let tax = &rows[1];
    assert_eq!(tax.charge_category, ChargeCategory::Tax);
    assert_eq!((tax.billed_cost, tax.effective_cost, tax.list_cost), (d("0.072"), d("0.072"), d("0.072")));
    assert_eq!(tax.billing_currency, "USD");
    assert_eq!((tax.pricing_category, tax.pricing_quantity, tax.sku_id.as_deref()), (None, None, None));
    assert_eq!((tax.service_name.as_str(), tax.resource_id.as_deref()), ("Cloud Virtual Machine", Some("ins-0001")));
    assert!(tax.charge_description.as_deref().unwrap().starts_with("Tax at 0.09 on "));
    assert_eq!(rows[2].billing_currency, "USD", "the site's currency");
}

#[test]
fn dashes_and_missing_amounts_are_nulls_or_typed_errors() {
    // No list cost ("-", a contract price): the contracted cost stands in. No voucher: zero.
    let c = component(
        json!({ "Cost": "-", "VoucherPayAmount": "-", "IncentivePayAmount": null, "SinglePrice": "-", "UsedAmount": "-" }),
    );
    let r = &mapper().map_detail(&detail(json!({}), vec![c])).unwrap()[0];
    assert_eq!((r.list_cost, r.effective_cost), (d("0.8"), d("0.8")));
    assert_eq!(r.list_unit_price, None);
    // UsedAmount "-": no pricing quantity; the consumed quantity still comes from the measure.
    assert_eq!((r.pricing_quantity, r.pricing_unit.as_deref()), (None, None));
    assert_eq!(r.consumed_quantity, Some(d("2")));
    check_row(r).unwrap();
    for real in [json!("-"), json!(null), json!("")] {
        let c = component(json!({ "RealCost": real }));
        let e = mapper().map_detail(&detail(json!({}), vec![c])).unwrap_err();
        assert_eq!(e.kind(), &MapErrorKind::MissingAmount { field: "RealCost" }, "{real}");
        assert_eq!(e.row_id(), Some("202610000001"));
        assert!(e.to_string().contains("has no RealCost"), "{e}");
    }
    let e = mapper().map_detail(&detail(json!({}), vec![component(json!({ "UsedAmount": "two" }))])).unwrap_err();
    assert!(matches!(e.kind(), MapErrorKind::BadQuantity { field: "UsedAmount", value } if value == "two"));
    let e = mapper().map_detail(&detail(json!({}), vec![component(json!({ "Currency": "yuan" }))])).unwrap_err();
    assert!(matches!(e.kind(), MapErrorKind::BadCurrency(_)));
    // A row without components makes no rows, and is no error.
    assert!(mapper().map_detail(&detail(json!({}), vec![])).unwrap().is_empty());
}

#[test]
fn exact_decimals_survive_to_the_last_digit() {
    let c = component(json!({
        "Cost": "12345678901234.12345678",
        "RealCost": "12345678901234.12345677",
        "VoucherPayAmount": "0.00000001",
        "UsedAmount": "0.000001",
    }));
    let r = &mapper().map_detail(&detail(json!({}), vec![c])).unwrap()[0];
    assert_eq!(r.list_cost.to_string(), "12345678901234.12345678");
    assert_eq!(r.billed_cost.to_string(), "12345678901234.12345677");
    assert_eq!(r.effective_cost.to_string(), "12345678901234.12345676");
    assert_eq!(r.pricing_quantity.unwrap().to_string(), "0.000001");
}

#[test]
fn rows_of_another_month_and_rows_without_a_payer_are_refused() {
    let row = detail(json!({ "BillMonth": "2026-09-01 00:00:00" }), vec![component(json!({}))]);
    let e = mapper().map_detail(&row).unwrap_err();
    assert_eq!(e.kind(), &MapErrorKind::MonthMismatch { row: "2026-09".parse().unwrap(), expected: oct() });
    let row = detail(json!({ "PayerUin": "" }), vec![component(json!({}))]);
    assert_eq!(mapper().map_detail(&row).unwrap_err().kind(), &MapErrorKind::MissingPayer);
    let row = detail(json!({ "PayerUin": null }), vec![component(json!({}))]);
    let r = &mapper().billing_account_id("9").map_detail(&row).unwrap()[0];
    assert_eq!(r.billing_account_id, "9");
    let row = detail(json!({ "BusinessCode": null, "BusinessCodeName": null }), vec![component(json!({}))]);
    assert_eq!(mapper().map_detail(&row).unwrap_err().kind(), &MapErrorKind::MissingService);
    // A product known only by its code takes the table's name; an unknown one is Other.
    let row = detail(json!({ "BusinessCodeName": null }), vec![component(json!({}))]);
    assert_eq!(mapper().map_detail(&row).unwrap()[0].service_name, "Cloud Virtual Machine");
    let row = detail(json!({ "BusinessCode": "p_new", "BusinessCodeName": "New" }), vec![component(json!({}))]);
    assert_eq!(mapper().map_detail(&row).unwrap()[0].service_category, ServiceCategory::Other);
}

#[test]
fn an_organization_row_names_the_member_as_sub_account() {
    let mut v = serde_json::to_value(detail(json!({}), vec![component(json!({}))])).unwrap();
    let o = v.as_object_mut().unwrap();
    o.remove("PayerUin");
    o.insert("OwnerUin".into(), json!("100000000003"));
    let org: DistributionBillDetail = serde_json::from_value(v).unwrap();
    assert_eq!(mapper().map_org_detail(&org).unwrap_err().kind(), &MapErrorKind::MissingPayer);
    let m = mapper()
        .billing_account_id("100000000001")
        .billing_account_name("Example Ltd")
        .account_name("100000000003", "ML");
    let rows = m.map_org_detail(&org).unwrap();
    checked(&rows);
    let r = &rows[0];
    assert_eq!(
        (r.billing_account_id.as_str(), r.billing_account_name.as_deref()),
        ("100000000001", Some("Example Ltd"))
    );
    assert_eq!((r.sub_account_id.as_deref(), r.sub_account_name.as_deref()), (Some("100000000003"), Some("ML")));
    assert_eq!(r.billed_cost, d("0.8"));
}

#[test]
fn the_row_check_names_the_rules_broken() {
    let mut r = mapper().map_detail(&detail(json!({}), vec![component(json!({}))])).unwrap().remove(0);
    check_row(&r).unwrap();
    r.charge_frequency = None;
    r.billing_currency = "cny".into();
    r.charge_period_end = r.charge_period_start;
    r.resource_name = Some(String::new());
    r.charge_category = ChargeCategory::Tax;
    r.pricing_unit = Some("instance-hour".into());
    r.service_subcategory = "Caching".into();
    let broken = check_row(&r).unwrap_err();
    for rule in [
        "PricingUnit_UnitFormat",
        "ServiceSubcategory_OfServiceCategory",
        "ChargeFrequency_NotNull",
        "BillingCurrency_IsCurrencyCode",
        "ChargePeriod_StartBeforeEnd",
        "NoEmptyStrings",
        "Tax_NoPricing",
        "ConsumedQuantity_UsageOnly",
    ] {
        assert!(broken.contains(&RuleViolation(rule)), "{rule} not in {broken:?}");
    }
    let r =
        FocusRow { billing_period_start: Some(utc("2026-10-01 00:00:00").to_offset(BEIJING)), ..FocusRow::default() };
    let broken = check_row(&r).unwrap_err();
    assert!(broken.contains(&RuleViolation("BillingPeriodStart_IsDateTime")));
    assert!(broken.contains(&RuleViolation("BillingAccountId_NotNull")));
    assert!(broken.contains(&RuleViolation("InvoiceIssuer_NotNull")));
}

#[test]
fn a_period_that_started_before_the_month_is_charged_to_the_month_it_is_billed_in() {
    // Billed in October for 15 September to 14 November: October holds September's part too,
    // since September's export cannot; November holds the rest; together the whole.
    let mut row = prepaid(PREPAID, "");
    row.fee_begin_time = Some(crate::datetime::parse_beijing("2026-09-15 00:00:00").unwrap());
    row.fee_end_time = Some(crate::datetime::parse_beijing("2026-11-13 23:59:59").unwrap());
    let rows = mapper().map_detail(&row).unwrap();
    checked(&rows);
    let october = rows[1].effective_cost;
    assert_eq!(october, (d("800") * Decimal::from(47) / Decimal::from(60)).round_dp(8));
    assert_eq!(rows[1].charge_period_start, Some(utc("2026-09-15 00:00:00")));
    let nov = FocusMapper::new(Site::China, "2026-11".parse().unwrap()).amortise_detail(&row).unwrap();
    assert_eq!(october + nov[0].effective_cost, d("800"));
    // A refund for a period already over: all of it in the month it is billed in.
    let mut refund = prepaid("prepay_return", "-");
    refund.fee_begin_time = Some(crate::datetime::parse_beijing("2026-08-01 00:00:00").unwrap());
    refund.fee_end_time = Some(crate::datetime::parse_beijing("2026-08-31 23:59:59").unwrap());
    let rows = mapper().map_detail(&refund).unwrap();
    checked(&rows);
    assert_eq!((rows[0].effective_cost, rows[1].effective_cost), (Decimal::ZERO, d("-900")));
    // A renewal paid ahead for November: nothing effective in October, all of it in November.
    let mut renew = prepaid("prepay_renew", "");
    renew.fee_begin_time = Some(crate::datetime::parse_beijing("2026-11-01 00:00:00").unwrap());
    renew.fee_end_time = Some(crate::datetime::parse_beijing("2026-11-30 23:59:59").unwrap());
    let rows = mapper().map_detail(&renew).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].effective_cost, Decimal::ZERO);
    let nov = FocusMapper::new(Site::China, "2026-11".parse().unwrap()).amortise_detail(&renew).unwrap();
    assert_eq!(nov[0].effective_cost, d("800"));
    // No fee period at all: the purchase row keeps its effective cost.
    renew.fee_begin_time = None;
    renew.fee_end_time = None;
    let rows = mapper().map_detail(&renew).unwrap();
    assert_eq!((rows.len(), rows[0].effective_cost), (1, d("800")));
}

#[test]
fn the_subcategory_table_parses_and_uses_only_subcategories_focus_allows() {
    let table = parse_subcategories(service_table()).expect("the subcategory table parses and every line is allowed");
    assert!(table.len() >= 100, "{} products", table.len());
    // Every category has its `Other (...)` subcategory, the fallback for an unlisted product.
    for c in ServiceCategory::ALL {
        assert_eq!(other_subcategory(*c), format!("Other ({})", c.as_str()));
        assert!(SUBCATEGORIES.contains(&(*c, other_subcategory(*c))));
    }
    assert_eq!(service_subcategory("p_cos"), "Object Storage");
    assert_eq!(service_subcategory("p_redis"), "Caching");
    assert_eq!(service_subcategory("p_sms"), "Other (Mobile)", "in the product table, not the subcategory table");
    assert_eq!(service_subcategory("p_unknown"), "Other (Other)");
    for e in service_table() {
        assert!(SUBCATEGORIES.contains(&(e.category, service_subcategory(e.product_code))), "{}", e.product_code);
    }
}

#[test]
fn the_unit_table_gives_focus_units() {
    let units = parse_units().expect("every unit of the table is in the FOCUS unit format");
    assert!(units.len() >= 20);
    for (tencent, focus) in [
        ("GB-hour", "GB-Hours"),
        ("instance-hour", "Instance-Hours"),
        ("GB", "GB"),
        ("10k requests", "10000 Requests"),
        ("10k calls", "10000 Calls"),
        ("LCU-hour", "LCU-Hours"),
        ("call", "Calls"),
        ("次", "Calls"),
        ("万次", "10000 Calls"),
    ] {
        assert_eq!(focus_unit(tencent), focus, "{tencent}");
    }
}

/// Units the table does not know are still written in the FOCUS unit format: these are the
/// cases, and what each becomes.
#[test]
fn units_the_table_does_not_know_are_written_validly() {
    for (tencent, focus) in [
        // Already in the format: kept as they are.
        ("Requests", "Requests"),
        ("GiB-Hours", "GiB-Hours"),
        ("1000 Requests", "1000 Requests"),
        ("Requests/Second", "Requests/Second"),
        // A trailing time becomes the plural time unit, and words are capitalised.
        ("node-hour", "Node-Hours"),
        ("QPS-day", "QPS-Days"),
        ("cu/hour", "Cu-Hours"),
        ("gb-month", "GB-Months"),
        // Punctuation and non-ASCII text are dropped; what has no word left becomes Units.
        ("bandwidth (Mbps)", "Bandwidth Mbps"),
        ("套", "Units"),
        ("个/天", "Units"),
        ("100 次", "Units"),
        ("", "Units"),
    ] {
        let got = focus_unit(tencent);
        assert_eq!(got, focus, "{tencent:?}");
        assert!(is_focus_unit(&got), "{got:?}");
    }
}

#[test]
fn the_unit_format_check_follows_focus() {
    for ok in ["GB", "Hours", "Hour", "Requests", "API Requests", "GB-Hours", "GB/Hour", "1000 Requests", "vCPU"] {
        assert!(is_focus_unit(ok), "{ok}");
    }
    for bad in ["GB-hour", "instance-hour", "10k requests", "GB-Hour", "", "Requests/Hours", "a  b", "次"] {
        assert!(!is_focus_unit(bad), "{bad}");
    }
}
