//! Users: listing, creating, editing, deactivating, roles.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
