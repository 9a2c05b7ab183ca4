//! Other runtimes measured beside Kiln in the same run, as extra rows:
//! today `wasmi` (the interpreter Kiln's is compared with; `cargo install
//! wasmi_cli --locked` installs it), used when it is on `PATH` or given
//! with `--wasmi`. A peer that is missing is said once, never an error.

use crate::report::{Row, Status};
use crate::runner::Cmd;
use std::path::{Path, PathBuf};

/// The row name of the wasmi peer.
pub const WASMI: &str = "wasmi";

/// The wasmi binary: `given`, else `wasmi` on `PATH`.
pub fn find_wasmi(given: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = given {
        return Some(path.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("wasmi"))
        .find(|p| p.is_file())
}

/// `wasmi WASM`: runs the workload's `_start` under WASI, as `kiln run`
/// does.
pub fn wasmi_cmd(wasmi: &Path, wasm: &Path) -> Cmd {
    let mut cmd = Cmd::new(wasmi);
    cmd.arg(wasm);
    cmd
}

/// The geometric mean of Kiln's interpreter time over wasmi's, on the
/// workloads both ran (`None` when there are none).
pub fn interp_over_wasmi(rows: &[Row]) -> Option<(f64, usize)> {
    let ok = |r: &&Row| r.status == Status::Ok;
    let ratios: Vec<f64> = rows
        .iter()
        .filter(|r| r.mode == WASMI)
        .filter(ok)
        .filter_map(|theirs| {
            let ours = rows
                .iter()
                .filter(ok)
                .find(|r| r.workload == theirs.workload && r.mode == "interp")?;
            Some(ours.time?.as_secs_f64() / theirs.time?.as_secs_f64())
        })
        .collect();
    let g = crate::report::geomean(&ratios)?;
    Some((g, ratios.len()))
}
