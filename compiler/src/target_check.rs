//! Rejecting an unknown `--cpu` or `--cpu-features` name before code
//! generation: LLVM only warns about one ("... is not a recognized
//! processor for this target") and may then abort (an unknown x86 CPU has
//! no 64-bit support).
//!
//! LLVM's C API cannot list or check the names, and its `+help` listing is
//! printed only once per process. So the check compiles one empty function
//! with the requested CPU and features (plus `+64bit` on x86, so LLVM cannot
//! abort) while fd 2 points at a temporary file, under a process-wide lock,
//! and turns any "not a recognized" warning into an error.

use crate::error::{CompileError, Result};
use crate::target::{Arch, TargetSpec};
use std::io::{Read, Seek};
use std::os::fd::AsRawFd;
use std::sync::Mutex;

/// Checks that LLVM knows `spec.cpu` and every name in `spec.features`.
pub fn check_names(spec: &TargetSpec) -> Result<()> {
    let mut probe = spec.clone();
    if spec.arch == Arch::X86_64 {
        probe.features = if spec.features.is_empty() {
            "+64bit".into()
        } else {
            format!("{},+64bit", spec.features)
        };
    }
    let text = capture_stderr(|| probe.compile_empty_function())?;
    match text.lines().find(|l| l.contains("is not a recognized")) {
        None => Ok(()),
        Some(line) => {
            let what = line.split(" (ignoring").next().unwrap_or(line).trim();
            Err(CompileError::Target(format!(
                "{what} (see --cpu-features help)"
            )))
        }
    }
}

/// Runs `f` with fd 2 redirected to a temporary file; returns what was written.
fn capture_stderr(f: impl FnOnce() -> Result<()>) -> Result<String> {
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let path = std::env::temp_dir().join(format!("kiln-llvm-check-{}.txt", std::process::id()));
    let io_err = |e: std::io::Error| CompileError::Target(format!("checking the CPU name: {e}"));
    let mut file = std::fs::File::options()
        .create(true)
        .truncate(true)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(io_err)?;
    let _ = std::fs::remove_file(&path);
    // SAFETY: duplicates fd 2; checked below.
    let saved = unsafe { libc::dup(2) };
    if saved < 0 {
        return Err(io_err(std::io::Error::last_os_error()));
    }
    // SAFETY: points fd 2 at `file`, which stays open until after the restore.
    unsafe { libc::dup2(file.as_raw_fd(), 2) };
    let result = f();
    // SAFETY: restores the saved stderr and closes the duplicate we own.
    unsafe {
        libc::dup2(saved, 2);
        libc::close(saved);
    }
    result?;
    let mut text = String::new();
    file.seek(std::io::SeekFrom::Start(0)).map_err(io_err)?;
    file.read_to_string(&mut text).map_err(io_err)?;
    Ok(text)
}
