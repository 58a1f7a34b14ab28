//! The facts-only spec, as `spec/billing-facts.json` holds it.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Spec {
    pub service: String,
    pub version: String,
    pub actions: Vec<ActionSpec>,
    pub objects: Vec<ObjectSpec>,
}

#[derive(Debug, Deserialize)]
pub struct ActionSpec {
    pub name: String,
    pub method: String,
    pub sites: Vec<String>,
    pub quota_per_second: Option<u32>,
    pub input: String,
    pub output: String,
    pub kind: String,
    pub has_client_token: bool,
    pub required_inputs: Vec<String>,
    pub paging: Option<Paging>,
}

#[derive(Debug, Deserialize)]
pub struct Paging {
    pub style: String,
    pub offset_field: String,
    pub size_field: String,
    pub size_max: Option<u64>,
    pub total_field: Option<String>,
    pub items_field: Option<String>,
    pub cursor_field: Option<String>,
    pub string_typed: bool,
    pub total_may_undercount: bool,
}

#[derive(Debug, Deserialize)]
pub struct ObjectSpec {
    pub name: String,
    pub sites: Vec<String>,
    pub fields: Vec<FieldSpec>,
}

#[derive(Debug, Deserialize)]
pub struct FieldSpec {
    pub wire: String,
    pub rust: String,
    pub element: String,
    pub list: bool,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub sites: Vec<String>,
    pub disabled: bool,
    pub unit: Option<String>,
    #[serde(rename = "enum")]
    pub values: Option<Vec<serde_json::Value>>,
    pub sentinels: Vec<String>,
}

impl Spec {
    pub fn object(&self, name: &str) -> &ObjectSpec {
        self.objects.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("object {name} not in the spec"))
    }
}

impl ObjectSpec {
    pub fn field(&self, wire: &str) -> &FieldSpec {
        self.fields
            .iter()
            .find(|f| f.wire == wire)
            .unwrap_or_else(|| panic!("field {}.{wire} not in the spec", self.name))
    }
}
