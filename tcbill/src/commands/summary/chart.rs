//! `tcbill summary --chart`: a horizontal bar chart of a cost breakdown, as SVG or PNG.
//!
//! Text is drawn with a font found on the system that has a glyph for every character drawn:
//! `TCBILL_FONT` if set, then CJK fonts (Noto Sans CJK, Source Han Sans, WenQuanYi, ...), which
//! the Chinese names of the China site need, then Latin ones (DejaVu, Liberation, Noto, Arial).
//! Amounts become `f64` only to place pixels; the table keeps exact decimals.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ab_glyph::{Font, FontRef};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use rust_decimal::prelude::ToPrimitive;
use tencentcloud_billing::money::Yuan;

use super::Group;
use crate::amounts::{AmountOverflow, checked_total, money};
use crate::columns;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// At most this many bars; the rest are summed into one.
const MAX_BARS: usize = 12;

/// Fonts with CJK glyphs, looked for first: on the China site product, region and project names
/// arrive in Chinese, and these fonts draw Latin text as well.
const CJK_FONTS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/adobe-source-han-sans/SourceHanSansCN-Regular.otf",
    "/usr/share/fonts/opentype/source-han-sans/SourceHanSansCN-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:\\Windows\\Fonts\\msyh.ttc",
    "C:\\Windows\\Fonts\\simhei.ttf",
];

/// Latin fonts, when no CJK font is installed.
const LATIN_FONTS: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/noto/NotoSans-Regular.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "/Library/Fonts/Arial.ttf",
    "C:\\Windows\\Fonts\\arial.ttf",
];

/// What to install when no font has the glyphs.
const FONT_ADVICE: &str = "install a CJK font such as WenQuanYi Micro Hei (Debian/Ubuntu: apt install \
                           fonts-wqy-microhei) or Noto Sans CJK (fonts-noto-cjk), or set TCBILL_FONT to a \
                           .ttf, .otf or .ttc file that has them";

/// Font files by path: the bytes, or `None` when unreadable or not a font.
type Loaded = HashMap<String, Option<&'static [u8]>>;

/// Font files as read, by path (`None`: unreadable or not a font). Leaked once each, as plotters
/// keeps registered fonts for the life of the process.
fn load(path: &str) -> Option<&'static [u8]> {
    static LOADED: OnceLock<Mutex<Loaded>> = OnceLock::new();
    let mut loaded = LOADED.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    *loaded.entry(path.to_owned()).or_insert_with(|| {
        let bytes = std::fs::read(path).ok()?;
        FontRef::try_from_slice(&bytes).ok()?;
        Some(Box::leak(bytes.into_boxed_slice()))
    })
}

/// The characters of `text` (spaces aside) that the font in `bytes` has no glyph for.
fn missing_glyphs(bytes: &[u8], text: &str) -> Vec<char> {
    let Ok(font) = FontRef::try_from_slice(bytes) else { return text.chars().collect() };
    text.chars().filter(|c| !c.is_whitespace() && font.glyph_id(*c).0 == 0).collect()
}

/// The font a chart's text is drawn with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontChoice {
    /// The font file.
    pub path: PathBuf,
    /// A character of the text it has no glyph for (drawn as a box), when no font has them all.
    pub missing: Option<char>,
}

impl FontChoice {
    /// What to say when a glyph is missing: which character, and which font to install.
    pub fn warning(&self) -> Option<String> {
        self.missing.map(|c| {
            format!(
                "the chart's font {} has no glyph for {c:?}, which draws as a box: {FONT_ADVICE}",
                self.path.display()
            )
        })
    }
}

/// The font the chart draws `text` with: the first of `TCBILL_FONT`, the CJK fonts, then the
/// Latin ones, that has a glyph for every character of it; failing that, the one that misses
/// the fewest (and [`FontChoice::missing`] says one it lacks). An error, naming the font to
/// install, only when no font is found at all.
pub fn font_for(text: &str) -> Result<FontChoice, BoxError> {
    let chosen = std::env::var("TCBILL_FONT").ok();
    let candidates = chosen.as_deref().into_iter().chain(CJK_FONTS.iter().copied()).chain(LATIN_FONTS.iter().copied());
    let mut best: Option<(usize, FontChoice)> = None;
    for path in candidates {
        let Some(bytes) = load(path) else { continue };
        let missing = missing_glyphs(bytes, text);
        let choice = FontChoice { path: PathBuf::from(path), missing: missing.first().copied() };
        if missing.is_empty() {
            return Ok(choice);
        }
        if best.as_ref().is_none_or(|(n, _)| missing.len() < *n) {
            best = Some((missing.len(), choice));
        }
    }
    best.map(|(_, choice)| choice)
        .ok_or_else(|| format!("no TrueType font found for the chart's text: {FONT_ADVICE}").into())
}

/// Register the font for `text` as plotters' "sans-serif", and warn on stderr when it lacks a
/// glyph. CJK fonts come first and every choice is the best for its text, so charts drawn side
/// by side (in tests) never lose glyphs to each other.
fn use_font_for(text: &str) -> Result<(), BoxError> {
    let choice = font_for(text)?;
    if let Some(w) = choice.warning() {
        eprintln!("tcbill: {w}");
    }
    let path = &choice.path;
    let bytes = load(path.to_str().unwrap_or_default()).ok_or("the chosen font cannot be read again")?;
    register_font("sans-serif", FontStyle::Normal, bytes)
        .map_err(|_| format!("{}: not a usable font", path.display()))?;
    Ok(())
}

