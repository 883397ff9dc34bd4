//! Cron schedules that enqueue one job per tick, however many server
//! processes run the scheduler: each due tick is claimed with a
//! compare-and-set on `job_schedules.next_run_at`, and only the winner
//! enqueues (in the same transaction). The job's `dedupe_key` is a second
//! safety net. Missed ticks (downtime) fire once, not as a backlog.

use std::str::FromStr as _;
use std::time::Duration as StdDuration;

use anyhow::Context as _;
use app::jobs::repo::{self, ScheduleRow};
use chrono::{DateTime, SecondsFormat, Timelike as _, Utc};
use sqlx::PgPool;
use tokio::sync::watch;
use tracing::{debug, error, info};

/// Attempts allowed for a scheduled job (the schema's default).
pub const SCHEDULED_JOB_MAX_ATTEMPTS: i32 = 5;

/// A recurring job declared in code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// Unique schedule name (part of each job's `dedupe_key`).
    pub name: &'static str,
    /// Job kind to enqueue.
    pub kind: &'static str,
    /// `cron` crate syntax, seconds first (6 or 7 fields), evaluated in UTC,
    /// e.g. `"0 */5 * * * *"` for every five minutes.
    pub cron: String,
}

/// Creates or updates the given schedules. A schedule whose cron text is
/// unchanged keeps its pending `next_run_at`; a new or changed one starts at
/// its next upcoming time. All expressions are validated before any write.
pub async fn install(pool: &PgPool, schedules: &[Schedule]) -> anyhow::Result<()> {
    let now = Utc::now();
    let mut planned = Vec::with_capacity(schedules.len());
    for schedule in schedules {
        let cron = parse(&schedule.cron).with_context(|| format!("schedule {:?}", schedule.name))?;
        let next = cron
            .after(&now)
            .next()
            .with_context(|| format!("schedule {:?}: cron {:?} never fires again", schedule.name, schedule.cron))?;
        planned.push((schedule, next));
    }
    let mut tx = pool.begin().await?;
    for (schedule, next) in planned {
        repo::upsert_schedule(&mut *tx, schedule.name, schedule.kind, &schedule.cron, next)
            .await
            .with_context(|| format!("installing schedule {:?}", schedule.name))?;
    }
    tx.commit().await?;
    info!(count = schedules.len(), "job schedules installed");
    Ok(())
}

/// Fires every schedule due at `now` and returns how many jobs this call
/// enqueued. Losing the race for a tick to another process is not an error;
/// a schedule that cannot be fired (bad cron text in the table, a database
/// error) is logged and skipped so the others still fire.
pub async fn tick(pool: &PgPool, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let due = repo::due_schedules(pool, now).await.context("loading due schedules")?;
    if due.is_empty() {
        return Ok(0);
    }
    let modules = app::settings::repo::load_modules(pool).await.context("loading the module switches")?;
    let mut enqueued = 0;
    for row in &due {
        // A disabled module's tick passes without a job: none piles up to run
        // all at once when the module is switched back on.
        let off = super::module_of_kind(&row.kind).is_some_and(|m| !modules.enabled(m));
        match fire(pool, row, now, off).await {
            Ok(true) => enqueued += 1,
            Ok(false) => {}
            Err(e) => {
                error!(schedule = %row.name, error = %format!("{e:#}"), "could not fire schedule")
            }
        }
    }
    Ok(enqueued)
}

/// Calls [`tick`] just after every whole second until `shutdown` becomes
/// `true` (or its sender is dropped).
pub async fn run_until_stopped(pool: PgPool, mut shutdown: watch::Receiver<bool>) {
    info!("job scheduler started");
    loop {
        if *shutdown.borrow_and_update() {
            break;
        }
        tokio::select! {
            changed = shutdown.changed() => {
                if changed.is_err() { break }
                continue;
            }
            () = tokio::time::sleep(until_next_second(Utc::now())) => {}
        }
        match tick(&pool, Utc::now()).await {
            Ok(0) => {}
            Ok(n) => debug!(enqueued = n, "scheduled jobs enqueued"),
            Err(e) => error!(error = %format!("{e:#}"), "scheduler tick failed"),
        }
    }
    info!("job scheduler stopped");
}

