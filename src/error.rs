//! Errors: one crate-wide [`Error`], and [`ErrorCode`], the documented service codes.
//!
//! Tencent answers service errors with HTTP 200 and a `Response.Error` object, so the client decodes
//! the envelope first and classifies by code, not by HTTP status. Every error that reached the server
//! keeps the RequestId, which is what Tencent support asks for.

use std::fmt;
use std::time::Duration;

/// A boxed error source, kept opaque so that no foreign type is part of the public API.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong with a call.
///
/// Match on the variant for the broad kind, or use the predicates ([`Error::is_throttling`],
/// [`Error::is_retryable`], [`Error::code`], [`Error::request_id`]).
///
/// # Troubleshooting
/// - `Service` with `AuthFailure.SignatureFailure`: the SecretKey does not match the SecretId.
/// - `Service` with `AuthFailure.SignatureExpire`: the local clock is more than 5 minutes off.
/// - `Decode`: the endpoint answered something that is not the billing API (a proxy page, say);
///   [`DecodeError::body_snippet`] shows the start of it.
/// - `Timeout`: raise the per-attempt timeout for large bill pages.
///
/// ```no_run
/// use tencentcloud_billing::{BillingClient, Error, ErrorCode};
/// # async fn run(client: BillingClient) {
/// match client.describe_account_balance().send().await {
///     Ok(b) => println!("{:?}", b.real_balance),
///     Err(e) if e.is_throttling() => eprintln!("over quota, try later"),
///     Err(Error::Service(s)) if s.code == ErrorCode::AuthFailureSecretIdNotFound => eprintln!("unknown key"),
///     Err(e) => eprintln!("failed: {e} (request id {:?})", e.request_id()),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with `Response.Error`.
    #[error(transparent)]
    Service(Box<ServiceError>),
    /// The request could not be delivered, or the connection failed while reading the answer.
    #[error(transparent)]
    Transport(Box<TransportError>),
    /// A time limit ran out.
    #[error(transparent)]
    Timeout(Box<TimeoutError>),
    /// The endpoint answered with an HTTP redirect (3xx). Redirects are never followed: the request
    /// may already have been executed, and following would re-send a signed body (and its token)
    /// to wherever the answer points.
    #[error(transparent)]
    Redirect(Box<RedirectError>),
    /// The answer was not a well-formed billing response.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The request was refused before it was sent (a required field is missing, say).
    #[error(transparent)]
    InvalidRequest(Box<InvalidRequestError>),
    /// The client is misconfigured: a bad endpoint, a missing environment variable, an unknown action name.
    #[error(transparent)]
    Config(Box<ConfigError>),
    /// Credentials could not be obtained (a provider failed).
    #[error(transparent)]
    Credentials(Box<CredentialsError>),
    /// A paginator stopped a walk that would never end: the server is looping.
    #[error(transparent)]
    Pagination(Box<PaginationError>),
    /// A file download (a bill file from its presigned link) failed.
    #[error(transparent)]
    Download(Box<DownloadError>),
}

