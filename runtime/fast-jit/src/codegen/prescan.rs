//! A quick pass before code generation: how often each local is used
//! (weighted by loop nesting), whether the function touches linear
//! memory, and which loops hold other loops (for tier-up), to choose the locals kept in registers and whether to keep the
//! memory base in one.
//!
//! It reads the validated operator bytes directly, skipping immediates by
//! their encoding, which costs a fraction of decoding every operator; a
//! byte it does not expect sends it to the same scan through wasmparser.

use crate::CompileError;
use wasmparser::{FunctionBody, Operator};

pub(crate) struct Scan {
    pub weights: Vec<u32>,
    pub uses_memory: bool,
    /// By loop ordinal: whether the loop has another loop inside.
    pub has_inner_loop: Vec<bool>,
}

/// Scans `body`; `weights` is a buffer to reuse.
pub(crate) fn scan(
    body: &FunctionBody<'_>,
    num_locals: usize,
    mut weights: Vec<u32>,
) -> Result<Scan, CompileError> {
    let bytes = operator_bytes(body)?;
    weights.clear();
    weights.resize(num_locals, 0);
    let mut s = Scan {
        weights,
        uses_memory: false,
        has_inner_loop: Vec::new(),
    };
    if raw_scan(bytes, &mut s).is_none() {
        s.weights.iter_mut().for_each(|w| *w = 0);
        s.uses_memory = false;
        s.has_inner_loop.clear();
        operator_scan(body, &mut s)?;
    }
    Ok(s)
}

/// The bytes of the body's operators (after the locals).
fn operator_bytes<'a>(body: &FunctionBody<'a>) -> Result<&'a [u8], CompileError> {
    let start = body.get_operators_reader()?.original_position() - body.range().start;
    Ok(body.as_bytes().get(start as usize..).unwrap_or_default())
}

/// Loop nesting and the weight of a use at the current depth.
#[derive(Default)]
struct Nesting {
    blocks: Vec<bool>,
    weight: u32,
    /// Ordinals of the open loops.
    loops: Vec<u32>,
}

impl Nesting {
    fn new() -> Nesting {
        Nesting {
            weight: 1,
            ..Nesting::default()
        }
    }

    fn open(&mut self, is_loop: bool, has_inner_loop: &mut Vec<bool>) {
        self.blocks.push(is_loop);
        if is_loop {
            self.weight = self.weight.saturating_mul(8).min(1 << 12);
            if let Some(&outer) = self.loops.last() {
                has_inner_loop[outer as usize] = true;
            }
            self.loops.push(has_inner_loop.len() as u32);
            has_inner_loop.push(false);
        }
    }

    fn close(&mut self) {
        if self.blocks.pop() == Some(true) {
            self.weight = (self.weight / 8).max(1);
            self.loops.pop();
        }
    }
}

fn add(s: &mut Scan, local: u32, weight: u32) {
    if let Some(w) = s.weights.get_mut(local as usize) {
        *w = w.saturating_add(weight);
    }
}

/// Reads an unsigned LEB128 (up to 64 bits).
#[inline(always)]
fn leb(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let first = *bytes.get(*at)?;
    if first < 0x80 {
        *at += 1;
        return Some(first as u64);
    }
    leb_long(bytes, at)
}

/// Skips a LEB128 whose value is not needed.
#[inline(always)]
fn skip(bytes: &[u8], at: &mut usize) -> Option<()> {
    while *bytes.get(*at)? >= 0x80 {
        *at += 1;
    }
    *at += 1;
    Some(())
}

/// [`leb`] of more than one byte.
fn leb_long(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    let mut shift = 0;
    loop {
        let b = *bytes.get(*at)?;
        *at += 1;
        if shift < 64 {
            value |= ((b & 0x7f) as u64) << shift;
        }
        if b & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
        if shift > 70 {
            return None;
        }
    }
}

/// Skips a memory argument (align with an optional memory index, offset).
#[inline(always)]
fn memarg(bytes: &[u8], at: &mut usize) -> Option<()> {
    let align = leb(bytes, at)?;
    if align & 0x40 != 0 {
        skip(bytes, at)?;
    }
    skip(bytes, at)
}

