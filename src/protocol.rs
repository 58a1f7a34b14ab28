//! The API 3.0 wire protocol, for any service (billing, STS): endpoints, the header set of a
//! signed request, the clock correction, and the response envelope.
//!
//! Every API 3.0 answer is `{"Response": {..., "RequestId": ...}}`, with an `Error` object inside
//! `Response` when the call failed, usually still with HTTP 200. `decode` takes `Error` out while
//! the rest is decoded into the typed response, in one pass over the body.

use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use http::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, Visitor};

use crate::error::{DecodeError, Error, ErrorCode, ServiceError, snippet};
use crate::tc3;

/// The service name, signed into every request's credential scope.
pub(crate) const SERVICE: &str = "billing";
/// The API version sent as `X-TC-Version`.
pub(crate) const VERSION: &str = "2018-07-09";
/// The China site's endpoint host.
pub(crate) const CHINA_HOST: &str = "billing.tencentcloudapi.com";
/// The international site's endpoint host.
pub(crate) const INTERNATIONAL_HOST: &str = "billing.intl.tencentcloudapi.com";

/// The server refuses a request whose timestamp is further than this from its clock
/// (`AuthFailure.SignatureExpire`).
#[cfg(feature = "sandbox")]
pub(crate) const MAX_CLOCK_SKEW_SECS: i64 = 300;

/// The `X-TC-RequestClient` value: the crate and its version, in the character set the header allows.
pub(crate) const REQUEST_CLIENT: &str = concat!("SDK_RUST_tencentcloud-billing_", env!("CARGO_PKG_VERSION"));

/// Which Tencent Cloud site an action exists on, and which one a client talks to.
///
/// ```
/// use tencentcloud_billing::Site;
/// assert_eq!(Site::International.host(), "billing.intl.tencentcloudapi.com");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Site {
    /// The China site, `billing.tencentcloudapi.com` (the default).
    #[default]
    China,
    /// The international site, `billing.intl.tencentcloudapi.com`.
    International,
}

impl Site {
    /// The endpoint host of the site.
    pub fn host(&self) -> &'static str {
        match self {
            Site::China => CHINA_HOST,
            Site::International => INTERNATIONAL_HOST,
        }
    }

    /// A short name: `cn` or `intl`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Site::China => "cn",
            Site::International => "intl",
        }
    }
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Site::China => "China site",
            Site::International => "international site",
        })
    }
}

/// What an action does, which decides how it may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ActionKind {
    /// Reads only: safe to repeat.
    Read,
    /// Creates, changes or deletes configuration (budgets, allocation rules, tags).
    Write,
    /// Moves money or changes paid resources (PayDeals, CreateInstance, RenewInstance,
    /// RefundInstance, SetRenewal). Never re-sent once it may have reached the server.
    Money,
}

impl ActionKind {
    /// Whether repeating the call is harmless.
    pub fn is_idempotent(&self) -> bool {
        matches!(self, ActionKind::Read)
    }
}

/// A typed response: every one carries the RequestId.
pub trait ApiResponse: DeserializeOwned + fmt::Debug + Send + 'static + sealed::Sealed {
    /// The action this answers, e.g. `DescribeAccountBalance`.
    const ACTION: &'static str;

    /// The RequestId Tencent assigned to the call.
    fn request_id(&self) -> &str;

    /// Decode an answer body (`{"Response": {...}}`) exactly as the client does: the same
    /// leniency (nulls, `"-"` amounts, numbers as strings), `Response.Error` as
    /// [`Error::Service`](crate::Error::Service), and a typed [`crate::Error::Decode`] for anything
    /// else. For answers kept from elsewhere: a cache, a log, a file.
    ///
    /// ```
    /// use tencentcloud_billing::ApiResponse;
    /// use tencentcloud_billing::types::DescribeAccountBalanceResponse;
    /// let body = br#"{"Response":{"Balance":1234,"RequestId":"r-1"}}"#;
    /// let answer = DescribeAccountBalanceResponse::from_json(body)?;
    /// assert_eq!(answer.request_id, "r-1");
    /// let refused = br#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"no"},"RequestId":"r-2"}}"#;
    /// assert_eq!(DescribeAccountBalanceResponse::from_json(refused).unwrap_err().request_id(), Some("r-2"));
    /// # Ok::<(), tencentcloud_billing::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`crate::Error::Service`] for an error answer, [`crate::Error::Decode`] for a body that is
    /// not this action's answer.
    fn from_json(body: &[u8]) -> Result<Self, Error>
    where
        Self: Sized,
    {
        decode::<Self>(Self::ACTION, 200, body)
    }
}

