//! SQL for ticket presence (an unlogged table: it only lives for seconds).
use super::model::{Presence, EXPIRY_SECS, TYPING_SECS};
use crate::auth::model::UserId;
use crate::tickets::model::TicketId;
use sqlx::PgExecutor;

/// Records that `user` has the ticket open; true when they were not present before
/// (new, or back after expiry), which others should hear about.
pub async fn heartbeat(db: impl PgExecutor<'_>, ticket: TicketId, user: UserId) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"with before as (
             select seen_at > now() - make_interval(secs => $3) as live from ticket_presence
             where ticket_id = $1 and user_id = $2
           )
           insert into ticket_presence (ticket_id, user_id, seen_at) values ($1, $2, now())
           on conflict (ticket_id, user_id) do update
             set seen_at = now(),
                 typing_at = case when ticket_presence.seen_at > now() - make_interval(secs => $3)
                                  then ticket_presence.typing_at end
           returning not coalesce((select live from before), false) as "arrived!""#,
        ticket.0,
        user.0,
        EXPIRY_SECS as f64
    )
    .fetch_one(db)
    .await
}

/// Marks a present user as typing (or not); true when that changed what others
/// see. Absent users stay absent: a draft saved while leaving adds no presence.
pub async fn set_typing(db: impl PgExecutor<'_>, ticket: TicketId, user: UserId, typing: bool) -> sqlx::Result<bool> {
    let changed = sqlx::query_scalar!(
        r#"update ticket_presence p set typing_at = case when $3 then now() end
           from (select typing_at > now() - make_interval(secs => $5) as was from ticket_presence
                 where ticket_id = $1 and user_id = $2) old
           where p.ticket_id = $1 and p.user_id = $2 and p.seen_at > now() - make_interval(secs => $4)
           returning coalesce(old.was, false) <> $3 as "changed!""#,
        ticket.0,
        user.0,
        typing,
        EXPIRY_SECS as f64,
        TYPING_SECS as f64
    )
    .fetch_optional(db)
    .await?;
    Ok(changed.unwrap_or(false))
}

/// Removes the user from the ticket; true when they were there.
pub async fn leave(db: impl PgExecutor<'_>, ticket: TicketId, user: UserId) -> sqlx::Result<bool> {
    let r = sqlx::query!(
        "delete from ticket_presence where ticket_id = $1 and user_id = $2 and seen_at > now() - make_interval(secs => $3)",
        ticket.0,
        user.0,
        EXPIRY_SECS as f64
    )
    .execute(db)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// Everyone on the ticket except `me`, by name. Only active staff are listed.
pub async fn others(db: impl PgExecutor<'_>, ticket: TicketId, me: UserId) -> sqlx::Result<Vec<Presence>> {
    sqlx::query_as!(
        Presence,
        r#"select u.id as "user_id: UserId", u.display_name as name,
                  coalesce(p.typing_at > now() - make_interval(secs => $4), false) as "replying!"
           from ticket_presence p join users u on u.id = p.user_id
           where p.ticket_id = $1 and p.user_id <> $2 and p.seen_at > now() - make_interval(secs => $3)
             and u.active and u.role <> 'requester'
           order by u.display_name"#,
        ticket.0,
        me.0,
        EXPIRY_SECS as f64,
        TYPING_SECS as f64
    )
    .fetch_all(db)
    .await
}

/// Forgets rows that expired long ago (presence of closed tabs).
pub async fn sweep(db: impl PgExecutor<'_>) -> sqlx::Result<u64> {
    let r =
        sqlx::query!("delete from ticket_presence where seen_at < now() - interval '10 minutes'").execute(db).await?;
    Ok(r.rows_affected())
}
