//! Asset CSV over plain HTTP (files are not JSON):
//!
//! - `POST /assets/import?name=<file name>` with the CSV as the body: the body is
//!   streamed to a temporary file (at most `IMPORT_MAX_BYTES`), then read row by row
//!   and staged; the answer is the preview (`ImportPreview`). Nothing is created
//!   until `assets/import_commit`.
//! - `GET /assets/export.csv?filter=<json>`: the assets of a list view, written a
//!   page at a time so memory stays flat; audited.
use super::ServerState;
use app::assets::model::{AssetCursor, AssetFilter, AssetOrder, EXPORT_ONLY_COLUMNS, IMPORT_COLUMNS, IMPORT_MAX_BYTES};
use app::auth::guard::user_from_headers;
use app::auth::model::{CurrentUser, Permission};
use app::error::AppError;
use app::settings::model::Module;
use app::tickets::export::defuse;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::StreamExt;
use tokio::io::AsyncWriteExt;

fn fail(e: AppError) -> Response {
    let code = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (code, Json(e)).into_response()
}

async fn staff(s: &ServerState, headers: &HeaderMap) -> Result<CurrentUser, Response> {
    let db = &s.app.db;
    let user = match user_from_headers(db, headers).await {
        Ok(Some(u)) if u.can(Permission::DeskView) => u,
        Ok(Some(_)) => return Err(fail(AppError::Forbidden)),
        Ok(None) => return Err(fail(AppError::Unauthorized)),
        Err(e) => return Err(fail(e)),
    };
    match app::settings::repo::load_modules(db).await {
        Ok(m) if m.enabled(Module::Assets) => Ok(user),
        Ok(_) => Err(fail(AppError::ModuleDisabled(Module::Assets.title().into()))),
        Err(e) => Err(fail(e.into())),
    }
}

#[derive(serde::Deserialize)]
pub struct ImportQuery {
    #[serde(default)]
    name: String,
}

/// Removes the temporary file however the handler ends.
struct TempFile(std::path::PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

pub async fn import(
    State(s): State<ServerState>,
    headers: HeaderMap,
    Query(q): Query<ImportQuery>,
    body: Body,
) -> Response {
    let user = match staff(&s, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let too_large = || {
        let e = AppError::field("file", format!("A CSV file can be at most {} MB.", IMPORT_MAX_BYTES / (1024 * 1024)));
        let mut r = fail(e);
        *r.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        r
    };
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > IMPORT_MAX_BYTES) {
        return too_large();
    }
    let temp = TempFile(std::env::temp_dir().join(format!("helios-import-{}.csv", uuid::Uuid::new_v4())));
    let mut file = match tokio::fs::File::create(&temp.0).await {
        Ok(f) => f,
        Err(e) => {
            tracing::error!(error = %e, "cannot create a temporary file for an import");
            return fail(AppError::Internal);
        }
    };
    let mut stream = body.into_data_stream();
    let mut size = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => return fail(AppError::invalid(format!("The upload was interrupted: {e}"))),
        };
        size += chunk.len();
        if size > IMPORT_MAX_BYTES {
            return too_large();
        }
        if let Err(e) = file.write_all(&chunk).await {
            tracing::error!(error = %e, "cannot write an import to disk");
            return fail(AppError::Internal);
        }
    }
    if let Err(e) = file.flush().await {
        tracing::error!(error = %e, "cannot write an import to disk");
        return fail(AppError::Internal);
    }
    drop(file);
    if size == 0 {
        return fail(AppError::field("file", "The file is empty."));
    }
    match app::assets::import::stage(&s.app.db, &user, q.name.trim(), &temp.0).await {
        Ok(preview) => Json(preview).into_response(),
        Err(e) => fail(e),
    }
}

#[derive(serde::Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    filter: Option<String>,
}

pub async fn export(State(s): State<ServerState>, headers: HeaderMap, Query(q): Query<ExportQuery>) -> Response {
    let user = match staff(&s, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let mut filter: AssetFilter = match q.filter.as_deref().filter(|f| !f.is_empty()) {
        None => AssetFilter::default(),
        Some(f) => match serde_json::from_str(f) {
            Ok(f) => f,
            Err(e) => return fail(AppError::invalid(format!("The filter is not valid: {e}"))),
        },
    };
    filter.order = AssetOrder::Name;
    let db = s.app.db.clone();
    let doc = serde_json::to_value(&filter).unwrap_or_default();
    if let Err(e) = app::audit::repo::record(
        &db,
        &app::audit::repo::Actor::user(&user),
        "asset.export",
        "asset",
        "csv",
        None,
        Some(&doc),
    )
    .await
    {
        return fail(e.into());
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    tokio::spawn(async move {
        if let Err(e) = write_csv(db, filter, tx).await {
            tracing::warn!(error = %e, "asset export failed");
        }
    });
    let chunks = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) });
    let name = format!("assets-{}.csv", chrono::Utc::now().format("%Y%m%d-%H%M"));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(chunks),
    )
        .into_response()
}

/// Writes pages of 1,000 assets (keyset) as CSV chunks until the list ends or the
/// download is cancelled.
async fn write_csv(
    db: sqlx::PgPool,
    filter: AssetFilter,
    out: tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
) -> anyhow::Result<()> {
    let writer = || csv::Writer::from_writer(Vec::with_capacity(64 * 1024));
    let mut w = writer();
    // The importer's columns, then the ones it ignores: the file reads back in.
    w.write_record(IMPORT_COLUMNS.iter().chain(EXPORT_ONLY_COLUMNS.iter()))?;
    let mut cursor: Option<AssetCursor> = None;
    loop {
        let page = app::assets::api::server::page(&db, &filter, cursor.as_ref(), 1000)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let ids: Vec<uuid::Uuid> = page.rows.iter().map(|r| r.id).collect();
        let extra: std::collections::HashMap<_, _> =
            app::assets::repo::export_details(&db, &ids).await?.into_iter().collect();
        for r in &page.rows {
            let Some(x) = extra.get(&r.id) else { continue };
            let record = [
                defuse(&r.name).into_owned(),
                r.asset_type.as_str().to_string(),
                r.status.as_str().to_string(),
                defuse(r.tag.as_deref().unwrap_or("")).into_owned(),
                defuse(r.serial.as_deref().unwrap_or("")).into_owned(),
                defuse(&x.make).into_owned(),
                defuse(&x.model).into_owned(),
                defuse(&x.os).into_owned(),
                defuse(&x.os_version).into_owned(),
                x.assigned_email.clone().unwrap_or_default(),
                defuse(r.location_name.as_deref().unwrap_or("")).into_owned(),
                defuse(x.vendor_name.as_deref().unwrap_or("")).into_owned(),
                x.purchased_on.map(|d| d.to_string()).unwrap_or_default(),
                x.purchase_cost_cents.map(app::assets::rules::fmt_cents).unwrap_or_default(),
                r.warranty_expires_on.map(|d| d.to_string()).unwrap_or_default(),
                defuse(&x.notes).into_owned(),
                r.id.to_string(),
                r.updated_at.to_rfc3339(),
            ];
            w.write_record(&record)?;
        }
        let chunk = std::mem::replace(&mut w, writer()).into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
        if out.send(Ok(chunk)).await.is_err() {
            return Ok(());
        }
        match page.next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let rest = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    if !rest.is_empty() {
        let _ = out.send(Ok(rest)).await;
    }
    Ok(())
}