/// Keeps [`ApiResponse`] and [`crate::Action`] implemented by this crate's types only, so that
/// methods can be added to them without breaking anyone.
pub(crate) mod sealed {
    pub trait Sealed {}
}

/// `Response.Error` on the wire.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub(crate) struct WireError {
    #[serde(rename = "Code", default, deserialize_with = "crate::wire::null_as_default")]
    pub(crate) code: String,
    #[serde(rename = "Message", default, deserialize_with = "crate::wire::null_as_default")]
    pub(crate) message: String,
}

// --- The clock ------------------------------------------------------------------------------

/// The local clock in Unix seconds, uncorrected.
pub(crate) fn local_unix() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// The correction to the local clock learnt from a server, shared by every request to it.
///
/// A request is signed at `local + offset`. When the server refuses the timestamp
/// (`AuthFailure.SignatureExpire`), its `Date` header gives the true time, and the new offset is
/// that time minus the *local* reading the request was signed at. Using the local reading, not
/// the signed timestamp minus whatever offset is current by then, is what lets concurrent
/// failures agree: each compares the server with the same local clock, so none compounds the
/// correction another has just made.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset: AtomicI64,
}

/// One reading of a [`Clock`]: the local time and the offset in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reading {
    pub(crate) local: i64,
    pub(crate) offset: i64,
}

impl Reading {
    /// The corrected time to sign with.
    pub(crate) fn timestamp(&self) -> i64 {
        self.local.saturating_add(self.offset)
    }
}

impl Clock {
    /// The offset in seconds (0 until a correction).
    pub(crate) fn offset(&self) -> i64 {
        self.offset.load(Ordering::Relaxed)
    }

    /// Read the local clock and the offset together.
    pub(crate) fn read(&self) -> Reading {
        Reading { local: local_unix(), offset: self.offset() }
    }

    /// After `SignatureExpire`: learn the offset from the answer's `Date` header, for a request
    /// signed at `sent`. Returns whether there was a usable date.
    pub(crate) fn learn(&self, server_date: Option<&str>, sent: Reading) -> bool {
        let Some(server) = server_date.and_then(crate::httpdate::parse) else {
            tracing::warn!("the server rejected the request timestamp but sent no usable Date header");
            return false;
        };
        let offset = server.saturating_sub(sent.local);
        self.offset.store(offset, Ordering::Relaxed);
        tracing::warn!(offset_secs = offset, "local clock is off from the server's; correcting");
        true
    }
}

// --- Headers --------------------------------------------------------------------------------

/// What goes into the header set of one signed API 3.0 request, besides the signature.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HeaderSet<'a> {
    pub(crate) action: &'static str,
    pub(crate) version: &'static str,
    pub(crate) host: &'a HeaderValue,
    pub(crate) language: Option<&'a HeaderValue>,
    pub(crate) region: Option<&'a HeaderValue>,
    pub(crate) request_client: &'a HeaderValue,
    pub(crate) token: Option<&'a str>,
    /// Headers the user added (client-wide and per call); never the protocol's own.
    pub(crate) extra: &'a [(HeaderName, HeaderValue)],
    /// The length of the body, sent as `Content-Length`.
    pub(crate) body_len: usize,
}

const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
const X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
const X_TC_REQUESTCLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");
const X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
const X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");

/// Whether a user may set the header `name`: not one the protocol or the signature owns.
pub(crate) fn is_reserved_header(name: &HeaderName) -> bool {
    let n = name.as_str();
    n.starts_with("x-tc-") || matches!(n, "authorization" | "content-type" | "host" | "content-length")
}

