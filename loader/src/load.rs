//! Loading: check everything, map once, relocate, seal; from bytes
//! ([`load`]) or from a file ([`load_file`]).

use std::collections::HashMap;
use std::path::Path;

use kiln_format::artifact::relocate::write_veneer;
use kiln_format::artifact::{verify_checksum_with, ArtifactHeader, HostInfo, ModuleMetadata};

use crate::check::{check, check_with, Checked};
use crate::file::FileMap;
use crate::image::{page_size, CodeImage};
use crate::layout::Layout;
use crate::prelinked;
use crate::reloc::{apply_all, plan, Addresses, Plan};
use crate::symbols::{read_symbols, Placed, Symbols};
use crate::{host_info, CodeSymbol, LoadError, LoadedArtifact};

/// The runtime's symbol resolver: the address of a runtime intrinsic
/// (`kiln_rt_*`) or libcall (`memcpy`, `fmod`...), or `None` if the
/// runtime does not provide it.
pub type Resolver<'a> = &'a (dyn Fn(&str) -> Option<usize> + 'a);

/// What [`load`] needs besides the artifact's bytes.
#[derive(Clone, Copy)]
pub struct LoadOptions<'a> {
    /// What this machine offers; usually [`host_info`].
    pub host: HostInfo<'a>,
    /// The wasm the artifact should have been compiled from, when the
    /// embedder has it: a different SHA-256 refuses the artifact as stale
    /// ([`LoadError::is_stale`]).
    pub wasm: Option<&'a [u8]>,
    /// Resolves every undefined symbol. Called once per undefined symbol,
    /// during [`load`] only; the addresses must stay valid as long as the
    /// loaded artifact lives.
    pub resolver: Resolver<'a>,
    /// Accept an artifact with code for only some of its functions (one
    /// compiled for tier-up); the others then have no address.
    pub partial: bool,
}

impl<'a> LoadOptions<'a> {
    /// Options for this host ([`host_info`]), without the wasm.
    pub fn new(resolver: Resolver<'a>) -> Self {
        LoadOptions {
            host: host_info(),
            wasm: None,
            resolver,
            partial: false,
        }
    }
}

/// Checks `bytes` without mapping anything: SPEC.md 4.1 steps 1 to 6
/// (identification, version, checksum, sections, header against `host`
/// and `wasm`, metadata, function names, which are decoded into the
/// metadata). Symbols and relocations are checked only by
/// [`load`]. Useful to decide early whether to fall back to a JIT tier.
pub fn inspect(
    bytes: &[u8],
    host: &HostInfo<'_>,
    wasm: Option<&[u8]>,
) -> Result<(ArtifactHeader, ModuleMetadata), LoadError> {
    let checked = check(bytes, host, wasm)?;
    let mut metadata = checked.metadata;
    metadata.func_names = crate::loaded::decode_names(checked.names, &metadata)?;
    Ok((checked.header, metadata))
}

/// Checks `bytes` as SPEC.md section 4 says, in its order, then maps the
/// loaded sections once, applies the relocations while the mapping is
/// writable, and seals it (code read+execute, the rest read-only). A
/// prelinked artifact (SPEC.md 4.18) is copied as one image and only its
/// relocated pages are relocated.
///
/// Never panics on bad input: everything refused is a [`LoadError`].
pub fn load(bytes: &[u8], opts: &LoadOptions<'_>) -> Result<LoadedArtifact, LoadError> {
    let checked = check(bytes, &opts.host, opts.wasm)?;
    finish(checked, opts, None)
}

/// [`load`] from the artifact file at `path`, mapped rather than read: the
/// checksum is verified by reading the file (not through the mapping),
/// and a prelinked image's code and constants are mapped straight from
/// the file, so only the pages that are used are ever read into memory.
/// [`LoadedArtifact::file_bytes`] then gives the file.
pub fn load_file(path: &Path, opts: &LoadOptions<'_>) -> Result<LoadedArtifact, LoadError> {
    let map = FileMap::open(path)?;
    let checksum = |file: &[u8], range| verify_checksum_with(file, range, |z| map.checksum(z));
    let checked = check_with(map.bytes(), &opts.host, opts.wasm, &checksum)?;
    let mut artifact = finish(checked, opts, Some(&map))?;
    artifact.file = Some(map);
    Ok(artifact)
}

