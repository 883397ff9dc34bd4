//! The requester panel's server function.
use super::model::RequesterContext;
use crate::error::AppError;
use crate::tickets::model::TicketNumber;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Who asked for ticket `number`, with their teams and other tickets.
#[server(endpoint = "requester/context", input = Json)]
pub async fn load_requester_context(number: TicketNumber) -> Result<RequesterContext, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DirectoryView).await?;
        require_module(Module::ServiceDesk).await?;
        super::repo::for_ticket(&state()?.db, number).await?.ok_or_else(|| AppError::NotFound(number.to_string()))
    })
    .await
}
