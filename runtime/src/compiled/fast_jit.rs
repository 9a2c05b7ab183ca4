//! Compiling a module with the Fast JIT and mapping its code.

use super::{intrinsics, CompiledCode, Native};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::module::ModuleInner;
use crate::vm::traps::CodeRange;
use kiln_loader::CodeImage;

/// The Fast JIT's code of one module, mapped read+execute.
pub(crate) struct FastJitCode {
    image: CodeImage,
    funcs: Vec<Option<usize>>,
    array_calls: Vec<Option<usize>>,
    wasm_calls: Vec<Option<usize>>,
    interp_calls: Vec<Option<usize>>,
    /// For a module compiled lazily: what has been compiled since.
    pub lazy: Option<super::lazy::LazyCode>,
    /// For a module tiering up: its counters and LLVM code.
    pub tier_up: Option<std::sync::Arc<super::tier_up::TierUp>>,
}

impl FastJitCode {
    fn address(&self, offset: Option<&Option<usize>>) -> Option<usize> {
        offset.copied().flatten().map(|o| self.image.base() + o)
    }

    pub fn func(&self, index: u32) -> Option<usize> {
        self.address(self.funcs.get(index as usize))
    }

    pub fn array_call(&self, type_index: u32) -> Option<usize> {
        self.address(self.array_calls.get(type_index as usize))
    }

    pub fn wasm_call(&self, type_index: u32) -> Option<usize> {
        self.address(self.wasm_calls.get(type_index as usize))
    }

    pub fn interp_call(&self, type_index: u32) -> Option<usize> {
        self.address(self.interp_calls.get(type_index as usize))
    }
}

/// The runtime functions Fast JIT code calls.
pub(super) fn runtime_symbols(
) -> std::result::Result<kiln_fast_jit::Runtime, kiln_fast_jit::CompileError> {
    kiln_fast_jit::Runtime::resolve(&intrinsics::resolve)
}

/// Validates and reads `wasm`, then compiles it with the Fast JIT (lazily:
/// a stub per function, see [`super::lazy`]; eagerly with
/// `Config::fast_jit_eager`, `--jit-dump` or mixed tiers);
/// with `interp_entries`, also the trampolines into the interpreter that a
/// module mixing tiers needs.
pub(crate) fn compile_module(
    engine: &Engine,
    wasm: &[u8],
    interp_entries: bool,
) -> Result<ModuleInner> {
    let mut inner = crate::module::parse_wasm(engine, wasm)?;
    let compile_error = |e: kiln_fast_jit::CompileError| match e {
        kiln_fast_jit::CompileError::Wasm(w) => Error::Compile {
            offset: w.offset() as usize,
            message: w.message().to_string(),
        },
        other => Error::Usage(other.to_string()),
    };
    let rt = runtime_symbols().map_err(compile_error)?;
    let start = std::time::Instant::now();
    let dump = engine.config().jit_dump.clone();
    let entry = crate::interp::native_entry::kiln_interp_entry as *const () as usize;
    // Lazy unless asked otherwise, or the code is to be shown or mixed.
    let lazy = !engine.config().fast_jit_eager && dump.is_none() && !interp_entries;
    let tier_up = (engine.default_running_mode() == crate::RunningMode::MultiTierJit).then(|| {
        super::tier_up::TierUp::new(engine, wasm, inner.funcs.len(), inner.num_imported_funcs)
    });
    let options = kiln_fast_jit::Options {
        tier_up: tier_up.as_ref().map(|t| t.hooks()),
        interp_entry: interp_entries.then_some(entry),
        lazy_entry: lazy.then_some(super::lazy::kiln_rt_lazy_compile as *const () as usize),
    };
    let compiled = kiln_fast_jit::compile_module(wasm, &rt, &options).map_err(compile_error)?;
    if crate::log::enabled("jit") && !lazy {
        let secs = start.elapsed().as_secs_f64();
        eprintln!(
            "kiln: fast-jit compiled {} bytes of function bodies into {} bytes of code in {:.2} ms ({:.1} MB/s)",
            compiled.body_bytes,
            compiled.code.len(),
            secs * 1e3,
            compiled.body_bytes as f64 / 1e6 / secs.max(1e-9)
        );
    }
    let image = CodeImage::from_code(&compiled.code).map_err(|e| Error::Resource(e.to_string()))?;
    if let Some(which) = &dump {
        print_dump(&inner, &compiled, image.base() as u64, which)?;
    }
    let code = image.code_range();
    let range = CodeRange::register(code.start, code.end)
        .ok_or_else(|| Error::Resource("too many code images registered".into()))?;
    let map = super::frames::fast_jit_map(inner.frame_names(), &compiled.source_maps, image.base());
    let frames = super::frames::register(code, map);
    if let Some(agent) = crate::profiling::agent(engine.config().profiling) {
        record_module(agent, &inner, &compiled, image.base(), lazy);
    }
    inner.code = Some(CompiledCode {
        native: Native::FastJit(FastJitCode {
            image,
            funcs: compiled.funcs,
            array_calls: compiled.array_calls,
            wasm_calls: compiled.wasm_calls,
            interp_calls: compiled.interp_calls,
            lazy: lazy.then(|| super::lazy::LazyCode::new(inner.funcs.len())),
            tier_up,
        }),
        _range: range,
        _frames: frames,
    });
    Ok(inner)
}

