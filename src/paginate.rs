//! Lazy paginators for the paged actions.
//!
//! Every paged action's builder has `.into_paginator()`, which returns a [`Paginator`]: nothing is
//! sent until it is polled, each page goes through the client's normal send path (so every page
//! takes a quota permit, is signed afresh, and is retried like any other read), and the paging
//! fields are filled in for you.
//!
//! ```no_run
//! use tencentcloud_billing::datetime::YearMonth;
//! # async fn run(client: tencentcloud_billing::BillingClient) -> Result<(), Box<dyn std::error::Error>> {
//! // Page by page:
//! let mut pages = client.describe_bill_detail().month(YearMonth::new(2024, time::Month::May)).into_paginator();
//! while let Some(page) = pages.next().await {
//!     println!("{} line items", page?.detail_set().len());
//! }
//! // Or item by item:
//! let mut items = client.describe_bill_detail().month(YearMonth::new(2024, time::Month::May)).into_paginator().items();
//! while let Some(item) = items.next().await {
//!     let item = item?;
//!     println!("{:?} {:?}", item.resource_id, item.business_code_name);
//! }
//! # Ok(()) }
//! ```
//!
//! Both also implement [`futures_core::Stream`], so the usual stream adaptors apply.
//!
//! # Exporting a month of bill details
//! ```no_run
//! use tencentcloud_billing::BillingClient;
//! use tencentcloud_billing::datetime::YearMonth;
//! use tencentcloud_billing::money::Yuan;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = BillingClient::from_env()?;
//! let month = YearMonth::current_beijing().previous();
//!
//! // Every line item of last month: 300 per page (the documented maximum), paced at
//! // DescribeBillDetail's 5 requests per second, with Tencent's Context cursor passed back.
//! let mut items = client.describe_bill_detail().month(month).into_paginator().items();
//! let quote = |s: Option<&str>| format!("\"{}\"", s.unwrap_or("").replace('"', "\"\""));
//! let mut csv = String::from("resource_id,product,cost_after_discounts,paid_in_cash\n");
//! let mut total = Yuan::ZERO;
//! while let Some(item) = items.next().await {
//!     let item = item?;
//!     // Amounts are exact decimals; "-" and "" (not applicable) arrive as None.
//!     let cost: Yuan = item.component_set().iter().filter_map(|c| c.real_cost).sum();
//!     let cash: Yuan = item.component_set().iter().filter_map(|c| c.cash_pay_amount).sum();
//!     total += cost;
//!     csv.push_str(&format!(
//!         "{},{},{cost},{cash}\n",
//!         quote(item.resource_id.as_deref()),
//!         quote(item.business_code_name.as_deref()),
//!     ));
//! }
//! std::fs::write(format!("bill-detail-{month}.csv"), csv)?;
//! println!("{month}: {total} after discounts, {} pages", items.pages_fetched());
//! # Ok(()) }
//! ```
//!
//! # When paging stops
//! Tencent's totals cannot be trusted on their own (DescribeBillDetail's `Total` is cached and can
//! be lower than the real count), so the paginator never stops on a total alone:
//!
//! - an empty page ends the walk;
//! - a short page (fewer records than asked for) ends it, unless the answer's total says more
//!   records follow, in which case one more page is asked for (this covers a server that returns
//!   fewer records per page than asked);
//! - with tokens (DescribeRenewInstances), a missing or empty token ends it;
//! - a cap set with [`Paginator::max_pages`] or [`Paginator::max_items`] ends it, cleanly;
//! - a server that loops ends it with [`Error::Pagination`] (see below);
//! - an error is yielded once and ends it.
//!
//! # Servers that loop
//! A server that never says "last page" would otherwise keep a walk going forever, so the
//! paginator remembers what each page looked like and stops with a [`PaginationError`], naming
//! the action and the page, as soon as one repeats. What "repeats" means depends on the scheme:
//!
//! - **tokens**: the cursor is the token. A token already returned by an earlier page (the same
//!   one again, or A, B, A, B...) means the next request would fetch pages already walked.
//! - **offsets and page numbers**: the paginator computes the position itself, so it always
//!   moves forward; a server that ignores it can only show the loop by sending the same records
//!   again. A non-empty page whose records (the answer without its RequestId and cursor) match an
//!   earlier page's is a repeat. One consequence: with a page size of 1, a list that shifts while
//!   it is walked can show one record twice, which reads as a loop; use larger pages.
//!
//! Memory stays bounded: the paginator keeps 64-bit hashes of the last
//! [`LOOP_WINDOW`] pages (exact detection for any shorter loop), plus one hash taken at
//! pages 1, 2, 4, 8, ... so that a longer loop is still caught within twice its length. The page
//! that shows the loop is not yielded (its records are ones already delivered); the error takes
//! its place.
//!
//! # Caps
//! [`Paginator::max_pages`] and [`Paginator::max_items`] bound a walk whatever the server says.
//! Reaching a cap ends the walk like the last page does (`None`), because a cap is the caller's own
//! "at most this many", like [`Iterator::take`]; a walk that has to be complete should check
//! [`Paginator::capped`] (or [`Items::capped`]) afterwards, which says whether the server had more.
//!
//! The page size is the request's own (`limit`, `page_size`, `max_results`) when set, capped at
//! the action's documented maximum; when unset, that maximum, or [`DEFAULT_PAGE_SIZE`] where none
//! is documented.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::hash::BuildHasher;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;

