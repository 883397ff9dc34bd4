//! Server functions of the documents module. Agents and up read, create and edit
//! (DeskView); deleting a document, a folder or a document's file needs
//! RecordsDelete. Every change is audited in its transaction.
use super::model::{Document, DocumentPage, DocumentQuery, Folder, VersionDiff, VersionInfo, VersionView};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

/// Every function here: `require(permission)`, then the Documents module switch.
#[allow(unused_macros)]
macro_rules! guarded {
    ($perm:ident, |$user:ident, $db:ident| $body:expr) => {{
        use crate::auth::{guard::*, model::Permission};
        use crate::settings::model::Module;
        respond(async {
            let $user = require(Permission::$perm).await?;
            require_module(Module::Documents).await?;
            let $db = state()?.db;
            $body
        })
        .await
    }};
}

#[server(endpoint = "documents/folders", input = Json)]
pub async fn list_folders() -> Result<Vec<Folder>, AppError> {
    guarded!(DeskView, |_user, db| Ok(super::repo::folders(&db).await?))
}

#[server(endpoint = "documents/create_folder", input = Json)]
pub async fn create_folder(parent: Option<Uuid>, name: String) -> Result<Folder, AppError> {
    guarded!(DeskView, |user, db| server::create_folder(&db, &user, parent, &name).await)
}

#[server(endpoint = "documents/rename_folder", input = Json)]
pub async fn rename_folder(id: Uuid, name: String) -> Result<Folder, AppError> {
    guarded!(DeskView, |user, db| server::rename_folder(&db, &user, id, &name).await)
}

/// Moves a folder under another (or to the top level with `parent: null`);
/// moving it into itself or one of its subfolders is refused.
#[server(endpoint = "documents/move_folder", input = Json)]
pub async fn move_folder(id: Uuid, parent: Option<Uuid>) -> Result<Folder, AppError> {
    guarded!(DeskView, |user, db| server::move_folder(&db, &user, id, parent).await)
}

/// Deletes an empty folder; one that still holds folders or documents is refused.
#[server(endpoint = "documents/delete_folder", input = Json)]
pub async fn delete_folder(id: Uuid) -> Result<(), AppError> {
    guarded!(RecordsDelete, |user, db| server::delete_folder(&db, &user, id).await)
}

#[server(endpoint = "documents/list", input = Json)]
pub async fn list_documents(query: DocumentQuery) -> Result<DocumentPage, AppError> {
    guarded!(DeskView, |_user, db| server::list(&db, query).await)
}

#[server(endpoint = "documents/get", input = Json)]
pub async fn get_document(id: Uuid) -> Result<Document, AppError> {
    guarded!(DeskView, |_user, db| server::get(&db, id).await)
}

#[server(endpoint = "documents/create", input = Json)]
pub async fn create_document(folder: Option<Uuid>, title: String, body: String) -> Result<Document, AppError> {
    guarded!(DeskView, |user, db| server::create(&db, &user, folder, &title, &body).await)
}

/// Saves a new version. `version` is the one the editor started from; if someone
/// saved after it, the save is refused (409) and nothing changes.
#[server(endpoint = "documents/save", input = Json)]
pub async fn save_document(id: Uuid, version: i32, title: String, body: String) -> Result<Document, AppError> {
    guarded!(DeskView, |user, db| server::save(&db, &user, id, version, &title, &body).await)
}

#[server(endpoint = "documents/move", input = Json)]
pub async fn move_document(id: Uuid, folder: Option<Uuid>) -> Result<Document, AppError> {
    guarded!(DeskView, |user, db| server::move_to(&db, &user, id, folder).await)
}

#[server(endpoint = "documents/delete", input = Json)]
pub async fn delete_document(id: Uuid) -> Result<(), AppError> {
    guarded!(RecordsDelete, |user, db| server::delete(&db, &user, id).await)
}

/// Versions newest first, 100 per page (`before`: the last number already shown).
#[server(endpoint = "documents/history", input = Json)]
pub async fn document_history(id: Uuid, before: Option<i32>) -> Result<Vec<VersionInfo>, AppError> {
    guarded!(DeskView, |_user, db| {
        server::exists(&db, id).await?;
        Ok(super::repo::versions(&db, id, before, super::model::HISTORY_PAGE).await?)
    })
}

