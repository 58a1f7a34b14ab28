//! Credentials of the CAM role bound to a CVM instance, from the instance metadata service.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Deserialize;

use super::cache::{Clock, RefreshCache, RefreshPolicy};
use super::{Credentials, CredentialsFuture, ProvideCredentials, check_timeouts, unix_time};
use crate::error::{Error, Result};
use crate::redact;
use crate::transport::SmallClient;

/// The metadata service as seen from inside a CVM instance.
pub const DEFAULT_METADATA_URL: &str = "http://metadata.tencentyun.com/latest/meta-data/";

const ROLE_PATH: &str = "cam/security-credentials/";

/// Temporary credentials of the CAM role bound to the CVM instance this runs on.
///
/// It asks the instance metadata service for the role's name
/// (`<base>/cam/security-credentials/`) unless one is given, then for the role's temporary
/// credentials (`<base>/cam/security-credentials/<role>`), and refreshes them before they expire
/// (see [`RefreshPolicy`]). The metadata service is never reached through a proxy, and a redirect
/// from it is an error, never followed. Plain `http://` is its nature, so it is allowed here.
///
/// Off a CVM instance the service is unreachable and the error says "not found", as it does when
/// no role is bound, so that a [`super::CredentialsChain`] moves on. The defaults allow 1 s to
/// connect and 3 s per request; a refresh (two requests at most) is abandoned after three
/// request timeouts.
///
/// ```no_run
/// use tencentcloud_billing::BillingClient;
/// use tencentcloud_billing::credentials::CvmRoleProvider;
/// # fn run() -> Result<(), tencentcloud_billing::Error> {
/// let client = BillingClient::builder().credentials_provider(CvmRoleProvider::builder().build()?).build()?;
/// # Ok(()) }
/// ```
pub struct CvmRoleProvider {
    inner: Arc<Inner>,
    cache: RefreshCache,
}

/// What a refresh needs, shared with the refresh task.
struct Inner {
    base: url::Url,
    fixed_role: Option<String>,
    discovered_role: Mutex<Option<String>>,
    http: SmallClient,
}

impl fmt::Debug for CvmRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CvmRoleProvider")
            .field("base", &redact::url(self.inner.base.as_str()))
            .field("role", &self.inner.fixed_role)
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

/// Builds a [`CvmRoleProvider`].
#[derive(Clone)]
#[must_use]
pub struct CvmRoleProviderBuilder {
    base: String,
    role: Option<String>,
    policy: RefreshPolicy,
    connect_timeout: Duration,
    timeout: Duration,
    clock: Clock,
}

