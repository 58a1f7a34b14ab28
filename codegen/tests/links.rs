//! Every action's docs link the API Explorer of the site(s) the action exists on, and no other.

use std::path::Path;

const CN: &str = "https://console.cloud.tencent.com/api/explorer?Product=billing&Version=2018-07-09&Action=";
const INTL: &str = "https://console.tencentcloud.com/api/explorer?Product=billing&Version=2018-07-09&Action=";

#[test]
fn reference_links_follow_the_sites() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("spec/billing-facts.json")).unwrap()).unwrap();
    let files = codegen::generate(root).expect("the generator runs");
    let mut checked = 0;
    for a in spec["actions"].as_array().unwrap() {
        let name = a["name"].as_str().unwrap();
        let method = a["method"].as_str().unwrap();
        let sites: Vec<&str> = a["sites"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
        let path = format!("src/generated/actions/{method}.rs");
        let text = &files.iter().find(|f| f.path == Path::new(&path)).unwrap().text;
        let cn = format!("<{CN}{name}>");
        let intl = format!("<{INTL}{name}>");
        // Once in the module docs, once on the client method.
        assert_eq!(text.matches(&cn).count(), if sites.contains(&"cn") { 2 } else { 0 }, "{name}: China-site link");
        assert_eq!(text.matches(&intl).count(), if sites.contains(&"intl") { 2 } else { 0 }, "{name}: intl link");
        checked += 1;
    }
    assert_eq!(checked, 72);
}
