//! The one template feature the generator needs: `{{name}}` placeholders in the text files under
//! `codegen/templates/`, filled from a list of values. Loops and conditions stay in Rust, which
//! renders the repeated or optional parts and passes them in as values.

/// Fill every `{{name}}` in `template` with its value. Values are not scanned again, so generated
/// code may contain `{{` freely.
///
/// # Panics
/// On a placeholder without a value, an unclosed `{{`, or a value the template does not use: each
/// is a mistake in the generator, caught the first time it runs.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut used = vec![false; values.len()];
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").unwrap_or_else(|| panic!("unclosed placeholder in template: {after:.40}"));
        let name = &after[..end];
        let i = values.iter().position(|(k, _)| *k == name).unwrap_or_else(|| panic!("no value for {{{{{name}}}}}"));
        used[i] = true;
        out.push_str(values[i].1);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    if let Some(i) = used.iter().position(|u| !u) {
        panic!("the template has no {{{{{}}}}}", values[i].0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn fills_placeholders_once() {
        assert_eq!(fill("a {{x}} b {{y}}{{x}}", &[("x", "{{y}}"), ("y", "2")]), "a {{y}} b 2{{y}}");
    }

    #[test]
    #[should_panic(expected = "no value for {{z}}")]
    fn refuses_a_missing_value() {
        fill("{{z}}", &[]);
    }

    #[test]
    #[should_panic(expected = "the template has no {{x}}")]
    fn refuses_an_unused_value() {
        fill("text", &[("x", "1")]);
    }
}
