//! The account choice: which credentials (the default chain, `--profile`s) or which sandbox demo
//! accounts the command talks to, and whether the data are real.

use std::fmt;

use tencentcloud_billing::credentials::{CredentialsChain, ProfileProvider};
use tencentcloud_billing::sandbox::Sandbox;
use tencentcloud_billing::sandbox::demo::{Demo, DemoHandle, Organization, Scenario};
use tencentcloud_billing::{BillingClient, BillingClientBuilder, Credentials, ProvideCredentials};

use crate::error::{BoxError, chain_text};

/// What the global flags ask for: `--sandbox`, `--demo` and the `--profile`s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountChoice {
    /// `--sandbox`: use the built-in sandbox even when credentials are set.
    pub sandbox: bool,
    /// `--demo`: the default demo account's situation.
    pub demo: Scenario,
    /// `--profile`, in the order given.
    pub profiles: Vec<String>,
}

/// No credential source is configured and `--sandbox` was not given. Every command stops here,
/// before anything is fetched or written: a report or a file of the demo account's made-up
/// figures would pass for the user's. [`crate::run`] exits [`EXIT_DEMO_DATA`](crate::exit::EXIT_DEMO_DATA) on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoCredentials {
    /// What the chain looked at, as it says.
    pub tried: String,
}

impl fmt::Display for NoCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}; refusing to use the demo account instead, whose figures are made up: configure credentials, or pass \
             --sandbox to use the demo",
            self.tried
        )
    }
}

impl std::error::Error for NoCredentials {}

/// The client, and the sandbox behind it when one is used.
pub struct Connection {
    /// The client.
    pub client: BillingClient,
    /// The sandbox and its demo accounts, when used: kept alive as long as the connection.
    pub _sandbox: Option<(Sandbox, Vec<DemoHandle>)>,
    /// Whether the client talks to the sandbox (only ever because `--sandbox` asked).
    pub sandbox: bool,
}

/// One account tcbill talks to.
pub struct AccountClient {
    /// The `--profile` it comes from; `None` for the default credentials (or the demo).
    pub profile: Option<String>,
    /// Its client: one per account, so each has its own quota.
    pub client: BillingClient,
}

/// The clients of every account asked for, and the sandbox behind them when one is used.
pub struct Connections {
    /// One per `--profile`, in the order given; one when no `--profile` was given.
    pub accounts: Vec<AccountClient>,
    /// The sandbox and its demo accounts, when used: kept alive as long as the connections.
    pub _sandbox: Option<(Sandbox, Vec<DemoHandle>)>,
    /// Whether the clients talk to the sandbox (only ever because `--sandbox` asked).
    pub sandbox: bool,
}

/// The demo every sandbox account of tcbill serves: `scenario`, and the demo organization.
fn demo(scenario: Scenario) -> Demo {
    Demo::new().scenario(scenario).organization(Organization::demo())
}

/// Connect to Tencent Cloud with the default credential chain, or to a fresh sandbox.
///
/// The chain (environment, profile file, CVM role, TKE OIDC) is asked once here. Only its "not
/// found" answer, meaning no source is configured at all, leads to the sandbox. A source that is
/// configured but fails (a malformed profile file, a half-set environment, a CVM role the
/// metadata service refuses) is an error: falling back would report on a demo account as if it
/// were the user's.
pub async fn connect(cli: &AccountChoice) -> Result<Connection, BoxError> {
    connect_with(cli, |b| b).await
}

/// [`connect`], with `configure` applied to the client builder (to add a hook, say), whichever
/// endpoint it ends up on. With one `--profile`, its account; with several, an error.
pub async fn connect_with(
    cli: &AccountChoice,
    configure: impl FnOnce(BillingClientBuilder) -> BillingClientBuilder,
) -> Result<Connection, BoxError> {
    if cli.profiles.len() > 1 {
        return Err(several_profiles().into());
    }
    let c = connect_accounts(cli, configure).await?;
    let Some(first) = c.accounts.into_iter().next() else { return Err("no account to connect to".into()) };
    Ok(Connection { client: first.client, _sandbox: c._sandbox, sandbox: c.sandbox })
}

/// Why a command other than `watch` and `serve` refuses several `--profile`s.
pub fn several_profiles() -> String {
    "only `watch` and `serve` follow several accounts: give one --profile".to_owned()
}

