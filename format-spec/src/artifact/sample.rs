//! A fixed small module and header used by the golden and corruption
//! tests. Changing anything here changes the pinned bytes.

use super::*;

/// A module touching every kind of metadata entry.
pub fn sample_metadata() -> ModuleMetadata {
    use ConstOp::*;
    let i32_pair_to_i32 = FuncType {
        params: vec![ValType::I32, ValType::I32],
        results: vec![ValType::I32],
    };
    let extern_to_f64 = FuncType {
        params: vec![ValType::Ref(RefType::ExternRef)],
        results: vec![ValType::F64],
    };
    ModuleMetadata {
        types: vec![i32_pair_to_i32, FuncType::default(), extern_to_f64],
        imports: vec![
            Import {
                module: "env".into(),
                name: "print".into(),
                ty: ImportType::Func(0),
            },
            Import {
                module: "env".into(),
                name: "base".into(),
                ty: ImportType::Global(GlobalType {
                    val: ValType::I32,
                    mutable: false,
                }),
            },
            Import {
                module: "env".into(),
                name: "mem".into(),
                ty: ImportType::Memory(MemoryType {
                    min: 1,
                    max: Some(300),
                    memory64: false,
                    shared: false,
                }),
            },
        ],
        functions: vec![0, 1],
        tables: vec![Table {
            ty: TableType {
                elem: RefType::FuncRef,
                min: 4,
                max: None,
                table64: false,
            },
            init: None,
        }],
        memories: vec![],
        globals: vec![
            Global {
                ty: GlobalType {
                    val: ValType::I64,
                    mutable: true,
                },
                init: ConstExpr::of(I64Const(-1)),
            },
            Global {
                ty: GlobalType {
                    val: ValType::F32,
                    mutable: false,
                },
                init: ConstExpr::of(F32Const(1.5f32.to_bits())),
            },
            Global {
                ty: GlobalType {
                    val: ValType::I32,
                    mutable: false,
                },
                init: ConstExpr(vec![GlobalGet(0), I32Const(16), I32Add]),
            },
            Global {
                ty: GlobalType {
                    val: ValType::V128,
                    mutable: false,
                },
                init: ConstExpr::of(V128Const([7; 16])),
            },
        ],
        exports: vec![
            Export {
                name: "add".into(),
                kind: ExternKind::Func,
                index: 1,
            },
            Export {
                name: "memory".into(),
                kind: ExternKind::Memory,
                index: 0,
            },
            Export {
                name: "g".into(),
                kind: ExternKind::Global,
                index: 3,
            },
        ],
        start: Some(2),
        elements: vec![
            ElementSegment {
                mode: ElementMode::Active {
                    table: 0,
                    offset: ConstExpr::of(I32Const(1)),
                },
                elem: RefType::FuncRef,
                items: ElementItems::Functions(vec![1, 2]),
            },
            ElementSegment {
                mode: ElementMode::Declarative,
                elem: RefType::FuncRef,
                items: ElementItems::Exprs(vec![
                    ConstExpr::of(RefFunc(0)),
                    ConstExpr::of(RefNull(RefType::FuncRef)),
                ]),
            },
        ],
        data: vec![
            DataSegment {
                mode: DataMode::Active {
                    memory: 0,
                    offset: ConstExpr::of(GlobalGet(0)),
                },
                offset: 0,
                len: 5,
            },
            DataSegment {
                mode: DataMode::Passive,
                offset: 5,
                len: 3,
            },
        ],
        name: Some("sample".into()),
        func_names: vec![
            FuncName {
                index: 0,
                name: "print".into(),
            },
            FuncName {
                index: 1,
                name: "add".into(),
            },
        ],
    }
}

/// The bytes of `.kiln.data` for [`sample_metadata`].
pub const SAMPLE_DATA: &[u8] = b"hellofoo";

/// A header for an x86_64 build of [`sample_metadata`].
pub fn sample_header() -> ArtifactHeader {
    ArtifactHeader {
        format_version: FORMAT_VERSION,
        compiler_version: "kilnc 0.1.0".into(),
        target: "x86_64-unknown-linux-gnu".into(),
        cpu: "x86-64-v3".into(),
        cpu_features: vec!["avx2".into(), "bmi2".into()],
        flags: CompileFlags {
            opt_level: 3,
            size_level: 0,
            bounds_checks: BoundsChecks::GuardPages {
                guard_size: 2 << 30,
            },
            llvm_passes: vec![],
        },
        wasm_hash: wasm_hash(b"\0asm\x01\0\0\0"),
    }
}
