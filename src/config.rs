//! [`BillingClientBuilder`]: the client's settings, their defaults, and how they are checked.

use std::collections::HashMap;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use http::header::HeaderValue;

use crate::client::BillingClient;
use crate::credentials::{Credentials, CredentialsChain, ProvideCredentials};
use crate::error::{Error, Result};
use crate::hook::Hook;
use crate::protocol::{REQUEST_CLIENT, Site};
use crate::quota::Quotas;
use crate::retry::RetryConfig;
use crate::send::{CredentialSource, Handle, Settings};

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

/// The default time allowed to open a connection (DNS, TCP and TLS): 5 s. A connection that
/// cannot be opened means the request never left, so even money-moving actions are retried.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The default time allowed for one attempt, from sending the request to the last byte of the
/// answer: 30 s. The quota wait before it and the backoff after it do not count.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default cap on an answer's size: 32 MiB. A larger answer fails with [`Error::Decode`]
/// ("response body larger than the … limit") without being read to the end.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

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
    no_proxy: bool,
    root_certificates: Vec<Arc<[u8]>>,
    allow_http: bool,
    headers: Vec<(String, String)>,
    hooks: Vec<Arc<dyn Hook>>,
    request_client_suffix: Option<String>,
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
            .field("proxy", &self.proxy.as_deref().map(crate::redact::url))
            .field("no_proxy", &self.no_proxy)
            .field("root_certificates", &self.root_certificates.len())
            .field("allow_http", &self.allow_http)
            .field("headers", &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>())
            .field("hooks", &self.hooks)
            .field("request_client_suffix", &self.request_client_suffix);
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
        self.credentials = Some(CredentialSource::Provider(Arc::new(provider)));
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

    /// Accept a plain `http://` [`endpoint`](BillingClientBuilder::endpoint) on a host outside this
    /// machine. Without it, `build()` refuses one: the Authorization header, any session token and
    /// the bodies of payments would cross the network in the clear, open to replay within the
    /// signature's five minutes. Loopback (`127.0.0.0/8`, `::1`, `localhost`) is always accepted,
    /// so the sandbox and local test servers need nothing. This applies to
    /// `TENCENTCLOUD_BILLING_ENDPOINT` too.
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_http = true;
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
    /// [`crate::TimeoutKind::Connect`]; nothing was sent, so every kind of action may be retried.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The time allowed for one attempt, from sending to the last byte of the answer. Default:
    /// [`DEFAULT_ATTEMPT_TIMEOUT`] (30 s). The quota wait before an attempt and the backoff
    /// between attempts do not count. Running out fails the attempt with
    /// [`crate::TimeoutKind::Attempt`], which is retried for read-only actions only: the server may have
    /// executed the request. Override it per call with
    /// [`crate::RequestBuilder::with_attempt_timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// A limit on each whole call: quota waits, attempts and backoff included. Default: none
    /// (the number of attempts and the per-attempt timeout bound a call). Running out fails the
    /// call with [`crate::TimeoutKind::Deadline`]; a retry whose backoff would end past the deadline is
    /// not attempted and the last error is returned instead. Override it per call with
    /// [`crate::RequestBuilder::with_deadline`].
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
    /// short backoff (500 ms doubling up to 5 s). See docs/REDIS.md for the key
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

    /// Send through this proxy instead of the environment's, e.g. `http://proxy.internal:3128`
    /// (a bare `proxy.internal:3128` means the same) or `https://proxy.internal:443`.
    /// HTTPS requests are tunnelled with `CONNECT`, so the proxy sees neither the signature nor the
    /// body. Credentials in the URL (`http://user:pass@proxy:3128`) are sent as proxy
    /// authorization and never shown. `build()` rejects an invalid URL. This proxy carries every
    /// request, loopback included. Bill-file downloads (`download_bill`, feature `files`) go through the same
    /// proxy.
    ///
    /// Default: the environment's proxies, as curl reads them: `HTTPS_PROXY`, `HTTP_PROXY` and
    /// `ALL_PROXY` (upper or lower case) and the `NO_PROXY` exceptions, except that loopback
    /// (`localhost`, 127.0.0.0/8, `::1`) always goes direct. `build()` refuses a
    /// variable that holds no usable proxy URL rather than going direct.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self.no_proxy = false;
        self
    }

    /// Use no proxy at all, whatever the environment says (undoes [`BillingClientBuilder::proxy`]).
    pub fn no_proxy(mut self) -> Self {
        self.proxy = None;
        self.no_proxy = true;
        self
    }

    /// Trust this CA certificate (PEM; a bundle adds each of its certificates) besides the
    /// platform's roots, e.g. the CA of a TLS-inspecting corporate proxy. `build()` refuses bytes
    /// with no PEM certificate in them. Bill-file downloads trust it too.
    pub fn add_root_certificate(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.root_certificates.push(Arc::from(pem.as_ref()));
        self
    }

    /// Send this header with every request, e.g. a tracing or routing header your gateway needs.
    /// Values are not shown in `Debug`. Headers the protocol or the signature owns
    /// (`Authorization`, `Content-Type`, `Host`, `Content-Length`, every `X-TC-*`) are refused by
    /// `build()`, as are invalid names and values. Per call: [`crate::RequestBuilder::with_header`].
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Watch every attempt, and add headers to it, with a [`Hook`]. Hooks run in the order they
    /// were added.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Name your application in `X-TC-RequestClient`, after the crate's own name and version
    /// (`SDK_RUST_tencentcloud-billing_0.1.0_<suffix>`), so that Tencent's side can tell your
    /// traffic apart. At most 64 characters of `A-Z a-z 0-9 . _ -`; `build()` refuses others.
    pub fn request_client_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.request_client_suffix = Some(suffix.into());
        self
    }

    /// Build the client.
    ///
    /// # Errors
    /// [`Error::Config`] for a missing environment variable (when built with
    /// [`BillingClientBuilder::from_env`]), a bad endpoint URL, an unknown action or zero rate in
    /// `rate_limit`, a bad proxy (given, or in the environment's variables), a root certificate with no
    /// PEM certificate in it, or (with the `redis` feature) a bad Redis URL, or
    /// `redis_rate_limit` with a credentials provider but no `redis_rate_limit_account`. Missing
    /// credentials are not detected here when the default chain is used: the first call fails with
    /// [`Error::Credentials`] listing what was tried.
    pub fn build(self) -> Result<BillingClient> {
        if let Some(e) = self.env_error {
            return Err(Error::config(e));
        }
        for (what, d) in
            [("connect_timeout", self.connect_timeout), ("timeout", self.attempt_timeout), ("deadline", self.deadline)]
        {
            if d == Some(Duration::ZERO) {
                return Err(Error::config(format!("{what} must be longer than zero: a zero limit fails every call")));
            }
        }
        let credentials =
            self.credentials.unwrap_or_else(|| CredentialSource::Provider(Arc::new(CredentialsChain::default_chain())));
        let url_text = self.endpoint.unwrap_or_else(|| format!("https://{}/", self.site.host()));
        let url = url::Url::parse(&url_text)
            .map_err(|e| Error::config(format!("invalid endpoint URL {:?}: {e}", crate::redact::url(&url_text))))?;
        crate::transport::check_scheme(&url, self.allow_http, "endpoint URL")?;
        // Nothing would use them (requests are signed, not sent with basic auth), and a URL with a
        // password tends to end up in logs.
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::config(format!(
                "endpoint URL {:?} carries a user name or password, which the API does not use",
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
            crate::protocol::lasting_value(&host).ok_or_else(|| Error::config(format!("bad host in {url_text:?}")))?;
        let region = self
            .region
            .map(|r| crate::protocol::lasting_value(&r).ok_or_else(|| Error::config(format!("invalid region {r:?}"))))
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
        let headers = self
            .headers
            .iter()
            .map(|(n, v)| crate::hook::user_header(n, v))
            .collect::<std::result::Result<Vec<_>, String>>()
            .map_err(Error::config)?;
        let request_client = match &self.request_client_suffix {
            None => HeaderValue::from_static(REQUEST_CLIENT),
            Some(s) => {
                let ok = !s.is_empty()
                    && s.len() <= 64
                    && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
                if !ok {
                    return Err(Error::config(format!(
                        "request_client_suffix {s:?} must be 1 to 64 characters of A-Z a-z 0-9 . _ -"
                    )));
                }
                crate::protocol::lasting_value(&format!("{REQUEST_CLIENT}_{s}"))
                    .ok_or_else(|| Error::config("request_client_suffix is not a valid header value"))?
            }
        };
        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        let network = network(self.proxy.as_deref(), self.no_proxy, self.root_certificates)?;
        let http = crate::transport::Http::new(connect_timeout, &network, "the HTTP client")?;
        Ok(BillingClient {
            inner: Arc::new(Handle::new(Settings {
                http,
                url,
                host,
                host_header,
                site: self.site,
                region,
                language: HeaderValue::from_static(language.as_str()),
                request_client,
                headers,
                hooks: self.hooks,
                credentials,
                quotas,
                retry: self.retry.unwrap_or_default(),
                connect_timeout,
                network,
                attempt_timeout: self.attempt_timeout.unwrap_or(DEFAULT_ATTEMPT_TIMEOUT),
                deadline: self.deadline,
                max_response_bytes: self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            })),
        })
    }
}

/// The proxy and root settings of a builder, checked.
fn network(proxy: Option<&str>, no_proxy: bool, roots: Vec<Arc<[u8]>>) -> Result<crate::transport::Network> {
    let proxy = match (proxy, no_proxy) {
        (_, true) => crate::transport::ProxyChoice::Off,
        (Some(url), false) => crate::transport::ProxyChoice::Url(crate::transport::Proxy::parse(url)?),
        (None, false) => crate::transport::ProxyChoice::Environment,
    };
    for pem in &roots {
        crate::transport::check_root(pem)?;
    }
    Ok(crate::transport::Network { proxy, roots })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(c.inner.settings.quotas.limiter("DescribeBillDetail").unwrap().is_shared());
        let local = BillingClient::builder().credentials(creds()).build().unwrap();
        assert!(!local.inner.settings.quotas.limiter("DescribeBillDetail").unwrap().is_shared());
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
        assert!(c.inner.settings.quotas.limiter("DescribeBillDetail").unwrap().is_shared());
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

    #[test]
    fn debug_shows_no_secret() {
        let c = BillingClient::builder().credentials(Credentials::new("AKIDx", "topsecretkey")).build().unwrap();
        let d = format!("{c:?}");
        assert!(d.contains("AKIDx") && !d.contains("topsecretkey"), "{d}");
    }
}
