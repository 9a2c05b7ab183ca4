//! Which innermost loops can run a copy without trap checks: an abstract
//! evaluation of one loop body over affine `i32` values.
//!
//! Every value on the operand stack and in a local is either unknown or
//! `c + Σ aₖ·Lₖ (mod 2³²)`, where `Lₖ` is the value of `i32` local `k` at
//! the start of the current iteration. A local that every back edge leaves
//! at `Lₖ + sₖ` is an induction variable with step `sₖ`; one the body never
//! writes is invariant. When every linear-memory access of the body has an
//! address built only from constants, invariant locals and induction
//! variables, its address in iteration `t` is `a₀ + a₁·t (mod 2³²)` with
//! `a₀` known at loop entry and `a₁ = Σ aₖ·sₖ` a constant stride, which is
//! what [`super::loop_version`] checks before the loop.
//!
//! Anything the analysis does not model makes it give up: calls,
//! `memory.grow`, bulk, table, atomic and SIMD operators, `br_table`,
//! multi-value blocks, nested loops. Giving up is always safe.

use super::affine_ops::{is_plain, scalar_access, NoModule};
use wasmparser::{BlockType, MemArg, MemArgTarget, Operator};

/// At most this many locals in one affine value (more is left unknown).
const MAX_TERMS: usize = 4;

/// Whether induction variables may step by a loop-invariant local.
const ALLOW_RUNTIME_STEPS: bool = false;

/// At most this many operators in a loop body worth a second copy.
pub(crate) const MAX_BODY_OPS: usize = 400;

/// `constant + Σ coefficient · L[local] (mod 2³²)`; terms sorted by local,
/// no zero coefficient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Affine {
    pub constant: u32,
    pub terms: Vec<(u32, u32)>,
}

impl Affine {
    fn constant(c: u32) -> Self {
        Affine {
            constant: c,
            terms: Vec::new(),
        }
    }

    fn local(k: u32) -> Self {
        Affine {
            constant: 0,
            terms: vec![(k, 1)],
        }
    }

    fn scaled(&self, by: u32) -> Self {
        let terms = self
            .terms
            .iter()
            .map(|&(k, a)| (k, a.wrapping_mul(by)))
            .filter(|&(_, a)| a != 0)
            .collect();
        Affine {
            constant: self.constant.wrapping_mul(by),
            terms,
        }
    }

    fn plus(&self, other: &Affine) -> Option<Self> {
        let mut terms = self.terms.clone();
        for &(k, a) in &other.terms {
            match terms.binary_search_by_key(&k, |&(l, _)| l) {
                Ok(i) => terms[i].1 = terms[i].1.wrapping_add(a),
                Err(i) => terms.insert(i, (k, a)),
            }
        }
        terms.retain(|&(_, a)| a != 0);
        (terms.len() <= MAX_TERMS).then(|| Affine {
            constant: self.constant.wrapping_add(other.constant),
            terms,
        })
    }

    fn as_constant(&self) -> Option<u32> {
        self.terms.is_empty().then_some(self.constant)
    }
}

/// An abstract value.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Val {
    Unknown,
    Affine(Affine),
    /// A truth value: whether the affine value is not zero (`i32.ne`).
    NonZero(Affine),
}

/// One linear-memory access of the loop body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Access {
    /// Position of the operator in the body.
    pub op: usize,
    /// The address operand in terms of the locals at iteration start.
    pub address: Affine,
    /// The static offset.
    pub offset: u64,
    /// Bytes accessed.
    pub size: u64,
    /// A store (else a load).
    pub store: bool,
    /// Bytes the address advances per iteration (mod 2³², as signed):
    /// constants and locals the body never writes.
    pub stride: Affine,
}

/// The loop's only back edge is its last operator, `br_if` on `test ≠ 0`:
/// in iteration `t` the test's value is `test₀ + step·t (mod 2³²)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ExitTest {
    /// The tested value in terms of the locals at iteration start.
    pub test: Affine,
    /// What it advances per iteration (mod 2³², as signed; never 0).
    pub step: i64,
}

