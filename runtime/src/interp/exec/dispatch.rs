//! The `dispatch!` macro, which writes one handler function per op and the
//! table that maps each op code to its handler.
//!
//! ```text
//! dispatch! {
//!     handlers (pc, fp, view, st) { Op { fields } => body, ... }
//!     shape family { Op => handler, ... }
//!     ...
//! }
//! ```
//!
//! Each op gets its own handler (named after the op): it decodes its op at
//! `pc`, steps `pc` past it, runs its body and then jumps straight to the
//! handler of the op at the new `pc` (a tail call through [`TABLE`], so
//! every op ends in its own indirect jump, and the running function's state
//! stays in the handlers' argument registers: `pc`, the frame `fp` and
//! the memory `view`; everything else is in the [`State`] `st`). Builds with debug assertions do not rely on tail calls
//! being eliminated: a handler there saves the registers in `st` and
//! returns to the loop in `execute`.
//!
//! The arms written out come first; then each list, by operand shape,
//! becomes one handler per op calling its `#[inline(always)]` handler in its
//! family file, e.g. `binary integer { I32Add => i32_add }` becomes
//! `I32Add { dst, a, b } => integer::i32_add(fp, dst, a, b),`. Bodies may
//! assign `pc`, `fp` and `view`, and use `trap!(code)`,
//! `tri!(result)`, `arg!()` (the `Arg` word after the op), `br_if!(target,
//! cond)`, `resume!(frame)`, `enter!(callee, base)` and `slow!(name)` (goes
//! on in `name`, a function of a `slow` list, with the op just run again).
//!
//! Shapes (fields of the op, then the handler's arguments; `?` marks a
//! handler returning `Result<(), TrapCode>`, whose error is the trap):
//!
//! - `unary`, `unary_try?`: `{ dst, a }`; `(fp, dst, a)`;
//! - `binary`, `binary_try?`: `{ dst, a, b }`; `(fp, dst, a, b)`;
//! - `imm`: `{ dst, a, imm }`; `(fp, dst, a, imm)`;
//! - `shifted`: `{ dst, a, b, imm }`; `(fp, dst, a, b, imm)`;
//! - `chain`: `{ dst, a, b, c }`; `(fp, dst, a, b, c)`;
//! - `branch`, `branch_imm`: `{ target, a, b }`, `{ target, a, imm }`; the
//!   condition `(fp, a, b)`, `(fp, a, imm)`: when true, `pc` jumps by `target`;
//! - `add_branch(adder)`, `add_branch_imm`: `{ target, x, a, b, add }`,
//!   `{ target, a, add, imm }`; slot `x` (`a`) first gets `add` added in
//!   place (`adder(fp, x, add)`, `add_in_place(fp, a, add)`), then as
//!   `branch`, `branch_imm`;
//! - `add_branch64`: `{ target, x, y, a, b }`; slot `y` is added to slot
//!   `x` (`add64_in_place(fp, x, y)`), then as `branch`;
//! - `sum_branch`: `{ target, x, y, b }`; the condition `(fp, x, y, b)`
//!   on the `f64` sum of slots `x` and `y` and slot `b`;
//! - `load?`: `{ dst, addr, offset }`; `(fp, view, dst, addr, offset)`;
//! - `load_w?`: `{ dst, a, imm }`; `load_idx?`: `{ dst, a, b, scale }`;
//! - `store?`: `{ addr, value, offset }`; `store_w?`: `{ addr, value, imm }`;
//! - `load_arith?`: `{ dst, a, addr, offset }`; `load_arith_w?`:
//!   `{ dst, a, addr, imm }`; `arith_store?`: `{ dst, a, b, addr, offset }`.

