//! The results table and the per-mode geometric means.

use std::time::Duration;

use crate::runner::{Measurement, Outcome};

/// What a row's checksum is compared with.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// This is the native row: it is the reference.
    Reference,
    /// Native's checksum.
    Checksum(i32),
    /// Native produced no usable checksum.
    Unknown,
}

/// The verdict on one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// The checksum differs from native's.
    Mismatch,
    /// Runs of the same command printed different checksums.
    Unstable,
    /// The mode reported it is not supported (not a failure).
    Unsupported,
    /// The run did not complete; holds the reason.
    Failed(String),
    /// Completed, but native had no checksum to compare with.
    NoReference,
}

impl Status {
    /// Whether this row makes the whole benchmark fail.
    pub fn is_failure(&self) -> bool {
        !matches!(self, Status::Ok | Status::Unsupported)
    }

    fn label(&self) -> String {
        match self {
            Status::Ok => "ok".into(),
            Status::Mismatch => "MISMATCH".into(),
            Status::Unstable => "UNSTABLE".into(),
            Status::Unsupported => "not supported".into(),
            Status::Failed(why) => format!("FAILED ({why})"),
            Status::NoReference => "NO NATIVE CHECKSUM".into(),
        }
    }
}

/// One line of the table.
#[derive(Clone, Debug)]
pub struct Row {
    pub workload: String,
    pub mode: String,
    pub time: Option<Duration>,
    pub ratio: Option<f64>,
    pub checksum: Option<i32>,
    pub status: Status,
}

impl Row {
    /// Builds a row from a measurement, comparing with native's results.
    pub fn new(
        workload: &str,
        mode: &str,
        m: &Measurement,
        native_time: Option<Duration>,
        expected: Expected,
    ) -> Row {
        let (time, checksum, status) = match m {
            Measurement::Done {
                best,
                checksum,
                stable,
            } => {
                let status = match expected {
                    _ if !stable => Status::Unstable,
                    Expected::Reference => Status::Ok,
                    Expected::Checksum(want) if want == *checksum => Status::Ok,
                    Expected::Checksum(_) => Status::Mismatch,
                    Expected::Unknown => Status::NoReference,
                };
                (Some(*best), Some(*checksum), status)
            }
            Measurement::Stopped(Outcome::Unsupported) => (None, None, Status::Unsupported),
            Measurement::Stopped(Outcome::Failed(why)) => (None, None, Status::Failed(why.clone())),
        };
        let ratio = match (time, native_time) {
            (Some(t), Some(n)) if !n.is_zero() => Some(t.as_secs_f64() / n.as_secs_f64()),
            _ => None,
        };
        Row {
            workload: workload.to_string(),
            mode: mode.to_string(),
            time,
            ratio,
            checksum,
            status,
        }
    }
}

/// Prints the rows as an aligned plain-text table.
pub fn print_table(rows: &[Row]) {
    print!("{}", render_table(rows));
}

fn render_table(rows: &[Row]) -> String {
    let header = [
        "workload",
        "mode",
        "time (ms)",
        "ratio",
        "checksum",
        "status",
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.workload.clone(),
                r.mode.clone(),
                r.time
                    .map_or("-".into(), |t| format!("{:.1}", t.as_secs_f64() * 1e3)),
                r.ratio.map_or("-".into(), |x| format!("{x:.2}x")),
                r.checksum.map_or("-".into(), |c| c.to_string()),
                r.status.label(),
            ]
        })
        .collect();

    // Text columns align left, numbers right.
    let right = [false, false, true, true, true, false];
    grid(&header, &cells, &right)
}

/// An aligned plain-text table: a header line, a rule, then `cells`.
/// Columns with `right[i]` set are right-aligned; the last column is not
/// padded.
pub fn grid(header: &[&str], cells: &[Vec<String>], right: &[bool]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.len());
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push_str(" | ");
            }
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else if right.get(i).copied().unwrap_or(false) {
                out.push_str(&format!("{cell:>w$}", w = widths[i]));
            } else {
                out.push_str(&format!("{cell:<w$}", w = widths[i]));
            }
        }
        out.push('\n');
        out
    };

    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    let mut out = line(&header);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&rule.join("-|-"));
    out.push('\n');
    for row in cells {
        out.push_str(&line(row));
    }
    out
}

