//! SQL for credentials and for the encrypted secrets of every vault-backed record.
use super::crypto::Sealed;
use super::model::{Credential, CredentialCursor, CredentialSummary, ExpiryState, SecretField, TotpAlgorithm};
use crate::auth::model::UserId;
use serde_json::Value;
use sqlx::PgExecutor;

/// `%term%` for ILIKE, with the wildcards of the term escaped.
pub fn like_pattern(term: &str) -> String {
    let escaped = term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

fn expiry(d: Option<chrono::NaiveDate>) -> ExpiryState {
    super::rules::expiry_state(d, today())
}

/// The page is cut first and the secret flags looked up for its rows only (index
/// probes); flags over the whole table would make the planner hash all secrets.
pub async fn list(
    db: impl PgExecutor<'_>,
    search: Option<&str>,
    after: Option<&CredentialCursor>,
    limit: i64,
) -> sqlx::Result<Vec<CredentialSummary>> {
    let pattern = search.map(like_pattern);
    let rows = sqlx::query!(
        r#"select c.id, c.name, c.username, c.url, c.expires_on, c.updated_at,
                  exists(select 1 from vault_secrets s where s.credential_id = c.id and s.field = 'password') as "has_password!",
                  exists(select 1 from vault_secrets s where s.credential_id = c.id and s.field = 'totp_seed') as "has_totp!"
           from (select * from vault_credentials c
                 where ($1::text is null or c.name ilike $1 or c.username ilike $1 or c.url ilike $1)
                   and ($2::text is null or (lower(c.name), c.id) > (lower($2), $3::uuid))
                 order by lower(c.name), c.id
                 limit $4) c
           order by lower(c.name), c.id"#,
        pattern,
        // Lower-cased by Postgres, as the sort key is (Rust's lowercase differs for "İ").
        after.map(|a| a.name.as_str()),
        after.map(|a| a.id),
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CredentialSummary {
            id: r.id,
            name: r.name,
            username: r.username,
            url: r.url,
            has_password: r.has_password,
            has_totp: r.has_totp,
            expiry: expiry(r.expires_on),
            expires_on: r.expires_on,
            updated_at: r.updated_at,
        })
        .collect())
}

