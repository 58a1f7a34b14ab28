//! The one generic send path every action goes through:
//! check → credentials → quota → sign → send → decode → classify → retry.
//!
//! Nothing here knows a concrete action: a new action is a generated request type implementing
//! [`Action`], never a branch here. A new retry rule is a line in [`crate::retry::decide`].

use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::header::{HeaderMap, HeaderName, HeaderValue};
use tracing::Instrument;

use crate::action::Action;
use crate::credentials::{Credentials, ProvideCredentials};
use crate::error::{DecodeError, Error, RedirectError, Result, TimeoutError, TimeoutKind};
use crate::hook::{AttemptRecord, BeforeAttempt, Hook, Outcome};
use crate::protocol::{self, ApiResponse, Clock, SERVICE, Site, VERSION};
use crate::quota::Quotas;
use crate::retry::{self, Attempted, Decision, GiveUp, Jitter, RetryBudget, RetryConfig};
use crate::tc3::{self, SigningKey};

/// Per-call settings that override the client's.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallOptions {
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry: Option<RetryConfig>,
    pub(crate) any_site: bool,
    /// Headers for this call only, as given: checked when the call is sent.
    pub(crate) headers: Vec<(String, String)>,
}

/// A call checked and serialized by [`Handle::prepare`], ready for its attempts.
pub(crate) struct Prepared {
    body: bytes::Bytes,
    /// The call's own headers (`with_header`), checked.
    headers: Vec<(HeaderName, HeaderValue)>,
}

/// Where credentials come from.
#[derive(Debug, Clone)]
pub(crate) enum CredentialSource {
    /// Fixed credentials: no provider call, no allocation, per attempt.
    Static(Credentials),
    Provider(Arc<dyn ProvideCredentials>),
}

impl CredentialSource {
    /// Fixed credentials are lent, not cloned: a clone would touch the reference count that
    /// every concurrent call shares, twice per attempt.
    async fn get(&self) -> Result<Cow<'_, Credentials>> {
        match self {
            CredentialSource::Static(c) => Ok(Cow::Borrowed(c)),
            CredentialSource::Provider(p) => p.provide_credentials().await.map(Cow::Owned),
        }
    }
}

/// The signing key of the last (secret, UTC day) signed for. Deriving one costs three HMACs, so it
/// is kept for the day; a rotated key (a provider's new temporary credentials) derives a new one.
struct KeyCache {
    credentials: Credentials,
    key: Arc<SigningKey>,
}

/// What the builder decided, for [`Handle::new`].
pub(crate) struct Settings {
    pub(crate) http: crate::transport::Http,
    pub(crate) url: url::Url,
    pub(crate) host: String,
    pub(crate) host_header: HeaderValue,
    pub(crate) site: Site,
    pub(crate) region: Option<HeaderValue>,
    pub(crate) language: HeaderValue,
    pub(crate) request_client: HeaderValue,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
    pub(crate) credentials: CredentialSource,
    pub(crate) quotas: Quotas,
    pub(crate) retry: RetryConfig,
    pub(crate) connect_timeout: Duration,
    /// The proxy and roots the client was built with, for the other HTTP clients made on its
    /// behalf (the bill-file download).
    #[cfg_attr(not(feature = "files"), allow(dead_code))]
    pub(crate) network: crate::transport::Network,
    pub(crate) attempt_timeout: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) max_response_bytes: usize,
}

/// Everything a client shares between its clones: its settings, and what calls learn and spend
/// together (the retry budget, the clock correction and the signing-key cache).
pub(crate) struct Handle {
    pub(crate) settings: Settings,
    /// Shared with the clients of other accounts made by [`Handle::for_account`]: they send
    /// through the same pool to the same server, so a failing server drains one budget.
    budget: Arc<Mutex<RetryBudget>>,
    jitter: Jitter,
    /// Shared with the clients of other accounts: the server's clock is the same for all.
    pub(crate) clock: Arc<Clock>,
    keys: Mutex<Option<KeyCache>>,
    /// How many keys were derived, for the tests of the cache.
    #[cfg(test)]
    derivations: AtomicU32,
    /// The headers every request of this client shares, cloned per attempt (see
    /// [`protocol::template`]).
    headers: HeaderMap,
    /// The canonical request of this client's calls up to the payload hash (see
    /// [`tc3::CanonicalPrefix`]).
    prefix: tc3::CanonicalPrefix,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("endpoint", &crate::redact::url(self.settings.url.as_str()))
            .field("site", &self.settings.site)
            .field("credentials", &self.settings.credentials)
            .finish_non_exhaustive()
    }
}

