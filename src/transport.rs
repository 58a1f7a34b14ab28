//! The one place that makes HTTP connections, and the policies every request of the crate shares.
//!
//! The crate speaks HTTP/1.1 through hyper's pooled client directly. A general-purpose client
//! (reqwest, which earlier versions used) re-parses the URL and copies the header map on every
//! request, and wraps each one in layers for features the crate must not use anyway (redirects,
//! its own retries, cookies); leaving them out took a call from 121.5 k to 90.5 k instructions
//! (README, Performance).
//!
//! - **No redirects.** Nothing here follows one: a 3xx is handed back as the answer, and the
//!   caller turns it into an error. A client that follows redirects re-sends a POST body on 307
//!   and 308, which would turn one payment into several and carry a signed body and its token to
//!   whatever host the `Location` names.
//! - **No plain HTTP off the machine.** `http://` is accepted for loopback only (the sandbox,
//!   tests, a local gateway), unless the user opts in for a specific endpoint.
//! - **TLS.** rustls with the platform's verifier (feature `rustls`, the default; the ring
//!   provider is installed unless the program installed its own), or the platform's TLS library
//!   (feature `native-tls`, which wins when both are on).
//! - **Proxies** only when configured: the `HTTP_PROXY` family of variables is never read. HTTPS
//!   goes through a `CONNECT` tunnel, so the proxy sees neither the signature nor the body.
//! - **Retries** are the send path's decision. The pool re-sends a request only when its
//!   connection closed before any byte of it was written: the server cannot have seen it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::header::{DATE, HeaderMap, HeaderValue, LOCATION, PROXY_AUTHORIZATION};
use http::uri::Scheme;
use http::{Request, Response, Uri};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tower_service::Service;
use url::Url;

use crate::error::{BoxError, Error, Result, TimeoutError, TimeoutKind, TransportError, TransportPhase};

/// A request as the crate sends it: the whole body in memory.
pub(crate) type HttpRequest = Request<Full<Bytes>>;

/// An answer whose body is still to be read.
pub(crate) type HttpResponse = Response<Incoming>;

/// How long an idle pooled connection is kept. Below the 60 s after which common load balancers
/// drop an idle connection, so the pool rarely hands out one the server already closed.
const POOL_IDLE: Duration = Duration::from_secs(50);

/// An HTTP proxy as configured: where to connect, and the basic credentials its URL carried.
#[derive(Clone)]
pub(crate) struct Proxy {
    uri: Uri,
    auth: Option<HeaderValue>,
}

/// Never shows the proxy's credentials.
impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proxy").field("uri", &self.uri).field("auth", &self.auth.as_ref().map(|_| "***")).finish()
    }
}

impl Proxy {
    /// Parse a proxy URL: `http://host:port`, optionally with `user:password@`; a bare
    /// `host:port` means `http://`. The error never quotes the credentials.
    pub(crate) fn parse(text: &str) -> Result<Proxy> {
        let bad = |why: &str| Error::config(format!("invalid proxy URL {:?}: {why}", crate::redact::url(text)));
        let with_scheme = if text.contains("://") { text.to_owned() } else { format!("http://{text}") };
        let url = Url::parse(&with_scheme).map_err(|_| bad("not a URL"))?;
        if url.scheme() != "http" {
            return Err(bad("only http:// proxies are supported (HTTPS requests still go through them encrypted)"));
        }
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(|| bad("no host"))?;
        let port = url.port_or_known_default().unwrap_or(80);
        let uri = Uri::try_from(format!("http://{host}:{port}")).map_err(|_| bad("not a valid host"))?;
        let auth = basic_credentials(&url).map_err(|_| bad("unusable credentials"))?;
        Ok(Proxy { uri, auth })
    }
}

