//! TC3-HMAC-SHA256, Tencent Cloud's API 3.0 request signature, as pure functions.
//!
//! Nothing here does I/O or reads a clock: the timestamp is an input, so a signature can be
//! reproduced exactly (see the known-answer test against Tencent's published example). The client
//! calls [`sign`] once per attempt with a fresh timestamp.
//!
//! The algorithm, briefly:
//! 1. the canonical request is the method, `/`, the query, the signed headers (`content-type`
//!    and `host`, lowercased) and the hex SHA-256 of the body, joined by newlines;
//! 2. the string to sign is `TC3-HMAC-SHA256`, the timestamp, the credential scope
//!    `<UTC date>/<service>/tc3_request` and the hex SHA-256 of the canonical request;
//! 3. the signing key is `HMAC("TC3" + SecretKey, date)`, then HMAC with the service, then with
//!    `tc3_request`; the signature is the hex HMAC of the string to sign under that key.
//!
//! The date is the **UTC** date of the timestamp. Beijing time is 8 hours ahead, so using it breaks
//! every signature made between 00:00 and 08:00 Beijing time.
//!
//! ```
//! use tencentcloud_billing::tc3;
//! let body = br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
//! let input = tc3::SigningInput {
//!     content_type: "application/json; charset=utf-8",
//!     ..tc3::SigningInput::post_json("cvm.tencentcloudapi.com", "cvm", body, 1551113065)
//! };
//! let signed = tc3::sign(&input, "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
//! assert!(signed.authorization().ends_with("Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"));
//! ```

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::civil::civil_from_days;

type HmacSha256 = Hmac<Sha256>;

/// The algorithm name, first word of the Authorization header and of the string to sign.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// The headers this module signs, as the official SDKs do.
pub const SIGNED_HEADERS: &str = "content-type;host";
/// The payload marker sent as `X-TC-Content-SHA256` when the body is not hashed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The content type of every POST the client sends. It is signed, so it must be sent byte for byte.
pub const JSON_CONTENT_TYPE: &str = "application/json";

/// What is hashed into the canonical request as the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload<'a> {
    /// The exact body bytes.
    Bytes(&'a [u8]),
    /// The body is not hashed; `X-TC-Content-SHA256: UNSIGNED-PAYLOAD` must be sent.
    Unsigned,
}

/// Everything that goes into a signature except the credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningInput<'a> {
    /// HTTP method, `POST` or `GET`.
    pub method: &'a str,
    /// The `Host` header, e.g. `billing.tencentcloudapi.com`.
    pub host: &'a str,
    /// The path; always `/` for API 3.0.
    pub path: &'a str,
    /// The exact query string sent (empty for POST).
    pub query: &'a str,
    /// The `Content-Type` header, exactly as sent.
    pub content_type: &'a str,
    /// The body.
    pub payload: Payload<'a>,
    /// The service, the first label of the host (`billing`).
    pub service: &'a str,
    /// `X-TC-Timestamp`: Unix seconds.
    pub timestamp: i64,
}

impl<'a> SigningInput<'a> {
    /// A JSON POST to `/`, the shape of every call the client makes.
    pub fn post_json(host: &'a str, service: &'a str, body: &'a [u8], timestamp: i64) -> Self {
        SigningInput {
            method: "POST",
            host,
            path: "/",
            query: "",
            content_type: JSON_CONTENT_TYPE,
            payload: Payload::Bytes(body),
            service,
            timestamp,
        }
    }
}

/// A derived signing key for one UTC day and service, ready to sign.
///
/// It keeps the HMAC state already keyed, so each signature only hashes the string to sign.
#[derive(Clone)]
pub struct SigningKey {
    day: i64,
    service: String,
    mac: HmacSha256,
}