impl HeaderSet<'_> {
    /// The full header map of a request signed as `signed`. Names are constants and fixed values
    /// are shared, so the per-request work is the signature (moved in, not copied) and the
    /// timestamp.
    pub(crate) fn build(&self, signed: tc3::SignedRequest) -> Result<HeaderMap, Error> {
        let timestamp = signed.timestamp();
        self.finish(authorization(signed)?, timestamp)
    }

    /// The header map of an unsigned request (`AssumeRoleWithWebIdentity`): `Authorization: SKIP`.
    pub(crate) fn build_unsigned(&self, timestamp: i64) -> Result<HeaderMap, Error> {
        self.finish(HeaderValue::from_static("SKIP"), timestamp)
    }

    fn finish(&self, authorization: HeaderValue, timestamp: i64) -> Result<HeaderMap, Error> {
        let template = template(self.version, self.host, self.language, self.region, self.request_client);
        fill(template, self.action, authorization, timestamp, self.body_len, self.token, self.extra)
    }
}

/// How many distinct strings [`lasting_value`] keeps for the life of the process.
const MAX_LASTING: usize = 64;

/// A header value for one of a client's fixed strings (its host, its request-client string)
/// that clones without writing to shared memory, or `None` if `s` is not a valid value.
///
/// A value made from a runtime string keeps one reference count for all its clones. Each request
/// clones the client's fixed values and drops them again; with callers on several threads, every
/// one of those counts moves the same cache line between cores. A value made from a `&'static str` has no count. So the few distinct strings a
/// process uses are kept for its lifetime, at most [`MAX_LASTING`] of them (a few KiB); past
/// that, values are made the ordinary way and only cost those shared counts.
pub(crate) fn lasting_value(s: &str) -> Option<HeaderValue> {
    static KEPT: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let value = HeaderValue::try_from(s).ok()?;
    // `from_static` takes visible ASCII only (it panics on anything else); `try_from` also
    // accepts bytes above 127, which stay ordinary values.
    if !s.bytes().all(|b| (32..127).contains(&b) || b == b'\t') {
        return Some(value);
    }
    let mut kept = KEPT.lock().unwrap_or_else(|e| e.into_inner());
    let kept_str = match kept.iter().find(|k| **k == s) {
        Some(k) => *k,
        None if kept.len() < MAX_LASTING => {
            let k: &'static str = Box::leak(s.to_owned().into_boxed_str());
            kept.push(k);
            k
        }
        None => return Some(value),
    };
    Some(HeaderValue::from_static(kept_str))
}

/// The `Authorization` value of a signature, marked sensitive.
pub(crate) fn authorization(signed: tc3::SignedRequest) -> Result<HeaderValue, Error> {
    let mut auth = HeaderValue::try_from(signed.into_authorization())
        .map_err(|_| Error::config("the SecretId contains characters not allowed in a header"))?;
    auth.set_sensitive(true);
    Ok(auth)
}

/// The part of a header map that is the same on every request of one client (`Content-Type`,
/// `Host`, `Accept`, version, language, region, request client), with empty slots for the
/// `Authorization`, `X-TC-Action`, `X-TC-Timestamp` and `Content-Length` of each request. A client
/// builds it once and [`fill`]s a clone per attempt: cloning copies two small arrays, where
/// inserting hashes every name again.
///
/// The map is complete as sent, so that nothing downstream has to grow it. hyper adds a
/// `Content-Length` to a map that lacks one, and that insertion reallocates the map's entries
/// (1.5 KiB, beyond the allocator's per-thread cache) on every request; the slot is here. So is
/// `Accept: */*`, which requests have always carried (a user's `Accept` replaces it).
pub(crate) fn template(
    version: &'static str,
    host: &HeaderValue,
    language: Option<&HeaderValue>,
    region: Option<&HeaderValue>,
    request_client: &HeaderValue,
) -> HeaderMap {
    let empty = HeaderValue::from_static("");
    let mut h = HeaderMap::with_capacity(12);
    h.insert(http::header::AUTHORIZATION, empty.clone());
    h.insert(http::header::CONTENT_TYPE, HeaderValue::from_static(tc3::JSON_CONTENT_TYPE));
    h.insert(http::header::HOST, host.clone());
    h.insert(http::header::ACCEPT, HeaderValue::from_static("*/*"));
    h.insert(http::header::CONTENT_LENGTH, empty.clone());
    h.insert(X_TC_ACTION, empty.clone());
    h.insert(X_TC_VERSION, HeaderValue::from_static(version));
    h.insert(X_TC_TIMESTAMP, empty);
    h.insert(X_TC_REQUESTCLIENT, request_client.clone());
    if let Some(language) = language {
        h.insert(X_TC_LANGUAGE, language.clone());
    }
    if let Some(region) = region {
        h.insert(X_TC_REGION, region.clone());
    }
    h
}

