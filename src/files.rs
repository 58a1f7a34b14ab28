//! Bill files: ask for a month's file, wait until Tencent has generated it, and stream it to disk.
//!
//! Accounts with more than about 200,000 bill rows a month are better served by the files than by
//! paging `DescribeBillDetail`. [`BillingClient::download_bill`] does the whole job:
//!
//! 1. `DescribeBillDownloadUrl` through the client (quota, retries and signing apply), repeated on
//!    a [`Waiter`] schedule while the answer says `Ready: 0`;
//! 2. a GET of the presigned link with a client of its own: no credentials, no signature, no
//!    `X-TC-*` header reaches the file host, redirects are refused, and plain http is refused
//!    outside loopback. The client's proxy setting (the environment's by default) and extra root
//!    certificates apply to this request too;
//! 3. the body streamed into a temporary file in the target directory, a chunk at a time (memory
//!    stays bounded whatever the file's size), under a size cap, a stall timeout and a rate floor
//!    (a host that trickles bytes is stopped like a silent one), checked against
//!    `Content-Length`, and renamed to its final name only when complete. A failed download
//!    leaves nothing under the final name.
//!
//! Every download ends: a silent host after the stall timeout, a slow one after a stall window
//! below the floor, and the whole job, when [`BillDownload::deadline`] is set, at that deadline.
//!
//! The link's query string is its signature: errors and logs show the link without it.
//!
//! ```no_run
//! use tencentcloud_billing::types::BillFileType;
//! # async fn run(client: tencentcloud_billing::BillingClient) -> Result<(), Box<dyn std::error::Error>> {
//! let file = client
//!     .download_bill(BillFileType::BillDetail, "2026-10".parse()?, "/var/bills")
//!     .send()
//!     .await?;
//! println!("{} bytes in {}", file.bytes, file.path.display());
//! # Ok(()) }
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use crate::client::BillingClient;
use crate::datetime::YearMonth;
use crate::error::{BoxError, DownloadError, DownloadErrorKind, Error, Result};
use crate::generated::actions::DescribeBillDownloadUrlRequest;
use crate::generated::enums::BillFileType;
use crate::wait::Waiter;

/// The default size cap: 4 GiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 4 << 30;
/// The default stall timeout: this long without a byte ends the download.
pub const DEFAULT_STALL_TIMEOUT: Duration = Duration::from_secs(60);
/// The default rate floor, in bytes per second averaged over a stall window: 1 KiB/s. A host
/// that sends less (a byte a second would take years over a 4 GiB file) counts as stalled.
pub const DEFAULT_MIN_RATE: u64 = 1024;

/// What a download reports while it runs, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// `DescribeBillDownloadUrl` answered `Ready: 0` this many times so far.
    NotReady {
        /// The polls answered "not ready".
        polls: u32,
    },
    /// The file host answered; the download starts.
    Started {
        /// The announced size, when the host sent `Content-Length`.
        total: Option<u64>,
    },
    /// Bytes written so far.
    Written {
        /// Bytes written to the temporary file.
        bytes: u64,
        /// The announced size, when known.
        total: Option<u64>,
    },
}

type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// A finished download.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DownloadedFile {
    /// Where the file is.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// The RequestId of the `DescribeBillDownloadUrl` answer that gave the link.
    pub request_id: String,
}

/// A bill-file download being configured; [`BillDownload::send`] runs it.
#[must_use = "a download does nothing until `.send()` is awaited"]
pub struct BillDownload {
    client: BillingClient,
    request: DescribeBillDownloadUrlRequest,
    dir: PathBuf,
    file_name: Option<String>,
    waiter: Waiter,
    max_bytes: u64,
    stall: Duration,
    min_rate: u64,
    deadline: Option<Duration>,
    progress: Option<ProgressFn>,
}

impl fmt::Debug for BillDownload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BillDownload")
            .field("request", &self.request)
            .field("dir", &self.dir)
            .field("file_name", &self.file_name)
            .field("waiter", &self.waiter)
            .field("max_bytes", &self.max_bytes)
            .field("stall", &self.stall)
            .field("min_rate", &self.min_rate)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

