//! The command line of a `kiln` built without clap (no feature
//! `full-cli`: the artifact-only build for devices). It takes the subset
//! of the full command line such a build needs, with the same flags, the
//! same shorthand and the same one-line errors:
//!
//! ```text
//! kiln [run] [--dir DIR] [--map-dir GUEST::HOST] [--env K=V] [-f FUNC]
//!            [--stack-size BYTES] [--heap-size BYTES] FILE [ARGS...]
//! kiln --version | --help
//! ```

use crate::cli::RunArgs;
use std::path::PathBuf;

/// What the command line asks for.
#[derive(Debug)]
pub enum Invocation {
    /// `kiln run ...` (or `kiln FILE ...`).
    Run(Box<RunArgs>),
    /// `kiln --help`, or `kiln` alone (`missing`).
    Help { missing: bool },
    /// `kiln --version`.
    Version,
}

/// The usage text of [`Invocation::Help`].
pub const HELP: &str = "\
Kiln WebAssembly runtime (runs AOT artifacts made by kilnc)

Usage: kiln [run] [OPTIONS] <FILE> [ARGS]...

Arguments:
  <FILE>     The AOT artifact
  [ARGS]...  The program's arguments (after `argv[0]`, the FILE as given); with `-f FUNC`, the arguments of FUNC, parsed by its parameter types

Options:
      --dir <DIR>              Give the program host directory DIR, under the same name (WASI preopen; repeatable)
      --map-dir <GUEST::HOST>  Give the program host directory HOST under the name GUEST (WASI preopen; repeatable)
      --env <K=V>              Set the program's environment variable K to V (repeatable)
  -f, --function <FUNC>        The exported function to call (default: `_start`)
      --stack-size <BYTES>     Size of the wasm stack of each call from the host, in bytes
      --heap-size <BYTES>      Accepted for iwasm compatibility and ignored
  -h, --help                   Print help
  -V, --version                Print version
";

/// An option that takes a value: (long name, short name, value name).
type Valued = (&'static str, Option<char>, &'static str);

/// The options that take a value.
const VALUED: [Valued; 6] = [
    ("dir", None, "DIR"),
    ("map-dir", None, "GUEST::HOST"),
    ("env", None, "K=V"),
    ("function", Some('f'), "FUNC"),
    ("stack-size", None, "BYTES"),
    ("heap-size", None, "BYTES"),
];

/// Parses `argv` (program name first). An error is the message alone,
/// worded as clap words it in the full build.
pub fn parse(argv: &[String]) -> Result<Invocation, String> {
    let mut words = argv.iter().skip(1).map(String::as_str).peekable();
    match words.peek().copied() {
        None => return Ok(Invocation::Help { missing: true }),
        Some("-h" | "--help" | "help") => return Ok(Invocation::Help { missing: false }),
        Some("-V" | "--version") => return Ok(Invocation::Version),
        Some("run") => {
            words.next();
        }
        Some(cmd @ ("wast" | "modes" | "inspect")) => {
            return Err(format!(
                "this build of kiln runs only AOT artifacts and has no `{cmd}` command"
            ))
        }
        Some(_) => {}
    }
    let mut a = RunArgs::default();
    let mut seen_function = false;
    while let Some(word) = words.next() {
        if word == "--" {
            let Some(file) = words.next() else { break };
            a.file = PathBuf::from(file);
            a.args = words.map(String::from).collect();
            return Ok(Invocation::Run(Box::new(a)));
        }
        if word == "-h" || word == "--help" {
            return Ok(Invocation::Help { missing: false });
        }
        if !word.starts_with('-') || word == "-" {
            a.file = PathBuf::from(word);
            a.args = words.map(String::from).collect();
            return Ok(Invocation::Run(Box::new(a)));
        }
        // Clap names an option by its long name, `-f` too.
        let ((long, _, value_name), inline) = option(word)?;
        let shown = format!("--{long} <{value_name}>");
        let value = match inline {
            Some(v) => v.to_string(),
            None => match words.next() {
                Some(v) => v.to_string(),
                None => {
                    return Err(format!(
                        "a value is required for '{shown}' but none was supplied"
                    ))
                }
            },
        };
        let bytes = |v: &str| {
            v.parse::<usize>()
                .map_err(|e| format!("invalid value '{v}' for '{shown}': {e}"))
        };
        match long {
            "dir" => a.dirs.push(PathBuf::from(value)),
            "map-dir" => a.map_dirs.push(value),
            "env" => a.envs.push(value),
            "function" => {
                if seen_function {
                    return Err(format!(
                        "the argument '{shown}' cannot be used multiple times"
                    ));
                }
                seen_function = true;
                a.function = Some(value);
            }
            "stack-size" => a.stack_size = Some(bytes(&value)?),
            _ => a.heap_size = Some(bytes(&value)?),
        }
    }
    Err("the following required arguments were not provided: <FILE>".into())
}

