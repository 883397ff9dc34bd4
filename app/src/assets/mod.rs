//! Assets (devices and equipment), with locations and vendors as simple linked
//! records, history, CSV import and export.
pub mod api;
#[cfg(feature = "ssr")]
pub mod import;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod repo_import;
pub mod rules;
