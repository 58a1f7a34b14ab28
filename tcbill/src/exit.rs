//! The exit codes.

/// Exit code for errors: bad arguments, credentials that are configured but broken, an
/// unreachable or failing API (0–2 are the health codes of `watch --once`).
pub const EXIT_ERROR: u8 = 3;
/// Exit code of every command when no credentials were found and `--sandbox` was not given: it
/// refused before fetching or writing anything, rather than report the demo account's made-up
/// figures as the user's. Never 0, so that a cron job on a machine without credentials cannot
/// read "healthy" or upload an invented bill file.
pub const EXIT_DEMO_DATA: u8 = 4;
/// Exit code after Ctrl-C.
pub const EXIT_INTERRUPTED: u8 = 130;