/// The `user:password` of `url`, as a basic `Authorization` value marked sensitive.
fn basic_credentials(url: &Url) -> std::result::Result<Option<HeaderValue>, http::header::InvalidHeaderValue> {
    if url.username().is_empty() && url.password().is_none() {
        return Ok(None);
    }
    use base64::Engine as _;
    let decode = |s: &str| percent_encoding::percent_decode_str(s).collect::<Vec<u8>>();
    let mut pair = decode(url.username());
    pair.push(b':');
    pair.extend(decode(url.password().unwrap_or("")));
    let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
    let mut value = HeaderValue::try_from(format!("Basic {encoded}"))?;
    value.set_sensitive(true);
    Ok(Some(value))
}

/// Where the requests to a URL go: the URI without its user name and password, which travel as
/// basic credentials instead. A URI never carries them, so no log line (hyper's pool logs the
/// authority it connects to) and no error can show them.
#[derive(Clone)]
pub(crate) struct Target {
    pub(crate) uri: Uri,
    auth: Option<HeaderValue>,
}

impl Target {
    /// The target of `url`; `None` for one HTTP cannot carry.
    pub(crate) fn new(url: &Url) -> Option<Target> {
        let auth = basic_credentials(url).ok()?;
        let mut bare = url.clone();
        bare.set_username("").ok()?;
        bare.set_password(None).ok()?;
        Some(Target { uri: Uri::try_from(bare.as_str()).ok()?, auth })
    }
}

/// A pooled HTTP/1.1 client with the crate's policies. Cheap to clone: clones share the pool.
#[derive(Clone)]
pub(crate) struct Http {
    client: hyper_util::client::legacy::Client<Connector, Full<Bytes>>,
    /// The proxy's credentials, for plain-http requests sent to it in absolute form (an HTTPS
    /// request sends them in its `CONNECT` instead).
    plain_proxy_auth: Option<HeaderValue>,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http").finish_non_exhaustive()
    }
}

impl Http {
    /// A client whose connections (DNS, TCP, proxy tunnel and TLS together) must be up within
    /// `connect_timeout`, going through `proxy` if one is given. `what` names the client in the
    /// error ("the HTTP client for credentials", ...).
    pub(crate) fn new(connect_timeout: Duration, proxy: Option<&Proxy>, what: &str) -> Result<Http> {
        let connector = Connector::new(connect_timeout, proxy).map_err(|source| {
            Error::Config(Box::new(crate::error::ConfigError {
                message: format!("{what} could not be built"),
                source: Some(source),
            }))
        })?;
        let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(POOL_IDLE)
            .build(connector);
        Ok(Http { client, plain_proxy_auth: proxy.and_then(|p| p.auth.clone()) })
    }

    /// Send `request`; the future resolves once the answer's head has arrived.
    pub(crate) fn send(
        &self,
        mut request: HttpRequest,
    ) -> impl Future<Output = std::result::Result<HttpResponse, hyper_util::client::legacy::Error>> + Send + 'static
    {
        if let Some(auth) = &self.plain_proxy_auth
            && request.uri().scheme() == Some(&Scheme::HTTP)
        {
            request.headers_mut().insert(PROXY_AUTHORIZATION, auth.clone());
        }
        self.client.request(request)
    }

    /// A GET of `target`, accepting any type (as every request of the crate always has).
    pub(crate) fn get(target: &Target) -> HttpRequest {
        let mut request = Request::new(Full::new(Bytes::new()));
        *request.uri_mut() = target.uri.clone();
        request.headers_mut().insert(http::header::ACCEPT, HeaderValue::from_static("*/*"));
        if let Some(auth) = &target.auth {
            request.headers_mut().insert(http::header::AUTHORIZATION, auth.clone());
        }
        request
    }

