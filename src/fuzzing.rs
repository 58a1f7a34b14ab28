//! Entry points for the fuzz target in `fuzz/`, the property tests in `tests/` and the
//! benchmarks in `benches/`, behind the hidden `internals` feature. Not part of the API: free to
//! change in any release, and nothing here returns a foreign type.
//!
//! [`decode_response`] feeds one input to everything that reads what a server sends: the
//! envelope and typed responses (the balance, bills, costs, orders, vouchers, allocation)
//! exactly as the client decodes them, every wire type
//! (money, datetimes, months, numbers as strings), the text parsers, and the error formatting.
//! It panics only when a property fails, which is what the fuzzer looks for.

use serde::Deserialize;

/// The limiter's pieces, for the benchmarks and the quota tests.
pub mod quota {
    pub use crate::quota::{LATENESS_CREDIT, PACING_MARGIN, Pacer, Quota, RateLimiter};
    #[cfg(feature = "redis")]
    pub use crate::quota::{REDIS_PROBE_BACKOFF_MAX, REDIS_PROBE_BACKOFF_MIN, REDIS_TIMEOUT, RedisStore};
}
use time::{Date, OffsetDateTime};

use crate::datetime::{self, YearMonth};
use crate::error::{DecodeError, Error};
use crate::money::{Cents, Percent, Yuan, YuanE8};
use crate::protocol;
use crate::protocol::{ApiResponse, sealed};

/// A response with one field of every wire type, decoded through the same envelope.
#[derive(Debug, Default, Deserialize)]
struct EveryType {
    #[serde(rename = "Yuan", default, deserialize_with = "crate::wire::opt")]
    yuan: Option<Yuan>,
    #[serde(rename = "Cents", default, deserialize_with = "crate::wire::opt")]
    cents: Option<Cents>,
    #[serde(rename = "YuanE8", default, deserialize_with = "crate::wire::opt")]
    yuan_e8: Option<YuanE8>,
    #[serde(rename = "Percent", default, deserialize_with = "crate::wire::opt")]
    percent: Option<Percent>,
    #[serde(rename = "Date", default, deserialize_with = "crate::wire::opt")]
    date: Option<Date>,
    #[serde(rename = "Month", default, deserialize_with = "crate::wire::opt")]
    month: Option<YearMonth>,
    #[serde(rename = "Time", default, deserialize_with = "crate::wire::opt")]
    time: Option<OffsetDateTime>,
    #[serde(rename = "Text", default, deserialize_with = "crate::wire::opt")]
    text: Option<String>,
    #[serde(rename = "Count", default, deserialize_with = "crate::wire::opt")]
    count: Option<u64>,
    #[serde(rename = "Signed", default, deserialize_with = "crate::wire::opt")]
    signed: Option<i64>,
    #[serde(rename = "Flag", default, deserialize_with = "crate::wire::opt")]
    flag: Option<bool>,
    #[serde(rename = "Ratio", default, deserialize_with = "crate::wire::opt")]
    ratio: Option<f64>,
    #[serde(rename = "Amounts", default, deserialize_with = "crate::wire::opt_vec")]
    amounts: Option<Vec<Yuan>>,
    #[serde(rename = "Nested", default)]
    nested: Option<Vec<EveryType>>,
    #[serde(rename = "RequestId", default)]
    request_id: String,
}

impl sealed::Sealed for EveryType {}

impl ApiResponse for EveryType {
    const ACTION: &'static str = "Fuzz";

    fn request_id(&self) -> &str {
        &self.request_id
    }
}

/// Decode `data` as an answer in every way the client can, checking the properties that must
/// hold whatever the input. Panics when one fails.
#[doc(hidden)]
pub fn decode_response(data: &[u8]) {
    for status in [200, 429, 502] {
        check_outcome(protocol::decode::<crate::types::DescribeAccountBalanceResponse>("Fuzz", status, data), data);
        check_outcome(protocol::decode::<EveryType>("Fuzz", status, data), data);
    }
    // The bill, cost, order and voucher answers: yuan strings with sentinels, cents, 1e-8
    // units, months and Beijing times, nested lists of objects.
    {
        use crate::types::*;
        check_outcome(protocol::decode::<DescribeBillDetailResponse>("Fuzz", 200, data), data);
        check_outcome(protocol::decode::<DescribeBillSummaryByProductResponse>("Fuzz", 200, data), data);
        check_outcome(protocol::decode::<DescribeBillListResponse>("Fuzz", 200, data), data);
        check_outcome(protocol::decode::<DescribeBillResourceSummaryResponse>("Fuzz", 200, data), data);
        check_outcome(protocol::decode::<DescribeCostDetailResponse>("Fuzz", 200, data), data);
        check_outcome(protocol::decode::<DescribeDealsByCondResponse>("Fuzz", 200, data), data);
        check_outcome(protocol::decode::<DescribeVoucherInfoResponse>("Fuzz", 200, data), data);
        check_outcome(protocol::decode::<DescribeAllocationBillDetailResponse>("Fuzz", 200, data), data);
        check_outcome(protocol::decode::<DescribeDosageDetailByDateResponse>("Fuzz", 200, data), data);
        check_outcome(protocol::decode::<DescribeAccountWarningResponse>("Fuzz", 200, data), data);
    }
    if let Ok(r) = protocol::decode::<EveryType>("Fuzz", 200, data) {
        check_every_type(&r);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        parse_text(text);
    }
}

