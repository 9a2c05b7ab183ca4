//! `sock_*`: this host gives a program no sockets (there is no way to
//! preopen one), so every descriptor it can name is not a socket.

use crate::wasi::errno::Errno;
use crate::wasi::memory::GuestMemory;
use crate::wasi::{Args, CallResult, WasiCtx};

/// `Badf` for a closed descriptor, else `Notsock`.
fn not_a_socket(cx: &WasiCtx, fd: u32) -> CallResult {
    cx.fds.get(fd)?;
    Err(Errno::Notsock.into())
}

pub fn sock_accept(cx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    not_a_socket(cx, a.u32(0))
}

pub fn sock_recv(cx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    not_a_socket(cx, a.u32(0))
}

pub fn sock_send(cx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    not_a_socket(cx, a.u32(0))
}

pub fn sock_shutdown(cx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    not_a_socket(cx, a.u32(0))
}
