//! Print the account balance.
//!
//! With `TENCENTCLOUD_SECRET_ID` and `TENCENTCLOUD_SECRET_KEY` set, this calls the real endpoint
//! (or `TENCENTCLOUD_BILLING_ENDPOINT`); without them it starts the built-in sandbox and runs the
//! same code against it.
//!
//! ```text
//! cargo run --example balance
//! ```

use std::process::ExitCode;

use tencentcloud_billing::money::Cents;
use tencentcloud_billing::sandbox::{Account, Sandbox};
use tencentcloud_billing::{BillingClient, Error};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // Keep the sandbox alive for the whole run when it is used.
    let mut _sandbox = None;
    let has_credentials = std::env::var("TENCENTCLOUD_SECRET_ID").is_ok_and(|v| !v.trim().is_empty());
    let client = if has_credentials {
        BillingClient::from_env()?
    } else {
        let sandbox = Sandbox::builder()
            .account(
                Account::with_balance(Cents::from(1_234_567))
                    .with_credit(Cents::from(5_000_000), Cents::from(4_200_000))
                    .freezing(Cents::from(10_000)),
            )
            .start()
            .await?;
        println!("no credentials in the environment: using the built-in sandbox at {}", sandbox.endpoint());
        let client = sandbox.client_builder().build()?;
        _sandbox = Some(sandbox);
        client
    };

    let b = client.describe_account_balance().send().await.map_err(describe)?;
    let yuan = |c: Option<Cents>| match c {
        Some(c) => format!("{:>16.2}", c.to_yuan().amount()),
        None => format!("{:>16}", "-"),
    };
    println!("account {} ({})", b.uin.map(|u| u.to_string()).unwrap_or_else(|| "unknown".into()), client.site());
    println!("  available balance  {} yuan", yuan(b.real_balance));
    println!("  cash account       {} yuan", yuan(b.cash_account_balance));
    println!("  income account     {} yuan", yuan(b.income_into_account_balance));
    println!("  gift account       {} yuan", yuan(b.present_account_balance));
    println!("  frozen             {} yuan", yuan(b.freeze_amount));
    println!("  owed               {} yuan", yuan(b.owe_amount));
    println!("  credit limit       {} yuan", yuan(b.credit_amount));
    println!("  credit available   {} yuan", yuan(b.real_credit_balance));
    if b.owe_amount.is_some_and(|o| o.amount().is_sign_positive() && !o.is_zero()) {
        println!(
            "  status             OVERDUE: top up now; some products are suspended 24 hours after an account goes overdue"
        );
    } else {
        println!("  status             ok");
    }
    println!("request id {}", b.request_id);
    Ok(())
}

/// One clear line: the error, its causes, and the RequestId when the server assigned one.
fn describe(e: Error) -> Box<dyn std::error::Error> {
    let mut line = e.to_string();
    let mut cause = std::error::Error::source(&e);
    while let Some(c) = cause {
        line.push_str(": ");
        line.push_str(&c.to_string());
        cause = c.source();
    }
    if let Some(id) = e.request_id() {
        line.push_str(&format!(" [request id {id}]"));
    }
    line.into()
}
