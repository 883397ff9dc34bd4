//! Server functions for links between tickets. Staff link, unlink and merge;
//! anyone who may see a ticket may list its links (requesters only those to
//! their own tickets).
use super::model::*;
use crate::error::AppError;
use crate::tickets::model::TicketNumber;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "tickets/links", input = Json)]
pub async fn list_links(number: TicketNumber) -> Result<Vec<TicketLink>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::SignedIn).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        super::server::list(&state()?.db, &user, number).await
    })
    .await
}

/// Links `number` to `other`: `relation` is what `number` is to `other`.
#[server(endpoint = "tickets/link", input = Json)]
pub async fn link_tickets(
    number: TicketNumber,
    relation: Relation,
    other: TicketNumber,
) -> Result<Vec<TicketLink>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        let db = state()?.db;
        super::server::link(&db, &user, number, relation, other).await?;
        super::server::list(&db, &user, number).await
    })
    .await
}

#[server(endpoint = "tickets/unlink", input = Json)]
pub async fn unlink_tickets(number: TicketNumber, other: TicketNumber) -> Result<Vec<TicketLink>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        let db = state()?.db;
        super::server::unlink(&db, &user, number, other).await?;
        super::server::list(&db, &user, number).await
    })
    .await
}

/// Marks `number` as a duplicate of `into`: moves its comments there and closes
/// it. Both versions are the ones the agent saw; a newer one refuses the merge.
#[server(endpoint = "tickets/merge", input = Json)]
pub async fn merge_tickets(
    number: TicketNumber,
    version: i32,
    into: TicketNumber,
    into_version: i32,
) -> Result<MergeOutcome, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        super::server::merge(&state()?.db, &user, number, version, into, into_version).await
    })
    .await
}
