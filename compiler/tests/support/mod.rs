//! Shared test helpers: compile wat for a target, and run compiled x86_64
//! code in-process through LLVM's MCJIT with a minimal VMContext laid out
//! by `VMOffsets` and Rust implementations of the intrinsics.

#![allow(dead_code)]

use inkwell::context::Context;
use inkwell::execution_engine::ExecutionEngine;
use inkwell::OptimizationLevel;
use kiln_compiler::env::ModuleEnv;
use kiln_compiler::{build_llvm_module, CompileOptions, TargetSpec};
use kiln_format::VMOffsets;
use std::cell::Cell;

/// The binary of a wat module.
pub fn wasm(wat: &str) -> Vec<u8> {
    wat::parse_str(wat).expect("test wat must parse")
}

/// Options for `arch` at `opt_level`.
pub fn options(arch: &str, opt_level: u8) -> CompileOptions {
    let mut o = CompileOptions::new(TargetSpec::new(Some(arch), None, None).unwrap());
    o.opt_level = opt_level;
    o.threads = 1;
    o
}

pub use kiln_format::records::{
    VMFuncRef, VMGlobalDefinition, VMMemoryDefinition, VMTableDefinition,
};

const PAGE: usize = 65536;
const MAX_PAGES: usize = 4;

thread_local! {
    static MEMORY: Cell<*mut VMMemoryDefinition> = const { Cell::new(std::ptr::null_mut()) };
}

/// `kiln_trap`: ends the (forked child) process with status `100 + code`.
extern "C" fn kiln_trap(_vmctx: *mut u8, code: i32) {
    // SAFETY: `_exit` is async-signal-safe and never returns.
    unsafe { libc::_exit(100 + code) }
}

/// `kiln_memory_grow` for the test memory (capacity `MAX_PAGES`).
extern "C" fn kiln_memory_grow(_vmctx: *mut u8, _mem: i32, delta: i32) -> i32 {
    let def = MEMORY.with(|m| m.get());
    // SAFETY: the harness sets `MEMORY` to its live definition before
    // calling compiled code on this thread.
    let def = unsafe { &mut *def };
    let old = def.length / PAGE;
    let new = old + delta as u32 as usize;
    if new > MAX_PAGES {
        return -1;
    }
    def.length = new * PAGE;
    old as i32
}

/// One instantiated module running under MCJIT.
pub struct Jit {
    _ctx: &'static Context,
    engine: ExecutionEngine<'static>,
    pub offsets: VMOffsets,
    vmctx: Vec<u64>,
    _func_refs: Vec<VMFuncRef>,
    _func_ref_ptrs: Vec<*const VMFuncRef>,
    _sig_ids: Vec<u32>,
    pub memory: Vec<u8>,
    memory_def: Box<VMMemoryDefinition>,
    pub table: Vec<usize>,
    _table_def: Box<VMTableDefinition>,
    pub globals: Vec<VMGlobalDefinition>,
    _global_ptrs: Vec<*mut VMGlobalDefinition>,
    func_ref_addrs: Vec<usize>,
}

