//! Credentials from the shared profile file (`~/.tencentcloud/credentials`), and the small INI
//! reader it needs.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use super::files::read_small_file;
use super::{Credentials, CredentialsFuture, Env, ProvideCredentials};
use crate::error::{Error, Result};

/// The environment variable naming the profile file.
pub(crate) const FILE_VAR: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
/// The environment variable naming the profile to use.
pub(crate) const PROFILE_VAR: &str = "TENCENTCLOUD_PROFILE";
/// The machine-wide profile file, tried after the user's.
pub(crate) const SYSTEM_FILE: &str = "/etc/tencentcloud/credentials";

/// Credentials from the profile file the official Tencent Cloud tools share.
///
/// The file is the one named by `TENCENTCLOUD_CREDENTIALS_FILE`, else
/// `~/.tencentcloud/credentials`, else `/etc/tencentcloud/credentials`. It is INI: one section
/// per profile, `[default]` unless `TENCENTCLOUD_PROFILE` names another, with the keys
/// `secret_id`, `secret_key` and, for temporary credentials, `token`:
///
/// ```ini
/// [default]
/// secret_id = AKID...
/// secret_key = ...
///
/// [billing-readonly]
/// secret_id = AKID...
/// secret_key = ...
/// ```
///
/// Lines starting with `#` or `;` are comments; values may be quoted. The file is read once, on
/// first use, and only if it is a regular file of at most 1 MiB (so that a path naming a device
/// or a FIFO gives an error instead of filling memory or blocking); through
/// [`ProvideCredentials`] the read happens on Tokio's blocking pool. When there is no file, or it has no `[default]` section and no profile was asked
/// for, the error says "not found" so that a chain moves on; a named profile that is missing, or a
/// section without `secret_id` or `secret_key`, is a real error. Error messages never quote the
/// file's contents.
///
/// ```no_run
/// use tencentcloud_billing::BillingClient;
/// use tencentcloud_billing::credentials::ProfileProvider;
/// # fn run() -> Result<(), tencentcloud_billing::Error> {
/// let profile = ProfileProvider::builder().profile("billing-readonly").build();
/// let client = BillingClient::builder().credentials_provider(profile).build()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Default)]
pub struct ProfileProvider {
    settings: Settings,
    loaded: OnceLock<Credentials>,
}

/// Where to look, cloned into the blocking task that reads the file.
#[derive(Debug, Default, Clone)]
struct Settings {
    file: Option<PathBuf>,
    profile: Option<String>,
    system_file: Option<PathBuf>,
    env: Env,
}

/// Builds a [`ProfileProvider`] with an explicit file or profile.
#[derive(Debug, Default)]
#[must_use]
pub struct ProfileProviderBuilder {
    file: Option<PathBuf>,
    profile: Option<String>,
}

impl ProfileProviderBuilder {
    /// Read this file instead of looking for one.
    pub fn file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = Some(path.into());
        self
    }

    /// Use this profile instead of `TENCENTCLOUD_PROFILE` or `default`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// The provider.
    pub fn build(self) -> ProfileProvider {
        ProfileProvider {
            settings: Settings { file: self.file, profile: self.profile, ..Settings::default() },
            ..ProfileProvider::default()
        }
    }
}

impl ProfileProvider {
    /// A provider that finds the file and the profile from the environment, as described above.
    pub fn new() -> Self {
        ProfileProvider::default()
    }

    /// A builder for an explicit file or profile.
    pub fn builder() -> ProfileProviderBuilder {
        ProfileProviderBuilder::default()
    }

    #[cfg(test)]
    pub(crate) fn with_env(env: Env, system_file: PathBuf) -> Self {
        ProfileProvider {
            settings: Settings { env, system_file: Some(system_file), ..Settings::default() },
            ..ProfileProvider::default()
        }
    }

    /// Read the credentials (from the file the first time, from memory afterwards). The first
    /// call reads the file on the calling thread; async code should go through
    /// [`ProvideCredentials::provide_credentials`], which does not block.
    ///
    /// # Errors
    /// [`Error::Credentials`] when no file or profile is found, the file cannot be read (not a
    /// regular file, larger than 1 MiB) or parsed, or the profile lacks `secret_id` or
    /// `secret_key`.
    pub fn credentials(&self) -> Result<Credentials> {
        if let Some(c) = self.loaded.get() {
            return Ok(c.clone());
        }
        let c = self.settings.load()?;
        Ok(self.loaded.get_or_init(|| c).clone())
    }

