//! The Fast JIT's compile throughput: `kiln run --fast-jit --fast-jit-eager` with
//! `KILN_LOG=jit`, which reports the bytes of function bodies compiled and
//! the time the (eager, one-thread) compile took. Best of the runs (at
//! least [`MIN_RUNS`]).

use crate::runner::{self, Cmd};
use std::path::Path;
use std::time::Duration;

/// Fewest runs of each compile measurement: a compile takes a few
/// milliseconds, so one busy moment of the machine shows in a single
/// sample; the best of several is the compiler's own cost.
pub const MIN_RUNS: u32 = 10;

/// One workload's compile measurement.
#[derive(Clone, Debug, PartialEq)]
pub struct JitCompile {
    pub workload: String,
    /// Bytes of function bodies (the code section's payload).
    pub body_bytes: u64,
    /// Best compile time.
    pub millis: f64,
}

impl JitCompile {
    /// MB (10^6 bytes) of function bodies per second.
    pub fn throughput(&self) -> f64 {
        self.body_bytes as f64 / 1e3 / self.millis.max(1e-6)
    }
}

/// Parses `kiln: fast-jit compiled B bytes of function bodies into C bytes
/// of code in T ms (...)` into (B, T).
pub fn parse(stderr: &str) -> Option<(u64, f64)> {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("kiln: fast-jit compiled "))?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let bytes = words.get(3)?.parse().ok()?;
    let at = words.iter().position(|w| *w == "in")?;
    let ms = words.get(at + 1)?.parse().ok()?;
    Some((bytes, ms))
}

/// Measures `wasm` under the Fast JIT `runs` times.
pub fn measure(
    workload: &str,
    kiln: &Path,
    wasm: &Path,
    runs: u32,
    timeout: Duration,
) -> Result<JitCompile, String> {
    let mut best: Option<JitCompile> = None;
    for _ in 0..runs {
        let mut cmd = Cmd::new(kiln);
        cmd.env("KILN_LOG", "jit")
            .arg("run")
            .arg("--fast-jit")
            .arg("--fast-jit-eager")
            .arg(wasm);
        let run = runner::run_timed(&cmd, timeout).map_err(|o| format!("{o:?}"))?;
        let (body_bytes, millis) = parse(&run.stderr)
            .ok_or_else(|| format!("kiln printed no compile report: {}", run.stderr.trim()))?;
        if best.as_ref().is_none_or(|b| millis < b.millis) {
            best = Some(JitCompile {
                workload: workload.to_string(),
                body_bytes,
                millis,
            });
        }
    }
    best.ok_or_else(|| "no runs".into())
}

/// The table of compile measurements.
pub fn render(rows: &[JitCompile]) -> String {
    let mut out = String::from(
        "fast-jit: eager compile on one thread, best of the runs\nworkload       bodies (KB)  compile (ms)    MB/s\n",
    );
    for r in rows {
        out.push_str(&format!(
            "{:<14} {:>11.1} {:>13.2} {:>7.1}\n",
            r.workload,
            r.body_bytes as f64 / 1e3,
            r.millis,
            r.throughput()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_report_line() {
        let text = "hello\nkiln: fast-jit compiled 319112 bytes of function bodies into 692429 bytes of code in 16.84 ms (19.0 MB/s)\n";
        assert_eq!(parse(text), Some((319112, 16.84)));
        assert_eq!(parse("kiln: error: nope"), None);
        let r = JitCompile {
            workload: "w".into(),
            body_bytes: 500_000,
            millis: 10.0,
        };
        assert!((r.throughput() - 50.0).abs() < 1e-9);
        assert!(render(&[r]).contains("50.0"));
    }
}
