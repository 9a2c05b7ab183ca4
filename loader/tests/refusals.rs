//! Wrong artifacts refused by name, each with a clear one-line error:
//! versions, targets, CPU features, guard size, stale wasm, WAMR and wasm
//! files, relocation kinds, symbols and sections; and the smallest
//! artifacts that must load.

mod common;

use common::*;
use kiln_format::artifact::*;
use kiln_loader::{load, LoadOptions};
use object::elf;

fn with_version(major: u16, minor: u16) -> Vec<u8> {
    let mut b = x86_64();
    b.header.format_version = FormatVersion { major, minor };
    b.write()
}

#[test]
fn wrong_versions_are_refused_by_name() {
    // 1.x are artifacts from before the prelinked image (2.0), 2.x from
    // before the XXH64 checksum and `.kiln.names` (3.0).
    for (major, minor) in [(4, 0), (1, 0), (1, 1), (2, 0), (3, 1), (u16::MAX, u16::MAX)] {
        let e = refusal(&with_version(major, minor));
        assert_eq!(
            e.to_string(),
            format!(
                "unsupported artifact format version {major}.{minor}: this runtime reads \
                 versions 3.0 through 3.0; recompile the module with a matching kilnc"
            )
        );
    }
    // The version is judged before the checksum: an unsealed future file
    // still says "version".
    let mut b = x86_64();
    b.header.format_version = FormatVersion { major: 4, minor: 0 };
    let e = refusal(&b.write_unsealed());
    assert!(matches!(e, ArtifactError::UnsupportedVersion { .. }), "{e}");
}

#[test]
fn other_targets_are_refused_by_name() {
    for (build, triple) in [
        (aarch64(), "aarch64-unknown-linux-gnu"),
        (riscv64(), "riscv64gc-unknown-linux-gnu"),
    ] {
        let e = refusal(&build.write());
        assert_eq!(
            e.to_string(),
            format!("artifact was compiled for {triple}, but this host is x86_64")
        );
    }
    // A header that disagrees with the ELF machine.
    let mut b = x86_64();
    b.header.target = "aarch64-linux-android".into();
    let e = refusal(&b.write());
    assert!(
        matches!(&e, ArtifactError::BadElf(m) if m.contains("header's target")),
        "{e}"
    );
    b.header.target = "mips64-unknown-linux".into();
    assert!(matches!(
        refusal(&b.write()),
        ArtifactError::BadSection { .. }
    ));
}

#[test]
fn missing_cpu_features_and_guard_pages_are_refused() {
    let mut b = x86_64();
    b.header.cpu_features = vec!["avx2".into(), "kiln-test-a".into(), "kiln-test-b".into()];
    let bytes = b.write();
    let e = refusal(&bytes);
    assert_eq!(
        e.to_string(),
        "artifact needs CPU features this host lacks: avx2, kiln-test-a, kiln-test-b"
    );
    let features: &[&str] = &["avx2", "kiln-test-a", "kiln-test-b"];
    let rich = LoadOptions {
        host: HostInfo {
            cpu_features: features,
            ..host(Arch::X86_64)
        },
        ..opts()
    };
    load(&bytes, &rich).unwrap();

    let good = x86_64().write();
    for guard in [None, Some(1 << 20)] {
        let small = LoadOptions {
            host: HostInfo {
                guard_size: guard,
                ..host(Arch::X86_64)
            },
            ..opts()
        };
        let e = load(&good, &small).err().unwrap();
        assert!(
            e.to_string()
                .starts_with("artifact compile flags do not suit this runtime"),
            "{e}"
        );
    }
    let mut explicit = x86_64();
    explicit.header.flags.bounds_checks = BoundsChecks::Explicit;
    let none = LoadOptions {
        host: HostInfo {
            guard_size: None,
            ..host(Arch::X86_64)
        },
        ..opts()
    };
    load(&explicit.write(), &none).unwrap();
}

#[test]
fn stale_artifacts_are_refused_by_name() {
    let good = x86_64().write();
    let other = LoadOptions {
        wasm: Some(b"\0asm\x01\0\0\0"),
        ..opts()
    };
    let e = load(&good, &other).err().unwrap();
    assert!(e.is_stale());
    assert!(
        e.to_string()
            .starts_with("stale artifact: compiled from wasm with SHA-256 "),
        "{e}"
    );
    let without = LoadOptions {
        wasm: None,
        ..opts()
    };
    load(&good, &without).unwrap();
}

#[test]
fn other_kinds_of_file_are_refused_by_name() {
    let e = refusal(b"\0aot\x03\0\0\0\x01\x02\x03");
    assert_eq!(
        e.to_string(),
        "this is a WAMR AOT file (magic \"\\0aot\", WAMR format version 3), not a Kiln \
         artifact; compile the wasm with kilnc instead"
    );
    assert_eq!(refusal(b"\0aot"), ArtifactError::WamrAot { version: None });
    assert!(refusal(WASM).to_string().contains("WebAssembly binary"));
    assert!(matches!(refusal(b""), ArtifactError::NotElf(_)));
    assert!(matches!(refusal(b"MZ\x90\0"), ArtifactError::NotElf(_)));
    // An ELF with no Kiln sections.
    let mut plain = x86_64().write_unsealed();
    let at = section_range(&plain, HEADER_SECTION).start - 1;
    let name = plain
        .windows(12)
        .position(|w| w == b".kiln.header")
        .unwrap();
    plain[name + 1] = b'K';
    let _ = at;
    assert_eq!(
        refusal(&plain),
        ArtifactError::MissingSection(HEADER_SECTION)
    );
}

fn with_text_reloc(r_type: u32) -> Vec<u8> {
    let mut b = x86_64();
    b.text_relocs[0].r_type = r_type;
    b.write()
}

