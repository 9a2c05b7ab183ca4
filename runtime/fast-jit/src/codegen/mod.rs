//! The target-independent code generator: one pass over a function's
//! operators, generic over the [`MacroAssembler`] of the target.
//!
//! The families of operators live in their own files: [`control`],
//! [`numeric`], [`memory`], [`call`], [`variables`], [`simd`]. The value
//! stack and register allocation are in [`stack`].

mod call;
mod control;
mod decode;
mod kinds;
mod memory;
mod numeric;
mod prescan;
mod simd;
mod simd_shape;
pub(crate) mod stack;
mod tier_up;
mod variables;

use crate::masm::*;
use crate::{CompileError, Runtime};
use control::Frame;
use kiln_format::module_env::ModuleEnv;
use kiln_format::{TrapCode, VMOffsets};
use stack::{Entry, Loc, LocalHome};
use wasmparser::{FunctionBody, Operator};

/// The state of one function's translation.
pub(crate) struct FuncGen<'a, M: MacroAssembler> {
    pub masm: &'a mut M,
    pub env: &'a ModuleEnv<'a>,
    pub offsets: VMOffsets,
    pub rt: &'a Runtime,
    pub stack: Vec<Entry>,
    pub used: RegSet,
    pub reserved: RegSet,
    pub local_kinds: Vec<Kind>,
    pub local_homes: Vec<LocalHome>,
    pub frames: Vec<Frame>,
    /// Whether the code being generated can be reached.
    pub reachable: bool,
    /// Nesting of blocks entered while unreachable.
    pub dead_depth: u32,
    /// Bytes between the frame pointer and the first home slot.
    pub ops_base: u32,
    pub max_depth: usize,
    /// Largest outgoing argument and return area of any call.
    pub call_area: u32,
    /// Frame offset of the saved return-area pointer (multi-value results).
    pub ret_area_slot: i32,
    pub saved: Vec<Reg>,
    /// The function's one epilogue, which every return jumps to.
    pub epilogue: Label,
    /// Locals kept in caller-saved registers: (register, kind, save slot),
    /// stored before every call and reloaded after it.
    pub call_pins: Vec<(Reg, Kind, i32)>,
    pub results: Vec<Kind>,
    /// This function's index.
    pub index: u32,
    /// Hotness counting, when tiering up.
    pub tier_up: Option<crate::TierUp>,
    /// (stub, resume, loop here, loop asked for) of each counter's call of
    /// the tier-up hook.
    hot_stubs: Vec<(Label, Label, u32, u32)>,
    /// `loop` operators seen so far (their ordinals, for OSR).
    pub loops: u32,
    /// By loop ordinal: whether the loop holds another loop (prescan).
    pub has_inner_loop: Vec<bool>,
    /// Frame offset of the locals' area, laid out as an OSR entry's buffer
    /// (`kiln_format::osr::OsrLocals`); a local kept in a register has its
    /// slot there too, written only when the function moves to OSR code.
    pub locals_base: i32,
    /// The local the next operator sets, when it is a `local.set` or a
    /// `local.tee` (`true`).
    pub next_local_set: Option<(u32, bool)>,
    /// Set when an operator did that `local.set` or `local.tee` too (it is
    /// then skipped).
    pub set_consumed: bool,
    /// Module offset of the operator being compiled (its trap sites').
    pub op_offset: u32,
    /// Trap stubs: (code, module offset of the site, label). Each site has
    /// its own stub, so that a trap's return address names its operator.
    traps: Vec<(TrapCode, u32, Label)>,
    /// Stubs trapping with the code in the result register, by site.
    dynamic_traps: Vec<(u32, Label)>,
}

/// What every function of a module is compiled with.
pub(crate) struct ModuleCx<'a> {
    pub env: &'a ModuleEnv<'a>,
    pub rt: &'a Runtime,
    pub tier_up: Option<crate::TierUp>,
}

/// Buffers reused from one function to the next, so that compiling a
/// function allocates little.
#[derive(Default)]
pub(crate) struct Scratch {
    stack: Vec<Entry>,
    frames: Vec<Frame>,
    local_kinds: Vec<Kind>,
    local_homes: Vec<LocalHome>,
    order: Vec<usize>,
    floats: Vec<usize>,
    saved: Vec<Reg>,
    call_pins: Vec<(Reg, Kind, i32)>,
    results: Vec<Kind>,
    traps: Vec<(TrapCode, u32, Label)>,
    dynamic_traps: Vec<(u32, Label)>,
    weights: Vec<u32>,
}

