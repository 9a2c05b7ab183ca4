//! The state a WASI program sees: its arguments, environment and file
//! descriptors, and the exit status once it calls `proc_exit`.

use super::fdtable::{Entry, FdTable, Handle};
use super::funcs::readdir::DirEntry;
use super::types::rights;
use cap_std::ambient_authority;
use cap_std::fs::Dir;
use std::collections::HashMap;
use std::io;
use std::path::Path;

/// One program's WASI state; kept in the store's data.
pub struct WasiCtx {
    pub(crate) args: Vec<Vec<u8>>,
    pub(crate) env: Vec<Vec<u8>>,
    pub(crate) fds: FdTable,
    /// The listing `fd_readdir` took of each directory descriptor.
    pub(crate) listings: HashMap<u32, Vec<DirEntry>>,
}

impl WasiCtx {
    /// A builder starting with no arguments, no environment, the host's
    /// stdio and no directories.
    pub fn builder() -> WasiCtxBuilder {
        WasiCtxBuilder {
            ctx: WasiCtx {
                args: Vec::new(),
                env: Vec::new(),
                fds: FdTable::with_stdio(),
                listings: HashMap::new(),
            },
        }
    }
}

/// Builds a [`WasiCtx`].
pub struct WasiCtxBuilder {
    ctx: WasiCtx,
}

impl WasiCtxBuilder {
    /// Appends one argument (the first is the program name, `argv[0]`).
    pub fn arg(mut self, arg: &str) -> Self {
        self.ctx.args.push(arg.as_bytes().to_vec());
        self
    }

    /// Appends arguments.
    pub fn args<S: AsRef<str>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        for a in args {
            self = self.arg(a.as_ref());
        }
        self
    }

    /// Adds the environment variable `key=value`.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.ctx.env.push(format!("{key}={value}").into_bytes());
        self
    }

    /// Preopens host directory `host` for the guest under the name `guest`
    /// (`--map-dir=GUEST::HOST`; `--dir=D` is `D` under its own name).
    /// Everything the guest opens through it stays inside it.
    pub fn preopened_dir(mut self, host: impl AsRef<Path>, guest: &str) -> io::Result<Self> {
        let host = host.as_ref();
        let dir = Dir::open_ambient_dir(host, ambient_authority()).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot open directory `{}`: {e}", host.display()),
            )
        })?;
        self.ctx
            .fds
            .insert(Entry {
                handle: Handle::Dir(dir),
                base: rights::DIR,
                inheriting: rights::ALL,
                flags: 0,
                preopen: Some(guest.to_string()),
            })
            .map_err(|_| io::Error::other("too many preopened directories"))?;
        Ok(self)
    }

    /// Gives the guest the null device as stdin, stdout and stderr instead
    /// of the host's: reads see end of file, writes vanish (for embedders
    /// that run untrusted or generated programs unattended).
    pub fn null_stdio(mut self) -> io::Result<Self> {
        for fd in 0..3u32 {
            let null = std::fs::OpenOptions::new()
                .read(fd == 0)
                .write(fd != 0)
                .open("/dev/null")?;
            self.ctx.fds.replace(
                fd,
                Entry {
                    handle: Handle::File(null),
                    base: rights::STDIO,
                    inheriting: 0,
                    flags: 0,
                    preopen: None,
                },
            );
        }
        Ok(self)
    }

    /// The context.
    pub fn build(self) -> WasiCtx {
        self.ctx
    }
}