/// What one finished attempt tells the retry loop besides its result.
struct AttemptReport {
    /// The answer taught the clock a new offset.
    clock_learnt: bool,
}

impl Handle {
    /// A handle with these settings; the budget is full, the clock uncorrected, the key cache empty.
    pub(crate) fn new(settings: Settings) -> Self {
        let headers = protocol::template(
            VERSION,
            &settings.host_header,
            Some(&settings.language),
            settings.region.as_ref(),
            &settings.request_client,
        );
        let prefix = tc3::CanonicalPrefix::new(&tc3::SigningInput::post_json(&settings.host, SERVICE, b"", 0));
        Handle {
            headers,
            prefix,
            settings,
            budget: Arc::new(Mutex::new(RetryBudget::default())),
            jitter: Jitter::new(),
            clock: Arc::new(Clock::default()),
            keys: Mutex::new(None),
            #[cfg(test)]
            derivations: AtomicU32::new(0),
        }
    }

    /// Whether `other` spends the same retry budget and learns the same clock as this handle.
    #[cfg(test)]
    pub(crate) fn shares_budget_and_clock(&self, other: &Handle) -> bool {
        Arc::ptr_eq(&self.budget, &other.budget) && Arc::ptr_eq(&self.clock, &other.clock)
    }

    /// A handle for another account: this one's pool, settings, hooks, retry budget and clock
    /// correction, with `credentials` and a fresh set of quotas (`quotas`) of its own.
    pub(crate) fn for_account(&self, credentials: CredentialSource, quotas: Quotas) -> Self {
        let s = &self.settings;
        let settings = Settings {
            http: s.http.clone(),
            url: s.url.clone(),
            host: s.host.clone(),
            host_header: s.host_header.clone(),
            site: s.site,
            region: s.region.clone(),
            language: s.language.clone(),
            request_client: s.request_client.clone(),
            headers: s.headers.clone(),
            hooks: s.hooks.clone(),
            credentials,
            quotas,
            retry: s.retry.clone(),
            connect_timeout: s.connect_timeout,
            network: s.network.clone(),
            attempt_timeout: s.attempt_timeout,
            deadline: s.deadline,
            max_response_bytes: s.max_response_bytes,
        };
        Handle {
            headers: self.headers.clone(),
            prefix: self.prefix.clone(),
            settings,
            budget: Arc::clone(&self.budget),
            jitter: Jitter::new(),
            clock: Arc::clone(&self.clock),
            keys: Mutex::new(None),
            #[cfg(test)]
            derivations: AtomicU32::new(0),
        }
    }

    /// Check and serialize one call: everything before the first attempt that needs no waiting.
    ///
    /// Done before the call's future is built, so that the future holds the body and not the
    /// request it was made from.
    pub(crate) fn prepare<R: Action>(&self, mut request: R, opts: &CallOptions) -> Result<Prepared> {
        if !opts.any_site && !R::SITES.contains(&self.settings.site) {
            return Err(Error::invalid_request(
                R::NAME,
                format!(
                    "{} is not documented on the {}; call .allow_any_site() to send it anyway",
                    R::NAME,
                    self.settings.site
                ),
            ));
        }
        if let Some(field) = request.missing_required() {
            return Err(Error::invalid_request(R::NAME, format!("required field `{field}` is not set")));
        }
        if let Some(problem) = request.validate() {
            return Err(Error::invalid_request(R::NAME, problem));
        }
        for (what, d) in [("attempt timeout", opts.attempt_timeout), ("deadline", opts.deadline)] {
            if d == Some(Duration::ZERO) {
                return Err(Error::invalid_request(R::NAME, format!("a zero {what} would fail every attempt")));
            }
        }
        let headers = opts
            .headers
            .iter()
            .map(|(n, v)| crate::hook::user_header(n, v))
            .collect::<std::result::Result<Vec<_>, String>>()
            .map_err(|m| Error::invalid_request(R::NAME, m))?;
        request.prepare();
        // Serialized once per call; each attempt sends a reference-counted view of it.
        let body = bytes::Bytes::from(
            serde_json::to_vec(&request)
                .map_err(|e| Error::invalid_request(R::NAME, format!("request could not be serialized: {e}")))?,
        );
        Ok(Prepared { body, headers })
    }

