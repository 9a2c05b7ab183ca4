//! The runner itself: what counts as a pass, a failure, or neither.

use kiln_tests::{run_source, Mode, Summary};

fn run(src: &str) -> Summary {
    run_source("t.wast", src, Mode::INTERP)
}

const MODULE: &str = r#"
(module $m
  (func (export "id") (param i32) (result i32) (local.get 0))
  (func (export "ext") (param externref) (result externref) (local.get 0))
  (func (export "nan") (result f32) (f32.const nan))
  (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (global (export "g") i64 (i64.const 7)))
"#;

#[test]
fn assertions_pass_and_other_directives_are_not_counted() {
    let s = run(&format!(
        r#"{MODULE}
        (invoke "id" (i32.const 1))
        (register "m" $m)
        (assert_return (invoke "id" (i32.const -1)) (i32.const -1))
        (assert_return (invoke $m "ext" (ref.extern 3)) (ref.extern 3))
        (assert_return (invoke "ext" (ref.null extern)) (ref.null extern))
        (assert_return (invoke "nan") (f32.const nan:canonical))
        (assert_return (invoke "nan") (f32.const nan:arithmetic))
        (assert_return (get "g") (i64.const 7))
        (assert_trap (invoke "div" (i32.const 0)) "integer divide by zero")
        (assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
        (assert_malformed (module quote "(func (i32.const))") "unexpected token")
        (assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
        (assert_unlinkable (module (import "m" "nope" (func))) "unknown import")
        (assert_trap (module (func $f unreachable) (start $f)) "unreachable")
        "#
    ));
    assert!(s.failures.is_empty(), "{:#?}", s.failures);
    assert_eq!((s.passed, s.failed), (12, 0));
}

#[test]
fn wrong_results_and_unexpected_outcomes_fail_with_their_position() {
    let s = run(&format!(
        r#"{MODULE}
(assert_return (invoke "id" (i32.const 1)) (i32.const 2))
(assert_return (invoke "ext" (ref.extern 1)) (ref.extern 2))
(assert_return (invoke "nan") (f32.const 0))
(assert_trap (invoke "div" (i32.const 1)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 0)) "integer overflow")
(assert_invalid (module (func)) "nothing wrong")
(invoke "missing")
(assert_exception (invoke "id" (i32.const 0)))
"#
    ));
    assert_eq!((s.passed, s.failed), (0, 8), "{:#?}", s.failures);
    assert!(
        s.failures[0].starts_with("t.wast:9:2: expected [i32 2"),
        "{:#?}",
        s.failures
    );
    assert!(s.failures[1].contains("ref.extern 2"), "{}", s.failures[1]);
    assert!(s.failures[3].contains("got [i32 1"), "{}", s.failures[3]);
    assert!(
        s.failures[4].contains("integer overflow"),
        "{}",
        s.failures[4]
    );
    assert!(s.failures[6].contains("no exported function `missing`"));
    assert!(s.failures[7].contains("`assert_exception` is not supported"));
}

#[test]
fn trap_messages_agree_on_their_start() {
    let s = run(r#"(module (func (export "u") unreachable))
        (assert_trap (invoke "u") "unreachable executed")
        (assert_trap (invoke "u") "unreach")"#);
    assert_eq!((s.passed, s.failed), (2, 0), "{:#?}", s.failures);
}

#[test]
fn a_module_that_fails_is_a_failure_but_the_script_goes_on() {
    let s = run(r#"(module (import "nowhere" "f" (func)))
        (module (func (export "one") (result i32) (i32.const 1)))
        (assert_return (invoke "one") (i32.const 1))"#);
    assert_eq!((s.passed, s.failed), (1, 1), "{:#?}", s.failures);
    assert!(
        s.failures[0].contains("unknown import"),
        "{}",
        s.failures[0]
    );
}
