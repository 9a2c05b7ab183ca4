//! WASI preview1 (`wasi_snapshot_preview1`): what a command program built
//! by wasi-libc, wasi-sdk or Rust's `wasm32-wasip1` imports.
//!
//! The embedder builds a [`WasiCtx`] (arguments, environment, preopened
//! directories), keeps it in the store's data and calls [`add_to_linker`].
//! Every function is an ordinary host function, so the interpreter and
//! compiled code (LLVM JIT, AOT) reach the same implementation through the
//! shared host-call path. Guest pointers are checked against the calling
//! instance's exported `memory` ([`memory::GuestMemory`]); files are only
//! reachable through preopened directories, with every path resolved by
//! cap-std inside its directory (no `..`, absolute path or symlink leads
//! out).
//!
//! ```no_run
//! use kiln_runtime::wasi::{self, WasiCtx};
//! use kiln_runtime::{Engine, Linker, Module, Store};
//!
//! let engine = Engine::default();
//! // An artifact made by `kilnc app.wasm` (`Module::new` takes the wasm itself).
//! let module = Module::from_artifact(&engine, &std::fs::read("app.aot").unwrap(), None).unwrap();
//! let ctx = WasiCtx::builder()
//!     .args(["app.aot", "input.txt"])
//!     .env("LANG", "C")
//!     .preopened_dir("./data", "/data")
//!     .unwrap()
//!     .build();
//! let mut store = Store::new(&engine, ctx);
//! let mut linker = Linker::new();
//! wasi::add_to_linker(&mut linker, &mut store, |ctx| ctx);
//! let instance = linker.instantiate(&mut store, &module).unwrap();
//! let start = instance.get_func(&store, "_start").unwrap();
//! if let Err(e) = start.call(&mut store, &[], &mut []) {
//!     // `proc_exit(n)` arrives as a trap carrying the status.
//!     let status = e.as_trap().and_then(|t| t.exit_status());
//!     println!("exit status {status:?}");
//! }
//! ```

mod ctx;
mod errno;
mod fdtable;
mod filestat;
mod funcs;
mod memory;
mod types;

pub use ctx::{WasiCtx, WasiCtxBuilder};
pub use errno::Errno;

use crate::error::Trap;
use crate::externals::Extern;
use crate::func::{Caller, Func};
use crate::linker::Linker;
use crate::store::AsStoreMut;
use crate::types::{FuncType, ValType};
use crate::values::Val;
use memory::GuestMemory;

/// The import module name.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// Why a WASI call did not succeed: an errno for the guest, or a trap
/// (`proc_exit`, a missing memory).
pub(crate) enum Fail {
    Errno(Errno),
    Trap(Trap),
}

impl From<Errno> for Fail {
    fn from(e: Errno) -> Fail {
        Fail::Errno(e)
    }
}

impl From<std::io::Error> for Fail {
    fn from(e: std::io::Error) -> Fail {
        Fail::Errno(e.into())
    }
}

/// What a call returns to the dispatcher.
pub(crate) type CallResult = Result<(), Fail>;

/// The arguments of one call, as unsigned integers.
pub(crate) struct Args<'a>(&'a [Val]);

impl Args<'_> {
    /// Argument `i` as an `i32` parameter, unsigned.
    pub fn u32(&self, i: usize) -> u32 {
        match self.0[i] {
            Val::I32(v) => v as u32,
            Val::I64(v) => v as u32,
            _ => 0,
        }
    }

    /// Argument `i` as an `i64` parameter, unsigned.
    pub fn u64(&self, i: usize) -> u64 {
        match self.0[i] {
            Val::I64(v) => v as u64,
            Val::I32(v) => v as u32 as u64,
            _ => 0,
        }
    }
}

/// One WASI function: the context, the guest's memory and the arguments.
pub(crate) type Handler = fn(&mut WasiCtx, &mut GuestMemory<'_>, &Args<'_>) -> CallResult;

/// The name and signature of every `wasi_snapshot_preview1` function.
pub fn functions() -> impl Iterator<Item = (&'static str, FuncType)> {
    funcs::ALL
        .iter()
        .map(|&(name, params, _)| (name, signature(name, params)))
}

fn signature(name: &str, params: &[ValType]) -> FuncType {
    let results: &[ValType] = if name == "proc_exit" {
        &[]
    } else {
        &[ValType::I32]
    };
    FuncType::new(params.iter().copied(), results.iter().copied())
}

/// Defines every `wasi_snapshot_preview1` function in `linker`, as host
/// functions of `store` that find their [`WasiCtx`] with `get`.
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    store: &mut impl AsStoreMut<Data = T>,
    get: fn(&mut T) -> &mut WasiCtx,
) {
    for &(name, params, handler) in funcs::ALL {
        let ty = signature(name, params);
        let func = Func::new(store, ty, move |caller, params, results| {
            dispatch(caller, get, handler, params, results)
        });
        linker.define(MODULE, name, func);
    }
}

/// Runs `handler` with the caller's memory and context; an errno goes to
/// the guest as the result, a trap unwinds.
fn dispatch<T>(
    caller: Caller<'_, T>,
    get: fn(&mut T) -> &mut WasiCtx,
    handler: Handler,
    params: &[Val],
    results: &mut [Val],
) -> Result<(), Trap> {
    let Some(Extern::Memory(memory)) = caller.get_export("memory") else {
        return Err(Trap::host(
            "WASI needs the calling module to export its memory as `memory`",
        ));
    };
    let inner = caller.inner;
    let bytes = inner.opaque.memories[memory.0 as usize].data_mut();
    let mut mem = GuestMemory::new(bytes);
    let ctx = get(&mut inner.data);
    let errno = match handler(ctx, &mut mem, &Args(params)) {
        Ok(()) => Errno::Success,
        Err(Fail::Errno(e)) => e,
        Err(Fail::Trap(t)) => return Err(t),
    };
    if let Some(r) = results.first_mut() {
        *r = Val::I32(errno as i32);
    }
    Ok(())
}
