//! Arbitrary bytes and generated modules through parsing, validation and
//! every tier's translation: each must end in an error or a success, never
//! a panic, and the tiers must agree on which.

use kiln_runtime::{Engine, Module};
use kiln_tests::Mode;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Engines for every built mode, kept across inputs.
pub struct Tiers {
    engines: Vec<(Mode, Engine)>,
}

impl Tiers {
    /// Every built mode.
    pub fn built() -> Result<Tiers, String> {
        let engines = kiln_tests::built_modes()
            .into_iter()
            .map(|m| {
                kiln_tests::engine_for(m)
                    .map(|e| (m, e))
                    .map_err(|e| e.to_string())
            })
            .collect::<Result<_, _>>()?;
        Ok(Tiers { engines })
    }

    /// Validates `bytes` and, if valid, translates them in every tier.
    /// `Ok(valid)`, or `Err` naming a panic or a disagreement.
    pub fn check(&self, bytes: &[u8]) -> Result<bool, String> {
        let Some((_, first)) = self.engines.first() else {
            return Err("no modes".into());
        };
        let valid = guard("validation", || Module::validate(first, bytes).is_ok())?;
        for (mode, engine) in &self.engines {
            let outcome = guard(mode.name(), || {
                kiln_tests::compile_in(engine, *mode, bytes)
                    .and_then(|m| m.translate_all().map(|()| m))
                    .map_err(|e| e.to_string())
            })?;
            match (valid, outcome) {
                (true, Err(e)) => return Err(format!("{mode}: a valid module failed: {e}")),
                (false, Ok(_)) => return Err(format!("{mode}: an invalid module was accepted")),
                _ => {}
            }
        }
        Ok(valid)
    }
}

fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|_| format!("{what} panicked"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_invalid_and_garbage_inputs_are_classified() {
        let t = Tiers::built().unwrap();
        let valid =
            wat::parse_str("(module (func (export \"f\") (result i32) i32.const 1))").unwrap();
        assert_eq!(t.check(&valid), Ok(true));
        let mut cut = valid.clone();
        cut.truncate(cut.len() - 3);
        assert_eq!(t.check(&cut), Ok(false));
        assert_eq!(t.check(b"\0asm\x01\0\0\0\x01\xff"), Ok(false));
        assert_eq!(t.check(b"garbage"), Ok(false));
    }
}
