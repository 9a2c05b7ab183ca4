//! Artifacts written by `compile_artifact`: readable by the format's own
//! checks, one symbol per function, and identical whatever the thread count.

use kiln_compiler::{compile_artifact, CompileOptions, TargetSpec};
use kiln_format::artifact::{
    decode_header, decode_metadata, identify, verify_checksum, wasm_hash, Arch, ExternKind,
    CHECKSUM_SECTION, DATA_SECTION, HEADER_SECTION, METADATA_SECTION,
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

/// 60 functions (several chunks), each calling the next two directly, so
/// some calls stay inside a chunk (and may be inlined) and some cross one.
fn calling_functions() -> Vec<u8> {
    let mut text = String::from("(module");
    for i in 0..60 {
        let calls = if i < 58 {
            format!("(i32.add (call {}) (call {}))", i + 1, i + 2)
        } else {
            "(i32.const 1)".to_string()
        };
        text.push_str(&format!(
            "(func (export \"f{i}\") (result i32) (i32.add (i32.const {i}) {calls}))"
        ));
    }
    text.push(')');
    wat::parse_str(&text).unwrap()
}

#[test]
fn artifact_bytes_do_not_depend_on_the_thread_count() {
    for wasm in [many_functions(), calling_functions()] {
        let one = compile_artifact(&wasm, &options("x86_64", 1)).unwrap();
        for threads in [2, 3, 4] {
            let other = compile_artifact(&wasm, &options("x86_64", threads)).unwrap();
            assert!(one == other, "-j{threads} wrote different bytes than -j1");
        }
    }
}

/// A module with constants (rodata), traps, an import and multi-value.
fn mixed() -> Vec<u8> {
    wat::parse_str(
        r#"(module
          (import "env" "h" (func $h (param i32 f64) (result i32 i64)))
          (import "env" "g" (func $g (param f32)))
          (memory 1)
          (func (export "a") (param i32) (result i32)
            (call $h (local.get 0) (f64.const 1.5)) drop)
          (func (param f32) (result f32) (f32.mul (local.get 0) (f32.const 3.25)))
          (func (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "s") (param i32) (result i32 i64)
            (block (block (block (br_table 0 1 2 (local.get 0)))
              (return (i32.const 5) (i64.const 1)))
              (return (i32.const 7) (i64.const 2)))
            (i32.const 9) (i64.const 3))
          (data (i32.const 16) "hello"))"#,
    )
    .unwrap()
}

/// What a relocation points at, by name.
fn target_name(file: &object::File<'_>, r: &object::Relocation) -> String {
    match r.target() {
        object::RelocationTarget::Symbol(i) => {
            let s = file.symbol_by_index(i).unwrap();
            match s.section_index() {
                Some(sec) if s.kind() == object::SymbolKind::Section => {
                    format!(
                        "section {}",
                        file.section_by_index(sec).unwrap().name().unwrap()
                    )
                }
                _ => s.name().unwrap().to_string(),
            }
        }
        object::RelocationTarget::Section(i) => {
            format!(
                "section {}",
                file.section_by_index(i).unwrap().name().unwrap()
            )
        }
        other => format!("{other:?}"),
    }
}

type Sec = (String, u64, u64, Vec<u8>);
type Reloc = (String, u64, object::RelocationFlags, i64, String);
type Sym = (
    String,
    u64,
    u64,
    object::SymbolKind,
    object::SymbolScope,
    bool,
    String,
);

