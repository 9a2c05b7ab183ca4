//! The background workers of tier-up: one queue for the process, served by
//! up to [`crate::Config::jit_threads`] threads started on demand, hottest
//! function first (the one that has run most since it became hot), with a
//! few more of the same module in one batch. A job
//! holds its module weakly, so the jobs of a dropped module are dropped.
//! At exit, queued jobs are dropped; only compiles already running are
//! waited for (one function each, bounded), unless the process ends
//! without exit handlers as `kiln` does.

use super::tier_up::{TierUp, Work};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, Weak};
use std::time::{Duration, Instant};

struct Job {
    tier: Weak<TierUp>,
    /// The function (or OSR entry) to compile.
    work: Work,
}

struct Pool {
    queue: Mutex<VecDeque<Job>>,
    ready: Condvar,
    /// Workers started.
    workers: AtomicUsize,
    /// Jobs being compiled.
    busy: AtomicUsize,
}

/// Set at process exit: no job starts any more.
static CLOSING: AtomicBool = AtomicBool::new(false);

/// Longest wait at exit for compiles in flight.
const EXIT_WAIT: Duration = Duration::from_secs(2);

static POOL: Pool = Pool {
    queue: Mutex::new(VecDeque::new()),
    ready: Condvar::new(),
    workers: AtomicUsize::new(0),
    busy: AtomicUsize::new(0),
};

/// The number of workers for `configured` threads (0: the cores less one,
/// at least one).
pub(crate) fn worker_count(configured: usize) -> usize {
    // Asking is a dozen system calls (cgroup files): once per process.
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    match configured {
        0 => CORES
            .get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .saturating_sub(1)
            .max(1),
        n => n,
    }
}

/// Queues `work` of `tier`'s module for LLVM.
pub(crate) fn submit(tier: Weak<TierUp>, job: Work) {
    let limit = tier.upgrade().map_or(1, |t| worker_count(t.jit_threads()));
    let Ok(mut queue) = POOL.queue.lock() else {
        return;
    };
    queue.push_back(Job { tier, work: job });
    drop(queue);
    let started = POOL.workers.load(Ordering::Relaxed);
    if started < limit
        && POOL
            .workers
            .compare_exchange(started, started + 1, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok()
    {
        if started == 0 {
            // SAFETY: `at_exit` is an `extern "C" fn()` that stays valid
            // for the life of the process.
            unsafe { libc::atexit(at_exit) };
        }
        let spawned = std::thread::Builder::new()
            .name("kiln-tier-up".into())
            .spawn(work);
        if spawned.is_err() {
            POOL.workers.fetch_sub(1, Ordering::AcqRel);
        }
    }
    POOL.ready.notify_one();
}

/// Jobs queued or being compiled.
pub(crate) fn outstanding() -> usize {
    POOL.queue.lock().map_or(0, |q| q.len()) + POOL.busy.load(Ordering::Acquire)
}

/// At process exit: drops the queued jobs and waits (briefly) for the
/// compiles in flight. (LLVM's library registers no static destructors, see
/// format-spec SPEC.md section 6, so this handler needs registering only
/// once, when the first worker starts.)
/// Callers that exit without exit handlers (`kiln`: [`super::exit_now`])
/// never wait.
extern "C" fn at_exit() {
    CLOSING.store(true, Ordering::Release);
    if let Ok(mut queue) = POOL.queue.lock() {
        queue.clear();
    }
    let start = Instant::now();
    while POOL.busy.load(Ordering::Acquire) > 0 && start.elapsed() < EXIT_WAIT {
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Functions compiled together, at most: one LLVM context and one mapping
/// for several, while a huge function still does not hold up many.
const BATCH: usize = 4;

/// Jobs looked at for each batch: the oldest ones, so that choosing stays
/// cheap (and the queue's lock short) however long the queue grows.
const WINDOW: usize = 64;

/// Removes the job whose function has run most since it became hot (among
/// the oldest [`WINDOW`]), with up to [`BATCH`] - 1 more of the same module
/// and kind (OSR entries or functions; the next hottest there), dropping
/// the jobs of modules that are gone.
/// The batch's work is in ascending order.
fn take_hottest(queue: &mut VecDeque<Job>) -> Option<(Weak<TierUp>, Vec<Work>)> {
    let mut i = 0;
    while i < queue.len().min(WINDOW) {
        if queue[i].tier.strong_count() == 0 {
            queue.remove(i);
        } else {
            i += 1;
        }
    }
    let window = queue.len().min(WINDOW);
    let heat = |j: &Job| j.tier.upgrade().map_or(0, |t| t.heat(j.work.0));
    let hottest = (0..window).max_by_key(|i| heat(&queue[*i]))?;
    let first = queue.remove(hottest)?;
    // OSR entries go alone or with other entries: a frame is waiting in
    // Fast JIT code for each, and compiling a function along would delay it.
    let kind = first.work.1.is_some();
    let mut same: Vec<(i64, usize)> = (0..window - 1)
        .filter(|i| queue[*i].tier.ptr_eq(&first.tier) && queue[*i].work.1.is_some() == kind)
        .map(|i| (heat(&queue[i]), i))
        .collect();
    same.sort_unstable_by(|a, b| b.cmp(a));
    let mut taken: Vec<usize> = same.iter().take(BATCH - 1).map(|(_, i)| *i).collect();
    taken.sort_unstable_by(|a, b| b.cmp(a));
    let mut work = vec![first.work];
    for i in taken {
        if let Some(j) = queue.remove(i) {
            work.push(j.work);
        }
    }
    work.sort_unstable();
    work.dedup();
    Some((first.tier, work))
}

fn work() {
    loop {
        let job = {
            let Ok(mut queue) = POOL.queue.lock() else {
                return;
            };
            loop {
                if CLOSING.load(Ordering::Acquire) {
                    return;
                }
                if let Some(batch) = take_hottest(&mut queue) {
                    POOL.busy.fetch_add(1, Ordering::AcqRel);
                    break batch;
                }
                queue = match POOL.ready.wait(queue) {
                    Ok(q) => q,
                    Err(_) => return,
                };
            }
        };
        let (tier, work) = job;
        if let Some(tier) = tier.upgrade() {
            tier.compile(&work);
        }
        POOL.busy.fetch_sub(1, Ordering::AcqRel);
    }
}
