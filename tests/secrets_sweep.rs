//! Every setting that takes a URL, given a URL that carries a secret in each place a URL can
//! (userinfo, query, fragment, a scheme-less `user:pass@host`, unparseable text): whatever the
//! setting makes of it (accepted, refused by `build()`, or failing at the first call), the secret
//! appears in no error's Display, Debug or source chain, in no builder's or client's Debug, and in
//! no log line.
//!
//! One test in this binary: it installs the global subscriber.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tencentcloud_billing::credentials::{AssumeRoleProvider, CvmRoleProvider, WebIdentityProvider};
use tencentcloud_billing::monitor::{ChatFormat, ChatSink, WebhookSink};
use tencentcloud_billing::{BillingClient, Credentials, RetryConfig};

const SECRET: &str = "hunter2";

/// URLs with `hunter2` where a secret may hide, for a host that is nowhere (port 9 on loopback).
fn hostile_urls() -> Vec<String> {
    vec![
        format!("http://user:{SECRET}@127.0.0.1:9/"),
        format!("https://user:{SECRET}@billing.invalid/"),
        format!("http://127.0.0.1:9/path?key={SECRET}"),
        format!("https://hooks.invalid/send?key={SECRET}&x=1"),
        format!("http://127.0.0.1:9/#{SECRET}"),
        format!("user:{SECRET}@127.0.0.1:9"),
        format!("http://user:{SECRET}@[bad"),
        format!("ftp://user:{SECRET}@127.0.0.1:9/"),
        format!("http://[bad/?key={SECRET}"),
        format!("ws://127.0.0.1:9/?token={SECRET}"),
    ]
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Display, Debug and every source of an error.
fn shown(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = format!("{e} {e:?}");
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(&format!(" | {s} {s:?}"));
        source = s.source();
    }
    out
}

fn assert_clean(what: &str, url: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} with {url:?} shows the secret: {text}");
}

#[tokio::test]
async fn no_secret_from_any_url_setting() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();
    let creds = || Credentials::new("AKIDsweep", "sweep-secret-key");
    let quick = RetryConfig::disabled();
    let mut checked = 0;
    for url in hostile_urls() {
        // The billing endpoint, plain and with plain http allowed.
        for allow_http in [false, true] {
            let mut b = BillingClient::builder().credentials(creds()).endpoint(&url).retry(quick.clone());
            if allow_http {
                b = b.allow_insecure_http();
            }
            assert_clean("endpoint builder Debug", &url, &format!("{b:?}"));
            match b.timeout(Duration::from_secs(2)).build() {
                Err(e) => assert_clean("endpoint build error", &url, &shown(&e)),
                Ok(c) => {
                    assert_clean("client Debug", &url, &format!("{c:?}"));
                    if let Err(e) = c.describe_account_balance().send().await {
                        assert_clean("endpoint call error", &url, &shown(&e));
                    }
                }
            }
            checked += 1;
        }
        // The proxy.
        let b = BillingClient::builder()
            .credentials(creds())
            .proxy(&url)
            .endpoint("http://127.0.0.1:9/")
            .retry(quick.clone());
        assert_clean("proxy builder Debug", &url, &format!("{b:?}"));
        match b.build() {
            Err(e) => assert_clean("proxy build error", &url, &shown(&e)),
            Ok(c) => {
                if let Err(e) = c.describe_account_balance().send().await {
                    assert_clean("proxy call error", &url, &shown(&e));
                }
            }
        }
        // Redis.
        #[cfg(feature = "redis")]
        {
            let b = BillingClient::builder().credentials(creds()).redis_rate_limit(&url);
            assert_clean("redis builder Debug", &url, &format!("{b:?}"));
            if let Err(e) = b.build() {
                assert_clean("redis build error", &url, &shown(&e));
            }
        }
        // STS AssumeRole: endpoint and proxy.
        for (what, b) in [
            ("AssumeRole endpoint", AssumeRoleProvider::builder(creds(), "qcs::cam::uin/1:roleName/r").endpoint(&url)),
            (
                "AssumeRole proxy",
                AssumeRoleProvider::builder(creds(), "qcs::cam::uin/1:roleName/r")
                    .endpoint("http://127.0.0.1:9/")
                    .proxy(&url),
            ),
        ] {
            assert_clean(what, &url, &format!("{b:?}"));
            match b.build() {
                Err(e) => assert_clean(what, &url, &shown(&e)),
                Ok(p) => {
                    assert_clean(what, &url, &format!("{p:?}"));
                    let c = BillingClient::builder()
                        .credentials_provider(p)
                        .endpoint("http://127.0.0.1:9/")
                        .retry(quick.clone())
                        .build()
                        .unwrap();
                    if let Err(e) = c.describe_account_balance().send().await {
                        assert_clean(what, &url, &shown(&e));
                    }
                }
            }
        }
        // STS web identity: endpoint and proxy.
        for (what, b) in [
            ("web identity endpoint", WebIdentityProvider::builder().endpoint(&url)),
            ("web identity proxy", WebIdentityProvider::builder().endpoint("http://127.0.0.1:9/").proxy(&url)),
        ] {
            assert_clean(what, &url, &format!("{b:?}"));
            match b.build() {
                Err(e) => assert_clean(what, &url, &shown(&e)),
                Ok(p) => assert_clean(what, &url, &format!("{p:?}")),
            }
        }
        // The CVM metadata service.
        let b = CvmRoleProvider::builder().base_url(&url);
        assert_clean("CVM base URL", &url, &format!("{b:?}"));
        match b.build() {
            Err(e) => assert_clean("CVM base URL", &url, &shown(&e)),
            Ok(p) => {
                assert_clean("CVM provider Debug", &url, &format!("{p:?}"));
                let c = BillingClient::builder()
                    .credentials_provider(p)
                    .endpoint("http://127.0.0.1:9/")
                    .retry(quick.clone())
                    .build()
                    .unwrap();
                if let Err(e) = c.describe_account_balance().send().await {
                    assert_clean("CVM call error", &url, &shown(&e));
                }
            }
        }
        // Alert sinks.
        for (what, sink) in [
            ("webhook sink", WebhookSink::new(&url).map(|s| format!("{s:?}"))),
            ("webhook sink (http allowed)", WebhookSink::new_allowing_http(&url).map(|s| format!("{s:?}"))),
            ("chat sink", ChatSink::new(&url, ChatFormat::WeCom).map(|s| format!("{s:?}"))),
        ] {
            match sink {
                Ok(debug) => assert_clean(what, &url, &debug),
                Err(e) => assert_clean(what, &url, &shown(&e)),
            }
        }
    }
    assert_eq!(checked, 2 * hostile_urls().len());
    let logs = String::from_utf8_lossy(&capture.0.lock().unwrap()).into_owned();
    assert!(!logs.is_empty(), "the calls were logged");
    assert!(!logs.contains(SECRET), "a log line shows the secret:\n{logs}");
}
