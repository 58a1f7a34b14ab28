//! Credentials: a SecretId, a SecretKey and, for temporary (STS) credentials, a token.
//!
//! The key and the token never appear in `Debug` output, and the type has no `Display` and no
//! `Serialize`, so they cannot leak through logs or error messages by accident.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::tc3::SigningKey;

/// API credentials. Cheap to clone: the strings live behind an `Arc`.
///
/// ```
/// use tencentcloud_billing::Credentials;
/// let creds = Credentials::new("AKIDEXAMPLE", "secret").with_token("sts-token");
/// assert_eq!(creds.secret_id(), "AKIDEXAMPLE");
/// assert!(!format!("{creds:?}").contains("secret\""));
/// ```
#[derive(Clone)]
pub struct Credentials {
    inner: Arc<Inner>,
}

struct Inner {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
    expires_at: Option<SystemTime>,
    /// The derived signing key of the last (UTC date, service) signed for. Deriving it costs three
    /// HMACs, so it is kept for the day; rotating credentials means a new `Credentials`, and so a
    /// fresh cache.
    signing_key: Mutex<Option<Arc<SigningKey>>>,
}

impl Credentials {
    /// Long-lived credentials from a SecretId and a SecretKey.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Credentials {
            inner: Arc::new(Inner {
                secret_id: secret_id.into(),
                secret_key: secret_key.into(),
                token: None,
                expires_at: None,
                signing_key: Mutex::new(None),
            }),
        }
    }

    /// The same credentials with an STS session token (sent as `X-TC-Token`).
    pub fn with_token(self, token: impl Into<String>) -> Self {
        self.rebuild(|i| i.token = Some(token.into()))
    }

    /// The same credentials with an expiry time, for temporary credentials.
    pub fn with_expiry(self, expires_at: SystemTime) -> Self {
        self.rebuild(|i| i.expires_at = Some(expires_at))
    }

    fn rebuild(self, f: impl FnOnce(&mut Inner)) -> Self {
        let mut inner = Inner {
            secret_id: self.inner.secret_id.clone(),
            secret_key: self.inner.secret_key.clone(),
            token: self.inner.token.clone(),
            expires_at: self.inner.expires_at,
            signing_key: Mutex::new(None),
        };
        f(&mut inner);
        Credentials { inner: Arc::new(inner) }
    }

    /// The SecretId (not secret: it appears in every Authorization header).
    pub fn secret_id(&self) -> &str {
        &self.inner.secret_id
    }

    /// The session token, for temporary credentials.
    pub fn token(&self) -> Option<&str> {
        self.inner.token.as_deref()
    }

    /// When temporary credentials stop working; `None` for long-lived ones.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.inner.expires_at
    }

    pub(crate) fn secret_key(&self) -> &str {
        &self.inner.secret_key
    }

    /// The signing key for `date` (days since the Unix epoch, UTC) and `service`, derived once
    /// per day and service and then reused.
    pub(crate) fn signing_key(&self, day: i64, service: &str) -> Arc<SigningKey> {
        let mut slot = self.inner.signing_key.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(key) = slot.as_ref().filter(|k| k.day() == day && k.service() == service) {
            return Arc::clone(key);
        }
        let key = Arc::new(SigningKey::derive(self.secret_key(), day, service));
        *slot = Some(Arc::clone(&key));
        key
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.inner.secret_id)
            .field("secret_key", &"** redacted **")
            .field("token", &self.inner.token.as_ref().map(|_| "** redacted **"))
            .field("expires_at", &self.inner.expires_at)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_key_and_token() {
        let c = Credentials::new("AKIDvisible", "very-secret-key").with_token("very-secret-token");
        let dbg = format!("{c:?} {c:#?}");
        assert!(dbg.contains("AKIDvisible"));
        assert!(!dbg.contains("very-secret-key"));
        assert!(!dbg.contains("very-secret-token"));
    }

    #[test]
    fn signing_key_is_cached_per_day_and_service() {
        let c = Credentials::new("id", "key");
        let a = c.signing_key(100, "billing");
        let b = c.signing_key(100, "billing");
        assert!(Arc::ptr_eq(&a, &b));
        let d = c.signing_key(101, "billing");
        assert!(!Arc::ptr_eq(&a, &d));
        assert_eq!(d.day(), 101);
    }
}
