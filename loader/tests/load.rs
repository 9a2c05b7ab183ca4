//! Loading real artifacts end to end: x86_64 code runs, runtime symbols
//! come from the resolver, relocations of every allowed x86_64 kind land,
//! and no page is writable and executable at once. aarch64 and riscv64
//! artifacts are loaded for a host that claims their architecture and
//! their relocated bytes are checked (this machine cannot run them).

mod common;

use common::*;
use kiln_format::artifact::Arch;
use kiln_loader::{host_info, load, LoadOptions, LoadedArtifact};

fn opts(arch: Arch) -> LoadOptions<'static> {
    LoadOptions {
        host: host(arch),
        wasm: Some(WASM),
        resolver: &resolver,
        partial: false,
    }
}

fn load_x86() -> LoadedArtifact {
    load(&x86_64().write(), &opts(Arch::X86_64)).unwrap()
}

#[cfg(target_arch = "x86_64")]
#[test]
fn x86_64_code_runs() {
    let loaded = load_x86();
    type Add = extern "C" fn(*mut u8, i32, i32) -> i32;
    type Unary = extern "C" fn(*mut u8, i32) -> i32;
    type Nullary = extern "C" fn(*mut u8) -> i32;
    type Nullary64 = extern "C" fn(*mut u8) -> u64;
    let vmctx = std::ptr::null_mut();
    let addr = |f: u32| loaded.func(f).unwrap();
    // SAFETY: each address is a function of that signature in the test
    // artifact, alive as long as `loaded`.
    unsafe {
        let add: Add = std::mem::transmute(addr(1));
        assert_eq!(add(vmctx, 40, 2), 42);
        let plt: Unary = std::mem::transmute(addr(2));
        assert_eq!(plt(vmctx, 5), 16);
        let rodata: Nullary = std::mem::transmute(addr(3));
        assert_eq!(rodata(vmctx), 0x1234_5678);
        let got: Unary = std::mem::transmute(addr(4));
        assert_eq!(got(vmctx, -7), -21);
        let table: Add = std::mem::transmute(addr(5));
        assert_eq!(table(vmctx, 1000, 234), 1234);
        let memcpy: Nullary64 = std::mem::transmute(addr(6));
        assert_eq!(memcpy(vmctx), FAKE_MEMCPY as u64);
        let tramp: Add = std::mem::transmute(loaded.array_call(0).unwrap());
        assert_eq!(tramp(vmctx, 2, 2), 4);
    }
}

#[test]
fn symbols_metadata_and_data_are_exposed() {
    let loaded = load_x86();
    assert_eq!(loaded.funcs().len(), 7);
    assert_eq!(loaded.func(0), None, "imports have no code");
    assert_eq!(loaded.func(7), None);
    let code = loaded.code_range();
    for f in 1..=6 {
        let a = loaded.func(f).unwrap();
        assert!(code.contains(&a), "function {f}");
        assert_eq!(loaded.func_at(a), Some(f));
        assert_eq!(loaded.func_at(a + 2), Some(f));
    }
    assert_eq!(loaded.func_at(code.end + 1), None);
    assert_eq!(loaded.func_at(0), None);
    assert_eq!(loaded.array_call(0), loaded.func(1));
    assert!(loaded.wasm_call(1).is_some());
    assert_eq!(loaded.wasm_call(0), None);
    assert_eq!(loaded.data_segment(0), Some(&b"hello"[..]));
    assert_eq!(loaded.data(), b"hello");
    assert_eq!(loaded.header().target, "x86_64-unknown-linux-gnu");
    assert_eq!(loaded.metadata().functions.len(), 6);
    // The mapping is code, then data from the next page on.
    assert!(loaded.image_range().start == code.start && loaded.image_range().end > code.end);
}

/// The permissions of every mapping overlapping `range`, from
/// /proc/self/maps, e.g. `r-xp`.
fn permissions(range: std::ops::Range<usize>) -> Vec<String> {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    maps.lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let (lo, hi) = parts.next()?.split_once('-')?;
            let lo = usize::from_str_radix(lo, 16).ok()?;
            let hi = usize::from_str_radix(hi, 16).ok()?;
            (lo < range.end && range.start < hi).then(|| parts.next().unwrap().to_string())
        })
        .collect()
}

