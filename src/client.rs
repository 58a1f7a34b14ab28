//! [`BillingClient`], its builder, and the one generic send path every action goes through.

use std::collections::HashMap;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tracing::Instrument;

use crate::action::{Action, ApiResponse, CallOptions, RequestBuilder, Site};
use crate::credentials::{Credentials, CredentialsChain, ProvideCredentials};
use crate::error::{Error, Result, TimeoutError, TimeoutKind, TransportError, TransportPhase};
use crate::protocol::{self, REQUEST_CLIENT, SERVICE, VERSION};
use crate::quota::Quotas;
use crate::retry::{self, Decision, Jitter, RetryBudget, RetryConfig};
use crate::tc3;

/// The language of messages in answers, sent as `X-TC-Language`.
///
/// ```
/// assert_eq!(tencentcloud_billing::Language::EnUs.as_str(), "en-US");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Language {
    /// Simplified Chinese, `zh-CN` (the China site's default).
    ZhCn,
    /// English, `en-US` (the international site's default).
    EnUs,
}

impl Language {
    /// The header value.
    pub fn as_str(&self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::EnUs => "en-US",
        }
    }
}

#[derive(Debug, Clone)]
enum CredentialSource {
    Static(Credentials),
    /// A provider, and the last credentials it gave. Providers may build a fresh `Credentials`
    /// on every call (the environment provider does); handing back the previous, identical one
    /// keeps its cached signing key, so the key is derived once per day, not once per request.
    Provider(Arc<dyn ProvideCredentials>, Arc<Mutex<Option<Credentials>>>),
}

impl CredentialSource {
    fn provider(p: Arc<dyn ProvideCredentials>) -> Self {
        CredentialSource::Provider(p, Arc::new(Mutex::new(None)))
    }

    async fn get(&self) -> Result<Credentials> {
        match self {
            CredentialSource::Static(c) => Ok(c.clone()),
            CredentialSource::Provider(p, last) => {
                let fresh = p.provide_credentials().await?;
                let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
                match last.as_ref() {
                    Some(prev) if prev.same_as(&fresh) => Ok(prev.clone()),
                    _ => {
                        *last = Some(fresh.clone());
                        Ok(fresh)
                    }
                }
            }
        }
    }
}

/// The default time allowed to open a connection (DNS, TCP and TLS): 5 s. A connection that
/// cannot be opened means the request never left, so even money-moving actions are retried.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The default time allowed for one attempt, from sending the request to the last byte of the
/// answer: 30 s. The quota wait before it and the backoff after it do not count.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default cap on an answer's size: 32 MiB. A larger answer fails with [`Error::Decode`]
/// ("response body larger than the … limit") without being read to the end.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// A client for the Tencent Cloud Billing API.
///
/// # Example
/// ```no_run
/// use tencentcloud_billing::{BillingClient, Credentials};
/// # async fn run() -> Result<(), tencentcloud_billing::Error> {
/// let client = BillingClient::builder()
///     .credentials(Credentials::new("AKID...", "secret"))
///     .build()?;
/// let balance = client.describe_account_balance().send().await?;
/// println!("{:?}", balance.balance.map(|c| c.to_yuan()));
/// # Ok(()) }
/// ```
///
/// # Configuration
/// See [`BillingClientBuilder`]: site, region, language, timeouts, quotas and retries.
///
/// # Pooling and cloning
/// The client holds its connection pool, its quota limiters and its signing-key cache behind an
/// `Arc`. Clone it freely and share it between tasks: every clone sends through the same pool and
/// counts against the same per-action quotas. There is no need to wrap it in an `Arc`.
#[derive(Clone)]
pub struct BillingClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    url: reqwest::Url,
    host: String,
    /// `host` as a header value, built once.
    host_header: HeaderValue,
    site: Site,
    region: Option<HeaderValue>,
    language: HeaderValue,
    credentials: CredentialSource,
    quotas: Quotas,
    retry: RetryConfig,
    budget: Mutex<RetryBudget>,
    jitter: Jitter,
    connect_timeout: Duration,
    attempt_timeout: Duration,
    deadline: Option<Duration>,
    max_response_bytes: usize,
    /// Seconds to add to the local clock, learnt from the server after `SignatureExpire`.
    clock_offset: AtomicI64,
}

impl fmt::Debug for BillingClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BillingClient")
            .field("endpoint", &self.inner.url.as_str())
            .field("site", &self.inner.site)
            .field("credentials", &self.inner.credentials)
            .finish_non_exhaustive()
    }
}

impl BillingClient {
    /// A builder with the defaults: China site, no region, 5 s connect timeout, 30 s per attempt,
    /// no overall deadline, a 32 MiB answer cap, the documented quotas, [`RetryConfig::standard`],
    /// and credentials from [`CredentialsChain::default_chain`] (environment, profile file, CVM
    /// role, TKE OIDC) unless [`BillingClientBuilder::credentials`] or
    /// [`BillingClientBuilder::credentials_provider`] is called.
    pub fn builder() -> BillingClientBuilder {
        BillingClientBuilder::default()
    }

