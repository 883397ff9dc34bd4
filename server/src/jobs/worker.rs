//! The job runner: a registry of handlers by job kind, and a `Worker` that
//! claims due jobs (`app::jobs::repo`), runs them under a heartbeat-renewed
//! lease, and records the outcome with exponential backoff on failure.
//!
//! Delivery is at-least-once: a job whose worker dies (or loses its lease) is
//! run again once the lease expires, so handlers must be idempotent.

use std::any::Any;
use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use anyhow::Context as _;
use app::jobs::model::JobStatus;
use app::jobs::repo::{self, ClaimedJob};
use chrono::Utc;
use futures::future::BoxFuture;
use futures::FutureExt as _;
use rand::Rng as _;
use sqlx::postgres::{PgListener, PgPoolOptions};
use sqlx::PgPool;
use tokio::sync::{watch, Notify};
use tokio::task::JoinError;
use tokio::time::MissedTickBehavior;
use tracing::{debug, error, info, warn, Instrument as _};

/// A job handler: takes the job's context, resolves when the job is done.
pub type JobFn = Arc<dyn Fn(JobContext) -> BoxFuture<'static, anyhow::Result<()>> + Send + Sync>;

/// Which kinds this worker may run right now.
pub type KindsFn = Arc<dyn Fn() -> Vec<String> + Send + Sync>;

/// What a handler gets for one attempt of one job.
#[derive(Debug, Clone)]
pub struct JobContext {
    /// Pool for the handler's own queries.
    pub pool: PgPool,
    /// Job id.
    pub id: i64,
    /// Job kind (the registry key that selected this handler).
    pub kind: String,
    /// Job input, as enqueued.
    pub payload: serde_json::Value,
    /// Number of this attempt, starting at 1.
    pub attempt: i32,
}

/// Handlers by job kind.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<String, JobFn>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `f` as the handler for `kind`, replacing any earlier one.
    pub fn register<F, Fut>(&mut self, kind: impl Into<String>, f: F) -> &mut Self
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        self.register_fn(kind, Arc::new(move |ctx| f(ctx).boxed()))
    }

    /// Registers an already boxed handler for `kind`, replacing any earlier one.
    pub fn register_fn(&mut self, kind: impl Into<String>, f: JobFn) -> &mut Self {
        let kind = kind.into();
        if self.handlers.insert(kind.clone(), f).is_some() {
            warn!(kind, "job handler registered twice; the later one wins");
        }
        self
    }

    /// The handler for `kind`, if any.
    pub fn get(&self, kind: &str) -> Option<JobFn> {
        self.handlers.get(kind).cloned()
    }

    /// All registered kinds, sorted.
    pub fn kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = self.handlers.keys().cloned().collect();
        kinds.sort();
        kinds
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry").field("kinds", &self.kinds()).finish()
    }
}

/// Claims and runs jobs from the shared queue; run any number per process
/// and across processes.
pub struct Worker {
    pool: PgPool,
    worker_id: String,
    registry: Arc<Registry>,
    lease: chrono::Duration,
    poll: StdDuration,
    kinds: KindsFn,
}

impl Worker {
    /// A worker for every kind in `registry`, with a 30 s lease and 1 s poll.
    pub fn new(pool: PgPool, registry: Arc<Registry>) -> Self {
        let all = Arc::clone(&registry);
        Self {
            pool,
            worker_id: default_worker_id(),
            registry,
            lease: chrono::Duration::seconds(30),
            poll: StdDuration::from_secs(1),
            kinds: Arc::new(move || all.kinds()),
        }
    }

    /// How long a claim stays valid without a heartbeat (renewed every third).
    pub fn with_lease(mut self, lease: chrono::Duration) -> Self {
        self.lease = lease;
        self
    }

    /// How long to sleep when no job is due and no notification arrives.
    pub fn with_poll(mut self, poll: StdDuration) -> Self {
        self.poll = poll;
        self
    }

    /// Restricts the kinds claimed; called before every claim, so it can
    /// follow modules being switched on and off. A returned kind without a
    /// handler is claimed and failed with an error, not silently skipped.
    pub fn with_kinds(mut self, kinds: impl Fn() -> Vec<String> + Send + Sync + 'static) -> Self {
        self.kinds = Arc::new(kinds);
        self
    }

    /// Overrides the generated `hostname-pid-random` id.
    pub fn with_worker_id(mut self, worker_id: impl Into<String>) -> Self {
        self.worker_id = worker_id.into();
        self
    }

