//! Answers serialize with their wire names, skip absent fields, and decode back to the same value,
//! including the forms the official examples do not show: fractional cents, cents with more digits
//! than a float carries, percentages and sub-second times.

use crate::common;

use common::{decode, round_trips};
use serde_json::json;
use tencentcloud_billing::types::{
    ActionSummaryOverviewItem, DescribeAccountBalanceResponse, DescribeGatherResourceResponse,
};

#[test]
fn cents_are_numbers_when_a_float_holds_them_and_strings_otherwise() {
    let answer: DescribeAccountBalanceResponse = decode(
        r#"{"Response":{"Balance":12,"RealBalance":1234.5,"CashAccountBalance":"12345678901234.56789","OweAmount":null,"RequestId":"r-1"}}"#,
    );
    let value = serde_json::to_value(&answer).unwrap();
    assert_eq!(
        value,
        json!({"Balance": 12, "RealBalance": 1234.5, "CashAccountBalance": "12345678901234.56789", "RequestId": "r-1"})
    );
    round_trips(&answer);
}

#[test]
fn sub_second_beijing_times_keep_their_fraction() {
    let answer: DescribeGatherResourceResponse =
        decode(r#"{"Response":{"LastUpdateTime":"2024-05-01 08:09:10.250","RequestId":"r-2"}}"#);
    assert_eq!(
        serde_json::to_value(&answer).unwrap(),
        json!({"LastUpdateTime": "2024-05-01 08:09:10.25", "RequestId": "r-2"})
    );
    round_trips(&answer);
    let whole: DescribeGatherResourceResponse =
        decode(r#"{"Response":{"LastUpdateTime":"2024-05-01 08:09:10","RequestId":"r-3"}}"#);
    assert_eq!(serde_json::to_value(&whole).unwrap()["LastUpdateTime"], "2024-05-01 08:09:10");
}

#[test]
fn percentages_and_dash_sentinels() {
    let item: ActionSummaryOverviewItem =
        serde_json::from_str(r#"{"RealTotalCostRatio":"12.50%","RealTotalCost":"-","TotalCost":"3.10000000"}"#)
            .unwrap();
    assert_eq!(serde_json::to_value(&item).unwrap(), json!({"RealTotalCostRatio": "12.50", "TotalCost": "3.10000000"}));
    let again: ActionSummaryOverviewItem = serde_json::from_value(serde_json::to_value(&item).unwrap()).unwrap();
    assert_eq!(again, item);
}
