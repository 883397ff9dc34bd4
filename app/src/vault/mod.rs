//! The credential vault: credentials with encrypted passwords and TOTP seeds, and
//! the envelope encryption every vault-backed secret (license keys too) uses.
pub mod api;
#[cfg(feature = "ssr")]
pub mod crypto;
pub mod model;
pub(crate) mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod rotate;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod totp;

pub use pages::{CredentialView, VaultPage};
