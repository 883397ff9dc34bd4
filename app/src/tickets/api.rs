//! Server functions for tickets. Staff (DeskView) work on every ticket; requesters
//! see and comment on their own only, and never see internal notes.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "tickets/workflow", input = Json)]
pub async fn get_workflow() -> Result<Workflow, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::SignedIn).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        Ok(super::repo::load_workflow(&state()?.db).await?)
    })
    .await
}

/// Opens a ticket. Requesters open their own (source portal); staff may open one on
/// behalf of a requester.
#[server(endpoint = "tickets/create", input = Json)]
pub async fn create_ticket(
    title: String,
    description: String,
    priority: Priority,
    requester: Option<crate::auth::model::UserId>,
    #[server(default)] extras: Option<NewTicketExtras>,
) -> Result<TicketNumber, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::SignedIn).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        let extras = extras.unwrap_or_default();
        server::create(&state()?.db, &user, &title, &description, priority, requester, extras).await
    })
    .await
}

#[server(endpoint = "tickets/list", input = Json)]
pub async fn list_tickets(filter: TicketFilter) -> Result<TicketPage, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        server::list(&state()?.db, &user, filter).await
    })
    .await
}

#[server(endpoint = "tickets/get", input = Json)]
pub async fn get_ticket(number: TicketNumber) -> Result<TicketDetail, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::SignedIn).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        server::get(&state()?.db, &user, number).await
    })
    .await
}

/// Applies a patch if nobody saved a newer version in between.
#[server(endpoint = "tickets/update", input = Json)]
pub async fn update_ticket(number: TicketNumber, patch: TicketPatch) -> Result<TicketDetail, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        let db = state()?.db;
        server::update(&db, &user, number, patch).await?;
        server::get(&db, &user, number).await
    })
    .await
}

/// Adds a public reply or (staff only) an internal note.
#[server(endpoint = "tickets/comment", input = Json)]
pub async fn add_comment(
    number: TicketNumber,
    body: String,
    internal: bool,
    // Ids of files uploaded while writing (see `POST /desk/tickets/{number}/attachments`).
    #[server(default)] attachments: Vec<uuid::Uuid>,
) -> Result<TicketDetail, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::SignedIn).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        let db = state()?.db;
        server::comment(&db, &user, number, &body, internal, &attachments).await?;
        server::get(&db, &user, number).await
    })
    .await
}

/// Finds tickets by number, words from titles, descriptions and comments, and
/// fuzzy title matches (for the command palette).
#[server(endpoint = "tickets/search", input = Json)]
pub async fn search_tickets(query: String) -> Result<Vec<SearchHit>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::DeskView).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        let q = query.trim();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        if q.chars().count() > 200 {
            return Err(AppError::field("query", "Search for at most 200 characters."));
        }
        let db = state()?.db;
        let mut hits = Vec::new();
        if let Some(n) = TicketNumber::parse(q) {
            hits.extend(super::repo::hit_by_number(&db, n).await?);
        }
        for h in super::repo::search(&db, q, true, 20).await? {
            if !hits.iter().any(|x: &SearchHit| x.number == h.number) {
                hits.push(h);
            }
        }
        Ok(hits)
    })
    .await
}

/// How many tickets match a view (exact up to 100,000).
#[server(endpoint = "tickets/count", input = Json)]
pub async fn count_tickets(filter: TicketFilter) -> Result<TicketCount, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        server::count(&state()?.db, &user, &filter, 100_000).await
    })
    .await
}

/// Changes many tickets at once: one audit entry and timeline entry per ticket.
/// Over 10,000 matching tickets it runs as a job (see `tickets/bulk_progress`).
#[server(endpoint = "tickets/bulk_update", input = Json)]
pub async fn bulk_update(target: BulkTarget, changes: BulkChanges) -> Result<BulkOutcome, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        server::bulk(&state()?.db, &user, target, changes).await
    })
    .await
}

#[server(endpoint = "tickets/bulk_progress", input = Json)]
pub async fn bulk_progress(job: i64) -> Result<BulkOutcome, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        server::bulk_progress(&state()?.db, &user, job).await
    })
    .await
}

/// Starts or stops `user` (default: the caller) following a ticket. Watchers are
/// staff; agents may add any active agent.
#[server(endpoint = "tickets/watch", input = Json)]
pub async fn watch_ticket(
    number: TicketNumber,
    user: Option<crate::auth::model::UserId>,
    watching: bool,
) -> Result<Vec<Watcher>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let me = require(Permission::DeskView).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        server::watch(&state()?.db, &me, number, user.unwrap_or(me.id), watching).await
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod server;
