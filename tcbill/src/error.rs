//! Errors as tcbill reports them: one line per failure, causes included.

use std::error::Error as StdError;

/// The error type the commands return: anything, printed by [`chain_text`].
pub type BoxError = Box<dyn StdError + Send + Sync>;

/// An error and its causes on one line.
pub fn chain_text(e: &(dyn StdError + 'static)) -> String {
    tencentcloud_billing::ErrorChain(e).to_string()
}
