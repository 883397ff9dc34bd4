//! Server functions for teams and membership.
use super::model::{Team, TeamId};
use crate::auth::model::UserId;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "teams/list", input = Json)]
pub async fn list_teams() -> Result<Vec<Team>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::DirectoryView).await?;
        Ok(super::repo::list(&state()?.db).await?)
    })
    .await
}

#[server(endpoint = "teams/create", input = Json)]
pub async fn create_team(name: String, description: String) -> Result<TeamId, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::TeamsManage).await?;
        server::save(&state()?.db, &user, None, &name, &description).await
    })
    .await
}

#[server(endpoint = "teams/update", input = Json)]
pub async fn update_team(id: TeamId, name: String, description: String) -> Result<TeamId, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::TeamsManage).await?;
        server::save(&state()?.db, &user, Some(id), &name, &description).await
    })
    .await
}

#[server(endpoint = "teams/delete", input = Json)]
pub async fn delete_team(id: TeamId) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::TeamsManage).await?;
        server::delete(&state()?.db, &user, id).await
    })
    .await
}

#[server(endpoint = "teams/set_member", input = Json)]
pub async fn set_team_member(team: TeamId, user_id: UserId, member: bool) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::TeamsManage).await?;
        server::set_member(&state()?.db, &user, team, user_id, member).await
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::super::model::{parse_team_name, TeamId};
    use super::super::repo;
    use crate::audit::repo::{record, Actor};
    use crate::auth::model::{CurrentUser, Permission, UserId};
    use crate::error::{on_constraint, AppError, AppResult};
    use crate::live::{repo::publish, Audience, LiveEvent};
    use serde_json::json;
    use sqlx::PgPool;

    const NAME_TAKEN: [(&str, &str, &str); 1] = [("teams_name_key", "name", "A team with this name already exists.")];

    fn staff() -> Audience {
        Audience::WithPermission { permission: Permission::DirectoryView }
    }

    pub async fn save(
        db: &PgPool,
        user: &CurrentUser,
        id: Option<TeamId>,
        name: &str,
        description: &str,
    ) -> AppResult<TeamId> {
        let name = parse_team_name(name).map_err(|m| AppError::field("name", m))?;
        let description = description.trim();
        if description.chars().count() > 500 {
            return Err(AppError::field("description", "Use at most 500 characters."));
        }
        let after = json!({ "name": name, "description": description });
        let mut tx = db.begin().await?;
        let id = match id {
            None => {
                let id = repo::insert(&mut *tx, &name, description).await.map_err(|e| on_constraint(e, &NAME_TAKEN))?;
                record(&mut *tx, &Actor::user(user), "team.create", "team", &id.to_string(), None, Some(&after))
                    .await?;
                id
            }
            Some(id) => {
                let (old_name, old_desc) =
                    repo::find(&mut *tx, id).await?.ok_or_else(|| AppError::NotFound("Team".into()))?;
                repo::update(&mut *tx, id, &name, description).await.map_err(|e| on_constraint(e, &NAME_TAKEN))?;
                let before = json!({ "name": old_name, "description": old_desc });
                record(
                    &mut *tx,
                    &Actor::user(user),
                    "team.update",
                    "team",
                    &id.to_string(),
                    Some(&before),
                    Some(&after),
                )
                .await?;
                id
            }
        };
        publish(&mut *tx, staff(), LiveEvent::TeamChanged { team_id: id.0 }).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn delete(db: &PgPool, user: &CurrentUser, id: TeamId) -> AppResult<()> {
        let mut tx = db.begin().await?;
        let (name, desc) = repo::find(&mut *tx, id).await?.ok_or_else(|| AppError::NotFound("Team".into()))?;
        repo::delete(&mut *tx, id).await?;
        let before = json!({ "name": name, "description": desc });
        record(&mut *tx, &Actor::user(user), "team.delete", "team", &id.to_string(), Some(&before), None).await?;
        publish(&mut *tx, staff(), LiveEvent::TeamChanged { team_id: id.0 }).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_member(
        db: &PgPool,
        user: &CurrentUser,
        team: TeamId,
        member_id: UserId,
        member: bool,
    ) -> AppResult<()> {
        let mut tx = db.begin().await?;
        repo::find(&mut *tx, team).await?.ok_or_else(|| AppError::NotFound("Team".into()))?;
        let changed = if member {
            repo::add_member(&mut *tx, team, member_id).await.map_err(|e| match &e {
                sqlx::Error::Database(d) if d.is_foreign_key_violation() => AppError::NotFound("User".into()),
                _ => AppError::from(e),
            })?
        } else {
            repo::remove_member(&mut *tx, team, member_id).await?
        };
        if changed {
            let action = if member { "team.member_add" } else { "team.member_remove" };
            let after = json!({ "user_id": member_id });
            record(&mut *tx, &Actor::user(user), action, "team", &team.to_string(), None, Some(&after)).await?;
            publish(&mut *tx, staff(), LiveEvent::TeamChanged { team_id: team.0 }).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
