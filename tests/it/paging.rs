//! Every paging scheme against a wiremock server that serves a fixed set of records: record
//! offsets, page indexes from 0 and from 1, page numbers, tokens, the `Context` cursor and
//! string-typed offsets; short, empty and exact-multiple last pages; totals that lie in both
//! directions; page-size caps; laziness; errors; servers that loop; page and item caps; and the
//! `Stream` implementations.

use crate::common;

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_core::Stream;
use serde_json::{Value, json};
use tencentcloud_billing::datetime::{YearMonth, parse_beijing};
use tencentcloud_billing::paginate::{PaginationError, PaginationReason};
use tencentcloud_billing::{BillingClient, Error, Site};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Answers each request with `page(request body)`, wrapped in the envelope.
struct Pages<F>(F);

impl<F: Fn(&Value) -> Value + Send + Sync + 'static> Respond for Pages<F> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).expect("the request body is JSON");
        let mut answer = (self.0)(&body);
        if answer.get("RequestId").is_none() {
            answer["RequestId"] = json!("test-request");
        }
        ResponseTemplate::new(200).set_body_json(json!({ "Response": answer }))
    }
}

async fn serve<F: Fn(&Value) -> Value + Send + Sync + 'static>(action: &str, page: F) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(header("X-TC-Action", action)).respond_with(Pages(page)).mount(&server).await;
    server
}

fn client(server: &MockServer) -> BillingClient {
    common::mock_client(server).disable_rate_limit().build().expect("client")
}

/// The request bodies the server received, in order.
async fn sent(server: &MockServer) -> Vec<Value> {
    let requests = server.received_requests().await.expect("recording is on");
    requests.iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect()
}

fn num(v: &Value, key: &str) -> u64 {
    match &v[key] {
        Value::Number(n) => n.as_u64().unwrap(),
        Value::String(s) => s.parse().unwrap(),
        other => panic!("{key} is {other}"),
    }
}

/// Records `start..start+size` of a set of `len`, each `{key: "<prefix><i>"}`.
fn slice(len: u64, start: u64, size: u64, key: &str) -> Vec<Value> {
    (start..len.min(start.saturating_add(size))).map(|i| json!({ key: format!("r{i}") })).collect()
}

#[tokio::test]
async fn record_offsets_stop_on_a_short_page() {
    let server = serve(
        "DescribeTagList",
        |b| json!({"Data": slice(25, num(b, "Offset"), num(b, "Limit"), "TagKey"), "RecordNum": 25}),
    )
    .await;
    let tags = client(&server).describe_tag_list().limit(10).into_paginator().items().try_collect().await.unwrap();
    let keys: Vec<String> = tags.iter().map(|t| t.tag_key.clone().unwrap()).collect();
    assert_eq!(keys, (0..25).map(|i| format!("r{i}")).collect::<Vec<_>>());
    let offsets: Vec<(u64, u64)> = sent(&server).await.iter().map(|b| (num(b, "Offset"), num(b, "Limit"))).collect();
    assert_eq!(offsets, [(0, 10), (10, 10), (20, 10)]);
}

#[tokio::test]
async fn an_exact_multiple_ends_on_an_empty_page() {
    let server = serve(
        "DescribeTagList",
        |b| json!({"Data": slice(20, num(b, "Offset"), num(b, "Limit"), "TagKey"), "RecordNum": 20}),
    )
    .await;
    let mut pages = client(&server).describe_tag_list().limit(10).into_paginator();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.unwrap().data().len());
    }
    assert_eq!(sizes, [10, 10, 0]);
    assert_eq!(pages.pages_fetched(), 3);
    assert!(pages.next().await.is_none(), "a finished paginator stays finished");
    assert_eq!(sent(&server).await.len(), 3);
}

#[tokio::test]
async fn an_empty_first_page_is_one_request() {
    let server = serve("DescribeTagList", |_| json!({"Data": [], "RecordNum": 0})).await;
    let tags = client(&server).describe_tag_list().into_paginator().items().try_collect().await.unwrap();
    assert!(tags.is_empty());
    assert_eq!(sent(&server).await.len(), 1);
}

#[tokio::test]
async fn a_low_total_is_not_trusted() {
    // DescribeBillDetail's Total is cached and can be far below the real count: keep paging while
    // pages come back full.
    let server = serve(
        "DescribeBillDetail",
        |b| json!({"DetailSet": slice(25, num(b, "Offset"), num(b, "Limit"), "ResourceId"), "Total": 3}),
    )
    .await;
    let month = YearMonth::new(2024, time::Month::May);
    let items =
        client(&server).describe_bill_detail().month(month).limit(10).into_paginator().items().try_collect().await;
    assert_eq!(items.unwrap().len(), 25);
    assert_eq!(sent(&server).await.len(), 3);
}

