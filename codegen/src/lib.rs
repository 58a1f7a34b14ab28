//! The generator behind `src/generated/`: reads `spec/billing-facts.json` (the facts) and
//! `spec/docs.json` (our words for the docs) and writes the Rust code of every action, object and
//! enum, the action catalog, and the example-based tests, from the templates in
//! `codegen/templates/`.
//!
//! `cargo run -p codegen` rewrites the files; `cargo run -p codegen -- --check` only compares.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod docs;
mod emit;
mod spec;
mod template;
mod testgen;
mod types;

/// One generated file: its path relative to the repository root, and its text.
pub struct File {
    pub path: PathBuf,
    pub text: String,
}

/// The directory this generator owns completely (stale files in it are removed).
pub const OWNED_DIR: &str = "src/generated";

/// Generate every file from the spec under `root` (the repository root).
pub fn generate(root: &Path) -> Result<Vec<File>, String> {
    let spec_path = root.join("spec/billing-facts.json");
    let text = std::fs::read_to_string(&spec_path).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let spec: spec::Spec = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    assert_eq!((spec.service.as_str(), spec.version.as_str()), ("billing", "2018-07-09"));
    let types = types::Types::new(&spec);
    let docs = docs::Docs::load(root)?;
    let mut files = vec![
        (PathBuf::from("src/generated/mod.rs"), emit::generated_mod()),
        (PathBuf::from("src/generated/catalog.rs"), emit::catalog(&spec)),
        (PathBuf::from("src/generated/enums.rs"), emit::enums(&types, &docs)),
        (PathBuf::from("src/generated/models.rs"), emit::models(&spec, &types, &docs)),
        (PathBuf::from("src/generated/actions/mod.rs"), emit::actions_mod(&spec)),
    ];
    for a in &spec.actions {
        files.push((
            PathBuf::from(format!("src/generated/actions/{}.rs", emit::module_name(a))),
            emit::action_file(&spec, &types, &docs, a),
        ));
    }
    files.extend(testgen::files(root, &spec, &types)?);
    let config = root.join("rustfmt.toml");
    files
        .into_iter()
        .map(|(path, text)| {
            let text = rustfmt(&text, &config).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(File { path, text })
        })
        .collect()
}

pub use emit::DocReport;

/// The names of the `RequestBuilder<R>` methods every action builder forwards (`COMMON_METHODS` in
/// `emit.rs`), for the test that keeps the list in step with `src/builder.rs`.
pub fn forwarded_methods() -> Vec<&'static str> {
    emit::COMMON_METHODS.iter().map(|m| m.name).collect()
}

/// Check the doc text the generator writes (see [`DocReport`]).
pub fn doc_report(root: &Path) -> Result<DocReport, String> {
    let spec_path = root.join("spec/billing-facts.json");
    let text = std::fs::read_to_string(&spec_path).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let spec: spec::Spec = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let types = types::Types::new(&spec);
    let docs = docs::Docs::load(root)?;
    Ok(emit::doc_report(&spec, &types, &docs))
}

/// Format with the repository's rustfmt settings, so `cargo fmt --check` agrees.
fn rustfmt(source: &str, config: &Path) -> Result<String, String> {
    let mut child = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into()))
        .args(["--edition", "2024", "--emit", "stdout", "--config-path"])
        .arg(config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().map_err(|e| format!("rustfmt failed: {e}"))?;
    writer.join().expect("writer thread").map_err(|e| format!("writing to rustfmt: {e}"))?;
    if !out.status.success() {
        let mut numbered = String::new();
        for (i, l) in source.lines().enumerate() {
            numbered.push_str(&format!("{:5} {l}\n", i + 1));
        }
        return Err(format!("rustfmt rejected the output:\n{}\n{numbered}", String::from_utf8_lossy(&out.stderr)));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

/// Files present on disk under the owned directory that the generator no longer writes.
pub fn stale_files(root: &Path, files: &[File]) -> Vec<PathBuf> {
    let mut stale = Vec::new();
    let mut stack = vec![root.join(OWNED_DIR)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(root)
                && !files.iter().any(|f| f.path == rel)
            {
                stale.push(rel.to_path_buf());
            }
        }
    }
    stale.sort();
    stale
}

/// Paths whose text on disk differs from what the generator produces now, plus stale files.
pub fn differences(root: &Path, files: &[File]) -> Vec<PathBuf> {
    let mut diff: Vec<PathBuf> = files
        .iter()
        .filter(|f| std::fs::read_to_string(root.join(&f.path)).ok().as_deref() != Some(f.text.as_str()))
        .map(|f| f.path.clone())
        .collect();
    diff.extend(stale_files(root, files));
    diff
}
