//! `define_ops!`, which writes the interpreter's [`Op`](super::code::Op)
//! enum, its [`OpCode`](super::code::OpCode) tags and their accessors from
//! one list (in `code.rs`): ops with a result slot, branches, the rest.

macro_rules! define_ops {
    (
        with_dst { $( $(#[$dm:meta])* $dname:ident { $($dfield:ident : $dty:ty),* } ),* $(,)? }
        branches { $( $(#[$bm:meta])* $bname:ident { $($bfield:ident : $bty:ty),* } ),* $(,)? }
        others { $( $(#[$om:meta])* $oname:ident { $($ofield:ident : $oty:ty),* } ),* $(,)? }
    ) => {
        /// One interpreter instruction. Its layout is fixed (`repr(u16)`):
        /// the tag, an [`OpCode`], is the first two bytes, which the
        /// executor reads to find the op's handler; small fields come first
        /// in a variant so that every op fits in 16 bytes.
        #[derive(Clone, Copy, Debug)]
        #[repr(u16)]
        pub enum Op {
            $( $(#[$dm])* $dname { $($dfield: $dty,)* dst: Slot }, )*
            $( $(#[$bm])* $bname { target: u32, $($bfield: $bty),* }, )*
            $( $(#[$om])* $oname { $($ofield: $oty),* }, )*
        }

        /// The tag of each [`Op`] variant, in the same order (so the same value).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u16)]
        pub enum OpCode {
            $( $dname, )*
            $( $bname, )*
            $( $oname, )*
        }

        impl OpCode {
            /// The number of op codes.
            pub const COUNT: usize = [$(OpCode::$dname,)* $(OpCode::$bname,)* $(OpCode::$oname,)*].len();
        }

        impl Op {
            /// The result slot, for ops whose result may be redirected.
            pub fn dst_mut(&mut self) -> Option<&mut Slot> {
                match self {
                    $( Op::$dname { dst, .. } => Some(dst), )*
                    _ => None,
                }
            }

            /// The branch target, for branch ops.
            pub fn target_mut(&mut self) -> Option<&mut u32> {
                match self {
                    $( Op::$bname { target, .. } => Some(target), )*
                    _ => None,
                }
            }
        }
    };
}
