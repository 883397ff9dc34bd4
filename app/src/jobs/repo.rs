//! All SQL for the background-job queue (`jobs`) and cron schedules
//! (`job_schedules`). The worker and scheduler in the server crate hold the
//! policy (backoff, heartbeats, cron maths); this file only moves rows.
//!
//! Every state change of a running job is guarded by `locked_by = worker`
//! and `status = 'running'`, so a worker whose lease expired (and whose job
//! was re-claimed by someone else) cannot overwrite the newer attempt.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgExecutor;

use super::model::{JobCounts, JobStatus, JobSummary};

/// `LISTEN` channel that `enqueue` and `retry_dead` notify with the job kind.
/// The SQL below spells it as a literal; keep them in sync.
pub const NOTIFY_CHANNEL: &str = "helios_jobs";

/// Longest `last_error` stored, in characters.
pub const MAX_ERROR_CHARS: usize = 2000;

/// A job a worker has just claimed and now holds a lease on.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedJob {
    /// Job id.
    pub id: i64,
    /// Handler name.
    pub kind: String,
    /// Handler input.
    pub payload: Value,
    /// Number of this attempt (1 for the first run).
    pub attempts: i32,
    /// Attempts allowed before the job goes dead.
    pub max_attempts: i32,
}

/// A cron schedule as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleRow {
    /// Unique schedule name.
    pub name: String,
    /// Job kind enqueued on each tick.
    pub kind: String,
    /// Cron expression (cron crate syntax, seconds first, UTC).
    pub cron: String,
    /// Next tick that has not been fired yet.
    pub next_run_at: DateTime<Utc>,
}

/// Inserts a job and, if it is due already, notifies idle workers.
///
/// Returns the new id, or `None` when `dedupe_key` was already used. The
/// `pg_notify` runs in the same statement as the insert, so it is sent exactly
/// when the insert commits (inside a caller's transaction: at its commit) and
/// never for a deduplicated no-op.
pub async fn enqueue(
    exec: impl PgExecutor<'_>,
    kind: &str,
    payload: &Value,
    run_at: DateTime<Utc>,
    max_attempts: i32,
    dedupe_key: Option<&str>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        with ins as (
            insert into jobs (kind, payload, run_at, max_attempts, dedupe_key)
            values ($1, $2, $3, $4, $5)
            on conflict on constraint jobs_dedupe_key do nothing
            returning id, kind, run_at
        )
        select ins.id as "id!"
        from ins
        left join lateral (
            select pg_notify('helios_jobs', ins.kind) where ins.run_at <= now()
        ) notified on true
        "#,
        kind,
        payload,
        run_at,
        max_attempts,
        dedupe_key,
    )
    .fetch_optional(exec)
    .await
}

/// Claims the oldest due job among `kinds` for `worker_id` with a lease.
///
/// A job is due when it is queued with `run_at <= now()`, or running with an
/// expired lease and attempts left (its worker died). Each branch is a
/// `limit 1 ... for update skip locked` probe on its own partial index
/// (`jobs_ready_idx`, `jobs_lease_idx`), so concurrent workers never block on
/// or double-claim a row; the older of the (at most) two candidates wins.
pub async fn claim_next(
    exec: impl PgExecutor<'_>,
    worker_id: &str,
    kinds: &[String],
    lease: chrono::Duration,
) -> Result<Option<ClaimedJob>, sqlx::Error> {
    sqlx::query_as!(
        ClaimedJob,
        r#"
        with ready as (
            select id, run_at from jobs
            where status = 'queued' and run_at <= now() and kind = any($1)
            order by run_at
            limit 1
            for update skip locked
        ), abandoned as (
            select id, run_at from jobs
            where status = 'running' and locked_until < now()
              and attempts < max_attempts and kind = any($1)
            order by locked_until
            limit 1
            for update skip locked
        ), pick as (
            select id, run_at from ready
            union all
            select id, run_at from abandoned
            order by run_at
            limit 1
        )
        update jobs j
        set status = 'running',
            attempts = j.attempts + 1,
            locked_by = $2,
            locked_until = now() + make_interval(secs => $3)
        from pick
        where j.id = pick.id
        returning j.id, j.kind, j.payload, j.attempts, j.max_attempts
        "#,
        kinds,
        worker_id,
        seconds(lease),
    )
    .fetch_optional(exec)
    .await
}

