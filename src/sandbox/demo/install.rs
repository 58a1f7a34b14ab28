//! Installing the demo on a sandbox: the handlers it serves, the balance that drains with sandbox
//! time, the balance-alarm setting, and the [`DemoHandle`] that changes them.

use std::fmt;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::handlers::{BILL_SUMMARIES, COST_SUMMARIES, bad, int_field};
use super::{Demo, MonthFigures};
use crate::datetime::YearMonth;
use crate::money::{Cents, Decimal};
use crate::sandbox::{Account, HandlerContext, Sandbox, Scope, State, lock};

#[derive(Debug)]
struct Drain {
    per_hour: Cents,
    /// Sandbox time the account's cash was last set.
    anchor: i64,
}

#[derive(Debug, Default)]
struct Warning {
    threshold: u64,
    open: bool,
}

/// A handle on an installed demo: change the balance, read the row counts.
pub struct DemoHandle {
    state: Arc<State>,
    /// The account the demo was installed in.
    account: Arc<Mutex<Account>>,
    demo: Arc<Demo>,
    drain: Arc<Mutex<Drain>>,
}

impl fmt::Debug for DemoHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DemoHandle").field("demo", &self.demo).field("drain", &self.drain).finish_non_exhaustive()
    }
}

impl DemoHandle {
    /// The demo's settings.
    pub fn demo(&self) -> &Demo {
        &self.demo
    }

    /// Set the cash balance now (sandbox time), clearing any amount owed; it drains from here.
    pub fn set_balance(&self, cash: Cents) {
        let now = self.state.now_unix();
        let mut account = lock(&self.account);
        account.cash = cash.max(Cents::ZERO);
        account.owed = (-cash).max(Cents::ZERO);
        lock(&self.drain).anchor = now;
    }

    /// Add `amount` to the balance now, paying off what is owed first.
    pub fn top_up(&self, amount: Cents) {
        let current = self.balance();
        self.set_balance(current + amount);
    }

    /// The cash balance now, negative when money is owed (what `DescribeAccountBalance` would
    /// report as cash minus owed, before frozen amounts and gifts).
    pub fn balance(&self) -> Cents {
        let account = drained(&lock(&self.account), &lock(&self.drain), self.state.now_unix());
        account.cash - account.owed
    }

    /// Change how fast the balance drains, from now on.
    pub fn set_burn_per_hour(&self, cents: Cents) {
        let current = self.balance();
        lock(&self.drain).per_hour = cents;
        self.set_balance(current);
    }

    /// How many bill rows `month` holds now (sandbox time).
    pub fn rows_in_month(&self, month: YearMonth) -> u32 {
        self.demo.rows_at(month, self.state.now_unix())
    }

    /// The exact figures of `month` now (sandbox time): totals by product, row counts, and the
    /// FOCUS cases the month covers. See [`Demo::month_figures`].
    pub fn month_figures(&self, month: YearMonth) -> MonthFigures {
        self.demo.month_figures(month, self.state.now_unix())
    }
}

/// The account after draining `per_hour` since the anchor: cash first, then into debt.
fn drained(account: &Account, drain: &Drain, now: i64) -> Account {
    let mut a = account.clone();
    let secs = (now - drain.anchor).max(0);
    let spent = Cents::new((drain.per_hour.amount() * Decimal::from(secs) / Decimal::from(3_600)).floor());
    if a.credit_limited {
        // A credit account spends its line first; beyond it, the excess is owed.
        let from_line = spent.min(a.real_credit_balance.max(Cents::ZERO));
        a.credit_balance -= from_line;
        a.real_credit_balance -= from_line;
        a.owed += spent - from_line;
    } else if spent > a.cash {
        a.owed += spent - a.cash;
        a.cash = Cents::ZERO;
    } else {
        a.cash -= spent;
    }
    a
}

