//! Temporary credentials from STS: `AssumeRole` (signed with other credentials) and
//! `AssumeRoleWithWebIdentity` (TKE OIDC, unsigned).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;

use super::cache::{RefreshCache, RefreshPolicy};
use super::{Credentials, CredentialsFuture, Env, ProvideCredentials, http_client, read_small_body, unix_time};
use crate::error::{Error, ErrorCode, Result, ServiceError};
use crate::protocol::{REQUEST_CLIENT, WireError};
use crate::tc3;

/// The STS endpoint.
pub const DEFAULT_STS_ENDPOINT: &str = "https://sts.tencentcloudapi.com/";
/// The STS API version these providers speak.
pub const STS_VERSION: &str = "2018-08-13";
/// The service name STS requests are signed for.
pub const STS_SERVICE: &str = "sts";
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
#[derive(Debug, Clone)]
struct Common {
    endpoint: String,
    proxy: Option<String>,
    session_name: Option<String>,
    duration: Duration,
    policy: RefreshPolicy,
    connect_timeout: Duration,
    timeout: Duration,
}

impl Default for Common {
    fn default() -> Self {
        Common {
            endpoint: DEFAULT_STS_ENDPOINT.to_owned(),
            proxy: None,
            session_name: None,
            duration: DEFAULT_DURATION,
            policy: RefreshPolicy::default(),
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
        }
    }
}

/// The wire client for the two STS actions.
#[derive(Debug)]
struct Sts {
    url: reqwest::Url,
    host: String,
    http: reqwest::Client,
    session_name: String,
    duration_secs: u64,
}

impl Sts {
    fn new(c: &Common) -> Result<Sts> {
        let url = reqwest::Url::parse(&c.endpoint)
            .map_err(|e| Error::config(format!("invalid STS endpoint {:?}: {e}", c.endpoint)))?;
        let host = match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            (None, _) => return Err(Error::config(format!("STS endpoint {:?} has no host", c.endpoint))),
        };
        if c.duration.is_zero() || c.duration > MAX_DURATION {
            return Err(Error::config("the STS session duration must be between 1 s and 12 hours"));
        }
        Ok(Sts {
            url,
            host,
            http: http_client(c.connect_timeout, c.timeout, c.proxy.as_deref())?,
            session_name: c.session_name.clone().unwrap_or_else(default_session_name),
            duration_secs: c.duration.as_secs(),
        })
    }

    /// Send one STS action; `signer` signs it (TC3, service `sts`), `None` sends it unsigned.
    async fn call(
        &self,
        action: &'static str,
        region: &str,
        body: &serde_json::Value,
        signer: Option<&Credentials>,
    ) -> Result<Credentials> {
        let body = serde_json::to_vec(body)
            .map_err(|e| Error::credentials("the STS request could not be built", Some(Box::new(e))))?;
        let timestamp = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        let header_err =
            |what: &str| Error::credentials(format!("{what} contains characters not allowed in a header"), None);
        let mut h = HeaderMap::new();
        h.insert(reqwest::header::CONTENT_TYPE, HeaderValue::from_static(tc3::JSON_CONTENT_TYPE));
        h.insert(
            reqwest::header::HOST,
            HeaderValue::try_from(self.host.as_str()).map_err(|_| header_err("the STS host"))?,
        );
        h.insert(HeaderName::from_static("x-tc-action"), HeaderValue::from_static(action));
        h.insert(HeaderName::from_static("x-tc-version"), HeaderValue::from_static(STS_VERSION));
        h.insert(HeaderName::from_static("x-tc-timestamp"), HeaderValue::from(timestamp));
        h.insert(
            HeaderName::from_static("x-tc-region"),
            HeaderValue::try_from(region).map_err(|_| header_err("the region"))?,
        );
        h.insert(HeaderName::from_static("x-tc-requestclient"), HeaderValue::from_static(REQUEST_CLIENT));
        match signer {
            Some(creds) => {
                let input = tc3::SigningInput::post_json(&self.host, STS_SERVICE, &body, timestamp);
                let signed = tc3::sign(&input, creds.secret_id(), creds.secret_key());
                let mut auth = HeaderValue::try_from(signed.authorization()).map_err(|_| header_err("the SecretId"))?;
                auth.set_sensitive(true);
                h.insert(reqwest::header::AUTHORIZATION, auth);
                if let Some(t) = creds.token() {
                    let mut v = HeaderValue::try_from(t).map_err(|_| header_err("the session token"))?;
                    v.set_sensitive(true);
                    h.insert(HeaderName::from_static("x-tc-token"), v);
                }
            }
            None => {
                h.insert(reqwest::header::AUTHORIZATION, HeaderValue::from_static("SKIP"));
            }
        }
        let resp = self.http.post(self.url.clone()).headers(h).body(body).send().await.map_err(|e| {
            Error::credentials(format!("STS {action}: the request failed"), Some(Box::new(e.without_url())))
        })?;
        let status = resp.status().as_u16();
        let bytes = read_small_body(resp).await.map_err(|m| Error::credentials(format!("STS {action}: {m}"), None))?;
        decode(action, status, &bytes, self.duration_secs)
    }
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "Response")]
    response: StsResponse,
}

