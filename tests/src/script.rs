//! Running one `.wast` script: directives against a fresh store.

use crate::values::{self, ExternRefs};
use crate::{Mode, Options, Summary};
use kiln_runtime::*;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke};

/// What a directive amounted to.
enum Outcome {
    /// An assertion held.
    Passed,
    /// A directive that is not an assertion succeeded.
    Done,
}

type Check = Result<Outcome, String>;

struct Ctx {
    engine: Engine,
    store: Store<()>,
    linker: Linker<()>,
    named: HashMap<String, Instance>,
    definitions: HashMap<String, Module>,
    last: Option<Instance>,
    refs: ExternRefs,
}

pub fn run_file(path: &Path, opts: &Options) -> Summary {
    let mut summary = Summary::default();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            summary.failed += 1;
            summary.failures.push(format!("{}: {e}", path.display()));
            return summary;
        }
    };
    let fail_whole = |summary: &mut Summary, msg: String| {
        summary.failed += 1;
        summary.failures.push(format!("{}: {msg}", path.display()));
    };
    let mut lexer = wast::lexer::Lexer::new(&text);
    lexer.allow_confusing_unicode(true);
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(b) => b,
        Err(e) => {
            fail_whole(&mut summary, e.to_string());
            return summary;
        }
    };
    let script = match parser::parse::<Wast>(&buf) {
        Ok(w) => w,
        Err(e) => {
            fail_whole(&mut summary, e.to_string().replace('\n', " "));
            return summary;
        }
    };
    let mut ctx = match Ctx::new(opts.mode) {
        Ok(c) => c,
        Err(e) => {
            fail_whole(&mut summary, e);
            return summary;
        }
    };
    for directive in script.directives {
        let (line, col) = directive.span().linecol_in(&text);
        let outcome = catch_unwind(AssertUnwindSafe(|| ctx.run(directive)));
        let failure = match outcome {
            Ok(Ok(Outcome::Passed)) => {
                summary.passed += 1;
                continue;
            }
            Ok(Ok(Outcome::Done)) => continue,
            Ok(Err(msg)) => msg,
            Err(panic) => {
                let msg = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                format!("panic: {msg}")
            }
        };
        summary.failed += 1;
        summary.failures.push(format!(
            "{}:{}:{}: {failure}",
            path.display(),
            line + 1,
            col + 1
        ));
    }
    summary
}

fn trap_matches(err: &Error, expected: &str) -> Check {
    match err {
        Error::Trap(t) => {
            let got = t.message();
            if got.starts_with(expected) || expected.starts_with(&got) {
                Ok(Outcome::Passed)
            } else {
                Err(format!("expected trap `{expected}`, got trap `{got}`"))
            }
        }
        other => Err(format!("expected trap `{expected}`, got error: {other}")),
    }
}

impl Ctx {
    fn new(mode: Mode) -> Result<Ctx, String> {
        let engine = Engine::default();
        let mut store = Store::new(&engine, ());
        if let Mode::Running(m) = mode {
            store.set_running_mode(m).map_err(|e| e.to_string())?;
        }
        let mut linker = Linker::new();
        crate::spectest::define(&mut store, &mut linker).map_err(|e| e.to_string())?;
        Ok(Ctx {
            engine,
            store,
            linker,
            named: HashMap::new(),
            definitions: HashMap::new(),
            last: None,
            refs: ExternRefs::default(),
        })
    }

    fn compile(&self, wat: &mut QuoteWat) -> Result<Module, String> {
        let bytes = wat.encode().map_err(|e| format!("text error: {e}"))?;
        Module::new(&self.engine, &bytes).map_err(|e| e.to_string())
    }

    fn instantiate(&mut self, module: &Module) -> Result<Instance, Error> {
        self.linker.instantiate(&mut self.store, module)
    }

    fn instance(&self, name: Option<wast::token::Id>) -> Result<Instance, String> {
        match name {
            Some(id) => self
                .named
                .get(id.name())
                .copied()
                .ok_or_else(|| format!("unknown module `{}`", id.name())),
            None => self
                .last
                .ok_or_else(|| "no module instantiated yet".to_string()),
        }
    }

