//! `kiln FILE ...` is short for `kiln run FILE ...`, and everything after
//! `run`'s FILE belongs to the program, even words that look like `kiln`'s
//! own flags.

use crate::cli::Cli;
use clap::CommandFactory;

/// The words that may follow `kiln` directly without meaning `run`.
const OWN: [&str; 9] = [
    "run",
    "wast",
    "modes",
    "inspect",
    "help",
    "-h",
    "--help",
    "-V",
    "--version",
];

/// `argv` with `run` inserted after the program name when the first
/// argument is neither a subcommand nor a flag of `kiln` itself, and with
/// `--` before `run`'s FILE, so that the program's arguments are never
/// taken for `kiln`'s flags.
pub fn with_default_command(mut argv: Vec<String>) -> Vec<String> {
    if argv.len() > 1 && !OWN.contains(&argv[1].as_str()) {
        argv.insert(1, "run".to_string());
    }
    if argv.get(1).map(String::as_str) == Some("run") {
        if let Some(file) = file_position(&argv) {
            argv.insert(file, "--".to_string());
        }
    }
    argv
}

/// The index of `run`'s FILE in `argv` (`kiln run ...`): the first word
/// that is neither a flag nor a flag's separate value. `None` when there is
/// none, or the user already wrote `--`.
fn file_position(argv: &[String]) -> Option<usize> {
    let cmd = Cli::command();
    let run = cmd.find_subcommand("run")?;
    let takes_value = |word: &str| {
        run.get_arguments().any(|a| {
            a.get_action().takes_values()
                && !a.is_positional()
                && (a.get_long().is_some_and(|l| word == format!("--{l}"))
                    || a.get_short().is_some_and(|c| word == format!("-{c}")))
        })
    };
    let mut i = 2;
    while i < argv.len() {
        let word = argv[i].as_str();
        if word == "--" {
            return None;
        }
        if !word.starts_with('-') || word == "-" {
            return Some(i);
        }
        i += if takes_value(word) { 2 } else { 1 };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn files_and_run_flags_imply_run() {
        let w = with_default_command;
        assert_eq!(w(words("kiln a.wasm 1")), words("kiln run -- a.wasm 1"));
        assert_eq!(
            w(words("kiln --interp a.wasm")),
            words("kiln run --interp -- a.wasm")
        );
        assert_eq!(
            w(words("kiln -f add a.wat")),
            words("kiln run -f add -- a.wat")
        );
        assert_eq!(
            w(words("kiln --dir . --env=A=1 p.wasm --dir=x -f")),
            words("kiln run --dir . --env=A=1 -- p.wasm --dir=x -f")
        );
        assert_eq!(
            w(words("kiln run -- p.wasm --interp")),
            words("kiln run -- p.wasm --interp")
        );
        assert_eq!(w(words("kiln wast x")), words("kiln wast x"));
        assert_eq!(w(words("kiln --help")), words("kiln --help"));
        assert_eq!(w(words("kiln")), words("kiln"));
    }
}
