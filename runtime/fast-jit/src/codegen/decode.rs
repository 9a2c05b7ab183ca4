//! Reading a validated function body's operators, the frequent ones
//! directly from the bytes: operators without immediates come from a
//! table, locals, globals, constants, branches, calls, blocks and plain
//! loads and stores are decoded here, and everything else goes to
//! wasmparser. Decoding is about a quarter of the Fast JIT's compile
//! time through wasmparser alone; this path is several times cheaper.

use crate::CompileError;
use std::sync::OnceLock;
use wasmparser::{
    BinaryReader, BlockType, FunctionBody, MemArg, MemArgTarget, Operator, OperatorsReader,
    RefType, ValType,
};

/// The operators of one function body.
pub(crate) struct Decoder<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Module offset of `bytes[0]`.
    base: usize,
    simple: &'static [Option<Operator<'static>>],
}

/// The operator of every one-byte opcode that takes no immediate.
fn simple_ops() -> &'static [Option<Operator<'static>>] {
    static TABLE: OnceLock<Vec<Option<Operator<'static>>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0..=255u8)
            .map(|b| match b {
                // Block structure is decoded by hand (it needs the frames).
                0x02..=0x05 | 0x0b => None,
                _ => {
                    static BYTES: [u8; 256] = {
                        let mut all = [0u8; 256];
                        let mut i = 0;
                        while i < 256 {
                            all[i] = i as u8;
                            i += 1;
                        }
                        all
                    };
                    let one = &BYTES[b as usize..b as usize + 1];
                    let mut reader = OperatorsReader::new(BinaryReader::new(one, 0));
                    reader.read().ok().filter(|_| reader.eof())
                }
            })
            .collect()
    })
}

/// Largest alignment (log2) of the loads and stores `0x28..=0x3e`.
const MAX_ALIGN: [u8; 23] = [
    2, 3, 2, 3, 0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 2, 3, 2, 3, 0, 1, 0, 1, 2,
];

impl<'a> Decoder<'a> {
    pub fn new(body: &FunctionBody<'a>) -> Result<Decoder<'a>, CompileError> {
        let reader = body.get_operators_reader()?;
        let base = reader.original_position() as usize;
        let start = base - body.range().start as usize;
        Ok(Decoder {
            bytes: body.as_bytes().get(start..).unwrap_or_default(),
            pos: 0,
            base,
            simple: simple_ops(),
        })
    }

    pub fn eof(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Module offset of the next operator.
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// The next operator.
    #[cfg(test)]
    pub fn read(&mut self) -> Result<Operator<'a>, CompileError> {
        match self.read_fast() {
            Some(op) => Ok(op),
            None => self.fallback(),
        }
    }

    /// The next operator if it is one decoded here (else nothing is
    /// consumed and [`Decoder::fallback`] reads it): the main loop takes
    /// the operator straight out of the `Option`, with no copy.
    #[inline(always)]
    pub fn read_fast(&mut self) -> Option<Operator<'a>> {
        let start = self.pos;
        let op = self.fast();
        if op.is_none() {
            self.pos = start;
        }
        op
    }

    /// The local the next operator sets, if it is a `local.set` or a
    /// `local.tee` (`true`).
    #[inline(always)]
    pub fn peek_local_set(&self) -> Option<(u32, bool)> {
        let tee = match self.bytes.get(self.pos) {
            Some(0x21) => false,
            Some(0x22) => true,
            _ => return None,
        };
        let mut ahead = Decoder {
            bytes: self.bytes,
            pos: self.pos + 1,
            base: self.base,
            simple: self.simple,
        };
        ahead.u32().map(|l| (l, tee))
    }

