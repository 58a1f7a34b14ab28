//! The one place that builds HTTP clients, and the policies every request of the crate shares.
//!
//! Every client of the crate (billing, STS and the metadata service, webhooks, bill files) is a
//! `reqwest::Client` made by [`Http::new`], so they all follow the same rules:
//!
//! - **No redirects.** A 3xx is handed back as the answer, and the caller turns it into an error.
//!   A client that follows redirects re-sends a POST body on 307 and 308, which would turn one
//!   payment into several and carry a signed body and its token to whatever host `Location` names.
//! - **HTTP/1.1 only**, no cookie store, no decompression: nothing the API needs, and less code on
//!   every request.
//! - **No plain HTTP off the machine.** `http://` is accepted for loopback only (the sandbox,
//!   tests, a local gateway), unless the user opts in for a specific endpoint.
//! - **TLS.** rustls (feature `rustls`, the default) verified by the platform's verifier, with the
//!   crypto provider the program installed, or ring if it installed none; the crate never installs
//!   one for the process. Or the platform's TLS library (feature `native-tls`, which wins when both
//!   are on). Extra roots ([`Network::roots`]) are trusted beside the platform's.
//! - **Proxies.** By default the environment's (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, either
//!   case, and `NO_PROXY`), as curl and the official SDKs do, except for loopback, which they never
//!   carry. A configured URL overrides them (and carries everything), and they can be turned off. HTTPS goes through a `CONNECT` tunnel, so
//!   the proxy sees neither the signature nor the body. A proxy's credentials are sent as its
//!   authorization and are never part of a URL that a log line or an error could show.
//! - **Errors never carry the URL**: a bill-file link's query is its signature.
//! - **Retries** are the send path's decision; the limits on an attempt, a body's stalls and a
//!   credential exchange are the callers' (tokio timers around the futures here).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::Method;
use http::header::{DATE, HeaderMap, HeaderValue, LOCATION};
use url::Url;

use crate::error::{BoxError, Error, Result, TimeoutError, TimeoutKind, TransportError, TransportPhase};

/// A request as the crate sends it: the whole body in memory.
pub(crate) type HttpRequest = reqwest::Request;

/// An answer whose body is still to be read.
pub(crate) type HttpResponse = reqwest::Response;

/// How long an idle pooled connection is kept. Below the 60 s after which common load balancers
/// drop an idle connection, so the pool rarely hands out one the server already closed.
const POOL_IDLE: Duration = Duration::from_secs(50);

/// Keepalive probes on idle pooled connections: a NAT or firewall that silently drops an idle
/// connection is noticed before a request is written into it (a request written into a dead
/// connection fails after sending, which a payment cannot retry).
const KEEPALIVE: Duration = Duration::from_secs(15);
const KEEPALIVE_RETRIES: u32 = 3;

/// Hosts never sent to the environment's proxies: this machine (the sandbox, tests, a local
/// gateway keep working on a machine with a proxy set).
const LOOPBACK: &str = "localhost,127.0.0.0/8,::1";

/// An HTTP(S) proxy as configured: its URL without credentials, and the credentials apart.
#[derive(Clone)]
pub(crate) struct Proxy {
    url: Url,
    auth: Option<(String, String)>,
}

/// Never shows the proxy's credentials.
impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proxy")
            .field("url", &self.url.as_str())
            .field("auth", &self.auth.as_ref().map(|_| "***"))
            .finish()
    }
}