/// Complete a [`template`] into the header map of one request: its signature, action,
/// timestamp and body length, the session token if any, and the headers the user added.
pub(crate) fn fill(
    mut h: HeaderMap,
    action: &'static str,
    authorization: HeaderValue,
    timestamp: i64,
    body_len: usize,
    token: Option<&str>,
    extra: &[(HeaderName, HeaderValue)],
) -> Result<HeaderMap, Error> {
    // The template holds a placeholder for each of the four values: they are written in place,
    // found by name in one pass, which is cheaper than four inserts hashing their names.
    let mut authorization = Some(authorization);
    let mut filled = 0;
    for (name, slot) in h.iter_mut() {
        let value = if name == http::header::AUTHORIZATION {
            authorization.take()
        } else if name == X_TC_ACTION {
            Some(HeaderValue::from_static(action))
        } else if name == X_TC_TIMESTAMP {
            Some(HeaderValue::from(timestamp))
        } else if name == http::header::CONTENT_LENGTH {
            Some(HeaderValue::from(body_len))
        } else {
            None
        };
        if let Some(value) = value {
            *slot = value;
            filled += 1;
        }
    }
    if filled != 4 {
        // Not made by `template`: set them the ordinary way.
        if let Some(authorization) = authorization {
            h.insert(http::header::AUTHORIZATION, authorization);
        }
        h.insert(X_TC_ACTION, HeaderValue::from_static(action));
        h.insert(X_TC_TIMESTAMP, HeaderValue::from(timestamp));
        h.insert(http::header::CONTENT_LENGTH, HeaderValue::from(body_len));
    }
    if let Some(token) = token {
        let mut v = HeaderValue::try_from(token)
            .map_err(|_| Error::credentials("the session token contains characters not allowed in a header", None))?;
        v.set_sensitive(true);
        h.insert(X_TC_TOKEN, v);
    }
    // A user's `Accept` replaces the default one rather than joining it.
    if extra.iter().any(|(name, _)| name == http::header::ACCEPT) {
        h.remove(http::header::ACCEPT);
    }
    for (name, value) in extra {
        // Never one of the protocol's own names (see `is_reserved_header`), so nothing above is
        // replaced.
        h.append(name.clone(), value.clone());
    }
    Ok(h)
}

// --- The envelope ---------------------------------------------------------------------------

/// The top level: an object whose `Response` member is decoded with [`ResponseSeed`]; other
/// members are skipped. Arrays are refused: serde's derived structs would otherwise accept an
/// array of their fields in order, and `[{"Response":{}}]` would decode as an empty success.
struct EnvelopeVisitor<'e, T> {
    error: &'e mut Option<WireError>,
    _t: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for EnvelopeVisitor<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut response = None;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.as_str() == "Response" {
                if response.is_some() {
                    return Err(de::Error::duplicate_field("Response"));
                }
                response = Some(map.next_value_seed(ResponseSeed::<T> { error: &mut *self.error, _t: PhantomData })?);
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        response.ok_or_else(|| de::Error::missing_field("Response"))
    }
}

/// The `Response` object: its `Error` member goes aside, every other member to `T`.
struct ResponseSeed<'e, T> {
    error: &'e mut Option<WireError>,
    _t: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for ResponseSeed<'_, T> {
    type Value = T;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_map(ResponseVisitor::<T> { error: self.error, _t: PhantomData })
    }
}

struct ResponseVisitor<'e, T> {
    error: &'e mut Option<WireError>,
    _t: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ResponseVisitor<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(WithoutError { inner: map, error: self.error }))
    }
}

