//! The pieces of the `kiln` command line: its arguments, the `run` and
//! `wast` commands, and how values and errors are written.

pub mod argv;
pub mod cli;
pub mod load;
pub mod run;
pub mod values;