macro_rules! dispatch {
    (handlers $cx:tt { $($arms:tt)* } $($lists:tt)*) => {
        dispatch! { @list $cx [$($arms)*] $($lists)* }
    };
    // Out-of-line general paths of ops whose handler does the common case
    // itself: `name: Op { fields } => body` is a function like a handler,
    // entered with `pc` at the op, that the handler tail-calls for the rest
    // (so that its common case saves no registers for calls it never makes).
    (slow ($pc:ident, $fp:ident, $view:ident, $st:ident) {
        $($name:ident: $v:ident { $($f:tt)* } => $body:expr,)*
    }) => {
        $(
            dispatch! { @handler [cold, inline(never)] pub(super) $name ($pc, $fp, $view, $st)
                $v { $($f)* } => $body }
        )*
    };
    // One handler (or slow path) `$name` of op `$v`: `TABLE` sends only
    // this op to a handler, and a handler sends `pc` at its own op to its
    // slow path.
    (@handler [$($attr:meta),*] $vis:vis $name:ident ($pc:ident, $fp:ident, $view:ident, $st:ident)
        $v:ident { $($f:tt)* } => $body:expr) => {
        $(#[$attr])*
        #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments, unreachable_code)]
        $vis unsafe fn $name(
            mut $pc: *const Op,
            mut $fp: *mut u64,
            base: *mut u8,
            len: usize,
            $st: &mut State<'_, '_>,
        ) -> Done {
            let mut $view = View { base, len };
            dispatch!(@helpers ($pc, $fp, $view, $st));
            // SAFETY: `pc` points at an `Op::$v` (see the arm's comment);
            // for the rest, see `execute`.
            unsafe {
                let Op::$v { $($f)* } = *$pc else {
                    std::hint::unreachable_unchecked()
                };
                $pc = $pc.add(1);
                $body;
                next!()
            }
        }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident)
        [$($v:ident { $($f:tt)* } => $body:expr,)*]) => {
        $(
            dispatch! { @handler [] $v ($pc, $fp, $view, $st) $v { $($f)* } => $body }
        )*

        /// The handler of each op code (`Arg` words are never executed).
        const fn handler_of(c: OpCode) -> Handler {
            match c {
                $(OpCode::$v => $v,)*
                OpCode::Arg => arg_word,
            }
        }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        unary $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { dst, a } => $fam::$h($fp, dst, a),)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        unary_try $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { dst, a } => dispatch!(@try $fam::$h($fp, dst, a)),)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        binary $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { dst, a, b } => $fam::$h($fp, dst, a, b),)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        binary_try $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { dst, a, b } => dispatch!(@try $fam::$h($fp, dst, a, b)),)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        imm $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { dst, a, imm } => $fam::$h($fp, dst, a, imm),)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        shifted $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { dst, a, b, imm } => $fam::$h($fp, dst, a, b, imm),)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        chain $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { dst, a, b, c } => $fam::$h($fp, dst, a, b, c),)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        branch $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { target, a, b } => br_if!(target, $fam::$h($fp, a, b)),)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        add_branch $fam:ident($add:ident) { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { target, x, a, b, add } => {
                $fam::$add($fp, x.into(), add.into());
                br_if!(target, $fam::$h($fp, a.into(), b.into()))
            },)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        add_branch64 $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { target, x, y, a, b } => {
                $fam::add64_in_place($fp, x.into(), y.into());
                br_if!(target, $fam::$h($fp, a.into(), b.into()))
            },)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        sum_branch $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { target, x, y, b } => {
                br_if!(target, $fam::$h($fp, x.into(), y.into(), b.into()))
            },)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        add_branch_imm $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { target, a, add, imm } => {
                $fam::add_in_place($fp, a.into(), add.into());
                br_if!(target, $fam::$h($fp, a.into(), imm))
            },)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        branch_imm $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { target, a, imm } => br_if!(target, $fam::$h($fp, a, imm)),)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        load $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { dst, addr, offset } => dispatch!(@try $fam::$h($fp, $view, dst, addr, offset)),)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        load_w $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { dst, a, imm } => dispatch!(@try $fam::$h($fp, $view, dst, a, imm)),)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        load_idx $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { dst, a, b, scale } => dispatch!(@try $fam::$h($fp, $view, dst, a, b, scale)),)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        store $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { addr, value, offset } => dispatch!(@try $fam::$h($fp, $view, addr, value, offset)),)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        store_w $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { addr, value, imm } => dispatch!(@try $fam::$h($fp, $view, addr, value, imm)),)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        load_arith $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { dst, a, addr, offset } => dispatch!(@try $fam::$h($fp, $view, dst, a, addr, offset)),)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        arith_store $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { dst, a, b, addr, offset } => dispatch!(@try $fam::$h($fp, $view, dst, a, b, addr, offset)),)*
        ] $($rest)* }
    };
    (@list ($pc:ident, $fp:ident, $view:ident, $st:ident) [$($acc:tt)*]
        load_arith_w $fam:ident { $($v:ident => $h:ident),* $(,)? } $($rest:tt)*) => {
        dispatch! { @list ($pc, $fp, $view, $st) [$($acc)*
            $($v { dst, a, addr, imm } => dispatch!(@try $fam::$h($fp, $view, dst, a, addr, imm)),)*
        ] $($rest)* }
    };
    (@try $e:expr) => {
        if let Err(c) = $e {
            trap!(c)
        }
    };
    (@helpers ($pc:ident, $fp:ident, $view:ident, $st:ident)) => {
        // Returns trap `$t` with the frames of this activation added.
        #[allow(unused_macros)]
        macro_rules! trap {
            ($t:expr) => {
                return trap_at($st, $pc, $t)
            };
        }
        #[allow(unused_macros)]
        macro_rules! tri {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(c) => trap!(c),
                }
            };
        }
        // Goes on at the op a `br_table` picked, given with its op code.
        #[allow(unused_macros)]
        macro_rules! switch {
            ($to:expr) => {{
                let (to, code) = $to;
                $pc = to;
                next!(code)
            }};
        }
        #[allow(unused_macros)]
        macro_rules! br_if {
            ($target:expr, $cond:expr) => {
                // A real branch, not a select: with a select, the next
                // op's address would wait for the condition's operands.
                if $cond {
                    $pc = jump($pc, $target);
                } else {
                    std::hint::cold_path();
                }
            };
        }
        #[allow(unused_macros)]
        macro_rules! arg {
            () => {{
                let Op::Arg { a, b, c } = *$pc else {
                    // The translator puts an `Arg` word after every op
                    // whose handler reads one (used in the handlers'
                    // `unsafe` bodies).
                    std::hint::unreachable_unchecked()
                };
                $pc = $pc.add(1);
                (a, b, c)
            }};
        }
        // Hands the op just decoded to its out-of-line general path.
        #[allow(unused_macros)]
        macro_rules! slow {
            ($name:ident) => {
                return $name($pc.sub(1), $fp, $view.base, $view.len, $st)
            };
        }
        // Takes `f` as the running function's state.
        #[allow(unused_macros)]
        macro_rules! resume {
            ($f:expr) => {{
                let f: Frame = $f;
                ($pc, $fp) = (f.pc, f.fp);
                ($st.code, $st.consts) = (f.code, f.consts);
                if f.inst != $st.inst {
                    $st.inst = f.inst;
                    $st.mem = memory_of(f.inst);
                }
                $view = view_of($st.mem);
            }};
        }
        #[allow(unused_macros)]
        macro_rules! enter {
            ($callee:expr, $base:expr) => {{
                let caller = $st.caller($pc, $fp);
                let callee = $callee;
                match calls::enter($st.env, &mut $st.frames, $st.stack_end, caller, callee, $base) {
                    Ok(Some(f)) => resume!(f),
                    Ok(None) => $view = view_of($st.mem),
                    Err(t) => trap!(t),
                }
            }};
        }
        // Goes on with the op at `pc`: a tail call of its handler, or
        // (with debug assertions) back to the loop in `execute`;
        // `next!(code)`: the op at `pc` is known to have op code `code`.
        #[allow(unused_macros)]
        macro_rules! next {
            () => {
                next!((*$pc).code())
            };
            ($code:expr) => {{
                #[cfg(feature = "interp-stats")]
                {
                    $st.count($code);
                }
                #[cfg(not(debug_assertions))]
                {
                    let h = TABLE[$code as usize];
                    return h($pc, $fp, $view.base, $view.len, $st);
                }
                #[cfg(debug_assertions)]
                {
                    $st.regs = state::Regs {
                        pc: $pc,
                        fp: $fp,
                        view: $view,
                    };
                    return Done(());
                }
            }};
        }
    };
}
