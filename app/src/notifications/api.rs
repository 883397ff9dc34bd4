//! Each person reads and clears only their own notifications.
use super::model::Inbox;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "notifications/list", input = Json)]
pub async fn list_notifications() -> Result<Inbox, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::SignedIn).await?;
        Ok(super::repo::inbox(&state()?.db, user.id).await?)
    })
    .await
}

#[server(endpoint = "notifications/unread", input = Json)]
pub async fn unread_notifications() -> Result<i64, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::SignedIn).await?;
        Ok(super::repo::unread(&state()?.db, user.id).await?)
    })
    .await
}

#[server(endpoint = "notifications/mark_read", input = Json)]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::SignedIn).await?;
        super::repo::mark_all_read(&state()?.db, user.id).await?;
        Ok(())
    })
    .await
}
