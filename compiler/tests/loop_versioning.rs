//! Versioned loops (a copy without trap checks when every access stays in
//! bounds) compute, trap and leave memory exactly as the interpreter does:
//! loops that run off either end of memory mid-way, that start out of
//! bounds, whose addresses wrap around 2³², that trap on a division in the
//! middle of an iteration, that store conditionally, break out early or
//! have two back edges. Both guard-page and explicit-bounds-check code.

use kiln_compiler::{compile, compile_artifact, CompileOptions, OutputKind, TargetSpec};
use kiln_runtime::{Config, Engine, Instance, Module, RunningMode, Store, Val};

const MODULE: &str = r#"(module
  (memory (export "mem") 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10")
  (data (i32.const 65520) "\f1\f2\f3\f4\f5\f6\f7\f8\f9\fa\fb\fc\fd\fe\ff\00")
  ;; p[k] = k for n words upward from p.
  (func (export "fill") (param $p i32) (param $n i32) (result i32)
    (local $k i32)
    (loop $l
      (i32.store (local.get $p) (local.get $k))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $l (i32.ne (local.get $k) (local.get $n))))
    (local.get $k))
  ;; dst[-k] = src[-k] + 1 for n bytes, walking down.
  (func (export "copy_down") (param $dst i32) (param $src i32) (param $n i32)
    (loop $l
      (i32.store8 offset=3 (local.get $dst)
        (i32.add (i32.load8_u offset=1 (local.get $src)) (i32.const 1)))
      (local.set $dst (i32.sub (local.get $dst) (i32.const 1)))
      (local.set $src (i32.sub (local.get $src) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ;; Sum of f64 at base + (i << 3) for i = start up to 0 (a negative index).
  (func (export "sum") (param $base i32) (param $i i32) (result f64)
    (local $s f64)
    (loop $l
      (local.set $s (f64.add (local.get $s)
        (f64.convert_i32_u (i32.load16_u offset=2
          (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 3)))))))
      (br_if $l (local.tee $i (i32.add (local.get $i) (i32.const 1)))))
    (local.get $s))
  ;; acc[0] += p[k] for n words: a store to one address every iteration.
  (func (export "accumulate") (param $acc i32) (param $p i32) (param $n i32)
    (loop $l
      (i32.store (local.get $acc)
        (i32.add (i32.load (local.get $acc)) (i32.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ;; p[k] = 1000 / (d - k): traps on a division by zero part-way.
  (func (export "divide") (param $p i32) (param $n i32) (param $d i32)
    (local $k i32)
    (loop $l
      (i32.store (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 2)))
        (i32.div_s (i32.const 1000) (i32.sub (local.get $d) (local.get $k))))
      (br_if $l (i32.lt_s (local.tee $k (i32.add (local.get $k) (i32.const 1)))
        (local.get $n)))))
  ;; Stores only odd bytes' successors; breaks out at a zero byte.
  (func (export "scan") (param $p i32) (param $n i32) (result i32)
    (block $out
      (loop $l
        (br_if $out (i32.eqz (i32.load8_u (local.get $p))))
        (if (i32.and (i32.load8_u (local.get $p)) (i32.const 1))
          (then (i32.store8 offset=1 (local.get $p) (i32.const 0x77))))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
    (local.get $p))
  ;; Two back edges with the same step; the second one unconditional.
  (func (export "two_edges") (param $p i32) (param $n i32) (result i32)
    (block $out
      (loop $l
        (i32.store16 (local.get $p) (local.get $n))
        (local.set $p (i32.add (local.get $p) (i32.const 6)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br_if $l (i32.and (local.get $n) (i32.const 1)))
        (br_if $out (i32.eqz (local.get $n)))
        (br $l)))
    (local.get $p))
  ;; A back edge from inside an `if`, then one at the end.
  (func (export "nested_edge") (param $p i32) (param $n i32) (result i32)
    (loop $l
      (i32.store8 (local.get $p) (local.get $n))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (if (i32.and (local.get $n) (i32.const 3)) (then (br $l)))
      (br_if $l (local.get $n)))
    (local.get $p))
  ;; j += i with i known only at run time (up, down, standing, huge).
  (func (export "strided") (param $j i32) (param $i i32) (param $n i32) (result i32)
    (loop $l
      (i32.store8 (local.get $j)
        (i32.add (i32.load8_u offset=7 (local.get $j)) (i32.const 1)))
      (local.set $j (i32.add (local.get $j) (local.get $i)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $j)))"#;

const PAGE: i64 = 65536;

/// (export, arguments) pairs: in bounds, running off the end mid-loop,
/// starting out of bounds, wrapping around 2³².
fn calls() -> Vec<(String, Vec<i64>)> {
    let calls: Vec<(&str, Vec<i64>)> = vec![
        ("fill", vec![0, 100]),
        ("fill", vec![PAGE - 40, 20]),
        ("fill", vec![PAGE - 4, 1]),
        ("fill", vec![PAGE, 3]),
        ("fill", vec![-8, 5]),
        ("fill", vec![-4, 1]),
        ("fill", vec![8, 0]),
        ("copy_down", vec![200, 100, 50]),
        ("copy_down", vec![30, 60, 50]),
        ("copy_down", vec![60, 20, 50]),
        ("copy_down", vec![PAGE - 2, PAGE - 100, 10]),
        ("sum", vec![800, -100]),
        ("sum", vec![PAGE - 8, -8000]),
        ("sum", vec![PAGE + 800, -101]),
        ("sum", vec![0, -1]),
        ("accumulate", vec![400, 0, 100]),
        ("accumulate", vec![8, 0, 10]),
        ("accumulate", vec![PAGE - 4, PAGE - 40, 20]),
        ("accumulate", vec![PAGE, 0, 3]),
        ("divide", vec![0, 50, 100]),
        ("divide", vec![64, 50, 20]),
        ("divide", vec![PAGE - 80, 50, 60]),
        ("scan", vec![0, 5000]),
        ("scan", vec![PAGE - 30, 100]),
        ("scan", vec![1, 3]),
        ("two_edges", vec![0, 100]),
        ("two_edges", vec![PAGE - 120, 60]),
        ("two_edges", vec![PAGE - 6, 1]),
        ("nested_edge", vec![10, 200]),
        ("nested_edge", vec![PAGE - 50, 100]),
        ("strided", vec![5, 3, 1000]),
        ("strided", vec![100, 97, 1000]),
        ("strided", vec![5000, -7, 1000]),
        ("strided", vec![60000, 0, 50]),
        ("strided", vec![PAGE - 5, 0, 5]),
        ("strided", vec![3, 0x4000_0000, 5]),
        ("strided", vec![8, -0x8000_0000, 3]),
    ];
    calls.into_iter().map(|(n, a)| (n.to_string(), a)).collect()
}

/// Each call's results (or trap message) and a hash of memory after it.
fn outcomes(engine: &Engine, module: &Module, calls: &[(String, Vec<i64>)]) -> Vec<String> {
    let mut out = Vec::new();
    for (name, args) in calls {
        let mut store = Store::new(engine, ());
        let instance = Instance::new(&mut store, module, &[]).unwrap();
        let f = instance.get_func(&store, name).unwrap();
        let ty = f.ty(&store);
        let args: Vec<Val> = args.iter().map(|&a| Val::I32(a as i32)).collect();
        let mut results = vec![Val::I32(0); ty.results().len()];
        let r = match f.call(&mut store, &args, &mut results) {
            Ok(()) => format!("{results:?}"),
            Err(e) => e.to_string(),
        };
        let mem = instance.get_memory(&store, "mem").unwrap();
        let hash = mem
            .data(&store)
            .iter()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
            });
        out.push(format!("{name}{args:?}: {r}, memory {hash:016x}"));
    }
    out
}

fn interpreted(wat: &str, calls: &[(String, Vec<i64>)]) -> Vec<String> {
    let engine = Engine::new(Config {
        default_mode: Some(RunningMode::Interp),
        ..Config::default()
    })
    .unwrap();
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    outcomes(&engine, &module, calls)
}

fn compiled(wat: &str, calls: &[(String, Vec<i64>)], bounds_checks: bool) -> Vec<String> {
    let wasm = wat::parse_str(wat).unwrap();
    let mut options = CompileOptions::new(TargetSpec::new(Some("x86_64"), None, None).unwrap());
    options.bounds_checks = Some(bounds_checks);
    let bytes = compile_artifact(&wasm, &options).unwrap();
    let engine = Engine::default();
    let module = Module::from_artifact(&engine, &bytes, Some(&wasm)).unwrap();
    outcomes(&engine, &module, calls)
}

/// Compiled code (both memory modes) against the interpreter on `calls`.
fn check(wat: &str, calls: &[(String, Vec<i64>)]) -> Vec<String> {
    let expected = interpreted(wat, calls);
    for bounds_checks in [false, true] {
        let got = compiled(wat, calls, bounds_checks);
        for (e, g) in expected.iter().zip(&got) {
            assert_eq!(e, g, "bounds checks {bounds_checks}");
        }
    }
    expected
}

#[test]
fn versioned_loops_behave_like_the_interpreter() {
    if !cfg!(target_arch = "x86_64") {
        return;
    }
    let expected = check(MODULE, &calls());
    // The calls do exercise both outcomes.
    assert!(expected.iter().any(|o| o.contains("out of bounds")));
    assert!(expected.iter().any(|o| o.contains("divide by zero")));
    assert!(expected.iter().filter(|o| !o.contains("trap")).count() > 8);
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[(self.next() % from.len() as u64) as usize]
    }
}

/// A loop over two pointers and a counter: 1 to 4 loads and stores of
/// random widths at `pointer + offset` or `pointer + counter * scale`; the
/// second pointer moves by a constant or by the parameter `$s`.
/// Returns the function and whether every pointer it accesses memory
/// through steps by a constant (what loop versioning takes today).
fn random_loop(rng: &mut Rng, name: &str) -> (String, bool) {
    const STEPS: [i32; 10] = [-16, -8, -4, -2, -1, 1, 2, 4, 8, 16];
    const OFFSETS: [u32; 7] = [0, 1, 3, 8, 100, 65530, 70000];
    const CONSTANTS: [i32; 8] = [-70000, -16, -1, 2, 5, 8, 60000, i32::MIN];
    const LOADS: [&str; 5] = [
        "i32.load8_u",
        "i32.load16_s",
        "i32.load",
        "i64.load32_u",
        "i64.load",
    ];
    let mut body = String::new();
    for _ in 0..1 + rng.next() % 4 {
        let base = rng.pick(&["$p", "$q"]);
        let address = match rng.next() % 5 {
            0 => format!("(local.get {base})"),
            1 => format!(
                "(i32.add (local.get {base}) (i32.shl (local.get $k) (i32.const {})))",
                rng.next() % 4
            ),
            2 => format!(
                "(i32.sub (local.get {base}) (i32.mul (local.get $k) (i32.const {})))",
                rng.pick(&[1, 3, 4])
            ),
            // Constants apart from the same base: one span checked for
            // all of them, some wrapping around 2³² or off either end.
            3 => format!(
                "(i32.add (local.get {base}) (i32.const {}))",
                rng.pick(&CONSTANTS)
            ),
            _ => format!(
                "(i32.add (i32.add (local.get {base}) (i32.shl (local.get $k) (i32.const 1))) (i32.const {}))",
                rng.pick(&CONSTANTS)
            ),
        };
        let offset = rng.pick(&OFFSETS);
        let load = rng.pick(&LOADS);
        let wide = load.starts_with("i64");
        if rng.next().is_multiple_of(2) {
            let v = if wide {
                format!("(i32.wrap_i64 ({load} offset={offset} {address}))")
            } else {
                format!("({load} offset={offset} {address})")
            };
            body.push_str(&format!(
                "(local.set $acc (i32.add (i32.rotl (local.get $acc) (i32.const 5)) {v}))\n"
            ));
        } else {
            let store = rng.pick(&["i32.store8", "i32.store16", "i32.store"]);
            body.push_str(&format!(
                "({store} offset={offset} {address} (local.get $acc))\n"
            ));
        }
    }
    let q_step = match rng.next() % 2 {
        0 => format!("(i32.const {})", rng.pick(&STEPS)),
        _ => "(local.get $s)".to_string(),
    };
    let constant = !q_step.contains("local") || !body.contains("$q");
    let text = format!(
        "(func (export \"{name}\") (param $p i32) (param $q i32) (param $n i32) (param $s i32) (result i32)
           (local $k i32) (local $acc i32)
           (loop $l
             {body}
             (local.set $p (i32.add (local.get $p) (i32.const {})))
             (local.set $q (i32.add (local.get $q) {}))
             (local.set $k (i32.add (local.get $k) (i32.const 1)))
             (br_if $l (i32.ne (local.get $k) (local.get $n))))
           (local.get $acc))\n",
        rng.pick(&STEPS),
        q_step,
    );
    (text, constant)
}

#[test]
fn random_loops_behave_like_the_interpreter() {
    if !cfg!(target_arch = "x86_64") {
        return;
    }
    const STARTS: [i64; 7] = [0, 16, 100, PAGE - 64, PAGE - 3, PAGE + 8, -16];
    let mut rng = Rng(0x6b69_6c6e_6c6f_6f70);
    let mut wat = String::from(
        "(module (memory (export \"mem\") 1)
           (data (i32.const 0) \"\\01\\02\\03\\04\\05\\06\\07\\08\")\n",
    );
    let mut calls = Vec::new();
    let mut constant_steps = 0;
    for f in 0..40 {
        let name = format!("f{f}");
        let (text, constant) = random_loop(&mut rng, &name);
        wat.push_str(&text);
        constant_steps += usize::from(constant);
        for _ in 0..12 {
            let args = vec![
                rng.pick(&STARTS),
                rng.pick(&STARTS),
                rng.pick(&[1, 7, 60]),
                rng.pick(&[-8, -1, 0, 3, 64]),
            ];
            calls.push((name.clone(), args));
        }
    }
    wat.push(')');
    assert_eq!(versioned_loops(&wat, false), constant_steps);
    assert!(constant_steps >= 10, "{constant_steps}");
    let expected = check(&wat, &calls);
    let traps = expected.iter().filter(|o| o.contains("trap")).count();
    assert!(
        traps > 50 && traps < expected.len() - 50,
        "{traps} of {}",
        expected.len()
    );
}

/// How many loops of `wat` get a fast copy (with guard pages, or with
/// explicit bounds checks).
fn versioned_loops(wat: &str, bounds_checks: bool) -> usize {
    let wasm = wat::parse_str(wat).unwrap();
    let mut options = CompileOptions::new(TargetSpec::new(Some("x86_64"), None, None).unwrap());
    options.bounds_checks = Some(bounds_checks);
    let ir = compile(&wasm, &options, OutputKind::LlvmIrUnopt).unwrap();
    String::from_utf8(ir.bytes)
        .unwrap()
        .matches("fast_loop:")
        .count()
}

#[test]
fn the_loops_are_versioned() {
    // With guard pages only straight-line loops whose exit test gives the
    // trip count (fill, copy_down, sum; not scan, which has an `if`, nor
    // accumulate, which stores to one address in every iteration).
    assert_eq!(versioned_loops(MODULE, false), 3);
    // With explicit checks also those that count their iterations (all
    // but the one stepping by a local) and accumulate.
    assert_eq!(versioned_loops(MODULE, true), 8);
}

#[test]
fn only_the_precise_copies_are_marked_cold() {
    for bounds_checks in [false, true] {
        let wasm = wat::parse_str(MODULE).unwrap();
        let mut options = CompileOptions::new(TargetSpec::new(Some("x86_64"), None, None).unwrap());
        options.bounds_checks = Some(bounds_checks);
        let ir = compile(&wasm, &options, OutputKind::LlvmIrUnopt).unwrap();
        let ir = String::from_utf8(ir.bytes).unwrap();
        // Every back edge of a precise copy (some loops here have two),
        // each copy with its own distinct id naming both hints.
        let loops = versioned_loops(MODULE, bounds_checks);
        let marked = ir.lines().filter(|l| l.contains("!llvm.loop !")).count();
        assert!(marked >= loops, "{bounds_checks}: {marked} back edges");
        let ids: Vec<&str> = ir
            .lines()
            .filter(|l| l.contains("= distinct !{") && l.split(" = ").nth(1).is_some())
            .filter(|l| {
                let id = l.split(" = ").next().unwrap();
                l.contains(&format!("!{{{id},"))
            })
            .collect();
        assert_eq!(ids.len(), loops, "{ids:?}");
        assert!(ir.contains("!\"llvm.loop.unroll.disable\""));
        assert!(ir.contains("!\"llvm.loop.vectorize.width\", i32 1"));
    }
}
