//! One reading of the account balance, and what "available" means for each kind of account.

use crate::money::{Cents, Decimal};
use crate::types::DescribeAccountBalanceResponse;

/// How an account pays: from its own funds only, or against a credit line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AccountKind {
    /// A prepaid account: it spends its cash, income and gift balances, and goes overdue when
    /// they run out.
    Cash,
    /// An account with a credit line: it may spend below zero down to minus its credit limit.
    CreditLimited,
}

/// The balance fields the monitor reasons about, taken from one `DescribeAccountBalance` answer.
///
/// All amounts are in cents. Missing fields read as zero (or `None` where absence matters).
///
/// # What "available" means
///
/// [`available`](Self::available) is the amount the account can still spend before it is
/// overdue (cash accounts) or out of credit (credit accounts):
///
/// | account | how it is recognised | available |
/// |---|---|---|
/// | [`AccountKind::Cash`] | `CreditAmount` is zero and `IsCreditLimited` is not `true` | `RealBalance` |
/// | [`AccountKind::CreditLimited`] | `CreditAmount > 0`, or `IsCreditLimited` is `true` | `RealCreditBalance` |
///
/// The API defines `RealBalance` as cash + income + gifts − frozen − owed, so it is already net of
/// frozen and owed amounts and is negative while the account owes money. It defines
/// `CreditBalance` as cash + income + gifts + credit limit − owed, and `RealCreditBalance` as
/// `CreditBalance` − frozen: the spending power left on a credit account, cash included. When an
/// answer lacks `RealCreditBalance`, the monitor falls back to `CreditBalance` − frozen, then to
/// `RealBalance` + credit limit; when it lacks `RealBalance`, to the deprecated `Balance`, then
/// to the sum of its parts.
///
/// `IsAllowArrears` and `IsCreditLimited` are kept for reference, but Tencent documents that they
/// are not applied any more, so the credit limit decides the kind. Arrears being allowed does
/// not change the overdue rules: `OweAmount > 0` is overdue either way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct BalanceSnapshot {
    /// `RealBalance`: cash + income + gifts − frozen − owed.
    pub real_balance: Cents,
    /// `CashAccountBalance`.
    pub cash: Cents,
    /// `IncomeIntoAccountBalance`.
    pub income: Cents,
    /// `PresentAccountBalance` (gift balance).
    pub present: Cents,
    /// `FreezeAmount`.
    pub frozen: Cents,
    /// `OweAmount`: above zero means the account is overdue.
    pub owed: Cents,
    /// `CreditAmount`: the credit limit, temporary credit included.
    pub credit_limit: Cents,
    /// `CreditBalance`, when the answer has it.
    pub credit_balance: Option<Cents>,
    /// `RealCreditBalance`, when the answer has it.
    pub real_credit_balance: Option<Cents>,
    /// `IsCreditLimited` (documented as no longer applied).
    pub credit_limited: Option<bool>,
    /// `IsAllowArrears` (documented as no longer applied).
    pub allow_arrears: Option<bool>,
}

impl BalanceSnapshot {
    /// A cash account whose available balance is `real_balance`, with nothing frozen or owed.
    pub fn cash_account(real_balance: Cents) -> Self {
        BalanceSnapshot { real_balance, cash: real_balance.max(Cents::ZERO), ..Default::default() }
    }

    /// The same account owing `owed` (and, as the API computes it, `RealBalance` lower by as much).
    pub fn owing(mut self, owed: Cents) -> Self {
        self.real_balance -= owed - self.owed;
        if let Some(c) = self.credit_balance.as_mut() {
            *c -= owed - self.owed;
        }
        if let Some(c) = self.real_credit_balance.as_mut() {
            *c -= owed - self.owed;
        }
        self.owed = owed;
        self
    }