/// What a loop body allows: its accesses, in body order, and its exit
/// test when the iteration count can be computed before the loop.
#[derive(Debug)]
pub(crate) struct LoopPlan {
    pub accesses: Vec<Access>,
    pub exit: Option<ExitTest>,
    /// The body has no nested `block` or `if`.
    pub straight: bool,
}

impl LoopPlan {
    /// The access made by the body's operator at `op`, if it is one.
    pub fn access_at(&self, op: usize) -> Option<(usize, &Access)> {
        let i = self.accesses.binary_search_by_key(&op, |a| a.op).ok()?;
        Some((i, &self.accesses[i]))
    }

    /// Whether the body stores to the same address in every iteration.
    pub fn stores_in_place(&self) -> bool {
        let in_place = |a: &Access| a.stride.as_constant() == Some(0);
        self.accesses.iter().any(|a| a.store && in_place(a))
    }
}

/// A block opened inside the loop body.
struct Nested {
    height: usize,
    results: usize,
    /// Locals written inside it: unknown once control leaves it.
    written: Vec<u32>,
}

struct Analysis<'a> {
    is_i32: &'a [bool],
    /// Current values of the locals written so far in this iteration.
    locals: Vec<(u32, Val)>,
    written: Vec<u32>,
    stack: Vec<Val>,
    nested: Vec<Nested>,
    back_edges: Vec<Vec<(u32, Val)>>,
    accesses: Vec<(usize, Affine, u64, u64, bool)>,
    /// The test of a `br_if 0` that is the body's last operator.
    last_test: Option<Affine>,
    /// A nested `block` or `if` was seen.
    branchy: bool,
    body_len: usize,
    /// Inside dead code: how many blocks deep it is.
    dead: Option<u32>,
}