impl Error {
    /// The documented code, for service errors.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Error::Service(e) => Some(&e.code),
            _ => None,
        }
    }

    /// The RequestId Tencent assigned, when the request reached the server and it said so.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Service(e) => Some(e.http_status),
            Error::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// The server refused the call because a quota was exceeded (`RequestLimitExceeded*`), or
    /// answered HTTP 429.
    pub fn is_throttling(&self) -> bool {
        match self {
            Error::Service(e) => e.code.is_throttling(),
            Error::Decode(e) => e.status == 429,
            _ => false,
        }
    }

    /// A time limit ran out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// The connection could not be established, so the request certainly never reached the server.
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Transport(t) if t.phase == TransportPhase::Connect)
    }

    /// Whether trying the same call again later can succeed: throttling, transient server errors,
    /// 5xx answers, network failures, and `AuthFailure.SignatureExpire` (the client has corrected
    /// its clock by then). Authentication, parameter and permission errors never are, whatever
    /// the HTTP status. It says nothing about whether a retry is *safe*; the client only retries
    /// writes and money-moving actions when the request never left.
    pub fn is_retryable(&self) -> bool {
        match self {
            // Within a call a passed deadline ends the retries; a later call may well succeed.
            Error::Timeout(t) if t.kind == TimeoutKind::Deadline => true,
            e => classify(e) != Failure::Permanent,
        }
    }

    /// The request may have reached the server: anything but a refused or failed connection, a
    /// request refused before sending, or a configuration problem.
    pub fn may_have_been_sent(&self) -> bool {
        match self {
            Error::Transport(t) => t.phase != TransportPhase::Connect,
            Error::Timeout(t) => t.kind != TimeoutKind::Connect,
            Error::Service(_) | Error::Decode(_) | Error::Redirect(_) | Error::Pagination(_) => true,
            Error::Download(_) => true,
            Error::InvalidRequest(_) | Error::Config(_) | Error::Credentials(_) => false,
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Error {
        Error::Config(Box::new(ConfigError { message: message.into(), source: None }))
    }

    pub(crate) fn invalid_request(action: &'static str, message: impl Into<String>) -> Error {
        Error::InvalidRequest(Box::new(InvalidRequestError { action, message: message.into() }))
    }

    pub(crate) fn credentials(message: impl Into<String>, source: Option<BoxError>) -> Error {
        Error::Credentials(Box::new(CredentialsError { message: message.into(), not_found: false, source }))
    }

    /// A credentials source that is not configured at all, so a chain may try the next one.
    pub(crate) fn credentials_not_found(message: impl Into<String>) -> Error {
        Error::Credentials(Box::new(CredentialsError { message: message.into(), not_found: true, source: None }))
    }

    /// Whether this is a [`CredentialsError`] saying the source is not configured.
    pub(crate) fn is_credentials_not_found(&self) -> bool {
        matches!(self, Error::Credentials(c) if c.not_found)
    }
}

/// An error answer from the billing service (`Response.Error`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceError {
    /// The action that was called.
    pub action: &'static str,
    /// The documented code, or [`ErrorCode::Unknown`].
    pub code: ErrorCode,
    /// The server's message, as sent.
    pub message: String,
    /// The RequestId, when the server sent one.
    pub request_id: Option<String>,
    /// The HTTP status (usually 200: Tencent reports service errors in the body).
    pub http_status: u16,
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with {}: {}", self.action, self.code, self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

/// Where a transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportPhase {
    /// Establishing the connection (DNS, TCP, TLS): nothing was sent.
    Connect,
    /// Sending the request or waiting for the answer's head: the server may have received it.
    Request,
    /// Reading the answer's body: the server processed the request.
    Body,
}

/// The request could not be delivered or the answer could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{action}: transport error while {}", match .phase { TransportPhase::Connect => "connecting", TransportPhase::Request => "sending the request", TransportPhase::Body => "reading the response body" })]
#[non_exhaustive]
pub struct TransportError {
    /// The action that was called.
    pub action: &'static str,
    /// Where it failed.
    pub phase: TransportPhase,
    #[source]
    pub(crate) source: Option<BoxError>,
}

/// The endpoint answered with a redirect, which the client does not follow.
///
/// # Troubleshooting
/// Tencent's API endpoints do not redirect, so a 3xx means something between the client and
/// Tencent (a proxy, a captive portal, a misconfigured gateway or `endpoint`) is answering. The
/// request reached it and may have been acted on; for an action that moves money, check before
/// sending it again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{action}: the endpoint answered HTTP {status} redirecting to {}; redirects are not followed, and the request may have been executed",
    .location_host.as_deref().unwrap_or("an unreadable Location")
)]
#[non_exhaustive]
pub struct RedirectError {
    /// The action that was called.
    pub action: &'static str,
    /// The 3xx status.
    pub status: u16,
    /// The host (and port, if any) the `Location` header points at; its path and query are not
    /// kept, since they may carry a secret.
    pub location_host: Option<String>,
}

/// Which time limit ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Connecting took longer than the connect timeout: nothing was sent.
    Connect,
    /// One attempt took longer than the per-attempt timeout.
    Attempt,
    /// The whole call, retries included, passed its deadline.
    Deadline,
    /// A [`crate::wait::Waiter`] polled until its deadline without the condition holding (a bill
    /// file or a summary still not ready).
    Wait,
}

/// A time limit ran out.
#[derive(Debug, thiserror::Error)]
#[error("{action}: {} timed out after {after:?}", match .kind { TimeoutKind::Connect => "connecting", TimeoutKind::Attempt => "the attempt", TimeoutKind::Deadline => "the call", TimeoutKind::Wait => "waiting until ready" })]
#[non_exhaustive]
pub struct TimeoutError {
    /// The action that was called.
    pub action: &'static str,
    /// Which limit.
    pub kind: TimeoutKind,
    /// The limit that ran out.
    pub after: Duration,
}

/// The answer could not be decoded as a billing response.
#[derive(Debug, thiserror::Error)]
#[error("{action}: {reason} (http status {status}{}){}", .request_id.as_deref().map(|r| format!(", request id {r}")).unwrap_or_default(), if .body_snippet.is_empty() { String::new() } else { format!(": {:?}", .body_snippet) })]
#[non_exhaustive]
pub struct DecodeError {
    /// The action that was called.
    pub action: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The RequestId, when it could be recovered from the body.
    pub request_id: Option<String>,
    /// What was wrong, in a few words.
    pub reason: String,
    /// The start of the body (at most [`DecodeError::SNIPPET_LEN`] bytes, lossily decoded).
    pub body_snippet: String,
    #[source]
    pub(crate) source: Option<BoxError>,
}

