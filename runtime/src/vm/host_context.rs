//! The per-thread context of a call from the host into native code: the
//! store it runs in and the instance entered, for runtime functions that
//! native code calls back (host calls, the interpreter's entry), and the
//! trap such a function raised, for the entry to return with its message.

use crate::error::Trap;
use crate::instance::Instance;
use crate::store::StoreOpaque;
use std::cell::{Cell, RefCell};

/// The store a native call runs in.
#[derive(Clone, Copy)]
pub(crate) struct HostContext {
    pub store: *mut StoreOpaque,
    pub erased: *mut (),
    pub instance: Option<Instance>,
}

thread_local! {
    static CONTEXT: Cell<Option<HostContext>> = const { Cell::new(None) };
    static PENDING: RefCell<Option<Trap>> = const { RefCell::new(None) };
}

/// Makes `ctx` current; returns the one it replaces (restore it with [`leave`]).
pub(crate) fn enter(ctx: HostContext) -> Option<HostContext> {
    CONTEXT.with(|c| c.replace(Some(ctx)))
}

/// Restores the context [`enter`] returned.
pub(crate) fn leave(outer: Option<HostContext>) {
    CONTEXT.with(|c| c.set(outer));
}

/// Runs `f` with the store, its erased pointer and the entered instance.
pub(crate) fn with_host_context<R>(
    f: impl FnOnce(*mut StoreOpaque, *mut (), Option<Instance>) -> Result<R, Trap>,
) -> Result<R, Trap> {
    match CONTEXT.with(|c| c.get()) {
        Some(c) => f(c.store, c.erased, c.instance),
        None => Err(Trap::host("host function called outside of a wasm call")),
    }
}

/// Keeps a trap (with its message) for the entry to return.
pub(crate) fn stash_trap(trap: Trap) {
    PENDING.with(|p| *p.borrow_mut() = Some(trap));
}

/// The trap [`stash_trap`] kept, if any.
pub(crate) fn take_trap() -> Option<Trap> {
    PENDING.with(|p| p.borrow_mut().take())
}
