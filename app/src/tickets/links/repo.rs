//! SQL for ticket links and merges.
use super::model::LinkKind;
use crate::auth::model::UserId;
use crate::tickets::model::{StatusCategory, TicketId, TicketNumber};
use sqlx::PgExecutor;

/// Serialises link changes for the rest of the transaction, so two concurrent links
/// cannot together close a cycle that each alone would not.
pub async fn lock_links(db: impl PgExecutor<'_>) -> sqlx::Result<()> {
    sqlx::query!("select pg_advisory_xact_lock(hashtext('ticket_links'))").execute(db).await?;
    Ok(())
}

/// The stored link between two tickets, whichever way round.
pub struct PairLink {
    pub id: uuid::Uuid,
    pub kind: LinkKind,
    pub ticket_id: TicketId,
}

pub async fn find_pair(db: impl PgExecutor<'_>, a: TicketId, b: TicketId) -> sqlx::Result<Option<PairLink>> {
    sqlx::query_as!(
        PairLink,
        r#"select id, kind as "kind: LinkKind", ticket_id as "ticket_id: TicketId" from ticket_links
           where least(ticket_id, target_id) = least($1::uuid, $2::uuid)
             and greatest(ticket_id, target_id) = greatest($1::uuid, $2::uuid)"#,
        a.0,
        b.0
    )
    .fetch_optional(db)
    .await
}

/// The ticket `ticket` points up to with a `kind` link (its parent, or its original).
pub async fn up_of(db: impl PgExecutor<'_>, ticket: TicketId, kind: LinkKind) -> sqlx::Result<Option<TicketNumber>> {
    sqlx::query_scalar!(
        r#"select t.number as "number: TicketNumber" from ticket_links l join tickets t on t.id = l.target_id
           where l.ticket_id = $1 and l.kind = $2"#,
        ticket.0,
        kind as LinkKind
    )
    .fetch_optional(db)
    .await
}

/// Whether `ticket` <kind> `target` would close a loop: `ticket` is already reached
/// by walking up from `target`.
pub async fn creates_cycle(
    db: impl PgExecutor<'_>,
    kind: LinkKind,
    ticket: TicketId,
    target: TicketId,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"with recursive up(id) as (
             select $2::uuid
             union
             select l.target_id from ticket_links l join up on l.ticket_id = up.id where l.kind = $3
           )
           select exists(select 1 from up where id = $1) as "cycle!""#,
        ticket.0,
        target.0,
        kind as LinkKind
    )
    .fetch_one(db)
    .await
}

pub async fn insert(
    db: impl PgExecutor<'_>,
    kind: LinkKind,
    ticket: TicketId,
    target: TicketId,
    by: UserId,
) -> sqlx::Result<uuid::Uuid> {
    sqlx::query_scalar!(
        "insert into ticket_links (kind, ticket_id, target_id, created_by) values ($1, $2, $3, $4) returning id",
        kind as LinkKind,
        ticket.0,
        target.0,
        by.0
    )
    .fetch_one(db)
    .await
}

pub async fn delete(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<()> {
    sqlx::query!("delete from ticket_links where id = $1", id).execute(db).await?;
    Ok(())
}

/// One link of a ticket with the other ticket's summary and requester.
pub struct LinkRow {
    pub kind: LinkKind,
    /// The ticket asked about is the row's `ticket` side.
    pub from_ticket: bool,
    pub number: TicketNumber,
    pub title: String,
    pub status_name: String,
    pub status_category: StatusCategory,
    pub requester_id: UserId,
}

pub async fn list_for(db: impl PgExecutor<'_>, ticket: TicketId) -> sqlx::Result<Vec<LinkRow>> {
    sqlx::query_as!(
        LinkRow,
        r#"select l.kind as "kind: LinkKind", (l.ticket_id = $1) as "from_ticket!",
                  o.number as "number: TicketNumber", o.title, s.name as status_name,
                  o.status_category as "status_category: StatusCategory", o.requester_id as "requester_id: UserId"
           from ticket_links l
           join tickets o on o.id = case when l.ticket_id = $1 then l.target_id else l.ticket_id end
           join ticket_statuses s on s.key = o.status
           where l.ticket_id = $1 or l.target_id = $1
           order by l.kind, o.number"#,
        ticket.0
    )
    .fetch_all(db)
    .await
}

/// Which of `numbers` belong to `requester` (what a requester may see of links).
pub async fn owned_numbers(db: impl PgExecutor<'_>, numbers: &[i64], requester: UserId) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!("select number from tickets where number = any($1) and requester_id = $2", numbers, requester.0)
        .fetch_all(db)
        .await
}

/// Moves every comment of `from` to `to`, keeping authors and times. With
/// `make_internal`, public replies become internal notes (the tickets belong to
/// different requesters, who must not read each other's conversation).
pub async fn move_comments(
    db: impl PgExecutor<'_>,
    from: TicketId,
    to: TicketId,
    make_internal: bool,
) -> sqlx::Result<Vec<uuid::Uuid>> {
    sqlx::query_scalar!(
        "update ticket_comments set ticket_id = $2, internal = internal or $3 where ticket_id = $1 returning id",
        from.0,
        to.0,
        make_internal
    )
    .fetch_all(db)
    .await
}

/// Moves the timeline entries of moved comments, stamped with the target's new
/// version so conflict messages on the target list them.
pub async fn move_comment_events(
    db: impl PgExecutor<'_>,
    from: TicketId,
    to: TicketId,
    version: i32,
) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "update ticket_events set ticket_id = $2, version = $3 where ticket_id = $1 and kind = 'comment'",
        from.0,
        to.0,
        version
    )
    .execute(db)
    .await?
    .rows_affected())
}
