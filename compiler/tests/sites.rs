//! `.kiln.sites`: the module offsets kept as debug locations do not change
//! a byte of x86_64 code, come back for every function on every target
//! (asked for explicitly on AArch64 and RISC-V, where they are off by
//! default), and name the functions LLVM inlined.

mod support;

use kiln_compiler::artifact::compile_artifact;
use kiln_format::artifact::{decode_sites, KilnSymbol, SymbolSites, SITES_SECTION};
use object::read::elf::ElfFile64;
use object::read::{Object as _, ObjectSection as _};
use object::LittleEndian as LE;
use support::{options, wasm};

/// Sections as (name, bytes).
type Sections = Vec<(String, Vec<u8>)>;

/// Every loaded section of `artifact`, and its sites.
fn split(artifact: &[u8]) -> (Sections, Option<Vec<SymbolSites>>) {
    let file = ElfFile64::<LE>::parse(artifact).unwrap();
    let mut loaded = Vec::new();
    let mut sites = None;
    for s in file.sections() {
        let name = s.name().unwrap().to_string();
        if name == SITES_SECTION {
            sites = Some(decode_sites(s.data().unwrap()).unwrap());
        } else if s.elf_section_header().sh_flags.get(LE) & u64::from(object::elf::SHF_ALLOC) != 0 {
            loaded.push((name, s.data().unwrap().to_vec()));
        }
    }
    (loaded, sites)
}

fn compile(wasm: &[u8], arch: &str, offsets: bool) -> Vec<u8> {
    let mut o = options(arch, 3);
    o.wasm_offsets = offsets;
    compile_artifact(wasm, &o).unwrap()
}

/// A module whose small functions LLVM inlines into `main`, and a trap in
/// each of two ways.
const INLINING: &str = r#"(module
  (memory 1)
  (func $leaf (param i32) (result i32)
    (i32.load (local.get 0)))
  (func $mid (param i32) (result i32)
    (i32.add (call $leaf (local.get 0)) (i32.const 3)))
  (func $div (param i32 i32) (result i32)
    (i32.add (i32.div_u (local.get 0) (local.get 1))
             (i32.div_u (local.get 1) (local.get 0))))
  (func (export "main") (param i32) (result i32)
    (i32.mul (call $mid (local.get 0)) (call $div (local.get 0) (i32.const 7)))))"#;

#[test]
fn offsets_never_change_the_code() {
    let trap = include_str!("../../tests/backtrace/trap.wat");
    let sha = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../benches/wasm/sha256.wasm"
    ))
    .unwrap();
    let keywords = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../benches/wasm/keywords.wasm"
    ))
    .unwrap();
    let modules = [
        ("trap", wasm(trap)),
        ("inlining", wasm(INLINING)),
        ("sha256", sha),
        ("keywords", keywords),
    ];
    for (what, bytes) in modules {
        for arch in ["x86_64", "aarch64", "riscv64"] {
            if what == "keywords" && arch != "x86_64" {
                continue;
            }
            let (with, sites) = split(&compile(&bytes, arch, true));
            let (without, none) = split(&compile(&bytes, arch, false));
            // With debug info LLVM emits CFI in every prologue on AArch64
            // and RISC-V, which reorders prologue instructions there: the
            // offsets are off by default on those targets.
            if arch == "x86_64" {
                assert_eq!(with, without, "{what} on {arch}: loaded sections differ");
            }
            assert!(none.is_none(), "{what} on {arch}: sites without offsets");
            let sites = sites.unwrap_or_else(|| panic!("{what} on {arch}: no sites"));
            // Every function has a table, and most sites an offset: line 0
            // rows are kept (as offset 0, unknown) because a call LLVM
            // merged from several (the stack checks of a function and one
            // inlined into it) has one; most line 0 rows are code LLVM
            // moved or made up (hoisted, a jump table's), never a stop.
            let n = bytes.len();
            let funcs = kiln_format::module_env::ModuleEnv::parse(&bytes)
                .map(|e| e.bodies.len())
                .unwrap_or(0);
            assert_eq!(sites.len(), funcs, "{what} ({n} bytes) on {arch}");
            let all: Vec<_> = sites.iter().flat_map(|s| &s.sites).collect();
            let known = all.iter().filter(|x| x.offset != 0).count();
            assert!(
                all.len() < 100 || known * 3 >= all.len() * 2,
                "{what} on {arch}: {known} of {}",
                all.len()
            );
        }
    }
}

#[test]
fn inlined_functions_have_frames() {
    let bytes = wasm(INLINING);
    let (_, sites) = split(&compile(&bytes, "x86_64", true));
    let sites = sites.unwrap();
    let main = sites
        .iter()
        .find(|s| s.symbol == KilnSymbol::Func(3))
        .expect("main has sites");
    let inlined: Vec<u32> = main
        .sites
        .iter()
        .flat_map(|s| s.inlined.iter().map(|i| i.func))
        .collect();
    // `leaf` inside `mid` inside `main`: two levels.
    assert!(inlined.contains(&0) && inlined.contains(&1), "{main:?}");
    let chain = main
        .sites
        .iter()
        .find(|s| s.inlined.first().is_some_and(|i| i.func == 0))
        .unwrap();
    assert_eq!(
        chain.inlined.iter().map(|i| i.func).collect::<Vec<_>>(),
        [0, 1],
        "innermost first"
    );
    assert!(chain.inlined.iter().all(|i| i.offset != 0) && chain.offset != 0);
}