impl SigningKey {
    /// Derive the key for `day` (days since 1970-01-01, UTC) and `service`.
    pub fn derive(secret_key: &str, day: i64, service: &str) -> Self {
        let date = utc_date(day * 86_400);
        let mut k = Vec::with_capacity(3 + secret_key.len());
        k.extend_from_slice(b"TC3");
        k.extend_from_slice(secret_key.as_bytes());
        let secret_date = hmac(&k, date.as_bytes());
        let secret_service = hmac(&secret_date, service.as_bytes());
        let secret_signing = hmac(&secret_service, b"tc3_request");
        SigningKey {
            day,
            service: service.to_owned(),
            mac: HmacSha256::new_from_slice(&secret_signing).expect("hmac takes any key length"),
        }
    }

    /// The UTC day (days since the Unix epoch) this key signs for.
    pub fn day(&self) -> i64 {
        self.day
    }

    /// The service this key signs for.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The lowercase hex signature of `string_to_sign`, for verifiers and debugging.
    pub fn sign_hex(&self, string_to_sign: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(string_to_sign.as_bytes());
        as_str(&hex32(&mac.finalize().into_bytes().into())).to_owned()
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey").field("day", &self.day).field("service", &self.service).finish_non_exhaustive()
    }
}

fn hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("hmac takes any key length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// The result of signing: the header values to send.
///
/// `Debug` hides the signature.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    authorization: String,
    timestamp: i64,
}

/// The length of an Authorization value less the SecretId and the service.
const AUTHORIZATION_FIXED_LEN: usize = ALGORITHM.len()
    + " Credential=".len()
    + "/YYYY-MM-DD/".len()
    + "/tc3_request, SignedHeaders=".len()
    + SIGNED_HEADERS.len()
    + ", Signature=".len()
    + 64;

impl SignedRequest {
    /// The `Authorization` header value, taken out without a copy.
    pub(crate) fn into_authorization(self) -> String {
        self.authorization
    }

    /// The `Authorization` header value.
    pub fn authorization(&self) -> &str {
        &self.authorization
    }

    /// The `X-TC-Timestamp` header value.
    pub fn timestamp(&self) -> i64 {
        self.timestamp
    }

    /// The hex signature, the last part of the Authorization header.
    pub fn signature(&self) -> &str {
        &self.authorization[self.authorization.len() - 64..]
    }
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let visible = &self.authorization[..self.authorization.len() - 64];
        f.debug_struct("SignedRequest")
            .field("authorization", &format_args!("{visible}** redacted **"))
            .field("timestamp", &self.timestamp)
            .finish()
    }
}

/// Sign a request with a SecretId and SecretKey, deriving the day's signing key on the way.
///
/// Deriving the key costs three HMACs; a caller that signs often derives a [`SigningKey`] once
/// per UTC day and calls [`sign_with_key`] instead, as the client does.
pub fn sign(input: &SigningInput<'_>, secret_id: &str, secret_key: &str) -> SignedRequest {
    let key = SigningKey::derive(secret_key, input.timestamp.div_euclid(86_400), input.service);
    sign_with_key(input, secret_id, &key)
}

/// Sign with an already derived key. The key's day must be the timestamp's UTC day.
///
/// # Panics
/// In debug builds, when the key was derived for another day than the timestamp's (a signature
/// made that way would be refused by the server).
pub fn sign_with_key(input: &SigningInput<'_>, secret_id: &str, key: &SigningKey) -> SignedRequest {
    sign_hashed(input, &canonical_request_hash(input), secret_id, key)
}

/// Sign with an already derived key and the canonical request hashed from `prefix`, which must
/// have been made from an input equal to `input` but for its payload and timestamp.
pub(crate) fn sign_with_prefix(
    input: &SigningInput<'_>,
    prefix: &CanonicalPrefix,
    secret_id: &str,
    key: &SigningKey,
) -> SignedRequest {
    debug_assert!(prefix.fits(input), "canonical prefix of another request shape");
    sign_hashed(input, &prefix.hash(input.payload), secret_id, key)
}

