//! The start-up workload (`wasm/startup.wasm`, written by `gen-startup`):
//! thousands of short functions, each called once, so the time is almost
//! all loading and compiling. Reported per mode: best whole-process wall
//! time and the peak resident set size of that run.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One mode's start-up measurement.
#[derive(Clone, Debug, PartialEq)]
pub struct Startup {
    pub mode: String,
    pub time: Duration,
    /// Peak resident set size in KiB.
    pub max_rss_kib: u64,
    /// What `run` returned (every mode must agree).
    pub result: String,
}

/// `run FLAG -f run`.
fn run_args(flag: &str) -> Vec<&str> {
    vec!["run", flag, "-f", "run"]
}

/// Runs `kiln run --MODE -f run wasm` once; wall time and stdout.
fn run_once(kiln: &Path, flag: &str, wasm: &Path) -> Result<(Duration, String), String> {
    let start = Instant::now();
    let child = Command::new(kiln)
        .args(run_args(flag))
        .arg(wasm)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", kiln.display()))?;
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    let elapsed = start.elapsed();
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
    }
    Ok((
        elapsed,
        String::from_utf8_lossy(&output.stdout).trim().to_string(),
    ))
}

/// Peak RSS (KiB) of one run, from `wait4` on exactly that child.
fn peak_rss(kiln: &Path, flag: &str, wasm: &Path) -> Result<u64, String> {
    // SAFETY: the child only calls async-signal-safe functions (execv,
    // _exit) before exec; the parent waits for it with waitpid.
    unsafe {
        let prog = std::ffi::CString::new(kiln.as_os_str().as_encoded_bytes())
            .map_err(|e| e.to_string())?;
        let args: Vec<std::ffi::CString> = std::iter::once("kiln")
            .chain(run_args(flag))
            .map(|a| std::ffi::CString::new(a).expect("no NUL"))
            .chain(std::iter::once(
                std::ffi::CString::new(wasm.as_os_str().as_encoded_bytes())
                    .map_err(|e| e.to_string())?,
            ))
            .collect();
        let mut argv: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
        argv.push(std::ptr::null());
        let devnull = c"/dev/null";
        let pid = libc::fork();
        if pid < 0 {
            return Err("fork failed".into());
        }
        if pid == 0 {
            let fd = libc::open(devnull.as_ptr(), libc::O_WRONLY);
            if fd >= 0 {
                libc::dup2(fd, 1);
                libc::dup2(fd, 2);
            }
            libc::execv(prog.as_ptr(), argv.as_ptr());
            libc::_exit(127);
        }
        let mut status = 0;
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::wait4(pid, &mut status, 0, &mut usage) != pid {
            return Err("wait4 failed".into());
        }
        if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
            return Err(format!("kiln {flag} exited with status {status}"));
        }
        Ok(usage.ru_maxrss as u64)
    }
}

/// Measures start-up in mode `flag` (`--fast-jit`...): best of `runs`.
pub fn measure(
    kiln: &Path,
    mode: &str,
    flag: &str,
    wasm: &Path,
    runs: u32,
) -> Result<Startup, String> {
    let mut best: Option<Startup> = None;
    for _ in 0..runs.max(1) {
        let (time, result) = run_once(kiln, flag, wasm)?;
        let max_rss_kib = peak_rss(kiln, flag, wasm)?;
        if best.as_ref().is_none_or(|b| time < b.time) {
            best = Some(Startup {
                mode: mode.to_string(),
                time,
                max_rss_kib,
                result,
            });
        }
    }
    best.ok_or_else(|| "no runs".into())
}

/// The start-up table; rows whose result differs from the first are marked.
pub fn render(functions: &str, rows: &[Startup]) -> String {
    let mut out = format!("start-up: {functions}, best of the runs\nmode             time (ms)  peak RSS (MB)  result\n");
    let first = rows.first().map(|r| r.result.clone()).unwrap_or_default();
    for r in rows {
        let mark = if r.result == first { "" } else { "  MISMATCH" };
        out.push_str(&format!(
            "{:<16} {:>9.1} {:>14.1}  {}{}\n",
            r.mode,
            r.time.as_secs_f64() * 1e3,
            r.max_rss_kib as f64 / 1024.0,
            r.result,
            mark
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_a_differing_result() {
        let row = |mode: &str, result: &str| Startup {
            mode: mode.into(),
            time: Duration::from_millis(50),
            max_rss_kib: 40 * 1024,
            result: result.into(),
        };
        let table = render(
            "x",
            &[
                row("interp", "7"),
                row("fast-jit", "7"),
                row("llvm-jit", "8"),
            ],
        );
        assert!(table.contains("50.0"));
        assert!(table.contains("40.0"));
        assert_eq!(table.matches("MISMATCH").count(), 1);
    }
}
