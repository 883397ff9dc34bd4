//! Operations endpoints: liveness, readiness, Prometheus metrics, request timing.
use super::ServerState;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::time::Instant;

/// The process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database answers.
pub async fn readyz(State(s): State<ServerState>) -> Response {
    match sqlx::query_scalar::<_, i32>("select 1").fetch_one(&s.app.db).await {
        Ok(_) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Prometheus text format. Open from loopback, elsewhere only with the bearer token.
pub async fn metrics(
    State(s): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let token_ok = s.metrics_token.as_deref().is_some_and(|t| {
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {t}"))
    });
    if !peer.ip().is_loopback() && !token_ok {
        return (StatusCode::FORBIDDEN, "metrics are available from loopback or with the metrics token")
            .into_response();
    }
    if let Ok(c) = app::jobs::repo::counts(&s.app.db).await {
        for (status, n) in [("queued", c.queued), ("running", c.running), ("done", c.done), ("dead", c.dead)] {
            metrics::gauge!("helios_jobs", "status" => status).set(n as f64);
        }
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], s.metrics.render()).into_response()
}

/// Records `http_request_duration_seconds` by route template, method and status.
pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| route_group(req.uri().path()));
    let method = req.method().to_string();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    metrics::histogram!("http_request_duration_seconds", "route" => route, "method" => method, "status" => status)
        .record(start.elapsed().as_secs_f64());
    res
}

/// Keeps label cardinality bounded for paths without a matched route.
fn route_group(path: &str) -> String {
    if path.starts_with("/api/") {
        path.to_string()
    } else if path.starts_with("/pkg/") {
        "/pkg/*".into()
    } else {
        "page".into()
    }
}