impl Sandbox {
    /// Serve the demo account: set the scenario's account and install handlers for the bill,
    /// summary, balance and balance-alarm actions (replacing any set before). See the
    /// [`demo`](crate::sandbox::demo) module.
    pub fn install_demo(&self, demo: Demo) -> DemoHandle {
        self.install_demo_in(self.default_scope(), demo)
    }

    /// Serve `demo` as a separate account reached with `secret_id`/`secret_key` (see
    /// [`Sandbox::add_account`]): its own scenario, bills, balance and quota, next to the default
    /// account and any other. Give each account its own [`Demo::seed`] for bills of its own.
    pub fn add_demo_account(&self, secret_id: &str, secret_key: &str, demo: Demo) -> DemoHandle {
        let scope = self.add_scope(secret_id, secret_key, demo.scenario.account());
        self.install_demo_in(scope, demo)
    }

    fn install_demo_in(&self, scope: Scope, demo: Demo) -> DemoHandle {
        let per_hour = demo.burn_per_hour.unwrap_or_else(|| demo.default_burn_per_hour());
        *lock(&scope.account) = demo.scenario.account();
        let demo = Arc::new(demo);
        let drain = Arc::new(Mutex::new(Drain { per_hour, anchor: self.now_unix() }));

        let d = Arc::clone(&demo);
        scope.set_raw_handler("DescribeBillDetail", move |ctx, body| d.describe_bill_detail(ctx.now_unix, body));
        for action in BILL_SUMMARIES {
            let d = Arc::clone(&demo);
            scope.set_raw_handler(action, move |ctx: &HandlerContext<'_>, body| {
                d.bill_summary(ctx.action, ctx.now_unix, body)
            });
        }
        for action in COST_SUMMARIES {
            let d = Arc::clone(&demo);
            scope.set_raw_handler(action, move |ctx: &HandlerContext<'_>, body| {
                d.cost_summary(ctx.action, ctx.now_unix, body)
            });
        }
        let dr = Arc::clone(&drain);
        scope.set_raw_handler("DescribeAccountBalance", move |ctx, body| {
            let account = drained(ctx.account, &lock(&dr), ctx.now_unix);
            Ok(account.to_json(body.get("TempCredit").and_then(Value::as_bool).unwrap_or(false)))
        });
        let warning = Arc::new(Mutex::new(Warning::default()));
        let w = Arc::clone(&warning);
        scope.set_raw_handler("DescribeAccountWarning", move |_, _| {
            let w = lock(&w);
            Ok(json!({ "Threshold": w.threshold.to_string(), "Open": if w.open { "1" } else { "0" } }))
        });
        scope.set_raw_handler("ModifyAccountWarning", move |_, body| {
            let threshold =
                int_field(body, "Threshold")?.ok_or_else(|| bad("MissingParameter", "Threshold is required"))?;
            let open = int_field(body, "Open")?.ok_or_else(|| bad("MissingParameter", "Open is required"))?;
            if threshold < 0 || !(0..=1).contains(&open) {
                return Err(bad("InvalidParameterValue", "Threshold must be 0 or more and Open 0 or 1"));
            }
            let mut w = lock(&warning);
            w.threshold = threshold as u64;
            w.open = open == 1;
            Ok(json!({ "Threshold": w.threshold.to_string(), "Open": if w.open { "1" } else { "0" } }))
        });
        super::org::install(&scope, &demo);
        DemoHandle { state: Arc::clone(&self.state), account: Arc::clone(&scope.account), demo, drain }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drain_spends_cash_then_owes() {
        let account = Account::with_balance(Cents::from(1_000));
        let d = Drain { per_hour: Cents::from(600), anchor: 0 };
        assert_eq!(drained(&account, &d, 3_600).cash, Cents::from(400));
        let after = drained(&account, &d, 7_200);
        assert_eq!((after.cash, after.owed), (Cents::ZERO, Cents::from(200)));
        assert_eq!(drained(&account, &d, -5).cash, Cents::from(1_000));
    }
}
