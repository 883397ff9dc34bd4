//! The tamper-evident audit log: recording, verifying, browsing.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
