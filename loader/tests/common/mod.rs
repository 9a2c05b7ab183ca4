//! Builds artifacts for the loader tests with the `object` crate: a small
//! x86_64 module with hand-assembled functions and every kind of x86_64
//! relocation, and aarch64/riscv64 modules with calls and GOT loads.
#![allow(dead_code)]

mod loading;
#[allow(unused_imports)]
pub use loading::*;

use std::ops::Range;

use kiln_format::artifact::*;
use object::read::{Object as _, ObjectSection as _};
use object::write::{Object, Relocation, StandardSection, Symbol, SymbolId, SymbolSection};
use object::{elf, BinaryFormat, Endianness, FileFlags, RelocationFlags, SymbolFlags};

/// The wasm the test artifacts claim to be compiled from.
pub const WASM: &[u8] = b"\0asm\x01\0\0\0kiln-loader-test";
/// The address the resolver gives `memcpy` (never called).
pub const FAKE_MEMCPY: usize = 0x1234_5678_9abc;

/// `kiln_rt_triple(vmctx, x) = 3 * x`, the runtime intrinsic of the tests.
pub extern "C" fn kiln_rt_triple(_vmctx: *mut u8, x: i32) -> i32 {
    x.wrapping_mul(3)
}

/// Resolves the two runtime symbols the test artifacts use.
pub fn resolver(name: &str) -> Option<usize> {
    match name {
        "kiln_rt_triple" => Some(kiln_rt_triple as *const () as usize),
        "memcpy" => Some(FAKE_MEMCPY),
        _ => None,
    }
}

