//! `tcbill`: Tencent Cloud billing from the command line.
//!
//! ```text
//! tcbill balance [--json]
//! tcbill bills --month 2026-10 [--format csv|ndjson] [--out FILE]
//! tcbill summary --month 2026-10 --by product|region|project|pay-mode|tag [--tag-key KEY] [--chart costs.svg]
//! tcbill watch --threshold 500.00 [--interval 5m] [--webhook URL] [--once]
//! tcbill runway [--until 2026-12-31]
//! ```
//!
//! With `TENCENTCLOUD_SECRET_ID` and `TENCENTCLOUD_SECRET_KEY` set it talks to Tencent Cloud;
//! without them (or with `--sandbox`) it starts the built-in sandbox with a demo account and says
//! so on stderr. `--demo low|overdue|credit` picks the demo account's situation.
//!
//! Exit codes: 0 success (for `watch --once`: healthy), 1 low balance, 2 overdue, 3 error,
//! 130 interrupted.
//!
//! ```text
//! cargo run --example tcbill -- summary --by product --chart costs.svg
//! ```

mod chart;
mod cli;
mod export;

use std::process::ExitCode;

use clap::Parser;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            // Usage errors exit 3, not clap's 2, which `watch --once` uses for "overdue".
            return ExitCode::from(if e.use_stderr() { cli::EXIT_ERROR } else { 0 });
        }
    };
    let mut stdout = std::io::stdout().lock();
    let interrupt = Box::pin(async {
        // If the handler cannot be installed, never fire: the default SIGINT action still ends us.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    });
    ExitCode::from(cli::run(args, &mut stdout, interrupt).await)
}
