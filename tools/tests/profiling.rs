//! `kiln run --perf-map` and `--jitdump` end to end: the file named after
//! the `kiln` process holds the wasm function's name; the files are
//! removed afterwards.

use std::path::PathBuf;
use std::process::{Command, Stdio};

const WAT: &str = r#"(module $cli
  (func $hot (export "run") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 2))))"#;

/// Runs `kiln run FLAGS -f run FILE 21` (FILE in a folder of its own,
/// named after `test`); returns its pid and stdout.
fn run(test: &str, flags: &[&str]) -> (u32, String) {
    let dir = std::env::temp_dir().join(format!("kiln-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("m.wat");
    std::fs::write(&file, WAT).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_kiln"))
        .arg("run")
        .args(flags)
        .args(["-f", "run"])
        .arg(&file)
        .arg("21")
        .stdout(Stdio::piped())
        .spawn()
        .expect("kiln starts");
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success());
    (pid, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Reads and removes `path`.
fn take(path: PathBuf) -> Vec<u8> {
    let bytes = std::fs::read(&path);
    let _ = std::fs::remove_file(&path);
    bytes.unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn perf_map_names_the_function() {
    let (pid, out) = run(
        "perf-map",
        &["--perf-map", "--fast-jit", "--fast-jit-eager"],
    );
    assert_eq!(out.trim(), "42");
    let map = take(format!("/tmp/perf-{pid}.map").into());
    let map = String::from_utf8(map).unwrap();
    let line = map
        .lines()
        .find(|l| l.ends_with(" wasm[cli]::hot [fast-jit]"))
        .unwrap_or_else(|| panic!("no entry for hot in\n{map}"));
    let mut fields = line.split(' ');
    let start = u64::from_str_radix(fields.next().unwrap(), 16).unwrap();
    let size = u64::from_str_radix(fields.next().unwrap(), 16).unwrap();
    assert!(start > 0 && size > 0, "{line}");
}

#[test]
fn jitdump_starts_with_its_header_and_names_the_function() {
    let (pid, out) = run("jitdump", &["--jitdump", "--fast-jit", "--fast-jit-eager"]);
    assert_eq!(out.trim(), "42");
    let dump = take(format!("/tmp/jit-{pid}.dump").into());
    assert_eq!(&dump[..4], &0x4A69_5444u32.to_ne_bytes());
    assert_eq!(&dump[20..24], &pid.to_ne_bytes());
    let name = b"wasm[cli]::hot [fast-jit]\0";
    assert!(dump.windows(name.len()).any(|w| w == name));
}

#[test]
fn perf_map_and_jitdump_exclude_each_other() {
    let out = Command::new(env!("CARGO_BIN_EXE_kiln"))
        .args(["run", "--perf-map", "--jitdump", "x.wat"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("cannot be used with"), "{e}");
}
