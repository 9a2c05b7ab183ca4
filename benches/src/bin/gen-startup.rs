//! Writes the start-up workload: a module of thousands of short functions,
//! each called once (about 1 MB of wasm), as real programs with large
//! libraries have: start-up (compiling or translating every function)
//! dominates its run time.
//!
//! `cargo run --release -p kiln-bench --bin gen-startup -- benches/wasm/startup.wasm`
//! The module exports `run() -> i32`, a checksum of every function's result.

use std::fmt::Write;

/// Functions in the module.
const FUNCS: u32 = 3000;
/// Statements per function body.
const STATEMENTS: u32 = 21;

/// A small deterministic generator (xorshift), so the module never changes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 16) as u32
    }
}

fn statement(out: &mut String, rng: &mut Rng) {
    let k = rng.next() % 31 + 1;
    let c = rng.next() as i32;
    let off = (rng.next() % 1024) * 4;
    let s = match rng.next() % 7 {
        0 => format!("(local.set $a (i32.add (i32.mul (local.get $a) (i32.const {c})) (local.get $b)))"),
        1 => format!("(local.set $b (i32.xor (local.get $b) (i32.shr_u (local.get $a) (i32.const {k}))))"),
        2 => format!("(i32.store offset={off} (i32.and (local.get $a) (i32.const 0xfffc)) (local.get $b))"),
        3 => format!("(local.set $b (i32.add (local.get $b) (i32.load offset={off} (i32.and (local.get $b) (i32.const 0xfffc)))))"),
        4 => "(if (i32.gt_u (local.get $a) (local.get $b)) (then (local.set $a (i32.sub (local.get $a) (local.get $b)))) (else (local.set $b (i32.sub (local.get $b) (local.get $a)))))".to_string(),
        5 => "(local.set $c (i64.add (local.get $c) (i64.extend_i32_u (local.get $a))))".to_string(),
        _ => format!("(local.set $a (i32.rotl (local.get $a) (i32.const {k})))"),
    };
    out.push_str("    ");
    out.push_str(&s);
    out.push('\n');
}

fn module() -> String {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut out = String::from("(module\n  (memory 2)\n");
    for f in 0..FUNCS {
        let _ = writeln!(
            out,
            "  (func $f{f} (param $x i32) (result i32) (local $a i32) (local $b i32) (local $c i64)"
        );
        let _ = writeln!(
            out,
            "    (local.set $a (i32.add (local.get $x) (i32.const {f})))"
        );
        let _ = writeln!(
            out,
            "    (local.set $b (i32.xor (local.get $x) (i32.const {})))",
            rng.next() as i32
        );
        for _ in 0..STATEMENTS {
            statement(&mut out, &mut rng);
        }
        out.push_str("    (i32.xor (i32.xor (local.get $a) (local.get $b)) (i32.wrap_i64 (local.get $c))))\n");
    }
    out.push_str("  (func (export \"run\") (result i32) (local $h i32)\n");
    for f in 0..FUNCS {
        let _ = writeln!(
            out,
            "    (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31)) (call $f{f} (local.get $h))))"
        );
    }
    out.push_str("    (local.get $h)))\n");
    out
}

fn main() -> Result<(), String> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: gen-startup OUT.wasm")?;
    let wasm = wat::parse_str(module()).map_err(|e| e.to_string())?;
    std::fs::write(&path, &wasm).map_err(|e| format!("{path}: {e}"))?;
    eprintln!(
        "gen-startup: {path}: {} bytes, {FUNCS} functions",
        wasm.len()
    );
    Ok(())
}
