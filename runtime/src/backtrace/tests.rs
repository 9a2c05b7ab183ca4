//! Truncation and display of backtraces.

use super::*;

fn names() -> ModuleNames {
    let funcs = [kiln_format::artifact::FuncName {
        index: 1,
        name: "inner".into(),
    }];
    ModuleNames::new(None, &funcs, &[])
}

#[test]
fn shows_each_frame_with_offset_and_name() {
    let mut bt = WasmBacktrace::default();
    bt.push(names().frame(1, Some(0x1cd)));
    bt.push(names().frame(2, None));
    assert_eq!(
        bt.display("trap.wasm").to_string(),
        "wasm backtrace:\n    0: 0x1cd - trap.wasm!inner\n    1: <unknown> - trap.wasm!<wasm function 2>\n"
    );
}

#[test]
fn a_deep_backtrace_keeps_its_ends() {
    let names = names();
    let mut bt = WasmBacktrace::default();
    bt.extend(5000, |j| names.frame(j as u32, Some(j)));
    bt.extend(3, |j| names.frame(9000 + j as u32, None));
    assert_eq!(bt.len(), 5003);
    assert_eq!(bt.elided(), 5003 - HEAD - TAIL);
    let kept: Vec<u32> = bt.frames().iter().map(|f| f.func_index()).collect();
    let mut want: Vec<u32> = (0..HEAD as u32).collect();
    want.extend((5000 - (TAIL as u32 - 3))..5000);
    want.extend([9000, 9001, 9002]);
    assert_eq!(kept, want);
    let shown = bt.to_string();
    assert!(shown.contains("... 4983 frames elided ..."), "{shown}");
    assert!(
        shown.contains(" 5002: <unknown> - <unknown>!<wasm function 9002>"),
        "{shown}"
    );
}

#[test]
fn one_frame_at_a_time_truncates_alike() {
    let names = names();
    let (mut a, mut b) = (WasmBacktrace::default(), WasmBacktrace::default());
    for j in 0..100 {
        a.push(names.frame(j, None));
    }
    b.extend(100, |j| names.frame(j as u32, None));
    assert_eq!(a, b);
}
