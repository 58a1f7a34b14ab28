//! One module per subcommand. A command uses the shared modules and the library's public API;
//! it never uses another command or [`crate::cli`].

pub mod balance;
pub mod bills;
pub mod download;
pub mod focus;
pub mod org;
pub mod runway;
pub mod serve;
pub mod summary;
pub mod watch;
