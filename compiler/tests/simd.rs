//! SIMD (`v128`) translation: every module of the spec's `simd_*.wast`
//! scripts compiles and verifies for every target without unexpected
//! libcalls, and compiled x86_64 code agrees bit for bit with the
//! interpreter (the semantics reference) on every SIMD operator over
//! special and random inputs (any NaN where the interpreter has one, as
//! long as it is quiet, and canonical where the interpreter's is).

mod support;

use kiln_compiler::{compile, CompileError, OutputKind};
use object::{Object, ObjectSymbol};
use std::collections::BTreeSet;
use std::path::Path;

/// The spec suite's `core` folder: `$KILN_TESTSUITE/core`, or
/// `shared/testsuite/core` beside the workspace. Missing is a failure.
fn spec_core() -> std::path::PathBuf {
    let root = match std::env::var_os("KILN_TESTSUITE") {
        Some(p) => std::path::PathBuf::from(p),
        None => std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/testsuite"),
    };
    let core = root.join("core");
    assert!(
        core.is_dir(),
        "spec test suite not found at {} (set KILN_TESTSUITE)",
        core.display()
    );
    core
}

/// Symbols compiled code may import: the runtime intrinsics and the
/// libcalls the loader resolves.
fn allowed_import(name: &str) -> bool {
    kiln_format::artifact::is_allowed_import(name)
}

/// The binaries of every module a `.wast` script defines (including
/// `(module binary ..)` and `(module quote ..)` forms).
fn script_modules(path: &Path) -> Vec<(String, Vec<u8>)> {
    let text = std::fs::read_to_string(path).unwrap();
    let buf = wast::parser::ParseBuffer::new(&text).unwrap();
    let script: wast::Wast = wast::parser::parse(&buf).unwrap();
    let mut out = Vec::new();
    for d in script.directives {
        let (span, mut m) = match d {
            wast::WastDirective::Module(m) | wast::WastDirective::ModuleDefinition(m) => {
                (m.span(), m)
            }
            _ => continue,
        };
        let (line, _) = span.linecol_in(&text);
        let name = format!("{}:{}", path.display(), line + 1);
        out.push((name, m.encode().unwrap()));
    }
    out
}

fn spec_scripts() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(spec_core())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with("simd_") && n.ends_with(".wast")
        })
        .collect();
    files.sort();
    files
}

/// Undefined symbols of an ELF object.
fn imports(bytes: &[u8]) -> BTreeSet<String> {
    let file = object::File::parse(bytes).unwrap();
    file.symbols()
        .filter(|s| s.is_undefined())
        .filter_map(|s| s.name().ok().map(str::to_string))
        .filter(|n| !n.is_empty())
        .collect()
}

/// Compiles every SIMD spec module for `arch` at `opt_level` (optionally
/// with explicit bounds checks) and checks the object's imports.
fn compile_spec_modules(arch: &str, opt_level: u8, bounds_checks: bool) {
    let mut opts = support::options(arch, opt_level);
    opts.bounds_checks = Some(bounds_checks);
    let mut count = 0;
    let mut failures = Vec::new();
    for script in spec_scripts() {
        for (name, bytes) in script_modules(&script) {
            count += 1;
            match compile(&bytes, &opts, OutputKind::Object) {
                Ok(obj) => {
                    let bad: Vec<_> = imports(&obj.bytes)
                        .into_iter()
                        .filter(|s| !allowed_import(s))
                        .collect();
                    if !bad.is_empty() {
                        failures.push(format!("{name}: imports {bad:?}"));
                    }
                }
                Err(CompileError::InvalidWasm(_)) => {}
                Err(e) => failures.push(format!("{name}: {e}")),
            }
        }
    }
    assert!(count > 400, "only {count} modules found");
    assert!(
        failures.is_empty(),
        "{arch} -O{opt_level}: {}",
        failures.join("\n")
    );
}

#[test]
fn spec_simd_modules_compile_for_x86_64() {
    compile_spec_modules("x86_64", 3, false);
}

#[test]
fn spec_simd_modules_compile_for_aarch64() {
    compile_spec_modules("aarch64", 3, true);
}

#[test]
fn spec_simd_modules_compile_for_riscv64() {
    compile_spec_modules("riscv64", 3, false);
}

#[test]
fn spec_simd_modules_compile_unoptimised() {
    // `-O0` selects instructions differently (and may pick other libcalls).
    for arch in ["x86_64", "aarch64", "riscv64"] {
        compile_spec_modules(arch, 0, arch == "riscv64");
    }
}

