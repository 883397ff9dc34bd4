//! Server functions of the agent console: saved views, tabs and reply drafts.
//! Tabs and drafts belong to the caller alone; nobody reads another's.
use super::model::{DeskTab, Draft, SavedView};
use crate::error::AppError;
use crate::tickets::model::TicketNumber;
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
        Ok(super::repo::list_views(&state()?.db, user.id, user.can(Permission::ViewsShare)).await?)
    })
    .await
}

/// Creates (no `id`) or changes a saved view. Shared views need ViewsShare; a
/// personal view belongs to its author only.
#[server(endpoint = "desk/save_view", input = Json)]
pub async fn save_view(
    id: Option<uuid::Uuid>,
    name: String,
    shared: bool,
    filter: crate::tickets::model::TicketFilter,
) -> Result<SavedView, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::ServiceDesk).await?;
        server::save_view(&state()?.db, &user, id, &name, shared, filter).await
    })
    .await
}

#[server(endpoint = "desk/delete_view", input = Json)]
pub async fn delete_view(id: uuid::Uuid) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::ServiceDesk).await?;
        server::delete_view(&state()?.db, &user, id).await
    })
    .await
}

/// The caller's open tabs, in order.
#[server(endpoint = "desk/tabs", input = Json)]
pub async fn list_tabs() -> Result<Vec<DeskTab>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::ServiceDesk).await?;
        Ok(super::repo::tabs(&state()?.db, user.id).await?)
    })
    .await
}

/// Opens a ticket as a tab (a no-op when it is open); returns the tabs.
#[server(endpoint = "desk/open_tab", input = Json)]
pub async fn open_tab(number: TicketNumber) -> Result<Vec<DeskTab>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::ServiceDesk).await?;
        server::open(&state()?.db, user.id, number).await
    })
    .await
}

/// Closes a tab and discards its draft; returns the tabs.
#[server(endpoint = "desk/close_tab", input = Json)]
pub async fn close_tab(number: TicketNumber) -> Result<Vec<DeskTab>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::ServiceDesk).await?;
        let db = state()?.db;
        let id = server::ticket_id(&db, number).await?;
        let mut conn = db.acquire().await?;
        super::repo::close_tab(&mut conn, user.id, id).await?;
        Ok(super::repo::tabs(&mut *conn, user.id).await?)
    })
    .await
}

/// Moves a tab to `position` (0 = first ticket tab); returns the tabs.
#[server(endpoint = "desk/move_tab", input = Json)]
pub async fn move_tab(number: TicketNumber, position: u16) -> Result<Vec<DeskTab>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::ServiceDesk).await?;
        let db = state()?.db;
        let id = server::ticket_id(&db, number).await?;
        super::repo::move_tab(&db, user.id, id, position as i32).await?;
        Ok(super::repo::tabs(&db, user.id).await?)
    })
    .await
}

/// The caller's unsent reply on a ticket, if any.
#[server(endpoint = "desk/draft", input = Json)]
pub async fn get_draft(number: TicketNumber) -> Result<Option<Draft>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::ServiceDesk).await?;
        let db = state()?.db;
        let id = server::ticket_id(&db, number).await?;
        Ok(super::repo::draft(&db, user.id, id).await?)
    })
    .await
}