impl DecodeError {
    /// How many bytes of the body are kept for diagnosis.
    pub const SNIPPET_LEN: usize = 512;

    /// The start of the body, for diagnosis.
    pub fn body_snippet(&self) -> &str {
        &self.body_snippet
    }
}

/// A request refused before it was sent.
#[derive(Debug, thiserror::Error)]
#[error("{action}: {message}")]
#[non_exhaustive]
pub struct InvalidRequestError {
    /// The action that was called.
    pub action: &'static str,
    /// What is wrong.
    pub message: String,
}

/// The client is misconfigured.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {message}")]
#[non_exhaustive]
pub struct ConfigError {
    /// What is wrong.
    pub message: String,
    #[source]
    pub(crate) source: Option<BoxError>,
}

/// Credentials could not be obtained.
///
/// # Troubleshooting
/// - [`CredentialsError::is_not_found`]: no source in the chain is configured; set
///   `TENCENTCLOUD_SECRET_ID` and `TENCENTCLOUD_SECRET_KEY`, write a profile file, or pass
///   [`crate::Credentials`] to the builder. The message lists what was tried.
/// - Otherwise a source is configured but failed (a profile without `secret_key`, STS refusing the
///   role, the metadata service answering garbage); the message and the source say which.
#[derive(Debug, thiserror::Error)]
#[error("credentials error: {message}")]
#[non_exhaustive]
pub struct CredentialsError {
    /// What is wrong.
    pub message: String,
    pub(crate) not_found: bool,
    #[source]
    pub(crate) source: Option<BoxError>,
}

impl CredentialsError {
    /// The source is simply not configured here (no variables, no file, not on a CVM instance),
    /// as opposed to configured and failing. A [`crate::credentials::CredentialsChain`] moves on to
    /// its next source only for these.
    pub fn is_not_found(&self) -> bool {
        self.not_found
    }
}

/// A paged walk stopped because the server is looping: following it would fetch the same pages
/// forever. Every page before `page` was delivered; page `page` was not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{action}: page {page} {reason}")]
#[non_exhaustive]
pub struct PaginationError {
    /// The paged action.
    pub action: &'static str,
    /// The page (counting from 1) whose answer showed the loop.
    pub page: u64,
    /// What repeated.
    pub reason: PaginationReason,
}

/// A file download failed. The URL is shown without its query (a presigned link's signature).
#[derive(Debug, thiserror::Error)]
#[error("downloading {url}: {kind}")]
#[non_exhaustive]
pub struct DownloadError {
    /// The file's URL, redacted: scheme, host, port and path only.
    pub url: String,
    /// What went wrong.
    pub kind: DownloadErrorKind,
    #[source]
    pub(crate) source: Option<BoxError>,
}

/// What went wrong with a download; see [`DownloadError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DownloadErrorKind {
    /// The API said the file is ready but gave no link.
    NoUrl,
    /// The link is not a usable URL (not http(s), or plain http outside loopback).
    BadUrl,
    /// The file host answered with this non-success status.
    Status(u16),
    /// The file host answered with a redirect, which is never followed.
    Redirect {
        /// The 3xx status.
        status: u16,
        /// The host (and port) the `Location` names; its path and query are not kept.
        location_host: Option<String>,
    },
    /// The file is larger than the size cap.
    TooLarge {
        /// The cap, in bytes.
        limit: u64,
    },
    /// No byte arrived for this long.
    Stalled {
        /// The stall timeout.
        after: Duration,
    },
    /// Bytes kept coming, but fewer than the rate floor over a whole stall window: at that pace
    /// the file would take too long to end (a host trickling a byte a second never stalls).
    TooSlow {
        /// The bytes that arrived in the window.
        received: u64,
        /// The window (the stall timeout).
        window: Duration,
        /// The floor, in bytes per second averaged over the window.
        min_rate: u64,
    },
    /// The whole download, waiting for the file included, passed the deadline set with
    /// [`BillDownload::deadline`](crate::files::BillDownload::deadline).
    Deadline {
        /// The deadline.
        after: Duration,
    },
    /// The body ended before the length the server announced (`Content-Length`).
    Truncated {
        /// The announced length.
        expected: u64,
        /// The bytes received.
        received: u64,
    },
    /// The file host sent neither a `Content-Length` nor a chunked body, so only the connection's
    /// end would end the file: a cut connection would look the same, and the file could never
    /// be shown to be whole. Refused before anything is written.
    Unframed,
    /// The connection failed (connecting, or while reading the body).
    Transport,
    /// Writing the file failed (the source says why).
    Io,
}

