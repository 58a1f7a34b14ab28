//! An embedded fake billing endpoint for offline use and tests.
//!
//! [`Sandbox`] starts a real HTTP server on `127.0.0.1` at a free port and answers like the
//! billing endpoint does:
//!
//! - it verifies TC3 signatures (`AuthFailure.SignatureFailure`, `AuthFailure.SecretIdNotFound`,
//!   `AuthFailure.TokenFailure`, and `AuthFailure.SignatureExpire` outside ±5 minutes of its clock);
//! - it enforces each action's quota per account in a sliding one-second window
//!   (`RequestLimitExceeded`);
//! - it answers with the real envelopes, and `InvalidAction` for unknown actions;
//! - it serves `DescribeAccountBalance` from an [`Account`] the test sets, other actions from
//!   handlers the test installs, and an empty success otherwise;
//! - it serves `DescribeBillDownloadUrl` ([`Sandbox::bill_files_not_ready`]) and the bill files
//!   its links point at, on an unsigned GET route of the same server ([`bill_file`]);
//! - it can serve several accounts, each with its own key pair, state, handlers and quota
//!   ([`Sandbox::add_account`], [`Sandbox::add_demo_account`]);
//! - it records every API request (action, arrival time, outcome) for assertions; file
//!   downloads are not recorded.
//!
//! Use it to test billing logic without credentials or network:
//!
//! ```
//! use tencentcloud_billing::sandbox::{Account, Sandbox};
//! use tencentcloud_billing::money::Cents;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start().await?;
//! sandbox.set_account(Account::with_balance(Cents::from(12_345)).owing(Cents::from(500)));
//! let client = sandbox.client_builder().build()?;
//! let balance = client.describe_account_balance().send().await?;
//! assert_eq!(balance.owe_amount, Some(Cents::from(500)));
//! assert_eq!(sandbox.requests().len(), 1);
//! # Ok(()) }
//! ```

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::action::Action;
use crate::config::BillingClientBuilder;
use crate::credentials::Credentials;
use crate::money::Cents;
use crate::protocol::Site;
use crate::protocol::{MAX_CLOCK_SKEW_SECS, SERVICE, VERSION};
use crate::tc3::{self, SigningKey};

pub mod demo;
mod files;

/// The SecretId of the credentials every sandbox accepts by default.
pub const SANDBOX_SECRET_ID: &str = "AKIDSANDBOX00000000000000000000000000";
/// The SecretKey of the default sandbox credentials. It only works against a sandbox.
pub const SANDBOX_SECRET_KEY: &str = "sandbox-secret-key-for-local-tests-only";

/// The largest request body the sandbox reads (the real endpoint's TC3 POST limit).
const MAX_REQUEST_BYTES: usize = 10 * 1024 * 1024;

/// The account state `DescribeAccountBalance` reports. Amounts are in cents.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Account {
    /// The account UIN.
    pub uin: u64,
    /// Cash account balance.
    pub cash: Cents,
    /// Income (transferred-in) account balance.
    pub income: Cents,
    /// Gift account balance.
    pub present: Cents,
    /// Frozen amount.
    pub frozen: Cents,
    /// Amount owed (overdue when above zero).
    pub owed: Cents,
    /// Credit limit.
    pub credit_amount: Cents,
    /// Credit left.
    pub credit_balance: Cents,
    /// Credit actually available.
    pub real_credit_balance: Cents,
    /// Temporary credit.
    pub temp_credit: Cents,
    /// Whether the account may go into arrears.
    pub allow_arrears: bool,
    /// Whether spending is capped by a credit limit.
    pub credit_limited: bool,
}

impl Default for Account {
    fn default() -> Self {
        Account::with_balance(Cents::from(1_000_000))
    }
}

