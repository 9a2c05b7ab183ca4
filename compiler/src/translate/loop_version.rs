//! Loop versioning: innermost loops whose accesses cannot fault run a copy
//! with plain (non-volatile, unchecked) memory accesses that LLVM may
//! vectorise, hoist and merge.
//!
//! Memory accesses are volatile because a fault must happen at its own
//! place (see [`super::memory`]). For an innermost loop that [`affine`]
//! accepts, access `j` reads or writes `a₀ⱼ + a₁ⱼ·t + offsetⱼ` in iteration
//! `t`, with `a₀ⱼ` (the address's `i32` value at loop entry, zero-extended)
//! computed before the loop and `a₁ⱼ` a constant. The check before the loop
//! computes the largest `K` such that every access stays inside the
//! memory's current length for `t < K` (memory cannot grow inside the loop:
//! it has no call and no `memory.grow`). Within those bounds the exact
//! value `a₀ + a₁·t` never leaves `[0, 2³²)`, so it is the wasm address.
//!
//! ```text
//! precheck ── all in bounds at t = 0 ──▶ fast copy, counter t = 0..K
//!     │                                   │ back edge with t + 1 = K
//!     └──────── otherwise ───────────────▶ slow copy (today's code)
//! ```
//!
//! When the loop's only back edge is a final `br_if` on a value affine in
//! the iteration ([`affine::ExitTest`]), the check instead computes the
//! iteration `t*` that ends the loop and checks the accesses in iterations
//! 0 and `t*` (no division by the strides, which short loops would pay
//! for: nbody's inner loops run 1 to 4 times): the fast copy then keeps
//! the loop's own exit alone, so LLVM sees its trip count (and may unroll
//! or vectorise with no extra test).
//! Otherwise the fast copy counts its iterations and leaves for the slow
//! copy's header, with the locals as they are, when the next iteration
//! could be out of bounds; the slow copy then faults precisely where wasm
//! says.
//! Either way the check tests one span per group of accesses whose
//! addresses differ only by a constant ([`access_groups`]), not every
//! access.
//! Nothing in the fast copy can fault, so its accesses need no volatility:
//! a trap from an arithmetic check calls the trap intrinsic, which LLVM
//! must assume reads memory, so earlier stores still happen first.

use super::access_groups;
use super::affine::{self, Affine, LoopPlan};
use super::FuncTranslator;
use crate::error::{CompileError, Result};
use inkwell::basic_block::BasicBlock;
use inkwell::values::{IntValue, PointerValue};
use inkwell::IntPredicate;
use wasmparser::{BlockType, Operator};

/// What the check before the loop computed.
struct Precheck<'ctx> {
    /// Every access is in bounds in iteration 0.
    in_bounds: IntValue<'ctx>,
    /// Iterations that stay in bounds.
    limit: IntValue<'ctx>,
    /// Each access's group start in iteration 0 and its stride (`i64`),
    /// and its distance from the group start.
    starts: Vec<IntValue<'ctx>>,
    strides: Vec<IntValue<'ctx>>,
    deltas: Vec<u64>,
}

