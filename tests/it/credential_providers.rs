//! Every credential provider against local stand-ins of the metadata service and STS: what goes
//! on the wire, expiry, one refresh shared by concurrent callers, and backoff after a failure.
//! (Hangs, redirects, hostile files and extreme settings: `credential_hostile.rs` and the unit
//! tests in `src/credentials/hostile_tests.rs`.)

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tencentcloud_billing::credentials::{AssumeRoleProvider, CvmRoleProvider, RefreshPolicy, WebIdentityProvider};
use tencentcloud_billing::sandbox::Sandbox;
use tencentcloud_billing::{BillingClient, Credentials, Error, ProvideCredentials, tc3};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ROLE_LIST: &str = "/latest/meta-data/cam/security-credentials/";
const ROLE_CREDS: &str = "/latest/meta-data/cam/security-credentials/billing-role";

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn fast_backoff() -> RefreshPolicy {
    RefreshPolicy::default().with_failure_backoff(Duration::from_millis(150), Duration::from_secs(1))
}

fn role_json(id: &str, expires: u64) -> String {
    format!(
        r#"{{"TmpSecretId":"{id}","TmpSecretKey":"cvm-key","Token":"cvm-token","ExpiredTime":{expires},"Expiration":"x","Code":"Success"}}"#
    )
}

fn sts_json(id: &str, expires: u64) -> String {
    format!(
        r#"{{"Response":{{"Credentials":{{"Token":"sts-token","TmpSecretId":"{id}","TmpSecretKey":"sts-key"}},"ExpiredTime":{expires},"Expiration":"x","RequestId":"sts-req"}}}}"#
    )
}

async fn metadata(role_status: u16, creds: ResponseTemplate, expect_creds: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ROLE_LIST))
        .respond_with(ResponseTemplate::new(role_status).set_body_string("billing-role\n"))
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path(ROLE_CREDS)).respond_with(creds).expect(expect_creds).mount(&server).await;
    server
}

fn cvm(server: &MockServer) -> CvmRoleProvider {
    CvmRoleProvider::builder()
        .base_url(format!("{}/latest/meta-data/", server.uri()))
        .refresh_policy(fast_backoff())
        .build()
        .unwrap()
}

async fn count(server: &MockServer, p: &str) -> usize {
    server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == p).count()
}