impl fmt::Display for DownloadErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DownloadErrorKind::NoUrl => f.write_str("the answer says ready but carries no download link"),
            DownloadErrorKind::BadUrl => f.write_str("the download link is not a usable https URL"),
            DownloadErrorKind::Status(s) => write!(f, "the file host answered HTTP {s}"),
            DownloadErrorKind::Redirect { status, location_host } => write!(
                f,
                "the file host answered HTTP {status} redirecting to {}; redirects are not followed",
                location_host.as_deref().unwrap_or("an unreadable Location")
            ),
            DownloadErrorKind::TooLarge { limit } => write!(f, "the file is larger than the {limit}-byte limit"),
            DownloadErrorKind::Stalled { after } => write!(f, "no data arrived for {after:?}"),
            DownloadErrorKind::TooSlow { received, window, min_rate } => {
                write!(f, "only {received} bytes arrived in {window:?}, below the floor of {min_rate} bytes per second")
            }
            DownloadErrorKind::Deadline { after } => {
                write!(f, "the download did not end within its {after:?} deadline")
            }
            DownloadErrorKind::Truncated { expected, received } => {
                write!(f, "the body ended after {received} of the {expected} bytes announced")
            }
            DownloadErrorKind::Unframed => f.write_str(
                "the file host announced no length and no chunked body, so the file could not be shown to be complete",
            ),
            DownloadErrorKind::Transport => f.write_str("transport error"),
            DownloadErrorKind::Io => f.write_str("writing the file failed"),
        }
    }
}

/// What a looping server repeated; see [`PaginationError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PaginationReason {
    /// Token paging: the answer's token was already returned by page `seen_at`, so following it
    /// would ask for pages already walked.
    RepeatedCursor {
        /// The earlier page that returned the same token.
        seen_at: u64,
    },
    /// Offset or page-number paging: the page holds the same records as page `seen_at`, so the
    /// server is ignoring the position it is sent.
    RepeatedPage {
        /// The earlier page with the same records.
        seen_at: u64,
    },
}

impl fmt::Display for PaginationReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaginationReason::RepeatedCursor { seen_at } => {
                write!(f, "repeats a cursor seen at page {seen_at}; the server is looping")
            }
            PaginationReason::RepeatedPage { seen_at } => write!(
                f,
                "repeats the records of page {seen_at}; the server is ignoring the paging position and looping"
            ),
        }
    }
}

/// Truncate a body for diagnosis, on a character boundary.
pub(crate) fn snippet(body: &[u8]) -> String {
    let cut = &body[..body.len().min(DecodeError::SNIPPET_LEN)];
    let mut s = String::from_utf8_lossy(cut).into_owned();
    if body.len() > cut.len() {
        s.push('…');
    }
    s
}

macro_rules! error_codes {
    ($( $variant:ident = $code:literal, [$($flag:ident),*], $($src:ident)/+; )*) => {
        /// A documented error code of the billing API or of the API 3.0 common set.
        ///
        /// The set is open: a code Tencent adds later decodes as [`ErrorCode::Unknown`], which keeps
        /// the text. Match on [`ErrorCode::as_str`] for codes you care about that have no variant
        /// yet, so your code keeps working when one is added:
        ///
        /// ```
        /// # use tencentcloud_billing::ErrorCode;
        /// let code = ErrorCode::from("FailedOperation.SummaryDataNotReady");
        /// match code {
        ///     ErrorCode::FailedOperationSummaryDataNotReady => { /* try again in a few minutes */ }
        ///     other if other.as_str() == "FailedOperation.SomethingNew" => {}
        ///     _ => {}
        /// }
        /// ```
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(
                #[doc = concat!("`", $code, "`")]
                $variant,
            )*
            /// A code that is not in the documented lists.
            Unknown(UnknownCode),
        }

        impl ErrorCode {
            /// Every documented code, billing and common.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The code as Tencent spells it, e.g. `RequestLimitExceeded.UinLimitExceeded`.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                    ErrorCode::Unknown(u) => &u.0,
                }
            }

            fn flags(&self) -> &'static [&'static str] {
                match self {
                    $(ErrorCode::$variant => &[$(stringify!($flag)),*],)*
                    ErrorCode::Unknown(_) => &[],
                }
            }

            /// Whether the code is in the billing list (as opposed to only the common list).
            pub fn is_billing_specific(&self) -> bool {
                match self {
                    $(ErrorCode::$variant => error_codes!(@billing $($src)/+),)*
                    ErrorCode::Unknown(_) => false,
                }
            }
        }

        impl From<&str> for ErrorCode {
            fn from(s: &str) -> Self {
                match s {
                    $($code => ErrorCode::$variant,)*
                    other => ErrorCode::Unknown(UnknownCode(other.to_owned())),
                }
            }
        }
    };
    (@billing billing $(/ $rest:ident)*) => { true };
    (@billing common $(/ $rest:ident)*) => { false };
}

