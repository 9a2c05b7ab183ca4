//! The `dispatch!` macro, which writes the dispatch loop's one `match`.
//!
//! ```text
//! dispatch! {
//!     match op in (fp, view, pc, code) { arms written out }
//!     shape family { Op => handler, ... }
//!     ...
//! }
//! ```
//!
//! The arms written out come first; then each list, by operand shape,
//! becomes one arm per op calling its `#[inline(always)]` handler in its
//! family file, e.g. `binary integer { I32Add => i32_add }` becomes
//! `Op::I32Add { dst, a, b } => integer::i32_add(fp, dst, a, b),`. Every op
//! thus has its own arm of the one `match`, and the loop jumps straight to
//! it through one jump table: no family sub-match on the hot paths (nested
//! matches cost the loop extra dispatch steps, up to 48% more instructions).
//!
//! Shapes (fields of the op, then the handler's arguments; `?` marks a
//! handler returning `Result<(), TrapCode>`, whose error is the trap,
//! raised with the caller's `trap!`):
//!
//! - `unary`, `unary_try?`: `{ dst, a }`; `(fp, dst, a)`;
//! - `binary`, `binary_try?`: `{ dst, a, b }`; `(fp, dst, a, b)`;
//! - `imm`: `{ dst, a, imm }`; `(fp, dst, a, imm)`;
//! - `branch`, `branch_imm`: `{ target, a, b }`, `{ target, a, imm }`; the
//!   condition `(fp, a, b)`, `(fp, a, imm)`: when true, `pc` becomes `target`;
//! - `load?`: `{ dst, addr, offset }`; `(fp, view, dst, addr, offset)`;
//! - `load_w?`: `{ dst, a, imm }`; `load_idx?`: `{ dst, a, b, shift }`;
//! - `store?`: `{ addr, value, offset }`; `store_w?`: `{ addr, value, imm }`;
//! - `load_arith?`: `{ dst, a, addr, offset }`; `load_arith_w?`:
//!   `{ dst, a, addr, imm }`.

