//! Branding files: the uploaded logo and a stylesheet carrying the accent colour
//! (a stylesheet, not an inline style, so the CSP needs no 'unsafe-inline').
use super::ServerState;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn logo(State(s): State<ServerState>) -> Response {
    match app::settings::repo::find_logo(&s.app.db).await {
        Ok(Some(logo)) => {
            let mut res = (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_str(&logo.content_type)
                            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
                    ),
                    (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
                ],
                logo.bytes,
            )
                .into_response();
            // An SVG could carry script: forbid any when it is opened directly.
            res.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
            );
            res
        }
        Ok(None) => (StatusCode::NOT_FOUND, "no logo").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "loading logo");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn theme_css(State(s): State<ServerState>) -> Response {
    let accent = app::settings::repo::load_branding(&s.app.db)
        .await
        .ok()
        .and_then(|b| app::settings::model::parse_accent(&b.accent).ok())
        .unwrap_or_else(|| app::settings::model::DEFAULT_ACCENT.to_string());
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=300")],
        format!(":root {{ --accent: {accent}; }}\n"),
    )
        .into_response()
}
