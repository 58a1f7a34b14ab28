//! Credentials from environment variables.

use super::{Credentials, CredentialsFuture, Env, ProvideCredentials};
use crate::error::{Error, Result};

/// The environment variable holding the SecretId.
pub(crate) const SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// The environment variable holding the SecretKey.
pub(crate) const SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// The environment variable holding the session token of temporary credentials.
pub(crate) const SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";

/// Credentials from `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and, for temporary
/// credentials, `TENCENTCLOUD_SESSION_TOKEN`.
///
/// The variables are read on every call, so a process that changes them is followed. When
/// neither the id nor the key is set the error says "not found" (a chain moves on); when only one
/// of them is, it names the missing one.
///
/// ```no_run
/// use tencentcloud_billing::BillingClient;
/// use tencentcloud_billing::credentials::EnvironmentProvider;
/// # fn run() -> Result<(), tencentcloud_billing::Error> {
/// let client = BillingClient::builder().credentials_provider(EnvironmentProvider::new()).build()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// A provider reading the process environment.
    pub fn new() -> Self {
        EnvironmentProvider::default()
    }

    #[cfg(test)]
    pub(crate) fn with_env(env: Env) -> Self {
        EnvironmentProvider { env }
    }

    /// Read the credentials now.
    ///
    /// # Errors
    /// [`Error::Credentials`]: not found when neither variable is set, naming the missing one
    /// when only one is.
    pub fn credentials(&self) -> Result<Credentials> {
        read(&self.env)
    }
}

pub(crate) fn read(env: &Env) -> Result<Credentials> {
    match (env.get(SECRET_ID), env.get(SECRET_KEY)) {
        (Some(id), Some(key)) => {
            let c = Credentials::new(id, key);
            Ok(match env.get(SESSION_TOKEN) {
                Some(t) => c.with_token(t),
                None => c,
            })
        }
        (None, None) => {
            Err(Error::credentials_not_found(format!("environment variables {SECRET_ID} and {SECRET_KEY} are not set")))
        }
        (None, Some(_)) => Err(Error::credentials(format!("environment variable {SECRET_ID} is not set"), None)),
        (Some(_), None) => Err(Error::credentials(format!("environment variable {SECRET_KEY} is not set"), None)),
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let r = self.credentials();
        Box::pin(async move { r })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_id_key_and_token() {
        let env = Env::fake(&[(SECRET_ID, "AKIDenv"), (SECRET_KEY, "env-key"), (SESSION_TOKEN, "env-token")]);
        let c = EnvironmentProvider::with_env(env).credentials().unwrap();
        assert_eq!((c.secret_id(), c.secret_key(), c.token()), ("AKIDenv", "env-key", Some("env-token")));
        let c = read(&Env::fake(&[(SECRET_ID, "AKIDenv"), (SECRET_KEY, "env-key"), (SESSION_TOKEN, " ")])).unwrap();
        assert_eq!(c.token(), None, "a blank token is no token");
    }

    #[test]
    fn missing_variables_are_named() {
        let e = read(&Env::fake(&[])).unwrap_err();
        assert!(e.is_credentials_not_found(), "{e}");
        let e = read(&Env::fake(&[(SECRET_ID, "AKID")])).unwrap_err();
        assert!(!e.is_credentials_not_found());
        assert!(e.to_string().contains("TENCENTCLOUD_SECRET_KEY is not set"), "{e}");
        let e = read(&Env::fake(&[(SECRET_KEY, "k"), (SECRET_ID, "  ")])).unwrap_err();
        assert!(e.to_string().contains("TENCENTCLOUD_SECRET_ID is not set"), "{e}");
    }
}
