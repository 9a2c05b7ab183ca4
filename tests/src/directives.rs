//! The state of one script (store, linker, named instances) and what each
//! directive does to it.

use crate::values::{self, ExternRefs};
use crate::Mode;
use kiln_runtime::{
    Config, Engine, Error, Instance, Linker, Module, RunningMode, Store, TrapCode, Val,
};
use std::collections::HashMap;
use wast::token::Id;
use wast::{QuoteWat, WastDirective, WastExecute, WastInvoke, Wat};

/// What a directive that went as expected amounts to.
pub enum Outcome {
    /// An assertion held: one pass.
    Passed,
    /// Something that is not an assertion (a module, `register`, ...) worked.
    Done,
}

/// A directive's result: `Err` is the failure to report.
pub type Check = Result<Outcome, String>;

/// What running a function or instantiating a module gave, or the reason
/// the script itself is wrong (unknown module, missing export, ...).
type Executed = Result<Result<Vec<Val>, Error>, String>;

/// One script's world: a fresh store and linker with `spectest` in it.
pub struct Ctx {
    mode: Mode,
    engine: Engine,
    store: Store<()>,
    linker: Linker<()>,
    named: HashMap<String, Instance>,
    definitions: HashMap<String, Module>,
    current: Option<Instance>,
    refs: ExternRefs,
}

impl Ctx {
    /// A fresh context whose instances run in `mode`.
    pub fn new(mode: Mode) -> Result<Ctx, String> {
        mode.check()?;
        // AOT modules are compiled explicitly (see `compile`); the engine
        // itself then only needs to interpret nothing, so it uses Interp.
        let running = match mode {
            Mode::Running(m) => m,
            Mode::Aot => RunningMode::Interp,
        };
        let config = Config {
            allow_incomplete_modes: true,
            ..crate::mode::config_for(running)
        };
        let engine = Engine::new(config).map_err(|e| e.to_string())?;
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new();
        crate::spectest::define(&mut store, &mut linker)
            .map_err(|e| format!("cannot define `spectest`: {e}"))?;
        Ok(Ctx {
            mode,
            engine,
            store,
            linker,
            named: HashMap::new(),
            definitions: HashMap::new(),
            current: None,
            refs: ExternRefs::default(),
        })
    }

    /// Encodes (text) and compiles a module; the error says which step failed.
    fn compile(&self, wat: &mut QuoteWat) -> Result<Module, Rejection> {
        let bytes = wat.encode().map_err(|e| Rejection::Text(e.message()))?;
        let module = match self.mode {
            Mode::Aot => crate::aot::through_artifact(&self.engine, &bytes),
            _ => Module::new(&self.engine, &bytes),
        };
        module.map_err(|e| Rejection::Module(e.to_string()))
    }

    fn instantiate(&mut self, module: &Module) -> Result<Instance, Error> {
        self.linker.instantiate(&mut self.store, module)
    }

    /// The instance called `name`, or the most recent one.
    fn instance(&self, name: Option<Id>) -> Result<Instance, String> {
        match name {
            Some(id) => self
                .named
                .get(id.name())
                .copied()
                .ok_or_else(|| format!("unknown module `${}`", id.name())),
            None => self
                .current
                .ok_or_else(|| "no module has been instantiated yet".to_string()),
        }
    }

    fn add_instance(&mut self, name: Option<&str>, inst: Instance) {
        self.current = Some(inst);
        if let Some(n) = name {
            self.named.insert(n.to_string(), inst);
        }
    }

