//! The `kilnc` command line: outputs, and one-line errors with status 1.

use std::process::Command;

fn kilnc(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kilnc"))
        .args(args)
        .output()
        .expect("kilnc runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kilnc-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn assert_one_line_error(args: &[&str], needle: &str) {
    let (code, _, err) = kilnc(args);
    assert_eq!(code, 1, "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    assert!(err.starts_with("kilnc: error: "), "{err}");
    assert!(err.contains(needle), "{args:?}: {err}");
}

#[test]
fn compiles_objects_and_ir_for_every_format() {
    let input = temp("add.wat");
    std::fs::write(&input, "(module (func (export \"add\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))").unwrap();
    let input = input.to_str().unwrap();
    for (format, magic) in [
        ("object", &b"\x7fELF"[..]),
        ("aot", b"\x7fELF"),
        ("llvmir-unopt", b"; ModuleID"),
        ("llvmir-opt", b"; ModuleID"),
    ] {
        let out = temp(&format!("add.{format}"));
        let format_arg = format!("--format={format}");
        let (code, _, err) = kilnc(&[
            "--target",
            "aarch64",
            &format_arg,
            "-o",
            out.to_str().unwrap(),
            input,
            "--verbose",
            "-j",
            "1",
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(std::fs::read(&out).unwrap().starts_with(magic), "{format}");
        assert!(err.contains("kilnc: emit"), "{err}");
    }
}

#[test]
fn errors_are_one_line_with_status_one() {
    let input = temp("bad.wasm");
    std::fs::write(&input, b"\0asm\x01\0\0\0\x05").unwrap();
    let bad = input.to_str().unwrap();
    let out = temp("out.o");
    let out = out.to_str().unwrap();
    assert_one_line_error(&["--frobnicate"], "--frobnicate");
    assert_one_line_error(&["--opt-level=9", "-o", out, bad], "9");
    assert_one_line_error(&["--bounds-checks=2", "-o", out, bad], "2");
    assert_one_line_error(&["--format=exe", "-o", out, bad], "exe");
    assert_one_line_error(&["--target=mips", "-o", out, bad], "unknown target");
    assert_one_line_error(&["-o", out, bad], "invalid wasm");
    assert_one_line_error(&["-o", out, "/no/such/file.wasm"], "/no/such/file.wasm");
    assert_one_line_error(&["--format=object", bad], "no output file");
    // Artifacts default to the input's name with `.aot`.
    assert_one_line_error(&[bad], "invalid wasm");
    assert_one_line_error(&["--cpu-features=avx2", "-o", out, bad], "bad CPU feature");
    assert_one_line_error(
        &["--target=x86_64", "--cpu=bogus", "-o", out, bad],
        "'bogus' is not a recognized processor",
    );
    assert_one_line_error(
        &["--target=riscv64", "--cpu-features=+avx2", "-o", out, bad],
        "'+avx2' is not a recognized feature",
    );
}

#[test]
fn cpu_features_help_lists_features() {
    let (code, _, err) = kilnc(&["--target", "x86_64", "--cpu-features", "help"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("avx2"), "{err}");
}

#[test]
fn default_output_is_a_sealed_artifact_next_to_the_input() {
    use kiln_format::artifact::{
        decode_header, decode_metadata, identify, verify_checksum, wasm_hash, Arch,
        CHECKSUM_SECTION, HEADER_SECTION, METADATA_SECTION,
    };
    use object::{Object, ObjectSection};
    let wat = "(module (memory 1) (func (export \"f\") (result i32) (i32.const 1)) (data (i32.const 0) \"x\"))";
    let input = temp("x.wat");
    std::fs::write(&input, wat).unwrap();
    let (code, _, err) = kilnc(&["--target", "riscv64", input.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(temp("x.aot")).unwrap();
    assert_eq!(identify(&bytes).unwrap(), Arch::Riscv64);
    let file = object::File::parse(&*bytes).unwrap();
    let section = |name| file.section_by_name(name).unwrap();
    let (start, len) = section(CHECKSUM_SECTION).file_range().unwrap();
    verify_checksum(&bytes, start as usize..(start + len) as usize).unwrap();
    let header = decode_header(section(HEADER_SECTION).data().unwrap()).unwrap();
    assert_eq!(header.target, "riscv64-unknown-linux-gnu");
    assert_eq!(header.cpu_features, ["c"]);
    assert_eq!(header.wasm_hash, wasm_hash(&wat::parse_str(wat).unwrap()));
    let meta = decode_metadata(section(METADATA_SECTION).data().unwrap()).unwrap();
    assert_eq!(meta.exports.len(), 1);
}