/// Tells `agent` about the functions (or with `lazy`, their stubs) and
/// trampolines of `compiled`, mapped at `base`.
fn record_module(
    agent: &dyn crate::profiling::Agent,
    inner: &ModuleInner,
    compiled: &kiln_fast_jit::CompiledModule,
    base: usize,
    lazy: bool,
) {
    use crate::profiling::{contiguous, Names, Piece};
    let offsets = |v: &[Option<usize>], piece: fn(u32) -> Piece| {
        v.iter()
            .enumerate()
            .filter_map(move |(i, o)| o.map(|o| (o, piece(i as u32))))
            .collect::<Vec<_>>()
    };
    let func = if lazy { Piece::LazyStub } else { Piece::Func };
    let mut pieces = offsets(&compiled.funcs, func);
    pieces.extend(offsets(&compiled.array_calls, Piece::ArrayCall));
    pieces.extend(offsets(&compiled.wasm_calls, Piece::WasmCall));
    pieces.extend(offsets(&compiled.interp_calls, Piece::InterpCall));
    let names = Names::of(inner);
    agent.record(&contiguous(
        &names,
        base,
        compiled.code.len(),
        pieces,
        "fast-jit",
    ));
}

/// Prints the listings `which` selects ("" for all, an index or an export
/// name) to stderr.
#[cfg(feature = "jit-dump")]
fn print_dump(
    inner: &ModuleInner,
    compiled: &kiln_fast_jit::CompiledModule,
    base: u64,
    which: &str,
) -> Result<()> {
    let wanted = |func: u32| {
        which.is_empty()
            || which.parse::<u32>() == Ok(func)
            || inner.exports.iter().any(|e| {
                e.kind == crate::module::ExternKind::Func && e.index == func && e.name == which
            })
    };
    let mut any = false;
    for map in compiled.source_maps.iter().filter(|m| wanted(m.func)) {
        eprint!("{}", kiln_fast_jit::dump::function(compiled, map, base));
        any = true;
    }
    if any {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "--jit-dump: no compiled function `{which}`"
        )))
    }
}

#[cfg(not(feature = "jit-dump"))]
fn print_dump(
    _inner: &ModuleInner,
    _compiled: &kiln_fast_jit::CompiledModule,
    _base: u64,
    _which: &str,
) -> Result<()> {
    Err(Error::usage(
        "this build of kiln has no JIT dump (feature `jit-dump`)",
    ))
}
