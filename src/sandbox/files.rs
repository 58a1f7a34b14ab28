//! Bill files in the sandbox: `DescribeBillDownloadUrl` and the GET route its links point at.

use std::sync::atomic::Ordering;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::{Response, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::demo::Demo;
use super::{Answer, SandboxError, State, err};
use crate::datetime::YearMonth;

/// The path prefix of the file route.
pub(super) const PREFIX: &str = "/files/";

/// The file types the action documents.
const FILE_TYPES: [&str; 5] = ["billOverview", "billSummary", "billResource", "billDetail", "billPack"];

/// The bytes the sandbox serves for a bill file: a CSV of the default [`Demo`]'s complete `month`
/// (3,000 rows), one line per row, tagged with `file_type`. `None` for a type the action does not
/// document (`billOverview`, `billSummary`, `billResource`, `billDetail`, `billPack`).
pub fn bill_file(file_type: &str, month: YearMonth) -> Option<Vec<u8>> {
    FILE_TYPES.contains(&file_type).then(|| Demo::new().bill_file_csv(file_type, month))
}

/// `DescribeBillDownloadUrl`: not ready while the countdown lasts, then a link to the file route.
pub(super) fn describe(state: &State, request: &Value) -> Result<Value, SandboxError> {
    let file_type = request.get("FileType").and_then(Value::as_str).unwrap_or("");
    if !FILE_TYPES.contains(&file_type) {
        return Err(err("InvalidParameterValue", &format!("FileType {file_type:?} is not a bill file type")));
    }
    let month: YearMonth = request
        .get("Month")
        .and_then(Value::as_str)
        .and_then(|m| m.parse().ok())
        .ok_or_else(|| err("InvalidParameterValue", "Month must be YYYY-MM"))?;
    let not_ready =
        state.files_not_ready.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1)).is_ok();
    if not_ready {
        return Ok(json!({ "Ready": 0, "DownloadUrl": "" }));
    }
    // A signature-like query, as on a presigned link; the route does not check it.
    let now = state.now_unix();
    let sign = hex::encode(&Sha256::digest(format!("{file_type}/{month}/{now}").as_bytes())[..16]);
    let url = format!("http://{}{PREFIX}{month}/{file_type}.csv?sign={sign}&t={now}", state.addr);
    Ok(json!({ "Ready": 1, "DownloadUrl": url }))
}

/// The file route: `/files/<YYYY-MM>/<type>.csv`, no signature needed.
pub(super) fn serve(path: &str) -> Answer {
    let file = path
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split_once('/'))
        .and_then(|(month, name)| Some((month.parse::<YearMonth>().ok()?, name.strip_suffix(".csv")?)))
        .and_then(|(month, file_type)| bill_file(file_type, month));
    let (status, body) = match file {
        Some(bytes) => (StatusCode::OK, bytes),
        None => (StatusCode::NOT_FOUND, b"no such bill file".to_vec()),
    };
    Response::builder()
        .status(status)
        .header("content-type", "text/csv")
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}
