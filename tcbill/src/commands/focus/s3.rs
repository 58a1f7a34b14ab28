//! `tcbill focus --out s3://bucket/prefix/`: the month files in object storage (COS, S3, MinIO
//! and other S3-compatible stores), in the directory output's layout:
//! `prefix/billing_period=2026-10/part-0.parquet`.
//!
//! Each month goes up as one multipart upload, fed page by page as the writer produces bytes
//! (parts of 5 MiB, at most two in flight), so memory does not grow with the month. A multipart
//! upload is invisible until it is completed: readers see a month whole or not at all. Ctrl-C or
//! an error aborts the upload, so no object appears under the final key; a rerun skips the months
//! whose key exists (a HEAD per month) and redoes the others.
//!
//! Addressing: with no `--s3-endpoint`, AWS S3. A COS endpoint (`https://cos.<region>.myqcloud.com`)
//! and any other non-loopback endpoint are used virtual-hosted style (the bucket becomes the first
//! label of the host name), which COS requires. Loopback endpoints (a local MinIO, moto) use path
//! style, because `bucket.127.0.0.1` does not resolve; `--s3-path-style` forces path style
//! elsewhere. `http://` is accepted only for loopback, so credentials never cross a network in
//! clear. Credentials come from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
//! `AWS_SESSION_TOKEN` only, never from the URL; they are never printed.

use std::io::Write;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use clap::Args;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as KeyPath;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use tencentcloud_billing::BillingClient;
use tencentcloud_billing::datetime::YearMonth;

use super::{BoxError, Carry, FocusFormat, FocusJob, MonthOutput, MonthRange, RangeDone, export_month_to};
use crate::interrupt::Interrupt;

/// Parts uploading at once; with 5 MiB parts this bounds the upload's memory to about 15 MiB.
const PARTS_IN_FLIGHT: usize = 2;

/// The object storage flags of `tcbill focus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Args)]
pub struct S3Flags {
    /// With --out s3://: the S3-compatible endpoint, e.g. `https://cos.ap-guangzhou.myqcloud.com`
    /// for COS (default: AWS S3). http:// only on loopback.
    #[arg(long, value_name = "URL")]
    pub s3_endpoint: Option<String>,
    /// With --out s3://: the region requests are signed for (default: the region of a COS
    /// endpoint, else us-east-1).
    #[arg(long, value_name = "REGION")]
    pub s3_region: Option<String>,
    /// With --out s3://: put the bucket in the path instead of the host name (the default for
    /// loopback endpoints; COS needs the host name form).
    #[arg(long)]
    pub s3_path_style: bool,
}

/// Where `s3://bucket/prefix/` points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Location {
    /// The bucket.
    pub bucket: String,
    /// The key prefix, without leading or trailing `/` (empty: the bucket's root).
    pub prefix: String,
}

/// `Some` when `out` is an `s3://` URL: the bucket and prefix, or why they are not valid.
pub fn parse_s3_url(out: &str) -> Option<Result<S3Location, String>> {
    let rest = out.strip_prefix("s3://")?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let valid_bucket = (3..=63).contains(&bucket.len())
        && bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !bucket.starts_with(['-', '.'])
        && !bucket.ends_with(['-', '.']);
    if !valid_bucket {
        return Some(Err(format!(
            "{out:?}: {bucket:?} is not a bucket name (3 to 63 lowercase letters, digits, '-' and '.')"
        )));
    }
    let prefix = prefix.trim_matches('/');
    if !prefix.is_empty()
        && let Err(e) = KeyPath::parse(prefix)
    {
        return Some(Err(format!("{out:?}: the prefix {prefix:?} is not a valid key prefix: {e}")));
    }
    Some(Ok(S3Location { bucket: bucket.to_owned(), prefix: prefix.to_owned() }))
}

/// The key of `month` under `prefix`: `prefix/billing_period=YYYY-MM/part-0.EXT`.
pub fn month_key(prefix: &str, month: YearMonth, format: FocusFormat) -> String {
    let key = format!("billing_period={month}/part-0.{}", format.extension());
    if prefix.is_empty() { key } else { format!("{prefix}/{key}") }
}

