//! SQL for assets, their history, locations, vendors and CSV imports.
use super::model::*;
use crate::auth::model::UserId;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;
use std::collections::BTreeMap;

/// Escapes `%`, `_` and `\` so user text matches literally in ILIKE.
pub fn like_pattern(s: &str) -> String {
    let escaped = s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

fn custom_json(m: &BTreeMap<String, String>) -> serde_json::Value {
    serde_json::to_value(m).unwrap_or_else(|_| serde_json::json!({}))
}

fn none_if_empty(s: &str) -> Option<&str> {
    Some(s).filter(|s| !s.is_empty())
}

pub async fn insert(db: impl PgExecutor<'_>, a: &AssetInput) -> sqlx::Result<uuid::Uuid> {
    sqlx::query_scalar!(
        r#"insert into assets (name, asset_type, status, tag, serial, make, model, os, os_version, assigned_to,
                               location_id, vendor_id, purchased_on, purchase_cost_cents, warranty_expires_on, notes,
                               custom_fields)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) returning id"#,
        a.name,
        a.asset_type as AssetType,
        a.status as AssetStatus,
        none_if_empty(&a.tag),
        none_if_empty(&a.serial),
        a.make,
        a.model,
        a.os,
        a.os_version,
        a.assigned_to.map(|u| u.0),
        a.location_id,
        a.vendor_id,
        a.purchased_on,
        a.purchase_cost_cents,
        a.warranty_expires_on,
        a.notes,
        custom_json(&a.custom_fields)
    )
    .fetch_one(db)
    .await
}

/// Saves `a` over version `version`; None when the asset changed meanwhile or is gone.
pub async fn update(
    db: impl PgExecutor<'_>,
    id: uuid::Uuid,
    version: i32,
    a: &AssetInput,
) -> sqlx::Result<Option<i32>> {
    sqlx::query_scalar!(
        r#"update assets set name = $3, asset_type = $4, status = $5, tag = $6, serial = $7, make = $8, model = $9,
                  os = $10, os_version = $11, assigned_to = $12, location_id = $13, vendor_id = $14, purchased_on = $15,
                  purchase_cost_cents = $16, warranty_expires_on = $17, notes = $18, custom_fields = $19,
                  version = version + 1
           where id = $1 and version = $2 returning version"#,
        id,
        version,
        a.name,
        a.asset_type as AssetType,
        a.status as AssetStatus,
        none_if_empty(&a.tag),
        none_if_empty(&a.serial),
        a.make,
        a.model,
        a.os,
        a.os_version,
        a.assigned_to.map(|u| u.0),
        a.location_id,
        a.vendor_id,
        a.purchased_on,
        a.purchase_cost_cents,
        a.warranty_expires_on,
        a.notes,
        custom_json(&a.custom_fields)
    )
    .fetch_optional(db)
    .await
}

/// Whether another asset already carries this tag (any case).
pub async fn tag_taken(db: impl PgExecutor<'_>, tag: &str, except: Option<uuid::Uuid>) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from assets where lower(tag) = lower($1) and id is distinct from $2) as "taken!""#,
        tag,
        except
    )
    .fetch_one(db)
    .await
}

