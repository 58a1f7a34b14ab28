//! A page size above the documented maximum is refused before sending, on direct calls of every
//! action whose spec records one; at the maximum the request goes out; a paginator caps instead.

use crate::common;

use tencentcloud_billing::datetime::YearMonth;
use tencentcloud_billing::{BillingClient, Error, Site};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const OK: &str = r#"{"Response":{"RequestId":"r-ok"}}"#;

/// A server that must receive exactly `n` requests (checked when it is dropped).
async fn expecting(n: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(OK))
        .expect(n)
        .mount(&server)
        .await;
    server
}

fn china(server: &MockServer) -> BillingClient {
    common::mock_client(server).disable_rate_limit().build().unwrap()
}

fn intl(server: &MockServer) -> BillingClient {
    common::mock_client(server).site(Site::International).disable_rate_limit().build().unwrap()
}

fn refused_for_size(e: &Error, field: &str, max: u64, got: i128) {
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let msg = e.to_string();
    assert!(msg.contains(&format!("`{field}`")), "{msg} does not name `{field}`");
    assert!(msg.contains(&format!("maximum of {max}")), "{msg} does not give the maximum {max}");
    assert!(msg.contains(&got.to_string()), "{msg} does not give the value {got}");
    assert!(!e.is_retryable());
}

#[tokio::test]
async fn saving_plan_resource_info_refuses_a_limit_above_100() {
    let server = expecting(0).await;
    let e = china(&server).describe_saving_plan_resource_info().offset(0).limit(101).send().await.unwrap_err();
    refused_for_size(&e, "limit", 100, 101);
    assert!(e.to_string().starts_with("DescribeSavingPlanResourceInfo: "), "{e}");
}

#[tokio::test]
async fn saving_plan_resource_info_sends_a_limit_of_100() {
    let server = expecting(1).await;
    let answer = china(&server).describe_saving_plan_resource_info().offset(0).limit(100).send().await.unwrap();
    assert_eq!(answer.request_id, "r-ok");
}

#[tokio::test]
async fn every_size_field_kind_is_checked() {
    let server = expecting(0).await;
    let c = china(&server);
    // An i64 `limit` with a 300 maximum.
    let e = c.describe_bill_detail().offset(0).limit(301).send().await.unwrap_err();
    refused_for_size(&e, "limit", 300, 301);
    // A u64 `page_size` (page-number paging) and a u64 `max_results` (token paging).
    let e = c
        .describe_cost_explorer_summary()
        .begin_time(common::bj("2024-05-01 00:00:00"))
        .end_time(common::bj("2024-05-31 23:59:59"))
        .bill_type("1")
        .period_type(tencentcloud_billing::types::PeriodType::Month)
        .dimensions(tencentcloud_billing::types::CostExplorerDimension::Business)
        .fee_type(tencentcloud_billing::types::CostExplorerFeeType::Cost)
        .page_no(1)
        .page_size(101)
        .send()
        .await
        .unwrap_err();
    refused_for_size(&e, "page_size", 100, 101);
    let e = c.describe_org_member_account_balance().page_size(11).send().await.unwrap_err();
    refused_for_size(&e, "page_size", 10, 11);
    let e = c.describe_renew_instances().max_results(101).send().await.unwrap_err();
    refused_for_size(&e, "max_results", 100, 101);
    // The largest documented maximum.
    let e = c
        .describe_bill_resource_summary()
        .month(YearMonth::new(2024, time::Month::May))
        .offset(0)
        .limit(1001)
        .send()
        .await
        .unwrap_err();
    refused_for_size(&e, "limit", 1000, 1001);
    // Missing required fields are still reported first.
    let e = c.describe_voucher_usage_details().offset(1).limit(5000).send().await.unwrap_err();
    assert!(e.to_string().contains("`voucher_id`"), "{e}");
}

#[tokio::test]
async fn an_integer_sent_as_a_string_is_checked_too() {
    // DescribeCPQBillingMapping (international site) sends Offset/Limit as JSON strings.
    let server = expecting(0).await;
    let e = intl(&server).describe_cpq_billing_mapping().offset(0).limit(101).send().await.unwrap_err();
    refused_for_size(&e, "limit", 100, 101);
}

#[tokio::test]
async fn at_the_maximum_the_request_goes_out() {
    let server = expecting(3).await;
    let c = china(&server);
    c.describe_bill_detail().offset(0).limit(300).send().await.unwrap();
    c.describe_org_member_account_balance().page_size(10).send().await.unwrap();
    intl(&server).describe_cpq_billing_mapping().offset(0).limit(100).send().await.unwrap();
}

#[tokio::test]
async fn a_paginator_caps_an_oversized_limit_instead_of_refusing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"Response":{"DetailSet":[],"RequestId":"r"}}"#))
        .expect(1)
        .mount(&server)
        .await;
    let mut pages = china(&server).describe_bill_detail().limit(5000).into_paginator();
    pages.next().await.unwrap().unwrap();
    assert!(pages.next().await.is_none());
    let sent = &server.received_requests().await.unwrap()[0];
    let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(body["Limit"], 300);
}
