//! Constant expressions (global initialisers, segment offsets, element items).

/// One instruction of a constant expression.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ConstOp {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    V128(u128),
    RefNull,
    RefFunc(u32),
    GlobalGet(u32),
    I32Add,
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
}

/// A validated constant expression.
#[derive(Clone, Debug)]
pub(crate) struct ConstExpr {
    pub ops: Vec<ConstOp>,
}

impl ConstExpr {
    /// A constant expression that is just `ref.func index`.
    pub fn ref_func(index: u32) -> ConstExpr {
        ConstExpr {
            ops: vec![ConstOp::RefFunc(index)],
        }
    }

    /// Evaluates to raw value bits; `global` reads a global's bits and
    /// `func` turns a function index into a reference.
    pub fn eval(&self, global: impl Fn(u32) -> u128, func: impl Fn(u32) -> u128) -> u128 {
        let mut stack: Vec<u128> = Vec::with_capacity(2);
        for op in &self.ops {
            let v = match *op {
                ConstOp::I32(v) => v as u32 as u128,
                ConstOp::I64(v) => v as u64 as u128,
                ConstOp::F32(v) => v as u128,
                ConstOp::F64(v) => v as u128,
                ConstOp::V128(v) => v,
                ConstOp::RefNull => 0,
                ConstOp::RefFunc(i) => func(i),
                ConstOp::GlobalGet(i) => global(i),
                bin => {
                    let b = stack.pop().unwrap_or(0);
                    let a = stack.pop().unwrap_or(0);
                    let (a32, b32, a64, b64) = (a as u32, b as u32, a as u64, b as u64);
                    match bin {
                        ConstOp::I32Add => a32.wrapping_add(b32) as u128,
                        ConstOp::I32Sub => a32.wrapping_sub(b32) as u128,
                        ConstOp::I32Mul => a32.wrapping_mul(b32) as u128,
                        ConstOp::I64Add => a64.wrapping_add(b64) as u128,
                        ConstOp::I64Sub => a64.wrapping_sub(b64) as u128,
                        _ => a64.wrapping_mul(b64) as u128,
                    }
                }
            };
            stack.push(v);
        }
        stack.pop().unwrap_or(0)
    }
}
