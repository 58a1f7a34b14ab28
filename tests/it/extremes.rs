//! No value a caller can pass makes the library or the sandbox panic: every setter of every
//! action's builder (`extremes_gen.rs`, generated), fed extreme values, goes through `send()` to
//! the sandbox and comes back as an answer or a typed error.
//!
//! The accepted outcomes are an answer, a service error (the sandbox refusing the parameters, as
//! Tencent would) and `InvalidRequest` (the client refusing before sending). Anything else, a
//! transport error above all, means one side fell over: a sandbox handler that panics drops its
//! connection, which the client sees as a transport error.

use proptest::prelude::*;
use tencentcloud_billing::datetime::{DateOrMonth, YearMonth};
use tencentcloud_billing::money::{Cents, Decimal};
use tencentcloud_billing::sandbox::Sandbox;
use tencentcloud_billing::{Error, RetryConfig};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::extremes_gen::send_every_action;

/// The values the generated calls draw from: each draw takes the next choice byte and picks from
/// a short list of extremes (the first entry being the plain one, so shrinking leads to it).
pub struct X {
    choices: Vec<u8>,
    at: usize,
}

impl X {
    fn new(choices: Vec<u8>) -> X {
        X { choices, at: 0 }
    }

    fn pick<T: Clone>(&mut self, from: &[T]) -> T {
        let byte = self.choices.get(self.at % self.choices.len().max(1)).copied().unwrap_or(0);
        self.at += 1;
        from[usize::from(byte) % from.len()].clone()
    }

    pub fn text(&mut self) -> String {
        let long = "9".repeat(10_000);
        self.pick(&[
            "a".to_owned(),
            String::new(),
            "\0".to_owned(),
            "-".to_owned(),
            "\r\nX-Injected: 1".to_owned(),
            "\u{202e}😀漢字".to_owned(),
            "\"}]}".to_owned(),
            "../../etc/passwd".to_owned(),
            " ".to_owned(),
            long,
        ])
    }

    pub fn u64(&mut self) -> u64 {
        self.pick(&[1, 0, u64::MAX, i64::MAX as u64, i64::MAX as u64 + 1, u64::from(u32::MAX) + 1])
    }

    pub fn i64(&mut self) -> i64 {
        self.pick(&[1, 0, -1, i64::MIN, i64::MAX])
    }

    pub fn f64(&mut self) -> f64 {
        self.pick(&[1.0, -0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, f64::MAX, f64::MIN_POSITIVE, -1e300])
    }

    pub fn bool(&mut self) -> bool {
        self.pick(&[true, false])
    }

    /// Amounts at the edges of what the type holds, including ones that parsing would refuse
    /// but `Cents::new` accepts.
    pub fn cents(&mut self) -> Cents {
        let tiny = Decimal::new(1, 28);
        Cents::new(self.pick(&[Decimal::ONE, Decimal::ZERO, Decimal::MAX, Decimal::MIN, tiny, -tiny]))
    }

    pub fn date(&mut self) -> Date {
        let epoch = Date::from_calendar_date(1970, Month::January, 1).unwrap();
        let last = Date::from_calendar_date(9999, Month::December, 31).unwrap();
        self.pick(&[epoch, Date::MIN, Date::MAX, last])
    }

    pub fn date_time(&mut self) -> OffsetDateTime {
        let far_east = UtcOffset::from_hms(25, 59, 59).unwrap();
        let far_west = UtcOffset::from_hms(-25, -59, -59).unwrap();
        let date = self.date();
        let time = self.pick(&[Time::MIDNIGHT, Time::MAX]);
        let offset = self.pick(&[UtcOffset::UTC, far_east, far_west]);
        PrimitiveDateTime::new(date, time).assume_offset(offset)
    }

    pub fn month(&mut self) -> YearMonth {
        let (year, month) =
            self.pick(&[(2026, Month::October), (0, Month::January), (9999, Month::December), (i32::MIN, Month::June)]);
        YearMonth::new(year, month)
    }

    pub fn date_or_month(&mut self) -> DateOrMonth {
        if self.bool() { DateOrMonth::Month(self.month()) } else { DateOrMonth::Date(self.date()) }
    }

    /// A list of 0 to 100 items, each drawn with `item`.
    pub fn list<T>(&mut self, mut item: impl FnMut(&mut X) -> T) -> Vec<T> {
        let n = self.pick(&[1usize, 0, 2, 100]);
        (0..n).map(|_| item(self)).collect()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_setter_of_every_action_with_extreme_values_never_panics(
        choices in proptest::collection::vec(any::<u8>(), 1..512)
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let sandbox = Sandbox::builder().enforce_quotas(false).start().await.unwrap();
            let client =
                sandbox.client_builder().disable_rate_limit().retry(RetryConfig::disabled()).build().unwrap();
            let outcomes = send_every_action(&client, &mut X::new(choices)).await;
            assert_eq!(outcomes.len(), tencentcloud_billing::ACTIONS.len(), "every action was sent");
            for (action, outcome) in outcomes {
                match outcome {
                    Ok(()) | Err(Error::Service(_) | Error::InvalidRequest(_)) => {}
                    Err(e) => panic!("{action}: neither an answer nor a refusal: {e:?}"),
                }
            }
            // The sandbox still answers: nothing on its side fell over.
            client.describe_account_balance().send().await.unwrap();
        });
    }
}