impl Account {
    /// A cash account holding `cash` cents, nothing owed, no credit.
    pub fn with_balance(cash: Cents) -> Self {
        Account {
            uin: 100_000_000_001,
            cash,
            income: Cents::ZERO,
            present: Cents::ZERO,
            frozen: Cents::ZERO,
            owed: Cents::ZERO,
            credit_amount: Cents::ZERO,
            credit_balance: Cents::ZERO,
            real_credit_balance: Cents::ZERO,
            temp_credit: Cents::ZERO,
            allow_arrears: false,
            credit_limited: false,
        }
    }

    /// The same account owing `owed` cents.
    pub fn owing(mut self, owed: Cents) -> Self {
        self.owed = owed;
        self
    }

    /// The same account with `frozen` cents frozen.
    pub fn freezing(mut self, frozen: Cents) -> Self {
        self.frozen = frozen;
        self
    }

    /// The same account on a credit line of `limit` cents with `available` left.
    pub fn with_credit(mut self, limit: Cents, available: Cents) -> Self {
        self.credit_amount = limit;
        self.credit_balance = available;
        self.real_credit_balance = available;
        self.credit_limited = true;
        self.allow_arrears = true;
        self
    }

    /// The same account with another UIN.
    pub fn uin(mut self, uin: u64) -> Self {
        self.uin = uin;
        self
    }

    /// The available balance as the API computes it: cash + income + gifts - frozen - owed.
    pub fn real_balance(&self) -> Cents {
        self.cash + self.income + self.present - self.frozen - self.owed
    }

    fn to_json(&self, with_temp: bool) -> Value {
        let c = |v: Cents| serde_json::to_value(v).unwrap_or(Value::Null);
        let mut body = json!({
            "Balance": c(self.real_balance()),
            "Uin": self.uin,
            "RealBalance": c(self.real_balance()),
            "CashAccountBalance": c(self.cash),
            "IncomeIntoAccountBalance": c(self.income),
            "PresentAccountBalance": c(self.present),
            "FreezeAmount": c(self.frozen),
            "OweAmount": c(self.owed),
            "IsAllowArrears": self.allow_arrears,
            "IsCreditLimited": self.credit_limited,
            "CreditAmount": c(self.credit_amount),
            "CreditBalance": c(self.credit_balance),
            "RealCreditBalance": c(self.real_credit_balance),
            "TempCredit": c(self.temp_credit),
        });
        if with_temp {
            body["TempAmountInfoList"] = json!([]);
        }
        body
    }
}

/// An error answer a handler returns: it becomes `Response.Error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxError {
    /// The error code, e.g. `InvalidParameter`.
    pub code: String,
    /// The message.
    pub message: String,
}

impl SandboxError {
    /// An error with a code and a message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        SandboxError { code: code.into(), message: message.into() }
    }
}

/// A fault to inject instead of the normal answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with `Response.Error` carrying this code.
    ServiceError(String),
    /// Answer with this HTTP status and raw body.
    Http(u16, String),
    /// Wait this long before answering normally.
    Delay(Duration),
}

/// What the context of a handler call offers.
#[derive(Debug, Clone, Copy)]
pub struct HandlerContext<'a> {
    /// The action name.
    pub action: &'a str,
    /// The sandbox clock, in Unix seconds.
    pub now_unix: i64,
    /// The account state.
    pub account: &'a Account,
}

type Handler = Arc<dyn Fn(&HandlerContext<'_>, &Value) -> Result<Value, SandboxError> + Send + Sync>;

/// The request a handler answers: its JSON body, read a field at a time.
#[derive(Debug, Clone)]
pub struct SandboxRequest {
    body: Value,
}

impl SandboxRequest {
    /// The field `name` (as on the wire, e.g. `Month`), decoded as `T`; `None` when absent or of
    /// another type.
    pub fn get<T: serde::de::DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.body.get(name).and_then(|v| T::deserialize(v).ok())
    }

    /// The whole body as JSON text.
    pub fn json(&self) -> String {
        self.body.to_string()
    }
}

