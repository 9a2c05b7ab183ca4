//! The `kiln` command line end to end: results, traps and bad input give
//! the right output and exit code, and never a panic.

use std::path::PathBuf;
use std::process::{Command, Output};

fn kiln(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kiln"))
        .args(args)
        .output()
        .expect("kiln starts")
}

/// Writes `bytes` to a file `name` in this test process's scratch folder.
fn temp(name: &str, bytes: &[u8]) -> String {
    let dir: PathBuf = std::env::temp_dir().join(format!("kiln-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Exit code 1 and exactly one line on stderr, `kiln: error: ...`; returns it.
fn one_line_error(o: &Output) -> String {
    let e = stderr(o);
    assert_eq!(o.status.code(), Some(1), "stderr: {e}");
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(e.starts_with("kiln: error: "), "{e}");
    assert!(!e.contains("panicked"), "{e}");
    e
}

/// Exit code 1, the one-line `kiln: error: wasm trap: ...`, then the wasm
/// backtrace; returns the error line and the frames.
fn trap_error(o: &Output) -> (String, Vec<String>) {
    let e = stderr(o);
    assert_eq!(o.status.code(), Some(1), "stderr: {e}");
    assert!(!e.contains("panicked"), "{e}");
    let mut lines = e.lines();
    let first = lines.next().unwrap_or_default().to_string();
    assert!(first.starts_with("kiln: error: wasm trap: "), "{e}");
    assert_eq!(lines.next(), Some("wasm backtrace:"), "{e}");
    (first, lines.map(str::to_string).collect())
}

const ADD: &str = r#"(module
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "half") (param f64) (result f64 f32)
    (f64.div (local.get 0) (f64.const 2)) (f32.const nan)))"#;