    /// Send one [`prepare`](Self::prepare)d action: quota, sign, send, decode, classify, and
    /// retry when safe.
    ///
    /// Everything happens inside a `billing.call` span (action, kind, attempts, RequestId,
    /// outcome, latency); each attempt has a `billing.attempt` span inside it (attempt number,
    /// quota wait, HTTP status, RequestId, outcome, latency). No field holds a secret.
    pub(crate) async fn run<R: Action>(&self, call: Prepared, opts: &CallOptions) -> Result<R::Response> {
        let Prepared { body, headers: call_headers } = call;
        let retry = opts.retry.as_ref().unwrap_or(&self.settings.retry);
        let attempt_timeout = opts.attempt_timeout.unwrap_or(self.settings.attempt_timeout);
        let deadline = opts.deadline.or(self.settings.deadline);
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
        let attempts = AtomicU32::new(0);
        // A deadline too far away to represent (`Duration::MAX`) is no deadline.
        let ends = deadline.and_then(|d| started.checked_add(d));
        let call = self.call_loop::<R>(&body, &call_headers, retry, attempt_timeout, ends, &attempts);
        let result = match deadline {
            None => call.instrument(span.clone()).await,
            Some(d) => tokio::time::timeout(d, call.instrument(span.clone())).await.unwrap_or_else(|_| {
                Err(Error::Timeout(Box::new(TimeoutError { action: R::NAME, kind: TimeoutKind::Deadline, after: d })))
            }),
        };
        span.record("attempts", attempts.load(Ordering::Relaxed));
        record_outcome(&span, started, result.as_ref().map(|r| r.request_id()));
        span.in_scope(|| match &result {
            Ok(_) => tracing::debug!("call finished"),
            Err(e) => tracing::debug!(error = %e, "call failed"),
        });
        result
    }