/// The fast copy being translated.
pub(crate) struct FastLoop<'ctx> {
    /// Index of the loop's frame in the control stack.
    frame: usize,
    /// The iteration counter (an `i64` alloca).
    counter: PointerValue<'ctx>,
    /// Iterations that stay in bounds; `None` when the loop's own exit
    /// test was shown to end it within them.
    limit: Option<IntValue<'ctx>>,
    /// The slow copy's entry.
    resume: BasicBlock<'ctx>,
    /// What the body accesses, and each access's address at `t = 0`
    /// (its group's start plus its delta).
    plan: LoopPlan,
    starts: Vec<IntValue<'ctx>>,
    strides: Vec<IntValue<'ctx>>,
    deltas: Vec<u64>,
    /// Position in the body of the operator being translated.
    op: usize,
}

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Translates the operator at `ops[i]`, or the whole loop starting
    /// there when it is versioned; returns the position after what it did.
    pub(super) fn translate_from(&mut self, ops: &[Operator<'_>], i: usize) -> Result<usize> {
        if let Some(end) = self.versionable_loop(ops, i) {
            let is_i32 = self.i32_locals();
            let plan = affine::analyse(&ops[i + 1..end], &is_i32);
            // With guard pages, only straight-line loops with an exit test
            // gain: without the test the fast copy must count iterations,
            // which rarely pays for the check before the loop (quicksort's
            // short scans got 9% slower), and a body with branches kept
            // them (dynprog's LCS row, branching on random symbols, got
            // 1.5x slower once LLVM unrolled it), and a store to one
            // address in every iteration keeps a dependence through memory
            // that neither copy removes (nbody's velocity updates: 11%
            // slower, the check paid for nothing). With explicit bounds
            // checks every fast copy removes a check per access per
            // iteration.
            let gains = |p: &LoopPlan| p.exit.is_some() && p.straight && !p.stores_in_place();
            let worth = |p: &LoopPlan| gains(p) || self.config.bounds_checks;
            if let Some(plan) = plan.filter(worth) {
                self.versioned_loop(&ops[i..=end], plan)?;
                return Ok(end + 1);
            }
        }
        self.translate(ops[i].clone())?;
        Ok(i + 1)
    }

    /// The position of the `end` of the loop at `ops[i]` if it is an
    /// innermost `[] -> []` loop in reachable code of a 32-bit memory.
    fn versionable_loop(&self, ops: &[Operator<'_>], i: usize) -> Option<usize> {
        let Operator::Loop {
            blockty: BlockType::Empty,
        } = ops[i]
        else {
            return None;
        };
        let memory32 = self.env.memories.first().is_some_and(|m| !m.memory64);
        if !self.reachable || self.osr.is_some() || self.fast_loop.is_some() || !memory32 {
            return None;
        }
        let mut depth = 0u32;
        for (j, op) in ops.iter().enumerate().skip(i + 1) {
            match op {
                Operator::Loop { .. } => return None,
                Operator::Block { .. } | Operator::If { .. } => depth += 1,
                Operator::End if depth == 0 => return Some(j),
                Operator::End => depth -= 1,
                _ => {}
            }
            if j - i > affine::MAX_BODY_OPS {
                return None;
            }
        }
        None
    }

    fn i32_locals(&self) -> Vec<bool> {
        let i32t = self.ctx.i32_type();
        self.locals
            .iter()
            .map(|(_, ty)| ty.is_int_type() && ty.into_int_type() == i32t)
            .collect()
    }

    /// Emits the check, the fast copy and the slow copy of `ops` (the loop
    /// from `loop` to its `end`), joining after both.
    fn versioned_loop(&mut self, ops: &[Operator<'_>], plan: LoopPlan) -> Result<()> {
        let height = self.stack.len();
        let exit = match &plan.exit {
            Some(exit) => Some(self.exit_iteration(exit)?),
            None => None,
        };
        let Precheck {
            mut in_bounds,
            limit,
            starts,
            strides,
            deltas,
        } = self.precheck(&plan, exit.map(|(_, last)| last))?;
        if let Some((exact, _)) = exit {
            in_bounds = self.builder.build_and(in_bounds, exact, "")?;
        }
        let limit = plan.exit.is_none().then_some(limit);
        let fast = self.new_block("fast_loop");
        let slow = self.new_block("slow_loop");
        let join = self.new_block("loop_exit");
        self.builder
            .build_conditional_branch(in_bounds, fast, slow)?;

        self.builder.position_at_end(fast);
        let i64t = self.ctx.i64_type();
        let counter = self.entry_alloca(i64t)?;
        self.builder.build_store(counter, i64t.const_zero())?;
        self.fast_loop = Some(FastLoop {
            frame: self.frames.len(),
            counter,
            limit,
            resume: slow,
            plan,
            starts,
            strides,
            deltas,
            op: 0,
        });
        for (j, op) in ops.iter().enumerate() {
            if let Some(f) = self.fast_loop.as_mut() {
                f.op = j.wrapping_sub(1);
            }
            self.translate(op.clone())?;
        }
        self.fast_loop = None;
        let mut joined = self.leave_copy(join)?;

        self.stack.truncate(height);
        self.reachable = true;
        self.dead_depth = 0;
        self.builder.position_at_end(slow);
        self.translate(ops[0].clone())?;
        let header = slow
            .get_terminator()
            .and_then(|t| t.get_operand(0)?.block());
        for op in &ops[1..] {
            self.translate(op.clone())?;
        }
        if let Some(header) = header {
            super::loop_hints::mark_cold_loop(self.ctx, slow, header)?;
        }
        joined |= self.leave_copy(join)?;
        if joined {
            self.builder.position_at_end(join);
            self.reachable = true;
        } else {
            // SAFETY: nothing branches to `join` and it holds no instruction.
            unsafe { join.delete() }
                .map_err(|()| CompileError::Llvm("could not delete a dead block".into()))?;
            self.reachable = false;
        }
        Ok(())
    }

    /// After a copy's `end`: continues at `join` if control gets there.
    fn leave_copy(&mut self, join: BasicBlock<'ctx>) -> Result<bool> {
        if self.reachable {
            self.builder.build_unconditional_branch(join)?;
        }
        Ok(self.reachable)
    }

    /// Emits the bounds check before the loop: whether every access is in
    /// bounds in iteration 0 and, when `last` (the loop's final iteration)
    /// is known, in that iteration too, so in every one between (addresses
    /// are affine in the iteration); else how many iterations are. Also
    /// each access's start address and stride (`i64`).
    fn precheck(
        &mut self,
        plan: &LoopPlan,
        last: Option<IntValue<'ctx>>,
    ) -> Result<Precheck<'ctx>> {
        let i64t = self.ctx.i64_type();
        let len = self.memory_length(0)?;
        let mut in_bounds = self.ctx.bool_type().const_all_ones();
        let mut limit = i64t.const_int(i64::MAX as u64, false);
        let n = plan.accesses.len();
        let (mut starts, mut strides) = (vec![None; n], vec![None; n]);
        let mut deltas = vec![0; n];
        let (zero, one) = (i64t.const_zero(), i64t.const_int(1, false));
        for group in access_groups::groups(&plan.accesses) {
            let start = self.affine_value(&group.start)?;
            let stride = self.affine_value(&group.stride)?;
            let b = &self.builder;
            let start = b.build_int_z_extend(start, i64t, "")?;
            let stride = b.build_int_s_extend(stride, i64t, "")?;
            for &(j, delta) in &group.members {
                starts[j] = Some(start);
                strides[j] = Some(stride);
                deltas[j] = delta;
            }
            let width = i64t.const_int(group.width, false);
            let end = b.build_int_nuw_add(start, width, "")?;
            let ok = b.build_int_compare(IntPredicate::ULE, end, len, "")?;
            in_bounds = b.build_and(in_bounds, ok, "")?;
            if let Some(last) = last {
                // |stride · last| < 2³¹ · 2³², so the exact address fits.
                let moved = b.build_int_mul(stride, last, "")?;
                let at = b.build_int_add(start, moved, "")?;
                let above = b.build_int_compare(IntPredicate::SGE, at, zero, "")?;
                let at_end = b.build_int_add(at, width, "")?;
                let below = b.build_int_compare(IntPredicate::ULE, at_end, len, "")?;
                in_bounds = b.build_and(in_bounds, b.build_and(above, below, "")?, "")?;
                continue;
            }
            // Iterations in bounds: up to the end of memory going up, down
            // to 0 going down, all of them standing still (constant strides
            // fold to one branch-free division by a constant).
            let down = b.build_int_compare(IntPredicate::SLT, stride, zero, "")?;
            let up_room = b.build_int_sub(len, end, "")?;
            let room = b.build_select(down, start, up_room, "")?.into_int_value();
            let neg = b.build_int_neg(stride, "")?;
            let size = b.build_select(down, neg, stride, "")?.into_int_value();
            let still = b.build_int_compare(IntPredicate::EQ, stride, zero, "")?;
            let divisor = b.build_select(still, one, size, "")?.into_int_value();
            let n = b.build_int_unsigned_div(room, divisor, "")?;
            let n = b.build_int_add(n, one, "")?;
            let less = b.build_int_compare(IntPredicate::ULT, n, limit, "")?;
            let less = b.build_and(less, b.build_not(still, "")?, "")?;
            limit = b.build_select(less, n, limit, "")?.into_int_value();
        }
        let missing = || CompileError::Llvm("loop versioning: an access in no group".into());
        Ok(Precheck {
            in_bounds,
            limit,
            starts: starts
                .into_iter()
                .map(|s| s.ok_or_else(missing))
                .collect::<Result<_>>()?,
            strides: strides
                .into_iter()
                .map(|s| s.ok_or_else(missing))
                .collect::<Result<_>>()?,
            deltas,
        })
    }

    /// The iteration whose exit test ends the loop, and whether there is
    /// one within 2³² / |s| iterations: the test is `d₀ + s·t (mod 2³²)`
    /// in iteration `t`, so it is first zero at `t* = (−d₀ mod 2³²) / s`
    /// for `s > 0` (`d₀ / |s|` for `s < 0`) when the division is exact;
    /// larger solutions are left to the slow copy.
    fn exit_iteration(
        &mut self,
        exit: &affine::ExitTest,
    ) -> Result<(IntValue<'ctx>, IntValue<'ctx>)> {
        let i64t = self.ctx.i64_type();
        let d0 = self.affine_value(&exit.test)?;
        let distance = if exit.step > 0 {
            self.builder.build_int_neg(d0, "")?
        } else {
            d0
        };
        let distance = self.builder.build_int_z_extend(distance, i64t, "")?;
        let step = i64t.const_int(exit.step.unsigned_abs(), false);
        let rem = self.builder.build_int_unsigned_rem(distance, step, "")?;
        let last = self.builder.build_int_unsigned_div(distance, step, "")?;
        let exact = self
            .builder
            .build_int_compare(IntPredicate::EQ, rem, i64t.const_zero(), "")?;
        Ok((exact, last))
    }

    /// The `i32` value of `a` with the locals as they are now.
    fn affine_value(&mut self, a: &Affine) -> Result<IntValue<'ctx>> {
        let i32t = self.ctx.i32_type();
        let mut v = i32t.const_int(u64::from(a.constant), false);
        for &(k, coefficient) in &a.terms {
            let (slot, ty) = self.local(k)?;
            let l = self.builder.build_load(ty, slot, "")?.into_int_value();
            let c = i32t.const_int(u64::from(coefficient), false);
            let term = self.builder.build_int_mul(l, c, "")?;
            v = self.builder.build_int_add(v, term, "")?;
        }
        Ok(v)
    }

    /// In the fast copy: pops the address operand of the access being
    /// translated and returns its native address, which needs no check.
    pub(super) fn fast_address(&mut self) -> Result<Option<PointerValue<'ctx>>> {
        let Some(f) = self.fast_loop.as_ref() else {
            return Ok(None);
        };
        let (j, access) = f.plan.access_at(f.op).ok_or_else(|| {
            CompileError::Llvm("loop versioning: an access the analysis did not see".into())
        })?;
        let (start, stride, offset, counter) = (
            f.starts[j],
            f.strides[j],
            access.offset + f.deltas[j],
            f.counter,
        );
        self.pop()?;
        let i64t = self.ctx.i64_type();
        let t = self.builder.build_load(i64t, counter, "")?.into_int_value();
        let moved = self.builder.build_int_nsw_mul(t, stride, "")?;
        let ea = self.builder.build_int_nsw_add(start, moved, "")?;
        let ea = self
            .builder
            .build_int_nsw_add(ea, i64t.const_int(offset, false), "")?;
        let base = self
            .memory_base
            .ok_or_else(|| CompileError::InvalidWasm("memory access without a memory".into()))?;
        Ok(Some(self.byte_offset_dyn(base, ea)?))
    }

    /// Whether a branch `depth` out goes back to the fast copy's header.
    pub(super) fn is_fast_back_edge(&self, depth: u32) -> bool {
        self.fast_loop
            .as_ref()
            .is_some_and(|f| self.frames.len().checked_sub(depth as usize + 1) == Some(f.frame))
    }

    /// A back edge of the fast copy (`cond` for `br_if`): counts the
    /// iteration and leaves for the slow copy when the next one could be
    /// out of bounds.
    pub(super) fn fast_back_edge(
        &mut self,
        depth: u32,
        cond: Option<IntValue<'ctx>>,
    ) -> Result<()> {
        let (counter, limit, resume) = match self.fast_loop.as_ref() {
            Some(f) => (f.counter, f.limit, f.resume),
            None => return Err(CompileError::Llvm("no fast loop".into())),
        };
        let i64t = self.ctx.i64_type();
        let t = self.builder.build_load(i64t, counter, "")?.into_int_value();
        let next = self
            .builder
            .build_int_nuw_add(t, i64t.const_int(1, false), "")?;
        // The count moves only on the edge itself (its own block): a `br_if`
        // that falls through stays in the same iteration.
        let latch = self.new_block("fast_loop_latch");
        let more = match limit {
            Some(limit) => {
                Some(
                    self.builder
                        .build_int_compare(IntPredicate::ULT, next, limit, "")?,
                )
            }
            None => None,
        };
        match (cond, more) {
            (None, Some(more)) => {
                self.builder.build_conditional_branch(more, latch, resume)?;
                self.reachable = false;
            }
            (None, None) => {
                self.builder.build_unconditional_branch(latch)?;
                self.reachable = false;
            }
            (Some(cond), Some(more)) => {
                let go = self.builder.build_and(cond, more, "")?;
                let stop = self.new_block("fast_loop_stop");
                let cont = self.new_block("cont");
                self.builder.build_conditional_branch(go, latch, stop)?;
                self.builder.position_at_end(stop);
                self.builder.build_conditional_branch(cond, resume, cont)?;
                self.builder.position_at_end(cont);
            }
            (Some(cond), None) => {
                let cont = self.new_block("cont");
                self.builder.build_conditional_branch(cond, latch, cont)?;
                self.builder.position_at_end(cont);
            }
        }
        let here = self.current_block()?;
        self.builder.position_at_end(latch);
        self.builder.build_store(counter, next)?;
        let header = self.add_branch_edge(depth, &[])?;
        self.builder.build_unconditional_branch(header)?;
        self.builder.position_at_end(here);
        Ok(())
    }
}
