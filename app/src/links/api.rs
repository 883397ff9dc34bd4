//! Server functions for typed links. Any staff member may read, create and remove
//! links between records of enabled modules; every change is audited.
use super::model::{LinkCandidate, LinkType, LinkedRecord, RecordKind, RecordRef};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The links of a record, with the other end's title and page.
#[server(endpoint = "links/list", input = Json)]
pub async fn list_links(record: RecordRef) -> Result<Vec<LinkedRecord>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::DeskView).await?;
        let modules = server::check_kind(record.kind).await?;
        let db = &state()?.db;
        server::exists(db, record).await?;
        let all = super::repo::list(db, record).await?;
        Ok(all.into_iter().filter(|l| l.kind.module().is_none_or(|m| modules.enabled(m))).collect())
    })
    .await
}

/// Records to link to: name, tag or number matches `query`, of `kinds` (all
/// enabled kinds when empty).
#[server(endpoint = "links/search", input = Json)]
pub async fn search_records(query: String, kinds: Vec<RecordKind>) -> Result<Vec<LinkCandidate>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::DeskView).await?;
        let st = state()?;
        let modules = crate::settings::repo::load_modules(&st.db).await?;
        let q = query.trim();
        if q.is_empty() {
            return Ok(vec![]);
        }
        if q.chars().count() > 100 {
            return Err(AppError::field("query", "Search for at most 100 characters."));
        }
        let wanted: Vec<RecordKind> = if kinds.is_empty() { RecordKind::ALL.to_vec() } else { kinds };
        let wanted: Vec<RecordKind> =
            wanted.into_iter().filter(|k| k.module().is_none_or(|m| modules.enabled(m))).collect();
        Ok(super::repo::search(&st.db, q, &wanted, 8).await?)
    })
    .await
}

/// Links `from` to `to` ("from <link_type> to"). Both must exist; a record is never
/// linked to itself; the same link twice is a conflict.
#[server(endpoint = "links/create", input = Json)]
pub async fn create_link(
    from: RecordRef,
    to: RecordRef,
    link_type: LinkType,
    note: String,
) -> Result<LinkedRecord, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::DeskView).await?;
        server::check_kind(from.kind).await?;
        server::check_kind(to.kind).await?;
        server::create(&state()?.db, &user, from, to, link_type, note.trim()).await
    })
    .await
}

#[server(endpoint = "links/delete", input = Json)]
pub async fn delete_link(id: uuid::Uuid) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::DeskView).await?;
        server::delete(&state()?.db, &user, id).await
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::audit::repo::{record, Actor};
    use crate::auth::model::CurrentUser;
    use crate::error::AppResult;
    use crate::links::model::normalise;
    use crate::links::repo;
    use crate::settings::model::ModuleSwitches;
    use sqlx::PgPool;

    /// Refuses kinds whose module is off; returns the switches for filtering.
    pub async fn check_kind(kind: RecordKind) -> AppResult<ModuleSwitches> {
        let modules = crate::settings::repo::load_modules(&crate::auth::guard::state()?.db).await?;
        match kind.module() {
            Some(m) if !modules.enabled(m) => Err(AppError::ModuleDisabled(m.title().to_string())),
            _ => Ok(modules),
        }
    }

    pub async fn exists(db: &PgPool, r: RecordRef) -> AppResult<(String, String)> {
        repo::record_ref(db, r).await?.ok_or_else(|| AppError::NotFound(r.kind.label().into()))
    }

    pub async fn create(
        db: &PgPool,
        user: &CurrentUser,
        from: RecordRef,
        to: RecordRef,
        t: LinkType,
        note: &str,
    ) -> AppResult<LinkedRecord> {
        if from == to {
            return Err(AppError::invalid("A record cannot be linked to itself."));
        }
        if note.chars().count() > 500 {
            return Err(AppError::field("note", "A link note has at most 500 characters."));
        }
        exists(db, from).await?;
        let (title, key) = exists(db, to).await?;
        let (a, b) = normalise(from, to, t);
        let mut tx = db.begin().await?;
        let Some(id) = repo::insert(&mut *tx, a, b, t, note, user.id).await? else {
            return Err(AppError::Conflict("These records are already linked that way.".into()));
        };
        let after = serde_json::json!({
            "a": { "kind": a.kind, "id": a.id }, "b": { "kind": b.kind, "id": b.id }, "type": t, "note": note,
        });
        record(&mut *tx, &Actor::user(user), "link.created", "record_link", &id.to_string(), None, Some(&after))
            .await?;
        tx.commit().await?;
        let outgoing = a == from;
        Ok(LinkedRecord {
            link_id: id,
            link_type: t,
            relation: if outgoing { t.forward() } else { t.reverse() }.to_string(),
            kind: to.kind,
            id: to.id,
            href: to.kind.href(&key),
            title,
            note: note.to_string(),
            created_at: chrono::Utc::now(),
        })
    }

    pub async fn delete(db: &PgPool, user: &CurrentUser, id: uuid::Uuid) -> AppResult<()> {
        let mut tx = db.begin().await?;
        let Some((a, b, t)) = repo::delete(&mut *tx, id).await? else {
            return Err(AppError::NotFound("Link".into()));
        };
        let before =
            serde_json::json!({ "a": { "kind": a.kind, "id": a.id }, "b": { "kind": b.kind, "id": b.id }, "type": t });
        record(&mut *tx, &Actor::user(user), "link.deleted", "record_link", &id.to_string(), Some(&before), None)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