/// The option `word` names, and the value given in the same word.
fn option(word: &str) -> Result<(Valued, Option<&str>), String> {
    let unexpected = || format!("unexpected argument '{word}' found");
    if let Some(body) = word.strip_prefix("--") {
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        let valued = VALUED
            .iter()
            .find(|(l, _, _)| *l == name)
            .ok_or_else(unexpected)?;
        return Ok((*valued, inline));
    }
    // `-f FUNC`, `-fFUNC` or `-f=FUNC`.
    let mut chars = word[1..].chars();
    let c = chars.next().ok_or_else(unexpected)?;
    let valued = VALUED
        .iter()
        .find(|(_, s, _)| *s == Some(c))
        .ok_or_else(unexpected)?;
    let rest = chars.as_str();
    let inline = (!rest.is_empty()).then(|| rest.strip_prefix('=').unwrap_or(rest));
    Ok((*valued, inline))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    fn run(s: &str) -> RunArgs {
        match parse(&words(s)) {
            Ok(Invocation::Run(a)) => *a,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn flags_before_the_file_are_kilns_and_the_rest_the_programs() {
        let a = run("kiln run --dir=. --dir /tmp --map-dir=/data::./data --env=A=1 --env B=x=y prog.aot --dir=not-ours x");
        assert_eq!(a.dirs, [PathBuf::from("."), PathBuf::from("/tmp")]);
        assert_eq!(a.map_dirs, ["/data::./data"]);
        assert_eq!(a.envs, ["A=1", "B=x=y"]);
        assert_eq!(a.file, PathBuf::from("prog.aot"));
        assert_eq!(a.args, ["--dir=not-ours", "x"]);
        let b = run("kiln --stack-size 65536 -f add a.aot -7 0x10");
        assert_eq!(b.stack_size, Some(65536));
        assert_eq!(b.function.as_deref(), Some("add"));
        assert_eq!(b.args, ["-7", "0x10"]);
        assert_eq!(run("kiln -fadd a.aot").function.as_deref(), Some("add"));
        assert_eq!(run("kiln run -- -odd.aot -f").args, ["-f"]);
    }

    #[test]
    fn misuse_is_worded_as_in_the_full_build() {
        let err = |s: &str| parse(&words(s)).unwrap_err();
        assert_eq!(
            err("kiln run --bogus x.aot"),
            "unexpected argument '--bogus' found"
        );
        assert_eq!(
            err("kiln --interp x.aot"),
            "unexpected argument '--interp' found"
        );
        assert_eq!(
            err("kiln run --dir"),
            "a value is required for '--dir <DIR>' but none was supplied"
        );
        assert_eq!(
            err("kiln run --stack-size abc x"),
            "invalid value 'abc' for '--stack-size <BYTES>': invalid digit found in string"
        );
        assert_eq!(
            err("kiln run"),
            "the following required arguments were not provided: <FILE>"
        );
        assert_eq!(
            err("kiln -f a -f b x.aot"),
            "the argument '--function <FUNC>' cannot be used multiple times"
        );
        assert!(matches!(parse(&words("kiln -V")), Ok(Invocation::Version)));
        assert!(matches!(
            parse(&words("kiln")),
            Ok(Invocation::Help { missing: true })
        ));
    }
}
