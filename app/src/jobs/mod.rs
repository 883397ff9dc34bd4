//! Background jobs: the queue's SQL, shared types, and the admin view.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
