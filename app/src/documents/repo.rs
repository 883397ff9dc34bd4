//! SQL for folders, documents, versions and document files.
use super::model::{DocumentCursor, DocumentFile, DocumentSummary, Folder, FolderRef, VersionInfo, PAGE_SIZE};
use crate::auth::model::UserId;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgExecutor;
use uuid::Uuid;

// ---- folders ----

/// Every folder with its number of documents (the tree is drawn from this).
pub async fn folders(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Folder>> {
    sqlx::query_as!(
        Folder,
        r#"select f.id, f.parent_id, f.name,
                  (select count(*) from documents d where d.folder_id = f.id) as "documents!"
           from document_folders f order by lower(f.name), f.id limit 10000"#
    )
    .fetch_all(db)
    .await
}

pub async fn folder_exists(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"select exists(select 1 from document_folders where id = $1) as "e!""#, id)
        .fetch_one(db)
        .await
}

/// The folder as the audit log records it.
pub async fn folder_doc(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Value>> {
    sqlx::query_scalar!(
        r#"select jsonb_build_object('name', name, 'parent', parent_id) as "doc!" from document_folders where id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn insert_folder(
    db: impl PgExecutor<'_>,
    parent: Option<Uuid>,
    name: &str,
    by: UserId,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into document_folders (parent_id, name, created_by) values ($1, $2, $3) returning id",
        parent,
        name,
        by.0
    )
    .fetch_one(db)
    .await
}

pub async fn rename_folder(db: impl PgExecutor<'_>, id: Uuid, name: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query!("update document_folders set name = $2 where id = $1", id, name).execute(db).await?.rows_affected()
        > 0)
}

pub async fn set_folder_parent(db: impl PgExecutor<'_>, id: Uuid, parent: Option<Uuid>) -> sqlx::Result<bool> {
    Ok(sqlx::query!("update document_folders set parent_id = $2 where id = $1", id, parent)
        .execute(db)
        .await?
        .rows_affected()
        > 0)
}

/// Folder moves take this lock, so two concurrent moves cannot together close a loop.
pub async fn lock_folder_tree(db: impl PgExecutor<'_>) -> sqlx::Result<()> {
    sqlx::query!("select pg_advisory_xact_lock(hashtext('document_folders.tree'))").execute(db).await?;
    Ok(())
}

/// Whether `folder` is `start` or one of its ancestors.
pub async fn is_ancestor_or_self(db: impl PgExecutor<'_>, folder: Uuid, start: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"with recursive up (id, parent_id, depth) as (
               select id, parent_id, 0 from document_folders where id = $2
               union all
               select f.id, f.parent_id, up.depth + 1 from document_folders f join up on f.id = up.parent_id
               where up.depth < 10000
           )
           select exists(select 1 from up where id = $1) as "e!""#,
        folder,
        start
    )
    .fetch_one(db)
    .await
}

