//! The demo's answers to `DescribeBillDetail` and the bill and cost summaries, computed from the
//! generated rows, and the parsing of the request fields they read.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::catalog::TAG_KEYS;
use super::rows::{Row, Sums, m8};
use super::{Demo, MAX_BILL_PAGE};
use crate::datetime::YearMonth;
use crate::money::Decimal;
use crate::sandbox::SandboxError;

/// The bill-summary actions the demo answers (one handler, keyed on the action).
pub(super) const BILL_SUMMARIES: &[&str] = &[
    "DescribeBillSummaryByProduct",
    "DescribeBillSummaryByRegion",
    "DescribeBillSummaryByProject",
    "DescribeBillSummaryByPayMode",
    "DescribeBillSummaryByTag",
    "DescribeCostSummaryByTag",
];

/// The cost-summary actions the demo answers, paged.
pub(super) const COST_SUMMARIES: &[&str] =
    &["DescribeCostSummaryByProduct", "DescribeCostSummaryByRegion", "DescribeCostSummaryByProject"];

// ---------------------------------------------------------------------------------------------
// Request parsing.

pub(super) fn bad(code: &str, message: impl Into<String>) -> SandboxError {
    SandboxError::new(code, message)
}

pub(super) fn int_field(body: &Value, name: &str) -> Result<Option<i64>, SandboxError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            n.as_i64().map(Some).ok_or_else(|| bad("InvalidParameterValue", format!("{name} must be an integer")))
        }
        Some(Value::String(s)) => {
            s.trim().parse().map(Some).map_err(|_| bad("InvalidParameterValue", format!("{name} must be an integer")))
        }
        Some(_) => Err(bad("InvalidParameterValue", format!("{name} must be an integer"))),
    }
}

pub(super) fn str_field<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body.get(name).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn month_field(body: &Value, name: &str) -> Result<Option<YearMonth>, SandboxError> {
    str_field(body, name)
        .map(|s| {
            s.parse::<YearMonth>().map_err(|_| bad("InvalidParameterValue", format!("{name} {s:?} is not a month")))
        })
        .transpose()
}

/// `BeginTime`..=`EndTime` as months, both required, at most 12 apart.
fn month_range(body: &Value) -> Result<Vec<YearMonth>, SandboxError> {
    let begin = month_field(body, "BeginTime")?.ok_or_else(|| bad("MissingParameter", "BeginTime is required"))?;
    let end = month_field(body, "EndTime")?.ok_or_else(|| bad("MissingParameter", "EndTime is required"))?;
    if end < begin {
        return Err(bad("InvalidParameterValue", "EndTime is before BeginTime"));
    }
    let mut months = vec![begin];
    while *months.last().unwrap_or(&begin) < end {
        let next = months[months.len() - 1].next().ok_or_else(|| bad("InvalidParameterValue", "month out of range"))?;
        months.push(next);
        if months.len() > 12 {
            return Err(bad("InvalidParameterValue", "the range spans more than 12 months"));
        }
    }
    Ok(months)
}

/// The filters of `DescribeBillDetail`.
#[derive(Debug, Default, PartialEq, Eq, Hash)]
pub(super) struct DetailFilter {
    pay_mode: Option<String>,
    resource_id: Option<String>,
    action_type: Option<String>,
    project_id: Option<i64>,
    business_code: Option<String>,
}

impl DetailFilter {
    pub(super) fn parse(body: &Value) -> Result<Self, SandboxError> {
        let pay_mode = str_field(body, "PayMode").map(str::to_owned);
        if let Some(p) = &pay_mode
            && p != "prePay"
            && p != "postPay"
        {
            return Err(bad("InvalidParameterValue", format!("PayMode {p:?} is not prePay or postPay")));
        }
        Ok(DetailFilter {
            pay_mode,
            resource_id: str_field(body, "ResourceId").map(str::to_owned),
            action_type: str_field(body, "ActionType").map(str::to_owned),
            project_id: int_field(body, "ProjectId")?,
            business_code: str_field(body, "BusinessCode").map(str::to_owned),
        })
    }

