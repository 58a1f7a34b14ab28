//! Text helpers shared by leaves of the crate (the error, money and time types) that may use
//! nothing else in it.

/// At most `max` bytes of `s`, cut on a character boundary (so untrusted text never panics).
pub(crate) fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_never_splits_a_character() {
        let s = "余".repeat(30);
        for max in 0..s.len() + 2 {
            let c = clip(&s, max);
            assert!(c.len() <= max && s.starts_with(&c));
        }
    }
}
