//! TC3 signing and the request pipeline without I/O.
//!
//! `cargo bench --bench signing`

use std::hint::black_box;

use divan::Bencher;
use tencentcloud_billing::tc3::{self, SigningInput, SigningKey};
use tencentcloud_billing::types::DescribeAccountBalanceRequest;
use tencentcloud_billing::{BillingClient, Credentials};

const HOST: &str = "billing.tencentcloudapi.com";
/// 2026-11-24 09:00:00 UTC.
const NOW: i64 = 1_795_942_800;
/// The body of a typical read: a month and a page.
const BODY: &[u8] = br#"{"Offset":0,"Limit":300,"Month":"2026-10","NeedRecordNum":1}"#;

fn creds() -> Credentials {
    Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")
}

fn main() {
    divan::main();
}

/// Sign with the day's key already derived and cached in the credentials: the hot path. The result
/// holds the Authorization header string.
#[divan::bench]
fn sign_cached_key(b: Bencher<'_, '_>) {
    let creds = creds();
    let input = SigningInput::post_json(HOST, "billing", BODY, NOW);
    tc3::sign(&input, &creds);
    b.bench_local(|| tc3::sign(black_box(&input), black_box(&creds)));
}

/// Sign with fresh credentials each time: three extra HMACs to derive the day's key.
#[divan::bench]
fn sign_uncached_key(b: Bencher<'_, '_>) {
    let input = SigningInput::post_json(HOST, "billing", BODY, NOW);
    b.bench_local(|| {
        let key = SigningKey::derive(black_box("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"), NOW / 86_400, "billing");
        tc3::sign_with_key(black_box(&input), "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", &key)
    });
}

/// `tc3::sign_headers`: the signature and every header it depends on, as strings.
#[divan::bench]
fn sign_headers_as_strings(b: Bencher<'_, '_>) {
    let creds = creds();
    let input = SigningInput::post_json(HOST, "billing", BODY, NOW);
    tc3::sign(&input, &creds);
    b.bench_local(|| tc3::sign_headers(black_box(&input), black_box(&creds)));
}

/// Serialize the request, sign it with the cached key, and build the full header set and the
/// `reqwest::Request` the client sends: everything of one attempt except the I/O.
#[divan::bench]
fn pipeline_without_io(b: Bencher<'_, '_>) {
    let client = client();
    let creds = creds();
    let request = DescribeAccountBalanceRequest::new().temp_credit(true);
    client.__build_request(&request, &creds, NOW).unwrap();
    b.bench_local(|| client.__build_request(black_box(&request), black_box(&creds), NOW).unwrap());
}

/// Sign with the cached key and build the full header set the client sends (Authorization,
/// Content-Type, Host, X-TC-Action, -Version, -Timestamp, -Language, -RequestClient).
#[divan::bench]
fn sign_full_header_set(b: Bencher<'_, '_>) {
    let client = client();
    let creds = creds();
    client.__signed_headers::<DescribeAccountBalanceRequest>(BODY, &creds, NOW).unwrap();
    b.bench_local(|| {
        client.__signed_headers::<DescribeAccountBalanceRequest>(black_box(BODY), black_box(&creds), NOW).unwrap()
    });
}

fn client() -> BillingClient {
    BillingClient::builder().credentials(creds()).disable_rate_limit().build().unwrap()
}