fn sign_hashed(input: &SigningInput<'_>, creq_hash: &[u8; 64], secret_id: &str, key: &SigningKey) -> SignedRequest {
    debug_assert_eq!(key.day, input.timestamp.div_euclid(86_400), "signing key for another day");
    let date = utc_date(input.timestamp);
    let mut mac = key.mac.clone();
    mac.update(ALGORITHM.as_bytes());
    mac.update(b"\n");
    mac.update(itoa_buf(input.timestamp).as_str().as_bytes());
    mac.update(b"\n");
    mac.update(date.as_bytes());
    mac.update(b"/");
    mac.update(input.service.as_bytes());
    mac.update(b"/tc3_request\n");
    mac.update(creq_hash);
    let signature = hex32(&mac.finalize().into_bytes().into());

    // The exact length, so the string never grows and becomes a header value without a copy.
    let mut authorization = String::with_capacity(AUTHORIZATION_FIXED_LEN + secret_id.len() + input.service.len());
    authorization.push_str(ALGORITHM);
    authorization.push_str(" Credential=");
    authorization.push_str(secret_id);
    authorization.push('/');
    authorization.push_str(date.as_str());
    authorization.push('/');
    authorization.push_str(input.service);
    authorization.push_str("/tc3_request, SignedHeaders=");
    authorization.push_str(SIGNED_HEADERS);
    authorization.push_str(", Signature=");
    authorization.push_str(as_str(&signature));
    SignedRequest { authorization, timestamp: input.timestamp }
}

/// Sign and return every header the signature depends on, ready to send: `Authorization`,
/// `Content-Type`, `Host`, `X-TC-Timestamp`, plus `X-TC-Token` when a session token is given and
/// `X-TC-Content-SHA256` for an unsigned payload. The caller adds `X-TC-Action`, `X-TC-Version`
/// and the other protocol headers, which are not signed.
///
/// ```
/// use tencentcloud_billing::tc3;
/// let input = tc3::SigningInput::post_json("billing.tencentcloudapi.com", "billing", b"{}", 1_700_000_000);
/// let key = tc3::SigningKey::derive("secret", 1_700_000_000 / 86_400, "billing");
/// let headers = tc3::sign_headers(&input, "AKIDEXAMPLE", &key, Some("sts-token"));
/// let names: Vec<&str> = headers.iter().map(|(n, _)| *n).collect();
/// assert_eq!(names, ["Authorization", "Content-Type", "Host", "X-TC-Timestamp", "X-TC-Token"]);
/// ```
pub fn sign_headers(
    input: &SigningInput<'_>,
    secret_id: &str,
    key: &SigningKey,
    token: Option<&str>,
) -> Vec<(&'static str, String)> {
    let signed = sign_with_key(input, secret_id, key);
    let mut h = vec![
        ("Authorization", signed.authorization),
        ("Content-Type", input.content_type.to_owned()),
        ("Host", input.host.to_owned()),
        ("X-TC-Timestamp", input.timestamp.to_string()),
    ];
    if let Some(token) = token {
        h.push(("X-TC-Token", token.to_owned()));
    }
    if input.payload == Payload::Unsigned {
        h.push(("X-TC-Content-SHA256", UNSIGNED_PAYLOAD.to_owned()));
    }
    h
}

/// The canonical request, as text: for debugging a `SignatureFailure`.
pub fn canonical_request(input: &SigningInput<'_>) -> String {
    let mut out = Vec::new();
    write_canonical_request(input, &mut |b| out.extend_from_slice(b));
    String::from_utf8(out).expect("canonical request is built from UTF-8 pieces")
}

/// The string to sign, as text: for debugging a `SignatureFailure`.
pub fn string_to_sign(input: &SigningInput<'_>) -> String {
    let h = canonical_request_hash(input);
    format!(
        "{ALGORITHM}\n{}\n{}/{}/tc3_request\n{}",
        input.timestamp,
        utc_date(input.timestamp).as_str(),
        input.service,
        String::from_utf8_lossy(&h)
    )
}

/// The hex SHA-256 of the payload, as it appears in the canonical request.
pub fn hashed_payload(payload: Payload<'_>) -> String {
    as_str(&payload_hash(payload)).to_owned()
}

/// The hex SHA-256 of `{}`, the body of every call without parameters.
const EMPTY_OBJECT_HASH: &[u8; 64] = b"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

/// The hex SHA-256 of [`UNSIGNED_PAYLOAD`].
const UNSIGNED_PAYLOAD_HASH: &[u8; 64] = b"438d4109ef0d676b8c2c7ed13cdfcb418e494d53b843d4634ce3b1085f07bb96";

