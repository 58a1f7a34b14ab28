//! One module per action.

pub(crate) mod describe_account_balance;
