//! Temporary credentials from STS: `AssumeRole` (signed with other credentials) and
//! `AssumeRoleWithWebIdentity` (TKE OIDC, unsigned).

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::header::HeaderValue;
use serde::Deserialize;

use super::cache::{Clock, RefreshCache, RefreshPolicy};
use super::files::read_small_file_async;
use super::{Credentials, CredentialsFuture, Env, ProvideCredentials, check_timeouts, unix_time};
use crate::error::{Error, ErrorCode, Result};
use crate::protocol::{self, HeaderSet, REQUEST_CLIENT};
use crate::transport::SmallClient;
use crate::{redact, tc3};

/// The STS endpoint.
pub const DEFAULT_STS_ENDPOINT: &str = "https://sts.tencentcloudapi.com/";
/// The STS API version these providers speak.
pub const STS_VERSION: &str = "2018-08-13";
/// The service name STS requests are signed for.
pub(crate) const STS_SERVICE: &str = "sts";
/// The region sent to STS by [`AssumeRoleProvider`] unless another is set.
pub const DEFAULT_STS_REGION: &str = "ap-guangzhou";
/// The longest session STS grants, and the default asked for is 2 hours.
const MAX_DURATION: Duration = Duration::from_secs(43_200);
const DEFAULT_DURATION: Duration = Duration::from_secs(7_200);

const TKE_REGION: &str = "TKE_REGION";
const TKE_PROVIDER_ID: &str = "TKE_PROVIDER_ID";
const TKE_TOKEN_FILE: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
const TKE_ROLE_ARN: &str = "TKE_ROLE_ARN";

fn default_session_name() -> String {
    let micros = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros()).unwrap_or(0);
    format!("tencentcloud-billing-{micros}")
}

/// Settings shared by both STS providers.
#[derive(Clone)]
struct Common {
    endpoint: String,
    allow_http: bool,
    proxy: Option<String>,
    session_name: Option<String>,
    duration: Duration,
    policy: RefreshPolicy,
    connect_timeout: Duration,
    timeout: Duration,
    clock: Clock,
}

// By hand: the endpoint and the proxy may carry a password or a key.
impl fmt::Debug for Common {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Common")
            .field("endpoint", &redact::url(&self.endpoint))
            .field("allow_http", &self.allow_http)
            .field("proxy", &self.proxy.as_deref().map(redact::url))
            .field("session_name", &self.session_name)
            .field("duration", &self.duration)
            .field("policy", &self.policy)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Common {
    /// The STS client's proxy: the one given, or the environment's.
    fn network(&self) -> Result<crate::transport::Network> {
        let proxy = match &self.proxy {
            Some(url) => crate::transport::ProxyChoice::Url(crate::transport::Proxy::parse(url)?),
            None => crate::transport::ProxyChoice::Environment,
        };
        Ok(crate::transport::Network { proxy, roots: Vec::new() })
    }
}

impl Default for Common {
    fn default() -> Self {
        Common {
            endpoint: DEFAULT_STS_ENDPOINT.to_owned(),
            allow_http: false,
            proxy: None,
            session_name: None,
            duration: DEFAULT_DURATION,
            policy: RefreshPolicy::default(),
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
            clock: Clock::default(),
        }
    }
}

impl Common {
    /// The cache for a provider built from these settings: a refresh (the source's credentials
    /// and one STS call) is abandoned after three request timeouts.
    fn cache(&self, source: &'static str, request_timeout: Duration) -> RefreshCache {
        RefreshCache::with_clock(source, self.policy, request_timeout.saturating_mul(3), self.clock)
    }
}

/// The wire client for the two STS actions.
struct Sts {
    url: url::Url,
    target: crate::transport::Target,
    host: String,
    host_header: HeaderValue,
    /// The correction to the local clock learnt from STS.
    clock: protocol::Clock,
    http: SmallClient,
    session_name: String,
    duration_secs: u64,
}

impl fmt::Debug for Sts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sts")
            .field("url", &redact::url(self.url.as_str()))
            .field("session_name", &self.session_name)
            .field("duration_secs", &self.duration_secs)
            .finish_non_exhaustive()
    }
}

