//! Files on comments and ticket descriptions. The bytes live in the object store
//! (uploaded and downloaded through the routes in the server's `http::attachments`);
//! rows here say who may see them.
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod rules;
