//! Compiles small modules for every target and inspects the objects and IR.

mod support;

use kiln_compiler::{compile, compile_module, CompileError, OutputKind};
use object::{Object, ObjectSymbol};
use std::collections::BTreeSet;
use support::{options, wasm};

const MODULE: &str = r#"(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (type $ii (func (param i32) (result i32)))
  (table 2 funcref)
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func $fib (type $ii)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $pair (param i32) (result i32 i32)
    (local.get 0) (i32.const 1)
    (block (param i32 i32) (result i32 i32)
      (br_table 0 0 (local.get 0))))
  (func $mix (param f32 f64) (result f64)
    (f64.add (f64.promote_f32 (f32.nearest (local.get 0)))
             (f64.min (local.get 1) (f64.floor (local.get 1)))))
  (func $mem (param i32) (result i64)
    (global.set $g (i32.div_u (i32.load8_u offset=1 (local.get 0)) (local.get 0)))
    (drop (memory.grow (i32.const 1)))
    (i64.trunc_f64_u (f64.load (local.get 0))))
  (func $ind (param i32) (result i32)
    (call_indirect (type $ii) (call $host (local.get 0)) (i32.const 1)))
)"#;

/// Symbol names defined and undefined in an object.
fn symbols(bytes: &[u8]) -> (BTreeSet<String>, BTreeSet<String>) {
    let file = object::File::parse(bytes).expect("an ELF object");
    assert_eq!(file.format(), object::BinaryFormat::Elf);
    assert_eq!(file.kind(), object::ObjectKind::Relocatable);
    let mut defined = BTreeSet::new();
    let mut undefined = BTreeSet::new();
    for s in file.symbols() {
        let name = s.name().unwrap().to_string();
        if s.is_undefined() {
            if !name.is_empty() {
                undefined.insert(name);
            }
        } else if s.kind() == object::SymbolKind::Text && name.starts_with("kiln_func_") {
            defined.insert(name);
        } else if s.kind() == object::SymbolKind::Text {
            assert!(
                name.starts_with("kiln_array_call_") || name.starts_with("kiln_wasm_call_"),
                "unexpected code symbol {name}"
            );
        }
    }
    (defined, undefined)
}

fn expected_functions() -> BTreeSet<String> {
    // Function 0 is the import; defined functions are 1..=5.
    (1..=5).map(|i| format!("kiln_func_{i}")).collect()
}

#[test]
fn one_symbol_per_function_on_every_target() {
    let bytes = wasm(MODULE);
    for (arch, machine) in [
        ("x86_64", object::Architecture::X86_64),
        ("aarch64", object::Architecture::Aarch64),
        ("riscv64", object::Architecture::Riscv64),
    ] {
        for opt in [0, 3] {
            let out = compile_module(&bytes, &options(arch, opt)).unwrap();
            assert_eq!(out.kind, OutputKind::Object);
            assert_eq!(out.num_defined_funcs, 5);
            assert_eq!(out.num_imported_funcs, 1);
            let file = object::File::parse(&*out.bytes).unwrap();
            assert_eq!(file.architecture(), machine, "{arch}");
            assert!(file.section_by_name(".text").is_some());
            let (defined, undefined) = symbols(&out.bytes);
            assert_eq!(defined, expected_functions(), "{arch} -O{opt}");
            assert!(undefined.contains("kiln_rt_trap"), "{arch}: {undefined:?}");
            assert!(
                undefined.contains("kiln_rt_memory_grow"),
                "{arch}: {undefined:?}"
            );
            assert!(
                undefined.contains("kiln_rt_call_host"),
                "{arch}: {undefined:?}"
            );
            // Only runtime intrinsics and libm rounding helpers may be imported.
            let libm = [
                "floor",
                "floorf",
                "roundeven",
                "roundevenf",
                "ceil",
                "ceilf",
                "trunc",
                "truncf",
            ];
            for u in &undefined {
                assert!(
                    u.starts_with("kiln_") || libm.contains(&u.as_str()),
                    "{arch}: unexpected import {u}"
                );
            }
        }
    }
}

#[test]
fn parallel_compilation_gives_the_same_symbols() {
    let bytes = wasm(MODULE);
    let mut opts = options("x86_64", 2);
    opts.threads = 3;
    let out = compile_module(&bytes, &opts).unwrap();
    assert_eq!(symbols(&out.bytes).0, expected_functions());
}

