//! Every integration test in one binary: one link instead of two dozen. Tests that change the
//! process environment or install a global tracing subscriber stay binaries of their own
//! (`client_wire`, `default_chain`, `tracing_secrets`, `secrets_sweep`, `redis_quota`).

mod common;

mod answers_serialize;
mod balance_decode;
#[cfg(feature = "files")]
mod bill_files;
mod builders;
mod credential_hostile;
mod credential_providers;
#[cfg(feature = "internals")]
mod decode_props;
mod errors;
mod examples;
mod extensions;
mod extremes;
mod extremes_gen;
mod fault_matrix;
#[cfg(feature = "focus")]
mod focus;
mod generated_fresh;
mod many_accounts;
mod module_graph;
mod money_edges;
#[cfg(feature = "monitor")]
mod monitor_events;
#[cfg(feature = "monitor")]
mod monitor_poller;
mod null_tolerance;
mod page_size_limits;
mod paging;
mod proxy;
#[cfg(feature = "internals")]
mod quota_catalog;
mod refusals;
mod sandbox_accounts;
mod sandbox_demo;
mod sandbox_e2e;
mod tls;