impl Proxy {
    /// Parse a proxy URL: `http://host:port` or `https://host:port`, optionally with
    /// `user:password@`; a bare `host:port` means `http://`. The error never quotes the
    /// credentials.
    pub(crate) fn parse(text: &str) -> Result<Proxy> {
        let bad = |why: &str| Error::config(format!("invalid proxy URL {:?}: {why}", crate::redact::url(text)));
        let with_scheme = if text.contains("://") { text.to_owned() } else { format!("http://{text}") };
        let mut url = Url::parse(&with_scheme).map_err(|_| bad("not a URL"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("only http:// and https:// proxies are supported"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(bad("no host"));
        }
        let auth = if url.username().is_empty() && url.password().is_none() {
            None
        } else {
            let decode = |s: &str| percent_encoding_decode(s).ok_or_else(|| bad("unusable credentials"));
            let pair = (decode(url.username())?, decode(url.password().unwrap_or(""))?);
            url.set_username("").map_err(|_| bad("unusable credentials"))?;
            url.set_password(None).map_err(|_| bad("unusable credentials"))?;
            Some(pair)
        };
        Ok(Proxy { url, auth })
    }

    /// This proxy for reqwest, for the requests `scope` selects, bypassed for `no_proxy`.
    fn to_reqwest(&self, scope: Scope, no_proxy: &str) -> std::result::Result<reqwest::Proxy, reqwest::Error> {
        let url = self.url.as_str();
        let mut p = match scope {
            Scope::All => reqwest::Proxy::all(url)?,
            Scope::Http => reqwest::Proxy::http(url)?,
            Scope::Https => reqwest::Proxy::https(url)?,
        };
        if let Some((user, password)) = &self.auth {
            p = p.basic_auth(user, password);
        }
        Ok(p.no_proxy(reqwest::NoProxy::from_string(no_proxy)))
    }
}

/// `%XX` escapes decoded, as a URL's user name and password carry them; `None` if the result is
/// not UTF-8.
fn percent_encoding_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s).decode_utf8().ok().map(|c| c.into_owned())
}

#[derive(Clone, Copy)]
enum Scope {
    All,
    Http,
    Https,
}

/// Which proxy a client goes through.
#[derive(Debug, Clone, Default)]
pub(crate) enum ProxyChoice {
    /// The environment's variables, read when the client is built.
    #[default]
    Environment,
    /// None at all.
    Off,
    /// This one, for every scheme and every host.
    Url(Proxy),
}

/// The proxy variables of an environment (`var` reads one), as reqwest proxies. The upper-case
/// name wins over the lower-case one when both are set. A value that is not a usable proxy URL is
/// an error naming the variable, never quoting its credentials: going direct instead would be the
/// silent failure a proxy setting is meant to prevent.
fn environment_proxies(var: impl Fn(&str) -> Option<String>) -> Result<Vec<reqwest::Proxy>> {
    let first = |names: [&'static str; 2]| {
        names.into_iter().find_map(|n| var(n).filter(|v| !v.trim().is_empty()).map(|v| (n, v.trim().to_owned())))
    };
    let mut no_proxy = LOOPBACK.to_owned();
    if let Some((_, list)) = first(["NO_PROXY", "no_proxy"]) {
        no_proxy.push(',');
        no_proxy.push_str(&list);
    }
    // Under CGI a request's `Proxy:` header arrives as HTTP_PROXY ("httpoxy"): a caller could pick
    // the proxy. curl and reqwest do not read it there either.
    let cgi = var("REQUEST_METHOD").is_some();
    let mut proxies = Vec::new();
    for (names, scope) in [
        (["HTTPS_PROXY", "https_proxy"], Scope::Https),
        (["HTTP_PROXY", "http_proxy"], Scope::Http),
        (["ALL_PROXY", "all_proxy"], Scope::All),
    ] {
        if cgi && matches!(scope, Scope::Http) {
            continue;
        }
        if let Some((name, value)) = first(names) {
            let proxy = Proxy::parse(&value).map_err(|e| {
                Error::config(format!("{e} (from the {name} variable; `no_proxy()` ignores the environment)"))
            })?;
            proxies.push(proxy.to_reqwest(scope, &no_proxy).map_err(|_| {
                Error::config(format!("the {name} variable {:?} is not a usable proxy", crate::redact::url(&value)))
            })?);
        }
    }
    Ok(proxies)
}

/// Network settings every client of one `BillingClient` shares: the proxy and the extra roots.
#[derive(Debug, Clone, Default)]
pub(crate) struct Network {
    pub(crate) proxy: ProxyChoice,
    /// Extra trusted CA certificates, as PEM, each checked by [`check_root`].
    pub(crate) roots: Vec<Arc<[u8]>>,
}

