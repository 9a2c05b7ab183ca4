//! Every `wasi_snapshot_preview1` function: its name, parameter types (the
//! result is one `i32` errno, except `proc_exit`'s none) and handler.

mod args_env;
mod clock;
mod fd_io;
mod fd_stat;
mod path;
mod poll;
mod proc;
pub(crate) mod readdir;
mod sock;

use super::Handler;
use crate::types::ValType;

const I: ValType = ValType::I32;
const L: ValType = ValType::I64;

/// The table [`super::add_to_linker`] defines, in the witx's order.
pub(crate) const ALL: &[(&str, &[ValType], Handler)] = &[
    ("args_get", &[I, I], args_env::args_get),
    ("args_sizes_get", &[I, I], args_env::args_sizes_get),
    ("environ_get", &[I, I], args_env::environ_get),
    ("environ_sizes_get", &[I, I], args_env::environ_sizes_get),
    ("clock_res_get", &[I, I], clock::clock_res_get),
    ("clock_time_get", &[I, L, I], clock::clock_time_get),
    ("fd_advise", &[I, L, L, I], fd_io::fd_advise),
    ("fd_allocate", &[I, L, L], fd_io::fd_allocate),
    ("fd_close", &[I], fd_io::fd_close),
    ("fd_datasync", &[I], fd_io::fd_datasync),
    ("fd_fdstat_get", &[I, I], fd_stat::fd_fdstat_get),
    ("fd_fdstat_set_flags", &[I, I], fd_stat::fd_fdstat_set_flags),
    (
        "fd_fdstat_set_rights",
        &[I, L, L],
        fd_stat::fd_fdstat_set_rights,
    ),
    ("fd_filestat_get", &[I, I], fd_stat::fd_filestat_get),
    (
        "fd_filestat_set_size",
        &[I, L],
        fd_stat::fd_filestat_set_size,
    ),
    (
        "fd_filestat_set_times",
        &[I, L, L, I],
        fd_stat::fd_filestat_set_times,
    ),
    ("fd_pread", &[I, I, I, L, I], fd_io::fd_pread),
    ("fd_prestat_get", &[I, I], fd_stat::fd_prestat_get),
    (
        "fd_prestat_dir_name",
        &[I, I, I],
        fd_stat::fd_prestat_dir_name,
    ),
    ("fd_pwrite", &[I, I, I, L, I], fd_io::fd_pwrite),
    ("fd_read", &[I, I, I, I], fd_io::fd_read),
    ("fd_readdir", &[I, I, I, L, I], readdir::fd_readdir),
    ("fd_renumber", &[I, I], fd_io::fd_renumber),
    ("fd_seek", &[I, L, I, I], fd_io::fd_seek),
    ("fd_sync", &[I], fd_io::fd_sync),
    ("fd_tell", &[I, I], fd_io::fd_tell),
    ("fd_write", &[I, I, I, I], fd_io::fd_write),
    (
        "path_create_directory",
        &[I, I, I],
        path::path_create_directory,
    ),
    (
        "path_filestat_get",
        &[I, I, I, I, I],
        path::path_filestat_get,
    ),
    (
        "path_filestat_set_times",
        &[I, I, I, I, L, L, I],
        path::path_filestat_set_times,
    ),
    ("path_link", &[I, I, I, I, I, I, I], path::path_link),
    ("path_open", &[I, I, I, I, I, L, L, I, I], path::path_open),
    ("path_readlink", &[I, I, I, I, I, I], path::path_readlink),
    (
        "path_remove_directory",
        &[I, I, I],
        path::path_remove_directory,
    ),
    ("path_rename", &[I, I, I, I, I, I], path::path_rename),
    ("path_symlink", &[I, I, I, I, I], path::path_symlink),
    ("path_unlink_file", &[I, I, I], path::path_unlink_file),
    ("poll_oneoff", &[I, I, I, I], poll::poll_oneoff),
    ("proc_exit", &[I], proc::proc_exit),
    ("proc_raise", &[I], proc::proc_raise),
    ("sched_yield", &[], proc::sched_yield),
    ("random_get", &[I, I], proc::random_get),
    ("sock_accept", &[I, I, I], sock::sock_accept),
    ("sock_recv", &[I, I, I, I, I, I], sock::sock_recv),
    ("sock_send", &[I, I, I, I, I], sock::sock_send),
    ("sock_shutdown", &[I, I], sock::sock_shutdown),
];
