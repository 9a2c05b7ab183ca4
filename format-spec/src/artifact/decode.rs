//! Decoders of the artifact's records from their bincode form (SPEC.md
//! 4.6, 4.8, 4.8.2), one function per record, fields in the order the
//! spec lists them.

use super::wire::{Wire, WireResult};
use super::{
    BoundsChecks, CompileFlags, ConstExpr, ConstOp, DataMode, DataSegment, ElementItems,
    ElementMode, ElementSegment, Export, ExternKind, FuncName, FuncType, Global, GlobalType,
    Import, ImportType, MemoryType, ModuleMetadata, RefType, Table, TableType, ValType,
};

/// The header fields after the frozen prefix, in encoding order.
pub(crate) type HeaderBody = (String, String, String, Vec<String>, CompileFlags, [u8; 32]);

/// Reads all of `bytes` with `read`.
pub(crate) fn all<T>(
    bytes: &[u8],
    read: impl FnOnce(&mut Wire<'_>) -> WireResult<T>,
) -> WireResult<T> {
    let mut w = Wire::new(bytes);
    let value = read(&mut w)?;
    w.finish()?;
    Ok(value)
}

pub(crate) fn header_body(w: &mut Wire<'_>) -> WireResult<HeaderBody> {
    let compiler_version = w.string()?;
    let target = w.string()?;
    let cpu = w.string()?;
    let cpu_features = w.seq(Wire::string)?;
    let opt_level = w.u8()?;
    let size_level = w.u8()?;
    let bounds_checks = match w.tag("BoundsChecks", 2)? {
        0 => BoundsChecks::GuardPages {
            guard_size: w.u64()?,
        },
        _ => BoundsChecks::Explicit,
    };
    let llvm_passes = w.seq(Wire::string)?;
    let flags = CompileFlags {
        opt_level,
        size_level,
        bounds_checks,
        llvm_passes,
    };
    Ok((
        compiler_version,
        target,
        cpu,
        cpu_features,
        flags,
        w.array()?,
    ))
}

pub(crate) fn metadata(w: &mut Wire<'_>) -> WireResult<ModuleMetadata> {
    Ok(ModuleMetadata {
        types: w.seq(func_type)?,
        imports: w.seq(import)?,
        functions: w.seq(Wire::u32)?,
        tables: w.seq(|w| {
            Ok(Table {
                ty: table_type(w)?,
                init: w.option(const_expr)?,
            })
        })?,
        memories: w.seq(memory_type)?,
        globals: w.seq(|w| {
            Ok(Global {
                ty: global_type(w)?,
                init: const_expr(w)?,
            })
        })?,
        exports: w.seq(export)?,
        start: w.option(Wire::u32)?,
        elements: w.seq(element)?,
        data: w.seq(data)?,
        name: w.option(Wire::string)?,
        func_names: Vec::new(),
    })
}

pub(crate) fn func_name(w: &mut Wire<'_>) -> WireResult<FuncName> {
    Ok(FuncName {
        index: w.u32()?,
        name: w.string()?,
    })
}

fn ref_type(w: &mut Wire<'_>) -> WireResult<RefType> {
    Ok(match w.tag("RefType", 2)? {
        0 => RefType::FuncRef,
        _ => RefType::ExternRef,
    })
}

fn val_type(w: &mut Wire<'_>) -> WireResult<ValType> {
    Ok(match w.tag("ValType", 6)? {
        0 => ValType::I32,
        1 => ValType::I64,
        2 => ValType::F32,
        3 => ValType::F64,
        4 => ValType::V128,
        _ => ValType::Ref(ref_type(w)?),
    })
}

fn func_type(w: &mut Wire<'_>) -> WireResult<FuncType> {
    Ok(FuncType {
        params: w.seq(val_type)?,
        results: w.seq(val_type)?,
    })
}

fn table_type(w: &mut Wire<'_>) -> WireResult<TableType> {
    Ok(TableType {
        elem: ref_type(w)?,
        min: w.u64()?,
        max: w.option(Wire::u64)?,
        table64: w.bool()?,
    })
}

fn memory_type(w: &mut Wire<'_>) -> WireResult<MemoryType> {
    Ok(MemoryType {
        min: w.u64()?,
        max: w.option(Wire::u64)?,
        memory64: w.bool()?,
        shared: w.bool()?,
    })
}

fn global_type(w: &mut Wire<'_>) -> WireResult<GlobalType> {
    Ok(GlobalType {
        val: val_type(w)?,
        mutable: w.bool()?,
    })
}

fn extern_kind(w: &mut Wire<'_>) -> WireResult<ExternKind> {
    Ok(match w.tag("ExternKind", 4)? {
        0 => ExternKind::Func,
        1 => ExternKind::Table,
        2 => ExternKind::Memory,
        _ => ExternKind::Global,
    })
}

fn import(w: &mut Wire<'_>) -> WireResult<Import> {
    let module = w.string()?;
    let name = w.string()?;
    let ty = match w.tag("ImportType", 4)? {
        0 => ImportType::Func(w.u32()?),
        1 => ImportType::Table(table_type(w)?),
        2 => ImportType::Memory(memory_type(w)?),
        _ => ImportType::Global(global_type(w)?),
    };
    Ok(Import { module, name, ty })
}

fn export(w: &mut Wire<'_>) -> WireResult<Export> {
    Ok(Export {
        name: w.string()?,
        kind: extern_kind(w)?,
        index: w.u32()?,
    })
}

fn const_op(w: &mut Wire<'_>) -> WireResult<ConstOp> {
    Ok(match w.tag("ConstOp", 14)? {
        0 => ConstOp::I32Const(w.i32()?),
        1 => ConstOp::I64Const(w.i64()?),
        2 => ConstOp::F32Const(w.u32()?),
        3 => ConstOp::F64Const(w.u64()?),
        4 => ConstOp::V128Const(w.array()?),
        5 => ConstOp::RefNull(ref_type(w)?),
        6 => ConstOp::RefFunc(w.u32()?),
        7 => ConstOp::GlobalGet(w.u32()?),
        8 => ConstOp::I32Add,
        9 => ConstOp::I32Sub,
        10 => ConstOp::I32Mul,
        11 => ConstOp::I64Add,
        12 => ConstOp::I64Sub,
        _ => ConstOp::I64Mul,
    })
}

fn const_expr(w: &mut Wire<'_>) -> WireResult<ConstExpr> {
    w.seq(const_op).map(ConstExpr)
}

fn element(w: &mut Wire<'_>) -> WireResult<ElementSegment> {
    let mode = match w.tag("ElementMode", 3)? {
        0 => ElementMode::Active {
            table: w.u32()?,
            offset: const_expr(w)?,
        },
        1 => ElementMode::Passive,
        _ => ElementMode::Declarative,
    };
    let elem = ref_type(w)?;
    let items = match w.tag("ElementItems", 2)? {
        0 => ElementItems::Functions(w.seq(Wire::u32)?),
        _ => ElementItems::Exprs(w.seq(const_expr)?),
    };
    Ok(ElementSegment { mode, elem, items })
}

fn data(w: &mut Wire<'_>) -> WireResult<DataSegment> {
    let mode = match w.tag("DataMode", 2)? {
        0 => DataMode::Active {
            memory: w.u32()?,
            offset: const_expr(w)?,
        },
        _ => DataMode::Passive,
    };
    Ok(DataSegment {
        mode,
        offset: w.u64()?,
        len: w.u64()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::codec::encode;

    fn every_const_op() -> ConstExpr {
        use ConstOp::*;
        ConstExpr(vec![
            I32Const(-7),
            I64Const(i64::MIN),
            F32Const(0x7fc0_0001),
            F64Const(u64::MAX),
            V128Const([9; 16]),
            RefNull(RefType::ExternRef),
            RefFunc(70_000),
            GlobalGet(3),
            I32Add,
            I32Sub,
            I32Mul,
            I64Add,
            I64Sub,
            I64Mul,
        ])
    }

    /// Every variant of every record, in one module (not a valid one:
    /// decoding does not validate).
    fn every_variant() -> ModuleMetadata {
        let table = TableType {
            elem: RefType::ExternRef,
            min: 1 << 40,
            max: Some(u64::MAX),
            table64: true,
        };
        let memory = MemoryType {
            min: 2,
            max: None,
            memory64: true,
            shared: true,
        };
        let global = GlobalType {
            val: ValType::V128,
            mutable: true,
        };
        let import = |name: &str, ty| Import {
            module: "m\u{e9}".into(),
            name: name.into(),
            ty,
        };
        let all_vals = [
            ValType::I32,
            ValType::I64,
            ValType::F32,
            ValType::F64,
            ValType::V128,
            ValType::Ref(RefType::FuncRef),
            ValType::Ref(RefType::ExternRef),
        ];
        ModuleMetadata {
            types: vec![FuncType::new(all_vals, all_vals), FuncType::default()],
            imports: vec![
                import("f", ImportType::Func(1)),
                import("t", ImportType::Table(table)),
                import("m", ImportType::Memory(memory)),
                import("g", ImportType::Global(global)),
            ],
            functions: vec![0, 1, 300],
            tables: vec![
                Table {
                    ty: table,
                    init: Some(every_const_op()),
                },
                Table {
                    ty: table,
                    init: None,
                },
            ],
            memories: vec![memory],
            globals: vec![Global {
                ty: global,
                init: every_const_op(),
            }],
            exports: [
                ExternKind::Func,
                ExternKind::Table,
                ExternKind::Memory,
                ExternKind::Global,
            ]
            .into_iter()
            .enumerate()
            .map(|(i, kind)| Export {
                name: format!("e{i}"),
                kind,
                index: i as u32 * 1000,
            })
            .collect(),
            start: Some(2),
            elements: vec![
                ElementSegment {
                    mode: ElementMode::Active {
                        table: 1,
                        offset: every_const_op(),
                    },
                    elem: RefType::FuncRef,
                    items: ElementItems::Functions(vec![0, 65_536]),
                },
                ElementSegment {
                    mode: ElementMode::Passive,
                    elem: RefType::ExternRef,
                    items: ElementItems::Exprs(vec![every_const_op()]),
                },
                ElementSegment {
                    mode: ElementMode::Declarative,
                    elem: RefType::FuncRef,
                    items: ElementItems::Functions(vec![]),
                },
            ],
            data: vec![
                DataSegment {
                    mode: DataMode::Active {
                        memory: 0,
                        offset: every_const_op(),
                    },
                    offset: 5,
                    len: 1 << 33,
                },
                DataSegment {
                    mode: DataMode::Passive,
                    offset: 0,
                    len: 0,
                },
            ],
            name: Some("every".into()),
            func_names: Vec::new(),
        }
    }

    #[test]
    fn every_record_reads_back_as_bincode_wrote_it() {
        let meta = every_variant();
        let bytes = encode(&meta);
        assert_eq!(all(&bytes, metadata), Ok(meta));
        for cut in 0..bytes.len() {
            assert!(all(&bytes[..cut], metadata).is_err(), "cut at {cut}");
        }
        let names = vec![FuncName {
            index: 70_000,
            name: "n\u{e9}".into(),
        }];
        assert_eq!(all(&encode(&names), |w| w.seq(func_name)), Ok(names));
    }

    #[test]
    fn every_header_body_reads_back() {
        for bounds_checks in [
            BoundsChecks::Explicit,
            BoundsChecks::GuardPages {
                guard_size: 1 << 31,
            },
        ] {
            let body: HeaderBody = (
                "kilnc".into(),
                "riscv64-unknown-linux-gnu".into(),
                "generic-rv64".into(),
                vec!["+m".into(), "+a".into()],
                CompileFlags {
                    opt_level: 2,
                    size_level: 1,
                    bounds_checks,
                    llvm_passes: vec!["instcombine".into()],
                },
                [0xab; 32],
            );
            assert_eq!(all(&encode(&body), header_body), Ok(body));
        }
    }
}