#[derive(Deserialize)]
struct StsResponse {
    #[serde(rename = "Credentials", default)]
    credentials: Option<StsCredentials>,
    #[serde(rename = "ExpiredTime", default)]
    expired_time: Option<i64>,
    #[serde(rename = "Error", default)]
    error: Option<WireError>,
    #[serde(rename = "RequestId", default)]
    request_id: Option<String>,
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

fn decode(action: &'static str, status: u16, body: &[u8], duration_secs: u64) -> Result<Credentials> {
    let parsed = serde_json::from_slice::<Envelope>(body);
    let r = match parsed {
        Ok(e) => e.response,
        Err(e) if status == 200 => {
            return Err(Error::credentials(
                format!("STS {action}: the answer is not an STS response"),
                Some(Box::new(e)),
            ));
        }
        Err(_) => return Err(Error::credentials(format!("STS {action}: HTTP {status}"), None)),
    };
    if let Some(err) = r.error {
        let service = ServiceError {
            action,
            code: ErrorCode::from(err.code.as_str()),
            message: err.message,
            request_id: r.request_id,
            http_status: status,
        };
        return Err(Error::credentials(format!("STS {service}"), Some(Box::new(service))));
    }
    let c = r
        .credentials
        .filter(|c| !c.id.is_empty() && !c.key.is_empty() && !c.token.is_empty())
        .ok_or_else(|| Error::credentials(format!("STS {action}: the answer holds no credentials"), None))?;
    // ExpiredTime is documented; without it, assume the duration asked for.
    let expiry =
        r.expired_time.and_then(unix_time).unwrap_or_else(|| SystemTime::now() + Duration::from_secs(duration_secs));
    Ok(Credentials::new(c.id, c.key).with_token(c.token).with_expiry(expiry))
}

/// Temporary credentials of a CAM role, from STS `AssumeRole` signed with other credentials.
///
/// The source credentials (any [`ProvideCredentials`], often long-lived keys) sign the request
/// with TC3 for service `sts`. The role's credentials are cached and refreshed before they expire
/// (see [`RefreshPolicy`]); one refresh is in flight however many calls wait for it.
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
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    region: String,
    policy: Option<String>,
    external_id: Option<String>,
    sts: Sts,
    cache: RefreshCache,
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
        pub fn endpoint(mut self, url: impl Into<String>) -> Self {
            self.common.endpoint = url.into();
            self
        }

        /// Reach STS through this HTTP(S) proxy.
        pub fn proxy(mut self, url: impl Into<String>) -> Self {
            self.common.proxy = Some(url.into());
            self
        }

        /// The session name recorded by CAM (default `tencentcloud-billing-<unix microseconds>`).
        pub fn session_name(mut self, name: impl Into<String>) -> Self {
            self.common.session_name = Some(name.into());
            self
        }

