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

/// The most attempts a sink makes per event, whatever it is asked: a webhook that keeps failing
/// must not hold the monitor for hours.
pub const SINK_MAX_ATTEMPTS: u32 = 10;

/// The longest wait between two attempts; the backoff doubles up to it.
pub const SINK_MAX_BACKOFF: Duration = Duration::from_secs(30);

/// The longest wait for a webhook's answer, per attempt.
const POST_TIMEOUT: Duration = Duration::from_secs(15);

/// The HTTP part shared by the webhook sinks: POST JSON, retry transient failures.
#[derive(Clone)]
struct Poster {
    url: url::Url,
    target: crate::transport::Target,
    http: crate::transport::Http,
    attempts: u32,
    backoff: Duration,
}

/// Webhook URLs carry their secret in the query or the path: never print either.
impl fmt::Debug for Poster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Poster")
            .field("url", &crate::redact::webhook_url(self.url.as_str()))
            .field("attempts", &self.attempts)
            .field("backoff", &self.backoff)
            .finish_non_exhaustive()
    }
}

impl Poster {
    fn new(url: &str, allow_http: bool) -> Result<Self, SinkError> {
        let parsed = url::Url::parse(url).map_err(|e| {
            SinkError::with_source(format!("invalid webhook URL {:?}", crate::redact::webhook_url(url)), e)
        })?;
        // The scheme check runs on the shown form (same scheme, host and port), so that its
        // message cannot carry the path's token either.
        let probe = url::Url::parse(&crate::redact::webhook_url(url))
            .map_err(|_| SinkError::new(format!("webhook URL {:?} is not usable", crate::redact::webhook_url(url))))?;
        crate::transport::check_scheme(&probe, allow_http, "webhook URL").map_err(|e| SinkError::new(e.to_string()))?;
        // The crate's one builder: no redirect is followed (a 3xx would re-send the event, and the
        // key in the URL's query, to wherever `Location` points); the environment's proxies, as
        // for every client of the crate.
        let http =
            crate::transport::Http::new(Duration::from_secs(5), &Default::default(), "the webhook's HTTP client")
                .map_err(|e| SinkError::new(e.to_string()))?;
        let target = crate::transport::Target::new(&parsed).ok_or_else(|| {
            SinkError::new(format!("webhook URL {:?} is not usable", crate::redact::webhook_url(url)))
        })?;
        Ok(Poster { url: parsed, target, http, attempts: 3, backoff: Duration::from_secs(1) })
    }

    /// The wait before attempt `attempt` (1 for the first retry): the backoff doubled for each
    /// later retry, never above [`SINK_MAX_BACKOFF`], saturating instead of overflowing.
    fn delay(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(5);
        self.backoff.saturating_mul(factor).min(SINK_MAX_BACKOFF)
    }

    /// POST `body`; retry connection failures, timeouts, 429 and 5xx with doubling backoff. A
    /// redirect is a failure naming where it pointed, never followed and never retried.
    async fn post(&self, body: &Value) -> Result<(), SinkError> {
        let bytes: bytes::Bytes =
            serde_json::to_vec(body).map_err(|e| SinkError::with_source("the event could not be encoded", e))?.into();
        let mut last = None;
        for attempt in 0..self.attempts.clamp(1, SINK_MAX_ATTEMPTS) {
            if attempt > 0 {
                tokio::time::sleep(self.delay(attempt)).await;
            }
            let request = crate::transport::Http::post(&self.target, "application/json", bytes.clone());
            let sent = match tokio::time::timeout(POST_TIMEOUT, self.http.send(request)).await {
                Ok(sent) => sent.map_err(|e| SinkError::with_source("webhook request failed", e)),
                Err(_) => Err(SinkError::new(format!("webhook gave no answer within {POST_TIMEOUT:?}"))),
            };
            match sent {
                Ok(r) if r.status().is_success() => return Ok(()),
                Ok(r) if r.status().is_redirection() => {
                    let target = crate::transport::redirect_of(&r, &self.url)
                        .and_then(|redirect| redirect.location_host)
                        .unwrap_or_else(|| "an unreadable location".to_owned());
                    return Err(SinkError::new(format!(
                        "webhook answered HTTP {} redirecting to {target}; redirects are not followed, \
                         so the event was not delivered",
                        r.status()
                    )));
                }
                Ok(r) => {
                    let status = r.status();
                    let err = SinkError::new(format!("webhook answered HTTP {status}"));
                    if !(status.is_server_error() || status.as_u16() == 429) {
                        return Err(err);
                    }
                    last = Some(err);
                }
                // The errors never carry the URL: webhook URLs carry their key.
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| SinkError::new("webhook not attempted")))
    }
}

/// POSTs each event as JSON ([`Event::to_json`]) to a URL, retrying connection failures,
/// timeouts, HTTP 429 and 5xx (3 attempts by default, 1 s then 2 s apart).
///
/// Redirects are not followed: a webhook that answers 3xx fails the delivery with an error naming
/// the status and the host it pointed at. Errors and `Debug` never show the URL's userinfo, path
/// or query, where webhooks keep their keys.
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
    account: Option<String>,
}

impl WebhookSink {
    /// A sink posting to `url`: https, or http to this machine only (the URL's key would cross
    /// the network in clear otherwise; see [`new_allowing_http`](Self::new_allowing_http)).
    ///
    /// # Errors
    /// When the URL is not a valid https URL (or http on loopback), or the HTTP client cannot be
    /// built. The message shows the URL without its userinfo, path or query.
    pub fn new(url: &str) -> Result<Self, SinkError> {
        Ok(WebhookSink { poster: Poster::new(url, false)?, account: None })
    }

