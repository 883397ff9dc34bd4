//! Plain HTTP calls from the browser for what server functions do not carry
//! (file uploads and deletions): one fetch, the answer's status and text, and the
//! server's JSON error read back into an `AppError`.
use crate::error::AppError;

/// Sends `body` (a `FormData`, `File`, …) with `method` to `url`; returns status and text.
#[cfg(feature = "hydrate")]
pub async fn send(
    method: &str,
    url: &str,
    body: Option<&wasm_bindgen::JsValue>,
    content_type: Option<&str>,
) -> Result<(u16, String), AppError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let transport = |e: wasm_bindgen::JsValue| AppError::Transport(format!("{e:?}"));
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(b) = body {
        init.set_body(b);
    }
    let req = web_sys::Request::new_with_str_and_init(url, &init).map_err(transport)?;
    if let Some(t) = content_type {
        req.headers().set("content-type", t).map_err(transport)?;
    }
    let window = web_sys::window().ok_or_else(|| AppError::Transport("no window".into()))?;
    let res: web_sys::Response =
        JsFuture::from(window.fetch_with_request(&req)).await.map_err(transport)?.unchecked_into();
    let text = JsFuture::from(res.text().map_err(transport)?).await.map_err(transport)?;
    Ok((res.status(), text.as_string().unwrap_or_default()))
}

/// The error a failed answer carries (the server sends `AppError` as JSON).
pub fn error_from(status: u16, text: &str) -> AppError {
    serde_json::from_str::<AppError>(text).unwrap_or_else(|_| AppError::Transport(format!("HTTP {status}")))
}