#[tokio::test]
async fn a_high_total_costs_one_extra_request_at_most() {
    // The total claims 100 records but only 15 exist: the short page is followed up once, and the
    // empty page that comes back ends the walk.
    let server = serve(
        "DescribeTagList",
        |b| json!({"Data": slice(15, num(b, "Offset"), num(b, "Limit"), "TagKey"), "RecordNum": 100}),
    )
    .await;
    let tags = client(&server).describe_tag_list().limit(10).into_paginator().items().try_collect().await.unwrap();
    assert_eq!(tags.len(), 15);
    let offsets: Vec<u64> = sent(&server).await.iter().map(|b| num(b, "Offset")).collect();
    assert_eq!(offsets, [0, 10, 15]);
}

#[tokio::test]
async fn a_server_that_serves_smaller_pages_than_asked_is_followed_while_the_total_says_more() {
    // Asked for 10 per page, the server gives 4: the total (10) says more records follow, so the
    // short pages do not end the walk early, and the offset advances by what was received.
    let server =
        serve("DescribeTagList", |b| json!({"Data": slice(10, num(b, "Offset"), 4, "TagKey"), "RecordNum": 10})).await;
    let tags = client(&server).describe_tag_list().limit(10).into_paginator().items().try_collect().await.unwrap();
    assert_eq!(tags.len(), 10);
    let offsets: Vec<u64> = sent(&server).await.iter().map(|b| num(b, "Offset")).collect();
    assert_eq!(offsets, [0, 4, 8]);
}

#[tokio::test]
async fn the_context_cursor_is_passed_back() {
    let server = serve("DescribeBillDetail", |b| {
        let offset = num(b, "Offset");
        json!({
            "DetailSet": slice(7, offset, num(b, "Limit"), "ResourceId"),
            "Context": format!("cursor-after-{offset}"),
            "Total": 7,
        })
    })
    .await;
    let month = YearMonth::new(2024, time::Month::May);
    let items = client(&server)
        .describe_bill_detail()
        .month(month)
        .limit(3)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 7);
    let bodies = sent(&server).await;
    let seen: Vec<(u64, Option<&str>)> = bodies.iter().map(|b| (num(b, "Offset"), b["Context"].as_str())).collect();
    assert_eq!(seen, [(0, None), (3, Some("cursor-after-0")), (6, Some("cursor-after-3"))]);
    assert!(bodies.iter().all(|b| b["Month"] == "2024-05"), "other fields are kept on every page");
}

#[tokio::test]
async fn page_sizes_are_capped_at_the_documented_maximum() {
    let server = serve("DescribeBillDetail", |_| json!({"DetailSet": [], "Total": 0})).await;
    let c = client(&server);
    let month = YearMonth::new(2024, time::Month::May);
    // Too large: capped at 300. Unset: the maximum. Zero: treated as unset.
    for limit in [Some(1000), None, Some(0)] {
        let mut b = c.describe_bill_detail().month(month);
        if let Some(l) = limit {
            b = b.limit(l);
        }
        b.into_paginator().try_collect().await.unwrap();
    }
    let limits: Vec<u64> = sent(&server).await.iter().map(|b| num(b, "Limit")).collect();
    assert_eq!(limits, [300, 300, 300]);
}

#[tokio::test]
async fn page_index_from_zero() {
    // DescribeDealsByCond: Offset is the page number, starting at 0.
    let server = serve("DescribeDealsByCond", |b| {
        let (page, size) = (num(b, "Offset"), num(b, "Limit"));
        json!({"Deals": slice(25, page * size, size, "OrderId"), "TotalCount": 25})
    })
    .await;
    let deals = client(&server)
        .describe_deals_by_cond()
        .start_time(parse_beijing("2024-05-01 00:00:00").unwrap())
        .end_time(parse_beijing("2024-05-31 23:59:59").unwrap())
        .limit(10)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(deals.len(), 25);
    assert_eq!(deals[24].order_id.as_deref(), Some("r24"));
    let pages: Vec<u64> = sent(&server).await.iter().map(|b| num(b, "Offset")).collect();
    assert_eq!(pages, [0, 1, 2]);
}

