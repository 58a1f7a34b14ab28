//! [`BillingClient`]: a cheap, cloneable handle on the shared send path.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use crate::action::Action;
use crate::credentials::{Credentials, ProvideCredentials};
use crate::error::Result;
use crate::protocol::Site;
use crate::send::{CallOptions, CredentialSource, Handle};

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
/// See [`crate::BillingClientBuilder`]: site, region, language, timeouts, quotas and retries.
///
/// # Pooling and cloning
/// The client holds its connection pool, its quota limiters and its signing-key cache behind an
/// `Arc`. Clone it freely and share it between tasks: every clone sends through the same pool and
/// counts against the same per-action quotas. There is no need to wrap it in an `Arc`.
#[derive(Clone)]
pub struct BillingClient {
    pub(crate) inner: Arc<Handle>,
}

impl fmt::Debug for BillingClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BillingClient")
            .field("endpoint", &crate::redact::url(self.inner.settings.url.as_str()))
            .field("site", &self.inner.settings.site)
            .field("credentials", &self.inner.settings.credentials)
            .finish_non_exhaustive()
    }
}

impl BillingClient {
    /// The site this client talks to.
    pub fn site(&self) -> Site {
        self.inner.settings.site
    }

    /// The endpoint URL requests go to.
    pub fn endpoint(&self) -> &str {
        self.inner.settings.url.as_str()
    }

    /// The clock correction in seconds learnt from the server (0 until a `SignatureExpire`).
    pub fn clock_offset(&self) -> i64 {
        self.inner.clock.offset()
    }

    /// The quota enforced for `action`, or `None` when rate limiting is disabled or the name is unknown.
    pub fn quota(&self, action: &str) -> Option<crate::quota::Quota> {
        self.inner.settings.quotas.limiter(action).map(|l| l.quota())
    }

    /// A client for another account that sends through this client's connection pool.
    ///
    /// It shares this client's pool, settings (site, endpoint, timeouts, proxy, retries), hooks,
    /// retry budget and clock correction. Its credentials are its own, and so are its quotas,
    /// because Tencent counts each account's requests on their own. With a Redis fleet quota
    /// ([`crate::BillingClientBuilder::redis_rate_limit`]), its fleet keys are those of
    /// `credentials`' SecretId, as if it had been built with them.
    ///
    /// A service that bills for many accounts keeps one client and derives one per account,
    /// instead of building a client (and a pool of connections) for each.
    ///
    /// ```no_run
    /// use tencentcloud_billing::{BillingClient, Credentials};
    /// # async fn run(accounts: Vec<Credentials>) -> Result<(), tencentcloud_billing::Error> {
    /// let base = BillingClient::builder().build()?;
    /// for credentials in accounts {
    ///     let client = base.with_credentials(credentials);
    ///     let balance = client.describe_account_balance().send().await?;
    ///     println!("{:?}", balance.balance.map(|c| c.to_yuan()));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn with_credentials(&self, credentials: Credentials) -> BillingClient {
        let quotas = self.inner.settings.quotas.for_account(credentials.secret_id());
        BillingClient { inner: Arc::new(self.inner.for_account(CredentialSource::Static(credentials), quotas)) }
    }

    /// As [`BillingClient::with_credentials`], for an account whose credentials come from a
    /// provider (an STS role in the account, for example), asked before every attempt.
    ///
    /// `account` names the account to a Redis fleet quota, as
    /// [`crate::BillingClientBuilder::redis_rate_limit_account`] does: a provider's temporary
    /// SecretIds change, so they cannot name it. Every process that calls this account must
    /// pass the same name. Without Redis it is not used.
    pub fn with_credentials_provider(&self, provider: impl ProvideCredentials, account: &str) -> BillingClient {
        let quotas = self.inner.settings.quotas.for_account(account);
        BillingClient {
            inner: Arc::new(self.inner.for_account(CredentialSource::Provider(Arc::new(provider)), quotas)),
        }
    }

    /// Send one action through the shared send path. The request is checked and serialized
    /// now; the future owns this client handle (moved, not cloned: a clone would write the
    /// reference count every concurrent call shares), the options and the body.
    pub(crate) fn execute<R: Action>(
        self,
        request: R,
        opts: CallOptions,
    ) -> impl Future<Output = Result<R::Response>> + Send + use<R> {
        let prepared = self.inner.prepare(request, &opts);
        async move { self.inner.run::<R>(prepared?, &opts).await }
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
    fn a_derived_client_shares_budget_clock_and_settings_but_not_credentials_or_quotas() {
        let base = BillingClient::builder()
            .credentials(Credentials::new("AKIDbase", "base-key"))
            .rate_limit("DescribeBillDetail", 3)
            .region("ap-guangzhou")
            .build()
            .unwrap();
        let other = base.with_credentials(Credentials::new("AKIDother", "other-key"));
        assert!(base.inner.shares_budget_and_clock(&other.inner));
        assert_eq!(other.quota("DescribeBillDetail").unwrap().limit(), 3);
        assert_eq!((other.site(), other.endpoint()), (base.site(), base.endpoint()));
        let (a, b) = (
            base.inner.settings.quotas.limiter("DescribeBillDetail").unwrap(),
            other.inner.settings.quotas.limiter("DescribeBillDetail").unwrap(),
        );
        assert!(!Arc::ptr_eq(a, b), "each account has its own limiter");
        let debug = format!("{other:?}");
        assert!(debug.contains("AKIDother") && !debug.contains("other-key") && !debug.contains("AKIDbase"), "{debug}");
        let independent = BillingClient::builder().credentials(Credentials::new("AKIDx", "k")).build().unwrap();
        assert!(!base.inner.shares_budget_and_clock(&independent.inner));
    }
}