/// A map seen through a filter that takes out the `Error` member.
struct WithoutError<'e, A> {
    inner: A,
    error: &'e mut Option<WireError>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WithoutError<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        while let Some(key) = self.inner.next_key::<Key<'de>>()? {
            if key.as_str() == "Error" {
                *self.error = self.inner.next_value::<Option<WireError>>()?;
                continue;
            }
            return seed.deserialize(de::value::StrDeserializer::<A::Error>::new(key.as_str())).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// A member name, borrowed from the body when it has no escapes.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// Parse a whole body: the envelope, the typed response, and the `Error` member if any.
///
/// A body that is valid UTF-8 as a whole (every real answer) is parsed as text, so serde_json
/// need not check each string it reads again; any other body is parsed as bytes, which fails
/// exactly as before with the error that explains it.
fn from_envelope<T: DeserializeOwned>(body: &[u8]) -> serde_json::Result<(T, Option<WireError>)> {
    match std::str::from_utf8(body) {
        Ok(text) => envelope_from(serde_json::Deserializer::from_str(text)),
        Err(_) => envelope_from(serde_json::Deserializer::from_slice(body)),
    }
}

fn envelope_from<'de, R: serde_json::de::Read<'de>, T: DeserializeOwned>(
    mut de: serde_json::Deserializer<R>,
) -> serde_json::Result<(T, Option<WireError>)> {
    let mut error = None;
    let value =
        de::Deserializer::deserialize_map(&mut de, EnvelopeVisitor::<T> { error: &mut error, _t: PhantomData })?;
    de.end()?;
    Ok((value, error))
}

/// Just enough of an envelope to recover the RequestId and an error from a body that did not
/// decode as the expected type.
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "Response")]
    response: ProbeInner,
}

#[derive(Deserialize)]
struct ProbeInner {
    #[serde(rename = "Error", default)]
    error: Option<WireError>,
    #[serde(rename = "RequestId", default)]
    request_id: Option<String>,
}

fn service_error(action: &'static str, status: u16, err: WireError, request_id: Option<String>) -> Error {
    Error::Service(Box::new(ServiceError {
        action,
        code: ErrorCode::from(err.code.as_str()),
        message: err.message,
        request_id: request_id.filter(|r| !r.is_empty()),
        http_status: status,
    }))
}

fn decode_error(
    action: &'static str,
    status: u16,
    body: &[u8],
    reason: String,
    source: Option<serde_json::Error>,
) -> Error {
    let request_id = serde_json::from_slice::<Probe>(body).ok().and_then(|p| p.response.request_id);
    Error::Decode(Box::new(DecodeError {
        action,
        status,
        request_id,
        reason,
        body_snippet: snippet(body),
        source: source.map(|e| Box::new(e) as _),
    }))
}

/// A service error from an envelope that did not decode as the expected type, if it holds one.
fn probe_error(action: &'static str, status: u16, body: &[u8]) -> Option<Error> {
    let p = serde_json::from_slice::<Probe>(body).ok()?;
    let err = p.response.error?;
    Some(service_error(action, status, err, p.response.request_id))
}

/// Decode an answer of any API 3.0 service into `T`, whose `request_id` is given by `id`: the
/// envelope (HTTP 200 can carry `Response.Error`), then the typed body.
pub(crate) fn decode_with<T: DeserializeOwned>(
    action: &'static str,
    status: u16,
    body: &[u8],
    id: impl FnOnce(&T) -> &str,
) -> Result<T, Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(decode_error(action, status, body, "empty response body".into(), None));
    }
    if status != 200 {
        // Some gateways answer errors in the envelope with a non-200 status; keep the code then.
        if let Some(e) = probe_error(action, status, body) {
            return Err(e);
        }
        return Err(decode_error(action, status, body, format!("unexpected http status {status}"), None));
    }
    match from_envelope::<T>(body) {
        Ok((r, None)) => Ok(r),
        Ok((r, Some(err))) => {
            let request_id = Some(id(&r).to_owned());
            Err(service_error(action, status, err, request_id))
        }
        Err(e) => {
            if let Some(e) = probe_error(action, status, body) {
                return Err(e);
            }
            let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
            let reason = if first == Some(b'<') {
                "expected JSON, got an HTML or XML page".to_owned()
            } else if e.is_eof() {
                "truncated JSON".to_owned()
            } else if e.is_syntax() {
                format!("malformed JSON: {e}")
            } else {
                format!("unexpected response shape: {e}")
            };
            Err(decode_error(action, status, body, reason, Some(e)))
        }
    }
}

