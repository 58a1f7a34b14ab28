//! The sandbox's demo account over HTTP, at the wire level (JSON bodies signed with `tc3`), so it
//! is checked independently of the typed actions.

use crate::common;
use std::time::Duration;

use serde_json::{Value, json};
use tencentcloud_billing::datetime::YearMonth;
use tencentcloud_billing::money::{Cents, Decimal};
use tencentcloud_billing::sandbox::demo::{Demo, Scenario};
use tencentcloud_billing::sandbox::{SANDBOX_SECRET_ID, SANDBOX_SECRET_KEY, Sandbox};
use tencentcloud_billing::tc3;

/// POST one action; returns the `Response` object.
async fn call(sandbox: &Sandbox, action: &str, body: Value) -> Value {
    let payload = serde_json::to_vec(&body).unwrap();
    let host = sandbox.addr().to_string();
    let input = tc3::SigningInput::post_json(&host, "billing", &payload, sandbox.now_unix());
    let mut req = common::raw_http()
        .post(sandbox.endpoint())
        .header("X-TC-Action", action)
        .header("X-TC-Version", "2018-07-09")
        .body(payload.clone());
    let key = tc3::SigningKey::derive(SANDBOX_SECRET_KEY, input.timestamp.div_euclid(86_400), "billing");
    for (name, value) in tc3::sign_headers(&input, SANDBOX_SECRET_ID, &key, None) {
        if name != "Host" {
            req = req.header(name, value);
        }
    }
    let bytes = req.send().await.unwrap().bytes().await.unwrap();
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    v["Response"].clone()
}

fn previous_month() -> YearMonth {
    YearMonth::current_beijing().previous()
}

fn dec(v: &Value) -> Decimal {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}")).parse().unwrap()
}

#[tokio::test]
async fn bill_detail_pages_through_the_whole_month_and_matches_the_summaries() {
    let sandbox = Sandbox::start().await.unwrap();
    let demo = sandbox.install_demo(Demo::new().rows_per_month(1_000));
    let month = previous_month();
    assert_eq!(demo.rows_in_month(month), 1_000);
    let mut offset = 0;
    let mut context = String::new();
    let mut ids = std::collections::HashSet::new();
    let mut real = Decimal::ZERO;
    loop {
        let page = call(
            &sandbox,
            "DescribeBillDetail",
            json!({ "Month": month.to_string(), "Offset": offset, "Limit": 300, "NeedRecordNum": 1, "Context": context }),
        )
        .await;
        assert_eq!(page["Total"], 1_000, "{page}");
        let rows = page["DetailSet"].as_array().unwrap();
        for r in rows {
            assert!(ids.insert(r["Id"].as_str().unwrap().to_owned()));
            for c in r["ComponentSet"].as_array().unwrap() {
                real += dec(&c["RealCost"]);
            }
        }
        context = page["Context"].as_str().unwrap().to_owned();
        offset += rows.len();
        if rows.len() < 300 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(210)).await;
    }
    assert_eq!(ids.len(), 1_000);
    let m = month.to_string();
    let summary = call(&sandbox, "DescribeBillSummaryByProduct", json!({ "BeginTime": m, "EndTime": m })).await;
    assert_eq!(dec(&summary["SummaryTotal"]["RealTotalCost"]), real);
    let ratios: Decimal =
        summary["SummaryOverview"].as_array().unwrap().iter().map(|i| dec(&i["RealTotalCostRatio"])).sum();
    assert!((ratios - Decimal::ONE_HUNDRED).abs() < Decimal::ONE, "{ratios}");
    let cost = call(
        &sandbox,
        "DescribeCostSummaryByProduct",
        json!({ "BeginTime": m, "EndTime": m, "Offset": 0, "Limit": 3, "NeedRecordNum": 1 }),
    )
    .await;
    assert_eq!(dec(&cost["Total"]["RealTotalCost"]), real);
    assert_eq!(cost["Data"].as_array().unwrap().len(), 3);
    assert_eq!(cost["RecordNum"], 10);
}

