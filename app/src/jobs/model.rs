//! Background-job types shared by the server and the WASM client: the job
//! status enum and the read-only views the admin UI shows. No database code
//! here, so the file compiles for the browser; the sqlx mapping only exists
//! with the `ssr` feature.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a job is in its life cycle (Postgres enum `job_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "job_status", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting for `run_at` to pass and a worker to claim it.
    Queued,
    /// Claimed by a worker that holds a lease on it.
    Running,
    /// Finished successfully.
    Done,
    /// Failed on its last allowed attempt; only a manual retry revives it.
    Dead,
}

impl JobStatus {
    /// Every status, in life-cycle order (handy for filters in the UI).
    pub const ALL: [JobStatus; 4] = [JobStatus::Queued, JobStatus::Running, JobStatus::Done, JobStatus::Dead];

    /// The lowercase name, identical to the database label and the JSON form.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Dead => "dead",
        }
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the job list, without the payload (which may be large or
/// contain data the list view has no business showing).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct JobSummary {
    /// Job id; the list is paged by it, newest first.
    pub id: i64,
    /// Handler name the job is dispatched to.
    pub kind: String,
    /// Current status.
    pub status: JobStatus,
    /// Attempts started so far (incremented when a worker claims the job).
    pub attempts: i32,
    /// Attempts allowed before the job goes dead.
    pub max_attempts: i32,
    /// Earliest time the next attempt may start.
    pub run_at: DateTime<Utc>,
    /// Error text of the most recent failed attempt, if any.
    pub last_error: Option<String>,
    /// When the job was enqueued.
    pub created_at: DateTime<Utc>,
    /// When the job reached `done` or `dead`.
    pub finished_at: Option<DateTime<Utc>>,
}

/// Number of jobs in each status, for the dashboard.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct JobCounts {
    /// Jobs waiting to run (including ones scheduled for later).
    pub queued: i64,
    /// Jobs currently leased by a worker.
    pub running: i64,
    /// Jobs that finished successfully.
    pub done: i64,
    /// Jobs that exhausted their attempts.
    pub dead: i64,
}