impl Sts {
    /// The client, and the request timeout as checked (for the refresh's ceiling).
    fn new(c: &Common) -> Result<(Sts, Duration)> {
        let url = url::Url::parse(&c.endpoint)
            .map_err(|e| Error::config(format!("invalid STS endpoint {:?}: {e}", redact::url(&c.endpoint))))?;
        let host = match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            (None, _) => {
                return Err(Error::config(format!("STS endpoint {:?} has no host", redact::url(&c.endpoint))));
            }
        };
        crate::transport::check_scheme(&url, c.allow_http, "STS endpoint")?;
        if c.duration < Duration::from_secs(1) || c.duration > MAX_DURATION {
            return Err(Error::config("the STS session duration must be between 1 s and 12 hours"));
        }
        let (connect, request) = check_timeouts(c.connect_timeout, c.timeout)?;
        let host_header = HeaderValue::try_from(host.as_str())
            .map_err(|_| Error::config(format!("bad host in STS endpoint {:?}", redact::url(&c.endpoint))))?;
        let sts = Sts {
            target: crate::transport::target(&url, "STS endpoint")?,
            url,
            host,
            host_header,
            clock: protocol::Clock::default(),
            http: SmallClient::new(connect, request, &c.network()?)?,
            session_name: c.session_name.clone().unwrap_or_else(default_session_name),
            duration_secs: c.duration.as_secs(),
        };
        Ok((sts, request))
    }

    /// Send one STS action; `signer` signs it (TC3, service `sts`), `None` sends it unsigned.
    ///
    /// The exchange is the API 3.0 one the billing client speaks (the same header set, envelope
    /// decoding and limits), and so is the clock: an `AuthFailure.SignatureExpire` answer with a
    /// `Date` header corrects this provider's clock, and the request is signed again and sent
    /// once more. Asking STS for credentials changes nothing on the account, so that is safe.
    async fn call(
        &self,
        action: &'static str,
        region: &str,
        body: &serde_json::Value,
        signer: Option<&Credentials>,
    ) -> Result<Credentials> {
        let body = serde_json::to_vec(body)
            .map_err(|e| Error::credentials("the STS request could not be built", Some(Box::new(e))))?;
        let region = HeaderValue::try_from(region)
            .map_err(|_| Error::credentials("the region contains characters not allowed in a header", None))?;
        let mut skew_retried = false;
        loop {
            let reading = self.clock.read();
            let (status, server_date, bytes) =
                self.exchange(action, &region, &body, signer, reading.timestamp()).await?;
            match protocol::decode_with::<StsResponse>(action, status, &bytes, |r| &r.request_id) {
                Ok(r) => return credentials_of(action, r, self.duration_secs),
                Err(Error::Service(s)) => {
                    if s.code == ErrorCode::AuthFailureSignatureExpire
                        && !skew_retried
                        && self.clock.learn(server_date.as_deref(), reading)
                    {
                        skew_retried = true;
                        continue;
                    }
                    return Err(Error::credentials(format!("STS {s}"), Some(s)));
                }
                Err(e) => return Err(undecodable(action, e)),
            }
        }
    }

    /// One signed (or unsigned) request and its answer: status, `Date` header, body.
    async fn exchange(
        &self,
        action: &'static str,
        region: &HeaderValue,
        body: &[u8],
        signer: Option<&Credentials>,
        timestamp: i64,
    ) -> Result<(u16, Option<String>, Vec<u8>)> {
        let headers = HeaderSet {
            action,
            version: STS_VERSION,
            host: &self.host_header,
            language: None,
            region: Some(region),
            request_client: &HeaderValue::from_static(REQUEST_CLIENT),
            token: signer.and_then(Credentials::token),
            extra: &[],
            body_len: body.len(),
        };
        let headers = match signer {
            Some(creds) => {
                let input = tc3::SigningInput::post_json(&self.host, STS_SERVICE, body, timestamp);
                headers.build(tc3::sign(&input, creds.secret_id(), creds.secret_key()))
            }
            None => headers.build_unsigned(timestamp),
        }
        .map_err(|e| Error::credentials(format!("STS {action}: {e}"), None))?;
        let mut request =
            crate::transport::Http::post(&self.target, tc3::JSON_CONTENT_TYPE, bytes::Bytes::copy_from_slice(body));
        // The protocol's header set, whole: STS is signed, so a user name in the endpoint URL is
        // not sent as basic credentials.
        *request.headers_mut() = headers;
        let answer = self
            .http
            .exchange(&self.url, request)
            .await
            .map_err(|f| Error::credentials(format!("STS {action}: {}", f.message), f.source))?;
        if let Some(r) = answer.redirect {
            return Err(Error::credentials(
                format!("STS {action}: {r}; credential requests never follow redirects"),
                None,
            ));
        }
        let status = answer.status;
        let server_date = answer.date.as_ref().and_then(|v| v.to_str().ok()).map(str::to_owned);
        let bytes = answer.body;
        Ok((status, server_date, bytes))
    }
}

