//! `--jit-dump`: a function's machine code, disassembled, with the byte
//! offset of the wasm operator each instruction came from.

use crate::{CompiledModule, SourceMap};
use iced_x86::{Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter};
use std::fmt::Write;

/// The listing of `map`'s function in `module`, whose code starts at
/// address `base`.
pub fn function(module: &CompiledModule, map: &SourceMap, base: u64) -> String {
    let code = &module.code[map.code.clone()];
    let ip = base + map.code.start as u64;
    let mut decoder = Decoder::with_ip(64, code, ip, DecoderOptions::NONE);
    let mut formatter = IntelFormatter::new();
    let mut out = format!("function {} ({} bytes of code)\n", map.func, code.len());
    let mut text = String::new();
    let mut instr = Instruction::default();
    let mut next_op = 0;
    while decoder.can_decode() {
        decoder.decode_out(&mut instr);
        let offset = (instr.ip() - base) as u32;
        // The wasm operator whose code starts here, if one does.
        let mut wasm = String::new();
        while next_op < map.operators.len() && map.operators[next_op].1 <= offset {
            wasm = format!("{:#07x}", map.operators[next_op].0);
            next_op += 1;
        }
        text.clear();
        formatter.format(&instr, &mut text);
        let _ = writeln!(
            out,
            "  {wasm:>8}  {:8x}  {text}",
            offset - map.code.start as u32
        );
    }
    out
}
