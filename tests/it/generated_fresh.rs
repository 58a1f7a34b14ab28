//! Fails when `src/generated/` or `tests/examples.rs` differ from what `cargo run -p codegen`
//! produces from `spec/billing-facts.json` now. Fix by running the generator and committing.

#[test]
fn generated_code_is_fresh() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = codegen::generate(root).expect("the generator runs");
    assert!(files.len() > 72, "one file per action at least");
    let stale = codegen::differences(root, &files);
    assert!(stale.is_empty(), "generated files are out of date; run `cargo run -p codegen`: {stale:#?}");
}
