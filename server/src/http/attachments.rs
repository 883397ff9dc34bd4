//! Attachment files over plain HTTP (server functions speak JSON, files do not):
//!
//! - `POST /desk/tickets/{number}/attachments` (multipart, one `file` field;
//!   `?to=description` attaches it to the ticket's description, otherwise it waits
//!   for the reply being written): streamed into the object store while counting
//!   against the size limit in settings, so a file is never held in memory whole
//!   and an oversized one leaves nothing behind.
//! - `GET /attachments/{id}`: the file, always as a download, typed only from an
//!   allow-list, with `nosniff` and a sandbox CSP so nothing in it can run.
//! - `DELETE /attachments/{id}`: removes one of the caller's unsent uploads.
//! - `POST /docs/{id}/files` (multipart, one `file` field): a file attached to a
//!   document, through the same streaming, size limit and store. Its download and
//!   removal use the same `/attachments/{id}` routes (ids are random UUIDs, so a
//!   file id names either a ticket attachment or a document file).
//!
//! Sign-in comes from the session cookie; state-changing requests pass the same
//! Origin check as server functions (see `security::origin_check`).
use super::ServerState;
use app::auth::guard::user_from_headers;
use app::auth::model::{CurrentUser, Permission};
use app::error::AppError;
use app::settings::model::Module;
use app::tickets::attachments::api::server as rules;
use app::tickets::attachments::repo::{self, NewAttachment};
use app::tickets::attachments::rules::{content_disposition, content_type_for, sanitize_filename};
use app::tickets::model::TicketNumber;
use axum::body::Body;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::TryStreamExt;
use object_store::{path::Path as StorePath, ObjectStoreExt, WriteMultipart};
use sha2::{Digest, Sha256};

/// The body limit of the upload route is ours (from settings, checked while
/// streaming), not axum's default of 2 MB.
pub fn body_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::disable()
}

/// Parts sent to the store while uploading (5 MB is the smallest S3 part).
const PART_SIZE: usize = 5 * 1024 * 1024;

fn fail(e: AppError) -> Response {
    let code = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (code, Json(e)).into_response()
}

async fn user(s: &ServerState, headers: &HeaderMap) -> Result<CurrentUser, Response> {
    match user_from_headers(&s.app.db, headers).await {
        Ok(Some(u)) => Ok(u),
        Ok(None) => Err(fail(AppError::Unauthorized)),
        Err(e) => Err(fail(e)),
    }
}

async fn module_on(s: &ServerState, module: Module) -> Result<(), Response> {
    match app::settings::repo::load_modules(&s.app.db).await {
        Ok(m) if m.enabled(module) => Ok(()),
        Ok(_) => Err(fail(AppError::ModuleDisabled(module.title().into()))),
        Err(e) => Err(fail(e.into())),
    }
}

async fn signed_in(s: &ServerState, headers: &HeaderMap) -> Result<CurrentUser, Response> {
    let user = user(s, headers).await?;
    module_on(s, Module::ServiceDesk).await?;
    Ok(user)
}

/// Signed in with DeskView, and the Documents module on.
async fn documents_user(s: &ServerState, headers: &HeaderMap) -> Result<CurrentUser, Response> {
    let user = user(s, headers).await?;
    if !user.can(Permission::DeskView) {
        return Err(fail(AppError::Forbidden));
    }
    module_on(s, Module::Documents).await?;
    Ok(user)
}

fn store_path(id: uuid::Uuid) -> StorePath {
    StorePath::from(id.to_string())
}

/// A file streamed into the store (not yet recorded in the database).
struct Stored {
    id: uuid::Uuid,
    filename: String,
    content_type: &'static str,
    size: u64,
    sha256: String,
}