/// Pushes the lease of a job this worker still holds to `now() + lease`.
/// `false` means the lease was lost (expired and re-claimed, or finished).
pub async fn extend_lease(
    exec: impl PgExecutor<'_>,
    id: i64,
    worker_id: &str,
    lease: chrono::Duration,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        r#"
        update jobs set locked_until = now() + make_interval(secs => $3)
        where id = $1 and locked_by = $2 and status = 'running'
        "#,
        id,
        worker_id,
        seconds(lease),
    )
    .execute(exec)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a job this worker holds as done. `false` if the lease was lost.
pub async fn complete(exec: impl PgExecutor<'_>, id: i64, worker_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        r#"
        update jobs
        set status = 'done', finished_at = now(), locked_by = null, locked_until = null
        where id = $1 and locked_by = $2 and status = 'running'
        "#,
        id,
        worker_id,
    )
    .execute(exec)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a failed attempt of a job this worker holds: `dead` when it has
/// used all its attempts, otherwise `queued` again at `retry_at`. The error
/// is cut to [`MAX_ERROR_CHARS`].
///
/// Fails with [`sqlx::Error::RowNotFound`] when this worker no longer holds
/// the job (its lease expired and another worker took over).
pub async fn fail(
    exec: impl PgExecutor<'_>,
    id: i64,
    worker_id: &str,
    error: &str,
    retry_at: DateTime<Utc>,
) -> Result<JobStatus, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        update jobs
        set status = case when attempts >= max_attempts
                          then 'dead'::job_status else 'queued'::job_status end,
            run_at = case when attempts >= max_attempts then run_at else $4 end,
            finished_at = case when attempts >= max_attempts then now() end,
            last_error = $3,
            locked_by = null,
            locked_until = null
        where id = $1 and locked_by = $2 and status = 'running'
        returning status as "status: JobStatus"
        "#,
        id,
        worker_id,
        clip_error(error),
        retry_at,
    )
    .fetch_one(exec)
    .await
}

/// Marks running jobs whose lease expired on their final attempt as dead.
///
/// `claim_next` will not re-run those (that would exceed `max_attempts`), and
/// without this they would stay `running` forever. Returns how many it buried.
pub async fn bury_abandoned(exec: impl PgExecutor<'_>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        r#"
        update jobs
        set status = 'dead', finished_at = now(), locked_by = null, locked_until = null,
            last_error = 'lease expired during the final attempt (its worker probably died)'
        where status = 'running' and locked_until < now() and attempts >= max_attempts
        "#,
    )
    .execute(exec)
    .await?;
    Ok(done.rows_affected())
}

