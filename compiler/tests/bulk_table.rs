//! Bulk memory, reference and table operators: every module of the spec
//! scripts that use them compiles for x86_64 (and verifies), and a few run
//! under MCJIT, with the runtime intrinsics replaced by recorders.

mod support;

use kiln_compiler::{compile, CompileError, OutputKind};
use std::path::Path;
use support::options;
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute};

/// The spec suite's `core` folder: `$KILN_TESTSUITE/core`, or
/// `shared/testsuite/core` beside the workspace. Missing is a failure.
fn spec_core() -> std::path::PathBuf {
    let root = match std::env::var_os("KILN_TESTSUITE") {
        Some(p) => std::path::PathBuf::from(p),
        None => std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/testsuite"),
    };
    let core = root.join("core");
    assert!(
        core.is_dir(),
        "spec test suite not found at {} (set KILN_TESTSUITE)",
        core.display()
    );
    core
}

/// The binaries of every module a script defines or instantiates (modules
/// that must fail validation or parsing are left out).
fn script_modules(path: &Path) -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(path).expect("readable script");
    let buf = ParseBuffer::new(&text).expect("lexable script");
    let script = parser::parse::<Wast>(&buf).expect("parsable script");
    let mut modules = Vec::new();
    let mut add = |mut wat: QuoteWat| {
        let bytes = wat
            .encode()
            .unwrap_or_else(|e| panic!("{}: cannot encode: {e}", path.display()));
        modules.push(bytes);
    };
    for directive in script.directives {
        match directive {
            WastDirective::Module(wat) | WastDirective::ModuleDefinition(wat) => add(wat),
            WastDirective::AssertTrap {
                exec: WastExecute::Wat(wat),
                ..
            }
            | WastDirective::AssertUnlinkable { module: wat, .. } => add(QuoteWat::Wat(wat)),
            _ => {}
        }
    }
    modules
}

/// Compiles every module of `file` to an x86_64 object; returns how many.
fn compile_script(file: &str) -> usize {
    let path = spec_core().join(file);
    let modules = script_modules(&path);
    let opts = options("x86_64", 2);
    for (i, wasm) in modules.iter().enumerate() {
        match compile(wasm, &opts, OutputKind::Object) {
            Ok(obj) => assert!(!obj.bytes.is_empty(), "{file}: module {i}: empty object"),
            Err(CompileError::Unsupported(m)) => panic!("{file}: module {i}: unsupported {m}"),
            Err(e) => panic!("{file}: module {i}: {e}"),
        }
    }
    modules.len()
}

macro_rules! spec_scripts {
    ($($name:ident => $file:literal,)*) => {$(
        #[test]
        fn $name() {
            let n = compile_script($file);
            assert!(n > 0, "{} defines no module", $file);
            eprintln!("{}: {n} modules compiled", $file);
        }
    )*};
}

spec_scripts! {
    spec_bulk => "bulk.wast",
    spec_memory_copy => "memory_copy.wast",
    spec_memory_fill => "memory_fill.wast",
    spec_memory_init => "memory_init.wast",
    spec_table => "table.wast",
    spec_table_copy => "table_copy.wast",
    spec_table_fill => "table_fill.wast",
    spec_table_get => "table_get.wast",
    spec_table_grow => "table_grow.wast",
    spec_table_init => "table_init.wast",
    spec_table_set => "table_set.wast",
    spec_table_size => "table_size.wast",
    spec_ref_func => "ref_func.wast",
    spec_ref_is_null => "ref_is_null.wast",
    spec_ref_null => "ref_null.wast",
    spec_elem => "elem.wast",
    spec_call_indirect => "call_indirect.wast",
    spec_select => "select.wast",
}

#[test]
fn intrinsics_are_declared_only_when_used() {
    let wasm = support::wasm(
        r#"(module (memory 1) (table 1 funcref)
             (func (param i32) (memory.fill (local.get 0) (i32.const 0) (i32.const 4)))
             (func (param i32) (result i32) (ref.is_null (table.get 0 (local.get 0)))))"#,
    );
    let ir = compile(&wasm, &options("x86_64", 2), OutputKind::LlvmIrOpt).unwrap();
    let ir = String::from_utf8(ir.bytes).unwrap();
    assert!(!ir.contains("kiln_rt_table"), "{ir}");
    assert!(!ir.contains("kiln_rt_memory_init"), "{ir}");
}

#[cfg(target_arch = "x86_64")]
mod run {
    use super::support::{self, status_in_child, Jit, VMTableDefinition};
    use inkwell::context::Context;
    use inkwell::OptimizationLevel;
    use kiln_compiler::build_llvm_module;
    use kiln_compiler::env::ModuleEnv;
    use kiln_format::{TrapCode, VMOffsets};
    use std::cell::RefCell;

