//! Server-side shared state handed to every server function through context.
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use std::sync::Arc;

/// Settings the running server was started with (not the admin settings in the database).
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    /// Demo mode: seeds demo accounts and lists them on the login page.
    pub demo: bool,
    /// Mark cookies `Secure` (the public URL is https).
    pub secure_cookies: bool,
    /// How long a session lives without sign-in.
    pub session_ttl: chrono::Duration,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig { demo: false, secure_cookies: false, session_ttl: chrono::Duration::days(14) }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<RuntimeConfig>,
    pub leptos_options: LeptosOptions,
    /// Master keys of the vault (see docs/vault.md).
    pub vault: Arc<crate::vault::crypto::KeyRing>,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}
