//! One module per subcommand.

pub mod bills;
pub mod focus;
pub mod org;
pub mod serve;
pub mod summary;