#[tokio::test]
async fn page_index_from_one() {
    // DescribeVoucherInfo: Offset is the page number, starting at 1.
    let server = serve("DescribeVoucherInfo", |b| {
        let (page, size) = (num(b, "Offset"), num(b, "Limit"));
        json!({"VoucherInfos": slice(12, (page - 1) * size, size, "VoucherId"), "TotalCount": 12})
    })
    .await;
    let vouchers =
        client(&server).describe_voucher_info().limit(5).into_paginator().items().try_collect().await.unwrap();
    assert_eq!(vouchers.len(), 12);
    let pages: Vec<u64> = sent(&server).await.iter().map(|b| num(b, "Offset")).collect();
    assert_eq!(pages, [1, 2, 3]);
}

#[tokio::test]
async fn voucher_usage_pages_from_one_and_keeps_the_voucher() {
    let server = serve("DescribeVoucherUsageDetails", |b| {
        let (page, size) = (num(b, "Offset"), num(b, "Limit"));
        json!({"UsageRecords": slice(3, (page - 1) * size, size, "VoucherId"), "TotalCount": 3})
    })
    .await;
    let records = client(&server)
        .describe_voucher_usage_details()
        .voucher_id("v-1")
        .limit(2)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(records.len(), 3);
    let bodies = sent(&server).await;
    assert_eq!(bodies.iter().map(|b| num(b, "Offset")).collect::<Vec<_>>(), [1, 2]);
    assert!(bodies.iter().all(|b| b["VoucherId"] == "v-1"));
}

#[tokio::test]
async fn page_numbers_with_nested_records() {
    // DescribeBudget: PageNo/PageSize, and the records sit at Data.Records with Data.Total.
    let server = serve("DescribeBudget", |b| {
        let (page, size) = (num(b, "PageNo"), num(b, "PageSize"));
        json!({"Data": {"Records": slice(7, (page - 1) * size, size, "BudgetName"), "Total": 7}})
    })
    .await;
    let budgets = client(&server).describe_budget().page_size(3).into_paginator().items().try_collect().await.unwrap();
    let names: Vec<&str> = budgets.iter().map(|b| b.budget_name.as_deref().unwrap()).collect();
    assert_eq!(names, ["r0", "r1", "r2", "r3", "r4", "r5", "r6"]);
    let pages: Vec<(u64, u64)> = sent(&server).await.iter().map(|b| (num(b, "PageNo"), num(b, "PageSize"))).collect();
    assert_eq!(pages, [(1, 3), (2, 3), (3, 3)]);
}

#[tokio::test]
async fn page_numbers_capped_at_ten() {
    // DescribeOrgMemberAccountBalance: PageNumber/PageSize, PageSize at most 10.
    let server = serve("DescribeOrgMemberAccountBalance", |b| {
        let (page, size) = (num(b, "PageNumber"), num(b, "PageSize"));
        json!({"Data": slice(23, (page - 1) * size, size, "MemberUin"), "TotalCount": 23})
    })
    .await;
    let members = client(&server)
        .describe_org_member_account_balance()
        .page_size(50)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(members.len(), 23);
    let pages: Vec<(u64, u64)> =
        sent(&server).await.iter().map(|b| (num(b, "PageNumber"), num(b, "PageSize"))).collect();
    assert_eq!(pages, [(1, 10), (2, 10), (3, 10)]);
}

#[tokio::test]
async fn tokens_are_followed_until_none_comes_back() {
    let server = serve("DescribeRenewInstances", |b| {
        let (records, next) = match b["NextToken"].as_str() {
            None => (json!([{"InstanceId": "a"}, {"InstanceId": "b"}]), json!("t1")),
            Some("t1") => (json!([{"InstanceId": "c"}]), json!("t2")),
            Some("t2") => (json!([{"InstanceId": "d"}]), Value::Null),
            Some(other) => panic!("unexpected token {other}"),
        };
        json!({"InstanceList": records, "NextToken": next})
    })
    .await;
    let instances = client(&server).describe_renew_instances().into_paginator().items().try_collect().await.unwrap();
    let ids: Vec<&str> = instances.iter().map(|i| i.instance_id.as_deref().unwrap()).collect();
    // Short pages do not end token paging: only a missing token does.
    assert_eq!(ids, ["a", "b", "c", "d"]);
    let bodies = sent(&server).await;
    let tokens: Vec<Option<&str>> = bodies.iter().map(|b| b["NextToken"].as_str()).collect();
    assert_eq!(tokens, [None, Some("t1"), Some("t2")]);
    assert!(bodies.iter().all(|b| num(b, "MaxResults") == 100), "MaxResults defaults to its maximum");
}