/// Wait (a few seconds at most) until `server` has seen `n` requests. A refresh of credentials that
/// still work runs in the background, so the caller may return before its request lands.
async fn until_received(server: &MockServer, n: usize) {
    for _ in 0..500 {
        if server.received_requests().await.unwrap().len() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn cvm_role_discovers_the_role_caches_and_exposes_expiry() {
    let expires = now() + 3600;
    let server = metadata(200, ResponseTemplate::new(200).set_body_string(role_json("AKIDcvm", expires)), 1).await;
    let p = cvm(&server);
    let c = p.credentials().await.unwrap();
    assert_eq!((c.secret_id(), c.token()), ("AKIDcvm", Some("cvm-token")));
    assert_eq!(c.expires_at(), Some(UNIX_EPOCH + Duration::from_secs(expires)));
    // Far from expiry: served from the cache.
    for _ in 0..5 {
        assert_eq!(p.provide_credentials().await.unwrap().secret_id(), "AKIDcvm");
    }
    assert_eq!(count(&server, ROLE_LIST).await, 1);
    assert_eq!(count(&server, ROLE_CREDS).await, 1);
    assert!(!format!("{p:?}").contains("cvm-key") && !format!("{p:?}").contains("cvm-token"));
}

#[tokio::test]
async fn cvm_role_refreshes_credentials_close_to_expiry() {
    // Two seconds of life: far less than the 5-minute margin, so the refresh comes at half-life.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ROLE_LIST))
        .respond_with(ResponseTemplate::new(200).set_body_string("billing-role"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(ROLE_CREDS))
        .respond_with(move |_: &Request| ResponseTemplate::new(200).set_body_string(role_json("AKIDshort", now() + 2)))
        .mount(&server)
        .await;
    let p = cvm(&server);
    p.credentials().await.unwrap();
    p.credentials().await.unwrap();
    assert_eq!(count(&server, ROLE_CREDS).await, 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    p.credentials().await.unwrap();
    until_received(&server, 3).await;
    assert_eq!(count(&server, ROLE_CREDS).await, 2, "refreshed before expiry");
    // The role name is remembered.
    assert_eq!(count(&server, ROLE_LIST).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cvm_role_concurrent_callers_share_one_refresh() {
    let creds = ResponseTemplate::new(200)
        .set_body_string(role_json("AKIDshared", now() + 3600))
        .set_delay(Duration::from_millis(200));
    let server = metadata(200, creds, 1).await;
    let p = Arc::new(cvm(&server));
    let tasks: Vec<_> = (0..24)
        .map(|_| {
            let p = Arc::clone(&p);
            tokio::spawn(async move { p.credentials().await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().secret_id(), "AKIDshared");
    }
    assert_eq!(count(&server, ROLE_CREDS).await, 1);
    assert_eq!(count(&server, ROLE_LIST).await, 1);
}

#[tokio::test]
async fn cvm_role_failure_backs_off_then_recovers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ROLE_LIST))
        .respond_with(ResponseTemplate::new(200).set_body_string("billing-role"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(ROLE_CREDS))
        .respond_with(ResponseTemplate::new(500).set_body_string("metadata broke"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(ROLE_CREDS))
        .respond_with(ResponseTemplate::new(200).set_body_string(role_json("AKIDback", now() + 3600)))
        .mount(&server)
        .await;
    let p = cvm(&server);
    let e = p.credentials().await.unwrap_err();
    assert!(matches!(e, Error::Credentials(_)) && e.to_string().contains("HTTP 500"), "{e}");
    // Inside the backoff: the same error at once, no request.
    for _ in 0..10 {
        let e = p.credentials().await.unwrap_err();
        assert!(e.to_string().contains("next attempt in"), "{e}");
    }
    assert_eq!(count(&server, ROLE_CREDS).await, 1);
    tokio::time::sleep(Duration::from_millis(200)).await;
    p.credentials().await.unwrap_err();
    assert_eq!(count(&server, ROLE_CREDS).await, 2, "one more try after the backoff");
    // The second backoff is twice as long (300 ms).
    tokio::time::sleep(Duration::from_millis(100)).await;
    p.credentials().await.unwrap_err();
    assert_eq!(count(&server, ROLE_CREDS).await, 2);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(p.credentials().await.unwrap().secret_id(), "AKIDback");
    assert_eq!(count(&server, ROLE_CREDS).await, 3);
}

#[tokio::test]
async fn cvm_without_a_role_is_not_found_and_bad_answers_are_errors() {
    let server = metadata(404, ResponseTemplate::new(200), 0).await;
    let e = cvm(&server).credentials().await.unwrap_err();
    let Error::Credentials(c) = &e else { panic!("{e:?}") };
    assert!(c.is_not_found(), "{e}");

    let failing = r#"{"TmpSecretId":"","TmpSecretKey":"","Token":"","ExpiredTime":0,"Code":"RoleNotExist"}"#;
    let server = metadata(200, ResponseTemplate::new(200).set_body_string(failing), 1).await;
    let e = cvm(&server).credentials().await.unwrap_err();
    let Error::Credentials(c) = &e else { panic!("{e:?}") };
    assert!(!c.is_not_found() && e.to_string().contains("RoleNotExist"), "{e}");

    let server = metadata(200, ResponseTemplate::new(200).set_body_string("<html>"), 1).await;
    let e = cvm(&server).credentials().await.unwrap_err();
    assert!(e.to_string().contains("not role credentials"), "{e}");
}

#[tokio::test]
async fn the_client_signs_with_the_cvm_role_and_sends_its_token() {
    let server = metadata(200, ResponseTemplate::new(200).set_body_string(role_json("AKIDcvm", now() + 3600)), 1).await;
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.add_credentials("AKIDcvm", "cvm-key", Some("cvm-token"));
    let client =
        BillingClient::builder().endpoint(sandbox.endpoint()).credentials_provider(cvm(&server)).build().unwrap();
    for _ in 0..3 {
        client.describe_account_balance().send().await.unwrap();
    }
    let reqs = sandbox.requests();
    assert_eq!(reqs.len(), 3);
    assert!(reqs.iter().all(|r| r.secret_id == "AKIDcvm" && r.error_code.is_none()), "{reqs:?}");
}

// --- STS AssumeRole -----------------------------------------------------------------------

fn header_str<'a>(r: &'a Request, name: &str) -> &'a str {
    r.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

fn assume_role(server: &MockServer, source: Credentials) -> AssumeRoleProvider {
    AssumeRoleProvider::builder(source, "qcs::cam::uin/100000000001:roleName/billing-reader")
        .endpoint(server.uri())
        .session_name("fault-test")
        .duration(Duration::from_secs(1800))
        .refresh_policy(fast_backoff())
        .build()
        .unwrap()
}

#[tokio::test]
async fn assume_role_is_signed_with_tc3_for_sts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(header("x-tc-action", "AssumeRole"))
        .and(header("x-tc-version", "2018-08-13"))
        .and(header("x-tc-region", "ap-guangzhou"))
        .and(header("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_string(sts_json("AKIDrole", now() + 1800)))
        .expect(1)
        .mount(&server)
        .await;
    let source = Credentials::new("AKIDlong", "long-key").with_token("source-token");
    let p = assume_role(&server, source.clone());
    let c = p.credentials().await.unwrap();
    assert_eq!((c.secret_id(), c.token()), ("AKIDrole", Some("sts-token")));
    assert!(c.expires_at().is_some());
    p.credentials().await.unwrap();

    let reqs = server.received_requests().await.unwrap();
    let r = &reqs[0];
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["RoleArn"], "qcs::cam::uin/100000000001:roleName/billing-reader");
    assert_eq!(body["RoleSessionName"], "fault-test");
    assert_eq!(body["DurationSeconds"], 1800);
    assert_eq!(header_str(r, "x-tc-token"), "source-token");
    // The signature is TC3 over exactly this request, for service `sts`.
    let ts: i64 = header_str(r, "x-tc-timestamp").parse().unwrap();
    let host = server.address().to_string();
    let expected = tc3::sign(&tc3::SigningInput::post_json(&host, "sts", &r.body, ts), source.secret_id(), "long-key");
    assert_eq!(header_str(r, "authorization"), expected.authorization());
    assert!(expected.authorization().contains("/sts/tc3_request"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assume_role_concurrent_callers_share_one_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(sts_json("AKIDrole", now() + 1800))
                .set_delay(Duration::from_millis(200)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let p = Arc::new(assume_role(&server, Credentials::new("AKIDlong", "long-key")));
    let tasks: Vec<_> = (0..24)
        .map(|_| {
            let p = Arc::clone(&p);
            tokio::spawn(async move { p.credentials().await.map(|c| c.secret_id().to_owned()) })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), "AKIDrole");
    }
}

#[tokio::test]
async fn assume_role_errors_carry_the_sts_code_and_back_off() {
    let server = MockServer::start().await;
    let refusal = r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"bad signature"},"RequestId":"sts-err-1"}}"#;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(refusal))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(sts_json("AKIDlater", now() + 1800)))
        .mount(&server)
        .await;
    let p = assume_role(&server, Credentials::new("AKIDlong", "long-key"));
    let e = p.credentials().await.unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("AuthFailure.SignatureFailure") && msg.contains("sts-err-1"), "{msg}");
    assert!(!msg.contains("long-key"));
    p.credentials().await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "backing off");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(p.credentials().await.unwrap().secret_id(), "AKIDlater");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn assume_role_refreshes_before_expiry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(move |_: &Request| ResponseTemplate::new(200).set_body_string(sts_json("AKIDshort", now() + 2)))
        .mount(&server)
        .await;
    let p = assume_role(&server, Credentials::new("AKIDlong", "long-key"));
    let first = p.credentials().await.unwrap();
    assert!(first.expires_at().unwrap() <= SystemTime::now() + Duration::from_secs(2));
    p.credentials().await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    p.credentials().await.unwrap();
    until_received(&server, 2).await;
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "refreshed before expiry");
}

#[tokio::test]
async fn assume_role_credentials_drive_the_client() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(sts_json("AKIDrole", now() + 1800)))
        .expect(1)
        .mount(&server)
        .await;
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.add_credentials("AKIDrole", "sts-key", Some("sts-token"));
    let client = BillingClient::builder()
        .endpoint(sandbox.endpoint())
        .credentials_provider(assume_role(&server, Credentials::new("AKIDlong", "long-key")))
        .build()
        .unwrap();
    client.describe_account_balance().send().await.unwrap();
    client.describe_account_balance().send().await.unwrap();
    assert!(sandbox.requests().iter().all(|r| r.secret_id == "AKIDrole" && r.error_code.is_none()));
}

