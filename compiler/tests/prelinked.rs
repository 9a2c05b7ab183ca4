//! Prelinked artifacts (SPEC.md 4.18): the image `kilnc` lays out loads
//! on every target, from bytes and from a file, runs, and every damage to
//! its layout or its remaining relocations is refused by name.

use kiln_compiler::{compile_artifact, CompileOptions, TargetSpec};
use kiln_format::artifact::{
    decode_header, seal_checksum, Arch, ArtifactError, HostInfo, ImageLayout, CHECKSUM_SECTION,
    HEADER_SECTION, IMAGE_ALIGN, IMAGE_SECTION, TABLE_SECTION,
};
use kiln_loader::{load, load_file, LoadError, LoadOptions};
use object::{Object, ObjectSection};

/// Calls between functions, a trap (`kiln_rt_trap`), `memory.grow` and a
/// `memory.fill` (intrinsics through the table) and a `br_table` (a jump
/// table among the constants).
const WAT: &str = r#"(module
  (memory 1)
  (func $double (param i32) (result i32) (i32.add (local.get 0) (local.get 0)))
  (func (export "run") (param i32) (result i32)
    (if (i32.eq (local.get 0) (i32.const 99)) (then unreachable))
    (memory.fill (i32.const 0) (local.get 0) (i32.const 16))
    (drop (memory.grow (i32.const 1)))
    (block (block (block (block
      (br_table 0 1 2 3 (local.get 0)))
      (return (i32.const 10)))
      (return (call $double (i32.const 21))))
      (return (i32.load8_u (i32.const 3))))
    (memory.size)))"#;

fn artifact(target: &str) -> Vec<u8> {
    let wasm = wat::parse_str(WAT).unwrap();
    compile_artifact(
        &wasm,
        &CompileOptions::new(TargetSpec::new(Some(target), None, None).unwrap()),
    )
    .unwrap()
}

/// Every runtime symbol at one fake address (the code never runs).
fn resolve(_: &str) -> Option<usize> {
    Some(0x1000)
}

/// A host of `arch` with every CPU feature `kilnc` may use there.
fn opts(arch: Arch, features: &'static [&'static str]) -> LoadOptions<'static> {
    let mut o = LoadOptions::new(&resolve);
    o.host = HostInfo {
        arch,
        cpu_features: features,
        guard_size: Some(u64::MAX),
    };
    o
}

/// The CPU features `bytes` needs (leaked: a test's few strings).
fn features(bytes: &[u8]) -> &'static [&'static str] {
    let (_, range) = section(bytes, HEADER_SECTION);
    let names = decode_header(&bytes[range]).unwrap().cpu_features;
    let names: Vec<&'static str> = names.into_iter().map(|n| &*n.leak()).collect();
    names.leak()
}

fn x86() -> Vec<u8> {
    artifact("x86_64")
}

/// Section `name`'s header index and contents' file range.
fn section(bytes: &[u8], name: &str) -> (usize, std::ops::Range<usize>) {
    let file = object::File::parse(bytes).unwrap();
    let s = file.section_by_name(name).unwrap();
    let (start, len) = s.file_range().unwrap();
    (s.index().0, start as usize..(start + len) as usize)
}

/// The file offset of section `index`'s header.
fn header_at(bytes: &[u8], index: usize) -> usize {
    u64::from_le_bytes(bytes[40..48].try_into().unwrap()) as usize + index * 64
}

fn reseal(bytes: &mut [u8]) {
    let (_, range) = section(bytes, CHECKSUM_SECTION);
    bytes[range.clone()].fill(0);
    seal_checksum(bytes, range).unwrap();
}

fn image(bytes: &[u8]) -> ImageLayout {
    let (_, range) = section(bytes, IMAGE_SECTION);
    ImageLayout::decode(&bytes[range], bytes.len() as u64).unwrap()
}

fn set_image(bytes: &mut [u8], layout: ImageLayout) {
    let (_, range) = section(bytes, IMAGE_SECTION);
    bytes[range].copy_from_slice(&layout.encode());
    reseal(bytes);
}

fn refusal(bytes: &[u8]) -> ArtifactError {
    match load(bytes, &opts(Arch::X86_64, features(bytes))) {
        Err(LoadError::Artifact(e)) => e,
        Err(e) => panic!("not a refusal: {e}"),
        Ok(_) => panic!("loaded"),
    }
}

#[test]
fn every_target_is_prelinked_and_loads() {
    for (target, arch) in [
        ("x86_64", Arch::X86_64),
        ("aarch64", Arch::Aarch64),
        ("riscv64", Arch::Riscv64),
    ] {
        let bytes = artifact(target);
        let layout = image(&bytes);
        assert_eq!(layout.offset % IMAGE_ALIGN, 0, "{target}");
        assert!(
            layout.code_end > 0 && layout.readonly_end < layout.end,
            "{target}"
        );
        // The only relocations left fill the table.
        let file = object::File::parse(&*bytes).unwrap();
        for s in file.sections() {
            let relocs = s.relocations().count();
            let name = s.name().unwrap();
            assert!(
                relocs == 0 || name == TABLE_SECTION,
                "{target}: {name} has {relocs}"
            );
        }
        let loaded = load(&bytes, &opts(arch, features(&bytes))).unwrap();
        assert!(loaded
            .func(1)
            .is_some_and(|f| loaded.code_range().contains(&f)));
    }
}

