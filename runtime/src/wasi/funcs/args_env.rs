//! `args_*` and `environ_*`: NUL-terminated strings laid out in a guest
//! buffer, with a table of pointers to them.

use crate::wasi::memory::GuestMemory;
use crate::wasi::{Args, CallResult, WasiCtx};

/// Writes `strings` as pointers at `table` and NUL-terminated bytes at `buf`.
fn put_strings(mem: &mut GuestMemory<'_>, strings: &[Vec<u8>], table: u32, buf: u32) -> CallResult {
    let mut at = buf;
    for (i, s) in strings.iter().enumerate() {
        mem.put_u32(table.wrapping_add(4 * i as u32), at)?;
        mem.write(at, s)?;
        mem.write(at.wrapping_add(s.len() as u32), &[0])?;
        at = at.wrapping_add(s.len() as u32 + 1);
    }
    Ok(())
}

/// Writes the count of `strings` at `count_ptr` and their total size with
/// terminators at `size_ptr`.
fn put_sizes(
    mem: &mut GuestMemory<'_>,
    strings: &[Vec<u8>],
    count_ptr: u32,
    size_ptr: u32,
) -> CallResult {
    let size: usize = strings.iter().map(|s| s.len() + 1).sum();
    mem.put_u32(count_ptr, strings.len() as u32)?;
    mem.put_u32(size_ptr, size as u32)?;
    Ok(())
}

pub fn args_get(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    put_strings(mem, &cx.args, a.u32(0), a.u32(1))
}

pub fn args_sizes_get(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    put_sizes(mem, &cx.args, a.u32(0), a.u32(1))
}

pub fn environ_get(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    put_strings(mem, &cx.env, a.u32(0), a.u32(1))
}

pub fn environ_sizes_get(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    put_sizes(mem, &cx.env, a.u32(0), a.u32(1))
}
