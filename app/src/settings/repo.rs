//! SQL for workspace settings. Each setting is one JSON document keyed by name.
use super::model::{Branding, Labels, ModuleSwitches};
use crate::auth::model::UserId;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sqlx::PgExecutor;

pub const MODULES: &str = "modules";
pub const LABELS: &str = "labels";
pub const BRANDING: &str = "branding";

pub async fn load<T: DeserializeOwned + Default>(db: impl PgExecutor<'_>, key: &str) -> sqlx::Result<T> {
    let v = sqlx::query_scalar!("select value from settings where key = $1", key).fetch_optional(db).await?;
    Ok(v.and_then(|v| match serde_json::from_value(v) {
        Ok(t) => Some(t),
        Err(e) => {
            // A document written by a newer or older version: fall back to defaults.
            tracing::warn!(key, error = %e, "unreadable setting, using defaults");
            None
        }
    })
    .unwrap_or_default())
}

pub async fn load_modules(db: impl PgExecutor<'_>) -> sqlx::Result<ModuleSwitches> {
    load(db, MODULES).await
}

pub async fn load_labels(db: impl PgExecutor<'_>) -> sqlx::Result<Labels> {
    load(db, LABELS).await
}

pub async fn load_branding(db: impl PgExecutor<'_>) -> sqlx::Result<Branding> {
    load(db, BRANDING).await
}

/// Serialises writers of one key for the rest of the transaction.
pub async fn lock_key(db: impl PgExecutor<'_>, key: &str) -> sqlx::Result<()> {
    sqlx::query!("select pg_advisory_xact_lock(hashtext($1))", key).execute(db).await?;
    Ok(())
}

/// The stored document (for audit "before"), or null.
pub async fn find_raw(db: impl PgExecutor<'_>, key: &str) -> sqlx::Result<Option<Value>> {
    sqlx::query_scalar!("select value from settings where key = $1", key).fetch_optional(db).await
}

pub async fn upsert(db: impl PgExecutor<'_>, key: &str, value: &Value, by: Option<UserId>) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into settings (key, value, updated_by) values ($1, $2, $3)
         on conflict (key) do update set value = excluded.value, updated_by = excluded.updated_by",
        key,
        value,
        by.map(|u| u.0)
    )
    .execute(db)
    .await?;
    Ok(())
}

pub struct Logo {
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub version: i64,
}

pub async fn find_logo(db: impl PgExecutor<'_>) -> sqlx::Result<Option<Logo>> {
    sqlx::query_as!(
        Logo,
        r#"select content_type, bytes, (extract(epoch from updated_at) * 1000)::bigint as "version!" from branding_logo where id = 1"#
    )
    .fetch_optional(db)
    .await
}

/// Stores the logo and returns its new version.
pub async fn upsert_logo(db: impl PgExecutor<'_>, content_type: &str, bytes: &[u8]) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"insert into branding_logo (id, content_type, bytes) values (1, $1, $2)
           on conflict (id) do update set content_type = excluded.content_type, bytes = excluded.bytes, updated_at = clock_timestamp()
           returning (extract(epoch from updated_at) * 1000)::bigint as "version!""#,
        content_type,
        bytes
    )
    .fetch_one(db)
    .await
}

pub async fn delete_logo(db: impl PgExecutor<'_>) -> sqlx::Result<bool> {
    Ok(sqlx::query!("delete from branding_logo where id = 1").execute(db).await?.rows_affected() > 0)
}
