//! Property tests for everything that reads a server's answer: the envelope, typed responses,
//! money, datetimes and months; and the monitor's arithmetic (runway, thresholds) on decoded
//! amounts up to the decoder's bound. A short bounded pass (256 cases per property by default; set
//! `PROPTEST_CASES` to change it). The cargo-fuzz target in `fuzz/` runs the same checks
//! (`tencentcloud_billing::__internals::decode_response`) for as long as one likes.

#[cfg(feature = "monitor")]
use std::time::Duration;

use proptest::prelude::*;
use serde_json::{Value, json};
use tencentcloud_billing::__internals::{decode_balance, decode_response, parse_text};
use tencentcloud_billing::datetime::{self, YearMonth};
use tencentcloud_billing::money::{Cents, Decimal, Yuan};
#[cfg(feature = "monitor")]
use tencentcloud_billing::monitor::{
    BalancePoint, BalanceSnapshot, MonitorConfig, MonitorState, MonthCost, Observation, RunwayInput, RunwayOptions,
};
use tencentcloud_billing::{Error, ErrorCode};

const SEEDS: &[&str] = &[
    r#"{"Response":{"Balance":700,"Uin":600000561284,"RealBalance":650.5,"TempAmountInfoList":[{"Uin":"1","TempAmount":5,"StartTime":"2024-01-01 00:00:00"}],"RequestId":"r"}}"#,
    r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"m"},"RequestId":"r"}}"#,
    r#"{"Response":{"Yuan":"0.01155781","Cents":1234.5,"YuanE8":100000001,"Percent":"12.5","Date":"2024-02-29","Month":"2024-02","Time":"2024-02-29 23:59:59","Amounts":["-","","1.0"],"Nested":[{"Yuan":"-"}],"RequestId":"r"}}"#,
    include_str!("../fixtures/examples/cn/DescribeBillDetail.response.json"),
    include_str!("../fixtures/examples/cn/DescribeBillSummaryByProduct.response.json"),
    include_str!("../fixtures/examples/cn/DescribeDealsByCond.response.json"),
    include_str!("../fixtures/examples/cn/DescribeVoucherInfo.response.json"),
    include_str!("../fixtures/examples/cn/DescribeCostDetail.response.json"),
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        "[-0-9.a-zA-Z :]{0,24}".prop_map(Value::from),
        prop_oneof![Just("-"), Just(""), Just("2024-02-29 10:00:00"), Just("2024-02"), Just("0.00000001")]
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let key = prop_oneof![
            Just("Balance".to_owned()),
            Just("Uin".to_owned()),
            Just("RealBalance".to_owned()),
            Just("TempAmountInfoList".to_owned()),
            Just("TempAmount".to_owned()),
            Just("StartTime".to_owned()),
            Just("Yuan".to_owned()),
            Just("Month".to_owned()),
            Just("Nested".to_owned()),
            Just("Amounts".to_owned()),
            Just("RequestId".to_owned()),
            Just("Error".to_owned()),
            "[a-zA-Z]{1,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key, inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Inputs that once panicked, kept so that they stay fixed.
#[test]
fn past_findings_stay_fixed() {
    // The fuzzer: an invalid amount longer than 64 bytes, cut inside a UTF-8 character.
    const MONEY_TRUNCATE: &[u8] = &[
        0x63, 0x32, 0x3d, 0xd9, 0xac, 0xc9, 0x9f, 0x73, 0x6b, 0x63, 0x72, 0x65, 0x74, 0x5f, 0x6b, 0x65, 0x78, 0x7e,
        0x30, 0x20, 0x4e, 0x3a, 0x2d, 0x37, 0x20, 0x47, 0x21, 0x18, 0x3b, 0x00, 0x00, 0x00, 0x52, 0x65, 0x50, 0x71,
        0x75, 0x3d, 0x65, 0x73, 0x74, 0x29, 0x4c, 0x7a, 0x69, 0x6d, 0x69, 0x74, 0x45, 0x78, 0x63, 0x65, 0x65, 0x64,
        0x65, 0x64, 0x2e, 0x55, 0x69, 0x6e, 0x63, 0x32, 0x3d, 0xd9, 0xac, 0x18, 0x18, 0x18, 0xc9, 0x9f, 0x30, 0x30,
        0x2c, 0x31, 0x00, 0x00, 0x36, 0x15, 0x4d, 0x54, 0x75, 0x6e,
    ];
    decode_response(MONEY_TRUNCATE);
    let long = format!(r#"{{"Response":{{"Balance":"{}€€€","RequestId":"r"}}}}"#, "9".repeat(63));
    assert!(matches!(decode_balance(200, long.as_bytes()), Err(Error::Decode(_))));
    // proptest: a six-byte month with a multi-byte character.
    parse_text("¡0\u{d00}");
    decode_response(br#"{"Response":{"Month":"aaa\u20ac","RequestId":"r"}}"#);
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..2048)) {
        decode_response(&data);
    }

    #[test]
    fn mutated_envelopes_never_panic(seed in 0..SEEDS.len(), edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..8)) {
        let mut data = SEEDS[seed].as_bytes().to_vec();
        for (at, byte, op) in edits {
            if data.is_empty() {
                data.push(byte);
                continue;
            }
            let i = at.index(data.len());
            match op {
                0 => data[i] = byte,
                1 => data.insert(i, byte),
                _ => { data.remove(i); }
            }
        }
        decode_response(&data);
    }

    #[test]
    fn generated_json_never_panics(v in json_value()) {
        decode_response(json!({ "Response": v.clone() }).to_string().as_bytes());
        decode_response(v.to_string().as_bytes());
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,16}", t in "[0-9 :T.-]{0,24}") {
        parse_text(&s);
        parse_text(&t);
    }

    #[test]
    fn unknown_fields_are_ignored(fields in prop::collection::btree_map("[a-z][a-zA-Z]{0,10}", json_value(), 0..8), id in "[a-f0-9-]{1,36}") {
        let mut obj: serde_json::Map<String, Value> = fields.into_iter().collect();
        obj.insert("RequestId".into(), Value::from(id.clone()));
        let r = decode_balance(200, json!({ "Response": obj }).to_string().as_bytes()).unwrap();
        prop_assert_eq!(r.request_id, id);
        prop_assert_eq!(r.balance, None);
    }

    #[test]
    fn error_envelopes_keep_code_and_request_id(code in "[A-Z][A-Za-z]{0,12}(\\.[A-Za-z_]{1,20}){0,2}", id in "[a-f0-9-]{1,36}", status in prop_oneof![Just(200u16), Just(400), Just(500), Just(503)]) {
        let body = json!({ "Response": { "Error": { "Code": code, "Message": "m" }, "RequestId": id } }).to_string();
        match decode_balance(status, body.as_bytes()) {
            Err(Error::Service(s)) => {
                prop_assert_eq!(s.code.as_str(), code.as_str());
                prop_assert_eq!(s.request_id.as_deref(), Some(id.as_str()));
                prop_assert_eq!(s.http_status, status);
                prop_assert_eq!(ErrorCode::from(code.as_str()), s.code.clone());
            }
            other => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn decimal_strings_are_exact(neg in any::<bool>(), int in "[0-9]{1,18}", frac in "[0-9]{0,8}") {
        let text = format!("{}{}{}{}", if neg { "-" } else { "" }, int, if frac.is_empty() { "" } else { "." }, frac);
        let y: Yuan = text.parse().unwrap();
        let expected: Decimal = text.parse().unwrap();
        prop_assert_eq!(y.amount(), expected);
        prop_assert_eq!(y.to_string().parse::<Yuan>().unwrap(), y);
        // In a response field, as a string and as a number.
        let r = decode_balance(200, format!(r#"{{"Response":{{"Balance":"{text}","RealBalance":{text},"RequestId":"r"}}}}"#).as_bytes());
        let significant = int.trim_start_matches('0').len() + frac.len();
        if int.len() > 1 && int.starts_with('0') {
            // A JSON number cannot have leading zeros; the string form still can.
            prop_assert!(r.is_err());
        } else if significant > 15 {
            // A JSON number is a binary float: beyond 15 significant digits only the string
            // form is exact (Tencent sends yuan amounts as strings).
            prop_assert_eq!(r.unwrap().balance, Some(Cents::new(expected)));
        } else {
            let r = r.unwrap();
            prop_assert_eq!(r.balance, Some(Cents::new(expected)));
            prop_assert_eq!(r.real_balance.map(|c| c.amount()), Some(expected));
        }
    }

    #[test]
    fn float_cents_keep_their_decimal_spelling(v in -1.0e15f64..1.0e15) {
        let body = json!({ "Response": { "RealBalance": v, "RequestId": "r" } }).to_string();
        let r = decode_balance(200, body.as_bytes()).unwrap();
        let expected: Decimal = format!("{v}").parse().unwrap();
        prop_assert_eq!(r.real_balance.map(|c| c.amount()), Some(expected));
    }

    #[test]
    fn sentinels_are_absent(which in prop_oneof![Just("-"), Just(""), Just(" - "), Just("  ")]) {
        let body = format!(r#"{{"Response":{{"Balance":"{which}","OweAmount":"{which}","RequestId":"r"}}}}"#);
        let r = decode_balance(200, body.as_bytes()).unwrap();
        prop_assert_eq!((r.balance, r.owe_amount), (None, None));
    }

    #[test]
    fn beijing_times_and_months_round_trip(y in 1970i32..2200, m in 1u8..=12, d in 1u8..=28, h in 0u8..24, mi in 0u8..60, s in 0u8..60) {
        let text = format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}");
        let t = datetime::parse_beijing(&text).unwrap();
        prop_assert_eq!(datetime::format_beijing(t), text.clone());
        prop_assert_eq!(t.offset().whole_hours(), 8);
        let date = datetime::parse_date(&text).unwrap();
        prop_assert_eq!(datetime::format_date(date), text[..10].to_owned());
        let month: YearMonth = text[..7].parse().unwrap();
        prop_assert_eq!(month.to_string(), text[..7].to_owned());
        prop_assert_eq!(format!("{y:04}{m:02}").parse::<YearMonth>().unwrap(), month);
        let body = format!(r#"{{"Response":{{"TempAmountInfoList":[{{"StartTime":"{text}"}}],"RequestId":"r"}}}}"#);
        let r = decode_balance(200, body.as_bytes()).unwrap();
        prop_assert_eq!(r.temp_amount_info_list()[0].start_time, Some(t));
    }
}

// The monitor's arithmetic on decoded amounts, when the monitor is built.

/// Amounts as the decoder accepts them, weighted towards its bound (|x| < 10^26), any sign.
#[cfg(feature = "monitor")]
fn wire_amount() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?[0-9]{1,26}",
        "-?[0-9]{1,20}\\.[0-9]{1,8}",
        "-?[1-9][0-9]{25}\\.[0-9]{1,2}",
        Just("99999999999999999999999999.99".to_owned()),
        Just("-99999999999999999999999999.99".to_owned()),
        Just("0".to_owned()),
        Just("0.00000001".to_owned()),
    ]
}

/// A balance answer with every amount field set from `amounts` (cycled), decoded as the client
/// decodes it, into the monitor's snapshot. `None` when the decoder refuses an amount.
#[cfg(feature = "monitor")]
fn decoded_snapshot(amounts: &[String], credit: bool) -> Option<BalanceSnapshot> {
    let a = |i: usize| Value::from(amounts[i % amounts.len()].clone());
    let mut body = json!({
        "RealBalance": a(0), "CashAccountBalance": a(1), "IncomeIntoAccountBalance": a(2),
        "PresentAccountBalance": a(3), "FreezeAmount": a(4), "OweAmount": a(5),
        "CreditAmount": if credit { a(6) } else { json!(0) }, "RequestId": "r",
    });
    if credit && amounts.len().is_multiple_of(2) {
        body["CreditBalance"] = a(7);
    }
    let text = json!({ "Response": body }).to_string();
    decode_balance(200, text.as_bytes()).ok().map(|r| BalanceSnapshot::from_response(&r))
}

#[cfg(feature = "monitor")]
fn runway_options(pick: u8) -> RunwayOptions {
    let mut o = RunwayOptions::default();
    let d = match pick % 3 {
        0 => return o,
        1 => Duration::ZERO,
        _ => Duration::MAX,
    };
    (o.medium_span, o.high_span, o.medium_elapsed, o.high_elapsed) = (d, d, d, d);
    (o.medium_points, o.high_points) = (usize::from(pick) % 5, usize::MAX);
    o
}

#[cfg(feature = "monitor")]
proptest! {
    /// Decoded balances at the decoder's bound, any sign and history length, through every
    /// figure of the runway: no panic, and the figures keep their meaning.
    #[test]
    fn runway_never_panics_on_decoded_extremes(
        readings in prop::collection::vec((prop::collection::vec(wire_amount(), 1..9), any::<bool>(), -10_000_000i64..10_000_000), 0..24),
        available in wire_amount(),
        cost in wire_amount(),
        elapsed in -10_000_000i64..100_000_000,
        until_days in -400i64..40_000,
        pick in any::<u8>(),
    ) {
        let now = datetime::parse_beijing("2026-11-15 12:00:00").unwrap();
        let mut history = Vec::new();
        for (amounts, credit, offset) in &readings {
            if let Some(s) = decoded_snapshot(amounts, *credit) {
                history.push(BalancePoint::new(now + time::Duration::seconds(*offset), s.available()));
            }
        }
        let available: Cents = available.parse().unwrap();
        let cost: Yuan = cost.parse().unwrap();
        let as_of = now + time::Duration::seconds(elapsed);
        let month = YearMonth::of(as_of.to_offset(datetime::BEIJING).date());
        let until = (now + time::Duration::days(until_days)).date();
        let input = RunwayInput::new(available, now)
            .history(history)
            .month_cost(MonthCost::new(month, cost, as_of))
            .until(until)
            .options(runway_options(pick));
        let r = input.forecast();
        if let Some(b) = r.burn {
            prop_assert!(b.per_day >= Cents::ZERO);
        }
        if available <= Cents::ZERO {
            prop_assert_eq!(r.runs_out, Some(now));
        } else if let Some(t) = r.runs_out {
            prop_assert!(t >= now);
        }
        let top_up = r.top_up_needed.unwrap();
        prop_assert!(top_up >= Cents::ZERO && top_up.amount().fract().is_zero());
        let _ = (input.burn_from_history(), input.burn_from_month_cost(), format!("{r:?}"));
    }

    /// The same, for amounts beyond what the decoder accepts (a hand-built history): the monitor's
    /// arithmetic saturates instead of overflowing.
    #[test]
    fn runway_saturates_beyond_the_decoder_bound(
        values in prop::collection::vec(prop_oneof![Just(Decimal::MAX), Just(Decimal::MIN), Just(Decimal::ZERO), any::<i64>().prop_map(Decimal::from)], 0..12),
        available in prop_oneof![Just(Decimal::MAX), Just(Decimal::MIN), Just(Decimal::ONE), Just(Decimal::new(1, 2))],
        spacing in 0i64..100_000,
    ) {
        let now = datetime::parse_beijing("2026-11-15 12:00:00").unwrap();
        let history = values.iter().enumerate().map(|(i, v)| BalancePoint::new(now - time::Duration::seconds(spacing * i as i64), Cents::new(*v)));
        let month = YearMonth::of(now.date());
        let cost = MonthCost::new(month, Yuan::new(Decimal::MAX), now);
        let r = RunwayInput::new(Cents::new(available), now).history(history).month_cost(cost).until(YearMonth::new(9999, time::Month::December).first_day()).forecast();
        prop_assert!(r.top_up_needed.unwrap() >= Cents::ZERO);
    }

    /// Decoded snapshots at the bound through the monitor's state machine and every rendering of
    /// its events: no panic, whatever the threshold and margin.
    #[test]
    fn monitor_steps_never_panic_on_decoded_extremes(
        snapshots in prop::collection::vec((prop::collection::vec(wire_amount(), 1..9), any::<bool>()), 1..12),
        threshold in wire_amount(),
        margin in wire_amount(),
        big in any::<bool>(),
    ) {
        let threshold: Cents = if big { Cents::new(Decimal::MAX) } else { threshold.parse().unwrap() };
        let config = MonitorConfig::new(threshold).margin(margin.parse().unwrap()).debounce(Duration::ZERO);
        let mut state = MonitorState::default();
        let t0 = datetime::parse_beijing("2026-11-15 12:00:00").unwrap();
        for (i, (amounts, credit)) in snapshots.iter().enumerate() {
            let Some(s) = decoded_snapshot(amounts, *credit) else { continue };
            let _ = (config.assess(&s), s.is_credit_exhausted());
            let events = state.apply(&config, &Observation::Balance(s), t0 + time::Duration::minutes(i as i64));
            for e in events {
                let _ = (e.to_string(), e.to_json());
            }
        }
    }
}
