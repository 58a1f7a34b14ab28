//! [`run`]: connect as the global flags say, then hand over to the subcommand's module.

use std::io::Write;

use tencentcloud_billing::datetime::YearMonth;
use tencentcloud_billing::monitor::SystemClock;

use crate::account::{AccountChoice, SandboxUse, connect_accounts, several_profiles};
use crate::cli::{Cli, Command, OrgCommand};
use crate::commands::{balance, bills, download, focus, org, runway, serve, summary, watch};
use crate::error::chain_text;
use crate::exit::{EXIT_DEMO_DATA, EXIT_ERROR, refuse_demo};
use crate::interrupt::Interrupt;

/// Run one command; returns the exit code.
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
            return EXIT_ERROR;
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
                    interval,
                    webhook.as_deref(),
                    webhook_format,
                    concurrency,
                    out,
                    interrupt,
                )
                .await
                .map(|()| 0),
            }
        }
        Command::Watch { threshold, margin, interval, debounce, webhook, webhook_format, once, concurrency: _ } => {
            let demo_only = conns.sandbox == Some(SandboxUse::NoCredentials);
            match (
                watch::watch_config(threshold, margin, debounce),
                watch::sink(webhook.as_deref(), webhook_format, None),
            ) {
                (Err(e), _) | (_, Err(e)) => Err(e),
                (Ok(config), Ok(sink)) if once && demo_only => {
                    // The demo account's health says nothing about any real account: show it, but
                    // exit with a code no script can take for "healthy", and alert nobody.
                    watch::watch_once(client, &config, None, out).await.map(|_| {
                        if sink.is_some() {
                            eprintln!("tcbill: the webhook was not called: these are demo data");
                        }
                        eprintln!(
                            "tcbill: exit {EXIT_DEMO_DATA}: only the demo account was checked (no credentials found)"
                        );
                        EXIT_DEMO_DATA
                    })
                }
                (Ok(config), Ok(sink)) if once => watch::watch_once(client, &config, sink.as_deref(), out).await,
                (Ok(_), Ok(_)) if demo_only => {
                    Ok(refuse_demo("watch the demo account as if it were a real one", "watch"))
                }
                (Ok(config), Ok(sink)) => {
                    watch::watch(client, config, interval, sink, out, interrupt).await.map(|()| 0)
                }
            }
        }
        Command::Runway { until } => runway::run(client, until, out).await.map(|()| 0),
        Command::Focus { month, months, format, out: path, org, row_group_size, carry_months } => {
            if conns.sandbox == Some(SandboxUse::NoCredentials) {
                // A FOCUS file is loaded into cost tools as the account's bills: never the demo's.
                Ok(refuse_demo("export the demo account's bills as if they were real", "export"))
            } else {
                let args = focus::FocusArgs { month, months, format, out: path, org, row_group_size, carry_months };
                focus::run(client, args, interrupt).await
            }
        }
        Command::Download { month, kind, out: dir, wait } => {
            let month = month.unwrap_or_else(|| YearMonth::current_beijing().previous());
            download::run(client, month, kind, &dir, wait).await.map(|()| 0)
        }
        Command::Serve { listen, interval, account, concurrency } => {
            if conns.sandbox == Some(SandboxUse::NoCredentials) {
                // As with `watch`: metrics of the demo account would page someone about nothing.
                Ok(refuse_demo("export the demo account as if it were a real one", "export"))
            } else if several && account.is_some() {
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