#[derive(Deserialize)]
struct StsResponse {
    #[serde(rename = "Credentials", default)]
    credentials: Option<StsCredentials>,
    #[serde(rename = "ExpiredTime", default)]
    expired_time: Option<i64>,
    #[serde(rename = "RequestId", default, deserialize_with = "crate::wire::null_as_default")]
    request_id: String,
}

#[derive(Deserialize)]
struct StsCredentials {
    #[serde(rename = "TmpSecretId", default)]
    id: String,
    #[serde(rename = "TmpSecretKey", default)]
    key: String,
    #[serde(rename = "Token", default)]
    token: String,
}

/// A credentials error for an answer that did not decode, saying the HTTP status when it was not 200.
fn undecodable(action: &'static str, e: Error) -> Error {
    let message = match &e {
        Error::Decode(d) if d.status != 200 => format!("STS {action}: HTTP {}", d.status),
        _ => format!("STS {action}: the answer is not an STS response"),
    };
    Error::credentials(message, Some(Box::new(e)))
}

/// The credentials in a decoded STS answer.
fn credentials_of(action: &'static str, r: StsResponse, duration_secs: u64) -> Result<Credentials> {
    let c = r
        .credentials
        .filter(|c| !c.id.is_empty() && !c.key.is_empty() && !c.token.is_empty())
        .ok_or_else(|| Error::credentials(format!("STS {action}: the answer holds no credentials"), None))?;
    // ExpiredTime is documented; without it, assume the duration asked for.
    let expiry = r.expired_time.and_then(unix_time).unwrap_or_else(|| {
        SystemTime::now().checked_add(Duration::from_secs(duration_secs)).unwrap_or_else(SystemTime::now)
    });
    Ok(Credentials::new(c.id, c.key).with_token(c.token).with_expiry(expiry))
}

#[cfg(test)]
fn decode(action: &'static str, status: u16, body: &[u8], duration_secs: u64) -> Result<Credentials> {
    match protocol::decode_with::<StsResponse>(action, status, body, |r| &r.request_id) {
        Ok(r) => credentials_of(action, r, duration_secs),
        Err(Error::Service(s)) => Err(Error::credentials(format!("STS {s}"), Some(s))),
        Err(e) => Err(undecodable(action, e)),
    }
}

/// Temporary credentials of a CAM role, from STS `AssumeRole` signed with other credentials.
///
/// The source credentials (any [`ProvideCredentials`], often long-lived keys) sign the request
/// with TC3 for service `sts`. The role's credentials are cached and refreshed before they expire
/// (see [`RefreshPolicy`]); one refresh is in flight however many calls wait for it.
///
/// The endpoint must be `https://` unless it is on this machine or
/// [`AssumeRoleProviderBuilder::allow_http`] is set; a redirect from STS is an error, never
/// followed.
///
/// ```no_run
/// use std::time::Duration;
/// use tencentcloud_billing::{BillingClient, Credentials};
/// use tencentcloud_billing::credentials::AssumeRoleProvider;
/// # fn run() -> Result<(), tencentcloud_billing::Error> {
/// let role = AssumeRoleProvider::builder(
///     Credentials::new("AKID...", "long-lived key"),
///     "qcs::cam::uin/100000000001:roleName/billing-reader",
/// )
/// .session_name("cost-report")
/// .duration(Duration::from_secs(3600))
/// .build()?;
/// let client = BillingClient::builder().credentials_provider(role).build()?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct AssumeRoleProvider {
    inner: Arc<AssumeRole>,
    cache: RefreshCache,
}

/// What an `AssumeRole` refresh needs, shared with the refresh task.
#[derive(Debug)]
struct AssumeRole {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    region: String,
    policy: Option<String>,
    external_id: Option<String>,
    sts: Sts,
}

/// Builds an [`AssumeRoleProvider`].
#[derive(Debug)]
#[must_use]
pub struct AssumeRoleProviderBuilder {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    region: String,
    policy: Option<String>,
    external_id: Option<String>,
    common: Common,
}

