//! Any bytes, as an answer from the billing endpoint: the envelope, typed responses, every wire
//! type (money, datetimes, months), the text parsers and error formatting. A panic is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tencentcloud_billing::__internals::decode_response(data);
});