use crate::action::Action;
use crate::builder::RequestBuilder;
use crate::client::BillingClient;
use crate::error::{Error, Result};
pub use crate::error::{PaginationError, PaginationReason};
use crate::protocol::ApiResponse;
use crate::send::CallOptions;

/// The page size used when the request sets none and Tencent documents no maximum.
pub const DEFAULT_PAGE_SIZE: u64 = 100;

/// How many recent pages' hashes a paginator keeps to recognise a loop exactly.
pub const LOOP_WINDOW: usize = 1024;

/// How an action pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageScheme {
    /// The position counts records: the first page starts at 0, the next at the number of records
    /// seen so far.
    Offset,
    /// The position is a page number; the first page is `first` (0 or 1 depending on the action).
    PageIndex {
        /// The number of the first page.
        first: u64,
    },
    /// Each answer carries a token for the next page.
    Token,
}

/// A paged action: how to read and set its paging fields. Implemented by the generated request
/// types of every paged action (the trait cannot be implemented outside this crate).
pub trait Paged: Action + Unpin {
    /// One record of a page.
    type Item: Send + Unpin + 'static;
    /// How the action pages.
    const SCHEME: PageScheme;
    /// The documented maximum page size, if any.
    const MAX_PAGE_SIZE: Option<u64>;

    /// The page size the request asks for.
    fn page_size(&self) -> Option<u64>;
    /// Set the page size.
    fn set_page_size(&mut self, size: u64);
    /// The record offset or page number the request asks for (`None` for token paging).
    fn position(&self) -> Option<u64> {
        None
    }
    /// Set the record offset or page number.
    fn set_position(&mut self, _position: u64) {}
    /// Set the cursor (`Context`) or token (`NextToken`) to send.
    fn set_cursor(&mut self, _cursor: Option<String>) {}
    /// The cursor or token an answer returned.
    fn cursor(_response: &Self::Response) -> Option<&str> {
        None
    }
    /// The total record count an answer claims, if it has one.
    fn total(_response: &Self::Response) -> Option<u64> {
        None
    }
    /// How many records an answer holds.
    fn item_count(response: &Self::Response) -> usize;
    /// Move the records out of an answer.
    fn take_items(response: &mut Self::Response) -> Vec<Self::Item>;
}

type PageFuture<R> = Pin<Box<dyn Future<Output = Result<<R as Action>::Response>> + Send>>;

/// The pages of a paged action, fetched lazily. Created by `.into_paginator()` on the action's
/// builder. See the [module documentation](self).
#[must_use = "a paginator does nothing until it is polled"]
pub struct Paginator<R: Paged> {
    client: BillingClient,
    options: CallOptions,
    /// The request for the next page; `None` once the walk has ended.
    next: Option<R>,
    /// The request being sent, and its answer to come.
    in_flight: Option<(R, PageFuture<R>)>,
    /// What the pages so far looked like, to stop a server that loops.
    seen: LoopGuard,
    pages: u64,
    /// Records received so far.
    items: u64,
    max_pages: Option<u64>,
    max_items: Option<u64>,
    /// Whether a cap ended the walk while the server had more.
    capped: bool,
}