/// Maps and relocates what `checked` describes; `file`: the file it was
/// read from, mapped.
fn finish(
    checked: Checked<'_>,
    opts: &LoadOptions<'_>,
    file: Option<&FileMap>,
) -> Result<LoadedArtifact, LoadError> {
    let symbols = read_symbols(&checked, opts.resolver, !opts.partial)?;
    let plan = plan(&checked, &symbols)?;
    let (image, offsets) = match &checked.image {
        Some(image) => prelinked::build(&checked, image, &plan, &symbols, file)?,
        None => relocate(&checked, &plan, &symbols)?,
    };
    let base = image.base();
    let addr = |p: Placed| p.address(base, &offsets);
    let funcs: Vec<Option<usize>> = symbols
        .funcs
        .iter()
        .map(|f| f.map(|(p, _)| addr(p)))
        .collect();
    let mut func_ranges: Vec<(usize, usize, u32)> = symbols
        .funcs
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.map(|(p, size)| (addr(p), addr(p) + size as usize, i as u32)))
        .collect();
    func_ranges.extend(
        symbols
            .osr_entries
            .iter()
            .map(|(&(f, _), &(p, size))| (addr(p), addr(p) + size as usize, f)),
    );
    func_ranges.sort_unstable();
    // Trampolines by type index (symbol checks keep each below the
    // number of types).
    let table = |m: &HashMap<u32, Placed>| {
        let mut by_type = vec![None; checked.metadata.types.len()];
        for (&t, &p) in m {
            by_type[t as usize] = Some(addr(p));
        }
        by_type
    };
    Ok(LoadedArtifact {
        array_calls: table(&symbols.array_calls),
        wasm_calls: table(&symbols.wasm_calls),
        osr_entries: symbols
            .osr_entries
            .iter()
            .map(|(&key, &(p, _))| (key, addr(p)))
            .collect(),
        header: checked.header,
        metadata: checked.metadata,
        data: checked.data.to_vec(),
        image,
        file: None,
        funcs,
        func_ranges,
        sites: checked.sites.map(std::sync::Arc::from),
        names: checked.names.map(std::sync::Arc::from),
        debug: checked.debug.clone(),
        code_symbols: symbols
            .kiln
            .iter()
            .map(|&(symbol, p, size)| CodeSymbol {
                symbol,
                start: addr(p),
                size: size as usize,
            })
            .collect(),
    })
}

/// Lays out a relocatable object's loaded sections, maps them, builds
/// GOT slots and veneers, applies every relocation and seals the image.
fn relocate(
    checked: &Checked<'_>,
    plan: &Plan,
    symbols: &Symbols<'_>,
) -> Result<prelinked::Built, LoadError> {
    let layout = Layout::new(checked, plan, page_size())?;
    let mut image = CodeImage::map(layout.total)?;
    let base = image.base();
    let symbol = |i: usize| symbols.targets[i].address(base, &layout.sections);
    let out = image.bytes_mut();
    for (i, offset) in layout.sections.iter().enumerate() {
        if let Some(offset) = *offset {
            let contents = checked.elf.contents(i)?;
            out[offset..offset + contents.len()].copy_from_slice(contents);
        }
    }
    for (i, &s) in plan.veneers.iter().enumerate() {
        let at = layout.veneer(i);
        write_veneer(
            checked.arch,
            &mut out[at..at + layout.veneer_size],
            symbol(s),
        );
    }
    for (i, &s) in plan.got.iter().enumerate() {
        let at = layout.got_slot(i);
        out[at..at + 8].copy_from_slice(&symbol(s).to_le_bytes());
    }
    let at = Addresses {
        symbol: &symbol,
        section_offset: &|s| layout.sections[s].unwrap_or(0),
        base: base as u64,
        got: &|i| (base + layout.got_slot(i)) as u64,
        veneer: &|i| (base + layout.veneer(i)) as u64,
    };
    let names = |s: usize| checked.elf.sections[s].name.to_string();
    apply_all(checked.arch, plan, out, &at, &names)?;
    image.seal(layout.code_len)?;
    Ok((image, layout.sections))
}