macro_rules! common_setters {
    () => {
        /// The STS endpoint URL (default [`DEFAULT_STS_ENDPOINT`]); tests point it at a local stand-in.
        /// It must be `https://`, or `http://` on this machine (loopback), unless `allow_http` is set.
        pub fn endpoint(mut self, url: impl Into<String>) -> Self {
            self.common.endpoint = url.into();
            self
        }

        /// Accept a plain `http://` endpoint on another machine (default `false`). Only for a
        /// trusted network path, such as an internal gateway that adds TLS itself: the request
        /// (and, for web identity, the OIDC token) and the credentials STS returns would
        /// otherwise cross the network unencrypted.
        pub fn allow_http(mut self, allow: bool) -> Self {
            self.common.allow_http = allow;
            self
        }

        /// Reach STS through this proxy (`http://host:port`, `https://host:port`, or a bare
        /// `host:port`; user and password in the URL become proxy authorization) instead of the
        /// environment's (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`, which apply by default). HTTPS
        /// is tunnelled through it.
        pub fn proxy(mut self, url: impl Into<String>) -> Self {
            self.common.proxy = Some(url.into());
            self
        }

        /// The session name recorded by CAM (default `tencentcloud-billing-<unix microseconds>`).
        pub fn session_name(mut self, name: impl Into<String>) -> Self {
            self.common.session_name = Some(name.into());
            self
        }

        /// How long the temporary credentials should live (default 2 hours); `build` refuses
        /// less than 1 s or more than 12 hours.
        pub fn duration(mut self, d: Duration) -> Self {
            self.common.duration = d;
            self
        }

        /// When to refresh and how to back off after a failure.
        pub fn refresh_policy(mut self, policy: RefreshPolicy) -> Self {
            self.common.policy = policy;
            self
        }

        /// The time allowed to connect (default 5 s) and for the whole request (default 10 s).
        /// Zero is refused by `build`; more than 10 minutes is capped to 10 minutes.
        pub fn timeouts(mut self, connect: Duration, request: Duration) -> Self {
            self.common.connect_timeout = connect;
            self.common.timeout = request;
            self
        }

        #[cfg(test)]
        pub(crate) fn clock(mut self, clock: Clock) -> Self {
            self.common.clock = clock;
            self
        }
    };
}

impl AssumeRoleProviderBuilder {
    common_setters!();

    /// The region sent to STS (default [`DEFAULT_STS_REGION`]).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// A policy (JSON text) that narrows the role's permissions for this session.
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// The external id the role's trust policy asks for.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// The provider.
    ///
    /// # Errors
    /// [`Error::Config`] for an invalid endpoint or proxy, plain `http://` to another machine
    /// without [`AssumeRoleProviderBuilder::allow_http`], an empty role ARN, a zero timeout, or
    /// a duration outside 1 s ..= 12 h.
    pub fn build(self) -> Result<AssumeRoleProvider> {
        if self.role_arn.trim().is_empty() {
            return Err(Error::config("AssumeRole needs a role ARN"));
        }
        let (sts, request_timeout) = Sts::new(&self.common)?;
        Ok(AssumeRoleProvider {
            cache: self.common.cache("sts_assume_role", request_timeout),
            inner: Arc::new(AssumeRole {
                sts,
                source: self.source,
                role_arn: self.role_arn,
                region: self.region,
                policy: self.policy,
                external_id: self.external_id,
            }),
        })
    }
}

impl AssumeRoleProvider {
    /// A builder assuming `role_arn` (`qcs::cam::uin/<uin>:roleName/<name>`) with credentials
    /// from `source`.
    pub fn builder(source: impl ProvideCredentials, role_arn: impl Into<String>) -> AssumeRoleProviderBuilder {
        AssumeRoleProviderBuilder {
            source: Arc::new(source),
            role_arn: role_arn.into(),
            region: DEFAULT_STS_REGION.to_owned(),
            policy: None,
            external_id: None,
            common: Common::default(),
        }
    }

    /// The role's current credentials, refreshed first when they are about to expire.
    ///
    /// # Errors
    /// [`Error::Credentials`] when the source fails or STS refuses (the STS error code is in the
    /// message and the source), or answers with a redirect.
    pub async fn credentials(&self) -> Result<Credentials> {
        let inner = Arc::clone(&self.inner);
        self.cache.get(move || async move { inner.fetch().await }).await
    }
}