#[test]
fn llvm_ir_text_before_and_after_optimisation() {
    let bytes = wasm(MODULE);
    let opts = options("x86_64", 2);
    let unopt = compile(&bytes, &opts, OutputKind::LlvmIrUnopt).unwrap();
    let unopt = String::from_utf8(unopt.bytes).unwrap();
    assert!(
        unopt.contains("define hidden i32 @kiln_func_1(ptr"),
        "{unopt}"
    );
    assert!(unopt.contains("alloca"));
    assert!(unopt.contains("void @kiln_rt_trap(ptr, i32)"), "{unopt}");
    let opt = compile(&bytes, &opts, OutputKind::LlvmIrOpt).unwrap();
    let opt = String::from_utf8(opt.bytes).unwrap();
    assert!(opt.contains("@kiln_func_5"));
    assert!(!opt.contains("alloca i32"), "locals are promoted: {opt}");
}

#[test]
fn custom_pass_pipelines_run_and_bad_ones_are_errors() {
    let bytes = wasm(MODULE);
    let mut opts = options("x86_64", 2);
    opts.llvm_passes = Some("mem2reg,instcombine,simplifycfg".into());
    compile_module(&bytes, &opts).unwrap();
    opts.llvm_passes = Some("no-such-pass".into());
    let err = compile_module(&bytes, &opts).unwrap_err();
    assert!(matches!(err, CompileError::Llvm(_)), "{err}");
    assert!(!err.to_string().contains('\n'));
}

#[test]
fn bounds_checks_add_explicit_checks() {
    let bytes =
        wasm(r#"(module (memory 1) (func (param i32) (result i32) (i32.load (local.get 0))))"#);
    let mut opts = options("x86_64", 2);
    let plain = compile(&bytes, &opts, OutputKind::LlvmIrOpt).unwrap();
    assert!(!String::from_utf8(plain.bytes)
        .unwrap()
        .contains("kiln_rt_trap(ptr %0, i32 2)"));
    opts.bounds_checks = Some(true);
    let checked = compile(&bytes, &opts, OutputKind::LlvmIrOpt).unwrap();
    assert!(checked.bounds_checks);
    let text = String::from_utf8(checked.bytes).unwrap();
    assert!(text.contains("i32 2)"), "{text}");
}

#[test]
fn every_wasm2_operator_group_compiles_and_later_proposals_are_refused() {
    // SIMD and bulk memory are covered in depth by tests/simd.rs and tests/bulk_table.rs.
    let bytes = wasm(
        r#"(module (memory 1) (func (result v128)
        (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))
        (v128.const i32x4 1 2 3 4)))"#,
    );
    compile_module(&bytes, &options("x86_64", 0)).unwrap();
    let tail_call = wasm(r#"(module (func $f (return_call $f)))"#);
    let err = compile_module(&tail_call, &options("x86_64", 0)).unwrap_err();
    assert!(matches!(err, CompileError::InvalidWasm(_)), "{err}");
}

#[test]
fn invalid_wasm_is_an_error() {
    let err = compile_module(b"\0asm\x01\0\0\0\x01", &options("x86_64", 0)).unwrap_err();
    assert!(matches!(err, CompileError::InvalidWasm(_)), "{err}");
    let err = compile_module(b"not wasm", &options("x86_64", 0)).unwrap_err();
    assert!(matches!(err, CompileError::InvalidWasm(_)), "{err}");
}

#[test]
fn dead_code_and_nested_unreachable_blocks_compile() {
    let bytes = wasm(
        r#"(module
          (func (param i32) (result i32)
            (block (result i32)
              (return (i32.const 1))
              (block (loop (if (local.get 0) (then (br 2)) (else (unreachable)))))
              (i32.const 2)))
          (func (result i32)
            (if (result i32) (i32.const 1) (then (unreachable)) (else (unreachable))))
          (func (param i32) (result i32)
            (loop (result i32) (br_if 0 (local.get 0)) (i32.const 3)))
          (func (param i32)
            (if (local.get 0) (then (nop))))
          (func (param i32) (result i32)
            (local.get 0)
            (if (param i32) (result i32) (local.get 0) (then (i32.const 1) (i32.add)))))"#,
    );
    for opt in [0, 2] {
        compile_module(&bytes, &options("x86_64", opt)).unwrap();
    }
}