impl BillingClient {
    /// Download the bill file of `file_type` for `month` into the directory `dir`; see the
    /// [`files`](crate::files) module. Set options on the returned builder, then `.send().await`.
    pub fn download_bill(
        &self,
        file_type: impl Into<BillFileType>,
        month: YearMonth,
        dir: impl Into<PathBuf>,
    ) -> BillDownload {
        BillDownload {
            client: self.clone(),
            request: DescribeBillDownloadUrlRequest::new().file_type(file_type).month(month),
            dir: dir.into(),
            file_name: None,
            waiter: Waiter::default(),
            max_bytes: DEFAULT_MAX_FILE_BYTES,
            stall: DEFAULT_STALL_TIMEOUT,
            min_rate: DEFAULT_MIN_RATE,
            deadline: None,
            progress: None,
        }
    }
}

impl BillDownload {
    /// Download the bills of these member accounts (an organization's admin only).
    pub fn child_uin(mut self, uins: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.request = self.request.child_uin(uins);
        self
    }

    /// The file's name in the directory. Default: `<FileType>-<YYYY-MM>` with the extension of
    /// the link's path (`billDetail-2026-10.csv`). A name with a path separator, or `.`/`..`, is
    /// refused when sent. A file already there under that name is replaced, only once the new
    /// one is complete.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// How to wait while the file is not ready. Default: [`Waiter::default`] (ten minutes).
    pub fn wait(mut self, waiter: Waiter) -> Self {
        self.waiter = waiter;
        self
    }

    /// The largest file accepted, in bytes. Default: [`DEFAULT_MAX_FILE_BYTES`].
    pub fn max_bytes(mut self, bytes: u64) -> Self {
        self.max_bytes = bytes;
        self
    }

    /// End the download when the file host is silent for this long: no answer to the request, or
    /// no byte of the body. Default: [`DEFAULT_STALL_TIMEOUT`].
    pub fn stall_timeout(mut self, timeout: Duration) -> Self {
        self.stall = timeout;
        self
    }

    /// The rate floor, in bytes per second averaged over each stall window: a window that
    /// brings fewer bytes ends the download with [`DownloadErrorKind::TooSlow`]. `0` leaves only
    /// the stall timeout. Default: [`DEFAULT_MIN_RATE`].
    pub fn min_rate(mut self, bytes_per_second: u64) -> Self {
        self.min_rate = bytes_per_second;
        self
    }

