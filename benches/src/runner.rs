//! Running one benchmark command several times: whole-process wall-clock
//! timing, a per-run time limit, and reading the checksum the program
//! prints as the last non-empty line of its standard output.

use std::ffi::{OsStr, OsString};
use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How often a running child is polled for exit. Small enough not to blur
/// the timing of runs that take a tenth of a second or more.
const POLL_INTERVAL: Duration = Duration::from_micros(250);

/// A program and its arguments.
#[derive(Clone, Debug)]
pub struct Cmd {
    program: OsString,
    args: Vec<OsString>,
    envs: Vec<(OsString, OsString)>,
}

impl Cmd {
    pub fn new(program: impl AsRef<OsStr>) -> Cmd {
        Cmd {
            program: program.as_ref().to_os_string(),
            args: Vec::new(),
            envs: Vec::new(),
        }
    }

    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Cmd {
        self.args.push(arg.as_ref().to_os_string());
        self
    }

    /// Sets an environment variable for the command.
    pub fn env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Cmd {
        self.envs
            .push((key.as_ref().to_os_string(), value.as_ref().to_os_string()));
        self
    }

    /// The command as a shell-like string, for messages.
    pub fn display(&self) -> String {
        std::iter::once(&self.program)
            .chain(&self.args)
            .map(|s| s.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Why a command could not produce a timing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The program exited with an error that says "not supported".
    Unsupported,
    /// Anything else: could not start, crashed, trapped, timed out, or
    /// printed no parsable checksum. Holds a one-line reason.
    Failed(String),
}

/// The result of running a command `runs` times.
#[derive(Clone, Debug, PartialEq)]
pub enum Measurement {
    /// Every run completed and printed a checksum.
    Done {
        /// Fastest wall time over the runs.
        best: Duration,
        /// The checksum of the first run.
        checksum: i32,
        /// Whether every run printed that same checksum.
        stable: bool,
    },
    /// A run failed; the remaining runs were skipped.
    Stopped(Outcome),
}

/// Runs `cmd` up to `runs` times, stopping at the first failure.
pub fn measure(cmd: &Cmd, runs: u32, timeout: Duration) -> Measurement {
    let mut best: Option<Duration> = None;
    let mut first: Option<i32> = None;
    let mut stable = true;
    for _ in 0..runs {
        match run_once(cmd, timeout) {
            Ok((elapsed, checksum)) => {
                best = Some(best.map_or(elapsed, |b| b.min(elapsed)));
                match first {
                    None => first = Some(checksum),
                    Some(c) if c != checksum => stable = false,
                    Some(_) => {}
                }
            }
            Err(outcome) => return Measurement::Stopped(outcome),
        }
    }
    match (best, first) {
        (Some(best), Some(checksum)) => Measurement::Done {
            best,
            checksum,
            stable,
        },
        _ => Measurement::Stopped(Outcome::Failed("no runs requested".into())),
    }
}

/// A run that finished (with any exit status) within its time limit.
#[derive(Debug)]
pub struct Finished {
    /// Wall time from spawning to exit.
    pub elapsed: Duration,
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` once, capturing its output; kills it after `timeout`.
/// Fails only if it cannot start or times out.
pub fn run_timed(cmd: &Cmd, timeout: Duration) -> Result<Finished, Outcome> {
    let mut command = Command::new(&cmd.program);
    command
        .args(&cmd.args)
        .envs(cmd.envs.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());

    let start = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| Outcome::Failed(format!("cannot start {}: {e}", cmd.display())))?;
    // Drain both pipes on their own threads so a chatty child cannot block.
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = wait_with_timeout(&mut child, start, timeout);
    let elapsed = start.elapsed();
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();

    let Some(status) = status else {
        return Err(Outcome::Failed(format!(
            "timed out after {} s",
            timeout.as_secs()
        )));
    };
    Ok(Finished {
        elapsed,
        status,
        stdout,
        stderr,
    })
}

/// Runs `cmd` once; returns its wall time and checksum.
fn run_once(cmd: &Cmd, timeout: Duration) -> Result<(Duration, i32), Outcome> {
    let run = run_timed(cmd, timeout)?;
    classify(run.status, &run.stdout, &run.stderr).map(|checksum| (run.elapsed, checksum))
}

/// Reads a pipe to its end on a new thread.
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            // A read error just truncates the captured text.
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Waits for `child`, killing it once `timeout` has passed since `start`.
/// Returns `None` if it had to be killed.
fn wait_with_timeout(child: &mut Child, start: Instant, timeout: Duration) -> Option<ExitStatus> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if start.elapsed() >= timeout => {
                // Only our own child, by its handle.
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Ok(None) => thread::sleep(POLL_INTERVAL),
            Err(_) => return child.wait().ok(),
        }
    }
}

/// Decides what a finished run produced.
fn classify(status: ExitStatus, stdout: &str, stderr: &str) -> Result<i32, Outcome> {
    if !status.success() {
        let said_unsupported = [stdout, stderr]
            .iter()
            .any(|text| text.to_ascii_lowercase().contains("not supported"));
        if said_unsupported {
            return Err(Outcome::Unsupported);
        }
        let detail = last_line(stderr)
            .or_else(|| last_line(stdout))
            .unwrap_or("no output");
        return Err(Outcome::Failed(format!("{status}: {}", shorten(detail))));
    }
    parse_checksum(stdout)
}

/// The checksum printed by a run: its last non-empty stdout line, as an
/// `i32` in signed decimal.
pub fn parse_checksum(stdout: &str) -> Result<i32, Outcome> {
    let line =
        last_line(stdout).ok_or_else(|| Outcome::Failed("printed nothing on stdout".into()))?;
    line.parse::<i32>()
        .map_err(|_| Outcome::Failed(format!("last stdout line is not an i32 checksum: {line:?}")))
}

/// `text` cut to a length that fits in a table cell.
pub fn shorten(text: &str) -> String {
    const MAX_CHARS: usize = 100;
    if text.chars().count() <= MAX_CHARS {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX_CHARS).collect();
        format!("{cut}...")
    }
}

/// The last non-blank line of `text`, trimmed.
pub fn last_line(text: &str) -> Option<&str> {
    text.lines().map(str::trim).rfind(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn checksum_is_last_nonempty_line() {
        assert_eq!(parse_checksum("-42\n"), Ok(-42));
        assert_eq!(parse_checksum("loading\n  2147483647  \n\n"), Ok(i32::MAX));
        assert_eq!(parse_checksum("7\r\n"), Ok(7));
        assert!(parse_checksum("").is_err());
        assert!(parse_checksum("12\nresult: 5\n").is_err());
        assert!(parse_checksum("4294967295\n").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn runs_and_classifies_processes() {
        let timeout = Duration::from_secs(30);

        let mut ok = Cmd::new("sh");
        ok.arg("-c").arg("echo warming up; echo -17");
        match measure(&ok, 2, timeout) {
            Measurement::Done {
                checksum, stable, ..
            } => {
                assert_eq!(checksum, -17);
                assert!(stable);
            }
            other => panic!("unexpected {other:?}"),
        }

        let mut unsupported = Cmd::new("sh");
        unsupported
            .arg("-c")
            .arg("echo 'error: --llvm-jit is not supported' >&2; exit 2");
        assert_eq!(
            measure(&unsupported, 3, timeout),
            Measurement::Stopped(Outcome::Unsupported)
        );

        let mut trap = Cmd::new("sh");
        trap.arg("-c").arg("echo 'trap: unreachable' >&2; exit 1");
        match measure(&trap, 3, timeout) {
            Measurement::Stopped(Outcome::Failed(why)) => assert!(why.contains("unreachable")),
            other => panic!("unexpected {other:?}"),
        }

        let mut slow = Cmd::new("sh");
        slow.arg("-c").arg("exec sleep 5");
        match measure(&slow, 1, Duration::from_millis(100)) {
            Measurement::Stopped(Outcome::Failed(why)) => assert!(why.contains("timed out")),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn missing_program_fails_cleanly() {
        let cmd = Cmd::new("/nonexistent/kiln-bench-test-program");
        assert!(matches!(
            measure(&cmd, 1, Duration::from_secs(1)),
            Measurement::Stopped(Outcome::Failed(_))
        ));
    }

    #[test]
    fn long_reasons_are_shortened() {
        assert_eq!(shorten("short"), "short");
        let long = "x".repeat(300);
        assert_eq!(shorten(&long).len(), 103);
    }

    #[test]
    fn path_display() {
        let mut cmd = Cmd::new(Path::new("/x/kiln"));
        cmd.arg("run").arg("--interp");
        assert_eq!(cmd.display(), "/x/kiln run --interp");
    }
}
