//! SQL for users.
use super::model::UserSummary;
use crate::auth::model::{Role, UserId};
use sqlx::PgExecutor;

pub async fn list(
    db: impl PgExecutor<'_>,
    search: Option<&str>,
    role: Option<Role>,
    include_inactive: bool,
    after_email: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<UserSummary>> {
    sqlx::query_as!(
        UserSummary,
        r#"select id as "id!: UserId", email::text as "email!", display_name as "display_name!", role as "role!: Role",
                  active as "active!", teams as "teams!", created_at as "created_at!"
           from user_summaries
           where ($1::text is null or (display_name || ' ' || email::text) ilike '%' || $1 || '%')
             and ($2::user_role is null or role = $2)
             and ($3 or active)
             and ($4::text is null or email > $4::text::citext)
           order by email
           limit $5"#,
        search,
        role as Option<Role>,
        include_inactive,
        after_email,
        limit
    )
    .fetch_all(db)
    .await
}

pub async fn find_by_id(db: impl PgExecutor<'_>, id: UserId) -> sqlx::Result<Option<UserSummary>> {
    sqlx::query_as!(
        UserSummary,
        r#"select id as "id!: UserId", email::text as "email!", display_name as "display_name!", role as "role!: Role",
                  active as "active!", teams as "teams!", created_at as "created_at!"
           from user_summaries where id = $1"#,
        id.0
    )
    .fetch_optional(db)
    .await
}

/// Serialises changes that could remove the last administrator.
pub async fn lock_admin_changes(db: impl PgExecutor<'_>) -> sqlx::Result<()> {
    sqlx::query!("select pg_advisory_xact_lock(7262002)").execute(db).await?;
    Ok(())
}

pub async fn insert(
    db: impl PgExecutor<'_>,
    email: &str,
    display_name: &str,
    role: Role,
    password_hash: Option<&str>,
) -> sqlx::Result<UserId> {
    sqlx::query_scalar!(
        r#"insert into users (email, display_name, role, password_hash) values ($1::text::citext, $2, $3, $4) returning id as "id: UserId""#,
        email,
        display_name,
        role as Role,
        password_hash
    )
    .fetch_one(db)
    .await
}

pub async fn update(
    db: impl PgExecutor<'_>,
    id: UserId,
    email: &str,
    display_name: &str,
    role: Role,
) -> sqlx::Result<bool> {
    Ok(sqlx::query!(
        "update users set email = $2::text::citext, display_name = $3, role = $4 where id = $1",
        id.0,
        email,
        display_name,
        role as Role
    )
    .execute(db)
    .await?
    .rows_affected()
        > 0)
}

pub async fn set_active(db: impl PgExecutor<'_>, id: UserId, active: bool) -> sqlx::Result<bool> {
    Ok(sqlx::query!("update users set active = $2 where id = $1", id.0, active).execute(db).await?.rows_affected() > 0)
}

/// Upsert used by seeding and `create-admin`: sets role, name and password.
pub async fn upsert_with_password(
    db: impl PgExecutor<'_>,
    email: &str,
    display_name: &str,
    role: Role,
    password_hash: &str,
) -> sqlx::Result<UserId> {
    sqlx::query_scalar!(
        r#"insert into users (email, display_name, role, password_hash) values ($1::text::citext, $2, $3, $4)
           on conflict (email) do update set display_name = excluded.display_name, role = excluded.role,
                                             password_hash = excluded.password_hash, active = true
           returning id as "id: UserId""#,
        email,
        display_name,
        role as Role,
        password_hash
    )
    .fetch_one(db)
    .await
}

/// Active staff by name; the console's assignment list (bounded).
pub async fn agents(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<super::model::AgentName>> {
    sqlx::query_as!(
        super::model::AgentName,
        r#"select id as "id: UserId", display_name from users
           where active and role <> 'requester' order by display_name, id limit 1000"#
    )
    .fetch_all(db)
    .await
}
