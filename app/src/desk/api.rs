//! Server functions of the agent console.
use super::model::SavedView;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The queue views the caller can pick: shared ones and their own.
#[server(endpoint = "desk/views", input = Json)]
pub async fn list_views() -> Result<Vec<SavedView>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::ServiceDesk).await?;
        Ok(super::repo::list_views(&state()?.db, user.id).await?)
    })
    .await
}