    pub(super) fn is_empty(&self) -> bool {
        *self == DetailFilter::default()
    }

    pub(super) fn matches(&self, r: &Row) -> bool {
        self.pay_mode.as_deref().is_none_or(|p| p == r.pay_mode.code())
            && self.resource_id.as_deref().is_none_or(|x| x == r.resource_id)
            && self.action_type.as_deref().is_none_or(|x| x == r.action.0)
            && self.project_id.is_none_or(|x| x == r.project.0)
            && self.business_code.as_deref().is_none_or(|x| x == r.product.business)
    }

    pub(super) fn fingerprint(&self) -> u64 {
        let text = format!("{self:?}");
        text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
    }
}

pub(super) fn detail_month(body: &Value) -> Result<YearMonth, SandboxError> {
    if let Some(m) = month_field(body, "Month")? {
        return Ok(m);
    }
    let begin = str_field(body, "BeginTime");
    let end = str_field(body, "EndTime");
    match (begin, end) {
        (Some(b), Some(e)) => {
            let (b, e) = (
                b.parse::<YearMonth>().map_err(|_| bad("InvalidParameterValue", "BeginTime is not a datetime"))?,
                e.parse::<YearMonth>().map_err(|_| bad("InvalidParameterValue", "EndTime is not a datetime"))?,
            );
            if b != e {
                return Err(bad("InvalidParameterValue", "BeginTime and EndTime must be in the same month"));
            }
            Ok(b)
        }
        _ => Err(bad("MissingParameter", "Month, or BeginTime and EndTime, is required")),
    }
}

/// The paging part of a bill-detail query (`DescribeBillDetail` and its organization twin):
/// `Offset`/`Limit` (1 to `max`), the month, the filters, and a `Context` from an earlier page
/// checked against them. `scope` tells the two actions' contexts apart.
pub(super) struct DetailQuery {
    pub(super) offset: u64,
    pub(super) limit: u64,
    pub(super) month: YearMonth,
    pub(super) filter: DetailFilter,
}

impl DetailQuery {
    pub(super) fn parse(body: &Value, max: u64, scope: &str) -> Result<DetailQuery, SandboxError> {
        let offset = int_field(body, "Offset")?.ok_or_else(|| bad("MissingParameter", "Offset is required"))?;
        let limit = int_field(body, "Limit")?.ok_or_else(|| bad("MissingParameter", "Limit is required"))?;
        if offset < 0 {
            return Err(bad("InvalidParameterValue", "Offset must not be negative"));
        }
        if !(1..=max as i64).contains(&limit) {
            return Err(bad("InvalidParameterValue", format!("Limit must be 1 to {max}")));
        }
        let month = detail_month(body)?;
        let filter = DetailFilter::parse(body)?;
        if let Some(ctx) = str_field(body, "Context") {
            let fp = filter.fingerprint();
            let ok = ctx
                .strip_prefix(scope)
                .and_then(|rest| rest.strip_prefix(':'))
                .and_then(|rest| rest.split_once(':'))
                .is_some_and(|(m, f)| m == month.to_string() && u64::from_str_radix(f, 16).ok() == Some(fp));
            if !ok {
                return Err(bad("InvalidParameterValue", "Context does not belong to this query"));
            }
        }
        Ok(DetailQuery { offset: offset as u64, limit: limit as u64, month, filter })
    }
}

/// The `Context` a page of `scope`'s query for `month` and `filter` carries.
fn context(scope: &str, month: YearMonth, filter: &DetailFilter) -> String {
    format!("{scope}:{month}:{:x}", filter.fingerprint())
}

/// A bill-detail answer: the page's rows, its `Context`, and `Total` when asked for.
pub(super) fn detail_answer(
    body: &Value,
    rows: Vec<Value>,
    total: u64,
    scope: &str,
    month: YearMonth,
    filter: &DetailFilter,
) -> Result<Value, SandboxError> {
    let mut answer = json!({ "DetailSet": rows, "Context": context(scope, month, filter) });
    if int_field(body, "NeedRecordNum")? == Some(1) {
        answer["Total"] = json!(total);
    }
    Ok(answer)
}