/// `v`, emptied, leaving an empty vector behind.
fn reuse<T>(v: &mut Vec<T>) -> Vec<T> {
    let mut v = std::mem::take(v);
    v.clear();
    v
}

/// Loop-weighted uses (see `prescan`) from which a local is kept in a
/// caller-saved register: used inside a loop.
const LOOP_PIN_WEIGHT: u32 = 8;

/// Compiles defined function `index` into `masm`; records in `source_map`
/// the (module offset, code offset) of each operator, then of each trap
/// stub (the module offset of its site), by ascending code offset.
pub(crate) fn compile_function<M: MacroAssembler>(
    masm: &mut M,
    cx: &ModuleCx<'_>,
    index: u32,
    body: &FunctionBody<'_>,
    scratch: &mut Scratch,
    source_map: &mut Vec<(u32, u32)>,
) -> Result<(), CompileError> {
    let (env, rt, tier_up) = (cx.env, cx.rt, cx.tier_up);
    let ty = env.func_type(index);
    let offsets = VMOffsets::new(8, env.counts());
    let mut local_kinds = reuse(&mut scratch.local_kinds);
    local_kinds.extend(ty.params().iter().map(|t| Kind::of(*t)));
    let num_params = local_kinds.len();
    for l in body.get_locals_reader()? {
        let (n, t) = l?;
        let count = n as usize;
        if local_kinds.len() + count > 50_000 {
            return Err(CompileError::Limit(
                "too many locals for the Fast JIT".into(),
            ));
        }
        local_kinds.extend(std::iter::repeat_n(Kind::of(t), count));
    }
    let scan = prescan::scan(
        body,
        local_kinds.len(),
        std::mem::take(&mut scratch.weights),
    )?;
    // Callee-saved registers for the most used integer locals.
    let mut order = reuse(&mut scratch.order);
    order.extend(
        (0..local_kinds.len()).filter(|l| !local_kinds[*l].is_float() && scan.weights[*l] > 0),
    );
    order.sort_by_key(|l| std::cmp::Reverse(scan.weights[*l]));
    let mut saved = reuse(&mut scratch.saved);
    saved.push(M::VMCTX);
    if scan.uses_memory {
        saved.push(M::MEMBASE);
    }
    let mut local_homes = reuse(&mut scratch.local_homes);
    local_homes.resize(local_kinds.len(), LocalHome::Frame(0));
    for (l, r) in order.iter().zip(M::LOCAL_GPRS) {
        local_homes[*l] = LocalHome::Reg(*r);
        saved.push(*r);
    }
    let mut next = 8 * saved.len() as u32;
    // Float locals used in loops, in registers (a save slot each for calls).
    let mut floats = reuse(&mut scratch.floats);
    floats.extend(
        (0..local_kinds.len())
            .filter(|l| local_kinds[*l].is_float() && scan.weights[*l] >= LOOP_PIN_WEIGHT),
    );
    floats.sort_by_key(|l| std::cmp::Reverse(scan.weights[*l]));
    let mut call_pins = reuse(&mut scratch.call_pins);
    let mut reserved = 0;
    let more_ints = order
        .iter()
        .skip(M::LOCAL_GPRS.len())
        .filter(|l| **l >= num_params && scan.weights[**l] >= LOOP_PIN_WEIGHT);
    let pins = floats
        .iter()
        .zip(M::LOCAL_FPRS)
        .chain(more_ints.zip(M::LOCAL_GPRS_CALLER_SAVED));
    for (l, r) in pins {
        next = (next + 16).next_multiple_of(16);
        call_pins.push((*r, local_kinds[*l], -(next as i32)));
        local_homes[*l] = LocalHome::Reg(*r);
        reserved |= r.bit();
    }
    scratch.order = order;
    scratch.floats = floats;
    scratch.weights = scan.weights;
    let has_inner_loop = scan.has_inner_loop;
    let mut results = reuse(&mut scratch.results);
    results.extend(ty.results().iter().map(|t| Kind::of(*t)));
    let mut ret_area_slot = 0;
    if results.len() > 1 {
        next += 8;
        ret_area_slot = -(next as i32);
    }
    let mut area = kiln_format::osr::OsrLocals::default();
    for (home, kind) in local_homes.iter_mut().zip(&local_kinds) {
        let at = area.place(*kind == Kind::V128) as i32;
        if let LocalHome::Frame(0) = home {
            // Below the frame pointer, fixed once the area's size is known.
            *home = LocalHome::Frame(at);
        }
    }
    next = (next + area.size()).next_multiple_of(kiln_format::osr::OSR_LOCALS_ALIGN);
    let locals_base = -(next as i32);
    for home in local_homes.iter_mut() {
        if let LocalHome::Frame(at) = home {
            *at += locals_base;
        }
    }
    let ops_base = next.next_multiple_of(16);
    let masm_label = masm.new_label();
    let mut g = FuncGen {
        masm,
        env,
        offsets,
        rt,
        stack: reuse(&mut scratch.stack),
        used: 0,
        reserved,
        local_kinds,
        local_homes,
        frames: reuse(&mut scratch.frames),
        reachable: true,
        dead_depth: 0,
        ops_base,
        max_depth: 0,
        call_area: 0,
        ret_area_slot,
        saved,
        epilogue: masm_label,
        call_pins,
        results,
        index,
        tier_up,
        hot_stubs: Vec::new(),
        loops: 0,
        has_inner_loop,
        locals_base,
        next_local_set: None,
        set_consumed: false,
        op_offset: 0,
        traps: reuse(&mut scratch.traps),
        dynamic_traps: reuse(&mut scratch.dynamic_traps),
    };
    let mut reader = decode::Decoder::new(body)?;
    // A stack overflow is reported at the function's first operator.
    g.op_offset = reader.offset() as u32;
    let overflow = g.trap_label(TrapCode::StackOverflow);
    let limit = g.offsets.stack_limit() as i32;
    if let Some(t) = tier_up {
        // Before the frame: the arguments are still where the caller put them.
        g.masm.jump_if_set(t.slots + 8 * index as usize);
    }
    let patch = g.masm.prologue(&g.saved, Some((limit, overflow)));
    g.enter(ty, num_params, scan.uses_memory);
    g.count_hotness(kiln_format::osr::NO_LOOP, kiln_format::osr::NO_LOOP);
    g.frames.push(Frame::function(&mut *g.masm, ty));
    while !reader.eof() {
        g.op_offset = reader.offset() as u32;
        source_map.push((g.op_offset, g.masm.offset() as u32));
        let op = match reader.read_fast() {
            Some(op) => op,
            None => reader.fallback()?,
        };
        g.next_local_set = reader.peek_local_set();
        g.operator(&op)?;
        if g.set_consumed {
            g.set_consumed = false;
            reader.read_fast();
        }
    }
    g.masm.bind(g.epilogue);
    g.masm.epilogue(&g.saved);
    let frame = 8 * g.saved.len() as u32;
    let size = g.ops_base - frame + 16 * g.max_depth as u32 + g.call_area;
    g.masm.patch_frame(patch, g.saved.len(), size);
    g.emit_hot_stubs();
    g.emit_traps(source_map);
    g.masm.end_function();
    *scratch = Scratch {
        stack: g.stack,
        frames: g.frames,
        local_kinds: g.local_kinds,
        local_homes: g.local_homes,
        saved: g.saved,
        call_pins: g.call_pins,
        results: g.results,
        traps: g.traps,
        dynamic_traps: g.dynamic_traps,
        ..std::mem::take(scratch)
    };
    Ok(())
}

