//! Runs the trampolines in-process (x86_64, MCJIT): host -> `array_call`
//! -> compiled function -> imported function's `wasm_call` ->
//! `kiln_rt_call_host` -> back, with value slots on both sides.

#![cfg(target_arch = "x86_64")]

use inkwell::context::Context;
use inkwell::OptimizationLevel;
use kiln_compiler::env::ModuleEnv;
use kiln_compiler::{build_llvm_module, CompileOptions, TargetSpec};
use kiln_format::records::VMFuncRef;
use kiln_format::VMOffsets;

/// One 16-byte value slot.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[repr(C, align(16))]
struct Slot([u8; 16]);

impl Slot {
    fn put(bytes: &[u8]) -> Slot {
        let mut s = Slot::default();
        s.0[..bytes.len()].copy_from_slice(bytes);
        s
    }
    fn low<const N: usize>(&self) -> [u8; N] {
        self.0[..N].try_into().unwrap()
    }
    fn zero_above(&self, width: usize) -> bool {
        self.0[width..].iter().all(|b| *b == 0)
    }
}

/// The host context the test passes as the import's `VMFuncRef.vmctx`.
static HOST_CTX: u64 = 0x6b696c6e;

/// `kiln_rt_call_host` for `(i32 i64 f32 f64) -> (f64 i32 i64)`:
/// `(a, b, c, d) -> (a + c + d, a * 2, b + 1)`; checks the slots' zeros.
extern "C" fn call_host(ctx: *const u8, slots: *mut Slot) {
    assert_eq!(ctx, &HOST_CTX as *const u64 as *const u8);
    // SAFETY: the trampoline passes max(4 params, 3 results) slots.
    let s = unsafe { std::slice::from_raw_parts_mut(slots, 4) };
    assert!(s[0].zero_above(4) && s[1].zero_above(8));
    assert!(s[2].zero_above(4) && s[3].zero_above(8));
    let a = i32::from_le_bytes(s[0].low());
    let b = i64::from_le_bytes(s[1].low());
    let c = f32::from_le_bytes(s[2].low());
    let d = f64::from_le_bytes(s[3].low());
    s[0] = Slot::put(&(a as f64 + c as f64 + d).to_le_bytes());
    s[1] = Slot::put(&(a * 2).to_le_bytes());
    s[2] = Slot::put(&(b + 1).to_le_bytes());
}

extern "C" fn trap(_vmctx: *mut u8, code: i32) {
    panic!("unexpected trap {code}");
}

type ArrayCall = extern "C" fn(*mut u8, usize, *mut Slot);
type WasmCall = extern "C" fn(*const u8, i32, i64, f32, f64, *mut Slot) -> f64;

#[test]
fn host_to_wasm_to_host_round_trip_through_value_slots() {
    let wasm = wat::parse_str(
        r#"(module
          (import "env" "h" (func $h (param i32 i64 f32 f64) (result f64 i32 i64)))
          (func (param i32 i64 f32 f64) (result f64 i32 i64)
            (call $h (local.get 0) (local.get 1) (local.get 2) (local.get 3))))"#,
    )
    .unwrap();
    let mut opts =
        CompileOptions::new(TargetSpec::new(Some("x86_64"), Some("x86-64"), None).unwrap());
    opts.threads = 1;
    let ctx: &'static Context = Box::leak(Box::new(Context::create()));
    let module = build_llvm_module(ctx, &wasm, &opts, true).unwrap();
    let engine = module
        .create_jit_execution_engine(OptimizationLevel::Default)
        .unwrap();
    let host = module.get_function("kiln_rt_call_host").unwrap();
    engine.add_global_mapping(
        &host,
        call_host as extern "C" fn(*const u8, *mut Slot) as usize,
    );
    if let Some(f) = module.get_function("kiln_rt_trap") {
        engine.add_global_mapping(&f, trap as extern "C" fn(*mut u8, i32) as usize);
    }
    let addr = |name: &str| engine.get_function_address(name).unwrap();
    let (array_call, wasm_call, func) = (
        addr("kiln_array_call_0"),
        addr("kiln_wasm_call_0"),
        addr("kiln_func_1"),
    );

    // wasm -> host directly: the wasm calling convention, results 1.. in
    // the return area.
    // SAFETY: `kiln_wasm_call_0` has type 0's wasm signature.
    let direct: WasmCall = unsafe { std::mem::transmute::<usize, WasmCall>(wasm_call) };
    let mut ret_area = [Slot::default(); 2];
    let r0 = direct(
        &HOST_CTX as *const u64 as *const u8,
        3,
        10,
        0.5,
        0.25,
        ret_area.as_mut_ptr(),
    );
    assert_eq!(r0, 3.75);
    assert_eq!(i32::from_le_bytes(ret_area[0].low()), 6);
    assert_eq!(i64::from_le_bytes(ret_area[1].low()), 11);

    // host -> array_call -> kiln_func_1 -> func_refs[0].wasm_call -> host.
    let env = ModuleEnv::parse(&wasm).unwrap();
    let offsets = VMOffsets::new(8, env.counts());
    let mut vmctx = vec![0u64; offsets.size() as usize / 8 + 1];
    let import = VMFuncRef {
        wasm_call: std::sync::atomic::AtomicPtr::new(wasm_call as *mut u8),
        array_call: std::ptr::null(),
        vmctx: &HOST_CTX as *const u64 as *mut u8,
        type_id: 0,
        func_index: 0,
    };
    let func_refs: [*const VMFuncRef; 1] = [&import];
    vmctx[offsets.func_refs() as usize / 8] = func_refs.as_ptr() as u64;
    // stack_limit stays 0: no stack check fires.
    let mut slots = [
        Slot::put(&7i32.to_le_bytes()),
        Slot::put(&(-5i64).to_le_bytes()),
        Slot::put(&1.5f32.to_le_bytes()),
        Slot::put(&2.25f64.to_le_bytes()),
    ];
    // SAFETY: `kiln_array_call_0` has the array-call signature.
    let call: ArrayCall = unsafe { std::mem::transmute::<usize, ArrayCall>(array_call) };
    call(vmctx.as_mut_ptr() as *mut u8, func, slots.as_mut_ptr());
    assert_eq!(f64::from_le_bytes(slots[0].low()), 10.75);
    assert_eq!(i32::from_le_bytes(slots[1].low()), 14);
    assert_eq!(i64::from_le_bytes(slots[2].low()), -4);
    assert!(slots[0].zero_above(8) && slots[1].zero_above(4) && slots[2].zero_above(8));
}
