//! Doc text. The words are data, in `spec/docs.json` beside the facts spec: a one-line purpose
//! per action, phrases per field and the meanings of documented values. This module reads them
//! and derives everything else from names, units and sites.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::spec::{ActionSpec, FieldSpec};
use crate::types::{FieldTy, Ty};

/// The contents of `spec/docs.json`. Phrases have no trailing period.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    /// What the file is, for whoever opens it.
    #[serde(rename = "about")]
    _about: String,
    /// What each action is for, by action name (one line).
    summaries: BTreeMap<String, String>,
    /// Phrases for fields that recur across many objects, by wire name.
    fields: BTreeMap<String, String>,
    /// Phrases for request fields (filters and inputs) where the shared phrase reads as an answer.
    request_fields: BTreeMap<String, String>,
    /// Objects that list the values a filter can take (what a later query may filter by)...
    filter_value_objects: Vec<String>,
    /// ...and the phrases of their fields, by wire name.
    filter_value_fields: BTreeMap<String, String>,
    /// Phrases for fields whose meaning depends on the object they are in: object, then wire name.
    object_fields: BTreeMap<String, BTreeMap<String, String>>,
    /// The meaning of each documented value of a field that is not an enum: object (or `*` for
    /// any), then wire name. Written `1 unpaid, 2 paid` (numbers) or `` `0` not gathered, ...``.
    value_meanings: BTreeMap<String, BTreeMap<String, String>>,
    /// The meaning of each value of a generated enum: enum name, then wire value.
    enum_values: BTreeMap<String, BTreeMap<String, String>>,
}

fn two_level<'a>(map: &'a BTreeMap<String, BTreeMap<String, String>>, outer: &str, inner: &str) -> Option<&'a str> {
    map.get(outer).and_then(|m| m.get(inner)).map(String::as_str)
}

impl Docs {
    /// Read `spec/docs.json` under the repository root.
    pub fn load(root: &Path) -> Result<Docs, String> {
        let path = root.join("spec/docs.json");
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// What an action is for (one line, no trailing period).
    pub fn summary(&self, action: &str) -> &str {
        self.summaries.get(action).unwrap_or_else(|| panic!("spec/docs.json has no summary for {action}"))
    }

    fn field_override(&self, object: &str, wire: &str) -> Option<&str> {
        two_level(&self.object_fields, object, wire)
    }

    fn value_meanings(&self, object: &str, wire: &str) -> Option<&str> {
        two_level(&self.value_meanings, object, wire).or_else(|| two_level(&self.value_meanings, "*", wire))
    }

    /// The meaning of one value of a generated enum.
    pub fn variant_doc(&self, enum_name: &str, value: &str) -> Option<&str> {
        two_level(&self.enum_values, enum_name, value)
    }

    /// The phrase a field's doc starts with (no trailing period, no unit or site notes).
    pub fn field_phrase(&self, owner: &str, f: &FieldSpec, paging: Option<(&ActionSpec, &str)>) -> String {
        let style = paging.and_then(|(a, _)| a.paging.as_ref().map(|p| p.style.as_str()));
        let mut first = match (style, paging.map(|(_, role)| role)) {
            (Some("offset_records"), Some("offset")) => "The offset of the first record to return".to_owned(),
            (Some("offset_page0"), Some("offset")) => "The page to return, counted from 0".to_owned(),
            (Some("offset_page1" | "page_no" | "page_number"), Some("offset")) => {
                "The page to return, counted from 1".to_owned()
            }
            (_, Some("size")) => "How many records per page".to_owned(),
            _ => self
                .field_override(owner, &f.wire)
                .or_else(|| {
                    if self.filter_value_objects.iter().any(|o| o == owner) {
                        self.filter_value_fields.get(&f.wire).map(String::as_str)
                    } else {
                        None
                    }
                })
                .or_else(|| {
                    if owner.ends_with("Request") { self.request_fields.get(&f.wire).map(String::as_str) } else { None }
                })
                .or_else(|| self.fields.get(&f.wire).map(String::as_str))
                .map_or_else(|| humanize(&f.wire), str::to_owned),
        };
        if let Some((a, "size")) = paging
            && let Some(max) = a.paging.as_ref().and_then(|p| p.size_max)
        {
            first.push_str(&format!(", at most {max}"));
        }
        if let Some((a, "total")) = paging {
            if a.paging.as_ref().is_some_and(|p| p.total_may_undercount) {
                first = "How many records there are. Cached by Tencent, so it can be lower than the real count".into();
            } else {
                first = "How many records there are".into();
            }
        }
        first
    }

    /// The `Values:` text of a field with a documented value set, checked to mention every value.
    pub fn values_line(&self, owner: &str, f: &FieldSpec) -> Option<String> {
        let values = f.values.as_ref()?;
        let text = self.value_meanings(owner, &f.wire)?;
        for v in values.iter().filter(|v| v.as_str() != Some("")) {
            let token = value_token(v);
            let starts = text.starts_with(&format!("{token} "))
                || text.contains(&format!(", {token} "))
                || text.contains(&format!("; {token} "));
            assert!(starts, "{owner}.{}: the value meanings do not explain {token}: {text}", f.wire);
        }
        Some(format!("Values: {text}."))
    }

    /// The doc comment of a field, as lines: the phrase with its unit, sentinel, site and status
    /// notes, then the meaning of each documented value when the docs define them.
    pub fn field_doc(
        &self,
        owner: &str,
        owner_sites: &[String],
        f: &FieldSpec,
        ty: &FieldTy,
        paging: Option<(&ActionSpec, &str)>,
    ) -> Vec<String> {
        let first = self.field_phrase(owner, f, paging);
        let mut line = format!("{first}.");
        if let Some(u) = unit_note(&ty.ty) {
            line.push(' ');
            line.push_str(u);
        }
        if f.sentinels.iter().any(|s| s == "-") {
            line.push_str(" `None` when Tencent sends `-` (not applicable).");
        }
        // Enums explain their values on the variants; others list the bare values when the
        // docs give no meanings.
        let meanings = if matches!(ty.ty, Ty::Enum(_)) { None } else { self.values_line(owner, f) };
        if let (Some(values), None) = (&f.values, &meanings)
            && !matches!(ty.ty, Ty::Enum(_))
        {
            let vs: Vec<String> = values.iter().filter(|v| v.as_str() != Some("")).map(value_token).collect();
            if !vs.is_empty() {
                line.push_str(&format!(" One of {}.", vs.join(", ")));
            }
        }
        if let Some(s) = site_note(&f.sites, owner_sites) {
            line.push(' ');
            line.push_str(s);
        }
        if f.disabled {
            line.push_str(" Tencent marks this field disabled; expect it to be absent.");
        }
        let mut lines = vec![line];
        lines.extend(meanings);
        lines
    }
}

/// `RealTotalCost` -> `Real total cost`, `RICost` -> `RI cost`, `PayerUin` -> `Payer UIN`.
pub fn humanize(wire: &str) -> String {
    let chars: Vec<char> = wire.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            None => false,
            Some(p) => {
                (c.is_ascii_uppercase() && (p.is_ascii_lowercase() || p.is_ascii_digit()))
                    || (c.is_ascii_uppercase()
                        && p.is_ascii_uppercase()
                        && next.is_some_and(|n| n.is_ascii_lowercase()))
                    || (c.is_ascii_digit() && p.is_ascii_alphabetic())
            }
        };
        if boundary && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        if c == '_' {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    let words: Vec<String> = words
        .into_iter()
        .enumerate()
        .map(|(i, w)| {
            let special = match w.as_str() {
                "Uin" => Some("UIN"),
                "Uins" => Some("UINs"),
                "Id" => Some("ID"),
                "Ids" => Some("IDs"),
                "Url" => Some("URL"),
                "Cos" => Some("COS"),
                "Cpq" => Some("CPQ"),
                "Ri" => Some("RI"),
                "Sp" => Some("SP"),
                "Json" => Some("JSON"),
                "Spu" => Some("SPU"),
                _ => None,
            };
            match special {
                Some(s) => s.to_owned(),
                None if w.chars().all(|c| c.is_ascii_uppercase()) && w.len() > 1 => w,
                None if i == 0 => w,
                None => w.to_ascii_lowercase(),
            }
        })
        .collect();
    words.join(" ")
}

fn site_note(field_sites: &[String], owner_sites: &[String]) -> Option<&'static str> {
    if field_sites.len() >= owner_sites.len() || field_sites.len() != 1 {
        return None;
    }
    Some(if field_sites[0] == "cn" { "China site only." } else { "International site only." })
}