#[tokio::test]
async fn an_empty_token_ends_the_walk() {
    let server =
        serve("DescribeRenewInstances", |_| json!({"InstanceList": [{"InstanceId": "x"}], "NextToken": ""})).await;
    let pages = client(&server).describe_renew_instances().into_paginator().try_collect().await;
    assert_eq!(pages.unwrap().len(), 1);
}

/// The typed loop error of a walk, or a panic naming what came instead.
fn loop_error(e: Error) -> PaginationError {
    match e {
        Error::Pagination(p) => *p,
        other => panic!("expected a pagination error, got {other}"),
    }
}

#[tokio::test]
async fn a_token_that_comes_back_unchanged_is_a_loop() {
    let server =
        serve("DescribeRenewInstances", |_| json!({"InstanceList": [{"InstanceId": "x"}], "NextToken": "same"})).await;
    let mut pages = client(&server).describe_renew_instances().max_results(1).into_paginator();
    assert!(pages.next().await.unwrap().is_ok());
    let e = loop_error(pages.next().await.unwrap().unwrap_err());
    assert_eq!(
        (e.action, e.page, e.reason),
        ("DescribeRenewInstances", 2, PaginationReason::RepeatedCursor { seen_at: 1 })
    );
    assert!(pages.next().await.is_none());
    assert_eq!(sent(&server).await.len(), 2);
}

#[tokio::test]
async fn tokens_alternating_a_b_a_b_stop_at_page_three() {
    // Every answer is new (its records differ), but the tokens cycle: page 3 hands back A, which
    // page 1 already returned, so a fourth request would fetch page 2 again.
    let server = serve("DescribeRenewInstances", |b| {
        let (record, next) = match b["NextToken"].as_str() {
            None => ("r0", "A"),
            Some("A") => ("r1", "B"),
            Some("B") => ("r2", "A"),
            Some(other) => panic!("unexpected token {other}"),
        };
        json!({"InstanceList": [{"InstanceId": record}], "NextToken": next})
    })
    .await;
    let mut items = client(&server).describe_renew_instances().into_paginator().items();
    let mut ids = Vec::new();
    let err = loop {
        match items.next().await.expect("the walk ends with an error, not None") {
            Ok(i) => ids.push(i.instance_id.unwrap()),
            Err(e) => break loop_error(e),
        }
    };
    assert_eq!(ids, ["r0", "r1"], "the page that shows the loop is not yielded");
    assert_eq!(err.page, 3);
    assert_eq!(err.reason, PaginationReason::RepeatedCursor { seen_at: 1 });
    assert_eq!(
        Error::Pagination(Box::new(err)).to_string(),
        "DescribeRenewInstances: page 3 repeats a cursor seen at page 1; the server is looping"
    );
    assert!(items.next().await.is_none());
    let tokens: Vec<Option<String>> =
        sent(&server).await.iter().map(|b| b["NextToken"].as_str().map(str::to_owned)).collect();
    assert_eq!(tokens, [None, Some("A".to_owned()), Some("B".to_owned())]);
}

#[tokio::test]
async fn a_server_ignoring_the_offset_stops_at_page_two() {
    // Full pages forever: the same first ten records whatever the offset, with a fresh RequestId
    // and Context on every answer (those do not make a page new).
    let calls = Arc::new(AtomicU64::new(0));
    let counter = calls.clone();
    let server = serve("DescribeBillDetail", move |b| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        json!({
            "DetailSet": slice(1_000_000, 0, num(b, "Limit"), "ResourceId"),
            "Total": 1_000_000,
            "Context": format!("ctx-{n}"),
            "RequestId": format!("req-{n}"),
        })
    })
    .await;
    let month = YearMonth::new(2024, time::Month::May);
    let mut pages = client(&server).describe_bill_detail().month(month).limit(10).into_paginator();
    assert_eq!(pages.next().await.unwrap().unwrap().detail_set().len(), 10);
    let e = pages.next().await.unwrap().unwrap_err();
    assert!(!e.is_retryable());
    let e = loop_error(e);
    assert_eq!((e.action, e.page, e.reason), ("DescribeBillDetail", 2, PaginationReason::RepeatedPage { seen_at: 1 }));
    assert_eq!(
        e.to_string(),
        "DescribeBillDetail: page 2 repeats the records of page 1; the server is ignoring the paging position and looping"
    );
    assert!(pages.next().await.is_none());
    assert_eq!(pages.pages_fetched(), 2);
    let offsets: Vec<u64> = sent(&server).await.iter().map(|b| num(b, "Offset")).collect();
    assert_eq!(offsets, [0, 10], "the paginator's own offset did advance");
}