#[server(endpoint = "documents/version", input = Json)]
pub async fn document_version(id: Uuid, number: i32) -> Result<VersionView, AppError> {
    guarded!(DeskView, |_user, db| server::version(&db, id, number).await)
}

/// Line diff between two versions, computed here (older → newer whatever the order).
#[server(endpoint = "documents/diff", input = Json)]
pub async fn document_diff(id: Uuid, from: i32, to: i32) -> Result<VersionDiff, AppError> {
    guarded!(DeskView, |_user, db| server::diff(&db, id, from, to).await)
}

/// Makes an old version current again as a new version (the history keeps all).
#[server(endpoint = "documents/restore", input = Json)]
pub async fn restore_version(id: Uuid, number: i32, version: i32) -> Result<Document, AppError> {
    guarded!(DeskView, |user, db| server::restore(&db, &user, id, number, version).await)
}

/// Markdown rendered and sanitised exactly as a saved document is (live preview).
#[server(endpoint = "documents/preview", input = Json)]
pub async fn preview_markdown(body: String) -> Result<String, AppError> {
    guarded!(DeskView, |_user, _db| {
        super::rules::body(&body).map_err(|m| AppError::field("body", m))?;
        Ok(crate::tickets::markdown::to_safe_html(&body))
    })
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::audit::repo::{record, Actor};
    use crate::auth::model::{CurrentUser, Permission};
    use crate::documents::model::{DocumentCursor, DocumentFile, DIFF_CONTEXT, PAGE_SIZE};
    use crate::documents::repo::{self, NewFile};
    use crate::documents::rules;
    use crate::error::AppResult;
    use sqlx::PgPool;

    /// The job that deletes the stored bytes of a deleted document's files.
    pub const PURGE_FILES_JOB: &str = "documents.purge_files";

    fn folder_not_found() -> AppError {
        AppError::NotFound("Folder".into())
    }

    fn not_found() -> AppError {
        AppError::NotFound("Document".into())
    }

    pub async fn exists(db: &PgPool, id: Uuid) -> AppResult<()> {
        repo::find(db, id).await?.map(|_| ()).ok_or_else(not_found)
    }

    fn sibling_name(e: sqlx::Error, name: &str) -> AppError {
        match &e {
            sqlx::Error::Database(d) if d.constraint() == Some("document_folders_sibling_name_key") => {
                AppError::field("name", format!("This folder already holds a folder named \"{name}\"."))
            }
            _ => AppError::from(e),
        }
    }

    async fn folder(db: &PgPool, id: Uuid) -> AppResult<Folder> {
        repo::folders(db).await?.into_iter().find(|f| f.id == id).ok_or(AppError::Internal)
    }

    pub async fn create_folder(db: &PgPool, user: &CurrentUser, parent: Option<Uuid>, name: &str) -> AppResult<Folder> {
        let name = rules::folder_name(name).map_err(|m| AppError::field("name", m))?;
        let mut tx = db.begin().await?;
        if let Some(p) = parent {
            if !repo::folder_exists(&mut *tx, p).await? {
                return Err(AppError::field("parent", "The parent folder no longer exists."));
            }
        }
        let id = repo::insert_folder(&mut *tx, parent, &name, user.id).await.map_err(|e| sibling_name(e, &name))?;
        let after = repo::folder_doc(&mut *tx, id).await?;
        record(
            &mut *tx,
            &Actor::user(user),
            "document_folder.create",
            "document_folder",
            &id.to_string(),
            None,
            after.as_ref(),
        )
        .await?;
        tx.commit().await?;
        folder(db, id).await
    }

    pub async fn rename_folder(db: &PgPool, user: &CurrentUser, id: Uuid, name: &str) -> AppResult<Folder> {
        let name = rules::folder_name(name).map_err(|m| AppError::field("name", m))?;
        let mut tx = db.begin().await?;
        let before = repo::folder_doc(&mut *tx, id).await?.ok_or_else(folder_not_found)?;
        repo::rename_folder(&mut *tx, id, &name).await.map_err(|e| sibling_name(e, &name))?;
        let after = repo::folder_doc(&mut *tx, id).await?;
        record(
            &mut *tx,
            &Actor::user(user),
            "document_folder.rename",
            "document_folder",
            &id.to_string(),
            Some(&before),
            after.as_ref(),
        )
        .await?;
        tx.commit().await?;
        folder(db, id).await
    }

    pub async fn move_folder(db: &PgPool, user: &CurrentUser, id: Uuid, parent: Option<Uuid>) -> AppResult<Folder> {
        let mut tx = db.begin().await?;
        repo::lock_folder_tree(&mut *tx).await?;
        let before = repo::folder_doc(&mut *tx, id).await?.ok_or_else(folder_not_found)?;
        if let Some(p) = parent {
            if !repo::folder_exists(&mut *tx, p).await? {
                return Err(AppError::field("parent", "The target folder no longer exists."));
            }
            // `id` must not be the new parent or one of its ancestors.
            if repo::is_ancestor_or_self(&mut *tx, id, p).await? {
                return Err(AppError::field(
                    "parent",
                    "A folder cannot be moved into itself or one of its subfolders.",
                ));
            }
        }
        let name = before.get("name").and_then(|v| v.as_str()).unwrap_or_default().to_string();
        repo::set_folder_parent(&mut *tx, id, parent).await.map_err(|e| sibling_name(e, &name))?;
        let after = repo::folder_doc(&mut *tx, id).await?;
        record(
            &mut *tx,
            &Actor::user(user),
            "document_folder.move",
            "document_folder",
            &id.to_string(),
            Some(&before),
            after.as_ref(),
        )
        .await?;
        tx.commit().await?;
        folder(db, id).await
    }

    pub async fn delete_folder(db: &PgPool, user: &CurrentUser, id: Uuid) -> AppResult<()> {
        let mut tx = db.begin().await?;
        repo::lock_folder_tree(&mut *tx).await?;
        let before = repo::folder_doc(&mut *tx, id).await?.ok_or_else(folder_not_found)?;
        let (folders, documents) = repo::folder_contents(&mut *tx, id).await?;
        if folders + documents > 0 {
            let name = before.get("name").and_then(|v| v.as_str()).unwrap_or_default();
            return Err(AppError::Conflict(format!(
                "The folder \"{name}\" is not empty: it holds {} and {}. Move or delete them first.",
                plural(documents, "document"),
                plural(folders, "folder")
            )));
        }
        repo::delete_folder(&mut *tx, id).await?;
        record(
            &mut *tx,
            &Actor::user(user),
            "document_folder.delete",
            "document_folder",
            &id.to_string(),
            Some(&before),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    fn plural(n: i64, word: &str) -> String {
        format!("{n} {word}{}", if n == 1 { "" } else { "s" })
    }

    pub async fn list(db: &PgPool, query: DocumentQuery) -> AppResult<DocumentPage> {
        let search = query.search.trim();
        if search.chars().count() > 200 {
            return Err(AppError::field("search", "Search with at most 200 characters."));
        }
        let page = PAGE_SIZE as usize;
        if search.is_empty() {
            let mut items = repo::list(db, query.folder, query.after.as_ref()).await?;
            let next = (items.len() > page).then(|| {
                items.truncate(page);
                let last = &items[page - 1];
                DocumentCursor { updated_at: last.updated_at, id: last.id, rank: None }
            });
            Ok(DocumentPage { items, next })
        } else {
            let mut rows = repo::search(db, search, query.folder, query.after.as_ref()).await?;
            let next = (rows.len() > page).then(|| {
                rows.truncate(page);
                let (last, rank) = &rows[page - 1];
                DocumentCursor { updated_at: last.updated_at, id: last.id, rank: Some(*rank) }
            });
            Ok(DocumentPage { items: rows.into_iter().map(|(d, _)| d).collect(), next })
        }
    }

    pub async fn get(db: &PgPool, id: Uuid) -> AppResult<Document> {
        let d = repo::find(db, id).await?.ok_or_else(not_found)?;
        let path = match d.folder_id {
            Some(f) => repo::path(db, f).await?,
            None => Vec::new(),
        };
        let files: Vec<DocumentFile> = repo::files(db, id).await?;
        Ok(Document {
            id: d.id,
            folder_id: d.folder_id,
            path,
            html: crate::tickets::markdown::to_safe_html(&d.body),
            title: d.title,
            body: d.body,
            version: d.version,
            created_at: d.created_at,
            created_by_name: d.created_by_name,
            updated_at: d.updated_at,
            updated_by_name: d.updated_by_name,
            files,
        })
    }

    fn checked(title: &str, body: &str) -> AppResult<String> {
        rules::body(body).map_err(|m| AppError::field("body", m))?;
        rules::title(title).map_err(|m| AppError::field("title", m))
    }

    pub async fn create(
        db: &PgPool,
        user: &CurrentUser,
        folder: Option<Uuid>,
        title: &str,
        body: &str,
    ) -> AppResult<Document> {
        let title = checked(title, body)?;
        let mut tx = db.begin().await?;
        if let Some(f) = folder {
            if !repo::folder_exists(&mut *tx, f).await? {
                return Err(AppError::field("folder", "The folder no longer exists."));
            }
        }
        let id = repo::insert(&mut *tx, folder, &title, body, user.id).await?;
        repo::insert_version(&mut *tx, id, 1, &title, body, user.id, None).await?;
        let after = repo::doc(&mut *tx, id).await?;
        record(&mut *tx, &Actor::user(user), "document.create", "document", &id.to_string(), None, after.as_ref())
            .await?;
        tx.commit().await?;
        get(db, id).await
    }

    /// The 409 answer to a save or restore over a version that is no longer current.
    fn stale(current: &repo::DocumentRow, edited: i32) -> AppError {
        AppError::Conflict(format!(
            "This document changed after you opened it: version {} was saved by {} at {} (you edited version {edited}). \
             Nothing was saved. Reload to see their changes; copy your text first if you want to keep it.",
            current.version,
            current.updated_by_name.as_deref().unwrap_or("someone"),
            current.updated_at.format("%Y-%m-%d %H:%M UTC"),
        ))
    }

    /// Writes a new version in `tx` and audits it under `action`.
    #[allow(clippy::too_many_arguments)]
    async fn write_version(
        tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
        user: &CurrentUser,
        current: &repo::DocumentRow,
        title: &str,
        body: &str,
        restored_from: Option<i32>,
        action: &str,
    ) -> AppResult<i32> {
        let before = repo::doc(&mut **tx, current.id).await?;
        let number = repo::update_text(&mut **tx, current.id, title, body, user.id).await?;
        repo::insert_version(&mut **tx, current.id, number, title, body, user.id, restored_from).await?;
        let mut after = repo::doc(&mut **tx, current.id).await?;
        if let (Some(from), Some(serde_json::Value::Object(m))) = (restored_from, after.as_mut()) {
            m.insert("restored_from".into(), from.into());
        }
        record(
            &mut **tx,
            &Actor::user(user),
            action,
            "document",
            &current.id.to_string(),
            before.as_ref(),
            after.as_ref(),
        )
        .await?;
        Ok(number)
    }

    pub async fn save(
        db: &PgPool,
        user: &CurrentUser,
        id: Uuid,
        version: i32,
        title: &str,
        body: &str,
    ) -> AppResult<Document> {
        let title = checked(title, body)?;
        let mut tx = db.begin().await?;
        let current = repo::lock(&mut *tx, id).await?.ok_or_else(not_found)?;
        if current.version != version {
            return Err(stale(&current, version));
        }
        // Saving the text unchanged makes no new version.
        if current.title != title || current.body != body {
            write_version(&mut tx, user, &current, &title, body, None, "document.update").await?;
        }
        tx.commit().await?;
        get(db, id).await
    }

    pub async fn move_to(db: &PgPool, user: &CurrentUser, id: Uuid, folder: Option<Uuid>) -> AppResult<Document> {
        let mut tx = db.begin().await?;
        let current = repo::lock(&mut *tx, id).await?.ok_or_else(not_found)?;
        if let Some(f) = folder {
            if !repo::folder_exists(&mut *tx, f).await? {
                return Err(AppError::field("folder", "The folder no longer exists."));
            }
        }
        if current.folder_id != folder {
            let before = repo::doc(&mut *tx, id).await?;
            repo::set_folder(&mut *tx, id, folder, user.id).await?;
            let after = repo::doc(&mut *tx, id).await?;
            record(
                &mut *tx,
                &Actor::user(user),
                "document.move",
                "document",
                &id.to_string(),
                before.as_ref(),
                after.as_ref(),
            )
            .await?;
        }
        tx.commit().await?;
        get(db, id).await
    }

    pub async fn delete(db: &PgPool, user: &CurrentUser, id: Uuid) -> AppResult<()> {
        debug_assert!(user.can(Permission::RecordsDelete));
        let mut tx = db.begin().await?;
        repo::lock(&mut *tx, id).await?.ok_or_else(not_found)?;
        let mut before = repo::doc(&mut *tx, id).await?;
        let files = repo::file_ids(&mut *tx, id).await?;
        if let Some(serde_json::Value::Object(m)) = before.as_mut() {
            m.insert("files".into(), files.len().into());
        }
        repo::delete(&mut *tx, id).await?;
        record(&mut *tx, &Actor::user(user), "document.delete", "document", &id.to_string(), before.as_ref(), None)
            .await?;
        if !files.is_empty() {
            // The rows go now; the stored bytes are deleted by a job (retried until done).
            let payload = serde_json::json!({ "files": files });
            crate::jobs::repo::enqueue(&mut *tx, PURGE_FILES_JOB, &payload, chrono::Utc::now(), 10, None).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn version(db: &PgPool, id: Uuid, number: i32) -> AppResult<VersionView> {
        let v = repo::version(db, id, number).await?.ok_or_else(|| AppError::NotFound(format!("Version {number}")))?;
        Ok(VersionView { html: crate::tickets::markdown::to_safe_html(&v.body), info: v.info, body: v.body })
    }

    pub async fn diff(db: &PgPool, id: Uuid, from: i32, to: i32) -> AppResult<VersionDiff> {
        let (from, to) = if from <= to { (from, to) } else { (to, from) };
        let missing = |n: i32| AppError::NotFound(format!("Version {n}"));
        let old = repo::version(db, id, from).await?.ok_or_else(|| missing(from))?;
        let new = repo::version(db, id, to).await?.ok_or_else(|| missing(to))?;
        let (lines, added, removed) = rules::line_diff(&old.body, &new.body, DIFF_CONTEXT);
        Ok(VersionDiff { from, to, title_from: old.info.title, title_to: new.info.title, added, removed, lines })
    }

    pub async fn restore(db: &PgPool, user: &CurrentUser, id: Uuid, number: i32, version: i32) -> AppResult<Document> {
        let mut tx = db.begin().await?;
        let current = repo::lock(&mut *tx, id).await?.ok_or_else(not_found)?;
        if current.version != version {
            return Err(stale(&current, version));
        }
        let old = repo::version(&mut *tx, id, number)
            .await?
            .ok_or_else(|| AppError::field("number", format!("There is no version {number}.")))?;
        if old.info.title == current.title && old.body == current.body {
            return Err(AppError::field(
                "number",
                format!("Version {number} is the same as the current text; there is nothing to restore."),
            ));
        }
        write_version(&mut tx, user, &current, &old.info.title, &old.body, Some(number), "document.restore").await?;
        tx.commit().await?;
        get(db, id).await
    }

    // ---- files (used by the server's upload, download and removal routes) ----

    /// Records a stored upload on a document and audits it.
    pub async fn record_file(db: &PgPool, user: &CurrentUser, row: NewFile<'_>) -> AppResult<DocumentFile> {
        let mut tx = db.begin().await?;
        let document = row.document;
        if repo::lock(&mut *tx, document).await?.is_none() {
            return Err(not_found());
        }
        let f = repo::insert_file(&mut *tx, row).await?;
        let after = serde_json::json!({ "file": f.id, "filename": f.filename, "size": f.size_bytes });
        record(
            &mut *tx,
            &Actor::user(user),
            "document.file.upload",
            "document",
            &document.to_string(),
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(f)
    }

    /// Removes a file from its document (RecordsDelete); the route then deletes the bytes.
    pub async fn remove_file(db: &PgPool, user: &CurrentUser, file: &repo::FileAccess) -> AppResult<()> {
        if !user.can(Permission::RecordsDelete) {
            return Err(AppError::Forbidden);
        }
        let mut tx = db.begin().await?;
        if !repo::delete_file(&mut *tx, file.id).await? {
            return Err(AppError::NotFound("File".into()));
        }
        let before = serde_json::json!({ "file": file.id, "filename": file.filename });
        record(
            &mut *tx,
            &Actor::user(user),
            "document.file.remove",
            "document",
            &file.document_id.to_string(),
            Some(&before),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
