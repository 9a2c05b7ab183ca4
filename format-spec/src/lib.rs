//! Kiln's shared contracts.
//!
//! Everything that more than one tier must agree on lives here and is
//! defined exactly once: the instance layout ([`vmoffsets`]) and its
//! `#[repr(C)]` records ([`records`]), the runtime intrinsics compiled code
//! calls ([`intrinsics`]), the value-slot
//! representation used at host boundaries ([`slots`]), the wasm front end
//! that validates and reads a module once ([`reader`]) and the function
//! environment every compiler tier shares ([`module_env`]), the trap codes with
//! their messages ([`trap`]), the on-stack replacement contract ([`osr`]), the AOT artifact format
//! ([`artifact`]) and the contract of the shared library that holds LLVM
//! ([`llvm_plugin`]).
//! The front end and the conversions from wasmparser's types are the
//! `reader` feature (on by default); without it wasmparser is not linked.
//! This crate has no heavy dependencies so that a device runtime and the
//! compiler can both depend on it.

pub mod artifact;
pub mod intrinsics;
pub mod llvm_plugin;
#[cfg(feature = "reader")]
pub mod module_env;
pub mod osr;
#[cfg(feature = "reader")]
pub mod reader;
pub mod records;
pub mod slots;
pub mod trap;
pub mod vmoffsets;

pub use slots::{ValueSlot, SLOT_SIZE};
pub use trap::TrapCode;
pub use vmoffsets::{VMOffsets, VMCONTEXT_MAGIC};
