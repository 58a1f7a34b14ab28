//! `tcbill`: Tencent Cloud billing from the command line.
//!
//! ```text
//! tcbill balance [--json]
//! tcbill bills --month 2026-10 [--format csv|ndjson] [--out FILE]
//! tcbill summary --month 2026-10 --by product|region|project|pay-mode|tag [--tag-key KEY] [--chart costs.svg]
//! tcbill watch --threshold 500.00 [--interval 5m] [--webhook URL] [--once]
//! tcbill runway [--until 2026-12-31]
//! tcbill serve [--listen 127.0.0.1:9184] [--interval 60s] [--account NAME]
//! tcbill focus --month 2026-10 --out bill.parquet | --months 2025-06..2026-10 --out DIR [--format parquet|csv] [--org]
//! ```
//!
//! Credentials come from the library's default chain: `TENCENTCLOUD_SECRET_ID` and
//! `TENCENTCLOUD_SECRET_KEY`, then the profile file (`TENCENTCLOUD_CREDENTIALS_FILE` or
//! `~/.tencentcloud/credentials`), then the CVM instance role, then TKE OIDC. Every command fails
//! closed: when none of them is configured, it exits 4 before it prints a figure or writes a file,
//! rather than fall back to demo data. A source that is configured but broken (a malformed
//! profile file, say) is an error, never a fallback. `--sandbox` asks for the built-in sandbox
//! with a demo account; `--demo low|overdue|credit` picks its situation.
//!
//! Exit codes:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success; for `watch --once`: healthy |
//! | 1 | `watch --once`: low balance |
//! | 2 | `watch --once`: overdue |
//! | 3 | error: bad arguments, broken credentials, API unreachable or failing |
//! | 4 | no credentials found and no `--sandbox`: refused, nothing fetched, printed or written |
//! | 130 | interrupted (Ctrl-C) |
//!
//! With `--sandbox`, `watch --once` reports the demo account's health as 0–2. Without it and
//! without credentials, `watch --once` exits 4, so that a cron job on a machine without
//! credentials never reads "healthy", and `bills --out` writes no file it could upload.
//!
//! ```text
//! cargo run -p tcbill -- summary --by product --chart costs.svg
//! cargo install --path tcbill
//! ```

use std::process::ExitCode;

use clap::Parser;
use tcbill::cli;
use tcbill::exit::{EXIT_ERROR, EXIT_INTERRUPTED};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            // Usage errors exit 3, not clap's 2, which `watch --once` uses for "overdue".
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR } else { 0 });
        }
    };
    let mut stdout = std::io::stdout().lock();
    // Both listeners are registered now, before anything runs: a signal that arrives while the
    // command is still connecting is not lost, and SIGTERM (a service manager, `timeout`, a
    // container stop) takes the same path as Ctrl-C.
    let (Some(for_command), Some(backstop)) = (signals(), signals()) else {
        return ExitCode::from(EXIT_ERROR);
    };
    let run = tcbill::run(args, &mut stdout, Box::pin(for_command));
    tokio::pin!(run);
    let code = tokio::select! {
        code = &mut run => code,
        () = backstop => {
            // The command saw the same signal: it stops, cleans up and says what it kept. This
            // only bounds the time it may take, in case it were stuck somewhere that cannot hear.
            match tokio::time::timeout(GRACE, &mut run).await {
                Ok(code) => code,
                Err(_) => {
                    eprintln!("tcbill: interrupted");
                    EXIT_INTERRUPTED
                }
            }
        }
    };
    ExitCode::from(code)
}

/// How long a command may take to stop after a signal.
const GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// A future that completes on SIGINT (Ctrl-C) or SIGTERM; `None` when the handlers cannot be
/// installed (then the default action of the signal still ends the process).
#[cfg(unix)]
fn signals() -> Option<impl std::future::Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut int = signal(SignalKind::interrupt()).ok()?;
    let mut term = signal(SignalKind::terminate()).ok()?;
    Some(async move {
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn signals() -> Option<impl std::future::Future<Output = ()> + Send + 'static> {
    Some(async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
}
