//! `kiln FILE ...` is short for `kiln run FILE ...`.

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
/// argument is neither a subcommand nor a flag of `kiln` itself.
pub fn with_default_command(mut argv: Vec<String>) -> Vec<String> {
    if argv.len() > 1 && !OWN.contains(&argv[1].as_str()) {
        argv.insert(1, "run".to_string());
    }
    argv
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
        assert_eq!(w(words("kiln a.wasm 1")), words("kiln run a.wasm 1"));
        assert_eq!(
            w(words("kiln --interp a.wasm")),
            words("kiln run --interp a.wasm")
        );
        assert_eq!(
            w(words("kiln -f add a.wat")),
            words("kiln run -f add a.wat")
        );
        assert_eq!(w(words("kiln wast x")), words("kiln wast x"));
        assert_eq!(w(words("kiln --help")), words("kiln --help"));
        assert_eq!(w(words("kiln")), words("kiln"));
    }
}