/// Connect to every account asked for: one client per `--profile` (each from that profile of
/// the profile file, never from anywhere else), or, without `--profile`, [`connect`]'s one
/// client. `configure` is applied once, to the builder of the first client; the other accounts'
/// clients come from it through [`BillingClient::with_credentials`] and
/// [`BillingClient::with_credentials_provider`], so every account shares one connection pool
/// (and the hooks `configure` adds) while each keeps its own keys and quotas.
///
/// With `--sandbox`, each profile names a demo account of one sandbox: `healthy`, `low`,
/// `overdue` or `credit` (the scenario it starts from). Each has its own keys, bills (its own
/// seed), balance and quota, so several clients really are several accounts. Any other name is
/// an error.
pub async fn connect_accounts(
    cli: &AccountChoice,
    configure: impl FnOnce(BillingClientBuilder) -> BillingClientBuilder,
) -> Result<Connections, BoxError> {
    for (i, name) in cli.profiles.iter().enumerate() {
        if cli.profiles[..i].contains(name) {
            return Err(format!("--profile {name} is given twice").into());
        }
    }
    if cli.profiles.is_empty() {
        return connect_default(cli, configure).await;
    }
    if cli.sandbox {
        let sandbox = Sandbox::start().await?;
        let mut handles = Vec::new();
        let mut accounts = Vec::new();
        let mut base: Option<BillingClient> = None;
        let mut configure = Some(configure);
        for (i, name) in cli.profiles.iter().enumerate() {
            let scenario: Scenario = name.parse().map_err(|_| {
                format!("--profile {name:?}: with --sandbox, a profile names a demo account: healthy, low, overdue or credit")
            })?;
            let (id, key) = (format!("AKIDSANDBOX{}", name.to_ascii_uppercase()), format!("sandbox-{name}-key"));
            let seed = 20180709 + i as u64 + 1;
            handles.push(sandbox.add_demo_account(&id, &key, demo(scenario).seed(seed)));
            let client = match &base {
                Some(b) => b.with_credentials(Credentials::new(id, key)),
                None => {
                    let mut builder = sandbox.client_builder();
                    if let Some(f) = configure.take() {
                        builder = f(builder);
                    }
                    let b = builder.credentials(Credentials::new(id, key)).build()?;
                    base = Some(b.clone());
                    b
                }
            };
            accounts.push(AccountClient { profile: Some(name.clone()), client });
        }
        eprintln!(
            "tcbill: --sandbox: using the built-in sandbox at {} with the demo accounts {}",
            sandbox.endpoint(),
            cli.profiles.join(", ")
        );
        return Ok(Connections { accounts, _sandbox: Some((sandbox, handles)), sandbox: true });
    }
    let mut accounts = Vec::new();
    let mut base: Option<BillingClient> = None;
    let mut configure = Some(configure);
    for name in &cli.profiles {
        let provider = ProfileProvider::builder().profile(name.clone()).build();
        if let Err(e) = provider.provide_credentials().await {
            return Err(format!("--profile {name}: {}; not falling back to anything else", chain_text(&e)).into());
        }
        // The region and endpoint variables still apply; the profile's keys sign every request.
        let client = match &base {
            // The profile's name names the account to a fleet quota.
            Some(b) => b.with_credentials_provider(provider, name),
            None => {
                let mut builder = BillingClientBuilder::from_env();
                if let Some(f) = configure.take() {
                    builder = f(builder);
                }
                let b = builder.credentials_provider(provider).build()?;
                base = Some(b.clone());
                b
            }
        };
        accounts.push(AccountClient { profile: Some(name.clone()), client });
    }
    Ok(Connections { accounts, _sandbox: None, sandbox: false })
}

/// The default chain, or the sandbox's default demo account: one account.
async fn connect_default(
    cli: &AccountChoice,
    configure: impl FnOnce(BillingClientBuilder) -> BillingClientBuilder,
) -> Result<Connections, BoxError> {
    if !cli.sandbox {
        let chain = CredentialsChain::default_chain();
        match chain.provide_credentials().await {
            Ok(_) => {
                // The region and endpoint variables still apply; the chain (which sticks to the
                // source it found) signs every request.
                let client = configure(BillingClientBuilder::from_env().credentials_provider(chain)).build()?;
                let accounts = vec![AccountClient { profile: None, client }];
                return Ok(Connections { accounts, _sandbox: None, sandbox: false });
            }
            Err(tencentcloud_billing::Error::Credentials(e)) if e.is_not_found() => {
                return Err(NoCredentials { tried: e.message }.into());
            }
            Err(e) => {
                return Err(format!(
                    "{}; not falling back to the demo sandbox: fix the credentials, or pass --sandbox for the demo",
                    chain_text(&e)
                )
                .into());
            }
        }
    }
    let sandbox = Sandbox::start().await?;
    let demo = sandbox.install_demo(demo(cli.demo));
    let client = configure(sandbox.client_builder()).build()?;
    eprintln!(
        "tcbill: --sandbox: using the built-in sandbox at {} with a demo account ({} scenario)",
        sandbox.endpoint(),
        cli.demo.as_str(),
    );
    let accounts = vec![AccountClient { profile: None, client }];
    Ok(Connections { accounts, _sandbox: Some((sandbox, vec![demo])), sandbox: true })
}
