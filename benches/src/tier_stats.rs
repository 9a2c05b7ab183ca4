//! What tier-up did in each workload: one more run in the multi-tier mode
//! with `--tier-stats`, whose line on stderr
//! (`kiln: tier-up: A functions ran Fast JIT code, B became hot, C moved
//! to LLVM code, D still queued, E failed; F OSR entries made, G loop
//! transfers; background compile H ms`) is read back.

use crate::runner::{self, Cmd};
use std::path::Path;
use std::time::Duration;

/// One workload's tier-up figures.
#[derive(Clone, Debug, PartialEq)]
pub struct TierStats {
    pub workload: String,
    pub ran_fast_jit: u64,
    pub hot: u64,
    pub tiered: u64,
    pub queued: u64,
    pub osr_entries: u64,
    pub loop_transfers: u64,
    pub compile_ms: f64,
}

/// Parses the `kiln: tier-up: ...` line of `stderr`.
pub fn parse(workload: &str, stderr: &str) -> Option<TierStats> {
    let line = stderr.lines().find(|l| l.starts_with("kiln: tier-up: "))?;
    let numbers: Vec<f64> = line
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|w| !w.is_empty() && *w != ".")
        .filter_map(|w| w.parse().ok())
        .collect();
    let [ran, hot, tiered, queued, _failed, osr, transfers, ms] = numbers[..] else {
        return None;
    };
    Some(TierStats {
        workload: workload.to_string(),
        ran_fast_jit: ran as u64,
        hot: hot as u64,
        tiered: tiered as u64,
        queued: queued as u64,
        osr_entries: osr as u64,
        loop_transfers: transfers as u64,
        compile_ms: ms,
    })
}

/// Runs `wasm` once in the multi-tier mode with `--tier-stats`.
pub fn measure(
    workload: &str,
    kiln: &Path,
    wasm: &Path,
    timeout: Duration,
) -> Result<TierStats, String> {
    let mut cmd = Cmd::new(kiln);
    cmd.arg("run")
        .arg("--multi-tier-jit")
        .arg("--tier-stats")
        .arg(wasm);
    let run = runner::run_timed(&cmd, timeout).map_err(|o| format!("{o:?}"))?;
    parse(workload, &run.stderr)
        .ok_or_else(|| format!("kiln printed no tier-up line: {}", run.stderr.trim()))
}

/// The table of tier-up figures.
pub fn render(rows: &[TierStats]) -> String {
    let mut out = String::from(
        "multi-tier: tier-up in one run\nworkload     ran fast-jit   hot  to LLVM  queued at exit  OSR entries  loop transfers  background compile (ms)\n",
    );
    for r in rows {
        out.push_str(&format!(
            "{:<12} {:>12} {:>5} {:>8} {:>15} {:>12} {:>15} {:>24.1}\n",
            r.workload,
            r.ran_fast_jit,
            r.hot,
            r.tiered,
            r.queued,
            r.osr_entries,
            r.loop_transfers,
            r.compile_ms
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_stats_line() {
        let err = "noise\nkiln: tier-up: 22 functions ran Fast JIT code, 2 became hot, 1 moved to LLVM code, 1 still queued, 0 failed; 3 OSR entries made, 5 loop transfers; background compile 44.5 ms\n";
        let s = parse("sha256", err).unwrap();
        assert_eq!((s.ran_fast_jit, s.hot, s.tiered, s.queued), (22, 2, 1, 1));
        assert_eq!((s.osr_entries, s.loop_transfers), (3, 5));
        assert!((s.compile_ms - 44.5).abs() < 1e-9);
        assert!(parse(
            "x",
            "kiln: tier-up: the module does not run in the multi-tier mode"
        )
        .is_none());
        assert!(parse("x", "").is_none());
    }
}
