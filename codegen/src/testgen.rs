//! Writes `tests/it/examples.rs`: one test per official example, per site, checking that the response
//! decodes through the public types and survives serializing and decoding again, and that the
//! request can be built with the setters and serializes to the same JSON.
//!
//! Also writes `tests/it/extremes_gen.rs`: every action sent once with every setter of its builder
//! (nested objects and lists included) fed from a value source the property test drives with
//! extreme values.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::spec::{ObjectSpec, Spec};
use crate::template::fill;
use crate::types::{FieldTy, Ty, Types};

/// Example responses that cannot decode, with the text the error must mention and why.
const BAD_RESPONSES: &[(&str, &str, &str)] = &[
    ("cn", "DescribeCostSummaryByProject", "ab0.00000000c"),
    ("intl", "DescribeCostSummaryByProject", "ab0.00000000c"),
];

struct Ctx<'a> {
    spec: &'a Spec,
    types: &'a Types,
    /// JSON pointers of month fields, compared as months (the examples spell them several ways).
    months: Vec<String>,
}

fn snake(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() {
            let prev_upper = i > 0 && s.as_bytes()[i - 1].is_ascii_uppercase();
            if i > 0 && !prev_upper {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '.' {
            out.push('_');
        } else {
            out.push(c);
        }
    }
    out
}

fn int_literal(v: &Value) -> Result<String, String> {
    match v {
        Value::Number(n) if n.is_i64() || n.is_u64() => Ok(n.to_string()),
        Value::String(s) => {
            s.trim().parse::<i128>().map(|i| i.to_string()).map_err(|_| format!("{s:?} is not an integer"))
        }
        other => Err(format!("{other} is not an integer")),
    }
}

fn text_of(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!("{other} is not a scalar")),
    }
}

impl Ctx<'_> {
    fn scalar(&mut self, ty: &Ty, v: &Value, pointer: &str) -> Result<String, String> {
        Ok(match ty {
            Ty::Str => format!("{:?}", text_of(v)?),
            Ty::U64 | Ty::I64 | Ty::U64AsString => {
                let lit = int_literal(v)?;
                if *ty != Ty::I64 && lit.starts_with('-') {
                    return Err(format!("{lit} is negative"));
                }
                lit
            }
            Ty::F64 => match v {
                Value::Number(n) => format!("{:?}", n.as_f64().unwrap()),
                Value::String(s) => format!("{:?}", s.parse::<f64>().map_err(|e| e.to_string())?),
                o => return Err(format!("{o} is not a number")),
            },
            Ty::Bool => match v {
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => (n.as_i64() != Some(0)).to_string(),
                Value::String(s) => (s != "0" && s != "false").to_string(),
                o => return Err(format!("{o} is not a boolean")),
            },
            Ty::Yuan => format!("yuan({:?})", text_of(v)?),
            Ty::Cents => format!("cents({:?})", text_of(v)?),
            Ty::YuanE8 => format!("YuanE8::new({})", int_literal(v)?),
            Ty::Percent => return Err("percent inputs are not supported".into()),
            Ty::DateTime => format!("bj({:?})", text_of(v)?),
            Ty::Date => format!("date({:?})", text_of(v)?),
            Ty::Month | Ty::MonthStart => {
                self.months.push(pointer.to_owned());
                format!("ym({:?})", text_of(v)?)
            }
            Ty::DateOrMonth => format!("dom({:?})", text_of(v)?),
            Ty::Enum(n) => format!("{n}::from({:?})", text_of(v)?),
            Ty::Object(n) => {
                let Value::Object(_) = v else { return Err(format!("{v} is not an object")) };
                let o = self.spec.object(n);
                format!("{n}::new(){}", self.setters(o, v, pointer)?)
            }
        })
    }

    fn value(&mut self, ft: &FieldTy, v: &Value, pointer: &str) -> Result<String, String> {
        if !ft.list {
            return self.scalar(&ft.ty, v, pointer);
        }
        let Value::Array(items) = v else { return Err(format!("{v} is not a list")) };
        if items.is_empty() {
            return Ok(format!("Vec::<{}>::new()", ft.ty.rust()));
        }
        let mut parts = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if item.is_null() {
                return Err("a list holds null".into());
            }
            parts.push(self.scalar(&ft.ty, item, &format!("{pointer}/{i}"))?);
        }
        Ok(format!("[{}]", parts.join(", ")))
    }

    /// `.a(..).b(..)` for every key of `v`, in the order the example lists them.
    fn setters(&mut self, o: &ObjectSpec, v: &Value, pointer: &str) -> Result<String, String> {
        let Value::Object(map) = v else { return Err(format!("{} is not an object", o.name)) };
        let mut out = String::new();
        for (k, val) in map {
            let Some(f) = o.fields.iter().find(|f| f.wire == *k) else {
                return Err(format!("{} has no field {k}", o.name));
            };
            if val.is_null() {
                continue;
            }
            let ft = self.types.field(o, f);
            let expr = self.value(&ft, val, &format!("{pointer}/{k}"))?;
            let _ = write!(out, ".{}({expr})", f.rust);
        }
        Ok(out)
    }
}