error_codes! {
    ActionOffline = "ActionOffline", [], common;
    AuthFailure = "AuthFailure", [auth], billing;
    AuthFailureInvalidAuthorization = "AuthFailure.InvalidAuthorization", [auth], common;
    AuthFailureInvalidSecretId = "AuthFailure.InvalidSecretId", [auth], common;
    AuthFailureMFAFailure = "AuthFailure.MFAFailure", [auth], common;
    AuthFailureSecretIdNotFound = "AuthFailure.SecretIdNotFound", [auth], common;
    AuthFailureSignatureExpire = "AuthFailure.SignatureExpire", [auth], common;
    AuthFailureSignatureFailure = "AuthFailure.SignatureFailure", [auth], common;
    AuthFailureTokenFailure = "AuthFailure.TokenFailure", [auth], common;
    AuthFailureUnauthorizedOperation = "AuthFailure.UnauthorizedOperation", [auth], billing/common;
    DryRunOperation = "DryRunOperation", [], common;
    FailedOperation = "FailedOperation", [], billing/common;
    FailedOperationAgentPayDealCannotDown = "FailedOperation.AgentPayDealCannotDown", [], billing;
    FailedOperationBalanceInsufficient = "FailedOperation.BalanceInsufficient", [], billing;
    FailedOperationBusinessCheckErrCode = "FailedOperation.BusinessCheckErrCode", [], billing;
    FailedOperationDistributeError = "FailedOperation.DistributeError", [], billing;
    FailedOperationGetPriceParamError = "FailedOperation.GetPriceParamError", [], billing;
    FailedOperationInvalidAppId = "FailedOperation.InvalidAppId", [], billing;
    FailedOperationInvalidDeal = "FailedOperation.InvalidDeal", [], billing;
    FailedOperationInvalidGoodsCategoryId = "FailedOperation.InvalidGoodsCategoryId", [], billing;
    FailedOperationInvalidVoucher = "FailedOperation.InvalidVoucher", [], billing;
    FailedOperationNeedPayTogeter = "FailedOperation.NeedPayTogeter", [], billing;
    FailedOperationNeedPayTogether = "FailedOperation.NeedPayTogether", [], billing;
    FailedOperationNotAllowToRefund = "FailedOperation.NotAllowToRefund", [], billing;
    FailedOperationNumLimitError = "FailedOperation.NumLimitError", [], billing;
    FailedOperationPayPriceError = "FailedOperation.PayPriceError", [], billing;
    FailedOperationPaySuccDeliverFailed = "FailedOperation.PaySuccDeliverFailed", [], billing;
    FailedOperationQueryCountFailed = "FailedOperation.QueryCountFailed", [transient], billing;
    FailedOperationQueryDBFailed = "FailedOperation.QueryDBFailed", [transient], billing;
    FailedOperationReturnCommonError = "FailedOperation.ReturnCommonError", [], billing;
    FailedOperationSummaryDataNotReady = "FailedOperation.SummaryDataNotReady", [transient], billing;
    FailedOperationTagKeyNotExist = "FailedOperation.TagKeyNotExist", [], billing;
    FailedOperationDealCreateWhitelistError = "FailedOperation.dealCreateWhitelistError", [], billing;
    InternalError = "InternalError", [transient], billing/common;
    InternalErrorDbOperatError = "InternalError.DbOperatError", [transient], billing;
    InternalErrorGatewayError = "InternalError.GatewayError", [transient], billing;
    InternalErrorInternalError = "InternalError.InternalError", [transient], billing;
    InternalErrorUnknownError = "InternalError.UnknownError", [transient], billing;
    InvalidAction = "InvalidAction", [], common;
    InvalidParameter = "InvalidParameter", [], billing/common;
    InvalidParameterApiParamError = "InvalidParameter.ApiParamError", [], billing;
    InvalidParameterInvalidParameter = "InvalidParameter.InvalidParameter", [], billing;
    InvalidParameterParamCheckFailed = "InvalidParameter.ParamCheckFailed", [], billing;
    InvalidParameterResourceLocked = "InvalidParameter.ResourceLocked", [], billing;
    InvalidParameterValue = "InvalidParameterValue", [], billing/common;
    InvalidRequest = "InvalidRequest", [], common;
    IpInBlacklist = "IpInBlacklist", [], common;
    IpNotInWhitelist = "IpNotInWhitelist", [], common;
    LimitExceeded = "LimitExceeded", [], common;
    MissingParameter = "MissingParameter", [], billing/common;
    NoSuchProduct = "NoSuchProduct", [], common;
    NoSuchVersion = "NoSuchVersion", [], common;
    OperationDenied = "OperationDenied", [], billing;
    RequestLimitExceeded = "RequestLimitExceeded", [throttling], common;
    RequestLimitExceededGlobalRegionUinLimitExceeded = "RequestLimitExceeded.GlobalRegionUinLimitExceeded", [throttling], common;
    RequestLimitExceededIPLimitExceeded = "RequestLimitExceeded.IPLimitExceeded", [throttling], common;
    RequestLimitExceededUinLimitExceeded = "RequestLimitExceeded.UinLimitExceeded", [throttling], common;
    RequestSizeLimitExceeded = "RequestSizeLimitExceeded", [], common;
    ResourceInUse = "ResourceInUse", [], common;
    ResourceInsufficient = "ResourceInsufficient", [], common;
    ResourceNotFound = "ResourceNotFound", [], common;
    ResourceUnavailable = "ResourceUnavailable", [], common;
    ResponseSizeLimitExceeded = "ResponseSizeLimitExceeded", [], common;
    ServiceUnavailable = "ServiceUnavailable", [transient], common;
    UnauthorizedOperation = "UnauthorizedOperation", [], common;
    UnauthorizedOperationCamNoAuth = "UnauthorizedOperation.CamNoAuth", [], billing;
    UnauthorizedOperationCertificationNeedUpgrade = "UnauthorizedOperation.CertificationNeedUpgrade", [], billing;
    UnauthorizedOperationNotCertification = "UnauthorizedOperation.NotCertification", [], billing;
    UnknownParameter = "UnknownParameter", [], common;
    UnsupportedOperation = "UnsupportedOperation", [], billing/common;
    UnsupportedOperationNotSupportThisAction = "UnsupportedOperation.NOT_SUPPORT_THIS_ACTION", [], billing;
    UnsupportedProtocol = "UnsupportedProtocol", [], common;
    UnsupportedRegion = "UnsupportedRegion", [], common;
}

