//! Accounts, sessions, roles and permissions.
pub mod api;
pub mod demo;
#[cfg(feature = "ssr")]
pub mod guard;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod repo;