        /// How long the temporary credentials should live (default 2 hours, at most 12).
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
        pub fn timeouts(mut self, connect: Duration, request: Duration) -> Self {
            self.common.connect_timeout = connect;
            self.common.timeout = request;
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
    /// [`Error::Config`] for an invalid endpoint or proxy, an empty role ARN, or a duration
    /// outside 1 s ..= 12 h.
    pub fn build(self) -> Result<AssumeRoleProvider> {
        if self.role_arn.trim().is_empty() {
            return Err(Error::config("AssumeRole needs a role ARN"));
        }
        Ok(AssumeRoleProvider {
            sts: Sts::new(&self.common)?,
            cache: RefreshCache::new(self.common.policy),
            source: self.source,
            role_arn: self.role_arn,
            region: self.region,
            policy: self.policy,
            external_id: self.external_id,
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

    /// The role's current credentials, refreshed first when they are about to expire.
    ///
    /// # Errors
    /// [`Error::Credentials`] when the source fails or STS refuses (the STS error code is in the
    /// message and the source).
    pub async fn credentials(&self) -> Result<Credentials> {
        self.cache.get("sts_assume_role", || self.fetch()).await
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
/// the OIDC token is the proof.
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
    region: Option<String>,
    provider_id: Option<String>,
    token_file: Option<PathBuf>,
    role_arn: Option<String>,
    env: Env,
    sts: Sts,
    cache: RefreshCache,
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
    /// [`Error::Config`] for an invalid endpoint or proxy, or a duration outside 1 s ..= 12 h.
    pub fn build(self) -> Result<WebIdentityProvider> {
        Ok(WebIdentityProvider {
            sts: Sts::new(&self.common)?,
            cache: RefreshCache::new(self.common.policy),
            region: self.region,
            provider_id: self.provider_id,
            token_file: self.token_file,
            role_arn: self.role_arn,
            env: self.env,
        })
    }
}

impl WebIdentityProvider {
    /// A builder; with nothing set, everything comes from the TKE environment variables.
    pub fn builder() -> WebIdentityProviderBuilder {
        WebIdentityProviderBuilder::default()
    }

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
        let token = std::fs::read_to_string(&file).map_err(|e| {
            Error::credentials(
                format!("TKE OIDC: the token file {} could not be read", file.display()),
                Some(Box::new(e)),
            )
        })?;
        let body = serde_json::json!({
            "ProviderId": provider_id,
            "WebIdentityToken": token.trim(),
            "RoleArn": role_arn,
            "RoleSessionName": self.sts.session_name,
            "DurationSeconds": self.sts.duration_secs,
        });
        self.sts.call("AssumeRoleWithWebIdentity", &region, &body, None).await
    }

    /// The role's current credentials, refreshed first when they are about to expire.
    ///
    /// # Errors
    /// [`Error::Credentials`]: not found without any TKE setting; otherwise the missing setting,
    /// an unreadable token file, or STS's refusal.
    pub async fn credentials(&self) -> Result<Credentials> {
        self.cache.get("tke_oidc", || self.fetch()).await
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
        assert!(p.settings().unwrap_err().is_credentials_not_found());
        let p = WebIdentityProvider::builder()
            .env(Env::fake(&[(TKE_REGION, "ap-guangzhou"), (TKE_PROVIDER_ID, "p")]))
            .build()
            .unwrap();
        let e = p.settings().unwrap_err();
        assert!(!e.is_credentials_not_found() && e.to_string().contains(TKE_TOKEN_FILE), "{e}");
        let p = WebIdentityProvider::builder()
            .env(Env::fake(&[(TKE_REGION, "ap-guangzhou"), (TKE_PROVIDER_ID, "p"), (TKE_TOKEN_FILE, "/t")]))
            .role_arn("qcs::cam::uin/1:roleName/r")
            .build()
            .unwrap();
        assert_eq!(p.settings().unwrap().3, "qcs::cam::uin/1:roleName/r");
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