    /// Casts a JIT address to a function pointer of type `F`.
    ///
    /// # Safety
    /// `addr` must be a function with exactly the native signature `F`.
    unsafe fn cast<F: Copy>(addr: usize) -> F {
        assert_eq!(std::mem::size_of::<F>(), std::mem::size_of::<usize>());
        // SAFETY: guaranteed by the caller; `F` is a function pointer type.
        unsafe { std::mem::transmute_copy(&addr) }
    }

    fn trap_status(code: TrapCode) -> i32 {
        100 + code.as_u32() as i32
    }

    type FnI32 = extern "C" fn(*mut u8, i32) -> i32;
    type FnI32Void = extern "C" fn(*mut u8, i32);
    type FnVoidI32 = extern "C" fn(*mut u8) -> i32;
    type FnI32I32I32 = extern "C" fn(*mut u8, i32, i32) -> i32;
    type Fn3 = extern "C" fn(*mut u8, i32, i32, i32);
    type FnVoid = extern "C" fn(*mut u8);

    const TABLES: &str = r#"(module
      (type $ii (func (param i32) (result i32)))
      (table $t0 3 funcref)
      (table $t1 2 funcref)
      (elem declare func $double)
      (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
      (func (param i32) (result i32) (ref.is_null (table.get $t0 (local.get 0))))
      (func (param i32) (table.set $t0 (local.get 0) (ref.func $double)))
      (func (result i32) (i32.add (i32.mul (table.size $t0) (i32.const 10)) (table.size $t1)))
      (func (param i32 i32) (result i32)
        (call_indirect $t0 (type $ii) (local.get 1) (local.get 0)))
      (func (param i32) (table.set $t1 (local.get 0) (table.get $t0 (i32.const 2))))
      (func (param i32 i32) (result i32)
        (call_indirect $t1 (type $ii) (local.get 1) (local.get 0)))
      (func (param i32) (table.set $t0 (local.get 0) (ref.null func)))
      (func (result i32) (ref.is_null (ref.null extern))))"#;

    /// Compiles `TABLES` and points its table 1 at `table1` (two elements).
    fn tables_jit(table1: &mut Box<(Vec<usize>, VMTableDefinition)>) -> Jit {
        let mut jit = Jit::new(TABLES, false, &[None, Some(0), None]);
        let offsets = jit.offsets;
        table1.1 = VMTableDefinition {
            base: table1.0.as_mut_ptr(),
            length: table1.0.len() as u32,
        };
        let vmctx = jit.vmctx();
        // SAFETY: `table(1)` is a pointer-aligned slot inside the VMContext.
        unsafe {
            *(vmctx.add(offsets.table(1) as usize) as *mut usize) =
                &mut table1.1 as *mut VMTableDefinition as usize;
        }
        jit
    }

    fn new_table1() -> Box<(Vec<usize>, VMTableDefinition)> {
        Box::new((
            vec![0; 2],
            VMTableDefinition {
                base: std::ptr::null_mut(),
                length: 0,
            },
        ))
    }

    #[test]
    fn table_get_set_size_ref_func_and_call_indirect_on_two_tables() {
        let mut table1 = new_table1();
        let mut jit = tables_jit(&mut table1);
        // SAFETY (all casts): the signatures match the wasm types above.
        let is_null: FnI32 = unsafe { cast(jit.func(1)) };
        let set: FnI32Void = unsafe { cast(jit.func(2)) };
        let size: FnVoidI32 = unsafe { cast(jit.func(3)) };
        let call0: FnI32I32I32 = unsafe { cast(jit.func(4)) };
        let copy_to_t1: FnI32Void = unsafe { cast(jit.func(5)) };
        let call1: FnI32I32I32 = unsafe { cast(jit.func(6)) };
        let set_null: FnI32Void = unsafe { cast(jit.func(7)) };
        let extern_null: FnVoidI32 = unsafe { cast(jit.func(8)) };
        let vmctx = jit.vmctx();

        assert_eq!(is_null(vmctx, 0), 1);
        assert_eq!(is_null(vmctx, 1), 0);
        assert_eq!(size(vmctx), 32);
        assert_eq!(call0(vmctx, 1, 21), 42);
        set(vmctx, 2);
        assert_eq!(is_null(vmctx, 2), 0);
        // `ref.func` yields the same record the harness put in the table.
        assert_eq!(jit.table[2], jit.table[1]);
        assert_eq!(call0(vmctx, 2, 5), 10);
        copy_to_t1(vmctx, 1);
        assert_eq!(table1.0[1], jit.table[2]);
        assert_eq!(call1(vmctx, 1, 8), 16);
        set_null(vmctx, 2);
        assert_eq!(jit.table[2], 0);
        assert_eq!(extern_null(vmctx), 1);

        let status = |f: &dyn Fn()| status_in_child(f);
        let table_oob = trap_status(TrapCode::TableOutOfBounds);
        assert_eq!(
            status(&|| {
                let _ = is_null(vmctx, 3);
            }),
            table_oob
        );
        assert_eq!(status(&|| set(vmctx, -1)), table_oob);
        assert_eq!(status(&|| copy_to_t1(vmctx, 2)), table_oob);
        assert_eq!(
            status(&|| {
                let _ = call1(vmctx, 0, 1);
            }),
            trap_status(TrapCode::UninitializedElement)
        );
        assert_eq!(
            status(&|| {
                let _ = call1(vmctx, 2, 1);
            }),
            trap_status(TrapCode::UndefinedElement)
        );
    }

