//! `tcbill watch`: poll the balance and report low balance, overdue and the rest, to stdout and
//! a webhook; `--once` checks once and says the health in the exit code.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use clap::ValueEnum;
use tencentcloud_billing::BillingClient;
use tencentcloud_billing::datetime::format_beijing;
use tencentcloud_billing::money::Yuan;
use tencentcloud_billing::monitor::{
    AlertSink, BalanceMonitor, BalanceSnapshot, BalanceSource, ChatFormat, ChatSink, Event, Health, MonitorConfig,
    MonitorState, Observation, SourceFuture, WebhookSink,
};
use time::OffsetDateTime;
use tokio::sync::Semaphore;

use crate::account::AccountClient;
use crate::alerts::{self, AlertQueue};
use crate::amounts::cents;
use crate::columns;
use crate::error::{BoxError, chain_text};
use crate::exit::EXIT_ERROR;
use crate::interrupt::Interrupt;

/// Webhook bodies of `watch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HookFormat {
    /// The event as a JSON object.
    Json,
    /// `{"text": ...}` (Slack and compatible).
    Text,
    /// WeCom group robot.
    Wecom,
    /// DingTalk robot.
    Dingtalk,
    /// Feishu / Lark bot.
    Feishu,
}

/// The monitor's settings from the flags. Amounts parsed from text are below 10^26, so the
/// conversion to cents cannot fail today; it is checked all the same rather than trusted.
pub fn watch_config(threshold: Yuan, margin: Option<Yuan>, debounce: Duration) -> Result<MonitorConfig, BoxError> {
    let to_cents = |y: Yuan, flag: &str| y.checked_to_cents().ok_or_else(|| format!("{flag} {y} is too large"));
    let mut config = MonitorConfig::new(to_cents(threshold, "--threshold")?).debounce(debounce);
    if let Some(m) = margin {
        config = config.margin(to_cents(m, "--margin")?);
    }
    Ok(config)
}

/// The webhook sink, if a URL was given; with an account name (several accounts), the JSON
/// body gets an `account` field and chat messages start with the name.
pub fn sink(
    url: Option<&str>,
    format: HookFormat,
    account: Option<&str>,
) -> Result<Option<Box<dyn AlertSink>>, BoxError> {
    let Some(url) = url else { return Ok(None) };
    let chat = |f| -> Result<Option<Box<dyn AlertSink>>, BoxError> {
        let sink = ChatSink::new(url, f)?;
        Ok(Some(Box::new(match account {
            Some(a) => sink.label(format!("Tencent Cloud billing, {a}")),
            None => sink,
        })))
    };
    match format {
        HookFormat::Json => {
            let sink = WebhookSink::new(url)?;
            Ok(Some(Box::new(match account {
                Some(a) => sink.account(a),
                None => sink,
            })))
        }
        HookFormat::Text => chat(ChatFormat::Text),
        HookFormat::Wecom => chat(ChatFormat::WeCom),
        HookFormat::Dingtalk => chat(ChatFormat::DingTalk),
        HookFormat::Feishu => chat(ChatFormat::Feishu),
    }
}

async fn deliver(sink: Option<&dyn AlertSink>, event: &Event) {
    if let Some(s) = sink
        && let Err(e) = s.send(event).await
    {
        eprintln!("tcbill: webhook: {}", chain_text(&e));
    }
}