/// The loaded sections (name, flags, entry size, bytes), symbols and
/// relocations of an ELF file, by name.
fn contents(bytes: &[u8]) -> (Vec<Sec>, Vec<Sym>, Vec<Reloc>, u32) {
    use object::read::elf::{ElfFile64, FileHeader, SectionHeader};
    let elf = ElfFile64::<object::LittleEndian>::parse(bytes).unwrap();
    let e = object::LittleEndian;
    let file = object::File::parse(bytes).unwrap();
    let mut sections = Vec::new();
    let mut relocs = Vec::new();
    for s in elf.sections() {
        let h = s.elf_section_header();
        if h.sh_flags(e) & u64::from(object::elf::SHF_ALLOC) == 0 {
            continue;
        }
        let name = s.name().unwrap().to_string();
        sections.push((
            name.clone(),
            h.sh_flags(e),
            h.sh_entsize(e),
            s.data().unwrap().to_vec(),
        ));
        for (offset, r) in file.section_by_index(s.index()).unwrap().relocations() {
            relocs.push((
                name.clone(),
                offset,
                r.flags(),
                r.addend(),
                target_name(&file, &r),
            ));
        }
    }
    let symbols = file
        .symbols()
        .filter(|s| s.kind() != object::SymbolKind::File && s.kind() != object::SymbolKind::Section)
        .map(|s| {
            let flags = match s.flags() {
                object::SymbolFlags::Elf { st_info, st_other } => {
                    format!("{st_info:x}/{st_other:x}")
                }
                other => format!("{other:?}"),
            };
            (
                s.name().unwrap().to_string(),
                s.address(),
                s.size(),
                s.kind(),
                s.scope(),
                s.is_weak(),
                flags,
            )
        })
        .collect();
    (sections, symbols, relocs, elf.elf_header().e_flags(e))
}

#[test]
fn code_symbols_and_relocations_are_llvms_exactly() {
    use kiln_format::artifact::relocate::{abs64, width};
    let wasm = mixed();
    for (target, arch) in [
        ("x86_64", Arch::X86_64),
        ("aarch64", Arch::Aarch64),
        ("riscv64", Arch::Riscv64),
    ] {
        let opts = options(target, 1);
        let object = kiln_compiler::compile_module(&wasm, &opts).unwrap().bytes;
        let artifact = compile_artifact(&wasm, &opts).unwrap();
        let (obj_sections, obj_symbols, obj_relocs, obj_flags) = contents(&object);
        let (art_sections, art_symbols, art_relocs, art_flags) = contents(&artifact);
        // The prelinked artifact (SPEC.md 4.18) adds the stubs and the
        // table; its other sections are LLVM's, byte for byte but for the
        // places kilnc relocated.
        let helpers = [".text.kiln_stubs", ".got"];
        let art: Vec<&Sec> = art_sections
            .iter()
            .filter(|s| !helpers.contains(&&*s.0))
            .collect();
        assert_eq!(obj_sections.len(), art.len(), "{target}");
        for (o, a) in obj_sections.iter().zip(art) {
            assert_eq!(
                (&o.0, o.1, o.2, o.3.len()),
                (&a.0, a.1, a.2, a.3.len()),
                "{target}"
            );
            let mut masked = (o.3.clone(), a.3.clone());
            for r in obj_relocs.iter().filter(|r| r.0 == o.0) {
                let object::RelocationFlags::Elf { r_type } = r.2 else {
                    panic!("{r:?}")
                };
                let place = r.1 as usize..r.1 as usize + width(arch, r_type);
                masked.0[place.clone()].fill(0);
                masked.1[place].fill(0);
            }
            assert!(masked.0 == masked.1, "{target}: {}", o.0);
        }
        assert_eq!(obj_symbols, art_symbols, "{target}");
        assert!(!obj_relocs.is_empty(), "{target}");
        // What is left: one absolute relocation per table slot, naming
        // each runtime symbol the code calls.
        let mut calls: Vec<&str> = obj_relocs
            .iter()
            .filter(|r| kiln_format::artifact::is_allowed_import(&r.4))
            .map(|r| &*r.4)
            .collect();
        calls.sort();
        calls.dedup();
        let mut slots: Vec<&str> = art_relocs.iter().map(|r| &*r.4).collect();
        slots.sort();
        assert_eq!(calls, slots, "{target}");
        for r in &art_relocs {
            assert_eq!(r.0, ".got", "{target}");
            assert_eq!(
                r.2,
                object::RelocationFlags::Elf {
                    r_type: abs64(arch)
                }
            );
        }
        assert_eq!(obj_flags, art_flags, "{target}");
        if target == "riscv64" {
            assert_eq!(art_flags & 0x6, 0x4, "double-float ABI");
        }
    }
}

