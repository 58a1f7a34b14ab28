//! Where events go: a JSON webhook, a chat webhook, `tracing`, or your own [`AlertSink`].

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use serde_json::{Value, json};

use super::state::Event;

/// The future an [`AlertSink`] returns.
pub type SinkFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SinkError>> + Send + 'a>>;

/// A destination for events.
///
/// Implement it for your own channel; the built-in ones are [`WebhookSink`], [`ChatSink`] and
/// [`TracingSink`], and [`FanOut`] sends to several.
///
/// ```
/// use tencentcloud_billing::monitor::{AlertSink, Event, SinkFuture};
///
/// #[derive(Debug)]
/// struct Stderr;
///
/// impl AlertSink for Stderr {
///     fn send<'a>(&'a self, event: &'a Event) -> SinkFuture<'a> {
///         Box::pin(async move {
///             eprintln!("{event}");
///             Ok(())
///         })
///     }
/// }
/// ```
pub trait AlertSink: Send + Sync + fmt::Debug {
    /// Deliver one event.
    fn send<'a>(&'a self, event: &'a Event) -> SinkFuture<'a>;
}

/// An event could not be delivered.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SinkError {
    message: String,
    #[source]
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl SinkError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        SinkError { message: message.into(), source: None }
    }

    /// An error with a message and a cause.
    pub fn with_source(message: impl Into<String>, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        SinkError { message: message.into(), source: Some(source.into()) }
    }
}

/// The HTTP part shared by the webhook sinks: POST JSON, retry transient failures.
#[derive(Clone)]
struct Poster {
    url: reqwest::Url,
    http: reqwest::Client,
    attempts: u32,
    backoff: Duration,
}

/// Webhook URLs often carry their secret in the query (`?key=...`): never print it.
impl fmt::Debug for Poster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = format!("{}://{}{}", self.url.scheme(), self.url.host_str().unwrap_or(""), self.url.path());
        f.debug_struct("Poster").field("url", &shown).field("attempts", &self.attempts).finish_non_exhaustive()
    }
}

impl Poster {
    fn new(url: &str) -> Result<Self, SinkError> {
        let parsed =
            reqwest::Url::parse(url).map_err(|e| SinkError::with_source(format!("invalid webhook URL {url:?}"), e))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(SinkError::new(format!("webhook URL {url:?} must be http or https")));
        }
        #[cfg(feature = "rustls")]
        {
            // The same provider choice as the billing client.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| SinkError::with_source("the HTTP client could not be built", e))?;
        Ok(Poster { url: parsed, http, attempts: 3, backoff: Duration::from_secs(1) })
    }

    /// POST `body`; retry connection failures, timeouts, 429 and 5xx with doubling backoff.
    async fn post(&self, body: &Value) -> Result<(), SinkError> {
        let bytes =
            serde_json::to_vec(body).map_err(|e| SinkError::with_source("the event could not be encoded", e))?;
        let mut last = None;
        for attempt in 0..self.attempts {
            if attempt > 0 {
                let factor = 1u32 << (attempt - 1).min(5);
                tokio::time::sleep((self.backoff * factor).min(Duration::from_secs(30))).await;
            }
            let sent = self
                .http
                .post(self.url.clone())
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes.clone())
                .send()
                .await;
            match sent {
                Ok(r) if r.status().is_success() => return Ok(()),
                Ok(r) => {
                    let status = r.status();
                    let err = SinkError::new(format!("webhook answered HTTP {status}"));
                    if !(status.is_server_error() || status.as_u16() == 429) {
                        return Err(err);
                    }
                    last = Some(err);
                }
                // Without the URL: webhook URLs often carry their key.
                Err(e) => last = Some(SinkError::with_source("webhook request failed", e.without_url())),
            }
        }
        Err(last.unwrap_or_else(|| SinkError::new("webhook not attempted")))
    }
}

/// POSTs each event as JSON ([`Event::to_json`]) to a URL, retrying connection failures,
/// timeouts, HTTP 429 and 5xx (3 attempts by default, 1 s then 2 s apart).
///
/// ```no_run
/// # async fn run(event: tencentcloud_billing::monitor::Event) -> Result<(), Box<dyn std::error::Error>> {
/// use tencentcloud_billing::monitor::{AlertSink, WebhookSink};
/// let sink = WebhookSink::new("https://hooks.example.com/billing")?;
/// sink.send(&event).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct WebhookSink {
    poster: Poster,
}

impl WebhookSink {
    /// A sink posting to `url`.
    ///
    /// # Errors
    /// When the URL is not a valid http(s) URL, or the HTTP client cannot be built.
    pub fn new(url: &str) -> Result<Self, SinkError> {
        Ok(WebhookSink { poster: Poster::new(url)? })
    }