/// Check that `pem` holds at least one certificate, for a clear error at `build()`.
pub(crate) fn check_root(pem: &[u8]) -> Result<()> {
    match reqwest::Certificate::from_pem_bundle(pem) {
        Ok(certs) if !certs.is_empty() => Ok(()),
        _ => Err(Error::config("add_root_certificate: no PEM certificate found in the given bytes")),
    }
}

/// A pooled HTTP/1.1 client with the crate's policies. Cheap to clone: clones share the pool.
#[derive(Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http").finish_non_exhaustive()
    }
}

impl Http {
    /// A client whose connections (DNS, TCP, proxy tunnel and TLS together) must be up within
    /// `connect_timeout`, with `network`'s proxy and roots. `what` names the client in the error
    /// ("the HTTP client for credentials", ...).
    pub(crate) fn new(connect_timeout: Duration, network: &Network, what: &str) -> Result<Http> {
        let failed = |source: BoxError| {
            Error::Config(Box::new(crate::error::ConfigError {
                message: format!("{what} could not be built"),
                source: Some(source),
            }))
        };
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .http1_only()
            .connect_timeout(connect_timeout)
            .pool_idle_timeout(POOL_IDLE)
            .tcp_nodelay(true)
            .tcp_keepalive(KEEPALIVE)
            .tcp_keepalive_interval(KEEPALIVE)
            .tcp_keepalive_retries(KEEPALIVE_RETRIES)
            .referer(false)
            // The send path decides retries. reqwest's own layer retries nothing over HTTP/1, but
            // with its default policy it copies every request and its headers in case it might.
            .retry(reqwest::retry::never().max_retries_per_request(0))
            .no_proxy();
        let proxies = match &network.proxy {
            ProxyChoice::Off => Vec::new(),
            ProxyChoice::Environment => environment_proxies(|name| std::env::var(name).ok())?,
            // The user's own word: it carries everything, loopback included.
            ProxyChoice::Url(p) => vec![p.to_reqwest(Scope::All, "").map_err(|e| failed(e.without_url().into()))?],
        };
        for p in proxies {
            builder = builder.proxy(p);
        }
        builder = tls(builder, &network.roots).map_err(failed)?;
        let client = builder.build().map_err(|e| failed(e.without_url().into()))?;
        Ok(Http { client })
    }

    /// Send `request`; the future resolves once the answer's head has arrived. Its error never
    /// carries the URL.
    pub(crate) fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = std::result::Result<HttpResponse, reqwest::Error>> + Send + 'static {
        let pending = self.client.execute(request);
        async move { pending.await.map_err(reqwest::Error::without_url) }
    }

    /// A GET of `target`, accepting any type (as every request of the crate always has).
    pub(crate) fn get(target: &Target) -> HttpRequest {
        let mut request = reqwest::Request::new(Method::GET, target.url.clone());
        request.headers_mut().insert(http::header::ACCEPT, HeaderValue::from_static("*/*"));
        if let Some(auth) = &target.auth {
            request.headers_mut().insert(http::header::AUTHORIZATION, auth.clone());
        }
        request
    }

    /// A POST of `body` with its `Content-Type` to `target`.
    pub(crate) fn post(target: &Target, content_type: &'static str, body: Bytes) -> HttpRequest {
        let mut request = Self::get(target);
        *request.method_mut() = Method::POST;
        request.headers_mut().insert(http::header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        *request.body_mut() = Some(body.into());
        request
    }

    /// A POST of `body` to `url` with exactly `headers`: the send path's request, built without
    /// a `RequestBuilder` (the URL was parsed once, the headers come whole from the template).
    pub(crate) fn post_with(url: &Url, headers: HeaderMap, body: Bytes) -> HttpRequest {
        let mut request = reqwest::Request::new(Method::POST, url.clone());
        *request.headers_mut() = headers;
        *request.body_mut() = Some(body.into());
        request
    }
}