    fn invoke(&mut self, call: &WastInvoke) -> Result<Result<Vec<Val>, Error>, String> {
        let inst = self.instance(call.module)?;
        let func = inst
            .get_func(&self.store, call.name)
            .ok_or_else(|| format!("no exported function `{}`", call.name))?;
        let args = call
            .args
            .iter()
            .map(|a| values::arg(&mut self.store, &mut self.refs, a))
            .collect::<Result<Vec<_>, _>>()?;
        let ty = func.ty(&self.store);
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        Ok(func
            .call(&mut self.store, &args, &mut results)
            .map(|_| results))
    }

    fn execute(&mut self, exec: WastExecute) -> Result<Result<Vec<Val>, Error>, String> {
        match exec {
            WastExecute::Invoke(call) => self.invoke(&call),
            WastExecute::Wat(wat) => {
                let module = self.compile(&mut QuoteWat::Wat(wat))?;
                Ok(self.instantiate(&module).map(|_| Vec::new()))
            }
            WastExecute::Get { module, global, .. } => {
                let inst = self.instance(module)?;
                let g = inst
                    .get_global(&self.store, global)
                    .ok_or_else(|| format!("no exported global `{global}`"))?;
                Ok(Ok(vec![g.get(&self.store)]))
            }
        }
    }

    fn run(&mut self, directive: WastDirective) -> Check {
        match directive {
            WastDirective::Module(mut wat) => {
                let name = wat.name().map(|n| n.name().to_string());
                let module = self.compile(&mut wat)?;
                let inst = self.instantiate(&module).map_err(|e| e.to_string())?;
                self.last = Some(inst);
                if let Some(n) = name {
                    self.named.insert(n, inst);
                }
                Ok(Outcome::Done)
            }
            WastDirective::ModuleDefinition(mut wat) => {
                let name = wat.name().map(|n| n.name().to_string());
                let module = self.compile(&mut wat)?;
                if let Some(n) = name {
                    self.definitions.insert(n, module);
                }
                Ok(Outcome::Done)
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                let def = module
                    .and_then(|m| self.definitions.get(m.name()).cloned())
                    .ok_or("unknown module definition")?;
                let inst = self.instantiate(&def).map_err(|e| e.to_string())?;
                self.last = Some(inst);
                if let Some(n) = instance {
                    self.named.insert(n.name().to_string(), inst);
                }
                Ok(Outcome::Done)
            }
            WastDirective::Register { name, module, .. } => {
                let inst = self.instance(module)?;
                self.linker.instance(&self.store, name, inst);
                Ok(Outcome::Done)
            }
            WastDirective::Invoke(call) => {
                self.invoke(&call)?.map_err(|e| e.to_string())?;
                Ok(Outcome::Done)
            }
            WastDirective::AssertReturn { exec, results, .. } => {
                let got = self
                    .execute(exec)?
                    .map_err(|e| format!("unexpected error: {e}"))?;
                if got.len() != results.len() {
                    return Err(format!(
                        "expected {} results, got {}",
                        results.len(),
                        got.len()
                    ));
                }
                for (i, (v, r)) in got.iter().zip(&results).enumerate() {
                    if !values::matches(&self.store, v, r) {
                        return Err(format!("result {i}: got {v:?}, expected {r:?}"));
                    }
                }
                Ok(Outcome::Passed)
            }
            WastDirective::AssertTrap { exec, message, .. } => match self.execute(exec)? {
                Ok(v) => Err(format!("expected trap `{message}`, got {v:?}")),
                Err(e) => trap_matches(&e, message),
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call)? {
                Ok(v) => Err(format!("expected exhaustion, got {v:?}")),
                Err(e) => match e.as_trap() {
                    Some(t) if t.code() == TrapCode::StackOverflow => Ok(Outcome::Passed),
                    _ => Err(format!("expected `{message}`, got {e}")),
                },
            },
            WastDirective::AssertInvalid { mut module, .. }
            | WastDirective::AssertMalformed { mut module, .. } => {
                match self.compile(&mut module) {
                    Ok(_) => Err("module compiled, but the script says it must be rejected".into()),
                    Err(_) => Ok(Outcome::Passed),
                }
            }
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => {
                let module = self.compile(&mut QuoteWat::Wat(module))?;
                match self.instantiate(&module) {
                    Ok(_) => Err(format!(
                        "expected link failure `{message}`, but it instantiated"
                    )),
                    Err(Error::Link(_)) => Ok(Outcome::Passed),
                    Err(e) => Err(format!("expected link failure `{message}`, got {e}")),
                }
            }
            other => Err(format!(
                "directive not supported by this runner: {:?}",
                other.span()
            )),
        }
    }
}
