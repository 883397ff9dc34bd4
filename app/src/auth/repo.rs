//! SQL for accounts, sessions and sign-in attempts.
use super::model::{CurrentUser, Role, Theme, UserId};
use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// What sign-in needs to know about an account.
pub struct LoginRow {
    pub id: UserId,
    pub password_hash: Option<String>,
    pub active: bool,
}

pub async fn find_login_by_email(db: impl PgExecutor<'_>, email: &str) -> sqlx::Result<Option<LoginRow>> {
    sqlx::query_as!(
        LoginRow,
        r#"select id as "id: UserId", password_hash, active from users where email = $1::text::citext"#,
        email
    )
    .fetch_optional(db)
    .await
}

pub async fn insert_session(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    user: UserId,
    expires_at: DateTime<Utc>,
    ip: &str,
    user_agent: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into sessions (token_hash, user_id, expires_at, ip, user_agent) values ($1, $2, $3, $4, $5)",
        token_hash,
        user.0,
        expires_at,
        ip,
        user_agent
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The active user owning a live session.
pub async fn find_user_by_session(db: impl PgExecutor<'_>, token_hash: &[u8]) -> sqlx::Result<Option<CurrentUser>> {
    sqlx::query_as!(
        CurrentUser,
        r#"select u.id as "id: UserId", u.email::text as "email!", u.display_name,
                  u.role as "role: Role", u.theme as "theme: Theme"
           from sessions s join users u on u.id = s.user_id
           where s.token_hash = $1 and s.expires_at > now() and u.active"#,
        token_hash
    )
    .fetch_optional(db)
    .await
}

pub async fn delete_session(db: impl PgExecutor<'_>, token_hash: &[u8]) -> sqlx::Result<()> {
    sqlx::query!("delete from sessions where token_hash = $1", token_hash).execute(db).await?;
    Ok(())
}

/// Signs a user out everywhere (deactivation, password or role change).
pub async fn delete_sessions_of_user(db: impl PgExecutor<'_>, user: UserId) -> sqlx::Result<u64> {
    Ok(sqlx::query!("delete from sessions where user_id = $1", user.0).execute(db).await?.rows_affected())
}

pub async fn delete_expired_sessions(db: impl PgExecutor<'_>) -> sqlx::Result<u64> {
    Ok(sqlx::query!("delete from sessions where expires_at <= now()").execute(db).await?.rows_affected())
}

pub async fn insert_login_attempt(db: impl PgExecutor<'_>, email: &str, ip: &str, succeeded: bool) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into login_attempts (email, ip, succeeded) values ($1::text::citext, $2, $3)",
        email,
        ip,
        succeeded
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Failed attempts since `since` for this email and for this IP.
pub async fn count_failed_attempts(
    db: impl PgExecutor<'_>,
    email: &str,
    ip: &str,
    since: DateTime<Utc>,
) -> sqlx::Result<(i64, i64)> {
    let row = sqlx::query!(
        r#"select
             (select count(*) from login_attempts where email = $1::text::citext and not succeeded and created_at > $3) as "by_email!",
             (select count(*) from login_attempts where ip = $2 and not succeeded and created_at > $3) as "by_ip!""#,
        email,
        ip,
        since
    )
    .fetch_one(db)
    .await?;
    Ok((row.by_email, row.by_ip))
}

/// A successful sign-in forgives earlier failures of that account.
pub async fn clear_failed_attempts(db: impl PgExecutor<'_>, email: &str) -> sqlx::Result<()> {
    sqlx::query!("delete from login_attempts where email = $1::text::citext and not succeeded", email)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete_old_login_attempts(db: impl PgExecutor<'_>, before: DateTime<Utc>) -> sqlx::Result<u64> {
    Ok(sqlx::query!("delete from login_attempts where created_at < $1", before).execute(db).await?.rows_affected())
}

pub async fn update_theme(db: impl PgExecutor<'_>, user: UserId, theme: Theme) -> sqlx::Result<()> {
    sqlx::query!("update users set theme = $2 where id = $1", user.0, theme as Theme).execute(db).await?;
    Ok(())
}

pub async fn find_password_hash(db: impl PgExecutor<'_>, user: UserId) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("select password_hash from users where id = $1", user.0).fetch_one(db).await
}

pub async fn update_password_hash(db: impl PgExecutor<'_>, user: UserId, hash: &str) -> sqlx::Result<()> {
    sqlx::query!("update users set password_hash = $2 where id = $1", user.0, hash).execute(db).await?;
    Ok(())
}

pub async fn count_active_admins(db: impl PgExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"select count(*) as "n!" from users where role = 'admin' and active"#).fetch_one(db).await
}

/// Issues an invitation; earlier unused invitations of the user stop working.
pub async fn insert_invitation(
    db: &mut sqlx::PgConnection,
    token_hash: &[u8],
    user: UserId,
    by: UserId,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query!("delete from invitations where user_id = $1 and used_at is null", user.0).execute(&mut *db).await?;
    sqlx::query!(
        "insert into invitations (token_hash, user_id, created_by, expires_at) values ($1, $2, $3, $4)",
        token_hash,
        user.0,
        by.0,
        expires_at
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// Who an unused, unexpired invitation is for: (user, email, display name).
pub async fn find_open_invitation(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
) -> sqlx::Result<Option<(UserId, String, String)>> {
    Ok(sqlx::query!(
        r#"select u.id as "id: UserId", u.email::text as "email!", u.display_name
           from invitations i join users u on u.id = i.user_id
           where i.token_hash = $1 and i.used_at is null and i.expires_at > now() and u.active"#,
        token_hash
    )
    .fetch_optional(db)
    .await?
    .map(|r| (r.id, r.email, r.display_name)))
}

/// Marks an invitation used; false when it was already used (a concurrent accept).
pub async fn use_invitation(db: impl PgExecutor<'_>, token_hash: &[u8]) -> sqlx::Result<bool> {
    Ok(sqlx::query!("update invitations set used_at = now() where token_hash = $1 and used_at is null", token_hash)
        .execute(db)
        .await?
        .rows_affected()
        > 0)
}