    /// The operator at `pos` through wasmparser.
    #[inline(never)]
    pub fn fallback(&mut self) -> Result<Operator<'a>, CompileError> {
        let rest = &self.bytes[self.pos.min(self.bytes.len())..];
        let mut reader = OperatorsReader::new(BinaryReader::new(rest, self.offset() as u64));
        let op = reader.read()?;
        self.pos += reader.get_binary_reader().current_position();
        Ok(op)
    }

    #[inline(always)]
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    /// An unsigned LEB128 of at most 32 bits.
    #[inline(always)]
    fn u32(&mut self) -> Option<u32> {
        let b = self.byte()?;
        if b < 0x80 {
            return Some(b as u32);
        }
        let mut value = (b & 0x7f) as u32;
        for shift in [7, 14, 21, 28] {
            let b = self.byte()?;
            value |= ((b & 0x7f) as u32) << shift;
            if b < 0x80 {
                return Some(value);
            }
        }
        None
    }

    /// A signed LEB128 of at most `bits` bits.
    #[inline(always)]
    fn signed(&mut self, bits: u32) -> Option<i64> {
        let first = *self.bytes.get(self.pos)?;
        if first < 0x80 {
            self.pos += 1;
            // Sign-extend the 7-bit value.
            return Some(((first as i64) << 57) >> 57);
        }
        let mut value = 0i64;
        let mut shift = 0;
        loop {
            let b = self.byte()?;
            value |= ((b & 0x7f) as i64) << shift;
            shift += 7;
            if b < 0x80 {
                if shift < 64 && b & 0x40 != 0 {
                    value |= -1i64 << shift;
                }
                return Some(value);
            }
            if shift >= bits.next_multiple_of(7) {
                return None;
            }
        }
    }

    fn block_type(&mut self) -> Option<BlockType> {
        let t = match self.byte()? {
            0x40 => return Some(BlockType::Empty),
            0x7f => ValType::I32,
            0x7e => ValType::I64,
            0x7d => ValType::F32,
            0x7c => ValType::F64,
            0x7b => ValType::V128,
            0x70 => ValType::Ref(RefType::FUNCREF),
            0x6f => ValType::Ref(RefType::EXTERNREF),
            _ => return None,
        };
        Some(BlockType::Type(t))
    }

    #[inline(always)]
    fn memarg(&mut self, opcode: u8) -> Option<MemArg> {
        let align = self.u32()?;
        // Flags (a memory index, an ordering) take the long way.
        if align >= 16 {
            return None;
        }
        let offset = self.u32()? as u64;
        Some(MemArg {
            align: align as u8,
            max_align: MAX_ALIGN[(opcode - 0x28) as usize],
            offset,
            target: MemArgTarget::Memory(0),
            ordering: None,
        })
    }

    /// The operator at `pos` if it is one decoded here.
    #[inline(always)]
    fn fast(&mut self) -> Option<Operator<'a>> {
        let b = self.byte()?;
        if let Some(op) = &self.simple[b as usize] {
            return Some(op.clone());
        }
        Some(match b {
            0x02 => Operator::Block {
                blockty: self.block_type()?,
            },
            0x03 => Operator::Loop {
                blockty: self.block_type()?,
            },
            0x04 => Operator::If {
                blockty: self.block_type()?,
            },
            0x05 => Operator::Else,
            0x0b => Operator::End,
            0x0c => Operator::Br {
                relative_depth: self.u32()?,
            },
            0x0d => Operator::BrIf {
                relative_depth: self.u32()?,
            },
            0x10 => Operator::Call {
                function_index: self.u32()?,
            },
            0x20 => Operator::LocalGet {
                local_index: self.u32()?,
            },
            0x21 => Operator::LocalSet {
                local_index: self.u32()?,
            },
            0x22 => Operator::LocalTee {
                local_index: self.u32()?,
            },
            0x23 => Operator::GlobalGet {
                global_index: self.u32()?,
            },
            0x24 => Operator::GlobalSet {
                global_index: self.u32()?,
            },
            0x28..=0x3e => {
                let memarg = self.memarg(b)?;
                match b {
                    0x28 => Operator::I32Load { memarg },
                    0x29 => Operator::I64Load { memarg },
                    0x2a => Operator::F32Load { memarg },
                    0x2b => Operator::F64Load { memarg },
                    0x2c => Operator::I32Load8S { memarg },
                    0x2d => Operator::I32Load8U { memarg },
                    0x2e => Operator::I32Load16S { memarg },
                    0x2f => Operator::I32Load16U { memarg },
                    0x30 => Operator::I64Load8S { memarg },
                    0x31 => Operator::I64Load8U { memarg },
                    0x32 => Operator::I64Load16S { memarg },
                    0x33 => Operator::I64Load16U { memarg },
                    0x34 => Operator::I64Load32S { memarg },
                    0x35 => Operator::I64Load32U { memarg },
                    0x36 => Operator::I32Store { memarg },
                    0x37 => Operator::I64Store { memarg },
                    0x38 => Operator::F32Store { memarg },
                    0x39 => Operator::F64Store { memarg },
                    0x3a => Operator::I32Store8 { memarg },
                    0x3b => Operator::I32Store16 { memarg },
                    0x3c => Operator::I64Store8 { memarg },
                    0x3d => Operator::I64Store16 { memarg },
                    _ => Operator::I64Store32 { memarg },
                }
            }
            0x41 => Operator::I32Const {
                value: self.signed(32)? as i32,
            },
            0x42 => Operator::I64Const {
                value: self.signed(64)?,
            },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operator of a module with all kinds of immediates, decoded
    /// here and by wasmparser: the same operators at the same offsets.
    #[test]
    fn agrees_with_wasmparser() {
        let wasm = wat::parse_str(
            r#"(module
              (memory 1) (global $g (mut i32) (i32.const 0))
              (type $t (func (param i32) (result i32)))
              (table 1 funcref)
              (func $f (type $t) (local i64 f32 f64 v128)
                (block $b (result i32)
                  (loop $l
                    (br_if $l (i32.eqz (local.get 0)))
                    (local.set 1 (i64.load32_u offset=70000 align=2 (i32.const -1)))
                    (i64.store16 offset=3 (i32.const 129) (i64.const -9223372036854775808))
                    (f64.store (i32.const 8) (f64.load align=1 (i32.const 2147483647)))
                    (if (i32.const 0) (then (br $b (i32.const 1))) (else nop))
                    (global.set $g (i32.add (global.get $g) (i32.const 300000)))
                    (drop (call_indirect (type $t) (i32.const 0) (i32.const 0)))
                    (drop (i64.const 63)) (drop (i64.const -64)) (drop (i32.const 64))
                    (br_table 0 1 (i32.const 1))
                  )
                  (drop (call $f (local.tee 0 (i32.const -2147483648))))
                  (i32.load8_s (i32.const 5))
                )
                (if (result f32) (i32.const 1) (then (f32.const 1.5)) (else (f32.const 2)))
                drop
                (block (param i32) (result i32) (i32.popcnt))
              )
            )"#,
        )
        .expect("wat");
        let env = kiln_format::module_env::ModuleEnv::read(&wasm).expect("module");
        let body = &env.bodies[0];
        let mut ours = Decoder::new(body).expect("decoder");
        let mut theirs = body.get_operators_reader().expect("reader");
        let mut count = 0;
        while !theirs.eof() {
            assert_eq!(ours.offset(), theirs.original_position() as usize);
            let expect = theirs.read().expect("wasmparser");
            let got = ours.read().expect("ours");
            assert_eq!(format!("{got:?}"), format!("{expect:?}"));
            count += 1;
        }
        assert!(ours.eof());
        assert!(count > 50, "only {count} operators");
    }
}
