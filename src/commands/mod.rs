//! One file per subcommand. Each takes its parsed arguments and the data directory and
//! returns an exit status or a [`Failure`](crate::exit::Failure).

pub mod contacts;
pub mod import;
pub mod index;
pub mod search;
pub mod show;
pub mod synth;
