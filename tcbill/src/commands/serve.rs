//! `tcbill serve`: a Prometheus exporter for one account or several.
//!
//! For each account, a poll loop reads the balance (through the library's [`BalanceMonitor`], which keeps the
//! history the runway needs) and this month's bill summary by product, every interval, and
//! stores what it read. `/metrics` only encodes what was stored: a scrape never calls the API,
//! so however often Prometheus scrapes, the account's quota sees one balance call and one
//! summary call per interval. The client's own traffic is counted by a [`Hook`]
//! ([`ClientMetrics`]).
//!
//! With several accounts ([`Exporter::accounts`]), each has its own client handle (its own keys
//! and quota, as Tencent counts quotas per account; one connection pool for all when they come
//! from [`BillingClient::with_credentials`]), and shows up under its own `account` label in every
//! family, the client's traffic and the poll failures included. The accounts are polled side by
//! side, at most [`Exporter::concurrency`] at a time, each on its own schedule: an account that
//! is slow or failing holds up only itself, and each account's figures are stored as soon as its
//! own poll ends.
//!
//! Amounts are exposed as floats in yuan because the exposition format has no other number
//! type; the exact decimal values are in the API (`tcbill balance --json`).

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt;
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{ALLOW, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::prometheus_text;
use prometheus_client::encoding::{DescriptorEncoder, NoLabelSet};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use tencentcloud_billing::BillingClient;
use tencentcloud_billing::datetime::{BEIJING, YearMonth};
use tencentcloud_billing::hook::{AttemptRecord, Hook};
use tencentcloud_billing::money::{Cents, Decimal, Yuan};
use tencentcloud_billing::monitor::{
    BalanceMonitor, BalanceSnapshot, BalanceSource, Clock, MonitorConfig, MonthCost, SourceFuture,
};
use time::OffsetDateTime;
use tokio::net::TcpListener;

use crate::error::{BoxError, chain_text};
use crate::interrupt::Interrupt;

/// How many accounts are polled at the same time by default.
pub const DEFAULT_CONCURRENCY: usize = 16;

/// How long one call of a poll may take by default before it counts as failed; [`run`] uses
/// the interval instead, since a call that outlasts it would overlap the next poll.
const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(60);

tokio::task_local! {
    /// The account being polled: the `account` label of the client's traffic when several
    /// accounts share one client's hooks (handles from `with_credentials` share them).
    static POLLING: Arc<str>;
}

/// The action that reads the balance.
pub const BALANCE_ACTION: &str = "DescribeAccountBalance";
/// The action that reads the month's cost by product.
pub const COST_ACTION: &str = "DescribeBillSummaryByProduct";

/// How long a connection may take to send its request headers: a client that opens a
/// connection and says nothing does not hold it for ever.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

type Labels = Vec<(&'static str, String)>;

/// The client's own traffic, counted by a [`Hook`] on the client: attempts by action and
/// outcome, throttled attempts, and the time spent waiting for quota.
///
/// It is cheap to clone; clones count into the same metrics. [`ClientMetrics::for_account`]
/// gives a clone whose samples carry an `account` label, one per client when there are several.
#[derive(Debug, Clone)]
pub struct ClientMetrics {
    account: Option<Arc<str>>,
    requests: Family<Labels, Counter>,
    throttled: Family<Labels, Counter>,
    quota_wait: Family<Labels, Histogram, fn() -> Histogram>,
}

impl Default for ClientMetrics {
    fn default() -> Self {
        ClientMetrics::new()
    }
}

fn quota_wait_histogram() -> Histogram {
    // From "no wait" to the better part of a minute: the limiter waits at most a few seconds
    // per permit, longer only under a shared (fleet) quota.
    Histogram::new([0.0, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0])
}

impl ClientMetrics {
    /// Empty counters; register the value on the client builder with `.hook(metrics.clone())`.
    pub fn new() -> Self {
        ClientMetrics {
            account: None,
            requests: Family::default(),
            throttled: Family::default(),
            quota_wait: Family::new_with_constructor(quota_wait_histogram),
        }
    }

    /// The same metrics, counting into samples labelled `account="NAME"`: register one on each
    /// account's client.
    pub fn for_account(&self, account: &str) -> ClientMetrics {
        ClientMetrics { account: Some(account.into()), ..self.clone() }
    }

    /// The labels of a sample: the account's first, when there is one (this value's own, else
    /// the account whose poll made the attempt).
    fn labels(&self, rest: &[(&'static str, &str)]) -> Labels {
        let account = self.account.clone().or_else(|| POLLING.try_with(Arc::clone).ok());
        let account = account.iter().map(|a| ("account", a.to_string()));
        account.chain(rest.iter().map(|(k, v)| (*k, (*v).to_owned()))).collect()
    }

    fn register(&self, registry: &mut Registry) {
        registry.register(
            "tcbill_client_requests",
            "Attempts the exporter's client made (retries included), by API action and outcome",
            self.requests.clone(),
        );
        registry.register(
            "tcbill_client_throttled",
            "Attempts the API refused for quota (RequestLimitExceeded), by action",
            self.throttled.clone(),
        );
        registry.register(
            "tcbill_client_quota_wait_seconds",
            "Time each attempt waited for the client's own quota permit before it was sent, by action",
            self.quota_wait.clone(),
        );
    }
}

impl Hook for ClientMetrics {
    fn after_attempt(&self, record: &AttemptRecord<'_>) {
        let (action, outcome) = (record.action(), record.outcome());
        self.requests.get_or_create(&self.labels(&[("action", action), ("outcome", outcome.as_str())])).inc();
        if outcome.is_throttled() {
            self.throttled.get_or_create(&self.labels(&[("action", action)])).inc();
        }
        self.quota_wait.get_or_create(&self.labels(&[("action", action)])).observe(record.quota_wait().as_secs_f64());
    }
}

/// One product's cost so far this month.
#[derive(Debug, Clone, PartialEq)]
struct ProductCost {
    name: String,
    code: String,
    yuan: f64,
}

/// What the polls of one account read last; the scrapes encode it as it is.
#[derive(Debug, Default)]
struct Readings {
    /// The site of the account's client.
    site: &'static str,
    /// The `account` label of the failure counters: set when it is known before any poll (with
    /// several accounts), absent otherwise (the label is then the UIN the first poll reads).
    failures_account: Option<String>,
    /// The `account` label and the last balance read.
    balance: Option<(String, BalanceSnapshot)>,
    /// The month the product costs are for, and the costs.
    costs: Option<(YearMonth, Vec<ProductCost>)>,
    runway_seconds: Option<f64>,
    last_success: Option<f64>,
    failures: BTreeMap<&'static str, u64>,
}

#[derive(Debug)]
struct Shared {
    /// One per account, in the order given.
    readings: Mutex<Vec<Readings>>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Vec<Readings>> {
        // Readings are replaced whole, so a poisoned lock still holds a consistent value.
        self.readings.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// An exact amount as the nearest float (the decimal's text parses correctly rounded).
fn float(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(f64::NAN)
}

fn cents(c: Cents) -> f64 {
    float(c.to_yuan().amount())
}

/// A sample's labels and value.
type Sample<'a> = (Vec<(&'a str, &'a str)>, f64);

/// An account that has been polled: its labels, its readings and its last balance.
type Polled<'a> = (Vec<(&'a str, &'a str)>, &'a Readings, &'a BalanceSnapshot);

/// One family of gauges. A sample that is not a finite number is left out (the format could
/// carry NaN, but a missing sample is what a dashboard and an alert handle well), and so is a
/// family with no sample.
fn gauge_family(
    encoder: &mut DescriptorEncoder<'_>,
    name: &'static str,
    help: &str,
    samples: &[Sample<'_>],
) -> fmt::Result {
    let samples: Vec<_> = samples.iter().filter(|(_, v)| v.is_finite()).collect();
    if samples.is_empty() {
        return Ok(());
    }
    let mut family = encoder.encode_descriptor(name, help, None, MetricType::Gauge)?;
    for (labels, v) in samples {
        family.encode_family(labels)?.encode_gauge(v)?;
    }
    Ok(())
}

impl Collector for Shared {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> Result<(), fmt::Error> {
        let all = self.lock();
        // Each family once, with a sample set per account (a family repeated would be invalid).
        let mut gauges =
            |name: &'static str, help: &str, samples: &[Sample<'_>]| gauge_family(&mut encoder, name, help, samples);
        let polled: Vec<Polled<'_>> = all
            .iter()
            .filter_map(|r| {
                let (account, s) = r.balance.as_ref()?;
                Some((vec![("account", account.as_str()), ("site", r.site)], r, s))
            })
            .collect();
        let each = |f: &dyn Fn(&BalanceSnapshot) -> Option<Cents>| -> Vec<Sample<'_>> {
            polled.iter().filter_map(|(labels, _, s)| Some((labels.clone(), cents(f(s)?)))).collect()
        };
        gauges(
            "tcbill_balance_available_yuan",
            "What the account can still spend, in yuan: RealBalance for a cash account, RealCreditBalance \
             for a credit account; negative while it owes. A float for the exposition format: the exact \
             value is in the API.",
            &each(&|s| Some(s.available())),
        )?;
        gauges(
            "tcbill_balance_owed_yuan",
            "Amount owed (OweAmount), in yuan: above zero the account is overdue. A float; exact in the API.",
            &each(&|s| Some(s.owed)),
        )?;
        gauges(
            "tcbill_balance_frozen_yuan",
            "Amount frozen (FreezeAmount), in yuan. A float; exact in the API.",
            &each(&|s| Some(s.frozen)),
        )?;
        gauges(
            "tcbill_credit_limit_yuan",
            "Credit limit (CreditAmount, temporary credit included), in yuan; zero for a cash account. A \
             float; exact in the API.",
            &each(&|s| Some(s.credit_limit)),
        )?;
        gauges(
            "tcbill_credit_available_yuan",
            "Credit left to spend (RealCreditBalance), in yuan, when the API reports it. A float; exact \
             in the API.",
            &each(&|s| s.real_credit_balance),
        )?;
        let runway: Vec<Sample<'_>> =
            polled.iter().filter_map(|(labels, r, _)| Some((labels.clone(), r.runway_seconds?))).collect();
        gauges(
            "tcbill_runway_seconds",
            "Time until the available balance reaches zero at the estimated burn, in seconds (the base \
             unit: divide by 86400 for days); 0 when it already has; absent when the burn is unknown or \
             zero.",
            &runway,
        )?;
        let costs: Vec<Sample<'_>> = polled
            .iter()
            .filter_map(|(labels, r, _)| r.costs.as_ref().map(|(_, products)| (labels, products)))
            .flat_map(|(labels, products)| {
                products.iter().map(move |p| {
                    let mut l = labels.clone();
                    l.extend([("product", p.name.as_str()), ("product_code", p.code.as_str())]);
                    (l, p.yuan)
                })
            })
            .collect();
        gauges(
            "tcbill_month_to_date_cost_yuan",
            "This month's cost so far (Beijing time), after discounts, by product, in yuan, from the \
             bill summary by product. A float; exact in the API.",
            &costs,
        )?;
        let success: Vec<Sample<'_>> =
            polled.iter().filter_map(|(labels, r, _)| Some((labels.clone(), r.last_success?))).collect();
        gauges(
            "tcbill_last_poll_success_timestamp_seconds",
            "The time of the last poll that read both the balance and the month's cost, in unix seconds.",
            &success,
        )?;
        let mut failures = encoder.encode_descriptor(
            "tcbill_poll_failures",
            "Polls whose call failed, by the action that failed.",
            None,
            MetricType::Counter,
        )?;
        for r in all.iter() {
            for (action, n) in &r.failures {
                let mut labels: Vec<(&str, &str)> =
                    r.failures_account.iter().map(|a| ("account", a.as_str())).collect();
                labels.extend([("site", r.site), ("action", *action)]);
                failures.encode_family(&labels)?.encode_counter::<NoLabelSet, _, u64>(n, None)?;
            }
        }
        Ok(())
    }
}

/// The last balance read, with the UIN, or the error's text; taken by the poll that reads it.
type LastBalance = Arc<Mutex<Option<Result<(Option<u64>, BalanceSnapshot), String>>>>;

/// A [`BalanceSource`] that keeps the whole answer's figures (and the UIN) for the exporter,
/// while the monitor gets the snapshot it needs.
#[derive(Debug)]
struct RecordingSource {
    client: BillingClient,
    last: LastBalance,
}

impl BalanceSource for RecordingSource {
    fn fetch(&self) -> SourceFuture<'_> {
        Box::pin(async move {
            let result = self.client.describe_account_balance().send().await;
            let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
            match result {
                Ok(r) => {
                    let s = BalanceSnapshot::from_response(&r);
                    *last = Some(Ok((r.uin, s.clone())));
                    Ok(s)
                }
                Err(e) => {
                    *last = Some(Err(chain_text(&e)));
                    Err(e.into())
                }
            }
        })
    }
}

/// A clock shared between the monitor and the exporter.
#[derive(Debug, Clone)]
struct SharedClock(Arc<dyn Clock>);

impl Clock for SharedClock {
    fn now(&self) -> OffsetDateTime {
        self.0.now()
    }
}

/// What went wrong in one poll: the failed action and the error's text.
pub type PollErrors = Vec<(&'static str, String)>;

/// One account's poller: its client, the monitor that keeps its balance history, and where its
/// readings go. It owns all it needs, so that it can run in a task of its own.
#[derive(Debug)]
struct AccountPoller {
    client: BillingClient,
    monitor: BalanceMonitor,
    last_balance: LastBalance,
    /// The `account` label; `None`: the UIN the API reports.
    account: Option<String>,
    /// Whether the label was given up front (several accounts): errors then start with it.
    several: bool,
    /// Its place in the readings.
    index: usize,
    shared: Arc<Shared>,
    clock: SharedClock,
    /// How long each call may take.
    call_timeout: Duration,
}

/// The pollers and the metrics they feed.
#[derive(Debug)]
pub struct Exporter {
    pollers: Vec<AccountPoller>,
    concurrency: usize,
    registry: Arc<Registry>,
}

impl Exporter {
    /// An exporter of `client`'s account. `metrics` must be the hook registered on the client
    /// (its figures are exposed here); `clock` dates the polls and picks the month; `account`
    /// is the `account` label (default: the UIN the API reports).
    pub fn new(
        client: BillingClient,
        metrics: ClientMetrics,
        clock: impl Clock + 'static,
        account: Option<String>,
    ) -> Self {
        Exporter::build(vec![(account, client)], metrics, clock, false)
    }

    /// An exporter of several accounts, each polled with its own client and labelled with its
    /// name (`account="NAME"` on every sample, the poll failures' and the client's traffic
    /// included). Register `metrics.for_account(NAME)` as the hook of each account's client.
    pub fn accounts(
        accounts: Vec<(String, BillingClient)>,
        metrics: ClientMetrics,
        clock: impl Clock + 'static,
    ) -> Self {
        let accounts = accounts.into_iter().map(|(name, client)| (Some(name), client)).collect();
        Exporter::build(accounts, metrics, clock, true)
    }

    fn build(
        accounts: Vec<(Option<String>, BillingClient)>,
        metrics: ClientMetrics,
        clock: impl Clock + 'static,
        several: bool,
    ) -> Self {
        let clock = SharedClock(Arc::new(clock));
        let mut pollers = Vec::new();
        let mut readings = Vec::new();
        let shared = Arc::new(Shared { readings: Mutex::new(Vec::new()) });
        for (index, (account, client)) in accounts.into_iter().enumerate() {
            let last_balance = Arc::new(Mutex::new(None));
            let source = RecordingSource { client: client.clone(), last: Arc::clone(&last_balance) };
            // The monitor's events are not used here (alerting is Prometheus's job); it keeps the
            // balance history that the runway's burn estimate comes from.
            let monitor = BalanceMonitor::builder(source, MonitorConfig::new(Cents::ZERO)).clock(clock.clone()).build();
            readings.push(Readings {
                site: client.site().as_str(),
                failures_account: if several { account.clone() } else { None },
                failures: [(BALANCE_ACTION, 0), (COST_ACTION, 0)].into_iter().collect(),
                ..Readings::default()
            });
            pollers.push(AccountPoller {
                client,
                monitor,
                last_balance,
                account,
                several,
                index,
                shared: Arc::clone(&shared),
                clock: clock.clone(),
                call_timeout: DEFAULT_CALL_TIMEOUT,
            });
        }
        *shared.lock() = readings;
        let mut registry = Registry::default();
        registry.register_collector(Box::new(Arc::clone(&shared)));
        metrics.register(&mut registry);
        Exporter { pollers, concurrency: DEFAULT_CONCURRENCY, registry: Arc::new(registry) }
    }

    /// Poll at most `n` accounts at the same time (at least one; default
    /// [`DEFAULT_CONCURRENCY`]). Each account has its own quota, so the bound only keeps the
    /// process's sockets and the endpoint's load in check.
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// How long each call of a poll may take before it is given up and counted as a failure
    /// (default 60 s): a hanging account then frees its place for the others.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        for p in &mut self.pollers {
            p.call_timeout = timeout;
        }
        self
    }

    /// The registry `/metrics` encodes.
    pub fn registry(&self) -> Arc<Registry> {
        Arc::clone(&self.registry)
    }

    /// The metrics in the Prometheus text format, as `/metrics` serves them.
    pub fn render(&self) -> Result<String, fmt::Error> {
        render(&self.registry)
    }

    /// Read each account's balance and this month's cost by product once, at most
    /// [`Exporter::concurrency`] accounts at a time, and store what each read as soon as its
    /// poll ends. A failed call is counted and leaves the figures it would have replaced as they
    /// were. With several accounts, each error's text starts with the account's name; the errors
    /// come in the accounts' order.
    pub async fn poll(&mut self) -> PollErrors {
        let permits = Arc::new(tokio::sync::Semaphore::new(self.concurrency));
        let mut tasks = tokio::task::JoinSet::new();
        for mut p in std::mem::take(&mut self.pollers) {
            let permits = Arc::clone(&permits);
            tasks.spawn(async move {
                // The semaphore is never closed, so the permit always comes.
                let _permit = permits.acquire_owned().await;
                let errors = p.poll().await;
                (p, errors)
            });
        }
        let mut done = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(d) => done.push(d),
                // A poll does not panic; if one did, the panic is the bug to see, not a lost account.
                Err(e) => std::panic::resume_unwind(e.into_panic()),
            }
        }
        done.sort_by_key(|(p, _)| p.index);
        let mut all = PollErrors::new();
        for (p, errors) in done {
            all.extend(errors);
            self.pollers.push(p);
        }
        all
    }
}

impl AccountPoller {
    /// One poll of this account, its client's traffic labelled with its name when there are
    /// several accounts.
    async fn poll(&mut self) -> PollErrors {
        let errors = match self.account.clone().filter(|_| self.several) {
            Some(name) => POLLING.scope(name.as_str().into(), self.poll_once()).await,
            None => self.poll_once().await,
        };
        match self.account.as_deref().filter(|_| self.several) {
            Some(n) => errors.into_iter().map(|(action, e)| (action, format!("{n}: {e}"))).collect(),
            None => errors,
        }
    }

    async fn poll_once(&mut self) -> PollErrors {
        let mut errors = PollErrors::new();
        let limit = self.call_timeout;
        let timed_out = || format!("no answer within {}s", limit.as_secs_f64());
        let polled = tokio::time::timeout(limit, self.monitor.poll()).await;
        let now = self.clock.now();
        let balance = self.last_balance.lock().unwrap_or_else(|e| e.into_inner()).take();
        let balance = match (polled, balance) {
            (Err(_), _) => {
                errors.push((BALANCE_ACTION, timed_out()));
                None
            }
            (Ok(_), Some(Ok(b))) => Some(b),
            (Ok(_), Some(Err(e))) => {
                errors.push((BALANCE_ACTION, e));
                None
            }
            (Ok(_), None) => {
                errors.push((BALANCE_ACTION, "the monitor did not read the balance".to_owned()));
                None
            }
        };
        let month = YearMonth::of(now.to_offset(BEIJING).date());
        let request = self.client.describe_bill_summary_by_product().begin_time(month).end_time(month).send();
        let costs = match tokio::time::timeout(limit, request).await {
            Ok(Ok(r)) => {
                let total = r.summary_total.and_then(|t| t.real_total_cost).unwrap_or(Yuan::ZERO);
                Some((product_costs(r.summary_overview.unwrap_or_default()), total))
            }
            Ok(Err(e)) => {
                errors.push((COST_ACTION, chain_text(&e)));
                None
            }
            Err(_) => {
                errors.push((COST_ACTION, timed_out()));
                None
            }
        };

        let mut all = self.shared.lock();
        let r = &mut all[self.index];
        for (action, _) in &errors {
            *r.failures.entry(action).or_insert(0) += 1;
        }
        match &costs {
            Some((products, _)) => r.costs = Some((month, products.clone())),
            // Last month's figures are not this month's: drop them rather than show them stale.
            None if r.costs.as_ref().is_some_and(|(m, _)| *m != month) => r.costs = None,
            None => {}
        }
        if let Some((uin, snapshot)) = balance {
            let account =
                self.account.clone().unwrap_or_else(|| uin.map_or_else(|| "unknown".to_owned(), |u| u.to_string()));
            r.balance = Some((account, snapshot));
            r.runway_seconds = self.monitor.runway().and_then(|input| {
                let input = match &costs {
                    Some((_, total)) => input.month_cost(MonthCost::new(month, *total, now)),
                    None => input,
                };
                let f = input.forecast();
                Some((f.runs_out? - f.now).as_seconds_f64().max(0.0))
            });
        }
        if errors.is_empty() {
            r.last_success = Some(unix_seconds(now));
        }
        errors
    }
}

/// Unix seconds to the millisecond.
fn unix_seconds(t: OffsetDateTime) -> f64 {
    let millis = t.unix_timestamp_nanos() / 1_000_000;
    millis as f64 / 1_000.0
}

/// The products of a summary, one sample each: a (name, code) pair that repeats is added up,
/// since two samples with the same labels are invalid.
fn product_costs(items: Vec<tencentcloud_billing::types::BusinessSummaryOverviewItem>) -> Vec<ProductCost> {
    let mut sums: BTreeMap<(String, String), Decimal> = BTreeMap::new();
    for i in items {
        let code = i.business_code.unwrap_or_default();
        let name = i.business_code_name.filter(|n| !n.is_empty()).unwrap_or_else(|| code.clone());
        let cost = i.real_total_cost.unwrap_or(Yuan::ZERO).amount();
        let sum = sums.entry((name, code)).or_insert(Decimal::ZERO);
        *sum = sum.checked_add(cost).unwrap_or(Decimal::MAX);
    }
    sums.into_iter().map(|((name, code), d)| ProductCost { name, code, yuan: float(d) }).collect()
}

/// Encode the registry in the Prometheus text format (0.0.4).
pub fn render(registry: &Registry) -> Result<String, fmt::Error> {
    let mut text = String::new();
    prometheus_text::encode(&mut text, registry)?;
    Ok(text)
}

fn text_response(status: StatusCode, content_type: &str, body: String) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = status;
    if let Ok(v) = content_type.parse() {
        r.headers_mut().insert(CONTENT_TYPE, v);
    }
    r
}

