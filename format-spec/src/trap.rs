//! Trap codes shared by every tier, with the messages the runtime prints.
//!
//! Compiled code passes the numeric code to the trap intrinsic; the
//! interpreter returns it directly. The messages follow the wording of the
//! WebAssembly specification's reference interpreter, so the spec suite's
//! `assert_trap` texts can be compared against them.

use std::fmt;

/// Why wasm execution stopped abnormally.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TrapCode {
    /// The `unreachable` instruction was executed.
    Unreachable = 1,
    /// A load or store outside linear memory, or a bulk-memory range out of bounds.
    MemoryOutOfBounds = 2,
    /// A table access or bulk-table range out of bounds.
    TableOutOfBounds = 3,
    /// `call_indirect` on an index past the end of the table.
    UndefinedElement = 4,
    /// `call_indirect` on a null table entry.
    UninitializedElement = 5,
    /// `call_indirect` on a function of another signature.
    IndirectCallTypeMismatch = 6,
    /// Integer division or remainder by zero.
    IntegerDivideByZero = 7,
    /// Signed division overflow or a float-to-int conversion out of range.
    IntegerOverflow = 8,
    /// Float-to-int conversion of a NaN.
    InvalidConversionToInteger = 9,
    /// The wasm call stack exceeded its limit.
    StackOverflow = 10,
    /// A null reference was dereferenced (e.g. `call_ref` on null).
    NullReference = 11,
    /// A host function reported an error.
    HostError = 12,
    /// Execution was interrupted by the embedder.
    Interrupted = 13,
}

impl TrapCode {
    /// Every trap code, in numeric order.
    pub const ALL: [TrapCode; 13] = [
        TrapCode::Unreachable,
        TrapCode::MemoryOutOfBounds,
        TrapCode::TableOutOfBounds,
        TrapCode::UndefinedElement,
        TrapCode::UninitializedElement,
        TrapCode::IndirectCallTypeMismatch,
        TrapCode::IntegerDivideByZero,
        TrapCode::IntegerOverflow,
        TrapCode::InvalidConversionToInteger,
        TrapCode::StackOverflow,
        TrapCode::NullReference,
        TrapCode::HostError,
        TrapCode::Interrupted,
    ];

    /// The human-readable message for this trap.
    pub fn message(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::TableOutOfBounds => "out of bounds table access",
            TrapCode::UndefinedElement => "undefined element",
            TrapCode::UninitializedElement => "uninitialized element",
            TrapCode::IndirectCallTypeMismatch => "indirect call type mismatch",
            TrapCode::IntegerDivideByZero => "integer divide by zero",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::InvalidConversionToInteger => "invalid conversion to integer",
            TrapCode::StackOverflow => "call stack exhausted",
            TrapCode::NullReference => "null reference",
            TrapCode::HostError => "host function error",
            TrapCode::Interrupted => "interrupted",
        }
    }

    /// The code as passed to the trap intrinsic.
    pub fn as_u32(self) -> u32 {
        self as u32
    }

    /// Decodes a code received from compiled code.
    pub fn from_u32(code: u32) -> Option<TrapCode> {
        TrapCode::ALL.iter().copied().find(|c| c.as_u32() == code)
    }
}

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_distinct() {
        for (i, code) in TrapCode::ALL.iter().enumerate() {
            assert_eq!(code.as_u32(), i as u32 + 1);
            assert_eq!(TrapCode::from_u32(code.as_u32()), Some(*code));
        }
        assert_eq!(TrapCode::from_u32(0), None);
        assert_eq!(TrapCode::from_u32(99), None);
    }

    #[test]
    fn messages_match_the_spec_wording() {
        assert_eq!(
            TrapCode::IntegerDivideByZero.to_string(),
            "integer divide by zero"
        );
        assert_eq!(TrapCode::StackOverflow.message(), "call stack exhausted");
    }
}
