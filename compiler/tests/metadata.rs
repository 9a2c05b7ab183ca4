//! The module metadata an artifact carries, for a fixed module using every
//! kind of import, export, element and data segment (a golden check).

use kiln_format::artifact::{
    ConstExpr, ConstOp, DataMode, DataSegment, ElementItems, ElementMode, ElementSegment, Export,
    ExternKind, FuncName, FuncType, Global, GlobalType, Import, ImportType, MemoryType,
    ModuleMetadata, RefType, Table, TableType, ValType,
};

const GOLDEN: &str = r#"(module $golden
  (type $v (func))
  (type $ii (func (param i32) (result i32)))
  (import "env" "f" (func $imp (type $ii)))
  (import "env" "mem" (memory 1 2))
  (import "env" "g" (global $gi i32))
  (import "env" "tab" (table 2 funcref))
  (table $t 3 10 funcref)
  (table $e 1 externref)
  (global $gm (mut i64) (i64.const -1))
  (global $gf f32 (f32.const 1.5))
  (global $gg i32 (global.get $gi))
  (func $start (type $v))
  (func $id (type $ii) (local.get 0))
  (export "id" (func $id))
  (export "t" (table $t))
  (export "gm" (global $gm))
  (export "mem" (memory 0))
  (start $start)
  (elem (i32.const 0) $id $imp)
  (elem $p funcref (ref.func $id) (ref.null func))
  (elem declare func $start)
  (elem (table $t) (offset (global.get $gi)) funcref (ref.func $imp))
  (data (i32.const 8) "abc")
  (data $pd "xyz!"))"#;

fn expr(ops: &[ConstOp]) -> ConstExpr {
    ConstExpr(ops.to_vec())
}

fn expected() -> ModuleMetadata {
    let ii = FuncType {
        params: vec![ValType::I32],
        results: vec![ValType::I32],
    };
    let funcref = |min, max| TableType {
        elem: RefType::FuncRef,
        min,
        max,
        table64: false,
    };
    ModuleMetadata {
        types: vec![FuncType::default(), ii],
        imports: vec![
            Import {
                module: "env".into(),
                name: "f".into(),
                ty: ImportType::Func(1),
            },
            Import {
                module: "env".into(),
                name: "mem".into(),
                ty: ImportType::Memory(MemoryType {
                    min: 1,
                    max: Some(2),
                    memory64: false,
                    shared: false,
                }),
            },
            Import {
                module: "env".into(),
                name: "g".into(),
                ty: ImportType::Global(GlobalType {
                    val: ValType::I32,
                    mutable: false,
                }),
            },
            Import {
                module: "env".into(),
                name: "tab".into(),
                ty: ImportType::Table(funcref(2, None)),
            },
        ],
        functions: vec![0, 1],
        tables: vec![
            Table {
                ty: funcref(3, Some(10)),
                init: None,
            },
            Table {
                ty: TableType {
                    elem: RefType::ExternRef,
                    min: 1,
                    max: None,
                    table64: false,
                },
                init: None,
            },
        ],
        memories: vec![],
        globals: vec![
            Global {
                ty: GlobalType {
                    val: ValType::I64,
                    mutable: true,
                },
                init: expr(&[ConstOp::I64Const(-1)]),
            },
            Global {
                ty: GlobalType {
                    val: ValType::F32,
                    mutable: false,
                },
                init: expr(&[ConstOp::F32Const(1.5f32.to_bits())]),
            },
            Global {
                ty: GlobalType {
                    val: ValType::I32,
                    mutable: false,
                },
                init: expr(&[ConstOp::GlobalGet(0)]),
            },
        ],
        exports: vec![
            Export {
                name: "id".into(),
                kind: ExternKind::Func,
                index: 2,
            },
            Export {
                name: "t".into(),
                kind: ExternKind::Table,
                index: 1,
            },
            Export {
                name: "gm".into(),
                kind: ExternKind::Global,
                index: 1,
            },
            Export {
                name: "mem".into(),
                kind: ExternKind::Memory,
                index: 0,
            },
        ],
        start: Some(1),
        elements: vec![
            ElementSegment {
                mode: ElementMode::Active {
                    table: 0,
                    offset: expr(&[ConstOp::I32Const(0)]),
                },
                elem: RefType::FuncRef,
                items: ElementItems::Functions(vec![2, 0]),
            },
            ElementSegment {
                mode: ElementMode::Passive,
                elem: RefType::FuncRef,
                items: ElementItems::Exprs(vec![
                    expr(&[ConstOp::RefFunc(2)]),
                    expr(&[ConstOp::RefNull(RefType::FuncRef)]),
                ]),
            },
            ElementSegment {
                mode: ElementMode::Declarative,
                elem: RefType::FuncRef,
                items: ElementItems::Functions(vec![1]),
            },
            ElementSegment {
                mode: ElementMode::Active {
                    table: 1,
                    offset: expr(&[ConstOp::GlobalGet(0)]),
                },
                elem: RefType::FuncRef,
                items: ElementItems::Exprs(vec![expr(&[ConstOp::RefFunc(0)])]),
            },
        ],
        data: vec![
            DataSegment {
                mode: DataMode::Active {
                    memory: 0,
                    offset: expr(&[ConstOp::I32Const(8)]),
                },
                offset: 0,
                len: 3,
            },
            DataSegment {
                mode: DataMode::Passive,
                offset: 3,
                len: 4,
            },
        ],
        name: Some("golden".into()),
        func_names: vec![
            FuncName {
                index: 0,
                name: "imp".into(),
            },
            FuncName {
                index: 1,
                name: "start".into(),
            },
            FuncName {
                index: 2,
                name: "id".into(),
            },
        ],
    }
}

#[test]
fn a_fixed_module_has_the_expected_metadata() {
    let wasm = wat::parse_str(GOLDEN).unwrap();
    let (meta, data) = ModuleMetadata::from_wasm(&wasm).unwrap();
    assert_eq!(meta, expected());
    assert_eq!(data, b"abcxyz!");
    meta.validate().unwrap();
    meta.validate_data(data.len()).unwrap();
}

#[test]
fn bad_function_names_are_dropped_not_fatal() {
    // A name section with names out of order, repeated and out of range:
    // the module stays valid, the format wants ascending in-range names.
    // (wasmparser stops at the first out-of-order entry; what was read
    // before it is kept.)
    let mut wasm = wat::parse_str("(module (func) (func))").unwrap();
    let names: &[(u32, &str)] = &[(0, "a"), (7, "missing"), (1, "b"), (1, "again")];
    let mut map = vec![names.len() as u8];
    for (index, name) in names {
        map.push(*index as u8);
        map.push(name.len() as u8);
        map.extend_from_slice(name.as_bytes());
    }
    let mut sub = vec![1u8, map.len() as u8];
    sub.extend(map);
    let mut payload = vec![4u8];
    payload.extend_from_slice(b"name");
    payload.extend(sub);
    wasm.push(0);
    wasm.push(payload.len() as u8);
    wasm.extend(payload);
    let (meta, _) = ModuleMetadata::from_wasm(&wasm).unwrap();
    let names: Vec<_> = meta
        .func_names
        .iter()
        .map(|n| (n.index, n.name.as_str()))
        .collect();
    assert_eq!(names[0], (0, "a"));
    assert!(
        names.iter().all(|n| *n == (0, "a") || *n == (1, "b")),
        "{names:?}"
    );
    meta.validate().unwrap();
}
