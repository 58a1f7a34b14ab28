//! The exit codes, and the refusal that leads to [`EXIT_DEMO_DATA`].

/// Exit code for errors: bad arguments, credentials that are configured but broken, an
/// unreachable or failing API (0–2 are the health codes of `watch --once`).
pub const EXIT_ERROR: u8 = 3;
/// Exit code of `watch`, `serve` and `focus` when they could only use the demo account: no credentials
/// were found, so tcbill fell back to the sandbox without being asked (`--sandbox`). Never 0, so
/// that a cron job on a machine without credentials cannot read "healthy".
pub const EXIT_DEMO_DATA: u8 = 4;
/// Exit code after Ctrl-C.
pub const EXIT_INTERRUPTED: u8 = 130;

/// Say why a command that would pass the demo account off as a real one does not run (no
/// credentials were found); returns [`EXIT_DEMO_DATA`].
pub fn refuse_demo(what: &str, verb: &str) -> u8 {
    eprintln!(
        "tcbill: refusing to {what} (no credentials found); configure credentials, or pass --sandbox to {verb} the demo"
    );
    EXIT_DEMO_DATA
}