    /// [`ProfileProvider::credentials`] with the first read on Tokio's blocking pool.
    async fn credentials_async(&self) -> Result<Credentials> {
        if let Some(c) = self.loaded.get() {
            return Ok(c.clone());
        }
        let c = match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                let settings = self.settings.clone();
                handle.spawn_blocking(move || settings.load()).await.unwrap_or_else(|e| {
                    Err(Error::credentials("the profile file: the read stopped before finishing", Some(Box::new(e))))
                })?
            }
            Err(_) => self.settings.load()?,
        };
        Ok(self.loaded.get_or_init(|| c).clone())
    }

    /// The file this provider would read now, if one is found.
    pub fn path(&self) -> Option<PathBuf> {
        self.settings.locate().ok()
    }
}

impl Settings {
    fn locate(&self) -> Result<PathBuf> {
        if let Some(f) = &self.file {
            return Ok(f.clone());
        }
        if let Some(f) = self.env.get(FILE_VAR) {
            return Ok(PathBuf::from(f));
        }
        let user = self.env.home().map(|h| h.join(".tencentcloud").join("credentials"));
        let system = self.system_file.clone().unwrap_or_else(|| PathBuf::from(SYSTEM_FILE));
        for candidate in user.iter().chain(std::iter::once(&system)) {
            // Only "no such file" means absent. Anything else at the path (a FIFO, a directory, a
            // link to a device or to nothing, as an unmounted secret volume leaves) is a source
            // someone configured and that is broken: returned, so that the read reports it,
            // rather than skipped for the next file or provider, which may be another identity.
            match std::fs::symlink_metadata(candidate) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                _ => return Ok(candidate.clone()),
            }
        }
        Err(Error::credentials_not_found(format!(
            "no profile file: {FILE_VAR} is not set and neither ~/.tencentcloud/credentials nor {} exists",
            system.display()
        )))
    }

    fn load(&self) -> Result<Credentials> {
        let path = self.locate()?;
        let text = read_small_file(&path, "the profile file")?;
        let ini = parse_ini(&text).map_err(|line| {
            Error::credentials(format!("the profile file {} is not valid INI at line {line}", path.display()), None)
        })?;
        let chosen = self.profile.clone().or_else(|| self.env.get(PROFILE_VAR));
        let name = chosen.as_deref().unwrap_or("default");
        let Some(section) = ini.get(name) else {
            let msg = format!("the profile file {} has no [{name}] profile", path.display());
            return Err(if chosen.is_some() {
                Error::credentials(msg, None)
            } else {
                Error::credentials_not_found(msg)
            });
        };
        let field = |key: &str| section.get(key).filter(|v| !v.is_empty());
        let missing =
            |key: &str| Error::credentials(format!("profile [{name}] in {} has no {key}", path.display()), None);
        let id = field("secret_id").ok_or_else(|| missing("secret_id"))?;
        let key = field("secret_key").ok_or_else(|| missing("secret_key"))?;
        let c = Credentials::new(id.clone(), key.clone());
        Ok(match field("token") {
            Some(t) => c.with_token(t.clone()),
            None => c,
        })
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.credentials_async())
    }
}

type Sections = HashMap<String, HashMap<String, String>>;