/// One request the sandbox received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The `X-TC-Action` header (empty when missing).
    pub action: String,
    /// The SecretId from the Authorization header (empty when missing).
    pub secret_id: String,
    /// When it arrived, since the sandbox started.
    pub arrived: Duration,
    /// `None` for success, or the error code answered.
    pub error_code: Option<String>,
    /// The JSON body received.
    pub body: String,
}

/// One account the sandbox serves: its state and the handlers installed for it.
#[derive(Clone, Default)]
pub(crate) struct Scope {
    pub(crate) account: Arc<Mutex<Account>>,
    handlers: Arc<Mutex<HashMap<String, Handler>>>,
}

impl Scope {
    fn new(account: Account) -> Self {
        Scope { account: Arc::new(Mutex::new(account)), handlers: Arc::default() }
    }

    /// Serve `action` in this account with a handler over JSON values.
    pub(crate) fn set_raw_handler(
        &self,
        action: &str,
        handler: impl Fn(&HandlerContext<'_>, &Value) -> Result<Value, SandboxError> + Send + Sync + 'static,
    ) {
        lock(&self.handlers).insert(action.to_owned(), Arc::new(handler));
    }
}

struct State {
    site: Site,
    credentials: Mutex<HashMap<String, (String, Option<String>)>>,
    /// The account of every key pair not bound to one of `accounts`.
    default: Scope,
    /// The separate accounts, by the SecretId bound to each ([`Sandbox::add_account`]).
    accounts: Mutex<HashMap<String, Scope>>,
    faults: Mutex<HashMap<String, VecDeque<Fault>>>,
    quotas: HashMap<&'static str, u32>,
    enforce_quotas: bool,
    windows: Mutex<HashMap<(String, String), VecDeque<Instant>>>,
    log: Mutex<Vec<RecordedRequest>>,
    clock_skew: AtomicI64,
    /// Added before every answer, in nanoseconds (saturated at `u64::MAX`).
    latency_nanos: AtomicU64,
    started: Instant,
    request_ids: AtomicU64,
    /// Where the sandbox listens, for the links to its bill files.
    addr: SocketAddr,
    /// How many more `DescribeBillDownloadUrl` calls answer `Ready: 0`.
    files_not_ready: AtomicU32,
}

/// A running fake billing endpoint. The server stops when this is dropped.
pub struct Sandbox {
    addr: SocketAddr,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox").field("endpoint", &self.endpoint()).finish_non_exhaustive()
    }
}

/// Configures a [`Sandbox`] before it starts.
#[derive(Debug, Clone)]
#[must_use]
pub struct SandboxBuilder {
    site: Site,
    clock_skew: i64,
    latency: Duration,
    enforce_quotas: bool,
    quotas: Vec<(String, u32)>,
    account: Account,
    port: u16,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        SandboxBuilder {
            site: Site::China,
            clock_skew: 0,
            latency: Duration::ZERO,
            enforce_quotas: true,
            quotas: Vec::new(),
            account: Account::default(),
            port: 0,
        }
    }
}

impl SandboxBuilder {
    /// Which site's actions to serve (others answer `InvalidAction`). Default: China.
    pub fn site(mut self, site: Site) -> Self {
        self.site = site;
        self
    }

    /// Run the sandbox's clock this many seconds ahead (negative: behind) of the real one.
    pub fn clock_skew(mut self, seconds: i64) -> Self {
        self.clock_skew = seconds;
        self
    }

    /// Wait this long before every answer, as a distant endpoint would. Default: none.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Whether to answer `RequestLimitExceeded` over the quota. Default: on.
    pub fn enforce_quotas(mut self, on: bool) -> Self {
        self.enforce_quotas = on;
        self
    }

    /// Override one action's quota (requests per second per account).
    pub fn quota(mut self, action: impl Into<String>, per_second: u32) -> Self {
        self.quotas.push((action.into(), per_second));
        self
    }

    /// The initial account state.
    pub fn account(mut self, account: Account) -> Self {
        self.account = account;
        self
    }

