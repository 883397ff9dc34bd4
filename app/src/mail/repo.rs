//! SQL for the relay settings and the outbox.
use super::model::{MailSecurity, MailSettings, OutboundKind, OutboundMail, OutboundStatus, OutboxCursor};
use super::rules::ValidRelay;
use sqlx::PgExecutor;

/// The job kind that delivers one outbox message (payload `{"id": …}`).
pub const SEND_JOB: &str = "core.mail_send";
/// Attempts before a message counts as failed: with the queue's backoff
/// (2^n s) the last one is about 8.5 minutes after the first.
pub const SEND_ATTEMPTS: i32 = 9;

/// The saved relay, without its password.
pub struct TransportRow {
    pub id: uuid::Uuid,
    pub settings: MailSettings,
}

pub async fn transport(db: impl PgExecutor<'_>) -> sqlx::Result<Option<TransportRow>> {
    let r = sqlx::query!(
        r#"select t.id, t.enabled, t.host, t.port, t.security as "security: MailSecurity", t.username,
                  t.from_address::text as "from_address!", t.from_name,
                  exists (select 1 from vault_secrets s where s.mail_transport_id = t.id) as "has_password!"
           from mail_transport t where t.singleton"#
    )
    .fetch_optional(db)
    .await?;
    Ok(r.map(|r| TransportRow {
        id: r.id,
        settings: MailSettings {
            configured: true,
            enabled: r.enabled,
            host: r.host,
            port: u16::try_from(r.port).unwrap_or_default(),
            security: r.security,
            username: r.username,
            has_password: r.has_password,
            from_address: r.from_address,
            from_name: r.from_name,
        },
    }))
}

/// Creates or replaces the relay (not its password); returns its id.
pub async fn save_transport(db: impl PgExecutor<'_>, r: &ValidRelay) -> sqlx::Result<uuid::Uuid> {
    sqlx::query_scalar!(
        r#"insert into mail_transport (enabled, host, port, security, username, from_address, from_name)
           values ($1, $2, $3, $4, $5, $6, $7)
           on conflict (singleton) do update set enabled = excluded.enabled, host = excluded.host,
             port = excluded.port, security = excluded.security, username = excluded.username,
             from_address = excluded.from_address, from_name = excluded.from_name, updated_at = now()
           returning id"#,
        r.enabled,
        r.host,
        i32::from(r.port),
        r.security as MailSecurity,
        r.username,
        r.from_address,
        r.from_name
    )
    .fetch_one(db)
    .await
}

/// Writes one message per address to the outbox and a delivery job for each, in
/// the caller's transaction. Nothing is written while no relay is enabled.
/// Returns how many messages were queued.
pub async fn queue(
    conn: &mut sqlx::PgConnection,
    recipients: &[String],
    subject: &str,
    body: &str,
    href: &str,
    kind: OutboundKind,
) -> sqlx::Result<usize> {
    let subject = super::rules::subject_line(subject);
    let body = super::rules::body_text(body);
    let ids = sqlx::query_scalar!(
        r#"insert into outbound_mail (recipient, subject, body, href, kind)
           select r, $2, $3, $4, $5 from unnest($1::text[]) r
           where exists (select 1 from mail_transport where singleton and enabled)
           returning id"#,
        recipients,
        subject,
        body,
        href,
        kind as OutboundKind
    )
    .fetch_all(&mut *conn)
    .await?;
    for id in &ids {
        enqueue_send(&mut *conn, *id).await?;
    }
    Ok(ids.len())
}

/// The delivery job of one message, due now, recorded as the only one that may send it.
async fn enqueue_send(conn: &mut sqlx::PgConnection, id: uuid::Uuid) -> sqlx::Result<()> {
    let payload = serde_json::json!({ "id": id });
    let job =
        crate::jobs::repo::enqueue(&mut *conn, SEND_JOB, &payload, chrono::Utc::now(), SEND_ATTEMPTS, None).await?;
    sqlx::query!("update outbound_mail set job_id = $2 where id = $1", id, job).execute(conn).await?;
    Ok(())
}

/// The addresses of these users, if active.
pub async fn addresses_of(db: impl PgExecutor<'_>, users: &[uuid::Uuid]) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(r#"select email::text as "email!" from users where id = any($1) and active"#, users)
        .fetch_all(db)
        .await
}

