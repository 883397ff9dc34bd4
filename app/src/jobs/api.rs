//! Server functions for the background-job view of administrators.
use super::model::{JobCounts, JobStatus, JobSummary};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "jobs/list", input = Json)]
pub async fn list_jobs(status: Option<JobStatus>, before_id: Option<i64>) -> Result<Vec<JobSummary>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::JobsManage).await?;
        Ok(super::repo::list(&state()?.db, status, before_id, 100).await?)
    })
    .await
}

#[server(endpoint = "jobs/counts", input = Json)]
pub async fn count_jobs() -> Result<JobCounts, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::JobsManage).await?;
        Ok(super::repo::counts(&state()?.db).await?)
    })
    .await
}

/// Puts a dead job back in the queue.
#[server(endpoint = "jobs/retry", input = Json)]
pub async fn retry_job(id: i64) -> Result<(), AppError> {
    use crate::audit::repo::{record, Actor};
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::JobsManage).await?;
        let st = state()?;
        let mut tx = st.db.begin().await?;
        if !super::repo::retry_dead(&mut *tx, id).await? {
            return Err(AppError::Conflict("Only dead jobs can be retried.".into()));
        }
        record(&mut *tx, &Actor::user(&user), "job.retry", "job", &id.to_string(), None, None).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
