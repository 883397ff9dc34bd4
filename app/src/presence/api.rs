//! Server functions for presence. Staff only (DeskView): requesters are refused,
//! so they can neither appear on a ticket nor see who is on it.
use super::model::Presence;
use crate::error::AppError;
use crate::tickets::model::TicketNumber;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// "I still have this ticket open"; answers with everyone else who has.
#[server(endpoint = "presence/heartbeat", input = Json)]
pub async fn heartbeat(number: TicketNumber) -> Result<Vec<Presence>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::ServiceDesk).await?;
        server::heartbeat(&state()?.db, user.id, number).await
    })
    .await
}

/// "I closed this ticket"; the others' banners update at once.
#[server(endpoint = "presence/leave", input = Json)]
pub async fn leave(number: TicketNumber) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::ServiceDesk).await?;
        server::leave(&state()?.db, user.id, number).await
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::auth::model::{Permission, UserId};
    use crate::error::AppResult;
    use crate::live::{repo::publish, Audience, LiveEvent};
    use crate::presence::repo;
    use crate::tickets::model::TicketId;
    use sqlx::PgPool;

    async fn ticket(db: &PgPool, number: TicketNumber) -> AppResult<TicketId> {
        crate::tickets::repo::id_of(db, number).await?.ok_or_else(|| AppError::NotFound(number.to_string()))
    }

    /// Tells every staff tab that presence on `number` changed (they re-ask).
    async fn announce(db: &PgPool, number: TicketNumber) -> AppResult<()> {
        let staff = Audience::WithPermission { permission: Permission::DeskView };
        publish(db, staff, LiveEvent::PresenceChanged { number: number.0 }).await?;
        Ok(())
    }

    pub async fn heartbeat(db: &PgPool, user: UserId, number: TicketNumber) -> AppResult<Vec<Presence>> {
        let id = ticket(db, number).await?;
        if repo::heartbeat(db, id, user).await? {
            announce(db, number).await?;
            repo::sweep(db).await?;
        }
        Ok(repo::others(db, id, user).await?)
    }

    pub async fn leave(db: &PgPool, user: UserId, number: TicketNumber) -> AppResult<()> {
        let id = ticket(db, number).await?;
        if repo::leave(db, id, user).await? {
            announce(db, number).await?;
        }
        Ok(())
    }

    /// The reply was sent: the sender is no longer replying (in the comment's
    /// transaction, so the banner and the new comment arrive together).
    pub async fn stopped_typing(
        tx: &mut sqlx::PgConnection,
        user: UserId,
        ticket: TicketId,
        number: TicketNumber,
    ) -> AppResult<()> {
        if repo::set_typing(&mut *tx, ticket, user, false).await? {
            let staff = Audience::WithPermission { permission: Permission::DeskView };
            publish(&mut *tx, staff, LiveEvent::PresenceChanged { number: number.0 }).await?;
        }
        Ok(())
    }

    /// Called by the draft autosave: a saved non-empty draft means the agent is
    /// typing a reply; an emptied one means they stopped.
    pub async fn typing(
        db: &PgPool,
        user: UserId,
        ticket: TicketId,
        number: TicketNumber,
        typing: bool,
    ) -> AppResult<()> {
        if repo::set_typing(db, ticket, user, typing).await? {
            announce(db, number).await?;
        }
        Ok(())
    }
}
