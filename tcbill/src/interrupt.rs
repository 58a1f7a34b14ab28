//! How a command learns that the user asked it to stop.

use std::future::Future;
use std::pin::Pin;

/// A future that completes when the user asks to stop (Ctrl-C).
pub type Interrupt = Pin<Box<dyn Future<Output = ()> + Send>>;
