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

/// The public methods of `RequestBuilder<R>`'s inherent impls in one hand-written file.
fn request_builder_methods(path: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let text = std::fs::read_to_string(root.join(path)).unwrap();
    let mut names = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with("impl<") && line.contains(" RequestBuilder<R> {") && !line.contains(" for ") {
            inside = true;
        } else if line == "}" {
            inside = false;
        } else if inside {
            let rest = line.strip_prefix("    pub fn ").or_else(|| line.strip_prefix("    pub async fn "));
            if let Some(rest) = rest {
                names.push(rest.split(['(', '<']).next().unwrap().to_owned());
            }
        }
    }
    names
}

/// Every public method of `RequestBuilder<R>` is forwarded by the action builders: a method added
/// there fails this test until it is added to `COMMON_METHODS` in `codegen/src/emit.rs`.
#[test]
fn every_request_builder_method_is_forwarded() {
    let mut methods = request_builder_methods("src/builder.rs");
    methods.extend(request_builder_methods("src/paginate.rs"));
    assert!(methods.len() >= 8, "found only {methods:?}");
    let mut forwarded: Vec<String> = codegen::forwarded_methods().into_iter().map(str::to_owned).collect();
    methods.sort();
    forwarded.sort();
    assert_eq!(methods, forwarded, "RequestBuilder's methods and the forwards differ");
}

/// Field docs are written once, on the request's fields; both setters link there, and a required
/// field says so on the field and on both setters.
#[test]
fn setters_link_to_the_field_docs_and_mark_required_fields() {
    let (spec, files) = spec_and_files();
    let mut required_seen = 0;
    for a in spec["actions"].as_array().unwrap() {
        let text = action_file(&files, a["method"].as_str().unwrap());
        assert!(!text.contains("/// Set `"), "{}: a setter repeats its field's doc", a["name"]);
        let request = a["input"].as_str().unwrap();
        let input = spec["objects"].as_array().unwrap().iter().find(|o| o["name"] == request).unwrap();
        for f in input["fields"].as_array().unwrap() {
            let wire = f["wire"].as_str().unwrap();
            let rust = f["rust"].as_str().unwrap().trim_start_matches("r#");
            let link = format!("/// Sets [`{request}::{rust}`]({request}#structfield.{rust}).");
            let token_filled = a["has_client_token"] == true && wire == "ClientToken";
            let required = !token_filled && a["required_inputs"].as_array().unwrap().iter().any(|w| w == wire);
            if required {
                required_seen += 1;
                assert_eq!(text.matches(&format!("{link} Required.\n")).count(), 2, "{request}.{wire}");
            } else {
                assert_eq!(text.matches(&format!("{link}\n")).count(), 2, "{request}.{wire}");
            }
        }
    }
    assert!(required_seen > 50, "only {required_seen} required fields");
}
