//! SQL for the requester panel: one query, whatever the number of tickets.
use super::model::{RequesterContext, RequesterTicket, LIST_LIMIT, RECORD_LIMIT};
use crate::auth::model::{Role, UserId};
use crate::links::model::{LinkCandidate, RecordKind};
use crate::tickets::model::TicketNumber;
use sqlx::PgExecutor;

/// The requester of ticket `number` with their teams, counts and other tickets, in
/// one round trip (lists are built as JSON by the database).
pub async fn for_ticket(db: impl PgExecutor<'_>, number: TicketNumber) -> sqlx::Result<Option<RequesterContext>> {
    let Some(r) = sqlx::query!(
        r#"select u.id as "id: UserId", u.display_name as name, u.email::text as "email!", u.role as "role: Role",
                  u.active, u.created_at as since,
                  coalesce((select array_agg(tm.name::text order by tm.name) from team_members m
                            join teams tm on tm.id = m.team_id where m.user_id = u.id), '{}') as "teams!",
                  c.total as "total!", c.open as "open!",
                  coalesce((select jsonb_agg(j) from (
                      select x.number, x.title, s.name as status_name, x.status_category, x.updated_at
                      from tickets x join ticket_statuses s on s.key = x.status
                      where x.requester_id = u.id and x.id <> t.id
                        and x.status_category in ('new', 'open', 'pending', 'scheduled')
                      order by x.updated_at desc, x.id desc limit $2) j), '[]') as "open_tickets!",
                  coalesce((select jsonb_agg(j) from (
                      select x.number, x.title, s.name as status_name, x.status_category, x.updated_at
                      from tickets x join ticket_statuses s on s.key = x.status
                      where x.requester_id = u.id and x.id <> t.id
                      order by x.updated_at desc, x.id desc limit $2) j), '[]') as "recent!",
                  coalesce((select jsonb_agg(jsonb_build_array(r.kind, r.id, r.title, r.key))
                            from user_records(u.id, $3) r), '[]') as "records!"
           from tickets t join users u on u.id = t.requester_id
           -- Both counts in one pass over the requester's tickets.
           cross join lateral (
             select count(*) as total,
                    count(*) filter (where x.status_category in ('new', 'open', 'pending', 'scheduled')) as open
             from tickets x where x.requester_id = u.id) c
           where t.number = $1"#,
        number.0,
        LIST_LIMIT,
        RECORD_LIMIT as i32
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let list = |v: serde_json::Value| -> sqlx::Result<Vec<RequesterTicket>> {
        serde_json::from_value(v).map_err(|e| sqlx::Error::Decode(Box::new(e)))
    };
    Ok(Some(RequesterContext {
        id: r.id,
        name: r.name,
        email: r.email,
        role: r.role,
        active: r.active,
        teams: r.teams,
        since: r.since,
        total: r.total,
        open: r.open,
        open_tickets: list(r.open_tickets)?,
        recent: list(r.recent)?,
        records: serde_json::from_value::<Vec<(RecordKind, uuid::Uuid, String, String)>>(r.records)
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?
            .into_iter()
            .map(|(kind, id, title, key)| LinkCandidate { kind, id, href: kind.href(&key), title })
            .collect(),
    }))
}
