//! [`run`]: connect as the global flags say, then hand over to the subcommand's module.

use std::io::Write;

use tencentcloud_billing::datetime::YearMonth;
use tencentcloud_billing::monitor::SystemClock;

use crate::account::{AccountChoice, NoCredentials, connect_accounts, several_profiles};
use crate::cli::{Cli, Command, OrgCommand};
use crate::commands::{balance, bills, download, focus, org, runway, serve, summary, watch};
use crate::error::chain_text;
use crate::exit::{EXIT_DEMO_DATA, EXIT_ERROR};
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
    // `serve` counts the client's own requests through a hook, which goes on before the build;
    // with several accounts, each client's under its own `account` label.
    let metrics = matches!(cli.command, Command::Serve { .. }).then(serve::ClientMetrics::new);
    let conns = match connect_accounts(&choice, |name, b| match (&metrics, name) {
        (Some(m), Some(name)) if several => b.hook(m.for_account(name)),
        (Some(m), _) => b.hook(m.clone()),
        (None, _) => b,
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
        Command::Balance { json } => balance::run(client, json, out).await.map(|()| 0),
        Command::Bills { month, format, out: file, org } => {
            let month = month.unwrap_or_else(|| YearMonth::current_beijing().previous());
            bills::run(client, month, format, file.as_deref(), org, out, interrupt).await
        }
        Command::Org { command: OrgCommand::Balances { json, page_size, threshold } } => {
            org::balances(client, json, page_size, threshold, out).await.map(|()| 0)
        }
        Command::Summary { month, by, tag_key, chart } => {
            let month = month.unwrap_or_else(|| YearMonth::current_beijing().previous());
            summary::run(client, month, by, tag_key.as_deref(), chart.as_deref(), out).await.map(|()| 0)
        }
        Command::Watch { threshold, margin, interval, debounce, webhook, webhook_format, once } if several => {
            match watch::watch_config(threshold, margin, debounce) {
                Err(e) => Err(e),
                Ok(config) if once => {
                    watch::watch_once_accounts(&conns.accounts, &config, webhook.as_deref(), webhook_format, out).await
                }
                Ok(config) => watch::watch_accounts(
                    &conns.accounts,
                    config,
                    interval,
                    webhook.as_deref(),
                    webhook_format,
                    out,
                    interrupt,
                )
                .await
                .map(|()| 0),
            }
        }
        Command::Watch { threshold, margin, interval, debounce, webhook, webhook_format, once } => {
            match (
                watch::watch_config(threshold, margin, debounce),
                watch::sink(webhook.as_deref(), webhook_format, None),
            ) {
                (Err(e), _) | (_, Err(e)) => Err(e),
                (Ok(config), Ok(sink)) if once => watch::watch_once(client, &config, sink.as_deref(), out).await,
                (Ok(config), Ok(sink)) => {
                    watch::watch(client, config, interval, sink, out, interrupt).await.map(|()| 0)
                }
            }
        }
        Command::Runway { until } => runway::run(client, until, out).await.map(|()| 0),
        Command::Focus { month, months, format, out: path, org, row_group_size, carry_months, s3 } => {
            let args = focus::FocusArgs { month, months, format, out: path, org, row_group_size, carry_months, s3 };
            focus::run(client, args, interrupt).await
        }
        Command::Download { month, kind, out: dir, wait } => {
            let month = month.unwrap_or_else(|| YearMonth::current_beijing().previous());
            download::run(client, month, kind, &dir, wait).await.map(|()| 0)
        }
        Command::Serve { listen, interval, account } => {
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
                    serve::Exporter::accounts(accounts, metrics, SystemClock)
                } else {
                    // One account: --account, else the profile's name, else the UIN.
                    let label = account.or_else(|| first.profile.clone());
                    serve::Exporter::new(client.clone(), metrics, SystemClock, label)
                };
                serve::listen(exporter, listen, interval, out, interrupt).await
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
