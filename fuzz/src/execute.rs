//! Runs one module in one mode and records every step: instantiation, then
//! each exported function called once with arguments derived from a seed,
//! each followed by the exported state. A Rust panic anywhere in Kiln is
//! caught and recorded as a failure, never propagated.

use crate::compare::{Outcome, State, Step, Value};
use crate::values::arguments;
use kiln_runtime::{Engine, Extern, Instance, Linker, Store, TrapCode, Val};
use kiln_tests::Mode;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// One mode with an engine kept across modules.
pub struct Runner {
    mode: Mode,
    engine: Engine,
}

impl Runner {
    /// A runner for `mode`; the error says why this build cannot run it.
    pub fn new(mode: Mode) -> Result<Runner, String> {
        mode.check()?;
        let engine = kiln_tests::engine_for(mode).map_err(|e| e.to_string())?;
        Ok(Runner { mode, engine })
    }

    /// The mode this runner runs.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Every step of running `wasm`; the arguments of each call come from
    /// `seed`, so every mode gets the same ones.
    pub fn run(&mut self, wasm: &[u8], seed: u64) -> Vec<Step> {
        let mut steps = Vec::new();
        let mut current = String::from("compile");
        let result = catch_unwind(AssertUnwindSafe(|| {
            self.run_steps(wasm, seed, &mut steps, &mut current)
        }));
        if let Err(payload) = result {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into());
            steps.push(Step {
                what: current,
                outcome: Outcome::Failed(format!("panicked: {msg}")),
                state: State::default(),
            });
            // The engine may hold state the panic left half-done.
            if let Ok(engine) = kiln_tests::engine_for(self.mode) {
                self.engine = engine;
            }
        }
        steps
    }

    /// Appends each step to `steps`, naming the one under way in `current`.
    fn run_steps(&self, wasm: &[u8], seed: u64, steps: &mut Vec<Step>, current: &mut String) {
        let module = match kiln_tests::compile_in(&self.engine, self.mode, wasm) {
            Ok(m) => m,
            Err(e) => {
                steps.push(Step {
                    what: "compile".into(),
                    outcome: Outcome::Failed(e.to_string()),
                    state: State::default(),
                });
                return;
            }
        };
        let mut store = Store::new(&self.engine, ());
        "instantiate".clone_into(current);
        let instance = match Linker::new().instantiate(&mut store, &module) {
            Ok(i) => i,
            Err(e) => {
                steps.push(Step {
                    what: "instantiate".into(),
                    outcome: outcome_of_error(&e),
                    state: State::default(),
                });
                return;
            }
        };
        steps.push(Step {
            what: "instantiate".into(),
            outcome: Outcome::Returned(Vec::new()),
            state: state(&store, &instance),
        });
        for (index, (name, ext)) in instance.exports(&store).into_iter().enumerate() {
            let Extern::Func(func) = ext else { continue };
            let ty = func.ty(&store);
            let args = arguments(ty.params(), seed ^ (index as u64).wrapping_mul(0x9e37_79b9));
            let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
            *current = format!("{name:?}({})", show_args(&args));
            let outcome = match func.call(&mut store, &args, &mut results) {
                Ok(()) => Outcome::Returned(results.iter().map(value).collect()),
                Err(e) => outcome_of_error(&e),
            };
            let stop = outcome == Outcome::StackExhausted;
            steps.push(Step {
                what: current.clone(),
                outcome,
                state: state(&store, &instance),
            });
            if stop {
                return;
            }
        }
    }
}

fn outcome_of_error(e: &kiln_runtime::Error) -> Outcome {
    match e.as_trap() {
        Some(t) if t.code() == TrapCode::StackOverflow => Outcome::StackExhausted,
        Some(t) => {
            let frames = t.backtrace().map_or_else(Vec::new, |bt| {
                bt.frames()
                    .iter()
                    .map(|f| (f.func_index(), f.module_offset()))
                    .collect()
            });
            Outcome::Trapped(t.code().message().to_string(), frames)
        }
        None => Outcome::Failed(e.to_string()),
    }
}

fn state(store: &Store<()>, instance: &Instance) -> State {
    let mut s = State::default();
    for (name, ext) in instance.exports(store) {
        match ext {
            Extern::Global(g) => s.globals.push((name, value(&g.get(store)))),
            Extern::Memory(m) => s.memories.push((name, m.data(store).to_vec())),
            Extern::Func(_) | Extern::Table(_) => {}
        }
    }
    s
}

/// The host-independent form of `v`.
pub fn value(v: &Val) -> Value {
    match *v {
        Val::I32(x) => Value::I32(x),
        Val::I64(x) => Value::I64(x),
        Val::F32(b) => Value::F32(b),
        Val::F64(b) => Value::F64(b),
        Val::V128(b) => Value::V128(b),
        Val::FuncRef(f) => Value::FuncRef { null: f.is_none() },
        Val::ExternRef(r) => Value::ExternRef { null: r.is_none() },
    }
}

fn show_args(args: &[Val]) -> String {
    let shown: Vec<String> = args.iter().map(|a| value(a).to_string()).collect();
    shown.join(", ")
}
