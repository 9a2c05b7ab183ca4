//! Tests of the loop-body analysis on hand-written loops.

use super::*;
use wasmparser::{Parser, Payload};

/// Analyses the first loop of the only function of `wat` (a module body).
fn plan_of(wat: &str) -> Option<LoopPlan> {
    let bytes = wat::parse_str(format!("(module (memory 1) {wat})")).expect("valid wat");
    let mut types = Vec::new();
    let mut params = Vec::new();
    for payload in Parser::new(0).parse_all(&bytes) {
        let payload = payload.expect("payload");
        if let Payload::TypeSection(section) = &payload {
            for ty in section.clone().into_iter_err_on_gc_types() {
                types.push(ty.expect("type").params().to_vec());
            }
        }
        if let Payload::FunctionSection(section) = &payload {
            let first = section.clone().into_iter().next().expect("a function");
            params = types[first.expect("type index") as usize].clone();
        }
        if let Payload::CodeSectionEntry(body) = payload {
            let mut is_i32: Vec<bool> = params
                .iter()
                .map(|t| *t == wasmparser::ValType::I32)
                .collect();
            for local in body.get_locals_reader().expect("locals") {
                let (n, ty) = local.expect("local");
                is_i32.extend((0..n).map(|_| ty == wasmparser::ValType::I32));
            }
            let ops = body
                .get_operators_reader()
                .expect("operators")
                .into_iter()
                .collect::<Result<Vec<_>, _>>()
                .expect("operators");
            let start = ops
                .iter()
                .position(|o| matches!(o, Operator::Loop { .. }))
                .expect("a loop");
            let mut depth = 0;
            let end = ops[start..]
                .iter()
                .position(|o| {
                    match o {
                        Operator::Block { .. } | Operator::If { .. } | Operator::Loop { .. } => {
                            depth += 1
                        }
                        Operator::End => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .expect("loop end")
                + start;
            return analyse(&ops[start + 1..end], &is_i32);
        }
    }
    panic!("no function")
}

fn strides(plan: &LoopPlan) -> Vec<(u64, u64, i64)> {
    plan.accesses
        .iter()
        .map(|a| {
            let stride = a.stride.as_constant().expect("a constant stride");
            (a.offset, a.size, i64::from(stride as i32))
        })
        .collect()
}

#[test]
fn pointer_induction_variables() {
    // dst[i] = src[i] + 1 over i32 elements, pointers advanced by 4 and 8.
    let plan = plan_of(
        "(func (param $dst i32) (param $src i32) (param $n i32)
           (loop $l
             (i32.store offset=4 (local.get $dst)
               (i32.add (i32.load (local.get $src)) (i32.const 1)))
             (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
             (local.set $src (i32.add (local.get $src) (i32.const 8)))
             (local.set $n (i32.sub (local.get $n) (i32.const 1)))
             (br_if $l (local.get $n))))",
    )
    .expect("a plan");
    assert_eq!(strides(&plan), vec![(0, 4, 8), (4, 4, 4)]);
    assert_eq!(plan.accesses[0].address, Affine::local(1));
}

#[test]
fn negative_counting_index() {
    // for (i = -n; i != 0; i++) a[i + n] with a scaled index: p + (i << 3).
    let plan = plan_of(
        "(func (param $p i32) (param $i i32) (local $x f64)
           (loop $l
             (local.set $x (f64.load offset=16
               (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3)))))
             (f64.store (i32.add (local.get $p) (i32.mul (local.get $i) (i32.const 8)))
               (local.get $x))
             (br_if $l (local.tee $i (i32.add (local.get $i) (i32.const 1))))))",
    )
    .expect("a plan");
    assert_eq!(strides(&plan), vec![(16, 8, 8), (0, 8, 8)]);
    let a = &plan.accesses[0].address;
    assert_eq!(a.terms, vec![(0, 1), (1, 8)]);
}

#[test]
fn downward_stride_is_negative() {
    let plan = plan_of(
        "(func (param $p i32)
           (loop $l
             (i32.store8 (local.get $p) (i32.const 0))
             (local.set $p (i32.sub (local.get $p) (i32.const 1)))
             (br_if $l (local.get $p))))",
    )
    .expect("a plan");
    assert_eq!(strides(&plan), vec![(0, 1, -1)]);
}

#[test]
fn conditional_access_is_included() {
    let plan = plan_of(
        "(func (param $p i32) (param $n i32)
           (loop $l
             (if (i32.load (local.get $p))
               (then (i32.store offset=8 (local.get $p) (i32.const 7))))
             (local.set $p (i32.add (local.get $p) (i32.const 4)))
             (br_if $l (i32.ne (local.get $p) (local.get $n)))))",
    )
    .expect("a plan");
    assert_eq!(strides(&plan), vec![(0, 4, 4), (8, 4, 4)]);
}

