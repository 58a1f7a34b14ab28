//! Amounts as tcbill prints them: two decimals, and totals that report an overflow instead of
//! panicking.

use std::error::Error as StdError;
use std::fmt;

use tencentcloud_billing::money::{Cents, Yuan};

/// An amount with exactly two decimals, for tables.
pub fn money(y: Yuan) -> String {
    let mut d = y.amount().round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    d.rescale(2);
    d.to_string()
}

/// A cent amount with exactly two decimals.
pub fn cents(c: Cents) -> String {
    money(c.to_yuan())
}

/// An amount too large to add up: more than the 28 digits an exact decimal holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountOverflow {
    /// What was being added up.
    pub what: String,
}

impl fmt::Display for AmountOverflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} adds up to more than 28 digits: the amounts cannot be right, so no total is shown", self.what)
    }
}

impl StdError for AmountOverflow {}

/// The sum of `amounts`, or [`AmountOverflow`] naming `what`. Each decoded amount is below
/// 10^26, but a few hundred of them can pass the decimal type's limit, where `+` would panic.
pub fn checked_total(
    amounts: impl IntoIterator<Item = Yuan>,
    what: impl FnOnce() -> String,
) -> Result<Yuan, AmountOverflow> {
    Yuan::checked_sum(amounts).ok_or_else(|| AmountOverflow { what: what() })
}

#[cfg(test)]
pub(crate) mod tests {
    //! Amount generators shared by the commands' tests, and the formatting tests.

    use proptest::prelude::*;
    use tencentcloud_billing::money::Decimal;

    use super::*;

    /// The largest magnitude the decoder accepts is just below 10^26: 26 nines.
    pub(crate) const AT_THE_BOUND: &str = "99999999999999999999999999";

    /// Amounts as they arrive on the wire and pass the decoder: ordinary ones, ones near the
    /// 10^26 bound, and the bound itself, with either sign.
    pub(crate) fn decoded_amount_text() -> impl Strategy<Value = String> {
        prop_oneof!["-?[0-9]{1,12}(\\.[0-9]{1,8})?", "-?[1-9][0-9]{25}(\\.[0-9]{1,2})?", "-?9{26}(\\.99)?",]
    }

    /// A decoded amount, parsed the way the decoder parses the wire's strings.
    pub(crate) fn decoded_amount() -> impl Strategy<Value = Yuan> {
        decoded_amount_text().prop_map(|t| t.parse::<Yuan>().expect("within the decoder's bound"))
    }

    /// Enough amounts at the bound, all of one sign, that their sum overflows (from 792 on) or
    /// comes close.
    pub(crate) fn many_at_the_bound() -> impl Strategy<Value = Vec<Yuan>> {
        (any::<bool>(), 700usize..900).prop_map(|(negative, n)| {
            let y: Yuan = AT_THE_BOUND.parse().unwrap();
            vec![if negative { -y } else { y }; n]
        })
    }

    /// The exact sum, or `None` past the decimal type's range, computed independently.
    pub(crate) fn reference_sum(amounts: &[Yuan]) -> Option<Decimal> {
        amounts.iter().try_fold(Decimal::ZERO, |a, y| a.checked_add(y.amount()))
    }

    #[test]
    fn money_never_panics_at_the_decimal_limits() {
        assert_eq!(money(Yuan::new(Decimal::MAX)), Decimal::MAX.to_string());
        assert_eq!(money(Yuan::new(Decimal::MIN)), Decimal::MIN.to_string());
        assert_eq!(money(AT_THE_BOUND.parse().unwrap()), format!("{AT_THE_BOUND}.00"));
        assert_eq!(money("-12.505".parse().unwrap()), "-12.51");
        assert_eq!(money("-12.5".parse().unwrap()), "-12.50");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn money_never_panics(y in decoded_amount(), m in any::<i128>(), scale in 0u32..=28) {
            let text = money(y);
            prop_assert_eq!(text.parse::<Decimal>().unwrap(),
                y.amount().round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero));
            // Any decimal at all, beyond what the decoder accepts.
            let max: i128 = 79_228_162_514_264_337_593_543_950_335; // Decimal::MAX's mantissa
            let _ = money(Yuan::new(Decimal::from_i128_with_scale(m.clamp(-max, max), scale)));
        }
    }
}
