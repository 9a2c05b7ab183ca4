//! `libkiln_llvm.so`: kiln-compiler behind the C functions of the LLVM
//! plugin contract (`kiln_format::llvm_plugin`), for runtimes that do not
//! link LLVM. Nothing here but the boundary: decoding requests, catching
//! panics, handing buffers out and taking them back.

use kiln_compiler::{compile_artifact, CompileOptions, TargetSpec};
use kiln_format::llvm_plugin::{
    decode, encode, Buffer, CompileRequest, Description, Request, ABI_VERSION, STATUS_ERROR,
    STATUS_OK,
};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The contract version this library implements.
#[no_mangle]
pub extern "C" fn kiln_llvm_abi_version() -> u32 {
    ABI_VERSION
}

/// Answers one request (see `kiln_format::llvm_plugin::CallFn`).
///
/// # Safety
/// `request` and `wasm` must be valid for reads of their lengths (any
/// pointer when the length is 0), and `out` valid for one write.
#[no_mangle]
pub unsafe extern "C" fn kiln_llvm_call(
    request: *const u8,
    request_len: usize,
    wasm: *const u8,
    wasm_len: usize,
    out: *mut Buffer,
) -> u32 {
    // SAFETY: the caller guarantees both ranges (the contract above).
    let (request, wasm) = unsafe { (bytes(request, request_len), bytes(wasm, wasm_len)) };
    let answer = catch_unwind(AssertUnwindSafe(|| answer(request, wasm)))
        .unwrap_or_else(|_| Err("the LLVM compiler panicked".into()));
    let (status, bytes) = match answer {
        Ok(bytes) => (STATUS_OK, bytes),
        Err(message) => (STATUS_ERROR, message.into_bytes()),
    };
    let mut bytes = std::mem::ManuallyDrop::new(bytes);
    // SAFETY: the caller guarantees `out` is valid for a write.
    unsafe {
        out.write(Buffer {
            ptr: bytes.as_mut_ptr(),
            len: bytes.len(),
            capacity: bytes.capacity(),
        })
    };
    status
}

/// Releases a buffer `kiln_llvm_call` returned.
///
/// # Safety
/// `buffer` must come from `kiln_llvm_call` of this library, released once.
#[no_mangle]
pub unsafe extern "C" fn kiln_llvm_free(buffer: Buffer) {
    if buffer.ptr.is_null() {
        return;
    }
    // SAFETY: the parts are those of a Vec<u8> this library leaked.
    drop(unsafe { Vec::from_raw_parts(buffer.ptr, buffer.len, buffer.capacity) });
}

/// Every `__cxa_atexit` call linked into this library lands here (see
/// build.rs) and registers nothing: LLVM's static objects are never
/// destroyed, so a process exiting while a background thread compiles (or
/// opens this library) does not free what that thread is using.
#[no_mangle]
pub extern "C" fn __wrap___cxa_atexit(
    _destructor: Option<unsafe extern "C" fn(*mut std::ffi::c_void)>,
    _object: *mut std::ffi::c_void,
    _dso_handle: *mut std::ffi::c_void,
) -> std::ffi::c_int {
    0
}

/// # Safety
/// `ptr` valid for `len` bytes unless `len` is 0.
unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 || ptr.is_null() {
        &[]
    } else {
        // SAFETY: the caller's guarantee.
        unsafe { std::slice::from_raw_parts(ptr, len) }
    }
}

fn answer(request: &[u8], wasm: &[u8]) -> Result<Vec<u8>, String> {
    let target = TargetSpec::host().map_err(|e| e.to_string())?;
    match decode::<Request>(request)? {
        Request::Describe => Ok(encode(&Description {
            compiler_version: kiln_compiler::artifact::compiler_version(),
            triple: target.triple,
            cpu: target.cpu,
            features: target.features,
        })),
        Request::Compile(req) => {
            compile_artifact(wasm, &options(target, req)).map_err(|e| e.to_string())
        }
    }
}

fn options(target: TargetSpec, req: CompileRequest) -> CompileOptions {
    let mut opts = CompileOptions::new(target);
    opts.opt_level = req.opt_level;
    opts.direct_calls = req.direct_calls;
    opts.wasm_validated = req.wasm_validated;
    opts.threads = req.threads as usize;
    opts.only_defined = req.only_defined;
    opts.osr_entries = req.osr_entries;
    opts
}
