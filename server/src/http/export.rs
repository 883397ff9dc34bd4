//! `GET /desk/export.csv?filter=<json>`: the tickets of a queue view as CSV,
//! streamed. Staff only, service desk enabled; every export is audited.
use super::ServerState;
use app::auth::guard::user_from_headers;
use app::auth::model::Permission;
use app::settings::model::Module;
use app::tickets::model::TicketFilter;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

#[derive(serde::Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    filter: Option<String>,
}

pub async fn tickets_csv(State(s): State<ServerState>, headers: HeaderMap, Query(q): Query<ExportQuery>) -> Response {
    let db = s.app.db.clone();
    let user = match user_from_headers(&db, &headers).await {
        Ok(Some(u)) if u.can(Permission::DeskView) => u,
        Ok(Some(_)) => return (StatusCode::FORBIDDEN, "You do not have permission to do that.").into_response(),
        Ok(None) => return (StatusCode::UNAUTHORIZED, "Please sign in to continue.").into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    match app::settings::repo::load_modules(&db).await {
        Ok(m) if m.enabled(Module::ServiceDesk) => {}
        Ok(_) => return (StatusCode::FORBIDDEN, "The service desk module is disabled.").into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
    let filter: TicketFilter = match q.filter.as_deref().filter(|f| !f.is_empty()) {
        None => TicketFilter::default(),
        Some(f) => match serde_json::from_str(f) {
            Ok(f) => f,
            Err(e) => return (StatusCode::BAD_REQUEST, format!("The filter is not valid: {e}")).into_response(),
        },
    };
    // A few chunks in flight at most: a slow download slows the query, not memory.
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tokio::spawn(async move {
        if let Err(e) = app::tickets::export::stream_csv(db, user, filter, tx).await {
            tracing::warn!(error = %e, "ticket export failed");
        }
    });
    let chunks = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) });
    let body = Body::from_stream(chunks);
    let name = format!("tickets-{}.csv", chrono::Utc::now().format("%Y%m%d-%H%M"));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}
