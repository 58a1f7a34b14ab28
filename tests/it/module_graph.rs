//! The crate's modules form a graph without cycles, and the edges the design forbids are absent;
//! the same for the `tcbill` crate, whose commands use neither each other nor the clap definitions.
//!
//! Read from the sources: a module uses another when its code (tests aside) names
//! `crate::other`. `generated` is a folder of separate modules (actions, catalog, enums, models),
//! so each is its own node. This is a text scan, not a compiler: it is strict (a path in a doc
//! comment's code would count), which is the safe side for a rule that forbids edges.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The node a source file belongs to: its top-level module, or `generated/<sub>`.
fn node_of(rel: &Path) -> Option<String> {
    let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned()).collect();
    match parts.as_slice() {
        [lib] if lib == "lib" || lib == "main" => None,
        [g, sub, ..] if g == "generated" && sub != "mod" => Some(format!("generated/{sub}")),
        [g, ..] if g == "generated" => Some("generated".into()),
        [top, ..] => Some(top.clone()),
        [] => None,
    }
}

/// The code of a file without comments and without its unit tests.
fn code_of(text: &str) -> String {
    let start =
        ["#[cfg(test)]\nmod tests", "#[cfg(test)]\npub(crate) mod tests"].iter().filter_map(|m| text.find(m)).min();
    let text = match start {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// The modules `code` names through `crate::`.
fn uses(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            let after = &rest[name.len()..];
            // `crate::generated::models` names a node of its own.
            if name == "generated"
                && let Some(sub) = after.strip_prefix("::")
            {
                let sub: String = sub.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                out.insert(format!("generated/{sub}"));
            } else if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// What the crate root re-exports (`pub use module::{Item, ...}`), so that `crate::Item` counts as
/// an edge to `module`; `crate::types` stands for the generated modules it gathers.
fn root_reexports(lib: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for stmt in code_of(lib).split(';') {
        let Some(rest) = stmt.trim().strip_prefix("pub use ") else { continue };
        let Some((module, items)) = rest.split_once("::") else { continue };
        let items = items.trim().trim_start_matches('{').trim_end_matches('}');
        for item in items.split(',') {
            let name = item.split(" as ").last().unwrap_or("").trim();
            let name = name.rsplit("::").next().unwrap_or("");
            if !name.is_empty() && name != "*" {
                map.entry(name.to_owned()).or_default().insert(module.trim().to_owned());
            }
        }
    }
    let generated = ["generated/actions", "generated/enums", "generated/models"];
    map.insert("types".into(), generated.iter().map(|s| s.to_string()).collect());
    map
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let reexports = root_reexports(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut g = Graph::new();
    for f in &files {
        let Some(node) = node_of(f.strip_prefix(&src).unwrap()) else { continue };
        let code = code_of(&std::fs::read_to_string(f).unwrap());
        let edges = g.entry(node).or_default();
        for used in uses(&code) {
            match reexports.get(&used) {
                Some(modules) => edges.extend(modules.iter().cloned()),
                None => {
                    edges.insert(used);
                }
            }
        }
    }
    // `__internals` is the hidden feature's name for the fuzzing module.
    let nodes: BTreeSet<String> = g.keys().cloned().collect();
    for (node, edges) in g.iter_mut() {
        let renamed: BTreeSet<String> = edges
            .iter()
            .map(|e| if e == "__internals" { "fuzzing".to_owned() } else { e.clone() })
            .filter(|e| e != node && nodes.contains(e))
            .collect();
        *edges = renamed;
    }
    g
}

/// A cycle, if the graph has one, as the path that closes it.
fn find_cycle(g: &Graph) -> Option<Vec<String>> {
    fn visit(n: &str, g: &Graph, state: &mut BTreeMap<String, u8>, path: &mut Vec<String>) -> Option<Vec<String>> {
        state.insert(n.to_owned(), 1);
        path.push(n.to_owned());
        for m in g.get(n).into_iter().flatten() {
            match state.get(m.as_str()).copied().unwrap_or(0) {
                1 => {
                    let start = path.iter().position(|p| p == m).unwrap();
                    let mut cycle = path[start..].to_vec();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(m, g, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(n.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0
            && let Some(c) = visit(n, g, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

#[test]
fn the_module_graph_has_no_cycle() {
    let g = graph();
    assert!(g.len() > 20, "the scan found the modules: {g:?}");
    if let Some(cycle) = find_cycle(&g) {
        panic!("module cycle: {}\n\nthe graph:\n{}", cycle.join(" -> "), render(&g));
    }
}

#[test]
fn the_edges_the_design_forbids_are_absent() {
    let g = graph();
    // (module, the only modules it may use); `None` in the second place means "these never".
    let only: &[(&str, &[&str])] = &[
        ("tc3", &["civil"]),
        ("civil", &[]),
        ("error", &[]),
        ("text", &[]),
        ("redact", &[]),
        ("wire", &["money", "datetime"]),
        ("transport", &["error", "redact"]),
        // Money and time are leaves: their wire forms live in `wire`; `text` is std-only helpers.
        ("money", &["text"]),
        ("datetime", &["text"]),
        ("quota", &["error"]),
        ("retry", &["error", "protocol"]),
        ("protocol", &["error", "httpdate", "tc3", "wire"]),
    ];
    for (module, allowed) in only {
        let edges = g.get(*module).unwrap_or_else(|| panic!("no module {module}"));
        let extra: Vec<&String> = edges.iter().filter(|e| !allowed.contains(&e.as_str())).collect();
        assert!(extra.is_empty(), "{module} may use only {allowed:?}, but uses {extra:?}");
    }
    let never: &[(&str, &[&str])] = &[
        ("send", &["client", "config", "builder", "generated/actions", "paginate", "sandbox", "monitor"]),
        ("credentials", &["client", "config", "send", "builder", "sandbox", "monitor"]),
        ("generated/actions", &["transport", "send", "credentials", "quota"]),
        ("generated/models", &["transport", "send", "client", "credentials"]),
        ("sandbox", &["send", "client", "builder"]),
        ("monitor", &["send", "transport_internals", "credentials", "quota"]),
        // FOCUS rows and their writers are data: no API call, no credentials.
        ("focus", &["send", "client", "transport", "credentials", "quota"]),
    ];
    for (module, forbidden) in never {
        let edges = g.get(*module).unwrap_or_else(|| panic!("no module {module}"));
        let bad: Vec<&String> = edges.iter().filter(|e| forbidden.contains(&e.as_str())).collect();
        assert!(bad.is_empty(), "{module} must never use {bad:?}");
    }
}

fn render(g: &Graph) -> String {
    g.iter()
        .map(|(n, e)| format!("{n} -> {}", e.iter().cloned().collect::<Vec<_>>().join(" ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Prints the graph: `cargo test --test module_graph -- --nocapture print`.
#[test]
fn print_the_module_graph() {
    println!("{}", render(&graph()));
}

// ---------------------------------------------------------------------------------------------
// tcbill: `cli` holds the clap definitions, `dispatch` runs them, `commands/<name>` is one node
// per subcommand, and the other modules are shared pieces that use no command.

/// The node of a tcbill source file: `commands/<name>` for a subcommand's files, else its
/// top-level module.
fn tcbill_node_of(rel: &Path) -> Option<String> {
    let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned()).collect();
    match parts.as_slice() {
        [lib] if lib == "lib" || lib == "main" => None,
        [c, m] if c == "commands" && m == "mod" => Some("commands".into()),
        [c, sub, ..] if c == "commands" => Some(format!("commands/{sub}")),
        [top, ..] => Some(top.clone()),
        [] => None,
    }
}

fn ident(s: &str) -> String {
    s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// The part of `s` up to the `}` that closes a group opened just before it.
fn group_body(s: &str) -> &str {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return &s[..i],
            '}' => depth -= 1,
            _ => {}
        }
    }
    s
}

/// The items of a group, split at its top-level commas.
fn group_items(body: &str) -> Vec<&str> {
    let (mut out, mut depth, mut from) = (Vec::new(), 0, 0);
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(body[from..i].trim());
                from = i + 1;
            }
            _ => {}
        }
    }
    out.push(body[from..].trim());
    out
}

/// The nodes a path after `crate::` names: `commands::x` is `commands/x`.
fn tcbill_path_nodes(path: &str, out: &mut BTreeSet<String>) {
    if let Some(group) = path.strip_prefix('{') {
        for item in group_items(group_body(group)) {
            tcbill_path_nodes(item, out);
        }
        return;
    }
    let name = ident(path);
    let after = &path[name.len()..];
    if name == "commands"
        && let Some(sub) = after.strip_prefix("::")
    {
        if let Some(group) = sub.strip_prefix('{') {
            for item in group_items(group_body(group)) {
                match ident(item).as_str() {
                    "" | "self" => {
                        out.insert("commands".into());
                    }
                    n => {
                        out.insert(format!("commands/{n}"));
                    }
                }
            }
        } else {
            out.insert(format!("commands/{}", ident(sub)));
        }
    } else if !name.is_empty() {
        out.insert(name);
    }
}

/// The nodes a tcbill file's code names: through `crate::`, and through `super::` from inside
/// `commands/` (a sibling command is a node of its own).
fn tcbill_uses(code: &str, rel: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        tcbill_path_nodes(&code[i + "crate::".len()..], &mut out);
    }
    let depth = rel.components().count();
    let in_commands = rel.starts_with("commands");
    // From commands/x.rs, `super::y` is commands/y; from commands/x/y.rs, `super::super::z` is.
    let sibling = match depth {
        2 if in_commands && !rel.ends_with("mod.rs") => Some("super::"),
        3 if in_commands && !rel.ends_with("mod.rs") => Some("super::super::"),
        3 if in_commands => Some("super::"),
        _ => None,
    };
    if let Some(prefix) = sibling {
        for (i, _) in code.match_indices(prefix) {
            let rest = &code[i + prefix.len()..];
            if prefix == "super::" && rest.starts_with("super::") {
                continue;
            }
            let n = ident(rest);
            if !n.is_empty() {
                out.insert(format!("commands/{n}"));
            }
        }
    }
    out
}

fn tcbill_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tcbill/src");
    let reexports = root_reexports(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut g = Graph::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let Some(node) = tcbill_node_of(rel) else { continue };
        let code = code_of(&std::fs::read_to_string(f).unwrap());
        let edges = g.entry(node).or_default();
        for used in tcbill_uses(&code, rel) {
            match reexports.get(&used) {
                Some(modules) => edges.extend(modules.iter().cloned()),
                None => {
                    edges.insert(used);
                }
            }
        }
    }
    let nodes: BTreeSet<String> = g.keys().cloned().collect();
    for (node, edges) in g.iter_mut() {
        edges.retain(|e| e != node && nodes.contains(e));
    }
    g
}

#[test]
fn tcbill_has_no_module_cycle() {
    let g = tcbill_graph();
    for expected in ["cli", "dispatch", "commands/balance", "commands/watch", "commands/summary", "exit", "account"] {
        assert!(g.contains_key(expected), "the scan found no {expected}: {g:?}");
    }
    if let Some(cycle) = find_cycle(&g) {
        panic!("tcbill module cycle: {}\n\nthe graph:\n{}", cycle.join(" -> "), render(&g));
    }
}

#[test]
fn tcbill_commands_use_no_other_command_nor_the_cli() {
    let g = tcbill_graph();
    let is_command = |n: &str| n.starts_with("commands/");
    let mut bad = Vec::new();
    for (node, edges) in &g {
        for e in edges {
            let forbidden = if is_command(node) {
                // A command: the shared modules only.
                is_command(e) || ["cli", "dispatch", "commands"].contains(&e.as_str())
            } else if ["cli", "dispatch", "commands"].contains(&node.as_str()) {
                // The clap definitions may name the commands' value types; nothing calls back into the dispatcher.
                e == "dispatch"
            } else {
                // A shared piece: no command, no clap definitions, no dispatcher.
                is_command(e) || ["cli", "dispatch", "commands"].contains(&e.as_str())
            };
            if forbidden {
                bad.push(format!("{node} -> {e}"));
            }
        }
    }
    assert!(bad.is_empty(), "forbidden tcbill edges: {bad:?}\n\nthe graph:\n{}", render(&g));
    // The dispatcher reaches every command, so the scan sees the edges it checks.
    let commands: Vec<&String> = g.keys().filter(|n| is_command(n)).collect();
    assert!(commands.len() >= 9, "{commands:?}");
    for c in commands {
        assert!(g["dispatch"].contains(c), "dispatch does not use {c}: {}", render(&g));
    }
}

/// The tcbill scan's parser: groups, nested groups and `super::` from inside `commands/`.
#[test]
fn the_tcbill_scan_sees_nested_groups_and_siblings() {
    let code = "use crate::{amounts::money, commands::{bills, focus::Carry}};\nuse super::watch::x;";
    let got = tcbill_uses(code, Path::new("commands/serve.rs"));
    let want: BTreeSet<String> =
        ["amounts", "commands/bills", "commands/focus", "commands/watch"].iter().map(|s| s.to_string()).collect();
    assert_eq!(got, want);
    let nested = tcbill_uses("use super::Group; use super::super::org::x;", Path::new("commands/summary/chart.rs"));
    assert_eq!(nested, ["commands/org".to_string()].into_iter().collect());
}