/// Give `builder` this build's TLS: native-tls when that feature is on, rustls otherwise; `roots`
/// trusted besides the platform's.
#[cfg(feature = "native-tls")]
fn tls(builder: reqwest::ClientBuilder, roots: &[Arc<[u8]>]) -> std::result::Result<reqwest::ClientBuilder, BoxError> {
    let mut certs = Vec::new();
    for pem in roots {
        certs.extend(reqwest::Certificate::from_pem_bundle(pem)?);
    }
    Ok(builder.tls_backend_native().tls_certs_merge(certs))
}

#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
fn tls(builder: reqwest::ClientBuilder, roots: &[Arc<[u8]>]) -> std::result::Result<reqwest::ClientBuilder, BoxError> {
    let config = if roots.is_empty() { shared_rustls()? } else { rustls_config(roots)? };
    Ok(builder.tls_backend_preconfigured(config))
}

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
fn tls(builder: reqwest::ClientBuilder, roots: &[Arc<[u8]>]) -> std::result::Result<reqwest::ClientBuilder, BoxError> {
    if roots.is_empty() {
        Ok(builder)
    } else {
        Err("add_root_certificate needs the `rustls` or `native-tls` feature".into())
    }
}

/// The rustls settings of every client without extra roots, made by the first that needs them:
/// the platform verifier loads the system's roots once, on its first use, and they do not change
/// while the process runs. A failure is not kept, so a later client tries again.
#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
fn shared_rustls() -> std::result::Result<rustls::ClientConfig, BoxError> {
    static SHARED: std::sync::OnceLock<rustls::ClientConfig> = std::sync::OnceLock::new();
    if let Some(config) = SHARED.get() {
        return Ok(config.clone());
    }
    let config = rustls_config(&[])?;
    Ok(SHARED.get_or_init(|| config).clone())
}

/// rustls with the provider the program installed (ring if none: nothing is installed for the
/// process), verified by the platform with `roots` added, offering HTTP/1.1 only.
#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
fn rustls_config(roots: &[Arc<[u8]>]) -> std::result::Result<rustls::ClientConfig, BoxError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject as _;
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let verifier = if roots.is_empty() {
        rustls_platform_verifier::Verifier::new(provider.clone())?
    } else {
        let mut extra = Vec::new();
        for pem in roots {
            for cert in CertificateDer::pem_slice_iter(pem) {
                extra.push(cert?);
            }
        }
        rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider.clone())?
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Where the requests to a URL go: the URL without its user name and password, which travel as
/// basic credentials instead. So no log line and no error can show them.
#[derive(Clone)]
pub(crate) struct Target {
    pub(crate) url: Url,
    auth: Option<HeaderValue>,
}

impl Target {
    /// The target of `url`; `None` for one HTTP cannot carry.
    pub(crate) fn new(url: &Url) -> Option<Target> {
        if !matches!(url.scheme(), "http" | "https") || !url.has_host() {
            return None;
        }
        let auth = if url.username().is_empty() && url.password().is_none() {
            None
        } else {
            let user = percent_encoding_decode(url.username())?;
            let password = percent_encoding_decode(url.password().unwrap_or(""))?;
            let mut value = basic_auth_value(&user, &password)?;
            value.set_sensitive(true);
            Some(value)
        };
        let mut bare = url.clone();
        bare.set_username("").ok()?;
        bare.set_password(None).ok()?;
        Some(Target { url: bare, auth })
    }
}

/// `Basic base64(user:password)`.
fn basic_auth_value(user: &str, password: &str) -> Option<HeaderValue> {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    HeaderValue::try_from(format!("Basic {encoded}")).ok()
}