/// The two payloads whose hash is known in advance are not hashed again: a call without
/// parameters sends `{}`, and hashing it is one of the few SHA-256 blocks a signature costs.
fn payload_hash(payload: Payload<'_>) -> [u8; 64] {
    match payload {
        Payload::Bytes(b"{}") => *EMPTY_OBJECT_HASH,
        Payload::Bytes(b) => hex32(&Sha256::digest(b).into()),
        Payload::Unsigned => *UNSIGNED_PAYLOAD_HASH,
    }
}

/// Hex SHA-256 of the canonical request, hashed piece by piece without building the text.
fn canonical_request_hash(input: &SigningInput<'_>) -> [u8; 64] {
    let mut h = Sha256::new();
    write_canonical_request(input, &mut |b| h.update(b));
    hex32(&h.finalize().into())
}

/// The canonical request of one request shape (method, path, query, content type, host) hashed
/// up to its last line, the payload's hash. A client sends every call in the same shape, so it
/// hashes this part once and each signature hashes only the rest: one SHA-256 block fewer of the
/// seven a signature costs.
#[derive(Clone)]
pub(crate) struct CanonicalPrefix {
    hasher: Sha256,
    #[cfg(debug_assertions)]
    shape: (String, String, String, String, String),
}

impl CanonicalPrefix {
    /// The prefix of `input`'s shape; its payload and timestamp are not used.
    pub(crate) fn new(input: &SigningInput<'_>) -> Self {
        let mut hasher = Sha256::new();
        write_canonical_prefix(input, &mut |b| hasher.update(b));
        CanonicalPrefix {
            hasher,
            #[cfg(debug_assertions)]
            shape: Self::shape_of(input),
        }
    }

    #[cfg(debug_assertions)]
    fn shape_of(input: &SigningInput<'_>) -> (String, String, String, String, String) {
        let s = |v: &str| v.to_owned();
        (s(input.method), s(input.path), s(input.query), s(input.content_type), s(input.host))
    }

    /// Whether `input` has the shape this prefix was made from (checked in debug builds only).
    #[cfg(debug_assertions)]
    fn fits(&self, input: &SigningInput<'_>) -> bool {
        self.shape == Self::shape_of(input)
    }

    #[cfg(not(debug_assertions))]
    fn fits(&self, _: &SigningInput<'_>) -> bool {
        true
    }

    /// The hex SHA-256 of the whole canonical request with `payload`.
    fn hash(&self, payload: Payload<'_>) -> [u8; 64] {
        let mut h = self.hasher.clone();
        h.update(payload_hash(payload));
        hex32(&h.finalize().into())
    }
}

fn write_canonical_request(input: &SigningInput<'_>, out: &mut dyn FnMut(&[u8])) {
    write_canonical_prefix(input, out);
    out(&payload_hash(input.payload));
}

/// Every line of the canonical request but the last, the payload's hash.
fn write_canonical_prefix(input: &SigningInput<'_>, out: &mut dyn FnMut(&[u8])) {
    out(input.method.as_bytes());
    out(b"\n");
    out(input.path.as_bytes());
    out(b"\n");
    out(input.query.as_bytes());
    out(b"\ncontent-type:");
    write_lower_trimmed(input.content_type, out);
    out(b"\nhost:");
    write_lower_trimmed(input.host, out);
    out(b"\n\n");
    out(SIGNED_HEADERS.as_bytes());
    out(b"\n");
}

/// Header values are signed lowercased and trimmed. Most already are, so only copy when needed.
fn write_lower_trimmed(v: &str, out: &mut dyn FnMut(&[u8])) {
    let v = v.trim();
    if v.bytes().any(|b| b.is_ascii_uppercase()) {
        out(v.to_ascii_lowercase().as_bytes());
    } else {
        out(v.as_bytes());
    }
}

/// A `YYYY-MM-DD` date on the stack.
#[derive(Clone, Copy)]
pub(crate) struct DateBuf([u8; 10]);

