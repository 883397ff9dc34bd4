//! SQL for staged CSV imports (see `import.rs`).
use super::import::Staged;
use super::model::{ImportPreview, ImportRow};
use crate::auth::model::UserId;
use sqlx::PgExecutor;

/// Starts an import; the user's earlier, uncommitted ones are dropped (one at a time).
pub async fn create(db: &sqlx::PgPool, user: UserId, file_name: &str) -> sqlx::Result<uuid::Uuid> {
    let name: String = file_name.chars().take(255).collect();
    sqlx::query!("delete from asset_imports where created_by = $1", user.0).execute(db).await?;
    sqlx::query_scalar!("insert into asset_imports (created_by, file_name) values ($1, $2) returning id", user.0, name)
        .fetch_one(db)
        .await
}

pub async fn drop(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<()> {
    sqlx::query!("delete from asset_imports where id = $1", id).execute(db).await?;
    Ok(())
}

/// Imports nobody committed within a day.
pub async fn drop_stale(db: impl PgExecutor<'_>) -> sqlx::Result<u64> {
    Ok(sqlx::query!("delete from asset_imports where created_at < now() - interval '1 day'")
        .execute(db)
        .await?
        .rows_affected())
}

pub async fn insert_rows(db: impl PgExecutor<'_>, id: uuid::Uuid, rows: &[Staged]) -> sqlx::Result<()> {
    macro_rules! col {
        ($f:ident) => {
            rows.iter().map(|r| r.$f.clone()).collect::<Vec<_>>()
        };
    }
    sqlx::query!(
        r#"insert into asset_import_rows (import_id, row_no, name, asset_type, status, tag, serial, make, model, os,
               os_version, assigned_email, location_name, vendor_name, purchased_on, purchase_cost_cents,
               warranty_expires_on, notes, error)
           select $1, r.row_no, r.name, r.asset_type::asset_type, r.status::asset_status, r.tag, r.serial, r.make,
                  r.model, r.os, r.os_version, r.assigned_email, r.location_name, r.vendor_name, r.purchased_on,
                  r.purchase_cost_cents, r.warranty_expires_on, r.notes, r.error
           from unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                       $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::date[], $16::bigint[],
                       $17::date[], $18::text[], $19::text[])
                as r(row_no, name, asset_type, status, tag, serial, make, model, os, os_version, assigned_email,
                     location_name, vendor_name, purchased_on, purchase_cost_cents, warranty_expires_on, notes, error)"#,
        id,
        &col!(row_no),
        &col!(name) as &[Option<String>],
        &col!(asset_type) as &[Option<String>],
        &col!(status) as &[Option<String>],
        &col!(tag) as &[Option<String>],
        &col!(serial) as &[Option<String>],
        &col!(make),
        &col!(model),
        &col!(os),
        &col!(os_version),
        &col!(assigned_email) as &[Option<String>],
        &col!(location_name) as &[Option<String>],
        &col!(vendor_name) as &[Option<String>],
        &col!(purchased_on) as &[Option<chrono::NaiveDate>],
        &col!(purchase_cost_cents) as &[Option<i64>],
        &col!(warranty_expires_on) as &[Option<chrono::NaiveDate>],
        &col!(notes),
        &col!(error) as &[Option<String>]
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The checks that need the whole file or the database: repeated tags, tags in
/// use, unknown people. Records the error counts; returns rows with errors.
pub async fn check_all(db: &mut sqlx::PgConnection, id: uuid::Uuid) -> sqlx::Result<i64> {
    sqlx::query!(
        r#"update asset_import_rows r
           set error = concat_ws('; ', r.error, format('tag "%s" also appears on line %s', r.tag,
                                 case when d.row_no = d.first_line then d.last_line else d.first_line end))
           from (select row_no, min(row_no) over w as first_line, max(row_no) over w as last_line, count(*) over w as n
                 from asset_import_rows where import_id = $1 and tag is not null
                 window w as (partition by lower(tag))) d
           where r.import_id = $1 and r.row_no = d.row_no and d.n > 1
             and (r.error is null or r.error not like '%also appears on line%')"#,
        id
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!(
        r#"update asset_import_rows r set error = concat_ws('; ', r.error, format('tag "%s" is already used by "%s"', r.tag, a.name))
           from assets a
           where r.import_id = $1 and r.tag is not null and lower(a.tag) = lower(r.tag)
             and (r.error is null or r.error not like '%is already used by%')"#,
        id
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!(
        r#"update asset_import_rows r set error = concat_ws('; ', r.error, format('assigned_to: nobody has the address "%s"', r.assigned_email))
           where r.import_id = $1 and r.assigned_email is not null
             and not exists (select 1 from users u where u.email = r.assigned_email::citext)
             and (r.error is null or r.error not like '%nobody has the address%')"#,
        id
    )
    .execute(&mut *db)
    .await?;
    sqlx::query_scalar!(
        r#"update asset_imports i set total_rows = c.total, error_rows = c.errors
           from (select count(*)::int as total, (count(*) filter (where error is not null))::int as errors
                 from asset_import_rows where import_id = $1) c
           where i.id = $1 returning i.error_rows::bigint as "errors!""#,
        id
    )
    .fetch_one(&mut *db)
    .await
}

pub async fn preview(db: &sqlx::PgPool, id: uuid::Uuid) -> sqlx::Result<ImportPreview> {
    let head = sqlx::query!("select total_rows, error_rows from asset_imports where id = $1", id).fetch_one(db).await?;
    let errors = sqlx::query!(
        r#"select row_no, error as "error!" from asset_import_rows
           where import_id = $1 and error is not null order by row_no limit 100"#,
        id
    )
    .fetch_all(db)
    .await?;
    let sample = sqlx::query!(
        r#"select row_no, name as "name!", asset_type::text as "asset_type!", status::text as "status!",
                  coalesce(tag, '') as "tag!", coalesce(assigned_email, '') as "assigned_email!",
                  coalesce(location_name, '') as "location_name!"
           from asset_import_rows where import_id = $1 and error is null order by row_no limit 10"#,
        id
    )
    .fetch_all(db)
    .await?;
    Ok(ImportPreview {
        import_id: id,
        total_rows: head.total_rows.into(),
        error_rows: head.error_rows.into(),
        errors: errors.into_iter().map(|r| (r.row_no, r.error)).collect(),
        sample: sample
            .into_iter()
            .map(|r| ImportRow {
                row_no: r.row_no,
                name: r.name,
                asset_type: r.asset_type,
                status: r.status,
                tag: r.tag,
                assigned_email: r.assigned_email,
                location_name: r.location_name,
            })
            .collect(),
    })
}

/// Locks an import for its commit: (owner, file name).
pub async fn lock(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<(UserId, String)>> {
    let r = sqlx::query!("select created_by, file_name from asset_imports where id = $1 for update", id)
        .fetch_optional(db)
        .await?;
    Ok(r.map(|r| (UserId(r.created_by), r.file_name)))
}

/// Creates the missing locations and vendors, then the assets and their first
/// history entry. Returns how many assets were created.
pub async fn write(db: &mut sqlx::PgConnection, id: uuid::Uuid, by: UserId) -> sqlx::Result<i64> {
    sqlx::query!(
        r#"insert into locations (name)
           select distinct on (lower(location_name)) location_name from asset_import_rows
           where import_id = $1 and location_name is not null
           on conflict do nothing"#,
        id
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!(
        r#"insert into vendors (name)
           select distinct on (lower(vendor_name)) vendor_name from asset_import_rows
           where import_id = $1 and vendor_name is not null
           on conflict do nothing"#,
        id
    )
    .execute(&mut *db)
    .await?;
    sqlx::query_scalar!(
        r#"with created as (
             insert into assets (name, asset_type, status, tag, serial, make, model, os, os_version, assigned_to,
                                 location_id, vendor_id, purchased_on, purchase_cost_cents, warranty_expires_on, notes)
             select r.name, r.asset_type, r.status, r.tag, r.serial, r.make, r.model, r.os, r.os_version, u.id,
                    l.id, v.id, r.purchased_on, r.purchase_cost_cents, r.warranty_expires_on, r.notes
             from asset_import_rows r
             left join users u on u.email = r.assigned_email::citext
             left join locations l on lower(l.name) = lower(r.location_name)
             left join vendors v on lower(v.name) = lower(r.vendor_name)
             where r.import_id = $1 order by r.row_no
             returning id),
           events as (insert into asset_events (asset_id, actor_id, action) select id, $2, 'imported' from created)
           select count(*) as "n!" from created"#,
        id,
        by.0
    )
    .fetch_one(&mut *db)
    .await
}
