//! Table columns padded by display width, not by `char` count: a CJK character (product, region
//! and project names on the China site arrive in Chinese) takes two terminal cells, a combining
//! mark none.

use unicode_width::UnicodeWidthStr;

/// The number of terminal cells `s` takes.
pub fn width(s: &str) -> usize {
    s.width()
}

/// `s` followed by spaces up to `cells` cells (unchanged if it is wider).
pub fn left(s: &str, cells: usize) -> String {
    let mut out = s.to_owned();
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(width(s))));
    out
}

/// `s` preceded by spaces up to `cells` cells (unchanged if it is wider).
pub fn right(s: &str, cells: usize) -> String {
    let mut out: String = std::iter::repeat_n(' ', cells.saturating_sub(width(s))).collect();
    out.push_str(s);
    out
}

/// The widest of `cells` and the widths of `items`.
pub fn widest<'a>(items: impl IntoIterator<Item = &'a str>, cells: usize) -> usize {
    items.into_iter().map(width).fold(cells, usize::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_takes_two_cells_and_padding_counts_cells() {
        assert_eq!(width("云服务器"), 8);
        assert_eq!(width("CVM"), 3);
        assert_eq!(left("云服务器", 10), "云服务器  ");
        assert_eq!(right("华南地区", 9), " 华南地区");
        assert_eq!(left("toolong", 3), "toolong");
        assert_eq!(widest(["a", "对象存储"], 4), 8);
        assert_eq!(widest([], 4), 4);
    }
}