pub fn files(root: &Path, spec: &Spec, types: &Types) -> Result<Vec<(PathBuf, String)>, String> {
    let mut tests = String::new();
    let mut skipped = Vec::new();
    let mut count = (0, 0);
    for site in ["cn", "intl"] {
        let dir = root.join("tests/fixtures/examples").join(site);
        let mut stems: Vec<String> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .flatten()
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".response.json")).map(str::to_owned))
            .collect();
        stems.sort();
        for stem in stems {
            let action_name = stem.split('.').next().unwrap();
            let a = spec
                .actions
                .iter()
                .find(|a| a.name == action_name)
                .ok_or_else(|| format!("fixture {stem}: no such action"))?;
            let test = format!("{site}_{}", snake(&stem));
            let rel = format!("../fixtures/examples/{site}/{stem}");
            // The response.
            let bad = BAD_RESPONSES.iter().find(|(s, n, _)| *s == site && *n == stem);
            match bad {
                None => tests.push_str(&fill(
                    include_str!("../templates/test_response.rs.tmpl"),
                    &[("test", &test), ("response", &a.output), ("fixture", &rel)],
                )),
                Some((_, _, needle)) => tests.push_str(&fill(
                    include_str!("../templates/test_bad_response.rs.tmpl"),
                    &[("test", &test), ("response", &a.output), ("fixture", &rel), ("needle", &format!("{needle:?}"))],
                )),
            }
            count.0 += 1;
            // The request.
            let path = dir.join(format!("{stem}.request.json"));
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let v: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            let mut ctx = Ctx { spec, types, months: Vec::new() };
            match ctx.setters(spec.object(&a.input), &v, "") {
                Ok(chain) => {
                    let months: Vec<String> = ctx.months.iter().map(|m| format!("{m:?}")).collect();
                    tests.push_str(&fill(
                        include_str!("../templates/test_request.rs.tmpl"),
                        &[
                            ("test", &test),
                            ("request", &a.input),
                            ("chain", &chain),
                            ("fixture", &rel),
                            ("months", &months.join(", ")),
                        ],
                    ));
                    count.1 += 1;
                }
                Err(e) => skipped.push(format!("{site}/{stem}: {e}")),
            }
        }
    }
    let mut skipped_doc = String::new();
    if skipped.is_empty() {
        skipped_doc.push_str("//! No example request had to be skipped.\n");
    } else {
        skipped_doc.push_str("//! Example requests that cannot be expressed, and why:\n");
        for s in &skipped {
            let _ = writeln!(skipped_doc, "//! - {s}");
        }
    }
    let helpers: Vec<&str> =
        ["bj", "cents", "date", "decode", "decode_fails", "dom", "round_trips", "same_json", "ym", "yuan"]
            .into_iter()
            .filter(|h| tests.contains(&format!("{h}(")) || tests.contains(&format!("{h}::<")))
            .collect();
    let extra_uses = if tests.contains("YuanE8::new(") { "use tencentcloud_billing::money::YuanE8;\n" } else { "" };
    let text = fill(
        include_str!("../templates/examples.rs.tmpl"),
        &[
            ("responses", &count.0.to_string()),
            ("requests", &count.1.to_string()),
            ("skipped", &skipped_doc),
            ("helpers", &format!("{{{}}}", helpers.join(", "))),
            ("extra_uses", extra_uses),
            ("tests", tests.trim_end()),
        ],
    );
    Ok(vec![(PathBuf::from("tests/it/examples.rs"), text), extremes_file(spec, types)])
}

