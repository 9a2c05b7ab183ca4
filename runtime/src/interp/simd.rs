//! Placeholder until the SIMD semantics land.
#![allow(dead_code)]
pub type V128 = u128;
macro_rules! e { ($($n:ident),*) => { $( #[derive(Clone, Copy, Debug, PartialEq, Eq)] #[repr(u8)] pub enum $n { X } )* } }
e!(UnOp, BinOp, TernOp, ShiftOp, TestOp, SplatOp, ExtractOp, ReplaceOp, LoadKind);
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaneWidth {
    W8,
    W16,
    W32,
    W64,
}
pub enum SimdOp {
    Unary(UnOp),
    Binary(BinOp),
    Ternary(TernOp),
    Shift(ShiftOp),
    Test(TestOp),
    Splat(SplatOp),
    ExtractLane(ExtractOp, u8),
    ReplaceLane(ReplaceOp, u8),
    Shuffle([u8; 16]),
}
pub fn classify(_op: &wasmparser::Operator) -> Option<SimdOp> {
    None
}
pub fn unary(_op: UnOp, a: V128) -> V128 {
    a
}
pub fn binary(_op: BinOp, a: V128, _b: V128) -> V128 {
    a
}
pub fn ternary(_op: TernOp, a: V128, _b: V128, _c: V128) -> V128 {
    a
}
pub fn shift(_op: ShiftOp, a: V128, _n: u32) -> V128 {
    a
}
pub fn test(_op: TestOp, _a: V128) -> u32 {
    0
}
pub fn splat(_op: SplatOp, x: u64) -> V128 {
    x as u128
}
pub fn extract_lane(_op: ExtractOp, a: V128, _l: u8) -> u64 {
    a as u64
}
pub fn replace_lane(_op: ReplaceOp, a: V128, _l: u8, _x: u64) -> V128 {
    a
}
pub fn shuffle(_l: &[u8; 16], a: V128, _b: V128) -> V128 {
    a
}
impl LoadKind {
    pub fn width(self) -> u32 {
        16
    }
}
pub fn load_kind(_op: &wasmparser::Operator) -> Option<(LoadKind, wasmparser::MemArg)> {
    None
}
pub fn load_transform(_k: LoadKind, b: u128) -> V128 {
    b
}
pub fn lane_access(
    _op: &wasmparser::Operator,
) -> Option<(bool, LaneWidth, wasmparser::MemArg, u8)> {
    None
}
pub fn load_lane(_w: LaneWidth, a: V128, _l: u8, _b: u64) -> V128 {
    a
}
pub fn store_lane(_w: LaneWidth, a: V128, _l: u8) -> u64 {
    a as u64
}