#[test]
fn calls_an_export_and_prints_the_results() {
    let f = temp("add.wat", ADD.as_bytes());
    let o = kiln(&["run", "-f", "add", &f, "2", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "5\n");
    let o = kiln(&["-f", "add", &f, "-7", "0x10"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "9\n");
    let o = kiln(&["-f", "half", &f, "5"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "2.5\nnan\n");
    // After FILE, words belong to the program, as with iwasm and wasmtime:
    // here `-f` is an argument of a `_start` the module lacks.
    let o = kiln(&[&f, "-f", "half", "5"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no `_start`"), "{}", stderr(&o));
}

#[test]
fn a_binary_module_runs_too() {
    let f = temp("add.wasm", &wat::parse_str(ADD).unwrap());
    let o = kiln(&["run", "--interp", "-f", "add", &f, "0xffffffff", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "0\n");
}

#[test]
fn endless_recursion_is_a_stack_exhaustion_trap() {
    let f = temp("rec.wat", br#"(module (func $f (export "f") (call $f)))"#);
    let o = kiln(&["run", "--interp", "-f", "f", &f]);
    let (e, frames) = trap_error(&o);
    assert!(e.contains("call stack exhausted"), "{e}");
    // Ten innermost and ten outermost frames around the elided ones.
    assert_eq!(frames.len(), 21, "{frames:?}");
    assert!(frames[10].contains("frames elided"), "{frames:?}");
    assert!(frames[0].ends_with("rec.wat!f"), "{frames:?}");
    let o = kiln(&["--stack-size", "65536", "-f", "f", &f]);
    assert!(trap_error(&o).0.contains("call stack exhausted"));
}

#[test]
fn truncated_wasm_gives_a_one_line_error_with_the_offset() {
    let wasm = wat::parse_str(ADD).unwrap();
    let f = temp("cut.wasm", &wasm[..wasm.len() - 3]);
    let e = one_line_error(&kiln(&["run", "-f", "add", &f, "1", "2"]));
    assert!(e.contains("invalid module at offset 0x"), "{e}");
}

#[test]
fn invalid_wat_gives_a_one_line_error() {
    let f = temp("syntax.wat", b"(module\n  (func (result i32) (i32.const)))");
    let e = one_line_error(&kiln(&["run", "-f", "x", &f]));
    assert!(e.contains("syntax.wat:2:"), "{e}");
    let f = temp("types.wat", b"(module (func (result i32) (i64.const 1)))");
    let e = one_line_error(&kiln(&["run", "-f", "x", &f]));
    assert!(e.contains("offset") && e.contains("type mismatch"), "{e}");
}

#[test]
fn the_multi_tier_mode_runs_where_both_jits_are_built() {
    let f = temp("add2.wat", ADD.as_bytes());
    let modes = String::from_utf8(kiln(&["modes"]).stdout).unwrap();
    let run = kiln(&["run", "--multi-tier-jit", "-f", "add", &f, "1", "2"]);
    let wast = kiln(&["wast", "--mode", "multi-tier", &f]);
    if modes.lines().any(|m| m == "multi-tier") {
        assert!(run.status.success(), "{run:?}");
        assert_eq!(String::from_utf8_lossy(&run.stdout).trim(), "3");
        assert!(wast.status.success(), "{wast:?}");
    } else {
        for o in [run, wast] {
            let e = one_line_error(&o);
            assert!(
                e.contains("running mode `multi-tier` is not supported by this build of kiln"),
                "{e}"
            );
        }
    }
}

#[test]
fn the_fast_jit_runs_a_module_and_dumps_its_code() {
    let f = temp("add-fast.wat", ADD.as_bytes());
    let out = kiln(&[
        "run",
        "--fast-jit",
        "--jit-dump=add",
        "-f",
        "add",
        &f,
        "40",
        "2",
    ]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "42");
    let dump = String::from_utf8_lossy(&out.stderr);
    assert!(dump.starts_with("function 0 ("), "{dump}");
    assert!(dump.contains("ret"), "{dump}");
    let e = one_line_error(&kiln(&[
        "run",
        "--fast-jit",
        "--jit-dump=nope",
        "-f",
        "add",
        &f,
        "1",
        "2",
    ]));
    assert!(e.contains("--jit-dump: no compiled function `nope`"), "{e}");
}

#[test]
fn bad_arguments_missing_files_and_missing_exports_are_errors() {
    let f = temp("add3.wat", ADD.as_bytes());
    let e = one_line_error(&kiln(&["run", "-f", "add", &f, "x", "1"]));
    assert!(e.contains("cannot parse `x` as i32"), "{e}");
    let e = one_line_error(&kiln(&["run", "-f", "add", &f, "1"]));
    assert!(e.contains("takes 2 argument"), "{e}");
    let e = one_line_error(&kiln(&["run", &f]));
    assert!(e.contains("`_start`"), "{e}");
    let e = one_line_error(&kiln(&["run", "/nonexistent/x.wasm"]));
    assert!(e.contains("cannot read `/nonexistent/x.wasm`"), "{e}");
    let e = one_line_error(&kiln(&["run", "--bogus", &f]));
    assert!(e.contains("--bogus"), "{e}");
}

#[test]
fn start_runs_by_default() {
    let f = temp(
        "start.wat",
        br#"(module (func (export "_start") unreachable))"#,
    );
    let (e, frames) = trap_error(&kiln(&[&f]));
    assert!(e.contains("wasm trap: unreachable"), "{e}");
    assert_eq!(frames, ["    0: 0x23 - start.wat!_start"]);
}

#[test]
fn wast_counts_assertions_and_fails_on_failures() {
    let good = temp(
        "good.wast",
        br#"(module (func (export "one") (result i32) (i32.const 1)))
            (assert_return (invoke "one") (i32.const 1))"#,
    );
    let o = kiln(&["wast", &good]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert_eq!(stdout(&o).lines().last(), Some("1 passed, 0 failed"));
    let bad = temp(
        "bad.wast",
        br#"(module (func (export "one") (result i32) (i32.const 1)))
            (assert_return (invoke "one") (i32.const 2))"#,
    );
    let o = kiln(&["wast", "--mode", "interp", &good, &bad]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("bad.wast:2:14: expected [i32 2"), "{out}");
    assert_eq!(out.lines().last(), Some("1 passed, 1 failed"));
}