/// What a relocation refers to.
#[derive(Clone, Debug)]
pub enum To {
    /// An undefined symbol.
    Undef(&'static str),
    /// A defined symbol in `.text`, by name.
    Def(String),
    /// The section symbol of `.rodata`.
    Rodata,
    /// The section symbol of `.data.rel.ro`.
    Relro,
}

/// One relocation: section-relative offset, target, type, addend.
#[derive(Clone, Debug)]
pub struct R {
    pub offset: u64,
    pub to: To,
    pub r_type: u32,
    pub addend: i64,
}

pub fn r(offset: u64, to: To, r_type: u32, addend: i64) -> R {
    R {
        offset,
        to,
        r_type,
        addend,
    }
}

/// Everything an artifact is made of.
#[derive(Clone, Debug)]
pub struct Build {
    pub arch: Arch,
    pub header: ArtifactHeader,
    pub meta: ModuleMetadata,
    pub data: Vec<u8>,
    pub text: Vec<u8>,
    /// Global symbols in `.text`: name, offset, size.
    pub symbols: Vec<(String, u64, u64)>,
    pub rodata: Vec<u8>,
    pub relro: Vec<u8>,
    pub text_relocs: Vec<R>,
    pub relro_relocs: Vec<R>,
    /// Extra sections: name, `object` kind, contents.
    pub extra: Vec<(&'static str, object::SectionKind, Vec<u8>)>,
}

pub fn header(target: &str) -> ArtifactHeader {
    ArtifactHeader {
        format_version: FORMAT_VERSION,
        compiler_version: "kilnc test".into(),
        target: target.into(),
        cpu: "generic".into(),
        cpu_features: vec![],
        flags: CompileFlags {
            opt_level: 2,
            size_level: 0,
            bounds_checks: BoundsChecks::GuardPages {
                guard_size: 2 << 30,
            },
            llvm_passes: vec![],
        },
        wasm_hash: wasm_hash(WASM),
    }
}

fn i32x2_i32() -> FuncType {
    FuncType {
        params: vec![ValType::I32, ValType::I32],
        results: vec![ValType::I32],
    }
}

/// Types 0: (i32, i32) -> i32; 1: (i32) -> i32; 2: () -> i32;
/// 3: () -> i64. Function 0 is an import of type 1; `functions` gives
/// the types of the defined ones.
pub fn metadata(functions: Vec<u32>) -> ModuleMetadata {
    ModuleMetadata {
        types: vec![
            i32x2_i32(),
            FuncType {
                params: vec![ValType::I32],
                results: vec![ValType::I32],
            },
            FuncType {
                params: vec![],
                results: vec![ValType::I32],
            },
            FuncType {
                params: vec![],
                results: vec![ValType::I64],
            },
        ],
        imports: vec![Import {
            module: "env".into(),
            name: "host".into(),
            ty: ImportType::Func(1),
        }],
        functions,
        data: vec![DataSegment {
            mode: DataMode::Passive,
            offset: 0,
            len: 5,
        }],
        ..Default::default()
    }
}

fn func(n: u32) -> String {
    KilnSymbol::Func(n).to_string()
}

/// Appends `code` to `text` at a 16-byte boundary; returns its offset.
fn push(text: &mut Vec<u8>, code: &[u8]) -> u64 {
    while !text.len().is_multiple_of(16) {
        text.push(0xcc);
    }
    let at = text.len() as u64;
    text.extend_from_slice(code);
    at
}

/// The x86_64 test module. Function 0 is imported; then
/// 1 `add(a, b)`; 2 `3a + 1` calling `kiln_rt_triple` (PLT32, veneer);
/// 3 a constant from `.rodata` (PC32); 4 `kiln_rt_triple` through the GOT
/// (REX_GOTPCRELX); 5 `add` through a pointer in `.data.rel.ro`
/// (PC32 + R_X86_64_64); 6 the address `memcpy` resolved to.
pub fn x86_64() -> Build {
    let mut text = Vec::new();
    let mut symbols = Vec::new();
    let mut text_relocs = Vec::new();
    let mut def = |n: u32, code: &[u8], relocs: &[(u64, To, u32, i64)], text: &mut Vec<u8>| {
        let at = push(text, code);
        symbols.push((func(n), at, code.len() as u64));
        for (off, to, ty, add) in relocs {
            text_relocs.push(r(at + off, to.clone(), *ty, *add));
        }
        at
    };
    let add = def(1, &[0x89, 0xf0, 0x01, 0xd0, 0xc3], &[], &mut text);
    def(
        2,
        &[
            0x48, 0x83, 0xec, 0x08, 0xe8, 0, 0, 0, 0, 0x83, 0xc0, 0x01, 0x48, 0x83, 0xc4, 0x08,
            0xc3,
        ],
        &[(5, To::Undef("kiln_rt_triple"), elf::R_X86_64_PLT32, -4)],
        &mut text,
    );
    def(
        3,
        &[0x8b, 0x05, 0, 0, 0, 0, 0xc3],
        &[(2, To::Rodata, elf::R_X86_64_PC32, 0)],
        &mut text,
    );
    def(
        4,
        &[0x48, 0x8b, 0x05, 0, 0, 0, 0, 0xff, 0xe0],
        &[(
            3,
            To::Undef("kiln_rt_triple"),
            elf::R_X86_64_REX_GOTPCRELX,
            -4,
        )],
        &mut text,
    );
    def(
        5,
        &[0x48, 0x8b, 0x05, 0, 0, 0, 0, 0xff, 0xe0],
        &[(3, To::Relro, elf::R_X86_64_PC32, -4)],
        &mut text,
    );
    def(
        6,
        &[0x48, 0x8b, 0x05, 0, 0, 0, 0, 0xc3],
        &[(3, To::Relro, elf::R_X86_64_PC32, 8 - 4)],
        &mut text,
    );
    symbols.push((KilnSymbol::ArrayCall(0).to_string(), add, 5));
    let stub = push(&mut text, &[0x0f, 0x0b]);
    symbols.push((KilnSymbol::WasmCall(1).to_string(), stub, 2));
    let mut rodata = vec![0u8; 4];
    rodata.extend_from_slice(&0x1234_5678u32.to_le_bytes());
    Build {
        arch: Arch::X86_64,
        header: header("x86_64-unknown-linux-gnu"),
        meta: metadata(vec![0, 1, 2, 1, 0, 3]),
        data: b"hello".to_vec(),
        text,
        symbols,
        rodata,
        relro: vec![0; 16],
        text_relocs,
        relro_relocs: vec![
            r(0, To::Def(func(1)), elf::R_X86_64_64, 0),
            r(8, To::Undef("memcpy"), elf::R_X86_64_64, 0),
        ],
        extra: vec![],
    }
}

/// An aarch64 module: function 1 calls `kiln_rt_triple` (CALL26, so
/// through a veneer) and loads its address from the GOT
/// (ADR_GOT_PAGE + LD64_GOT_LO12_NC), then loads a constant from
/// `.rodata` (ADR_PREL_PG_HI21 + LDST32_ABS_LO12_NC).
pub fn aarch64() -> Build {
    let code: Vec<u8> = [
        0x9400_0000u32, // bl kiln_rt_triple
        0x9000_0010,    // adrp x16, :got:kiln_rt_triple
        0xf940_0210,    // ldr x16, [x16, :got_lo12:kiln_rt_triple]
        0x9000_0000,    // adrp x0, .rodata
        0xb940_0000,    // ldr w0, [x0, :lo12:.rodata+4]
        0xd65f_03c0,    // ret
    ]
    .iter()
    .flat_map(|i| i.to_le_bytes())
    .collect();
    let rt = || To::Undef("kiln_rt_triple");
    Build {
        arch: Arch::Aarch64,
        header: header("aarch64-unknown-linux-gnu"),
        meta: metadata(vec![0]),
        data: b"hello".to_vec(),
        symbols: vec![(func(1), 0, code.len() as u64)],
        text: code,
        rodata: vec![0, 0, 0, 0, 0x78, 0x56, 0x34, 0x12],
        relro: vec![],
        text_relocs: vec![
            r(0, rt(), elf::R_AARCH64_CALL26, 0),
            r(4, rt(), elf::R_AARCH64_ADR_GOT_PAGE, 0),
            r(8, rt(), elf::R_AARCH64_LD64_GOT_LO12_NC, 0),
            r(12, To::Rodata, elf::R_AARCH64_ADR_PREL_PG_HI21, 4),
            r(16, To::Rodata, elf::R_AARCH64_LDST32_ABS_LO12_NC, 4),
        ],
        relro_relocs: vec![],
        extra: vec![],
    }
}

/// A riscv64 module: function 1 calls `kiln_rt_triple` (CALL_PLT, so
/// through a veneer) and loads a constant from `.rodata`
/// (PCREL_HI20 + PCREL_LO12_I, the LO12 naming the HI20's label).
pub fn riscv64() -> Build {
    let code: Vec<u8> = [
        0x0000_0097u32, // auipc ra, 0
        0x0000_80e7,    // jalr ra, 0(ra)
        0x0000_0517,    // .Lpcrel_hi0: auipc a0, 0
        0x0005_2503,    // lw a0, 0(a0)
        0x0000_8067,    // ret
    ]
    .iter()
    .flat_map(|i| i.to_le_bytes())
    .collect();
    Build {
        arch: Arch::Riscv64,
        header: header("riscv64gc-unknown-linux-gnu"),
        meta: metadata(vec![0]),
        data: b"hello".to_vec(),
        symbols: vec![
            (func(1), 0, code.len() as u64),
            (".Lpcrel_hi0".into(), 8, 0),
        ],
        text: code,
        rodata: vec![0, 0, 0, 0, 0x78, 0x56, 0x34, 0x12],
        relro: vec![],
        text_relocs: vec![
            r(0, To::Undef("kiln_rt_triple"), elf::R_RISCV_CALL_PLT, 0),
            r(8, To::Rodata, elf::R_RISCV_PCREL_HI20, 4),
            r(
                12,
                To::Def(".Lpcrel_hi0".into()),
                elf::R_RISCV_PCREL_LO12_I,
                0,
            ),
        ],
        relro_relocs: vec![],
        extra: vec![],
    }
}

impl Build {
    /// Writes the ELF file and seals its checksum.
    pub fn write(&self) -> Vec<u8> {
        let mut bytes = self.write_unsealed();
        let range = checksum_range(&bytes);
        seal_checksum(&mut bytes, range).unwrap();
        bytes
    }