    /// Listen on this port instead of a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Start the server on the current tokio runtime.
    ///
    /// # Errors
    /// When the port cannot be bound.
    pub async fn start(self) -> std::io::Result<Sandbox> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await?;
        let addr = listener.local_addr()?;
        let mut quotas: HashMap<&'static str, u32> =
            crate::generated::catalog::ACTIONS.iter().map(|a| (a.name, a.quota)).collect();
        for (name, n) in &self.quotas {
            if let Some(info) = crate::generated::catalog::find(name) {
                quotas.insert(info.name, *n);
            }
        }
        let mut creds = HashMap::new();
        creds.insert(SANDBOX_SECRET_ID.to_owned(), (SANDBOX_SECRET_KEY.to_owned(), None));
        let state = Arc::new(State {
            site: self.site,
            credentials: Mutex::new(creds),
            default: Scope::new(self.account),
            accounts: Mutex::new(HashMap::new()),
            faults: Mutex::new(HashMap::new()),
            quotas,
            enforce_quotas: self.enforce_quotas,
            windows: Mutex::new(HashMap::new()),
            log: Mutex::new(Vec::new()),
            clock_skew: AtomicI64::new(self.clock_skew),
            latency_nanos: AtomicU64::new(nanos(self.latency)),
            started: Instant::now(),
            request_ids: AtomicU64::new(0),
            addr,
            files_not_ready: AtomicU32::new(0),
        });
        let accept_state = Arc::clone(&state);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let _ = stream.set_nodelay(true);
                let state = Arc::clone(&accept_state);
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let state = Arc::clone(&state);
                        async move { Ok::<_, Infallible>(handle(&state, req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(Sandbox { addr, state, task })
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Sandbox {
    /// Start a sandbox with the defaults: China site, quotas on, the default credentials, and an
    /// account holding 10,000.00 yuan.
    ///
    /// # Errors
    /// When no loopback port can be bound.
    pub async fn start() -> std::io::Result<Sandbox> {
        SandboxBuilder::default().start().await
    }

    /// Configure a sandbox before starting it.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The credentials the sandbox accepts by default.
    pub fn credentials(&self) -> Credentials {
        Credentials::new(SANDBOX_SECRET_ID, SANDBOX_SECRET_KEY)
    }

    /// A client builder pointed at this sandbox with its credentials and site.
    pub fn client_builder(&self) -> BillingClientBuilder {
        BillingClientBuilder::default().endpoint(self.endpoint()).credentials(self.credentials()).site(self.state.site)
    }

    /// Accept another key pair (and, for temporary credentials, require its token).
    pub fn add_credentials(&self, secret_id: &str, secret_key: &str, token: Option<&str>) {
        lock(&self.state.credentials).insert(secret_id.to_owned(), (secret_key.to_owned(), token.map(str::to_owned)));
    }

    /// Replace the account state.
    pub fn set_account(&self, account: Account) {
        *lock(&self.state.default.account) = account;
    }

    /// Change the account state in place.
    pub fn update_account(&self, f: impl FnOnce(&mut Account)) {
        f(&mut lock(&self.state.default.account));
    }

    /// The current account state.
    pub fn account(&self) -> Account {
        lock(&self.state.default.account).clone()
    }

    /// Accept `secret_id`/`secret_key` as the keys of a separate account that starts as
    /// `account` (its UIN included). Requests signed with them see that account, not the default
    /// one: `DescribeAccountBalance` reports it, the handlers set with [`Sandbox::set_handler`]
    /// and the others do not apply to it (only those installed for it, by
    /// [`Sandbox::add_demo_account`]), and its quota is counted apart, as Tencent counts each
    /// account's. Adding the same SecretId again replaces that account.
    pub fn add_account(&self, secret_id: &str, secret_key: &str, account: Account) {
        self.add_scope(secret_id, secret_key, account);
    }

    /// The state of the separate account bound to `secret_id`, if there is one.
    pub fn account_of(&self, secret_id: &str) -> Option<Account> {
        lock(&self.state.accounts).get(secret_id).map(|s| lock(&s.account).clone())
    }

    pub(crate) fn add_scope(&self, secret_id: &str, secret_key: &str, account: Account) -> Scope {
        self.add_credentials(secret_id, secret_key, None);
        let scope = Scope::new(account);
        lock(&self.state.accounts).insert(secret_id.to_owned(), scope.clone());
        scope
    }

    /// The default account's scope.
    pub(crate) fn default_scope(&self) -> Scope {
        self.state.default.clone()
    }

    /// Answer action `R` with `handler`, which gets the request and returns the typed answer (the
    /// sandbox sets its RequestId) or an error.
    ///
    /// ```
    /// use tencentcloud_billing::money::Cents;
    /// use tencentcloud_billing::sandbox::Sandbox;
    /// use tencentcloud_billing::types::{DescribeAccountBalanceRequest, DescribeAccountBalanceResponse};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = Sandbox::start().await?;
    /// sandbox.set_handler::<DescribeAccountBalanceRequest>(|_, _| {
    ///     let mut answer = DescribeAccountBalanceResponse::default();
    ///     answer.real_balance = Some(Cents::from(-4200));
    ///     Ok(answer)
    /// });
    /// let client = sandbox.client_builder().build()?;
    /// assert_eq!(client.describe_account_balance().send().await?.real_balance, Some(Cents::from(-4200)));
    /// # Ok(()) }
    /// ```
    pub fn set_handler<R: Action>(
        &self,
        handler: impl Fn(&HandlerContext<'_>, &SandboxRequest) -> Result<R::Response, SandboxError> + Send + Sync + 'static,
    ) where
        R::Response: serde::Serialize,
    {
        self.set_raw_handler(R::NAME, move |ctx, body| {
            let answer = handler(ctx, &SandboxRequest { body: body.clone() })?;
            serde_json::to_value(&answer).map_err(|e| SandboxError::new("InternalError", e.to_string()))
        });
    }

    /// Answer `action` with `handler`, which returns the `Response` object as JSON text (the
    /// sandbox sets its RequestId). For answers no typed response can express: nulls, `"-"`
    /// amounts, unknown fields, hostile text. Text that is not a JSON object is answered as
    /// `InternalError`.
    pub fn set_json_handler(
        &self,
        action: &str,
        handler: impl Fn(&HandlerContext<'_>, &SandboxRequest) -> Result<String, SandboxError> + Send + Sync + 'static,
    ) {
        self.set_raw_handler(action, move |ctx, body| {
            let text = handler(ctx, &SandboxRequest { body: body.clone() })?;
            match serde_json::from_str::<Value>(&text) {
                Ok(v) if v.is_object() => Ok(v),
                _ => Err(SandboxError::new("InternalError", "the handler's answer is not a JSON object")),
            }
        });
    }

    /// Serve `action` with a handler over JSON values (the demo's).
    pub(crate) fn set_raw_handler(
        &self,
        action: &str,
        handler: impl Fn(&HandlerContext<'_>, &Value) -> Result<Value, SandboxError> + Send + Sync + 'static,
    ) {
        self.state.default.set_raw_handler(action, handler);
    }

    /// Answer the next calls of `action` with these faults, one per call, then normally again.
    pub fn inject_faults(&self, action: &str, faults: impl IntoIterator<Item = Fault>) {
        lock(&self.state.faults).entry(action.to_owned()).or_default().extend(faults);
    }

    /// Move the sandbox clock by `seconds` (positive: ahead).
    pub fn advance_clock(&self, seconds: i64) {
        self.state.clock_skew.fetch_add(seconds, Ordering::Relaxed);
    }

    /// Wait this long before every answer from now on (see [`SandboxBuilder::latency`]).
    pub fn set_latency(&self, latency: Duration) {
        self.state.latency_nanos.store(nanos(latency), Ordering::Relaxed);
    }

    /// Set the sandbox clock's offset from the real one, in seconds.
    pub fn set_clock_skew(&self, seconds: i64) {
        self.state.clock_skew.store(seconds, Ordering::Relaxed);
    }

    /// The sandbox clock, in Unix seconds.
    pub fn now_unix(&self) -> i64 {
        self.state.now_unix()
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.log).clone()
    }

    /// Arrival times of the accepted (successful) requests of `action`, since the sandbox started.
    pub fn arrivals(&self, action: &str) -> Vec<Duration> {
        lock(&self.state.log)
            .iter()
            .filter(|r| r.action == action && r.error_code.is_none())
            .map(|r| r.arrived)
            .collect()
    }

    /// Answer the next `n` `DescribeBillDownloadUrl` calls with `Ready: 0` (the file is still
    /// being generated), then `Ready: 1` with a link to the file on this sandbox. The link is a
    /// GET route of the sandbox's own server that needs no signature, like a presigned COS link;
    /// it serves [`bill_file`]. A handler set for the action replaces all this.
    pub fn bill_files_not_ready(&self, n: u32) {
        self.state.files_not_ready.store(n, Ordering::Relaxed);
    }

    /// Forget the recorded requests.
    pub fn clear_requests(&self) {
        lock(&self.state.log).clear();
    }
}

pub use files::bill_file;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl State {
    fn now_unix(&self) -> i64 {
        let real = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        real + self.clock_skew.load(Ordering::Relaxed)
    }

    fn request_id(&self) -> String {
        let n = self.request_ids.fetch_add(1, Ordering::Relaxed);
        let h = Sha256::digest(format!("{:?}{n}", self.started).as_bytes());
        let x = hex::encode(&h[..16]);
        format!("{}-{}-{}-{}-{}", &x[..8], &x[8..12], &x[12..16], &x[16..20], &x[20..32])
    }
}

type Answer = Response<Full<Bytes>>;

async fn handle(state: &State, req: Request<Incoming>) -> Answer {
    // One reading of the clock for both the request log and the quota window, so the quota is
    // judged on exactly the arrival times the log reports.
    let arrived_at = Instant::now();
    let arrived = arrived_at.saturating_duration_since(state.started);
    if req.method() == hyper::Method::GET && req.uri().path().starts_with(files::PREFIX) {
        return files::serve(req.uri().path());
    }
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let action = header("x-tc-action");
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_REQUEST_BYTES).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return finish(
                state,
                &action,
                "",
                arrived,
                "",
                Err(err("RequestSizeLimitExceeded", "request body too large")),
            );
        }
    };
    let secret_id = parse_authorization(&header_of(&parts, "authorization")).map(|a| a.secret_id).unwrap_or_default();
    let body_text = String::from_utf8_lossy(&body).into_owned();
    let result = process(state, &parts, &action, &body, arrived_at);
    let latency = state.latency_nanos.load(Ordering::Relaxed);
    if latency > 0 {
        tokio::time::sleep(Duration::from_nanos(latency)).await;
    }
    if let Some(fault) = take_fault(state, &action) {
        match fault {
            Fault::ServiceError(code) => {
                let msg = format!("injected {code}");
                return finish(state, &action, &secret_id, arrived, &body_text, Err(err(&code, &msg)));
            }
            Fault::Http(status, raw) => {
                record(state, &action, &secret_id, arrived, &body_text, Some(format!("HTTP {status}")));
                return Response::builder()
                    .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
                    .header("content-type", "text/html")
                    .body(Full::new(Bytes::from(raw)))
                    .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())));
            }
            Fault::Delay(d) => tokio::time::sleep(d).await,
        }
    }
    finish(state, &action, &secret_id, arrived, &body_text, result)
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

fn header_of(parts: &hyper::http::request::Parts, name: &str) -> String {
    parts.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
}

fn take_fault(state: &State, action: &str) -> Option<Fault> {
    lock(&state.faults).get_mut(action).and_then(VecDeque::pop_front)
}

fn err(code: &str, message: &str) -> SandboxError {
    SandboxError::new(code, message)
}

fn record(state: &State, action: &str, secret_id: &str, arrived: Duration, body: &str, error_code: Option<String>) {
    let body = crate::text::clip(body, 4096);
    lock(&state.log).push(RecordedRequest {
        action: action.to_owned(),
        secret_id: secret_id.to_owned(),
        arrived,
        error_code,
        body,
    });
}

fn finish(
    state: &State,
    action: &str,
    secret_id: &str,
    arrived: Duration,
    body: &str,
    result: Result<Value, SandboxError>,
) -> Answer {
    let request_id = state.request_id();
    let envelope = match result {
        Ok(mut v) => {
            record(state, action, secret_id, arrived, body, None);
            if !v.is_object() {
                v = json!({});
            }
            v["RequestId"] = Value::String(request_id);
            json!({ "Response": v })
        }
        Err(e) => {
            record(state, action, secret_id, arrived, body, Some(e.code.clone()));
            json!({ "Response": { "Error": { "Code": e.code, "Message": e.message }, "RequestId": request_id } })
        }
    };
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "application/json")
        .header("date", crate::httpdate::format(state.now_unix()))
        .body(Full::new(Bytes::from(serde_json::to_vec(&envelope).unwrap_or_default())))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

struct Authorization {
    secret_id: String,
    date: String,
    service: String,
    signed_headers: String,
    signature: String,
}

fn parse_authorization(h: &str) -> Option<Authorization> {
    let rest = h.strip_prefix(tc3::ALGORITHM)?.trim_start();
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed_headers = Some(v),
            "Signature" => signature = Some(v),
            _ => return None,
        }
    }
    let mut scope = credential?.split('/');
    let secret_id = scope.next()?.to_owned();
    let date = scope.next()?.to_owned();
    let service = scope.next()?.to_owned();
    if scope.next()? != "tc3_request" || scope.next().is_some() {
        return None;
    }
    Some(Authorization {
        secret_id,
        date,
        service,
        signed_headers: signed_headers?.to_owned(),
        signature: signature?.to_owned(),
    })
}