pub async fn get(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<Asset>> {
    let r = sqlx::query!(
        r#"select a.id, a.version, a.name, a.asset_type as "asset_type: AssetType", a.status as "status: AssetStatus",
                  a.tag, a.serial, a.make, a.model, a.os, a.os_version, a.assigned_to, a.location_id, a.vendor_id,
                  a.purchased_on, a.purchase_cost_cents, a.warranty_expires_on, a.notes, a.custom_fields,
                  a.created_at, a.updated_at, u.display_name as "assigned_name?", l.name as "location_name?",
                  v.name as "vendor_name?"
           from assets a left join users u on u.id = a.assigned_to left join locations l on l.id = a.location_id
                left join vendors v on v.id = a.vendor_id
           where a.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(r.map(|r| Asset {
        id: r.id,
        version: r.version,
        input: AssetInput {
            name: r.name,
            asset_type: r.asset_type,
            status: r.status,
            tag: r.tag.unwrap_or_default(),
            serial: r.serial.unwrap_or_default(),
            make: r.make,
            model: r.model,
            os: r.os,
            os_version: r.os_version,
            assigned_to: r.assigned_to.map(UserId),
            location_id: r.location_id,
            vendor_id: r.vendor_id,
            purchased_on: r.purchased_on,
            purchase_cost_cents: r.purchase_cost_cents,
            warranty_expires_on: r.warranty_expires_on,
            notes: r.notes,
            custom_fields: serde_json::from_value(r.custom_fields).unwrap_or_default(),
        },
        assigned_name: r.assigned_name,
        location_name: r.location_name,
        vendor_name: r.vendor_name,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }))
}

/// Deletes an asset, returning its name.
pub async fn delete(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("delete from assets where id = $1 returning name", id).fetch_optional(db).await
}

pub async fn insert_event(
    db: impl PgExecutor<'_>,
    asset: uuid::Uuid,
    actor: Option<UserId>,
    action: &str,
    changes: &serde_json::Value,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into asset_events (asset_id, actor_id, action, changes) values ($1, $2, $3, $4)",
        asset,
        actor.map(|u| u.0),
        action,
        changes
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn history(db: impl PgExecutor<'_>, asset: uuid::Uuid) -> sqlx::Result<Vec<AssetEvent>> {
    let rows = sqlx::query!(
        r#"select e.action, u.display_name as "actor?", e.changes, e.created_at
           from asset_events e left join users u on u.id = e.actor_id
           where e.asset_id = $1 order by e.id desc limit 200"#,
        asset
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AssetEvent {
            action: r.action,
            actor: r.actor,
            changes: serde_json::from_value(r.changes).unwrap_or_default(),
            created_at: r.created_at,
        })
        .collect())
}

/// One page of the list, in the filter's order, after `cursor`.
pub async fn list(
    db: impl PgExecutor<'_>,
    f: &AssetFilter,
    cursor: Option<&AssetCursor>,
    limit: i64,
) -> sqlx::Result<Vec<AssetSummary>> {
    let search = f.search.trim();
    let like = like_pattern(search);
    let (after_key, after_id) = match cursor {
        Some(c) => (Some(c.key.as_str()), Some(c.id)),
        None => (None, None),
    };
    macro_rules! summary {
        ($r:expr) => {
            AssetSummary {
                id: $r.id,
                name: $r.name,
                asset_type: $r.asset_type,
                status: $r.status,
                tag: $r.tag,
                serial: $r.serial,
                make_model: $r.make_model,
                assigned_name: $r.assigned_name,
                location_name: $r.location_name,
                warranty_expires_on: $r.warranty_expires_on,
                updated_at: $r.updated_at,
            }
        };
    }
    if !search.is_empty() {
        // The matches first (both GIN indexes, filters applied on the way), then the
        // page's top rows in the chosen order, then their names and places: walking
        // the name index and testing every row is far slower for words that sort late.
        let by_updated = f.order == AssetOrder::Updated;
        let (after_name, after_updated) = match (by_updated, after_key) {
            (true, Some(k)) => (None, k.parse::<DateTime<Utc>>().ok()),
            (false, k) => (k, None),
            (true, None) => (None, None),
        };
        let rows = sqlx::query!(
            r#"with m as materialized (
                 select id, lower(name) as k, updated_at as changed from assets
                 where (search @@ plainto_tsquery('simple', $1)
                        or (name || ' ' || coalesce(tag, '') || ' ' || coalesce(serial, '')) ilike $2)
                   and ($3::asset_type is null or asset_type = $3)
                   and ($4::asset_status is null or status = $4)
                   and ($5::uuid is null or assigned_to = $5)
                   and ($6::uuid is null or location_id = $6)
                   and ($7::uuid is null or vendor_id = $7)
                   and ($8::date is null or warranty_expires_on <= $8)
                   and ($9::text is null or (lower(name), id) > (lower($9), $10::uuid))
                   and ($12::timestamptz is null or (updated_at, id) < ($12, $10::uuid))),
               -- By name (k, id) or, when $13, newest first (changed desc, id desc).
               top as (select id, k, changed from m
                       order by case when $13 then null else k end, case when $13 then changed end desc,
                                case when $13 then id end desc, id
                       limit $11)
               select a.id, a.name, a.asset_type as "asset_type: AssetType", a.status as "status: AssetStatus",
                      a.tag, a.serial, trim(a.make || ' ' || a.model) as "make_model!",
                      u.display_name as "assigned_name?", l.name as "location_name?", a.warranty_expires_on,
                      a.updated_at
               from top join assets a on a.id = top.id
                    left join users u on u.id = a.assigned_to left join locations l on l.id = a.location_id
               order by case when $13 then null else top.k end, case when $13 then top.changed end desc,
                        case when $13 then top.id end desc, top.id"#,
            search,
            like,
            f.asset_type as Option<AssetType>,
            f.status as Option<AssetStatus>,
            f.assigned_to.map(|u| u.0),
            f.location_id,
            f.vendor_id,
            f.warranty_before,
            after_name,
            after_id,
            limit,
            after_updated,
            by_updated
        )
        .fetch_all(db)
        .await?;
        return Ok(rows.into_iter().map(|r| summary!(r)).collect());
    }
    match f.order {
        AssetOrder::Name => {
            let rows = sqlx::query!(
                r#"select a.id, a.name, a.asset_type as "asset_type: AssetType", a.status as "status: AssetStatus",
                          a.tag, a.serial, trim(a.make || ' ' || a.model) as "make_model!",
                          u.display_name as "assigned_name?", l.name as "location_name?", a.warranty_expires_on,
                          a.updated_at
                   from assets a left join users u on u.id = a.assigned_to left join locations l on l.id = a.location_id
                   where ($1::asset_type is null or a.asset_type = $1)
                     and ($2::asset_status is null or a.status = $2)
                     and ($3::uuid is null or a.assigned_to = $3)
                     and ($4::uuid is null or a.location_id = $4)
                     and ($5::uuid is null or a.vendor_id = $5)
                     and ($6::date is null or a.warranty_expires_on <= $6)
                     and ($7::text is null or (lower(a.name), a.id) > (lower($7), $8::uuid))
                   order by lower(a.name), a.id limit $9"#,
                f.asset_type as Option<AssetType>,
                f.status as Option<AssetStatus>,
                f.assigned_to.map(|u| u.0),
                f.location_id,
                f.vendor_id,
                f.warranty_before,
                after_key,
                after_id,
                limit
            )
            .fetch_all(db)
            .await?;
            Ok(rows.into_iter().map(|r| summary!(r)).collect())
        }
        AssetOrder::Updated => {
            let after: Option<DateTime<Utc>> = after_key.and_then(|k| k.parse().ok());
            let rows = sqlx::query!(
                r#"select a.id, a.name, a.asset_type as "asset_type: AssetType", a.status as "status: AssetStatus",
                          a.tag, a.serial, trim(a.make || ' ' || a.model) as "make_model!",
                          u.display_name as "assigned_name?", l.name as "location_name?", a.warranty_expires_on,
                          a.updated_at
                   from assets a left join users u on u.id = a.assigned_to left join locations l on l.id = a.location_id
                   where ($1::asset_type is null or a.asset_type = $1)
                     and ($2::asset_status is null or a.status = $2)
                     and ($3::uuid is null or a.assigned_to = $3)
                     and ($4::uuid is null or a.location_id = $4)
                     and ($5::uuid is null or a.vendor_id = $5)
                     and ($6::date is null or a.warranty_expires_on <= $6)
                     and ($7::timestamptz is null or (a.updated_at, a.id) < ($7, $8::uuid))
                   order by a.updated_at desc, a.id desc limit $9"#,
                f.asset_type as Option<AssetType>,
                f.status as Option<AssetStatus>,
                f.assigned_to.map(|u| u.0),
                f.location_id,
                f.vendor_id,
                f.warranty_before,
                after,
                after_id,
                limit
            )
            .fetch_all(db)
            .await?;
            Ok(rows.into_iter().map(|r| summary!(r)).collect())
        }
    }
}

/// The export's extra columns for a page of assets, in one query.
pub async fn export_details(
    db: impl PgExecutor<'_>,
    ids: &[uuid::Uuid],
) -> sqlx::Result<Vec<(uuid::Uuid, ExportExtra)>> {
    let rows = sqlx::query!(
        r#"select a.id, a.make, a.model, a.os, a.os_version, u.email::text as "assigned_email?", v.name as "vendor_name?",
                  a.purchased_on, a.purchase_cost_cents, a.notes
           from assets a left join users u on u.id = a.assigned_to left join vendors v on v.id = a.vendor_id
           where a.id = any($1)"#,
        ids
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.id,
                ExportExtra {
                    make: r.make,
                    model: r.model,
                    os: r.os,
                    os_version: r.os_version,
                    assigned_email: r.assigned_email,
                    vendor_name: r.vendor_name,
                    purchased_on: r.purchased_on,
                    purchase_cost_cents: r.purchase_cost_cents,
                    notes: r.notes,
                },
            )
        })
        .collect())
}