fn check_outcome<T: ApiResponse>(result: Result<T, Error>, data: &[u8]) {
    match result {
        Ok(r) => {
            // A success is always an object envelope: the body starts with `{` after whitespace.
            assert_eq!(data.iter().find(|b| !b.is_ascii_whitespace()), Some(&b'{'), "success from a non-object body");
            let _ = format!("{r:?}");
        }
        Err(e) => {
            let shown = e.to_string();
            let _ = format!("{e:?}");
            match &e {
                Error::Decode(d) => {
                    assert!(d.body_snippet.chars().count() <= DecodeError::SNIPPET_LEN + 1, "snippet too long");
                    assert!(!d.reason.is_empty());
                }
                Error::Service(s) => assert!(shown.contains(s.code.as_str())),
                other => panic!("decoding produced a non-decode, non-service error: {other:?}"),
            }
        }
    }
}

fn check_every_type(r: &EveryType) {
    let values = std::iter::once(r).chain(r.nested.iter().flatten());
    for v in values {
        if let Some(y) = v.yuan {
            round_trip_yuan(y);
        }
        if let Some(c) = v.cents {
            assert_eq!(c.to_string().parse::<Cents>().ok(), Some(c), "cents {c} does not round-trip");
        }
        for y in v.amounts.iter().flatten() {
            round_trip_yuan(*y);
        }
        if let Some(m) = v.month {
            assert_eq!(m.to_string().parse::<YearMonth>().ok(), Some(m));
        }
        if let Some(d) = v.date {
            assert_eq!(datetime::parse_date(&datetime::format_date(d)).ok(), Some(d));
        }
        let _ = (v.yuan_e8, v.percent, v.time, &v.text, v.count, v.signed, v.flag, v.ratio);
    }
}

fn round_trip_yuan(y: Yuan) {
    assert_eq!(y.to_string().parse::<Yuan>().ok(), Some(y), "yuan {y} does not round-trip");
}

/// Decode `data` as a `DescribeAccountBalance` answer with HTTP `status`, as the client does.
#[doc(hidden)]
pub fn decode_balance(status: u16, data: &[u8]) -> Result<crate::types::DescribeAccountBalanceResponse, Error> {
    protocol::decode("Fuzz", status, data)
}

/// The text parsers on `s`, with their round-trip properties. Panics when one fails.
#[doc(hidden)]
pub fn parse_text(s: &str) {
    if let Ok(y) = s.parse::<Yuan>() {
        round_trip_yuan(y);
    }
    if let Ok(c) = s.parse::<Cents>() {
        assert_eq!(c.to_string().parse::<Cents>().ok(), Some(c));
    }
    if let Ok(m) = s.parse::<YearMonth>() {
        assert_eq!(m.to_string().parse::<YearMonth>().ok(), Some(m), "month {m} from {s:?}");
    }
    if let Ok(d) = datetime::parse_date(s) {
        assert_eq!(datetime::parse_date(&datetime::format_date(d)).ok(), Some(d), "date from {s:?}");
    }
    if let Ok(t) = datetime::parse_beijing(s) {
        let again = datetime::parse_beijing(&datetime::format_beijing(t)).ok();
        assert_eq!(again, Some(t.replace_nanosecond(0).unwrap_or(t)), "datetime from {s:?}");
    }
    if let Some(unix) = crate::httpdate::parse(s) {
        assert_eq!(crate::httpdate::parse(&crate::httpdate::format(unix)), Some(unix), "http date from {s:?}");
    }
    let _ = crate::ErrorCode::from(s).is_retryable();
    let _ = crate::credentials::parse_ini(s);
}

/// Sign one attempt of `R` with the client's cached key and build its full header set, as the
/// send path does; returns how many headers were set.
pub fn signed_header_count<R: crate::Action>(
    client: &crate::BillingClient,
    body: &[u8],
    creds: &crate::Credentials,
    timestamp: i64,
) -> Result<usize, Error> {
    client.inner.signed_headers(R::NAME, body, &[], creds, timestamp).map(|h| h.len())
}

/// Serialize `request`, sign it and build the HTTP request of one attempt, without sending it;
/// returns the body's length.
pub fn build_request<R: crate::Action>(
    client: &crate::BillingClient,
    request: &R,
    creds: &crate::Credentials,
    timestamp: i64,
) -> Result<usize, Error> {
    let body = serde_json::to_vec(request)
        .map_err(|e| Error::invalid_request(R::NAME, format!("request could not be serialized: {e}")))?;
    let built = client.inner.build_request::<R>(&body.into(), &[], creds, timestamp)?;
    let built = std::hint::black_box(built);
    Ok(built.body().and_then(|b| b.as_bytes()).map_or(0, <[u8]>::len))
}

/// Decode an answer of action `R` exactly as the client does.
pub fn decode<R: crate::Action>(status: u16, body: &[u8]) -> Result<R::Response, Error> {
    protocol::decode::<R::Response>(R::NAME, status, body)
}