    /// End the whole job, waiting for the file included, after `deadline`, with
    /// [`DownloadErrorKind::Deadline`]; nothing is left under the final name. Default: none (the
    /// waiter's deadline, the stall timeout and the rate floor still bound each phase).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Call `f` as the download goes (polls, start, bytes written).
    pub fn on_progress(mut self, f: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// Ask for the link, wait until the file is ready, and download it.
    ///
    /// # Errors
    /// The errors of `DescribeBillDownloadUrl`; [`Error::Timeout`] of kind
    /// [`crate::TimeoutKind::Wait`] when the file is still not ready at the waiter's deadline;
    /// [`Error::Download`] when the download itself fails or passes its deadline (nothing is left
    /// under the final name); [`Error::InvalidRequest`] for a bad file name, or a zero stall
    /// timeout or deadline.
    pub async fn send(self) -> Result<DownloadedFile> {
        if self.stall.is_zero() {
            return Err(Error::invalid_request(ACTION, "a zero stall timeout would fail every download"));
        }
        if self.deadline.is_some_and(|d| d.is_zero()) {
            return Err(Error::invalid_request(ACTION, "a zero deadline would fail every download"));
        }
        let Some(deadline) = self.deadline else {
            return self.run(&std::sync::OnceLock::new()).await;
        };
        // Dropping the job at the deadline drops its part file's guard, which removes the file.
        let shown = std::sync::OnceLock::new();
        match tokio::time::timeout(deadline, self.run(&shown)).await {
            Ok(result) => result,
            Err(_) => Err(download_error(
                shown.get().map_or("(no link yet)", String::as_str),
                DownloadErrorKind::Deadline { after: deadline },
                None,
            )),
        }
    }

    /// The job, without its deadline; `shown` receives the redacted link once it is known.
    async fn run(self, shown_link: &std::sync::OnceLock<String>) -> Result<DownloadedFile> {
        if let Some(name) = &self.file_name {
            check_file_name(name).map_err(|m| Error::invalid_request(ACTION, m))?;
        }
        let polls = AtomicU64::new(0);
        let progress = self.progress.clone();
        let answer = self
            .waiter
            .until(
                ACTION,
                || {
                    let n = polls.fetch_add(1, Ordering::Relaxed);
                    if n > 0
                        && let Some(p) = &progress
                    {
                        p(Progress::NotReady { polls: u32::try_from(n).unwrap_or(u32::MAX) });
                    }
                    self.client.describe_bill_download_url().with_request(self.request.clone()).send()
                },
                |r| r.ready == Some(1),
            )
            .await?;
        let link = answer.download_url.as_deref().filter(|u| !u.trim().is_empty());
        let Some(link) = link else {
            return Err(download_error("(none)", DownloadErrorKind::NoUrl, None));
        };
        let shown = crate::redact::url(link);
        let _ = shown_link.set(shown.clone());
        let url = url::Url::parse(link).map_err(|_| download_error(&shown, DownloadErrorKind::BadUrl, None))?;
        crate::transport::check_scheme(&url, false, "the bill file link")
            .map_err(|e| download_error(&shown, DownloadErrorKind::BadUrl, Some(Box::new(e))))?;
        let name = match &self.file_name {
            Some(n) => n.clone(),
            None => default_name(&self.request, &url),
        };
        let fetch = Fetch {
            url,
            shown,
            dir: &self.dir,
            name: &name,
            max_bytes: self.max_bytes,
            stall: self.stall,
            min_rate: self.min_rate,
            connect_timeout: self.client.inner.settings.connect_timeout,
            network: self.client.inner.settings.network.clone(),
            progress: self.progress.as_deref(),
        };
        let bytes = fetch.run().await?;
        Ok(DownloadedFile { path: self.dir.join(&name), bytes, request_id: answer.request_id })
    }
}

const ACTION: &str = "DescribeBillDownloadUrl";

fn download_error(shown: &str, kind: DownloadErrorKind, source: Option<BoxError>) -> Error {
    Error::Download(Box::new(DownloadError { url: shown.to_owned(), kind, source }))
}

/// A file name that stays inside the directory.
fn check_file_name(name: &str) -> std::result::Result<(), String> {
    if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\', '\0']) {
        return Err(format!("{name:?} is not a plain file name"));
    }
    Ok(())
}

/// `<FileType>-<YYYY-MM>`, plus the link's extension when it is a short alphanumeric one.
fn default_name(request: &DescribeBillDownloadUrlRequest, url: &url::Url) -> String {
    let kind = request.file_type.as_ref().map_or("bill", |t| t.as_str());
    let month = request.month.map(|m| m.to_string()).unwrap_or_default();
    let last = url.path_segments().and_then(|mut s| s.next_back()).unwrap_or("");
    let ext = last
        .rsplit_once('.')
        .map(|(_, e)| e)
        .filter(|e| !e.is_empty() && e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()));
    match ext {
        Some(e) => format!("{kind}-{month}.{}", e.to_ascii_lowercase()),
        None => format!("{kind}-{month}"),
    }
}

/// Removes the temporary file unless the download was kept.
struct PartFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for PartFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

struct Fetch<'a> {
    url: url::Url,
    shown: String,
    dir: &'a Path,
    name: &'a str,
    max_bytes: u64,
    stall: Duration,
    min_rate: u64,
    connect_timeout: Duration,
    network: crate::transport::Network,
    progress: Option<&'a (dyn Fn(Progress) + Send + Sync)>,
}