/// Geometric mean of `values`, or `None` if empty.
pub fn geomean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let log_sum: f64 = values.iter().map(|v| v.ln()).sum();
    Some((log_sum / values.len() as f64).exp())
}

/// Prints, for each mode, the geometric mean of its ratios to native over
/// the workloads where it ran and matched.
pub fn print_geomeans(rows: &[Row], modes: &[&str], workloads: usize) {
    print!("{}", render_geomeans(rows, modes, workloads));
}

fn render_geomeans(rows: &[Row], modes: &[&str], workloads: usize) -> String {
    let mut out = String::from("geometric mean of time ratio to native, per mode:\n");
    if modes.is_empty() {
        out.push_str("  (no kiln modes run)\n");
        return out;
    }
    let width = modes.iter().map(|m| m.len()).max().unwrap_or(0);
    for mode in modes {
        let ratios: Vec<f64> = rows
            .iter()
            .filter(|r| r.mode == *mode && r.status == Status::Ok)
            .filter_map(|r| r.ratio)
            .collect();
        let value = match geomean(&ratios) {
            Some(g) => format!("{g:.2}x"),
            None => "n/a".into(),
        };
        out.push_str(&format!(
            "  {mode:<width$}  {value:>8}  ({} of {workloads} workloads)\n",
            ratios.len()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(ms: u64, checksum: i32) -> Measurement {
        Measurement::Done {
            best: Duration::from_millis(ms),
            checksum,
            stable: true,
        }
    }

    #[test]
    fn geomean_of_ratios() {
        assert_eq!(geomean(&[]), None);
        let g = geomean(&[2.0, 8.0]).unwrap();
        assert!((g - 4.0).abs() < 1e-12);
    }

    #[test]
    fn rows_compare_with_native() {
        let native = Some(Duration::from_millis(100));
        let ok = Row::new("w", "interp", &done(250, 7), native, Expected::Checksum(7));
        assert_eq!(ok.status, Status::Ok);
        assert!((ok.ratio.unwrap() - 2.5).abs() < 1e-12);

        let bad = Row::new("w", "interp", &done(250, 8), native, Expected::Checksum(7));
        assert_eq!(bad.status, Status::Mismatch);
        assert!(bad.status.is_failure());

        let unsupported = Row::new(
            "w",
            "llvm-jit",
            &Measurement::Stopped(Outcome::Unsupported),
            native,
            Expected::Checksum(7),
        );
        assert_eq!(unsupported.status, Status::Unsupported);
        assert!(!unsupported.status.is_failure());

        let unstable = Measurement::Done {
            best: Duration::from_millis(1),
            checksum: 1,
            stable: false,
        };
        let row = Row::new("w", "native", &unstable, native, Expected::Reference);
        assert_eq!(row.status, Status::Unstable);
    }

    #[test]
    fn table_and_geomeans_render() {
        let native = Some(Duration::from_millis(100));
        let rows = vec![
            Row::new("a", "native", &done(100, 1), native, Expected::Reference),
            Row::new("a", "interp", &done(400, 1), native, Expected::Checksum(1)),
            Row::new(
                "a",
                "fast-jit",
                &Measurement::Stopped(Outcome::Unsupported),
                native,
                Expected::Checksum(1),
            ),
        ];
        let table = render_table(&rows);
        assert!(table.contains("400.0"));
        assert!(table.contains("4.00x"));
        assert!(table.contains("not supported"));
        let means = render_geomeans(&rows, &["interp", "fast-jit"], 1);
        assert!(means.contains("interp       4.00x  (1 of 1 workloads)"));
        assert!(means.contains("fast-jit       n/a  (0 of 1 workloads)"));
    }
}