    #[test]
    fn memory_fill_and_copy_check_whole_ranges() {
        let mut jit = Jit::new(
            r#"(module (memory 1)
              (func (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
              (func (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2))))"#,
            true,
            &[],
        );
        // SAFETY: both functions are `(i32, i32, i32) -> ()`.
        let fill: Fn3 = unsafe { cast(jit.func(0)) };
        // SAFETY: as above.
        let copy: Fn3 = unsafe { cast(jit.func(1)) };
        let vmctx = jit.vmctx();
        fill(vmctx, 10, 0x1AB, 5);
        assert_eq!(&jit.memory[9..16], &[0, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0]);
        jit.memory[20..24].copy_from_slice(&[1, 2, 3, 4]);
        copy(vmctx, 21, 20, 4); // overlapping, forwards
        assert_eq!(&jit.memory[20..26], &[1, 1, 2, 3, 4, 0]);
        copy(vmctx, 20, 21, 4); // overlapping, backwards
        assert_eq!(&jit.memory[20..26], &[1, 2, 3, 4, 4, 0]);
        fill(vmctx, 65536, 7, 0);
        copy(vmctx, 65536, 0, 0);
        fill(vmctx, 65530, 9, 6);
        assert_eq!(jit.memory[65535], 9);

        let mem_oob = trap_status(TrapCode::MemoryOutOfBounds);
        let status = |f: &dyn Fn()| status_in_child(f);
        assert_eq!(status(&|| fill(vmctx, 65537, 0, 0)), mem_oob);
        assert_eq!(status(&|| fill(vmctx, 65530, 0, 7)), mem_oob);
        assert_eq!(status(&|| fill(vmctx, -1, 0, -1)), mem_oob);
        assert_eq!(status(&|| copy(vmctx, 0, 65535, 2)), mem_oob);
        assert_eq!(status(&|| copy(vmctx, 65535, 0, 2)), mem_oob);
        assert_eq!(status(&|| copy(vmctx, 0, 65537, 0)), mem_oob);
        // Nothing is written before the check fails.
        assert_eq!(
            status(&|| {
                fill(vmctx, 65530, 1, 7);
            }),
            mem_oob
        );
        assert_eq!(jit.memory[65530], 9);
    }

