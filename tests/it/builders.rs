//! Each action's builder is its own type: setters fill the request, the per-call methods are
//! forwarded, and generic code can still reach the `RequestBuilder` inside.

use std::time::Duration;

use tencentcloud_billing::types::{
    DescribeBillDetailBuilder, DescribeBillDetailRequest, PayDealsBuilder, PayDealsRequest,
};
use tencentcloud_billing::{BillingClient, Credentials, RequestBuilder, RetryConfig};

fn client() -> BillingClient {
    BillingClient::builder().credentials(Credentials::new("AKIDtest", "secret")).build().unwrap()
}

#[test]
fn setters_and_forwards_build_the_same_request_as_the_request_setters() {
    let builder: PayDealsBuilder = client()
        .pay_deals()
        .order_ids(["o-1", "o-2"])
        .with_deadline(Duration::from_secs(5))
        .with_attempt_timeout(Duration::from_secs(1))
        .with_retry(RetryConfig::disabled())
        .allow_any_site()
        .auto_voucher(1);
    assert_eq!(builder.request(), &PayDealsRequest::new().order_ids(["o-1", "o-2"]).auto_voucher(1));
    let replaced = builder.with_request(PayDealsRequest::new().cps_uin("1"));
    assert_eq!(replaced.request().cps_uin.as_deref(), Some("1"));
    assert_eq!(replaced.request().order_ids, None);
}

#[test]
fn the_generic_builder_converts_both_ways() {
    let builder = client().describe_bill_detail().limit(10);
    let inner: RequestBuilder<DescribeBillDetailRequest> = builder.into();
    assert_eq!(inner.request().limit, Some(10));
    let back = DescribeBillDetailBuilder::from(inner).offset(20);
    assert_eq!((back.request().limit, back.request().offset), (Some(10), Some(20)));
    let generic = client().request::<DescribeBillDetailRequest>();
    let named: DescribeBillDetailBuilder = generic.into();
    assert_eq!(named.into_inner().request(), &DescribeBillDetailRequest::new());
}