/// How the store is addressed, from the flags: a pure function of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressing {
    /// The endpoint handed to the client (for virtual-hosted style, with the bucket in the host
    /// name); `None` for AWS S3.
    pub endpoint: Option<String>,
    /// The signing region.
    pub region: String,
    /// Bucket in the host name (`true`) or in the path.
    pub virtual_hosted: bool,
    /// Plain HTTP (loopback only).
    pub allow_http: bool,
}

fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        url::Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
    }
}

/// The region of a COS host name: `cos.<region>.myqcloud.com`, with or without the bucket in front.
fn cos_region(host: &str) -> Option<&str> {
    let host = host.strip_suffix(".myqcloud.com")?;
    let (_, region) = host.rsplit_once("cos.").filter(|(before, _)| before.is_empty() || before.ends_with('.'))?;
    (!region.is_empty() && !region.contains('.')).then_some(region)
}

/// Decide how to address `bucket` from the flags; an error for an unusable endpoint.
pub fn addressing(flags: &S3Flags, bucket: &str) -> Result<Addressing, String> {
    let Some(raw) = flags.s3_endpoint.as_deref() else {
        return Ok(Addressing {
            endpoint: None,
            region: flags.s3_region.clone().unwrap_or_else(|| "us-east-1".to_owned()),
            virtual_hosted: !flags.s3_path_style,
            allow_http: false,
        });
    };
    let url = url::Url::parse(raw).map_err(|e| format!("--s3-endpoint {raw:?}: {e}"))?;
    if !url.username().is_empty() || url.password().is_some() {
        // Not echoed: the URL holds a secret.
        return Err(
            "--s3-endpoint must not hold credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY".to_owned()
        );
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(format!("--s3-endpoint {raw:?}: give only scheme, host and port"));
    }
    let host = url.host().ok_or_else(|| format!("--s3-endpoint {raw:?} names no host"))?;
    let loopback = is_loopback(&host);
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(format!(
                "--s3-endpoint {raw:?}: http:// only on loopback (127.0.0.1, ::1, localhost); use https://"
            ));
        }
        other => return Err(format!("--s3-endpoint {raw:?}: unsupported scheme {other:?}")),
    }
    let host_str = url.host_str().unwrap_or_default();
    let region = match &flags.s3_region {
        Some(r) => r.clone(),
        None => cos_region(host_str).unwrap_or("us-east-1").to_owned(),
    };
    let virtual_hosted = !flags.s3_path_style && !loopback;
    let base = raw.trim_end_matches('/');
    let endpoint = if virtual_hosted && !host_str.starts_with(&format!("{bucket}.")) {
        let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
        format!("{}://{bucket}.{host_str}{port}", url.scheme())
    } else {
        base.to_owned()
    };
    Ok(Addressing { endpoint: Some(endpoint), region, virtual_hosted, allow_http: url.scheme() == "http" })
}

/// S3 credentials. Debug shows the key id only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// `AWS_ACCESS_KEY_ID`.
    pub key_id: String,
    /// `AWS_SECRET_ACCESS_KEY`.
    pub secret: String,
    /// `AWS_SESSION_TOKEN`, for temporary credentials.
    pub token: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("key_id", &self.key_id)
            .field("secret", &"<redacted>")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Credentials {
    /// From the `AWS_*` variables, read through `var` (the process environment in use).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Credentials, String> {
        let get = |name: &str| var(name).filter(|v| !v.is_empty());
        let key_id =
            get("AWS_ACCESS_KEY_ID").ok_or("--out s3:// needs AWS_ACCESS_KEY_ID (and AWS_SECRET_ACCESS_KEY)")?;
        let secret = get("AWS_SECRET_ACCESS_KEY").ok_or("--out s3:// needs AWS_SECRET_ACCESS_KEY")?;
        Ok(Credentials { key_id, secret, token: get("AWS_SESSION_TOKEN") })
    }
}

/// The client for `bucket`. Only the given credentials are used (no instance metadata lookup).
pub fn store(bucket: &str, flags: &S3Flags, credentials: &Credentials) -> Result<Arc<dyn ObjectStore>, BoxError> {
    // reqwest's rustls comes without a crypto provider; ring is the one the library builds.
    // An error means one is installed already, which is as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let at = addressing(flags, bucket)?;
    let mut builder = AmazonS3Builder::new()
        .with_bucket_name(bucket)
        .with_region(at.region)
        .with_access_key_id(credentials.key_id.clone())
        .with_secret_access_key(credentials.secret.clone())
        .with_virtual_hosted_style_request(at.virtual_hosted)
        .with_allow_http(at.allow_http);
    if let Some(token) = &credentials.token {
        builder = builder.with_token(token.clone());
    }
    if let Some(endpoint) = at.endpoint {
        builder = builder.with_endpoint(endpoint);
    }
    Ok(Arc::new(builder.build().map_err(|e| format!("cannot set up the S3 client: {e}"))?))
}

