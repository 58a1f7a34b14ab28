//! Monitor event sequences from scripted states with injected time: no sleeping, no network.

use std::time::Duration;

use tencentcloud_billing::datetime::{format_beijing, parse_beijing};
use tencentcloud_billing::money::Cents;
use tencentcloud_billing::monitor::{
    AccountKind, BalanceSnapshot, Condition, Event, Health, MonitorConfig, MonitorState, Observation, SuspensionPolicy,
};
use time::OffsetDateTime;

fn c(v: i64) -> Cents {
    Cents::from(v)
}

fn t(s: &str) -> OffsetDateTime {
    parse_beijing(s).unwrap()
}

fn cash(v: i64) -> Observation {
    Observation::Balance(BalanceSnapshot::cash_account(c(v)))
}

fn fail() -> Observation {
    Observation::Failed("connection refused".into())
}

/// Feed `(minutes after 09:00, observation)` pairs and collect `(minute, event name)`.
fn run(config: &MonitorConfig, script: &[(i64, Observation)]) -> Vec<(i64, Event)> {
    let t0 = t("2026-11-24 09:00:00");
    let mut state = MonitorState::default();
    let mut out = Vec::new();
    for (minute, obs) in script {
        let (next, events) = state.step(config, obs, t0 + time::Duration::minutes(*minute));
        state = next;
        out.extend(events.into_iter().map(|e| (*minute, e)));
    }
    out
}

fn names(events: &[(i64, Event)]) -> Vec<(i64, &'static str)> {
    events.iter().map(|(m, e)| (*m, e.name())).collect()
}

/// Threshold 500.00, margin 100.00, no debounce.
fn instant() -> MonitorConfig {
    MonitorConfig::new(c(50_000)).margin(c(10_000)).debounce(Duration::ZERO)
}

#[test]
fn threshold_crossing_has_hysteresis_and_no_duplicates() {
    let script = [
        (0, cash(80_000)),
        (5, cash(49_999)), // crosses: alert
        (10, cash(40_000)),
        (15, cash(55_000)), // back above the threshold but not above threshold + margin: still low
        (20, cash(48_000)), // dips again: no second alert
        (25, cash(60_000)), // exactly threshold + margin: not yet re-armed
        (30, cash(60_001)), // above: recovered, re-armed
        (35, cash(30_000)), // a new crossing alerts again
    ];
    let events = run(&instant(), &script);
    assert_eq!(names(&events), [(5, "low_balance"), (30, "recovered"), (35, "low_balance")]);
    match &events[0].1 {
        Event::LowBalance { available, threshold, kind, .. } => {
            assert_eq!((*available, *threshold, *kind), (c(49_999), c(50_000), AccountKind::Cash));
        }
        other => panic!("{other:?}"),
    }
    match &events[1].1 {
        Event::Recovered { condition, available, .. } => {
            assert_eq!((*condition, *available), (Condition::LowBalance, c(60_001)))
        }
        other => panic!("{other:?}"),
    }
    // Exactly at the threshold is not below it.
    assert!(run(&instant(), &[(0, cash(50_000))]).is_empty());
}

#[test]
fn a_dip_that_reverses_within_the_debounce_window_raises_nothing() {
    let config = instant().debounce(Duration::from_secs(10 * 60));
    // Polls every 5 minutes: a 5-minute dip (two readings) reverses before 10 minutes pass.
    let dip = [(0, cash(80_000)), (5, cash(10_000)), (10, cash(12_000)), (15, cash(80_000)), (20, cash(80_000))];
    assert!(run(&config, &dip).is_empty());
    // A dip that lasts the whole window is reported once, at the end of the window.
    let lasting = [(0, cash(80_000)), (5, cash(10_000)), (10, cash(12_000)), (15, cash(9_000)), (20, cash(8_000))];
    assert_eq!(names(&run(&config, &lasting)), [(15, "low_balance")]);
    // Recoveries are debounced too: a short top-up spike changes nothing.
    let spike = [(0, cash(10_000)), (10, cash(10_000)), (15, cash(90_000)), (20, cash(10_000)), (40, cash(10_000))];
    assert_eq!(names(&run(&config, &spike)), [(10, "low_balance")]);
    // An interruption restarts the window.
    let broken = [(0, cash(10_000)), (5, cash(80_000)), (10, cash(10_000)), (15, cash(10_000)), (20, cash(10_000))];
    assert_eq!(names(&run(&config, &broken)), [(20, "low_balance")]);
}

