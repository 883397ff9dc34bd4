//! SQL for domains, their DNS history, certificates and their history.
use super::model::{CertChange, Certificate, CheckStatus, DnsChange, DnsRecord, Domain, DomainRow};
use crate::auth::model::CurrentUser;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sqlx::PgExecutor;

fn records_of(v: Option<Value>) -> Vec<DnsRecord> {
    v.and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default()
}

/// `%`, `_` and `\` taken literally in a LIKE pattern.
pub fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

pub async fn list(
    db: impl PgExecutor<'_>,
    search: &str,
    after: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<DomainRow>> {
    sqlx::query_as!(
        DomainRow,
        r#"select id, name, registrar, expires_on, (expires_on - current_date) as expires_in_days, last_checked_at,
                  last_check_status as "last_check_status: CheckStatus"
           from domains
           where ($1 = '' or name like '%' || $1 || '%') and ($2::text is null or name > $2)
           order by name limit $3"#,
        like_escape(&search.to_ascii_lowercase()),
        after,
        limit
    )
    .fetch_all(db)
    .await
}

/// The domain and its current record set.
pub async fn get(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<(Domain, Vec<DnsRecord>)>> {
    let r = sqlx::query!(
        r#"select id, name, registrar, expires_on, notes, dkim_selectors, ticket_on_change, records,
                  (expires_on - current_date) as expires_in_days,
                  last_checked_at, last_check_status as "last_check_status: CheckStatus", last_check_error
           from domains where id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(r.map(|r| {
        (
            Domain {
                id: r.id,
                name: r.name,
                registrar: r.registrar,
                expires_on: r.expires_on,
                notes: r.notes,
                dkim_selectors: r.dkim_selectors,
                ticket_on_change: r.ticket_on_change,
                expires_in_days: r.expires_in_days,
                last_checked_at: r.last_checked_at,
                last_check_status: r.last_check_status,
                last_check_error: r.last_check_error,
            },
            records_of(r.records),
        )
    }))
}

/// The domain as the audit log records it.
pub async fn doc(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<Value>> {
    sqlx::query_scalar!(
        r#"select jsonb_build_object('name', name, 'registrar', registrar, 'expires_on', expires_on, 'notes', notes,
                                     'dkim_selectors', dkim_selectors, 'ticket_on_change', ticket_on_change) as "doc!"
           from domains where id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

pub struct DomainFields<'a> {
    pub name: &'a str,
    pub registrar: &'a str,
    pub expires_on: Option<NaiveDate>,
    pub notes: &'a str,
    pub dkim_selectors: &'a [String],
    pub ticket_on_change: bool,
}

pub async fn insert(db: impl PgExecutor<'_>, d: DomainFields<'_>) -> sqlx::Result<uuid::Uuid> {
    sqlx::query_scalar!(
        "insert into domains (name, registrar, expires_on, notes, dkim_selectors, ticket_on_change)
         values ($1, $2, $3, $4, $5, $6) returning id",
        d.name,
        d.registrar,
        d.expires_on,
        d.notes,
        d.dkim_selectors,
        d.ticket_on_change
    )
    .fetch_one(db)
    .await
}

/// False when there is no such domain.
pub async fn update(db: impl PgExecutor<'_>, id: uuid::Uuid, d: DomainFields<'_>) -> sqlx::Result<bool> {
    let n = sqlx::query!(
        "update domains set name = $2, registrar = $3, expires_on = $4, notes = $5, dkim_selectors = $6,
                            ticket_on_change = $7
         where id = $1",
        id,
        d.name,
        d.registrar,
        d.expires_on,
        d.notes,
        d.dkim_selectors,
        d.ticket_on_change
    )
    .execute(db)
    .await?
    .rows_affected();
    Ok(n > 0)
}

pub async fn delete(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<bool> {
    Ok(sqlx::query!("delete from domains where id = $1", id).execute(db).await?.rows_affected() > 0)
}

pub async fn exists(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"select exists(select 1 from domains where id = $1) as "e!""#, id).fetch_one(db).await
}

pub async fn history(db: impl PgExecutor<'_>, domain: uuid::Uuid, limit: i64) -> sqlx::Result<Vec<DnsChange>> {
    let rows = sqlx::query!(
        "select id, checked_at, added, removed from domain_dns_changes
         where domain_id = $1 order by checked_at desc, id limit $2",
        domain,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DnsChange {
            id: r.id,
            checked_at: r.checked_at,
            added: records_of(Some(r.added)),
            removed: records_of(Some(r.removed)),
        })
        .collect())
}

pub async fn all_domain_ids(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<uuid::Uuid>> {
    sqlx::query_scalar!("select id from domains order by name").fetch_all(db).await
}

/// What a DNS check needs to know about a domain.
pub struct CheckTarget {
    pub name: String,
    pub dkim_selectors: Vec<String>,
    pub ticket_on_change: bool,
    pub records: Option<Vec<DnsRecord>>,
}

/// Reads (and with `for update` in a transaction, locks) what a DNS check needs.
pub async fn check_target(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<CheckTarget>> {
    let r = sqlx::query!(
        "select name, dkim_selectors, ticket_on_change, records from domains where id = $1 for update",
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(r.map(|r| CheckTarget {
        name: r.name,
        dkim_selectors: r.dkim_selectors,
        ticket_on_change: r.ticket_on_change,
        records: r.records.map(|v| records_of(Some(v))),
    }))
}

pub async fn store_records(
    db: impl PgExecutor<'_>,
    id: uuid::Uuid,
    records: &Value,
    status: CheckStatus,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update domains set records = $2, last_check_status = $3, last_check_error = null, last_checked_at = $4
         where id = $1",
        id,
        records,
        status as CheckStatus,
        at
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn store_dns_failure(
    db: impl PgExecutor<'_>,
    id: uuid::Uuid,
    error: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update domains set last_check_status = 'failed', last_check_error = $2, last_checked_at = $3 where id = $1",
        id,
        error,
        at
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn insert_change(
    db: impl PgExecutor<'_>,
    domain: uuid::Uuid,
    added: &Value,
    removed: &Value,
    at: DateTime<Utc>,
) -> sqlx::Result<uuid::Uuid> {
    sqlx::query_scalar!(
        "insert into domain_dns_changes (domain_id, added, removed, checked_at) values ($1, $2, $3, $4) returning id",
        domain,
        added,
        removed,
        at
    )
    .fetch_one(db)
    .await
}

// ---- certificates ----

/// `query_as!` for certificates with their domain name; `$rest` is the tail of the query.
macro_rules! cert_query {
    ($rest:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            Certificate,
            r#"select c.id, c.host, c.port, c.domain_id, d.name as "domain_name?", c.subject, c.issuer, c.sans,
                      c.not_before, c.not_after,
                      floor(extract(epoch from c.not_after - now()) / 86400)::int as expires_in_days, c.fingerprint, c.key_type, c.key_bits, c.trust_error, c.host_matches,
                      c.last_checked_at, c.last_check_status as "last_check_status: CheckStatus", c.last_check_error
               from certificates c left join domains d on d.id = c.domain_id "# + $rest
            $(, $arg)*
        )
    };
}

pub async fn get_certificate(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<Certificate>> {
    cert_query!("where c.id = $1", id).fetch_optional(db).await
}

pub async fn certificates_of(db: impl PgExecutor<'_>, domain: uuid::Uuid) -> sqlx::Result<Vec<Certificate>> {
    cert_query!("where c.domain_id = $1 order by c.host, c.port", domain).fetch_all(db).await
}

pub async fn list_certificates(
    db: impl PgExecutor<'_>,
    search: &str,
    after: Option<(&str, i32)>,
    limit: i64,
) -> sqlx::Result<Vec<Certificate>> {
    cert_query!(
        "where ($1 = '' or c.host like '%' || $1 || '%')
           and ($2::text is null or (c.host, c.port) > ($2, $3))
         order by c.host, c.port limit $4",
        like_escape(&search.to_ascii_lowercase()),
        after.map(|a| a.0),
        after.map(|a| a.1).unwrap_or(0),
        limit
    )
    .fetch_all(db)
    .await
}

pub async fn certificate_doc(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<Value>> {
    sqlx::query_scalar!(
        r#"select jsonb_build_object('host', host, 'port', port, 'domain_id', domain_id) as "doc!"
           from certificates where id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn insert_certificate(
    db: impl PgExecutor<'_>,
    host: &str,
    port: i32,
    domain: Option<uuid::Uuid>,
) -> sqlx::Result<uuid::Uuid> {
    sqlx::query_scalar!(
        "insert into certificates (host, port, domain_id) values ($1, $2, $3) returning id",
        host,
        port,
        domain
    )
    .fetch_one(db)
    .await
}

pub async fn update_certificate(
    db: impl PgExecutor<'_>,
    id: uuid::Uuid,
    host: &str,
    port: i32,
    domain: Option<uuid::Uuid>,
) -> sqlx::Result<bool> {
    let n = sqlx::query!(
        "update certificates set host = $2, port = $3, domain_id = $4 where id = $1",
        id,
        host,
        port,
        domain
    )
    .execute(db)
    .await?
    .rows_affected();
    Ok(n > 0)
}

pub async fn delete_certificate(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<bool> {
    Ok(sqlx::query!("delete from certificates where id = $1", id).execute(db).await?.rows_affected() > 0)
}

pub async fn certificate_history(db: impl PgExecutor<'_>, id: uuid::Uuid, limit: i64) -> sqlx::Result<Vec<CertChange>> {
    sqlx::query_as!(
        CertChange,
        "select id, checked_at, old_fingerprint, new_fingerprint, subject, not_after from certificate_changes
         where certificate_id = $1 order by checked_at desc, id limit $2",
        id,
        limit
    )
    .fetch_all(db)
    .await
}

pub async fn all_certificate_ids(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<uuid::Uuid>> {
    sqlx::query_scalar!("select id from certificates order by host, port").fetch_all(db).await
}

/// Host, port and last fingerprint, locked for the rest of the transaction.
pub async fn lock_certificate(
    db: impl PgExecutor<'_>,
    id: uuid::Uuid,
) -> sqlx::Result<Option<(String, i32, Option<String>)>> {
    let r = sqlx::query!("select host, port, fingerprint from certificates where id = $1 for update", id)
        .fetch_optional(db)
        .await?;
    Ok(r.map(|r| (r.host, r.port, r.fingerprint)))
}

/// What a certificate check read.
#[derive(Debug, Clone)]
pub struct CertReading {
    pub subject: String,
    pub issuer: String,
    pub sans: Vec<String>,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    pub fingerprint: String,
    pub key_type: String,
    pub key_bits: Option<i32>,
    pub trust_error: Option<String>,
    pub host_matches: bool,
}

pub async fn store_certificate(
    db: impl PgExecutor<'_>,
    id: uuid::Uuid,
    c: &CertReading,
    status: CheckStatus,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update certificates set subject = $2, issuer = $3, sans = $4, not_before = $5, not_after = $6,
                fingerprint = $7, key_type = $8, key_bits = $9, trust_error = $10, host_matches = $11,
                last_check_status = $12, last_check_error = null, last_checked_at = $13
         where id = $1",
        id,
        c.subject,
        c.issuer,
        &c.sans,
        c.not_before,
        c.not_after,
        c.fingerprint,
        c.key_type,
        c.key_bits,
        c.trust_error,
        c.host_matches,
        status as CheckStatus,
        at
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn store_certificate_failure(
    db: impl PgExecutor<'_>,
    id: uuid::Uuid,
    error: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update certificates set last_check_status = 'failed', last_check_error = $2, last_checked_at = $3 where id = $1",
        id,
        error,
        at
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn insert_certificate_change(
    db: impl PgExecutor<'_>,
    id: uuid::Uuid,
    old: &str,
    c: &CertReading,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into certificate_changes (certificate_id, old_fingerprint, new_fingerprint, subject, not_after, checked_at)
         values ($1, $2, $3, $4, $5, $6)",
        id,
        old,
        c.fingerprint,
        c.subject,
        c.not_after,
        at
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The longest-standing active admin: opens tickets about DNS changes as requester.
pub async fn first_admin(db: impl PgExecutor<'_>) -> sqlx::Result<Option<CurrentUser>> {
    sqlx::query_as!(
        CurrentUser,
        r#"select id as "id: _", email::text as "email!", display_name, role as "role: _", theme as "theme: _"
           from users where role = 'admin' and active order by created_at, id limit 1"#
    )
    .fetch_optional(db)
    .await
}

/// Key of the module's document in the settings table.
pub const SETTINGS_KEY: &str = "domains";

/// The module settings; defaults when unset or unreadable.
pub async fn load_settings(db: impl PgExecutor<'_>) -> sqlx::Result<super::model::DomainsSettings> {
    let raw = crate::settings::repo::find_raw(db, SETTINGS_KEY).await?;
    Ok(raw.and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default())
}
