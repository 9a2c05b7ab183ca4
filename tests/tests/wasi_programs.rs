//! The WASI test programs (`tests/wasi/src/*.c`, built into the committed
//! `tests/wasi/wasm/*.wasm` by `tests/wasi/build.sh`), run through the
//! `kiln` command line in every mode `kiln modes` lists (`aot` compiles
//! with `kilnc` first), and checked: exit status, stderr, and stdout
//! against `tests/wasi/expected/NAME.stdout`.
//!
//! Expected files are literal, except that a line ending in `*` matches
//! any line starting with the text before the `*`: the programs print, after
//! `: `, which of the outcomes the WASI spec allows they saw (which errno a
//! sandbox refusal gets, whether fd_allocate is supported, ...). On top of
//! that, stdout must be byte for byte the same in every mode.
//!
//! Each run gets a fresh directory `ROOT/box/` holding `sandbox/` (the
//! preopen), `outside.txt` and an empty `empty-outside/`, next to
//! `ROOT/second/`, with `ROOT/box` as the working directory. Afterwards
//! nothing outside `sandbox/` may have changed.
//!
//! The binaries come from `cargo build --release --workspace`; when they
//! are missing the test fails and says so.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// What stderr must be.
enum Stderr {
    Exactly(&'static str),
    Contains(&'static [&'static str]),
}

/// One run of one program.
struct Case {
    /// The program: `tests/wasi/wasm/PROGRAM.wasm`.
    program: &'static str,
    /// `kiln run` flags before the file. `{sandbox}` stands for the host
    /// path of `ROOT/box/sandbox`.
    flags: &'static [&'static str],
    /// The program's arguments; `{sandbox}` as above, `{outside}` for the
    /// host path of `ROOT/box/outside.txt`.
    args: &'static [&'static str],
    stdin: &'static str,
    exit: i32,
    stderr: Stderr,
    /// The expected stdout: `tests/wasi/expected/EXPECTED.stdout`.
    expected: &'static str,
    /// Plant escape symlinks in the sandbox first (see sandbox.c).
    plant: bool,
}

const NO_STDERR: Stderr = Stderr::Exactly("");

const CASES: &[Case] = &[
    Case {
        program: "args_env",
        flags: &["--env=KILN_TEST=yes", "--env=EMPTY=", "--env=EQ=a=b"],
        args: &["first", "two words", "", "--dir=not-a-flag", "ünï"],
        stdin: "",
        exit: 0,
        stderr: NO_STDERR,
        expected: "args_env",
        plant: false,
    },
    Case {
        program: "exit_code",
        flags: &[],
        args: &["7"],
        stdin: "",
        exit: 7,
        stderr: Stderr::Exactly("to stderr\n"),
        expected: "exit_code-exit",
        plant: false,
    },
    Case {
        program: "exit_code",
        flags: &[],
        args: &["return", "3"],
        stdin: "",
        exit: 3,
        stderr: Stderr::Exactly("to stderr\n"),
        expected: "exit_code-return",
        plant: false,
    },
    Case {
        program: "exit_code",
        flags: &[],
        args: &["trap"],
        stdin: "",
        exit: 1,
        stderr: Stderr::Contains(&["to stderr\n", "kiln: error: "]),
        expected: "exit_code-trap",
        plant: false,
    },
    Case {
        program: "clock_random",
        flags: &[],
        args: &[],
        stdin: "",
        exit: 0,
        stderr: NO_STDERR,
        expected: "clock_random",
        plant: false,
    },
    Case {
        program: "files",
        flags: &["--dir=sandbox"],
        args: &[],
        stdin: "",
        exit: 0,
        stderr: NO_STDERR,
        expected: "files",
        plant: false,
    },
    Case {
        program: "dirs",
        flags: &["--dir=sandbox"],
        args: &[],
        stdin: "",
        exit: 0,
        stderr: NO_STDERR,
        expected: "dirs",
        plant: false,
    },
    Case {
        program: "fds",
        flags: &["--dir=sandbox", "--map-dir=/second::../second"],
        args: &[],
        stdin: "",
        exit: 0,
        stderr: NO_STDERR,
        expected: "fds",
        plant: false,
    },
    Case {
        program: "poll_stdio",
        flags: &["--dir=sandbox"],
        args: &[],
        stdin: "line one\nline two\n",
        exit: 0,
        stderr: Stderr::Exactly("raw write to stderr\nfprintf to stderr\n"),
        expected: "poll_stdio",
        plant: false,
    },
    Case {
        program: "wild_pointers",
        flags: &["--dir=sandbox", "--env=ONE=1"],
        args: &[],
        stdin: "",
        exit: 0,
        stderr: NO_STDERR,
        expected: "wild_pointers",
        plant: false,
    },
    Case {
        program: "sandbox",
        flags: &["--dir={sandbox}"],
        args: &["{sandbox}", "{outside}"],
        stdin: "",
        exit: 0,
        stderr: NO_STDERR,
        expected: "sandbox",
        plant: true,
    },
    Case {
        program: "sandbox",
        flags: &["--map-dir=/sandbox::{sandbox}"],
        args: &["/sandbox", "{outside}"],
        stdin: "",
        exit: 0,
        stderr: NO_STDERR,
        expected: "sandbox",
        plant: true,
    },
];

