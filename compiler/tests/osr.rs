//! On-stack-replacement entries (`CompileOptions::osr_entries`,
//! format-spec `osr`): `kiln_osr_<F>_<L>` continues function `F` from its
//! loop `L` with the locals it is given and returns `F`'s results.

use kiln_compiler::{compile_artifact, CompileOptions, TargetSpec};
use kiln_format::artifact::KilnSymbol;
use kiln_format::osr::OsrLocals;
use kiln_format::vmoffsets::{VMCounts, VMOffsets};
use kiln_loader::{load, LoadOptions};

/// Function 1 (defined 0) sums `i` from its locals' `i` up to `n` into
/// `acc`; its second loop (ordinal 1) is nested in a block that holds a
/// value, so it cannot have an entry; ordinal 2 doubles `acc` `n` times.
const WAT: &str = r#"(module
  (import "env" "f" (func $f))
  (func (export "sum") (param $n i32) (result i64)
    (local $i i32) (local $v v128) (local $acc i64)
    (loop $l
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (drop (i32.add (i32.const 1)
      (block (result i32) (i32.const 7) (loop $m (br_if $m (i32.const 0))))))
    (if (i32.eqz (local.get $n)) (then (return (local.get $acc))))
    (block $out
      (loop $d
        (br_if $out (i32.eqz (local.get $n)))
        (local.set $acc (i64.shl (local.get $acc) (i64.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $d)))
    (i64.add (local.get $acc) (i64.extend_i32_u (i32x4.extract_lane 2 (local.get $v))))))"#;

fn options(osr: Vec<(u32, u32)>) -> CompileOptions {
    let mut o = CompileOptions::new(TargetSpec::host().unwrap());
    o.only_defined = Some(Vec::new());
    o.direct_calls = false;
    o.osr_entries = osr;
    o
}

fn resolver(_: &str) -> Option<usize> {
    Some(0x1000)
}

/// The locals buffer of `sum`: n, i, v (lane 2 = `lane`), acc.
fn locals(n: i32, i: i32, lane: u32, acc: i64) -> Vec<u128> {
    let mut layout = OsrLocals::default();
    let offsets = [
        layout.place(false),
        layout.place(false),
        layout.place(true),
        layout.place(false),
    ];
    let mut buf = vec![0u128; layout.size() as usize / 16];
    // SAFETY: every offset plus its value's width is inside the buffer
    // (the layout's size), and u128 elements make it 16-aligned.
    unsafe {
        let base = buf.as_mut_ptr() as *mut u8;
        base.add(offsets[0] as usize).cast::<i32>().write(n);
        base.add(offsets[1] as usize).cast::<i32>().write(i);
        base.add(offsets[2] as usize + 8).cast::<u32>().write(lane);
        base.add(offsets[3] as usize).cast::<i64>().write(acc);
    }
    buf
}

#[test]
fn an_osr_entry_continues_the_loop_with_the_given_locals() {
    let wasm = wat::parse_str(WAT).unwrap();
    let bytes = compile_artifact(&wasm, &options(vec![(0, 0), (0, 2)])).unwrap();
    let mut opts = LoadOptions::new(&resolver);
    opts.wasm = Some(&wasm);
    opts.partial = true;
    let loaded = load(&bytes, &opts).unwrap();
    assert_eq!(loaded.func(1), None, "only the entries were asked for");
    assert_eq!(loaded.osr_entry(1, 1), None);
    let offsets = VMOffsets::new(
        8,
        VMCounts {
            num_types: 2,
            num_funcs: 2,
            ..VMCounts::default()
        },
    );
    // A context whose stack limit (0) never trips; the code reads nothing else.
    let mut vmctx = vec![0u64; offsets.size() as usize / 8 + 1];
    type Entry = unsafe extern "C" fn(*mut u64, *const u128) -> i64;
    let mut run = |lp: u32, buf: Vec<u128>| {
        let addr = loaded.osr_entry(1, lp).expect("entry present");
        // SAFETY: the symbol is `kiln_osr_1_<lp>`, whose native type for a
        // `[i32] -> [i64]` function is `i64 (ptr vmctx, ptr locals)`; the
        // context is large enough for every field the code reads, and the
        // artifact stays loaded for the call.
        unsafe {
            let f: Entry = std::mem::transmute(addr);
            f(vmctx.as_mut_ptr(), buf.as_ptr())
        }
    };
    // Loop 0 from i = 5, n = 10, acc = 100: 100 + 5 + .. + 9, then doubled
    // 10 times, plus lane 2 of v.
    assert_eq!(run(0, locals(10, 5, 3, 100)), (135 << 10) + 3);
    // Loop 2 from n = 3, acc = 7: doubled three times.
    assert_eq!(run(2, locals(3, 0, 0, 7)), 56);
}

#[test]
fn loops_without_an_entry_are_refused() {
    let wasm = wat::parse_str(WAT).unwrap();
    for (lp, why) in [(1, "operand stack is not empty"), (3, "has no loop 3")] {
        let err = compile_artifact(&wasm, &options(vec![(0, lp)])).unwrap_err();
        assert!(err.to_string().contains(why), "{err}");
    }
    let mut whole = options(vec![(0, 0)]);
    whole.only_defined = None;
    let err = compile_artifact(&wasm, &whole).unwrap_err();
    assert!(err.to_string().contains("partial artifacts"), "{err}");
    let sym = KilnSymbol::Osr {
        func: 1,
        loop_index: 0,
    };
    assert_eq!(sym.to_string(), "kiln_osr_1_0");
}
