//! The interpreter's bulk ops (`memory.fill`,
//! `memory.copy`, `memory.init`, `data.drop`, `table.fill`, `table.copy`,
//! `table.init`, `elem.drop`): rare, so a sub-match of their own called
//! (not inlined) from one arm of the dispatch loop.

use super::frame::table_of;
use super::slots::{g32, g64};
use crate::instance::InstanceEntity;
use crate::interp::code::Op;
use crate::vm::bulk::{memory_copy, memory_fill, memory_init, table_copy, table_fill, table_init};
use crate::vm::LinearMemory;
use kiln_format::TrapCode;

/// Executes the bulk op just before `pc`, returning the pc after it (and
/// its `Arg` word). It reads the op from the code (not passed by value, which
/// would keep the dispatch loop's op in memory).
///
/// # Safety
/// `pc` must point just past a bulk op in the current code, `fp` must be the
/// current frame, `inst` the live current instance and `mem` its memory
/// (null when it has none).
#[inline(never)]
pub(super) unsafe fn execute(
    mut pc: *const Op,
    fp: *mut u64,
    inst: *mut InstanceEntity,
    mem: *mut LinearMemory,
) -> Result<*const Op, TrapCode> {
    macro_rules! arg {
        () => {{
            let Op::Arg { a, b, .. } = *pc else {
                unreachable!("missing Arg word")
            };
            pc = pc.add(1);
            (a, b)
        }};
    }
    // SAFETY: the translator names slots of this frame, segments and
    // tables of this instance, puts the `Arg` words these ops need after
    // them, and emits memory ops only when the instance has a memory (the
    // caller's guarantees cover the rest). Nothing else borrows the
    // memory, tables or instance during the call.
    let r = unsafe {
        match *pc.sub(1) {
            Op::MemoryFill { dst, value, len } => {
                let (dst, value, len) = (g32(fp, dst), g32(fp, value) as u8, g32(fp, len));
                memory_fill(&mut *mem, dst, value, len)
            }
            Op::MemoryCopy { dst, src, len } => {
                memory_copy(&mut *mem, g32(fp, dst), g32(fp, src), g32(fp, len))
            }
            Op::MemoryInit { segment, dst, src } => {
                let (len, _) = arg!();
                let (dst, src, len) = (g32(fp, dst), g32(fp, src), g32(fp, len));
                memory_init(&*inst, &mut *mem, segment, dst, src, len)
            }
            Op::DataDrop { segment } => {
                (&mut *inst).data_dropped[segment as usize] = true;
                Ok(())
            }
            Op::TableFill {
                table,
                index,
                value,
            } => {
                let (len, _) = arg!();
                let (index, value, len) = (g32(fp, index), g64(fp, value) as usize, g32(fp, len));
                table_fill(&mut *table_of(inst, table), index, value, len)
            }
            Op::TableCopy {
                dst_table,
                src_table,
                dst,
            } => {
                let (src, len) = arg!();
                let (d, s) = (table_of(inst, dst_table), table_of(inst, src_table));
                table_copy(d, s, g32(fp, dst), g32(fp, src), g32(fp, len))
            }
            Op::TableInit {
                segment,
                table,
                dst,
            } => {
                let (src, len) = arg!();
                let (dst, src, len) = (g32(fp, dst), g32(fp, src), g32(fp, len));
                table_init(&*inst, &mut *table_of(inst, table), segment, dst, src, len)
            }
            Op::ElemDrop { segment } => {
                (&mut *inst).elems[segment as usize] = Box::default();
                Ok(())
            }
            _ => unreachable!("not a bulk op"),
        }
    };
    r.map(|()| pc)
}
