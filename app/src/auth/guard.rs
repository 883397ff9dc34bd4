//! Who is calling: session cookie → user, and the single authorisation helper
//! every server function goes through (`require`).
use super::model::{CurrentUser, Permission};
use super::repo;
use crate::error::{AppError, AppResult};
use crate::settings::model::Module;
use crate::state::AppState;
use http::header::{COOKIE, SET_COOKIE};
use http::request::Parts;
use leptos::prelude::*;
use sha2::{Digest, Sha256};
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "helios_session";

/// The shared state, or Internal if the server forgot to provide it.
pub fn state() -> AppResult<AppState> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        AppError::Internal
    })
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A fresh 256-bit session token, base64url.
pub fn new_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The session token carried by a request's cookies.
pub fn token_from_headers(headers: &http::HeaderMap) -> Option<String> {
    headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (name, value) = c.trim().split_once('=')?;
        (name == SESSION_COOKIE && !value.is_empty()).then(|| value.to_string())
    })
}

/// Resolves the user of a cookie header (used by the websocket and file routes too).
pub async fn user_from_headers(db: &sqlx::PgPool, headers: &http::HeaderMap) -> AppResult<Option<CurrentUser>> {
    match token_from_headers(headers) {
        Some(token) => Ok(repo::find_user_by_session(db, &hash_token(&token)).await?),
        None => Ok(None),
    }
}

#[derive(Clone)]
struct CachedUser(Arc<tokio::sync::OnceCell<Option<CurrentUser>>>);

/// The signed-in user of the current request, looked up once per request.
pub async fn current_user() -> AppResult<Option<CurrentUser>> {
    let cache = match use_context::<CachedUser>() {
        Some(c) => c,
        None => {
            let c = CachedUser(Arc::new(tokio::sync::OnceCell::new()));
            provide_context(c.clone());
            c
        }
    };
    let user = cache
        .0
        .get_or_try_init(|| async {
            let st = state()?;
            let Some(parts) = use_context::<Parts>() else { return Ok(None) };
            user_from_headers(&st.db, &parts.headers).await
        })
        .await?;
    Ok(user.clone())
}

/// Authorises the caller for `p`: 401 when signed out, 403 when the role lacks it.
pub async fn require(p: Permission) -> AppResult<CurrentUser> {
    match current_user().await? {
        None => Err(AppError::Unauthorized),
        Some(u) if !u.can(p) => Err(AppError::Forbidden),
        Some(u) => Ok(u),
    }
}

/// Refuses when an admin switched the module off.
pub async fn require_module(m: Module) -> AppResult<()> {
    let st = state()?;
    let modules = crate::settings::repo::load_modules(&st.db).await?;
    if modules.enabled(m) {
        Ok(())
    } else {
        Err(AppError::ModuleDisabled(m.title().to_string()))
    }
}

/// Wraps a server function body: sets the HTTP status of an error response.
pub async fn respond<T>(fut: impl std::future::Future<Output = AppResult<T>>) -> AppResult<T> {
    fut.await.map_err(AppError::with_status)
}

/// Client address for rate limiting: the socket peer (proxies are not trusted).
pub fn client_ip() -> String {
    use_context::<Parts>()
        .and_then(|p| {
            p.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

pub fn user_agent() -> String {
    use_context::<Parts>()
        .and_then(|p| {
            p.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(|s| s.chars().take(300).collect())
        })
        .unwrap_or_default()
}

fn set_cookie(value: String) {
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(v) = http::HeaderValue::from_str(&value) {
            opts.append_header(SET_COOKIE, v);
        }
    }
}

pub fn set_session_cookie(token: &str, max_age_secs: i64, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    set_cookie(format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"));
}

pub fn clear_session_cookie(secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    set_cookie(format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"));
}

/// The token of the current request, if any.
pub fn request_token() -> Option<String> {
    use_context::<Parts>().and_then(|p| token_from_headers(&p.headers))
}