#[test]
fn relocation_kinds_not_allowed_are_refused() {
    let allowed: Vec<u32> = Arch::X86_64
        .allowed_relocs()
        .iter()
        .map(|r| r.r_type)
        .collect();
    let mut refused = 0;
    for r_type in 0..64 {
        if allowed.contains(&r_type) {
            continue;
        }
        let e = refusal(&with_text_reloc(r_type));
        let ArtifactError::BadRelocation { r_type: got, .. } = e else {
            panic!("type {r_type}: {e}");
        };
        assert_eq!(got, r_type);
        refused += 1;
    }
    assert_eq!(
        refusal(&with_text_reloc(elf::R_X86_64_32S)).to_string(),
        "relocation type 11 at .text+0x15 is not allowed on x86_64"
    );
    // RISC-V relaxation, on a riscv64 host.
    let riscv = LoadOptions {
        host: host(Arch::Riscv64),
        ..opts()
    };
    for r_type in [elf::R_RISCV_RELAX, elf::R_RISCV_ALIGN, elf::R_RISCV_HI20] {
        let mut b = riscv64();
        b.text_relocs[0].r_type = r_type;
        let e = load(&b.write(), &riscv).err().unwrap();
        assert!(
            e.to_string()
                .contains(&format!("relocation type {r_type} ")),
            "{e}"
        );
    }
    let aarch = LoadOptions {
        host: host(Arch::Aarch64),
        ..opts()
    };
    let mut b = aarch64();
    b.text_relocs[0].r_type = elf::R_AARCH64_TLSDESC_CALL;
    assert!(matches!(
        load(&b.write(), &aarch).err().unwrap().artifact_error(),
        Some(ArtifactError::BadRelocation { .. })
    ));
    eprintln!("relocation kinds refused: {}", refused + 4);
}

#[test]
fn bad_relocation_targets_and_places_are_refused() {
    // A far external symbol through PC32 (no veneer for data).
    let mut b = x86_64();
    b.text_relocs[1].to = To::Undef("kiln_rt_triple");
    let e = refusal(&b.write());
    assert!(
        e.to_string().contains("does not fit a signed 32-bit field"),
        "{e}"
    );
    // A place past the end of its section.
    let mut b = x86_64();
    b.text_relocs[0].offset = b.text.len() as u64 - 2;
    let e = refusal(&b.write());
    assert!(e.to_string().contains("past the end"), "{e}");
    // An undefined symbol that is neither an intrinsic nor a libcall.
    let mut b = x86_64();
    b.text_relocs[0].to = To::Undef("system");
    let e = refusal(&b.write());
    assert!(
        e.to_string().starts_with("bad artifact symbol `system`"),
        "{e}"
    );
    // An intrinsic the runtime does not provide.
    let mut b = x86_64();
    b.text_relocs[0].to = To::Undef("kiln_rt_missing");
    assert!(refusal(&b.write())
        .to_string()
        .contains("the runtime does not provide it"));
    // A riscv LO12 whose symbol labels no HI20.
    let mut b = riscv64();
    b.symbols[1].1 = 4;
    let riscv = LoadOptions {
        host: host(Arch::Riscv64),
        ..opts()
    };
    let e = load(&b.write(), &riscv).err().unwrap();
    assert!(e.to_string().contains("does not label a HI20"), "{e}");
}

#[test]
fn bad_symbols_are_refused() {
    // A defined function without its code symbol.
    let mut b = x86_64();
    b.meta.functions.push(0);
    assert!(refusal(&b.write())
        .to_string()
        .contains("`kiln_func_7`: missing"));
    // A code symbol for an imported function.
    let mut b = x86_64();
    b.symbols[1].0 = "kiln_func_0".into();
    let e = refusal(&b.write());
    assert!(e.to_string().contains("not a defined function"), "{e}");
    // A trampoline for a type that does not exist.
    let mut b = x86_64();
    b.symbols.push(("kiln_array_call_9".into(), 0, 1));
    assert!(refusal(&b.write()).to_string().contains("type index 9"));
    // A symbol reaching past its section.
    let mut b = x86_64();
    b.symbols[0].2 = 1 << 20;
    assert!(refusal(&b.write())
        .to_string()
        .contains("reach past the end"));
}

#[test]
fn sections_not_allowed_are_refused() {
    for (name, kind) in [
        (".data", object::SectionKind::Data),
        (".bss", object::SectionKind::UninitializedData),
        (".tdata", object::SectionKind::Tls),
        (".kiln.extra", object::SectionKind::Other),
        (".init_array", object::SectionKind::Data),
    ] {
        let mut b = x86_64();
        b.extra.push((name, kind, vec![1; 8]));
        let e = refusal(&b.write());
        assert!(
            matches!(&e, ArtifactError::BadSection { section, .. } if section == name),
            "{name}: {e}"
        );
    }
    // Ignored sections (debug info) do not matter.
    let mut b = x86_64();
    b.extra
        .push((".debug_str", object::SectionKind::Debug, b"x\0".to_vec()));
    try_load(&b.write()).unwrap();
    // A metadata section that lies about a data segment.
    let mut b = x86_64();
    b.meta.data[0].len = 6;
    assert!(matches!(
        refusal(&b.write()),
        ArtifactError::BadSection { .. }
    ));
}

#[test]
fn empty_and_minimal_artifacts_load() {
    // No defined functions and no code at all: nothing to map.
    let mut b = x86_64();
    b.meta = metadata(vec![]);
    b.text.clear();
    b.symbols.clear();
    b.text_relocs.clear();
    b.relro.clear();
    b.relro_relocs.clear();
    let loaded = try_load(&b.write()).unwrap();
    assert_eq!(loaded.funcs(), &[None]);
}
