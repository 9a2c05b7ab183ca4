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
