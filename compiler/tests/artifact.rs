//! Artifacts written by `compile_artifact`: readable by the format's own
//! checks, one symbol per function, and identical whatever the thread count.

use kiln_compiler::{compile_artifact, CompileOptions, TargetSpec};
use kiln_format::artifact::{
    decode_header, decode_metadata, identify, verify_checksum, wasm_hash, Arch, ExternKind,
    CHECKSUM_SECTION, HEADER_SECTION, METADATA_SECTION,
};
use object::{Object, ObjectSection, ObjectSymbol};

fn many_functions() -> Vec<u8> {
    let mut text = String::from("(module (import \"env\" \"log\" (func (param i32))) (memory 1)");
    for i in 0..40 {
        text.push_str(&format!(
            "(func (export \"f{i}\") (param i32) (result i32) \
             (i32.add (i32.mul (local.get 0) (i32.const {i})) (i32.load (i32.const {}))))",
            i * 4
        ));
    }
    text.push_str("(data (i32.const 8) \"kiln\"))");
    wat::parse_str(&text).unwrap()
}

fn options(target: &str, threads: usize) -> CompileOptions {
    let mut o = CompileOptions::new(TargetSpec::new(Some(target), None, None).unwrap());
    o.threads = threads;
    o
}

fn section<'a>(file: &'a object::File<'a>, name: &str) -> &'a [u8] {
    file.section_by_name(name).unwrap().data().unwrap()
}

#[test]
fn artifacts_pass_the_format_checks_on_every_target() {
    let wasm = many_functions();
    for (target, arch) in [
        ("x86_64", Arch::X86_64),
        ("aarch64", Arch::Aarch64),
        ("riscv64", Arch::Riscv64),
    ] {
        let bytes = compile_artifact(&wasm, &options(target, 1)).unwrap();
        assert_eq!(identify(&bytes).unwrap(), arch);
        let file = object::File::parse(&*bytes).unwrap();
        let header = decode_header(section(&file, HEADER_SECTION)).unwrap();
        assert!(header.target.starts_with(target), "{}", header.target);
        assert_eq!(header.wasm_hash, wasm_hash(&wasm));
        let meta = decode_metadata(section(&file, METADATA_SECTION)).unwrap();
        assert_eq!(meta.functions.len(), 40);
        assert_eq!(meta.imports.len(), 1);
        assert_eq!(
            meta.exports
                .iter()
                .filter(|e| e.kind == ExternKind::Func)
                .count(),
            40
        );
        let (start, len) = file
            .section_by_name(CHECKSUM_SECTION)
            .unwrap()
            .file_range()
            .unwrap();
        verify_checksum(&bytes, start as usize..(start + len) as usize).unwrap();
        let funcs = file
            .symbols()
            .filter(|s| s.name().is_ok_and(|n| n.starts_with("kiln_func_")) && !s.is_undefined())
            .count();
        assert_eq!(funcs, 40, "{target}");
        for trampoline in ["kiln_array_call_1", "kiln_wasm_call_0"] {
            assert!(
                file.symbols().any(|s| s.name() == Ok(trampoline)),
                "{target}: {trampoline}"
            );
        }
    }
}

#[test]
fn artifact_bytes_do_not_depend_on_the_thread_count() {
    let wasm = many_functions();
    let one = compile_artifact(&wasm, &options("x86_64", 1)).unwrap();
    for threads in [2, 3, 4] {
        let other = compile_artifact(&wasm, &options("x86_64", threads)).unwrap();
        assert!(one == other, "-j{threads} wrote different bytes than -j1");
    }
}
