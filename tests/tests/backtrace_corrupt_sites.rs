//! An artifact whose `.kiln.sites` is corrupt (checksum resealed, as a
//! buggy compiler would write it) loads and runs; its traps still carry
//! their frames, named, without module offsets (and without the frames of
//! inlined functions): never an error or a crash.

use kiln_format::artifact::{seal_checksum, CHECKSUM_SECTION, SITES_SECTION};
use kiln_runtime::{Linker, Module, Store, Val};
use kiln_tests::Mode;

/// The file range of section `name` of ELF64 little-endian `elf`.
fn section(elf: &[u8], name: &str) -> std::ops::Range<usize> {
    let u16_at = |at: usize| u16::from_le_bytes([elf[at], elf[at + 1]]) as usize;
    let u32_at = |at: usize| u32::from_le_bytes(elf[at..at + 4].try_into().unwrap()) as usize;
    let u64_at = |at: usize| u64::from_le_bytes(elf[at..at + 8].try_into().unwrap()) as usize;
    let (shoff, shentsize, shnum, shstrndx) =
        (u64_at(0x28), u16_at(0x3a), u16_at(0x3c), u16_at(0x3e));
    let header = |i: usize| shoff + i * shentsize;
    let strtab = u64_at(header(shstrndx) + 0x18);
    (0..shnum)
        .map(header)
        .find(|&h| {
            let at = strtab + u32_at(h);
            elf[at..].starts_with(name.as_bytes()) && elf[at + name.len()] == 0
        })
        .map(|h| u64_at(h + 0x18)..u64_at(h + 0x18) + u64_at(h + 0x20))
        .unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn corrupt_sites_give_frames_without_offsets() {
    let mode: Mode = "aot".parse().unwrap();
    if mode.check().is_err() {
        eprintln!("skipped: no LLVM here");
        return;
    }
    let engine = kiln_tests::engine_for(mode).unwrap();
    let wasm = wat::parse_str(include_str!("../backtrace/trap.wat")).unwrap();
    let mut artifact = engine.precompile_module(&wasm).unwrap();
    let sites = section(&artifact, SITES_SECTION);
    artifact[sites].fill(0xff);
    let checksum = section(&artifact, CHECKSUM_SECTION);
    seal_checksum(&mut artifact, checksum).unwrap();
    let module = Module::from_artifact(&engine, &artifact, Some(&wasm)).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new().instantiate(&mut store, &module).unwrap();
    let main = instance.get_func(&store, "main").unwrap();
    let e = main
        .call(&mut store, &[Val::I32(1)], &mut [Val::I32(0)])
        .unwrap_err();
    let frames = e.as_trap().unwrap().backtrace().unwrap().frames().to_vec();
    let names: Vec<_> = frames.iter().map(|f| f.func_name()).collect();
    // `middle`, which LLVM inlined into `main`, has no frame without sites.
    assert_eq!(names.first(), Some(&Some("inner")), "{names:?}");
    assert_eq!(names.last(), Some(&Some("main")), "{names:?}");
    assert!(
        frames.iter().all(|f| f.module_offset().is_none()),
        "{frames:?}"
    );
}
