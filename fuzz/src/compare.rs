//! What a run observed, in a form independent of the mode and the store,
//! and the comparison of two observations.
//!
//! Floats compare by bits, except NaNs, which compare by the spec's
//! classes: a result NaN is nondeterministic within its class. Two
//! canonical NaNs (only the quiet bit set, any sign) agree, and two other
//! arithmetic NaNs (quiet bit set, any payload) agree, but not one of each:
//! an operation on canonical NaNs must give a canonical one. A signalling
//! NaN only comes from a constant, a load or a reinterpretation, which keep
//! the bits, so it must match exactly. References compare by nullness: their
//! identities belong to different stores.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

/// A wasm value as observed by the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`, as bits.
    F32(u32),
    /// An `f64`, as bits.
    F64(u64),
    /// A `v128`.
    V128(u128),
    /// A `funcref`: whether it is null.
    FuncRef { null: bool },
    /// An `externref`: whether it is null.
    ExternRef { null: bool },
}

impl Value {
    /// Whether the spec lets `self` and `other` be two results of the same
    /// computation.
    pub fn agrees_with(&self, other: &Value) -> bool {
        match (*self, *other) {
            (Value::F32(a), Value::F32(b)) => {
                a == b
                    || nan_class(a.into(), 0x7fc0_0000, 0x7fff_ffff)
                        .is_some_and(|c| nan_class(b.into(), 0x7fc0_0000, 0x7fff_ffff) == Some(c))
            }
            (Value::F64(a), Value::F64(b)) => {
                let (quiet, abs) = (0x7ff8_0000_0000_0000, u64::MAX >> 1);
                a == b
                    || nan_class(a, quiet, abs).is_some_and(|c| nan_class(b, quiet, abs) == Some(c))
            }
            (a, b) => a == b,
        }
    }
}

/// The class of a quiet NaN: `Some(true)` if canonical, `Some(false)` if
/// another arithmetic NaN, `None` for everything else (compared by bits).
/// `quiet` is the exponent with the quiet bit, `abs` the mask without the sign.
fn nan_class(bits: u64, quiet: u64, abs: u64) -> Option<bool> {
    (bits & quiet == quiet).then_some(bits & abs == quiet)
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Value::I32(v) => write!(f, "i32:{v}"),
            Value::I64(v) => write!(f, "i64:{v}"),
            Value::F32(b) => write!(f, "f32:{}({b:#010x})", f32::from_bits(b)),
            Value::F64(b) => write!(f, "f64:{}({b:#018x})", f64::from_bits(b)),
            Value::V128(b) => write!(f, "v128:{b:#034x}"),
            Value::FuncRef { null } => f.write_str(if null { "funcref:null" } else { "funcref" }),
            Value::ExternRef { null } => {
                f.write_str(if null { "externref:null" } else { "externref" })
            }
        }
    }
}

/// A backtrace frame: function index and module offset, when the mode
/// knows it (LLVM code may not: a trap block several instructions share).
pub type Frame = (u32, Option<usize>);

/// How one call (or the instantiation) ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It returned these results.
    Returned(Vec<Value>),
    /// It trapped with this trap code name (stack overflow excluded) and
    /// these wasm frames, innermost first.
    Trapped(String, Vec<Frame>),
    /// The call stack overflowed. Where that happens depends on the mode's
    /// frame sizes, so it proves nothing, and what follows is not compared.
    StackExhausted,
    /// Kiln failed: a compile error, a refused artifact, a host panic.
    Failed(String),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Returned(vals) => {
                f.write_str("returned [")?;
                for (i, v) in vals.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Outcome::Trapped(code, frames) => {
                write!(f, "trapped: {code}")?;
                for (i, (func, offset)) in frames.iter().enumerate() {
                    let sep = if i == 0 { " at " } else { " < " };
                    match offset {
                        Some(o) => write!(f, "{sep}func {func} {o:#x}")?,
                        None => write!(f, "{sep}func {func}")?,
                    }
                }
                Ok(())
            }
            Outcome::StackExhausted => f.write_str("exhausted the call stack"),
            Outcome::Failed(m) => write!(f, "failed: {m}"),
        }
    }
}