impl ErrorCode {
    /// A quota was exceeded: `RequestLimitExceeded` and its sub-codes. Retry after a pause.
    pub fn is_throttling(&self) -> bool {
        self.flags().contains(&"throttling")
            || (matches!(self, ErrorCode::Unknown(_)) && self.as_str().starts_with("RequestLimitExceeded"))
    }

    /// An authentication failure (`AuthFailure*`): retrying with the same credentials will not help,
    /// except for `AuthFailure.SignatureExpire` after correcting the clock.
    pub fn is_auth(&self) -> bool {
        self.flags().contains(&"auth") || self.as_str().starts_with("AuthFailure")
    }

    /// The call can succeed if tried again later: throttling, `InternalError*`,
    /// `ServiceUnavailable`, and the transient `FailedOperation` codes (data not ready, a query
    /// that failed on the server's side).
    pub fn is_retryable(&self) -> bool {
        self.is_throttling()
            || self.flags().contains(&"transient")
            || (matches!(self, ErrorCode::Unknown(_)) && self.as_str().starts_with("InternalError"))
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ErrorCode {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(ErrorCode::from(s))
    }
}

/// The text of an error code that has no variant. Opaque, so that a later release can add the
/// variant without breaking code that matched on the text via [`ErrorCode::as_str`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnknownCode(String);

// --- The one classification table ---------------------------------------------------------

/// What went wrong, as far as trying again is concerned. This and [`classify`] are the one table
/// that both the retry decision and [`Error::is_retryable`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The server refused for quota reasons; nothing was executed.
    Throttled,
    /// A transient server-side failure (5xx, `InternalError*`).
    Transient,
    /// The connection could not be made: the request never left.
    Connect,
    /// The attempt timed out after the request may have been sent.
    Timeout,
    /// The connection failed after the request was sent.
    Interrupted,
    /// The server rejected the timestamp (`AuthFailure.SignatureExpire`).
    ClockSkew,
    /// Anything that repeating will not fix.
    Permanent,
}

/// Codes that say the request itself is wrong or not allowed: authentication, parameters and
/// permissions. Repeating it cannot help, whatever HTTP status came with it.
fn is_caller_error(code: &ErrorCode) -> bool {
    let c = code.as_str();
    code.is_auth()
        || ["InvalidParameter", "MissingParameter", "UnknownParameter", "UnauthorizedOperation", "InvalidAction"]
            .iter()
            .any(|p| c.starts_with(p))
        || matches!(c, "OperationDenied" | "IpInBlacklist" | "IpNotInWhitelist" | "InvalidRequest")
}