#[test]
fn overdue_carries_first_seen_and_the_policy_deadlines() {
    let config = instant()
        .debounce(Duration::from_secs(5 * 60))
        .policy(SuspensionPolicy::after_grace("Batch jobs", Duration::from_secs(2 * 3600)));
    let owing = |owed: i64| Observation::Balance(BalanceSnapshot::cash_account(Cents::ZERO).owing(c(owed)));
    let script = [(0, cash(1_000)), (60, owing(1_250)), (65, owing(1_400)), (70, owing(2_000)), (90, owing(3_000))];
    let events = run(&config, &script);
    // Low since minute 0, confirmed at the next reading (minute 60, past the window); overdue
    // confirmed at 65, once, with first_seen at minute 60, the first sighting.
    assert_eq!(names(&events), [(60, "low_balance"), (65, "overdue")]);
    let Event::Overdue { at, first_seen, owed, deadlines, .. } = &events[1].1 else { panic!() };
    assert_eq!(format_beijing(*at), "2026-11-24 10:05:00");
    assert_eq!(format_beijing(*first_seen), "2026-11-24 10:00:00");
    assert_eq!(*owed, c(1_400));
    let by_product: Vec<_> = deadlines
        .iter()
        .map(|d| (d.product.as_str(), format_beijing(d.suspension), d.data_at_risk.map(format_beijing)))
        .collect();
    assert_eq!(
        by_product,
        [
            ("API Gateway", "2026-11-25 10:00:00".to_owned(), Some("2027-05-24 10:00:00".to_owned())),
            ("eKYC", "2026-12-01 00:00:00".to_owned(), None),
            ("Batch jobs", "2026-11-24 12:00:00".to_owned(), None),
        ]
    );
    let text = events[1].1.to_string();
    assert!(text.contains("owes 14.00") && text.contains("API Gateway suspended from 2026-11-25 10:00:00"), "{text}");
}

#[test]
fn recovery_from_overdue_and_low_balance() {
    let owing = Observation::Balance(BalanceSnapshot::cash_account(Cents::ZERO).owing(c(500)));
    let script = [(0, owing.clone()), (5, owing), (10, cash(200_000))];
    let events = run(&instant(), &script);
    assert_eq!(names(&events), [(0, "low_balance"), (0, "overdue"), (10, "recovered"), (10, "recovered")]);
    let cleared: Vec<_> = events
        .iter()
        .filter_map(|(_, e)| match e {
            Event::Recovered { condition, .. } => Some(*condition),
            _ => None,
        })
        .collect();
    assert_eq!(cleared, [Condition::LowBalance, Condition::Overdue]);
}

#[test]
fn credit_accounts_alert_on_available_credit() {
    // No cash, a 1000.00 line.
    let credit = |spent: i64| {
        Observation::Balance(BalanceSnapshot::cash_account(Cents::ZERO).with_credit_limit(c(100_000)).owing(c(spent)))
    };
    let events = run(&instant(), &[(0, credit(0)), (5, credit(60_000)), (10, credit(100_000)), (15, credit(20_000))]);
    // 400.00 left is below 500.00: low. Then exhausted (and owing throughout).
    assert_eq!(
        names(&events),
        [(5, "low_balance"), (5, "overdue"), (10, "credit_exhausted"), (15, "recovered"), (15, "recovered")]
    );
    let Event::LowBalance { available, kind, .. } = &events[0].1 else { panic!() };
    assert_eq!((*available, *kind), (c(40_000), AccountKind::CreditLimited));
}