impl<M: MacroAssembler> FuncGen<'_, M> {
    /// Moves the parameters to their homes and zeroes the other locals.
    fn enter(&mut self, ty: &wasmparser::FuncType, num_params: usize, uses_memory: bool) {
        let layout = M::call_layout(&abi_kinds(ty));
        let ArgLoc::Reg(vmctx) = layout.args[0] else {
            unreachable!("the context is passed in a register")
        };
        self.masm.mov(Kind::I64, M::VMCTX, vmctx);
        if uses_memory && !self.env.memories.is_empty() {
            let def = self.offsets.memory(0) as i32;
            self.masm.load(
                LoadKind::Full(Kind::I64),
                M::MEMBASE,
                Mem::at(M::VMCTX, def),
            );
            let base = self.offsets.memory_base() as i32;
            self.masm.load(
                LoadKind::Full(Kind::I64),
                M::MEMBASE,
                Mem::at(M::MEMBASE, base),
            );
        }
        let incoming = M::incoming_stack_base() as i32;
        for (l, loc) in layout.args[1..].iter().enumerate() {
            let kind = if l < num_params {
                self.local_kinds[l]
            } else {
                Kind::I64
            };
            let home = if l < num_params {
                self.local_homes[l]
            } else {
                LocalHome::Frame(self.ret_area_slot)
            };
            match (loc, home) {
                (ArgLoc::Reg(r), LocalHome::Reg(h)) => self.masm.mov(kind, h, *r),
                (ArgLoc::Reg(r), LocalHome::Frame(off)) => {
                    self.masm.store(stack::width(kind), Mem::at(M::FP, off), *r)
                }
                (ArgLoc::Stack(s), LocalHome::Reg(h)) => {
                    let src = Mem::at(M::FP, incoming + *s as i32);
                    self.masm.load(LoadKind::Full(kind), h, src)
                }
                (ArgLoc::Stack(s), LocalHome::Frame(off)) => {
                    let src = Mem::at(M::FP, incoming + *s as i32);
                    self.masm.mem_copy(kind, Mem::at(M::FP, off), src)
                }
            }
        }
        for l in num_params..self.local_kinds.len() {
            let kind = self.local_kinds[l];
            match self.local_homes[l] {
                LocalHome::Reg(r) => self.masm.mov_const(kind, r, 0),
                LocalHome::Frame(off) => self.masm.store_const(kind, Mem::at(M::FP, off), 0),
            }
        }
    }

    /// Stores the float locals kept in caller-saved registers before a call.
    pub fn save_call_pins(&mut self) {
        for &(r, kind, slot) in &self.call_pins {
            self.masm.store(stack::width(kind), Mem::at(M::FP, slot), r);
        }
    }

    /// Reloads them after the call.
    pub fn restore_call_pins(&mut self) {
        for &(r, kind, slot) in &self.call_pins {
            self.masm
                .load(LoadKind::Full(kind), r, Mem::at(M::FP, slot));
        }
    }

    /// The label of the current operator's stub for trap `code`.
    pub fn trap_label(&mut self, code: TrapCode) -> Label {
        let site = self.op_offset;
        let mut this_op = self.traps.iter().rev().take_while(|(_, s, _)| *s == site);
        if let Some((_, _, l)) = this_op.find(|(c, _, _)| *c == code) {
            return *l;
        }
        let l = self.masm.new_label();
        self.traps.push((code, site, l));
        l
    }

    /// The label of the current operator's stub that traps with the code in
    /// the result register.
    pub fn dynamic_trap_label(&mut self) -> Label {
        let site = self.op_offset;
        if let Some((_, l)) = self.dynamic_traps.last().filter(|(s, _)| *s == site) {
            return *l;
        }
        let l = self.masm.new_label();
        self.dynamic_traps.push((site, l));
        l
    }

    /// Emits the trap stubs, recording each one's site in `source_map`.
    fn emit_traps(&mut self, source_map: &mut Vec<(u32, u32)>) {
        for &(code, site, label) in &self.traps {
            source_map.push((site, self.masm.offset() as u32));
            self.masm.bind(label);
            self.masm.trap_stub(self.rt.trap, code);
        }
        for &(site, label) in &self.dynamic_traps {
            source_map.push((site, self.masm.offset() as u32));
            self.masm.bind(label);
            self.masm.trap_stub_dynamic(self.rt.trap);
        }
    }

    fn operator(&mut self, op: &Operator<'_>) -> Result<(), CompileError> {
        if !self.reachable {
            return self.dead_operator(op);
        }
        if matches!(
            self.stack.last(),
            Some(Entry {
                loc: Loc::Flags(_),
                ..
            })
        ) && !matches!(
            op,
            Operator::BrIf { .. }
                | Operator::If { .. }
                | Operator::I32Eqz
                | Operator::Select
                | Operator::TypedSelect { .. }
        ) {
            self.settle_flags();
        }
        // Most frequent families first.
        if self.variable(op)?
            || self.numeric(op)?
            || self.memory_op(op)?
            || self.control(op)?
            || self.call_op(op)?
            || self.simd(op)?
        {
            return Ok(());
        }
        Err(CompileError::Unsupported(format!("{op:?}")))
    }
}