/// The exported state after a step: every exported global's value and
/// every exported memory's bytes, by export name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Exported globals, in export order.
    pub globals: Vec<(String, Value)>,
    /// Exported memories, in export order.
    pub memories: Vec<(String, Vec<u8>)>,
}

/// One step of a run: instantiating (`what` is `instantiate`) or calling an
/// export with arguments, what it did, and the state afterwards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// `instantiate`, or the export called and its arguments.
    pub what: String,
    /// How it ended.
    pub outcome: Outcome,
    /// The exported state afterwards.
    pub state: State,
}

/// Why two steps disagree, in words.
pub fn difference(reference: &Step, other: &Step) -> Option<String> {
    if let Some(d) = outcome_difference(&reference.outcome, &other.outcome) {
        return Some(d);
    }
    state_difference(&reference.state, &other.state)
}

fn outcome_difference(a: &Outcome, b: &Outcome) -> Option<String> {
    let same = match (a, b) {
        (Outcome::Returned(x), Outcome::Returned(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| p.agrees_with(q))
        }
        (Outcome::Trapped(x, f), Outcome::Trapped(y, g)) => {
            x == y && (!COMPARE_FRAMES.load(Ordering::Relaxed) || frames_agree(f, g))
        }
        (Outcome::StackExhausted, Outcome::StackExhausted) => true,
        _ => false,
    };
    (!same).then(|| format!("{a}  vs  {b}"))
}

/// Whether traps' frames are compared too ([`compare_frames`]).
static COMPARE_FRAMES: AtomicBool = AtomicBool::new(false);

/// Compares traps' backtraces too (`kiln-fuzz differential --frames`):
/// LLVM code may give a frame no offset, or lose the frames of inlined
/// functions whose traps LLVM merged, so this is not on by default.
pub fn compare_frames(on: bool) {
    COMPARE_FRAMES.store(on, Ordering::Relaxed);
}

/// Whether two modes' frames of one trap agree: the same functions, and
/// the same offsets where both know them.
fn frames_agree(f: &[Frame], g: &[Frame]) -> bool {
    f.len() == g.len()
        && f.iter()
            .zip(g)
            .all(|((a, p), (b, q))| a == b && (p.is_none() || q.is_none() || p == q))
}

fn state_difference(a: &State, b: &State) -> Option<String> {
    for ((name, x), (_, y)) in a.globals.iter().zip(&b.globals) {
        if !x.agrees_with(y) {
            return Some(format!("global `{name}`: {x}  vs  {y}"));
        }
    }
    if a.globals.len() != b.globals.len() {
        return Some(format!(
            "{} exported globals  vs  {}",
            a.globals.len(),
            b.globals.len()
        ));
    }
    for ((name, x), (_, y)) in a.memories.iter().zip(&b.memories) {
        if let Some(d) = memory_difference(x, y) {
            return Some(format!("memory `{name}`: {d}"));
        }
    }
    if a.memories.len() != b.memories.len() {
        return Some(format!(
            "{} exported memories  vs  {}",
            a.memories.len(),
            b.memories.len()
        ));
    }
    None
}