/// What the format's writer writes into: bytes held until the page ends.
#[derive(Clone, Default)]
struct Pending(Arc<Mutex<Vec<u8>>>);

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One month's multipart upload, fed after each page.
struct Upload {
    pending: Pending,
    upload: WriteMultipart,
}

impl Upload {
    /// Move the pending bytes into the upload, which sends each full part.
    fn feed(&mut self) {
        let mut pending = self.pending.0.lock().unwrap_or_else(|e| e.into_inner());
        self.upload.write(&pending);
        pending.clear();
    }
}

impl MonthOutput for Upload {
    type Writer = Pending;

    async fn page_written(&mut self) -> Result<(), BoxError> {
        self.feed();
        // Back pressure: the next page waits while too many parts are in flight.
        self.upload.wait_for_capacity(PARTS_IN_FLIGHT).await.map_err(|e| format!("S3 upload: {e}"))?;
        Ok(())
    }

    fn close(&mut self, _writer: Pending) -> Result<(), BoxError> {
        self.feed();
        Ok(())
    }
}

/// Abort `upload`; a failure only leaves invisible parts behind (a bucket lifecycle rule for
/// incomplete multipart uploads removes them), so it is reported and not fatal.
async fn abort(upload: WriteMultipart, key: &str) {
    if let Err(e) = upload.abort().await {
        eprintln!("tcbill: could not abort the upload of {key} ({e}); no object was created, but its parts may remain");
    }
}