    async fn call_loop<R: Action>(
        &self,
        body: &bytes::Bytes,
        call_headers: &[(HeaderName, HeaderValue)],
        retry: &RetryConfig,
        attempt_timeout: Duration,
        deadline: Option<tokio::time::Instant>,
        attempts: &AtomicU32,
    ) -> Result<R::Response> {
        let mut attempt = 0u32;
        let mut skew_retried = false;
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
                error_code = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let (outcome, report) =
                self.attempt::<R>(body, call_headers, attempt, attempt_timeout).instrument(span.clone()).await;
            let err = match outcome {
                Ok(resp) => {
                    self.budget.lock().unwrap_or_else(|e| e.into_inner()).deposit();
                    return Ok(resp);
                }
                Err(e) => e,
            };
            let failure = crate::error::classify(&err);
            let now = tokio::time::Instant::now();
            let situation = Attempted {
                failure,
                attempt,
                kind: R::KIND,
                skew_retried,
                clock_learnt: report.clock_learnt,
                time_left: deadline.map(|dl| dl.saturating_duration_since(now)),
                jitter: self.jitter.next(),
            };
            let decision = retry::decide(&situation, retry, &mut self.budget.lock().unwrap_or_else(|e| e.into_inner()));
            match decision {
                Decision::RetryAfter(delay) => {
                    skew_retried |= failure == crate::error::Failure::ClockSkew;
                    span.in_scope(
                        || tracing::debug!(error = %err, ?failure, delay_ms = delay.as_millis() as u64, "retrying"),
                    );
                    tokio::time::sleep(delay).await;
                }
                Decision::GiveUp(why) => {
                    span.in_scope(|| match why {
                        GiveUp::Deadline => tracing::debug!(?failure, "the deadline leaves no time to retry"),
                        GiveUp::Budget => tracing::debug!(?failure, "retry budget spent; giving up"),
                        GiveUp::NotSafe | GiveUp::Attempts => tracing::debug!(?failure, ?why, "not retrying"),
                    });
                    return Err(err);
                }
            }
        }
    }

    async fn attempt<R: Action>(
        &self,
        body: &bytes::Bytes,
        call_headers: &[(HeaderName, HeaderValue)],
        attempt: u32,
        attempt_timeout: Duration,
    ) -> (Result<R::Response>, AttemptReport) {
        let mut report = AttemptReport { clock_learnt: false };
        let span = tracing::Span::current();
        // Credentials first: a slow provider must not sit between the quota slot and the send.
        let creds = match self.settings.credentials.get().await {
            Ok(c) => c,
            Err(e) => return (Err(e), report),
        };
        let quota_wait = match self.settings.quotas.limiter(R::NAME) {
            Some(l) => l.acquire().await,
            None => Duration::ZERO,
        };
        span.record("quota_wait_ms", quota_wait.as_millis() as u64);
        let started = tokio::time::Instant::now();
        // Headers of the client, the call and the hooks; no allocation when there are none.
        let mut extra = Vec::new();
        if !self.settings.headers.is_empty() || !call_headers.is_empty() || !self.settings.hooks.is_empty() {
            extra.extend_from_slice(&self.settings.headers);
            extra.extend_from_slice(call_headers);
            let mut before = BeforeAttempt { action: R::NAME, kind: R::KIND, attempt, headers: &mut extra };
            for hook in &self.settings.hooks {
                hook.before_attempt(&mut before);
            }
        }
        // The clock reading this attempt is signed with: a SignatureExpire answer is judged
        // against it (see `Clock::learn`).
        let reading = self.clock.read();
        let mut status = None;
        // The request goes to the pool before anything is awaited, so the attempt's future keeps
        // the exchange only, not the request as well. The exchange is boxed: it is most of an
        // attempt's state (the answer and the body being read), and would otherwise be copied
        // each time a future around it moves.
        let exchange = self
            .build_request::<R>(body, &extra, &creds, reading.timestamp())
            .map(|request| tokio::time::timeout(attempt_timeout, Box::pin(self.exchange(R::NAME, request))));
        let result = match exchange {
            Err(e) => Err(e),
            Ok(exchange) => match exchange.await {
                Err(_) => Err(Error::Timeout(Box::new(TimeoutError {
                    action: R::NAME,
                    kind: TimeoutKind::Attempt,
                    after: attempt_timeout,
                }))),
                Ok(Err(e)) => Err(e),
                Ok(Ok((code, server_date, bytes))) => {
                    status = Some(code);
                    span.record("status", code);
                    let decoded = protocol::decode::<R::Response>(R::NAME, code, &bytes);
                    if let Err(e) = &decoded
                        && e.code() == Some(&crate::ErrorCode::AuthFailureSignatureExpire)
                    {
                        report.clock_learnt =
                            self.clock.learn(server_date.as_ref().and_then(|v| v.to_str().ok()), reading);
                    }
                    decoded
                }
            },
        };
        let latency = started.elapsed();
        span.record("latency_ms", latency.as_millis() as u64);
        let record = AttemptRecord {
            action: R::NAME,
            kind: R::KIND,
            attempt,
            status,
            request_id: match &result {
                Ok(r) => Some(r.request_id()),
                Err(e) => e.request_id(),
            },
            latency,
            quota_wait,
            error: result.as_ref().err(),
        };
        match &result {
            Ok(r) => {
                span.record("request_id", r.request_id());
                span.record("outcome", "ok");
                tracing::debug!("attempt succeeded");
            }
            Err(e) => {
                record_error(&span, e);
                tracing::debug!(error = %e, "attempt failed");
            }
        }
        #[cfg(feature = "metrics")]
        crate::metrics::record_attempt(&record);
        for hook in &self.settings.hooks {
            hook.after_attempt(&record);
        }
        (result, report)
    }

    /// Send one request and read its answer: status, `Date` header and body. A redirect is an
    /// error, never followed (see [`crate::transport`]).
    ///
    /// The request is handed to the pool before the future is built, so the future does not keep
    /// it; the caller boxes the future, which keeps the state around it small.
    fn exchange(
        &self,
        action: &'static str,
        request: crate::transport::HttpRequest,
    ) -> impl Future<Output = Result<(u16, Option<HeaderValue>, Vec<u8>)>> + Send + '_ {
        let pending = self.settings.http.send(request);
        async move {
            let connect_timeout = self.settings.connect_timeout;
            let mut resp = pending.await.map_err(|e| crate::transport::error(action, e, connect_timeout))?;
            let status = resp.status().as_u16();
            if let Some(r) = crate::transport::redirect_of(&resp, &self.settings.url) {
                return Err(Error::Redirect(Box::new(RedirectError {
                    action,
                    status,
                    location_host: r.location_host,
                })));
            }
            // Kept as the header value (a reference count, no copy): it is read only after a
            // SignatureExpire answer.
            let server_date = resp.headers().get(http::header::DATE).cloned();
            let cap = self.settings.max_response_bytes;
            let bytes = crate::transport::read_capped(
                &mut resp,
                cap,
                |seen, start| {
                    Error::Decode(Box::new(DecodeError {
                        action,
                        status,
                        request_id: None,
                        reason: format!("response body larger than the {cap}-byte limit ({seen} bytes or more)"),
                        body_snippet: crate::error::snippet(start),
                        source: None,
                    }))
                },
                |e| crate::transport::body_error(action, e),
            )
            .await?;
            Ok((status, server_date, bytes))
        }
    }

    /// Sign `body` and build the HTTP request of one attempt: everything but the I/O.
    pub(crate) fn build_request<R: Action>(
        &self,
        body: &bytes::Bytes,
        extra: &[(HeaderName, HeaderValue)],
        creds: &Credentials,
        timestamp: i64,
    ) -> Result<crate::transport::HttpRequest> {
        let headers = self.signed_headers(R::NAME, body, extra, creds, timestamp)?;
        Ok(crate::transport::Http::post_with(&self.settings.url, headers, body.clone()))
    }

    /// The signed header set of one attempt.
    pub(crate) fn signed_headers(
        &self,
        action: &'static str,
        body: &[u8],
        extra: &[(HeaderName, HeaderValue)],
        creds: &Credentials,
        timestamp: i64,
    ) -> Result<HeaderMap> {
        let input = tc3::SigningInput::post_json(&self.settings.host, SERVICE, body, timestamp);
        let key = self.signing_key(creds, timestamp.div_euclid(86_400));
        let signed = tc3::sign_with_prefix(&input, &self.prefix, creds.secret_id(), &key);
        protocol::fill(
            self.headers.clone(),
            action,
            protocol::authorization(signed)?,
            timestamp,
            body.len(),
            creds.token(),
            extra,
        )
    }

    /// The signing key for `creds` on `day`, derived once per day and secret.
    fn signing_key(&self, creds: &Credentials, day: i64) -> Arc<SigningKey> {
        let mut slot = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cached) = slot.as_ref().filter(|c| c.key.day() == day && c.credentials.same_secret(creds)) {
            return Arc::clone(&cached.key);
        }
        let key = Arc::new(SigningKey::derive(creds.secret_key(), day, SERVICE));
        #[cfg(test)]
        self.derivations.fetch_add(1, Ordering::Relaxed);
        *slot = Some(KeyCache { credentials: creds.clone(), key: Arc::clone(&key) });
        key
    }
}

