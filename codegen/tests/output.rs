//! Checks on the generated actions: reference links follow the sites, and a documented page-size
//! maximum is enforced on direct calls.

use std::path::Path;

fn spec_and_files() -> (serde_json::Value, Vec<codegen::File>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let spec = serde_json::from_str(&std::fs::read_to_string(root.join("spec/billing-facts.json")).unwrap()).unwrap();
    (spec, codegen::generate(root).expect("the generator runs"))
}

fn action_file<'a>(files: &'a [codegen::File], method: &str) -> &'a str {
    let path = format!("src/generated/actions/{method}.rs");
    &files.iter().find(|f| f.path == Path::new(&path)).unwrap().text
}

const CN: &str = "https://console.cloud.tencent.com/api/explorer?Product=billing&Version=2018-07-09&Action=";
const INTL: &str = "https://console.tencentcloud.com/api/explorer?Product=billing&Version=2018-07-09&Action=";

#[test]
fn reference_links_follow_the_sites() {
    let (spec, files) = spec_and_files();
    let mut checked = 0;
    for a in spec["actions"].as_array().unwrap() {
        let name = a["name"].as_str().unwrap();
        let method = a["method"].as_str().unwrap();
        let sites: Vec<&str> = a["sites"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
        let text = action_file(&files, method);
        let cn = format!("<{CN}{name}>");
        let intl = format!("<{INTL}{name}>");
        // Once in the module docs, once on the client method.
        assert_eq!(text.matches(&cn).count(), if sites.contains(&"cn") { 2 } else { 0 }, "{name}: China-site link");
        assert_eq!(text.matches(&intl).count(), if sites.contains(&"intl") { 2 } else { 0 }, "{name}: intl link");
        checked += 1;
    }
    assert_eq!(checked, 72);
}

#[test]
fn every_documented_page_size_maximum_is_validated() {
    let (spec, files) = spec_and_files();
    let mut validated = Vec::new();
    for a in spec["actions"].as_array().unwrap() {
        let text = action_file(&files, a["method"].as_str().unwrap());
        let max = a["paging"]["size_max"].as_u64();
        let has = text.contains("fn validate(&self) -> Option<String>");
        assert_eq!(has, max.is_some(), "{}: validate() iff a size_max is recorded", a["name"]);
        if let Some(max) = max {
            assert!(text.contains(&format!("if size > {max} =>")), "{}: checks against {max}", a["name"]);
            validated.push(a["name"].as_str().unwrap());
        }
    }
    assert!(validated.contains(&"DescribeSavingPlanResourceInfo"));
    assert_eq!(validated.len(), 26);
}