/// Folders and documents directly inside a folder.
pub async fn folder_contents(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<(i64, i64)> {
    let r = sqlx::query!(
        r#"select (select count(*) from document_folders where parent_id = $1) as "folders!",
                  (select count(*) from documents where folder_id = $1) as "documents!""#,
        id
    )
    .fetch_one(db)
    .await?;
    Ok((r.folders, r.documents))
}

pub async fn delete_folder(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<bool> {
    Ok(sqlx::query!("delete from document_folders where id = $1", id).execute(db).await?.rows_affected() > 0)
}

/// The folders from the top level down to `folder`.
pub async fn path(db: impl PgExecutor<'_>, folder: Uuid) -> sqlx::Result<Vec<FolderRef>> {
    sqlx::query_as!(
        FolderRef,
        r#"with recursive up (id, parent_id, name, depth) as (
               select id, parent_id, name, 0 from document_folders where id = $1
               union all
               select f.id, f.parent_id, f.name, up.depth + 1 from document_folders f join up on f.id = up.parent_id
               where up.depth < 10000
           )
           select id as "id!", name as "name!" from up order by depth desc"#,
        folder
    )
    .fetch_all(db)
    .await
}

// ---- documents ----

/// Far past the newest possible row: the first page's keyset bound.
fn top() -> (DateTime<Utc>, Uuid) {
    use chrono::TimeZone;
    (Utc.with_ymd_and_hms(9999, 12, 31, 0, 0, 0).single().unwrap_or_default(), Uuid::max())
}

/// A page of the list, newest change first, everywhere or in one folder.
pub async fn list(
    db: impl PgExecutor<'_>,
    folder: Option<Uuid>,
    after: Option<&DocumentCursor>,
) -> sqlx::Result<Vec<DocumentSummary>> {
    let (at, id) = after.map(|c| (c.updated_at, c.id)).unwrap_or_else(top);
    match folder {
        None => {
            sqlx::query_as!(
                DocumentSummary,
                r#"select d.id, d.title, d.folder_id, f.name as "folder_name?", d.version, d.updated_at,
                          u.display_name as "updated_by_name?"
                   from documents d
                   left join document_folders f on f.id = d.folder_id
                   left join users u on u.id = d.updated_by
                   where (d.updated_at, d.id) < ($1, $2)
                   order by d.updated_at desc, d.id desc limit $3"#,
                at,
                id,
                PAGE_SIZE + 1
            )
            .fetch_all(db)
            .await
        }
        Some(folder) => {
            sqlx::query_as!(
                DocumentSummary,
                r#"select d.id, d.title, d.folder_id, f.name as "folder_name?", d.version, d.updated_at,
                          u.display_name as "updated_by_name?"
                   from documents d
                   left join document_folders f on f.id = d.folder_id
                   left join users u on u.id = d.updated_by
                   where d.folder_id = $1 and (d.updated_at, d.id) < ($2, $3)
                   order by d.updated_at desc, d.id desc limit $4"#,
                folder,
                at,
                id,
                PAGE_SIZE + 1
            )
            .fetch_all(db)
            .await
        }
    }
}

/// A page of search results: words in titles and bodies (titles weigh more) or a
/// title close to the query (trigram similarity), best match first.
pub async fn search(
    db: impl PgExecutor<'_>,
    query: &str,
    folder: Option<Uuid>,
    after: Option<&DocumentCursor>,
) -> sqlx::Result<Vec<(DocumentSummary, f32)>> {
    let (at, id) = after.map(|c| (c.updated_at, c.id)).unwrap_or_else(top);
    let rank = after.and_then(|c| c.rank).unwrap_or(f32::MAX);
    let rows = sqlx::query!(
        r#"select s.id as "id!", s.title as "title!", s.folder_id, s.folder_name as "folder_name?", s.version as "version!",
                  s.updated_at as "updated_at!", s.updated_by_name as "updated_by_name?", s.rank as "rank!"
           from (
               select d.id, d.title, d.folder_id, f.name as folder_name, d.version, d.updated_at,
                      u.display_name as updated_by_name,
                      (ts_rank(d.search, websearch_to_tsquery('simple', $1)) + similarity(d.title, $1))::real as rank
               from documents d
               left join document_folders f on f.id = d.folder_id
               left join users u on u.id = d.updated_by
               -- Written out (not joined from a subquery) so both GIN indexes answer it (BitmapOr).
               where (d.search @@ websearch_to_tsquery('simple', $1) or d.title % $1)
                 and ($2::uuid is null or d.folder_id = $2)
           ) s
           where (s.rank, s.updated_at, s.id) < ($3, $4, $5)
           order by s.rank desc, s.updated_at desc, s.id desc limit $6"#,
        query,
        folder,
        rank,
        at,
        id,
        PAGE_SIZE + 1
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                DocumentSummary {
                    id: r.id,
                    title: r.title,
                    folder_id: r.folder_id,
                    folder_name: r.folder_name,
                    version: r.version,
                    updated_at: r.updated_at,
                    updated_by_name: r.updated_by_name,
                },
                r.rank,
            )
        })
        .collect())
}

pub struct DocumentRow {
    pub id: Uuid,
    pub folder_id: Option<Uuid>,
    pub title: String,
    pub body: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub created_by_name: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub updated_by_name: Option<String>,
}

pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<DocumentRow>> {
    sqlx::query_as!(
        DocumentRow,
        r#"select d.id, d.folder_id, d.title, d.body, d.version, d.created_at, c.display_name as "created_by_name?",
                  d.updated_at, u.display_name as "updated_by_name?"
           from documents d
           left join users c on c.id = d.created_by
           left join users u on u.id = d.updated_by
           where d.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

/// Locks the document row for a save; None if it does not exist.
pub async fn lock(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<DocumentRow>> {
    sqlx::query_as!(
        DocumentRow,
        r#"select d.id, d.folder_id, d.title, d.body, d.version, d.created_at, c.display_name as "created_by_name?",
                  d.updated_at, u.display_name as "updated_by_name?"
           from documents d
           left join users c on c.id = d.created_by
           left join users u on u.id = d.updated_by
           where d.id = $1
           for update of d"#,
        id
    )
    .fetch_optional(db)
    .await
}

/// The document as the audit log records it (the body by size, not in full).
pub async fn doc(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Value>> {
    sqlx::query_scalar!(
        r#"select jsonb_build_object('title', title, 'folder', folder_id, 'version', version,
                                     'body_chars', length(body)) as "doc!"
           from documents where id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn insert(
    db: impl PgExecutor<'_>,
    folder: Option<Uuid>,
    title: &str,
    body: &str,
    by: UserId,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into documents (folder_id, title, body, version, created_by, updated_by)
         values ($1, $2, $3, 1, $4, $4) returning id",
        folder,
        title,
        body,
        by.0
    )
    .fetch_one(db)
    .await
}

/// Writes a new current text and returns its version number.
pub async fn update_text(db: impl PgExecutor<'_>, id: Uuid, title: &str, body: &str, by: UserId) -> sqlx::Result<i32> {
    sqlx::query_scalar!(
        "update documents set title = $2, body = $3, version = version + 1, updated_by = $4, updated_at = now()
         where id = $1 returning version",
        id,
        title,
        body,
        by.0
    )
    .fetch_one(db)
    .await
}

pub async fn set_folder(db: impl PgExecutor<'_>, id: Uuid, folder: Option<Uuid>, by: UserId) -> sqlx::Result<()> {
    sqlx::query!(
        "update documents set folder_id = $2, updated_by = $3, updated_at = now() where id = $1",
        id,
        folder,
        by.0
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<bool> {
    Ok(sqlx::query!("delete from documents where id = $1", id).execute(db).await?.rows_affected() > 0)
}

// ---- versions ----

pub async fn insert_version(
    db: impl PgExecutor<'_>,
    document: Uuid,
    number: i32,
    title: &str,
    body: &str,
    author: UserId,
    restored_from: Option<i32>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into document_versions (document_id, number, title, body, author_id, restored_from)
         values ($1, $2, $3, $4, $5, $6)",
        document,
        number,
        title,
        body,
        author.0,
        restored_from
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Versions newest first, below `before` (keyset on the number).
pub async fn versions(
    db: impl PgExecutor<'_>,
    document: Uuid,
    before: Option<i32>,
    limit: i64,
) -> sqlx::Result<Vec<VersionInfo>> {
    sqlx::query_as!(
        VersionInfo,
        r#"select v.number, v.title, u.display_name as "author_name?", v.created_at, v.restored_from
           from document_versions v left join users u on u.id = v.author_id
           where v.document_id = $1 and v.number < $2
           order by v.number desc limit $3"#,
        document,
        before.unwrap_or(i32::MAX),
        limit
    )
    .fetch_all(db)
    .await
}

pub struct VersionRow {
    pub info: VersionInfo,
    pub body: String,
}

pub async fn version(db: impl PgExecutor<'_>, document: Uuid, number: i32) -> sqlx::Result<Option<VersionRow>> {
    let r = sqlx::query!(
        r#"select v.number, v.title, v.body, u.display_name as "author_name?", v.created_at, v.restored_from
           from document_versions v left join users u on u.id = v.author_id
           where v.document_id = $1 and v.number = $2"#,
        document,
        number
    )
    .fetch_optional(db)
    .await?;
    Ok(r.map(|r| VersionRow {
        info: VersionInfo {
            number: r.number,
            title: r.title,
            author_name: r.author_name,
            created_at: r.created_at,
            restored_from: r.restored_from,
        },
        body: r.body,
    }))
}

// ---- files ----

pub async fn files(db: impl PgExecutor<'_>, document: Uuid) -> sqlx::Result<Vec<DocumentFile>> {
    sqlx::query_as!(
        DocumentFile,
        r#"select f.id, f.filename, f.size_bytes, f.content_type, u.display_name as "uploaded_by_name?", f.created_at
           from document_files f left join users u on u.id = f.uploaded_by
           where f.document_id = $1 order by f.created_at, f.id"#,
        document
    )
    .fetch_all(db)
    .await
}

pub async fn file_ids(db: impl PgExecutor<'_>, document: Uuid) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!("select id from document_files where document_id = $1", document).fetch_all(db).await
}

pub struct NewFile<'a> {
    pub id: Uuid,
    pub document: Uuid,
    pub filename: &'a str,
    pub size_bytes: i64,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub uploaded_by: UserId,
}

pub async fn insert_file(db: impl PgExecutor<'_>, f: NewFile<'_>) -> sqlx::Result<DocumentFile> {
    sqlx::query_as!(
        DocumentFile,
        r#"with ins as (
               insert into document_files (id, document_id, filename, size_bytes, content_type, sha256, uploaded_by)
               values ($1, $2, $3, $4, $5, $6, $7)
               returning id, filename, size_bytes, content_type, uploaded_by, created_at
           )
           select ins.id, ins.filename, ins.size_bytes, ins.content_type, u.display_name as "uploaded_by_name?",
                  ins.created_at
           from ins left join users u on u.id = ins.uploaded_by"#,
        f.id,
        f.document,
        f.filename,
        f.size_bytes,
        f.content_type,
        f.sha256,
        f.uploaded_by.0
    )
    .fetch_one(db)
    .await
}

/// What a download of a document file needs.
pub struct FileAccess {
    pub id: Uuid,
    pub document_id: Uuid,
    pub filename: String,
    pub size_bytes: i64,
}

pub async fn find_file(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<FileAccess>> {
    sqlx::query_as!(FileAccess, "select id, document_id, filename, size_bytes from document_files where id = $1", id)
        .fetch_optional(db)
        .await
}

pub async fn delete_file(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<bool> {
    Ok(sqlx::query!("delete from document_files where id = $1", id).execute(db).await?.rows_affected() > 0)
}