// ---------------------------------------------------------------------------------------------
// Answers.

impl Demo {
    pub(super) fn describe_bill_detail(&self, now: i64, body: &Value) -> Result<Value, SandboxError> {
        let DetailQuery { offset, limit, month, filter } = DetailQuery::parse(body, MAX_BILL_PAGE, "demo")?;
        let (rows, total): (Vec<Value>, u64) = if filter.is_empty() {
            let total = u64::from(self.rows_at(month, now));
            let end = (offset + limit).min(total);
            let rows = (offset.min(total)..end).map(|i| self.bill_detail(month, i as u32)).collect();
            (rows, total)
        } else {
            let mut total = 0;
            let mut rows = Vec::new();
            for r in self.rows(month, now).filter(|r| filter.matches(r)) {
                if total >= offset && total < offset + limit {
                    rows.push(r.to_json(month));
                }
                total += 1;
            }
            (rows, total)
        };
        detail_answer(body, rows, total, "demo", month, &filter)
    }

    /// Sum the rows of `months` by `key`, returning (key, display name, sums), largest first.
    fn group(
        &self,
        months: &[YearMonth],
        now: i64,
        key: impl Fn(&Row) -> Option<(String, String)>,
    ) -> (Vec<(String, String, Sums)>, Sums) {
        let mut groups: BTreeMap<String, (String, Sums)> = BTreeMap::new();
        let mut total = Sums::default();
        for &m in months {
            for r in self.rows(m, now) {
                total.add(&r);
                if let Some((k, name)) = key(&r) {
                    groups.entry(k).or_insert_with(|| (name, Sums::default())).1.add(&r);
                }
            }
        }
        let mut v: Vec<_> = groups.into_iter().map(|(k, (n, s))| (k, n, s)).collect();
        v.sort_by(|a, b| b.2.real.cmp(&a.2.real).then_with(|| a.0.cmp(&b.0)));
        (v, total)
    }