/// How long one run may take (the JIT compiles the program first, on a
/// possibly busy machine).
const TIMEOUT: Duration = Duration::from_secs(300);

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// A release binary of the workspace. Missing is a failure, not a skip.
fn binary(name: &str) -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace().join(dir), // join keeps an absolute path as is
        None => workspace().join("target"),
    };
    let path = target.join("release").join(name);
    assert!(
        path.is_file(),
        "{} is missing: build it first with `cargo build --release --workspace`",
        path.display()
    );
    path
}

fn modes(kiln: &Path) -> Vec<String> {
    let out = Command::new(kiln)
        .arg("modes")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", kiln.display()));
    assert!(
        out.status.success(),
        "`kiln modes` failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let modes: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    assert!(!modes.is_empty(), "`kiln modes` listed no mode");
    modes
}

/// The finished process.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `cmd` with `stdin` fed and closed, killing it after TIMEOUT.
fn run_command(mut cmd: Command, stdin: &str) -> Result<Run, String> {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| format!("cannot start: {e}"))?;
    let mut input = child.stdin.take().expect("piped stdin");
    // The program may exit without reading: a broken pipe is fine.
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => break status,
            None if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("killed after {} s", TIMEOUT.as_secs()));
            }
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    Ok(Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    })
}

/// Checks `actual` against an expected file's text (see the module doc).
fn compare(expected: &str, actual: &str) -> Result<(), String> {
    let want: Vec<&str> = expected.lines().collect();
    let got: Vec<&str> = actual.lines().collect();
    for i in 0..want.len().max(got.len()) {
        let (w, g) = (want.get(i), got.get(i));
        let ok = match (w, g) {
            (Some(w), Some(g)) => match w.strip_suffix('*') {
                Some(prefix) => g.starts_with(prefix),
                None => w == g,
            },
            _ => false,
        };
        if !ok {
            return Err(format!(
                "stdout line {}: expected {:?}, got {:?}",
                i + 1,
                w.copied().unwrap_or("<end of output>"),
                g.copied().unwrap_or("<end of output>")
            ));
        }
    }
    if !actual.is_empty() && !actual.ends_with('\n') {
        return Err("stdout does not end with a newline".into());
    }
    Ok(())
}

/// What a file-system entry looks like from outside, to detect changes.
#[derive(Debug, PartialEq)]
struct Entry {
    kind: &'static str,
    len: u64,
    modified: Option<SystemTime>,
    target: Option<PathBuf>,
}