/// Check the request like the real endpoint, then answer it.
fn process(
    state: &State,
    parts: &hyper::http::request::Parts,
    action: &str,
    body: &[u8],
    arrived_at: Instant,
) -> Result<Value, SandboxError> {
    if parts.method != hyper::Method::POST {
        return Err(err("UnsupportedProtocol", "the sandbox accepts POST with a JSON body only"));
    }
    let auth_header = header_of(parts, "authorization");
    if auth_header.is_empty() {
        return Err(err("AuthFailure.InvalidAuthorization", "the Authorization header is missing"));
    }
    let auth = parse_authorization(&auth_header)
        .ok_or_else(|| err("AuthFailure.InvalidAuthorization", "the Authorization header is malformed"))?;
    let (secret_key, token) = lock(&state.credentials)
        .get(&auth.secret_id)
        .cloned()
        .ok_or_else(|| err("AuthFailure.SecretIdNotFound", "the SecretId is unknown"))?;
    let timestamp: i64 = header_of(parts, "x-tc-timestamp")
        .parse()
        .map_err(|_| err("MissingParameter", "X-TC-Timestamp is missing or not a number"))?;
    let now = state.now_unix();
    if now.checked_sub(timestamp).is_none_or(|d| d.abs() > MAX_CLOCK_SKEW_SECS) {
        return Err(err(
            "AuthFailure.SignatureExpire",
            &format!("the request timestamp {timestamp} is more than 5 minutes from the server time {now}"),
        ));
    }
    if auth.service != SERVICE || auth.date != tc3::utc_date_string(timestamp) {
        return Err(err("AuthFailure.SignatureFailure", "the credential scope does not match the timestamp"));
    }
    let expected = expected_signature(parts, &auth, body, &secret_key, timestamp)
        .ok_or_else(|| err("AuthFailure.SignatureFailure", "the signed headers are not content-type;host"))?;
    if !constant_time_eq(expected.as_bytes(), auth.signature.as_bytes()) {
        return Err(err("AuthFailure.SignatureFailure", "the signature does not match"));
    }
    if let Some(required) = token
        && header_of(parts, "x-tc-token") != required
    {
        return Err(err("AuthFailure.TokenFailure", "the session token is missing or wrong"));
    }
    if action.is_empty() {
        return Err(err("MissingParameter", "X-TC-Action is missing"));
    }
    let version = header_of(parts, "x-tc-version");
    if version != VERSION {
        return Err(err("NoSuchVersion", &format!("version {version:?} is not served")));
    }
    let info = crate::generated::catalog::find(action)
        .filter(|i| i.sites.contains(&state.site))
        .ok_or_else(|| err("InvalidAction", &format!("the action {action} does not exist")))?;
    let request: Value = if body.is_empty() {
        json!({})
    } else {
        serde_json::from_slice(body).map_err(|_| err("InvalidParameter", "the body is not valid JSON"))?
    };
    if !request.is_object() {
        return Err(err("InvalidParameter", "the body must be a JSON object"));
    }
    if state.enforce_quotas {
        let limit = state.quotas.get(info.name).copied().unwrap_or(20) as usize;
        let mut windows = lock(&state.windows);
        let window = windows.entry((auth.secret_id.clone(), info.name.to_owned())).or_default();
        let now = arrived_at;
        while window.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1)) {
            window.pop_front();
        }
        if window.len() >= limit {
            return Err(err("RequestLimitExceeded", &format!("{} allows {limit} requests per second", info.name)));
        }
        window.push_back(now);
    }
    // A key pair bound to a separate account sees that account and its handlers only.
    let scope = lock(&state.accounts).get(&auth.secret_id).cloned().unwrap_or_else(|| state.default.clone());
    let account = lock(&scope.account).clone();
    let ctx = HandlerContext { action: info.name, now_unix: now, account: &account };
    let handler = lock(&scope.handlers).get(info.name).cloned();
    match handler {
        Some(h) => h(&ctx, &request),
        None if info.name == "DescribeAccountBalance" => {
            Ok(account.to_json(request.get("TempCredit").and_then(Value::as_bool).unwrap_or(false)))
        }
        None if info.name == "DescribeBillDownloadUrl" => files::describe(state, &request),
        None => Ok(json!({})),
    }
}

