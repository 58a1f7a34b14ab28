//! Trying several credential sources in order.

use std::sync::OnceLock;

use super::{
    CredentialsFuture, CvmRoleProvider, EnvironmentProvider, ProfileProvider, ProvideCredentials, WebIdentityProvider,
};
use crate::error::{Error, Result};

/// Several providers tried in order; the first one that is configured is used from then on.
///
/// A provider whose error [is "not found"](crate::CredentialsError::is_not_found) is skipped. A
/// provider that is configured but fails stops the search with its error: silently falling back
/// to another identity would hide the mistake and may act with the wrong permissions. Once one
/// provider has answered, the chain sticks to it (its own refreshing still applies). When none is
/// configured, the error lists what each one looked for.
///
/// ```no_run
/// use tencentcloud_billing::BillingClient;
/// use tencentcloud_billing::credentials::{CredentialsChain, EnvironmentProvider, ProfileProvider};
/// # fn run() -> Result<(), tencentcloud_billing::Error> {
/// let chain = CredentialsChain::new()
///     .then("env", EnvironmentProvider::new())
///     .then("profile", ProfileProvider::builder().profile("billing").build());
/// let client = BillingClient::builder().credentials_provider(chain).build()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Default)]
pub struct CredentialsChain {
    providers: Vec<(&'static str, Box<dyn ProvideCredentials>)>,
    chosen: OnceLock<usize>,
    resolving: tokio::sync::Mutex<()>,
}

/// Stands in for a provider that could not be built, so the chain reports why when reached.
#[derive(Debug)]
struct Unavailable(String);

impl ProvideCredentials for Unavailable {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let msg = self.0.clone();
        Box::pin(async move { Err(Error::credentials(msg, None)) })
    }
}

/// A source switched off on purpose: "not found", so the chain moves on.
#[derive(Debug)]
struct Disabled(&'static str);

impl ProvideCredentials for Disabled {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let msg = self.0;
        Box::pin(async move { Err(Error::credentials_not_found(msg)) })
    }
}

/// Set to `true` (or `1`) to leave the CVM instance role out of the default chain: off Tencent
/// Cloud, in tests, and wherever a lookup of the metadata host must not happen.
pub const CVM_ROLE_DISABLED_VAR: &str = "TENCENTCLOUD_CVM_ROLE_DISABLED";

impl CredentialsChain {
    /// An empty chain; add providers with [`CredentialsChain::then`].
    pub fn new() -> Self {
        CredentialsChain::default()
    }

    /// The chain the client uses when given no credentials: environment variables, then the
    /// profile file, then the CVM instance role (unless [`CVM_ROLE_DISABLED_VAR`] is `true`),
    /// then TKE OIDC web identity.
    pub fn default_chain() -> Self {
        let disabled = std::env::var(CVM_ROLE_DISABLED_VAR)
            .is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes"));
        let cvm = CvmRoleProvider::builder().build();
        let oidc = WebIdentityProvider::builder().build();
        let chain =
            CredentialsChain::new().then("env", EnvironmentProvider::new()).then("profile", ProfileProvider::new());
        let chain = match cvm {
            _ if disabled => chain.then("cvm_role", Disabled("disabled by TENCENTCLOUD_CVM_ROLE_DISABLED")),
            Ok(p) => chain.then("cvm_role", p),
            Err(e) => chain.then("cvm_role", Unavailable(e.to_string())),
        };
        match oidc {
            Ok(p) => chain.then("tke_oidc", p),
            Err(e) => chain.then("tke_oidc", Unavailable(e.to_string())),
        }
    }

    /// Add a provider, tried after those already in the chain; `name` appears in logs and errors.
    pub fn then(mut self, name: &'static str, provider: impl ProvideCredentials) -> Self {
        self.providers.push((name, Box::new(provider)));
        self
    }