#[test]
fn every_section_is_allowed_and_every_function_has_its_symbols() {
    use kiln_format::artifact::{classify_section, is_allowed_import, KilnSymbol, SectionKind};
    use object::read::elf::{ElfFile64, SectionHeader};
    let wasm = mixed();
    for target in ["x86_64", "aarch64", "riscv64"] {
        let bytes = compile_artifact(&wasm, &options(target, 1)).unwrap();
        let elf = ElfFile64::<object::LittleEndian>::parse(&*bytes).unwrap();
        let mut kiln = Vec::new();
        for s in elf.sections() {
            let flags = s.elf_section_header().sh_flags(object::LittleEndian);
            let kind = classify_section(s.name().unwrap(), flags).unwrap();
            if kind == SectionKind::Kiln {
                kiln.push(s.name().unwrap().to_string());
            }
        }
        // `.kiln.names` (the module names its functions); `.kiln.sites`
        // on x86_64, where kilnc writes it by default.
        let mut want = vec![HEADER_SECTION, METADATA_SECTION, DATA_SECTION];
        want.push(kiln_format::artifact::NAMES_SECTION);
        if target == "x86_64" {
            want.push(kiln_format::artifact::SITES_SECTION);
        }
        want.push(kiln_format::artifact::IMAGE_SECTION);
        want.push(CHECKSUM_SECTION);
        assert_eq!(kiln, want, "{target}");
        let file = object::File::parse(&*bytes).unwrap();
        let mut defined = std::collections::BTreeSet::new();
        for s in file.symbols() {
            let name = s.name().unwrap();
            if s.is_undefined() {
                assert!(is_allowed_import(name), "{target}: imports {name}");
            } else if let Some(k) = KilnSymbol::parse(name) {
                assert!(
                    s.is_global() && s.kind() == object::SymbolKind::Text,
                    "{target}: {name}"
                );
                assert!(s.size() > 0, "{target}: {name}");
                defined.insert(k.to_string());
            }
        }
        // Types: 0 (i32 f64) -> (i32 i64), 1 (f32) -> (), 2 (i32) -> i32,
        // 3 (f32) -> f32, 4 (i32 i32) -> i32, 5 (i32) -> (i32 i64).
        let expected: std::collections::BTreeSet<String> = [
            "kiln_func_2",
            "kiln_func_3",
            "kiln_func_4",
            "kiln_func_5",
            "kiln_array_call_0",
            "kiln_array_call_1",
            "kiln_array_call_2",
            "kiln_array_call_3",
            "kiln_array_call_4",
            "kiln_array_call_5",
            "kiln_wasm_call_0",
            "kiln_wasm_call_1",
        ]
        .map(String::from)
        .into();
        assert_eq!(defined, expected, "{target}");
    }
}

#[test]
fn headers_record_target_features_flags_and_hash() {
    use kiln_format::artifact::{BoundsChecks, FORMAT_VERSION};
    let wasm = mixed();
    for (target, cpu, features, bounds) in [
        ("x86_64", Some("x86-64-v2"), Some("+bmi2"), None),
        ("aarch64", Some("cortex-a72"), None, Some(true)),
        ("riscv64-unknown-linux-gnu", None, Some("+zba"), None),
    ] {
        let spec = TargetSpec::new(Some(target), cpu, features).unwrap();
        let mut opts = CompileOptions::new(spec.clone());
        opts.threads = 1;
        opts.opt_level = 2;
        opts.bounds_checks = bounds;
        let bytes = compile_artifact(&wasm, &opts).unwrap();
        let file = object::File::parse(&*bytes).unwrap();
        let h = decode_header(section(&file, HEADER_SECTION)).unwrap();
        assert_eq!(h.format_version, FORMAT_VERSION);
        assert!(
            h.compiler_version.starts_with("kilnc 0."),
            "{}",
            h.compiler_version
        );
        assert!(
            h.compiler_version.contains("(LLVM 19."),
            "{}",
            h.compiler_version
        );
        assert_eq!(h.target, spec.triple);
        assert_eq!(h.cpu, spec.cpu);
        assert_eq!(
            h.cpu_features,
            kiln_compiler::artifact::cpu_features(&spec).unwrap()
        );
        assert_eq!(h.flags.opt_level, 2);
        assert_eq!(
            h.flags.bounds_checks,
            if bounds == Some(true) {
                BoundsChecks::Explicit
            } else {
                BoundsChecks::GuardPages {
                    guard_size: 2 << 30,
                }
            }
        );
        assert_eq!(h.wasm_hash, wasm_hash(&wasm));
        let has = |f: &str| h.cpu_features.iter().any(|x| x == f);
        match target {
            "x86_64" => assert!(has("bmi2") && has("sse4.2") && !has("avx") && !has("sse2")),
            "aarch64" => assert!(has("crc") && has("aes") && !has("neon")),
            _ => assert!(has("zba") && has("c") && !has("d")),
        }
        let meta = decode_metadata(section(&file, METADATA_SECTION)).unwrap();
        meta.validate_data(section(&file, DATA_SECTION).len())
            .unwrap();
        assert_eq!(section(&file, DATA_SECTION), b"hello");
    }
}