/// Claims the schedule's pending tick and enqueues its job, atomically (only
/// the claim when `skip`). `Ok(false)` when another process claimed the tick
/// first, the job already existed, or it was skipped.
async fn fire(pool: &PgPool, row: &ScheduleRow, now: DateTime<Utc>, skip: bool) -> anyhow::Result<bool> {
    let cron = parse(&row.cron).with_context(|| format!("schedule {:?}", row.name))?;
    let (due_at, next) = plan(&cron, row.next_run_at, now);
    let mut tx = pool.begin().await?;
    // Concurrent callers serialise on the row lock here; the losers then see
    // `next_run_at` moved and get `false`.
    if !repo::advance_schedule(&mut *tx, &row.name, row.next_run_at, next).await? {
        return Ok(false);
    }
    if skip {
        tx.commit().await?;
        debug!(schedule = %row.name, next_run_at = %next, "schedule skipped: its module is switched off");
        return Ok(false);
    }
    let scheduled_for = due_at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let dedupe_key = format!("schedule:{}:{scheduled_for}", row.name);
    let payload = serde_json::json!({ "scheduled_for": scheduled_for });
    let id =
        repo::enqueue(&mut *tx, &row.kind, &payload, due_at, SCHEDULED_JOB_MAX_ATTEMPTS, Some(&dedupe_key)).await?;
    tx.commit().await?;
    match id {
        Some(id) => info!(
            schedule = %row.name,
            job_id = id,
            %scheduled_for,
            next_run_at = %next,
            "schedule fired"
        ),
        None => debug!(schedule = %row.name, %dedupe_key, "tick already enqueued"),
    }
    Ok(id.is_some())
}

/// For a schedule whose pending tick `pending` is at or before `now`:
/// the tick to fire (the latest one not after `now`, so a backlog collapses
/// into one run) and the next tick strictly after `now`.
fn plan(cron: &cron::Schedule, pending: DateTime<Utc>, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    // `next_back` yields ticks strictly before its start, so start one
    // second after `now` truncated to whole seconds (cron's resolution).
    let latest = now
        .with_nanosecond(0)
        .map(|whole| whole + chrono::Duration::seconds(1))
        .and_then(|start| cron.after(&start).next_back());
    let due_at = latest.map_or(pending, |latest| latest.max(pending));
    // A cron that never fires again is parked far in the future rather than
    // left due, which would make every tick retry it.
    let next = cron.after(&now).next().unwrap_or_else(|| now + chrono::Duration::days(365 * 1000));
    (due_at, next)
}

fn parse(expr: &str) -> anyhow::Result<cron::Schedule> {
    cron::Schedule::from_str(expr).with_context(|| format!("invalid cron expression {expr:?}"))
}

/// Time until 5 ms past the next whole second; the margin keeps a slightly
/// early timer from ticking in the old second and firing a tick late.
fn until_next_second(now: DateTime<Utc>) -> StdDuration {
    let into_second = u64::from(now.timestamp_subsec_nanos().min(999_999_999));
    StdDuration::from_nanos(1_000_000_000 - into_second + 5_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, h, m, s).unwrap()
    }

    #[test]
    fn a_tick_that_is_due_now_fires_itself_and_schedules_the_following_one() {
        let cron = parse("0 */5 * * * *").unwrap();
        let (due, next) = plan(&cron, at(10, 5, 0), at(10, 5, 0));
        assert_eq!((due, next), (at(10, 5, 0), at(10, 10, 0)));
    }

    #[test]
    fn a_backlog_of_missed_ticks_fires_only_the_latest_one() {
        let cron = parse("0 */5 * * * *").unwrap();
        let now = at(12, 7, 30) + chrono::Duration::milliseconds(250);
        let (due, next) = plan(&cron, at(10, 5, 0), now);
        assert_eq!((due, next), (at(12, 5, 0), at(12, 10, 0)));
    }

    #[test]
    fn an_invalid_cron_expression_is_rejected_with_its_text() {
        let err = parse("every tuesday").unwrap_err();
        assert!(format!("{err:#}").contains("every tuesday"));
    }

    #[test]
    fn the_ticker_sleeps_to_just_past_the_next_whole_second() {
        let now = at(1, 2, 3) + chrono::Duration::milliseconds(900);
        assert_eq!(until_next_second(now), StdDuration::from_millis(105));
    }
}