fn expected_signature(
    parts: &hyper::http::request::Parts,
    auth: &Authorization,
    body: &[u8],
    secret_key: &str,
    timestamp: i64,
) -> Option<String> {
    // Rebuild the canonical request from what actually arrived, for any list of signed headers.
    let mut canonical_headers = String::new();
    for name in auth.signed_headers.split(';') {
        let value = header_of(parts, name);
        canonical_headers.push_str(name);
        canonical_headers.push(':');
        canonical_headers.push_str(&value.trim().to_ascii_lowercase());
        canonical_headers.push('\n');
    }
    if !auth.signed_headers.split(';').any(|h| h == "host") {
        return None;
    }
    let payload_hash = if header_of(parts, "x-tc-content-sha256") == tc3::UNSIGNED_PAYLOAD {
        hex::encode(Sha256::digest(tc3::UNSIGNED_PAYLOAD.as_bytes()))
    } else {
        hex::encode(Sha256::digest(body))
    };
    let canonical = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query().unwrap_or(""),
        canonical_headers,
        auth.signed_headers,
        payload_hash
    );
    let string_to_sign = format!(
        "{}\n{}\n{}/{}/tc3_request\n{}",
        tc3::ALGORITHM,
        timestamp,
        auth.date,
        auth.service,
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let key = SigningKey::derive(secret_key, timestamp.div_euclid(86_400), &auth.service);
    Some(key.sign_hex(&string_to_sign))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