/// Streams the `file` field of a multipart upload into the store under a new id,
/// hashing it and counting against the size limit in settings; over the limit the
/// write is aborted and nothing is kept (413).
async fn receive(
    s: &ServerState,
    headers: &HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Stored, Response> {
    let limits = match repo::load_settings(&s.app.db).await {
        Ok(l) => l,
        Err(e) => return Err(fail(e.into())),
    };
    let max = limits.max_bytes();
    let too_large = || {
        let e = AppError::field("file", format!("Files can be at most {} MB.", limits.max_size_mb));
        with_status(fail(e), StatusCode::PAYLOAD_TOO_LARGE)
    };
    // A declared body far over the limit is refused before reading any of it.
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max + 64 * 1024) {
        return Err(too_large());
    }
    let mut form = match form {
        Ok(f) => f,
        Err(e) => return Err(fail(AppError::invalid(format!("Send the file as multipart/form-data: {e}")))),
    };
    let mut field = match form.next_field().await {
        Ok(Some(f)) if f.name() == Some("file") => f,
        Ok(_) => return Err(fail(AppError::field("file", "Choose a file to upload."))),
        Err(e) => return Err(fail(AppError::invalid(format!("Unreadable upload: {e}")))),
    };
    let filename = sanitize_filename(field.file_name().unwrap_or(""));
    let content_type = content_type_for(&filename);

    let id = uuid::Uuid::new_v4();
    let path = store_path(id);
    let sink = match s.files.put_multipart(&path).await {
        Ok(u) => u,
        Err(e) => {
            tracing::error!(error = %e, "cannot start an attachment upload");
            return Err(fail(AppError::Internal));
        }
    };
    let mut sink = WriteMultipart::new_with_chunk_size(sink, PART_SIZE);
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    loop {
        let chunk = match field.chunk().await {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                let _ = sink.abort().await;
                return Err(fail(AppError::invalid(format!("The upload was interrupted: {e}"))));
            }
        };
        size += chunk.len() as u64;
        if size > max {
            let _ = sink.abort().await;
            return Err(too_large());
        }
        hasher.update(&chunk);
        // At most two parts in flight: memory stays bounded whatever the file size.
        if let Err(e) = sink.wait_for_capacity(2).await {
            tracing::error!(error = %e, "attachment upload failed");
            return Err(fail(AppError::Internal));
        }
        sink.write(&chunk);
    }
    drop(field);
    if let Err(e) = sink.finish().await {
        tracing::error!(error = %e, "attachment upload failed");
        return Err(fail(AppError::Internal));
    }
    let sha256 = hex::encode(hasher.finalize());
    Ok(Stored { id, filename, content_type, size, sha256 })
}

#[derive(serde::Deserialize)]
pub struct UploadQuery {
    #[serde(default)]
    to: Option<String>,
}

