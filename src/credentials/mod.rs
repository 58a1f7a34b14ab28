//! Credentials, and where they come from.
//!
//! [`Credentials`] is a SecretId, a SecretKey and, for temporary credentials, a token and an
//! expiry. The key and the token never appear in `Debug` output, and the type has no `Display`
//! and no `Serialize`, so they cannot leak through logs or error messages by accident.
//!
//! The client asks a [`ProvideCredentials`] for credentials before every attempt. The providers:
//!
//! | provider | reads | refreshes |
//! |---|---|---|
//! | [`Credentials`] itself | the values given | never |
//! | [`EnvironmentProvider`] | `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, `TENCENTCLOUD_SESSION_TOKEN` | never |
//! | [`ProfileProvider`] | `TENCENTCLOUD_CREDENTIALS_FILE`, else `~/.tencentcloud/credentials`, else `/etc/tencentcloud/credentials`; the profile `TENCENTCLOUD_PROFILE` or `default` | never |
//! | [`CvmRoleProvider`] | the CVM metadata service (the role bound to the instance) | before expiry |
//! | [`AssumeRoleProvider`] | STS `AssumeRole`, signed with other credentials | before expiry |
//! | [`WebIdentityProvider`] | STS `AssumeRoleWithWebIdentity` with the TKE OIDC token (`TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_ROLE_ARN`) | before expiry |
//! | [`CredentialsChain`] | the first of several that is configured; [`CredentialsChain::default_chain`] is env → profile → CVM role → TKE OIDC | as the chosen one |
//!
//! [`crate::BillingClient::builder`] uses the default chain when no credentials are given.
//!
//! Temporary credentials are refreshed before they expire ([`RefreshPolicy`], 5 minutes early by
//! default). The refresh runs in the background, one at a time: calls whose credentials still
//! work get them at once, and only calls with expired (or no) credentials wait for it. A refresh
//! is bounded by the provider's request timeout, and a caller giving up does not cancel it. A
//! failed refresh is not repeated at once: the provider backs off, serving the old credentials
//! while they still work.
//!
//! Credential endpoints are never followed through a redirect (a 3xx answer is an error naming
//! only the target's host), STS is refused over plain `http://` outside loopback unless allowed
//! explicitly, and the profile and token files are read only when they are regular files of at
//! most 1 MiB.
//!
//! ```no_run
//! use tencentcloud_billing::BillingClient;
//! use tencentcloud_billing::credentials::{AssumeRoleProvider, EnvironmentProvider};
//!
//! # fn run() -> Result<(), tencentcloud_billing::Error> {
//! // Long-lived keys from the environment, exchanged for a role's temporary credentials.
//! let role = AssumeRoleProvider::builder(EnvironmentProvider::new(), "qcs::cam::uin/100000000001:roleName/billing-reader")
//!     .session_name("nightly-report")
//!     .build()?;
//! let client = BillingClient::builder().credentials_provider(role).build()?;
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};

mod cache;
mod chain;
mod cvm;
mod env;
mod files;
#[cfg(test)]
mod hostile_tests;
mod profile;
mod sts;

pub use cache::RefreshPolicy;
pub use chain::{CVM_ROLE_DISABLED_VAR, CredentialsChain};
pub use cvm::{CvmRoleProvider, CvmRoleProviderBuilder, DEFAULT_METADATA_URL};
pub use env::EnvironmentProvider;
#[cfg(feature = "internals")]
pub(crate) use profile::parse_ini;
pub use profile::{ProfileProvider, ProfileProviderBuilder};
pub use sts::{
    AssumeRoleProvider, AssumeRoleProviderBuilder, DEFAULT_STS_ENDPOINT, DEFAULT_STS_REGION, STS_VERSION,
    WebIdentityProvider, WebIdentityProviderBuilder,
};

/// Where credentials come from for each attempt.
///
/// Long-lived [`Credentials`] implement it directly. Providers of temporary credentials return
/// fresh ones before the old ones expire. Implement it to plug in a secret store of your own;
/// return [`Error::Credentials`] when none can be had.
///
/// ```
/// use tencentcloud_billing::{Credentials, CredentialsFuture, ProvideCredentials};
///
/// #[derive(Debug)]
/// struct FromVault;
///
/// impl ProvideCredentials for FromVault {
///     fn provide_credentials(&self) -> CredentialsFuture<'_> {
///         Box::pin(async { Ok(Credentials::new("AKID...", "fetched from the vault")) })
///     }
/// }
/// ```
pub trait ProvideCredentials: Send + Sync + fmt::Debug + 'static {
    /// Credentials valid for the next request.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

