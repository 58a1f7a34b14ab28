//! Requests refused before sending (a missing required field, the wrong site) make no request;
//! ClientToken is filled in; writes and money-moving actions are never re-sent.

use crate::common;

use std::time::Duration;

use serde_json::Value;
use tencentcloud_billing::datetime::YearMonth;
use tencentcloud_billing::money::Cents;
use tencentcloud_billing::types::*;
use tencentcloud_billing::{Action, ActionKind, BillingClient, Error, RetryConfig, Site};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const OK: &str = r#"{"Response":{"RequestId":"r-ok"}}"#;

/// A server that must receive exactly `n` requests (checked when it is dropped).
async fn expecting(n: u64, status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_string(body))
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

fn refused(e: &Error, needle: &str) {
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    assert!(e.to_string().contains(needle), "{e} does not mention {needle:?}");
}

#[tokio::test]
async fn a_missing_required_field_is_named_and_nothing_is_sent() {
    let server = expecting(0, 200, OK).await;
    let c = china(&server);
    let e = c.describe_bill_detail().month(YearMonth::new(2024, time::Month::May)).send().await.unwrap_err();
    refused(&e, "`offset`");
    let e = c.describe_voucher_usage_details().offset(1).limit(10).send().await.unwrap_err();
    refused(&e, "`voucher_id`");
    let e = c.modify_account_warning().open(1).send().await.unwrap_err();
    refused(&e, "`threshold`");
    let e = c.create_budget().budget_name("b").send().await.unwrap_err();
    refused(&e, "`cycle_type`");
    // A paginator fills in the paging fields but not the others.
    let e = c.describe_voucher_usage_details().into_paginator().next().await.unwrap().unwrap_err();
    refused(&e, "`voucher_id`");
}

#[test]
fn missing_required_reports_the_first_unset_field_in_order() {
    let r = DescribeBillListRequest::new();
    assert_eq!(r.missing_required(), Some("start_time"));
    let r = DescribeBillDetailRequest::new().offset(0);
    assert_eq!(r.missing_required(), Some("limit"));
    assert_eq!(DescribeBillDetailRequest::new().offset(0).limit(1).missing_required(), None);
    assert_eq!(DescribeAccountBalanceRequest::new().missing_required(), None);
    // ClientToken is required on the wire but filled in before sending, so it is not reported.
    let r = RenewInstanceRequest::new()
        .product_code("p_cvm")
        .sub_product_code("sp_cvm_s1")
        .region_code("ap-guangzhou")
        .instance_id("ins-1");
    assert_eq!(r.missing_required(), None);
}

#[tokio::test]
async fn an_action_of_the_other_site_is_refused_before_sending() {
    let server = expecting(0, 200, OK).await;
    let e = china(&server).describe_cpq_billing_mapping().offset(0).limit(10).send().await.unwrap_err();
    refused(&e, "not documented on the China site");
    let e = intl(&server).describe_account_warning().send().await.unwrap_err();
    refused(&e, "not documented on the international site");
    let e = intl(&server).describe_bill_list().into_paginator().next().await.unwrap().unwrap_err();
    refused(&e, "allow_any_site");
}

#[tokio::test]
async fn allow_any_site_sends_it_anyway() {
    let server = expecting(1, 200, OK).await;
    let r = intl(&server).describe_account_warning().allow_any_site().send().await.unwrap();
    assert_eq!(r.request_id, "r-ok");
}

async fn bodies(server: &MockServer) -> Vec<Value> {
    server.received_requests().await.unwrap().iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect()
}

#[tokio::test]
async fn a_client_token_is_filled_in_when_none_is_given() {
    let server = expecting(3, 200, OK).await;
    let c = china(&server);
    let renew = || {
        c.renew_instance()
            .product_code("p_cvm")
            .sub_product_code("sp_cvm_s1")
            .region_code("ap-guangzhou")
            .instance_id("ins-1")
            .period(1)
    };
    renew().send().await.unwrap();
    renew().send().await.unwrap();
    renew().client_token("mine-123").send().await.unwrap();
    let sent = bodies(&server).await;
    let tokens: Vec<&str> = sent.iter().map(|b| b["ClientToken"].as_str().unwrap()).collect();
    assert_eq!(tokens[0].len(), 32, "128 random bits as hex");
    assert!(tokens[0].bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(tokens[0].len() <= 64, "documented limit");
    assert_ne!(tokens[0], tokens[1], "every call gets its own token");
    assert_eq!(tokens[2], "mine-123", "a given token is kept");
}

fn fast_retries() -> RetryConfig {
    RetryConfig::standard().with_max_attempts(3).with_initial_backoff(Duration::from_millis(1)).with_budget(false)
}

#[tokio::test]
async fn money_moving_actions_are_never_resent() {
    assert_eq!(PayDealsRequest::KIND, ActionKind::Money);
    assert_eq!(CreateInstanceRequest::KIND, ActionKind::Money);
    assert_eq!(RefundInstanceRequest::KIND, ActionKind::Money);
    assert_eq!(SetRenewalRequest::KIND, ActionKind::Money);
    let server = expecting(1, 500, "gateway trouble").await;
    let c = common::mock_client(&server).retry(fast_retries()).disable_rate_limit().build().unwrap();
    assert!(c.pay_deals().order_ids(["2020111161300016142141"]).send().await.is_err());
}

#[tokio::test]
async fn writes_are_never_resent() {
    let server = expecting(1, 500, "gateway trouble").await;
    let c = common::mock_client(&server).retry(fast_retries()).disable_rate_limit().build().unwrap();
    let e = c.modify_account_warning().threshold(Cents::from(10_000)).open(1).send().await;
    assert!(e.is_err());
    assert_eq!(ModifyAccountWarningRequest::KIND, ActionKind::Write);
}

#[tokio::test]
async fn reads_are_retried() {
    let server = expecting(3, 500, "gateway trouble").await;
    let c = common::mock_client(&server).retry(fast_retries()).disable_rate_limit().build().unwrap();
    assert!(c.describe_account_balance().send().await.is_err());
}

#[tokio::test]
async fn an_out_of_range_time_is_refused_without_a_panic_or_a_request() {
    use time::{Date, OffsetDateTime, Time};
    let server = expecting(0, 200, OK).await;
    let c = china(&server);
    for t in [OffsetDateTime::new_utc(Date::MAX, Time::MAX), OffsetDateTime::new_utc(Date::MIN, Time::MIDNIGHT)] {
        let e = c
            .describe_bill_detail()
            .offset(0)
            .limit(10)
            .month(YearMonth::new(2024, time::Month::May))
            .begin_time(t)
            .send()
            .await
            .unwrap_err();
        refused(&e, "outside years 0000-9999");
    }
}
