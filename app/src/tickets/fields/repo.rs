//! SQL for categories, custom field definitions, watchers and the editable workflow.
use super::*;
use crate::auth::model::UserId;
use crate::tickets::model::{StatusCategory, TicketId};
use sqlx::PgExecutor;

pub async fn load_catalog(db: impl PgExecutor<'_> + Copy) -> sqlx::Result<TicketCatalog> {
    let categories = sqlx::query_as!(
        Category,
        r#"select id as "id: CategoryId", parent_id as "parent: CategoryId", name, position, active
           from ticket_categories order by position, name"#
    )
    .fetch_all(db)
    .await?;
    let fields = sqlx::query_as!(
        CustomField,
        r#"select key, label, kind as "kind: FieldKind", options, required, position, active
           from ticket_custom_fields order by position, label"#
    )
    .fetch_all(db)
    .await?;
    Ok(TicketCatalog { categories, fields })
}

pub async fn insert_category(
    db: impl PgExecutor<'_>,
    parent: Option<CategoryId>,
    name: &str,
    position: i32,
) -> sqlx::Result<CategoryId> {
    sqlx::query_scalar!(
        r#"insert into ticket_categories (parent_id, name, position) values ($1, $2, $3) returning id as "id: CategoryId""#,
        parent.map(|p| p.0),
        name,
        position
    )
    .fetch_one(db)
    .await
}

pub async fn update_category(
    db: impl PgExecutor<'_>,
    id: CategoryId,
    name: &str,
    position: i32,
    active: bool,
) -> sqlx::Result<bool> {
    let r = sqlx::query!(
        "update ticket_categories set name = $2, position = $3, active = $4 where id = $1",
        id.0,
        name,
        position,
        active
    )
    .execute(db)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Tickets filed under the category or one of its subcategories.
pub async fn category_use(db: impl PgExecutor<'_>, id: CategoryId) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from tickets
           where category_id = $1 or category_id in (select id from ticket_categories where parent_id = $1)"#,
        id.0
    )
    .fetch_one(db)
    .await
}

pub async fn delete_category(db: impl PgExecutor<'_>, id: CategoryId) -> sqlx::Result<bool> {
    // Subcategories go with their category (nothing uses them: checked first).
    let r = sqlx::query!(
        "with kids as (delete from ticket_categories where parent_id = $1) delete from ticket_categories where id = $1",
        id.0
    )
    .execute(db)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Inserts or updates a field definition; the kind of an existing field is kept
/// (the caller refuses a change first).
pub async fn upsert_field(db: impl PgExecutor<'_>, f: &CustomField) -> sqlx::Result<()> {
    sqlx::query!(
        r#"insert into ticket_custom_fields (key, label, kind, options, required, position, active)
           values ($1, $2, $3, $4, $5, $6, $7)
           on conflict (key) do update set label = excluded.label, options = excluded.options,
             required = excluded.required, position = excluded.position, active = excluded.active"#,
        f.key,
        f.label,
        f.kind as FieldKind,
        &f.options,
        f.required,
        f.position,
        f.active
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn watchers(db: impl PgExecutor<'_>, ticket: TicketId) -> sqlx::Result<Vec<super::super::model::Watcher>> {
    sqlx::query_as!(
        super::super::model::Watcher,
        r#"select u.id as "user_id: UserId", u.display_name
           from ticket_watchers w join users u on u.id = w.user_id
           where w.ticket_id = $1 order by u.display_name"#,
        ticket.0
    )
    .fetch_all(db)
    .await
}

/// Adds or removes a watcher; true when something changed.
pub async fn set_watching(db: impl PgExecutor<'_>, ticket: TicketId, user: UserId, on: bool) -> sqlx::Result<bool> {
    let n = if on {
        sqlx::query!(
            "insert into ticket_watchers (ticket_id, user_id) values ($1, $2) on conflict do nothing",
            ticket.0,
            user.0
        )
        .execute(db)
        .await?
    } else {
        sqlx::query!("delete from ticket_watchers where ticket_id = $1 and user_id = $2", ticket.0, user.0)
            .execute(db)
            .await?
    };
    Ok(n.rows_affected() == 1)
}

/// Moves every watcher of `from` to `into` (a merge).
pub async fn move_watchers(db: &mut sqlx::PgConnection, from: TicketId, into: TicketId) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into ticket_watchers (ticket_id, user_id, created_at)
         select $2, user_id, created_at from ticket_watchers where ticket_id = $1 on conflict do nothing",
        from.0,
        into.0
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!("delete from ticket_watchers where ticket_id = $1", from.0).execute(&mut *db).await?;
    Ok(())
}

pub async fn upsert_status(
    db: impl PgExecutor<'_>,
    key: &str,
    name: &str,
    category: StatusCategory,
    position: i32,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"insert into ticket_statuses (key, name, category, position) values ($1, $2, $3, $4)
           on conflict (key) do update set name = excluded.name, category = excluded.category, position = excluded.position"#,
        key,
        name,
        category as StatusCategory,
        position
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A status's category changed: the tickets in it follow (filters and SLA read the
/// denormalised `tickets.status_category`).
pub async fn recategorise_tickets(db: impl PgExecutor<'_>, key: &str, category: StatusCategory) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "update tickets set status_category = $2 where status = $1 and status_category <> $2",
        key,
        category as StatusCategory
    )
    .execute(db)
    .await?
    .rows_affected())
}

pub async fn status_use(db: impl PgExecutor<'_>, key: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"select count(*) as "n!" from tickets where status = $1"#, key).fetch_one(db).await
}

pub async fn delete_status(db: impl PgExecutor<'_>, key: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query!("delete from ticket_statuses where key = $1", key).execute(db).await?.rows_affected() == 1)
}

/// Replaces the statuses reachable from `from`.
pub async fn set_transitions(db: &mut sqlx::PgConnection, from: &str, to: &[String]) -> sqlx::Result<()> {
    sqlx::query!("delete from ticket_status_transitions where from_key = $1", from).execute(&mut *db).await?;
    sqlx::query!(
        "insert into ticket_status_transitions (from_key, to_key) select $1, t from unnest($2::text[]) t",
        from,
        to
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}