/// Classify an error for the retry decision: service errors by [`classify_code`]; a non-JSON answer by
/// its HTTP status (429 throttled, 5xx transient); a failed connection as [`Failure::Connect`];
/// a connection lost after sending as [`Failure::Interrupted`]; an attempt timeout as
/// [`Failure::Timeout`] (a connect timeout as [`Failure::Connect`]); everything else (a 200 that
/// does not decode, a deadline, credentials, an invalid request) as [`Failure::Permanent`].
pub(crate) fn classify(err: &Error) -> Failure {
    match err {
        Error::Service(s) => classify_code(&s.code, s.http_status),
        Error::Decode(d) if d.status == 429 => Failure::Throttled,
        Error::Decode(d) if d.status >= 500 => Failure::Transient,
        Error::Transport(t) if t.phase == TransportPhase::Connect => Failure::Connect,
        Error::Transport(_) => Failure::Interrupted,
        // The request reached something that answered: it may have been executed, and the
        // answer is not the billing API's. Repeating it would only reach the same thing again.
        Error::Redirect(_) => Failure::Permanent,
        Error::Timeout(t) if t.kind == TimeoutKind::Connect => Failure::Connect,
        Error::Timeout(t) if t.kind == TimeoutKind::Attempt => Failure::Timeout,
        _ => Failure::Permanent,
    }
}

/// Classify a service error (`Response.Error`) by its code and the HTTP status it came with.
///
/// `AuthFailure.SignatureExpire` is [`Failure::ClockSkew`]; every `RequestLimitExceeded*` code
/// (documented or not) is [`Failure::Throttled`]; authentication, parameter and permission codes
/// are [`Failure::Permanent`] whatever the status; then HTTP 429 is throttling, and the
/// transient codes (`InternalError*`, `ServiceUnavailable`, the "try later" `FailedOperation`s)
/// or a 5xx status are [`Failure::Transient`].
pub(crate) fn classify_code(code: &ErrorCode, http_status: u16) -> Failure {
    if *code == ErrorCode::AuthFailureSignatureExpire {
        Failure::ClockSkew
    } else if code.is_throttling() {
        Failure::Throttled
    } else if is_caller_error(code) {
        Failure::Permanent
    } else if http_status == 429 {
        Failure::Throttled
    } else if code.is_retryable() || http_status >= 500 {
        Failure::Transient
    } else {
        Failure::Permanent
    }
}

/// Shows an error followed by its causes on one line, `error: cause: root cause`, each text once
/// (a cause whose text the line already holds is skipped, as wrappers often repeat it). For logs
/// and command-line tools, where `Display` alone would hide why a call failed; like every error
/// of this crate, the causes never hold a secret.
///
/// ```
/// use tencentcloud_billing::ErrorChain;
/// let e = std::io::Error::other("disk full");
/// assert_eq!(ErrorChain(&e).to_string(), "disk full");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ErrorChain<'a>(pub &'a (dyn std::error::Error + 'static));

impl fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = self.0.to_string();
        let mut cause = self.0.source();
        while let Some(c) = cause {
            let s = c.to_string();
            if !text.contains(&s) {
                text.push_str(": ");
                text.push_str(&s);
            }
            cause = c.source();
        }
        f.write_str(&text)
    }
}

#[cfg(test)]
mod tests {
    use Failure::*;

    use super::*;

    #[test]
    fn every_code_round_trips() {
        assert_eq!(ErrorCode::ALL.len(), 73);
        for c in ErrorCode::ALL {
            assert_eq!(&ErrorCode::from(c.as_str()), c);
        }
        let u = ErrorCode::from("Nope.Never");
        assert!(matches!(u, ErrorCode::Unknown(_)));
        assert_eq!(u.as_str(), "Nope.Never");
    }

    #[test]
    fn classification() {
        assert!(ErrorCode::from("RequestLimitExceeded.UinLimitExceeded").is_throttling());
        assert!(ErrorCode::from("RequestLimitExceeded.SomethingNew").is_throttling());
        assert!(ErrorCode::InternalError.is_retryable());
        assert!(ErrorCode::FailedOperationSummaryDataNotReady.is_retryable());
        assert!(!ErrorCode::AuthFailureSignatureFailure.is_retryable());
        assert!(ErrorCode::AuthFailureSignatureFailure.is_auth());
        assert!(!ErrorCode::InvalidParameter.is_retryable());
        assert!(ErrorCode::FailedOperationBalanceInsufficient.is_billing_specific());
        assert!(!ErrorCode::RequestLimitExceeded.is_billing_specific());
        assert_eq!(ErrorCode::ALL.iter().filter(|c| c.is_billing_specific()).count(), 42);
    }

