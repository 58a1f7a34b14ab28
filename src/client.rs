//! [`BillingClient`]: a cheap, cloneable handle on the shared send path.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use crate::action::Action;
use crate::error::Result;
use crate::protocol::Site;
use crate::send::{CallOptions, Handle};

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
}
