//! SQL for software titles, licenses and seat assignments.
use super::model::{Assignee, Assignment, License, LicenseSummary, Software, SoftwareCursor, SoftwareSummary};
use crate::auth::model::UserId;
use crate::vault::repo::like_pattern;
use crate::vault::rules::expiry_state;
use serde_json::Value;
use sqlx::PgExecutor;

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Software by name with license counts and seat usage (one query, no N+1).
pub async fn list_software(
    db: impl PgExecutor<'_>,
    search: Option<&str>,
    after: Option<&SoftwareCursor>,
    limit: i64,
) -> sqlx::Result<Vec<SoftwareSummary>> {
    let pattern = search.map(like_pattern);
    let rows = sqlx::query!(
        r#"select s.id, s.name, s.vendor,
                  coalesce(u.licenses, 0) as "licenses!", coalesce(u.seats, 0) as "seats!",
                  coalesce(u.assigned, 0) as "assigned!", coalesce(u.over, false) as "over!"
           from (select * from software s
                 where ($1::text is null or s.name ilike $1 or s.vendor ilike $1)
                   and ($2::text is null or (lower(s.name), s.id) > (lower($2), $3::uuid))
                 order by lower(s.name), s.id
                 limit $4) s
           left join lateral (
             select count(*) as licenses, sum(l.seats)::bigint as seats, sum(a.n)::bigint as assigned,
                    bool_or(a.n > l.seats) as over
             from licenses l
             cross join lateral (select count(*) as n from license_assignments x where x.license_id = l.id) a
             where l.software_id = s.id
           ) u on true
           order by lower(s.name), s.id"#,
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
        .map(|r| SoftwareSummary {
            id: r.id,
            name: r.name,
            vendor: r.vendor,
            licenses: r.licenses,
            seats: r.seats,
            assigned: r.assigned,
            over_assigned: r.over,
        })
        .collect())
}

