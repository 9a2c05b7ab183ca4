//! The pieces of the `kiln` command line: its arguments, the `run`,
//! `wast` and `inspect` commands, and how values and errors are written.

pub mod argv;
pub mod cli;
#[cfg(feature = "inspect")]
pub mod inspect;
pub mod load;
pub mod run;
pub mod values;
