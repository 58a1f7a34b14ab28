//! Decoding a 300-row `DescribeBillDetail` page: into the typed response, and the same bytes into
//! `serde_json::Value`.
//!
//! `cargo bench --bench decode`

use std::hint::black_box;

use divan::Bencher;
use divan::counter::BytesCount;
use serde::Deserialize;
use tencentcloud_billing::money::Yuan;
use tencentcloud_billing::types::DescribeAccountBalanceResponse;

#[path = "support/bill_page.rs"]
mod bill_page;

fn main() {
    divan::main();
}

const ROWS: usize = 300;

/// The typed response: the page with every field in its typed form (amounts as exact decimals).
#[divan::bench]
fn typed(b: Bencher<'_, '_>) {
    let page = bill_page::page(ROWS);
    let r: Envelope = serde_json::from_slice(&page).unwrap();
    assert_eq!(r.response.detail_set.as_ref().map(Vec::len), Some(ROWS));
    b.counter(BytesCount::of_slice(&page))
        .bench_local(|| serde_json::from_slice::<Envelope>(black_box(&page)).unwrap());
}

/// The same bytes into an untyped `serde_json::Value`.
#[divan::bench]
fn value(b: Bencher<'_, '_>) {
    let page = bill_page::page(ROWS);
    b.counter(BytesCount::of_slice(&page))
        .bench_local(|| serde_json::from_slice::<serde_json::Value>(black_box(&page)).unwrap());
}

/// A `DescribeAccountBalance` answer through the client's decoder, the small answer the load
/// example uses.
#[divan::bench]
fn account_balance_envelope(b: Bencher<'_, '_>) {
    let body = br#"{"Response":{"Balance":1234567,"Uin":909619400,"RealBalance":1234567,"CashAccountBalance":1200000,"IncomeIntoAccountBalance":34567,"PresentAccountBalance":0,"FreezeAmount":0,"OweAmount":0,"IsAllowArrears":false,"IsCreditLimited":false,"CreditAmount":0,"CreditBalance":0,"RealCreditBalance":0,"TempCredit":0,"RequestId":"ca7573cb-473d-40f3-8c58-7be43ae60195"}}"#;
    b.counter(BytesCount::of_slice(body)).bench_local(|| {
        tencentcloud_billing::protocol::__decode::<DescribeAccountBalanceResponse>(
            "DescribeAccountBalance",
            200,
            black_box(body),
        )
        .unwrap()
    });
}

/// The floor: parse and validate the JSON, keep nothing.
#[divan::bench]
fn skip_only(b: Bencher<'_, '_>) {
    let page = bill_page::page(ROWS);
    b.counter(BytesCount::of_slice(&page))
        .bench_local(|| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&page)).unwrap());
}

// A stand-in for the generated `DescribeBillDetailResponse` until it lands: the same fields, the
// same wire names, amounts as `Yuan`, and everything else as the plain types the spec gives.

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "Response")]
    response: DescribeBillDetailResponse,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeBillDetailResponse {
    #[serde(default)]
    detail_set: Option<Vec<BillDetail>>,
    #[serde(default)]
    total: Option<u64>,
    #[serde(default)]
    context: Option<String>,
    #[serde(default)]
    request_id: String,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[derive(Default)]
struct BillDetail {
    business_code_name: Option<String>,
    product_code_name: Option<String>,
    pay_mode_name: Option<String>,
    project_name: Option<String>,
    region_name: Option<String>,
    zone_name: Option<String>,
    resource_id: Option<String>,
    resource_name: Option<String>,
    action_type_name: Option<String>,
    order_id: Option<String>,
    bill_id: Option<String>,
    pay_time: Option<String>,
    fee_begin_time: Option<String>,
    fee_end_time: Option<String>,
    component_set: Option<Vec<BillDetailComponent>>,
    payer_uin: Option<String>,
    owner_uin: Option<String>,
    operate_uin: Option<String>,
    tags: Option<Vec<BillTagInfo>>,
    business_code: Option<String>,
    product_code: Option<String>,
    action_type: Option<String>,
    region_id: Option<String>,
    project_id: Option<i64>,
    price_info: Option<Vec<String>>,
    associated_order: Option<BillDetailAssociatedOrder>,
    formula: Option<String>,
    formula_url: Option<String>,
    bill_day: Option<String>,
    bill_month: Option<String>,
    id: Option<String>,
    region_type: Option<String>,
    region_type_name: Option<String>,
    reserve_detail: Option<String>,
    discount_object: Option<String>,
    discount_type: Option<String>,
    discount_content: Option<String>,
    extend_field: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct BillDetailComponent {
    component_code_name: Option<String>,
    item_code_name: Option<String>,
    single_price: Option<Yuan>,
    specified_price: Option<Yuan>,
    price_unit: Option<String>,
    used_amount: Option<String>,
    used_amount_unit: Option<String>,
    real_total_measure: Option<String>,
    deducted_measure: Option<String>,
    time_span: Option<String>,
    time_unit_name: Option<String>,
    cost: Option<Yuan>,
    discount: Option<String>,
    reduce_type: Option<String>,
    real_cost: Option<Yuan>,
    voucher_pay_amount: Option<Yuan>,
    cash_pay_amount: Option<Yuan>,
    incentive_pay_amount: Option<Yuan>,
    transfer_pay_amount: Option<Yuan>,
    item_code: Option<String>,
    component_code: Option<String>,
    contract_price: Option<Yuan>,
    instance_type: Option<String>,
    ri_time_span: Option<String>,
    #[serde(rename = "OriginalCostWithRI")]
    original_cost_with_ri: Option<Yuan>,
    #[serde(rename = "SPDeductionRate")]
    sp_deduction_rate: Option<String>,
    #[serde(rename = "SPDeduction")]
    sp_deduction: Option<Yuan>,
    #[serde(rename = "OriginalCostWithSP")]
    original_cost_with_sp: Option<Yuan>,
    blended_discount: Option<String>,
    component_config: Option<Vec<BillDetailComponentConfig>>,
    tax_amount: Option<Yuan>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BillDetailComponentConfig {
    name: Option<String>,
    value: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BillTagInfo {
    tag_key: Option<String>,
    tag_value: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BillDetailAssociatedOrder {
    prepay_purchase: Option<String>,
    prepay_renew: Option<String>,
    prepay_modify_up: Option<String>,
    reverse_order: Option<String>,
    new_order: Option<String>,
    original: Option<String>,
}