/// The scan over raw bytes; `None` for anything unexpected.
fn raw_scan(bytes: &[u8], s: &mut Scan) -> Option<()> {
    let mut n = Nesting::new();
    let mut at = 0;
    while at < bytes.len() {
        let op = bytes[at];
        at += 1;
        match op {
            0x00 | 0x01 | 0x05 | 0x0f | 0x1a | 0x1b | 0xd1 => {}
            0x0b => n.close(),
            0x02 | 0x04 => {
                skip(bytes, &mut at)?;
                n.open(false, &mut s.has_inner_loop);
            }
            0x03 => {
                skip(bytes, &mut at)?;
                n.open(true, &mut s.has_inner_loop);
            }
            0x0c | 0x0d | 0x10 | 0x23 | 0x24 | 0x25 | 0x26 | 0xd2 | 0x41 | 0x42 => {
                skip(bytes, &mut at)?;
            }
            0x0e => {
                let count = leb(bytes, &mut at)?;
                for _ in 0..=count {
                    leb(bytes, &mut at)?;
                }
            }
            0x11 => {
                leb(bytes, &mut at)?;
                leb(bytes, &mut at)?;
            }
            0x1c => {
                let count = leb(bytes, &mut at)?;
                for _ in 0..count {
                    // Only single-byte value types in WebAssembly 2.0.
                    at += 1;
                }
            }
            0x20..=0x22 => {
                let local = leb(bytes, &mut at)?;
                add(s, local as u32, n.weight);
            }
            0x28..=0x3e => {
                memarg(bytes, &mut at)?;
                s.uses_memory = true;
            }
            0x3f | 0x40 => at += 1,
            0x43 => at += 4,
            0x44 => at += 8,
            0x45..=0xc4 => {}
            0xd0 => at += 1,
            0xfc => match leb(bytes, &mut at)? {
                0..=7 => {}
                9 | 11 | 13 | 15..=17 => {
                    leb(bytes, &mut at)?;
                }
                8 | 10 | 12 | 14 => {
                    leb(bytes, &mut at)?;
                    leb(bytes, &mut at)?;
                }
                _ => return None,
            },
            0xfd => match leb(bytes, &mut at)? {
                0..=11 | 92 | 93 => {
                    memarg(bytes, &mut at)?;
                    s.uses_memory = true;
                }
                12 | 13 => at += 16,
                21..=34 => at += 1,
                84..=91 => {
                    memarg(bytes, &mut at)?;
                    at += 1;
                    s.uses_memory = true;
                }
                14..=20 | 35..=83 | 94..=255 => {}
                _ => return None,
            },
            _ => return None,
        }
    }
    Some(())
}

/// The same scan through wasmparser's decoder.
fn operator_scan(body: &FunctionBody<'_>, s: &mut Scan) -> Result<(), CompileError> {
    let mut n = Nesting::new();
    let mut reader = body.get_operators_reader()?;
    while !reader.eof() {
        match reader.read()? {
            Operator::Block { .. } | Operator::If { .. } => n.open(false, &mut s.has_inner_loop),
            Operator::Loop { .. } => n.open(true, &mut s.has_inner_loop),
            Operator::End => n.close(),
            Operator::LocalGet { local_index }
            | Operator::LocalSet { local_index }
            | Operator::LocalTee { local_index } => add(s, local_index, n.weight),
            op => {
                if !s.uses_memory && super::memory::touches_memory(&op) {
                    s.uses_memory = true;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both scans agree on every function of a module using every kind of
    /// immediate.
    #[test]
    fn raw_and_decoded_scans_agree() {
        let wasm = wat::parse_str(
            r#"(module
              (memory 1) (table 2 funcref) (global $g (mut i32) (i32.const 0))
              (type $t (func (param i32) (result i32)))
              (func $f (param i32 i64 f32) (result i32) (local v128 f64)
                (block $b (loop $l
                  (br_if $l (i32.eqz (local.get 0)))
                  (br_table $b $l $b (local.get 0))))
                (drop (i64.load offset=70000 (local.get 0)))
                (i32.store8 (i32.const 1) (i32.const 2))
                (local.set 3 (v128.load32_lane 2 (local.get 0) (local.get 3)))
                (local.set 3 (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (local.get 3) (v128.const i64x2 -1 7)))
                (drop (i8x16.extract_lane_u 3 (local.get 3)))
                (local.set 4 (f64.const 1.5))
                (drop (f32.add (local.get 2) (f32.const 2.5)))
                (drop (select (result i64) (local.get 1) (i64.const -300000) (local.get 0)))
                (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))
                (table.set (i32.const 0) (ref.func $f))
                (drop (ref.is_null (ref.null func)))
                (global.set $g (i32.trunc_sat_f32_s (local.get 2)))
                (loop (loop (local.set 0 (local.tee 0 (memory.size)))))
                (call_indirect (type $t) (local.get 0) (i32.const 1)))
              (elem declare func $f))"#,
        )
        .unwrap();
        let env = kiln_format::module_env::ModuleEnv::parse(&wasm).unwrap();
        let body = &env.bodies[0];
        let mut raw = Scan {
            weights: vec![0; 5],
            uses_memory: false,
            has_inner_loop: Vec::new(),
        };
        let bytes = operator_bytes(body).unwrap();
        assert!(raw_scan(bytes, &mut raw).is_some());
        let mut decoded = Scan {
            weights: vec![0; 5],
            uses_memory: false,
            has_inner_loop: Vec::new(),
        };
        operator_scan(body, &mut decoded).unwrap();
        assert_eq!(raw.weights, decoded.weights);
        // Loops 0 ($l) and 2 are innermost; loop 1 holds loop 2.
        assert_eq!(raw.has_inner_loop, [false, true, false]);
        assert_eq!(decoded.has_inner_loop, raw.has_inner_loop);
        assert!(raw.uses_memory && decoded.uses_memory);
        // Uses inside the double loop weigh 64 each.
        assert!(raw.weights[0] > 128, "{:?}", raw.weights);
    }
}