#[tokio::test]
async fn a_server_cycling_through_three_pages_stops_at_page_four() {
    // Page numbers ignored; the server rotates through three full pages.
    let calls = Arc::new(AtomicU64::new(0));
    let counter = calls.clone();
    let server = serve("DescribeDealsByCond", move |b| {
        let n = counter.fetch_add(1, Ordering::SeqCst) % 3;
        let size = num(b, "Limit");
        json!({"Deals": slice(u64::MAX, n * size, size, "OrderId"), "TotalCount": 1_000_000})
    })
    .await;
    let deals = client(&server)
        .describe_deals_by_cond()
        .start_time(parse_beijing("2024-05-01 00:00:00").unwrap())
        .end_time(parse_beijing("2024-05-31 23:59:59").unwrap())
        .limit(5)
        .into_paginator()
        .try_collect()
        .await;
    let e = loop_error(deals.unwrap_err());
    assert_eq!((e.action, e.page, e.reason), ("DescribeDealsByCond", 4, PaginationReason::RepeatedPage { seen_at: 1 }));
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    assert_eq!(sent(&server).await.len(), 4);
}

/// A server with endless distinct records: full pages at every offset.
async fn endless_tags() -> MockServer {
    serve("DescribeTagList", |b| json!({"Data": slice(u64::MAX, num(b, "Offset"), num(b, "Limit"), "TagKey")})).await
}

#[tokio::test]
async fn max_pages_stops_at_exactly_n_pages() {
    let server = endless_tags().await;
    let mut pages = client(&server).describe_tag_list().limit(10).into_paginator().max_pages(4);
    let mut n = 0;
    while let Some(page) = pages.next().await {
        assert_eq!(page.unwrap().data().len(), 10);
        n += 1;
        assert!(!pages.capped() || n == 4);
    }
    assert_eq!((n, pages.pages_fetched(), pages.capped()), (4, 4, true));
    assert!(pages.next().await.is_none());
    assert_eq!(sent(&server).await.len(), 4);

    // Zero sends nothing.
    let server = endless_tags().await;
    let pages = client(&server).describe_tag_list().into_paginator().max_pages(0).try_collect().await.unwrap();
    assert!(pages.is_empty());
    assert_eq!(sent(&server).await.len(), 0);
}

#[tokio::test]
async fn max_items_stops_at_exactly_n_items() {
    let server = endless_tags().await;
    let mut items = client(&server).describe_tag_list().limit(10).into_paginator().max_items(25).items();
    let mut keys = Vec::new();
    while let Some(item) = items.next().await {
        keys.push(item.unwrap().tag_key.unwrap());
    }
    assert_eq!(keys, (0..25).map(|i| format!("r{i}")).collect::<Vec<_>>());
    assert_eq!((items.pages_fetched(), items.capped()), (3, true));
    assert_eq!(sent(&server).await.len(), 3, "no page is fetched past the one that reaches the cap");

    // Page by page, the walk stops after the page that reaches the cap.
    let server = endless_tags().await;
    let pages =
        client(&server).describe_tag_list().limit(10).into_paginator().max_items(25).try_collect().await.unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(sent(&server).await.len(), 3);
}

#[tokio::test]
async fn a_walk_that_ends_within_its_caps_is_not_capped() {
    let server = serve(
        "DescribeTagList",
        |b| json!({"Data": slice(25, num(b, "Offset"), num(b, "Limit"), "TagKey"), "RecordNum": 25}),
    )
    .await;
    let mut items = client(&server).describe_tag_list().limit(10).into_paginator().max_pages(3).max_items(25).items();
    let mut n = 0;
    while let Some(item) = items.next().await {
        item.unwrap();
        n += 1;
    }
    assert_eq!((n, items.capped()), (25, false));
    assert_eq!(sent(&server).await.len(), 3);
}

