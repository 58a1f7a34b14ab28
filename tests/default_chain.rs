//! `BillingClient::builder()` without credentials uses the default chain; `from_env()` still
//! names a missing variable. This file holds one test because it changes the process
//! environment, which must not race with other tests. It never lets the chain reach the CVM
//! metadata service: a source before it is always configured.

use tencentcloud_billing::BillingClient;
use tencentcloud_billing::sandbox::{SANDBOX_SECRET_ID, SANDBOX_SECRET_KEY, Sandbox};

fn set(name: &str, value: &str) {
    // SAFETY: this test binary runs a single test, so no other thread reads the environment.
    unsafe { std::env::set_var(name, value) }
}

fn unset(name: &str) {
    // SAFETY: as above.
    unsafe { std::env::remove_var(name) }
}

#[tokio::test]
async fn the_builder_falls_back_to_the_default_chain() {
    for v in ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_PROFILE"]
    {
        unset(v);
    }
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.add_credentials("AKIDprofile", "profile-key", None);

    // 1. No variables: the profile file named by TENCENTCLOUD_CREDENTIALS_FILE, profile chosen by
    //    TENCENTCLOUD_PROFILE.
    let file = std::env::temp_dir().join(format!("tcb-default-chain-{}", std::process::id()));
    std::fs::write(&file, "[default]\nsecret_id = AKIDnobody\nsecret_key = x\n\n[billing]\nsecret_id = AKIDprofile\nsecret_key = profile-key\n").unwrap();
    set("TENCENTCLOUD_CREDENTIALS_FILE", file.to_str().unwrap());
    set("TENCENTCLOUD_PROFILE", "billing");
    let client = BillingClient::builder().endpoint(sandbox.endpoint()).build().unwrap();
    client.describe_account_balance().send().await.unwrap();
    assert_eq!(sandbox.requests().last().unwrap().secret_id, "AKIDprofile");

    // 2. Environment variables come first.
    set("TENCENTCLOUD_SECRET_ID", SANDBOX_SECRET_ID);
    set("TENCENTCLOUD_SECRET_KEY", SANDBOX_SECRET_KEY);
    let client = BillingClient::builder().endpoint(sandbox.endpoint()).build().unwrap();
    client.describe_account_balance().send().await.unwrap();
    assert_eq!(sandbox.requests().last().unwrap().secret_id, SANDBOX_SECRET_ID);

    // 3. from_env() is still strict and names what is missing.
    unset("TENCENTCLOUD_SECRET_KEY");
    let e = BillingClient::from_env().unwrap_err();
    assert!(e.to_string().contains("TENCENTCLOUD_SECRET_KEY is not set"), "{e}");
    unset("TENCENTCLOUD_SECRET_ID");
    let e = BillingClient::from_env().unwrap_err();
    assert!(e.to_string().contains("TENCENTCLOUD_SECRET_ID is not set"), "{e}");

    // 4. Half-configured environment: the chain stops with that error instead of using the file.
    set("TENCENTCLOUD_SECRET_ID", "AKIDhalf");
    let client = BillingClient::builder().endpoint(sandbox.endpoint()).build().unwrap();
    let e = client.describe_account_balance().send().await.unwrap_err();
    assert!(e.to_string().contains("TENCENTCLOUD_SECRET_KEY is not set"), "{e}");
    assert_eq!(sandbox.requests().len(), 2, "nothing was sent");
    let _ = std::fs::remove_file(&file);
}