/// Record a failed attempt on its span.
fn record_error(span: &tracing::Span, e: &Error) {
    if let Some(id) = e.request_id() {
        span.record("request_id", id);
    }
    if let Some(code) = e.code() {
        span.record("error_code", code.as_str());
    }
    span.record("outcome", Outcome::of(e).as_str());
}

/// Record how a call ended on its span: latency, and the RequestId or the error.
fn record_outcome(span: &tracing::Span, started: tokio::time::Instant, result: std::result::Result<&str, &Error>) {
    span.record("latency_ms", started.elapsed().as_millis() as u64);
    match result {
        Ok(request_id) => {
            span.record("request_id", request_id);
            span.record("outcome", "ok");
        }
        Err(e) => record_error(span, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Fresh;

    impl ProvideCredentials for Fresh {
        fn provide_credentials(&self) -> crate::credentials::CredentialsFuture<'_> {
            Box::pin(async { Ok(Credentials::new("AKIDfresh", "fresh-key")) })
        }
    }

    fn handle(credentials: CredentialSource) -> Handle {
        let url = url::Url::parse("https://billing.tencentcloudapi.com/").unwrap();
        Handle::new(Settings {
            http: crate::transport::Http::new(Duration::from_secs(1), &Default::default(), "the test client").unwrap(),
            url,
            host: "billing.tencentcloudapi.com".into(),
            host_header: HeaderValue::from_static("billing.tencentcloudapi.com"),
            site: Site::China,
            region: None,
            language: HeaderValue::from_static("zh-CN"),
            request_client: HeaderValue::from_static(protocol::REQUEST_CLIENT),
            headers: Vec::new(),
            hooks: Vec::new(),
            credentials,
            quotas: Quotas::new(std::iter::empty(), &Default::default(), true),
            retry: RetryConfig::standard(),
            connect_timeout: Duration::from_secs(1),
            network: Default::default(),
            attempt_timeout: Duration::from_secs(1),
            deadline: None,
            max_response_bytes: 1024,
        })
    }

    #[tokio::test]
    async fn the_signing_key_is_derived_once_per_day_and_secret() {
        // A provider that builds new, identical credentials on every call still reuses the key.
        let h = handle(CredentialSource::Provider(Arc::new(Fresh)));
        let a = h.settings.credentials.get().await.unwrap();
        let derived = || h.derivations.load(Ordering::Relaxed);
        assert_eq!(h.signing_key(&a, 20_000).day(), 20_000);
        assert_eq!(derived(), 1);
        let b = h.settings.credentials.get().await.unwrap();
        assert_eq!(h.signing_key(&b, 20_000).day(), 20_000);
        assert_eq!(derived(), 1, "the derived key is reused");
        assert_eq!(h.signing_key(&b, 20_001).day(), 20_001);
        assert_eq!(derived(), 2, "a new day derives a new key");
        let rotated = Credentials::new("AKIDfresh", "rotated-key");
        assert_eq!(h.signing_key(&rotated, 20_001).day(), 20_001);
        assert_eq!(derived(), 3, "a rotated secret derives a new key");
        // The copies sign as the key they were copied from.
        let input = tc3::SigningInput::post_json("billing.tencentcloudapi.com", SERVICE, b"{}", 20_001 * 86_400);
        assert_eq!(
            tc3::sign_with_key(&input, "AKIDfresh", &h.signing_key(&rotated, 20_001)).authorization(),
            tc3::sign(&input, "AKIDfresh", "rotated-key").authorization()
        );
        assert_eq!(derived(), 3);
    }

    #[test]
    fn authorization_and_token_headers_are_sensitive() {
        let h = handle(CredentialSource::Static(Credentials::new("AKIDx", "k")));
        let creds = Credentials::new("AKIDx", "k").with_token("tok");
        let headers = h.signed_headers("DescribeAccountBalance", b"{}", &[], &creds, 1_700_000_000).unwrap();
        assert!(headers.get("authorization").unwrap().is_sensitive());
        assert!(headers.get("x-tc-token").unwrap().is_sensitive());
        assert!(!headers.get("x-tc-action").unwrap().is_sensitive());
        let signature = headers["authorization"].to_str().unwrap().rsplit('=').next().unwrap().to_owned();
        let dbg = format!("{headers:?}");
        assert!(!dbg.contains(&signature) && !dbg.contains("tok\""), "{dbg}");
    }
}