#[tokio::test]
async fn string_typed_offsets_are_sent_as_strings() {
    // DescribeCPQBillingMapping (international site) declares Offset and Limit as strings.
    let server = serve("DescribeCPQBillingMapping", |b| {
        assert!(b["Offset"].is_string() && b["Limit"].is_string(), "{b}");
        json!({"ResourceSpuSet": slice(150, num(b, "Offset"), num(b, "Limit"), "SpuNameEn"), "Total": 150})
    })
    .await;
    let intl = common::mock_client(&server).site(Site::International).disable_rate_limit().build().unwrap();
    let rows = intl.describe_cpq_billing_mapping().into_paginator().items().try_collect().await.unwrap();
    assert_eq!(rows.len(), 150);
    let bodies = sent(&server).await;
    let pages: Vec<(&str, &str)> =
        bodies.iter().map(|b| (b["Offset"].as_str().unwrap(), b["Limit"].as_str().unwrap())).collect();
    assert_eq!(pages, [("0", "100"), ("100", "100")]);
}

#[tokio::test]
async fn nothing_is_sent_until_polled() {
    let server = serve("DescribeTagList", |_| json!({"Data": [], "RecordNum": 0})).await;
    let pages = client(&server).describe_tag_list().into_paginator();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(sent(&server).await.is_empty());
    drop(pages);
}

#[tokio::test]
async fn an_error_is_yielded_once_and_ends_the_walk() {
    let server = serve("DescribeTagList", |b| {
        if num(b, "Offset") == 0 {
            json!({"Data": slice(100, 0, num(b, "Limit"), "TagKey"), "RecordNum": 100})
        } else {
            json!({"Error": {"Code": "FailedOperation", "Message": "boom"}})
        }
    })
    .await;
    let mut items = client(&server).describe_tag_list().limit(10).into_paginator().items();
    for _ in 0..10 {
        assert!(items.next().await.unwrap().is_ok());
    }
    let err = items.next().await.unwrap().unwrap_err();
    assert_eq!(err.code().map(|c| c.as_str()), Some("FailedOperation"));
    assert!(items.next().await.is_none());
    assert_eq!(sent(&server).await.len(), 2, "the failed page is not retried by the paginator");
}

async fn next_via_stream<S: Stream + Unpin>(s: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| Pin::new(&mut *s).poll_next(cx)).await
}

#[tokio::test]
async fn paginator_and_items_are_streams() {
    let server = serve(
        "DescribeTagList",
        |b| json!({"Data": slice(5, num(b, "Offset"), num(b, "Limit"), "TagKey"), "RecordNum": 5}),
    )
    .await;
    let c = client(&server);
    let mut pages = c.describe_tag_list().limit(2).into_paginator();
    let mut n = 0;
    while let Some(page) = next_via_stream(&mut pages).await {
        n += page.unwrap().data().len();
    }
    assert_eq!(n, 5);

    let mut items = c.describe_tag_list().limit(2).into_paginator().items();
    let mut keys = Vec::new();
    while let Some(item) = next_via_stream(&mut items).await {
        keys.push(item.unwrap().tag_key.unwrap());
    }
    assert_eq!(keys, ["r0", "r1", "r2", "r3", "r4"]);
}

#[tokio::test]
async fn bill_detail_pages_are_paced_at_five_per_second() {
    // Real time and the client's real limiter (no override): 7 pages of DescribeBillDetail must
    // never put more than 5 requests into any one-second window.
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let seen = arrivals.clone();
    let server = serve("DescribeBillDetail", move |b| {
        seen.lock().unwrap().push(Instant::now());
        json!({"DetailSet": slice(7, num(b, "Offset"), num(b, "Limit"), "ResourceId"), "Total": 7})
    })
    .await;
    let paced = common::mock_client(&server).build().unwrap();
    assert_eq!(paced.quota("DescribeBillDetail").map(|q| q.limit()), Some(5));
    let started = Instant::now();
    let items = paced
        .describe_bill_detail()
        .month(YearMonth::new(2024, time::Month::May))
        .limit(1)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 7);
    let times = arrivals.lock().unwrap().clone();
    assert_eq!(times.len(), 8, "seven full pages and the empty one");
    // Arrivals are stamped at the server, after the loopback hop: on a loaded machine one request
    // can arrive late and the next on time, squeezing a gap the client kept. A 950 ms window
    // allows for 50 ms of such jitter and still catches a limiter that lets six through a second
    // (evenly spaced, six fit in 834 ms).
    for (i, t) in times.iter().enumerate() {
        let in_window = times[i..].iter().filter(|u| u.duration_since(*t) < Duration::from_millis(950)).count();
        assert!(in_window <= 5, "{in_window} requests within 950 ms of request {i}");
    }
    // 8 requests at 5/s need at least 7 intervals of just over 200 ms.
    assert!(started.elapsed() >= Duration::from_millis(1400), "{:?}", started.elapsed());
}