    /// Writes the ELF file with a zero checksum.
    pub fn write_unsealed(&self) -> Vec<u8> {
        let (oarch, e_flags) = match self.arch {
            Arch::X86_64 => (object::Architecture::X86_64, 0),
            Arch::Aarch64 => (object::Architecture::Aarch64, 0),
            Arch::Riscv64 => (object::Architecture::Riscv64, 0x5),
        };
        let mut obj = Object::new(BinaryFormat::Elf, oarch, Endianness::Little);
        obj.flags = FileFlags::Elf {
            os_abi: 0,
            abi_version: 0,
            e_flags,
        };
        let text = obj.section_id(StandardSection::Text);
        obj.append_section_data(text, &self.text, 16);
        let rodata = obj.section_id(StandardSection::ReadOnlyData);
        obj.append_section_data(rodata, &self.rodata, 8);
        let relro = (!self.relro.is_empty()).then(|| {
            let id = obj.section_id(StandardSection::ReadOnlyDataWithRel);
            obj.append_section_data(id, &self.relro, 8);
            id
        });
        let mut defined: Vec<(String, SymbolId)> = Vec::new();
        for (name, value, size) in &self.symbols {
            let local = name.starts_with(".L");
            let id = obj.add_symbol(Symbol {
                name: name.as_bytes().to_vec(),
                value: *value,
                size: *size,
                kind: if local {
                    object::SymbolKind::Label
                } else {
                    object::SymbolKind::Text
                },
                scope: if local {
                    object::SymbolScope::Compilation
                } else {
                    object::SymbolScope::Linkage
                },
                weak: false,
                section: SymbolSection::Section(text),
                flags: SymbolFlags::None,
            });
            defined.push((name.clone(), id));
        }
        let mut undefined: Vec<(&'static str, SymbolId)> = Vec::new();
        let mut sym = |obj: &mut Object<'_>, to: &To| -> SymbolId {
            match to {
                To::Rodata => obj.section_symbol(rodata),
                To::Relro => obj.section_symbol(relro.expect("a .data.rel.ro section")),
                To::Def(name) => defined.iter().find(|(n, _)| n == name).expect("defined").1,
                To::Undef(name) => {
                    if let Some((_, id)) = undefined.iter().find(|(n, _)| n == name) {
                        return *id;
                    }
                    let id = obj.add_symbol(Symbol {
                        name: name.as_bytes().to_vec(),
                        value: 0,
                        size: 0,
                        kind: object::SymbolKind::Unknown,
                        scope: object::SymbolScope::Unknown,
                        weak: false,
                        section: SymbolSection::Undefined,
                        flags: SymbolFlags::None,
                    });
                    undefined.push((name, id));
                    id
                }
            }
        };
        for (section, relocs) in [(Some(text), &self.text_relocs), (relro, &self.relro_relocs)] {
            for rel in relocs.iter() {
                let symbol = sym(&mut obj, &rel.to);
                let reloc = Relocation {
                    offset: rel.offset,
                    symbol,
                    addend: rel.addend,
                    flags: RelocationFlags::Elf { r_type: rel.r_type },
                };
                obj.add_relocation(section.unwrap(), reloc).unwrap();
            }
        }
        for (name, kind, contents) in &self.extra {
            let id = obj.add_section(vec![], name.as_bytes().to_vec(), *kind);
            if obj.section(id).is_bss() {
                obj.append_section_bss(id, contents.len() as u64, 8);
            } else {
                obj.append_section_data(id, contents, 8);
            }
        }
        for (name, contents) in kiln_sections(&self.header, &self.meta, &self.data) {
            let id = obj.add_section(vec![], name.as_bytes().to_vec(), object::SectionKind::Other);
            obj.append_section_data(id, &contents, 1);
        }
        obj.write().unwrap()
    }
}

/// The file range of `.kiln.checksum`'s contents.
pub fn checksum_range(bytes: &[u8]) -> Range<usize> {
    section_range(bytes, CHECKSUM_SECTION)
}

/// The file range of section `name`'s contents.
pub fn section_range(bytes: &[u8], name: &str) -> Range<usize> {
    let file = object::File::parse(bytes).unwrap();
    let (offset, size) = file.section_by_name(name).unwrap().file_range().unwrap();
    offset as usize..(offset + size) as usize
}

/// Recomputes and stores the checksum at `range`.
pub fn reseal(bytes: &mut [u8], range: Range<usize>) {
    seal_checksum(bytes, range).unwrap();
}

/// A host of `arch` with no optional CPU features and a 2 GiB guard.
pub fn host(arch: Arch) -> HostInfo<'static> {
    HostInfo {
        arch,
        cpu_features: &[],
        guard_size: Some(2 << 30),
    }
}
