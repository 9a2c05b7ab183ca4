//! Tests of operator classification and the size of the op enums.

use super::*;
use wasmparser::{MemArg, Operator};

/// Builds each SIMD operator with placeholder immediates and checks that
/// exactly one of the entry points recognizes it (none for relaxed SIMD).
#[test]
fn classify_covers_every_simd_operator() {
    trait Dummy {
        fn dummy() -> Self;
    }
    impl Dummy for u8 {
        fn dummy() -> Self {
            1
        }
    }
    impl Dummy for [u8; 16] {
        fn dummy() -> Self {
            [3; 16]
        }
    }
    impl Dummy for wasmparser::V128 {
        fn dummy() -> Self {
            0u128.into()
        }
    }
    impl Dummy for MemArg {
        fn dummy() -> Self {
            MemArg {
                align: 0,
                max_align: 0,
                offset: 7,
                target: Default::default(),
                ordering: None,
            }
        }
    }

    fn check(proposal: &str, op: &Operator) -> (usize, usize) {
        let hits = usize::from(classify(op).is_some())
            + usize::from(load_kind(op).is_some())
            + usize::from(lane_access(op).is_some())
            + usize::from(matches!(
                op,
                Operator::V128Const { .. } | Operator::V128Store { .. }
            ));
        match proposal {
            "simd" => assert_eq!(hits, 1, "{op:?}"),
            _ => assert_eq!(hits, 0, "{op:?}"),
        }
        (
            usize::from(proposal == "simd"),
            usize::from(classify(op).is_some()),
        )
    }

    macro_rules! check_all {
        ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })?
            => $visit:ident ($($ann:tt)*) )*) => {{
            let (mut simd, mut classified) = (0, 0);
            $(
                let op = Operator::$op $({ $($arg: <$argty as Dummy>::dummy()),* })?;
                let (s, c) = check(stringify!($proposal), &op);
                simd += s;
                classified += c;
            )*
            (simd, classified)
        }};
    }
    let (simd, classified) = wasmparser::for_each_visit_simd_operator!(check_all);
    // Everything but v128.const and the 22 memory operators.
    assert_eq!(simd, 236);
    assert_eq!(classified, simd - 23);

    for op in [
        Operator::Nop,
        Operator::I32Add,
        Operator::F32Min,
        Operator::End,
    ] {
        assert_eq!(classify(&op), None);
        assert_eq!(load_kind(&op), None);
        assert_eq!(lane_access(&op), None);
    }
    assert_eq!(
        classify(&Operator::I8x16ExtractLaneS { lane: 5 }),
        Some(SimdOp::ExtractLane(ExtractOp::I8x16S, 5))
    );
    assert_eq!(
        classify(&Operator::F64x2ReplaceLane { lane: 1 }),
        Some(SimdOp::ReplaceLane(ReplaceOp::F64x2, 1))
    );
    assert_eq!(
        classify(&Operator::I8x16Shuffle { lanes: [9; 16] }),
        Some(SimdOp::Shuffle([9; 16]))
    );
    assert_eq!(
        classify(&Operator::I16x8Q15MulrSatS),
        Some(SimdOp::Binary(BinOp::I16x8Q15MulrSatS))
    );
    assert_eq!(
        classify(&Operator::V128Bitselect),
        Some(SimdOp::Ternary(TernOp::V128Bitselect))
    );
}

#[test]
fn enums_are_small() {
    assert_eq!(size_of::<UnOp>(), 1);
    assert_eq!(size_of::<BinOp>(), 1);
    assert_eq!(size_of::<SimdOp>(), 17);
}
