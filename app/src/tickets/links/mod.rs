//! Links between tickets (parent/child, related, duplicate-of) and merging a
//! duplicate into the ticket it repeats.
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod server;
