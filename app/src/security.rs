//! Content-Security-Policy for server-rendered HTML: a fresh nonce per response,
//! no inline script without it, no eval beyond WebAssembly compilation.
use leptos::prelude::*;

/// The policy for a page whose inline hydration script carries `nonce`.
pub fn policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'"
    )
}

/// The policy for HTML the server produces without Leptos (errors, fallbacks).
pub const STATIC_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Generates this response's nonce and sets the CSP header to match.
pub fn apply_csp() {
    leptos::nonce::provide_nonce();
    let Some(nonce) = leptos::nonce::use_nonce() else { return };
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(v) = http::HeaderValue::from_str(&policy(&nonce.to_string())) {
            opts.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
}
