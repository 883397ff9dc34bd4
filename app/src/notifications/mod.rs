//! In-app notifications: what the system tells a person (expiry alerts, …),
//! listed on `/notifications` with an unread count in the sidebar.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