/// The target of `url`, or a configuration error naming `what` ("endpoint URL", ...).
pub(crate) fn target(url: &Url, what: &str) -> Result<Target> {
    Target::new(url)
        .ok_or_else(|| Error::config(format!("{what} {:?} is not usable for HTTP", crate::redact::url(url.as_str()))))
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
pub(crate) fn redirect_of(resp: &HttpResponse, base: &Url) -> Option<Redirect> {
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
    resp.content_length()
}

/// Whether the answer's body carries its own end: a `Content-Length`, a chunked transfer coding
/// (whose last chunk marks the end), or HTTP/2 and later (whose frames do). Otherwise the body
/// ends where the connection closes, which a host that crashes or a connection that drops looks
/// exactly like: such a body can never be shown to be whole.
pub(crate) fn delimits_its_body(resp: &HttpResponse) -> bool {
    framed(resp.version(), resp.headers())
}

/// [`delimits_its_body`] on the version and headers alone.
fn framed(version: http::Version, headers: &http::HeaderMap) -> bool {
    if version >= http::Version::HTTP_2 || headers.contains_key(http::header::CONTENT_LENGTH) {
        return true;
    }
    // The last transfer coding decides: "gzip, chunked" is chunked, "chunked, gzip" is not.
    headers
        .get_all(http::header::TRANSFER_ENCODING)
        .iter()
        .next_back()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.rsplit(',').next().is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked")))
}

/// The next piece of an answer's body; `None` at its end. The error never carries the URL.
pub(crate) async fn next_chunk(resp: &mut HttpResponse) -> std::result::Result<Option<Bytes>, reqwest::Error> {
    resp.chunk().await.map_err(reqwest::Error::without_url)
}

/// Read a whole answer, refusing one larger than `cap` bytes as soon as its `Content-Length` or
/// the bytes read so far pass it. `too_large(seen, start)` builds the error from the size seen and
/// the bytes read so far; a failure while reading is mapped with `read_error`.
pub(crate) async fn read_capped<E>(
    resp: &mut HttpResponse,
    cap: usize,
    too_large: impl FnOnce(u64, &[u8]) -> E,
    read_error: impl FnOnce(reqwest::Error) -> E,
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
    pub(crate) fn new(connect: Duration, total: Duration, network: &Network) -> Result<SmallClient> {
        Ok(SmallClient { http: Http::new(connect, network, "the HTTP client for credentials")?, total })
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

/// The crate's error for an exchange of `action` that failed before the answer's head arrived.
pub(crate) fn error(action: &'static str, e: reqwest::Error, connect_timeout: Duration) -> Error {
    if e.is_connect() && e.is_timeout() {
        return Error::Timeout(Box::new(TimeoutError { action, kind: TimeoutKind::Connect, after: connect_timeout }));
    }
    let phase = if e.is_connect() { TransportPhase::Connect } else { TransportPhase::Request };
    Error::Transport(Box::new(TransportError { action, phase, source: Some(Box::new(e.without_url())) }))
}

/// The crate's error for an answer of `action` whose body could not be read: the server has the
/// request.
pub(crate) fn body_error(action: &'static str, e: reqwest::Error) -> Error {
    Error::Transport(Box::new(TransportError {
        action,
        phase: TransportPhase::Body,
        source: Some(Box::new(e.without_url())),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_framed_by_its_length_its_chunks_or_its_protocol() {
        use http::header::{CONTENT_LENGTH, HeaderMap, HeaderValue, TRANSFER_ENCODING};
        let with = |pairs: &[(http::HeaderName, &'static str)]| {
            let mut h = HeaderMap::new();
            for (n, v) in pairs {
                h.append(n.clone(), HeaderValue::from_static(v));
            }
            h
        };
        let v11 = http::Version::HTTP_11;
        assert!(framed(v11, &with(&[(CONTENT_LENGTH, "6000")])));
        assert!(framed(v11, &with(&[(TRANSFER_ENCODING, "chunked")])));
        assert!(framed(v11, &with(&[(TRANSFER_ENCODING, "gzip, Chunked")])));
        assert!(framed(v11, &with(&[(TRANSFER_ENCODING, "gzip"), (TRANSFER_ENCODING, "chunked")])));
        assert!(framed(http::Version::HTTP_2, &HeaderMap::new()));
        // Ended only by the connection closing: never provably whole.
        assert!(!framed(v11, &HeaderMap::new()));
        assert!(!framed(http::Version::HTTP_10, &HeaderMap::new()));
        assert!(!framed(v11, &with(&[(TRANSFER_ENCODING, "chunked, gzip")])));
        assert!(!framed(v11, &with(&[(TRANSFER_ENCODING, "identity")])));
    }

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
        assert_eq!(p.url.as_str(), "http://proxy.internal:3128/");
        assert_eq!(p.auth, Some(("us@er".to_owned(), "p:ss".to_owned())));
        let shown = format!("{p:?}");
        assert!(!shown.contains("us@er") && !shown.contains("p:ss") && !shown.contains("p%3Ass"), "{shown}");
        assert_eq!(Proxy::parse("proxy.internal:8080").unwrap().url.as_str(), "http://proxy.internal:8080/");
        assert_eq!(Proxy::parse("http://[::1]").unwrap().url.as_str(), "http://[::1]/");
        // reqwest speaks TLS to an https:// proxy.
        assert_eq!(Proxy::parse("https://proxy:443").unwrap().url.as_str(), "https://proxy/");
        assert!(Proxy::parse("http://proxy.internal").unwrap().auth.is_none());
        for bad in ["::not a url::", "socks5://proxy:1080", "http://"] {
            let e = Proxy::parse(bad).unwrap_err().to_string();
            assert!(e.contains("invalid proxy"), "{bad}: {e}");
        }
        let e = Proxy::parse("socks5://user:hunter2@proxy:1080").unwrap_err().to_string();
        assert!(!e.contains("hunter2"), "{e}");
    }

    #[test]
    fn the_environment_names_the_proxies_and_a_bad_one_is_an_error_without_its_password() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned())
        };
        assert!(environment_proxies(env(&[])).unwrap().is_empty());
        assert!(environment_proxies(env(&[("HTTPS_PROXY", "  ")])).unwrap().is_empty());
        const ALL: &[(&str, &str)] =
            &[("https_proxy", "proxy:1"), ("HTTP_PROXY", "http://proxy:2"), ("all_proxy", "https://proxy:3")];
        assert_eq!(environment_proxies(env(ALL)).unwrap().len(), 3);
        const CGI: &[(&str, &str)] = &[("REQUEST_METHOD", "GET"), ("HTTP_PROXY", "http://attacker:1")];
        assert!(environment_proxies(env(CGI)).unwrap().is_empty());
        let e = environment_proxies(env(&[("ALL_PROXY", "socks5://u:hunter2@proxy:1080")])).unwrap_err().to_string();
        assert!(e.contains("ALL_PROXY") && e.contains("no_proxy()") && !e.contains("hunter2"), "{e}");
    }

    #[test]
    fn a_url_password_travels_as_basic_credentials_not_in_the_url() {
        let t = Target::new(&u("https://us%40er:p%3Ass@example.com/x")).unwrap();
        assert_eq!(t.url.as_str(), "https://example.com/x");
        // base64("us@er:p:ss")
        assert_eq!(t.auth.as_ref().unwrap(), "Basic dXNAZXI6cDpzcw==");
        assert!(t.auth.as_ref().unwrap().is_sensitive());
        assert!(Target::new(&u("https://example.com/")).unwrap().auth.is_none());
        assert!(Target::new(&u("ftp://example.com/")).is_none());
    }

    #[test]
    fn a_root_certificate_must_be_pem() {
        assert!(check_root(b"not a certificate").is_err());
        assert!(check_root(include_bytes!("../tests/fixtures/untrusted-localhost.pem")).is_ok());
    }

    #[cfg(all(feature = "rustls", not(feature = "native-tls")))]
    #[test]
    fn every_client_without_extra_roots_shares_one_tls_setup_offering_http1() {
        let (a, b) = (shared_rustls().unwrap(), shared_rustls().unwrap());
        assert!(Arc::ptr_eq(a.crypto_provider(), b.crypto_provider()));
        assert_eq!(a.alpn_protocols, [b"http/1.1".to_vec()]);
    }
}
