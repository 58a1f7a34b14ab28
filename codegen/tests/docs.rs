//! The doc text the generator writes says more than the field names: no phrase only restates its
//! field's name, every documented value set that is not an enum explains its values, and every
//! enum value has a meaning.

use std::path::Path;

#[test]
fn field_docs_say_more_than_the_names() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let r = codegen::doc_report(root).expect("the spec loads");
    println!(
        "{} field docs; {} thin; {} value sets without meanings; {} enum values without meanings",
        r.fields,
        r.thin.len(),
        r.values_without_meanings.len(),
        r.variants_without_meanings.len()
    );
    if let Ok(path) = std::env::var("CODEGEN_PHRASES") {
        std::fs::write(path, r.phrases.join("\n")).unwrap();
    }
    for t in &r.thin {
        println!("thin: {t}");
    }
    for t in &r.values_without_meanings {
        println!("values: {t}");
    }
    for t in &r.variants_without_meanings {
        println!("variant: {t}");
    }
    assert!(r.thin.is_empty(), "{} field docs only restate the field name", r.thin.len());
    assert!(r.values_without_meanings.is_empty());
    assert!(r.variants_without_meanings.is_empty());
}