impl Fetch<'_> {
    fn fail(&self, kind: DownloadErrorKind) -> Error {
        download_error(&self.shown, kind, None)
    }

    fn fail_with(&self, kind: DownloadErrorKind, source: impl Into<BoxError>) -> Error {
        download_error(&self.shown, kind, Some(source.into()))
    }

    fn report(&self, p: Progress) {
        if let Some(f) = self.progress {
            f(p);
        }
    }

    async fn run(&self) -> Result<u64> {
        // A client of its own: the billing client's default headers and hooks never apply, and
        // nothing here signs. Redirects are not followed (`crate::transport`). The billing client's
        // proxy and roots do apply: where the API is reached only through an egress proxy, so is
        // the file host.
        let http =
            crate::transport::Http::new(self.connect_timeout, &self.network, "the HTTP client for file downloads")?;
        let target = crate::transport::Target::new(&self.url).ok_or_else(|| self.fail(DownloadErrorKind::BadUrl))?;
        let sent = tokio::time::timeout(self.stall, http.send(crate::transport::Http::get(&target))).await;
        let mut resp = match sent {
            Err(_) => return Err(self.fail(DownloadErrorKind::Stalled { after: self.stall })),
            // The transport's errors never carry the URL, whose query is the link's signature.
            Ok(Err(e)) => return Err(self.fail_with(DownloadErrorKind::Transport, e)),
            Ok(Ok(r)) => r,
        };
        let status = resp.status();
        if let Some(r) = crate::transport::redirect_of(&resp, &self.url) {
            return Err(self.fail(DownloadErrorKind::Redirect { status: r.status, location_host: r.location_host }));
        }
        if !status.is_success() {
            return Err(self.fail(DownloadErrorKind::Status(status.as_u16())));
        }
        // A body that only the connection's end ends cannot prove it is whole: refused before
        // anything is written, whatever it holds.
        if !crate::transport::delimits_its_body(&resp) {
            return Err(self.fail(DownloadErrorKind::Unframed));
        }
        let total = crate::transport::content_length(&resp);
        if total.is_some_and(|t| t > self.max_bytes) {
            return Err(self.fail(DownloadErrorKind::TooLarge { limit: self.max_bytes }));
        }
        self.report(Progress::Started { total });
        let (dir, name) = (self.dir.to_owned(), self.name.to_owned());
        let _ = tokio::task::spawn_blocking(move || remove_stale_parts(&dir, &name)).await;
        let part = PartFile { path: self.dir.join(part_name(self.name)), keep: false };
        let mut file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&part.path)
            .await
            .map_err(|e| self.fail_with(DownloadErrorKind::Io, e))?;
        let mut written = 0u64;
        let mut pace = Pace::new(tokio::time::Instant::now(), self.stall, self.min_rate);
        loop {
            // `chunk()` is cancel-safe: a timeout between checks loses no byte.
            let chunk = match tokio::time::timeout_at(pace.due(), crate::transport::next_chunk(&mut resp)).await {
                Err(_) => {
                    pace.check(tokio::time::Instant::now()).map_err(|kind| self.fail(kind))?;
                    continue;
                }
                Ok(Ok(Some(c))) => c,
                Ok(Ok(None)) => break,
                // A body cut short of its Content-Length surfaces here as a read error.
                Ok(Err(e)) => {
                    return Err(match total {
                        Some(expected) if written < expected => {
                            self.fail_with(DownloadErrorKind::Truncated { expected, received: written }, e)
                        }
                        _ => self.fail_with(DownloadErrorKind::Transport, e),
                    });
                }
            };
            let len = chunk.len() as u64;
            if written.saturating_add(len) > self.max_bytes {
                return Err(self.fail(DownloadErrorKind::TooLarge { limit: self.max_bytes }));
            }
            file.write_all(&chunk).await.map_err(|e| self.fail_with(DownloadErrorKind::Io, e))?;
            written += len;
            self.report(Progress::Written { bytes: written, total });
            let now = tokio::time::Instant::now();
            pace.record(now, len);
            pace.check(now).map_err(|kind| self.fail(kind))?;
        }
        if let Some(expected) = total
            && expected != written
        {
            return Err(self.fail(DownloadErrorKind::Truncated { expected, received: written }));
        }
        file.flush().await.map_err(|e| self.fail_with(DownloadErrorKind::Io, e))?;
        file.sync_all().await.map_err(|e| self.fail_with(DownloadErrorKind::Io, e))?;
        drop(file);
        tokio::fs::rename(&part.path, self.dir.join(self.name))
            .await
            .map_err(|e| self.fail_with(DownloadErrorKind::Io, e))?;
        let mut part = part;
        part.keep = true;
        tracing::debug!(url = %self.shown, bytes = written, "bill file downloaded");
        Ok(written)
    }
}