    /// A POST of `body` with its `Content-Type` to `target`.
    pub(crate) fn post(target: &Target, content_type: &'static str, body: Bytes) -> HttpRequest {
        let mut request = Self::get(target);
        *request.method_mut() = http::Method::POST;
        *request.body_mut() = Full::new(body);
        request.headers_mut().insert(http::header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        request
    }
}

/// The target of `url`, or a configuration error naming `what` ("endpoint URL", ...).
pub(crate) fn target(url: &Url, what: &str) -> Result<Target> {
    Target::new(url)
        .ok_or_else(|| Error::config(format!("{what} {:?} is not usable for HTTP", crate::redact::url(url.as_str()))))
}

/// The TLS library of this build: native-tls when that feature is on, rustls otherwise.
#[cfg(feature = "native-tls")]
type TlsConnector = tokio_native_tls::TlsConnector;
#[cfg(feature = "native-tls")]
type TlsStream = tokio_native_tls::TlsStream<TcpStream>;
#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
type TlsConnector = tokio_rustls::TlsConnector;
#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
type TlsStream = tokio_rustls::client::TlsStream<TcpStream>;

/// The process's TLS settings, made by the first client that needs them. Every client shares
/// them: loading the platform's root certificates costs milliseconds, and they do not change
/// while the process runs. A failure is not kept, so a later client tries again.
fn shared_tls() -> std::result::Result<TlsConnector, BoxError> {
    static SHARED: std::sync::OnceLock<TlsConnector> = std::sync::OnceLock::new();
    if let Some(tls) = SHARED.get() {
        return Ok(tls.clone());
    }
    let tls = new_tls()?;
    Ok(SHARED.get_or_init(|| tls).clone())
}

fn new_tls() -> std::result::Result<TlsConnector, BoxError> {
    #[cfg(feature = "native-tls")]
    {
        Ok(native_tls::TlsConnector::new()?.into())
    }
    #[cfg(all(feature = "rustls", not(feature = "native-tls")))]
    {
        use rustls_platform_verifier::BuilderVerifierExt as _;
        // The ring provider, unless the program installed one of its own.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut config = rustls::ClientConfig::builder().with_platform_verifier()?.with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config).into())
    }
}

/// TLS to `host` over `tcp`, verified against the platform's roots.
async fn tls_connect(tls: &TlsConnector, host: &str, tcp: TcpStream) -> std::result::Result<TlsStream, BoxError> {
    // An IPv6 literal comes bracketed in a URI; the certificate names the bare address.
    let host = host.trim_start_matches('[').trim_end_matches(']');
    #[cfg(feature = "native-tls")]
    {
        Ok(tls.connect(host, tcp).await?)
    }
    #[cfg(all(feature = "rustls", not(feature = "native-tls")))]
    {
        Ok(tls.connect(rustls::pki_types::ServerName::try_from(host.to_owned())?, tcp).await?)
    }
}

/// The connection a request went out on did not come up in time.
#[derive(Debug)]
pub(crate) struct ConnectTimeout(Duration);

impl std::fmt::Display for ConnectTimeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no connection within {:?}", self.0)
    }
}

impl std::error::Error for ConnectTimeout {}

/// Makes the pool's connections: TCP, through the proxy if there is one, then TLS for `https`.
#[derive(Clone)]
struct Connector {
    tcp: HttpConnector,
    tls: TlsConnector,
    proxy: Option<Arc<Proxy>>,
    timeout: Duration,
}

impl Service<Uri> for Connector {
    type Response = TokioIo<Stream>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = std::result::Result<TokioIo<Stream>, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<std::result::Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let this = self.clone();
        let limit = this.timeout;
        Box::pin(async move {
            match tokio::time::timeout(limit, this.connect(dst)).await {
                Ok(r) => r,
                Err(_) => Err(Box::new(ConnectTimeout(limit)) as BoxError),
            }
        })
    }
}

impl Connector {
    /// Connections that must be up within `timeout` (DNS, TCP, the proxy's tunnel and TLS
    /// together), through `proxy` if one is given.
    fn new(timeout: Duration, proxy: Option<&Proxy>) -> std::result::Result<Connector, BoxError> {
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        tcp.set_connect_timeout(Some(timeout));
        // Probes on idle pooled connections, as reqwest sends by default: a NAT or firewall that
        // silently drops an idle connection is noticed before a request is written into it (a
        // request written into a dead connection fails after sending, which a payment cannot
        // retry).
        tcp.set_keepalive(Some(Duration::from_secs(15)));
        tcp.set_keepalive_interval(Some(Duration::from_secs(15)));
        tcp.set_keepalive_retries(Some(3));
        Ok(Connector { tcp, tls: shared_tls()?, proxy: proxy.cloned().map(Arc::new), timeout })
    }

