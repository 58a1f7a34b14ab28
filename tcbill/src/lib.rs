//! The `tcbill` command's implementation. It is a library as well as the binary so that the
//! integration tests can drive [`run`], the entry point `main` uses, in process; it has no
//! stability promise.
//!
//! [`cli`] holds the clap definitions, [`commands`] one module per subcommand, and the small
//! modules beside them what the commands share; [`run`] connects and dispatches.
//!
//! It uses the public API of `tencentcloud-billing` only, with the `sandbox` and `monitor`
//! features.

#![warn(missing_docs, rust_2018_idioms)]

pub mod account;
pub mod amounts;
pub mod cli;
pub mod columns;
pub mod commands;
mod dispatch;
pub mod duration;
pub mod error;
pub mod exit;
pub mod interrupt;
mod pages;
pub mod partial;

pub use dispatch::run;