/// The expression that draws one value of `ty` from the value source `x`. An object is built by
/// its own generated function (named in `objects`, emitted once), which sets every field.
fn extreme_scalar(ty: &Ty, objects: &mut Vec<String>) -> String {
    match ty {
        Ty::Str => "x.text()".into(),
        Ty::U64 | Ty::U64AsString => "x.u64()".into(),
        Ty::I64 => "x.i64()".into(),
        Ty::F64 => "x.f64()".into(),
        Ty::Bool => "x.bool()".into(),
        Ty::Yuan => "x.yuan()".into(),
        Ty::Cents => "x.cents()".into(),
        Ty::YuanE8 => "x.yuan_e8()".into(),
        Ty::Percent => "x.percent()".into(),
        Ty::DateTime => "x.date_time()".into(),
        Ty::Date => "x.date()".into(),
        Ty::Month | Ty::MonthStart => "x.month()".into(),
        Ty::DateOrMonth => "x.date_or_month()".into(),
        Ty::Enum(n) => format!("{n}::from(x.text())"),
        Ty::Object(n) => {
            if !objects.contains(n) {
                objects.push(n.clone());
            }
            format!("{}(x, depth)", object_fn(n))
        }
    }
}

fn object_fn(name: &str) -> String {
    format!("make_{}", snake(name))
}

/// `.field(value)` for every field of `o`, each value drawn from `x`.
fn extreme_setters(types: &Types, o: &ObjectSpec, objects: &mut Vec<String>) -> String {
    let mut out = String::new();
    for f in &o.fields {
        let ft = types.field(o, f);
        let one = extreme_scalar(&ft.ty, objects);
        let expr = if ft.list { format!("x.list(|x| {one})") } else { one };
        let _ = write!(out, ".{}({expr})", f.rust);
    }
    out
}

/// `tests/it/extremes_gen.rs`.
pub fn extremes_file(spec: &Spec, types: &Types) -> (PathBuf, String) {
    let mut objects = Vec::new();
    let mut calls = String::new();
    for a in &spec.actions {
        let chain = extreme_setters(types, spec.object(&a.input), &mut objects);
        let _ = writeln!(
            calls,
            "    out.push((\"{}\", client.{}(){chain}.allow_any_site().send().await.map(drop)));",
            a.name, a.method
        );
    }
    // Objects can hold objects (and themselves): each builder goes `depth` levels down, then
    // stops with an empty object.
    let mut makers = String::new();
    let mut done = 0;
    while done < objects.len() {
        let name = objects[done].clone();
        let setters = extreme_setters(types, spec.object(&name), &mut objects);
        let (param, guard) = if setters.contains("(x, depth)") {
            ("depth", format!("    let Some(depth) = depth.checked_sub(1) else {{ return {name}::new() }};\n"))
        } else {
            ("_depth", String::new())
        };
        let _ = write!(
            makers,
            "\nfn {}(x: &mut X, {param}: usize) -> {name} {{\n{guard}    {name}::new(){setters}\n}}\n",
            object_fn(&name)
        );
        done += 1;
    }
    let text = fill(
        include_str!("../templates/extremes.rs.tmpl"),
        &[("actions", &spec.actions.len().to_string()), ("calls", calls.trim_end()), ("makers", makers.trim_end())],
    );
    (PathBuf::from("tests/it/extremes_gen.rs"), text)
}