#[test]
fn no_page_is_writable_and_executable() {
    let loaded = load_x86();
    let code = permissions(loaded.code_range());
    assert!(!code.is_empty());
    assert!(code.iter().all(|p| p.starts_with("r-x")), "{code:?}");
    let data = permissions(loaded.code_range().end..loaded.image_range().end);
    assert!(!data.is_empty());
    assert!(data.iter().all(|p| p.starts_with("r--")), "{data:?}");
    let all = permissions(loaded.image_range());
    assert!(all.iter().all(|p| !(p.contains('w') && p.contains('x'))));
}

#[test]
fn the_host_itself_is_accepted() {
    let build = x86_64();
    let opts = LoadOptions::new(&resolver);
    if host_info().arch == Arch::X86_64 {
        load(&build.write(), &opts).unwrap();
    }
}

fn word(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

fn image_offset(loaded: &LoadedArtifact, addr: usize) -> usize {
    addr - loaded.image_range().start
}

#[test]
fn aarch64_relocations_land() {
    let loaded = load(&aarch64().write(), &opts(Arch::Aarch64)).unwrap();
    let bytes = loaded.image_bytes();
    let f = image_offset(&loaded, loaded.func(1).unwrap());
    // bl: to a veneer holding the resolver's address.
    let imm26 = (word(bytes, f) & 0x03ff_ffff) as usize;
    assert_eq!(word(bytes, f) & 0xfc00_0000, 0x9400_0000);
    let veneer = f + imm26 * 4;
    assert_eq!(word(bytes, veneer), 0x5800_0050);
    let target = u64::from_le_bytes(bytes[veneer + 8..veneer + 16].try_into().unwrap());
    assert_eq!(target as usize, resolver("kiln_rt_triple").unwrap());
    // adrp + ldr: a GOT slot holding the same address.
    let adr = |insn: u32| (((insn >> 29) & 3) | (((insn >> 5) & 0x7_ffff) << 2)) as usize;
    let got_page = (loaded.func(1).unwrap() & !0xfff) + (adr(word(bytes, f + 4)) << 12);
    let got = got_page + (((word(bytes, f + 8) >> 10) & 0xfff) as usize) * 8;
    let slot = image_offset(&loaded, got);
    assert_eq!(
        u64::from_le_bytes(bytes[slot..slot + 8].try_into().unwrap()) as usize,
        resolver("kiln_rt_triple").unwrap()
    );
    // adrp + ldr w0: the constant in .rodata.
    let page = ((loaded.func(1).unwrap() + 12) & !0xfff) + (adr(word(bytes, f + 12)) << 12);
    let at = image_offset(
        &loaded,
        page + (((word(bytes, f + 16) >> 10) & 0xfff) as usize) * 4,
    );
    assert_eq!(word(bytes, at), 0x1234_5678);
}

#[test]
fn riscv64_relocations_land() {
    let loaded = load(&riscv64().write(), &opts(Arch::Riscv64)).unwrap();
    let bytes = loaded.image_bytes();
    let f = image_offset(&loaded, loaded.func(1).unwrap());
    let hi = |insn: u32| ((insn & 0xffff_f000) as i32) as i64;
    let lo = |insn: u32| ((insn as i32) >> 20) as i64;
    // auipc + jalr: a veneer holding the resolver's address.
    let veneer = (f as i64 + hi(word(bytes, f)) + lo(word(bytes, f + 4))) as usize;
    assert_eq!(word(bytes, veneer), 0x0000_0317);
    let target = u64::from_le_bytes(bytes[veneer + 16..veneer + 24].try_into().unwrap());
    assert_eq!(target as usize, resolver("kiln_rt_triple").unwrap());
    // auipc + lw: the constant in .rodata.
    let at = (f as i64 + 8 + hi(word(bytes, f + 8)) + lo(word(bytes, f + 12))) as usize;
    assert_eq!(word(bytes, at), 0x1234_5678);
}

#[test]
fn loaded_artifacts_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<LoadedArtifact>();
    let loaded = std::sync::Arc::new(load_x86());
    let other = std::sync::Arc::clone(&loaded);
    let f = std::thread::spawn(move || other.func(1)).join().unwrap();
    assert_eq!(f, loaded.func(1));
}