pub async fn get_software(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<Software>> {
    sqlx::query_as!(Software, "select id, name, vendor, notes, created_at, updated_at from software where id = $1", id)
        .fetch_optional(db)
        .await
}

pub async fn software_doc(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<Value>> {
    sqlx::query_scalar!(
        r#"select jsonb_build_object('name', name, 'vendor', vendor, 'notes', notes) as "doc!" from software where id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn insert_software(
    db: impl PgExecutor<'_>,
    name: &str,
    vendor: &str,
    notes: &str,
    by: UserId,
) -> sqlx::Result<uuid::Uuid> {
    sqlx::query_scalar!(
        "insert into software (name, vendor, notes, created_by) values ($1, $2, $3, $4) returning id",
        name,
        vendor,
        notes,
        by.0
    )
    .fetch_one(db)
    .await
}

pub async fn update_software(
    db: impl PgExecutor<'_>,
    id: uuid::Uuid,
    name: &str,
    vendor: &str,
    notes: &str,
) -> sqlx::Result<bool> {
    let r = sqlx::query!(
        "update software set name = $2, vendor = $3, notes = $4, updated_at = now() where id = $1",
        id,
        name,
        vendor,
        notes
    )
    .execute(db)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn delete_software(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<bool> {
    Ok(sqlx::query!("delete from software where id = $1", id).execute(db).await?.rows_affected() == 1)
}

pub async fn count_licenses(db: impl PgExecutor<'_>, software: uuid::Uuid) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"select count(*) as "n!" from licenses where software_id = $1"#, software).fetch_one(db).await
}

/// The licenses of a title, oldest first, with seat usage.
pub async fn licenses_of(db: impl PgExecutor<'_>, software: uuid::Uuid) -> sqlx::Result<Vec<LicenseSummary>> {
    let rows = sqlx::query!(
        r#"select l.id, l.software_id, l.name, l.seats, l.expires_on,
                  (select count(*) from license_assignments a where a.license_id = l.id) as "assigned!",
                  exists(select 1 from vault_secrets s where s.license_id = l.id and s.field = 'license_key') as "has_key!"
           from licenses l where l.software_id = $1 order by l.created_at, l.id"#,
        software
    )
    .fetch_all(db)
    .await?;
    let today = today();
    Ok(rows
        .into_iter()
        .map(|r| LicenseSummary {
            id: r.id,
            software_id: r.software_id,
            name: r.name,
            seats: r.seats,
            over_assigned: r.assigned > i64::from(r.seats),
            assigned: r.assigned,
            expiry: expiry_state(r.expires_on, today),
            expires_on: r.expires_on,
            has_key: r.has_key,
        })
        .collect())
}

pub async fn get_license(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<License>> {
    let r = sqlx::query!(
        r#"select l.id, l.software_id, s.name as software_name, l.name, l.seats, l.expires_on, l.purchased_on,
                  l.cost_cents, l.notes, l.created_at, l.updated_at,
                  exists(select 1 from vault_secrets v where v.license_id = l.id and v.field = 'license_key') as "has_key!"
           from licenses l join software s on s.id = l.software_id where l.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(r.map(|r| License {
        id: r.id,
        software_id: r.software_id,
        software_name: r.software_name,
        name: r.name,
        seats: r.seats,
        expiry: expiry_state(r.expires_on, today()),
        expires_on: r.expires_on,
        purchased_on: r.purchased_on,
        cost_cents: r.cost_cents,
        notes: r.notes,
        has_key: r.has_key,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }))
}

pub async fn license_doc(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<Value>> {
    sqlx::query_scalar!(
        r#"select jsonb_build_object('software_id', l.software_id, 'name', l.name, 'seats', l.seats,
                  'expires_on', l.expires_on, 'purchased_on', l.purchased_on, 'cost_cents', l.cost_cents, 'notes', l.notes,
                  'has_key', exists(select 1 from vault_secrets v where v.license_id = l.id and v.field = 'license_key')) as "doc!"
           from licenses l where l.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

pub struct LicenseRow<'a> {
    pub software_id: uuid::Uuid,
    pub name: &'a str,
    pub seats: i32,
    pub expires_on: Option<chrono::NaiveDate>,
    pub purchased_on: Option<chrono::NaiveDate>,
    pub cost_cents: Option<i64>,
    pub notes: &'a str,
}

pub async fn insert_license(
    db: impl PgExecutor<'_>,
    id: uuid::Uuid,
    l: LicenseRow<'_>,
    by: UserId,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"insert into licenses (id, software_id, name, seats, expires_on, purchased_on, cost_cents, notes, created_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
        id,
        l.software_id,
        l.name,
        l.seats,
        l.expires_on,
        l.purchased_on,
        l.cost_cents,
        l.notes,
        by.0
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn update_license(db: impl PgExecutor<'_>, id: uuid::Uuid, l: LicenseRow<'_>) -> sqlx::Result<bool> {
    let r = sqlx::query!(
        r#"update licenses set name = $2, seats = $3, expires_on = $4, purchased_on = $5, cost_cents = $6, notes = $7,
                  updated_at = now() where id = $1"#,
        id,
        l.name,
        l.seats,
        l.expires_on,
        l.purchased_on,
        l.cost_cents,
        l.notes
    )
    .execute(db)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn delete_license(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<bool> {
    Ok(sqlx::query!("delete from licenses where id = $1", id).execute(db).await?.rows_affected() == 1)
}

/// Locks the license row so concurrent assignments count seats one at a time.
pub async fn lock_license(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<i32>> {
    sqlx::query_scalar!("select seats from licenses where id = $1 for update", id).fetch_optional(db).await
}

pub async fn assignments(db: impl PgExecutor<'_>, license: uuid::Uuid) -> sqlx::Result<Vec<Assignment>> {
    let rows = sqlx::query!(
        r#"select a.id, a.user_id, a.asset_id, a.created_at, u.display_name as "display_name?", u.email::text as "email?"
           from license_assignments a left join users u on u.id = a.user_id
           where a.license_id = $1 order by a.created_at, a.id"#,
        license
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let (assignee, label) = match (r.user_id, r.asset_id) {
                (Some(u), _) => (
                    Assignee::User(u),
                    format!("{} <{}>", r.display_name.unwrap_or_default(), r.email.unwrap_or_default()),
                ),
                (None, Some(a)) => (Assignee::Asset(a), format!("Asset {a}")),
                (None, None) => return None,
            };
            Some(Assignment { id: r.id, assignee, label, created_at: r.created_at })
        })
        .collect())
}

pub async fn count_assignments(db: impl PgExecutor<'_>, license: uuid::Uuid) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"select count(*) as "n!" from license_assignments where license_id = $1"#, license)
        .fetch_one(db)
        .await
}

/// Adds a seat assignment; None when that user or asset already holds one.
pub async fn assign(
    db: impl PgExecutor<'_>,
    license: uuid::Uuid,
    to: Assignee,
    by: UserId,
) -> sqlx::Result<Option<uuid::Uuid>> {
    let (user, asset) = match to {
        Assignee::User(u) => (Some(u), None),
        Assignee::Asset(a) => (None, Some(a)),
    };
    sqlx::query_scalar!(
        r#"insert into license_assignments (license_id, user_id, asset_id, created_by) values ($1, $2, $3, $4)
           on conflict do nothing returning id"#,
        license,
        user,
        asset,
        by.0
    )
    .fetch_optional(db)
    .await
}

/// Removes an assignment; returns its license and assignee when it existed.
pub async fn unassign(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<(uuid::Uuid, Value)>> {
    let r = sqlx::query!(
        r#"delete from license_assignments where id = $1
           returning license_id, jsonb_build_object('user_id', user_id, 'asset_id', asset_id) as "doc!""#,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(r.map(|r| (r.license_id, r.doc)))
}

pub async fn active_user_exists(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<bool> {
    Ok(sqlx::query_scalar!("select 1 as one from users where id = $1 and active", id)
        .fetch_optional(db)
        .await?
        .is_some())
}
