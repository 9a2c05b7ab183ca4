//! `.kiln.sites` (SPEC.md 4.16): for each compiled function (and OSR
//! entry), which wasm instruction each stretch of its code belongs to, so
//! that a trap's backtrace gives the module offset of every frame, and the
//! frames of functions LLVM inlined.
//!
//! A site starts at a code offset (from the symbol's start) and runs to
//! the next site or the symbol's end. It names the module byte offset of
//! the instruction of the symbol's own function there (for inlined code,
//! that of the call that was inlined), 0 when unknown, and the inlined
//! frames, innermost first. On the wire code offsets and module offsets
//! are deltas from the previous site of the symbol, which keeps most
//! numbers below 251, one byte each (bincode, 4.7), and the few sites
//! with inlined frames are listed apart, by site index.

use serde::Serialize;

use super::codec::encode;
use super::sections::SITES_SECTION;
use super::wire::{Wire, WireResult};
use super::{ArtifactError, KilnSymbol};

/// One inlined frame: the inlined function and the module offset of the
/// instruction running in it (for all but the innermost, the call).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InlinedFrame {
    /// Function index.
    pub func: u32,
    /// Module byte offset, 0 when unknown.
    pub offset: u32,
}

/// Where one wasm instruction's code starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// Code offset from the symbol's start.
    pub code: u32,
    /// Module byte offset of the symbol's own function's instruction, 0
    /// when unknown.
    pub offset: u32,
    /// Functions inlined there, innermost first (usually none).
    pub inlined: Vec<InlinedFrame>,
}

/// The sites of one symbol, by ascending code offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SymbolSites {
    /// `Func` or `Osr`.
    pub symbol: KilnSymbol,
    /// Strictly ascending `code`.
    pub sites: Vec<Site>,
}

/// The symbol on the wire: variant 0 `Func(F)`, 1 `Osr(F, L)`.
#[derive(Serialize)]
enum WireSymbol {
    Func(u32),
    Osr(u32, u32),
}

/// A site on the wire: code delta, zigzag module offset delta.
type WireSite = (u32, i32);
/// Inlined frames on the wire: the site's index plus one, as a delta from
/// the previous such value (from 0), then (function, offset) pairs.
type WireInlined = (u32, Vec<(u32, u32)>);
/// A symbol's table on the wire.
type WireSymbolSites = (WireSymbol, Vec<WireSite>, Vec<WireInlined>);

/// Reads one [`WireSymbolSites`].
fn wire_symbol_sites(w: &mut Wire<'_>) -> WireResult<WireSymbolSites> {
    let symbol = match w.tag("symbol", 2)? {
        0 => WireSymbol::Func(w.u32()?),
        _ => WireSymbol::Osr(w.u32()?, w.u32()?),
    };
    let sites = w.seq(|w| Ok((w.u32()?, w.i32()?)))?;
    let inlined = w.seq(|w| Ok((w.u32()?, w.seq(|w| Ok((w.u32()?, w.u32()?)))?)))?;
    Ok((symbol, sites, inlined))
}

fn bad(reason: String) -> ArtifactError {
    ArtifactError::BadSection {
        section: SITES_SECTION.into(),
        reason,
    }
}

/// Encodes `symbols` as the contents of `.kiln.sites`.
pub fn encode_sites(symbols: &[SymbolSites]) -> Result<Vec<u8>, ArtifactError> {
    let mut wire = Vec::with_capacity(symbols.len());
    for s in symbols {
        let symbol = match s.symbol {
            KilnSymbol::Func(f) => WireSymbol::Func(f),
            KilnSymbol::Osr { func, loop_index } => WireSymbol::Osr(func, loop_index),
            other => return Err(bad(format!("sites for {other}, which is no function"))),
        };
        let (mut code, mut offset) = (0u32, 0u32);
        let mut sites: Vec<WireSite> = Vec::with_capacity(s.sites.len());
        let mut inlined: Vec<WireInlined> = Vec::new();
        let mut last = 0u32;
        for (i, site) in s.sites.iter().enumerate() {
            sites.push((
                site.code.wrapping_sub(code),
                site.offset.wrapping_sub(offset) as i32,
            ));
            (code, offset) = (site.code, site.offset);
            if !site.inlined.is_empty() {
                let frames = site.inlined.iter().map(|f| (f.func, f.offset)).collect();
                inlined.push((i as u32 + 1 - last, frames));
                last = i as u32 + 1;
            }
        }
        wire.push((symbol, sites, inlined));
    }
    Ok(encode(wire))
}

/// Decodes `.kiln.sites`: every symbol a function or OSR entry named once,
/// each symbol's code offsets strictly ascending (the first may be 0).
/// Whether the symbols exist and the offsets lie inside their code is the
/// loader's check ([`check_site_bounds`]).
pub fn decode_sites(section: &[u8]) -> Result<Vec<SymbolSites>, ArtifactError> {
    let wire = super::decode::all(section, |w| w.seq(wire_symbol_sites)).map_err(bad)?;
    let mut out = Vec::with_capacity(wire.len());
    for (symbol, sites, inlined) in wire {
        let symbol = match symbol {
            WireSymbol::Func(f) => KilnSymbol::Func(f),
            WireSymbol::Osr(func, loop_index) => KilnSymbol::Osr { func, loop_index },
        };
        let (mut code, mut offset) = (0u32, 0u32);
        let mut decoded = Vec::with_capacity(sites.len());
        for (i, (dc, doff)) in sites.into_iter().enumerate() {
            if i > 0 && dc == 0 {
                return Err(bad(format!("{symbol}: two sites at code offset {code}")));
            }
            code = code
                .checked_add(dc)
                .ok_or_else(|| bad(format!("{symbol}: code offset beyond 4 GiB")))?;
            offset = offset.wrapping_add(doff as u32);
            decoded.push(Site {
                code,
                offset,
                inlined: Vec::new(),
            });
        }
        let mut at = 0u32;
        for (delta, frames) in inlined {
            at = at
                .checked_add(delta)
                .filter(|_| delta > 0)
                .ok_or_else(|| bad(format!("{symbol}: inlined frames out of order")))?;
            let site = decoded
                .get_mut(at as usize - 1)
                .filter(|s| s.inlined.is_empty() && !frames.is_empty())
                .ok_or_else(|| bad(format!("{symbol}: inlined frames of no site")))?;
            site.inlined = frames
                .into_iter()
                .map(|(func, offset)| InlinedFrame { func, offset })
                .collect();
        }
        out.push(SymbolSites {
            symbol,
            sites: decoded,
        });
    }
    let mut seen: Vec<KilnSymbol> = out.iter().map(|s| s.symbol).collect();
    seen.sort_unstable_by_key(|s| match *s {
        KilnSymbol::Func(f) => (f, 0, 0),
        KilnSymbol::Osr { func, loop_index } => (func, 1, loop_index),
        _ => (u32::MAX, 2, 0),
    });
    if let Some(w) = seen.windows(2).find(|w| w[0] == w[1]) {
        return Err(bad(format!("{} has two site tables", w[0])));
    }
    Ok(out)
}

/// Checks that the last site of `sites` lies inside its symbol's `size`
/// bytes of code.
pub fn check_site_bounds(sites: &SymbolSites, size: u64) -> Result<(), ArtifactError> {
    match sites.sites.last() {
        Some(last) if u64::from(last.code) >= size => Err(bad(format!(
            "{}: a site at code offset {} of its {size} bytes",
            sites.symbol, last.code
        ))),
        _ => Ok(()),
    }
}