macro_rules! dispatch {
    (match $op:ident in $cx:tt { $($arms:tt)* } $($lists:tt)*) => {
        dispatch!(@list $op $cx [$($arms)*] $($lists)*)
    };
    (@list $op:ident $cx:tt [$($acc:tt)*]) => {
        match $op { $($acc)* }
    };
    (@list $op:ident ($fp:ident, $view:ident, $pc:ident, $code:ident) [$($acc:tt)*]
        unary $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch!(@list $op ($fp, $view, $pc, $code) [$($acc)*
            $($crate::interp::code::Op::$v { dst, a } => $fam::$h($fp, dst, a),)*
        ] $($rest)*)
    };
    (@list $op:ident ($fp:ident, $view:ident, $pc:ident, $code:ident) [$($acc:tt)*]
        unary_try $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch!(@list $op ($fp, $view, $pc, $code) [$($acc)*
            $($crate::interp::code::Op::$v { dst, a } => dispatch!(@try $fam::$h($fp, dst, a)),)*
        ] $($rest)*)
    };
    (@list $op:ident ($fp:ident, $view:ident, $pc:ident, $code:ident) [$($acc:tt)*]
        binary $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch!(@list $op ($fp, $view, $pc, $code) [$($acc)*
            $($crate::interp::code::Op::$v { dst, a, b } => $fam::$h($fp, dst, a, b),)*
        ] $($rest)*)
    };
    (@list $op:ident ($fp:ident, $view:ident, $pc:ident, $code:ident) [$($acc:tt)*]
        binary_try $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch!(@list $op ($fp, $view, $pc, $code) [$($acc)*
            $($crate::interp::code::Op::$v { dst, a, b } => dispatch!(@try $fam::$h($fp, dst, a, b)),)*
        ] $($rest)*)
    };
    (@list $op:ident ($fp:ident, $view:ident, $pc:ident, $code:ident) [$($acc:tt)*]
        imm $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch!(@list $op ($fp, $view, $pc, $code) [$($acc)*
            $($crate::interp::code::Op::$v { dst, a, imm } => $fam::$h($fp, dst, a, imm),)*
        ] $($rest)*)
    };
    (@list $op:ident ($fp:ident, $view:ident, $pc:ident, $code:ident) [$($acc:tt)*]
        branch $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch!(@list $op ($fp, $view, $pc, $code) [$($acc)*
            $($crate::interp::code::Op::$v { target, a, b } => if $fam::$h($fp, a, b) { $pc = $code.add(target as usize) })*
        ] $($rest)*)
    };
    (@list $op:ident ($fp:ident, $view:ident, $pc:ident, $code:ident) [$($acc:tt)*]
        branch_imm $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch!(@list $op ($fp, $view, $pc, $code) [$($acc)*
            $($crate::interp::code::Op::$v { target, a, imm } => if $fam::$h($fp, a, imm) { $pc = $code.add(target as usize) })*
        ] $($rest)*)
    };
    (@list $op:ident ($fp:ident, $view:ident, $pc:ident, $code:ident) [$($acc:tt)*]
        load $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch!(@list $op ($fp, $view, $pc, $code) [$($acc)*
            $($crate::interp::code::Op::$v { dst, addr, offset } => dispatch!(@try $fam::$h($fp, $view, dst, addr, offset)),)*
        ] $($rest)*)
    };
    (@list $op:ident ($fp:ident, $view:ident, $pc:ident, $code:ident) [$($acc:tt)*]
        load_w $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch!(@list $op ($fp, $view, $pc, $code) [$($acc)*
            $($crate::interp::code::Op::$v { dst, a, imm } => dispatch!(@try $fam::$h($fp, $view, dst, a, imm)),)*
        ] $($rest)*)
    };
    (@list $op:ident ($fp:ident, $view:ident, $pc:ident, $code:ident) [$($acc:tt)*]
        load_idx $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch!(@list $op ($fp, $view, $pc, $code) [$($acc)*
            $($crate::interp::code::Op::$v { dst, a, b, shift } => dispatch!(@try $fam::$h($fp, $view, dst, a, b, shift)),)*
        ] $($rest)*)
    };
    (@list $op:ident ($fp:ident, $view:ident, $pc:ident, $code:ident) [$($acc:tt)*]
        store $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch!(@list $op ($fp, $view, $pc, $code) [$($acc)*
            $($crate::interp::code::Op::$v { addr, value, offset } => dispatch!(@try $fam::$h($fp, $view, addr, value, offset)),)*
        ] $($rest)*)
    };
    (@list $op:ident ($fp:ident, $view:ident, $pc:ident, $code:ident) [$($acc:tt)*]
        store_w $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch!(@list $op ($fp, $view, $pc, $code) [$($acc)*
            $($crate::interp::code::Op::$v { addr, value, imm } => dispatch!(@try $fam::$h($fp, $view, addr, value, imm)),)*
        ] $($rest)*)
    };
    (@list $op:ident ($fp:ident, $view:ident, $pc:ident, $code:ident) [$($acc:tt)*]
        load_arith $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch!(@list $op ($fp, $view, $pc, $code) [$($acc)*
            $($crate::interp::code::Op::$v { dst, a, addr, offset } => dispatch!(@try $fam::$h($fp, $view, dst, a, addr, offset)),)*
        ] $($rest)*)
    };
    (@list $op:ident ($fp:ident, $view:ident, $pc:ident, $code:ident) [$($acc:tt)*]
        load_arith_w $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch!(@list $op ($fp, $view, $pc, $code) [$($acc)*
            $($crate::interp::code::Op::$v { dst, a, addr, imm } => dispatch!(@try $fam::$h($fp, $view, dst, a, addr, imm)),)*
        ] $($rest)*)
    };
    (@try $e:expr) => {
        if let Err(c) = $e {
            trap!(c)
        }
    };
}
