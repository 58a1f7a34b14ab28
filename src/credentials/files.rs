//! Reading the small files credentials come from (the profile file, the TKE OIDC token file).
//!
//! The path comes from the environment, so it may name anything: `/dev/zero` would fill memory
//! with an unbounded read, and a FIFO would block whichever thread opens it until a writer shows
//! up. Only regular files are read, at most [`MAX_FILE`] bytes of them, and from async code the
//! read happens on Tokio's blocking pool, never on a runtime worker.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The largest credentials file read: 1 MiB, far above any real profile or token.
pub(crate) const MAX_FILE: u64 = 1024 * 1024;

/// The text of the regular file at `path`, at most [`MAX_FILE`] bytes. Blocks: from async code
/// use [`read_small_file_async`]. `what` names the file in errors ("the profile file").
pub(crate) fn read_small_file(path: &Path, what: &str) -> Result<String> {
    let unreadable = |e: std::io::Error| {
        Error::credentials(format!("{what} {} could not be read", path.display()), Some(Box::new(e)))
    };
    let not_regular = || Error::credentials(format!("{what} {} is not a regular file", path.display()), None);
    // Checked before opening: opening a FIFO blocks. Symbolic links are followed (Kubernetes
    // mounts the token file through one).
    if !std::fs::metadata(path).map_err(unreadable)?.is_file() {
        return Err(not_regular());
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    // And again on what was opened, in case the path was replaced in between.
    if !file.metadata().map_err(unreadable)?.is_file() {
        return Err(not_regular());
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(Error::credentials(format!("{what} {} is larger than 1 MiB", path.display()), None));
    }
    // The error would not quote the contents anyway, but say nothing about them either.
    String::from_utf8(bytes)
        .map_err(|_| Error::credentials(format!("{what} {} is not UTF-8 text", path.display()), None))
}

/// [`read_small_file`] on Tokio's blocking pool. Outside a Tokio runtime it reads in place.
pub(crate) async fn read_small_file_async(path: PathBuf, what: &'static str) -> Result<String> {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) => handle.spawn_blocking(move || read_small_file(&path, what)).await.unwrap_or_else(|e| {
            Err(Error::credentials(format!("{what}: the read stopped before finishing"), Some(Box::new(e))))
        }),
        Err(_) => read_small_file(&path, what),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Dir(PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn temp_dir(tag: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("tcb-files-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }

    #[test]
    fn regular_files_up_to_the_cap() {
        let dir = temp_dir("cap");
        let exact = dir.0.join("exact");
        std::fs::write(&exact, vec![b'a'; MAX_FILE as usize]).unwrap();
        assert_eq!(read_small_file(&exact, "the file").unwrap().len(), MAX_FILE as usize);
        let over = dir.0.join("over");
        std::fs::write(&over, vec![b'a'; MAX_FILE as usize + 1]).unwrap();
        let e = read_small_file(&over, "the file").unwrap_err();
        assert!(e.to_string().contains("is larger than 1 MiB") && e.to_string().contains("over"), "{e}");
        let e = read_small_file(&dir.0, "the file").unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let bin = dir.0.join("bin");
        std::fs::write(&bin, [0xff, 0xfe, b's', b'e', b'c']).unwrap();
        let e = read_small_file(&bin, "the file").unwrap_err();
        assert!(e.to_string().contains("not UTF-8"), "{e}");
        let e = read_small_file(&dir.0.join("absent"), "the file").unwrap_err();
        assert!(e.to_string().contains("could not be read"), "{e}");
    }

    #[tokio::test]
    async fn devices_are_refused_off_the_runtime() {
        let e = read_small_file_async("/dev/zero".into(), "the token file").await.unwrap_err();
        assert!(matches!(e, Error::Credentials(_)), "{e:?}");
        assert_eq!(e.to_string(), "credentials error: the token file /dev/zero is not a regular file");
    }
}
