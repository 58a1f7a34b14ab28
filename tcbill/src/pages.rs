//! The pages of a month's bill details, from the account (`DescribeBillDetail`, 300 rows a page)
//! or from the organization (`DescribeBillDetailForOrganization`, 100 rows a page), for `bills`
//! and `focus` alike.

use tencentcloud_billing::BillingClient;
use tencentcloud_billing::datetime::YearMonth;
use tencentcloud_billing::paginate::Paginator;
use tencentcloud_billing::types::{
    BillDetail, DescribeBillDetailForOrganizationRequest, DescribeBillDetailRequest, DistributionBillDetail,
};

/// The pages of one month, from either action, as bill rows.
pub(crate) enum Pages {
    Account(Paginator<DescribeBillDetailRequest>),
    Org(Paginator<DescribeBillDetailForOrganizationRequest>),
}

/// One page's bill rows, of either action.
pub(crate) enum Page {
    /// `DescribeBillDetail` rows.
    Account(Vec<BillDetail>),
    /// `DescribeBillDetailForOrganization` rows.
    Org(Vec<DistributionBillDetail>),
}

impl Page {
    pub(crate) fn len(&self) -> usize {
        match self {
            Page::Account(r) => r.len(),
            Page::Org(r) => r.len(),
        }
    }
}

impl Pages {
    pub(crate) fn new(client: &BillingClient, month: YearMonth, org: bool) -> Pages {
        if org {
            Pages::Org(
                client
                    .describe_bill_detail_for_organization()
                    .month(month)
                    .limit(100)
                    .need_record_num(1)
                    .into_paginator(),
            )
        } else {
            Pages::Account(client.describe_bill_detail().month(month).limit(300).need_record_num(1).into_paginator())
        }
    }

    /// The next page's rows and the announced total, `None` after the last.
    pub(crate) async fn next(&mut self) -> Option<Result<(Page, Option<u64>), tencentcloud_billing::Error>> {
        Some(match self {
            Pages::Account(p) => p.next().await?.map(|page| {
                let total = page.total;
                (Page::Account(page.detail_set.unwrap_or_default()), total)
            }),
            Pages::Org(p) => p.next().await?.map(|page| {
                let total = page.total;
                (Page::Org(page.detail_set.unwrap_or_default()), total)
            }),
        })
    }
}
