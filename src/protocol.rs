//! The API 3.0 wire protocol as billing uses it: endpoints, header names and the response envelope.

use serde::Deserialize;

use crate::action::ApiResponse;
use crate::error::{DecodeError, Error, ErrorCode, ServiceError, snippet};

/// The service name, signed into every request's credential scope.
pub const SERVICE: &str = "billing";
/// The API version sent as `X-TC-Version`.
pub const VERSION: &str = "2018-07-09";
/// The China site's endpoint host.
pub const CHINA_HOST: &str = "billing.tencentcloudapi.com";
/// The international site's endpoint host.
pub const INTERNATIONAL_HOST: &str = "billing.intl.tencentcloudapi.com";
/// Requests are refused by the server with `AuthFailure.SignatureExpire` when the timestamp is
/// further than this from its clock.
pub const MAX_CLOCK_SKEW_SECS: i64 = 300;

/// The `X-TC-RequestClient` value: the crate and its version, in the character set the header allows.
pub const REQUEST_CLIENT: &str = concat!("SDK_RUST_tencentcloud-billing_", env!("CARGO_PKG_VERSION"));

/// `Response.Error` on the wire.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[doc(hidden)]
pub struct WireError {
    #[serde(rename = "Code", default, deserialize_with = "crate::wire::null_as_default")]
    pub code: String,
    #[serde(rename = "Message", default, deserialize_with = "crate::wire::null_as_default")]
    pub message: String,
}

#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
struct Envelope<T> {
    #[serde(rename = "Response", deserialize_with = "object_only")]
    response: T,
}

/// Deserialize `T` only from a JSON object. serde's derived structs also accept an array of
/// their fields in order, so without this `[{"Response":{}}]` or `{"Response":[]}` would decode
/// as an empty success.
fn object_only<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    struct ObjectVisitor<T>(std::marker::PhantomData<T>);

    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for ObjectVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
    }

    d.deserialize_map(ObjectVisitor(std::marker::PhantomData))
}

/// Parse a whole body whose top level must be a JSON object.
fn from_object<T: serde::de::DeserializeOwned>(body: &[u8]) -> serde_json::Result<T> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = object_only(&mut de)?;
    de.end()?;
    Ok(value)
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

/// Decode an answer: the envelope first (HTTP 200 can carry `Response.Error`), then the typed body.
pub(crate) fn decode<T: ApiResponse>(action: &'static str, status: u16, body: &[u8]) -> Result<T, Error> {
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
    match from_object::<Envelope<T>>(body) {
        Ok(Envelope { response: mut r }) => match r.take_error() {
            Some(err) => {
                let id = Some(r.request_id().to_owned());
                Err(service_error(action, status, err, id))
            }
            None => Ok(r),
        },
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

/// [`decode`] for the benchmarks in `benches/`. Not part of the API.
#[doc(hidden)]
pub fn __decode<T: ApiResponse>(action: &'static str, status: u16, body: &[u8]) -> Result<T, Error> {
    decode(action, status, body)
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
        #[serde(rename = "Error", default)]
        error: Option<WireError>,
    }

    impl crate::action::private::Sealed for R {}

    impl ApiResponse for R {
        fn request_id(&self) -> &str {
            &self.request_id
        }
        fn take_error(&mut self) -> Option<WireError> {
            self.error.take()
        }
    }

    fn err(status: u16, body: &str) -> Error {
        decode::<R>("Test", status, body.as_bytes()).unwrap_err()
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
