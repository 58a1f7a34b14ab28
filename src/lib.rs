//! A typed, async client for the Tencent Cloud Billing API (service `billing`, version
//! 2018-07-09), on the China site and the international site.
//!
//! - **Exact signing**: TC3-HMAC-SHA256 as pure functions in [`tc3`], checked against Tencent's
//!   published example.
//! - **Quotas enforced before sending**: each action is paced at its documented rate (20/s for
//!   most, 5/s for the heavy bill queries, 50/s for the allocation overviews), shared by every
//!   clone of the client ([`Quota`], [`BillingClient::quota`]). With the `redis` feature, a whole fleet of processes
//!   shares each quota through Redis
//!   ([`BillingClientBuilder::redis_rate_limit`](crate::BillingClientBuilder)).
//! - **Exact money**: [`money::Yuan`], [`money::Cents`] and [`money::YuanE8`], never `f64`.
//! - **Typed errors** with the documented [`ErrorCode`] and the RequestId.
//! - **Safe retries**: reads are retried on throttling and transient failures; actions that move
//!   money are never re-sent once they may have reached the server, and redirects are never
//!   followed. See [`RetryConfig`].
//! - **Credentials from anywhere**: explicit keys, environment variables, the shared profile file,
//!   the CVM instance role, STS AssumeRole and TKE OIDC, refreshed before they expire. With none
//!   given, the client tries them in that order. See [`credentials`].
//! - **Bounded**: connect timeout (5 s), per-attempt timeout (30 s), an optional deadline per
//!   call, and a cap on the answer's size (32 MiB). See [`BillingClientBuilder`].
//! - **Extensible**: a [`hook::Hook`] sees every attempt and may add headers; extra headers per
//!   client and per call; with the `metrics` feature, every attempt is counted and timed through
//!   the `metrics` facade.
//! - **Observable, never leaky**: `tracing` spans per call and per attempt (action, attempts,
//!   quota wait, latency, RequestId, outcome); keys, tokens and signatures never reach a log.
//! - **Bill files**: [`wait::Waiter`] polls until a file or a summary is ready; with the `files`
//!   feature, `BillingClient::download_bill` streams a month's bill file to disk (bounded memory,
//!   size cap, stall timeout, nothing left under the final name on failure, no credentials sent to
//!   the file host).
//! - **Offline use**: with the `sandbox` feature, [`sandbox::Sandbox`] is a local fake endpoint
//!   that checks signatures and quotas like the real one.
//!
//! # Quick start
//! ```no_run
//! use tencentcloud_billing::{BillingClient, Credentials};
//!
//! # async fn run() -> Result<(), tencentcloud_billing::Error> {
//! let client = BillingClient::builder()
//!     .credentials(Credentials::new("AKID...", "secret"))
//!     .build()?;
//! let balance = client.describe_account_balance().send().await?;
//! if let Some(cents) = balance.real_balance {
//!     println!("available: {} yuan", cents.to_yuan());
//! }
//! # Ok(()) }
//! ```
//!
//! Or configure from `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY` with
//! [`BillingClient::from_env`].

#![deny(missing_docs)]
#![warn(missing_debug_implementations, rust_2018_idioms, unreachable_pub)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
compile_error!("enable a TLS feature of tencentcloud-billing: `rustls` (default) or `native-tls`");

#[cfg(feature = "internals")]
#[doc(hidden)]
#[path = "fuzzing.rs"]
pub mod __internals;
mod action;
mod builder;
mod civil;
mod client;
mod config;
pub mod credentials;
pub mod datetime;
mod error;
#[cfg(feature = "files")]
#[cfg_attr(docsrs, doc(cfg(feature = "files")))]
pub mod files;
#[cfg(feature = "focus")]
#[cfg_attr(docsrs, doc(cfg(feature = "focus")))]
pub mod focus;
mod generated;
pub mod hook;
mod httpdate;
mod idempotency;
#[cfg(feature = "metrics")]
#[cfg_attr(docsrs, doc(cfg(feature = "metrics")))]
pub mod metrics;
pub mod money;
#[cfg(feature = "monitor")]
#[cfg_attr(docsrs, doc(cfg(feature = "monitor")))]
pub mod monitor;
mod open_enum;
pub mod paginate;
mod protocol;
mod quota;
mod redact;
mod retry;
#[cfg(feature = "sandbox")]
#[cfg_attr(docsrs, doc(cfg(feature = "sandbox")))]
pub mod sandbox;
mod send;
pub mod tc3;
mod text;
mod transport;
pub mod wait;
mod wire;

pub use action::{Action, ActionInfo};
pub use builder::RequestBuilder;
pub use client::BillingClient;
pub use config::{
    BillingClientBuilder, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, Language,
};
pub use credentials::{Credentials, CredentialsFuture, ProvideCredentials};
pub use error::{
    ConfigError, CredentialsError, DecodeError, DownloadError, DownloadErrorKind, Error, ErrorChain, ErrorCode,
    InvalidRequestError, RedirectError, Result, ServiceError, TimeoutError, TimeoutKind, TransportError,
    TransportPhase, UnknownCode,
};
pub use generated::catalog::{ACTIONS, find as find_action};
pub use money::Decimal;
pub use protocol::{ActionKind, ApiResponse, Site};
pub use quota::Quota;
pub use retry::RetryConfig;

/// Request and response types of every action, the objects they contain, and the enums of
/// documented value sets.
///
/// String fields with a documented value set are open enums (values added later decode into
/// `Unknown`). Integer fields with a documented value set (0/1 flags, status numbers) stay
/// integers; their docs list the values.
pub mod types {
    pub use crate::generated::actions::*;
    pub use crate::generated::enums::*;
    pub use crate::generated::models::*;
    pub use crate::open_enum::UnknownValue;
}

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(all(doctest, feature = "redis"))]
#[doc = include_str!("../docs/REDIS.md")]
struct RedisDoctests;

#[cfg(doctest)]
#[doc = include_str!("../docs/RESILIENCE.md")]
struct ResilienceDoctests;

#[cfg(all(doctest, feature = "focus"))]
#[doc = include_str!("../docs/focus.md")]
struct FocusDoctests;

#[cfg(all(doctest, feature = "sandbox"))]
#[doc = include_str!("../docs/client.md")]
struct ClientGuideDoctests;

#[cfg(all(doctest, feature = "monitor"))]
#[doc = include_str!("../docs/monitor.md")]
struct MonitorDoctests;
