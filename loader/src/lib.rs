//! Kiln's artifact loader: artifact bytes -> checked, relocated, executable code.
//!
//! Not written yet (issue 3). The crate exists so the workspace layout is
//! complete; it exports nothing, and no command claims to use it.
