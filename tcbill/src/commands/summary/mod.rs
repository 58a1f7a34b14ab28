//! `tcbill summary`.

pub mod chart;
