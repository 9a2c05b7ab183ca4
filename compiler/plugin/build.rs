//! Links the plugin so that the C++ static destructors of what it holds
//! (LLVM's globals) are never registered: every `__cxa_atexit` call inside
//! the library goes to `__wrap___cxa_atexit` (src/lib.rs), which drops it.
//! The runtime never unloads the library, so those objects live until the
//! process ends; running their destructors at `exit` would tear LLVM down
//! under a tier-up thread still compiling (or still opening the library)
//! and crash the exiting process.

fn main() {
    println!("cargo:rustc-link-arg-cdylib=-Wl,--wrap=__cxa_atexit");
}
