//! The one place that makes URLs safe to show in errors, `Debug` output and logs.
//!
//! URLs given to this crate can carry secrets in two places: userinfo (`user:password@` in a
//! proxy, Redis or endpoint URL) and the query string (chat webhooks put their key there, as in
//! `?key=...`). Every URL that reaches a message goes through [`url`], so that a new call site
//! cannot forget one of the two.

/// `text` with any userinfo and any query string or fragment replaced by `redacted`.
///
/// The scheme, host, port and path stay, since they are what an operator needs to see which
/// setting is wrong. Text that does not parse as a URL is still cut at its last `@` and at its
/// first `?` or `#`, because it may be a URL with a typo that still holds a password.
pub(crate) fn url(text: &str) -> String {
    // Text like `user:pass@host:1` parses as a URL with the scheme `user` and no host; treat
    // anything without a host as unparseable, so its `@` part is still cut.
    match url::Url::parse(text).ok().filter(|u| u.has_host()) {
        Some(mut u) => {
            if !u.username().is_empty() {
                let _ = u.set_username("redacted");
            }
            if u.password().is_some() {
                let _ = u.set_password(Some("redacted"));
            }
            if u.query().is_some() {
                u.set_query(Some("redacted"));
            }
            if u.fragment().is_some() {
                u.set_fragment(Some("redacted"));
            }
            u.to_string()
        }
        None => {
            let (text, cut) = match text.find(['?', '#']) {
                Some(i) => (&text[..i], true),
                None => (text, false),
            };
            let mut shown = match text.rsplit_once('@') {
                Some((_, host)) => format!("<redacted>@{host}"),
                None => text.to_owned(),
            };
            if cut {
                shown.push_str("?redacted");
            }
            shown
        }
    }
}

/// A webhook URL as errors and `Debug` show it: [`url`] hides userinfo and query
/// (WeCom, DingTalk and Feishu put their key there), and the path is hidden too, since Slack- and
/// Discord-style webhooks carry their token in it. Scheme, host and port stay. Only the monitor's
/// sinks post to webhooks.
#[cfg(feature = "monitor")]
pub(crate) fn webhook_url(url: &str) -> String {
    let redacted = self::url(url);
    match url::Url::parse(&redacted) {
        Ok(mut u) if u.path() != "/" && !u.cannot_be_a_base() => {
            u.set_path("/redacted");
            u.to_string()
        }
        Ok(u) if u.cannot_be_a_base() => format!("{}:redacted", u.scheme()),
        _ => redacted,
    }
}

#[cfg(test)]
mod tests {
    use super::url;

    #[test]
    fn userinfo_query_and_fragment_are_hidden() {
        assert_eq!(url("http://user:hunter2@proxy.internal:3128"), "http://redacted:redacted@proxy.internal:3128/");
        assert_eq!(url("redis://:hunter2@127.0.0.1:6379/2"), "redis://:redacted@127.0.0.1:6379/2");
        assert_eq!(
            url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=hunter2"),
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?redacted"
        );
        assert_eq!(url("https://hooks.example/x#hunter2"), "https://hooks.example/x#redacted");
        assert_eq!(url("https://billing.tencentcloudapi.com/"), "https://billing.tencentcloudapi.com/");
    }

    #[test]
    fn unparseable_text_is_cut_too() {
        for bad in ["http://user:hunter2@[bad", "user:hunter2@host:99999", "http://[bad/?key=hunter2", "::?hunter2"] {
            let shown = url(bad);
            assert!(!shown.contains("hunter2"), "{bad:?} -> {shown:?}");
        }
        assert_eq!(url("not a url"), "not a url");
    }
}
