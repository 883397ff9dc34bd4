//! Workspace settings: modules on/off, entity labels, branding.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
