//! One module per subcommand.

pub mod chart;
pub mod export;
pub mod focus;
pub mod org;
pub mod serve;
