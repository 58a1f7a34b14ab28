//! Money edge values through the real response types: 8 decimal places, the `"-"` and `""`
//! sentinels, negative and huge amounts, integral and fractional cents, 1e-8 units, percentages,
//! and the integers ModifyAccountWarning answers as strings.

use crate::common;

use common::decode;
use tencentcloud_billing::money::{Cents, Decimal, Percent, Yuan, YuanE8};
use tencentcloud_billing::types::*;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn y(s: &str) -> Yuan {
    s.parse().unwrap()
}

#[test]
fn bill_component_amounts_are_exact_and_sentinels_are_absent() {
    let r: DescribeBillDetailResponse = decode(
        r#"{"Response":{"DetailSet":[{"ComponentSet":[{
            "Cost":"0.00000001",
            "RealCost":"-12.34567890",
            "CashPayAmount":"-",
            "VoucherPayAmount":"",
            "IncentivePayAmount":"99999999999999999999.99999999",
            "TransferPayAmount":null,
            "SinglePrice":"17.50000000",
            "SPDeduction":"0.01155781",
            "OriginalCostWithRI":"-0.00000001"
        }]}],"RequestId":"r"}}"#,
    );
    let c = &r.detail_set()[0].component_set()[0];
    assert_eq!(c.cost, Some(y("0.00000001")));
    assert_eq!(c.cost.unwrap().amount(), Decimal::new(1, 8));
    assert_eq!(c.real_cost.unwrap().to_string(), "-12.34567890");
    assert!(c.real_cost.unwrap().is_negative());
    assert_eq!(c.cash_pay_amount, None, "\"-\" is not applicable");
    assert_eq!(c.voucher_pay_amount, None, "\"\" is not applicable");
    assert_eq!(c.incentive_pay_amount.unwrap().to_string(), "99999999999999999999.99999999");
    assert_eq!(c.transfer_pay_amount, None);
    assert_eq!(c.single_price.unwrap().to_cents(), Cents::from(1750));
    assert_eq!(c.sp_deduction, Some(y("0.01155781")), "SPDeduction is renamed exactly");
    assert_eq!(c.original_cost_with_ri.unwrap(), -y("0.00000001"));
    // Sums stay exact: no float rounding.
    let sum: Yuan = [c.cost.unwrap(), c.real_cost.unwrap(), c.single_price.unwrap()].iter().sum();
    assert_eq!(sum.to_string(), "5.15432111");
}

#[test]
fn total_cost_dash_before_bill_3() {
    let r: DescribeBillSummaryByProductResponse = decode(
        r#"{"Response":{"Ready":1,"SummaryTotal":{"RealTotalCost":"1234.5","TotalCost":"-"},
            "SummaryOverview":[{"RealTotalCost":"1.10","RealTotalCostRatio":"12.34","TotalCost":"-"}],"RequestId":"r"}}"#,
    );
    let total = r.summary_total.as_ref().unwrap();
    assert_eq!(total.real_total_cost, Some(y("1234.5")));
    assert_eq!(total.total_cost, None);
    let row = &r.summary_overview()[0];
    assert_eq!(row.total_cost, None);
    assert_eq!(row.real_total_cost.unwrap().to_cents(), Cents::from(110));
    assert_eq!(row.real_total_cost_ratio.map(|p| p.value()), Some(Decimal::new(1234, 2)));
    assert_eq!(r.ready, Some(1));
}

#[test]
fn percentages_with_and_without_sign() {
    let r: DescribeBillSummaryByProductResponse = decode(
        r#"{"Response":{"SummaryOverview":[{"RealTotalCostRatio":"12.5%"},{"RealTotalCostRatio":""},{"RealTotalCostRatio":"100"}],"RequestId":"r"}}"#,
    );
    let ratios: Vec<Option<Percent>> = r.summary_overview().iter().map(|o| o.real_total_cost_ratio).collect();
    assert_eq!(ratios, [Some(Percent::new(Decimal::new(125, 1))), None, Some(Percent::new(Decimal::from(100)))]);
}