    thread_local! {
        static CALLS: RefCell<Vec<(&'static str, Vec<u64>)>> = const { RefCell::new(Vec::new()) };
    }

    fn record(name: &'static str, args: &[u64]) {
        CALLS.with(|c| c.borrow_mut().push((name, args.to_vec())));
    }

    extern "C" fn trap(_: *mut u8, code: i32) {
        panic!("unexpected trap {code}");
    }
    extern "C" fn memory_init(_: *mut u8, mem: u32, seg: u32, dst: u32, src: u32, len: u32) {
        record("memory_init", &[mem, seg, dst, src, len].map(u64::from));
    }
    extern "C" fn data_drop(_: *mut u8, seg: u32) {
        record("data_drop", &[u64::from(seg)]);
    }
    extern "C" fn table_grow(_: *mut u8, table: u32, init: usize, delta: u32) -> i32 {
        record(
            "table_grow",
            &[u64::from(table), init as u64, u64::from(delta)],
        );
        7
    }
    extern "C" fn table_fill(_: *mut u8, table: u32, dst: u32, value: usize, len: u32) {
        let args = [table as u64, dst as u64, value as u64, len as u64];
        record("table_fill", &args);
    }
    extern "C" fn table_copy(_: *mut u8, dt: u32, st: u32, dst: u32, src: u32, len: u32) {
        record("table_copy", &[dt, st, dst, src, len].map(u64::from));
    }
    extern "C" fn table_init(_: *mut u8, table: u32, seg: u32, dst: u32, src: u32, len: u32) {
        record("table_init", &[table, seg, dst, src, len].map(u64::from));
    }
    extern "C" fn elem_drop(_: *mut u8, seg: u32) {
        record("elem_drop", &[u64::from(seg)]);
    }

    #[test]
    fn runtime_intrinsics_get_their_arguments_in_order() {
        let bytes = support::wasm(
            r#"(module
              (memory 1)
              (table $t0 1 funcref) (table $t1 1 externref) (table $t2 1 externref)
              (data $d0 "") (data $d1 "abc")
              (elem $e0 func) (elem $e1 func $f)
              (func $f (param i32 i32 i32) (memory.init $d1 (local.get 0) (local.get 1) (local.get 2)))
              (func (data.drop $d1))
              (func (param externref i32) (result i32) (table.grow $t1 (local.get 0) (local.get 1)))
              (func (param i32 externref i32) (table.fill $t1 (local.get 0) (local.get 1) (local.get 2)))
              (func (param i32 i32 i32) (table.copy $t2 $t1 (local.get 0) (local.get 1) (local.get 2)))
              (func (param i32 i32 i32) (table.init $t0 $e1 (local.get 0) (local.get 1) (local.get 2)))
              (func (elem.drop $e1)))"#,
        );
        let ctx: &'static Context = Box::leak(Box::new(Context::create()));
        let opts = support::options("x86_64", 2);
        let module = build_llvm_module(ctx, &bytes, &opts, true).unwrap();
        module.verify().unwrap();
        let engine = module
            .create_jit_execution_engine(OptimizationLevel::Default)
            .unwrap();
        // Every external symbol needs a mapping: MCJIT resolves them as one
        // batch, and one failure leaves them all at address 0.
        let map: [(&str, usize); 8] = [
            ("kiln_rt_trap", trap as *const () as usize),
            ("kiln_rt_memory_init", memory_init as *const () as usize),
            ("kiln_rt_data_drop", data_drop as *const () as usize),
            ("kiln_rt_table_grow", table_grow as *const () as usize),
            ("kiln_rt_table_fill", table_fill as *const () as usize),
            ("kiln_rt_table_copy", table_copy as *const () as usize),
            ("kiln_rt_table_init", table_init as *const () as usize),
            ("kiln_rt_elem_drop", elem_drop as *const () as usize),
        ];
        for (name, addr) in map {
            let f = module
                .get_function(name)
                .unwrap_or_else(|| panic!("{name} is not declared"));
            engine.add_global_mapping(&f, addr);
        }
        let env = ModuleEnv::parse(&bytes).unwrap();
        let offsets = VMOffsets::new(8, env.counts());
        let mut vmctx = vec![0u64; offsets.size() as usize / 8];
        let marker = 0u8;
        let here = &marker as *const u8 as usize;
        vmctx[offsets.stack_limit() as usize / 8] = (here - (256 << 10)) as u64;
        // The prologue caches memory 0's base: give it a (never touched) one.
        let mut memory_def = Box::new([0usize; 2]);
        vmctx[offsets.memory(0) as usize / 8] = memory_def.as_mut_ptr() as u64;
        let vmctx = vmctx.as_mut_ptr() as *mut u8;
        let addr = |i: u32| {
            engine
                .get_function_address(&format!("kiln_func_{i}"))
                .unwrap()
        };

        // SAFETY (all casts): the signatures match the wasm types above.
        let init: Fn3 = unsafe { cast(addr(0)) };
        let drop_data: FnVoid = unsafe { cast(addr(1)) };
        let grow: extern "C" fn(*mut u8, usize, i32) -> i32 = unsafe { cast(addr(2)) };
        let fill: extern "C" fn(*mut u8, i32, usize, i32) = unsafe { cast(addr(3)) };
        let copy: Fn3 = unsafe { cast(addr(4)) };
        let tinit: Fn3 = unsafe { cast(addr(5)) };
        let drop_elem: FnVoid = unsafe { cast(addr(6)) };

        init(vmctx, 1, 2, 3);
        drop_data(vmctx);
        assert_eq!(grow(vmctx, 0x1230, 5), 7);
        fill(vmctx, 4, 0x4560, 6);
        copy(vmctx, 7, 8, 9);
        tinit(vmctx, 10, 11, 12);
        drop_elem(vmctx);
        let calls = CALLS.with(|c| c.take());
        let expected: Vec<(&str, Vec<u64>)> = vec![
            ("memory_init", vec![0, 1, 1, 2, 3]),
            ("data_drop", vec![1]),
            ("table_grow", vec![1, 0x1230, 5]),
            ("table_fill", vec![1, 4, 0x4560, 6]),
            ("table_copy", vec![2, 1, 7, 8, 9]),
            ("table_init", vec![0, 1, 10, 11, 12]),
            ("elem_drop", vec![1]),
        ];
        assert_eq!(calls, expected);
    }
}