    /// A client configured from the environment:
    ///
    /// - `TENCENTCLOUD_SECRET_ID` and `TENCENTCLOUD_SECRET_KEY` (required);
    /// - `TENCENTCLOUD_SESSION_TOKEN` (optional, for temporary credentials);
    /// - `TENCENTCLOUD_REGION` (optional, sent as `X-TC-Region`);
    /// - `TENCENTCLOUD_BILLING_ENDPOINT` (optional, a full URL that replaces the site's endpoint).
    ///
    /// # Errors
    /// [`Error::Config`] naming the first required variable that is missing or empty.
    pub fn from_env() -> Result<BillingClient> {
        BillingClientBuilder::from_env().build()
    }

    /// The site this client talks to.
    pub fn site(&self) -> Site {
        self.inner.site
    }

    /// The endpoint URL requests go to.
    pub fn endpoint(&self) -> &str {
        self.inner.url.as_str()
    }

    /// The clock correction in seconds learnt from the server (0 until a `SignatureExpire`).
    pub fn clock_offset(&self) -> i64 {
        self.inner.clock_offset.load(Ordering::Relaxed)
    }

    /// The quota enforced for `action`, or `None` when rate limiting is disabled or the name is unknown.
    pub fn quota(&self, action: &str) -> Option<crate::quota::Quota> {
        self.inner.quotas.limiter(action).map(|l| l.quota())
    }

    /// A request builder for any action, for generic code. Most callers use the named methods
    /// such as [`BillingClient::describe_account_balance`].
    pub fn request<R: Action + Default>(&self) -> RequestBuilder<R> {
        RequestBuilder::new(self.clone())
    }

