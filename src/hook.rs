//! [`Hook`]: watch every attempt, and add headers to it, without touching the send path.
//!
//! A hook is registered on the builder ([`crate::BillingClientBuilder::hook`]) and shared by every
//! clone of the client. It sees what an operator needs (the action, the attempt number, the HTTP
//! status, the RequestId, the latency and the outcome) and nothing secret: no key, no token, no
//! signature, no body.
//!
//! ```
//! use std::sync::atomic::{AtomicU64, Ordering};
//! use tencentcloud_billing::hook::{AttemptRecord, BeforeAttempt, Hook};
//!
//! #[derive(Debug, Default)]
//! struct CountThrottles(AtomicU64);
//!
//! impl Hook for CountThrottles {
//!     fn before_attempt(&self, attempt: &mut BeforeAttempt<'_>) {
//!         // A header of our own, on every attempt (names starting with `X-TC-` are refused).
//!         let _ = attempt.insert_header("x-request-origin", "nightly-report");
//!     }
//!
//!     fn after_attempt(&self, record: &AttemptRecord<'_>) {
//!         if record.outcome().is_throttled() {
//!             self.0.fetch_add(1, Ordering::Relaxed);
//!         }
//!     }
//! }
//! ```

use std::fmt;
use std::time::Duration;

use http::header::{HeaderName, HeaderValue};

use crate::error::Error;
use crate::protocol::ActionKind;

/// Observes each attempt of every call, and may add headers before it is sent.
///
/// Both methods are called on the task that makes the call, so they should be quick: count,
/// record, or hand work to a channel. A hook must not panic.
pub trait Hook: Send + Sync + fmt::Debug + 'static {
    /// Called before each attempt is signed and sent (retries included).
    fn before_attempt(&self, attempt: &mut BeforeAttempt<'_>) {
        let _ = attempt;
    }

    /// Called after each attempt, whatever its outcome.
    fn after_attempt(&self, record: &AttemptRecord<'_>) {
        let _ = record;
    }
}

/// What a [`Hook`] sees before an attempt, and where it adds headers.
#[derive(Debug)]
pub struct BeforeAttempt<'a> {
    pub(crate) action: &'static str,
    pub(crate) kind: ActionKind,
    pub(crate) attempt: u32,
    pub(crate) headers: &'a mut Vec<(HeaderName, HeaderValue)>,
}

impl BeforeAttempt<'_> {
    /// The action, e.g. `DescribeBillDetail`.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// Read, write or money-moving.
    pub fn kind(&self) -> ActionKind {
        self.kind
    }

    /// The attempt number, 1 for the first.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Send a header with this attempt.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a name or value that is not a valid header, or a header the
    /// protocol or the signature owns (`Authorization`, `Content-Type`, `Host`,
    /// `Content-Length`, and every `X-TC-*`).
    pub fn insert_header(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let header = user_header(name, value).map_err(|m| Error::invalid_request(self.action, m))?;
        self.headers.push(header);
        Ok(())
    }
}

/// What a [`Hook`] sees after an attempt.
#[derive(Debug)]
pub struct AttemptRecord<'a> {
    pub(crate) action: &'static str,
    pub(crate) kind: ActionKind,
    pub(crate) attempt: u32,
    pub(crate) status: Option<u16>,
    pub(crate) request_id: Option<&'a str>,
    pub(crate) latency: Duration,
    pub(crate) quota_wait: Duration,
    pub(crate) error: Option<&'a Error>,
}

impl<'a> AttemptRecord<'a> {
    /// The action, e.g. `DescribeBillDetail`.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// Read, write or money-moving.
    pub fn kind(&self) -> ActionKind {
        self.kind
    }

    /// The attempt number, 1 for the first.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The HTTP status, when an answer came back.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The RequestId, when the server sent one.
    pub fn request_id(&self) -> Option<&'a str> {
        self.request_id
    }

    /// From sending to the last byte of the answer (or the failure); the quota wait is apart.
    pub fn latency(&self) -> Duration {
        self.latency
    }

    /// How long the attempt waited for its quota permit.
    pub fn quota_wait(&self) -> Duration {
        self.quota_wait
    }

    /// How the attempt ended.
    pub fn outcome(&self) -> Outcome {
        self.error.map_or(Outcome::Ok, Outcome::of)
    }

    /// The error, when the attempt failed.
    pub fn error(&self) -> Option<&'a Error> {
        self.error
    }
}

/// How an attempt ended, in a few words: the `outcome` of the tracing spans and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// A typed answer.
    Ok,
    /// Refused for quota (`RequestLimitExceeded*`).
    Throttled,
    /// Another `Response.Error`.
    ServiceError,
    /// The request or the answer did not get through.
    TransportError,
    /// A time limit ran out.
    Timeout,
    /// A redirect answer, not followed.
    Redirect,
    /// An answer that is not the API's.
    DecodeError,
    /// Refused before sending.
    InvalidRequest,
    /// A configuration problem.
    ConfigError,
    /// No credentials.
    CredentialsError,
    /// A paginator stopped a looping server.
    PaginationError,
    /// A file download failed.
    DownloadError,
}

impl Outcome {
    /// The outcome of a failure.
    pub fn of(e: &Error) -> Outcome {
        match e {
            Error::Service(s) if s.code.is_throttling() => Outcome::Throttled,
            Error::Service(_) => Outcome::ServiceError,
            Error::Transport(_) => Outcome::TransportError,
            Error::Timeout(_) => Outcome::Timeout,
            Error::Redirect(_) => Outcome::Redirect,
            Error::Decode(_) => Outcome::DecodeError,
            Error::InvalidRequest(_) => Outcome::InvalidRequest,
            Error::Config(_) => Outcome::ConfigError,
            Error::Credentials(_) => Outcome::CredentialsError,
            Error::Pagination(_) => Outcome::PaginationError,
            Error::Download(_) => Outcome::DownloadError,
        }
    }

    /// The name used in spans and metric labels, e.g. `throttled`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Throttled => "throttled",
            Outcome::ServiceError => "service_error",
            Outcome::TransportError => "transport_error",
            Outcome::Timeout => "timeout",
            Outcome::Redirect => "redirect",
            Outcome::DecodeError => "decode_error",
            Outcome::InvalidRequest => "invalid_request",
            Outcome::ConfigError => "config_error",
            Outcome::CredentialsError => "credentials_error",
            Outcome::PaginationError => "pagination_error",
            Outcome::DownloadError => "download_error",
        }
    }

    /// Whether the server refused for quota.
    pub fn is_throttled(&self) -> bool {
        *self == Outcome::Throttled
    }
}

/// A header a user may add: valid, and not one the protocol or the signature owns.
pub(crate) fn user_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let n = HeaderName::try_from(name).map_err(|_| format!("{name:?} is not a valid header name"))?;
    if crate::protocol::is_reserved_header(&n) {
        return Err(format!("the header {name:?} belongs to the protocol and cannot be set"));
    }
    let v = HeaderValue::try_from(value)
        .map_err(|_| format!("the value of header {name:?} is not a valid header value"))?;
    Ok((n, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_and_invalid_headers_are_refused() {
        assert!(user_header("x-request-origin", "report").is_ok());
        for name in ["X-TC-Action", "x-tc-anything", "Authorization", "host", "Content-Type", "content-length"] {
            assert!(user_header(name, "v").unwrap_err().contains("belongs to the protocol"), "{name}");
        }
        assert!(user_header("bad name", "v").unwrap_err().contains("not a valid header name"));
        assert!(user_header("x-ok", "line\nbreak").unwrap_err().contains("not a valid header value"));
    }
}
