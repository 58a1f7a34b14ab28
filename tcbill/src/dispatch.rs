//! [`run`]: connect as the global flags say, then hand over to the subcommand's module.

use std::io::Write;

use tencentcloud_billing::datetime::YearMonth;
use tencentcloud_billing::monitor::SystemClock;

use crate::account::{AccountChoice, NoCredentials, connect_accounts, several_profiles};
use crate::cli::{Cli, Command, OrgCommand};
use crate::commands::{balance, bills, download, focus, org, runway, serve, summary, watch};
use crate::error::chain_text;
use crate::exit::{EXIT_DEMO_DATA, EXIT_ERROR, EXIT_INTERRUPTED};
use crate::interrupt::Interrupt;

/// Run one command; returns the exit code.
///
/// Every command fails closed: without credentials and without `--sandbox`, it stops before it
/// fetches or writes anything and returns [`EXIT_DEMO_DATA`].
pub async fn run(cli: Cli, out: &mut dyn Write, interrupt: Interrupt) -> u8 {
    let several = cli.profiles.len() > 1;
    let choice = AccountChoice { sandbox: cli.sandbox, demo: cli.demo, profiles: cli.profiles.clone() };
    if several && !matches!(cli.command, Command::Watch { .. } | Command::Serve { .. }) {
        eprintln!("tcbill: {}", several_profiles());
        return EXIT_ERROR;
    }
    // `serve` counts the client's own requests through a hook, which goes on before the build.
    let metrics = matches!(cli.command, Command::Serve { .. }).then(serve::ClientMetrics::new);
    // With several accounts, they share one client's hooks; the exporter labels each account's
    // traffic while it polls that account.
    let conns = match connect_accounts(&choice, |b| match &metrics {
        Some(m) => b.hook(m.clone()),
        None => b,
    })
    .await
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("tcbill: {}", chain_text(&*e));
            return if e.is::<NoCredentials>() { EXIT_DEMO_DATA } else { EXIT_ERROR };
        }
    };
    let Some(first) = conns.accounts.first() else {
        eprintln!("tcbill: no account to connect to");
        return EXIT_ERROR;
    };
    let client = &first.client;
    let result = match cli.command {
        Command::Balance { json } => until_interrupted(balance::run(client, json, out), interrupt).await,
        Command::Bills { month, format, out: file, org } => {
            let month = month.unwrap_or_else(|| YearMonth::current_beijing().previous());
            bills::run(client, month, format, file.as_deref(), org, out, interrupt).await
        }
        Command::Org { command: OrgCommand::Balances { json, page_size, threshold } } => {
            until_interrupted(org::balances(client, json, page_size, threshold, out), interrupt).await
        }
        Command::Summary { month, by, tag_key, chart } => {
            let month = month.unwrap_or_else(|| YearMonth::current_beijing().previous());
            until_interrupted(summary::run(client, month, by, tag_key.as_deref(), chart.as_deref(), out), interrupt)
                .await
        }
        Command::Watch { threshold, margin, interval, debounce, webhook, webhook_format, once, concurrency }
            if several =>
        {
            let concurrency = usize::from(concurrency);
            match watch::watch_config(threshold, margin, debounce) {
                Err(e) => Err(e),
                Ok(config) if once => {
                    watch::watch_once_accounts(
                        &conns.accounts,
                        &config,
                        webhook.as_deref(),
                        webhook_format,
                        concurrency,
                        out,
                    )
                    .await
                }
                Ok(config) => watch::watch_accounts(
                    &conns.accounts,
                    config,
                    watch::Pace { interval, concurrency },
                    webhook.as_deref(),
                    webhook_format,
                    out,
                    interrupt,
                )
                .await
                // The watch runs until it is stopped: ending is an interruption.
                .map(|()| EXIT_INTERRUPTED),
            }
        }
        Command::Watch { threshold, margin, interval, debounce, webhook, webhook_format, once, concurrency: _ } => {
            match (
                watch::watch_config(threshold, margin, debounce),
                watch::sink(webhook.as_deref(), webhook_format, None),
            ) {
                (Err(e), _) | (_, Err(e)) => Err(e),
                (Ok(config), Ok(sink)) if once => {
                    until_interrupted_code(watch::watch_once(client, &config, sink.as_deref(), out), interrupt).await
                }
                (Ok(config), Ok(sink)) => {
                    // The watch runs until it is stopped: ending is an interruption.
                    watch::watch(client, config, interval, sink, out, interrupt).await.map(|()| EXIT_INTERRUPTED)
                }
            }
        }
        Command::Runway { until } => until_interrupted(runway::run(client, until, out), interrupt).await,
        Command::Focus { month, months, format, out: path, org, row_group_size, carry_months, spec: _, s3 } => {
            let args = focus::FocusArgs { month, months, format, out: path, org, row_group_size, carry_months, s3 };
            focus::run(client, args, interrupt).await
        }
        Command::Download { month, kind, out: dir, wait, deadline, min_rate } => {
            let month = month.unwrap_or_else(|| YearMonth::current_beijing().previous());
            let limits = download::Limits { wait, deadline, min_rate };
            download::run(client, month, kind, &dir, limits, interrupt).await
        }
        Command::Serve { listen, interval, account, concurrency } => {
            if several && account.is_some() {
                Err("--account labels one account; with several --profile, each is labelled by its profile name".into())
            } else {
                let metrics = metrics.unwrap_or_default();
                let exporter = if several {
                    let accounts = conns
                        .accounts
                        .iter()
                        .map(|a| (a.profile.clone().unwrap_or_default(), a.client.clone()))
                        .collect();
                    serve::Exporter::accounts(accounts, metrics, SystemClock).concurrency(usize::from(concurrency))
                } else {
                    // One account: --account, else the profile's name, else the UIN.
                    let label = account.or_else(|| first.profile.clone());
                    serve::Exporter::new(client.clone(), metrics, SystemClock, label)
                };
                // The exporter serves until it is stopped: ending is an interruption.
                serve::listen(exporter, listen, interval, out, interrupt).await.map(|_| EXIT_INTERRUPTED)
            }
        }
    };
    let _ = out.flush();
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tcbill: {}", chain_text(&*e));
            EXIT_ERROR
        }
    }
}

/// Run a command that has nothing to clean up, until it ends or the user asks to stop: then it
/// is dropped where it stands and the exit code is [`EXIT_INTERRUPTED`].
async fn until_interrupted<E>(
    command: impl std::future::Future<Output = Result<(), E>>,
    interrupt: Interrupt,
) -> Result<u8, E> {
    until_interrupted_code(async { command.await.map(|()| 0) }, interrupt).await
}

/// [`until_interrupted`] for a command that gives its own exit code.
async fn until_interrupted_code<E>(
    command: impl std::future::Future<Output = Result<u8, E>>,
    interrupt: Interrupt,
) -> Result<u8, E> {
    tokio::select! {
        r = command => r,
        () = interrupt => {
            eprintln!("tcbill: interrupted");
            Ok(EXIT_INTERRUPTED)
        }
    }
}