/// Analyses the body of a loop of type `[] -> []` (the operators between
/// `loop` and its `end`); `is_i32[k]` says whether local `k` is an `i32`.
pub(crate) fn analyse(body: &[Operator<'_>], is_i32: &[bool]) -> Option<LoopPlan> {
    if body.len() > MAX_BODY_OPS {
        return None;
    }
    let mut a = Analysis {
        is_i32,
        locals: Vec::new(),
        written: Vec::new(),
        stack: Vec::new(),
        nested: Vec::new(),
        back_edges: Vec::new(),
        accesses: Vec::new(),
        last_test: None,
        branchy: false,
        body_len: body.len(),
        dead: None,
    };
    for (i, op) in body.iter().enumerate() {
        if !a.step(i, op)? {
            break;
        }
    }
    a.plan()
}

impl Analysis<'_> {
    fn get(&self, k: u32) -> Val {
        if let Some((_, v)) = self.locals.iter().find(|(l, _)| *l == k) {
            return v.clone();
        }
        match self.is_i32.get(k as usize) {
            Some(true) => Val::Affine(Affine::local(k)),
            _ => Val::Unknown,
        }
    }

    fn set(&mut self, k: u32, v: Val) {
        let v = if self.is_i32.get(k as usize) == Some(&true) {
            v
        } else {
            Val::Unknown
        };
        match self.locals.iter_mut().find(|(l, _)| *l == k) {
            Some(slot) => slot.1 = v,
            None => self.locals.push((k, v)),
        }
        if !self.written.contains(&k) {
            self.written.push(k);
        }
        if let Some(n) = self.nested.last_mut() {
            n.written.push(k);
        }
    }

    fn pop(&mut self) -> Option<Val> {
        self.stack.pop()
    }

    fn pop_affine(&mut self) -> Option<Option<Affine>> {
        Some(match self.pop()? {
            Val::Affine(a) => Some(a),
            Val::Unknown | Val::NonZero(_) => None,
        })
    }

    /// The control leaves the innermost nested block: what it wrote is unknown.
    fn forget_nested_writes(&mut self) {
        let Some(n) = self.nested.last() else { return };
        for k in n.written.clone() {
            match self.locals.iter_mut().find(|(l, _)| *l == k) {
                Some(slot) => slot.1 = Val::Unknown,
                None => self.locals.push((k, Val::Unknown)),
            }
        }
    }

    fn branch(&mut self, depth: u32) {
        if depth as usize == self.nested.len() {
            self.back_edges.push(self.locals.clone());
        }
    }

    /// Abstractly executes `op`; `None` gives up, `Some(false)` stops
    /// (the rest of the body is dead).
    fn step(&mut self, i: usize, op: &Operator<'_>) -> Option<bool> {
        use Operator as O;
        if let Some(depth) = self.dead {
            match op {
                O::Block { .. } | O::If { .. } | O::Loop { .. } => self.dead = Some(depth + 1),
                O::End | O::Else if depth == 0 => {}
                O::End => {
                    self.dead = Some(depth - 1);
                    return Some(true);
                }
                _ => return Some(true),
            }
            self.dead = None;
        }
        match op {
            O::Nop => {}
            O::Block { blockty } | O::If { blockty } => {
                let results = match blockty {
                    BlockType::Empty => 0,
                    BlockType::Type(_) => 1,
                    BlockType::FuncType(_) => return None,
                };
                if matches!(op, O::If { .. }) {
                    self.pop()?;
                }
                self.branchy = true;
                self.nested.push(Nested {
                    height: self.stack.len(),
                    results,
                    written: Vec::new(),
                });
            }
            O::Else => {
                self.forget_nested_writes();
                let n = self.nested.last()?;
                self.stack.truncate(n.height);
            }
            O::End => {
                self.forget_nested_writes();
                let n = self.nested.pop()?;
                if let Some(outer) = self.nested.last_mut() {
                    outer.written.extend(n.written);
                }
                self.stack.truncate(n.height);
                self.stack
                    .extend(std::iter::repeat_n(Val::Unknown, n.results));
            }
            O::Br { relative_depth } => {
                self.branch(*relative_depth);
                self.dead = Some(0);
            }
            O::BrIf { relative_depth } => {
                let test = match self.pop()? {
                    Val::Affine(a) | Val::NonZero(a) => Some(a),
                    Val::Unknown => None,
                };
                if i + 1 == self.body_len && *relative_depth == 0 && self.nested.is_empty() {
                    self.last_test = test;
                }
                self.branch(*relative_depth);
            }
            O::I32Ne => {
                let b = self.pop_affine()?;
                let a = self.pop_affine()?;
                let v = match (a, b) {
                    (Some(a), Some(b)) => a.plus(&b.scaled(u32::MAX)).map(Val::NonZero),
                    _ => None,
                };
                self.stack.push(v.unwrap_or(Val::Unknown));
            }
            O::Return | O::Unreachable => self.dead = Some(0),
            O::LocalGet { local_index } => self.stack.push(self.get(*local_index)),
            O::LocalSet { local_index } => {
                let v = self.pop()?;
                self.set(*local_index, v);
            }
            O::LocalTee { local_index } => {
                let v = self.pop()?;
                self.set(*local_index, v.clone());
                self.stack.push(v);
            }
            O::I32Const { value } => self
                .stack
                .push(Val::Affine(Affine::constant(*value as u32))),
            O::I32Add | O::I32Sub | O::I32Mul | O::I32Shl => {
                let b = self.pop_affine()?;
                let a = self.pop_affine()?;
                let v = match (a, b) {
                    (Some(a), Some(b)) => binary(op, &a, &b),
                    _ => None,
                };
                self.stack.push(v.map_or(Val::Unknown, Val::Affine));
            }
            _ => {
                if let Some((memarg, size, is_store)) = scalar_access(op) {
                    self.access(i, memarg, size, is_store)?;
                    return Some(true);
                }
                self.plain(op)?;
            }
        }
        // Dead code at the body's own level lasts until the loop's end.
        Some(self.dead.is_none() || !self.nested.is_empty())
    }

    /// An operator that only computes: its results are unknown.
    fn plain(&mut self, op: &Operator<'_>) -> Option<()> {
        if !is_plain(op) {
            return None;
        }
        let (pops, pushes) = op.operator_arity(&NoModule)?;
        for _ in 0..pops {
            self.pop()?;
        }
        self.stack
            .extend(std::iter::repeat_n(Val::Unknown, pushes as usize));
        Some(())
    }

    fn access(&mut self, i: usize, memarg: &MemArg, size: u64, is_store: bool) -> Option<()> {
        if !matches!(memarg.target, MemArgTarget::Memory(0)) {
            return None;
        }
        if is_store {
            self.pop()?;
        }
        let address = self.pop_affine()??;
        self.accesses
            .push((i, address, memarg.offset, size, is_store));
        if !is_store {
            self.stack.push(Val::Unknown);
        }
        Some(())
    }

    /// The plan, if every access's address is affine in invariant locals
    /// and induction variables.
    fn plan(self) -> Option<LoopPlan> {
        if self.back_edges.is_empty() || self.accesses.is_empty() {
            return None;
        }
        // Step of each written local, if it is an induction variable: every
        // back edge leaves it at `Lₖ + step`. The step may be made of
        // constants and locals the body never writes, but only constant
        // steps are taken for now: with a step known only at run time
        // (sieve's `j += i`), LLVM unrolled the fast copy and strength-reduced
        // sixteen multiples of the step into the enclosing loop, whose
        // spills made the whole program 2x slower.
        let invariant = |a: &Affine| {
            a.terms.iter().all(|(l, _)| !self.written.contains(l))
                && (ALLOW_RUNTIME_STEPS || a.as_constant().is_some())
        };
        let mut steps: Vec<(u32, Option<Affine>)> = Vec::new();
        for &k in &self.written {
            let mut step: Option<Affine> = None;
            let mut ok = true;
            for edge in &self.back_edges {
                let v = edge
                    .iter()
                    .find(|(l, _)| *l == k)
                    .map_or(Val::Affine(Affine::local(k)), |(_, v)| v.clone());
                let s = match v {
                    Val::Affine(a) => a.plus(&Affine::local(k).scaled(u32::MAX)),
                    _ => None,
                };
                match s {
                    Some(s) if invariant(&s) && step.as_ref().is_none_or(|p| *p == s) => {
                        step = Some(s)
                    }
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            steps.push((k, step.filter(|_| ok)));
        }
        // What `a` advances per iteration, if it depends on no other local.
        let advance = |a: &Affine| -> Option<Affine> {
            let mut stride = Affine::constant(0);
            for &(k, c) in &a.terms {
                match steps.iter().find(|(l, _)| *l == k) {
                    None => {}
                    Some((_, Some(s))) => stride = stride.plus(&s.scaled(c))?,
                    Some((_, None)) => return None,
                }
            }
            Some(stride)
        };
        let mut accesses = Vec::with_capacity(self.accesses.len());
        for (op, address, offset, size, store) in self.accesses {
            let stride = advance(&address)?;
            accesses.push(Access {
                op,
                address,
                offset,
                size,
                store,
                stride,
            });
        }
        let exit = match self.last_test {
            Some(test) if self.back_edges.len() == 1 => advance(&test)
                .and_then(|s| s.as_constant())
                .filter(|&step| step != 0)
                .map(|step| ExitTest {
                    test,
                    step: i64::from(step as i32),
                }),
            _ => None,
        };
        Some(LoopPlan {
            accesses,
            exit,
            straight: !self.branchy,
        })
    }
}

fn binary(op: &Operator<'_>, a: &Affine, b: &Affine) -> Option<Affine> {
    match op {
        Operator::I32Add => a.plus(b),
        Operator::I32Sub => a.plus(&b.scaled(u32::MAX)),
        Operator::I32Mul => match (a.as_constant(), b.as_constant()) {
            (_, Some(c)) => Some(a.scaled(c)),
            (Some(c), _) => Some(b.scaled(c)),
            _ => None,
        },
        Operator::I32Shl => Some(a.scaled(1u32.wrapping_shl(b.as_constant()? & 31))),
        _ => None,
    }
}

#[cfg(test)]
#[path = "affine_tests.rs"]
mod tests;