    pub(super) fn bill_summary(&self, action: &str, now: i64, body: &Value) -> Result<Value, SandboxError> {
        let months = month_range(body)?;
        let bill_month = months[0].to_string();
        match action {
            "DescribeBillSummaryByProduct" => {
                let pay_type = str_field(body, "PayType");
                if let Some(p) = pay_type
                    && !matches!(p, "consume" | "refund" | "adjustment")
                {
                    return Err(bad(
                        "InvalidParameterValue",
                        format!("PayType {p:?} is not consume, refund or adjustment"),
                    ));
                }
                // Consumption, refunds (subscription refunds) and adjustments (compensations), or
                // all of them when no PayType is given.
                let (groups, all) = self.group(&months, now, |r| {
                    pay_type
                        .is_none_or(|p| p == r.pay_type())
                        .then(|| (r.product.business.to_owned(), r.product.business_name.to_owned()))
                });
                let total = if pay_type.is_none() {
                    all
                } else {
                    groups.iter().fold(Sums::default(), |mut t, (_, _, s)| {
                        t.absorb(s);
                        t
                    })
                };
                let items: Vec<_> = groups
                    .iter()
                    .map(|(k, n, s)| {
                        let mut v = s.fields(total.real);
                        v["BusinessCode"] = json!(k);
                        v["BusinessCodeName"] = json!(n);
                        v["BillMonth"] = json!(bill_month);
                        v
                    })
                    .collect();
                let mut sum = total.fields(total.real);
                if let Some(o) = sum.as_object_mut() {
                    o.remove("RealTotalCostRatio");
                }
                Ok(json!({ "Ready": 1, "SummaryTotal": sum, "SummaryOverview": items }))
            }
            "DescribeBillSummaryByRegion" => {
                let (groups, total) =
                    self.group(&months, now, |r| Some((r.region.0.to_owned(), r.region.1.to_owned())));
                Ok(json!({ "Ready": 1, "SummaryOverview": groups.iter().map(|(k, n, s)| {
                    let mut v = s.fields(total.real);
                    v["RegionId"] = json!(k);
                    v["RegionName"] = json!(n);
                    v["BillMonth"] = json!(bill_month);
                    v
                }).collect::<Vec<_>>() }))
            }
            "DescribeBillSummaryByProject" => {
                let (groups, total) =
                    self.group(&months, now, |r| Some((r.project.0.to_string(), r.project.1.to_owned())));
                Ok(json!({ "Ready": 1, "SummaryOverview": groups.iter().map(|(k, n, s)| {
                    let mut v = s.fields(total.real);
                    v["ProjectId"] = json!(k);
                    v["ProjectName"] = json!(n);
                    v["BillMonth"] = json!(bill_month);
                    v
                }).collect::<Vec<_>>() }))
            }
            "DescribeBillSummaryByPayMode" => {
                let (groups, total) =
                    self.group(&months, now, |r| Some((r.pay_mode.code().to_owned(), r.pay_mode.name().to_owned())));
                let items: Vec<_> = groups
                    .iter()
                    .map(|(k, n, s)| {
                        let (detail, _) = self.group(&months, now, |r| {
                            (r.pay_mode.code() == k).then(|| (r.action.0.to_owned(), r.action.1.to_owned()))
                        });
                        let mut v = s.fields(total.real);
                        v["PayMode"] = json!(k);
                        v["PayModeName"] = json!(n);
                        v["Detail"] = detail
                            .iter()
                            .map(|(ak, an, asum)| {
                                let mut d = asum.fields(s.real);
                                d["ActionType"] = json!(ak);
                                d["ActionTypeName"] = json!(an);
                                d["BillMonth"] = json!(bill_month);
                                d
                            })
                            .collect();
                        v
                    })
                    .collect();
                Ok(json!({ "Ready": 1, "SummaryOverview": items }))
            }
            "DescribeBillSummaryByTag" | "DescribeCostSummaryByTag" => {
                let key = str_field(body, "TagKey").ok_or_else(|| bad("MissingParameter", "TagKey is required"))?;
                if !TAG_KEYS.contains(&key) {
                    return Err(bad(
                        "FailedOperation.TagKeyNotExist",
                        format!("the tag key {key:?} is not a cost allocation tag"),
                    ));
                }
                let only = str_field(body, "TagValue");
                let (groups, total) = self.group(&months, now, |r| {
                    let v = r.tag(key);
                    only.is_none_or(|o| o == v).then(|| (v.to_owned(), v.to_owned()))
                });
                let items: Vec<_> = groups
                    .iter()
                    .map(|(k, _, s)| {
                        let mut v = s.fields(total.real);
                        v["TagValue"] = json!(k);
                        v
                    })
                    .collect();
                Ok(json!({
                    "Ready": 1,
                    "SummaryOverview": items,
                    "SummaryTotal": { "RealTotalCost": m8(total.real), "TotalCost": m8(total.cost) },
                }))
            }
            _ => Err(bad("InternalError", format!("{action} is not a summary"))),
        }
    }