impl AssumeRole {
    async fn fetch(&self) -> Result<Credentials> {
        let signer = self.source.provide_credentials().await?;
        let mut body = serde_json::json!({
            "RoleArn": self.role_arn,
            "RoleSessionName": self.sts.session_name,
            "DurationSeconds": self.sts.duration_secs,
        });
        if let Some(p) = &self.policy {
            body["Policy"] = p.clone().into();
        }
        if let Some(x) = &self.external_id {
            body["ExternalId"] = x.clone().into();
        }
        self.sts.call("AssumeRole", &self.region, &body, Some(&signer)).await
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.credentials())
    }
}

/// Temporary credentials for a TKE pod, from STS `AssumeRoleWithWebIdentity` with the pod's OIDC
/// token.
///
/// Every setting left unset is read from the environment TKE injects, at each refresh:
/// `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE` (read again each time: the
/// token rotates) and `TKE_ROLE_ARN`. With none of them set the error says "not found", so that a
/// chain moves on; with only some, it names the first missing one. The request is not signed:
/// the OIDC token is the proof. The token file is read only when it is a regular file of at most
/// 1 MiB, off the async workers. As for [`AssumeRoleProvider`], the endpoint must be `https://`
/// unless on loopback or allowed with [`WebIdentityProviderBuilder::allow_http`], and redirects
/// are errors.
///
/// ```no_run
/// use tencentcloud_billing::BillingClient;
/// use tencentcloud_billing::credentials::WebIdentityProvider;
/// # fn run() -> Result<(), tencentcloud_billing::Error> {
/// let client = BillingClient::builder().credentials_provider(WebIdentityProvider::builder().build()?).build()?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct WebIdentityProvider {
    inner: Arc<WebIdentity>,
    cache: RefreshCache,
}

/// What a web identity refresh needs, shared with the refresh task.
#[derive(Debug)]
struct WebIdentity {
    region: Option<String>,
    provider_id: Option<String>,
    token_file: Option<PathBuf>,
    role_arn: Option<String>,
    env: Env,
    sts: Sts,
}

/// Builds a [`WebIdentityProvider`].
#[derive(Debug, Default)]
#[must_use]
pub struct WebIdentityProviderBuilder {
    region: Option<String>,
    provider_id: Option<String>,
    token_file: Option<PathBuf>,
    role_arn: Option<String>,
    env: Env,
    common: Common,
}

impl WebIdentityProviderBuilder {
    common_setters!();

    /// The region sent to STS (else `TKE_REGION`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The OIDC identity provider's id (else `TKE_PROVIDER_ID`).
    pub fn provider_id(mut self, id: impl Into<String>) -> Self {
        self.provider_id = Some(id.into());
        self
    }

    /// The file holding the OIDC token (else `TKE_WEB_IDENTITY_TOKEN_FILE`).
    pub fn token_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.token_file = Some(path.into());
        self
    }

    /// The role to assume (else `TKE_ROLE_ARN`).
    pub fn role_arn(mut self, arn: impl Into<String>) -> Self {
        self.role_arn = Some(arn.into());
        self
    }

    #[cfg(test)]
    pub(crate) fn env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// The provider.
    ///
    /// # Errors
    /// [`Error::Config`] for an invalid endpoint or proxy, plain `http://` to another machine
    /// without [`WebIdentityProviderBuilder::allow_http`], a zero timeout, or a duration outside
    /// 1 s ..= 12 h.
    pub fn build(self) -> Result<WebIdentityProvider> {
        let (sts, request_timeout) = Sts::new(&self.common)?;
        Ok(WebIdentityProvider {
            cache: self.common.cache("tke_oidc", request_timeout),
            inner: Arc::new(WebIdentity {
                sts,
                region: self.region,
                provider_id: self.provider_id,
                token_file: self.token_file,
                role_arn: self.role_arn,
                env: self.env,
            }),
        })
    }
}

impl WebIdentityProvider {
    /// A builder; with nothing set, everything comes from the TKE environment variables.
    pub fn builder() -> WebIdentityProviderBuilder {
        WebIdentityProviderBuilder::default()
    }

    /// The role's current credentials, refreshed first when they are about to expire.
    ///
    /// # Errors
    /// [`Error::Credentials`]: not found without any TKE setting; otherwise the missing setting,
    /// an unreadable token file (not a regular file, larger than 1 MiB), or STS's refusal or
    /// redirect.
    pub async fn credentials(&self) -> Result<Credentials> {
        let inner = Arc::clone(&self.inner);
        self.cache.get(move || async move { inner.fetch().await }).await
    }
}