pub async fn get(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<Credential>> {
    let r = sqlx::query!(
        r#"select c.id, c.name, c.username, c.url, c.notes, c.expires_on, c.created_at, c.updated_at,
                  c.totp_algorithm as "totp_algorithm: TotpAlgorithm", c.totp_digits, c.totp_period,
                  exists(select 1 from vault_secrets s where s.credential_id = c.id and s.field = 'password') as "has_password!",
                  exists(select 1 from vault_secrets s where s.credential_id = c.id and s.field = 'totp_seed') as "has_totp!"
           from vault_credentials c where c.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(r.map(|r| Credential {
        id: r.id,
        name: r.name,
        username: r.username,
        url: r.url,
        notes: r.notes,
        has_password: r.has_password,
        has_totp: r.has_totp,
        totp_algorithm: r.totp_algorithm.filter(|_| r.has_totp),
        totp_digits: r.totp_digits.filter(|_| r.has_totp),
        totp_period: r.totp_period.filter(|_| r.has_totp),
        expiry: expiry(r.expires_on),
        expires_on: r.expires_on,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }))
}

/// The credential as the audit log records it: whether secrets exist, never them.
pub async fn doc(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<Value>> {
    sqlx::query_scalar!(
        r#"select jsonb_build_object('name', c.name, 'username', c.username, 'url', c.url, 'notes', c.notes,
                  'expires_on', c.expires_on,
                  'has_password', exists(select 1 from vault_secrets s where s.credential_id = c.id and s.field = 'password'),
                  'has_totp', exists(select 1 from vault_secrets s where s.credential_id = c.id and s.field = 'totp_seed')) as "doc!"
           from vault_credentials c where c.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

pub struct CredentialRow<'a> {
    pub name: &'a str,
    pub username: &'a str,
    pub url: &'a str,
    pub notes: &'a str,
    pub expires_on: Option<chrono::NaiveDate>,
}

pub async fn insert(db: impl PgExecutor<'_>, id: uuid::Uuid, c: CredentialRow<'_>, by: UserId) -> sqlx::Result<()> {
    sqlx::query!(
        r#"insert into vault_credentials (id, name, username, url, notes, expires_on, created_by)
           values ($1, $2, $3, $4, $5, $6, $7)"#,
        id,
        c.name,
        c.username,
        c.url,
        c.notes,
        c.expires_on,
        by.0
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Returns false when there is no such credential.
pub async fn update(db: impl PgExecutor<'_>, id: uuid::Uuid, c: CredentialRow<'_>) -> sqlx::Result<bool> {
    let r = sqlx::query!(
        r#"update vault_credentials set name = $2, username = $3, url = $4, notes = $5, expires_on = $6,
                  updated_at = now() where id = $1"#,
        id,
        c.name,
        c.username,
        c.url,
        c.notes,
        c.expires_on
    )
    .execute(db)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn set_totp_params(
    db: impl PgExecutor<'_>,
    id: uuid::Uuid,
    algorithm: Option<TotpAlgorithm>,
    digits: Option<i16>,
    period: Option<i16>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"update vault_credentials set totp_algorithm = $2, totp_digits = $3, totp_period = $4, updated_at = now()
           where id = $1"#,
        id,
        algorithm as Option<TotpAlgorithm>,
        digits,
        period
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn exists(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<bool> {
    Ok(sqlx::query_scalar!("select 1 as one from vault_credentials where id = $1", id)
        .fetch_optional(db)
        .await?
        .is_some())
}

pub async fn delete(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<bool> {
    Ok(sqlx::query!("delete from vault_credentials where id = $1", id).execute(db).await?.rows_affected() == 1)
}

/// The record an encrypted secret belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretOwner {
    Credential(uuid::Uuid),
    License(uuid::Uuid),
    /// The outgoing mail relay's password.
    MailTransport(uuid::Uuid),
}

impl SecretOwner {
    pub fn id(self) -> uuid::Uuid {
        match self {
            SecretOwner::Credential(id) | SecretOwner::License(id) | SecretOwner::MailTransport(id) => id,
        }
    }
    fn cols(self) -> (Option<uuid::Uuid>, Option<uuid::Uuid>, Option<uuid::Uuid>) {
        match self {
            SecretOwner::Credential(id) => (Some(id), None, None),
            SecretOwner::License(id) => (None, Some(id), None),
            SecretOwner::MailTransport(id) => (None, None, Some(id)),
        }
    }
}

/// Stores (replacing) one encrypted secret.
pub async fn put_secret(
    conn: &mut sqlx::PgConnection,
    owner: SecretOwner,
    field: SecretField,
    s: &Sealed,
) -> sqlx::Result<()> {
    delete_secret(&mut *conn, owner, field).await?;
    let (credential, license, mail) = owner.cols();
    sqlx::query!(
        r#"insert into vault_secrets (credential_id, license_id, mail_transport_id, field, nonce, ciphertext, wrapped_key, key_id)
           values ($1, $2, $8, $3, $4, $5, $6, $7)"#,
        credential,
        license,
        field as SecretField,
        s.nonce,
        s.ciphertext,
        s.wrapped_key,
        s.key_id,
        mail
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_secret(db: impl PgExecutor<'_>, owner: SecretOwner, field: SecretField) -> sqlx::Result<()> {
    let (credential, license, mail) = owner.cols();
    sqlx::query!(
        r#"delete from vault_secrets where field = $3
           and ((credential_id = $1 and $1::uuid is not null) or (license_id = $2 and $2::uuid is not null)
                or (mail_transport_id = $4 and $4::uuid is not null))"#,
        credential,
        license,
        field as SecretField,
        mail
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn get_secret(
    db: impl PgExecutor<'_>,
    owner: SecretOwner,
    field: SecretField,
) -> sqlx::Result<Option<Sealed>> {
    let (credential, license, mail) = owner.cols();
    let r = sqlx::query!(
        r#"select nonce, ciphertext, wrapped_key, key_id from vault_secrets where field = $3
           and ((credential_id = $1 and $1::uuid is not null) or (license_id = $2 and $2::uuid is not null)
                or (mail_transport_id = $4 and $4::uuid is not null))"#,
        credential,
        license,
        field as SecretField,
        mail
    )
    .fetch_optional(db)
    .await?;
    Ok(r.map(|r| Sealed { nonce: r.nonce, ciphertext: r.ciphertext, wrapped_key: r.wrapped_key, key_id: r.key_id }))
}

/// One stored secret's wrapped data key, for key rotation.
pub struct WrappedRow {
    pub id: uuid::Uuid,
    pub owner: uuid::Uuid,
    pub field: SecretField,
    pub wrapped_key: Vec<u8>,
    pub key_id: String,
}

/// Up to `limit` secrets not yet under `key_id`, locked for re-wrapping.
pub async fn lock_not_under(db: impl PgExecutor<'_>, key_id: &str, limit: i64) -> sqlx::Result<Vec<WrappedRow>> {
    let rows = sqlx::query!(
        r#"select id, coalesce(credential_id, license_id, mail_transport_id) as "owner!", field as "field: SecretField", wrapped_key, key_id
           from vault_secrets where key_id <> $1 order by id limit $2 for update skip locked"#,
        key_id,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| WrappedRow { id: r.id, owner: r.owner, field: r.field, wrapped_key: r.wrapped_key, key_id: r.key_id })
        .collect())
}

/// Replaces a wrapped data key and its key id in one statement.
pub async fn set_wrapped(
    db: impl PgExecutor<'_>,
    id: uuid::Uuid,
    wrapped_key: &[u8],
    key_id: &str,
    old_key_id: &str,
) -> sqlx::Result<bool> {
    let r = sqlx::query!(
        "update vault_secrets set wrapped_key = $2, key_id = $3 where id = $1 and key_id = $4",
        id,
        wrapped_key,
        key_id,
        old_key_id
    )
    .execute(db)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// How many secrets each master key wraps.
pub async fn key_counts(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(String, i64)>> {
    let rows = sqlx::query!(r#"select key_id, count(*) as "n!" from vault_secrets group by key_id order by key_id"#)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.key_id, r.n)).collect())
}
