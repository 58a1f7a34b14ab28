//! The `tcbill` command's implementation. It is a library as well as the binary so that the
//! integration tests can drive [`cli::run`], the entry point `main` uses, in process; it is not
//! published and has no stability promise.
//!
//! It uses the public API of `tencentcloud-billing` only, with the `sandbox` and `monitor`
//! features.

#![warn(missing_docs, rust_2018_idioms)]

pub mod cli;
pub mod commands;
mod pages;

pub use commands::bills as export;
pub use commands::summary::chart;
pub use commands::{focus, org, serve};
