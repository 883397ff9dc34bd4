//! SQL for saved views.
use super::model::{DeskTab, Draft, SavedView};
use crate::auth::model::UserId;
use crate::tickets::model::{StatusCategory, TicketFilter, TicketId, TicketNumber};
use serde_json::Value;
use sqlx::PgExecutor;

/// Reads a stored filter document; unknown or malformed parts fall back to "any".
fn to_filter(v: &Value) -> TicketFilter {
    serde_json::from_value(v.clone()).unwrap_or_default()
}

/// Shared views first, then the user's own, each in their order.
pub async fn list_views(db: impl PgExecutor<'_>, user: UserId, may_edit_shared: bool) -> sqlx::Result<Vec<SavedView>> {
    let rows = sqlx::query!(
        r#"select id, name, owner_id is null as "shared!", owner_id is not null or $2 as "editable!", filters from saved_views
           where owner_id is null or owner_id = $1
           order by owner_id nulls first, position, name"#,
        user.0,
        may_edit_shared
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SavedView {
            id: r.id,
            name: r.name,
            shared: r.shared,
            editable: r.editable,
            filter: to_filter(&r.filters),
        })
        .collect())
}

/// The user's tabs in order, with their titles and whether a draft waits.
pub async fn tabs(db: impl PgExecutor<'_>, user: UserId) -> sqlx::Result<Vec<DeskTab>> {
    sqlx::query_as!(
        DeskTab,
        r#"select t.number as "number: TicketNumber", t.title, t.status_category as "status_category: StatusCategory",
                  exists (select 1 from ticket_drafts d where d.user_id = dt.user_id and d.ticket_id = dt.ticket_id) as "has_draft!"
           from desk_tabs dt join tickets t on t.id = dt.ticket_id
           where dt.user_id = $1
           order by dt.position, dt.opened_at"#,
        user.0
    )
    .fetch_all(db)
    .await
}

/// Adds a tab at the end unless it is open already; true when added.
pub async fn open_tab(db: impl PgExecutor<'_>, user: UserId, ticket: TicketId) -> sqlx::Result<bool> {
    let r = sqlx::query!(
        r#"insert into desk_tabs (user_id, ticket_id, position)
           select $1, $2, coalesce(max(position), 0) + 1 from desk_tabs where user_id = $1
           on conflict (user_id, ticket_id) do nothing"#,
        user.0,
        ticket.0
    )
    .execute(db)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn count_tabs(db: impl PgExecutor<'_>, user: UserId) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"select count(*) as "n!" from desk_tabs where user_id = $1"#, user.0).fetch_one(db).await
}

/// Closes the oldest tab without a draft (never `keep`); false when every tab has one.
pub async fn close_oldest_clean_tab(db: impl PgExecutor<'_>, user: UserId, keep: TicketId) -> sqlx::Result<bool> {
    let r = sqlx::query!(
        r#"delete from desk_tabs where (user_id, ticket_id) = (
             select dt.user_id, dt.ticket_id from desk_tabs dt
             where dt.user_id = $1 and dt.ticket_id <> $2
               and not exists (select 1 from ticket_drafts d where d.user_id = dt.user_id and d.ticket_id = dt.ticket_id)
             order by dt.position limit 1)"#,
        user.0,
        keep.0
    )
    .execute(db)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Closes a tab and throws its draft away.
pub async fn close_tab(db: &mut sqlx::PgConnection, user: UserId, ticket: TicketId) -> sqlx::Result<()> {
    sqlx::query!("delete from desk_tabs where user_id = $1 and ticket_id = $2", user.0, ticket.0)
        .execute(&mut *db)
        .await?;
    delete_draft(&mut *db, user, ticket).await
}

/// Puts a tab at `position` (0-based) and renumbers the rest in their order.
pub async fn move_tab(db: impl PgExecutor<'_>, user: UserId, ticket: TicketId, position: i32) -> sqlx::Result<()> {
    sqlx::query!(
        r#"with ordered as (
             select ticket_id, row_number() over (order by position, opened_at) - 1 as pos
             from desk_tabs where user_id = $1 and ticket_id <> $2
           ), placed as (
             select ticket_id, (case when pos >= $3 then pos + 1 else pos end)::int as pos from ordered
             union all select $2, least($3, (select count(*) from ordered))::int
           )
           update desk_tabs dt set position = placed.pos
           from placed where dt.user_id = $1 and dt.ticket_id = placed.ticket_id"#,
        user.0,
        ticket.0,
        position as i64
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn draft(db: impl PgExecutor<'_>, user: UserId, ticket: TicketId) -> sqlx::Result<Option<Draft>> {
    sqlx::query_as!(
        Draft,
        "select body, internal, updated_at from ticket_drafts where user_id = $1 and ticket_id = $2",
        user.0,
        ticket.0
    )
    .fetch_optional(db)
    .await
}

pub async fn save_draft(
    db: impl PgExecutor<'_>,
    user: UserId,
    ticket: TicketId,
    body: &str,
    internal: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"insert into ticket_drafts (user_id, ticket_id, body, internal) values ($1, $2, $3, $4)
           on conflict (user_id, ticket_id) do update set body = excluded.body, internal = excluded.internal, updated_at = now()"#,
        user.0,
        ticket.0,
        body,
        internal
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete_draft(db: impl PgExecutor<'_>, user: UserId, ticket: TicketId) -> sqlx::Result<()> {
    sqlx::query!("delete from ticket_drafts where user_id = $1 and ticket_id = $2", user.0, ticket.0)
        .execute(db)
        .await?;
    Ok(())
}

/// Serialises tab changes of one user until the transaction ends.
pub async fn lock_tabs(db: impl PgExecutor<'_>, user: UserId) -> sqlx::Result<()> {
    sqlx::query!("select pg_advisory_xact_lock(hashtext('desk_tabs'), hashtext($1::uuid::text))", user.0)
        .fetch_one(db)
        .await?;
    Ok(())
}

/// None = no such view; Some(None) = shared; Some(Some(owner)) = personal.
pub async fn view_owner(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<Option<UserId>>> {
    let r = sqlx::query_scalar!(r#"select owner_id as "owner: UserId" from saved_views where id = $1"#, id)
        .fetch_optional(db)
        .await?;
    Ok(r)
}

/// The view as the audit log records it.
pub async fn view_doc(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<Value>> {
    sqlx::query_scalar!(
        r#"select jsonb_build_object('name', name, 'shared', owner_id is null, 'filter', filters) as "doc!"
           from saved_views where id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn insert_view(
    db: impl PgExecutor<'_>,
    name: &str,
    owner: Option<UserId>,
    filters: &Value,
) -> sqlx::Result<uuid::Uuid> {
    sqlx::query_scalar!(
        r#"insert into saved_views (name, owner_id, filters, position)
           values ($1, $2, $3, (select coalesce(max(position), 0) + 1 from saved_views where owner_id is not distinct from $2))
           returning id"#,
        name,
        owner.map(|o| o.0),
        filters
    )
    .fetch_one(db)
    .await
}

pub async fn update_view(
    db: impl PgExecutor<'_>,
    id: uuid::Uuid,
    name: &str,
    owner: Option<UserId>,
    filters: &Value,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update saved_views set name = $2, owner_id = $3, filters = $4 where id = $1",
        id,
        name,
        owner.map(|o| o.0),
        filters
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete_view(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<()> {
    sqlx::query!("delete from saved_views where id = $1", id).execute(db).await?;
    Ok(())
}
