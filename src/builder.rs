//! [`RequestBuilder`]: what each `client.<action>()` returns, and what `.send()` hands to the send path.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use crate::action::Action;
use crate::client::BillingClient;
use crate::error::Result;
use crate::retry::RetryConfig;
use crate::send::CallOptions;

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

    /// Send a header of your own with this call, after the client's
    /// ([`crate::BillingClientBuilder::header`]). Headers the protocol or the signature owns
    /// (`Authorization`, `Content-Type`, `Host`, every `X-TC-*`) and invalid ones make the call
    /// fail with [`crate::Error::InvalidRequest`] before anything is sent.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.headers.push((name.into(), value.into()));
        self
    }

    /// Send even if the action is documented only for the other site (for when Tencent adds it).
    pub fn allow_any_site(mut self) -> Self {
        self.options.any_site = true;
        self
    }

    /// Send the request and decode the answer.
    ///
    /// The request is checked and serialized when `send` is called; nothing is sent until the
    /// returned future is awaited. The future owns what it needs (it is `'static`), so it can be
    /// spawned.
    ///
    /// # Errors
    /// A [`crate::Error`] for a service error, a transport failure, a timeout, an undecodable answer, or
    /// a request refused before sending (a missing required field, the wrong site).
    pub fn send(self) -> impl Future<Output = Result<R::Response>> + Send + 'static {
        self.client.execute(self.request, self.options)
    }
}

impl<R: fmt::Debug> fmt::Debug for RequestBuilder<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder").field("request", &self.request).field("options", &self.options).finish()
    }
}

impl BillingClient {
    /// A request builder for any action, for generic code. Most callers use the named methods
    /// such as [`BillingClient::describe_account_balance`].
    pub fn request<R: Action + Default>(&self) -> RequestBuilder<R> {
        RequestBuilder::new(self.clone())
    }
}
