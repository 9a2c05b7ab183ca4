//! The interpreter: functions are translated once into compact
//! register-style code ([`code`]) by [`translate`] and run by [`exec`].

#[macro_use]
mod define_ops;
mod code;
mod exec;
#[cfg(feature = "fast-jit")]
pub(crate) mod native_entry;
mod num;
mod simd;
mod trace;
mod translate;

pub(crate) use code::CompiledFunc;
pub(crate) use translate::width;

use crate::error::{Error, Result, Trap};
use crate::func::FuncEntity;
use crate::store::StoreOpaque;
use crate::types::ValType;
use crate::values::Val;
use exec::{ExecEnv, HostBuffers};
use kiln_format::TrapCode;

/// Host-to-wasm nesting (host functions calling back into wasm) allowed
/// before the call traps as stack exhaustion.
const MAX_NESTING: u32 = 200;

/// Interprets wasm function `func` of `store`, called from the host (the
/// dispatch over compiled code and host functions is `crate::call`'s).
///
/// # Safety
/// `store` and `erased` must point to the same live store (the latter to its
/// `StoreInner<T>`), borrowed exclusively for the duration of the call;
/// `func` is a wasm function without compiled code.
pub(crate) unsafe fn interpret_from_host(
    store: *mut StoreOpaque,
    erased: *mut (),
    func: u32,
    params: &[Val],
    results: &mut [Val],
) -> Result<()> {
    let entity: *const FuncEntity = &*(&(*store)).funcs[func as usize];
    if (*store).nesting >= MAX_NESTING {
        return Err(Trap::new(TrapCode::StackOverflow).into());
    }
    let stack_words = ((&*store).engine.config().stack_size / 8).max(512);
    let mut stack = (&mut *store).stack_pool.pop().unwrap_or_default();
    if stack.len() < stack_words {
        stack = vec![0u64; stack_words];
    }
    let ty = (*entity).ty.clone();
    let mut slot = 0usize;
    for (p, t) in params.iter().zip(ty.params()) {
        let raw = p.to_raw(&*store);
        stack[slot] = raw as u64;
        if *t == ValType::V128 {
            stack[slot + 1] = (raw >> 64) as u64;
        }
        slot += width(*t) as usize;
    }
    (*store).nesting += 1;
    let mut host = HostBuffers::default();
    let mut env = ExecEnv {
        store,
        erased,
        host: &mut host,
        max_frames: stack_words / 4,
    };
    let outcome = exec::execute(&mut env, entity, &mut stack);
    (*store).nesting -= 1;
    if outcome.is_ok() {
        let mut slot = 0usize;
        for (r, t) in results.iter_mut().zip(ty.results()) {
            let mut raw = stack[slot] as u128;
            if *t == ValType::V128 {
                raw |= (stack[slot + 1] as u128) << 64;
            }
            *r = Val::from_raw(raw, *t, &*store);
            slot += width(*t) as usize;
        }
    }
    (&mut *store).stack_pool.push(stack);
    outcome.map_err(Error::Trap)
}

/// Translates every function of `module` not yet translated.
pub(crate) fn translate_all(module: &crate::module::ModuleInner) -> Result<()> {
    for def in 0..module.compiled.len() {
        let def = u32::try_from(def).map_err(|_| Error::Usage("too many functions".into()))?;
        translated(module, def).map_err(Error::Trap)?;
    }
    Ok(())
}

/// The translated code of defined function `def`, translating it on first use.
/// Inlined into the interpreter's call: the translation is out of line.
#[inline]
fn translated(
    module: &crate::module::ModuleInner,
    def: u32,
) -> std::result::Result<&CompiledFunc, Trap> {
    match module.compiled[def as usize].get() {
        Some(c) => Ok(c),
        None => translate_now(module, def),
    }
}

/// Translates defined function `def` for [`translated`].
#[cold]
#[inline(never)]
fn translate_now(
    module: &crate::module::ModuleInner,
    def: u32,
) -> std::result::Result<&CompiledFunc, Trap> {
    let cell = &module.compiled[def as usize];
    let c = translate::translate(module, def)
        .map_err(|e| Trap::host(format!("internal error translating function: {e}")))?;
    // Another thread may have won the race; its translation is the same.
    Ok(cell.get_or_init(|| std::sync::Arc::new(c)))
}
