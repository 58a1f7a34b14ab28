//! TC3 signing and the request pipeline without I/O.
//!
//! `cargo bench --bench signing`

use std::hint::black_box;

use divan::Bencher;
use tencentcloud_billing::__internals::{build_request, signed_header_count};
use tencentcloud_billing::tc3::{self, SigningInput, SigningKey};
use tencentcloud_billing::types::DescribeAccountBalanceRequest;
use tencentcloud_billing::{BillingClient, Credentials};

const HOST: &str = "billing.tencentcloudapi.com";
/// 2026-11-24 09:00:00 UTC.
const NOW: i64 = 1_795_942_800;
/// The body of a typical read: a month and a page.
const BODY: &[u8] = br#"{"Offset":0,"Limit":300,"Month":"2026-10","NeedRecordNum":1}"#;

const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

fn creds() -> Credentials {
    Credentials::new(SECRET_ID, SECRET_KEY)
}

fn main() {
    divan::main();
}

/// Sign with the day's key already derived, as the client does from its key cache: the hot path.
/// The result holds the Authorization header string.
#[divan::bench]
fn sign_cached_key(b: Bencher<'_, '_>) {
    let input = SigningInput::post_json(HOST, "billing", BODY, NOW);
    let key = SigningKey::derive(SECRET_KEY, NOW / 86_400, "billing");
    b.bench_local(|| tc3::sign_with_key(black_box(&input), SECRET_ID, black_box(&key)));
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
    let input = SigningInput::post_json(HOST, "billing", BODY, NOW);
    let key = SigningKey::derive(SECRET_KEY, NOW / 86_400, "billing");
    b.bench_local(|| tc3::sign_headers(black_box(&input), SECRET_ID, black_box(&key), None));
}

/// Serialize the request, sign it with the cached key, and build the full header set and the
/// HTTP request the client sends: everything of one attempt except the I/O.
#[divan::bench]
fn pipeline_without_io(b: Bencher<'_, '_>) {
    let client = client();
    let creds = creds();
    let request = DescribeAccountBalanceRequest::new().temp_credit(true);
    build_request(&client, &request, &creds, NOW).unwrap();
    b.bench_local(|| build_request(&client, black_box(&request), black_box(&creds), NOW).unwrap());
}

/// Sign with the cached key and build the full header set the client sends (Authorization,
/// Content-Type, Host, X-TC-Action, -Version, -Timestamp, -Language, -RequestClient).
#[divan::bench]
fn sign_full_header_set(b: Bencher<'_, '_>) {
    let client = client();
    let creds = creds();
    signed_header_count::<DescribeAccountBalanceRequest>(&client, BODY, &creds, NOW).unwrap();
    b.bench_local(|| {
        signed_header_count::<DescribeAccountBalanceRequest>(&client, black_box(BODY), black_box(&creds), NOW).unwrap()
    });
}

fn client() -> BillingClient {
    BillingClient::builder().credentials(creds()).disable_rate_limit().build().unwrap()
}
