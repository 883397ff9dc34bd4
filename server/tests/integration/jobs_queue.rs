//! Job queue, worker and scheduler against a real Postgres: each test gets a
//! fresh database with the project's migrations (`#[sqlx::test]`).

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use app::jobs::model::JobStatus;
use app::jobs::repo;
use chrono::{Duration, Utc};
use futures::FutureExt as _;
use helios_server::jobs::scheduler::{self, Schedule};
use helios_server::jobs::worker::{Registry, Worker};
use serde_json::json;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use tokio::sync::watch;

fn kinds(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

async fn enqueue_now(pool: &PgPool, kind: &str, max_attempts: i32) -> i64 {
    repo::enqueue(pool, kind, &json!({}), Utc::now(), max_attempts, None).await.unwrap().unwrap()
}

/// Polls `check` every 50 ms until it holds; panics after `limit`.
async fn wait_for<F, Fut>(limit: StdDuration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + limit;
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
}

fn ok_registry(kind: &str) -> Arc<Registry> {
    let mut registry = Registry::new();
    registry.register(kind, |_ctx| async { Ok(()) });
    Arc::new(registry)
}

#[sqlx::test(migrations = "../migrations")]
async fn a_job_is_claimed_once_completed_by_its_holder_and_deduplicated_by_key(pool: PgPool) {
    let id = repo::enqueue(&pool, "mail", &json!({"to": "a@b.c"}), Utc::now(), 5, Some("k1"))
        .await
        .unwrap()
        .expect("first enqueue inserts");
    let again = repo::enqueue(&pool, "mail", &json!({}), Utc::now(), 5, Some("k1")).await.unwrap();
    assert_eq!(again, None, "same dedupe key must not enqueue twice");

    let lease = Duration::seconds(30);
    let job = repo::claim_next(&pool, "w1", &kinds(&["mail"]), lease).await.unwrap().unwrap();
    assert_eq!((job.id, job.kind.as_str(), job.attempts), (id, "mail", 1));
    assert_eq!(job.payload, json!({"to": "a@b.c"}));
    assert!(repo::claim_next(&pool, "w2", &kinds(&["mail"]), lease).await.unwrap().is_none());

    assert!(!repo::complete(&pool, id, "w2").await.unwrap(), "only the holder may complete");
    assert!(repo::complete(&pool, id, "w1").await.unwrap());
    let summary = repo::get(&pool, id).await.unwrap().unwrap();
    assert_eq!(summary.status, JobStatus::Done);
    assert!(summary.finished_at.is_some());
    assert!(repo::claim_next(&pool, "w2", &kinds(&["mail"]), lease).await.unwrap().is_none());
    let counts = repo::counts(&pool).await.unwrap();
    assert_eq!((counts.queued, counts.running, counts.done, counts.dead), (0, 0, 1, 0));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_failing_job_is_retried_with_backoff_then_dies_and_can_be_revived_by_hand(pool: PgPool) {
    let mut registry = Registry::new();
    registry.register("flaky", |_ctx| async { Err(anyhow::anyhow!("smtp said no")) });
    let worker = Worker::new(pool.clone(), Arc::new(registry));
    let id = enqueue_now(&pool, "flaky", 2).await;

    let before = Utc::now();
    assert_eq!(worker.try_execute_once().await.unwrap(), Some((id, JobStatus::Queued)));
    let after = Utc::now();
    let job = repo::get(&pool, id).await.unwrap().unwrap();
    assert_eq!((job.status, job.attempts), (JobStatus::Queued, 1));
    // First retry: 2^1 s plus at most 20 % jitter.
    assert!(job.run_at >= before + Duration::seconds(2), "run_at {}", job.run_at);
    assert!(job.run_at <= after + Duration::milliseconds(2400), "run_at {}", job.run_at);
    assert_eq!(job.last_error.as_deref(), Some("smtp said no"));
    assert_eq!(worker.try_execute_once().await.unwrap(), None, "not due before its backoff");

    sqlx::query!("update jobs set run_at = now() where id = $1", id).execute(&pool).await.unwrap();
    assert_eq!(worker.try_execute_once().await.unwrap(), Some((id, JobStatus::Dead)));
    let job = repo::get(&pool, id).await.unwrap().unwrap();
    assert_eq!((job.status, job.attempts), (JobStatus::Dead, 2));
    assert!(job.finished_at.is_some());

    assert!(repo::retry_dead(&pool, id).await.unwrap());
    let job = repo::get(&pool, id).await.unwrap().unwrap();
    assert_eq!((job.status, job.attempts, job.finished_at), (JobStatus::Queued, 0, None));
    assert!(!repo::retry_dead(&pool, id).await.unwrap(), "only dead jobs can be revived");
}

#[sqlx::test(migrations = "../migrations")]
async fn two_workers_on_separate_pools_execute_each_of_fifty_jobs_exactly_once(pool: PgPool) {
    let runs: Arc<Mutex<HashMap<i64, u32>>> = Arc::default();
    let mut registry = Registry::new();
    let seen = Arc::clone(&runs);
    registry.register("count", move |ctx| {
        let seen = Arc::clone(&seen);
        async move {
            *seen.lock().unwrap().entry(ctx.id).or_default() += 1;
            tokio::time::sleep(StdDuration::from_millis(ctx.id as u64 % 7)).await;
            Ok(())
        }
    });
    let registry = Arc::new(registry);
    for _ in 0..50 {
        enqueue_now(&pool, "count", 5).await;
    }
    // A second pool stands in for a second server process.
    let other_pool =
        PgPoolOptions::new().max_connections(3).connect_with((*pool.connect_options()).clone()).await.unwrap();
    let (stop, shutdown) = watch::channel(false);
    let poll = StdDuration::from_millis(20);
    let a = Worker::new(pool.clone(), Arc::clone(&registry)).with_poll(poll);
    let b = Worker::new(other_pool.clone(), Arc::clone(&registry)).with_poll(poll);
    assert_ne!(a.worker_id(), b.worker_id());
    let a = tokio::spawn(a.run_until_stopped(shutdown.clone()));
    let b = tokio::spawn(b.run_until_stopped(shutdown));

    wait_for(StdDuration::from_secs(30), "50 done jobs", || async { repo::counts(&pool).await.unwrap().done == 50 })
        .await;
    stop.send(true).unwrap();
    let stopped = tokio::time::timeout(StdDuration::from_secs(5), async { (a.await, b.await) });
    let (a, b) = stopped.await.expect("workers stop promptly");
    a.unwrap();
    b.unwrap();

    other_pool.close().await;
    let runs = runs.lock().unwrap();
    assert_eq!(runs.len(), 50);
    assert!(runs.values().all(|&n| n == 1), "some job ran twice: {runs:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_job_whose_worker_died_is_retried_after_its_lease_expires(pool: PgPool) {
    let id = enqueue_now(&pool, "mail", 5).await;
    let lease = Duration::seconds(1);
    let died = repo::claim_next(&pool, "dead-worker", &kinds(&["mail"]), lease).await.unwrap();
    assert_eq!(died.map(|j| j.id), Some(id));

    let worker = Worker::new(pool.clone(), ok_registry("mail"));
    assert_eq!(worker.try_execute_once().await.unwrap(), None, "lease still valid");
    wait_for(StdDuration::from_secs(10), "the job to be re-run", || async {
        worker.try_execute_once().await.unwrap() == Some((id, JobStatus::Done))
    })
    .await;

    let job = repo::get(&pool, id).await.unwrap().unwrap();
    assert_eq!((job.status, job.attempts), (JobStatus::Done, 2));
    assert!(!repo::complete(&pool, id, "dead-worker").await.unwrap(), "stale holder is ignored");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_job_abandoned_on_its_final_attempt_is_buried_as_dead(pool: PgPool) {
    let id = enqueue_now(&pool, "mail", 1).await;
    let lease = Duration::seconds(1);
    assert!(repo::claim_next(&pool, "dead-worker", &kinds(&["mail"]), lease).await.unwrap().is_some());
    wait_for(StdDuration::from_secs(10), "the job to be buried", || async {
        repo::bury_abandoned(&pool).await.unwrap() == 1
    })
    .await;
    let job = repo::get(&pool, id).await.unwrap().unwrap();
    assert_eq!((job.status, job.attempts), (JobStatus::Dead, 1));
    assert!(repo::claim_next(&pool, "w", &kinds(&["mail"]), lease).await.unwrap().is_none());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_panicking_handler_fails_its_job_instead_of_crashing_the_worker(pool: PgPool) {
    let mut registry = Registry::new();
    registry.register("boom", |_ctx| async { panic!("kaboom") });
    registry.register_fn("fine", Arc::new(|_ctx| async { Ok(()) }.boxed()));
    let worker = Worker::new(pool.clone(), Arc::new(registry));
    let boom = enqueue_now(&pool, "boom", 5).await;

    assert_eq!(worker.try_execute_once().await.unwrap(), Some((boom, JobStatus::Queued)));
    let job = repo::get(&pool, boom).await.unwrap().unwrap();
    assert_eq!(job.attempts, 1);
    assert_eq!(job.last_error.as_deref(), Some("handler panicked: kaboom"));

    let fine = enqueue_now(&pool, "fine", 5).await;
    assert_eq!(worker.try_execute_once().await.unwrap(), Some((fine, JobStatus::Done)));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_kind_without_a_handler_fails_clearly_and_a_disabled_kind_is_not_claimed(pool: PgPool) {
    let ghost = enqueue_now(&pool, "ghost", 5).await;
    let mail = enqueue_now(&pool, "mail", 5).await;
    let worker = Worker::new(pool.clone(), ok_registry("mail")).with_kinds(|| kinds(&["ghost"]));

    assert_eq!(worker.try_execute_once().await.unwrap(), Some((ghost, JobStatus::Queued)));
    let error = repo::get(&pool, ghost).await.unwrap().unwrap().last_error.unwrap();
    assert!(error.starts_with("no handler registered for job kind \"ghost\""), "{error}");
    assert_eq!(worker.try_execute_once().await.unwrap(), None, "mail is not enabled");
    let job = repo::get(&pool, mail).await.unwrap().unwrap();
    assert_eq!((job.status, job.attempts), (JobStatus::Queued, 0));
}

#[sqlx::test(migrations = "../migrations")]
async fn an_idle_worker_wakes_on_enqueue_long_before_its_poll_interval(pool: PgPool) {
    let claims = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&claims);
    let worker = Worker::new(pool.clone(), ok_registry("mail"))
        .with_poll(StdDuration::from_secs(600))
        // Skipping the first claim leaves the worker idle for 600 s unless a
        // notification wakes it, so the job below cannot be found by luck.
        .with_kinds(move || match counted.fetch_add(1, Ordering::SeqCst) {
            0 => Vec::new(),
            _ => kinds(&["mail"]),
        });
    let (stop, shutdown) = watch::channel(false);
    let running = tokio::spawn(worker.run_until_stopped(shutdown));
    wait_for(StdDuration::from_secs(10), "the worker to LISTEN", || async {
        let listening = sqlx::query_scalar!(
            r#"select count(*) as "n!" from pg_stat_activity
               where datname = current_database() and query ilike 'listen%'"#
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        listening == 1 && claims.load(Ordering::SeqCst) == 1
    })
    .await;

    let id = enqueue_now(&pool, "mail", 5).await;
    wait_for(StdDuration::from_secs(5), "the job to be done", || async {
        repo::get(&pool, id).await.unwrap().unwrap().status == JobStatus::Done
    })
    .await;

    stop.send(true).unwrap();
    tokio::time::timeout(StdDuration::from_secs(2), running).await.expect("an idle worker stops promptly").unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn two_concurrent_ticks_enqueue_a_due_schedule_exactly_once(pool: PgPool) {
    let digest = Schedule { name: "digest", kind: "digest", cron: "0 0 * * * *".into() };
    scheduler::install(&pool, &[digest]).await.unwrap();
    let pending = sqlx::query_scalar!("select next_run_at from job_schedules where name = 'digest'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let now = pending + Duration::seconds(3);

    let (a, b) = tokio::join!(scheduler::tick(&pool, now), scheduler::tick(&pool, now));
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    let jobs =
        sqlx::query!("select dedupe_key, payload from jobs where kind = 'digest'").fetch_all(&pool).await.unwrap();
    assert_eq!(jobs.len(), 1);
    let tick_text = pending.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_eq!(jobs[0].dedupe_key.as_deref(), Some(format!("schedule:digest:{tick_text}").as_str()));
    assert_eq!(jobs[0].payload, json!({ "scheduled_for": tick_text }));

    assert_eq!(scheduler::tick(&pool, now + Duration::seconds(1)).await.unwrap(), 0);
    let next_hour = pending + Duration::hours(1);
    assert_eq!(scheduler::tick(&pool, next_hour).await.unwrap(), 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_switched_off_module_lets_its_ticks_pass_without_jobs(pool: PgPool) {
    let dns = Schedule { name: "domains-dns", kind: "domains.dns_check", cron: "0 0 * * * *".into() };
    let sweep = Schedule { name: "sweep", kind: "core.sweep", cron: "0 0 * * * *".into() };
    scheduler::install(&pool, &[dns, sweep]).await.unwrap();
    app::settings::repo::upsert(&pool, app::settings::repo::MODULES, &json!({ "domains": false }), None).await.unwrap();
    let pending = sqlx::query_scalar!("select next_run_at from job_schedules where name = 'domains-dns'")
        .fetch_one(&pool)
        .await
        .unwrap();
    // Two ticks while off: only the core schedule makes jobs, and both move on.
    for hour in 0..2 {
        assert_eq!(scheduler::tick(&pool, pending + Duration::hours(hour) + Duration::seconds(1)).await.unwrap(), 1);
    }
    let kinds: Vec<String> = sqlx::query_scalar!("select kind from jobs").fetch_all(&pool).await.unwrap();
    assert_eq!(kinds, vec!["core.sweep".to_string(), "core.sweep".to_string()]);
    // Switched on again: the next tick makes one check, not a backlog.
    app::settings::repo::upsert(&pool, app::settings::repo::MODULES, &json!({ "domains": true }), None).await.unwrap();
    assert_eq!(scheduler::tick(&pool, pending + Duration::hours(2) + Duration::seconds(1)).await.unwrap(), 2);
    let checks: i64 = sqlx::query_scalar!(r#"select count(*) as "n!" from jobs where kind = 'domains.dns_check'"#)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(checks, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn reinstalling_a_schedule_keeps_its_pending_tick_unless_the_cron_changed(pool: PgPool) {
    let every = |cron: &str| Schedule { name: "sweep", kind: "sweep", cron: cron.into() };
    let next_run = || async {
        sqlx::query_scalar!("select next_run_at from job_schedules where name = 'sweep'")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    scheduler::install(&pool, &[every("0 0 3 * * *")]).await.unwrap();
    let parked = Utc::now() - Duration::days(2);
    sqlx::query!("update job_schedules set next_run_at = $1", parked).execute(&pool).await.unwrap();
    let parked = next_run().await; // as stored (microseconds)

    scheduler::install(&pool, &[every("0 0 3 * * *")]).await.unwrap();
    assert_eq!(next_run().await, parked);
    scheduler::install(&pool, &[every("0 30 3 * * *")]).await.unwrap();
    assert!(next_run().await > Utc::now());
    assert!(scheduler::install(&pool, &[every("not cron")]).await.is_err());
}

#[sqlx::test(migrations = "../migrations")]
async fn the_job_list_pages_newest_first_and_filters_by_status(pool: PgPool) {
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(enqueue_now(&pool, "mail", 5).await);
    }
    let job = repo::claim_next(&pool, "w", &kinds(&["mail"]), Duration::seconds(30)).await.unwrap();
    let running = job.unwrap().id;

    let page = repo::list(&pool, None, None, 3).await.unwrap();
    let page_ids: Vec<i64> = page.iter().map(|j| j.id).collect();
    assert_eq!(page_ids, vec![ids[4], ids[3], ids[2]]);
    let rest = repo::list(&pool, None, Some(ids[2]), 3).await.unwrap();
    assert_eq!(rest.iter().map(|j| j.id).collect::<Vec<_>>(), vec![ids[1], ids[0]]);
    let only_running = repo::list(&pool, Some(JobStatus::Running), None, 10).await.unwrap();
    assert_eq!(only_running.iter().map(|j| j.id).collect::<Vec<_>>(), vec![running]);
}
