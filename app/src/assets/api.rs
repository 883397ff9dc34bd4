//! Server functions for assets, locations and vendors. Staff (DeskView) read,
//! create and edit; deleting needs RecordsDelete. Every change is audited and
//! kept in the asset's history.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// One page of assets matching `filter`, after `cursor`.
#[server(endpoint = "assets/list", input = Json)]
pub async fn list_assets(filter: AssetFilter, cursor: Option<AssetCursor>) -> Result<AssetPage, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DeskView).await?;
        require_module(Module::Assets).await?;
        server::page(&state()?.db, &filter, cursor.as_ref(), PAGE_SIZE).await
    })
    .await
}

#[server(endpoint = "assets/get", input = Json)]
pub async fn get_asset(id: uuid::Uuid) -> Result<AssetDetail, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DeskView).await?;
        require_module(Module::Assets).await?;
        let db = &state()?.db;
        let asset = super::repo::get(db, id).await?.ok_or_else(|| AppError::NotFound("Asset".into()))?;
        Ok(AssetDetail { asset, history: super::repo::history(db, id).await? })
    })
    .await
}

#[server(endpoint = "assets/create", input = Json)]
pub async fn create_asset(input: AssetInput) -> Result<Asset, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::Assets).await?;
        server::create(&state()?.db, &user, input).await
    })
    .await
}

/// Saves changes made to version `version`; a newer save in between is a conflict.
#[server(endpoint = "assets/update", input = Json)]
pub async fn update_asset(id: uuid::Uuid, version: i32, input: AssetInput) -> Result<Asset, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::Assets).await?;
        server::update(&state()?.db, &user, id, version, input).await
    })
    .await
}

/// Deletes an asset and its links.
#[server(endpoint = "assets/delete", input = Json)]
pub async fn delete_asset(id: uuid::Uuid) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::RecordsDelete).await?;
        require_module(Module::Assets).await?;
        server::delete(&state()?.db, &user, id).await
    })
    .await
}

/// Writes a checked CSV import (see `POST /assets/import`); returns the number created.
#[server(endpoint = "assets/import_commit", input = Json)]
pub async fn commit_import(import_id: uuid::Uuid) -> Result<i64, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::Assets).await?;
        super::import::commit(&state()?.db, &user, import_id).await
    })
    .await
}

#[server(endpoint = "assets/places", input = Json)]
pub async fn list_places(kind: PlaceKind, search: String) -> Result<Vec<Place>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DeskView).await?;
        require_module(Module::Assets).await?;
        Ok(super::repo::list_places(&state()?.db, kind, &search).await?)
    })
    .await
}

#[server(endpoint = "assets/place", input = Json)]
pub async fn get_place(kind: PlaceKind, id: uuid::Uuid) -> Result<Place, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DeskView).await?;
        require_module(Module::Assets).await?;
        super::repo::get_place(&state()?.db, kind, id).await?.ok_or_else(|| AppError::NotFound(kind.label().into()))
    })
    .await
}

/// Creates (no id) or changes a location or vendor.
#[server(endpoint = "assets/save_place", input = Json)]
pub async fn save_place(kind: PlaceKind, id: Option<uuid::Uuid>, input: PlaceInput) -> Result<Place, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::Assets).await?;
        server::save_place(&state()?.db, &user, kind, id, input).await
    })
    .await
}

