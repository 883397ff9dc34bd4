//! Server functions for macros. Every agent sees the shared macros and their own;
//! someone else's personal macro answers 404, as if it did not exist. Shared macros
//! are created, changed and deleted with MacrosShare.
use super::model::{Macro, MacroApplied, MacroInput};
use crate::error::AppError;
use crate::tickets::model::TicketNumber;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The macros the caller can apply: shared ones and their own, by name.
#[server(endpoint = "macros/list", input = Json)]
pub async fn list_macros() -> Result<Vec<Macro>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::ServiceDesk).await?;
        Ok(super::repo::list(&state()?.db, user.id, user.can(Permission::MacrosShare)).await?)
    })
    .await
}

/// Creates (no `id`) or changes a macro. Unknown placeholders, statuses, tags or
/// assignees are refused and nothing is saved.
#[server(endpoint = "macros/save", input = Json)]
pub async fn save_macro(input: MacroInput) -> Result<Macro, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::ServiceDesk).await?;
        server::save(&state()?.db, &user, input).await
    })
    .await
}

#[server(endpoint = "macros/delete", input = Json)]
pub async fn delete_macro(id: uuid::Uuid) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::ServiceDesk).await?;
        server::delete(&state()?.db, &user, id).await
    })
    .await
}

/// Applies a macro to a ticket: its field changes are saved now (through the same
/// checks as any edit, refused when the ticket changed after `version`), and its
/// text is rendered for the reply box, where the agent reviews and sends it.
#[server(endpoint = "macros/apply", input = Json)]
pub async fn apply_macro(id: uuid::Uuid, number: TicketNumber, version: i32) -> Result<MacroApplied, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::ServiceDesk).await?;
        server::apply(&state()?.db, &user, id, number, version).await
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::audit::repo::{record, Actor};
    use crate::auth::model::{CurrentUser, Permission, UserId};
    use crate::error::AppResult;
    use crate::macros::model::{check_placeholders, MacroActions, MacroAssignee, PlaceholderValues, MAX_BODY};
    use crate::macros::repo::{self, MacroRow};
    use crate::tickets::model::{Ticket, TicketPatch};
    use crate::tickets::rules::normalize_tags;
    use sqlx::PgPool;

    fn not_found() -> AppError {
        AppError::NotFound("Macro".into())
    }

    /// May `user` change this macro? (Own macros, or shared ones with MacrosShare.)
    async fn check_owner(db: &PgPool, user: &CurrentUser, id: uuid::Uuid) -> AppResult<()> {
        match repo::owner(db, id).await?.ok_or_else(not_found)? {
            Some(o) if o == user.id => Ok(()),
            // Someone else's personal macro: as if it did not exist.
            Some(_) => Err(not_found()),
            None if user.can(Permission::MacrosShare) => Ok(()),
            None => Err(AppError::Forbidden),
        }
    }

    /// Checks and normalises a macro before anything is written.
    async fn validate(db: &PgPool, input: &mut MacroInput) -> AppResult<()> {
        input.name = input.name.trim().to_string();
        if input.name.is_empty() || input.name.chars().count() > 80 || input.name.chars().any(char::is_control) {
            return Err(AppError::field("name", "Give the macro a name of 1 to 80 characters."));
        }
        if input.body.chars().count() > MAX_BODY {
            return Err(AppError::field("body", "Keep the text under 20,000 characters."));
        }
        if let Some(message) = check_placeholders(&input.body) {
            return Err(AppError::field("body", message));
        }
        let a = &mut input.actions;
        if input.body.trim().is_empty() && a.is_empty() {
            return Err(AppError::field("body", "Write a text or choose at least one field change."));
        }
        if let Some(s) = &a.status {
            let workflow = crate::tickets::repo::load_workflow(db).await?;
            if !workflow.statuses.iter().any(|x| &x.key == s) {
                return Err(AppError::field("status", format!("There is no status \"{s}\".")));
            }
        }
        a.add_tags = normalize_tags(&a.add_tags).map_err(|m| AppError::field("add_tags", m))?;
        if let Some(MacroAssignee::User(id)) = a.assignee {
            let ok = crate::users::repo::find_by_id(db, id)
                .await?
                .is_some_and(|u| u.active && u.role.grants(Permission::DeskView));
            if !ok {
                return Err(AppError::field("assignee", "Macros can only assign to active agents."));
            }
        }
        Ok(())
    }

    fn unique_name(e: sqlx::Error, name: &str) -> AppError {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                AppError::field("name", format!("A macro named \"{name}\" already exists."))
            }
            _ => AppError::from(e),
        }
    }

    pub async fn save(db: &PgPool, user: &CurrentUser, mut input: MacroInput) -> AppResult<Macro> {
        if input.shared && !user.can(Permission::MacrosShare) {
            return Err(AppError::Forbidden);
        }
        if let Some(id) = input.id {
            check_owner(db, user, id).await?;
        }
        validate(db, &mut input).await?;
        let actions = serde_json::to_value(&input.actions).map_err(|_| AppError::Internal)?;
        let row = || MacroRow {
            name: &input.name,
            body: &input.body,
            internal: input.internal,
            owner: (!input.shared).then_some(user.id),
            actions: &actions,
        };
        let mut tx = db.begin().await?;
        let (id, before, action) = match input.id {
            Some(id) => {
                let before = repo::doc(&mut *tx, id).await?;
                repo::update(&mut *tx, id, row()).await.map_err(|e| unique_name(e, &input.name))?;
                (id, before, "macro.update")
            }
            None => {
                let id = repo::insert(&mut *tx, row(), user.id).await.map_err(|e| unique_name(e, &input.name))?;
                (id, None, "macro.create")
            }
        };
        let after = repo::doc(&mut *tx, id).await?;
        record(&mut *tx, &Actor::user(user), action, "macro", &id.to_string(), before.as_ref(), after.as_ref()).await?;
        tx.commit().await?;
        let list = repo::list(db, user.id, user.can(Permission::MacrosShare)).await?;
        list.into_iter().find(|m| m.id == id).ok_or(AppError::Internal)
    }

    pub async fn delete(db: &PgPool, user: &CurrentUser, id: uuid::Uuid) -> AppResult<()> {
        check_owner(db, user, id).await?;
        let mut tx = db.begin().await?;
        let before = repo::doc(&mut *tx, id).await?;
        repo::delete(&mut *tx, id).await?;
        record(&mut *tx, &Actor::user(user), "macro.delete", "macro", &id.to_string(), before.as_ref(), None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The ticket change a macro makes on `ticket` (None when it changes nothing).
    fn patch_for(actions: &MacroActions, ticket: &Ticket, user: UserId, version: i32) -> Option<TicketPatch> {
        let mut p = TicketPatch { version, ..Default::default() };
        p.status = actions.status.clone().filter(|s| *s != ticket.status);
        p.priority = actions.priority.filter(|x| *x != ticket.priority);
        p.assignee = match actions.assignee {
            None => None,
            Some(MacroAssignee::Me) => Some(Some(user)),
            Some(MacroAssignee::Unassigned) => Some(None),
            Some(MacroAssignee::User(u)) => Some(Some(u)),
        }
        .filter(|a| *a != ticket.assignee_id);
        let new_tags: Vec<String> = actions.add_tags.iter().filter(|t| !ticket.tags.contains(t)).cloned().collect();
        if !new_tags.is_empty() {
            p.tags = Some(ticket.tags.iter().cloned().chain(new_tags).collect());
        }
        let unchanged = p.status.is_none() && p.priority.is_none() && p.assignee.is_none() && p.tags.is_none();
        (!unchanged).then_some(p)
    }

    pub async fn apply(
        db: &PgPool,
        user: &CurrentUser,
        id: uuid::Uuid,
        number: TicketNumber,
        version: i32,
    ) -> AppResult<MacroApplied> {
        let m = repo::visible(db, user.id, id).await?.ok_or_else(not_found)?;
        let mut tx = db.begin().await?;
        let gone = || AppError::NotFound(number.to_string());
        let id = crate::tickets::repo::id_of(&mut *tx, number).await?.ok_or_else(gone)?;
        // Locked before reading, so the patch is computed from the ticket it is
        // applied to; `update_in` refuses it if that is newer than `version`.
        crate::tickets::repo::lock(&mut *tx, id).await?;
        let ticket = crate::tickets::repo::find_by_number(&mut *tx, number).await?.ok_or_else(gone)?;
        let mut changed = Vec::new();
        if let Some(patch) = patch_for(&m.actions, &ticket, user.id, version) {
            changed = crate::tickets::api::server::update_in(db, &mut tx, user, number, &patch, "ticket.macro").await?;
        }
        // Rendered after the changes, so {{ticket.status}} says what the reply announces.
        let ticket = crate::tickets::repo::find_by_number(&mut *tx, number).await?.ok_or(AppError::Internal)?;
        let org = crate::settings::repo::load_branding(&mut *tx).await?.org_name;
        tx.commit().await?;
        let values = PlaceholderValues {
            requester_name: ticket.requester_name.clone(),
            requester_email: ticket.requester_email.clone(),
            ticket_number: ticket.number.to_string(),
            ticket_title: ticket.title.clone(),
            ticket_status: ticket.status_name.clone(),
            ticket_priority: ticket.priority.label().to_string(),
            agent_name: user.display_name.clone(),
            org_name: org,
        };
        Ok(MacroApplied {
            number,
            text: super::super::model::render(&m.body, &values),
            internal: m.internal,
            changed: changed.into_iter().map(String::from).collect(),
            version: ticket.version,
        })
    }
}