    /// The id stored in `jobs.locked_by` for jobs this worker runs.
    pub fn worker_id(&self) -> &str {
        &self.worker_id
    }

    /// Claims one due job and runs it to completion. `None` if nothing was
    /// due; otherwise the job id and the status this attempt left it in.
    pub async fn try_execute_once(&self) -> anyhow::Result<Option<(i64, JobStatus)>> {
        let kinds = (self.kinds)();
        if kinds.is_empty() {
            return Ok(None);
        }
        let claimed =
            repo::claim_next(&self.pool, &self.worker_id, &kinds, self.lease).await.context("claiming a job")?;
        let Some(job) = claimed else {
            return Ok(None);
        };
        let span = tracing::info_span!("job", id = job.id, kind = %job.kind, attempt = job.attempts);
        self.execute(job).instrument(span).await.map(Some)
    }

    /// Runs jobs until `shutdown` becomes `true` (or its sender is dropped).
    /// A job in progress is finished first; idle waits end early on
    /// `NOTIFY helios_jobs` for one of our kinds.
    pub async fn run_until_stopped(self, mut shutdown: watch::Receiver<bool>) {
        info!(worker_id = %self.worker_id, "job worker started");
        let wake = Arc::new(Notify::new());
        let listener = tokio::spawn(listen(self.pool.clone(), Arc::clone(&self.kinds), Arc::clone(&wake)));
        let _stop_listener = AbortOnDrop(listener.abort_handle());
        let mut last_bury: Option<Instant> = None;
        loop {
            if *shutdown.borrow_and_update() {
                break;
            }
            match self.try_execute_once().await {
                // Something was due, so more may be: claim again right away.
                Ok(Some(_)) => continue,
                Ok(None) => {}
                Err(e) => error!(
                    worker_id = %self.worker_id,
                    error = %format!("{e:#}"),
                    "job worker iteration failed"
                ),
            }
            self.bury_abandoned(&mut last_bury).await;
            tokio::select! {
                changed = shutdown.changed() => if changed.is_err() { break },
                () = tokio::time::sleep(self.poll) => {}
                () = wake.notified() => debug!("woken by notification"),
            }
        }
        info!(worker_id = %self.worker_id, "job worker stopped");
    }

    async fn execute(&self, job: ClaimedJob) -> anyhow::Result<(i64, JobStatus)> {
        let started = Instant::now();
        info!("job started");
        let outcome = match self.registry.get(&job.kind) {
            Some(handler) => self.run_with_heartbeat(handler, &job).await,
            None => Err(format!("no handler registered for job kind {:?} on worker {}", job.kind, self.worker_id)),
        };
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match outcome {
            Ok(()) => {
                if repo::complete(&self.pool, job.id, &self.worker_id).await? {
                    info!(elapsed_ms, outcome = "done", "job finished");
                    Ok((job.id, JobStatus::Done))
                } else {
                    self.lease_lost(job.id).await
                }
            }
            Err(message) => {
                let retry_at = Utc::now() + retry_delay(job.attempts);
                match repo::fail(&self.pool, job.id, &self.worker_id, &message, retry_at).await {
                    Ok(JobStatus::Dead) => {
                        error!(
                            elapsed_ms,
                            outcome = "dead",
                            error = %message,
                            "job failed on its last attempt"
                        );
                        Ok((job.id, JobStatus::Dead))
                    }
                    Ok(status) => {
                        warn!(
                            elapsed_ms,
                            outcome = %status,
                            error = %message,
                            %retry_at,
                            "job failed; will retry"
                        );
                        Ok((job.id, status))
                    }
                    Err(sqlx::Error::RowNotFound) => self.lease_lost(job.id).await,
                    Err(e) => Err(e).context("recording a job failure"),
                }
            }
        }
    }

    /// Runs the handler in its own task (so a panic is contained and a busy
    /// handler cannot starve the heartbeat) while renewing the lease.
    async fn run_with_heartbeat(&self, handler: JobFn, job: &ClaimedJob) -> Result<(), String> {
        let ctx = JobContext {
            pool: self.pool.clone(),
            id: job.id,
            kind: job.kind.clone(),
            payload: job.payload.clone(),
            attempt: job.attempts,
        };
        // Calling the handler inside the task also catches panics raised
        // before it returns its future.
        let mut task = tokio::spawn(async move { handler(ctx).await });
        // If this future is dropped, the handler must not run on unleased.
        let _abort = AbortOnDrop(task.abort_handle());
        let period = heartbeat_period(self.lease);
        let mut beat = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        beat.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut lost = false;
        loop {
            tokio::select! {
                joined = &mut task => return handler_outcome(joined),
                _ = beat.tick() => self.heartbeat(job.id, &mut lost).await,
            }
        }
    }