fn memory_difference(a: &[u8], b: &[u8]) -> Option<String> {
    if a.len() != b.len() {
        return Some(format!("{} bytes  vs  {} bytes", a.len(), b.len()));
    }
    let first = a.iter().zip(b).position(|(x, y)| x != y)?;
    let count = a.iter().zip(b).filter(|(x, y)| x != y).count();
    let end = (first + 8).min(a.len());
    Some(format!(
        "{count} bytes differ, the first at {first:#x}: {:02x?}  vs  {:02x?}",
        &a[first..end],
        &b[first..end]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(outcome: Outcome) -> Step {
        Step {
            what: "f()".into(),
            outcome,
            state: State {
                globals: vec![("g".into(), Value::I64(7))],
                memories: vec![("m".into(), vec![0; 64])],
            },
        }
    }

    fn returned(v: Value) -> Step {
        step(Outcome::Returned(vec![v]))
    }

    #[test]
    fn identical_steps_agree() {
        let a = returned(Value::I32(5));
        assert_eq!(difference(&a, &a.clone()), None);
    }

    #[test]
    fn a_differing_result_is_reported() {
        let d = difference(&returned(Value::I32(5)), &returned(Value::I32(6))).unwrap();
        assert!(d.contains("i32:5") && d.contains("i32:6"), "{d}");
        let d = difference(&returned(Value::V128(1)), &returned(Value::V128(1 << 100)));
        assert!(d.is_some());
        let two = step(Outcome::Returned(vec![Value::I32(5), Value::I32(5)]));
        assert!(difference(&returned(Value::I32(5)), &two).is_some());
    }

    #[test]
    fn a_differing_trap_is_reported() {
        let a = step(Outcome::Trapped("integer divide by zero".into(), vec![]));
        let b = step(Outcome::Trapped(
            "out of bounds memory access".into(),
            vec![],
        ));
        let d = difference(&a, &b).unwrap();
        assert!(d.contains("divide") && d.contains("out of bounds"), "{d}");
    }

    #[test]
    fn a_trap_against_a_result_is_reported_both_ways() {
        let t = step(Outcome::Trapped("unreachable".into(), vec![]));
        let r = returned(Value::I32(0));
        assert!(difference(&t, &r).is_some());
        assert!(difference(&r, &t).is_some());
        let f = step(Outcome::Failed("compile error".into()));
        assert!(difference(&r, &f).is_some());
        assert!(
            difference(&f, &f.clone()).is_some(),
            "a failure never agrees"
        );
    }

    #[test]
    fn differing_memory_bytes_are_reported_with_the_offset() {
        let a = returned(Value::I32(0));
        let mut b = a.clone();
        b.state.memories[0].1[0x21] = 9;
        let d = difference(&a, &b).unwrap();
        assert!(d.contains("memory `m`") && d.contains("0x21"), "{d}");
        b.state.memories[0].1.push(0);
        assert!(difference(&a, &b).unwrap().contains("65 bytes"));
    }

    #[test]
    fn a_differing_global_is_reported() {
        let a = returned(Value::I32(0));
        let mut b = a.clone();
        b.state.globals[0].1 = Value::I64(8);
        let d = difference(&a, &b).unwrap();
        assert!(d.contains("global `g`") && d.contains("i64:8"), "{d}");
    }

    #[test]
    fn nans_compare_by_class() {
        let canonical = Value::F32(0x7fc0_0000);
        let arithmetic = Value::F32(0xffc0_0001);
        let signalling = Value::F32(0x7f80_0001);
        assert!(canonical.agrees_with(&Value::F32(0xffc0_0000)));
        assert!(arithmetic.agrees_with(&Value::F32(0x7fc1_2345)));
        assert!(!canonical.agrees_with(&arithmetic));
        assert!(!canonical.agrees_with(&signalling));
        assert!(signalling.agrees_with(&signalling));
        assert!(!signalling.agrees_with(&Value::F32(0x7f80_0002)));
        assert!(Value::F64(0x7ff8_0000_0000_0000).agrees_with(&Value::F64(0xfff8_0000_0000_0000)));
        assert!(!Value::F64(0x7ff8_0000_0000_0000).agrees_with(&Value::F64(0xfff8_0000_0000_0001)));
        assert!(!Value::F64(0x7ff8_0000_0000_0000).agrees_with(&Value::F64(0x7ff0_0000_0000_0001)));
        assert!(
            !Value::F32(0).agrees_with(&Value::F32(0x8000_0000)),
            "+0 and -0 differ"
        );
    }
}

#[cfg(test)]
mod frame_tests {
    use super::{outcome_difference, Outcome};

    #[test]
    fn frames_agree_where_both_know_the_offset() {
        super::compare_frames(true);
        let t = |frames| Outcome::Trapped("unreachable".into(), frames);
        let a = t(vec![(2, Some(0x30)), (1, Some(0x20))]);
        assert!(outcome_difference(&a, &t(vec![(2, None), (1, Some(0x20))])).is_none());
        assert!(outcome_difference(&a, &t(vec![(2, Some(0x31)), (1, Some(0x20))])).is_some());
        assert!(outcome_difference(&a, &t(vec![(2, Some(0x30))])).is_some());
        assert!(outcome_difference(&a, &t(vec![(3, Some(0x30)), (1, Some(0x20))])).is_some());
    }
}
