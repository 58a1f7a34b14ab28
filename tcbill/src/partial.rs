//! Output files that appear under their final name only when complete.
//!
//! A command writes `<name>.partial` and renames it to `<name>` at the end. Until then, and
//! whenever it fails or is interrupted, the final name holds whatever it held before (an earlier
//! complete run's file, or nothing), so a job that uploads the final name never picks up half an
//! export, and a failing rerun never replaces a good file.

use std::path::{Path, PathBuf};

use crate::error::BoxError;

/// The name a file is written under until it is complete: `<name>.partial` beside it.
pub fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// Move the complete `partial` to its final name `path`.
pub fn commit(partial: &Path, path: &Path) -> Result<(), BoxError> {
    std::fs::rename(partial, path)
        .map_err(|e| format!("cannot rename {} to {}: {e}", partial.display(), path.display()).into())
}

/// What to say about `path` when the command did not complete: the final name was left alone,
/// and where the rows fetched are, if any were written.
pub fn left_alone(partial: &Path, path: &Path) -> String {
    if partial.exists() {
        format!("{} was left as it was; what was fetched is in {}", path.display(), partial.display())
    } else {
        format!("{} was left as it was", path.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_partial_name_sits_beside_the_final_one() {
        assert_eq!(partial_path(Path::new("out/bills.csv")), Path::new("out/bills.csv.partial"));
        assert_eq!(partial_path(Path::new("bill.parquet")), Path::new("bill.parquet.partial"));
    }

    #[test]
    fn commit_replaces_and_left_alone_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bills.csv");
        let partial = partial_path(&path);
        std::fs::write(&path, "old").unwrap();
        assert_eq!(left_alone(&partial, &path), format!("{} was left as it was", path.display()));
        std::fs::write(&partial, "new").unwrap();
        assert!(left_alone(&partial, &path).ends_with(&format!("what was fetched is in {}", partial.display())));
        commit(&partial, &path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert!(!partial.exists());
    }
}
