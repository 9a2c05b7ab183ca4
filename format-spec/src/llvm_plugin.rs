//! The LLVM plugin contract: how a runtime without LLVM linked in asks the
//! shared library that holds Kiln's LLVM compiler for code.
//!
//! LLVM is large (its static initialisers and relocations alone cost a
//! process about 10 ms and 35 MB), so the `kiln` runtime does not link it:
//! the LLVM JIT, tier-up and the spec runner's AOT mode open
//! [`LIBRARY_NAME`] the first time they need LLVM (tier-up from its
//! background thread), and a run that needs no LLVM never loads it.
//!
//! The library exports three C functions ([`SYM_ABI_VERSION`],
//! [`SYM_CALL`], [`SYM_FREE`]). Everything crossing the boundary is bytes:
//! a bincode-encoded [`Request`] in, an artifact (SPEC.md section 4) or an
//! encoded [`Description`] out, or a UTF-8 error message. Both sides keep
//! their own allocator; the caller hands every returned buffer back to
//! [`SYM_FREE`]. A panic inside the library is caught there and returned
//! as an error; it never unwinds into the caller.

use serde::{Deserialize, Serialize};

/// The file name of the plugin (Linux). The runtime looks for it in
/// `$KILN_LLVM_PLUGIN` (a path to the file), then beside the running
/// executable, then in that directory's parent (test binaries live in
/// `target/<profile>/deps`), then in `../lib/kiln/` from the executable.
pub const LIBRARY_NAME: &str = "libkiln_llvm.so";

/// The environment variable naming the plugin's path.
pub const PATH_VARIABLE: &str = "KILN_LLVM_PLUGIN";

/// Bumped whenever a type or a function of this contract changes; the
/// runtime refuses a library reporting another version.
pub const ABI_VERSION: u32 = 1;

/// `extern "C" fn() -> u32`: the library's [`ABI_VERSION`].
pub const SYM_ABI_VERSION: &str = "kiln_llvm_abi_version";
/// [`CallFn`]: answers one request.
pub const SYM_CALL: &str = "kiln_llvm_call";
/// [`FreeFn`]: releases a buffer the library returned.
pub const SYM_FREE: &str = "kiln_llvm_free";

/// `kiln_llvm_abi_version`.
pub type AbiVersionFn = unsafe extern "C" fn() -> u32;

/// `kiln_llvm_call(request, request_len, wasm, wasm_len, out)`: decodes the
/// request, runs it on `wasm` (ignored by [`Request::Describe`]) and stores
/// the answer in `*out`. Returns [`STATUS_OK`] (`out` holds the answer) or
/// [`STATUS_ERROR`] (`out` holds a UTF-8 message). The pointers must be
/// valid for their lengths; a length of 0 allows any pointer.
pub type CallFn = unsafe extern "C" fn(
    request: *const u8,
    request_len: usize,
    wasm: *const u8,
    wasm_len: usize,
    out: *mut Buffer,
) -> u32;

/// `kiln_llvm_free(buffer)`: releases a buffer `kiln_llvm_call` stored.
pub type FreeFn = unsafe extern "C" fn(buffer: Buffer);

/// The call succeeded.
pub const STATUS_OK: u32 = 0;
/// The call failed; the buffer holds the message.
pub const STATUS_ERROR: u32 = 1;

/// Bytes owned by the library: a `Vec<u8>`'s parts.
#[repr(C)]
#[derive(Debug)]
pub struct Buffer {
    pub ptr: *mut u8,
    pub len: usize,
    pub capacity: usize,
}

impl Buffer {
    /// A buffer holding nothing (what `out` holds before a call).
    pub const EMPTY: Buffer = Buffer {
        ptr: std::ptr::null_mut(),
        len: 0,
        capacity: 0,
    };
}

/// What the runtime asks the library.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    /// The compiler and the host target, encoded as a [`Description`].
    Describe,
    /// An artifact of the request's wasm for this host.
    Compile(CompileRequest),
}

/// The options of one compilation for the host (the plugin's
/// `CompileOptions` with the host's target; see kiln-compiler's
/// `options.rs` for each field's meaning).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompileRequest {
    /// 0-3.
    pub opt_level: u8,
    /// Calls between the module's functions jump straight to their code.
    pub direct_calls: bool,
    /// The caller validated the wasm already.
    pub wasm_validated: bool,
    /// Worker threads (0: one per core).
    pub threads: u32,
    /// Compile only these defined functions (a partial artifact).
    pub only_defined: Option<Vec<u32>>,
    /// OSR entries (defined function, loop ordinal), partial artifacts only.
    pub osr_entries: Vec<(u32, u32)>,
}

impl CompileRequest {
    /// What `kilnc` does by default, for the host: `-O3`, direct calls.
    pub fn whole_module(opt_level: u8) -> Self {
        CompileRequest {
            opt_level,
            direct_calls: true,
            wasm_validated: false,
            threads: 0,
            only_defined: None,
            osr_entries: Vec::new(),
        }
    }
}

/// The library's compiler and the host target it compiles for: what names
/// the runtime's compile-cache entries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Description {
    /// e.g. `kilnc 0.1.0 (LLVM 19.1.7)`.
    pub compiler_version: String,
    pub triple: String,
    pub cpu: String,
    pub features: String,
}

/// The largest request or description a side decodes (1 MiB).
const MAX_MESSAGE: usize = 1 << 20;

/// Encodes a request or a description.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    crate::artifact::codec::encode(value)
}

/// Decodes all of `bytes` as a request or a description.
pub fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    crate::artifact::codec::decode_exact::<T, MAX_MESSAGE>(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_round_trip() {
        let mut req = CompileRequest::whole_module(2);
        req.only_defined = Some(vec![1, 5]);
        req.osr_entries = vec![(5, 0)];
        for r in [Request::Describe, Request::Compile(req)] {
            assert_eq!(decode::<Request>(&encode(&r)).unwrap(), r);
        }
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(decode::<Request>(&[0xff, 0xff, 0xff]).is_err());
        let mut bytes = encode(&Request::Describe);
        bytes.push(0);
        assert!(decode::<Request>(&bytes).is_err());
    }
}