#[tokio::test]
async fn bill_detail_checks_its_parameters_and_filters() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.install_demo(Demo::new().rows_per_month(600));
    let m = previous_month().to_string();
    let err = |v: Value| v["Error"]["Code"].as_str().unwrap_or("").to_owned();
    assert_eq!(
        err(call(&sandbox, "DescribeBillDetail", json!({ "Month": m, "Offset": 0, "Limit": 301 })).await),
        "InvalidParameterValue"
    );
    assert_eq!(err(call(&sandbox, "DescribeBillDetail", json!({ "Month": m, "Limit": 10 })).await), "MissingParameter");
    assert_eq!(
        err(call(&sandbox, "DescribeBillDetail", json!({ "Offset": 0, "Limit": 10 })).await),
        "MissingParameter"
    );
    let foreign = json!({ "Month": m, "Offset": 10, "Limit": 10, "Context": "demo:1999-01:0" });
    assert_eq!(err(call(&sandbox, "DescribeBillDetail", foreign).await), "InvalidParameterValue");
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    // BeginTime/EndTime within one month work like Month; Total is only sent when asked for.
    let page = call(
        &sandbox,
        "DescribeBillDetail",
        json!({ "BeginTime": format!("{m}-01 00:00:00"), "EndTime": format!("{m}-10 00:00:00"), "Offset": 590, "Limit": 300 }),
    )
    .await;
    assert_eq!(page["DetailSet"].as_array().unwrap().len(), 10);
    assert!(page.get("Total").is_none());
    // Filters: postpaid CVM rows only, consistently counted.
    let page = call(
        &sandbox,
        "DescribeBillDetail",
        json!({ "Month": m, "Offset": 0, "Limit": 300, "NeedRecordNum": 1, "PayMode": "postPay", "BusinessCode": "p_cvm" }),
    )
    .await;
    let rows = page["DetailSet"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["PayModeName"] == "Pay-As-You-Go" && r["BusinessCode"] == "p_cvm"));
    assert_eq!(page["Total"].as_u64().unwrap() as usize, rows.len());
    // The month after next has no bills yet.
    let future = YearMonth::current_beijing().next().unwrap().to_string();
    let page =
        call(&sandbox, "DescribeBillDetail", json!({ "Month": future, "Offset": 0, "Limit": 10, "NeedRecordNum": 1 }))
            .await;
    assert_eq!((page["Total"].as_u64(), page["DetailSet"].as_array().map(Vec::len)), (Some(0), Some(0)));
}

#[tokio::test]
async fn bill_detail_is_held_to_five_requests_a_second() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.install_demo(Demo::new().rows_per_month(100));
    let m = previous_month().to_string();
    // Ten at once: the sandbox accepts five in any one-second window and refuses the rest.
    let body = json!({ "Month": m, "Offset": 0, "Limit": 1 });
    let (a, b, c, d, e, f, g, h, i, j) = tokio::join!(
        call(&sandbox, "DescribeBillDetail", body.clone()),
        call(&sandbox, "DescribeBillDetail", body.clone()),
        call(&sandbox, "DescribeBillDetail", body.clone()),
        call(&sandbox, "DescribeBillDetail", body.clone()),
        call(&sandbox, "DescribeBillDetail", body.clone()),
        call(&sandbox, "DescribeBillDetail", body.clone()),
        call(&sandbox, "DescribeBillDetail", body.clone()),
        call(&sandbox, "DescribeBillDetail", body.clone()),
        call(&sandbox, "DescribeBillDetail", body.clone()),
        call(&sandbox, "DescribeBillDetail", body.clone()),
    );
    let codes: Vec<String> =
        [a, b, c, d, e, f, g, h, i, j].iter().map(|v| v["Error"]["Code"].as_str().unwrap_or("ok").to_owned()).collect();
    let ok = codes.iter().filter(|c| *c == "ok").count();
    assert!((1..=5).contains(&ok), "{codes:?}");
    assert!(codes.iter().all(|c| c == "ok" || c == "RequestLimitExceeded"), "{codes:?}");
}

