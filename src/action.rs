//! The [`Action`] trait that every generated request implements, and that drives the one
//! generic send path; and [`ActionInfo`], the static facts about each action.

use std::fmt;

use serde::Serialize;

use crate::protocol::{ActionKind, ApiResponse, Site, sealed};

/// A billing API action: its request type carries the name, quota and sites, and names its response.
///
/// Implemented by every generated `*Request` type; the trait is sealed.
pub trait Action: Serialize + Clone + fmt::Debug + Send + Sync + 'static + sealed::Sealed {
    /// The action name, sent as `X-TC-Action`.
    const NAME: &'static str;
    /// Read, write or money-moving.
    const KIND: ActionKind;
    /// The sites the action exists on.
    const SITES: &'static [Site];
    /// The documented quota in requests per second.
    const QUOTA: u32;
    /// The typed response.
    type Response: ApiResponse;

    /// The first required field that is not set, if any.
    fn missing_required(&self) -> Option<&'static str> {
        None
    }

    /// Why the request would be refused, found before sending: a page size above the documented
    /// maximum. `None` when nothing is wrong.
    fn validate(&self) -> Option<String> {
        None
    }

    /// Fill in an idempotency token where the action takes one and none was given.
    fn prepare(&mut self) {}
}

/// Static facts about one action, for generic code (quota tables, documentation, tooling).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActionInfo {
    /// The action name, e.g. `DescribeBillDetail`.
    pub name: &'static str,
    /// The client method, e.g. `describe_bill_detail`.
    pub method: &'static str,
    /// Read, write or money-moving.
    pub kind: ActionKind,
    /// The sites it exists on.
    pub sites: &'static [Site],
    /// The documented quota in requests per second.
    pub quota: u32,
}