    #[test]
    fn error_is_small_and_thread_safe() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), 2 * std::mem::size_of::<usize>());
    }

    #[test]
    fn snippet_truncates_on_char_boundary() {
        let body = "é".repeat(600);
        let s = snippet(body.as_bytes());
        assert!(s.ends_with('…'));
        assert!(s.len() <= DecodeError::SNIPPET_LEN + 4);
    }

    fn service(code: &str, status: u16) -> Error {
        Error::Service(Box::new(crate::error::ServiceError {
            action: "T",
            code: ErrorCode::from(code),
            message: String::new(),
            request_id: Some("r".into()),
            http_status: status,
        }))
    }

    fn decode(status: u16) -> Error {
        Error::Decode(Box::new(crate::error::DecodeError {
            action: "T",
            status,
            request_id: None,
            reason: String::new(),
            body_snippet: String::new(),
            source: None,
        }))
    }

    #[test]
    fn every_throttling_code_and_429_is_throttled() {
        for code in [
            "RequestLimitExceeded",
            "RequestLimitExceeded.UinLimitExceeded",
            "RequestLimitExceeded.IPLimitExceeded",
            "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
            "RequestLimitExceeded.SomeFutureSubCode",
        ] {
            assert_eq!(classify(&service(code, 200)), Throttled, "{code}");
        }
        assert_eq!(classify(&decode(429)), Throttled);
        assert_eq!(classify(&service("FailedOperation", 429)), Throttled);
    }

    #[test]
    fn transient_codes_and_5xx_are_transient() {
        for code in [
            "InternalError",
            "InternalError.DbOperatError",
            "InternalError.GatewayError",
            "InternalError.InternalError",
            "InternalError.UnknownError",
            "InternalError.SomethingNew",
            "ServiceUnavailable",
            "FailedOperation.QueryDBFailed",
            "FailedOperation.SummaryDataNotReady",
        ] {
            assert_eq!(classify(&service(code, 200)), Transient, "{code}");
        }
        for status in [500, 502, 503, 504] {
            assert_eq!(classify(&decode(status)), Transient, "{status}");
            assert_eq!(classify(&service("FailedOperation", status)), Transient, "{status}");
        }
    }

    #[test]
    fn auth_parameter_and_permission_errors_are_never_retried() {
        for code in [
            "AuthFailure.SignatureFailure",
            "AuthFailure.SecretIdNotFound",
            "AuthFailure.TokenFailure",
            "AuthFailure.UnauthorizedOperation",
            "AuthFailure.InvalidSecretId",
            "InvalidParameter",
            "InvalidParameter.ParamCheckFailed",
            "InvalidParameterValue",
            "MissingParameter",
            "UnknownParameter",
            "UnauthorizedOperation",
            "UnauthorizedOperation.CamNoAuth",
            "OperationDenied",
            "IpNotInWhitelist",
            "InvalidAction",
            "FailedOperation.BalanceInsufficient",
        ] {
            // Even when a gateway wraps them in a 5xx.
            for status in [200, 500, 503] {
                let f = classify(&service(code, status));
                assert!(
                    f == Permanent || (code == "FailedOperation.BalanceInsufficient" && status >= 500),
                    "{code} {status}: {f:?}"
                );
            }
        }
        assert_eq!(classify(&service("AuthFailure.SignatureExpire", 200)), ClockSkew);
        assert_eq!(classify(&decode(200)), Permanent, "a 200 that does not decode is not retried");
        assert_eq!(classify(&decode(404)), Permanent);
    }

    #[test]
    fn network_failures_and_timeouts() {
        use crate::error::{TimeoutError, TransportError};
        let transport = |phase| Error::Transport(Box::new(TransportError { action: "T", phase, source: None }));
        let timeout = |kind| Error::Timeout(Box::new(TimeoutError { action: "T", kind, after: Duration::ZERO }));
        assert_eq!(classify(&transport(TransportPhase::Connect)), Connect);
        assert_eq!(classify(&transport(TransportPhase::Request)), Interrupted);
        assert_eq!(classify(&transport(TransportPhase::Body)), Interrupted);
        assert_eq!(classify(&timeout(TimeoutKind::Connect)), Connect);
        assert_eq!(classify(&timeout(TimeoutKind::Attempt)), Timeout);
        assert_eq!(classify(&timeout(TimeoutKind::Deadline)), Permanent);
        assert_eq!(classify(&Error::credentials("x", None)), Permanent);
        assert_eq!(classify(&Error::invalid_request("T", "x")), Permanent);
    }
}
