//! IT documentation: nested folders, markdown documents whose every save is kept
//! as a version (history, diffs, restore), files attached to documents, and
//! full-text plus fuzzy-title search.
pub mod api;
pub mod model;
mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod rules;

pub use pages::{DocumentPage, DocumentsPage};
