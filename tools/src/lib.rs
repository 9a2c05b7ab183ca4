//! The pieces of the `kiln` command line: its arguments, the `run`,
//! `wast` and `inspect` commands, and how values and errors are written.
//! The full command line is declared with clap (feature `full-cli`);
//! [`small_cli`] parses the artifact-only build's subset without it.

#[cfg(feature = "full-cli")]
pub mod argv;
pub mod cli;
#[cfg(feature = "inspect")]
pub mod inspect;
pub mod load;
pub mod run;
pub mod small_cli;
pub mod values;