#[test]
fn access_after_a_break_is_dead() {
    let plan = plan_of(
        "(func (param $p i32)
           (block $out
             (loop $l
               (i32.store (local.get $p) (i32.const 1))
               (local.set $p (i32.add (local.get $p) (i32.const 4)))
               (br_if $l (local.get $p))
               (br $out)
               (i32.store (i32.load (local.get $p)) (i32.const 2)))))",
    )
    .expect("a plan");
    assert_eq!(plan.accesses.len(), 1);
}

#[test]
fn conditionally_updated_pointer_is_refused() {
    let plan = plan_of(
        "(func (param $p i32) (param $n i32)
           (loop $l
             (i32.store (local.get $p) (i32.const 1))
             (if (local.get $n)
               (then (local.set $p (i32.add (local.get $p) (i32.const 4)))))
             (br_if $l (local.get $n))))",
    );
    assert!(plan.is_none());
}

#[test]
fn pointer_chasing_is_refused() {
    let plan = plan_of(
        "(func (param $p i32)
           (loop $l
             (local.set $p (i32.load (local.get $p)))
             (br_if $l (local.get $p))))",
    );
    assert!(plan.is_none());
}

#[test]
fn different_steps_on_two_back_edges_are_refused() {
    let plan = plan_of(
        "(func (param $p i32) (param $n i32)
           (loop $l
             (i32.store (local.get $p) (i32.const 1))
             (local.set $p (i32.add (local.get $p) (i32.const 4)))
             (br_if $l (local.get $n))
             (local.set $p (i32.add (local.get $p) (i32.const 4)))
             (br $l)))",
    );
    assert!(plan.is_none());
}

#[test]
fn calls_and_memory_grow_are_refused() {
    for op in ["(call $f)", "(drop (memory.grow (i32.const 0)))"] {
        let plan = plan_of(&format!(
            "(func (param $p i32)
               (loop $l
                 (i32.store (local.get $p) (i32.const 1))
                 {op}
                 (local.set $p (i32.add (local.get $p) (i32.const 4)))
                 (br_if $l (local.get $p))))
             (func $f)"
        ));
        assert!(plan.is_none(), "{op} was accepted");
    }
}

#[test]
fn loop_without_memory_access_needs_no_plan() {
    let plan = plan_of(
        "(func (param $n i32)
           (loop $l
             (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))",
    );
    assert!(plan.is_none());
}

#[test]
fn final_br_if_on_a_counter_is_the_exit_test() {
    // k += 4 until k == 64: the test k + 4 - 64 advances by 4.
    let plan = plan_of(
        "(func (param $p i32) (param $k i32)
           (loop $l
             (i32.store (i32.add (local.get $p) (local.get $k)) (i32.const 0))
             (br_if $l (i32.ne (local.tee $k (i32.add (local.get $k) (i32.const 4)))
               (i32.const 64)))))",
    )
    .expect("a plan");
    let exit = plan.exit.expect("an exit test");
    assert_eq!(exit.step, 4);
    assert_eq!(exit.test.constant, 4u32.wrapping_sub(64));
    assert_eq!(exit.test.terms, vec![(1, 1)]);
}

#[test]
fn no_exit_test_with_other_back_edges_or_tests() {
    // A second back edge skips the final test on some iterations.
    let two_edges = plan_of(
        "(func (param $p i32) (param $n i32)
           (loop $l
             (i32.store (local.get $p) (i32.const 1))
             (local.set $p (i32.add (local.get $p) (i32.const 4)))
             (local.set $n (i32.sub (local.get $n) (i32.const 1)))
             (br_if $l (i32.and (local.get $n) (i32.const 1)))
             (br_if $l (local.get $n))))",
    )
    .expect("a plan");
    assert!(two_edges.exit.is_none());
    // A signed comparison is not an exit test the check can solve.
    let less = plan_of(
        "(func (param $p i32) (param $n i32)
           (loop $l
             (i32.store (local.get $p) (i32.const 1))
             (br_if $l (i32.lt_s (local.tee $p (i32.add (local.get $p) (i32.const 4)))
               (local.get $n)))))",
    )
    .expect("a plan");
    assert!(less.exit.is_none());
}

#[test]
fn step_by_an_invariant_local() {
    // j += i with i never written: the stride would be `i` bytes, known at
    // entry; such steps are refused for now (see `ALLOW_RUNTIME_STEPS`).
    let plan = plan_of(
        "(func (param $j i32) (param $i i32) (param $n i32)
           (loop $l
             (i32.store8 (local.get $j) (i32.const 1))
             (local.set $j (i32.add (local.get $j) (local.get $i)))
             (br_if $l (i32.lt_u (local.get $j) (local.get $n)))))",
    );
    match plan {
        Some(plan) if ALLOW_RUNTIME_STEPS => assert_eq!(plan.accesses[0].stride, Affine::local(1)),
        plan => assert!(plan.is_none()),
    }
}
