//! DescribeAccountBalance answers decode into exact, typed values.

use crate::common;

use tencentcloud_billing::money::Cents;

/// The official example answer (identical on both sites).
const OFFICIAL: &str = r#"{"Response": {"Balance": 0, "CashAccountBalance": 0, "CreditAmount": 10000000000, "CreditBalance": 10000000000, "FreezeAmount": 0, "IncomeIntoAccountBalance": 0, "IsAllowArrears": true, "IsCreditLimited": true, "OweAmount": 0, "PresentAccountBalance": 0, "RealBalance": 0, "RealCreditBalance": 10000000000, "TempAmountInfoList": [{"EndTime": "2026-11-16 00:00:00", "StartTime": "2025-11-01 00:00:00", "TempAmount": 200000, "Uin": "600000561284"}], "TempCredit": 0, "Uin": 600000561284, "RequestId": "8590441d-6e17-4afe-8ca4-f75cec86e290"}}"#;

async fn decode(body: &str) -> tencentcloud_billing::types::DescribeAccountBalanceResponse {
    let server = common::answering(200, body).await;
    common::mock_client(&server).build().unwrap().describe_account_balance().send().await.unwrap()
}

#[tokio::test]
async fn the_official_example_decodes() {
    let r = decode(OFFICIAL).await;
    assert_eq!(r.uin, Some(600_000_561_284));
    assert_eq!(r.balance, Some(Cents::ZERO));
    assert_eq!(r.credit_amount, Some(Cents::from(10_000_000_000)));
    assert_eq!(r.credit_amount.unwrap().to_yuan().to_string(), "100000000");
    assert_eq!(r.is_allow_arrears, Some(true));
    assert_eq!(r.request_id, "8590441d-6e17-4afe-8ca4-f75cec86e290");
    let line = &r.temp_amount_info_list()[0];
    assert_eq!(line.uin.as_deref(), Some("600000561284"));
    assert_eq!(line.temp_amount, Some(Cents::from(200_000)));
    let start = line.start_time.unwrap();
    assert_eq!((start.year(), start.month() as u8, start.day(), start.hour()), (2025, 11, 1, 0));
    assert_eq!(start.offset().whole_hours(), 8, "Beijing time");
    // 2025-11-01 00:00 in Beijing is 2025-10-31 16:00 UTC.
    assert_eq!(start.unix_timestamp(), 1_761_926_400);
}

#[tokio::test]
async fn nulls_and_missing_fields_are_absent_and_unknown_fields_ignored() {
    let r = decode(
        r#"{"Response":{"Balance":null,"Uin":null,"RealBalance":12.5,"TempAmountInfoList":[{"Uin":null,"TempAmount":null,"StartTime":null,"EndTime":""}],"SomethingNew":{"nested":[1,2,3]},"DeprecatedWarning":"x","RequestId":"r"}}"#,
    )
    .await;
    assert_eq!((r.balance, r.uin, r.owe_amount), (None, None, None));
    assert_eq!(r.real_balance.unwrap().to_string(), "12.5");
    assert_eq!(r.real_balance.unwrap().to_yuan().to_string(), "0.125");
    let line = &r.temp_amount_info_list()[0];
    assert_eq!((line.uin.as_deref(), line.temp_amount, line.start_time, line.end_time), (None, None, None, None));
}

#[tokio::test]
async fn fractional_and_huge_cents_are_exact() {
    let r =
        decode(r#"{"Response":{"Balance":123456789012345,"OweAmount":0.01,"FreezeAmount":-250.75,"RequestId":"r"}}"#)
            .await;
    assert_eq!(r.balance.unwrap().to_yuan().to_string(), "1234567890123.45");
    assert_eq!(r.owe_amount.unwrap().to_yuan().to_string(), "0.0001");
    assert_eq!(r.freeze_amount.unwrap().to_yuan().to_string(), "-2.5075");
}