/// Answer one request: `GET /metrics` encodes the stored readings; nothing here calls the API.
pub fn answer<B>(registry: &Registry, request: &Request<B>) -> Response<Full<Bytes>> {
    let readable = matches!(*request.method(), Method::GET | Method::HEAD);
    match (request.uri().path(), readable) {
        ("/metrics", true) => match render(registry) {
            Ok(text) => text_response(StatusCode::OK, prometheus_text::CONTENT_TYPE, text),
            Err(_) => text_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/plain; charset=utf-8",
                "the metrics could not be encoded\n".to_owned(),
            ),
        },
        ("/", true) => {
            text_response(StatusCode::OK, "text/plain; charset=utf-8", "tcbill exporter: see /metrics\n".to_owned())
        }
        ("/metrics" | "/", false) => {
            let mut r = text_response(
                StatusCode::METHOD_NOT_ALLOWED,
                "text/plain; charset=utf-8",
                "only GET and HEAD\n".to_owned(),
            );
            r.headers_mut().insert(ALLOW, hyper::header::HeaderValue::from_static("GET, HEAD"));
            r
        }
        _ => text_response(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", "not found: see /metrics\n".to_owned()),
    }
}

/// Serve `/metrics` on `listener` until the future is dropped (which closes every connection).
pub async fn serve_http(listener: TcpListener, registry: Arc<Registry>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, say: wait rather than spin.
                eprintln!("tcbill: serve: accept: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let registry = Arc::clone(&registry);
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                let response = answer(&registry, &req);
                async move { Ok::<_, Infallible>(response) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Poll every `interval` (the first at once) and serve `/metrics` on `listener` until
/// `interrupt`.
///
/// # Errors
/// Only from writing the start-up line to `out`.
pub async fn run(
    mut exporter: Exporter,
    listener: TcpListener,
    interval: Duration,
    out: &mut dyn Write,
    interrupt: Interrupt,
) -> Result<(), BoxError> {
    let addr = listener.local_addr()?;
    writeln!(out, "serving http://{addr}/metrics, polling every {}s; Ctrl-C to stop", interval.as_secs())?;
    out.flush()?;
    let server = serve_http(listener, exporter.registry());
    // Each account polls on its own schedule, in its own task: one that is slow or failing
    // delays nobody else's figures. The semaphore bounds how many poll at once, and a call
    // that outlasts the interval is given up so that it frees its place.
    let permits = Arc::new(tokio::sync::Semaphore::new(exporter.concurrency));
    let mut accounts = tokio::task::JoinSet::new();
    for mut p in std::mem::take(&mut exporter.pollers) {
        p.call_timeout = interval;
        let permits = Arc::clone(&permits);
        accounts.spawn(async move {
            let mut ticker = tokio::time::interval(interval);
            // A poll that overruns pushes the next one back instead of firing a burst to catch up.
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticker.tick().await;
                let Ok(_permit) = permits.acquire().await else { return };
                for (action, e) in p.poll().await {
                    eprintln!("tcbill: poll: {action}: {e}");
                }
            }
        });
    }
    // The tasks poll for ever; this ends only if every one of them has stopped (or panicked).
    let polling = async move { while accounts.join_next().await.is_some() {} };
    tokio::select! {
        () = server => {}
        () = polling => {}
        () = interrupt => {}
    }
    Ok(())
}

/// Bind `listen` and [`run`] the exporter on it.
pub async fn listen(
    exporter: Exporter,
    listen: std::net::SocketAddr,
    interval: Duration,
    out: &mut dyn Write,
    interrupt: Interrupt,
) -> Result<u8, BoxError> {
    let listener =
        tokio::net::TcpListener::bind(listen).await.map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    run(exporter, listener, interval, out, interrupt).await.map(|()| 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tencentcloud_billing::types::BusinessSummaryOverviewItem;

    fn item(code: &str, name: Option<&str>, cost: &str) -> BusinessSummaryOverviewItem {
        let mut i = BusinessSummaryOverviewItem::default();
        i.business_code = Some(code.to_owned());
        i.business_code_name = name.map(str::to_owned);
        i.real_total_cost = Some(cost.parse().unwrap());
        i
    }

    #[test]
    fn repeated_products_are_added_up_and_unnamed_ones_go_by_code() {
        let costs = product_costs(vec![
            item("p_cvm", Some("Cloud Virtual Machine"), "10.10"),
            item("p_x", None, "1.5"),
            item("p_cvm", Some("Cloud Virtual Machine"), "0.20"),
            item("p_y", Some(""), "2"),
        ]);
        let got: Vec<(&str, &str, f64)> = costs.iter().map(|p| (p.name.as_str(), p.code.as_str(), p.yuan)).collect();
        assert_eq!(got, [("Cloud Virtual Machine", "p_cvm", 10.3), ("p_x", "p_x", 1.5), ("p_y", "p_y", 2.0)]);
    }

    #[test]
    fn amounts_become_the_nearest_float() {
        assert_eq!(float("0.1".parse().unwrap()), 0.1);
        assert_eq!(float("-1280.50".parse().unwrap()), -1280.5);
        assert_eq!(cents(Cents::from(5_200_000)), 52_000.0);
        // The largest decimal is far beyond any float's precision, but still a finite number.
        assert_eq!(float(Decimal::MAX), 7.922816251426434e28);
    }
}