#[test]
fn spec_simd_modules_validate_as_wasm() {
    // Guards the compile tests above against silently skipping modules.
    let mut invalid = Vec::new();
    for script in spec_scripts() {
        for (name, bytes) in script_modules(&script) {
            if let Err(e) = kiln_compiler::env::ModuleEnv::parse(&bytes) {
                invalid.push(format!("{name}: {e}"));
            }
        }
    }
    assert!(invalid.is_empty(), "{}", invalid.join("\n"));
}

#[cfg(target_arch = "x86_64")]
mod differential {
    //! Runs one module with a function per operator (inputs at bytes
    //! 0..48 of memory, a scalar at 48..56, the result at 64..80) in the
    //! interpreter and compiled, and compares the result bytes.

    use super::support::{status_in_child, Jit};
    use kiln_format::TrapCode;
    use kiln_runtime::{Engine, Instance, Module, Store};

    /// How a result is compared.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Cmp {
        /// Bit for bit.
        Exact,
        /// Float lanes of this many bits: NaN may differ (see module docs).
        Float(u32),
    }

    /// One test function: its wat body and how to compare its result.
    struct Case {
        name: String,
        body: String,
        cmp: Cmp,
    }

    fn case(name: impl Into<String>, body: impl Into<String>, cmp: Cmp) -> Case {
        Case {
            name: name.into(),
            body: body.into(),
            cmp,
        }
    }

    const A: &str = "(v128.load (i32.const 0))";
    const B: &str = "(v128.load (i32.const 16))";
    const C: &str = "(v128.load (i32.const 32))";

    fn store(v: &str) -> String {
        format!("(v128.store (i32.const 64) {v})")
    }

    /// The float lane width of a result of `op`, if its lanes are floats.
    fn float_result(op: &str) -> Cmp {
        let float_out = |p: &str| {
            op.starts_with(p)
                && !op.contains(".eq")
                && !op.contains(".ne")
                && !op.contains(".lt")
                && !op.contains(".gt")
                && !op.contains(".le")
                && !op.contains(".ge")
                && !op.contains("pmin")
                && !op.contains("pmax")
                && !op.contains(".abs")
                && !op.contains(".neg")
        };
        if float_out("f32x4.") {
            Cmp::Float(32)
        } else if float_out("f64x2.") {
            Cmp::Float(64)
        } else {
            Cmp::Exact
        }
    }

    fn cases() -> Vec<Case> {
        let mut v = Vec::new();
        let unary = [
            "v128.not",
            "i8x16.abs",
            "i8x16.neg",
            "i8x16.popcnt",
            "i16x8.abs",
            "i16x8.neg",
            "i32x4.abs",
            "i32x4.neg",
            "i64x2.abs",
            "i64x2.neg",
            "i16x8.extadd_pairwise_i8x16_s",
            "i16x8.extadd_pairwise_i8x16_u",
            "i32x4.extadd_pairwise_i16x8_s",
            "i32x4.extadd_pairwise_i16x8_u",
            "i16x8.extend_low_i8x16_s",
            "i16x8.extend_high_i8x16_s",
            "i16x8.extend_low_i8x16_u",
            "i16x8.extend_high_i8x16_u",
            "i32x4.extend_low_i16x8_s",
            "i32x4.extend_high_i16x8_s",
            "i32x4.extend_low_i16x8_u",
            "i32x4.extend_high_i16x8_u",
            "i64x2.extend_low_i32x4_s",
            "i64x2.extend_high_i32x4_s",
            "i64x2.extend_low_i32x4_u",
            "i64x2.extend_high_i32x4_u",
            "f32x4.ceil",
            "f32x4.floor",
            "f32x4.trunc",
            "f32x4.nearest",
            "f32x4.abs",
            "f32x4.neg",
            "f32x4.sqrt",
            "f64x2.ceil",
            "f64x2.floor",
            "f64x2.trunc",
            "f64x2.nearest",
            "f64x2.abs",
            "f64x2.neg",
            "f64x2.sqrt",
            "i32x4.trunc_sat_f32x4_s",
            "i32x4.trunc_sat_f32x4_u",
            "f32x4.convert_i32x4_s",
            "f32x4.convert_i32x4_u",
            "i32x4.trunc_sat_f64x2_s_zero",
            "i32x4.trunc_sat_f64x2_u_zero",
            "f64x2.convert_low_i32x4_s",
            "f64x2.convert_low_i32x4_u",
            "f32x4.demote_f64x2_zero",
            "f64x2.promote_low_f32x4",
        ];
        for op in unary {
            v.push(case(op, store(&format!("({op} {A})")), float_result(op)));
        }
        let mut binary: Vec<String> = [
            "v128.and",
            "v128.andnot",
            "v128.or",
            "v128.xor",
            "i8x16.swizzle",
            "i8x16.narrow_i16x8_s",
            "i8x16.narrow_i16x8_u",
            "i16x8.narrow_i32x4_s",
            "i16x8.narrow_i32x4_u",
            "i16x8.mul",
            "i16x8.q15mulr_sat_s",
            "i32x4.mul",
            "i32x4.dot_i16x8_s",
            "i64x2.mul",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for shape in ["i8x16", "i16x8"] {
            for op in [
                "add",
                "sub",
                "add_sat_s",
                "add_sat_u",
                "sub_sat_s",
                "sub_sat_u",
                "min_s",
                "min_u",
                "max_s",
                "max_u",
                "avgr_u",
            ] {
                binary.push(format!("{shape}.{op}"));
            }
        }
        for op in ["add", "sub", "min_s", "min_u", "max_s", "max_u"] {
            binary.push(format!("i32x4.{op}"));
        }
        binary.push("i64x2.add".into());
        binary.push("i64x2.sub".into());
        for (to, from) in [("i16x8", "i8x16"), ("i32x4", "i16x8"), ("i64x2", "i32x4")] {
            for half in ["low", "high"] {
                for sign in ["s", "u"] {
                    binary.push(format!("{to}.extmul_{half}_{from}_{sign}"));
                }
            }
        }
        for shape in ["i8x16", "i16x8", "i32x4"] {
            for op in [
                "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
            ] {
                binary.push(format!("{shape}.{op}"));
            }
        }
        for op in ["eq", "ne", "lt_s", "gt_s", "le_s", "ge_s"] {
            binary.push(format!("i64x2.{op}"));
        }
        for shape in ["f32x4", "f64x2"] {
            for op in [
                "eq", "ne", "lt", "gt", "le", "ge", "add", "sub", "mul", "div", "min", "max",
                "pmin", "pmax",
            ] {
                binary.push(format!("{shape}.{op}"));
            }
        }
        for op in &binary {
            v.push(case(
                op.as_str(),
                store(&format!("({op} {A} {B})")),
                float_result(op),
            ));
        }
        v.push(case(
            "v128.bitselect",
            store(&format!("(v128.bitselect {A} {B} {C})")),
            Cmp::Exact,
        ));
        for shape in ["i8x16", "i16x8", "i32x4", "i64x2"] {
            for op in ["shl", "shr_s", "shr_u"] {
                let op = format!("{shape}.{op}");
                let body = store(&format!("({op} {A} (i32.load (i32.const 48)))"));
                v.push(case(op, body, Cmp::Exact));
            }
        }
        let mut tests = vec!["v128.any_true".to_string()];
        for shape in ["i8x16", "i16x8", "i32x4", "i64x2"] {
            tests.push(format!("{shape}.all_true"));
            tests.push(format!("{shape}.bitmask"));
        }
        for op in tests {
            let body = format!("(i32.store (i32.const 64) ({op} {A}))");
            v.push(case(op, body, Cmp::Exact));
        }
        let scalars = [
            ("i8x16", "i32", vec![0u8, 7, 15]),
            ("i16x8", "i32", vec![0, 3, 7]),
            ("i32x4", "i32", vec![0, 3]),
            ("i64x2", "i64", vec![0, 1]),
            ("f32x4", "f32", vec![0, 2]),
            ("f64x2", "f64", vec![1]),
        ];
        for (shape, scalar, lanes) in &scalars {
            let op = format!("{shape}.splat");
            let body = store(&format!("({op} ({scalar}.load (i32.const 48)))"));
            v.push(case(op, body, Cmp::Exact));
            for lane in lanes {
                let extracts: &[&str] = if scalar == &"i32" && *shape != "i32x4" {
                    &["extract_lane_s", "extract_lane_u"]
                } else {
                    &["extract_lane"]
                };
                for ex in extracts {
                    let op = format!("{shape}.{ex} {lane}");
                    let body = format!("({scalar}.store (i32.const 64) ({op} {A}))");
                    v.push(case(op, body, Cmp::Exact));
                }
                let op = format!("{shape}.replace_lane {lane}");
                let body = store(&format!("({op} {A} ({scalar}.load (i32.const 48)))"));
                v.push(case(op, body, Cmp::Exact));
            }
        }
        for lanes in [
            "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15",
            "16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31",
            "31 0 30 1 29 2 28 3 27 4 26 5 25 6 24 7",
            "3 3 3 3 19 19 19 19 0 16 1 17 2 18 15 31",
        ] {
            let op = format!("i8x16.shuffle {lanes}");
            v.push(case(
                op.as_str(),
                store(&format!("({op} {A} {B})")),
                Cmp::Exact,
            ));
        }
        v.push(case(
            "v128.const",
            store("(v128.const i32x4 0x01020304 0x05060708 0x090a0b0c 0xfffefdfc)"),
            Cmp::Exact,
        ));
        for op in [
            "v128.load",
            "v128.load8x8_s",
            "v128.load8x8_u",
            "v128.load16x4_s",
            "v128.load16x4_u",
            "v128.load32x2_s",
            "v128.load32x2_u",
            "v128.load8_splat",
            "v128.load16_splat",
            "v128.load32_splat",
            "v128.load64_splat",
            "v128.load32_zero",
            "v128.load64_zero",
        ] {
            let body = store(&format!("({op} offset=2 (i32.const 3))"));
            v.push(case(op, body, Cmp::Exact));
        }
        for (op, lane) in [
            ("v128.load8_lane", 0),
            ("v128.load8_lane", 15),
            ("v128.load16_lane", 3),
            ("v128.load32_lane", 1),
            ("v128.load64_lane", 1),
        ] {
            let op = format!("{op} offset=1 {lane}");
            let body = store(&format!("({op} (i32.const 17) {A})"));
            v.push(case(op, body, Cmp::Exact));
        }
        for (op, lane) in [
            ("v128.store8_lane", 5),
            ("v128.store16_lane", 7),
            ("v128.store32_lane", 2),
            ("v128.store64_lane", 1),
        ] {
            let op = format!("{op} offset=3 {lane}");
            let body = format!("({op} (i32.const 66) {A})");
            v.push(case(op, body, Cmp::Exact));
        }
        v.push(case(
            "v128.store",
            format!("(v128.store offset=1 (i32.const 63) {B})"),
            Cmp::Exact,
        ));
        // Values crossing control flow, locals and `select`.
        v.push(case(
            "control",
            format!(
                "(local v128) (local.set 0 {A})
                 (i32.const 64)
                 (block (result v128)
                   (if (result v128) (i32.load (i32.const 48))
                     (then (i32x4.add (local.get 0) {B}))
                     (else (select (local.get 0) {C} (i32.load8_u (i32.const 49))))))
                 (v128.store)"
            ),
            Cmp::Exact,
        ));
        v
    }

    fn module_wat(cases: &[Case]) -> String {
        let mut wat = String::from("(module (memory (export \"mem\") 1)\n");
        for (i, c) in cases.iter().enumerate() {
            wat.push_str(&format!("(func (export \"f{i}\") {})\n", c.body));
        }
        wat.push(')');
        wat
    }

    /// A small deterministic generator (xorshift64*).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        /// True with probability `1 / n`.
        fn one_in(&mut self, n: u64) -> bool {
            self.next() < u64::MAX / n
        }

        fn pick(&mut self, pool: &[u64]) -> u64 {
            pool[(self.next() % pool.len() as u64) as usize]
        }
    }

    const P8: &[u64] = &[
        0, 1, 2, 0x0f, 0x10, 0x1f, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x40,
    ];
    const P16: &[u64] = &[
        0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0x8001, 0xffff, 0xff00,
    ];
    const P32: &[u64] = &[
        0,
        1,
        0x7f,
        0xff,
        0x7fff,
        0xffff,
        0x7fff_ffff,
        0x8000_0000,
        0xffff_ffff,
        0xffff_8000,
    ];
    const P64: &[u64] = &[
        0,
        1,
        0xffff_ffff,
        0x1_0000_0000,
        0x7fff_ffff_ffff_ffff,
        0x8000_0000_0000_0000,
        u64::MAX,
    ];
    const F32: &[u64] = &[
        0x0000_0000, // 0
        0x8000_0000, // -0
        0x3f80_0000, // 1
        0xbf80_0000, // -1
        0x3f00_0000, // 0.5
        0xbf00_0000, // -0.5
        0x3fc0_0000, // 1.5
        0x4020_0000, // 2.5
        0xc020_0000, // -2.5
        0x3eff_ffff, // 0.49999997
        0x7f80_0000, // inf
        0xff80_0000, // -inf
        0x7fc0_0000, // canonical NaN
        0xffc0_0000, // -NaN
        0x7fa0_0000, // signalling NaN
        0x7fc1_2345, // NaN with payload
        0x7f7f_ffff, // max
        0x0000_0001, // min subnormal
        0x4f00_0000, // 2^31
        0xcf00_0000, // -2^31
        0xcf00_0001, // just below -2^31
        0x4f80_0000, // 2^32
        0x4f7f_ffff, // just below 2^32
        0x4b00_0001, // 2^23 + 1
    ];
    const F64: &[u64] = &[
        0,
        0x8000_0000_0000_0000, // -0
        0x3ff0_0000_0000_0000, // 1
        0xbff8_0000_0000_0000, // -1.5
        0x4004_0000_0000_0000, // 2.5
        0xc004_0000_0000_0000, // -2.5
        0x3fdf_ffff_ffff_ffff, // 0.49999999999999994
        0x7ff0_0000_0000_0000, // inf
        0xfff0_0000_0000_0000, // -inf
        0x7ff8_0000_0000_0000, // canonical NaN
        0xfff8_0000_0000_0000, // -NaN
        0x7ff4_0000_0000_0000, // signalling NaN
        0x7ff8_0000_0001_2345, // NaN with payload
        0x41df_ffff_ffe0_0000, // 2^31 - 1
        0x41e0_0000_0000_0000, // 2^31
        0xc1e0_0000_0010_0000, // -2^31 - 0.5
        0xc1e0_0000_0020_0000, // -2^31 - 1
        0x41ef_ffff_ffff_ffff, // just below 2^32
        0x41f0_0000_0000_0000, // 2^32
        0x47ef_ffff_e000_0000, // f32::MAX
        0x47ef_ffff_f000_0000, // rounds to f32 inf
        0x0000_0000_0000_0001, // min subnormal
        0x3690_0000_0000_0000, // underflows in f32
        0x4330_0000_0000_0001, // 2^52 + 1
    ];
    const SCALARS: &[u64] = &[
        0,
        1,
        7,
        8,
        9,
        15,
        16,
        17,
        31,
        32,
        33,
        63,
        64,
        65,
        127,
        0x8000_0000,
        0xffff_ffff,
        0xffff_ffff_ffff_ffff,
        0x7fa0_0000,
        0x7ff4_0000_0000_0000,
        0x8000_0000_0000_0000,
    ];

    /// 56 input bytes for trial `t`: three vectors with lanes of one
    /// flavour (special or random), then a scalar.
    fn inputs(rng: &mut Rng, t: usize) -> [u8; 56] {
        let mut out = [0u8; 56];
        let (pool, width): (&[u64], usize) = match t % 7 {
            0 => (P8, 1),
            1 => (P16, 2),
            2 => (P32, 4),
            3 => (P64, 8),
            4 => (F32, 4),
            5 => (F64, 8),
            _ => (&[], 8),
        };
        for lane in out[..48].chunks_exact_mut(width) {
            let x = if pool.is_empty() || rng.one_in(4) {
                rng.next()
            } else {
                rng.pick(pool)
            };
            lane.copy_from_slice(&x.to_le_bytes()[..width]);
        }
        let s = if rng.one_in(3) {
            rng.next()
        } else {
            rng.pick(SCALARS)
        };
        out[48..].copy_from_slice(&s.to_le_bytes());
        out
    }

    fn is_nan(bits: u64, w: u32) -> bool {
        if w == 32 {
            f32::from_bits(bits as u32).is_nan()
        } else {
            f64::from_bits(bits).is_nan()
        }
    }

    /// Whether `bits` (a lane of `w` bits) is a canonical NaN (either sign).
    fn is_canonical(bits: u64, w: u32) -> bool {
        if w == 32 {
            bits & 0x7fff_ffff == 0x7fc0_0000
        } else {
            bits & !(1 << 63) == 0x7ff8 << 48
        }
    }

    /// Whether every NaN among the input vectors, read as lanes of either
    /// float width, is canonical (then a NaN result must be canonical).
    fn nan_inputs_canonical(input: &[u8]) -> bool {
        let f32s = input[..48].chunks_exact(4).map(|c| {
            let x = u64::from(u32::from_le_bytes(c.try_into().unwrap()));
            !is_nan(x, 32) || is_canonical(x, 32)
        });
        let f64s = input[..48].chunks_exact(8).map(|c| {
            let x = u64::from_le_bytes(c.try_into().unwrap());
            !is_nan(x, 64) || is_canonical(x, 64)
        });
        f32s.chain(f64s).all(|ok| ok)
    }

    /// Whether `jit` is an acceptable result where the reference is
    /// `interp`: NaN lanes may differ as long as the compiled one is quiet,
    /// and canonical when every NaN input was.
    fn lanes_agree(jit: &[u8], interp: &[u8], cmp: Cmp, canonical_inputs: bool) -> bool {
        let Cmp::Float(w) = cmp else {
            return jit == interp;
        };
        let bytes = w as usize / 8;
        jit.chunks_exact(bytes)
            .zip(interp.chunks_exact(bytes))
            .all(|(j, i)| {
                let mut jb = [0u8; 8];
                let mut ib = [0u8; 8];
                jb[..bytes].copy_from_slice(j);
                ib[..bytes].copy_from_slice(i);
                let (j, i) = (u64::from_le_bytes(jb), u64::from_le_bytes(ib));
                if j == i {
                    return true;
                }
                let quiet = 1u64 << (if w == 32 { 22 } else { 51 });
                is_nan(j, w)
                    && is_nan(i, w)
                    && j & quiet != 0
                    && (!canonical_inputs || is_canonical(j, w))
            })
    }

    #[test]
    fn every_simd_operator_matches_the_interpreter() {
        let cases = cases();
        let wat = module_wat(&cases);
        let bytes = wat::parse_str(&wat).unwrap();

        let engine = Engine::default();
        let module = Module::new(&engine, &bytes).unwrap();
        let mut store = Store::new(&engine, ());
        let inst = Instance::new(&mut store, &module, &[]).unwrap();
        let mem = inst.get_memory(&store, "mem").unwrap();

        let mut jit = Jit::new(&wat, false, &[]);
        let vmctx = jit.vmctx();

        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut failures = Vec::new();
        for (i, c) in cases.iter().enumerate() {
            let func = inst.get_func(&store, &format!("f{i}")).unwrap();
            // SAFETY: `jit.func(i)` is the address of compiled function `i`, a
            // wasm `[] -> []`, natively `extern "C" fn(vmctx)` (see `abi`).
            let native: extern "C" fn(*mut u8) = unsafe { std::mem::transmute(jit.func(i as u32)) };
            for t in 0..1000 {
                let input = inputs(&mut rng, t);
                mem.data_mut(&mut store)[..56].copy_from_slice(&input);
                mem.data_mut(&mut store)[56..96].fill(0);
                jit.memory[..56].copy_from_slice(&input);
                jit.memory[56..96].fill(0);
                func.call(&mut store, &[], &mut []).unwrap();
                native(vmctx);
                let want = &mem.data(&store)[64..96];
                let got = &jit.memory[64..96];
                if !lanes_agree(got, want, c.cmp, nan_inputs_canonical(&input)) {
                    failures.push(format!(
                        "{}: input {:02x?}\n  interp {:02x?}\n  jit    {:02x?}",
                        c.name,
                        input,
                        &want[..16],
                        &got[..16]
                    ));
                    break;
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} operators differ:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn simd_accesses_trap_out_of_bounds_with_explicit_checks() {
        let wat = r#"(module (memory 1)
          (func (param i32) (v128.store (i32.const 0) (v128.load (local.get 0))))
          (func (param i32) (v128.store64_lane 1 (local.get 0) (v128.const i64x2 1 2)))
          (func (param i32) (drop (v128.load32_zero offset=4 (local.get 0))))
          (func (param i32) (drop (v128.load8_lane 0 (local.get 0) (v128.const i64x2 0 0)))))"#;
        type F = extern "C" fn(*mut u8, i32);
        let oob = 100 + TrapCode::MemoryOutOfBounds.as_u32() as i32;
        for (index, last_ok) in [(0u32, 65520), (1, 65528), (2, 65528), (3, 65535)] {
            let mut jit = Jit::new(wat, true, &[]);
            // SAFETY: `jit.func(index)` is the address of a compiled wasm
            // `[i32] -> []`, natively `extern "C" fn(vmctx, i32)`.
            let f: F = unsafe { std::mem::transmute(jit.func(index)) };
            let vmctx = jit.vmctx();
            f(vmctx, last_ok);
            assert_eq!(status_in_child(|| f(vmctx, last_ok + 1)), oob, "{index}");
            assert_eq!(status_in_child(|| f(vmctx, -1)), oob, "{index}");
        }
    }
}
