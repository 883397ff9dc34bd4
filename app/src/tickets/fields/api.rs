//! Server functions for ticket classification: everyone signed in reads the
//! catalog (the portal needs categories); managers and admins (DeskConfigure)
//! change categories, custom fields, statuses and transitions. Every change is
//! audited and tells open consoles to reload.
use super::*;
use crate::error::AppError;
use crate::tickets::model::{StatusCategory, Workflow};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "tickets/catalog", input = Json)]
pub async fn get_catalog() -> Result<TicketCatalog, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::SignedIn).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        Ok(repo::load_catalog(&state()?.db).await?)
    })
    .await
}

/// Creates a category (no `id`) or renames, moves in the list, (de)activates one.
#[server(endpoint = "desk_config/save_category", input = Json)]
pub async fn save_category(
    id: Option<CategoryId>,
    parent: Option<CategoryId>,
    name: String,
    position: i32,
    active: bool,
) -> Result<TicketCatalog, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::DeskConfigure).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        server::save_category(&state()?.db, &user, id, parent, &name, position, active).await
    })
    .await
}

/// Deletes a category (and its subcategories) that no ticket uses.
#[server(endpoint = "desk_config/delete_category", input = Json)]
pub async fn delete_category(id: CategoryId) -> Result<TicketCatalog, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::DeskConfigure).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        server::delete_category(&state()?.db, &user, id).await
    })
    .await
}

/// Creates or changes a custom field. Its kind is fixed once created; fields are
/// deactivated rather than deleted, so values on old tickets stay readable.
#[server(endpoint = "desk_config/save_field", input = Json)]
pub async fn save_field(field: CustomField) -> Result<TicketCatalog, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::DeskConfigure).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        server::save_field(&state()?.db, &user, field).await
    })
    .await
}

/// Creates or renames a status, or moves it to another category (its tickets follow).
#[server(endpoint = "desk_config/save_status", input = Json)]
pub async fn save_status(
    key: String,
    name: String,
    category: StatusCategory,
    position: i32,
) -> Result<Workflow, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::DeskConfigure).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        server::save_status(&state()?.db, &user, &key, &name, category, position).await
    })
    .await
}

/// Deletes a status no ticket is in (not the ones Helios itself moves tickets to).
#[server(endpoint = "desk_config/delete_status", input = Json)]
pub async fn delete_status(key: String) -> Result<Workflow, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::DeskConfigure).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        server::delete_status(&state()?.db, &user, &key).await
    })
    .await
}