pub async fn upload(
    State(s): State<ServerState>,
    headers: HeaderMap,
    Path(number): Path<String>,
    Query(q): Query<UploadQuery>,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let user = match signed_in(&s, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Some(number) = TicketNumber::parse(&number) else {
        return fail(AppError::NotFound(format!("Ticket {number}")));
    };
    let db = &s.app.db;
    let ticket = match rules::visible_ticket(db, &user, number).await {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let draft = match q.to.as_deref() {
        None | Some("reply") => true,
        Some("description") => false,
        Some(other) => {
            return fail(AppError::field("to", format!("Attach to \"reply\" or \"description\", not \"{other}\".")))
        }
    };
    let stored = match receive(&s, &headers, form).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let row = NewAttachment {
        id: stored.id,
        ticket: ticket.id,
        draft,
        filename: &stored.filename,
        size_bytes: stored.size as i64,
        content_type: stored.content_type,
        sha256: &stored.sha256,
        uploaded_by: user.id,
    };
    match rules::record_upload(db, &user, &ticket, row).await {
        Ok(a) => (StatusCode::CREATED, Json(a)).into_response(),
        Err(e) => {
            let _ = s.files.delete(&store_path(stored.id)).await;
            fail(e)
        }
    }
}

fn with_status(mut r: Response, code: StatusCode) -> Response {
    *r.status_mut() = code;
    r
}

fn parse_id(id: &str) -> Option<uuid::Uuid> {
    uuid::Uuid::parse_str(id).ok()
}

/// Uploads a file to a document (staff, Documents module on).
pub async fn upload_document_file(
    State(s): State<ServerState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let user = match documents_user(&s, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let not_found = || fail(AppError::NotFound("Document".into()));
    let Some(document) = parse_id(&id) else { return not_found() };
    match app::documents::repo::find(&s.app.db, document).await {
        Ok(Some(_)) => {}
        Ok(None) => return not_found(),
        Err(e) => return fail(e.into()),
    }
    let stored = match receive(&s, &headers, form).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let row = app::documents::repo::NewFile {
        id: stored.id,
        document,
        filename: &stored.filename,
        size_bytes: stored.size as i64,
        content_type: stored.content_type,
        sha256: &stored.sha256,
        uploaded_by: user.id,
    };
    match app::documents::api::server::record_file(&s.app.db, &user, row).await {
        Ok(f) => (StatusCode::CREATED, Json(f)).into_response(),
        Err(e) => {
            let _ = s.files.delete(&store_path(stored.id)).await;
            fail(e)
        }
    }
}

/// A document file's id: staff only (others are told it does not exist) and the
/// Documents module on. None when the id is not a document file.
async fn document_file(
    s: &ServerState,
    user: &CurrentUser,
    id: uuid::Uuid,
) -> Result<Option<app::documents::repo::FileAccess>, Response> {
    match app::documents::repo::find_file(&s.app.db, id).await {
        Ok(Some(_)) if !user.can(Permission::DeskView) => Err(fail(AppError::NotFound("File".into()))),
        Ok(Some(f)) => {
            module_on(s, Module::Documents).await?;
            Ok(Some(f))
        }
        Ok(None) => Ok(None),
        Err(e) => Err(fail(e.into())),
    }
}

pub async fn download(State(s): State<ServerState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let user = match user(&s, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let not_found = || fail(AppError::NotFound("File".into()));
    let Some(id) = parse_id(&id) else { return not_found() };
    let (filename, size_bytes) = match document_file(&s, &user, id).await {
        Ok(Some(f)) => (f.filename, f.size_bytes),
        Ok(None) => {
            if let Err(r) = module_on(&s, Module::ServiceDesk).await {
                return r;
            }
            match repo::find_access(&s.app.db, id).await {
                Ok(Some(a)) if rules::may_download(&user, &a) => (a.filename, a.size_bytes),
                Ok(_) => return not_found(),
                Err(e) => return fail(e.into()),
            }
        }
        Err(r) => return r,
    };
    let file = match s.files.get(&store_path(id)).await {
        Ok(f) => f,
        Err(object_store::Error::NotFound { .. }) => return not_found(),
        Err(e) => {
            tracing::error!(error = %e, %id, "cannot read an attachment");
            return fail(AppError::Internal);
        }
    };
    let body = Body::from_stream(file.into_stream().map_err(std::io::Error::other));
    (
        [
            // Typed from the allow-list again, whatever was stored.
            (header::CONTENT_TYPE, content_type_for(&filename).to_string()),
            (header::CONTENT_DISPOSITION, content_disposition(&filename)),
            (header::CONTENT_LENGTH, size_bytes.to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// Removes an unsent ticket upload (its uploader), or a document's file
/// (RecordsDelete).
pub async fn remove(State(s): State<ServerState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let user = match user(&s, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Some(id) = parse_id(&id) else { return fail(AppError::NotFound("File".into())) };
    let removed = match document_file(&s, &user, id).await {
        Ok(Some(f)) => app::documents::api::server::remove_file(&s.app.db, &user, &f).await,
        Ok(None) => match module_on(&s, Module::ServiceDesk).await {
            Ok(()) => rules::remove_draft(&s.app.db, &user, id).await,
            Err(r) => return r,
        },
        Err(r) => return r,
    };
    if let Err(e) = removed {
        return fail(e);
    }
    delete_bytes(&s.files, id).await;
    StatusCode::NO_CONTENT.into_response()
}

/// Deletes stored bytes whose row is gone; a failure only leaves unreachable bytes.
pub async fn delete_bytes(files: &std::sync::Arc<dyn object_store::ObjectStore>, id: uuid::Uuid) {
    match files.delete(&store_path(id)).await {
        Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
        Err(e) => tracing::warn!(error = %e, %id, "removed file's bytes could not be deleted"),
    }
}