/// The bars: the largest groups, and the rest summed as "other" (checked: see
/// [`checked_total`]). Amounts become `f64` only here, to place pixels.
pub fn bars(groups: &[Group]) -> Result<Vec<(String, f64, String)>, AmountOverflow> {
    let f = |y: Yuan| y.amount().to_f64().filter(|v| v.is_finite()).unwrap_or(0.0);
    let mut out: Vec<_> = groups.iter().take(MAX_BARS).map(|g| (g.name.clone(), f(g.cost), money(g.cost))).collect();
    if groups.len() > MAX_BARS {
        let rest = checked_total(groups[MAX_BARS..].iter().map(|g| g.cost), || {
            format!("the chart's {} smaller groups", groups.len() - MAX_BARS)
        })?;
        out.push((format!("{} others", groups.len() - MAX_BARS), f(rest), money(rest)));
    }
    Ok(out)
}

/// Draw `groups` to `path`; the extension (.svg or .png) picks the format.
pub fn render(path: &Path, title: &str, groups: &[Group]) -> Result<(), BoxError> {
    let bars = bars(groups)?;
    let size = (1000, 140 + 40 * bars.len().max(2) as u32); // at most MAX_BARS + 1 bars
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    // Every piece of text the chart draws, the axis digits included.
    let mut text = format!("{title} cost after discounts 0123456789.-");
    for (name, _, label) in &bars {
        text.push_str(name);
        text.push_str(label);
    }
    use_font_for(&text)?;
    match ext.as_deref() {
        Some("svg") => draw(SVGBackend::new(path, size).into_drawing_area(), title, &bars),
        Some("png") => draw(BitMapBackend::new(path, size).into_drawing_area(), title, &bars),
        _ => Err(format!("{}: the chart file must end in .svg or .png", path.display()).into()),
    }
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    bars: &[(String, f64, String)],
) -> Result<(), BoxError> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| -> BoxError { e.to_string().into() };
    root.fill(&WHITE).map_err(e)?;
    let n = bars.len();
    if n == 0 {
        return Err("nothing to chart: the breakdown is empty".into());
    }
    // Rows on the y axis, top to bottom; at least two, as plotters draws no labels on a one-value
    // axis (a lone bar then sits at the top with an empty row under it).
    let slots = n.max(2);
    // The axis runs from 0 to 18% past the largest cost (at least 1): finite whatever the amounts,
    // as each is below 10^29. Negative costs (refunds) are drawn as empty bars at 0.
    let max = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max).max(1.0);
    let names: Vec<&str> = bars.iter().map(|b| b.0.as_str()).collect();
    // A CJK character is about twice as wide as a Latin one: measure in terminal cells.
    let longest = u32::try_from(names.iter().map(|s| columns::width(s)).max().unwrap_or(8)).unwrap_or(u32::MAX);
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 24))
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(longest.saturating_mul(8).saturating_add(20).min(420))
        .build_cartesian_2d(0.0..max * 1.18, (0..slots - 1).into_segmented())
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc("cost after discounts")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) if *i < slots && slots - 1 - *i < n => names[slots - 1 - *i].to_owned(),
            _ => String::new(),
        })
        .label_style(("sans-serif", 15))
        .draw()
        .map_err(e)?;
    let color = RGBColor(0, 110, 255);
    chart
        .draw_series(bars.iter().enumerate().map(|(k, (_, v, _))| {
            let i = slots - 1 - k;
            let mut r = Rectangle::new(
                [(0.0, SegmentValue::Exact(i)), (v.max(0.0), SegmentValue::Exact(i + 1))],
                color.filled(),
            );
            r.set_margin(6, 6, 0, 0);
            r
        }))
        .map_err(e)?;
    chart
        .draw_series(bars.iter().enumerate().map(|(k, (_, v, label))| {
            let i = slots - 1 - k;
            Text::new(format!(" {label}"), (v.max(0.0), SegmentValue::CenterOf(i)), ("sans-serif", 14).into_font())
        }))
        .map_err(e)?;
    root.present().map_err(e)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    //! Unit and property tests, run as the library's own tests (`cargo test -p tcbill`).

    use proptest::prelude::*;

    use super::*;
    use crate::amounts::tests::reference_sum;
    use crate::commands::summary::tests::groups;

    proptest! {
        // Each case draws an SVG; a few dozen cover the shapes (few, many, overflowing groups).
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn chart_scaling_never_panics_on_extreme_amounts(groups in groups()) {
            let rest: Vec<Yuan> = groups.iter().skip(MAX_BARS).map(|g| g.cost).collect();
            match (bars(&groups), reference_sum(&rest)) {
                (Ok(bars), Some(_)) => {
                    prop_assert_eq!(bars.len(), groups.len().min(MAX_BARS + 1));
                    prop_assert!(bars.iter().all(|b| b.1.is_finite()));
                    let dir = tempfile::tempdir().unwrap();
                    let drawn = render(&dir.path().join("prop-chart.svg"), "extreme", &groups);
                    // Only an empty breakdown has nothing to draw.
                    prop_assert_eq!(drawn.is_ok(), !groups.is_empty(), "{:?}", drawn.map_err(|e| e.to_string()));
                }
                (Err(_), None) => {}
                (got, want) => prop_assert!(false, "{:?} but the rest sums to {:?}", got.map(|b| b.len()), want),
            }
        }
    }
}
