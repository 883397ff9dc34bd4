//! The one error type of the application layer, shared by server functions and the
//! browser. User-facing messages are clear; internal details are logged, never sent.
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Errors a server function can return. `Internal` carries no detail on purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    Unauthorized,
    #[error("You do not have permission to do that.")]
    Forbidden,
    #[error("{0} not found.")]
    NotFound(String),
    #[error("{message}")]
    Validation {
        message: String,
        /// Field name → message, for forms.
        fields: BTreeMap<String, String>,
    },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("The {0} module is disabled. An administrator can enable it in Settings.")]
    ModuleDisabled(String),
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// Transport or encoding failure between browser and server.
    #[error("Could not reach the server: {0}")]
    Transport(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// A validation error about one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut fields = BTreeMap::new();
        fields.insert(field.to_string(), message.clone());
        AppError::Validation { message, fields }
    }

    /// A validation error not tied to one field.
    pub fn invalid(message: impl Into<String>) -> Self {
        AppError::Validation { message: message.into(), fields: BTreeMap::new() }
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::ModuleDisabled(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Validation { .. } => 422,
            AppError::Conflict(_) => 409,
            AppError::TooManyRequests(_) => 429,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            // Arguments that fail to decode are bad input, not a server fault.
            E::Args(m) | E::Deserialization(m) => AppError::invalid(format!("The request was malformed: {m}")),
            E::Request(m) | E::Response(m) => AppError::Transport(m),
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;

    impl From<sqlx::Error> for AppError {
        fn from(e: sqlx::Error) -> Self {
            match e {
                sqlx::Error::RowNotFound => AppError::NotFound("Record".into()),
                other => {
                    tracing::error!(error = ?other, "database error");
                    AppError::Internal
                }
            }
        }
    }

    impl From<anyhow::Error> for AppError {
        fn from(e: anyhow::Error) -> Self {
            tracing::error!(error = ?e, "internal error");
            AppError::Internal
        }
    }

    impl AppError {
        /// Sets the HTTP status of the current server-function response to match.
        pub fn with_status(self) -> Self {
            if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                if let Ok(code) = http::StatusCode::from_u16(self.status_code()) {
                    opts.set_status(code);
                }
            }
            self
        }
    }

    /// Maps a named unique-constraint violation to a field error (else Internal).
    pub fn on_constraint(e: sqlx::Error, map: &[(&str, &str, &str)]) -> AppError {
        if let sqlx::Error::Database(db) = &e {
            if let Some(name) = db.constraint() {
                for (constraint, field, message) in map {
                    if *constraint == name {
                        return AppError::field(field, *message);
                    }
                }
            }
        }
        AppError::from(e)
    }
}
#[cfg(feature = "ssr")]
pub use server::on_constraint;