/// Every entry under `root` except inside `root/box/sandbox` (whose own
/// modification time changes with the program's legitimate work).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Entry> {
    let sandbox = root.join("box/sandbox");
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read_dir") {
            let path = e.expect("dir entry").path();
            let meta = std::fs::symlink_metadata(&path).expect("lstat");
            let is_sandbox = path == sandbox;
            let kind = if meta.file_type().is_symlink() {
                "symlink"
            } else if meta.is_dir() {
                "dir"
            } else {
                "file"
            };
            if meta.is_dir() && !is_sandbox {
                stack.push(path.clone());
            }
            let entry = Entry {
                kind,
                len: if meta.is_dir() { 0 } else { meta.len() },
                modified: if is_sandbox {
                    None
                } else {
                    meta.modified().ok()
                },
                target: std::fs::read_link(&path).ok(),
            };
            out.insert(path.strip_prefix(root).expect("under root").into(), entry);
        }
    }
    out
}

/// A fresh `root/box/{sandbox/, outside.txt, empty-outside/}` and
/// `root/second/`, with the escape symlinks planted if asked.
fn fresh_root(root: &Path, plant: bool) {
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root.join("box/sandbox")).expect("mkdir");
    std::fs::create_dir_all(root.join("box/empty-outside")).expect("mkdir");
    std::fs::create_dir_all(root.join("second")).expect("mkdir");
    std::fs::write(root.join("box/outside.txt"), "secret\n").expect("write");
    if plant {
        let sandbox = root.join("box/sandbox");
        let outside = root.join("box/outside.txt");
        let links: [(&Path, &str); 6] = [
            (&outside, "planted-abs"),
            (Path::new("/etc/passwd"), "planted-etc"),
            (Path::new("../outside.txt"), "planted-up"),
            (Path::new("/"), "planted-root"),
            (Path::new(".."), "planted-parent"),
            (Path::new("../created-through-planted.txt"), "planted-new"),
        ];
        for (target, name) in links {
            std::os::unix::fs::symlink(target, sandbox.join(name)).expect("symlink");
        }
    }
}

fn expand(s: &str, root: &Path) -> String {
    s.replace("{sandbox}", &root.join("box/sandbox").display().to_string())
        .replace(
            "{outside}",
            &root.join("box/outside.txt").display().to_string(),
        )
}

/// Runs one case in one mode; the error says everything that went wrong.
fn run_case(kiln: &Path, mode: &str, file: &Path, case: &Case, root: &Path) -> Result<Run, String> {
    fresh_root(root, case.plant);
    let before = snapshot(root);
    let mut cmd = Command::new(kiln);
    cmd.arg("run");
    if mode != "aot" {
        cmd.arg(format!("--{mode}"));
    }
    cmd.args(case.flags.iter().map(|f| expand(f, root)))
        .arg(file)
        .args(case.args.iter().map(|a| expand(a, root)))
        .current_dir(root.join("box"));
    let run = run_command(cmd, case.stdin)?;

    let mut problems = Vec::new();
    if run.code != Some(case.exit) {
        problems.push(format!(
            "exit status {:?}, expected {}",
            run.code, case.exit
        ));
    }
    let expected_path = workspace()
        .join("tests/wasi/expected")
        .join(format!("{}.stdout", case.expected));
    match std::fs::read_to_string(&expected_path) {
        Ok(expected) => {
            if let Err(e) = compare(&expected, &run.stdout) {
                problems.push(format!("{e} (expected file {})", expected_path.display()));
            }
        }
        Err(e) => problems.push(format!("{}: {e}", expected_path.display())),
    }
    match &case.stderr {
        Stderr::Exactly(want) if run.stderr != *want => {
            problems.push(format!("stderr should be {want:?}"));
        }
        Stderr::Contains(parts) => {
            for part in *parts {
                if !run.stderr.contains(part) {
                    problems.push(format!("stderr should contain {part:?}"));
                }
            }
        }
        _ => {}
    }
    if case.plant {
        if run.stdout.contains("ESCAPED") {
            problems.push("an escape attempt succeeded".into());
        }
        if run.stdout.contains("secret") || run.stderr.contains("secret") {
            problems.push("the content of outside.txt reached the program".into());
        }
    }
    let after = snapshot(root);
    if after != before {
        let mut changed: Vec<String> = Vec::new();
        for (path, entry) in &after {
            match before.get(path) {
                None => changed.push(format!("created {}", path.display())),
                Some(old) if old != entry => changed.push(format!("changed {}", path.display())),
                _ => {}
            }
        }
        for path in before.keys().filter(|p| !after.contains_key(*p)) {
            changed.push(format!("removed {}", path.display()));
        }
        problems.push(format!("outside the sandbox: {}", changed.join(", ")));
    }
    if problems.is_empty() {
        Ok(run)
    } else {
        Err(format!(
            "{}\n--- stdout:\n{}--- stderr:\n{}---",
            problems.join("\n"),
            run.stdout,
            run.stderr
        ))
    }
}