    /// Send one action: check, quota, sign, send, decode, classify, and retry when safe.
    ///
    /// Everything happens inside a `billing.call` span (action, kind, attempts, RequestId,
    /// outcome, latency); each attempt has a `billing.attempt` span inside it (attempt number,
    /// quota wait, HTTP status, RequestId, outcome, latency). No field holds a secret.
    pub(crate) async fn execute<R: Action>(&self, mut request: R, opts: &CallOptions) -> Result<R::Response> {
        let inner = &*self.inner;
        if !opts.any_site && !R::SITES.contains(&inner.site) {
            return Err(Error::invalid_request(
                R::NAME,
                format!(
                    "{} is not documented on the {}; call .allow_any_site() to send it anyway",
                    R::NAME,
                    inner.site
                ),
            ));
        }
        if let Some(field) = request.missing_required() {
            return Err(Error::invalid_request(R::NAME, format!("required field `{field}` is not set")));
        }
        if let Some(problem) = request.validate() {
            return Err(Error::invalid_request(R::NAME, problem));
        }
        request.prepare();
        let body = serde_json::to_vec(&request)
            .map_err(|e| Error::invalid_request(R::NAME, format!("request could not be serialized: {e}")))?;
        let retry = opts.retry.as_ref().unwrap_or(&inner.retry);
        let attempt_timeout = opts.attempt_timeout.unwrap_or(inner.attempt_timeout);
        let deadline = opts.deadline.or(inner.deadline);
        let span = tracing::debug_span!(
            "billing.call",
            action = R::NAME,
            kind = ?R::KIND,
            attempts = tracing::field::Empty,
            request_id = tracing::field::Empty,
            outcome = tracing::field::Empty,
            error_code = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = tokio::time::Instant::now();
        let attempts = std::sync::atomic::AtomicU32::new(0);
        let call = self.call_loop::<R>(&body, retry, attempt_timeout, deadline.map(|d| started + d), &attempts);
        let result = match deadline {
            None => call.instrument(span.clone()).await,
            Some(d) => tokio::time::timeout(d, call.instrument(span.clone())).await.unwrap_or_else(|_| {
                Err(Error::Timeout(Box::new(TimeoutError { action: R::NAME, kind: TimeoutKind::Deadline, after: d })))
            }),
        };
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        span.record("attempts", attempts.load(Ordering::Relaxed));
        match &result {
            Ok(r) => {
                span.record("request_id", r.request_id());
                span.record("outcome", "ok");
            }
            Err(e) => {
                if let Some(id) = e.request_id() {
                    span.record("request_id", id);
                }
                if let Some(code) = e.code() {
                    span.record("error_code", code.as_str());
                }
                span.record("outcome", outcome_name(e));
            }
        }
        span.in_scope(|| match &result {
            Ok(_) => tracing::debug!("call finished"),
            Err(e) => tracing::debug!(error = %e, "call failed"),
        });
        result
    }

    async fn call_loop<R: Action>(
        &self,
        body: &[u8],
        retry: &RetryConfig,
        attempt_timeout: Duration,
        deadline: Option<tokio::time::Instant>,
        attempts: &std::sync::atomic::AtomicU32,
    ) -> Result<R::Response> {
        let inner = &*self.inner;
        let mut attempt = 0u32;
        let mut skew_fixed = false;
        loop {
            attempt += 1;
            attempts.store(attempt, Ordering::Relaxed);
            let span = tracing::debug_span!(
                "billing.attempt",
                attempt,
                quota_wait_ms = tracing::field::Empty,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
                outcome = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let mut clock_corrected = false;
            // Boxed: the attempt's state is large (about 2 KB, most of it the exchange), and it
            // would otherwise be copied each time a future around it is built or moved.
            let outcome =
                Box::pin(self.attempt::<R>(body, attempt_timeout, &mut clock_corrected)).instrument(span.clone()).await;
            let err = match outcome {
                Ok(resp) => {
                    inner.budget.lock().unwrap_or_else(|e| e.into_inner()).deposit();
                    return Ok(resp);
                }
                Err(e) => e,
            };
            let mut failure = retry::classify(&err);
            if failure == retry::Failure::ClockSkew {
                // Re-signing only helps once, and only when the server told us its time.
                if skew_fixed || !clock_corrected {
                    failure = retry::Failure::Permanent;
                }
                skew_fixed = true;
            }
            let decision = retry::decide(failure, attempt, R::KIND, retry, inner.jitter.next());
            let delay = match decision {
                Decision::RetryAfter(d) => d,
                Decision::GiveUp => {
                    span.in_scope(|| tracing::debug!(?failure, "not retrying"));
                    return Err(err);
                }
            };
            // Sleeping into the deadline only to fail there would hide this error behind a timeout.
            if deadline.is_some_and(|dl| tokio::time::Instant::now() + delay >= dl) {
                span.in_scope(|| tracing::debug!(?failure, "the deadline leaves no time to retry"));
                return Err(err);
            }
            if retry.uses_budget() && !inner.budget.lock().unwrap_or_else(|e| e.into_inner()).try_withdraw(failure) {
                span.in_scope(|| tracing::debug!(?failure, "retry budget spent; giving up"));
                return Err(err);
            }
            span.in_scope(|| tracing::debug!(error = %err, ?failure, delay_ms = delay.as_millis() as u64, "retrying"));
            tokio::time::sleep(delay).await;
        }
    }

    async fn attempt<R: Action>(
        &self,
        body: &[u8],
        attempt_timeout: Duration,
        clock_corrected: &mut bool,
    ) -> Result<R::Response> {
        let inner = &*self.inner;
        let span = tracing::Span::current();
        // Credentials first: a slow provider must not sit between the quota slot and the send.
        let creds = inner.credentials.get().await?;
        let quota_wait = match inner.quotas.limiter(R::NAME) {
            Some(l) => l.acquire().await,
            None => Duration::ZERO,
        };
        span.record("quota_wait_ms", quota_wait.as_millis() as u64);
        let started = std::time::Instant::now();
        let timestamp = self.now_unix();
        let request = self.build_request::<R>(body, &creds, timestamp)?;
        let connect_timeout = inner.connect_timeout;
        let exchange = async {
            let resp =
                inner.http.execute(request).await.map_err(|e| transport_error(R::NAME, e, false, connect_timeout))?;
            let status = resp.status().as_u16();
            let server_date =
                resp.headers().get(reqwest::header::DATE).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let bytes = read_capped(R::NAME, resp, inner.max_response_bytes, connect_timeout).await?;
            Ok::<_, Error>((status, server_date, bytes))
        };
        let exchanged = tokio::time::timeout(attempt_timeout, exchange).await;
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        let (status, server_date, bytes) = match exchanged {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => {
                span.record("outcome", outcome_name(&e));
                return Err(e);
            }
            Err(_) => {
                span.record("outcome", "timeout");
                return Err(Error::Timeout(Box::new(TimeoutError {
                    action: R::NAME,
                    kind: TimeoutKind::Attempt,
                    after: attempt_timeout,
                })));
            }
        };
        span.record("status", status);
        let result = protocol::decode::<R::Response>(R::NAME, status, &bytes);
        match &result {
            Ok(r) => {
                span.record("request_id", r.request_id());
                span.record("outcome", "ok");
                tracing::debug!("attempt succeeded");
            }
            Err(e) => {
                if let Some(id) = e.request_id() {
                    span.record("request_id", id);
                }
                span.record("outcome", outcome_name(e));
                if e.code() == Some(&crate::ErrorCode::AuthFailureSignatureExpire) {
                    *clock_corrected = self.learn_clock_offset(server_date.as_deref(), timestamp);
                }
                tracing::debug!(error = %e, "attempt failed");
            }
        }
        result
    }

    /// Sign `body` and build the HTTP request of one attempt: everything but the I/O.
    fn build_request<R: Action>(&self, body: &[u8], creds: &Credentials, timestamp: i64) -> Result<reqwest::Request> {
        let inner = &*self.inner;
        let headers = self.signed_headers::<R>(body, creds, timestamp)?;
        let mut request = reqwest::Request::new(reqwest::Method::POST, inner.url.clone());
        *request.headers_mut() = headers;
        *request.body_mut() = Some(body.to_vec().into());
        Ok(request)
    }

    /// The signed header set of one attempt. Public, hidden, for the benchmarks in `benches/`.
    #[doc(hidden)]
    pub fn __signed_headers<R: Action>(&self, body: &[u8], creds: &Credentials, timestamp: i64) -> Result<HeaderMap> {
        self.signed_headers::<R>(body, creds, timestamp)
    }

    fn signed_headers<R: Action>(&self, body: &[u8], creds: &Credentials, timestamp: i64) -> Result<HeaderMap> {
        let signed = tc3::sign(&tc3::SigningInput::post_json(&self.inner.host, SERVICE, body, timestamp), creds);
        self.headers::<R>(signed, creds)
    }

    /// Serialize, sign and build one attempt's HTTP request without sending it, for the
    /// benchmarks in `benches/`. Not part of the API.
    #[doc(hidden)]
    pub fn __build_request<R: Action>(
        &self,
        request: &R,
        creds: &Credentials,
        timestamp: i64,
    ) -> Result<reqwest::Request> {
        let body = serde_json::to_vec(request)
            .map_err(|e| Error::invalid_request(R::NAME, format!("request could not be serialized: {e}")))?;
        self.build_request::<R>(&body, creds, timestamp)
    }

    fn headers<R: Action>(&self, signed: tc3::SignedRequest, creds: &Credentials) -> Result<HeaderMap> {
        // Names are constants and fixed values are shared, so the only per-call work is the
        // signature (moved in, not copied) and the timestamp.
        const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
        const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
        const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
        const X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
        const X_TC_REQUESTCLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");
        const X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
        const X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
        let inner = &*self.inner;
        let mut h = HeaderMap::with_capacity(10);
        let timestamp = signed.timestamp();
        let mut auth = HeaderValue::try_from(signed.into_authorization())
            .map_err(|_| Error::config("the SecretId contains characters not allowed in a header"))?;
        auth.set_sensitive(true);
        h.insert(reqwest::header::AUTHORIZATION, auth);
        h.insert(reqwest::header::CONTENT_TYPE, HeaderValue::from_static(tc3::JSON_CONTENT_TYPE));
        h.insert(reqwest::header::HOST, inner.host_header.clone());
        h.insert(X_TC_ACTION, HeaderValue::from_static(R::NAME));
        h.insert(X_TC_VERSION, HeaderValue::from_static(VERSION));
        h.insert(X_TC_TIMESTAMP, HeaderValue::from(timestamp));
        h.insert(X_TC_LANGUAGE, inner.language.clone());
        h.insert(X_TC_REQUESTCLIENT, HeaderValue::from_static(REQUEST_CLIENT));
        if let Some(region) = &inner.region {
            h.insert(X_TC_REGION, region.clone());
        }
        if let Some(token) = creds.token() {
            let mut v = HeaderValue::try_from(token).map_err(|_| {
                Error::credentials("the session token contains characters not allowed in a header", None)
            })?;
            v.set_sensitive(true);
            h.insert(X_TC_TOKEN, v);
        }
        Ok(h)
    }

    fn now_unix(&self) -> i64 {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        now + self.inner.clock_offset.load(Ordering::Relaxed)
    }

    /// After `SignatureExpire`, take the server's `Date` header as the true time. Returns whether
    /// an offset was learnt (the header was there and readable).
    fn learn_clock_offset(&self, server_date: Option<&str>, sent_timestamp: i64) -> bool {
        let Some(server) = server_date.and_then(crate::httpdate::parse) else {
            tracing::warn!("the server rejected the request timestamp but sent no usable Date header");
            return false;
        };
        let local = sent_timestamp - self.inner.clock_offset.load(Ordering::Relaxed);
        let offset = server - local;
        self.inner.clock_offset.store(offset, Ordering::Relaxed);
        tracing::warn!(offset_secs = offset, "local clock is off from the server's; correcting");
        true
    }
}

/// A short name for an error's kind, for the `outcome` field of spans.
fn outcome_name(e: &Error) -> &'static str {
    match e {
        Error::Service(s) if s.code.is_throttling() => "throttled",
        Error::Service(_) => "service_error",
        Error::Transport(_) => "transport_error",
        Error::Timeout(_) => "timeout",
        Error::Decode(_) => "decode_error",
        Error::InvalidRequest(_) => "invalid_request",
        Error::Config(_) => "config_error",
        Error::Credentials(_) => "credentials_error",
        Error::Pagination(_) => "pagination_error",
    }
}

async fn read_capped(
    action: &'static str,
    mut resp: reqwest::Response,
    cap: usize,
    connect_timeout: Duration,
) -> Result<Vec<u8>> {
    let status = resp.status().as_u16();
    let too_large = |seen: u64, start: &[u8]| {
        Error::Decode(Box::new(crate::error::DecodeError {
            action,
            status,
            request_id: None,
            reason: format!("response body larger than the {cap}-byte limit ({seen} bytes or more)"),
            body_snippet: crate::error::snippet(start),
            source: None,
        }))
    };
    if let Some(len) = resp.content_length().filter(|&l| l > cap as u64) {
        return Err(too_large(len, &[]));
    }
    let mut buf = Vec::with_capacity(resp.content_length().unwrap_or(8 * 1024).min(cap as u64) as usize);
    while let Some(chunk) = resp.chunk().await.map_err(|e| transport_error(action, e, true, connect_timeout))? {
        if buf.len() + chunk.len() > cap {
            return Err(too_large((buf.len() + chunk.len()) as u64, &buf));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

fn transport_error(action: &'static str, e: reqwest::Error, reading_body: bool, connect_timeout: Duration) -> Error {
    let phase = if reading_body {
        TransportPhase::Body
    } else if e.is_connect() {
        TransportPhase::Connect
    } else {
        TransportPhase::Request
    };
    if e.is_timeout() && phase == TransportPhase::Connect {
        return Error::Timeout(Box::new(TimeoutError { action, kind: TimeoutKind::Connect, after: connect_timeout }));
    }
    Error::Transport(Box::new(TransportError { action, phase, source: Some(Box::new(e.without_url())) }))
}

/// Configures and builds a [`BillingClient`]. Setters never fail; [`BillingClientBuilder::build`]
/// reports the first bad value.
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_billing::{BillingClient, Credentials, Language, RetryConfig, Site};
/// let client = BillingClient::builder()
///     .credentials(Credentials::new("AKID...", "secret"))
///     .site(Site::International)
///     .language(Language::EnUs)
///     .timeout(Duration::from_secs(10))
///     .rate_limit("DescribeBillDetail", 2) // leave room for another tool on the same account
///     .retry(RetryConfig::standard().with_max_attempts(5))
///     .build()?;
/// assert_eq!(client.endpoint(), "https://billing.intl.tencentcloudapi.com/");
/// # Ok::<(), tencentcloud_billing::Error>(())
/// ```
#[must_use]
#[derive(Default)]
pub struct BillingClientBuilder {
    credentials: Option<CredentialSource>,
    endpoint: Option<String>,
    site: Site,
    region: Option<String>,
    language: Option<Language>,
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_response_bytes: Option<usize>,
    rate_limits: Vec<(String, u32)>,
    rate_limit_disabled: bool,
    retry: Option<RetryConfig>,
    proxy: Option<String>,
    #[cfg(feature = "redis")]
    redis: Option<RedisSetting>,
    env_error: Option<String>,
}

/// What `redis_rate_limit` was given. Its `Debug` leaves the URL out: it may carry a password.
#[cfg(feature = "redis")]
#[derive(Default)]
struct RedisSetting {
    url: Option<String>,
    account: Option<String>,
}

#[cfg(feature = "redis")]
impl fmt::Debug for RedisSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisSetting")
            .field("url", &self.url.as_ref().map(|_| "** redacted **"))
            .field("account", &self.account)
            .finish()
    }
}

impl fmt::Debug for BillingClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("BillingClientBuilder");
        d.field("credentials", &self.credentials)
            .field("endpoint", &self.endpoint.as_deref().map(crate::redact::url))
            .field("site", &self.site)
            .field("region", &self.region)
            .field("language", &self.language)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("rate_limits", &self.rate_limits)
            .field("rate_limit_disabled", &self.rate_limit_disabled)
            .field("retry", &self.retry)
            .field("proxy", &self.proxy.as_deref().map(crate::redact::url));
        #[cfg(feature = "redis")]
        d.field("redis", &self.redis);
        d.finish_non_exhaustive()
    }
}

