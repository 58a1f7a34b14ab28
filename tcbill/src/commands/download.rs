//! `tcbill download`: a month's bill file, waiting while Tencent generates it.

use std::path::Path;
use std::time::Duration;

use clap::ValueEnum;
use tencentcloud_billing::BillingClient;
use tencentcloud_billing::datetime::YearMonth;
use tencentcloud_billing::files::Progress;
use tencentcloud_billing::types::BillFileType;
use tencentcloud_billing::wait::Waiter;

use crate::error::BoxError;
use crate::exit::EXIT_INTERRUPTED;
use crate::interrupt::Interrupt;

/// The bill files of `download`, by level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileKind {
    /// `billOverview`: the L0 overview, a PDF.
    #[value(name = "L0", alias = "l0")]
    L0,
    /// `billSummary`: the L1 summary.
    #[value(name = "L1", alias = "l1")]
    L1,
    /// `billResource`: the L2 bill per resource.
    #[value(name = "L2", alias = "l2")]
    L2,
    /// `billDetail`: the L3 detailed bill.
    #[value(name = "L3", alias = "l3")]
    L3,
    /// `billPack`: the bill package.
    #[value(name = "pack")]
    Pack,
}

impl FileKind {
    /// The `FileType` the API takes for this level.
    pub fn file_type(self) -> BillFileType {
        match self {
            FileKind::L0 => BillFileType::BillOverview,
            FileKind::L1 => BillFileType::BillSummary,
            FileKind::L2 => BillFileType::BillResource,
            FileKind::L3 => BillFileType::BillDetail,
            FileKind::Pack => BillFileType::BillPack,
        }
    }
}

/// How long a download may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long to wait for the file to be generated.
    pub wait: Duration,
    /// The whole job's deadline, if any.
    pub deadline: Option<Duration>,
    /// The rate floor, in bytes per second.
    pub min_rate: u64,
}

/// Download a bill file into `dir`, reporting progress on stderr: the polls while it is not ready,
/// then the bytes (every 10% when the size is known, every 16 MiB otherwise).
pub async fn run(
    client: &BillingClient,
    month: YearMonth,
    kind: FileKind,
    dir: &Path,
    limits: Limits,
    interrupt: Interrupt,
) -> Result<u8, BoxError> {
    if !dir.is_dir() {
        return Err(format!("--out {} is not a directory", dir.display()).into());
    }
    let file_type = kind.file_type();
    eprintln!("tcbill: asking for the {file_type} file of {month}");
    let shown = std::sync::atomic::AtomicU64::new(0);
    let mut download =
        client.download_bill(file_type, month, dir).wait(Waiter::new(limits.wait)).min_rate(limits.min_rate);
    if let Some(deadline) = limits.deadline {
        download = download.deadline(deadline);
    }
    let download = download
        .on_progress(move |p| match p {
            Progress::NotReady { polls } => eprintln!("tcbill: not ready yet ({polls} polls); waiting"),
            Progress::Started { total: Some(t) } => eprintln!("tcbill: downloading {t} bytes"),
            Progress::Started { total: None } => eprintln!("tcbill: downloading (size not announced)"),
            Progress::Written { bytes, total } => {
                let step = match total {
                    Some(t) => (t / 10).max(1),
                    None => 16 << 20,
                };
                let last = shown.load(std::sync::atomic::Ordering::Relaxed);
                if bytes / step > last / step {
                    shown.store(bytes, std::sync::atomic::Ordering::Relaxed);
                    match total {
                        Some(t) => eprintln!("tcbill: {bytes}/{t} bytes ({}%)", bytes.saturating_mul(100) / t.max(1)),
                        None => eprintln!("tcbill: {bytes} bytes"),
                    }
                }
            }
            _ => {}
        })
        .send();
    // Dropping the download on a signal drops its part file's guard, which removes the part:
    // nothing is left under the final name or beside it.
    let file = tokio::select! {
        file = download => file?,
        () = interrupt => {
            eprintln!("tcbill: interrupted; no file was written");
            return Ok(EXIT_INTERRUPTED);
        }
    };
    eprintln!("tcbill: wrote {} bytes to {}", file.bytes, file.path.display());
    Ok(0)
}
