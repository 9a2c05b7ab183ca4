//! Kiln's artifact loader: artifact bytes -> checked, relocated,
//! executable code.
//!
//! [`load`] accepts only what SPEC.md section 4 allows and checks all of
//! it, in the spec's order: file identification (a WAMR `.aot` file is
//! refused by name), format version, checksum, sections, target and CPU
//! features against the [`HostInfo`](kiln_format::artifact::HostInfo) the
//! caller gives, the wasm hash (when the caller has the wasm), metadata,
//! symbols and relocations. A prelinked artifact (format 2.0, SPEC.md
//! 4.18) is one image laid out by `kilnc`: [`load_file`] maps it straight
//! from the file (code and constants are read as they are touched) and
//! relocates only its last pages, the table of runtime symbols; [`load`]
//! copies it from memory. A relocatable object (made in memory, as the
//! LLVM JIT does) is laid out here instead: every loaded section mapped
//! once (code first, read-only data from the next page), GOT slots and
//! call veneers built, every relocation applied. Either way the mapping
//! is then flipped to read+execute / read-only. No page is ever writable
//! and executable at once.
//!
//! Runtime symbols (`kiln_rt_*` and the allowed libcalls) come from the
//! resolver in [`LoadOptions`]; the loader never calls into the runtime.
//! The result, a [`LoadedArtifact`], owns the mapping and gives the
//! address of every `kiln_func_<F>`, `kiln_array_call_<T>` and
//! `kiln_wasm_call_<T>`.
//!
//! # For the runtime
//!
//! - **Addresses.** [`LoadedArtifact::func`] gives `kiln_func_<F>` by
//!   function index (`None` for imports); [`LoadedArtifact::array_call`]
//!   and [`LoadedArtifact::wasm_call`] give the trampolines by type index
//!   (optional: present when `kilnc` emitted them). Cast an address to an
//!   `extern "C" fn` of the signature SPEC.md gives for it.
//! - **Resolver.** [`LoadOptions::resolver`] is called once per undefined
//!   symbol, during [`load`] only, with names that are `kiln_rt_*` or in
//!   [`LIBCALLS`](kiln_format::artifact::LIBCALLS); `None` refuses the
//!   artifact. The addresses it returns must stay valid while the loaded
//!   artifact lives.
//! - **Lifetime.** The [`LoadedArtifact`] owns the mapping; every address
//!   is valid exactly as long as it lives (it is `Send + Sync`: share it
//!   in an `Arc`). Dropping it unmaps the code.
//! - **Traps.** [`LoadedArtifact::code_range`] tells a signal handler
//!   whether a pc is in this artifact's code, and
//!   [`LoadedArtifact::func_at`] which function it is in.
//! - **Fallback.** [`LoadError::is_stale`] (or [`inspect`] before loading)
//!   tells the runtime to compile the wasm with a JIT tier instead.

mod check;
mod elf;
mod error;
mod file;
mod host;
mod icache;
mod image;
mod layout;
mod load;
mod loaded;
mod prelinked;
mod reloc;
mod symbols;

pub use error::LoadError;
pub use file::FileMap;
#[cfg(target_arch = "x86_64")]
pub use host::detectable_x86_64_features;
pub use host::{host_cpu_features, host_info, host_info_with_guard, GUARD_SIZE};
pub use image::CodeImage;
pub use load::{inspect, load, load_file, LoadOptions, Resolver};
pub use loaded::{decode_names, CodeSymbol, LoadedArtifact};