    pub(super) fn cost_summary(&self, action: &str, now: i64, body: &Value) -> Result<Value, SandboxError> {
        let months = month_range(body)?;
        let offset = int_field(body, "Offset")?.ok_or_else(|| bad("MissingParameter", "Offset is required"))?;
        let limit = int_field(body, "Limit")?.ok_or_else(|| bad("MissingParameter", "Limit is required"))?;
        if offset < 0 || !(1..=1000).contains(&limit) {
            return Err(bad("InvalidParameterValue", "Offset must be 0 or more and Limit 1 to 1000"));
        }
        let previous: Vec<YearMonth> = months.iter().map(YearMonth::previous).collect();
        type Key = fn(&Row) -> (String, String);
        let key: Key = match action {
            "DescribeCostSummaryByProduct" => |r| (r.product.business.to_owned(), r.product.business_name.to_owned()),
            "DescribeCostSummaryByRegion" => |r| (r.region.0.to_owned(), r.region.1.to_owned()),
            _ => |r| (r.project.0.to_string(), r.project.1.to_owned()),
        };
        let (groups, total) = self.group(&months, now, |r| Some(key(r)));
        let (before, _) = self.group(&previous, now, |r| Some(key(r)));
        let items: Vec<_> = groups
            .iter()
            .skip(offset as usize)
            .take(limit as usize)
            .map(|(k, n, s)| {
                let prior = before.iter().find(|(pk, _, _)| pk == k).map(|(_, _, p)| p.real);
                let trend = match prior {
                    Some(p) if !p.is_zero() => {
                        let change = ((s.real - p) * Decimal::ONE_HUNDRED / p).round_dp(2);
                        let kind = if change.is_sign_positive() && !change.is_zero() {
                            "upward"
                        } else if change.is_zero() {
                            "none"
                        } else {
                            "downward"
                        };
                        json!({ "Type": kind, "Value": change.abs().to_string() })
                    }
                    _ => json!({ "Type": "none", "Value": "" }),
                };
                let mut v = json!({
                    "RealTotalCost": m8(s.real),
                    "Trend": trend,
                    "CashPayAmount": m8(s.cash),
                    "IncentivePayAmount": m8(s.incentive),
                    "VoucherPayAmount": m8(s.voucher),
                    "TransferPayAmount": m8(s.transfer),
                });
                match action {
                    "DescribeCostSummaryByProduct" => {
                        v["BusinessCode"] = json!(k);
                        v["BusinessCodeName"] = json!(n);
                    }
                    "DescribeCostSummaryByRegion" => {
                        v["RegionId"] = json!(k);
                        v["RegionName"] = json!(n);
                    }
                    _ => {
                        v["ProjectId"] = json!(k);
                        v["ProjectName"] = json!(n);
                    }
                }
                v
            })
            .collect();
        let mut answer = json!({ "Ready": 1, "Total": { "RealTotalCost": m8(total.real) }, "Data": items });
        if int_field(body, "NeedRecordNum")? == Some(1) {
            answer["RecordNum"] = json!(groups.len());
        }
        Ok(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oct() -> YearMonth {
        "2026-10".parse().unwrap()
    }

    #[test]
    fn summaries_add_up_to_the_rows() {
        let demo = Demo::new();
        let now = i64::MAX / 4;
        let body = json!({ "BeginTime": "2026-10", "EndTime": "2026-10" });
        let exact: Decimal = demo.rows(oct(), now).map(|r| r.real_total()).sum();
        let by_product = demo.bill_summary("DescribeBillSummaryByProduct", now, &body).unwrap();
        let total: Decimal = by_product["SummaryTotal"]["RealTotalCost"].as_str().unwrap().parse().unwrap();
        assert_eq!(total, exact.round_dp(8));
        for action in BILL_SUMMARIES.iter().filter(|a| !a.ends_with("Tag")) {
            let v = demo.bill_summary(action, now, &body).unwrap();
            let sum: Decimal = v["SummaryOverview"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["RealTotalCost"].as_str().unwrap().parse::<Decimal>().unwrap())
                .sum();
            assert_eq!(sum, exact, "{action}");
        }
        let mut tagged = body.clone();
        tagged["TagKey"] = json!("env");
        let v = demo.bill_summary("DescribeBillSummaryByTag", now, &tagged).unwrap();
        let sum: Decimal = v["SummaryOverview"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["RealTotalCost"].as_str().unwrap().parse::<Decimal>().unwrap())
            .sum();
        assert_eq!(sum, exact);
        let mut paged = body.clone();
        paged["Offset"] = json!(0);
        paged["Limit"] = json!(100);
        paged["NeedRecordNum"] = json!(1);
        let v = demo.cost_summary("DescribeCostSummaryByRegion", now, &paged).unwrap();
        assert_eq!(v["RecordNum"], 6);
        assert_eq!(v["Total"]["RealTotalCost"], by_product["SummaryTotal"]["RealTotalCost"]);
        // Thousands of yuan a month: a realistic scale for the charts and the runway.
        assert!(exact > Decimal::from(10_000) && exact < Decimal::from(100_000), "{exact}");
    }
}
