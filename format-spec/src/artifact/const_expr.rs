//! Constant expressions: global initialisers, segment offsets, element
//! items and table initialisers.
//!
//! An expression is a short list of operators run on a value stack, in wasm
//! order (postfix), leaving exactly one value. The extended-constant
//! proposal's `add`, `sub` and `mul` are included.

use serde::{Deserialize, Serialize};

use super::{GlobalType, RefType, ValType};

/// One operator of a constant expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConstOp {
    /// `i32.const` (variant 0).
    I32Const(i32),
    /// `i64.const` (variant 1).
    I64Const(i64),
    /// `f32.const`, as its bit pattern (variant 2).
    F32Const(u32),
    /// `f64.const`, as its bit pattern (variant 3).
    F64Const(u64),
    /// `v128.const`, bytes in memory order (variant 4).
    V128Const([u8; 16]),
    /// `ref.null` (variant 5).
    RefNull(RefType),
    /// `ref.func` of a function index (variant 6).
    RefFunc(u32),
    /// `global.get` of a global index (variant 7).
    GlobalGet(u32),
    /// `i32.add` (variant 8).
    I32Add,
    /// `i32.sub` (variant 9).
    I32Sub,
    /// `i32.mul` (variant 10).
    I32Mul,
    /// `i64.add` (variant 11).
    I64Add,
    /// `i64.sub` (variant 12).
    I64Sub,
    /// `i64.mul` (variant 13).
    I64Mul,
}

/// A constant expression (without the final `end`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ConstExpr(pub Vec<ConstOp>);

/// What a constant expression may refer to.
pub struct ConstContext<'a> {
    /// Types of the globals `global.get` may read (a prefix of the index
    /// space: for a global's initialiser, the globals before it).
    pub globals: &'a [GlobalType],
    /// Number of functions in the index space, for `ref.func`.
    pub num_funcs: u32,
}

impl ConstExpr {
    /// A single-operator expression.
    pub fn of(op: ConstOp) -> Self {
        ConstExpr(vec![op])
    }

    /// Evaluates a well-typed expression to its value's bits (a `v128`
    /// little-endian, a reference as the embedder's pointer); `global`
    /// reads a global's bits and `func` turns a function index into a
    /// reference.
    pub fn eval(&self, global: impl Fn(u32) -> u128, func: impl Fn(u32) -> u128) -> u128 {
        let mut stack: Vec<u128> = Vec::with_capacity(2);
        for op in &self.0 {
            let v = match *op {
                ConstOp::I32Const(v) => v as u32 as u128,
                ConstOp::I64Const(v) => v as u64 as u128,
                ConstOp::F32Const(v) => v as u128,
                ConstOp::F64Const(v) => v as u128,
                ConstOp::V128Const(v) => u128::from_le_bytes(v),
                ConstOp::RefNull(_) => 0,
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

    /// Type-checks the expression and returns the type of its one result.
    /// `global.get` may only read immutable globals.
    pub fn result_type(&self, cx: &ConstContext<'_>) -> Result<ValType, String> {
        let mut stack: Vec<ValType> = Vec::new();
        for op in &self.0 {
            let pushed = match *op {
                ConstOp::I32Const(_) => ValType::I32,
                ConstOp::I64Const(_) => ValType::I64,
                ConstOp::F32Const(_) => ValType::F32,
                ConstOp::F64Const(_) => ValType::F64,
                ConstOp::V128Const(_) => ValType::V128,
                ConstOp::RefNull(r) => ValType::Ref(r),
                ConstOp::RefFunc(f) if f < cx.num_funcs => ValType::Ref(RefType::FuncRef),
                ConstOp::RefFunc(f) => return Err(format!("ref.func {f} out of range")),
                ConstOp::GlobalGet(g) => match cx.globals.get(g as usize) {
                    Some(t) if !t.mutable => t.val,
                    Some(_) => return Err(format!("global.get {g} reads a mutable global")),
                    None => return Err(format!("global.get {g} out of range")),
                },
                ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                    binary(&mut stack, ValType::I32)?
                }
                ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => {
                    binary(&mut stack, ValType::I64)?
                }
            };
            stack.push(pushed);
        }
        match stack[..] {
            [t] => Ok(t),
            _ => Err(format!(
                "constant expression leaves {} values, expected 1",
                stack.len()
            )),
        }
    }
}

fn binary(stack: &mut Vec<ValType>, ty: ValType) -> Result<ValType, String> {
    let ok = stack.len() >= 2 && stack[stack.len() - 2..].iter().all(|t| *t == ty);
    if !ok {
        return Err(format!("arithmetic needs two {ty:?} operands"));
    }
    stack.truncate(stack.len() - 2);
    Ok(ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IMM: GlobalType = GlobalType {
        val: ValType::I32,
        mutable: false,
    };
    const MUT: GlobalType = GlobalType {
        val: ValType::I64,
        mutable: true,
    };

    fn check(ops: &[ConstOp]) -> Result<ValType, String> {
        let cx = ConstContext {
            globals: &[IMM, MUT],
            num_funcs: 3,
        };
        ConstExpr(ops.to_vec()).result_type(&cx)
    }

    #[test]
    fn well_typed_expressions_have_one_result() {
        use ConstOp::*;
        assert_eq!(check(&[I32Const(4)]), Ok(ValType::I32));
        assert_eq!(
            check(&[GlobalGet(0), I32Const(16), I32Mul, I32Const(8), I32Add]),
            Ok(ValType::I32)
        );
        assert_eq!(check(&[RefFunc(2)]), Ok(ValType::Ref(RefType::FuncRef)));
        assert_eq!(
            check(&[RefNull(RefType::ExternRef)]),
            Ok(ValType::Ref(RefType::ExternRef))
        );
        assert_eq!(check(&[V128Const([1; 16])]), Ok(ValType::V128));
    }

    #[test]
    fn evaluation_wraps_and_reads_globals_and_functions() {
        use ConstOp::*;
        let e = ConstExpr(vec![
            GlobalGet(0),
            I32Const(-1),
            I32Mul,
            I32Const(8),
            I32Add,
        ]);
        assert_eq!(e.eval(|_| 3, |_| 0), 5);
        let e = ConstExpr(vec![I64Const(i64::MAX), I64Const(1), I64Add]);
        assert_eq!(e.eval(|_| 0, |_| 0), i64::MIN as u64 as u128);
        assert_eq!(
            ConstExpr::of(RefFunc(2)).eval(|_| 0, |f| 100 + f as u128),
            102
        );
        assert_eq!(
            ConstExpr::of(RefNull(RefType::FuncRef)).eval(|_| 9, |_| 9),
            0
        );
        let v = ConstExpr::of(V128Const([
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
        ]));
        assert_eq!(v.eval(|_| 0, |_| 0), 0x100f0e0d0c0b0a090807060504030201);
    }

    #[test]
    fn ill_typed_expressions_are_refused() {
        use ConstOp::*;
        assert!(check(&[]).is_err());
        assert!(check(&[I32Const(1), I32Const(2)]).is_err());
        assert!(check(&[I32Const(1), I32Add]).is_err());
        assert!(check(&[I32Const(1), I64Const(2), I64Add]).is_err());
        assert!(check(&[GlobalGet(1)]).is_err());
        assert!(check(&[GlobalGet(2)]).is_err());
        assert!(check(&[RefFunc(3)]).is_err());
    }
}
