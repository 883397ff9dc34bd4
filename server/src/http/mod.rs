//! The HTTP surface: Leptos pages and server functions, websocket, branding files,
//! operations endpoints, and the layers every request passes through.
mod assets;
pub mod attachments;
pub mod branding;
mod export;
pub mod ops;
pub mod security;
pub mod ws;

use crate::realtime::Hub;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{FromRef, Request, State};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{middleware, Router};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use metrics_exporter_prometheus::PrometheusHandle;
use tokio::sync::watch;

#[derive(Clone)]
pub struct ServerState {
    pub app: AppState,
    pub hub: Hub,
    pub metrics: PrometheusHandle,
    pub metrics_token: Option<String>,
    pub shutdown: watch::Receiver<bool>,
    /// Where attachment bytes live.
    pub files: std::sync::Arc<dyn object_store::ObjectStore>,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(s: &ServerState) -> Self {
        s.app.leptos_options.clone()
    }
}

async fn server_fns(State(s): State<ServerState>, req: Request<Body>) -> impl IntoResponse {
    let app = s.app.clone();
    handle_server_fns_with_context(move || provide_context(app.clone()), req).await
}

/// Errors raised before a server function body runs (e.g. arguments that do not
/// decode) leave the framework's 500; give them the status their `AppError` names.
async fn status_from_error(req: Request<Body>, next: axum::middleware::Next) -> axum::response::Response {
    let is_api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !is_api || res.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        if let Ok(code) = axum::http::StatusCode::from_u16(err.status_code()) {
            parts.status = code;
        }
    }
    axum::response::Response::from_parts(parts, Body::from(bytes))
}

pub fn router(state: ServerState) -> Router {
    let options = state.app.leptos_options.clone();
    let routes = generate_route_list(app::App);
    let app_state = state.app.clone();
    let context = move || provide_context(app_state.clone());
    let shell = move || app::shell(options.clone());
    let fallback = leptos_axum::file_and_error_handler_with_context::<ServerState, _>(context.clone(), app::shell);
    Router::new()
        .route("/api/{*fn_name}", get(server_fns).post(server_fns))
        .leptos_routes_with_context(&state, routes, context, shell)
        .route("/ws", get(ws::upgrade))
        .route("/desk/export.csv", get(export::tickets_csv))
        .route("/assets/export.csv", get(assets::export))
        .route("/assets/import", post(assets::import).layer(attachments::body_limit()))
        .route("/desk/tickets/{number}/attachments", post(attachments::upload).layer(attachments::body_limit()))
        .route("/attachments/{id}", get(attachments::download).delete(attachments::remove))
        .route("/docs/{id}/files", post(attachments::upload_document_file).layer(attachments::body_limit()))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/branding/logo", get(branding::logo))
        .route("/branding/theme.css", get(branding::theme_css))
        .fallback(fallback)
        .layer(middleware::from_fn(status_from_error))
        .layer(middleware::from_fn(security::origin_check))
        .layer(middleware::from_fn(security::headers))
        .layer(middleware::from_fn(ops::track))
        .with_state(state)
}