pub struct ExportExtra {
    pub make: String,
    pub model: String,
    pub os: String,
    pub os_version: String,
    pub assigned_email: Option<String>,
    pub vendor_name: Option<String>,
    pub purchased_on: Option<NaiveDate>,
    pub purchase_cost_cents: Option<i64>,
    pub notes: String,
}

// ---- locations and vendors ------------------------------------------------------

pub async fn list_places(db: impl PgExecutor<'_>, kind: PlaceKind, search: &str) -> sqlx::Result<Vec<Place>> {
    let like = like_pattern(search.trim());
    let rows = match kind {
        PlaceKind::Location => sqlx::query!(
            r#"select l.id, l.name, l.address, '' as "website!", '' as "email!", '' as "phone!", l.notes,
                      (select count(*) from assets a where a.location_id = l.id) as "assets!"
               from locations l where l.name ilike $1 order by lower(l.name) limit 500"#,
            like
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name, r.address, r.website, r.email, r.phone, r.notes, r.assets))
        .collect::<Vec<_>>(),
        PlaceKind::Vendor => sqlx::query!(
            r#"select v.id, v.name, '' as "address!", v.website, v.email, v.phone, v.notes,
                      (select count(*) from assets a where a.vendor_id = v.id) as "assets!"
               from vendors v where v.name ilike $1 order by lower(v.name) limit 500"#,
            like
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name, r.address, r.website, r.email, r.phone, r.notes, r.assets))
        .collect(),
    };
    Ok(rows
        .into_iter()
        .map(|(id, name, address, website, email, phone, notes, asset_count)| Place {
            id,
            kind,
            input: PlaceInput { name, address, website, email, phone, notes },
            asset_count,
        })
        .collect())
}