impl fmt::Debug for CvmRoleProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CvmRoleProviderBuilder")
            .field("base", &redact::url(&self.base))
            .field("role", &self.role)
            .field("policy", &self.policy)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl CvmRoleProviderBuilder {
    /// The metadata service's base URL, ending in `meta-data/` (default [`DEFAULT_METADATA_URL`]);
    /// tests point it at a local stand-in.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base = url.into();
        self
    }

    /// The role's name, which skips asking the metadata service for it.
    pub fn role_name(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// When to refresh and how to back off after a failure.
    pub fn refresh_policy(mut self, policy: RefreshPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The time allowed to connect (default 1 s) and for each request (default 3 s). Zero is
    /// refused by [`CvmRoleProviderBuilder::build`]; more than 10 minutes is capped to 10 minutes.
    pub fn timeouts(mut self, connect: Duration, request: Duration) -> Self {
        self.connect_timeout = connect;
        self.timeout = request;
        self
    }

    #[cfg(test)]
    pub(crate) fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The provider.
    ///
    /// # Errors
    /// [`Error::Config`] for an invalid base URL (one that is not http or https, or has no
    /// host), or a zero timeout.
    pub fn build(self) -> Result<CvmRoleProvider> {
        let mut base = self.base;
        if !base.ends_with('/') {
            base.push('/');
        }
        let base = url::Url::parse(&base)
            .map_err(|e| Error::config(format!("invalid metadata URL {:?}: {e}", redact::url(&base))))?;
        if base.host_str().is_none() {
            return Err(Error::config(format!("metadata URL {:?} has no host", redact::url(base.as_str()))));
        }
        // The metadata service only speaks http; other schemes are still refused.
        crate::transport::check_scheme(&base, true, "metadata URL")?;
        let (connect, request) = check_timeouts(self.connect_timeout, self.timeout)?;
        Ok(CvmRoleProvider {
            inner: Arc::new(Inner {
                base,
                fixed_role: self.role,
                discovered_role: Mutex::new(None),
                // A link-local service of the machine's own cloud: never through a proxy.
                http: SmallClient::new(
                    connect,
                    request,
                    &crate::transport::Network { proxy: crate::transport::ProxyChoice::Off, roots: Vec::new() },
                )?,
            }),
            cache: RefreshCache::with_clock("cvm_role", self.policy, request.saturating_mul(3), self.clock),
        })
    }
}

#[derive(Deserialize)]
struct RoleCredentials {
    #[serde(rename = "TmpSecretId", default)]
    id: String,
    #[serde(rename = "TmpSecretKey", default)]
    key: String,
    #[serde(rename = "Token", default)]
    token: String,
    #[serde(rename = "ExpiredTime", default)]
    expired_time: Option<i64>,
    #[serde(rename = "Code", default)]
    code: Option<String>,
}

impl CvmRoleProvider {
    /// A builder with the defaults.
    pub fn builder() -> CvmRoleProviderBuilder {
        CvmRoleProviderBuilder {
            base: DEFAULT_METADATA_URL.to_owned(),
            role: None,
            policy: RefreshPolicy::default(),
            connect_timeout: Duration::from_secs(1),
            timeout: Duration::from_secs(3),
            clock: Clock::default(),
        }
    }

    /// The current credentials, refreshed first when they are about to expire.
    ///
    /// # Errors
    /// [`Error::Credentials`]: not found off a CVM instance or without a bound role; otherwise
    /// the metadata service's failure (a redirect included).
    pub async fn credentials(&self) -> Result<Credentials> {
        let inner = Arc::clone(&self.inner);
        self.cache.get(move || async move { inner.fetch().await }).await
    }

    #[cfg(test)]
    pub(crate) fn cache(&self) -> &RefreshCache {
        &self.cache
    }
}

impl Inner {
    async fn get(&self, path: &str) -> Result<(u16, Vec<u8>)> {
        let url = self.base.join(path).map_err(|e| Error::config(format!("invalid metadata path: {e}")))?;
        let request = crate::transport::Http::get(&crate::transport::target(&url, "metadata URL")?);
        let answer = self.http.exchange(&url, request).await.map_err(|f| {
            // No connection, or no answer at all in time (a DNS lookup that hangs, say): this is
            // not a CVM instance, or not one that can be helped; let a chain move on.
            if f.unreachable {
                Error::credentials_not_found(format!(
                    "the CVM metadata service at {} is unreachable (not a CVM instance?)",
                    redact::url(self.base.as_str())
                ))
            } else {
                Error::credentials(format!("the CVM metadata service: {}", f.message), f.source)
            }
        })?;
        if let Some(r) = answer.redirect {
            return Err(Error::credentials(
                format!("the CVM metadata service answered {r}; credential requests never follow redirects"),
                None,
            ));
        }
        let (status, body) = (answer.status, answer.body);
        Ok((status, body))
    }

    async fn role(&self) -> Result<String> {
        if let Some(r) = &self.fixed_role {
            return Ok(r.clone());
        }
        if let Some(r) = self.discovered_role.lock().unwrap_or_else(|e| e.into_inner()).clone() {
            return Ok(r);
        }
        let (status, body) = self.get(ROLE_PATH).await?;
        let text = String::from_utf8_lossy(&body);
        let role = text.lines().map(str::trim).find(|l| !l.is_empty()).map(str::to_owned);
        match (status, role) {
            (200, Some(role)) => {
                *self.discovered_role.lock().unwrap_or_else(|e| e.into_inner()) = Some(role.clone());
                Ok(role)
            }
            (200 | 404, _) => Err(Error::credentials_not_found("no CAM role is bound to this CVM instance")),
            (s, _) => {
                Err(Error::credentials(format!("the CVM metadata service answered HTTP {s} for the role name"), None))
            }
        }
    }

    async fn fetch(&self) -> Result<Credentials> {
        let role = self.role().await?;
        if role.contains(['/', '?', '#']) {
            return Err(Error::credentials("the CVM role name contains characters not allowed in a URL path", None));
        }
        let (status, body) = self.get(&format!("{ROLE_PATH}{role}")).await?;
        if status != 200 {
            // The role may have been unbound or replaced: ask for its name again next time.
            *self.discovered_role.lock().unwrap_or_else(|e| e.into_inner()) = None;
            return Err(Error::credentials(
                format!("the CVM metadata service answered HTTP {status} for the credentials of role {role}"),
                None,
            ));
        }
        let r: RoleCredentials = serde_json::from_slice(&body).map_err(|e| {
            Error::credentials(
                "the CVM metadata service answered something that is not role credentials",
                Some(Box::new(e)),
            )
        })?;
        if let Some(code) = r.code.as_deref().filter(|c| *c != "Success") {
            return Err(Error::credentials(
                format!("the CVM metadata service answered code {code:?} for role {role}"),
                None,
            ));
        }
        if r.id.is_empty() || r.key.is_empty() || r.token.is_empty() {
            return Err(Error::credentials(
                format!("the credentials of role {role} lack an id, a key or a token"),
                None,
            ));
        }
        let expiry = r.expired_time.and_then(unix_time).ok_or_else(|| {
            Error::credentials(format!("the credentials of role {role} have no valid ExpiredTime"), None)
        })?;
        Ok(Credentials::new(r.id, r.key).with_token(r.token).with_expiry(expiry))
    }
}

impl ProvideCredentials for CvmRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.credentials())
    }
}