#[test]
fn frozen_funds_are_reported_once() {
    let frozen = |f: i64| Observation::Balance(BalanceSnapshot::cash_account(c(900_000)).freezing(c(f)));
    let events = run(&instant(), &[(0, frozen(0)), (5, frozen(3_000)), (10, frozen(5_000)), (15, frozen(0))]);
    assert_eq!(names(&events), [(5, "funds_frozen"), (15, "recovered")]);
    let Event::FundsFrozen { frozen, .. } = &events[0].1 else { panic!() };
    assert_eq!(*frozen, c(3_000));
}

#[test]
fn unreachable_after_n_failures_then_reachable() {
    let config = instant().unreachable_after(3);
    let script = [(0, cash(80_000)), (5, fail()), (10, fail()), (15, fail()), (20, fail()), (25, cash(80_000))];
    let events = run(&config, &script);
    assert_eq!(names(&events), [(15, "unreachable"), (25, "reachable")]);
    let Event::Unreachable { since, failures, error, .. } = &events[0].1 else { panic!() };
    assert_eq!(
        (format_beijing(*since).as_str(), *failures, error.as_str()),
        ("2026-11-24 09:05:00", 3, "connection refused")
    );
    let Event::Reachable { down_since, .. } = &events[1].1 else { panic!() };
    assert_eq!(format_beijing(*down_since), "2026-11-24 09:05:00");
    // Fewer failures than N: nothing at all.
    assert!(run(&config, &[(0, fail()), (5, fail()), (10, cash(80_000)), (15, fail())]).is_empty());
}

#[test]
fn failures_do_not_disturb_balance_conditions() {
    let config = instant().debounce(Duration::from_secs(10 * 60));
    // Low at 0, a failed poll in the middle, still low at 10: reported (the window is about time).
    let events = run(&config, &[(0, cash(1_000)), (5, fail()), (10, cash(1_000))]);
    assert_eq!(names(&events), [(10, "low_balance")]);
}

#[test]
fn state_is_a_pure_function() {
    let config = instant();
    let now = t("2026-11-24 09:00:00");
    let s0 = MonitorState::default();
    let (a, ea) = s0.clone().step(&config, &cash(1), now);
    let (b, eb) = s0.step(&config, &cash(1), now);
    assert_eq!((a.clone(), ea), (b, eb));
    assert_eq!(a.active(), [Condition::LowBalance]);
    assert_eq!(a.last_snapshot().map(|(s, _)| s.available()), Some(c(1)));
}

#[test]
fn single_checks_for_cron() {
    let config = MonitorConfig::new(c(50_000));
    assert_eq!(config.assess(&BalanceSnapshot::cash_account(c(90_000))), Health::Healthy);
    assert_eq!(config.assess(&BalanceSnapshot::cash_account(c(100))), Health::Low);
    assert_eq!(config.assess(&BalanceSnapshot::cash_account(Cents::ZERO).owing(c(1))), Health::Overdue);
    let exhausted = BalanceSnapshot::cash_account(Cents::ZERO).with_credit_limit(c(1)).owing(c(1));
    assert_eq!(config.assess(&exhausted), Health::Overdue);
    let big_credit = BalanceSnapshot::cash_account(Cents::ZERO).with_credit_limit(c(1_000_000));
    assert_eq!(config.assess(&big_credit), Health::Healthy);
    assert_eq!([Health::Healthy, Health::Low, Health::Overdue].map(|h| h.exit_code()), [0, 1, 2]);
}

#[test]
fn events_serialise_for_webhooks() {
    let events =
        run(&instant(), &[(0, Observation::Balance(BalanceSnapshot::cash_account(Cents::ZERO).owing(c(1_234))))]);
    let json = serde_json::from_str::<serde_json::Value>(&events[1].1.to_json()).unwrap();
    assert_eq!(json["event"], "overdue");
    assert_eq!(json["at"], "2026-11-24T09:00:00+08:00");
    assert_eq!(json["owed"]["yuan"], "12.34");
    assert_eq!(json["owed"]["cents"], "1234");
    assert_eq!(json["deadlines"][0]["product"], "API Gateway");
    assert_eq!(json["deadlines"][0]["suspension"], "2026-11-25T09:00:00+08:00");
    assert!(json["deadlines"][1]["data_at_risk"].is_null());
    let low = serde_json::from_str::<serde_json::Value>(&events[0].1.to_json()).unwrap();
    assert_eq!((low["available"]["yuan"].as_str(), low["account_kind"].as_str()), (Some("-12.34"), Some("cash")));
}