#[test]
fn wasi_programs_pass_in_every_mode_with_the_same_output() {
    let kiln = binary("kiln");
    let modes = modes(&kiln);
    let wasm_dir = workspace().join("tests/wasi/wasm");
    let base = std::env::temp_dir().join(format!("kiln-wasi-programs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).expect("temp dir");

    let mut failures: Vec<String> = Vec::new();
    let mut summaries: Vec<String> = Vec::new();
    // The first mode's stdout of each case, which every other must match.
    let mut reference: Vec<Option<(String, String)>> = vec![None; CASES.len()];
    for mode in &modes {
        // The program file for each case: the .wasm, or its compiled .aot.
        let mut files: BTreeMap<&str, Result<PathBuf, String>> = BTreeMap::new();
        for case in CASES {
            if files.contains_key(case.program) {
                continue;
            }
            let wasm = wasm_dir.join(format!("{}.wasm", case.program));
            let file = if !wasm.is_file() {
                Err(format!(
                    "{} is missing (tests/wasi/build.sh)",
                    wasm.display()
                ))
            } else if mode == "aot" {
                let aot = base.join(format!("{}.aot", case.program));
                let mut cmd = Command::new(binary("kilnc"));
                cmd.arg(&wasm).arg("-o").arg(&aot);
                match run_command(cmd, "") {
                    Ok(r) if r.code == Some(0) && aot.is_file() => Ok(aot),
                    Ok(r) => Err(format!("kilnc failed ({:?}): {}", r.code, r.stderr)),
                    Err(e) => Err(format!("kilnc: {e}")),
                }
            } else {
                Ok(wasm)
            };
            files.insert(case.program, file);
        }

        let mut passed = 0;
        for (i, case) in CASES.iter().enumerate() {
            let what = format!(
                "[{mode}] {} {:?} ({})",
                case.program, case.args, case.expected
            );
            let root = base.join(format!("{mode}-{i}"));
            let result = match &files[case.program] {
                Ok(file) => run_case(&kiln, mode, file, case, &root),
                Err(e) => Err(e.clone()),
            };
            match result {
                Ok(run) => {
                    let _ = std::fs::remove_dir_all(&root);
                    match &reference[i] {
                        Some((first, out)) if *out != run.stdout => failures.push(format!(
                            "{what}: stdout differs from mode {first}'s\n--- {first}:\n{out}--- {mode}:\n{}---",
                            run.stdout
                        )),
                        Some(_) => passed += 1,
                        None => {
                            reference[i] = Some((mode.clone(), run.stdout));
                            passed += 1;
                        }
                    }
                }
                Err(e) => failures.push(format!("{what}: {e}\n(left in {})", root.display())),
            }
        }
        let line = format!(
            "wasi programs [{mode}]: {passed} of {} runs passed",
            CASES.len()
        );
        println!("{line}");
        summaries.push(line);
    }
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&base);
    }
    assert!(
        failures.is_empty(),
        "{}\n\n{}\n",
        failures.join("\n\n"),
        summaries.join("\n")
    );
}