    /// Like [`new`](Self::new), but also accepting plain `http://` to another machine, for a
    /// receiver on a trusted network that has no TLS.
    ///
    /// # Errors
    /// When the URL is not a valid http(s) URL, or the HTTP client cannot be built.
    pub fn new_allowing_http(url: &str) -> Result<Self, SinkError> {
        Ok(WebhookSink { poster: Poster::new(url, true)?, account: None })
    }

    /// Add `"account": name` to every body, so that one receiver can tell the accounts of
    /// several monitors apart. Default: no such field.
    pub fn account(mut self, name: impl Into<String>) -> Self {
        self.account = Some(name.into());
        self
    }

    /// How many times to try in all, clamped to 1..=[`SINK_MAX_ATTEMPTS`]. Default 3.
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.poster.attempts = attempts.clamp(1, SINK_MAX_ATTEMPTS);
        self
    }

    /// The wait before the first retry; it doubles for each later one, up to [`SINK_MAX_BACKOFF`]
    /// (longer values are taken as that). Default 1 s.
    pub fn backoff(mut self, backoff: Duration) -> Self {
        self.poster.backoff = backoff.min(SINK_MAX_BACKOFF);
        self
    }
}

impl AlertSink for WebhookSink {
    fn send<'a>(&'a self, event: &'a Event) -> SinkFuture<'a> {
        Box::pin(async move {
            let mut body = event.payload();
            if let (Some(name), Some(fields)) = (&self.account, body.as_object_mut()) {
                fields.insert("account".to_owned(), Value::String(name.clone()));
            }
            self.poster.post(&body).await
        })
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
    /// The request body carrying `text`, as JSON text.
    pub fn body(&self, text: &str) -> String {
        self.body_value(text).to_string()
    }

    fn body_value(&self, text: &str) -> Value {
        match self {
            ChatFormat::Text => json!({ "text": text }),
            ChatFormat::WeCom | ChatFormat::DingTalk => json!({ "msgtype": "text", "text": { "content": text } }),
            ChatFormat::Feishu => json!({ "msg_type": "text", "content": { "text": text } }),
        }
    }
}

/// Sends each event as one readable line to a chat webhook, with the same retries as
/// [`WebhookSink`], and like it never following a redirect nor showing the URL's key. The line
/// starts with a label (default `Tencent Cloud billing`).
#[derive(Debug, Clone)]
pub struct ChatSink {
    poster: Poster,
    format: ChatFormat,
    label: String,
}

impl ChatSink {
    /// A sink posting to `url` in `format`: https, or http to this machine only (see
    /// [`new_allowing_http`](Self::new_allowing_http)).
    ///
    /// # Errors
    /// When the URL is not a valid https URL (or http on loopback), or the HTTP client cannot be
    /// built. The message shows the URL without its userinfo, path or query.
    pub fn new(url: &str, format: ChatFormat) -> Result<Self, SinkError> {
        Ok(ChatSink { poster: Poster::new(url, false)?, format, label: "Tencent Cloud billing".into() })
    }

    /// Like [`new`](Self::new), but also accepting plain `http://` to another machine.
    ///
    /// # Errors
    /// When the URL is not a valid http(s) URL, or the HTTP client cannot be built.
    pub fn new_allowing_http(url: &str, format: ChatFormat) -> Result<Self, SinkError> {
        Ok(ChatSink { poster: Poster::new(url, true)?, format, label: "Tencent Cloud billing".into() })
    }

    /// The label that starts every message, e.g. the account's name.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// How many times to try in all, clamped to 1..=[`SINK_MAX_ATTEMPTS`]. Default 3.
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.poster.attempts = attempts.clamp(1, SINK_MAX_ATTEMPTS);
        self
    }

    /// The wait before the first retry, doubling after, up to [`SINK_MAX_BACKOFF`]. Default 1 s.
    pub fn backoff(mut self, backoff: Duration) -> Self {
        self.poster.backoff = backoff.min(SINK_MAX_BACKOFF);
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
        Box::pin(async move { self.poster.post(&self.format.body_value(&self.message(event))).await })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_urls_keep_scheme_host_and_port_only() {
        assert_eq!(
            crate::redact::webhook_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"),
            "https://qyapi.weixin.qq.com/redacted?redacted"
        );
        assert_eq!(
            crate::redact::webhook_url("https://hooks.slack.com/services/T0/B0/secret"),
            "https://hooks.slack.com/redacted"
        );
        assert_eq!(
            crate::redact::webhook_url("http://u:p@127.0.0.1:8080/"),
            "http://redacted:redacted@127.0.0.1:8080/"
        );
        assert_eq!(crate::redact::webhook_url("mailto:secret@example.com"), "<redacted>@example.com");
    }

    #[test]
    fn the_backoff_saturates() {
        let mut p = Poster::new("http://127.0.0.1:9/", false).unwrap();
        p.backoff = Duration::MAX;
        assert_eq!((p.delay(1), p.delay(2), p.delay(u32::MAX)), (SINK_MAX_BACKOFF, SINK_MAX_BACKOFF, SINK_MAX_BACKOFF));
        p.backoff = Duration::from_secs(1);
        assert_eq!(
            (p.delay(1), p.delay(2), p.delay(3)),
            (Duration::from_secs(1), Duration::from_secs(2), Duration::from_secs(4))
        );
        assert_eq!(p.delay(40), SINK_MAX_BACKOFF);
        p.backoff = Duration::ZERO;
        assert_eq!(p.delay(7), Duration::ZERO);
    }
}
