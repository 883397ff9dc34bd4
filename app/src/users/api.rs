//! Server functions for user administration.
use super::model::{CreatedUser, UserPage, UserQuery, UserSummary};
use crate::auth::model::{Role, UserId};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Active staff who can take tickets, by name (for assignment pickers).
#[server(endpoint = "users/agents", input = Json)]
pub async fn list_agents() -> Result<Vec<super::model::AgentName>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::DirectoryView).await?;
        Ok(super::repo::agents(&state()?.db).await?)
    })
    .await
}

#[server(endpoint = "users/list", input = Json)]
pub async fn list_users(query: UserQuery) -> Result<UserPage, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::DirectoryView).await?;
        let st = state()?;
        let search = Some(query.search.trim()).filter(|s| !s.is_empty());
        let limit = super::model::USER_PAGE_SIZE;
        let mut users = super::repo::list(
            &st.db,
            search,
            query.role,
            query.include_inactive,
            query.after_email.as_deref(),
            limit + 1,
        )
        .await?;
        let next = (users.len() as i64 > limit).then(|| {
            users.truncate(limit as usize);
            users.last().map(|u| u.email.clone())
        });
        Ok(UserPage { users, next_after_email: next.flatten() })
    })
    .await
}

/// Creates a local account. With an empty password the answer carries a one-time
/// invitation link with which the user sets their own.
#[server(endpoint = "users/create", input = Json)]
pub async fn create_user(
    email: String,
    display_name: String,
    role: Role,
    password: String,
) -> Result<CreatedUser, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let admin = require(Permission::UsersManage).await?;
        server::create(&state()?.db, &admin, &email, &display_name, role, &password).await
    })
    .await
}

#[server(endpoint = "users/update", input = Json)]
pub async fn update_user(id: UserId, email: String, display_name: String, role: Role) -> Result<UserSummary, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let admin = require(Permission::UsersManage).await?;
        server::update(&state()?.db, &admin, id, &email, &display_name, role).await
    })
    .await
}

/// Deactivating signs the user out everywhere at once.
#[server(endpoint = "users/set_active", input = Json)]
pub async fn set_user_active(id: UserId, active: bool) -> Result<UserSummary, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let admin = require(Permission::UsersManage).await?;
        server::set_active(&state()?.db, &admin, id, active).await
    })
    .await
}

/// A fresh invitation link for an existing user (earlier links stop working).
#[server(endpoint = "users/invite", input = Json)]
pub async fn invite_user(id: UserId) -> Result<String, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let admin = require(Permission::UsersManage).await?;
        let st = state()?;
        let mut tx = st.db.begin().await?;
        let user = super::repo::find_by_id(&mut *tx, id).await?.ok_or_else(|| AppError::NotFound("User".into()))?;
        if !user.active {
            return Err(AppError::Conflict("Reactivate the account before inviting it.".into()));
        }
        let path = server::issue_invitation(&mut tx, &admin, id).await?;
        tx.commit().await?;
        Ok(path)
    })
    .await
}