#[tokio::test]
async fn summaries_by_every_dimension_agree() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.install_demo(Demo::new().rows_per_month(800));
    let m = previous_month().to_string();
    let total = |v: &Value| -> Decimal {
        v["SummaryOverview"].as_array().unwrap().iter().map(|i| dec(&i["RealTotalCost"])).sum()
    };
    let product = call(&sandbox, "DescribeBillSummaryByProduct", json!({ "BeginTime": m, "EndTime": m })).await;
    let expected = dec(&product["SummaryTotal"]["RealTotalCost"]);
    for action in ["DescribeBillSummaryByRegion", "DescribeBillSummaryByProject", "DescribeBillSummaryByPayMode"] {
        let v = call(&sandbox, action, json!({ "BeginTime": m, "EndTime": m })).await;
        assert_eq!(v["Ready"], 1);
        assert_eq!(total(&v), expected, "{action}");
    }
    for key in ["env", "team"] {
        let v =
            call(&sandbox, "DescribeBillSummaryByTag", json!({ "BeginTime": m, "EndTime": m, "TagKey": key })).await;
        assert_eq!(total(&v), expected, "{key}");
        assert_eq!(dec(&v["SummaryTotal"]["RealTotalCost"]), expected);
    }
    let v = call(&sandbox, "DescribeBillSummaryByTag", json!({ "BeginTime": m, "EndTime": m, "TagKey": "nope" })).await;
    assert_eq!(v["Error"]["Code"], "FailedOperation.TagKeyNotExist");
    let pay = call(&sandbox, "DescribeBillSummaryByPayMode", json!({ "BeginTime": m, "EndTime": m })).await;
    for mode in pay["SummaryOverview"].as_array().unwrap() {
        let detail: Decimal = mode["Detail"].as_array().unwrap().iter().map(|d| dec(&d["RealTotalCost"])).sum();
        assert_eq!(detail, dec(&mode["RealTotalCost"]));
    }
    for action in ["DescribeCostSummaryByRegion", "DescribeCostSummaryByProject"] {
        let v = call(&sandbox, action, json!({ "BeginTime": m, "EndTime": m, "Offset": 0, "Limit": 100 })).await;
        let sum: Decimal = v["Data"].as_array().unwrap().iter().map(|i| dec(&i["RealTotalCost"])).sum();
        assert_eq!(sum, expected, "{action}");
        assert!(["upward", "downward", "none"].contains(&v["Data"][0]["Trend"]["Type"].as_str().unwrap()));
    }
    // Consumption, refunds and adjustments partition the month; refunds and compensations give
    // money back.
    let mut parts = Decimal::ZERO;
    for pay_type in ["consume", "refund", "adjustment"] {
        let v = call(
            &sandbox,
            "DescribeBillSummaryByProduct",
            json!({ "BeginTime": m, "EndTime": m, "PayType": pay_type }),
        )
        .await;
        let part = dec(&v["SummaryTotal"]["RealTotalCost"]);
        assert_eq!(total(&v), part, "{pay_type}");
        assert!(pay_type == "consume" || part <= Decimal::ZERO, "{pay_type}: {part}");
        parts += part;
    }
    assert_eq!(parts, expected);
}

#[tokio::test]
async fn the_balance_drains_with_the_sandbox_clock_and_goes_overdue() {
    let sandbox = Sandbox::start().await.unwrap();
    let demo = sandbox.install_demo(Demo::new().scenario(Scenario::LowBalance).burn_per_hour(Cents::from(10_000)));
    // The sandbox clock also moves in real time: allow a few cents (seconds) of slack.
    let balance = |v: &Value| (v["CashAccountBalance"].as_i64().unwrap(), v["OweAmount"].as_i64().unwrap());
    let near = |(cash, owed): (i64, i64), (ec, eo): (i64, i64)| {
        assert!((cash - ec).abs() <= 50 && (owed - eo).abs() <= 50, "({cash}, {owed}) is not about ({ec}, {eo})");
    };
    near(balance(&call(&sandbox, "DescribeAccountBalance", json!({})).await), (32_000, 0));
    sandbox.advance_clock(3 * 3_600);
    near(balance(&call(&sandbox, "DescribeAccountBalance", json!({})).await), (2_000, 0));
    sandbox.advance_clock(3_600);
    let v = call(&sandbox, "DescribeAccountBalance", json!({})).await;
    near(balance(&v), (0, 8_000));
    assert_eq!(v["RealBalance"].as_i64(), v["OweAmount"].as_i64().map(|o| -o));
    demo.set_burn_per_hour(Cents::ZERO);
    let held = demo.balance();
    demo.top_up(Cents::from(100_000));
    assert_eq!(demo.balance(), held + Cents::from(100_000));
    sandbox.advance_clock(86_400);
    assert_eq!(demo.balance(), held + Cents::from(100_000));
    demo.set_balance(Cents::from(-500));
    assert_eq!(balance(&call(&sandbox, "DescribeAccountBalance", json!({})).await), (0, 500));
}