/// Decode a billing answer into its typed response.
pub(crate) fn decode<T: ApiResponse>(action: &'static str, status: u16, body: &[u8]) -> Result<T, Error> {
    decode_with(action, status, body, T::request_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, Deserialize)]
    struct R {
        #[serde(rename = "Value", default)]
        value: Option<u64>,
        #[serde(rename = "RequestId", default)]
        request_id: String,
    }

    impl sealed::Sealed for R {}

    impl ApiResponse for R {
        const ACTION: &'static str = "Test";

        fn request_id(&self) -> &str {
            &self.request_id
        }
    }

    fn err(status: u16, body: &str) -> Error {
        decode::<R>("Test", status, body.as_bytes()).unwrap_err()
    }

    #[test]
    fn the_header_map_is_complete_as_sent() {
        let host = lasting_value("billing.tencentcloudapi.com").unwrap();
        let client = HeaderValue::from_static("tencentcloud-billing/test");
        let t = template(VERSION, &host, None, None, &client);
        let auth = HeaderValue::from_static("TC3-HMAC-SHA256 x");
        let h = fill(t.clone(), "DescribeAccountBalance", auth.clone(), 1_700_000_000, 17, None, &[]).unwrap();
        // What hyper would otherwise add is there, so it does not grow the map.
        assert_eq!(h.get("accept").unwrap(), "*/*");
        assert_eq!(h.get("content-length").unwrap(), "17");
        assert_eq!(h.get("x-tc-timestamp").unwrap(), "1700000000");
        assert_eq!(h.len(), 9);
        // A user's Accept replaces the default one instead of joining it.
        let mine = [(http::header::ACCEPT, HeaderValue::from_static("application/json"))];
        let h = fill(t, "DescribeAccountBalance", auth, 1_700_000_000, 2, None, &mine).unwrap();
        assert_eq!(h.get_all("accept").iter().collect::<Vec<_>>(), ["application/json"]);
    }

    #[test]
    fn filling_writes_every_value_once_with_or_without_the_template() {
        let host = lasting_value("billing.tencentcloudapi.com").unwrap();
        let client = HeaderValue::from_static("tencentcloud-billing/test");
        let auth = HeaderValue::from_static("TC3-HMAC-SHA256 x");
        let from_template = fill(
            template(VERSION, &host, None, None, &client),
            "DescribeAccountBalance",
            auth.clone(),
            1_700_000_000,
            17,
            None,
            &[],
        )
        .unwrap();
        // A map that lacks some placeholders gets them all the same.
        let mut partial = HeaderMap::new();
        partial.insert(X_TC_ACTION, HeaderValue::from_static(""));
        let from_partial = fill(partial, "DescribeAccountBalance", auth, 1_700_000_000, 17, None, &[]).unwrap();
        for h in [&from_template, &from_partial] {
            assert_eq!(h.get_all("authorization").iter().collect::<Vec<_>>(), ["TC3-HMAC-SHA256 x"]);
            assert_eq!(h.get_all("x-tc-action").iter().collect::<Vec<_>>(), ["DescribeAccountBalance"]);
            assert_eq!(h.get_all("x-tc-timestamp").iter().collect::<Vec<_>>(), ["1700000000"]);
            assert_eq!(h.get_all("content-length").iter().collect::<Vec<_>>(), ["17"]);
        }
        assert_eq!(from_template.len(), 9);
        assert_eq!(from_partial.len(), 4);
    }

    #[test]
    fn lasting_values_are_kept_once_and_only_when_plain_ascii() {
        let a = lasting_value("lasting-test.example:8443").unwrap();
        let b = lasting_value("lasting-test.example:8443").unwrap();
        assert_eq!(a, b);
        // Bytes above 127 are a valid value, but not one `from_static` takes: an ordinary value.
        assert_eq!(lasting_value("h\u{e9}llo").unwrap().as_bytes(), "h\u{e9}llo".as_bytes());
        assert!(lasting_value("bad\nvalue").is_none());
        // Past the cap, values are still made, the ordinary way.
        for i in 0..MAX_LASTING + 8 {
            let s = format!("lasting-cap-{i}.example");
            assert_eq!(lasting_value(&s).unwrap(), s.as_str());
        }
    }

    #[test]
    fn success_and_error_envelopes() {
        let r: R = decode("Test", 200, br#"{"Response":{"Value":3,"RequestId":"r1","Extra":[1]}}"#).unwrap();
        assert_eq!((r.value, r.request_id.as_str()), (Some(3), "r1"));
        let e = err(200, r#"{"Response":{"Error":{"Code":"InvalidParameter","Message":"bad"},"RequestId":"r2"}}"#);
        assert_eq!(e.code(), Some(&ErrorCode::InvalidParameter));
        assert_eq!(e.request_id(), Some("r2"));
        assert_eq!(e.to_string(), "Test failed with InvalidParameter: bad (request id r2)");
    }

    #[test]
    fn malformed_bodies_are_typed_errors() {
        let cases = [
            (200, "", "empty"),
            (200, "<html><body>502 Bad Gateway</body></html>", "HTML"),
            (200, r#"{"Response":{"Value":3,"Req"#, "truncated"),
            (200, "[1,2,3]", "shape"),
            (200, r#"[{"Response":{"RequestId":"x"}}]"#, "expected a JSON object"),
            (200, r#"{"Response":[]}"#, "expected a JSON object"),
            (200, r#"{"Response":[3,"r"]}"#, "expected a JSON object"),
            (200, r#"{"Response":{"RequestId":"r"}} trailing"#, "malformed"),
            (200, r#"{"Other":{}}"#, "shape"),
            (200, r#"{"Response":{"Value":"x","RequestId":"r3"}}"#, "shape"),
            (502, "<html>bad gateway</html>", "status 502"),
            (200, "\u{0}\u{1}garbage", "malformed"),
        ];
        for (status, body, reason) in cases {
            match err(status, body) {
                Error::Decode(d) => {
                    assert!(d.reason.contains(reason), "{body}: {}", d.reason);
                    assert_eq!(d.status, status);
                }
                other => panic!("{body}: {other:?}"),
            }
        }
        // The RequestId survives a body that does not match the type.
        assert_eq!(err(200, r#"{"Response":{"Value":"x","RequestId":"r3"}}"#).request_id(), Some("r3"));
    }

    #[test]
    fn non_utf8_is_a_decode_error() {
        let e = decode::<R>("Test", 200, &[0xff, 0xfe, b'{']).unwrap_err();
        assert!(matches!(e, Error::Decode(_)));
        // Invalid UTF-8 inside an otherwise well-formed answer is judged as when every string
        // was checked on its own: malformed in a field that is read, skipped in one that is not.
        let with_bad_byte = |field: &str| {
            let mut body = format!(r#"{{"Response":{{"Value":3,"{field}":"ab"#).into_bytes();
            body.push(0xff);
            body.extend_from_slice(br#""}}"#);
            decode::<R>("Test", 200, &body)
        };
        match with_bad_byte("RequestId").unwrap_err() {
            Error::Decode(d) => assert!(d.reason.contains("malformed"), "{}", d.reason),
            other => panic!("{other:?}"),
        }
        assert_eq!(with_bad_byte("Note").unwrap().value, Some(3));
        // Escapes still decode through the text path.
        let r: R = decode("Test", 200, br#"{"Response":{"Value":1,"RequestId":"r\u00e9\n"}}"#).unwrap();
        assert_eq!(r.request_id, "r\u{e9}\n");
    }

    #[test]
    fn null_message_and_request_id_in_an_error_are_tolerated() {
        let e = err(200, r#"{"Response":{"Error":{"Code":"InternalError","Message":null},"RequestId":null}}"#);
        assert_eq!(e.code(), Some(&ErrorCode::InternalError));
        assert_eq!(e.request_id(), None);
    }

    #[test]
    fn error_envelope_with_non_200_status_keeps_the_code() {
        let e = err(503, r#"{"Response":{"Error":{"Code":"InternalError","Message":"x"},"RequestId":"r4"}}"#);
        assert_eq!(e.code(), Some(&ErrorCode::InternalError));
        assert_eq!(e.http_status(), Some(503));
    }
}