/// Sets the statuses a ticket may move to from `from`.
#[server(endpoint = "desk_config/set_transitions", input = Json)]
pub async fn set_transitions(from: String, to: Vec<String>) -> Result<Workflow, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::DeskConfigure).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        server::set_transitions(&state()?.db, &user, &from, to).await
    })
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::super::repo;
    use super::*;
    use crate::audit::repo::{record, Actor};
    use crate::auth::model::{CurrentUser, Permission};
    use crate::error::AppResult;
    use crate::live::{repo::publish, Audience, LiveEvent};
    use crate::tickets::repo::load_workflow;
    use serde_json::json;
    use sqlx::PgPool;

    /// Statuses Helios moves tickets into by itself; they can be renamed, not deleted.
    pub const BUILT_IN_STATUSES: [&str; 3] = ["new", "resolved", "closed"];

    async fn announce(tx: &mut sqlx::PgConnection) -> AppResult<()> {
        publish(&mut *tx, Audience::WithPermission { permission: Permission::DeskView }, LiveEvent::DeskConfigChanged)
            .await?;
        Ok(())
    }

    fn duplicate_to_field(e: sqlx::Error, field: &str, message: &str) -> AppError {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => AppError::field(field, message),
            _ => AppError::from(e),
        }
    }

    pub async fn save_category(
        db: &PgPool,
        user: &CurrentUser,
        id: Option<CategoryId>,
        parent: Option<CategoryId>,
        name: &str,
        position: i32,
        active: bool,
    ) -> AppResult<TicketCatalog> {
        let name = check_category_name(name).map_err(|m| AppError::field("name", m))?;
        let catalog = repo::load_catalog(db).await?;
        let mut tx = db.begin().await?;
        let dup = |e| duplicate_to_field(e, "name", "A category with this name already exists there.");
        let (action, target) = match id {
            None => {
                if let Some(p) = parent {
                    let ok = catalog.categories.iter().any(|c| c.id == p && c.parent.is_none());
                    if !ok {
                        return Err(AppError::field("parent", "Subcategories go under a top-level category."));
                    }
                }
                let id = repo::insert_category(&mut *tx, parent, &name, position).await.map_err(dup)?;
                ("ticket_category.create", id)
            }
            Some(id) => {
                if !repo::update_category(&mut *tx, id, &name, position, active).await.map_err(dup)? {
                    return Err(AppError::NotFound("category".into()));
                }
                ("ticket_category.update", id)
            }
        };
        let after = json!({ "name": name, "parent": parent, "position": position, "active": active });
        record(&mut *tx, &Actor::user(user), action, "ticket_category", &target.0.to_string(), None, Some(&after))
            .await?;
        announce(&mut tx).await?;
        tx.commit().await?;
        Ok(repo::load_catalog(db).await?)
    }

    pub async fn delete_category(db: &PgPool, user: &CurrentUser, id: CategoryId) -> AppResult<TicketCatalog> {
        let mut tx = db.begin().await?;
        let used = repo::category_use(&mut *tx, id).await?;
        if used > 0 {
            return Err(AppError::field(
                "category",
                format!("{used} tickets use this category; deactivate it instead so they keep it."),
            ));
        }
        if !repo::delete_category(&mut *tx, id).await? {
            return Err(AppError::NotFound("category".into()));
        }
        record(
            &mut *tx,
            &Actor::user(user),
            "ticket_category.delete",
            "ticket_category",
            &id.0.to_string(),
            None,
            None,
        )
        .await?;
        announce(&mut tx).await?;
        tx.commit().await?;
        Ok(repo::load_catalog(db).await?)
    }

    pub async fn save_field(db: &PgPool, user: &CurrentUser, field: CustomField) -> AppResult<TicketCatalog> {
        let field = check_definition(field).map_err(|(k, m)| AppError::field(&k, m))?;
        let catalog = repo::load_catalog(db).await?;
        let before = catalog.fields.iter().find(|f| f.key == field.key);
        if let Some(old) = before {
            if old.kind != field.kind {
                return Err(AppError::field(
                    "kind",
                    format!(
                        "\"{}\" is a {} field; its kind cannot change.",
                        old.label,
                        old.kind.label().to_lowercase()
                    ),
                ));
            }
        }
        let mut tx = db.begin().await?;
        repo::upsert_field(&mut *tx, &field).await?;
        let action = if before.is_some() { "ticket_field.update" } else { "ticket_field.create" };
        record(
            &mut *tx,
            &Actor::user(user),
            action,
            "ticket_field",
            &field.key,
            before.map(|b| json!(b)).as_ref(),
            Some(&json!(field)),
        )
        .await?;
        announce(&mut tx).await?;
        tx.commit().await?;
        Ok(repo::load_catalog(db).await?)
    }

    fn check_status_key(key: &str) -> AppResult<()> {
        let ok = !key.is_empty()
            && key.len() <= 40
            && key.starts_with(|c: char| c.is_ascii_lowercase())
            && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if ok {
            Ok(())
        } else {
            Err(AppError::field("key", "Use 1–40 lower-case letters, digits or _, starting with a letter."))
        }
    }

    pub async fn save_status(
        db: &PgPool,
        user: &CurrentUser,
        key: &str,
        name: &str,
        category: StatusCategory,
        position: i32,
    ) -> AppResult<Workflow> {
        check_status_key(key)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(AppError::field("name", "Give the status a name of up to 60 characters."));
        }
        let before = load_workflow(db).await?.statuses.into_iter().find(|s| s.key == key);
        if let Some(b) = &before {
            let fixed = match key {
                "new" => Some(StatusCategory::New),
                "resolved" => Some(StatusCategory::Resolved),
                "closed" => Some(StatusCategory::Closed),
                _ => None,
            };
            if fixed.is_some_and(|c| c != category) {
                return Err(AppError::field("category", format!("{} keeps its category.", b.name)));
            }
        }
        let mut tx = db.begin().await?;
        repo::upsert_status(&mut *tx, key, name, category, position).await?;
        let moved = repo::recategorise_tickets(&mut *tx, key, category).await?;
        let action = if before.is_some() { "ticket_status.update" } else { "ticket_status.create" };
        let after = json!({ "name": name, "category": category, "position": position, "tickets_moved": moved });
        record(
            &mut *tx,
            &Actor::user(user),
            action,
            "ticket_status",
            key,
            before.map(|b| json!(b)).as_ref(),
            Some(&after),
        )
        .await?;
        announce(&mut tx).await?;
        tx.commit().await?;
        Ok(load_workflow(db).await?)
    }

    pub async fn delete_status(db: &PgPool, user: &CurrentUser, key: &str) -> AppResult<Workflow> {
        if BUILT_IN_STATUSES.contains(&key) {
            return Err(AppError::field("key", "Helios moves tickets to this status itself; it cannot be deleted."));
        }
        let mut tx = db.begin().await?;
        let used = repo::status_use(&mut *tx, key).await?;
        if used > 0 {
            return Err(AppError::field("key", format!("{used} tickets are in this status; move them first.")));
        }
        if !repo::delete_status(&mut *tx, key).await? {
            return Err(AppError::NotFound(format!("status {key}")));
        }
        record(&mut *tx, &Actor::user(user), "ticket_status.delete", "ticket_status", key, None, None).await?;
        announce(&mut tx).await?;
        tx.commit().await?;
        Ok(load_workflow(db).await?)
    }

    pub async fn set_transitions(db: &PgPool, user: &CurrentUser, from: &str, to: Vec<String>) -> AppResult<Workflow> {
        let workflow = load_workflow(db).await?;
        let known = |k: &str| workflow.statuses.iter().any(|s| s.key == k);
        if !known(from) {
            return Err(AppError::NotFound(format!("status {from}")));
        }
        let mut to: Vec<String> = to.into_iter().filter(|t| t != from).collect();
        to.sort();
        to.dedup();
        if let Some(bad) = to.iter().find(|t| !known(t)) {
            return Err(AppError::field("to", format!("'{bad}' is not a status.")));
        }
        let before: Vec<&String> = workflow.transitions.iter().filter(|(f, _)| f == from).map(|(_, t)| t).collect();
        let mut tx = db.begin().await?;
        repo::set_transitions(&mut tx, from, &to).await?;
        record(
            &mut *tx,
            &Actor::user(user),
            "ticket_status.transitions",
            "ticket_status",
            from,
            Some(&json!(before)),
            Some(&json!(to)),
        )
        .await?;
        announce(&mut tx).await?;
        tx.commit().await?;
        Ok(load_workflow(db).await?)
    }
}