    fn invoke(&mut self, call: &WastInvoke) -> Executed {
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
            .map(|()| results))
    }

    fn execute(&mut self, exec: WastExecute) -> Executed {
        match exec {
            WastExecute::Invoke(call) => self.invoke(&call),
            WastExecute::Wat(wat) => {
                let module = self
                    .compile(&mut QuoteWat::Wat(wat))
                    .map_err(|e| e.to_string())?;
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

    /// Runs one directive.
    pub fn run(&mut self, directive: WastDirective) -> Check {
        match directive {
            WastDirective::Module(mut wat) => {
                let name = wat.name().map(|n| n.name());
                let module = self.compile(&mut wat).map_err(|e| e.to_string())?;
                let inst = self
                    .instantiate(&module)
                    .map_err(|e| format!("module failed to instantiate: {e}"))?;
                self.add_instance(name, inst);
                Ok(Outcome::Done)
            }
            WastDirective::ModuleDefinition(mut wat) => {
                let module = self.compile(&mut wat).map_err(|e| e.to_string())?;
                if let Some(n) = wat.name() {
                    self.definitions.insert(n.name().to_string(), module);
                }
                Ok(Outcome::Done)
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                let name = module.map(|m| m.name()).unwrap_or("");
                let def = self
                    .definitions
                    .get(name)
                    .cloned()
                    .ok_or_else(|| format!("unknown module definition `${name}`"))?;
                let inst = self
                    .instantiate(&def)
                    .map_err(|e| format!("module failed to instantiate: {e}"))?;
                self.add_instance(instance.map(|i| i.name()), inst);
                Ok(Outcome::Done)
            }
            WastDirective::Register { name, module, .. } => {
                let inst = self.instance(module)?;
                self.linker.instance(&self.store, name, inst);
                Ok(Outcome::Done)
            }
            WastDirective::Invoke(call) => {
                self.invoke(&call)?
                    .map_err(|e| format!("invoke `{}` failed: {e}", call.name))?;
                Ok(Outcome::Done)
            }
            WastDirective::AssertReturn { exec, results, .. } => {
                let got = self
                    .execute(exec)?
                    .map_err(|e| format!("expected a return, got error: {e}"))?;
                self.check_results(&got, &results)
            }
            WastDirective::AssertTrap { exec, message, .. } => match self.execute(exec)? {
                Ok(v) => Err(format!(
                    "expected trap `{message}`, got {}",
                    self.show_all(&v)
                )),
                Err(e) => trap_matches(&e, message),
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call)? {
                Ok(v) => Err(format!(
                    "expected trap `{message}`, got {}",
                    self.show_all(&v)
                )),
                Err(Error::Trap(t)) if t.code() == TrapCode::StackOverflow => Ok(Outcome::Passed),
                Err(e) => Err(format!("expected trap `{message}`, got {e}")),
            },
            WastDirective::AssertInvalid {
                mut module,
                message,
                ..
            } => match self.compile(&mut module) {
                Ok(_) => Err(format!("expected invalid module `{message}`, it compiled")),
                Err(Rejection::Module(_)) => Ok(Outcome::Passed),
                Err(Rejection::Text(e)) => Err(format!(
                    "expected invalid module `{message}`, but its text does not encode: {e}"
                )),
            },
            WastDirective::AssertMalformed {
                mut module,
                message,
                ..
            } => match self.compile(&mut module) {
                Ok(_) => Err(format!(
                    "expected malformed module `{message}`, it compiled"
                )),
                Err(_) => Ok(Outcome::Passed),
            },
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => self.assert_unlinkable(module, message),
            other => Err(format!(
                "directive `{}` is not supported by this runner",
                directive_name(&other)
            )),
        }
    }

    fn assert_unlinkable(&mut self, module: Wat, message: &str) -> Check {
        let module = self
            .compile(&mut QuoteWat::Wat(module))
            .map_err(|e| e.to_string())?;
        match self.instantiate(&module) {
            Ok(_) => Err(format!(
                "expected link failure `{message}`, it instantiated"
            )),
            Err(Error::Link(_)) => Ok(Outcome::Passed),
            Err(e) => Err(format!("expected link failure `{message}`, got {e}")),
        }
    }

    fn check_results(&self, got: &[Val], expected: &[wast::WastRet]) -> Check {
        let ok = got.len() == expected.len()
            && got
                .iter()
                .zip(expected)
                .all(|(v, r)| values::matches(&self.store, v, r));
        if ok {
            return Ok(Outcome::Passed);
        }
        let expected: Vec<String> = expected.iter().map(values::show_expected).collect();
        Err(format!(
            "expected [{}], got {}",
            expected.join(", "),
            self.show_all(got)
        ))
    }

    fn show_all(&self, vals: &[Val]) -> String {
        let vals: Vec<String> = vals.iter().map(|v| values::show(&self.store, v)).collect();
        format!("[{}]", vals.join(", "))
    }
}

/// Why a module was rejected before instantiation.
enum Rejection {
    /// Its text could not be parsed or encoded.
    Text(String),
    /// The runtime refused the bytes.
    Module(String),
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejection::Text(e) => write!(f, "module text does not encode: {e}"),
            Rejection::Module(e) => write!(f, "module failed to compile: {e}"),
        }
    }
}

/// Passes if the trap message and the expected one agree on their start.
fn trap_matches(err: &Error, expected: &str) -> Check {
    match err {
        Error::Trap(t) => {
            let got = t.message();
            if got.starts_with(expected) || expected.starts_with(got.as_str()) {
                Ok(Outcome::Passed)
            } else {
                Err(format!("expected trap `{expected}`, got trap `{got}`"))
            }
        }
        other => Err(format!("expected trap `{expected}`, got error: {other}")),
    }
}

/// The keyword of a directive this runner does not handle.
fn directive_name(d: &WastDirective) -> &'static str {
    match d {
        WastDirective::AssertException { .. } => "assert_exception",
        WastDirective::AssertSuspension { .. } => "assert_suspension",
        WastDirective::AssertInvalidCustom { .. } => "assert_invalid_custom",
        WastDirective::AssertMalformedCustom { .. } => "assert_malformed_custom",
        WastDirective::Thread(_) => "thread",
        WastDirective::Wait { .. } => "wait",
        _ => "(unknown)",
    }
}