/// The two rules that end a download that has not ended by itself, as a pure function of time:
/// no byte for a whole window (`Stalled`), or a window that ended with fewer bytes than the floor
/// (`TooSlow`). Windows follow each other from the start of the body.
#[derive(Debug, Clone)]
struct Pace {
    window: Duration,
    min_rate: u64,
    /// The bytes a window must bring (at least one).
    floor: u64,
    window_start: tokio::time::Instant,
    in_window: u64,
    last_byte: tokio::time::Instant,
}

impl Pace {
    fn new(now: tokio::time::Instant, window: Duration, min_rate: u64) -> Pace {
        let floor =
            u64::try_from(u128::from(min_rate).saturating_mul(window.as_millis()) / 1_000).unwrap_or(u64::MAX).max(1);
        Pace { window, min_rate, floor, window_start: now, in_window: 0, last_byte: now }
    }

    /// `n` bytes arrived at `now`.
    fn record(&mut self, now: tokio::time::Instant, n: u64) {
        self.in_window = self.in_window.saturating_add(n);
        if n > 0 {
            self.last_byte = now;
        }
    }

    /// When a rule next needs checking: a window after the last byte, or the current window's end.
    fn due(&self) -> tokio::time::Instant {
        later(self.last_byte, self.window).min(later(self.window_start, self.window))
    }

    /// Whether the download may go on at `now`; a window that ended at or before `now` is judged
    /// and the next one begins.
    fn check(&mut self, now: tokio::time::Instant) -> std::result::Result<(), DownloadErrorKind> {
        if now >= later(self.last_byte, self.window) {
            return Err(DownloadErrorKind::Stalled { after: self.window });
        }
        if now >= later(self.window_start, self.window) {
            if self.in_window < self.floor {
                return Err(DownloadErrorKind::TooSlow {
                    received: self.in_window,
                    window: self.window,
                    min_rate: self.min_rate,
                });
            }
            self.window_start = now;
            self.in_window = 0;
        }
        Ok(())
    }
}

/// `t + d`, or a time decades away where that would overflow (a stall timeout of
/// `Duration::MAX` means "never", not a panic).
fn later(t: tokio::time::Instant, d: Duration) -> tokio::time::Instant {
    t.checked_add(d).unwrap_or_else(|| t + Duration::from_secs(86_400 * 365 * 30))
}