    /// The same account with `frozen` frozen (and `RealBalance` lower by as much).
    pub fn freezing(mut self, frozen: Cents) -> Self {
        self.real_balance -= frozen - self.frozen;
        if let Some(c) = self.real_credit_balance.as_mut() {
            *c -= frozen - self.frozen;
        }
        self.frozen = frozen;
        self
    }

    /// The same account on a credit line of `limit`, with the credit balances computed as the
    /// API defines them.
    pub fn with_credit_limit(mut self, limit: Cents) -> Self {
        self.credit_limit = limit;
        self.credit_limited = Some(true);
        let credit_balance = self.cash + self.income + self.present + limit - self.owed;
        self.credit_balance = Some(credit_balance);
        self.real_credit_balance = Some(credit_balance - self.frozen);
        self
    }

    /// Read a `DescribeAccountBalance` answer.
    pub fn from_response(r: &DescribeAccountBalanceResponse) -> Self {
        let z = |c: Option<Cents>| c.unwrap_or(Cents::ZERO);
        let (cash, income, present, frozen, owed) = (
            z(r.cash_account_balance),
            z(r.income_into_account_balance),
            z(r.present_account_balance),
            z(r.freeze_amount),
            z(r.owe_amount),
        );
        let real_balance = r.real_balance.or(r.balance).unwrap_or(cash + income + present - frozen - owed);
        BalanceSnapshot {
            real_balance,
            cash,
            income,
            present,
            frozen,
            owed,
            credit_limit: z(r.credit_amount),
            credit_balance: r.credit_balance,
            real_credit_balance: r.real_credit_balance,
            credit_limited: r.is_credit_limited,
            allow_arrears: r.is_allow_arrears,
        }
    }

    /// Cash or credit-limited; see the type's documentation.
    pub fn kind(&self) -> AccountKind {
        if self.credit_limited == Some(true) || self.credit_limit > Cents::ZERO {
            AccountKind::CreditLimited
        } else {
            AccountKind::Cash
        }
    }

    /// What the account can still spend, in cents; see the type's documentation.
    pub fn available(&self) -> Cents {
        match self.kind() {
            AccountKind::Cash => self.real_balance,
            // Saturating, for snapshots built by hand beyond the decoder's bound (10^26).
            AccountKind::CreditLimited => self
                .real_credit_balance
                .or(self.credit_balance.map(|c| saturate(c.checked_sub(self.frozen), self.frozen.is_negative())))
                .unwrap_or_else(|| {
                    saturate(self.real_balance.checked_add(self.credit_limit), !self.credit_limit.is_negative())
                }),
        }
    }

    /// Whether money is owed (`OweAmount > 0`).
    pub fn is_overdue(&self) -> bool {
        self.owed > Cents::ZERO
    }

    /// Whether a credit account has no credit left (available ≤ 0). Always `false` for cash
    /// accounts, which go overdue instead.
    pub fn is_credit_exhausted(&self) -> bool {
        self.kind() == AccountKind::CreditLimited && self.available() <= Cents::ZERO
    }

    /// Whether part of the balance is frozen (`FreezeAmount > 0`).
    pub fn has_frozen_funds(&self) -> bool {
        self.frozen > Cents::ZERO
    }
}

