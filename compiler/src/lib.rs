//! Kiln's compiler: wasm -> LLVM IR -> object -> artifact.
//!
//! Not written yet (issue 3). The crate exists so the workspace layout is
//! complete; it exports nothing, and no command claims to use it.