    async fn connect(mut self, dst: Uri) -> std::result::Result<TokioIo<Stream>, BoxError> {
        let https = dst.scheme() == Some(&Scheme::HTTPS);
        let (tcp, proxied) = match self.proxy.as_deref() {
            None => (self.tcp.call(dst.clone()).await?.into_inner(), false),
            // Plain http goes to the proxy in absolute form (`proxied` tells the pool).
            Some(p) if !https => (self.tcp.call(p.uri.clone()).await?.into_inner(), true),
            Some(p) => {
                let mut tunnel = Tunnel::new(p.uri.clone(), self.tcp.clone());
                if let Some(auth) = &p.auth {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                std::future::poll_fn(|cx| tunnel.poll_ready(cx)).await?;
                (tunnel.call(dst.clone()).await?.into_inner(), false)
            }
        };
        let kind = if https {
            Kind::Tls(Box::new(tls_connect(&self.tls, dst.host().ok_or("the URL has no host")?, tcp).await?))
        } else {
            Kind::Plain(tcp)
        };
        Ok(TokioIo::new(Stream { kind, proxied }))
    }
}

/// One pooled connection.
pub(crate) struct Stream {
    kind: Kind,
    proxied: bool,
}

enum Kind {
    Plain(TcpStream),
    Tls(Box<TlsStream>),
}

impl Connection for Stream {
    fn connected(&self) -> Connected {
        Connected::new().proxy(self.proxied)
    }
}

/// `$call` on whichever stream `$self` holds.
macro_rules! each_stream {
    ($self:ident, $s:ident => $call:expr) => {
        match &mut $self.get_mut().kind {
            Kind::Plain($s) => {
                let $s = Pin::new($s);
                $call
            }
            Kind::Tls($s) => {
                let $s = Pin::new(&mut **$s);
                $call
            }
        }
    };
}

impl AsyncRead for Stream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        each_stream!(self, s => s.poll_read(cx, buf))
    }
}

impl AsyncWrite for Stream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        each_stream!(self, s => s.poll_write(cx, buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        each_stream!(self, s => s.poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        match &self.kind {
            Kind::Plain(s) => s.is_write_vectored(),
            Kind::Tls(s) => s.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        each_stream!(self, s => s.poll_flush(cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        each_stream!(self, s => s.poll_shutdown(cx))
    }
}

/// Whether `url` points at this machine: `localhost`, 127.0.0.0/8 or `::1`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => {
            let host = host.to_ascii_lowercase();
            host == "localhost" || host.ends_with(".localhost")
        }
    }
}

/// Refuse `http://` for a host outside loopback unless `allow_http` is set. `what` names the
/// setting in the message ("endpoint", "STS endpoint", ...); the URL is shown redacted.
pub(crate) fn check_scheme(url: &Url, allow_http: bool, what: &str) -> Result<()> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if allow_http || is_loopback(url) => Ok(()),
        "http" => Err(Error::config(format!(
            "{what} {:?} is plain http to a host outside this machine: keys' signatures, tokens and \
             bodies would cross the network unencrypted; use https, or opt in explicitly with allow_http",
            crate::redact::url(url.as_str())
        ))),
        _ => Err(Error::config(format!("{what} {:?} must be http or https", crate::redact::url(url.as_str())))),
    }
}

/// A redirect answer, which no client of the crate follows: its status and where it pointed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Redirect {
    pub(crate) status: u16,
    /// See [`redirect_target`]: the host and port only.
    pub(crate) location_host: Option<String>,
}

impl std::fmt::Display for Redirect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let to = self.location_host.as_deref().unwrap_or("an unusable Location");
        write!(f, "HTTP {}, a redirect to {to}", self.status)
    }
}

/// The redirect `resp` is, if it is one; `base` is the URL the request went to.
pub(crate) fn redirect_of<B>(resp: &Response<B>, base: &Url) -> Option<Redirect> {
    resp.status()
        .is_redirection()
        .then(|| Redirect { status: resp.status().as_u16(), location_host: redirect_target(base, resp.headers()) })
}