/// An overflowed sum or difference, pinned to the end of the range it overflowed towards.
fn saturate(v: Option<Cents>, upwards: bool) -> Cents {
    v.unwrap_or(Cents::new(if upwards { Decimal::MAX } else { Decimal::MIN }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(v: i64) -> Cents {
        Cents::from(v)
    }

    fn decode(json: &str) -> BalanceSnapshot {
        let r: DescribeAccountBalanceResponse = serde_json::from_str(json).unwrap();
        BalanceSnapshot::from_response(&r)
    }

    #[test]
    fn cash_account_uses_real_balance() {
        let s = decode(
            r#"{"Balance":90000,"RealBalance":90000,"CashAccountBalance":80000,"IncomeIntoAccountBalance":5000,
                "PresentAccountBalance":10000,"FreezeAmount":5000,"OweAmount":0,"CreditAmount":0,
                "CreditBalance":95000,"RealCreditBalance":90000,"IsAllowArrears":false,"IsCreditLimited":false}"#,
        );
        assert_eq!(s.kind(), AccountKind::Cash);
        assert_eq!(s.available(), c(90_000));
        assert!(!s.is_overdue() && !s.is_credit_exhausted() && s.has_frozen_funds());
    }

    #[test]
    fn overdue_cash_account_is_negative() {
        let s = decode(
            r#"{"RealBalance":-1250,"CashAccountBalance":0,"OweAmount":1250,"CreditAmount":0,"IsCreditLimited":false}"#,
        );
        assert_eq!(s.kind(), AccountKind::Cash);
        assert_eq!(s.available(), c(-1_250));
        assert!(s.is_overdue());
        assert!(!s.is_credit_exhausted(), "cash accounts go overdue, they have no credit to exhaust");
    }

    #[test]
    fn credit_account_uses_real_credit_balance() {
        // Spent 300.00 of a 1000.00 line with no cash; 50.00 frozen.
        let s = decode(
            r#"{"RealBalance":-35000,"CashAccountBalance":0,"FreezeAmount":5000,"OweAmount":30000,
                "CreditAmount":100000,"CreditBalance":70000,"RealCreditBalance":65000,
                "IsCreditLimited":true,"IsAllowArrears":true}"#,
        );
        assert_eq!(s.kind(), AccountKind::CreditLimited);
        assert_eq!(s.available(), c(65_000));
        assert!(!s.is_credit_exhausted());
        assert_eq!(s.allow_arrears, Some(true));
    }

    #[test]
    fn credit_account_recognised_by_limit_even_when_flag_is_stale() {
        // IsCreditLimited is documented as not applied: a positive CreditAmount decides.
        let s = decode(
            r#"{"RealBalance":0,"CreditAmount":50000,"CreditBalance":0,"RealCreditBalance":0,"IsCreditLimited":false}"#,
        );
        assert_eq!(s.kind(), AccountKind::CreditLimited);
        assert!(s.is_credit_exhausted());
    }

    #[test]
    fn fallbacks_when_fields_are_missing() {
        // No RealCreditBalance: CreditBalance - frozen.
        let s = decode(r#"{"RealBalance":100,"FreezeAmount":40,"CreditAmount":1000,"CreditBalance":1100}"#);
        assert_eq!(s.available(), c(1_060));
        // Neither: RealBalance + limit.
        let s = decode(r#"{"RealBalance":100,"CreditAmount":1000}"#);
        assert_eq!(s.available(), c(1_100));
        // No RealBalance: the deprecated Balance.
        let s = decode(r#"{"Balance":777}"#);
        assert_eq!(s.available(), c(777));
        // Neither: the parts.
        let s = decode(r#"{"CashAccountBalance":1000,"PresentAccountBalance":200,"FreezeAmount":50,"OweAmount":0}"#);
        assert_eq!(s.available(), c(1_150));
        // Nothing at all: zero, a cash account.
        let s = decode("{}");
        assert_eq!((s.kind(), s.available()), (AccountKind::Cash, Cents::ZERO));
    }

    #[test]
    fn fractional_cents_stay_exact() {
        let s = decode(r#"{"RealBalance":12.34}"#);
        assert_eq!(s.available().to_string(), "12.34");
    }

    #[test]
    fn builders_follow_the_api_formulas() {
        let s = BalanceSnapshot::cash_account(c(10_000)).with_credit_limit(c(50_000)).freezing(c(1_000));
        assert_eq!(s.real_balance, c(9_000));
        assert_eq!(s.credit_balance, Some(c(60_000)));
        assert_eq!(s.available(), c(59_000));
        let s = s.owing(c(500));
        assert_eq!((s.real_balance, s.available()), (c(8_500), c(58_500)));
    }
}