pub async fn get_place(db: impl PgExecutor<'_>, kind: PlaceKind, id: uuid::Uuid) -> sqlx::Result<Option<Place>> {
    // Two small tables; one lookup each keeps the SQL literal.
    let found = match kind {
        PlaceKind::Location => sqlx::query!(
            r#"select l.name, l.address, l.notes, (select count(*) from assets a where a.location_id = l.id) as "n!"
               from locations l where l.id = $1"#,
            id
        )
        .fetch_optional(db)
        .await?
        .map(|r| (PlaceInput { name: r.name, address: r.address, notes: r.notes, ..Default::default() }, r.n)),
        PlaceKind::Vendor => sqlx::query!(
            r#"select v.name, v.website, v.email, v.phone, v.notes,
                      (select count(*) from assets a where a.vendor_id = v.id) as "n!"
               from vendors v where v.id = $1"#,
            id
        )
        .fetch_optional(db)
        .await?
        .map(|r| {
            (
                PlaceInput {
                    name: r.name,
                    website: r.website,
                    email: r.email,
                    phone: r.phone,
                    notes: r.notes,
                    ..Default::default()
                },
                r.n,
            )
        }),
    };
    Ok(found.map(|(input, asset_count)| Place { id, kind, input, asset_count }))
}

/// Creates (id None) or changes a location or vendor; None when the id is unknown.
pub async fn save_place(
    db: impl PgExecutor<'_>,
    kind: PlaceKind,
    id: Option<uuid::Uuid>,
    p: &PlaceInput,
) -> sqlx::Result<Option<uuid::Uuid>> {
    match kind {
        PlaceKind::Location => {
            sqlx::query_scalar!(
                r#"insert into locations (id, name, address, notes) values (coalesce($1, gen_random_uuid()), $2, $3, $4)
                   on conflict (id) do update set name = excluded.name, address = excluded.address, notes = excluded.notes
                   returning id"#,
                id,
                p.name,
                p.address,
                p.notes
            )
            .fetch_optional(db)
            .await
        }
        PlaceKind::Vendor => {
            sqlx::query_scalar!(
                r#"insert into vendors (id, name, website, email, phone, notes)
                   values (coalesce($1, gen_random_uuid()), $2, $3, $4, $5, $6)
                   on conflict (id) do update set name = excluded.name, website = excluded.website,
                       email = excluded.email, phone = excluded.phone, notes = excluded.notes
                   returning id"#,
                id,
                p.name,
                p.website,
                p.email,
                p.phone,
                p.notes
            )
            .fetch_optional(db)
            .await
        }
    }
}

pub async fn place_name_taken(
    db: impl PgExecutor<'_>,
    kind: PlaceKind,
    name: &str,
    except: Option<uuid::Uuid>,
) -> sqlx::Result<bool> {
    match kind {
        PlaceKind::Location => sqlx::query_scalar!(
            r#"select exists(select 1 from locations where lower(name) = lower($1) and id is distinct from $2) as "t!""#,
            name,
            except
        )
        .fetch_one(db)
        .await,
        PlaceKind::Vendor => sqlx::query_scalar!(
            r#"select exists(select 1 from vendors where lower(name) = lower($1) and id is distinct from $2) as "t!""#,
            name,
            except
        )
        .fetch_one(db)
        .await,
    }
}

pub async fn delete_place(db: impl PgExecutor<'_>, kind: PlaceKind, id: uuid::Uuid) -> sqlx::Result<Option<String>> {
    match kind {
        PlaceKind::Location => {
            sqlx::query_scalar!("delete from locations where id = $1 returning name", id).fetch_optional(db).await
        }
        PlaceKind::Vendor => {
            sqlx::query_scalar!("delete from vendors where id = $1 returning name", id).fetch_optional(db).await
        }
    }
}
