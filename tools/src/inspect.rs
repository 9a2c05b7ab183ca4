//! `kiln inspect`: what an artifact holds, checked the way the loader
//! checks it (without mapping anything).

use kiln_format::artifact::{decode_header, BoundsChecks, KilnSymbol, HEADER_SECTION};
use object::{Object, ObjectSection, ObjectSymbol, RelocationFlags};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The report for the artifact at `path`; `disassemble` is `Some("")`
/// for every function or `Some(name)` for one.
pub fn inspect(path: &Path, disassemble: Option<&str>) -> Result<String, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    // Any host may inspect any artifact: check it against its own target
    // and the features it declares.
    let arch =
        kiln_format::artifact::identify(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let declared = object::File::parse(&*bytes)
        .ok()
        .and_then(|f| {
            f.section_by_name(HEADER_SECTION)?
                .data()
                .ok()
                .map(<[u8]>::to_vec)
        })
        .and_then(|h| decode_header(&h).ok())
        .map(|h| h.cpu_features)
        .unwrap_or_default();
    let features: Vec<&str> = declared.iter().map(String::as_str).collect();
    let host = kiln_format::artifact::HostInfo {
        arch,
        cpu_features: &features,
        guard_size: Some(u64::MAX),
    };
    let (header, meta) = kiln_loader::inspect(&bytes, &host, None)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "file:           {}", path.display());
    let _ = writeln!(w, "format version: {}", header.format_version);
    let _ = writeln!(w, "compiler:       {}", header.compiler_version);
    let _ = writeln!(w, "target:         {} (cpu {})", header.target, header.cpu);
    let _ = writeln!(w, "cpu features:   {}", header.cpu_features.join(","));
    let bounds = match header.flags.bounds_checks {
        BoundsChecks::GuardPages { guard_size } => {
            format!("guard pages ({} MiB guard)", guard_size >> 20)
        }
        BoundsChecks::Explicit => "explicit".to_string(),
    };
    let _ = writeln!(
        w,
        "flags:          -O{} size-level {} bounds checks: {bounds}{}",
        header.flags.opt_level,
        header.flags.size_level,
        if header.flags.llvm_passes.is_empty() {
            String::new()
        } else {
            format!(" passes: {}", header.flags.llvm_passes.join(","))
        }
    );
    let _ = writeln!(w, "wasm sha-256:   {}", hex(&header.wasm_hash));
    let _ = writeln!(
        w,
        "module:         {} types, {} imports, {} functions, {} exports, {} memories, {} tables, {} globals, {} data, {} elem",
        meta.types.len(),
        meta.imports.len(),
        meta.functions.len(),
        meta.exports.len(),
        meta.memories.len(),
        meta.tables.len(),
        meta.globals.len(),
        meta.data.len(),
        meta.elements.len()
    );
    let file = object::File::parse(&*bytes).map_err(|e| e.to_string())?;
    let names: BTreeMap<u32, &str> = meta
        .func_names
        .iter()
        .map(|n| (n.index, n.name.as_str()))
        .collect();
    let _ = writeln!(w, "functions:");
    let mut code: Vec<(String, u64, u64)> = Vec::new();
    for sym in file.symbols().filter(|s| !s.is_undefined()) {
        let Ok(name) = sym.name() else { continue };
        let Some(kind) = KilnSymbol::parse(name) else {
            continue;
        };
        code.push((name.to_string(), sym.address(), sym.size()));
        let label = match kind {
            KilnSymbol::Func(i) => names.get(&i).map_or(String::new(), |n| format!("  ({n})")),
            _ => String::new(),
        };
        let _ = writeln!(w, "  {name:<28} {:>7} bytes{label}", sym.size());
    }
    let mut relocs: BTreeMap<String, usize> = BTreeMap::new();
    let mut imports: BTreeMap<String, usize> = BTreeMap::new();
    for section in file.sections() {
        for (_, r) in section.relocations() {
            let kind = match r.flags() {
                RelocationFlags::Elf { r_type } => format!("type {r_type}"),
                other => format!("{other:?}"),
            };
            *relocs.entry(kind).or_default() += 1;
            if let object::RelocationTarget::Symbol(i) = r.target() {
                if let Ok(sym) = file.symbol_by_index(i) {
                    if sym.is_undefined() {
                        *imports
                            .entry(sym.name().unwrap_or("?").to_string())
                            .or_default() += 1;
                    }
                }
            }
        }
    }
    let _ = writeln!(
        w,
        "relocations:    {}",
        relocs
            .iter()
            .map(|(k, n)| format!("{n} x {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        w,
        "runtime calls:  {}",
        imports
            .iter()
            .map(|(k, n)| format!("{k} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some(which) = disassemble {
        let text = file
            .section_by_name(".text")
            .ok_or("the artifact has no .text")?;
        let data = text.data().map_err(|e| e.to_string())?;
        if arch != kiln_format::artifact::Arch::X86_64 {
            return Err("--disassemble supports x86-64 artifacts only".into());
        }
        let wanted: Vec<&(String, u64, u64)> = code
            .iter()
            .filter(|(n, _, _)| {
                which.is_empty() || n == which || n.strip_prefix("kiln_func_") == Some(which)
            })
            .collect();
        if wanted.is_empty() {
            return Err(format!("no function `{which}` in the artifact"));
        }
        for (name, addr, size) in wanted {
            let _ = writeln!(w, "\n{name}:");
            disassemble_x86(w, data, *addr, *size);
        }
    }
    Ok(out)
}

fn disassemble_x86(w: &mut String, text: &[u8], addr: u64, size: u64) {
    use iced_x86::{Decoder, DecoderOptions, Formatter, IntelFormatter};
    let start = addr as usize;
    let end = (start + size as usize).min(text.len());
    let Some(bytes) = text.get(start..end) else {
        return;
    };
    let mut decoder = Decoder::with_ip(64, bytes, addr, DecoderOptions::NONE);
    let mut formatter = IntelFormatter::new();
    let mut line = String::new();
    for inst in &mut decoder {
        line.clear();
        formatter.format(&inst, &mut line);
        let _ = writeln!(w, "  {:8x}:  {line}", inst.ip());
    }
}