#[test]
fn a_file_is_mapped_and_runs() {
    let dir = std::env::temp_dir().join(format!("kiln-prelinked-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("run.aot");
    std::fs::write(&path, x86()).unwrap();
    let engine = kiln_runtime::Engine::default();
    let module = kiln_runtime::Module::from_artifact_file(&engine, &path, None).unwrap();
    let mut store = kiln_runtime::Store::new(&engine, ());
    let instance = kiln_runtime::Instance::new(&mut store, &module, &[]).unwrap();
    let run = instance.get_func(&store, "run").unwrap();
    let run = run.typed::<i32, i32>(&store).unwrap();
    // Each call but the trapping one fills 16 bytes with its argument and
    // grows the memory by a page first.
    assert_eq!(run.call(&mut store, 0).unwrap(), 10);
    assert_eq!(run.call(&mut store, 1).unwrap(), 42);
    assert_eq!(run.call(&mut store, 2).unwrap(), 2);
    assert_eq!(run.call(&mut store, 7).unwrap(), 5);
    assert!(run
        .call(&mut store, 99)
        .unwrap_err()
        .to_string()
        .contains("unreachable"));
    // A truncated file is refused, never mapped past its end.
    let bytes = x86();
    for cut in [bytes.len() / 2, image(&bytes).offset as usize + 100, 70] {
        std::fs::write(&path, &bytes[..cut]).unwrap();
        let e = load_file(&path, &opts(Arch::X86_64, features(&bytes))).unwrap_err();
        assert!(e.artifact_error().is_some(), "{cut}: {e}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_damaged_layout_is_refused() {
    let bytes = x86();
    let good = image(&bytes);
    let bad_image = |layout: ImageLayout| {
        let mut b = bytes.clone();
        set_image(&mut b, layout);
        refusal(&b)
    };
    let named = |e: &ArtifactError, section: &str, why: &str| matches!(e, ArtifactError::BadSection { section: s, reason } if s == section && reason.contains(why));
    let e = bad_image(ImageLayout {
        offset: good.offset + 8,
        ..good
    });
    assert!(named(&e, IMAGE_SECTION, "multiples"), "{e}");
    let e = bad_image(ImageLayout {
        end: good.end + (64 << 20),
        ..good
    });
    assert!(named(&e, IMAGE_SECTION, "outside"), "{e}");
    let e = bad_image(ImageLayout {
        code_end: good.code_end - IMAGE_ALIGN,
        ..good
    });
    assert!(named(&e, ".text", "Constants pages"), "{e}");
    let e = bad_image(ImageLayout {
        readonly_end: good.code_end - IMAGE_ALIGN,
        ..good
    });
    assert!(named(&e, IMAGE_SECTION, "out of order"), "{e}");
    // Constants may lie in relocated pages (they are copied then).
    let mut b = bytes.clone();
    set_image(
        &mut b,
        ImageLayout {
            readonly_end: good.code_end,
            ..good
        },
    );
    load(&b, &opts(Arch::X86_64, features(&b))).unwrap();
    let mut short = bytes.clone();
    let (index, _) = section(&short, IMAGE_SECTION);
    let size = header_at(&short, index) + 32;
    short[size..size + 8].copy_from_slice(&16u64.to_le_bytes());
    reseal(&mut short);
    assert!(named(&refusal(&short), IMAGE_SECTION, "size"));
}

#[test]
fn relocations_left_in_the_image_are_checked() {
    let bytes = x86();
    let (table, table_range) = section(&bytes, TABLE_SECTION);
    let (rela, rela_range) = section(&bytes, ".rela.got");
    let (text, _) = section(&bytes, ".text");
    // Moved onto the code: a relocation into a code page.
    let mut b = bytes.clone();
    let info = header_at(&b, rela) + 44;
    b[info..info + 4].copy_from_slice(&(text as u32).to_le_bytes());
    reseal(&mut b);
    let e = refusal(&b);
    assert!(
        matches!(&e, ArtifactError::BadRelocation { location, .. } if location.contains("code page")),
        "{e}"
    );
    // A slot past the table's end.
    let mut b = bytes.clone();
    let past = table_range.len() as u64;
    b[rela_range.start..rela_range.start + 8].copy_from_slice(&past.to_le_bytes());
    reseal(&mut b);
    let e = refusal(&b);
    assert!(
        matches!(&e, ArtifactError::BadRelocation { location, .. } if location.contains("past the end")),
        "{e}"
    );
    // A PC-relative kind where only absolute ones remain.
    let mut b = bytes.clone();
    b[rela_range.start + 8..rela_range.start + 12].copy_from_slice(&2u32.to_le_bytes());
    reseal(&mut b);
    let e = refusal(&b);
    assert!(
        matches!(&e, ArtifactError::BadRelocation { location, .. } if location.contains("only absolute")),
        "{e}"
    );
    let _ = table;
}