fn unit_note(ty: &Ty) -> Option<&'static str> {
    Some(match ty {
        Ty::Yuan => "In the account currency (yuan, or US dollars on the international site).",
        Ty::Cents => "In cents of the account currency.",
        Ty::YuanE8 => "In 1e-8 of the account currency.",
        Ty::Percent => "In percent.",
        Ty::DateTime => "Beijing time.",
        Ty::MonthStart => "Sent as the first second of the month, `yyyy-MM-01 00:00:00`.",
        Ty::DateOrMonth => "A day (`yyyy-MM-dd`) or a whole month (`yyyy-MM`).",
        _ => return None,
    })
}

/// How a documented value is written in a `Values:` line: `3` for numbers, `` `3` `` for strings.
fn value_token(v: &serde_json::Value) -> String {
    match v.as_str() {
        Some(s) => format!("`{s}`"),
        None => v.to_string(),
    }
}

/// Words that say nothing about a field on their own.
const EMPTY_WORDS: &[&str] =
    &["the", "a", "an", "of", "s", "its", "this", "it", "for", "to", "or", "and", "in", "on", "by", "as", "is"];
/// Words that, alone, make a phrase generic ("The records", "The value").
const GENERIC_WORDS: &[&str] = &[
    "record",
    "value",
    "type",
    "status",
    "key",
    "unit",
    "amount",
    "name",
    "detail",
    "info",
    "information",
    "data",
    "list",
    "item",
    "result",
    "time",
    "id",
    "code",
    "set",
    "field",
];

fn content_words(s: &str) -> std::collections::BTreeSet<String> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .filter(|w| !EMPTY_WORDS.contains(&w.as_str()))
        .map(|w| match w.strip_suffix('s') {
            Some(stem) if stem.len() > 2 && !w.ends_with("ss") => stem.to_owned(),
            _ => w,
        })
        .collect()
}

/// Whether a phrase only restates the field's name: its words (in any order, ignoring articles
/// and plurals) are among the name's, or are only generic words such as "value" or "records".
pub fn restates_name(wire: &str, phrase: &str) -> bool {
    let said = content_words(phrase);
    let name = content_words(&humanize(wire));
    said.is_empty() || said.is_subset(&name) || said.iter().all(|w| GENERIC_WORDS.contains(&w.as_str()))
}