/// The values every relocation of `.rodata` stores when `.text` is loaded
/// at `text` and `.rodata` at `rodata` (only the kinds jump tables use).
fn rodata_values(bytes: &[u8], text: i64, rodata: i64) -> Vec<(u64, i64)> {
    use object::elf::{R_RISCV_32_PCREL, R_RISCV_ADD32, R_RISCV_SUB32};
    let file = object::File::parse(bytes).unwrap();
    let section = file.section_by_name(".rodata").unwrap();
    let data = section.data().unwrap();
    let base = |sym: object::SymbolIndex| {
        let s = file.symbol_by_index(sym).unwrap();
        let sec = file.section_by_index(s.section_index().unwrap()).unwrap();
        let start = if sec.name().unwrap() == ".rodata" {
            rodata
        } else {
            text
        };
        start + s.address() as i64
    };
    let mut values: std::collections::BTreeMap<u64, i64> = Default::default();
    for (offset, r) in section.relocations() {
        let object::RelocationTarget::Symbol(sym) = r.target() else {
            panic!("{r:?}");
        };
        let object::RelocationFlags::Elf { r_type } = r.flags() else {
            panic!("{r:?}");
        };
        let word = i32::from_le_bytes(data[offset as usize..][..4].try_into().unwrap()) as i64;
        let v = values.entry(offset).or_insert(word);
        match r_type {
            R_RISCV_ADD32 => *v += base(sym) + r.addend(),
            R_RISCV_SUB32 => *v -= base(sym) + r.addend(),
            R_RISCV_32_PCREL => *v = base(sym) + r.addend() - (rodata + offset as i64),
            other => panic!("unexpected relocation type {other}"),
        }
    }
    values.into_iter().collect()
}

#[test]
fn riscv_jump_tables_become_pc_relative_with_the_same_values() {
    let mut text = String::from("(module (memory 1) (func (export \"f\") (param i32) (result i32)");
    for _ in 0..8 {
        text.push_str("(block ");
    }
    text.push_str("(br_table 0 1 2 3 4 5 6 7 (local.get 0))");
    // Different work in each arm, so LLVM needs a jump table.
    let ops = ["add", "sub", "mul", "xor", "shl", "rotl", "div_u", "rem_u"];
    for (i, op) in ops.iter().enumerate() {
        text.push_str(&format!(
            ") (return (i32.{op} (local.get 0) (i32.load offset={} (local.get 0))))",
            i * 8 + 4
        ));
    }
    text.push_str("(i32.const 0)))");
    let wasm = wat::parse_str(&text).unwrap();
    let opts = options("riscv64", 1);
    let object = kiln_compiler::compile_module(&wasm, &opts).unwrap().bytes;
    let artifact = compile_artifact(&wasm, &opts).unwrap();
    let before = rodata_values(&object, 0x10000, 0x5_0000);
    assert!(before.len() >= 7, "no jump table: {before:?}");
    // kilnc applied them: each entry holds what the relocation gives at
    // the image offsets of `.text` and `.rodata`.
    let file = object::File::parse(&*artifact).unwrap();
    let image = file.section_by_name(".kiln.image").unwrap().data().unwrap();
    let image_offset = u64::from_le_bytes(image[..8].try_into().unwrap());
    let at = |name: &str| {
        let (offset, _) = file.section_by_name(name).unwrap().file_range().unwrap();
        (offset - image_offset) as i64
    };
    let rodata = file.section_by_name(".rodata").unwrap();
    assert_eq!(rodata.relocations().count(), 0);
    let data = rodata.data().unwrap();
    let stored: Vec<(u64, i64)> = rodata_values(&object, at(".text"), at(".rodata"))
        .iter()
        .map(|&(offset, _)| {
            let word = &data[offset as usize..][..4];
            (offset, i32::from_le_bytes(word.try_into().unwrap()) as i64)
        })
        .collect();
    assert_eq!(rodata_values(&object, at(".text"), at(".rodata")), stored);
}