#[test]
fn cents_integral_fractional_negative_and_huge() {
    let r: DescribeAccountBalanceResponse = decode(
        r#"{"Response":{"Balance":36365911,"RealBalance":12.34,"OweAmount":-500,"CreditAmount":10000000000000,
            "CashAccountBalance":123456789012.5,"FreezeAmount":0.01,"RequestId":"r"}}"#,
    );
    assert_eq!(r.balance, Some(Cents::from(36_365_911)));
    assert_eq!(r.balance.unwrap().to_yuan().to_string(), "363659.11");
    assert_eq!(r.real_balance.unwrap().to_string(), "12.34");
    assert_eq!(r.real_balance.unwrap().to_i64(), None, "fractional cents are kept, not truncated");
    assert_eq!(r.owe_amount.unwrap().to_yuan(), y("-5"));
    assert_eq!(r.credit_amount.unwrap().to_yuan().to_string(), "100000000000");
    assert_eq!(r.cash_account_balance.unwrap().to_string(), "123456789012.5");
    assert_eq!(r.freeze_amount.unwrap().to_yuan().to_string(), "0.0001");
}

#[test]
fn order_amounts_in_cents() {
    let r: DescribeDealsByCondResponse = decode(
        r#"{"Response":{"Deals":[{"TotalCost":1250.5,"Price":"99","RealTotalCost":1200,"VoucherDecline":0}],"TotalCount":1,"RequestId":"r"}}"#,
    );
    let d = &r.deals()[0];
    assert_eq!(d.total_cost.unwrap().to_yuan().to_string(), "12.505");
    assert_eq!(d.price, Some(Cents::from(99)), "a number sent as a string still decodes");
    assert_eq!(d.real_total_cost.unwrap().to_i64(), Some(1200));
    assert_eq!(d.voucher_decline, Some(Cents::ZERO));
}

#[test]
fn voucher_amounts_in_1e8_units() {
    let r: DescribeVoucherInfoResponse = decode(
        r#"{"Response":{"TotalCount":2,"TotalBalance":123456789012,"VoucherInfos":[
            {"Balance":1,"NominalValue":100000000},{"Balance":-5,"NominalValue":"9000000000000000000"}],"RequestId":"r"}}"#,
    );
    assert_eq!(r.total_balance.unwrap().to_yuan().to_string(), "1234.56789012");
    let v = r.voucher_infos();
    assert_eq!(v[0].balance.unwrap().to_yuan().to_string(), "0.00000001");
    assert_eq!(v[0].nominal_value.unwrap().to_cents(), Cents::from(100));
    assert_eq!(v[1].balance, Some(YuanE8::new(-5)));
    assert_eq!(v[1].nominal_value.unwrap().to_yuan().to_string(), "90000000000");
}

#[test]
fn account_warning_answers_integers_as_strings() {
    let r: ModifyAccountWarningResponse = decode(r#"{"Response":{"Threshold":"10","Open":"1","RequestId":"r"}}"#);
    assert_eq!(r.threshold, Some(Cents::from(10)));
    assert_eq!(r.open, Some(1));
    let r: DescribeAccountWarningResponse = decode(r#"{"Response":{"Threshold":"2050.5","Open":"0","RequestId":"r"}}"#);
    assert_eq!(r.threshold.unwrap().to_yuan().to_string(), "20.505");
    assert_eq!(r.open, Some(0));
}

#[test]
fn requests_send_money_in_the_wire_form() {
    // ModifyAccountWarning takes integers; Threshold is cents.
    let body = serde_json::to_value(ModifyAccountWarningRequest::new().threshold(Cents::from(10_000)).open(1)).unwrap();
    assert_eq!(body, serde_json::json!({"Threshold": 10000, "Open": 1}));
}

#[tokio::test]
async fn a_malformed_amount_is_a_decode_error_naming_the_action() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"Response":{"Data":[{"TransferPayAmount":"ab0.00000000c"}],"RequestId":"r-1"}}"#),
        )
        .mount(&server)
        .await;
    let c = common::mock_client(&server).build().unwrap();
    let err = c
        .describe_cost_summary_by_project()
        .begin_time("2024-05".parse().unwrap())
        .end_time("2024-05".parse().unwrap())
        .limit(10)
        .offset(0)
        .send()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("DescribeCostSummaryByProject"), "{text}");
    assert_eq!(err.request_id(), Some("r-1"));
}
