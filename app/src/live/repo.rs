//! Publishing live events: NOTIFY in the caller's transaction, so the event is sent
//! only if the change commits, and reaches every server process.
use super::{Audience, Envelope, LiveEvent, CHANNEL};
use sqlx::PgExecutor;

pub async fn publish(db: impl PgExecutor<'_>, audience: Audience, event: LiveEvent) -> sqlx::Result<()> {
    let payload = serde_json::to_string(&Envelope { audience, event }).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query!("select pg_notify($1, $2)", CHANNEL, payload).execute(db).await?;
    Ok(())
}
