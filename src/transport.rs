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

use reqwest::Url;

use crate::error::{Error, Result};

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
