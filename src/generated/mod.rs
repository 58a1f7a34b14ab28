//! Code generated from `spec/billing-facts.json` by `cargo run -p codegen`.

pub(crate) mod actions;
pub(crate) mod catalog;
pub(crate) mod enums;
pub(crate) mod models;