impl WebIdentity {
    fn settings(&self) -> Result<(String, String, PathBuf, String)> {
        let region = self.region.clone().or_else(|| self.env.get(TKE_REGION));
        let provider = self.provider_id.clone().or_else(|| self.env.get(TKE_PROVIDER_ID));
        let file = self.token_file.clone().or_else(|| self.env.get(TKE_TOKEN_FILE).map(PathBuf::from));
        let role = self.role_arn.clone().or_else(|| self.env.get(TKE_ROLE_ARN));
        match (region, provider, file, role) {
            (Some(r), Some(p), Some(f), Some(a)) => Ok((r, p, f, a)),
            (None, None, None, None) => Err(Error::credentials_not_found(format!(
                "no TKE OIDC settings: {TKE_REGION}, {TKE_PROVIDER_ID}, {TKE_TOKEN_FILE} and {TKE_ROLE_ARN} are not set"
            ))),
            (r, p, f, _) => {
                let missing = if r.is_none() {
                    TKE_REGION
                } else if p.is_none() {
                    TKE_PROVIDER_ID
                } else if f.is_none() {
                    TKE_TOKEN_FILE
                } else {
                    TKE_ROLE_ARN
                };
                Err(Error::credentials(format!("TKE OIDC: environment variable {missing} is not set"), None))
            }
        }
    }

    async fn fetch(&self) -> Result<Credentials> {
        let (region, provider_id, file, role_arn) = self.settings()?;
        let token = read_small_file_async(file, "TKE OIDC: the token file").await?;
        let body = serde_json::json!({
            "ProviderId": provider_id,
            "WebIdentityToken": token.trim(),
            "RoleArn": role_arn,
            "RoleSessionName": self.sts.session_name,
            "DurationSeconds": self.sts.duration_secs,
        });
        self.sts.call("AssumeRoleWithWebIdentity", &region, &body, None).await
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.credentials())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_credentials_and_errors() {
        let ok = br#"{"Response":{"Credentials":{"Token":"t","TmpSecretId":"AKIDtmp","TmpSecretKey":"k"},"ExpiredTime":1900000000,"Expiration":"2030-03-17T17:46:40Z","RequestId":"r"}}"#;
        let c = decode("AssumeRole", 200, ok, 7200).unwrap();
        assert_eq!((c.secret_id(), c.token()), ("AKIDtmp", Some("t")));
        assert_eq!(c.expires_at(), unix_time(1_900_000_000));
        let err = br#"{"Response":{"Error":{"Code":"InvalidParameter.RoleNotExist","Message":"no such role"},"RequestId":"r-err"}}"#;
        let e = decode("AssumeRole", 200, err, 7200).unwrap_err();
        let s = e.to_string();
        assert!(s.contains("InvalidParameter.RoleNotExist") && s.contains("r-err"), "{s}");
        let e = decode("AssumeRole", 502, b"<html>bad gateway</html>", 7200).unwrap_err();
        assert!(e.to_string().contains("HTTP 502"), "{e}");
        let e = decode("AssumeRole", 200, br#"{"Response":{"RequestId":"x"}}"#, 7200).unwrap_err();
        assert!(e.to_string().contains("no credentials"), "{e}");
    }

    #[test]
    fn tke_settings_come_from_the_environment() {
        let p = WebIdentityProvider::builder().env(Env::fake(&[])).build().unwrap();
        assert!(p.inner.settings().unwrap_err().is_credentials_not_found());
        let p = WebIdentityProvider::builder()
            .env(Env::fake(&[(TKE_REGION, "ap-guangzhou"), (TKE_PROVIDER_ID, "p")]))
            .build()
            .unwrap();
        let e = p.inner.settings().unwrap_err();
        assert!(!e.is_credentials_not_found() && e.to_string().contains(TKE_TOKEN_FILE), "{e}");
        let p = WebIdentityProvider::builder()
            .env(Env::fake(&[(TKE_REGION, "ap-guangzhou"), (TKE_PROVIDER_ID, "p"), (TKE_TOKEN_FILE, "/t")]))
            .role_arn("qcs::cam::uin/1:roleName/r")
            .build()
            .unwrap();
        assert_eq!(p.inner.settings().unwrap().3, "qcs::cam::uin/1:roleName/r");
    }

    #[test]
    fn durations_are_checked() {
        let e = AssumeRoleProvider::builder(Credentials::new("a", "b"), "arn")
            .duration(Duration::from_secs(50_000))
            .build();
        assert!(e.is_err());
        assert!(AssumeRoleProvider::builder(Credentials::new("a", "b"), " ").build().is_err());
    }
}