    /// The name of the provider the chain settled on, once one has answered.
    pub fn chosen(&self) -> Option<&'static str> {
        self.chosen.get().map(|&i| self.providers[i].0)
    }

    async fn resolve(&self) -> Result<super::Credentials> {
        if let Some(&i) = self.chosen.get() {
            return self.providers[i].1.provide_credentials().await;
        }
        let _guard = self.resolving.lock().await;
        if let Some(&i) = self.chosen.get() {
            return self.providers[i].1.provide_credentials().await;
        }
        let mut tried = Vec::with_capacity(self.providers.len());
        for (i, (name, provider)) in self.providers.iter().enumerate() {
            match provider.provide_credentials().await {
                Ok(c) => {
                    let _ = self.chosen.set(i);
                    tracing::debug!(source = *name, "credentials chain settled on a source");
                    return Ok(c);
                }
                Err(Error::Credentials(e)) if e.is_not_found() => tried.push(format!("{name}: {}", e.message)),
                Err(e) => return Err(e),
            }
        }
        Err(Error::credentials_not_found(if tried.is_empty() {
            "the credentials chain is empty".to_owned()
        } else {
            format!("no credentials found ({})", tried.join("; "))
        }))
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.resolve())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Credentials, Env};
    use super::*;
    use std::time::Duration;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn offline_chain(env: &Env, cvm_base: &str) -> CredentialsChain {
        let nowhere = std::env::temp_dir().join("tcb-chain-no-such-file");
        CredentialsChain::new()
            .then("env", EnvironmentProvider::with_env(env.clone()))
            .then("profile", ProfileProvider::with_env(env.clone(), nowhere))
            .then("cvm_role", CvmRoleProvider::builder().base_url(cvm_base).build().unwrap())
            .then("tke_oidc", WebIdentityProvider::builder().env(env.clone()).build().unwrap())
    }

    #[tokio::test]
    async fn nothing_configured_lists_every_source() {
        let server = MockServer::start().await;
        Mock::given(method("GET")).respond_with(ResponseTemplate::new(404)).mount(&server).await;
        let env = Env::fake(&[("HOME", "/nonexistent-home")]);
        let chain = offline_chain(&env, &format!("{}/latest/meta-data/", server.uri()));
        let e = chain.provide_credentials().await.unwrap_err();
        assert!(e.is_credentials_not_found());
        let msg = e.to_string();
        for part in ["env:", "profile:", "cvm_role: no CAM role", "tke_oidc:", "TENCENTCLOUD_SECRET_ID"] {
            assert!(msg.contains(part), "{part} missing from {msg}");
        }
        assert_eq!(chain.chosen(), None);
    }

    #[tokio::test]
    async fn an_unreachable_metadata_service_is_not_found() {
        // A port nobody listens on: connection refused, as off a CVM instance.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let cvm = CvmRoleProvider::builder()
            .base_url(format!("http://127.0.0.1:{port}/latest/meta-data/"))
            .timeouts(Duration::from_millis(300), Duration::from_secs(1))
            .build()
            .unwrap();
        let e = cvm.credentials().await.unwrap_err();
        assert!(e.is_credentials_not_found(), "{e}");
    }

    #[tokio::test]
    async fn the_first_configured_source_wins_and_sticks() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/latest/meta-data/cam/security-credentials/"))
            .respond_with(ResponseTemplate::new(200).set_body_string("billing-role"))
            .mount(&server)
            .await;
        let expires = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 3600;
        Mock::given(method("GET"))
            .and(path("/latest/meta-data/cam/security-credentials/billing-role"))
            .respond_with(ResponseTemplate::new(200).set_body_string(format!(
                r#"{{"TmpSecretId":"AKIDcvm","TmpSecretKey":"k","Token":"t","ExpiredTime":{expires},"Code":"Success"}}"#
            )))
            .expect(1)
            .mount(&server)
            .await;
        let env = Env::fake(&[("HOME", "/nonexistent-home")]);
        let chain = offline_chain(&env, &format!("{}/latest/meta-data", server.uri()));
        assert_eq!(chain.provide_credentials().await.unwrap().secret_id(), "AKIDcvm");
        assert_eq!(chain.chosen(), Some("cvm_role"));
        assert_eq!(chain.provide_credentials().await.unwrap().secret_id(), "AKIDcvm");

        // Environment variables come first.
        let env = Env::fake(&[("TENCENTCLOUD_SECRET_ID", "AKIDenv"), ("TENCENTCLOUD_SECRET_KEY", "k")]);
        let chain = offline_chain(&env, &format!("{}/latest/meta-data", server.uri()));
        assert_eq!(chain.provide_credentials().await.unwrap().secret_id(), "AKIDenv");
        assert_eq!(chain.chosen(), Some("env"));
    }

    /// A FIFO at the default profile path stops the chain: the metadata service behind it (here
    /// one that would answer) is never asked, so no other identity stands in.
    #[cfg(unix)]
    #[tokio::test]
    async fn a_fifo_at_the_default_profile_path_stops_the_chain() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_string("role"))
            .expect(0)
            .mount(&server)
            .await;
        let home = std::env::temp_dir().join(format!("tcb-chain-fifo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        std::fs::create_dir_all(home.join(".tencentcloud")).unwrap();
        let fifo = home.join(".tencentcloud/credentials");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let env = Env::fake(&[("HOME", home.to_str().unwrap())]);
        let chain = offline_chain(&env, &format!("{}/latest/meta-data/", server.uri()));
        let e = tokio::time::timeout(Duration::from_secs(10), chain.provide_credentials())
            .await
            .expect("no hang")
            .unwrap_err();
        let _ = std::fs::remove_dir_all(&home);
        assert!(!e.is_credentials_not_found(), "{e}");
        assert!(e.to_string().contains("not a regular file"), "{e}");
        assert_eq!(chain.chosen(), None);
    }

    #[tokio::test]
    async fn a_configured_but_broken_source_stops_the_chain() {
        let env = Env::fake(&[("TENCENTCLOUD_SECRET_ID", "AKIDhalf")]);
        let chain = CredentialsChain::new()
            .then("env", EnvironmentProvider::with_env(env))
            .then("static", Credentials::new("AKIDfallback", "k"));
        let e = chain.provide_credentials().await.unwrap_err();
        assert!(e.to_string().contains("TENCENTCLOUD_SECRET_KEY is not set"), "{e}");
        assert_eq!(chain.chosen(), None);
        assert!(CredentialsChain::new().provide_credentials().await.unwrap_err().to_string().contains("empty"));
    }
}
