//! The one place that builds HTTP clients, and the policies every one of them shares.
//!
//! - **No redirects.** reqwest follows up to ten by default and re-sends a POST body on 307 and
//!   308, which would turn one payment into several and carry a signed body and its token to
//!   whatever host the `Location` names. Every client here answers a 3xx with the 3xx itself, and
//!   the caller turns it into an error.
//! - **No plain HTTP off the machine.** `http://` is accepted for loopback only (the sandbox,
//!   tests, a local gateway), unless the user opts in for a specific endpoint.
//! - **TLS provider.** reqwest is built without a bundled rustls provider; the ring one is
//!   installed here unless the program installed its own.

use std::time::Duration;

use reqwest::Url;

use crate::error::{Error, Result, TimeoutError, TimeoutKind, TransportError, TransportPhase};

/// Install the ring crypto provider for rustls unless the program installed one of its own.
pub(crate) fn install_tls_provider() {
    #[cfg(feature = "rustls")]
    {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// A reqwest client builder with the crate's policies: the TLS provider installed, redirects never
/// followed, and no proxy unless the caller adds one.
pub(crate) fn client_builder() -> reqwest::ClientBuilder {
    install_tls_provider();
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).no_proxy().tcp_nodelay(true)
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
pub(crate) fn redirect_of(resp: &reqwest::Response, base: &Url) -> Option<Redirect> {
    resp.status()
        .is_redirection()
        .then(|| Redirect { status: resp.status().as_u16(), location_host: redirect_target(base, resp.headers()) })
}

/// The host a redirect answer points at, for the error: the `Location` resolved against the
/// request's URL. Only the host (and port) is kept: a path or query may carry a secret.
pub(crate) fn redirect_target(base: &Url, headers: &reqwest::header::HeaderMap) -> Option<String> {
    let location = headers.get(reqwest::header::LOCATION)?.to_str().ok()?;
    let target = base.join(location).ok()?;
    let host = target.host_str()?;
    Some(match target.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_owned(),
    })
}

/// Read a whole answer, refusing one larger than `cap` bytes as soon as its `Content-Length` or
/// the bytes read so far pass it. `too_large(seen, start)` builds the error from the size seen and
/// the bytes read so far; a failure while reading is mapped with `read_error`.
pub(crate) async fn read_capped<E>(
    resp: &mut reqwest::Response,
    cap: usize,
    too_large: impl FnOnce(u64, &[u8]) -> E,
    read_error: impl FnOnce(reqwest::Error) -> E,
) -> std::result::Result<Vec<u8>, E> {
    if let Some(len) = resp.content_length().filter(|&l| l > cap as u64) {
        return Err(too_large(len, &[]));
    }
    // The declared length only sizes the first allocation, and never beyond 1 MiB: a hostile
    // server could declare terabytes under a cap raised to `usize::MAX`.
    let declared = resp.content_length().unwrap_or(8 * 1024).min(cap as u64).min(1 << 20);
    let mut buf = Vec::with_capacity(declared as usize);
    loop {
        match resp.chunk().await {
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

/// A small HTTP client for the credential endpoints (metadata service, STS). The timeouts must
/// have been through `credentials::check_timeouts`.
pub(crate) fn small_client(connect: Duration, total: Duration, proxy: Option<&str>) -> Result<reqwest::Client> {
    let mut b = client_builder().connect_timeout(connect).timeout(total);
    if let Some(p) = proxy {
        // reqwest's error text may quote the URL, so it is left out.
        let proxy = reqwest::Proxy::all(p)
            .map_err(|_| Error::config(format!("invalid proxy URL {:?}", crate::redact::url(p))))?;
        b = b.proxy(proxy);
    }
    b.build().map_err(|e| {
        Error::Config(Box::new(crate::error::ConfigError {
            message: "the HTTP client for credentials could not be built".into(),
            source: Some(Box::new(e)),
        }))
    })
}

/// The largest answer read from a credential endpoint.
pub(crate) const MAX_CREDENTIAL_RESPONSE: usize = 64 * 1024;

/// Read at most [`MAX_CREDENTIAL_RESPONSE`] bytes of an answer; the error says what went wrong.
pub(crate) async fn read_small_body(mut resp: reqwest::Response) -> std::result::Result<Vec<u8>, String> {
    read_capped(
        &mut resp,
        MAX_CREDENTIAL_RESPONSE,
        |_, _| format!("the answer is larger than {MAX_CREDENTIAL_RESPONSE} bytes"),
        |e| format!("reading the answer failed: {}", e.without_url()),
    )
    .await
}

/// The crate's error for a failed exchange of `action`. `reading_body`: the head had arrived, so
/// the server has the request.
pub(crate) fn error(action: &'static str, e: reqwest::Error, reading_body: bool, connect_timeout: Duration) -> Error {
    let phase = if reading_body {
        TransportPhase::Body
    } else if e.is_connect() {
        TransportPhase::Connect
    } else {
        TransportPhase::Request
    };
    if e.is_timeout() && phase == TransportPhase::Connect {
        return Error::Timeout(Box::new(TimeoutError { action, kind: TimeoutKind::Connect, after: connect_timeout }));
    }
    // Without its URL: the endpoint may carry userinfo, and the error is shown to users.
    Error::Transport(Box::new(TransportError { action, phase, source: Some(Box::new(e.without_url())) }))
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
        let mut h = reqwest::header::HeaderMap::new();
        assert_eq!(redirect_target(&base, &h), None);
        h.insert(reqwest::header::LOCATION, "http://evil.example:8443/steal?key=hunter2".parse().unwrap());
        assert_eq!(redirect_target(&base, &h).as_deref(), Some("evil.example:8443"));
        h.insert(reqwest::header::LOCATION, "/again".parse().unwrap());
        assert_eq!(redirect_target(&base, &h).as_deref(), Some("billing.tencentcloudapi.com"));
    }
}