impl Jit {
    /// Compiles `wat` for the host and instantiates it: memory 0 gets one
    /// page, table 0 holds `table` (function indices, `None` = null).
    pub fn new(wat: &str, bounds_checks: bool, table: &[Option<u32>]) -> Jit {
        let bytes = wasm(wat);
        let env = ModuleEnv::parse(&bytes).unwrap();
        let counts = env.counts();
        let offsets = VMOffsets::new(8, counts);
        let ctx: &'static Context = Box::leak(Box::new(Context::create()));
        let mut opts = options("x86_64", 2);
        opts.bounds_checks = Some(bounds_checks);
        let module = build_llvm_module(ctx, &bytes, &opts, true).unwrap();
        module.verify().unwrap();
        let engine = module
            .create_jit_execution_engine(OptimizationLevel::Default)
            .unwrap();
        if let Some(f) = module.get_function("kiln_rt_trap") {
            engine.add_global_mapping(&f, kiln_trap as extern "C" fn(*mut u8, i32) as usize);
        }
        if let Some(f) = module.get_function("kiln_rt_memory_grow") {
            engine.add_global_mapping(
                &f,
                kiln_memory_grow as extern "C" fn(*mut u8, i32, i32) -> i32 as usize,
            );
        }

        let mut vmctx = vec![0u64; offsets.size() as usize / 8];
        let vmctx_ptr = vmctx.as_mut_ptr() as *mut u8;
        // Engine-wide ids: the first type index with an equal signature.
        let sig_ids: Vec<u32> = (0..env.types.len())
            .map(|i| env.types.iter().position(|t| *t == env.types[i]).unwrap() as u32)
            .collect();
        let mut func_refs = Vec::new();
        let mut func_ref_addrs = Vec::new();
        for f in 0..counts.num_funcs {
            let name = format!("kiln_func_{f}");
            let code = engine.get_function_address(&name).unwrap();
            func_ref_addrs.push(code);
            func_refs.push(VMFuncRef {
                wasm_call: std::sync::atomic::AtomicPtr::new(code as *mut u8),
                array_call: std::ptr::null(),
                vmctx: vmctx_ptr,
                type_id: sig_ids[env.func_types[f as usize] as usize],
                func_index: f,
            });
        }
        let func_ref_ptrs: Vec<*const VMFuncRef> =
            func_refs.iter().map(|b| b as *const VMFuncRef).collect();
        let mut memory = vec![0u8; PAGE * MAX_PAGES];
        let mut memory_def = Box::new(VMMemoryDefinition {
            base: memory.as_mut_ptr(),
            length: PAGE,
        });
        let mut table: Vec<usize> = table
            .iter()
            .map(|e| e.map_or(0, |f| func_ref_ptrs[f as usize] as usize))
            .collect();
        let mut table_def = Box::new(VMTableDefinition {
            base: table.as_mut_ptr(),
            length: table.len() as u32,
        });
        let mut globals: Vec<VMGlobalDefinition> = (0..counts.num_globals)
            .map(|_| VMGlobalDefinition::new(0))
            .collect();
        let global_ptrs: Vec<*mut VMGlobalDefinition> = globals
            .iter_mut()
            .map(|g| g as *mut VMGlobalDefinition)
            .collect();

        let mut put = |offset: u32, value: usize| {
            vmctx[offset as usize / 8] = value as u64;
        };
        put(offsets.func_refs(), func_ref_ptrs.as_ptr() as usize);
        put(offsets.sig_ids(), sig_ids.as_ptr() as usize);
        // Leave 256 KiB of slack below the current stack position.
        let marker = 0u8;
        let here = &marker as *const u8 as usize;
        put(offsets.stack_limit(), here - (256 << 10));
        if counts.num_memories > 0 {
            put(
                offsets.memory(0),
                &mut *memory_def as *mut VMMemoryDefinition as usize,
            );
        }
        if counts.num_tables > 0 {
            put(
                offsets.table(0),
                &mut *table_def as *mut VMTableDefinition as usize,
            );
        }
        for (i, g) in global_ptrs.iter().enumerate() {
            put(offsets.global(i as u32), *g as usize);
        }
        Jit {
            _ctx: ctx,
            engine,
            offsets,
            vmctx,
            _func_refs: func_refs,
            _func_ref_ptrs: func_ref_ptrs,
            _sig_ids: sig_ids,
            memory,
            memory_def,
            table,
            _table_def: table_def,
            globals,
            _global_ptrs: global_ptrs,
            func_ref_addrs,
        }
    }

    /// The VMContext pointer, after pointing the grow intrinsic at this
    /// instance's memory.
    pub fn vmctx(&mut self) -> *mut u8 {
        let def = &mut *self.memory_def as *mut VMMemoryDefinition;
        MEMORY.with(|m| m.set(def));
        self.vmctx.as_mut_ptr() as *mut u8
    }

    /// Native address of function `index`.
    pub fn func(&self, index: u32) -> usize {
        self.func_ref_addrs[index as usize]
    }

    /// Current memory length in bytes.
    pub fn memory_length(&self) -> usize {
        self.memory_def.length
    }

    /// Keeps the engine alive (and silences the unused-field lint).
    pub fn engine(&self) -> &ExecutionEngine<'static> {
        &self.engine
    }
}

/// Runs `f` in a forked child and returns its exit status: 0 when `f`
/// returns, `100 + code` when compiled code trapped with `code`.
pub fn status_in_child(f: impl FnOnce()) -> i32 {
    // SAFETY: the child only runs already-compiled code and then `_exit`s;
    // it touches no lock another thread could hold.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        // SAFETY: a plain libc call; a hung child dies of SIGALRM.
        unsafe { libc::alarm(20) };
        f();
        // SAFETY: leaving the child without running the parent's atexit hooks.
        unsafe { libc::_exit(0) }
    }
    let mut status = 0;
    // SAFETY: waiting for the child created above.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    }
}
