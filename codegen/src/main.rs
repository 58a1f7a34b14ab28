//! `cargo run -p codegen` regenerates `src/generated/` and the generated tests from
//! `spec/billing-facts.json`. With `--check`, it only reports files that are out of date.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("codegen lives in the repository root");
    let check = std::env::args().any(|a| a == "--check");
    let files = match codegen::generate(root) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("codegen: {e}");
            return ExitCode::FAILURE;
        }
    };
    if check {
        let diff = codegen::differences(root, &files);
        if diff.is_empty() {
            println!("codegen: {} files up to date", files.len());
            return ExitCode::SUCCESS;
        }
        for p in diff {
            eprintln!("codegen: out of date: {}", p.display());
        }
        return ExitCode::FAILURE;
    }
    for stale in codegen::stale_files(root, &files) {
        println!("codegen: removing {}", stale.display());
        if let Err(e) = std::fs::remove_file(root.join(&stale)) {
            eprintln!("codegen: {}: {e}", stale.display());
            return ExitCode::FAILURE;
        }
    }
    let mut written = 0;
    for f in &files {
        let path = root.join(&f.path);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(f.text.as_str()) {
            continue;
        }
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Err(e) = std::fs::write(&path, &f.text) {
            eprintln!("codegen: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        written += 1;
    }
    println!("codegen: {} files, {written} rewritten", files.len());
    ExitCode::SUCCESS
}