    async fn heartbeat(&self, id: i64, lost: &mut bool) {
        match repo::extend_lease(&self.pool, id, &self.worker_id, self.lease).await {
            Ok(true) => debug!("lease extended"),
            Ok(false) if !*lost => {
                *lost = true;
                warn!("lease lost while the handler runs; another worker may run this job too");
            }
            Ok(false) => {}
            Err(e) => warn!(error = %e, "could not extend lease"),
        }
    }

    async fn lease_lost(&self, id: i64) -> anyhow::Result<(i64, JobStatus)> {
        warn!(outcome = "lease lost", "job outcome not recorded: another worker holds it now");
        let job = repo::get(&self.pool, id).await?;
        let job = job.with_context(|| format!("job {id} disappeared while running"))?;
        Ok((id, job.status))
    }

    /// Buries jobs abandoned on their last attempt, at most once per lease.
    async fn bury_abandoned(&self, last: &mut Option<Instant>) {
        let every = self.lease.to_std().unwrap_or(StdDuration::from_secs(30));
        if last.is_some_and(|at| at.elapsed() < every) {
            return;
        }
        *last = Some(Instant::now());
        match repo::bury_abandoned(&self.pool).await {
            Ok(0) => {}
            Ok(n) => warn!(count = n, "marked jobs dead whose worker died on the final attempt"),
            Err(e) => warn!(error = %e, "could not bury abandoned jobs"),
        }
    }
}

/// Delay before retrying after failed attempt number `attempts`:
/// `min(2^attempts, 3600)` seconds plus up to 20 % jitter, so that jobs that
/// failed together (e.g. during an outage) do not retry in lockstep.
pub fn retry_delay(attempts: i32) -> chrono::Duration {
    // 2^12 s already exceeds the one-hour cap.
    let exponent = attempts.clamp(0, 12).unsigned_abs();
    let base_ms = (1_i64 << exponent).min(3600) * 1000;
    let jitter_ms = rand::thread_rng().gen_range(0..=base_ms / 5);
    chrono::Duration::milliseconds(base_ms + jitter_ms)
}

/// Holds a `LISTEN helios_jobs` connection and pokes `wake` for every
/// notification of a kind we run. Runs as its own task so that the
/// listener's `recv` is never cancelled half-way (which could desync the
/// protocol); `Notify` keeps at most one pending wake, coalescing bursts.
/// Uses a dedicated connection so it does not hold one of the pool's.
async fn listen(pool: PgPool, kinds: KindsFn, wake: Arc<Notify>) {
    let options = (*pool.connect_options()).clone();
    let own = PgPoolOptions::new().max_connections(1).idle_timeout(None).max_lifetime(None).connect_lazy_with(options);
    loop {
        let Err(e) = listen_once(&own, &kinds, &wake).await;
        warn!(error = %e, "job notifications unavailable; polling only, retrying in 5 s");
        tokio::time::sleep(StdDuration::from_secs(5)).await;
    }
}

async fn listen_once(pool: &PgPool, kinds: &KindsFn, wake: &Notify) -> Result<Infallible, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(repo::NOTIFY_CHANNEL).await?;
    loop {
        let notification = listener.recv().await?;
        if kinds().iter().any(|k| k == notification.payload()) {
            wake.notify_one();
        }
    }
}

/// The handler's result, with a panic or abort turned into an error text.
fn handler_outcome(joined: Result<anyhow::Result<()>, JoinError>) -> Result<(), String> {
    match joined {
        Ok(Ok(())) => Ok(()),
        // `{:#}` keeps anyhow's context chain ("sending digest: smtp said no").
        Ok(Err(e)) => Err(format!("{e:#}")),
        Err(e) if e.is_panic() => Err(format!("handler panicked: {}", panic_message(e.into_panic().as_ref()))),
        Err(e) => Err(format!("handler task ended abnormally: {e}")),
    }
}

fn heartbeat_period(lease: chrono::Duration) -> StdDuration {
    let third = (lease / 3).to_std().unwrap_or_default();
    // A zero period would make `interval` panic; 100 ms bounds the DB load.
    third.max(StdDuration::from_millis(100))
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_owned()
    }
}

fn default_worker_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown-host".to_owned());
    format!("{host}-{}-{:08x}", std::process::id(), rand::random::<u32>())
}

/// Aborts a task when dropped (tokio detaches it otherwise).
struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