/// Export every month of `range` under `prefix` in `store`, skipping the months whose key
/// exists. Ctrl-C or an error aborts the month's upload.
pub async fn export_range(
    client: &BillingClient,
    store: &dyn ObjectStore,
    prefix: &str,
    range: MonthRange,
    job: &FocusJob,
    mut interrupt: Interrupt,
) -> Result<RangeDone, BoxError> {
    let mut done = RangeDone::default();
    let mut interrupted = false;
    let mut carry = Carry::default();
    for month in range.months() {
        let key = month_key(prefix, month, job.format);
        let path = KeyPath::parse(&key).map_err(|e| format!("{key}: {e}"))?;
        match store.head(&path).await {
            Ok(_) => {
                done.skipped.push(month);
                continue;
            }
            Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(format!("cannot check {key}: {e}").into()),
        }
        if interrupted {
            break;
        }
        let upload = store.put_multipart(&path).await.map_err(|e| format!("cannot start the upload of {key}: {e}"))?;
        let mut out = Upload { pending: Pending::default(), upload: WriteMultipart::new(upload) };
        let writer = out.pending.clone();
        let result =
            export_month_to(client, month, job, writer, &mut out, &mut carry, &mut interrupt, &mut interrupted).await;
        let Upload { upload, .. } = out;
        match result {
            Err(e) => {
                abort(upload, &key).await;
                return Err(e);
            }
            Ok(m) if m.interrupted => {
                abort(upload, &key).await;
                done.interrupted = Some(month);
                break;
            }
            Ok(m) => {
                upload.finish().await.map_err(|e| format!("cannot complete the upload of {key}: {e}"))?;
                eprintln!("tcbill: {month}: {} rows in {} pages to s3://…/{key}", m.rows, m.pages);
                done.written.push(m);
            }
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(endpoint: Option<&str>, region: Option<&str>, path_style: bool) -> S3Flags {
        S3Flags {
            s3_endpoint: endpoint.map(str::to_owned),
            s3_region: region.map(str::to_owned),
            s3_path_style: path_style,
        }
    }

    #[test]
    fn s3_urls_parse_to_bucket_and_prefix() {
        assert!(parse_s3_url("out/dir").is_none());
        let at = |b: &str, p: &str| Some(Ok(S3Location { bucket: b.to_owned(), prefix: p.to_owned() }));
        assert_eq!(parse_s3_url("s3://bills-1250000000/focus/"), at("bills-1250000000", "focus"));
        assert_eq!(parse_s3_url("s3://bills/a/b"), at("bills", "a/b"));
        assert_eq!(parse_s3_url("s3://bills"), at("bills", ""));
        assert_eq!(parse_s3_url("s3://bills/"), at("bills", ""));
        for bad in [
            "s3://",
            "s3://Bills/x",
            "s3://b/x",
            "s3://bills_x/",
            "s3://-bills/",
            "s3://bills/a//b",
            "s3://bills/a/../b",
        ] {
            assert!(matches!(parse_s3_url(bad), Some(Err(_))), "{bad}");
        }
        assert_eq!(
            month_key("focus", "2026-10".parse().unwrap(), FocusFormat::Parquet),
            "focus/billing_period=2026-10/part-0.parquet"
        );
        assert_eq!(month_key("", "2026-10".parse().unwrap(), FocusFormat::Csv), "billing_period=2026-10/part-0.csv");
    }

    #[test]
    fn cos_is_virtual_hosted_with_its_region_and_loopback_is_path_style() {
        let cos = addressing(&flags(Some("https://cos.ap-guangzhou.myqcloud.com"), None, false), "bills-125").unwrap();
        assert_eq!(
            cos,
            Addressing {
                endpoint: Some("https://bills-125.cos.ap-guangzhou.myqcloud.com".to_owned()),
                region: "ap-guangzhou".to_owned(),
                virtual_hosted: true,
                allow_http: false,
            }
        );
        // The bucket already in the host name is not added twice; --s3-region wins.
        let given = flags(Some("https://bills-125.cos.ap-shanghai.myqcloud.com/"), Some("ap-beijing"), false);
        let at = addressing(&given, "bills-125").unwrap();
        assert_eq!(at.endpoint.as_deref(), Some("https://bills-125.cos.ap-shanghai.myqcloud.com"));
        assert_eq!(at.region, "ap-beijing");
        let local = addressing(&flags(Some("http://127.0.0.1:9000"), None, false), "bills").unwrap();
        assert_eq!(
            local,
            Addressing {
                endpoint: Some("http://127.0.0.1:9000".to_owned()),
                region: "us-east-1".to_owned(),
                virtual_hosted: false,
                allow_http: true,
            }
        );
        assert!(addressing(&flags(Some("http://[::1]:9000"), None, false), "bills").unwrap().allow_http);
        assert!(!addressing(&flags(Some("https://minio.example"), None, true), "bills").unwrap().virtual_hosted);
        let aws = addressing(&flags(None, Some("eu-west-1"), false), "bills").unwrap();
        assert_eq!((aws.endpoint, aws.region.as_str(), aws.virtual_hosted), (None, "eu-west-1", true));
    }

    #[test]
    fn plain_http_off_loopback_and_credentials_in_the_url_are_refused() {
        let err = addressing(&flags(Some("http://cos.ap-guangzhou.myqcloud.com"), None, false), "b").unwrap_err();
        assert!(err.contains("only on loopback"), "{err}");
        assert!(addressing(&flags(Some("http://10.0.0.1:9000"), None, false), "b").is_err());
        assert!(addressing(&flags(Some("ftp://127.0.0.1"), None, false), "b").is_err());
        assert!(addressing(&flags(Some("https://h/x?y"), None, false), "b").is_err());
        let err =
            addressing(&flags(Some("https://AKID:hunter2-secret@cos.ap-guangzhou.myqcloud.com"), None, false), "b")
                .unwrap_err();
        assert!(!err.contains("hunter2") && !err.contains("AKID"), "{err}");
    }

    #[test]
    fn credentials_come_from_the_aws_variables_and_debug_hides_secrets() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
        };
        let c = Credentials::from_vars(vars(&[
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "s3cr3t-value"),
            ("AWS_SESSION_TOKEN", "t0ken-value"),
        ]))
        .unwrap();
        assert_eq!(c.token.as_deref(), Some("t0ken-value"));
        let debug = format!("{c:?}");
        assert!(debug.contains("AKIDEXAMPLE") && !debug.contains("s3cr3t") && !debug.contains("t0ken"), "{debug}");
        assert!(
            Credentials::from_vars(vars(&[("AWS_ACCESS_KEY_ID", "A")])).unwrap_err().contains("AWS_SECRET_ACCESS_KEY")
        );
        assert!(Credentials::from_vars(vars(&[])).unwrap_err().contains("AWS_ACCESS_KEY_ID"));
    }
}
