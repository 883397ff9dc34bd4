//! SQL for notifications.
use super::model::{Inbox, Notification};
use crate::auth::model::UserId;
use sqlx::PgExecutor;

/// Sends one notification to each of `users`.
pub async fn notify(
    db: impl PgExecutor<'_>,
    users: &[uuid::Uuid],
    title: &str,
    body: &str,
    href: &str,
) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "insert into notifications (user_id, title, body, href) select u, $2, $3, $4 from unnest($1::uuid[]) u",
        users,
        title,
        body,
        href
    )
    .execute(db)
    .await?
    .rows_affected())
}

/// Sends one notification to every active administrator.
pub async fn notify_admins(db: impl PgExecutor<'_>, title: &str, body: &str, href: &str) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "insert into notifications (user_id, title, body, href)
         select id, $1, $2, $3 from users where role = 'admin' and active",
        title,
        body,
        href
    )
    .execute(db)
    .await?
    .rows_affected())
}

/// The latest 50 notifications and the unread count.
pub async fn inbox(db: &sqlx::PgPool, user: UserId) -> sqlx::Result<Inbox> {
    let items = sqlx::query!(
        r#"select id, title, body, href, created_at, read_at is not null as "read!"
           from notifications where user_id = $1 order by created_at desc, id desc limit 50"#,
        user.0
    )
    .fetch_all(db)
    .await?;
    let unread = unread(db, user).await?;
    Ok(Inbox {
        unread,
        items: items
            .into_iter()
            .map(|r| Notification {
                id: r.id,
                title: r.title,
                body: r.body,
                href: r.href,
                created_at: r.created_at,
                read: r.read,
            })
            .collect(),
    })
}

pub async fn unread(db: impl PgExecutor<'_>, user: UserId) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"select count(*) as "n!" from notifications where user_id = $1 and read_at is null"#, user.0)
        .fetch_one(db)
        .await
}

pub async fn mark_all_read(db: impl PgExecutor<'_>, user: UserId) -> sqlx::Result<u64> {
    Ok(sqlx::query!("update notifications set read_at = now() where user_id = $1 and read_at is null", user.0)
        .execute(db)
        .await?
        .rows_affected())
}
