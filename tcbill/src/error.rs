//! Errors as tcbill reports them: one line per failure, causes included.

use std::error::Error as StdError;

/// The error type the commands return: anything, printed by [`chain_text`].
pub type BoxError = Box<dyn StdError + Send + Sync>;

/// An error and its causes on one line.
pub fn chain_text(e: &(dyn StdError + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let s = c.to_string();
        if !text.contains(&s) {
            text.push_str(": ");
            text.push_str(&s);
        }
        cause = c.source();
    }
    text
}