impl DateBuf {
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("digits and dashes")
    }
    fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// The UTC date of a Unix timestamp, as `YYYY-MM-DD`.
pub fn utc_date_string(timestamp: i64) -> String {
    utc_date(timestamp).as_str().to_owned()
}

pub(crate) fn utc_date(timestamp: i64) -> DateBuf {
    let (y, m, d) = civil_from_days(timestamp.div_euclid(86_400));
    let mut b = [b'0'; 10];
    let y = y.clamp(0, 9999) as u32;
    b[0] += (y / 1000) as u8;
    b[1] += (y / 100 % 10) as u8;
    b[2] += (y / 10 % 10) as u8;
    b[3] += (y % 10) as u8;
    b[4] = b'-';
    b[5] += (m / 10) as u8;
    b[6] += (m % 10) as u8;
    b[7] = b'-';
    b[8] += (d / 10) as u8;
    b[9] += (d % 10) as u8;
    DateBuf(b)
}

/// The two lowercase hex digits of every byte value.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [DIGITS[i >> 4], DIGITS[i & 0x0f]];
        i += 1;
    }
    t
};

/// Lowercase hex of a digest (three per signature): one table load per byte.
fn hex32(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
    out
}

fn as_str(hex: &[u8; 64]) -> &str {
    std::str::from_utf8(hex).expect("hex is ASCII")
}

/// A decimal integer on the stack.
pub(crate) struct ItoaBuf {
    buf: [u8; 20],
    start: usize,
}

impl ItoaBuf {
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[self.start..]).expect("digits")
    }
}

