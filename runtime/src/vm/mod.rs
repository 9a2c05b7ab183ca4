//! The runtime side of the shared instance layout and the memory behind it.

pub(crate) mod bulk;
pub(crate) mod host_context;
pub(crate) mod memory;
pub(crate) mod table;
pub(crate) mod traps;
pub(crate) mod vmcontext;

pub(crate) use memory::LinearMemory;
pub(crate) use vmcontext::{
    VMContext, VMFuncRef, VMGlobalDefinition, VMMemoryDefinition, VMTableDefinition,
};
