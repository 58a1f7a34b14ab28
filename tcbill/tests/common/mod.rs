//! Helpers shared by tcbill's test binaries.

/// Split one CSV line (RFC 4180, no embedded newlines in the demo data).
pub fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let (mut quoted, mut chars) = (false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            (c, _) => out.last_mut().unwrap().push(c),
        }
    }
    out
}

/// A client for scraping `/metrics` over plain HTTP. reqwest's rustls is built without a crypto
/// provider of its own (the library brings ring and never installs it for the process), so a
/// program that builds its own reqwest client installs one first, as this does.
#[allow(dead_code)]
pub fn scraper() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// A path in a fresh temporary directory of its own. Dropping it removes the directory and
/// whatever the test wrote there, also when the test fails (the drop runs while unwinding).
#[allow(dead_code)]
pub struct TempPath {
    path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

#[allow(dead_code)]
impl TempPath {
    /// `name` in a new directory under the temp dir (`TMPDIR`); nothing is created at `name`.
    pub fn new(name: &str) -> Self {
        let dir = tempfile::Builder::new().prefix("tcbill-test-").tempdir().unwrap();
        TempPath { path: dir.path().join(name), _dir: dir }
    }
}

impl std::ops::Deref for TempPath {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.path
    }
}

impl AsRef<std::path::Path> for TempPath {
    fn as_ref(&self) -> &std::path::Path {
        &self.path
    }
}

impl AsRef<std::ffi::OsStr> for TempPath {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.path.as_os_str()
    }
}
