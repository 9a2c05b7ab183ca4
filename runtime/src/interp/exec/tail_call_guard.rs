//! Guards the handler dispatch of release builds: every handler must reach
//! the next op's handler through a tail call (an indirect `jmp`), never an
//! indirect `call`, or each executed op would leave a native frame behind
//! and a long loop would exhaust the native stack. Rust does not promise
//! tail calls, so this test decodes the machine code of every handler in
//! [`TABLE`] and fails on any indirect call reachable from its entry.
//!
//! It also checks that a conditional branch op picks the next op by a
//! branch, not a `cmov`: with a select, the next op's address (and so every
//! field the next handler reads) waits for the condition's operands, where
//! a predicted branch lets the processor run ahead (sieve ran 1.35x slower).

use super::{Handler, State, TABLE};
use crate::interp::code::{Op, OpCode};
use iced_x86::{Decoder, DecoderOptions, FlowControl, Instruction, OpKind, Register};
use std::collections::{HashSet, VecDeque};

/// Instructions decoded per handler at most (following direct jumps into
/// shared cold code such as the trap path).
const BUDGET: usize = 20_000;

/// What the walk from one entry found.
#[derive(Debug, Default)]
struct Walk {
    indirect_calls: Vec<(u64, String)>,
    indirect_jumps: usize,
    returns: usize,
    cmovs: usize,
    decoded: usize,
}

/// Follows every path of the code at `entry`: both ways of conditional
/// branches and direct jumps; not into direct calls (they return); stops at
/// returns, indirect jumps and traps.
fn walk(entry: u64) -> Walk {
    let mut found = Walk::default();
    let mut seen = HashSet::new();
    let mut todo = VecDeque::from([entry]);
    while let Some(ip) = todo.pop_front() {
        if !seen.insert(ip) {
            continue;
        }
        found.decoded += 1;
        assert!(
            found.decoded <= BUDGET,
            "walk from {entry:#x} exceeds {BUDGET} instructions"
        );
        // SAFETY: `ip` is the handler's entry or the start of an instruction
        // the walk decoded from it, so it lies in the executable's mapped
        // text; 15 bytes (the longest x86 instruction) from there stay in
        // that mapping, which ends on a page boundary well after the code.
        let bytes = unsafe { std::slice::from_raw_parts(ip as *const u8, 15) };
        let mut decoder = Decoder::with_ip(64, bytes, ip, DecoderOptions::NONE);
        let insn = decoder.decode();
        assert!(
            !insn.is_invalid(),
            "undecodable instruction at {ip:#x} (from {entry:#x})"
        );
        let next = insn.next_ip();
        if format!("{:?}", insn.mnemonic()).starts_with("Cmov") {
            found.cmovs += 1;
        }
        match insn.flow_control() {
            FlowControl::Next | FlowControl::Call => todo.push_back(next),
            FlowControl::ConditionalBranch => {
                todo.push_back(next);
                todo.push_back(insn.near_branch_target());
            }
            FlowControl::UnconditionalBranch => todo.push_back(insn.near_branch_target()),
            // `call [rip + slot]` goes through a GOT slot to one function.
            FlowControl::IndirectCall if through_got(&insn) => todo.push_back(next),
            FlowControl::IndirectCall => {
                found.indirect_calls.push((
                    ip,
                    format!(
                        "{:?} {:?}+{:?}",
                        insn.op0_kind(),
                        insn.memory_base(),
                        insn.memory_index()
                    ),
                ));
                todo.push_back(next);
            }
            FlowControl::IndirectBranch => found.indirect_jumps += 1,
            FlowControl::Return => found.returns += 1,
            FlowControl::Interrupt | FlowControl::Exception | FlowControl::XbeginXabortXend => {}
        }
    }
    found
}

/// Whether `insn` (an indirect call) reads its target from one fixed slot.
fn through_got(insn: &Instruction) -> bool {
    insn.op0_kind() == OpKind::Memory
        && insn.memory_base() == Register::RIP
        && insn.memory_index() == Register::None
}

/// Each op code with the entry address of its handler.
fn handlers() -> impl Iterator<Item = (OpCode, u64)> {
    TABLE.iter().enumerate().map(|(i, h)| {
        // SAFETY: `OpCode` is `repr(u16)` with the values `0..COUNT`.
        let code = unsafe { std::mem::transmute::<u16, OpCode>(i as u16) };
        (code, *h as usize as u64)
    })
}

#[test]
fn every_handler_dispatches_by_tail_call() {
    let mut bad = Vec::new();
    let mut dispatching = 0;
    for (code, entry) in handlers() {
        if code == OpCode::Arg {
            continue;
        }
        let w = walk(entry);
        if !w.indirect_calls.is_empty() {
            bad.push(format!(
                "{code:?}: indirect call at {:x?}",
                w.indirect_calls
            ));
        }
        if w.indirect_jumps > 0 {
            dispatching += 1;
        }
    }
    assert!(
        bad.is_empty(),
        "handlers that call instead of tail-calling:\n{}",
        bad.join("\n")
    );
    // Almost every handler goes on to the next op; only those that always
    // leave (a trap, `unreachable`) may not.
    assert!(
        dispatching + 8 >= OpCode::COUNT,
        "only {dispatching} of {} handlers reach an indirect jump",
        OpCode::COUNT
    );
}

/// Whether op `code` is a conditional branch (its handler goes on at the
/// next op or at its target).
fn is_conditional_branch(code: OpCode) -> bool {
    let name = format!("{code:?}");
    let branch = ["Br", "AddBr", "AddImmBr"]
        .iter()
        .any(|p| name.starts_with(p) && name[p.len()..].starts_with(|c: char| c.is_uppercase()));
    branch && !name.starts_with("BrTable") && name != "BrEntry"
}

#[test]
fn conditional_branches_branch_rather_than_select() {
    let mut selecting = Vec::new();
    let mut checked = 0;
    for (code, entry) in handlers() {
        if !is_conditional_branch(code) {
            continue;
        }
        checked += 1;
        let w = walk(entry);
        if w.cmovs > 0 {
            selecting.push(format!("{code:?}: {w:?}"));
        }
    }
    assert!(checked > 50, "only {checked} conditional branch ops found");
    assert!(
        selecting.is_empty(),
        "branch ops that select the next op instead of branching to it:\n{}",
        selecting.join("\n")
    );
}

/// The same dispatch written as a plain call, which the walk must flag: the
/// guard is able to fail.
#[inline(never)]
unsafe fn calls_next(
    pc: *const Op,
    fp: *mut u64,
    base: *mut u8,
    len: usize,
    st: &mut State<'_, '_>,
) -> super::Done {
    // SAFETY: never run; only its machine code is decoded.
    let h: Handler = unsafe { TABLE[(*pc).code() as usize] };
    // SAFETY: as above.
    let r = unsafe { h(pc, fp, base, len, st) };
    std::hint::black_box(&r);
    r
}

#[test]
fn a_handler_that_calls_is_caught() {
    let f: Handler = calls_next;
    let w = walk(f as usize as u64);
    assert!(
        !w.indirect_calls.is_empty(),
        "the walk missed a plain indirect call: {w:?}"
    );
}