/// Hashes of recent pages' cursors or records, in bounded memory: the last [`LOOP_WINDOW`]
/// exactly, and one checkpoint renewed at pages 1, 2, 4, 8, ... (Brent's cycle finding), which
/// catches a loop of any length once the checkpoint is inside it and the gap to the next
/// checkpoint is longer than the loop.
struct LoopGuard {
    hasher: RandomState,
    recent: HashMap<u64, u64>,
    order: VecDeque<u64>,
    checkpoint: Option<(u64, u64)>,
}

impl LoopGuard {
    fn new() -> Self {
        LoopGuard { hasher: RandomState::new(), recent: HashMap::new(), order: VecDeque::new(), checkpoint: None }
    }

    /// Record `text`'s hash for `page`; the earlier page with the same hash, if any.
    fn check(&mut self, page: u64, text: &str) -> Option<u64> {
        let h = self.hasher.hash_one(text);
        if let Some(&seen) = self.recent.get(&h) {
            return Some(seen);
        }
        if let Some((hash, seen)) = self.checkpoint
            && hash == h
        {
            return Some(seen);
        }
        if self.order.len() >= LOOP_WINDOW
            && let Some(old) = self.order.pop_front()
        {
            self.recent.remove(&old);
        }
        self.order.push_back(h);
        self.recent.insert(h, page);
        if page.is_power_of_two() {
            self.checkpoint = Some((h, page));
        }
        None
    }
}

impl<R: Paged> RequestBuilder<R> {
    /// Walk every page of the answer, lazily. See [`Paginator`].
    pub fn into_paginator(self) -> Paginator<R> {
        Paginator::new(self.client, self.request, self.options)
    }
}

impl<R: Paged> Paginator<R> {
    fn new(client: BillingClient, mut request: R, options: CallOptions) -> Self {
        let size = match (request.page_size().filter(|&s| s > 0), R::MAX_PAGE_SIZE) {
            (Some(s), Some(max)) => s.min(max),
            (Some(s), None) => s,
            (None, Some(max)) => max,
            (None, None) => DEFAULT_PAGE_SIZE,
        };
        request.set_page_size(size);
        match R::SCHEME {
            PageScheme::Offset if request.position().is_none() => request.set_position(0),
            PageScheme::PageIndex { first } if request.position().is_none() => request.set_position(first),
            _ => {}
        }
        Paginator {
            client,
            options,
            next: Some(request),
            in_flight: None,
            seen: LoopGuard::new(),
            pages: 0,
            items: 0,
            max_pages: None,
            max_items: None,
            capped: false,
        }
    }

    /// Fetch at most `pages` pages. Reaching the cap ends the walk cleanly (`None`), and
    /// [`capped`](Self::capped) then says whether the server had more. Zero sends nothing.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// Stop once `items` records have been received. The page that reaches the cap is yielded
    /// whole, so page by page a walk may hold a few more; [`items`](Self::items) yields exactly
    /// `items` records. Reaching the cap ends the walk cleanly (`None`), and
    /// [`capped`](Self::capped) then says whether the server had more. Zero sends nothing.
    pub fn max_items(mut self, items: u64) -> Self {
        self.max_items = Some(items);
        self
    }

    /// Whether a cap ([`max_pages`](Self::max_pages), [`max_items`](Self::max_items)) ended the
    /// walk while the server had more to give: `false` while walking and after a natural end.
    pub fn capped(&self) -> bool {
        self.capped
    }

    /// Whether a cap forbids sending another request.
    fn at_cap(&self) -> bool {
        self.max_pages.is_some_and(|m| self.pages >= m) || self.max_items.is_some_and(|m| self.items >= m)
    }

