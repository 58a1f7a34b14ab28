//! Fails when the committed generated code differs from what the generator produces now.
//! Fix by running `cargo run -p codegen` and committing the result.

use std::path::Path;

#[test]
fn committed_output_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let files = codegen::generate(root).expect("the generator runs");
    let diff = codegen::differences(root, &files);
    assert!(diff.is_empty(), "generated files are out of date, run `cargo run -p codegen`: {diff:#?}");
}