/// Deletes a location or vendor; its assets keep existing without it.
#[server(endpoint = "assets/delete_place", input = Json)]
pub async fn delete_place(kind: PlaceKind, id: uuid::Uuid) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::RecordsDelete).await?;
        require_module(Module::Assets).await?;
        server::delete_place(&state()?.db, &user, kind, id).await
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::assets::{repo, rules};
    use crate::audit::repo::{record, Actor};
    use crate::auth::model::CurrentUser;
    use crate::error::AppResult;
    use crate::links::model::{RecordKind, RecordRef};
    use sqlx::PgPool;

    pub async fn page(db: &PgPool, f: &AssetFilter, cursor: Option<&AssetCursor>, limit: i64) -> AppResult<AssetPage> {
        if f.search.chars().count() > 200 {
            return Err(AppError::field("search", "Search for at most 200 characters."));
        }
        let rows = repo::list(db, f, cursor, limit + 1).await?;
        let mut rows = rows;
        let next = if rows.len() as i64 > limit {
            rows.truncate(limit as usize);
            rows.last().map(|r| AssetCursor {
                key: match f.order {
                    AssetOrder::Updated => r.updated_at.to_rfc3339(),
                    // Postgres lower-cases it for the comparison: Rust's lowercase differs
                    // for some letters ("İ"), which would skip rows.
                    _ => r.name.clone(),
                },
                id: r.id,
            })
        } else {
            None
        };
        Ok(AssetPage { rows, next })
    }

    /// Checks references the database would refuse less clearly.
    async fn check_refs(db: &PgPool, a: &AssetInput, id: Option<uuid::Uuid>) -> AppResult<()> {
        if !a.tag.is_empty() && repo::tag_taken(db, &a.tag, id).await? {
            return Err(AppError::field("tag", format!("Another asset already has the tag \"{}\".", a.tag)));
        }
        if let Some(u) = a.assigned_to {
            if crate::users::repo::find_by_id(db, u).await?.is_none_or(|u| !u.active) {
                return Err(AppError::field("assigned_to", "Assign the asset to an active user."));
            }
        }
        if let Some(l) = a.location_id {
            if repo::get_place(db, PlaceKind::Location, l).await?.is_none() {
                return Err(AppError::field("location_id", "That location no longer exists."));
            }
        }
        if let Some(v) = a.vendor_id {
            if repo::get_place(db, PlaceKind::Vendor, v).await?.is_none() {
                return Err(AppError::field("vendor_id", "That vendor no longer exists."));
            }
        }
        Ok(())
    }

    /// A unique tag taken between the check and the write reads as a conflict.
    fn unique_tag(e: sqlx::Error) -> AppError {
        match &e {
            sqlx::Error::Database(d) if d.constraint() == Some("assets_tag_key") => {
                AppError::field("tag", "Another asset already has this tag.")
            }
            _ => e.into(),
        }
    }

    pub async fn create(db: &PgPool, user: &CurrentUser, input: AssetInput) -> AppResult<Asset> {
        let input = rules::normalise(input)?;
        check_refs(db, &input, None).await?;
        let mut tx = db.begin().await?;
        let id = repo::insert(&mut *tx, &input).await.map_err(unique_tag)?;
        let created = repo::get(&mut *tx, id).await?.ok_or(AppError::Internal)?;
        repo::insert_event(&mut *tx, id, Some(user.id), "created", &serde_json::json!({})).await?;
        let doc = serde_json::json!({ "name": input.name, "tag": input.tag, "type": input.asset_type });
        record(&mut *tx, &Actor::user(user), "asset.created", "asset", &id.to_string(), None, Some(&doc)).await?;
        tx.commit().await?;
        Ok(created)
    }

    pub async fn update(
        db: &PgPool,
        user: &CurrentUser,
        id: uuid::Uuid,
        version: i32,
        input: AssetInput,
    ) -> AppResult<Asset> {
        let input = rules::normalise(input)?;
        check_refs(db, &input, Some(id)).await?;
        let mut tx = db.begin().await?;
        let old = repo::get(&mut *tx, id).await?.ok_or_else(|| AppError::NotFound("Asset".into()))?;
        if repo::update(&mut *tx, id, version, &input).await.map_err(unique_tag)?.is_none() {
            return Err(AppError::Conflict(
                "Someone else changed this asset since you opened it. Reload to see their changes.".into(),
            ));
        }
        let new = repo::get(&mut *tx, id).await?.ok_or(AppError::Internal)?;
        let changes = rules::changes(&old, &new);
        if !changes.is_empty() {
            let doc = serde_json::to_value(&changes).unwrap_or_default();
            repo::insert_event(&mut *tx, id, Some(user.id), "updated", &doc).await?;
            record(&mut *tx, &Actor::user(user), "asset.updated", "asset", &id.to_string(), None, Some(&doc)).await?;
        }
        tx.commit().await?;
        Ok(new)
    }

    pub async fn delete(db: &PgPool, user: &CurrentUser, id: uuid::Uuid) -> AppResult<()> {
        let mut tx = db.begin().await?;
        let links = crate::links::repo::count_for(&mut *tx, RecordRef { kind: RecordKind::Asset, id }).await?;
        let Some(name) = repo::delete(&mut *tx, id).await? else {
            return Err(AppError::NotFound("Asset".into()));
        };
        let doc = serde_json::json!({ "name": name, "links_removed": links });
        record(&mut *tx, &Actor::user(user), "asset.deleted", "asset", &id.to_string(), Some(&doc), None).await?;
        tx.commit().await?;
        Ok(())
    }

    fn check_place(kind: PlaceKind, mut p: PlaceInput) -> AppResult<PlaceInput> {
        for s in [&mut p.name, &mut p.address, &mut p.website, &mut p.email, &mut p.phone] {
            *s = s.trim().to_string();
        }
        if p.name.is_empty() || p.name.chars().count() > 200 {
            return Err(AppError::field(
                "name",
                format!("Give the {} a name of at most 200 characters.", kind.label().to_lowercase()),
            ));
        }
        let too_long = [
            ("address", &p.address, 1000),
            ("website", &p.website, 500),
            ("email", &p.email, 254),
            ("phone", &p.phone, 50),
            ("notes", &p.notes, 10_000),
        ]
        .into_iter()
        .find(|(_, v, max)| v.chars().count() > *max);
        if let Some((f, _, max)) = too_long {
            return Err(AppError::field(f, format!("At most {max} characters.")));
        }
        if !p.email.is_empty() && !p.email.contains('@') {
            return Err(AppError::field("email", "Enter an email address like sales@example.com."));
        }
        if !(p.website.is_empty() || p.website.starts_with("https://") || p.website.starts_with("http://")) {
            return Err(AppError::field("website", "Websites start with https:// or http://."));
        }
        Ok(p)
    }

    pub async fn save_place(
        db: &PgPool,
        user: &CurrentUser,
        kind: PlaceKind,
        id: Option<uuid::Uuid>,
        input: PlaceInput,
    ) -> AppResult<Place> {
        let input = check_place(kind, input)?;
        if repo::place_name_taken(db, kind, &input.name, id).await? {
            return Err(AppError::field(
                "name",
                format!("A {} named \"{}\" exists already.", kind.label().to_lowercase(), input.name),
            ));
        }
        let mut tx = db.begin().await?;
        let before = match id {
            Some(id) => Some(
                repo::get_place(&mut *tx, kind, id).await?.ok_or_else(|| AppError::NotFound(kind.label().into()))?,
            ),
            None => None,
        };
        let saved = repo::save_place(&mut *tx, kind, id, &input).await?.ok_or(AppError::Internal)?;
        let action = format!("{}.{}", kind.record_kind().as_str(), if id.is_some() { "updated" } else { "created" });
        let before = before.map(|b| serde_json::to_value(&b.input).unwrap_or_default());
        let after = serde_json::to_value(&input).unwrap_or_default();
        record(
            &mut *tx,
            &Actor::user(user),
            &action,
            kind.record_kind().as_str(),
            &saved.to_string(),
            before.as_ref(),
            Some(&after),
        )
        .await?;
        let place = repo::get_place(&mut *tx, kind, saved).await?.ok_or(AppError::Internal)?;
        tx.commit().await?;
        Ok(place)
    }

    pub async fn delete_place(db: &PgPool, user: &CurrentUser, kind: PlaceKind, id: uuid::Uuid) -> AppResult<()> {
        let mut tx = db.begin().await?;
        let links = crate::links::repo::count_for(&mut *tx, RecordRef { kind: kind.record_kind(), id }).await?;
        let Some(name) = repo::delete_place(&mut *tx, kind, id).await? else {
            return Err(AppError::NotFound(kind.label().into()));
        };
        let doc = serde_json::json!({ "name": name, "links_removed": links });
        let action = format!("{}.deleted", kind.record_kind().as_str());
        record(&mut *tx, &Actor::user(user), &action, kind.record_kind().as_str(), &id.to_string(), Some(&doc), None)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