    /// The loop `response` (page number `self.pages`) shows, if any.
    fn detect_loop(&mut self, response: &R::Response) -> Option<PaginationError> {
        let page = self.pages;
        let reason = match R::SCHEME {
            PageScheme::Token => {
                let token = R::cursor(response).filter(|t| !t.is_empty())?;
                PaginationReason::RepeatedCursor { seen_at: self.seen.check(page, token)? }
            }
            PageScheme::Offset | PageScheme::PageIndex { .. } => {
                if R::item_count(response) == 0 {
                    return None;
                }
                // The records, as text: the answer without what legitimately changes per answer.
                let mut text = format!("{response:?}");
                for volatile in [response.request_id(), R::cursor(response).unwrap_or("")] {
                    if !volatile.is_empty() {
                        text = text.replace(volatile, "");
                    }
                }
                PaginationReason::RepeatedPage { seen_at: self.seen.check(page, &text)? }
            }
        };
        Some(PaginationError { action: R::NAME, page, reason })
    }

    /// The next page, or `None` after the last one.
    ///
    /// # Errors
    /// The error of the page's request; the walk ends after it.
    pub async fn next(&mut self) -> Option<Result<R::Response>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Flatten the pages into their records.
    pub fn items(self) -> Items<R> {
        Items { pages: self, buffer: Vec::new().into_iter(), yielded: 0 }
    }

    /// Fetch every remaining page.
    ///
    /// # Errors
    /// The first error of a page's request.
    pub async fn try_collect(mut self) -> Result<Vec<R::Response>> {
        let mut out = Vec::new();
        while let Some(page) = self.next().await {
            out.push(page?);
        }
        Ok(out)
    }

    /// How many pages have been received so far.
    pub fn pages_fetched(&self) -> u64 {
        self.pages
    }

    /// The request for the page after `sent`, or `None` when `response` was the last page.
    fn advance(sent: &R, response: &R::Response) -> Option<R> {
        let n = R::item_count(response) as u64;
        if n == 0 {
            return None;
        }
        let size = sent.page_size().unwrap_or(n);
        let mut next = sent.clone();
        match R::SCHEME {
            PageScheme::Offset => {
                let position = sent.position().unwrap_or(0);
                let more_claimed = R::total(response).is_some_and(|t| position.saturating_add(n) < t);
                if n < size && !more_claimed {
                    return None;
                }
                // An offset at the end of u64 has nowhere further to go.
                next.set_position(position.checked_add(n)?);
                if let Some(c) = R::cursor(response).filter(|c| !c.is_empty()) {
                    next.set_cursor(Some(c.to_owned()));
                }
            }
            PageScheme::PageIndex { first } => {
                let page = sent.position().unwrap_or(first);
                let before = page.saturating_sub(first).saturating_mul(size);
                let more_claimed = R::total(response).is_some_and(|t| before.saturating_add(n) < t);
                if n < size && !more_claimed {
                    return None;
                }
                next.set_position(page.checked_add(1)?);
            }
            PageScheme::Token => {
                // A token seen before was refused by `detect_loop` already.
                let token = R::cursor(response).filter(|t| !t.is_empty())?;
                next.set_cursor(Some(token.to_owned()));
            }
        }
        Some(next)
    }
}

impl<R: Paged> Stream for Paginator<R> {
    type Item = Result<R::Response>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.in_flight.is_none() {
            let Some(request) = this.next.take() else { return Poll::Ready(None) };
            if this.at_cap() {
                this.capped = true;
                return Poll::Ready(None);
            }
            let client = this.client.clone();
            let options = this.options.clone();
            let sent = request.clone();
            let future: PageFuture<R> = Box::pin(client.execute(request, options));
            this.in_flight = Some((sent, future));
        }
        let (_, future) = this.in_flight.as_mut().expect("a page is in flight");
        let result = ready!(future.as_mut().poll(cx));
        let (sent, _) = this.in_flight.take().expect("a page is in flight");
        match result {
            Ok(response) => {
                this.pages += 1;
                if let Some(e) = this.detect_loop(&response) {
                    this.next = None;
                    return Poll::Ready(Some(Err(Error::Pagination(Box::new(e)))));
                }
                this.items = this.items.saturating_add(R::item_count(&response) as u64);
                this.next = Self::advance(&sent, &response);
                if this.next.is_some() && this.at_cap() {
                    this.next = None;
                    this.capped = true;
                }
                Poll::Ready(Some(Ok(response)))
            }
            Err(e) => {
                this.next = None;
                Poll::Ready(Some(Err(e)))
            }
        }
    }
}