/// The future a [`ProvideCredentials`] returns.
pub type CredentialsFuture<'a> = Pin<Box<dyn Future<Output = Result<Credentials>> + Send + 'a>>;

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let c = self.clone();
        Box::pin(async move { Ok(c) })
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

/// The environment as the providers see it: the process's, or a fixed map in tests.
#[derive(Debug, Clone, Default)]
pub(crate) struct Env {
    fake: Option<Arc<HashMap<String, String>>>,
}

impl Env {
    #[cfg(test)]
    pub(crate) fn fake(pairs: &[(&str, &str)]) -> Self {
        Env { fake: Some(Arc::new(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())) }
    }

    /// A variable's value, when it is set and not blank.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        let v = match &self.fake {
            Some(m) => m.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        v.filter(|v| !v.trim().is_empty())
    }

    /// The user's home directory.
    pub(crate) fn home(&self) -> Option<PathBuf> {
        self.get("HOME").or_else(|| self.get("USERPROFILE")).map(PathBuf::from)
    }
}

/// The longest timeout a credential endpoint request is given; longer settings are capped to it.
pub(crate) const MAX_TIMEOUT: Duration = Duration::from_secs(600);

/// Check a provider's timeouts: zero is refused (every request would fail), and anything above
/// [`MAX_TIMEOUT`] is capped, so that no deadline computed from them can overflow.
pub(crate) fn check_timeouts(connect: Duration, request: Duration) -> Result<(Duration, Duration)> {
    if connect.is_zero() || request.is_zero() {
        return Err(Error::config("the timeouts of a credentials provider must be more than zero"));
    }
    Ok((connect.min(MAX_TIMEOUT), request.min(MAX_TIMEOUT)))
}

/// Unix seconds as a `SystemTime` (`None` for values before the epoch).
pub(crate) fn unix_time(secs: i64) -> Option<SystemTime> {
    u64::try_from(secs).ok().and_then(|s| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(s)))
}

/// API credentials. Cheap to clone: the strings live behind an `Arc`.
///
/// ```
/// use tencentcloud_billing::Credentials;
/// let creds = Credentials::new("AKIDEXAMPLE", "secret").with_token("sts-token");
/// assert_eq!(creds.secret_id(), "AKIDEXAMPLE");
/// assert!(!format!("{creds:?}").contains("secret\""));
/// ```
#[derive(Clone)]
pub struct Credentials {
    inner: Arc<Inner>,
}

struct Inner {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
    expires_at: Option<SystemTime>,
}

impl Credentials {
    /// Long-lived credentials from a SecretId and a SecretKey.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Credentials {
            inner: Arc::new(Inner {
                secret_id: secret_id.into(),
                secret_key: secret_key.into(),
                token: None,
                expires_at: None,
            }),
        }
    }

    /// The same credentials with an STS session token (sent as `X-TC-Token`).
    pub fn with_token(self, token: impl Into<String>) -> Self {
        self.rebuild(|i| i.token = Some(token.into()))
    }

    /// The same credentials with an expiry time, for temporary credentials.
    pub fn with_expiry(self, expires_at: SystemTime) -> Self {
        self.rebuild(|i| i.expires_at = Some(expires_at))
    }

    fn rebuild(self, f: impl FnOnce(&mut Inner)) -> Self {
        let mut inner = Inner {
            secret_id: self.inner.secret_id.clone(),
            secret_key: self.inner.secret_key.clone(),
            token: self.inner.token.clone(),
            expires_at: self.inner.expires_at,
        };
        f(&mut inner);
        Credentials { inner: Arc::new(inner) }
    }

    /// The SecretId (not secret: it appears in every Authorization header).
    pub fn secret_id(&self) -> &str {
        &self.inner.secret_id
    }

    /// The session token, for temporary credentials.
    pub fn token(&self) -> Option<&str> {
        self.inner.token.as_deref()
    }

    /// When temporary credentials stop working; `None` for long-lived ones.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.inner.expires_at
    }

    /// Whether `other` signs the same way: the same SecretKey, so the same derived keys.
    pub(crate) fn same_secret(&self, other: &Credentials) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner) || self.inner.secret_key == other.inner.secret_key
    }

    pub(crate) fn secret_key(&self) -> &str {
        &self.inner.secret_key
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.inner.secret_id)
            .field("secret_key", &"** redacted **")
            .field("token", &self.inner.token.as_ref().map(|_| "** redacted **"))
            .field("expires_at", &self.inner.expires_at)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_key_and_token() {
        let c = Credentials::new("AKIDvisible", "very-secret-key").with_token("very-secret-token");
        let dbg = format!("{c:?} {c:#?}");
        assert!(dbg.contains("AKIDvisible"));
        assert!(!dbg.contains("very-secret-key"));
        assert!(!dbg.contains("very-secret-token"));
    }
}