/// Check once: print the health, send the events a first look raises, return the health's exit code.
pub async fn watch_once(
    client: &BillingClient,
    config: &MonitorConfig,
    sink: Option<&dyn AlertSink>,
    out: &mut (impl Write + ?Sized),
) -> Result<u8, BoxError> {
    let b = client.describe_account_balance().send().await?;
    let s = BalanceSnapshot::from_response(&b);
    let health = config.assess(&s);
    let now = OffsetDateTime::now_utc();
    let label = match health {
        Health::Healthy => "healthy",
        Health::Low => "LOW",
        _ => "OVERDUE",
    };
    write!(out, "{label}: available {} (threshold {})", cents(s.available()), cents(config.threshold()))?;
    if s.is_overdue() {
        write!(out, ", owes {}", cents(s.owed))?;
    }
    writeln!(out)?;
    if s.is_overdue() {
        writeln!(out, "  if it went overdue just now (it may have been earlier):")?;
        for d in config.deadlines(now) {
            write!(
                out,
                "  {} suspended from {}",
                columns::left(&d.product.to_string(), 12),
                format_beijing(d.suspension)
            )?;
            if let Some(r) = d.data_at_risk {
                write!(out, ", data at risk from {}", format_beijing(r))?;
            }
            writeln!(out)?;
        }
    }
    // The same events a running monitor would raise on its first look, for the webhook.
    let once = config.clone().debounce(Duration::ZERO);
    let (_, events) = MonitorState::default().step(&once, &Observation::Balance(s), now);
    for e in &events {
        deliver(sink, e).await;
    }
    Ok(health.exit_code())
}

/// Report the monitor's events until it ends or `interrupt` fires.
pub async fn watch(
    client: &BillingClient,
    config: MonitorConfig,
    interval: Duration,
    sink: Option<Box<dyn AlertSink>>,
    out: &mut dyn Write,
    mut interrupt: Interrupt,
) -> Result<(), BoxError> {
    banner(out, None, interval, &config)?;
    let mut events = BalanceMonitor::builder(client.clone(), config).interval(interval).build().into_events();
    // Alerts go through their own task: a hanging webhook never delays a check or Ctrl-C.
    let sink: Option<Arc<dyn AlertSink>> = sink.map(Arc::from);
    let alerts = AlertQueue::new(alerts::CAPACITY);
    let result = loop {
        tokio::select! {
            e = events.next() => {
                let Some(e) = e else { break Ok(()) };
                if let Err(err) = writeln!(out, "{}  {:<16} {e}", format_beijing(e.at()), e.name()).and_then(|()| out.flush()) {
                    break Err(err.into());
                }
                if let Some(s) = &sink {
                    alerts.push(Arc::clone(s), e);
                }
            }
            () = &mut interrupt => break Ok(()),
        }
    };
    alerts::report_stopped(alerts);
    result
}

/// The first line of a watch: who is watched (when several), how often, and the thresholds.
fn banner(out: &mut dyn Write, who: Option<&str>, interval: Duration, config: &MonitorConfig) -> std::io::Result<()> {
    writeln!(
        out,
        "watching {}every {}s: alert below {}, re-arm above {}, changes must last {}s; Ctrl-C to stop",
        who.map(|w| format!("{w} ")).unwrap_or_default(),
        interval.as_secs(),
        cents(config.threshold()),
        config.threshold().checked_add(config.hysteresis_margin()).map_or_else(|| "-".to_owned(), cents),
        config.debounce_window().as_secs(),
    )?;
    out.flush()
}

/// The name an account goes by in `watch`'s output.
fn account_name(a: &AccountClient) -> &str {
    a.profile.as_deref().unwrap_or("default")
}

/// `watch --once` over several accounts, at most `concurrency` at a time, each line prefixed
/// with the account's name; the accounts are printed in the order given. The exit code is the
/// worst account's: 3 when one could not be checked, else 2 when one is overdue, else 1 when
/// one is low, else 0.
pub async fn watch_once_accounts(
    accounts: &[AccountClient],
    config: &MonitorConfig,
    webhook: Option<&str>,
    format: HookFormat,
    concurrency: usize,
    out: &mut dyn Write,
) -> Result<u8, BoxError> {
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, a) in accounts.iter().enumerate() {
        let name = account_name(a).to_owned();
        let sink = sink(webhook, format, Some(&name))?;
        let (client, config, permits) = (a.client.clone(), config.clone(), Arc::clone(&permits));
        tasks.spawn(async move {
            // The semaphore is never closed, so the permit always comes.
            let _permit = permits.acquire_owned().await;
            let mut text = Vec::new();
            let code = match watch_once(&client, &config, sink.as_deref(), &mut text).await {
                Ok(code) => code,
                Err(e) => {
                    eprintln!("tcbill: {name}: {}", chain_text(&*e));
                    EXIT_ERROR
                }
            };
            (i, code, text)
        });
    }
    let mut done = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(d) => done.push(d),
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    done.sort_by_key(|(i, _, _)| *i);
    let mut worst = 0;
    for (i, code, text) in done {
        let name = account_name(&accounts[i]);
        for line in String::from_utf8_lossy(&text).lines() {
            writeln!(out, "[{name}] {line}")?;
        }
        worst = worst.max(code);
    }
    Ok(worst)
}

