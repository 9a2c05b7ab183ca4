//! LLVM, opened on first use: the shared library of the LLVM plugin
//! contract (`kiln_format::llvm_plugin`), found beside the executable and
//! loaded once per process, so that runs which never compile with LLVM
//! (artifacts, the interpreter, the Fast JIT) never load or initialise it.

use kiln_format::llvm_plugin::{
    self as contract, AbiVersionFn, Buffer, CallFn, CompileRequest, Description, FreeFn, Request,
    ABI_VERSION, LIBRARY_NAME, PATH_VARIABLE, STATUS_OK,
};
use std::ffi::{CStr, CString};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The opened library's entry points.
struct Plugin {
    call: CallFn,
    free: FreeFn,
}

/// The plugin, or why it could not be opened (both kept for the process:
/// a library is never closed, its code may be running).
static PLUGIN: OnceLock<Result<Plugin, String>> = OnceLock::new();

/// An artifact of `wasm` for this host, made by the plugin.
pub(crate) fn compile(wasm: &[u8], req: CompileRequest) -> Result<Vec<u8>, PluginError> {
    call(&Request::Compile(req), wasm)
}

/// The plugin's compiler version and the host target it compiles for
/// (asked once per process).
pub(crate) fn describe() -> Result<Description, PluginError> {
    static DESCRIPTION: OnceLock<Description> = OnceLock::new();
    if let Some(d) = DESCRIPTION.get() {
        return Ok(d.clone());
    }
    let bytes = call(&Request::Describe, &[])?;
    let d: Description = contract::decode(&bytes)
        .map_err(|e| PluginError::Unavailable(format!("bad description: {e}")))?;
    Ok(DESCRIPTION.get_or_init(|| d).clone())
}

/// Whether the plugin's file can be found (nothing is loaded; looked up
/// once per process, as the library is opened at most once).
pub(crate) fn is_present() -> bool {
    static PRESENT: OnceLock<bool> = OnceLock::new();
    *PRESENT.get_or_init(|| candidates().iter().any(|p| p.is_file()))
}

/// Why the plugin gave no answer.
#[derive(Debug)]
pub(crate) enum PluginError {
    /// The library is missing, foreign or broken.
    Unavailable(String),
    /// The compiler refused the module (its message).
    Compile(String),
}

impl std::fmt::Display for PluginError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PluginError::Unavailable(m) => write!(f, "LLVM is unavailable: {m}"),
            PluginError::Compile(m) => f.write_str(m),
        }
    }
}

impl From<PluginError> for crate::error::Error {
    fn from(e: PluginError) -> Self {
        match e {
            PluginError::Unavailable(_) => crate::error::Error::Resource(e.to_string()),
            PluginError::Compile(message) => crate::error::Error::Compile { offset: 0, message },
        }
    }
}

fn call(request: &Request, wasm: &[u8]) -> Result<Vec<u8>, PluginError> {
    let plugin = PLUGIN
        .get_or_init(open)
        .as_ref()
        .map_err(|e| PluginError::Unavailable(e.clone()))?;
    let request = contract::encode(request);
    let mut out = Buffer::EMPTY;
    // SAFETY: both slices are valid for their lengths and `out` for a
    // write, as the contract asks; the function came from a library that
    // reported this contract's version.
    let status = unsafe {
        (plugin.call)(
            request.as_ptr(),
            request.len(),
            wasm.as_ptr(),
            wasm.len(),
            &mut out,
        )
    };
    let bytes = if out.ptr.is_null() {
        Vec::new()
    } else {
        // SAFETY: the library stored a buffer of `len` initialised bytes,
        // which stays valid until it is handed back below.
        unsafe { std::slice::from_raw_parts(out.ptr, out.len) }.to_vec()
    };
    // SAFETY: `out` came from this library's `kiln_llvm_call`, freed once.
    unsafe { (plugin.free)(out) };
    if status == STATUS_OK {
        Ok(bytes)
    } else {
        Err(PluginError::Compile(
            String::from_utf8_lossy(&bytes).into_owned(),
        ))
    }
}

/// Where the plugin may be, in search order.
fn candidates() -> Vec<PathBuf> {
    if let Some(path) = std::env::var_os(PATH_VARIABLE) {
        return vec![PathBuf::from(path)];
    }
    let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(PathBuf::from))
    else {
        return Vec::new();
    };
    let mut paths = vec![dir.join(LIBRARY_NAME)];
    if let Some(parent) = dir.parent() {
        paths.push(parent.join(LIBRARY_NAME));
        paths.push(parent.join("lib/kiln").join(LIBRARY_NAME));
    }
    paths
}

fn open() -> Result<Plugin, String> {
    let paths = candidates();
    let Some(path) = paths.iter().find(|p| p.is_file()) else {
        let tried: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(format!(
            "{LIBRARY_NAME} not found (looked for {}; set {PATH_VARIABLE} to its path, or build it with `cargo build --release -p kiln-llvm`)",
            tried.join(", ")
        ));
    };
    let shown = path.display();
    let c_path = CString::new(path.as_os_str().as_encoded_bytes())
        .map_err(|_| format!("{shown}: path holds a NUL byte"))?;
    // SAFETY: a NUL-terminated path; loading runs the library's static
    // initialisers (LLVM's), which only set up LLVM's own state.
    let handle = unsafe { libc::dlopen(c_path.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
    if handle.is_null() {
        return Err(last_dl_error());
    }
    let symbol = |name: &str| -> Result<*mut libc::c_void, String> {
        let c_name = CString::new(name).map_err(|_| format!("bad symbol name {name}"))?;
        // SAFETY: `handle` is a live library handle, the name NUL-terminated.
        let sym = unsafe { libc::dlsym(handle, c_name.as_ptr()) };
        if sym.is_null() {
            Err(format!("{shown}: no symbol {name}"))
        } else {
            Ok(sym)
        }
    };
    let version = symbol(contract::SYM_ABI_VERSION)?;
    // SAFETY: the symbol is the contract's `AbiVersionFn` (checked by name;
    // the function takes nothing, so calling it cannot misuse arguments).
    let version = unsafe { std::mem::transmute::<*mut libc::c_void, AbiVersionFn>(version)() };
    if version != ABI_VERSION {
        return Err(format!(
            "{shown} implements plugin contract {version}, this runtime needs {ABI_VERSION} (rebuild it)"
        ));
    }
    let call = symbol(contract::SYM_CALL)?;
    let free = symbol(contract::SYM_FREE)?;
    // SAFETY: a library reporting this contract's version exports these
    // symbols with these types.
    unsafe {
        Ok(Plugin {
            call: std::mem::transmute::<*mut libc::c_void, CallFn>(call),
            free: std::mem::transmute::<*mut libc::c_void, FreeFn>(free),
        })
    }
}

fn last_dl_error() -> String {
    // SAFETY: dlerror returns NULL or a NUL-terminated message owned by libc,
    // read before any other dl call on this thread.
    let msg = unsafe { libc::dlerror() };
    if msg.is_null() {
        "cannot load".into()
    } else {
        // SAFETY: non-null, NUL-terminated (see above).
        unsafe { CStr::from_ptr(msg) }
            .to_string_lossy()
            .into_owned()
    }
}