/// Saves the reply being typed; an empty body deletes the draft.
#[server(endpoint = "desk/save_draft", input = Json)]
pub async fn save_draft(number: TicketNumber, body: String, internal: bool) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::ServiceDesk).await?;
        if body.len() > 100_000 {
            return Err(AppError::field("body", "Keep replies under 100,000 characters."));
        }
        let db = state()?.db;
        let id = server::ticket_id(&db, number).await?;
        let typing = !body.trim().is_empty();
        if typing {
            super::repo::save_draft(&db, user.id, id, &body, internal).await?;
        } else {
            super::repo::delete_draft(&db, user.id, id).await?;
        }
        // The autosave is what tells the other agents on the ticket "is replying…".
        crate::presence::api::server::typing(&db, user.id, id, number, typing).await
    })
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::audit::repo::{record, Actor};
    use crate::auth::model::{CurrentUser, Permission, UserId};
    use crate::desk::{model::MAX_TABS, repo};
    use crate::error::AppResult;
    use crate::tickets::model::{TicketFilter, TicketId};
    use sqlx::PgPool;

    /// May `user` change this view? (Own views, or shared ones with ViewsShare.)
    async fn check_view_owner(db: &PgPool, user: &CurrentUser, id: uuid::Uuid) -> AppResult<Option<UserId>> {
        let owner = repo::view_owner(db, id).await?.ok_or_else(|| AppError::NotFound("Saved view".into()))?;
        match owner {
            Some(o) if o == user.id => Ok(owner),
            // Someone else's personal view: as if it did not exist.
            Some(_) => Err(AppError::NotFound("Saved view".into())),
            None if user.can(Permission::ViewsShare) => Ok(None),
            None => Err(AppError::Forbidden),
        }
    }

    pub async fn save_view(
        db: &PgPool,
        user: &CurrentUser,
        id: Option<uuid::Uuid>,
        name: &str,
        shared: bool,
        mut filter: TicketFilter,
    ) -> AppResult<SavedView> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(AppError::field("name", "Give the view a name of 1 to 80 characters."));
        }
        if shared && !user.can(Permission::ViewsShare) {
            return Err(AppError::Forbidden);
        }
        filter.after = None;
        let doc = serde_json::to_value(&filter).map_err(|_| AppError::Internal)?;
        let owner = (!shared).then_some(user.id);
        let mut tx = db.begin().await?;
        let (id, before) = match id {
            Some(id) => {
                check_view_owner(db, user, id).await?;
                let before = repo::view_doc(&mut *tx, id).await?;
                repo::update_view(&mut *tx, id, name, owner, &doc).await?;
                (id, before)
            }
            None => (repo::insert_view(&mut *tx, name, owner, &doc).await?, None),
        };
        let after = serde_json::json!({ "name": name, "shared": shared, "filter": doc });
        record(&mut *tx, &Actor::user(user), "view.save", "saved_view", &id.to_string(), before.as_ref(), Some(&after))
            .await?;
        tx.commit().await?;
        let views = repo::list_views(db, user.id, user.can(Permission::ViewsShare)).await?;
        views.into_iter().find(|v| v.id == id).ok_or(AppError::Internal)
    }

    pub async fn delete_view(db: &PgPool, user: &CurrentUser, id: uuid::Uuid) -> AppResult<()> {
        check_view_owner(db, user, id).await?;
        let mut tx = db.begin().await?;
        let before = repo::view_doc(&mut *tx, id).await?;
        repo::delete_view(&mut *tx, id).await?;
        record(&mut *tx, &Actor::user(user), "view.delete", "saved_view", &id.to_string(), before.as_ref(), None)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn ticket_id(db: &PgPool, number: TicketNumber) -> AppResult<TicketId> {
        crate::tickets::repo::id_of(db, number).await?.ok_or_else(|| AppError::NotFound(number.to_string()))
    }

    pub async fn open(db: &PgPool, user: UserId, number: TicketNumber) -> AppResult<Vec<DeskTab>> {
        let id = ticket_id(db, number).await?;
        let mut tx = db.begin().await?;
        // One opener at a time per user, so the tab limit holds under double clicks.
        repo::lock_tabs(&mut *tx, user).await?;
        if repo::open_tab(&mut *tx, user, id).await?
            && repo::count_tabs(&mut *tx, user).await? > MAX_TABS
            && !repo::close_oldest_clean_tab(&mut *tx, user, id).await?
        {
            return Err(AppError::Conflict(format!(
                "{MAX_TABS} tabs are open and each has an unsent reply. Send or discard one first."
            )));
        }
        let tabs = repo::tabs(&mut *tx, user).await?;
        tx.commit().await?;
        Ok(tabs)
    }
}