#[test]
fn debounce_accepts_max_and_zero() {
    // Duration::MAX: a condition never lasts that long, so nothing is ever reported.
    let forever = instant().debounce(Duration::MAX);
    let script: Vec<(i64, Observation)> = (0..5).map(|d| (d * 1_000_000, cash(1_000))).collect();
    assert!(run(&forever, &script).is_empty());
    assert_eq!(forever.debounce_window(), Duration::MAX);
    // Duration::ZERO: reported on the first observation.
    assert_eq!(names(&run(&instant().debounce(Duration::ZERO), &[(0, cash(1_000))])), [(0, "low_balance")]);
}

#[test]
fn suspension_durations_saturate_at_the_latest_deadline() {
    use tencentcloud_billing::monitor::LATEST_DEADLINE;
    let since = t("2026-11-24 10:00:00");
    let forever = SuspensionPolicy::after_grace("Forever", Duration::MAX).data_retained_for(Duration::MAX);
    let d = forever.deadline(since);
    assert_eq!((d.suspension, d.data_at_risk), (LATEST_DEADLINE, Some(LATEST_DEADLINE)));
    assert_eq!(format_beijing(d.suspension), "9999-12-31 08:00:00");
    // Long but representable durations that would still pass the end of the calendar.
    let far = SuspensionPolicy::after_grace("Far", Duration::from_secs(i64::MAX as u64)).deadline(since);
    assert_eq!(far.suspension, LATEST_DEADLINE);
    let now = SuspensionPolicy::after_grace("Now", Duration::ZERO).data_retained_for(Duration::ZERO).deadline(since);
    assert_eq!((now.suspension, now.data_at_risk), (since, Some(since)));
    // Through the state machine and every rendering of the event.
    let config = instant().policies_replaced(vec![forever]);
    let owing = Observation::Balance(BalanceSnapshot::cash_account(Cents::ZERO).owing(c(100)));
    let events = run(&config, &[(0, owing)]);
    let overdue = events.iter().map(|(_, e)| e).find(|e| e.name() == "overdue").unwrap();
    assert!(overdue.to_string().contains("Forever suspended from 9999-12-31 08:00:00"), "{overdue}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&overdue.to_json()).unwrap()["deadlines"][0]["suspension"],
        "9999-12-31T08:00:00+08:00"
    );
}

#[test]
fn a_threshold_at_the_top_of_the_range_does_not_overflow_the_rearm_level() {
    use tencentcloud_billing::money::Decimal;
    // threshold + margin used to overflow (and panic) once the alert was on.
    let top = Cents::new(Decimal::MAX);
    let config = MonitorConfig::new(top).debounce(Duration::ZERO);
    assert!(config.hysteresis_margin() > Cents::ZERO);
    let events = run(&config, &[(0, cash(1_000)), (1, cash(2_000)), (2, cash(-5))]);
    assert_eq!(names(&events), [(0, "low_balance")]);
}

#[test]
fn runway_options_accept_max_and_zero() {
    use tencentcloud_billing::monitor::{BalancePoint, Confidence, MonthCost, RunwayInput, RunwayOptions};
    let now = t("2026-11-11 00:00:00");
    let history: Vec<_> =
        (0..=48).map(|h| BalancePoint::new(now - time::Duration::hours(48 - h), c(100_000 - 100 * h))).collect();
    let cost = MonthCost::new("2026-11".parse().unwrap(), "3000".parse().unwrap(), now);
    for (d, expected) in [(Duration::MAX, Confidence::Low), (Duration::ZERO, Confidence::High)] {
        let mut o = RunwayOptions::default();
        (o.medium_span, o.high_span, o.medium_elapsed, o.high_elapsed) = (d, d, d, d);
        let r = RunwayInput::new(c(95_200), now).history(history.clone()).month_cost(cost).options(o).forecast();
        assert_eq!(r.confidence, expected, "{d:?}");
        assert!(r.runs_out.is_some());
    }
}