/// The addresses of every active administrator.
pub async fn admin_addresses(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(r#"select email::text as "email!" from users where role = 'admin' and active order by email"#)
        .fetch_all(db)
        .await
}

/// A message about to be delivered.
pub struct Pending {
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub href: String,
}

/// Counts an attempt at a queued message by its current job and returns it;
/// `None` once it is sent or failed, or for another job than its current one (a
/// revived old job), so that no message is sent twice.
pub async fn begin_attempt(db: impl PgExecutor<'_>, id: uuid::Uuid, job: i64) -> sqlx::Result<Option<Pending>> {
    let r = sqlx::query!(
        r#"update outbound_mail set attempts = attempts + 1 where id = $1 and status = 'queued' and job_id = $2
           returning recipient::text as "recipient!", subject, body, href"#,
        id,
        job
    )
    .fetch_optional(db)
    .await?;
    Ok(r.map(|r| Pending { recipient: r.recipient, subject: r.subject, body: r.body, href: r.href }))
}

pub async fn mark_sent(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update outbound_mail set status = 'sent', sent_at = now(), last_error = null where id = $1 and status = 'queued'",
        id
    )
        .execute(db)
        .await?;
    Ok(())
}

/// Records why an attempt failed; `last` marks the message failed for good.
pub async fn record_failure(db: impl PgExecutor<'_>, id: uuid::Uuid, error: &str, last: bool) -> sqlx::Result<()> {
    let error: String = error.chars().take(2000).collect();
    let status = if last { OutboundStatus::Failed } else { OutboundStatus::Queued };
    sqlx::query!(
        "update outbound_mail set last_error = $2, status = $3 where id = $1 and status = 'queued'",
        id,
        error,
        status as OutboundStatus
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A failed message, or a queued one whose job is gone or dead, goes back to the
/// queue with a fresh job; false otherwise.
pub async fn requeue(conn: &mut sqlx::PgConnection, id: uuid::Uuid) -> sqlx::Result<bool> {
    let n = sqlx::query!(
        r#"update outbound_mail m set status = 'queued', attempts = 0 where m.id = $1
             and (m.status = 'failed'
                  or (m.status = 'queued' and not exists (
                        select 1 from jobs j where j.id = m.job_id and j.status in ('queued', 'running'))))"#,
        id
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n == 1 {
        enqueue_send(conn, id).await?;
    }
    Ok(n == 1)
}

/// Inserts a test message already marked as being attempted (it is sent at once, not queued).
pub async fn insert_test(
    db: impl PgExecutor<'_>,
    recipient: &str,
    subject: &str,
    body: &str,
) -> sqlx::Result<uuid::Uuid> {
    sqlx::query_scalar!(
        "insert into outbound_mail (recipient, subject, body, kind, attempts) values ($1, $2, $3, 'test', 1) returning id",
        recipient,
        subject,
        body
    )
    .fetch_one(db)
    .await
}

pub async fn get(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<OutboundMail>> {
    sqlx::query_as!(
        OutboundMail,
        r#"select id, recipient::text as "recipient!", subject, kind as "kind: OutboundKind",
                  status as "status: OutboundStatus", attempts, last_error, created_at, sent_at
           from outbound_mail where id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

/// One page of the outbox, newest first, optionally of one status.
pub async fn outbox(
    db: impl PgExecutor<'_>,
    status: Option<OutboundStatus>,
    after: Option<OutboxCursor>,
    limit: i64,
) -> sqlx::Result<Vec<OutboundMail>> {
    let (at, id) = after.map(|c| (Some(c.created_at), Some(c.id))).unwrap_or((None, None));
    sqlx::query_as!(
        OutboundMail,
        r#"select id, recipient::text as "recipient!", subject, kind as "kind: OutboundKind",
                  status as "status: OutboundStatus", attempts, last_error, created_at, sent_at
           from outbound_mail
           where ($1::outbound_mail_status is null or status = $1)
             and ($2::timestamptz is null or (created_at, id) < ($2, $3::uuid))
           order by created_at desc, id desc
           limit $4"#,
        status as Option<OutboundStatus>,
        at,
        id,
        limit
    )
    .fetch_all(db)
    .await
}
