//! Request-level protections: Origin check on state-changing requests, security
//! headers and a default CSP on every response that lacks one.
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Whether `origin` (scheme://host[:port]) names the host the request was sent to.
pub fn same_origin(origin: &str, host: &str) -> bool {
    let authority = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
    let authority = authority.split('/').next().unwrap_or("");
    !authority.is_empty() && authority.eq_ignore_ascii_case(host)
}

/// Refuses cross-site state-changing requests (and cross-site websocket upgrades):
/// the Origin header, or failing that the Referer, must name this host.
pub async fn origin_check(req: Request, next: Next) -> Response {
    let state_changing = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let is_upgrade = req.headers().contains_key(header::UPGRADE);
    if state_changing || is_upgrade {
        let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        let origin = req.headers().get(header::ORIGIN).and_then(|h| h.to_str().ok());
        let referer = req.headers().get(header::REFERER).and_then(|h| h.to_str().ok());
        let ok = match (origin, referer) {
            (Some(o), _) => same_origin(o, host),
            (None, Some(r)) => same_origin(r, host),
            // Websocket clients outside browsers send no Origin; browsers always do.
            (None, None) => is_upgrade && !state_changing,
        };
        if !ok {
            tracing::warn!(method = %req.method(), path = %req.uri().path(), "cross-origin request refused");
            return (StatusCode::FORBIDDEN, "Cross-origin request refused.").into_response();
        }
    }
    next.run(req).await
}

/// Adds security headers; HTML without a CSP of its own gets the static policy.
pub async fn headers(req: Request, next: Next) -> Response<Body> {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let is_html = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if is_html && !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(app::security::STATIC_POLICY));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::same_origin;

    #[test]
    fn origins_match_only_their_own_host_and_port() {
        assert!(same_origin("http://127.0.0.1:3000", "127.0.0.1:3000"));
        assert!(same_origin("https://help.example.com/path", "help.example.com"));
        assert!(!same_origin("http://127.0.0.1:3001", "127.0.0.1:3000"));
        assert!(!same_origin("https://evil.example", "help.example.com"));
        assert!(!same_origin("null", "help.example.com"));
    }
}
