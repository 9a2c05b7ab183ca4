//! The jitdump file: `/tmp/jit-PID.dump` in the format of the Linux
//! kernel's `tools/perf/Documentation/jitdump-specification.txt` (version
//! 1), for `perf record -k mono ...` then `perf inject --jit`.
//!
//! The file starts with a header; each piece of code adds a
//! `JIT_CODE_LOAD` record with its name and a copy of its bytes. perf
//! finds the file through its marker: the file mapped `PROT_READ |
//! PROT_EXEC`, which `perf record` sees as an executable mmap of a file
//! named `jit-PID.dump`. Timestamps are `CLOCK_MONOTONIC`, as `-k mono`
//! asks of perf's own samples.

use super::{report_once, Agent, CodeEntry};
use std::fs::File;
use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, OnceLock};

/// `JiTD`, as written by the host (the reader detects byte order by it).
const MAGIC: u32 = 0x4A69_5444;
const VERSION: u32 = 1;
const HEADER_SIZE: u32 = 40;
/// Record id of `JIT_CODE_LOAD`.
const JIT_CODE_LOAD: u32 = 0;
/// Size of a record header plus the fixed fields of `JIT_CODE_LOAD`.
const CODE_LOAD_FIXED: usize = 16 + 40;

/// The ELF machine of this host (`EM_*`).
#[cfg(target_arch = "x86_64")]
const ELF_MACH: u32 = 62;
#[cfg(target_arch = "aarch64")]
const ELF_MACH: u32 = 183;
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
const ELF_MACH: u32 = 0;

/// The process's jitdump file.
pub(super) struct JitDump {
    state: Mutex<Option<State>>,
    failed: AtomicBool,
}

struct State {
    file: File,
    /// The next `code_index` (unique per record).
    next_index: u64,
}

/// The path perf looks for: `/tmp/jit-PID.dump`.
pub(crate) fn path() -> std::path::PathBuf {
    format!("/tmp/jit-{}.dump", std::process::id()).into()
}

/// The process's jitdump file, created on first use.
pub(super) fn agent() -> &'static JitDump {
    static DUMP: OnceLock<JitDump> = OnceLock::new();
    DUMP.get_or_init(|| {
        let failed = AtomicBool::new(false);
        let state = open()
            .map_err(|e| report_once(&failed, format_args!("{}: {e}", path().display())))
            .ok();
        JitDump {
            state: Mutex::new(state),
            failed,
        }
    })
}

/// Creates the file, writes its header and maps its marker.
fn open() -> std::io::Result<State> {
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(path())?;
    let mut header = Vec::with_capacity(HEADER_SIZE as usize);
    for word in [MAGIC, VERSION, HEADER_SIZE, ELF_MACH, 0, std::process::id()] {
        header.extend_from_slice(&word.to_ne_bytes());
    }
    header.extend_from_slice(&timestamp().to_ne_bytes());
    header.extend_from_slice(&0u64.to_ne_bytes()); // flags
    file.write_all(&header)?;
    map_marker(&file)?;
    Ok(State {
        file,
        next_index: 0,
    })
}

/// Maps the first page of `file` read+execute and leaves it mapped for the
/// life of the process: the marker `perf record` keeps.
fn map_marker(file: &File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as usize;
    // SAFETY: a fresh private mapping of an open file at a place the kernel
    // picks aliases no Rust memory; it is never read, written or unmapped.
    let at = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            page,
            libc::PROT_READ | libc::PROT_EXEC,
            libc::MAP_PRIVATE,
            file.as_raw_fd(),
            0,
        )
    };
    if at == libc::MAP_FAILED {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Nanoseconds of `CLOCK_MONOTONIC`, perf's clock with `-k mono`.
fn timestamp() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    (ts.tv_sec as u64)
        .wrapping_mul(1_000_000_000)
        .wrapping_add(ts.tv_nsec as u64)
}

/// The calling thread's id.
fn thread_id() -> u32 {
    // SAFETY: gettid has no preconditions and cannot fail.
    unsafe { libc::syscall(libc::SYS_gettid) as u32 }
}

/// Appends the `JIT_CODE_LOAD` record of `e` (code index `index`) to `out`.
fn code_load(out: &mut Vec<u8>, e: &CodeEntry, index: u64, tid: u32, time: u64) {
    let name = e.name.replace('\0', " ");
    let total = CODE_LOAD_FIXED + name.len() + 1 + e.size;
    out.extend_from_slice(&JIT_CODE_LOAD.to_ne_bytes());
    out.extend_from_slice(&(total as u32).to_ne_bytes());
    out.extend_from_slice(&time.to_ne_bytes());
    out.extend_from_slice(&std::process::id().to_ne_bytes());
    out.extend_from_slice(&tid.to_ne_bytes());
    out.extend_from_slice(&(e.start as u64).to_ne_bytes()); // vma
    out.extend_from_slice(&(e.start as u64).to_ne_bytes()); // code_addr
    out.extend_from_slice(&(e.size as u64).to_ne_bytes());
    out.extend_from_slice(&index.to_ne_bytes());
    out.extend_from_slice(name.as_bytes());
    out.push(0);
    // SAFETY: the caller of `record` guarantees `e`'s code is mapped
    // readable while this runs.
    let code = unsafe { std::slice::from_raw_parts(e.start as *const u8, e.size) };
    out.extend_from_slice(code);
}

impl Agent for JitDump {
    fn record(&self, entries: &[CodeEntry]) {
        if entries.is_empty() {
            return;
        }
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let Some(st) = state.as_mut() else { return };
        let (tid, time) = (thread_id(), timestamp());
        let mut out = Vec::new();
        for e in entries {
            code_load(&mut out, e, st.next_index, tid, time);
            st.next_index += 1;
        }
        if let Err(e) = st.file.write_all(&out) {
            report_once(&self.failed, format_args!("{}: {e}", path().display()));
            *state = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_load_record_holds_its_size_name_and_bytes() {
        let code = [0xc3u8, 0x90, 0x90];
        let e = CodeEntry {
            start: code.as_ptr() as usize,
            size: code.len(),
            name: "wasm::f [fast-jit]".into(),
        };
        let mut out = Vec::new();
        code_load(&mut out, &e, 7, 1, 2);
        let word = |at: usize| u32::from_ne_bytes(out[at..at + 4].try_into().unwrap());
        let dword = |at: usize| u64::from_ne_bytes(out[at..at + 8].try_into().unwrap());
        assert_eq!(word(0), JIT_CODE_LOAD);
        assert_eq!(word(4) as usize, out.len());
        assert_eq!(dword(24), e.start as u64);
        assert_eq!(dword(40), 3);
        assert_eq!(dword(48), 7);
        assert_eq!(&out[56..out.len() - 3], b"wasm::f [fast-jit]\0");
        assert_eq!(&out[out.len() - 3..], &code);
    }
}