/// Sets a new password for someone else and signs them out everywhere.
#[server(endpoint = "users/reset_password", input = Json)]
pub async fn reset_user_password(id: UserId, password: String) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let admin = require(Permission::UsersManage).await?;
        server::reset_password(&state()?.db, &admin, id, &password).await
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::super::model::{parse_display_name, CreatedUser, EmailAddress, UserSummary};
    use super::super::repo;
    use crate::audit::repo::{record, Actor};
    use crate::auth::model::{CurrentUser, Permission, Role, UserId};
    use crate::auth::{password, repo as auth_repo};
    use crate::error::{on_constraint, AppError, AppResult};
    use crate::live::{repo::publish, Audience, LiveEvent};
    use sqlx::PgPool;

    const EMAIL_TAKEN: [(&str, &str, &str); 1] =
        [("users_email_key", "email", "Another account already uses this email.")];

    fn snapshot(u: &UserSummary) -> serde_json::Value {
        serde_json::json!({ "email": u.email, "display_name": u.display_name, "role": u.role, "active": u.active })
    }

    fn staff() -> Audience {
        Audience::WithPermission { permission: Permission::DirectoryView }
    }

    pub async fn create(
        db: &PgPool,
        admin: &CurrentUser,
        email: &str,
        display_name: &str,
        role: Role,
        pw: &str,
    ) -> AppResult<CreatedUser> {
        let email = EmailAddress::parse(email).map_err(|m| AppError::field("email", m))?;
        let name = parse_display_name(display_name).map_err(|m| AppError::field("display_name", m))?;
        let hash = if pw.is_empty() {
            None
        } else {
            password::check_strength(pw).map_err(|m| AppError::field("password", m))?;
            Some(password::hash_async(pw.to_string()).await?)
        };
        let mut tx = db.begin().await?;
        let id = repo::insert(&mut *tx, email.as_str(), &name, role, hash.as_deref())
            .await
            .map_err(|e| on_constraint(e, &EMAIL_TAKEN))?;
        let user = repo::find_by_id(&mut *tx, id).await?.ok_or(AppError::Internal)?;
        record(&mut *tx, &Actor::user(admin), "user.create", "user", &id.to_string(), None, Some(&snapshot(&user)))
            .await?;
        let invite_path = match hash {
            None => Some(issue_invitation(&mut tx, admin, id).await?),
            Some(_) => None,
        };
        publish(&mut *tx, staff(), LiveEvent::UserChanged { user_id: id }).await?;
        tx.commit().await?;
        Ok(CreatedUser { user, invite_path })
    }

    /// Stores a new invitation for `id` and returns its link path.
    pub async fn issue_invitation(tx: &mut sqlx::PgConnection, admin: &CurrentUser, id: UserId) -> AppResult<String> {
        use crate::auth::guard::{hash_token, new_token};
        let token = new_token();
        let expires = chrono::Utc::now() + chrono::Duration::days(crate::auth::model::INVITATION_DAYS);
        auth_repo::insert_invitation(&mut *tx, &hash_token(&token), id, admin.id, expires).await?;
        record(&mut *tx, &Actor::user(admin), "user.invite", "user", &id.to_string(), None, None).await?;
        Ok(format!("/invite/{token}"))
    }

    /// Refuses changes that would leave the workspace without an active admin.
    async fn guard_last_admin(tx: &mut sqlx::PgConnection, before: &UserSummary, still_admin: bool) -> AppResult<()> {
        if before.role == Role::Admin
            && before.active
            && !still_admin
            && auth_repo::count_active_admins(&mut *tx).await? <= 1
        {
            return Err(AppError::Conflict(
                "This is the last active administrator; make someone else an administrator first.".into(),
            ));
        }
        Ok(())
    }

    pub async fn update(
        db: &PgPool,
        admin: &CurrentUser,
        id: UserId,
        email: &str,
        display_name: &str,
        role: Role,
    ) -> AppResult<UserSummary> {
        let email = EmailAddress::parse(email).map_err(|m| AppError::field("email", m))?;
        let name = parse_display_name(display_name).map_err(|m| AppError::field("display_name", m))?;
        let (mut tx, before) = begin_change(db, id).await?;
        guard_last_admin(&mut tx, &before, role == Role::Admin).await?;
        repo::update(&mut *tx, id, email.as_str(), &name, role).await.map_err(|e| on_constraint(e, &EMAIL_TAKEN))?;
        let action = if before.role != role { "user.role_change" } else { "user.update" };
        finish_change(tx, admin, action, before).await
    }

    pub async fn set_active(db: &PgPool, admin: &CurrentUser, id: UserId, active: bool) -> AppResult<UserSummary> {
        if id == admin.id && !active {
            return Err(AppError::Conflict("You cannot deactivate your own account.".into()));
        }
        let (mut tx, before) = begin_change(db, id).await?;
        if !active {
            guard_last_admin(&mut tx, &before, false).await?;
        }
        repo::set_active(&mut *tx, id, active).await?;
        if !active {
            auth_repo::delete_sessions_of_user(&mut *tx, id).await?;
            publish(&mut *tx, Audience::User { user_id: id }, LiveEvent::SessionsRevoked { user_id: id }).await?;
        }
        finish_change(tx, admin, if active { "user.activate" } else { "user.deactivate" }, before).await
    }

    /// Opens the transaction of an admin change and loads the user as it was.
    async fn begin_change(
        db: &PgPool,
        id: UserId,
    ) -> AppResult<(sqlx::Transaction<'static, sqlx::Postgres>, UserSummary)> {
        let mut tx = db.begin().await?;
        repo::lock_admin_changes(&mut *tx).await?;
        let before = repo::find_by_id(&mut *tx, id).await?.ok_or_else(|| AppError::NotFound("User".into()))?;
        Ok((tx, before))
    }

    /// Audits before/after, tells staff tabs, commits.
    async fn finish_change(
        mut tx: sqlx::Transaction<'static, sqlx::Postgres>,
        admin: &CurrentUser,
        action: &str,
        before: UserSummary,
    ) -> AppResult<UserSummary> {
        let id = before.id;
        let after = repo::find_by_id(&mut *tx, id).await?.ok_or(AppError::Internal)?;
        let (b, a) = (snapshot(&before), snapshot(&after));
        record(&mut *tx, &Actor::user(admin), action, "user", &id.to_string(), Some(&b), Some(&a)).await?;
        publish(&mut *tx, staff(), LiveEvent::UserChanged { user_id: id }).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn reset_password(db: &PgPool, admin: &CurrentUser, id: UserId, pw: &str) -> AppResult<()> {
        password::check_strength(pw).map_err(|m| AppError::field("password", m))?;
        let hash = password::hash_async(pw.to_string()).await?;
        let mut tx = db.begin().await?;
        repo::find_by_id(&mut *tx, id).await?.ok_or_else(|| AppError::NotFound("User".into()))?;
        auth_repo::update_password_hash(&mut *tx, id, &hash).await?;
        auth_repo::delete_sessions_of_user(&mut *tx, id).await?;
        publish(&mut *tx, Audience::User { user_id: id }, LiveEvent::SessionsRevoked { user_id: id }).await?;
        record(&mut *tx, &Actor::user(admin), "user.password_reset", "user", &id.to_string(), None, None).await?;
        tx.commit().await?;
        Ok(())
    }
}