#[tokio::test]
async fn the_scenarios_and_the_typed_client() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.install_demo(Demo::new().scenario(Scenario::Overdue).burn_per_hour(Cents::ZERO));
    let client = sandbox.client_builder().build().unwrap();
    let b = client.describe_account_balance().send().await.unwrap();
    assert_eq!(b.owe_amount, Some(Cents::from(128_050)));
    sandbox.install_demo(Demo::new().scenario(Scenario::CreditNearlyExhausted).burn_per_hour(Cents::ZERO));
    let b = client.describe_account_balance().send().await.unwrap();
    assert_eq!(b.real_credit_balance, Some(Cents::from(135_000)));
    assert_eq!(b.owe_amount, Some(Cents::ZERO));
    assert_eq!("low".parse::<Scenario>(), Ok(Scenario::LowBalance));
    assert!("x".parse::<Scenario>().is_err());
}

#[tokio::test]
async fn the_balance_alarm_setting_is_kept() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.install_demo(Demo::new());
    let v = call(&sandbox, "DescribeAccountWarning", json!({})).await;
    assert_eq!((v["Threshold"].as_str(), v["Open"].as_str()), (Some("0"), Some("0")));
    let v = call(&sandbox, "ModifyAccountWarning", json!({ "Threshold": 50_000, "Open": 1 })).await;
    assert_eq!(v["Open"], "1");
    let v = call(&sandbox, "DescribeAccountWarning", json!({})).await;
    assert_eq!((v["Threshold"].as_str(), v["Open"].as_str()), (Some("50000"), Some("1")));
    let v = call(&sandbox, "ModifyAccountWarning", json!({ "Threshold": 1, "Open": 2 })).await;
    assert_eq!(v["Error"]["Code"], "InvalidParameterValue");
}

#[tokio::test]
async fn the_typed_paginator_reads_the_demo_month() {
    let sandbox = Sandbox::start().await.unwrap();
    let demo = sandbox.install_demo(Demo::new().rows_per_month(700));
    let client = sandbox.client_builder().build().unwrap();
    let month = previous_month();
    let mut items = client.describe_bill_detail().month(month).need_record_num(1).into_paginator().items();
    let mut n = 0;
    let mut real = tencentcloud_billing::money::Yuan::ZERO;
    while let Some(item) = items.next().await {
        let item = item.unwrap();
        real += item.component_set().iter().filter_map(|c| c.real_cost).sum();
        assert!(item.fee_begin_time.is_some() && item.region_id.is_some());
        n += 1;
    }
    assert_eq!(n, demo.rows_in_month(month));
    assert_eq!(items.pages_fetched(), 3);
    let summary = client.describe_bill_summary_by_product().begin_time(month).end_time(month).send().await.unwrap();
    assert_eq!(summary.summary_total.and_then(|t| t.real_total_cost), Some(real));
}

#[tokio::test]
async fn the_typed_balance_alarm_helper() {
    use tencentcloud_billing::monitor::{BalanceAlarm, balance_alarm, set_balance_alarm};
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.install_demo(Demo::new());
    let client = sandbox.client_builder().build().unwrap();
    assert_eq!(balance_alarm(&client).await.unwrap(), BalanceAlarm::off(Cents::ZERO));
    let set = set_balance_alarm(&client, BalanceAlarm::on(Cents::from(100_000))).await.unwrap();
    assert_eq!(set, BalanceAlarm::on(Cents::from(100_000)));
    assert_eq!(balance_alarm(&client).await.unwrap(), set);
    let err = set_balance_alarm(&client, BalanceAlarm::on("12.5".parse().unwrap())).await.unwrap_err();
    assert!(err.to_string().contains("whole"), "{err}");
    assert!(set_balance_alarm(&client, BalanceAlarm::on(Cents::from(-1))).await.is_err());
    // China site only: an international client refuses before sending.
    let intl = sandbox.client_builder().site(tencentcloud_billing::Site::International).build().unwrap();
    let before = sandbox.requests().len();
    assert!(balance_alarm(&intl).await.is_err());
    assert_eq!(sandbox.requests().len(), before);
}
