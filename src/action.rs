//! What every action has in common: the [`Action`] trait that drives the one generic send path,
//! and the [`RequestBuilder`] each `client.<action>()` returns.

use std::fmt;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::BillingClient;
use crate::error::Result;
use crate::protocol::WireError;
use crate::retry::RetryConfig;

/// Which Tencent Cloud site an action exists on, and which one a client talks to.
///
/// ```
/// use tencentcloud_billing::Site;
/// assert_eq!(Site::International.host(), "billing.intl.tencentcloudapi.com");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Site {
    /// The China site, `billing.tencentcloudapi.com` (the default).
    #[default]
    China,
    /// The international site, `billing.intl.tencentcloudapi.com`.
    International,
}

impl Site {
    /// The endpoint host of the site.
    pub fn host(&self) -> &'static str {
        match self {
            Site::China => crate::protocol::CHINA_HOST,
            Site::International => crate::protocol::INTERNATIONAL_HOST,
        }
    }

    /// A short name: `cn` or `intl`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Site::China => "cn",
            Site::International => "intl",
        }
    }
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Site::China => "China site",
            Site::International => "international site",
        })
    }
}

/// What an action does, which decides how it may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ActionKind {
    /// Reads only: safe to repeat.
    Read,
    /// Creates, changes or deletes configuration (budgets, allocation rules, tags).
    Write,
    /// Moves money or changes paid resources (PayDeals, CreateInstance, RenewInstance,
    /// RefundInstance, SetRenewal). Never re-sent once it may have reached the server.
    Money,
}

impl ActionKind {
    /// Whether repeating the call is harmless.
    pub fn is_idempotent(&self) -> bool {
        matches!(self, ActionKind::Read)
    }
}

/// A billing API action: its request type carries the name, quota and sites, and names its response.
///
/// Implemented by every generated `*Request` type; the trait is sealed.
pub trait Action: Serialize + Clone + fmt::Debug + Send + Sync + 'static + private::Sealed {
    /// The action name, sent as `X-TC-Action`.
    const NAME: &'static str;
    /// Read, write or money-moving.
    const KIND: ActionKind;
    /// The sites the action exists on.
    const SITES: &'static [Site];
    /// The documented quota in requests per second.
    const QUOTA: u32;
    /// The typed response.
    type Response: ApiResponse;

    /// The first required field that is not set, if any.
    fn missing_required(&self) -> Option<&'static str> {
        None
    }

    /// Fill in an idempotency token where the action takes one and none was given.
    fn prepare(&mut self) {}
}

/// A typed response: every one carries the RequestId.
pub trait ApiResponse: DeserializeOwned + fmt::Debug + Send + 'static + private::Sealed {
    /// The RequestId Tencent assigned to the call.
    fn request_id(&self) -> &str;
    #[doc(hidden)]
    fn take_error(&mut self) -> Option<WireError>;
}

pub(crate) mod private {
    pub trait Sealed {}
}

/// Per-call settings that override the client's.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallOptions {
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry: Option<RetryConfig>,
    pub(crate) any_site: bool,
}

/// A request being built for one action: `client.describe_bill_detail().month(..).send().await`.
///
/// Field setters are generated per action and named after the fields; the `with_*` methods set
/// per-call options, so the two never collide.
///
/// ```no_run
/// use std::time::Duration;
/// # async fn run(client: tencentcloud_billing::BillingClient) -> Result<(), tencentcloud_billing::Error> {
/// let balance = client
///     .describe_account_balance()
///     .temp_credit(true)
///     .with_deadline(Duration::from_secs(20))
///     .send()
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct RequestBuilder<R> {
    pub(crate) client: BillingClient,
    pub(crate) request: R,
    pub(crate) options: CallOptions,
}

impl<R: Action + Default> RequestBuilder<R> {
    pub(crate) fn new(client: BillingClient) -> Self {
        // Fill the idempotency token now, so the caller can read it (`request().client_token`)
        // and reuse the same request, token included, if it must retry by hand after a timeout.
        let mut request = R::default();
        request.prepare();
        RequestBuilder { client, request, options: CallOptions::default() }
    }
}

impl<R: Action> RequestBuilder<R> {
    /// Replace the whole request.
    pub fn with_request(mut self, request: R) -> Self {
        self.request = request;
        self
    }

    /// The request as built so far.
    pub fn request(&self) -> &R {
        &self.request
    }

    /// Override the client's per-attempt timeout for this call.
    pub fn with_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.options.attempt_timeout = Some(timeout);
        self
    }

    /// Give the whole call, retries and waits included, a deadline.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.options.deadline = Some(deadline);
        self
    }

    /// Override the client's retry settings for this call.
    pub fn with_retry(mut self, retry: RetryConfig) -> Self {
        self.options.retry = Some(retry);
        self
    }

    /// Send even if the action is documented only for the other site (for when Tencent adds it).
    pub fn allow_any_site(mut self) -> Self {
        self.options.any_site = true;
        self
    }

    /// Send the request and decode the answer.
    ///
    /// # Errors
    /// A [`crate::Error`] for a service error, a transport failure, a timeout, an undecodable answer, or
    /// a request refused before sending (a missing required field, the wrong site).
    pub async fn send(self) -> Result<R::Response> {
        self.client.execute(self.request, &self.options).await
    }
}

impl<R: fmt::Debug> fmt::Debug for RequestBuilder<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder").field("request", &self.request).field("options", &self.options).finish()
    }
}

/// Static facts about one action, for generic code (quota tables, documentation, tooling).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActionInfo {
    /// The action name, e.g. `DescribeBillDetail`.
    pub name: &'static str,
    /// The client method, e.g. `describe_bill_detail`.
    pub method: &'static str,
    /// Read, write or money-moving.
    pub kind: ActionKind,
    /// The sites it exists on.
    pub sites: &'static [Site],
    /// The documented quota in requests per second.
    pub quota: u32,
}
