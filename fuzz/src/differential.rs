//! The differential check: one module run in every built mode, each run
//! compared step by step against the interpreter's; and the seeded driver
//! that checks a range of seeds on every core.

use crate::compare::{difference, Outcome, Step};
use crate::execute::Runner;
use crate::generate::seeded_module;
use kiln_tests::Mode;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// One runner per mode, the interpreter (the reference) first.
pub struct Modes {
    runners: Vec<Runner>,
}

impl Modes {
    /// Every mode this build supports (`kiln_tests::built_modes`), so new
    /// tiers join the check by being built.
    pub fn built() -> Result<Modes, String> {
        Modes::of(&kiln_tests::built_modes())
    }

    /// These modes; the first is the reference.
    pub fn of(modes: &[Mode]) -> Result<Modes, String> {
        let runners = modes
            .iter()
            .map(|m| Runner::new(*m))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Modes { runners })
    }

    /// The modes' names, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.runners.iter().map(|r| r.mode().name()).collect()
    }

    /// Runs `wasm` in every mode; the first divergence, if any.
    pub fn check(&mut self, wasm: &[u8], seed: u64) -> Verdict {
        let mut runs = self
            .runners
            .iter_mut()
            .map(|r| (r.mode(), r.run(wasm, seed)));
        let Some((ref_mode, reference)) = runs.next() else {
            return Verdict::default();
        };
        let mut verdict = Verdict {
            steps: reference.len(),
            ..Verdict::default()
        };
        if let Some(step) = reference
            .iter()
            .find(|s| matches!(s.outcome, Outcome::Failed(_)))
        {
            verdict.divergence = Some(report(ref_mode, step, ref_mode, step, "Kiln failed"));
            return verdict;
        }
        for (mode, steps) in runs {
            if let Some(d) = first_divergence(ref_mode, &reference, mode, &steps) {
                verdict.divergence = Some(d);
                return verdict;
            }
        }
        verdict.inconclusive = reference
            .last()
            .is_some_and(|s| s.outcome == Outcome::StackExhausted);
        verdict
    }
}

/// What checking one module found.
#[derive(Debug, Default)]
pub struct Verdict {
    /// Steps the reference took (instantiation and calls).
    pub steps: usize,
    /// The run stopped at a stack overflow, so its rest was not compared.
    pub inconclusive: bool,
    /// The first difference, as a readable report.
    pub divergence: Option<String>,
}

fn first_divergence(rm: Mode, reference: &[Step], m: Mode, steps: &[Step]) -> Option<String> {
    for (i, r) in reference.iter().enumerate() {
        let Some(s) = steps.get(i) else {
            return Some(format!("{m}: stopped before `{}` ({})", r.what, r.outcome));
        };
        if r.outcome == Outcome::StackExhausted || s.outcome == Outcome::StackExhausted {
            // Where the stack runs out depends on frame sizes; later steps
            // start from different states.
            return None;
        }
        if let Some(d) = difference(r, s) {
            return Some(report(rm, r, m, s, &d));
        }
    }
    (steps.len() > reference.len()).then(|| {
        let extra = &steps[reference.len()];
        format!(
            "{m}: ran `{}` ({}) after {rm} stopped",
            extra.what, extra.outcome
        )
    })
}

fn report(rm: Mode, r: &Step, m: Mode, s: &Step, what: &str) -> String {
    format!(
        "{m} diverges from {rm} at `{}`: {what}\n    {rm:>10}: {}\n    {m:>10}: {}",
        r.what, r.outcome, s.outcome
    )
}

/// The totals of a seeded run.
#[derive(Debug, Default)]
pub struct Totals {
    /// Modules on which every mode agreed.
    pub passed: u64,
    /// Modules with a divergence or a failure.
    pub failed: u64,
    /// Steps compared (per mode).
    pub steps: u64,
    /// Modules whose run stopped early at a stack overflow.
    pub inconclusive: u64,
}

/// Checks the modules of `seeds` on `jobs` threads in `modes`, calling
/// `on_failure(seed, report)` for each divergence as it is found.
pub fn run_seeds(
    seeds: Range<u64>,
    jobs: usize,
    modes: &[Mode],
    on_failure: &(dyn Fn(u64, &str) + Sync),
) -> Result<Totals, String> {
    let next = AtomicU64::new(seeds.start);
    let totals = Mutex::new(Totals::default());
    let workers: Vec<Modes> = (0..jobs.max(1))
        .map(|_| Modes::of(modes))
        .collect::<Result<_, _>>()?;
    std::thread::scope(|scope| {
        for mut w in workers {
            let (next, totals) = (&next, &totals);
            scope.spawn(move || loop {
                let seed = next.fetch_add(1, Ordering::Relaxed);
                if seed >= seeds.end {
                    break;
                }
                let wasm = seeded_module(seed);
                let v = w.check(&wasm, seed);
                if let Some(d) = &v.divergence {
                    on_failure(seed, d);
                }
                let mut t = totals.lock().unwrap_or_else(|e| e.into_inner());
                t.steps += v.steps as u64;
                t.inconclusive += u64::from(v.inconclusive);
                match v.divergence {
                    Some(_) => t.failed += 1,
                    None => t.passed += 1,
                }
            });
        }
    });
    Ok(totals.into_inner().unwrap_or_else(|e| e.into_inner()))
}
