//! Typed calls from the host: `func.typed::<(i32, i64), f64>(&store)?.call(...)`.

use crate::error::{Error, Result};
use crate::func::Func;
use crate::store::AsStoreMut;
use crate::types::{FuncType, ValType};
use crate::values::Val;
use std::marker::PhantomData;

/// A Rust type that maps to one wasm value type.
pub trait WasmTy: Copy {
    /// The wasm type.
    const TY: ValType;
    /// Into a value.
    fn into_val(self) -> Val;
    /// From a value of type `TY`.
    fn from_val(v: Val) -> Self;
}

macro_rules! wasm_ty {
    ($t:ty, $vt:ident, $v:ident => $from:expr, $x:ident => $into:expr) => {
        impl WasmTy for $t {
            const TY: ValType = ValType::$vt;
            fn into_val(self) -> Val {
                let $x = self;
                $into
            }
            fn from_val(v: Val) -> Self {
                match v {
                    Val::$vt($v) => $from,
                    _ => unreachable!("checked against the signature"),
                }
            }
        }
    };
}

wasm_ty!(i32, I32, v => v, x => Val::I32(x));
wasm_ty!(i64, I64, v => v, x => Val::I64(x));
wasm_ty!(f32, F32, v => f32::from_bits(v), x => Val::F32(x.to_bits()));
wasm_ty!(f64, F64, v => f64::from_bits(v), x => Val::F64(x.to_bits()));
wasm_ty!(u128, V128, v => v, x => Val::V128(x));

/// Parameter lists: `()`, a single [`WasmTy`], or tuples of them.
pub trait WasmParams {
    /// The types, in order.
    fn types() -> Vec<ValType>;
    /// The values, in order.
    fn into_vals(self) -> Vec<Val>;
}

/// Result lists: `()`, a single [`WasmTy`], or tuples of them.
pub trait WasmResults: Sized {
    /// The types, in order.
    fn types() -> Vec<ValType>;
    /// Rebuilds from values of the right types.
    fn from_vals(vals: &[Val]) -> Self;
}

impl<T: WasmTy> WasmParams for T {
    fn types() -> Vec<ValType> {
        vec![T::TY]
    }
    fn into_vals(self) -> Vec<Val> {
        vec![self.into_val()]
    }
}

impl<T: WasmTy> WasmResults for T {
    fn types() -> Vec<ValType> {
        vec![T::TY]
    }
    fn from_vals(vals: &[Val]) -> Self {
        T::from_val(vals[0])
    }
}

macro_rules! tuples {
    ($($n:ident $i:tt),*) => {
        impl<$($n: WasmTy),*> WasmParams for ($($n,)*) {
            fn types() -> Vec<ValType> {
                vec![$($n::TY),*]
            }
            #[allow(clippy::unused_unit)]
            fn into_vals(self) -> Vec<Val> {
                vec![$(self.$i.into_val()),*]
            }
        }
        impl<$($n: WasmTy),*> WasmResults for ($($n,)*) {
            fn types() -> Vec<ValType> {
                vec![$($n::TY),*]
            }
            #[allow(clippy::unused_unit, unused_variables)]
            fn from_vals(vals: &[Val]) -> Self {
                ($($n::from_val(vals[$i]),)*)
            }
        }
    };
}

tuples!();
tuples!(A 0, B 1);
tuples!(A 0, B 1, C 2);
tuples!(A 0, B 1, C 2, D 3);
tuples!(A 0, B 1, C 2, D 3, E 4);
tuples!(A 0, B 1, C 2, D 3, E 4, F 5);

/// A function whose signature was checked once against `P -> R`.
pub struct TypedFunc<P, R> {
    func: Func,
    _sig: PhantomData<fn(P) -> R>,
}

impl<P: WasmParams, R: WasmResults> TypedFunc<P, R> {
    pub(crate) fn new(func: Func, ty: &FuncType) -> Result<Self> {
        if ty.params() != P::types().as_slice() || ty.results() != R::types().as_slice() {
            return Err(Error::usage(format!(
                "function has type {ty}, not the requested one"
            )));
        }
        Ok(TypedFunc {
            func,
            _sig: PhantomData,
        })
    }

    /// Calls the function.
    pub fn call(&self, store: &mut impl AsStoreMut, params: P) -> Result<R> {
        let args = params.into_vals();
        let mut results: Vec<Val> = R::types().into_iter().map(Val::default_for).collect();
        self.func.call(store, &args, &mut results)?;
        Ok(R::from_vals(&results))
    }

    /// The untyped function.
    pub fn func(&self) -> Func {
        self.func
    }
}