/// Remove the part files that earlier runs left for the final name `name` in `dir` when their
/// process is gone (killed before its guard could run): nothing reuses them, so they would only
/// pile up. A part file of a process still running (another download of the same file) is left
/// alone; where liveness cannot be told (outside Linux), every other process's part is.
fn remove_stale_parts(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(rest) = file.to_str().and_then(|f| f.strip_prefix(&prefix)).and_then(|r| r.strip_suffix(".part"))
        else {
            continue;
        };
        let Some((pid, n)) = rest.split_once('-') else { continue };
        let (Ok(pid), Ok(_)) = (pid.parse::<u32>(), n.parse::<u64>()) else { continue };
        if pid != std::process::id() && !process_alive(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether process `pid` still runs.
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") { Path::new("/proc").join(pid.to_string()).exists() } else { true }
}

/// A temporary name next to the final one, unique to this process and download.
fn part_name(name: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(".{name}.{}-{}.part", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn stale_part_files_of_dead_processes_are_removed() {
        let dir = std::env::temp_dir().join(format!("tcb-stale-parts-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // pid 0 never names a user process, so its part is stale; the parent of this test runs.
        let parent = std::os::unix::process::parent_id();
        let names = [
            ".billDetail-2026-10.csv.0-3.part".to_owned(),
            format!(".billDetail-2026-10.csv.{parent}-0.part"),
            format!(".billDetail-2026-10.csv.{}-7.part", std::process::id()),
            ".billSummary-2026-10.csv.0-0.part".to_owned(),
            ".billDetail-2026-10.csv.x-0.part".to_owned(),
            "billDetail-2026-10.csv".to_owned(),
        ];
        for n in &names {
            std::fs::write(dir.join(n), b"x").unwrap();
        }
        remove_stale_parts(&dir, "billDetail-2026-10.csv");
        let mut left: Vec<String> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        let mut expected: Vec<String> = names[1..].to_vec();
        expected.sort();
        assert_eq!(left, expected, "only the dead process's part of this file went");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The pace rules with injected time: no clock, no sleeping.
    #[test]
    fn pace_stops_silent_and_trickling_hosts_and_lets_steady_ones_through() {
        let t0 = tokio::time::Instant::now();
        let s = Duration::from_secs;
        let window = s(60);
        // A byte a second: 60 bytes in the first window, far below 60 KiB.
        let mut p = Pace::new(t0, window, DEFAULT_MIN_RATE);
        for i in 1..60 {
            p.record(t0 + s(i), 1);
            assert_eq!(p.check(t0 + s(i)), Ok(()), "second {i}");
        }
        p.record(t0 + s(60), 1);
        assert_eq!(
            p.check(t0 + s(60)),
            Err(DownloadErrorKind::TooSlow { received: 60, window, min_rate: 1024 }),
            "judged when the first window ends"
        );
        // Silence: due a window after the last byte, and judged as a stall then.
        let mut p = Pace::new(t0, window, DEFAULT_MIN_RATE);
        p.record(t0 + s(10), 100_000);
        assert_eq!(p.due(), t0 + s(60), "the window's end comes first");
        assert_eq!(p.check(t0 + s(60)), Ok(()), "100 kB in the first window is enough");
        assert_eq!(p.due(), t0 + s(70), "then a window after the last byte");
        assert_eq!(p.check(t0 + s(70)), Err(DownloadErrorKind::Stalled { after: window }));
        // Steady at the floor exactly: never stopped.
        let mut p = Pace::new(t0, s(2), 1_000);
        for i in 1..=100u64 {
            p.record(t0 + Duration::from_millis(100 * i), 100);
            assert_eq!(p.check(t0 + Duration::from_millis(100 * i)), Ok(()), "tick {i}");
        }
        // Floor off: any byte in a window will do, silence still stalls.
        let mut p = Pace::new(t0, s(1), 0);
        p.record(t0 + Duration::from_millis(900), 1);
        assert_eq!(p.check(t0 + s(1)), Ok(()));
        assert_eq!(p.check(t0 + Duration::from_millis(1_900)), Err(DownloadErrorKind::Stalled { after: s(1) }));
        // A huge rate cannot overflow the floor, nor an endless window the clock.
        let mut p = Pace::new(t0, Duration::MAX, u64::MAX);
        assert_eq!(p.floor, u64::MAX);
        assert!(p.due() > t0 + s(86_400 * 365));
        assert_eq!(p.check(t0 + s(86_400)), Ok(()));
    }

    #[test]
    fn names() {
        let r =
            DescribeBillDownloadUrlRequest::new().file_type(BillFileType::BillDetail).month("2026-10".parse().unwrap());
        let u = |s: &str| url::Url::parse(s).unwrap();
        assert_eq!(default_name(&r, &u("https://cos.example/a/b/x.CSV?sign=1")), "billDetail-2026-10.csv");
        assert_eq!(default_name(&r, &u("https://cos.example/a/b/x.tar.gz")), "billDetail-2026-10.gz");
        assert_eq!(default_name(&r, &u("https://cos.example/a/b/x")), "billDetail-2026-10");
        assert_eq!(default_name(&r, &u("https://cos.example/a/b/x.<script>")), "billDetail-2026-10");
        for bad in ["", ".", "..", "a/b", "..\\x", "a\0"] {
            assert!(check_file_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_file_name("bill.csv").is_ok());
    }
}
