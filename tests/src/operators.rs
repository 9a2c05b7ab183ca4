//! The module offset of every operator of a module's function bodies, for
//! tests that check the offsets traps and backtraces report.

use wasmparser::{Operator, Parser, Payload};

/// By function body (definition order), the module offset and debug form
/// of each operator; calls are written `call`.
pub type Operators = Vec<Vec<(usize, String)>>;

/// The operators of every function body of `wasm` (which must be valid).
pub fn operators(wasm: &[u8]) -> Operators {
    let mut bodies = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::CodeSectionEntry(body) = payload.unwrap() {
            let mut reader = body.get_operators_reader().unwrap();
            let mut ops = Vec::new();
            while !reader.eof() {
                let (op, offset) = reader.read_with_offset().unwrap();
                let name = match op {
                    Operator::Call { .. } => "call".to_string(),
                    other => format!("{other:?}"),
                };
                ops.push((offset as usize, name));
            }
            bodies.push(ops);
        }
    }
    bodies
}

/// The offset of the `n`th operator (from 0) of function body `func`
/// whose debug form starts with `what`.
pub fn nth_offset(ops: &Operators, func: u32, what: &str, n: usize) -> usize {
    ops[func as usize]
        .iter()
        .filter(|(_, name)| name.starts_with(what))
        .nth(n)
        .unwrap_or_else(|| panic!("no {what} #{n} in function {func}"))
        .0
}