impl BillingClientBuilder {
    /// A builder pre-filled from the environment variables [`BillingClient::from_env`] reads.
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut b = BillingClientBuilder::default();
        match (var("TENCENTCLOUD_SECRET_ID"), var("TENCENTCLOUD_SECRET_KEY")) {
            (Some(id), Some(key)) => {
                let mut c = Credentials::new(id, key);
                if let Some(t) = var("TENCENTCLOUD_SESSION_TOKEN") {
                    c = c.with_token(t);
                }
                b = b.credentials(c);
            }
            (None, _) => b.env_error = Some("environment variable TENCENTCLOUD_SECRET_ID is not set".into()),
            (_, None) => b.env_error = Some("environment variable TENCENTCLOUD_SECRET_KEY is not set".into()),
        }
        if let Some(r) = var("TENCENTCLOUD_REGION") {
            b = b.region(r);
        }
        if let Some(e) = var("TENCENTCLOUD_BILLING_ENDPOINT") {
            b = b.endpoint(e);
        }
        b
    }

    /// Long-lived or temporary credentials, used as they are (no refresh). Without this or
    /// [`BillingClientBuilder::credentials_provider`], the client uses
    /// [`CredentialsChain::default_chain`].
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(CredentialSource::Static(credentials));
        self.env_error = None;
        self
    }

    /// A provider asked for credentials before every attempt: one of
    /// [`crate::credentials`]'s (CVM role, STS AssumeRole, TKE OIDC, a chain) or your own.
    ///
    /// ```no_run
    /// use tencentcloud_billing::BillingClient;
    /// use tencentcloud_billing::credentials::CvmRoleProvider;
    /// # fn run() -> Result<(), tencentcloud_billing::Error> {
    /// let client = BillingClient::builder().credentials_provider(CvmRoleProvider::builder().build()?).build()?;
    /// # Ok(()) }
    /// ```
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials) -> Self {
        self.credentials = Some(CredentialSource::provider(Arc::new(provider)));
        self.env_error = None;
        self
    }

    /// A full URL that replaces the site's endpoint, e.g. `http://127.0.0.1:8080` for the sandbox
    /// or a proxy. The `Host` signed and sent is taken from it. Requests go to the URL as given,
    /// but API 3.0 always signs the path `/`, so a path prefix only works behind a gateway that
    /// strips it before the request reaches Tencent.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// The site: [`Site::China`] (default) or [`Site::International`]. It picks the endpoint,
    /// the default language, and which actions are allowed.
    pub fn site(mut self, site: Site) -> Self {
        self.site = site;
        self
    }

    /// The region sent as `X-TC-Region`. Billing does not need one; none is sent by default.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The language of messages (`X-TC-Language`). Default: zh-CN on the China site, en-US on
    /// the international site.
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// The time allowed to open a connection (DNS, TCP, TLS, and the proxy's tunnel if any).
    /// Default: [`DEFAULT_CONNECT_TIMEOUT`] (5 s). Running out fails the attempt with
    /// [`TimeoutKind::Connect`]; nothing was sent, so every kind of action may be retried.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The time allowed for one attempt, from sending to the last byte of the answer. Default:
    /// [`DEFAULT_ATTEMPT_TIMEOUT`] (30 s). The quota wait before an attempt and the backoff
    /// between attempts do not count. Running out fails the attempt with
    /// [`TimeoutKind::Attempt`], which is retried for read-only actions only: the server may have
    /// executed the request. Override it per call with
    /// [`RequestBuilder::with_attempt_timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// A limit on each whole call: quota waits, attempts and backoff included. Default: none
    /// (the number of attempts and the per-attempt timeout bound a call). Running out fails the
    /// call with [`TimeoutKind::Deadline`]; a retry whose backoff would end past the deadline is
    /// not attempted and the last error is returned instead. Override it per call with
    /// [`RequestBuilder::with_deadline`].
    ///
    /// ```
    /// use std::time::Duration;
    /// # fn run() -> Result<(), tencentcloud_billing::Error> {
    /// let client = tencentcloud_billing::BillingClient::builder()
    ///     .credentials(tencentcloud_billing::Credentials::new("AKID...", "secret"))
    ///     .connect_timeout(Duration::from_secs(2))
    ///     .timeout(Duration::from_secs(10))
    ///     .deadline(Duration::from_secs(45))
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The largest answer accepted, in bytes. Default: [`DEFAULT_MAX_RESPONSE_BYTES`] (32 MiB).
    /// A larger answer fails with [`Error::Decode`] saying "response body larger than the
    /// N-byte limit", as soon as the `Content-Length` or the bytes read so far exceed it; the rest
    /// is never buffered. Raise it only for very large bill pages.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// Override one action's quota, in requests per second (`build()` rejects 0 and unknown names).
    pub fn rate_limit(mut self, action: impl Into<String>, per_second: u32) -> Self {
        self.rate_limits.push((action.into(), per_second));
        self
    }

    /// Send without client-side pacing, for benchmarks and callers that throttle themselves.
    pub fn disable_rate_limit(mut self) -> Self {
        self.rate_limit_disabled = true;
        self
    }

    /// Share every action's quota with all processes that use the same Redis and the same account,
    /// e.g. `redis://127.0.0.1:6379` or `redis://:password@redis.internal:6379/2`.
    ///
    /// Each request then asks Redis, in one round trip, whether its action may go now; waiting
    /// callers still queue in this process first, in order. The account is a hash of the
    /// SecretId, or of the name given to [`BillingClientBuilder::redis_rate_limit_account`]. When
    /// Redis cannot be reached or fails, calls are never failed for it: each process falls back
    /// to its own per-action pace, a warning is logged once, and Redis is probed again after a
    /// short backoff ([`crate::quota::REDIS_PROBE_BACKOFF_MIN`] doubling up to
    /// [`crate::quota::REDIS_PROBE_BACKOFF_MAX`]). See [`crate::quota::RedisStore`] for the key
    /// layout.
    ///
    /// Every process should configure the same quotas ([`BillingClientBuilder::rate_limit`]), since
    /// each one paces by its own.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn redis_rate_limit(mut self, url: impl Into<String>) -> Self {
        self.redis.get_or_insert_with(RedisSetting::default).url = Some(url.into());
        self
    }

    /// The name under which [`BillingClientBuilder::redis_rate_limit`] shares quotas, instead of
    /// the SecretId. Needed with a [`BillingClientBuilder::credentials_provider`] (temporary
    /// credentials get a new SecretId each time), and useful when several SecretIds of one account
    /// must share its quota. Only a hash of it is stored in Redis.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn redis_rate_limit_account(mut self, account: impl Into<String>) -> Self {
        self.redis.get_or_insert_with(RedisSetting::default).account = Some(account.into());
        self
    }

    /// The retry settings for every call (calls can override them). Default: [`RetryConfig::standard`].
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Send through a proxy, e.g. `http://proxy.internal:3128` (reqwest's
    /// [`Proxy::all`](https://docs.rs/reqwest/latest/reqwest/struct.Proxy.html#method.all)).
    /// HTTPS requests are tunnelled with `CONNECT`, so the proxy sees neither the signature nor the
    /// body. Credentials in the URL (`http://user:pass@proxy:3128`) are sent as proxy
    /// authorization. Default: no proxy, and the `HTTP_PROXY`/`HTTPS_PROXY` variables are ignored
    /// unless passed here. `build()` rejects an invalid URL.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Build the client.
    ///
    /// # Errors
    /// [`Error::Config`] for a missing environment variable (when built with
    /// [`BillingClientBuilder::from_env`]), a bad endpoint URL, an unknown action or zero rate in
    /// `rate_limit`, a bad proxy, or (with the `redis` feature) a bad Redis URL, or
    /// `redis_rate_limit` with a credentials provider but no `redis_rate_limit_account`. Missing
    /// credentials are not detected here when the default chain is used: the first call fails with
    /// [`Error::Credentials`] listing what was tried.
    pub fn build(self) -> Result<BillingClient> {
        if let Some(e) = self.env_error {
            return Err(Error::config(e));
        }
        let credentials =
            self.credentials.unwrap_or_else(|| CredentialSource::provider(Arc::new(CredentialsChain::default_chain())));
        let url_text = self.endpoint.unwrap_or_else(|| format!("https://{}/", self.site.host()));
        let url = reqwest::Url::parse(&url_text)
            .map_err(|e| Error::config(format!("invalid endpoint URL {:?}: {e}", crate::redact::url(&url_text))))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::config(format!(
                "endpoint URL {:?} must be http or https",
                crate::redact::url(&url_text)
            )));
        }
        let host = match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            (None, _) => {
                return Err(Error::config(format!("endpoint URL {:?} has no host", crate::redact::url(&url_text))));
            }
        };
        let host_header =
            HeaderValue::try_from(host.as_str()).map_err(|_| Error::config(format!("bad host in {url_text:?}")))?;
        let region = self
            .region
            .map(|r| HeaderValue::try_from(r.as_str()).map_err(|_| Error::config(format!("invalid region {r:?}"))))
            .transpose()?;
        let language = self.language.unwrap_or(match self.site {
            Site::International => Language::EnUs,
            _ => Language::ZhCn,
        });
        let mut overrides: HashMap<&'static str, NonZeroU32> = HashMap::new();
        for (name, n) in &self.rate_limits {
            let info = crate::generated::catalog::find(name)
                .ok_or_else(|| Error::config(format!("rate_limit: unknown action {name:?}")))?;
            let n = NonZeroU32::new(*n)
                .ok_or_else(|| Error::config(format!("rate_limit: {name} must allow at least 1 request per second")))?;
            overrides.insert(info.name, n);
        }
        let actions = crate::generated::catalog::ACTIONS.iter().map(|a| (a.name, a.quota));
        #[cfg(feature = "redis")]
        let quotas = match self.redis {
            None => Quotas::new(actions, &overrides, self.rate_limit_disabled),
            Some(RedisSetting { url, account }) => {
                let url = url.ok_or_else(|| {
                    Error::config("redis_rate_limit_account is set but redis_rate_limit (the Redis URL) is not")
                })?;
                let store = crate::quota::RedisStore::open(&url)?;
                let account = match (account, &credentials) {
                    (Some(a), _) => a,
                    (None, CredentialSource::Static(c)) => c.secret_id().to_owned(),
                    (None, CredentialSource::Provider(..)) => {
                        return Err(Error::config(
                            "redis_rate_limit with a credentials provider needs redis_rate_limit_account(..): \
                             temporary SecretIds differ between processes",
                        ));
                    }
                };
                Quotas::shared(actions, &overrides, self.rate_limit_disabled, &store, &account)
            }
        };
        #[cfg(not(feature = "redis"))]
        let quotas = Quotas::new(actions, &overrides, self.rate_limit_disabled);
        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        let mut http = crate::transport::client_builder()
            // Retrying is the send path's decision (crate::retry), never reqwest's. Over HTTP/1
            // reqwest retries nothing anyway, but with its default policy it still clones every
            // request (headers and all) in case it might; zero retries skips that copy.
            .retry(reqwest::retry::never().max_retries_per_request(0))
            .connect_timeout(connect_timeout)
            .pool_idle_timeout(Duration::from_secs(50));
        if let Some(p) = &self.proxy {
            let proxy = reqwest::Proxy::all(p)
                .map_err(|_| Error::config(format!("invalid proxy URL {:?}", crate::redact::url(p))))?;
            http = http.proxy(proxy);
        }
        let http = http.build().map_err(|e| {
            Error::Config(Box::new(crate::error::ConfigError {
                message: "the HTTP client could not be built".into(),
                source: Some(Box::new(e)),
            }))
        })?;
        Ok(BillingClient {
            inner: Arc::new(Inner {
                http,
                url,
                host,
                host_header,
                site: self.site,
                region,
                language: HeaderValue::from_static(language.as_str()),
                credentials,
                quotas,
                retry: self.retry.unwrap_or_default(),
                budget: Mutex::new(RetryBudget::default()),
                jitter: Jitter::new(),
                connect_timeout,
                attempt_timeout: self.attempt_timeout.unwrap_or(DEFAULT_ATTEMPT_TIMEOUT),
                deadline: self.deadline,
                max_response_bytes: self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                clock_offset: AtomicI64::new(0),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_send_sync_clone() {
        fn check<T: Send + Sync + Clone + 'static>() {}
        check::<BillingClient>();
    }

    #[test]
    fn build_reports_bad_values() {
        let creds = || Credentials::new("id", "key");
        // Without credentials the default chain is used, so building succeeds.
        let c = BillingClient::builder().build().unwrap();
        assert!(format!("{c:?}").contains("CredentialsChain"), "{c:?}");
        let e = BillingClient::builder().credentials(creds()).endpoint("not a url").build().unwrap_err();
        assert!(e.to_string().contains("invalid endpoint"), "{e}");
        let e = BillingClient::builder().credentials(creds()).rate_limit("DescribeNothing", 5).build().unwrap_err();
        assert!(e.to_string().contains("unknown action"), "{e}");
        let e = BillingClient::builder().credentials(creds()).rate_limit("DescribeBillDetail", 0).build().unwrap_err();
        assert!(e.to_string().contains("at least 1"), "{e}");
        let c = BillingClient::builder().credentials(creds()).rate_limit("DescribeBillDetail", 2).build().unwrap();
        assert_eq!(c.quota("DescribeBillDetail").unwrap().limit(), 2);
        assert_eq!(c.quota("DescribeAllocationOverview").unwrap().limit(), 50);
        assert_eq!(c.quota("DescribeCostDetail").unwrap().limit(), 5);
        assert_eq!(c.quota("DescribeAccountBalance").unwrap().limit(), 20);
        assert_eq!(c.endpoint(), "https://billing.tencentcloudapi.com/");
        let intl = BillingClient::builder().credentials(creds()).site(Site::International).build().unwrap();
        assert_eq!(intl.endpoint(), "https://billing.intl.tencentcloudapi.com/");
    }

    #[cfg(feature = "redis")]
    #[test]
    fn redis_settings_are_checked_by_build() {
        let creds = || Credentials::new("AKIDredis", "key");
        let c = BillingClient::builder().credentials(creds()).redis_rate_limit("redis://127.0.0.1:1").build().unwrap();
        assert!(c.inner.quotas.limiter("DescribeBillDetail").unwrap().is_shared());
        let local = BillingClient::builder().credentials(creds()).build().unwrap();
        assert!(!local.inner.quotas.limiter("DescribeBillDetail").unwrap().is_shared());
        let e =
            BillingClient::builder().credentials(creds()).redis_rate_limit("mysql://x:hunter2@h/").build().unwrap_err();
        assert!(e.to_string().contains("invalid Redis URL") && !format!("{e:?}").contains("hunter2"), "{e:?}");
        let e = BillingClient::builder().credentials(creds()).redis_rate_limit_account("acct").build().unwrap_err();
        assert!(e.to_string().contains("redis_rate_limit"), "{e}");
        let b = BillingClient::builder().credentials_provider(creds()).redis_rate_limit("redis://:hunter2@127.0.0.1:1");
        assert!(!format!("{b:?}").contains("hunter2"), "{b:?}");
        let e = b.build().unwrap_err();
        assert!(e.to_string().contains("redis_rate_limit_account"), "{e}");
        let c = BillingClient::builder()
            .credentials_provider(creds())
            .redis_rate_limit("redis://127.0.0.1:1")
            .redis_rate_limit_account("prod-account")
            .build()
            .unwrap();
        assert!(c.inner.quotas.limiter("DescribeBillDetail").unwrap().is_shared());
    }

    #[test]
    fn authorization_and_token_headers_are_sensitive() {
        let c = BillingClient::builder().credentials(Credentials::new("AKIDx", "k")).build().unwrap();
        let creds = Credentials::new("AKIDx", "k").with_token("tok");
        let signed = tc3::sign(
            &tc3::SigningInput::post_json("billing.tencentcloudapi.com", "billing", b"{}", 1_700_000_000),
            &creds,
        );
        let h = c.headers::<crate::types::DescribeAccountBalanceRequest>(signed.clone(), &creds).unwrap();
        assert!(h.get("authorization").unwrap().is_sensitive());
        assert!(h.get("x-tc-token").unwrap().is_sensitive());
        assert!(!h.get("x-tc-action").unwrap().is_sensitive());
        let dbg = format!("{h:?}");
        assert!(!dbg.contains(signed.signature()) && !dbg.contains("tok\""), "{dbg}");
    }

    #[test]
    fn proxy_and_endpoint_passwords_are_redacted() {
        let b = BillingClient::builder()
            .credentials(Credentials::new("AKIDx", "k"))
            .proxy("http://user:hunter2@proxy.internal:3128")
            .endpoint("https://user:hunter2@billing.example/");
        assert!(!format!("{b:?}").contains("hunter2"));
        let e = BillingClient::builder()
            .credentials(Credentials::new("AKIDx", "k"))
            .proxy("http://user:hunter2@[bad")
            .build()
            .unwrap_err();
        assert!(!format!("{e} {e:?}").contains("hunter2"), "{e}");
        let e = BillingClient::builder()
            .credentials(Credentials::new("AKIDx", "k"))
            .endpoint("ftp://u:hunter2@x/")
            .build()
            .unwrap_err();
        assert!(!format!("{e} {e:?}").contains("hunter2"), "{e}");
    }

    #[derive(Debug)]
    struct Fresh;

    impl ProvideCredentials for Fresh {
        fn provide_credentials(&self) -> crate::credentials::CredentialsFuture<'_> {
            Box::pin(async { Ok(Credentials::new("AKIDfresh", "fresh-key")) })
        }
    }

    #[tokio::test]
    async fn identical_provider_credentials_keep_their_signing_key() {
        let source = CredentialSource::provider(Arc::new(Fresh));
        let a = source.get().await.unwrap();
        let key = a.signing_key(20_000, "billing");
        let b = source.get().await.unwrap();
        assert!(Arc::ptr_eq(&key, &b.signing_key(20_000, "billing")), "the derived key is reused");
    }

    #[test]
    fn debug_shows_no_secret() {
        let c = BillingClient::builder().credentials(Credentials::new("AKIDx", "topsecretkey")).build().unwrap();
        let d = format!("{c:?}");
        assert!(d.contains("AKIDx") && !d.contains("topsecretkey"), "{d}");
    }
}
