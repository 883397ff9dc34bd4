//! SQL for macros.
use super::model::{Macro, MacroActions};
use crate::auth::model::UserId;
use serde_json::Value;
use sqlx::PgExecutor;

/// Reads a stored actions document; unreadable parts fall back to "no change".
fn to_actions(v: &Value) -> MacroActions {
    serde_json::from_value(v.clone()).unwrap_or_default()
}

/// Shared macros and the user's own, by name.
pub async fn list(db: impl PgExecutor<'_>, user: UserId, may_edit_shared: bool) -> sqlx::Result<Vec<Macro>> {
    let rows = sqlx::query!(
        r#"select id, name, body, internal, owner_id is null as "shared!", owner_id is not null or $2 as "editable!", actions
           from macros where owner_id is null or owner_id = $1
           order by lower(name), owner_id nulls first"#,
        user.0,
        may_edit_shared
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Macro {
            id: r.id,
            name: r.name,
            body: r.body,
            internal: r.internal,
            shared: r.shared,
            editable: r.editable,
            actions: to_actions(&r.actions),
        })
        .collect())
}

/// One macro the user can see (shared, or their own); None otherwise.
pub async fn visible(db: impl PgExecutor<'_>, user: UserId, id: uuid::Uuid) -> sqlx::Result<Option<Macro>> {
    let r = sqlx::query!(
        r#"select id, name, body, internal, owner_id is null as "shared!", actions
           from macros where id = $1 and (owner_id is null or owner_id = $2)"#,
        id,
        user.0
    )
    .fetch_optional(db)
    .await?;
    Ok(r.map(|r| Macro {
        id: r.id,
        name: r.name,
        body: r.body,
        internal: r.internal,
        shared: r.shared,
        editable: false,
        actions: to_actions(&r.actions),
    }))
}

/// None = no such macro; Some(None) = shared; Some(Some(owner)) = personal.
pub async fn owner(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<Option<UserId>>> {
    sqlx::query_scalar!(r#"select owner_id as "owner: UserId" from macros where id = $1"#, id).fetch_optional(db).await
}

/// The macro as the audit log records it.
pub async fn doc(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<Value>> {
    sqlx::query_scalar!(
        r#"select jsonb_build_object('name', name, 'body', body, 'internal', internal, 'shared', owner_id is null,
                                     'owner', owner_id, 'actions', actions) as "doc!"
           from macros where id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

pub struct MacroRow<'a> {
    pub name: &'a str,
    pub body: &'a str,
    pub internal: bool,
    pub owner: Option<UserId>,
    pub actions: &'a Value,
}

pub async fn insert(db: impl PgExecutor<'_>, m: MacroRow<'_>, by: UserId) -> sqlx::Result<uuid::Uuid> {
    sqlx::query_scalar!(
        r#"insert into macros (name, body, internal, owner_id, actions, created_by)
           values ($1, $2, $3, $4, $5, $6) returning id"#,
        m.name,
        m.body,
        m.internal,
        m.owner.map(|o| o.0),
        m.actions,
        by.0
    )
    .fetch_one(db)
    .await
}

pub async fn update(db: impl PgExecutor<'_>, id: uuid::Uuid, m: MacroRow<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        "update macros set name = $2, body = $3, internal = $4, owner_id = $5, actions = $6 where id = $1",
        id,
        m.name,
        m.body,
        m.internal,
        m.owner.map(|o| o.0),
        m.actions
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<()> {
    sqlx::query!("delete from macros where id = $1", id).execute(db).await?;
    Ok(())
}
