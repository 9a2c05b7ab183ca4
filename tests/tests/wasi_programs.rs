//! The WASI test programs (`tests/wasi/src/*.c`, built into
//! `tests/wasi/wasm/`) run by the `kiln` command line in every mode it
//! lists (`kiln modes`; `aot` compiles with `kilnc` first), each checked
//! against its expected output, which is the same in every mode.
//!
//! Every program runs in a fresh directory `box/` holding `sandbox/` (the
//! preopen) and `outside.txt`, next to `second/`; afterwards nothing
//! outside `sandbox/` may have changed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// One run of one program.
struct Case {
    program: &'static str,
    /// Arguments after the program file.
    args: &'static [&'static str],
    /// `kiln` flags before the file (WASI directories and environment).
    flags: &'static [&'static str],
    stdin: &'static str,
    exit: i32,
    /// Text stderr must contain.
    stderr: &'static str,
    /// The expected stdout file (`tests/wasi/expected/NAME.stdout`).
    expected: &'static str,
}

const SANDBOX: &[&str] = &["--dir=sandbox"];

const CASES: &[Case] = &[
    Case {
        program: "args_env",
        args: &["first", "two words", "--dir=not-a-flag"],
        flags: &["--env=KILN_TEST=yes", "--env=EMPTY="],
        stdin: "",
        exit: 0,
        stderr: "",
        expected: "args_env",
    },
    Case {
        program: "exit_code",
        args: &["7"],
        flags: &[],
        stdin: "",
        exit: 7,
        stderr: "to stderr",
        expected: "exit_code",
    },
    Case {
        program: "clock_random",
        args: &[],
        flags: &[],
        stdin: "",
        exit: 0,
        stderr: "",
        expected: "clock_random",
    },
    Case {
        program: "files",
        args: &[],
        flags: SANDBOX,
        stdin: "",
        exit: 0,
        stderr: "",
        expected: "files",
    },
    Case {
        program: "dirs",
        args: &[],
        flags: SANDBOX,
        stdin: "",
        exit: 0,
        stderr: "",
        expected: "dirs",
    },
    Case {
        program: "fds",
        args: &[],
        flags: &["--dir=sandbox", "--map-dir=/second::../second"],
        stdin: "",
        exit: 0,
        stderr: "",
        expected: "fds",
    },
    Case {
        program: "poll_stdio",
        args: &[],
        flags: SANDBOX,
        stdin: "line one\nline two\n",
        exit: 0,
        stderr: "raw write to stderr",
        expected: "poll_stdio",
    },
    Case {
        program: "wild_pointers",
        args: &[],
        flags: &["--dir=sandbox", "--env=ONE=1"],
        stdin: "",
        exit: 0,
        stderr: "",
        expected: "wild_pointers",
    },
    Case {
        program: "sandbox",
        args: &["sandbox"],
        flags: SANDBOX,
        stdin: "",
        exit: 0,
        stderr: "",
        expected: "sandbox",
    },
    Case {
        program: "sandbox",
        args: &["/sandbox"],
        flags: &["--map-dir=/sandbox::sandbox"],
        stdin: "",
        exit: 0,
        stderr: "",
        expected: "sandbox",
    },
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A release binary of the workspace; the test fails (never skips) when it
/// has not been built.
fn binary(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"));
    let path = target.join("release").join(name);
    assert!(
        path.is_file(),
        "{} is missing: run `cargo build --release --workspace` first",
        path.display()
    );
    path
}

fn modes() -> Vec<String> {
    let out = Command::new(binary("kiln")).arg("modes").output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// A fresh `root/box/{sandbox/, outside.txt}` and `root/second/`.
fn fresh_root(tag: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("kiln-wasi-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("box/sandbox")).unwrap();
    std::fs::create_dir_all(root.join("second")).unwrap();
    std::fs::write(root.join("box/outside.txt"), "secret\n").unwrap();
    root
}

/// Sorted names under `dir`, recursively, as relative paths.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            out.push(p.strip_prefix(dir).unwrap().display().to_string());
            if p.is_dir() && !p.is_symlink() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

fn run(mode: &str, case: &Case, root: &Path) -> Output {
    let wasm = workspace()
        .join("tests/wasi/wasm")
        .join(format!("{}.wasm", case.program));
    assert!(
        wasm.is_file(),
        "{} is missing (tests/wasi/build.sh)",
        wasm.display()
    );
    let mut cmd = Command::new(binary("kiln"));
    cmd.arg("run");
    let file = if mode == "aot" {
        let aot = root.join(format!("{}.aot", case.program));
        let out = Command::new(binary("kilnc"))
            .arg(&wasm)
            .arg("-o")
            .arg(&aot)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "kilnc: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        aot
    } else {
        cmd.arg(format!("--{mode}"));
        wasm
    };
    cmd.args(case.flags).arg(file).args(case.args);
    cmd.current_dir(root.join("box"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(case.stdin.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

#[test]
fn wasi_programs_pass_in_every_mode_with_the_same_output() {
    let modes = modes();
    assert!(!modes.is_empty());
    for mode in &modes {
        let mut passed = 0;
        for (i, case) in CASES.iter().enumerate() {
            let root = fresh_root(&format!("{mode}-{i}"));
            let before = tree(&root);
            let out = run(mode, case, &root);
            let what = format!("{mode}: {} {:?}", case.program, case.args);
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(case.exit),
                "{what}: exit status\nstdout:\n{stdout}\nstderr:\n{stderr}"
            );
            let expected_path = workspace()
                .join("tests/wasi/expected")
                .join(format!("{}.stdout", case.expected));
            let expected = std::fs::read_to_string(&expected_path)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
            assert_eq!(
                stdout, expected,
                "{what}: stdout differs\nstderr:\n{stderr}"
            );
            assert!(
                stderr.contains(case.stderr),
                "{what}: stderr was {stderr:?}"
            );
            // Nothing changed outside the sandbox (aot adds its artifact).
            let mut after = tree(&root);
            after.retain(|p| !p.ends_with(".aot"));
            assert_eq!(
                after, before,
                "{what}: files changed outside the program's own"
            );
            assert_eq!(
                std::fs::read_to_string(root.join("box/outside.txt")).unwrap(),
                "secret\n"
            );
            std::fs::remove_dir_all(&root).unwrap();
            passed += 1;
        }
        println!(
            "{mode}: {passed} of {} WASI program runs passed",
            CASES.len()
        );
    }
}
