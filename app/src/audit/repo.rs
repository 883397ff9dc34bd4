//! SQL for the append-only, hash-chained audit log. The chain itself (ids, hashes)
//! is computed by the insert trigger in the database, so every writer is covered.
use super::model::AuditEntry;
use crate::auth::model::UserId;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgExecutor;

/// Who did it: a user, or the system/CLI.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<UserId>,
    pub label: String,
}

impl Actor {
    pub fn system(label: &str) -> Actor {
        Actor { id: None, label: label.to_string() }
    }
    pub fn user(u: &crate::auth::model::CurrentUser) -> Actor {
        Actor { id: Some(u.id), label: u.email.clone() }
    }
}

/// Appends one entry. Call it in the same transaction as the change it records.
pub async fn record(
    db: impl PgExecutor<'_>,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into audit_log (actor_id, actor_label, action, entity_type, entity_id, before, after)
         values ($1, $2, $3, $4, $5, $6, $7)",
        actor.id.map(|u| u.0),
        actor.label,
        action,
        entity_type,
        entity_id,
        before,
        after
    )
    .execute(db)
    .await?;
    Ok(())
}

pub struct Filter<'a> {
    pub action: Option<&'a str>,
    pub entity_type: Option<&'a str>,
    pub actor: Option<&'a str>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub before_id: Option<i64>,
    pub limit: i64,
}

pub async fn list(db: impl PgExecutor<'_>, f: Filter<'_>) -> sqlx::Result<Vec<AuditEntry>> {
    let rows = sqlx::query!(
        r#"select id, occurred_at, actor_label, action, entity_type, entity_id, before, after
           from audit_log
           where ($1::text is null or action = $1)
             and ($2::text is null or entity_type = $2)
             and ($3::text is null or actor_label ilike '%' || $3 || '%')
             and ($4::timestamptz is null or occurred_at >= $4)
             and ($5::timestamptz is null or occurred_at < $5)
             and ($6::bigint is null or id < $6)
           order by id desc
           limit $7"#,
        f.action,
        f.entity_type,
        f.actor,
        f.from,
        f.to,
        f.before_id,
        f.limit
    )
    .fetch_all(db)
    .await?;
    let pretty = |v: Option<Value>| v.map(|v| serde_json::to_string_pretty(&v).unwrap_or_default());
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            occurred_at: r.occurred_at,
            actor_label: r.actor_label,
            action: r.action,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            before: pretty(r.before),
            after: pretty(r.after),
        })
        .collect())
}

/// Distinct actions and entity types, for the filter menus.
pub async fn distinct_actions(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(r#"select distinct action as "a!" from audit_log order by 1"#).fetch_all(db).await
}

/// Result of walking the chain.
#[derive(Debug, PartialEq, Eq)]
pub enum ChainCheck {
    Intact {
        rows: u64,
    },
    /// The first row whose stored hash or link does not match.
    Broken {
        id: i64,
        reason: &'static str,
    },
}

/// Recomputes every hash in id order (streamed, constant memory).
pub async fn verify_chain(db: &sqlx::PgPool) -> sqlx::Result<ChainCheck> {
    use futures::TryStreamExt;
    let mut rows = sqlx::query!(
        r#"select a.id, a.prev_hash, a.hash, sha256(a.prev_hash || audit_canonical(a)) as "recomputed!"
           from audit_log a order by a.id"#
    )
    .fetch(db);
    let mut prev: Vec<u8> = Vec::new();
    let mut n = 0u64;
    while let Some(r) = rows.try_next().await? {
        if r.prev_hash != prev {
            return Ok(ChainCheck::Broken {
                id: r.id,
                reason: "its prev_hash does not match the previous row (a row was removed, inserted or re-hashed)",
            });
        }
        if r.recomputed != r.hash {
            return Ok(ChainCheck::Broken {
                id: r.id,
                reason: "its content does not match its hash (the row was edited)",
            });
        }
        prev = r.hash;
        n += 1;
    }
    Ok(ChainCheck::Intact { rows: n })
}
