//! SQL for attachment rows (the bytes are in the object store, keyed by id).
use super::model::{Attachment, AttachmentSettings};
use crate::auth::model::UserId;
use crate::tickets::model::TicketId;
use sqlx::PgExecutor;

/// The settings key of `AttachmentSettings`.
pub const SETTINGS_KEY: &str = "attachments";

pub async fn load_settings(db: impl PgExecutor<'_>) -> sqlx::Result<AttachmentSettings> {
    let raw = crate::settings::repo::find_raw(db, SETTINGS_KEY).await?;
    Ok(raw.and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default())
}

pub struct NewAttachment<'a> {
    pub id: uuid::Uuid,
    pub ticket: TicketId,
    pub draft: bool,
    pub filename: &'a str,
    pub size_bytes: i64,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub uploaded_by: UserId,
}

pub async fn insert(db: impl PgExecutor<'_>, a: NewAttachment<'_>) -> sqlx::Result<Attachment> {
    sqlx::query_as!(
        Attachment,
        r#"insert into ticket_attachments (id, ticket_id, draft, filename, size_bytes, content_type, sha256, uploaded_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8)
           returning id, filename, size_bytes, content_type, comment_id, draft, created_at"#,
        a.id,
        a.ticket.0,
        a.draft,
        a.filename,
        a.size_bytes,
        a.content_type,
        a.sha256,
        a.uploaded_by.0
    )
    .fetch_one(db)
    .await
}

/// What a download needs to decide who may have the file.
pub struct Access {
    pub id: uuid::Uuid,
    pub ticket_id: TicketId,
    pub requester_id: UserId,
    pub uploaded_by: UserId,
    pub draft: bool,
    /// The comment is an internal note.
    pub internal: bool,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
}

pub async fn find_access(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<Access>> {
    sqlx::query_as!(
        Access,
        r#"select a.id, a.ticket_id as "ticket_id: TicketId", t.requester_id as "requester_id: UserId",
                  a.uploaded_by as "uploaded_by: UserId", a.draft, coalesce(c.internal, false) as "internal!",
                  a.filename, a.content_type, a.size_bytes
           from ticket_attachments a
           join tickets t on t.id = a.ticket_id
           left join ticket_comments c on c.id = a.comment_id
           where a.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

/// The sent attachments of a ticket, oldest first; those of internal notes only
/// when `with_internal`.
pub async fn for_ticket(
    db: impl PgExecutor<'_>,
    ticket: TicketId,
    with_internal: bool,
) -> sqlx::Result<Vec<Attachment>> {
    sqlx::query_as!(
        Attachment,
        r#"select a.id, a.filename, a.size_bytes, a.content_type, a.comment_id, a.draft, a.created_at
           from ticket_attachments a left join ticket_comments c on c.id = a.comment_id
           where a.ticket_id = $1 and not a.draft and ($2 or coalesce(c.internal, false) = false)
           order by a.created_at, a.id"#,
        ticket.0,
        with_internal
    )
    .fetch_all(db)
    .await
}

/// Files `user` uploaded to a reply on `ticket` that is not sent yet.
pub async fn drafts(db: impl PgExecutor<'_>, ticket: TicketId, user: UserId) -> sqlx::Result<Vec<Attachment>> {
    sqlx::query_as!(
        Attachment,
        r#"select id, filename, size_bytes, content_type, comment_id, draft, created_at
           from ticket_attachments where ticket_id = $1 and uploaded_by = $2 and draft
           order by created_at, id"#,
        ticket.0,
        user.0
    )
    .fetch_all(db)
    .await
}

/// Attaches `user`'s draft uploads `ids` on `ticket` to the comment just written;
/// returns how many were attached (fewer than asked: some were not theirs).
pub async fn attach_drafts(
    db: impl PgExecutor<'_>,
    ids: &[uuid::Uuid],
    ticket: TicketId,
    user: UserId,
    comment: uuid::Uuid,
) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "update ticket_attachments set draft = false, comment_id = $4
         where id = any($1) and ticket_id = $2 and uploaded_by = $3 and draft",
        ids,
        ticket.0,
        user.0,
        comment
    )
    .execute(db)
    .await?
    .rows_affected())
}

/// Deletes one of `user`'s draft uploads; true when there was one.
pub async fn delete_draft(db: impl PgExecutor<'_>, id: uuid::Uuid, user: UserId) -> sqlx::Result<bool> {
    Ok(sqlx::query!("delete from ticket_attachments where id = $1 and uploaded_by = $2 and draft", id, user.0)
        .execute(db)
        .await?
        .rows_affected()
        > 0)
}

/// Files of comments moved by a merge follow them to the target ticket.
pub async fn move_with_comments(db: impl PgExecutor<'_>, comments: &[uuid::Uuid], to: TicketId) -> sqlx::Result<u64> {
    Ok(sqlx::query!("update ticket_attachments set ticket_id = $2 where comment_id = any($1)", comments, to.0)
        .execute(db)
        .await?
        .rows_affected())
}

pub async fn ticket_number(
    db: impl PgExecutor<'_>,
    ticket: TicketId,
) -> sqlx::Result<crate::tickets::model::TicketNumber> {
    sqlx::query_scalar!(
        r#"select number as "number: crate::tickets::model::TicketNumber" from tickets where id = $1"#,
        ticket.0
    )
    .fetch_one(db)
    .await
}