/// One page of jobs, newest first: ids below `before_id` (all when `None`),
/// optionally only those in `status`.
pub async fn list(
    exec: impl PgExecutor<'_>,
    status: Option<JobStatus>,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<JobSummary>, sqlx::Error> {
    let before_id = before_id.unwrap_or(i64::MAX);
    // Two statements rather than `($1 is null or status = $1)`, so the
    // prepared (generic) plan can still use `jobs_status_idx`.
    match status {
        Some(status) => {
            sqlx::query_as!(
                JobSummary,
                r#"
                select id, kind, status as "status: JobStatus", attempts, max_attempts,
                       run_at, last_error, created_at, finished_at
                from jobs
                where status = $1 and id < $2
                order by id desc
                limit $3
                "#,
                status as JobStatus,
                before_id,
                limit,
            )
            .fetch_all(exec)
            .await
        }
        None => {
            sqlx::query_as!(
                JobSummary,
                r#"
                select id, kind, status as "status: JobStatus", attempts, max_attempts,
                       run_at, last_error, created_at, finished_at
                from jobs
                where id < $1
                order by id desc
                limit $2
                "#,
                before_id,
                limit,
            )
            .fetch_all(exec)
            .await
        }
    }
}

/// One job's summary, if it exists.
pub async fn get(exec: impl PgExecutor<'_>, id: i64) -> Result<Option<JobSummary>, sqlx::Error> {
    sqlx::query_as!(
        JobSummary,
        r#"
        select id, kind, status as "status: JobStatus", attempts, max_attempts,
               run_at, last_error, created_at, finished_at
        from jobs
        where id = $1
        "#,
        id,
    )
    .fetch_optional(exec)
    .await
}

/// Revives a dead job: queued now with a fresh set of attempts. `last_error`
/// is kept so the UI still shows why it died. `false` if it was not dead.
pub async fn retry_dead(exec: impl PgExecutor<'_>, id: i64) -> Result<bool, sqlx::Error> {
    let revived = sqlx::query_scalar!(
        r#"
        with upd as (
            update jobs
            set status = 'queued', attempts = 0, run_at = now(), finished_at = null,
                locked_by = null, locked_until = null
            where id = $1 and status = 'dead'
            returning id, kind
        )
        select upd.id as "id!"
        from upd
        left join lateral (select pg_notify('helios_jobs', upd.kind)) notified on true
        "#,
        id,
    )
    .fetch_optional(exec)
    .await?;
    Ok(revived.is_some())
}

/// Number of jobs per status.
pub async fn counts(exec: impl PgExecutor<'_>) -> Result<JobCounts, sqlx::Error> {
    sqlx::query_as!(
        JobCounts,
        r#"
        select count(*) filter (where status = 'queued') as "queued!",
               count(*) filter (where status = 'running') as "running!",
               count(*) filter (where status = 'done') as "done!",
               count(*) filter (where status = 'dead') as "dead!"
        from jobs
        "#,
    )
    .fetch_one(exec)
    .await
}

/// Creates a schedule, or updates its kind and cron text. `next_run_at` is
/// only replaced when the cron text changed, so a restart neither skips nor
/// repeats a pending tick. `enabled` is left alone (an admin may have
/// switched the schedule off).
pub async fn upsert_schedule(
    exec: impl PgExecutor<'_>,
    name: &str,
    kind: &str,
    cron_expr: &str,
    next_run_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        insert into job_schedules (name, kind, cron, next_run_at)
        values ($1, $2, $3, $4)
        on conflict (name) do update
        set kind = excluded.kind,
            cron = excluded.cron,
            next_run_at = case when job_schedules.cron = excluded.cron
                               then job_schedules.next_run_at
                               else excluded.next_run_at end
        "#,
        name,
        kind,
        cron_expr,
        next_run_at,
    )
    .execute(exec)
    .await?;
    Ok(())
}

/// Enabled schedules whose next tick is at or before `now`.
pub async fn due_schedules(exec: impl PgExecutor<'_>, now: DateTime<Utc>) -> Result<Vec<ScheduleRow>, sqlx::Error> {
    sqlx::query_as!(
        ScheduleRow,
        r#"
        select name, kind, cron, next_run_at
        from job_schedules
        where enabled and next_run_at <= $1
        order by next_run_at, name
        "#,
        now,
    )
    .fetch_all(exec)
    .await
}

/// Moves a schedule from `expected_next` to `new_next` if nobody did yet.
///
/// Compare-and-set: of several processes racing on the same tick, exactly one
/// sees `true` (the others block on the row lock, then find `next_run_at`
/// changed and update nothing).
pub async fn advance_schedule(
    exec: impl PgExecutor<'_>,
    name: &str,
    expected_next: DateTime<Utc>,
    new_next: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        r#"
        update job_schedules set next_run_at = $3
        where name = $1 and next_run_at = $2
        "#,
        name,
        expected_next,
        new_next,
    )
    .execute(exec)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Lease length in (fractional) seconds, for `make_interval(secs => ...)`.
fn seconds(lease: chrono::Duration) -> f64 {
    lease.num_milliseconds() as f64 / 1000.0
}

/// Cuts an error message to [`MAX_ERROR_CHARS`] characters. NUL becomes
/// U+FFFD because Postgres `text` cannot store it.
fn clip_error(error: &str) -> String {
    let mut clipped: String = error.chars().take(MAX_ERROR_CHARS).collect();
    if clipped.contains('\0') {
        clipped = clipped.replace('\0', "\u{FFFD}");
    }
    clipped
}

/// Records how far a long job got (read by the page that started it).
pub async fn set_progress(exec: impl PgExecutor<'_>, id: i64, progress: &Value) -> Result<(), sqlx::Error> {
    sqlx::query!("update jobs set progress = $2 where id = $1", id, progress).execute(exec).await?;
    Ok(())
}

/// A job's kind, payload and progress.
pub async fn progress(
    exec: impl PgExecutor<'_>,
    id: i64,
) -> Result<Option<(String, Value, Option<Value>)>, sqlx::Error> {
    let r = sqlx::query!("select kind, payload, progress from jobs where id = $1", id).fetch_optional(exec).await?;
    Ok(r.map(|r| (r.kind, r.payload, r.progress)))
}