// --- TKE OIDC -----------------------------------------------------------------------------

struct TempFile(std::path::PathBuf);
impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn token_file(tag: &str, token: &str) -> TempFile {
    let p = std::env::temp_dir().join(format!("tcb-oidc-{tag}-{}", std::process::id()));
    std::fs::write(&p, token).unwrap();
    TempFile(p)
}

fn oidc(server: &MockServer, file: &TempFile) -> WebIdentityProvider {
    WebIdentityProvider::builder()
        .endpoint(server.uri())
        .region("ap-shanghai")
        .provider_id("tke-oidc-provider")
        .token_file(&file.0)
        .role_arn("qcs::cam::uin/100000000001:roleName/tke-billing")
        .session_name("pod-session")
        .refresh_policy(fast_backoff())
        .build()
        .unwrap()
}

#[tokio::test]
async fn web_identity_is_unsigned_and_rereads_the_token_file() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("x-tc-action", "AssumeRoleWithWebIdentity"))
        .and(header("x-tc-version", "2018-08-13"))
        .and(header("x-tc-region", "ap-shanghai"))
        .and(header("authorization", "SKIP"))
        .respond_with(move |_: &Request| ResponseTemplate::new(200).set_body_string(sts_json("AKIDpod", now() + 2)))
        .mount(&server)
        .await;
    let file = token_file("reread", "first-oidc-token\n");
    let p = oidc(&server, &file);
    let c = p.credentials().await.unwrap();
    assert_eq!((c.secret_id(), c.token()), ("AKIDpod", Some("sts-token")));
    std::fs::write(&file.0, "second-oidc-token").unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    p.credentials().await.unwrap();
    until_received(&server, 2).await;
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 2);
    let bodies: Vec<serde_json::Value> = reqs.iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    assert_eq!(bodies[0]["WebIdentityToken"], "first-oidc-token");
    assert_eq!(bodies[1]["WebIdentityToken"], "second-oidc-token");
    assert_eq!(bodies[0]["ProviderId"], "tke-oidc-provider");
    assert_eq!(bodies[0]["RoleArn"], "qcs::cam::uin/100000000001:roleName/tke-billing");
    assert_eq!(bodies[0]["RoleSessionName"], "pod-session");
    assert_eq!(bodies[0]["DurationSeconds"], 7200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_identity_concurrent_callers_share_one_call_and_failures_back_off() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("sts down").set_delay(Duration::from_millis(100)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(sts_json("AKIDpod", now() + 3600))
                .set_delay(Duration::from_millis(200)),
        )
        .mount(&server)
        .await;
    let file = token_file("concurrent", "oidc-token");
    let p = Arc::new(oidc(&server, &file));
    let run = |n| {
        let tasks: Vec<_> = (0..n)
            .map(|_| {
                let p = Arc::clone(&p);
                tokio::spawn(async move { p.credentials().await.map(|c| c.secret_id().to_owned()) })
            })
            .collect();
        async move {
            let mut out = Vec::new();
            for t in tasks {
                out.push(t.await.unwrap());
            }
            out
        }
    };
    // All of them see the one failure; none of them asks again.
    let first = run(16).await;
    assert!(first.iter().all(|r| r.as_ref().is_err_and(|e| e.to_string().contains("HTTP 503"))), "{first:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let second = run(16).await;
    assert!(second.iter().all(|r| matches!(r.as_deref(), Ok("AKIDpod"))), "{second:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// STS speaks the same protocol as billing, clock correction included: a `SignatureExpire` with
/// the server an hour ahead is answered by one re-signed request stamped with the server's time.
#[tokio::test]
async fn assume_role_corrects_a_skewed_clock_once() {
    let server = MockServer::start().await;
    let ahead = now() + 3600;
    let date = httpdate(ahead);
    let expire =
        r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"expired"},"RequestId":"r-skew"}}"#;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(expire).insert_header("date", date.as_str()))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(sts_json("AKIDskew", ahead + 3600)))
        .with_priority(2)
        .mount(&server)
        .await;
    let role = assume_role(&server, Credentials::new("AKIDlong", "long-key"));
    assert_eq!(role.credentials().await.unwrap().secret_id(), "AKIDskew");
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 2);
    let first: i64 = header_str(&reqs[0], "x-tc-timestamp").parse().unwrap();
    let second: i64 = header_str(&reqs[1], "x-tc-timestamp").parse().unwrap();
    assert!((second - first - 3600).abs() <= 5, "re-signed at the server's time: {first} then {second}");

    // Twice in a row is an error, not a loop.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(expire).insert_header("date", date.as_str()))
        .mount(&server)
        .await;
    let e = assume_role(&server, Credentials::new("AKIDlong", "long-key")).credentials().await.unwrap_err();
    assert!(e.to_string().contains("AuthFailure.SignatureExpire"), "{e}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// An IMF-fixdate, as a server's `Date` header.
fn httpdate(unix: u64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(unix as i64).unwrap();
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        DAYS[t.weekday().number_days_from_monday() as usize],
        t.day(),
        MONTHS[t.month() as usize - 1],
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}