/// The host a redirect answer points at, for the error: the `Location` resolved against the
/// request's URL. Only the host (and port) is kept: a path or query may carry a secret.
pub(crate) fn redirect_target(base: &Url, headers: &HeaderMap) -> Option<String> {
    let location = headers.get(LOCATION)?.to_str().ok()?;
    let target = base.join(location).ok()?;
    let host = target.host_str()?;
    Some(match target.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_owned(),
    })
}

/// The length an answer declares, if it declares one.
pub(crate) fn content_length(resp: &HttpResponse) -> Option<u64> {
    hyper::body::Body::size_hint(resp.body()).exact()
}

/// The next piece of an answer's body, skipping trailers; `None` at its end.
pub(crate) async fn next_chunk(resp: &mut HttpResponse) -> std::result::Result<Option<Bytes>, hyper::Error> {
    while let Some(frame) = resp.body_mut().frame().await {
        if let Ok(data) = frame?.into_data() {
            return Ok(Some(data));
        }
    }
    Ok(None)
}

/// Read a whole answer, refusing one larger than `cap` bytes as soon as its `Content-Length` or
/// the bytes read so far pass it. `too_large(seen, start)` builds the error from the size seen and
/// the bytes read so far; a failure while reading is mapped with `read_error`.
pub(crate) async fn read_capped<E>(
    resp: &mut HttpResponse,
    cap: usize,
    too_large: impl FnOnce(u64, &[u8]) -> E,
    read_error: impl FnOnce(hyper::Error) -> E,
) -> std::result::Result<Vec<u8>, E> {
    let declared = content_length(resp);
    if let Some(len) = declared.filter(|&l| l > cap as u64) {
        return Err(too_large(len, &[]));
    }
    // The declared length only sizes the first allocation, and never beyond 1 MiB: a hostile
    // server could declare terabytes under a cap raised to `usize::MAX`.
    let first = declared.unwrap_or(8 * 1024).min(cap as u64).min(1 << 20);
    let mut buf = Vec::with_capacity(first as usize);
    loop {
        match next_chunk(resp).await {
            Ok(Some(chunk)) => {
                if buf.len().saturating_add(chunk.len()) > cap {
                    return Err(too_large(buf.len().saturating_add(chunk.len()) as u64, &buf));
                }
                buf.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(buf),
            Err(e) => return Err(read_error(e)),
        }
    }
}

/// The largest answer read from a credential endpoint.
pub(crate) const MAX_CREDENTIAL_RESPONSE: usize = 64 * 1024;

/// An answer of a credential endpoint, read whole.
pub(crate) struct SmallAnswer {
    pub(crate) status: u16,
    /// The `Date` header, for the clock correction.
    pub(crate) date: Option<HeaderValue>,
    pub(crate) body: Vec<u8>,
    /// Set when the answer is a redirect (which is never followed).
    pub(crate) redirect: Option<Redirect>,
}

/// Why a credential endpoint gave no answer.
#[derive(Debug)]
pub(crate) struct SmallFailure {
    /// Nothing answered: no connection, or no answer's head within the time allowed (a body that
    /// stalls after its head is not this).
    pub(crate) unreachable: bool,
    pub(crate) message: String,
    pub(crate) source: Option<BoxError>,
}

/// A client for the credential endpoints (metadata service, STS): small answers, and a limit on
/// the whole exchange.
#[derive(Debug, Clone)]
pub(crate) struct SmallClient {
    http: Http,
    total: Duration,
}

impl SmallClient {
    /// The timeouts must have been through `credentials::check_timeouts`.
    pub(crate) fn new(connect: Duration, total: Duration, proxy: Option<&str>) -> Result<SmallClient> {
        let proxy = proxy.map(Proxy::parse).transpose()?;
        Ok(SmallClient { http: Http::new(connect, proxy.as_ref(), "the HTTP client for credentials")?, total })
    }

    /// Send `request` to `url` and read at most [`MAX_CREDENTIAL_RESPONSE`] bytes of the
    /// answer, all within the total time allowed.
    pub(crate) async fn exchange(
        &self,
        url: &Url,
        request: HttpRequest,
    ) -> std::result::Result<SmallAnswer, SmallFailure> {
        let total = self.total;
        // One limit for the whole exchange, but the two halves fail differently: no head in time
        // means nothing answers there (a chain may try its next source), while a head followed by a
        // stalled body means something does answer, wrongly, and the chain must stop.
        let deadline = tokio::time::Instant::now().checked_add(total);
        let mut resp = match until(deadline, self.http.send(request)).await {
            None => {
                return Err(SmallFailure {
                    unreachable: true,
                    message: format!("no answer within {total:?}"),
                    source: None,
                });
            }
            Some(Err(e)) => {
                return Err(SmallFailure {
                    unreachable: e.is_connect(),
                    message: "the request failed".into(),
                    source: Some(Box::new(e)),
                });
            }
            Some(Ok(resp)) => resp,
        };
        let redirect = redirect_of(&resp, url);
        let (status, date) = (resp.status().as_u16(), resp.headers().get(DATE).cloned());
        // A redirect's body is not wanted: the answer is refused whatever it says.
        if redirect.is_some() {
            return Ok(SmallAnswer { status, date, body: Vec::new(), redirect });
        }
        let failed = |message: String, source: Option<BoxError>| SmallFailure { unreachable: false, message, source };
        let read = read_capped(
            &mut resp,
            MAX_CREDENTIAL_RESPONSE,
            |_, _| failed(format!("the answer is larger than {MAX_CREDENTIAL_RESPONSE} bytes"), None),
            |e| failed("reading the answer failed".into(), Some(e.into())),
        );
        let body = until(deadline, read)
            .await
            .ok_or_else(|| failed(format!("the answer began but was not complete within {total:?}"), None))??;
        Ok(SmallAnswer { status, date, body, redirect })
    }
}

/// `fut`'s output, or `None` if `deadline` passes first (no deadline: wait as long as it takes).
async fn until<F: Future>(deadline: Option<tokio::time::Instant>, fut: F) -> Option<F::Output> {
    match deadline {
        Some(d) => tokio::time::timeout_at(d, fut).await.ok(),
        None => Some(fut.await),
    }
}

/// Whether `e`, or an error it was caused by, is a [`ConnectTimeout`].
fn is_connect_timeout(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(e);
    while let Some(e) = next {
        if e.is::<ConnectTimeout>()
            || e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        {
            return true;
        }
        next = e.source();
    }
    false
}

/// The crate's error for an exchange of `action` that failed before the answer's head arrived.
pub(crate) fn error(action: &'static str, e: hyper_util::client::legacy::Error, connect_timeout: Duration) -> Error {
    if e.is_connect() && is_connect_timeout(&e) {
        return Error::Timeout(Box::new(TimeoutError { action, kind: TimeoutKind::Connect, after: connect_timeout }));
    }
    let phase = if e.is_connect() { TransportPhase::Connect } else { TransportPhase::Request };
    Error::Transport(Box::new(TransportError { action, phase, source: Some(Box::new(e)) }))
}

/// The crate's error for an answer of `action` whose body could not be read: the server has the
/// request.
pub(crate) fn body_error(action: &'static str, e: hyper::Error) -> Error {
    Error::Transport(Box::new(TransportError { action, phase: TransportPhase::Body, source: Some(Box::new(e)) }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn http_only_on_loopback_unless_allowed() {
        for ok in [
            "https://billing.tencentcloudapi.com/",
            "http://127.0.0.1:8080/",
            "http://127.9.9.9/",
            "http://[::1]:1/",
            "http://localhost:80/",
        ] {
            assert!(check_scheme(&u(ok), false, "endpoint").is_ok(), "{ok}");
        }
        for bad in [
            "http://billing.tencentcloudapi.com/",
            "http://10.0.0.1/",
            "http://[::2]/",
            "http://localhost.evil.example/",
        ] {
            let e = check_scheme(&u(bad), false, "endpoint").unwrap_err();
            assert!(e.to_string().contains("plain http"), "{bad}: {e}");
            assert!(check_scheme(&u(bad), true, "endpoint").is_ok(), "{bad}");
        }
        let e = check_scheme(&u("ftp://u:hunter2@x/"), true, "endpoint").unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }

    #[test]
    fn redirect_target_keeps_only_the_host() {
        let base = u("https://billing.tencentcloudapi.com/");
        let mut h = HeaderMap::new();
        assert_eq!(redirect_target(&base, &h), None);
        h.insert(LOCATION, "http://evil.example:8443/steal?key=hunter2".parse().unwrap());
        assert_eq!(redirect_target(&base, &h).as_deref(), Some("evil.example:8443"));
        h.insert(LOCATION, "/again".parse().unwrap());
        assert_eq!(redirect_target(&base, &h).as_deref(), Some("billing.tencentcloudapi.com"));
    }

    #[test]
    fn proxy_urls_parse_with_their_credentials_hidden() {
        let p = Proxy::parse("http://us%40er:p%3Ass@proxy.internal:3128").unwrap();
        assert_eq!(p.uri, "http://proxy.internal:3128/");
        // base64("us@er:p:ss")
        assert_eq!(p.auth.as_ref().unwrap(), "Basic dXNAZXI6cDpzcw==");
        assert!(p.auth.as_ref().unwrap().is_sensitive());
        let shown = format!("{p:?}");
        assert!(!shown.contains("dXNA") && !shown.contains("p%3Ass"), "{shown}");
        assert_eq!(Proxy::parse("proxy.internal:8080").unwrap().uri, "http://proxy.internal:8080/");
        assert_eq!(Proxy::parse("http://[::1]").unwrap().uri, "http://[::1]:80/");
        assert!(Proxy::parse("http://proxy.internal").unwrap().auth.is_none());
        for bad in ["::not a url::", "socks5://proxy:1080", "https://proxy:443", "http://"] {
            let e = Proxy::parse(bad).unwrap_err().to_string();
            assert!(e.contains("invalid proxy"), "{bad}: {e}");
        }
        let e = Proxy::parse("socks5://user:hunter2@proxy:1080").unwrap_err().to_string();
        assert!(!e.contains("hunter2"), "{e}");
    }

    #[cfg(all(feature = "rustls", not(feature = "native-tls")))]
    #[test]
    fn every_client_shares_one_tls_setup() {
        let (a, b) = (shared_tls().unwrap(), shared_tls().unwrap());
        assert!(Arc::ptr_eq(a.config(), b.config()));
        assert_eq!(a.config().alpn_protocols, [b"http/1.1".to_vec()]);
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn connections_probe_when_idle_and_send_without_delay() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let accept = tokio::spawn(async move { listener.accept().await.unwrap() });
        let mut connector = Connector::new(Duration::from_secs(5), None).unwrap();
        let conn = connector.call(format!("http://{addr}/").parse().unwrap()).await.unwrap();
        let _held = accept.await.unwrap();
        let Kind::Plain(tcp) = &conn.inner().kind else { panic!("a plain connection") };
        let sock = socket2::SockRef::from(tcp);
        assert!(sock.keepalive().unwrap());
        assert_eq!(sock.tcp_keepalive_time().unwrap(), Duration::from_secs(15));
        assert_eq!(sock.tcp_keepalive_interval().unwrap(), Duration::from_secs(15));
        assert_eq!(sock.tcp_keepalive_retries().unwrap(), 3);
        assert!(tcp.nodelay().unwrap());
    }

    #[test]
    fn a_timed_out_connection_is_found_in_the_cause_chain() {
        #[derive(Debug)]
        struct Outer(ConnectTimeout);
        impl std::fmt::Display for Outer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("outer")
            }
        }
        impl std::error::Error for Outer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        assert!(is_connect_timeout(&Outer(ConnectTimeout(Duration::from_secs(1)))));
        assert!(is_connect_timeout(&std::io::Error::from(std::io::ErrorKind::TimedOut)));
        assert!(!is_connect_timeout(&std::io::Error::from(std::io::ErrorKind::ConnectionRefused)));
    }
}
