//! "`null` or missing decodes as absent": a `null` RequestId and `null` elements inside lists of
//! objects and of strings decode instead of failing the whole answer, both through the types and
//! through the client.

use crate::common;

use common::{answering, decode, mock_client};
use serde_json::{Value, json};
use tencentcloud_billing::datetime::YearMonth;
use tencentcloud_billing::types::*;
use tencentcloud_billing::{BillingClient, Error};
use wiremock::MockServer;

fn client(server: &MockServer) -> BillingClient {
    mock_client(server).disable_rate_limit().build().unwrap()
}

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/examples/cn/{name}.response.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The official DescribeBillDetail example with `null` put at the front, in the middle and at
/// the end of `DetailSet`, inside a row's `ComponentSet`, `Tags` and a component's
/// `ComponentConfig`, and as the RequestId.
fn bill_detail_with_nulls() -> (Value, usize) {
    let mut v = fixture("DescribeBillDetail");
    let r = &mut v["Response"];
    let rows = r["DetailSet"].as_array_mut().unwrap();
    let n = rows.len();
    assert!(n >= 1);
    let row = &mut rows[0];
    row["ComponentSet"].as_array_mut().unwrap().insert(0, Value::Null);
    row["Tags"] = json!([null, {"TagKey": "team", "TagValue": "billing"}, null]);
    let component = &mut row["ComponentSet"].as_array_mut().unwrap()[1];
    component["ComponentConfig"].as_array_mut().unwrap().push(Value::Null);
    rows.insert(0, Value::Null);
    rows.insert(rows.len() / 2, Value::Null);
    rows.push(Value::Null);
    r["RequestId"] = Value::Null;
    (v, n)
}

#[test]
fn bill_detail_rows_skip_null_elements_at_every_level() {
    let (v, n) = bill_detail_with_nulls();
    let plain: DescribeBillDetailResponse = decode(&fixture("DescribeBillDetail").to_string());
    let answer: DescribeBillDetailResponse = decode(&v.to_string());
    assert_eq!(answer.request_id, "");
    assert_eq!(answer.detail_set().len(), n, "null rows are skipped, real rows kept");
    let row = &answer.detail_set()[0];
    let plain_row = &plain.detail_set()[0];
    assert_eq!(row.component_set(), plain_row.component_set(), "the null component is skipped");
    let tags = row.tags();
    assert_eq!(tags.len(), 1);
    assert_eq!((tags[0].tag_key.as_deref(), tags[0].tag_value.as_deref()), (Some("team"), Some("billing")));
    // Every other row decodes exactly as without the nulls.
    assert_eq!(&answer.detail_set()[1..], &plain.detail_set()[1..]);
}

#[test]
fn a_null_request_id_is_empty_and_a_null_list_is_absent() {
    let mut v = fixture("DescribeAccountBalance");
    v["Response"]["RequestId"] = Value::Null;
    v["Response"]["TempAmountInfoList"] = Value::Null;
    let answer: DescribeAccountBalanceResponse = decode(&v.to_string());
    assert_eq!(answer.request_id, "");
    assert!(answer.temp_amount_info_list.is_none());
    assert!(answer.temp_amount_info_list().is_empty());
    assert!(answer.real_balance.is_some(), "the rest of the answer is kept");
}

#[test]
fn lists_of_strings_skip_null_elements() {
    let mut v = fixture("PayDeals");
    let r = &mut v["Response"];
    r["OrderIds"].as_array_mut().unwrap().push(Value::Null);
    r["ResourceIds"].as_array_mut().unwrap().insert(0, Value::Null);
    r["BigDealIds"] = json!([null]);
    let answer: PayDealsResponse = decode(&v.to_string());
    assert_eq!(answer.order_ids(), ["2020111161300016142141"]);
    assert_eq!(answer.resource_ids(), ["ins-abc", "ins-xxx"]);
    assert!(answer.big_deal_ids().is_empty());
}

#[test]
fn wrong_shapes_still_fail() {
    // Tolerating null is not tolerating anything: a list that is an object, or a string list
    // holding an object, is still an error.
    let mut v = fixture("PayDeals");
    v["Response"]["OrderIds"] = json!({"a": 1});
    common::decode_fails::<PayDealsResponse>(&v.to_string(), "a list");
    let mut v = fixture("PayDeals");
    v["Response"]["ResourceIds"] = json!([{"a": 1}]);
    common::decode_fails::<PayDealsResponse>(&v.to_string(), "string");
}

#[tokio::test]
async fn through_the_client_a_null_request_id_and_null_rows_decode() {
    let (v, n) = bill_detail_with_nulls();
    let server = answering(200, v.to_string()).await;
    let page = client(&server)
        .describe_bill_detail()
        .month(YearMonth::new(2023, time::Month::July))
        .offset(0)
        .limit(100)
        .send()
        .await
        .unwrap();
    assert_eq!(page.detail_set().len(), n);
    assert_eq!(page.request_id, "");

    let mut v = fixture("DescribeAccountBalance");
    v["Response"]["RequestId"] = Value::Null;
    let server = answering(200, v.to_string()).await;
    let balance = client(&server).describe_account_balance().send().await.unwrap();
    assert_eq!(balance.request_id, "");
    assert!(balance.balance.is_some());
}

#[tokio::test]
async fn a_service_error_with_a_null_request_id_keeps_its_code() {
    let body = r#"{"Response":{"Error":{"Code":"InvalidParameter","Message":"bad"},"RequestId":null}}"#;
    let server = answering(200, body).await;
    let e = client(&server).describe_account_balance().send().await.unwrap_err();
    assert!(matches!(e, Error::Service(_)), "{e:?}");
    assert_eq!(e.code().map(|c| c.as_str()), Some("InvalidParameter"));
    assert_eq!(e.request_id(), None, "an empty RequestId is reported as none");
}
