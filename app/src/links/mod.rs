//! Typed links between any two records ("everything links to everything"): the
//! model, the SQL, the server functions and the panel every detail page shows.
pub mod api;
pub mod chooser;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;

pub use pages::LinksPanel;