impl<R: Paged> fmt::Debug for Paginator<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("action", &R::NAME)
            .field("next", &self.next)
            .field("in_flight", &self.in_flight.is_some())
            .field("pages", &self.pages)
            .field("items", &self.items)
            .field("max_pages", &self.max_pages)
            .field("max_items", &self.max_items)
            .field("capped", &self.capped)
            .finish()
    }
}

/// The records of every page, fetched lazily. Created by [`Paginator::items`].
#[must_use = "an item stream does nothing until it is polled"]
pub struct Items<R: Paged> {
    pages: Paginator<R>,
    buffer: std::vec::IntoIter<R::Item>,
    /// Records yielded so far.
    yielded: u64,
}

impl<R: Paged> Items<R> {
    /// The next record, or `None` after the last one.
    ///
    /// # Errors
    /// The error of a page's request; the walk ends after it.
    pub async fn next(&mut self) -> Option<Result<R::Item>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Fetch every remaining record.
    ///
    /// # Errors
    /// The first error of a page's request.
    pub async fn try_collect(mut self) -> Result<Vec<R::Item>> {
        let mut out = Vec::new();
        while let Some(item) = self.next().await {
            out.push(item?);
        }
        Ok(out)
    }

    /// How many pages have been received so far.
    pub fn pages_fetched(&self) -> u64 {
        self.pages.pages
    }

    /// Whether a cap ([`Paginator::max_pages`], [`Paginator::max_items`]) ended the walk while
    /// records remained: `false` while walking and after a natural end.
    pub fn capped(&self) -> bool {
        self.pages.capped
    }
}

impl<R: Paged> Stream for Items<R> {
    type Item = Result<R::Item>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.pages.max_items.is_some_and(|m| this.yielded >= m) {
                if !this.buffer.as_slice().is_empty() || this.pages.next.is_some() {
                    this.pages.capped = true;
                }
                this.buffer = Vec::new().into_iter();
                this.pages.next = None;
                return Poll::Ready(None);
            }
            if let Some(item) = this.buffer.next() {
                this.yielded += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                None => return Poll::Ready(None),
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                Some(Ok(mut page)) => this.buffer = R::take_items(&mut page).into_iter(),
            }
        }
    }
}

impl<R: Paged> fmt::Debug for Items<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).field("buffered", &self.buffer.len()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feed `page -> text` for pages 1..=limit; the first (page, seen_at) the guard reports.
    fn first_loop(limit: u64, text: impl Fn(u64) -> String) -> Option<(u64, u64)> {
        let mut guard = LoopGuard::new();
        (1..=limit).find_map(|page| guard.check(page, &text(page)).map(|seen| (page, seen)))
    }

    #[test]
    fn short_loops_are_caught_at_their_first_repeat() {
        assert_eq!(first_loop(100, |p| format!("{}", p % 2)), Some((3, 1)));
        assert_eq!(first_loop(100, |_| "same".into()), Some((2, 1)));
        // A lead-in, then a loop of 7.
        assert_eq!(first_loop(100, |p| if p <= 5 { format!("x{p}") } else { format!("{}", p % 7) }), Some((13, 6)));
        assert_eq!(first_loop(5_000, |p| p.to_string()), None);
    }

    #[test]
    fn loops_longer_than_the_window_are_caught_by_the_checkpoint() {
        // Period 1030 > LOOP_WINDOW: page p repeats page p - 1030, always outside the window. The
        // checkpoint taken at page 2048 comes round again at page 2048 + 1030.
        let period = LOOP_WINDOW as u64 + 6;
        assert_eq!(first_loop(10_000, |p| (p % period).to_string()), Some((2048 + period, 2048)));
    }

    #[test]
    fn memory_stays_bounded() {
        let mut guard = LoopGuard::new();
        for page in 1..=20_000u64 {
            assert_eq!(guard.check(page, &page.to_string()), None);
        }
        assert_eq!((guard.recent.len(), guard.order.len()), (LOOP_WINDOW, LOOP_WINDOW));
    }
}