    /// How many times to try in all (at least 1). Default 3.
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.poster.attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; it doubles for each later one, up to 30 s. Default 1 s.
    pub fn backoff(mut self, backoff: Duration) -> Self {
        self.poster.backoff = backoff;
        self
    }
}

impl AlertSink for WebhookSink {
    fn send<'a>(&'a self, event: &'a Event) -> SinkFuture<'a> {
        Box::pin(async move { self.poster.post(&event.to_json()).await })
    }
}

/// The JSON shape a chat webhook expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChatFormat {
    /// `{"text": "..."}`: Slack, Mattermost, Rocket.Chat and many others.
    Text,
    /// WeCom (WeChat Work) group robots: `{"msgtype": "text", "text": {"content": "..."}}`.
    WeCom,
    /// DingTalk robots: `{"msgtype": "text", "text": {"content": "..."}}`.
    DingTalk,
    /// Feishu / Lark bots: `{"msg_type": "text", "content": {"text": "..."}}`.
    Feishu,
}

impl ChatFormat {
    /// The request body carrying `text`.
    pub fn body(&self, text: &str) -> Value {
        match self {
            ChatFormat::Text => json!({ "text": text }),
            ChatFormat::WeCom | ChatFormat::DingTalk => json!({ "msgtype": "text", "text": { "content": text } }),
            ChatFormat::Feishu => json!({ "msg_type": "text", "content": { "text": text } }),
        }
    }
}

/// Sends each event as one readable line to a chat webhook, with the same retries as
/// [`WebhookSink`]. The line starts with a label (default `Tencent Cloud billing`).
#[derive(Debug, Clone)]
pub struct ChatSink {
    poster: Poster,
    format: ChatFormat,
    label: String,
}

impl ChatSink {
    /// A sink posting to `url` in `format`.
    ///
    /// # Errors
    /// When the URL is not a valid http(s) URL, or the HTTP client cannot be built.
    pub fn new(url: &str, format: ChatFormat) -> Result<Self, SinkError> {
        Ok(ChatSink { poster: Poster::new(url)?, format, label: "Tencent Cloud billing".into() })
    }

    /// The label that starts every message, e.g. the account's name.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// How many times to try in all (at least 1). Default 3.
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.poster.attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry, doubling after. Default 1 s.
    pub fn backoff(mut self, backoff: Duration) -> Self {
        self.poster.backoff = backoff;
        self
    }

    /// The text this sink sends for `event`.
    pub fn message(&self, event: &Event) -> String {
        let mark = if event.is_alert() { "[ALERT]" } else { "[OK]" };
        format!("{mark} {}: {event}", self.label)
    }
}

impl AlertSink for ChatSink {
    fn send<'a>(&'a self, event: &'a Event) -> SinkFuture<'a> {
        Box::pin(async move { self.poster.post(&self.format.body(&self.message(event))).await })
    }
}

/// Logs each event through `tracing` (target `tencentcloud_billing::monitor`): overdue and
/// unreachable at `error`, other alerts at `warn`, recoveries at `info`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TracingSink;

impl AlertSink for TracingSink {
    fn send<'a>(&'a self, event: &'a Event) -> SinkFuture<'a> {
        let name = event.name();
        match event {
            Event::Overdue { .. } | Event::Unreachable { .. } => {
                tracing::error!(target: "tencentcloud_billing::monitor", event = name, "{event}")
            }
            Event::Recovered { .. } | Event::Reachable { .. } => {
                tracing::info!(target: "tencentcloud_billing::monitor", event = name, "{event}")
            }
            _ => tracing::warn!(target: "tencentcloud_billing::monitor", event = name, "{event}"),
        }
        Box::pin(std::future::ready(Ok(())))
    }
}

/// Sends every event to several sinks, one after the other. Every sink is tried even when an
/// earlier one fails; the error lists the failures.
#[derive(Debug, Default)]
pub struct FanOut {
    sinks: Vec<Box<dyn AlertSink>>,
}

impl FanOut {
    /// No sinks yet.
    pub fn new() -> Self {
        FanOut::default()
    }

    /// Add a sink.
    pub fn with(mut self, sink: impl AlertSink + 'static) -> Self {
        self.sinks.push(Box::new(sink));
        self
    }

    /// How many sinks there are.
    pub fn len(&self) -> usize {
        self.sinks.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.sinks.is_empty()
    }
}

impl AlertSink for FanOut {
    fn send<'a>(&'a self, event: &'a Event) -> SinkFuture<'a> {
        Box::pin(async move {
            let mut failures = Vec::new();
            for (i, sink) in self.sinks.iter().enumerate() {
                if let Err(e) = sink.send(event).await {
                    failures.push(format!("sink {}: {e}", i + 1));
                }
            }
            if failures.is_empty() { Ok(()) } else { Err(SinkError::new(failures.join("; "))) }
        })
    }
}
