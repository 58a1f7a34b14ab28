//! Decoding a 300-row `DescribeBillDetail` page: into the typed response, and the same bytes into
//! `serde_json::Value`.
//!
//! `cargo bench --bench decode`

use std::hint::black_box;

use divan::Bencher;
use divan::counter::BytesCount;
use tencentcloud_billing::types::{
    DescribeAccountBalanceRequest, DescribeBillDetailRequest, DescribeBillDetailResponse,
};

#[path = "support/bill_page.rs"]
mod bill_page;

fn main() {
    divan::main();
}

const ROWS: usize = 300;

/// The typed response, through the client's decoder: every field in its typed form (amounts as
/// exact decimals, Beijing times as `OffsetDateTime`, codes as open enums).
#[divan::bench]
fn typed(b: Bencher<'_, '_>) {
    let page = bill_page::page(ROWS);
    let r = decode_page(&page);
    assert_eq!(r.detail_set().len(), ROWS);
    assert!(r.detail_set().iter().all(|d| !d.component_set().is_empty()));
    b.counter(BytesCount::of_slice(&page)).bench_local(|| decode_page(black_box(&page)));
}

fn decode_page(page: &[u8]) -> DescribeBillDetailResponse {
    tencentcloud_billing::__internals::decode::<DescribeBillDetailRequest>(200, page).unwrap()
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
        tencentcloud_billing::__internals::decode::<DescribeAccountBalanceRequest>(200, black_box(body)).unwrap()
    });
}

/// The floor: parse and validate the JSON, keep nothing.
#[divan::bench]
fn skip_only(b: Bencher<'_, '_>) {
    let page = bill_page::page(ROWS);
    b.counter(BytesCount::of_slice(&page))
        .bench_local(|| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&page)).unwrap());
}