/// Parse INI text into sections of keys (lowercased) and values (trimmed, unquoted). Lines before
/// the first section are ignored. On a malformed line, returns its 1-based number (never its
/// text, which may hold a secret). A section named twice, or a key given twice in one section,
/// is malformed: which of the two a tool would use is a guess (Python's `configparser`, which
/// the official CLI reads the file with, refuses both too).
pub(crate) fn parse_ini(text: &str) -> std::result::Result<Sections, usize> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sections = Sections::new();
    let mut current: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest.strip_suffix(']').ok_or(i + 1)?.trim();
            if name.is_empty() {
                return Err(i + 1);
            }
            if sections.insert(name.to_owned(), HashMap::new()).is_some() {
                return Err(i + 1);
            }
            current = Some(name.to_owned());
            continue;
        }
        let split = line.find(['=', ':']).ok_or(i + 1)?;
        let (key, value) = (line[..split].trim(), line[split + 1..].trim());
        if key.is_empty() {
            return Err(i + 1);
        }
        if let Some(section) = &current {
            let keys = sections.entry(section.clone()).or_default();
            if keys.insert(key.to_ascii_lowercase(), unquote(value).to_owned()).is_some() {
                return Err(i + 1);
            }
        }
    }
    Ok(sections)
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\u{feff}# Tencent Cloud credentials\n\
        stray = ignored\n\
        [default]\n\
        secret_id = AKIDdefault\n\
        secret_key=\"default-key\"\n\
        \n\
        ; another profile\n\
        [ reader ]\n\
        SECRET_ID: AKIDreader\n\
        secret_key = 'reader-key'\n\
        token = reader-token\n\
        role_arn = qcs::cam::uin/1:roleName/x\n\
        [broken]\n\
        secret_id = AKIDbroken\n";

    #[test]
    fn ini_sections_keys_quotes_and_comments() {
        let ini = parse_ini(FILE).unwrap();
        assert_eq!(ini["default"]["secret_id"], "AKIDdefault");
        assert_eq!(ini["default"]["secret_key"], "default-key");
        assert_eq!(ini["reader"]["secret_id"], "AKIDreader");
        assert_eq!(ini["reader"]["secret_key"], "reader-key");
        assert_eq!(ini["reader"]["role_arn"], "qcs::cam::uin/1:roleName/x");
        assert_eq!(ini.len(), 3);
        assert_eq!(parse_ini("[a]\nnot a pair\n"), Err(2));
        assert_eq!(parse_ini("[a\n"), Err(1));
        assert_eq!(parse_ini("[]\n"), Err(1));
        assert_eq!(parse_ini("[a]\n= v\n"), Err(2));
        assert!(parse_ini("").unwrap().is_empty());
        assert_eq!(parse_ini("[a]\nk = \"\"\n").unwrap()["a"]["k"], "");
    }

    #[test]
    fn a_section_or_key_given_twice_is_an_error_naming_the_line() {
        assert_eq!(parse_ini("[a]\nk = 1\n[b]\nk = 2\n[a]\nj = 3\n"), Err(5), "section [a] twice");
        assert_eq!(parse_ini("[ a ]\n[a]\n"), Err(2), "the same name once trimmed");
        assert_eq!(parse_ini("[a]\nsecret_id = x\nsecret_key = y\nSECRET_ID = z\n"), Err(4), "a key twice");
        assert!(parse_ini("[a]\nk = 1\n[b]\nk = 1\n").is_ok(), "the same key in two sections is fine");
        let dir = temp_dir("dup");
        let file = dir.0.join("creds");
        std::fs::write(&file, "[default]\nsecret_id = AKIDa\nsecret_key = first-secret\nsecret_key = second-secret\n")
            .unwrap();
        let e = ProfileProvider::builder().file(&file).build().credentials().unwrap_err();
        assert!(!e.is_credentials_not_found(), "{e}");
        let text = e.to_string();
        assert!(text.contains("line 4") && !text.contains("secret-"), "{text}");
    }

    /// What sits at the user's default path when something went wrong: each is an error of its
    /// own, and the machine-wide file (a valid, other identity) is never read instead.
    #[cfg(unix)]
    #[test]
    fn a_broken_file_at_the_default_path_is_an_error_not_absent() {
        let dir = temp_dir("unusable");
        let home = dir.0.to_str().unwrap();
        let system = dir.0.join("etc-credentials");
        std::fs::write(&system, "[default]\nsecret_id = AKIDsystem\nsecret_key = s\n").unwrap();
        let user = dir.0.join(".tencentcloud/credentials");
        let cases: [(&str, &dyn Fn()); 5] = [
            ("a FIFO", &|| {
                let ok = std::process::Command::new("mkfifo").arg(&user).status().unwrap().success();
                assert!(ok, "mkfifo");
            }),
            ("a link to /dev/zero", &|| std::os::unix::fs::symlink("/dev/zero", &user).unwrap()),
            ("a dangling link", &|| std::os::unix::fs::symlink(dir.0.join("unmounted/credentials"), &user).unwrap()),
            ("a directory", &|| std::fs::create_dir(&user).unwrap()),
            ("a file over 1 MiB", &|| std::fs::write(&user, vec![b'#'; 2 * 1024 * 1024]).unwrap()),
        ];
        for (what, make) in cases {
            let _ = std::fs::remove_file(&user);
            let _ = std::fs::remove_dir(&user);
            make();
            let p = ProfileProvider::with_env(Env::fake(&[("HOME", home)]), system.clone());
            assert_eq!(p.path().as_deref(), Some(user.as_path()), "{what}: the user's path is the one chosen");
            let e = p.credentials().unwrap_err();
            assert!(!e.is_credentials_not_found(), "{what}: must not read as absent: {e}");
            assert!(e.to_string().contains(".tencentcloud/credentials"), "{what}: {e}");
        }
        std::fs::remove_file(&user).unwrap();
        // Absent for real: the machine-wide file is next.
        let p = ProfileProvider::with_env(Env::fake(&[("HOME", home)]), system.clone());
        assert_eq!(p.credentials().unwrap().secret_id(), "AKIDsystem");
    }

    struct Dir(PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn temp_dir(tag: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("tcb-profile-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join(".tencentcloud")).unwrap();
        Dir(d)
    }

    #[test]
    fn finds_the_file_and_the_profile() {
        let dir = temp_dir("find");
        let home = dir.0.to_str().unwrap();
        let system = dir.0.join("etc-credentials");
        let none = dir.0.join("absent");
        // Nothing anywhere: not found.
        let e = ProfileProvider::with_env(Env::fake(&[("HOME", home)]), none.clone()).credentials().unwrap_err();
        assert!(e.is_credentials_not_found(), "{e}");
        // The system file is the last resort.
        std::fs::write(&system, "[default]\nsecret_id = AKIDsystem\nsecret_key = s\n").unwrap();
        let c = ProfileProvider::with_env(Env::fake(&[("HOME", home)]), system.clone()).credentials().unwrap();
        assert_eq!(c.secret_id(), "AKIDsystem");
        // The user's file wins over it.
        std::fs::write(dir.0.join(".tencentcloud/credentials"), FILE).unwrap();
        let p = ProfileProvider::with_env(Env::fake(&[("HOME", home)]), system.clone());
        assert_eq!(p.credentials().unwrap().secret_id(), "AKIDdefault");
        assert_eq!(p.path().unwrap(), dir.0.join(".tencentcloud/credentials"));
        // TENCENTCLOUD_PROFILE picks a section, with its token.
        let env = Env::fake(&[("HOME", home), (PROFILE_VAR, "reader")]);
        let c = ProfileProvider::with_env(env, system.clone()).credentials().unwrap();
        assert_eq!((c.secret_id(), c.secret_key(), c.token()), ("AKIDreader", "reader-key", Some("reader-token")));
        // TENCENTCLOUD_CREDENTIALS_FILE wins over both.
        let env = Env::fake(&[("HOME", home), (FILE_VAR, system.to_str().unwrap())]);
        assert_eq!(ProfileProvider::with_env(env, none.clone()).credentials().unwrap().secret_id(), "AKIDsystem");
    }

    #[test]
    fn broken_profiles_are_real_errors_that_quote_nothing() {
        let dir = temp_dir("broken");
        let file = dir.0.join("creds");
        std::fs::write(&file, FILE).unwrap();
        let e = ProfileProvider::builder().file(&file).profile("broken").build().credentials().unwrap_err();
        assert!(!e.is_credentials_not_found());
        assert!(e.to_string().contains("has no secret_key"), "{e}");
        let e = ProfileProvider::builder().file(&file).profile("nobody").build().credentials().unwrap_err();
        assert!(!e.is_credentials_not_found() && e.to_string().contains("no [nobody] profile"), "{e}");
        std::fs::write(&file, "[default]\nsecret_key super-secret-value\n").unwrap();
        let e = ProfileProvider::builder().file(&file).build().credentials().unwrap_err();
        assert!(e.to_string().contains("line 2") && !e.to_string().contains("super-secret"), "{e}");
        // A named file that does not exist is an error, not "not found".
        let e = ProfileProvider::builder().file(dir.0.join("missing")).build().credentials().unwrap_err();
        assert!(!e.is_credentials_not_found() && e.to_string().contains("could not be read"), "{e}");
        // A file with only named profiles and no choice made: not found, so a chain moves on.
        std::fs::write(&file, "[other]\nsecret_id = a\nsecret_key = b\n").unwrap();
        let e = ProfileProvider::builder().file(&file).build().credentials().unwrap_err();
        assert!(e.is_credentials_not_found(), "{e}");
    }
}