pub(crate) fn itoa_buf(v: i64) -> ItoaBuf {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let neg = v < 0;
    let mut n = v.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if neg {
        i -= 1;
        buf[i] = b'-';
    }
    ItoaBuf { buf, start: i }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1_BODY: &[u8] = br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

    fn v1() -> SigningInput<'static> {
        SigningInput {
            content_type: "application/json; charset=utf-8",
            ..SigningInput::post_json("cvm.tencentcloudapi.com", "cvm", V1_BODY, 1_551_113_065)
        }
    }

    const V1_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
    const V1_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

    #[test]
    fn a_cached_prefix_signs_exactly_as_the_whole_request() {
        let key = SigningKey::derive(V1_KEY, 1_551_113_065 / 86_400, "cvm");
        // The published example, through a prefix made from a request with another body.
        let prefix = CanonicalPrefix::new(&SigningInput { payload: Payload::Bytes(b"other"), timestamp: 7, ..v1() });
        let signed = sign_with_prefix(&v1(), &prefix, V1_ID, &key);
        assert_eq!(signed.signature(), "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
        // Hosts of every length around a block boundary, and bodies of several sizes.
        for host_len in [1, 20, 27, 40, 50, 60, 64, 70, 130] {
            let host = "h".repeat(host_len);
            let prefix = CanonicalPrefix::new(&SigningInput::post_json(&host, "billing", b"", 0));
            for body in [&b""[..], b"{}", &[b'x'; 200]] {
                let input = SigningInput::post_json(&host, "billing", body, 1_700_000_000);
                let key = SigningKey::derive("k", 1_700_000_000 / 86_400, "billing");
                assert_eq!(sign_with_prefix(&input, &prefix, "AKID", &key), sign_with_key(&input, "AKID", &key));
            }
        }
    }

    #[test]
    fn known_answer_vector_v1() {
        assert_eq!(
            hashed_payload(Payload::Bytes(V1_BODY)),
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        let creq = canonical_request(&v1());
        assert_eq!(
            creq,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            hex::encode(Sha256::digest(creq.as_bytes())),
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            string_to_sign(&v1()),
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        let signed = sign(&v1(), V1_ID, V1_KEY);
        assert_eq!(signed.signature(), "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
        assert_eq!(
            signed.authorization(),
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
    }

    #[test]
    fn content_type_is_part_of_the_signature() {
        let input = SigningInput::post_json("cvm.tencentcloudapi.com", "cvm", V1_BODY, 1_551_113_065);
        let sig = sign(&input, V1_ID, V1_KEY);
        assert!(sig.signature().starts_with("683bd0b5"), "{}", sig.signature());
        assert!(sig.signature().ends_with("65b8"));
    }

    #[test]
    fn known_answer_vector_v2_intermediates() {
        let body = br#"{"Limit": 1, "Filters": [{"Values": ["unnamed"], "Name": "instance-name"}]}"#;
        let input = SigningInput {
            content_type: "application/json; charset=utf-8",
            ..SigningInput::post_json("cvm.tencentcloudapi.com", "cvm", body, 1_551_113_065)
        };
        assert_eq!(hashed_payload(input.payload), "99d58dfbc6745f6747f36bfca17dee5e6881dc0428a0a36f96199342bc5b4907");
        assert_eq!(
            hex::encode(Sha256::digest(canonical_request(&input).as_bytes())),
            "2815843035062fffda5fd6f2a44ea8a34818b0dc46f024b8b3786976a3adda7a"
        );
        assert_eq!(
            sign(&input, V1_ID, V1_KEY).signature(),
            "63eae8f4b793c20564dafd5a5f62817d6e8de7ce5d4fb2d38f7babf1531c493c"
        );
    }

    #[test]
    fn date_is_utc_not_beijing() {
        // 2019-02-26 00:44:25 in Beijing is still the 25th in UTC.
        assert_eq!(utc_date(1_551_113_065).as_str(), "2019-02-25");
        assert_eq!(utc_date(0).as_str(), "1970-01-01");
        assert_eq!(utc_date(951_782_400).as_str(), "2000-02-29");
        assert_eq!(utc_date(1_795_996_799).as_str(), "2026-11-29");
    }

    #[test]
    fn uppercase_header_values_are_lowercased() {
        let a = SigningInput::post_json("Billing.TencentCloudAPI.com", "billing", b"{}", 1_700_000_000);
        let b = SigningInput::post_json("billing.tencentcloudapi.com", "billing", b"{}", 1_700_000_000);
        assert_eq!(canonical_request(&a), canonical_request(&b));
    }

    #[test]
    fn unsigned_payload_hashes_the_marker() {
        let mut i = SigningInput::post_json("billing.tencentcloudapi.com", "billing", b"{}", 1_700_000_000);
        i.payload = Payload::Unsigned;
        assert!(canonical_request(&i).ends_with(&hex::encode(Sha256::digest(b"UNSIGNED-PAYLOAD"))));
    }

    #[test]
    fn the_known_payload_hashes_are_the_hashes() {
        assert_eq!(payload_hash(Payload::Bytes(b"{}")), hex32(&Sha256::digest(b"{}").into()));
        assert_eq!(payload_hash(Payload::Unsigned), hex32(&Sha256::digest(UNSIGNED_PAYLOAD.as_bytes()).into()));
        assert_eq!(as_str(&payload_hash(Payload::Bytes(b"{ }"))), hex::encode(Sha256::digest(b"{ }")));
    }

    #[test]
    fn hex32_matches_the_hex_crate() {
        let mut b = [0u8; 32];
        for (i, x) in b.iter_mut().enumerate() {
            *x = (i as u8).wrapping_mul(37).wrapping_add(0xa5);
        }
        assert_eq!(as_str(&hex32(&b)), hex::encode(b));
        assert_eq!(as_str(&hex32(&[0xff; 32])), "f".repeat(64));
    }

    #[test]
    fn authorization_is_allocated_at_its_exact_length() {
        let s = sign(&v1(), V1_ID, V1_KEY);
        let auth = s.into_authorization();
        assert_eq!(auth.len(), auth.capacity());
    }

    #[test]
    fn debug_hides_the_signature() {
        let s = sign(&v1(), V1_ID, V1_KEY);
        let dbg = format!("{s:?}");
        assert!(!dbg.contains(s.signature()));
        assert!(dbg.contains("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"));
    }

    #[test]
    fn itoa() {
        for v in [0i64, 7, -7, 1_551_113_065, i64::MAX, i64::MIN] {
            assert_eq!(itoa_buf(v).as_str(), v.to_string());
        }
    }
}