/// One account's balance for its monitor, read when one of the shared permits is free and given
/// up after `timeout`: at most as many accounts read at once as there are permits, and one that
/// hangs frees its place rather than holding up the others.
#[derive(Debug)]
struct Bounded {
    client: BillingClient,
    permits: Arc<Semaphore>,
    timeout: Duration,
}

impl BalanceSource for Bounded {
    fn fetch(&self) -> SourceFuture<'_> {
        Box::pin(async move {
            let _permit = self.permits.acquire().await?;
            match tokio::time::timeout(self.timeout, self.client.fetch()).await {
                Ok(result) => result,
                Err(_) => Err(format!("no answer within {}s", self.timeout.as_secs_f64()).into()),
            }
        })
    }
}

/// How often several accounts are checked, and how many at once.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// The time between two checks of one account.
    pub interval: Duration,
    /// The most accounts whose balance is read at the same time.
    pub concurrency: usize,
}

/// `watch` over several accounts: one monitor (and client handle, and quota) per account, the
/// events of all of them as they come, each line naming its account. The monitors run side by
/// side; at most `concurrency` of them read a balance at the same time, and a read that outlasts
/// the interval is given up (and reported by the monitor as a failed poll).
pub async fn watch_accounts(
    accounts: &[AccountClient],
    config: MonitorConfig,
    pace: Pace,
    webhook: Option<&str>,
    format: HookFormat,
    out: &mut dyn Write,
    mut interrupt: Interrupt,
) -> Result<(), BoxError> {
    let Pace { interval, concurrency } = pace;
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let names: Vec<&str> = accounts.iter().map(account_name).collect();
    // Profile names may be Chinese: pad them by display width, as wide as the widest.
    let name_cells = columns::widest(names.iter().copied(), 12);
    banner(out, Some(&names.join(", ")), interval, &config)?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut tasks = tokio::task::JoinSet::new();
    let mut sinks = Vec::new();
    for (i, a) in accounts.iter().enumerate() {
        sinks.push(sink(webhook, format, Some(names[i]))?);
        let source = Bounded { client: a.client.clone(), permits: Arc::clone(&permits), timeout: interval };
        let mut events = BalanceMonitor::builder(source, config.clone()).interval(interval).build().into_events();
        let tx = tx.clone();
        tasks.spawn(async move {
            while let Some(e) = events.next().await {
                if tx.send((i, e)).is_err() {
                    return;
                }
            }
        });
    }
    drop(tx);
    // One queue and one delivering task for every account's alerts: a hanging webhook of one
    // account never holds back another account's checks, nor Ctrl-C.
    let sinks: Vec<Option<Arc<dyn AlertSink>>> = sinks.into_iter().map(|s| s.map(Arc::from)).collect();
    let alerts = AlertQueue::new(alerts::CAPACITY);
    let result = loop {
        tokio::select! {
            e = rx.recv() => {
                let Some((i, e)) = e else { break Ok(()) };
                let name = columns::left(names[i], name_cells);
                let line = writeln!(out, "{}  {name} {:<16} {e}", format_beijing(e.at()), e.name());
                if let Err(err) = line.and_then(|()| out.flush()) {
                    break Err(err.into());
                }
                if let Some(s) = &sinks[i] {
                    alerts.push(Arc::clone(s), e);
                }
            }
            () = &mut interrupt => break Ok(()),
        }
    };
    alerts::report_stopped(alerts);
    result
}
