//! Server functions for signing in and out and for the user's own account.
use super::model::{CurrentUser, DemoAccount, InvitationInfo, Theme};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The signed-in user, or None. Anyone may ask.
#[server(endpoint = "auth/me", input = Json)]
pub async fn me() -> Result<Option<CurrentUser>, AppError> {
    super::guard::respond(super::guard::current_user()).await
}

/// Signs in with email and password; rotates the session id.
#[server(endpoint = "auth/login", input = Json)]
pub async fn login(email: String, password: String) -> Result<CurrentUser, AppError> {
    super::guard::respond(server::login(email, password)).await
}

/// Ends the current session (a no-op when signed out).
#[server(endpoint = "auth/logout", input = Json)]
pub async fn logout() -> Result<(), AppError> {
    use super::guard::*;
    respond(async {
        let st = state()?;
        if let Some(token) = request_token() {
            super::repo::delete_session(&st.db, &hash_token(&token)).await?;
        }
        clear_session_cookie(st.config.secure_cookies);
        Ok(())
    })
    .await
}

/// Changes the caller's password and signs out every other session.
#[server(endpoint = "auth/change_password", input = Json)]
pub async fn change_password(current: String, new_password: String) -> Result<(), AppError> {
    use super::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::SignedIn).await?;
        server::change_password(&user, current, new_password).await
    })
    .await
}

#[server(endpoint = "auth/set_theme", input = Json)]
pub async fn set_theme(theme: Theme) -> Result<(), AppError> {
    use super::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::SignedIn).await?;
        super::repo::update_theme(&state()?.db, user.id, theme).await?;
        Ok(())
    })
    .await
}

/// Who an invitation link is for (None when invalid, used or expired). Anyone may ask:
/// the token itself is the secret.
#[server(endpoint = "auth/invitation", input = Json)]
pub async fn invitation(token: String) -> Result<Option<InvitationInfo>, AppError> {
    use super::guard::*;
    respond(async {
        let st = state()?;
        Ok(super::repo::find_open_invitation(&st.db, &hash_token(&token))
            .await?
            .map(|(_, email, display_name)| InvitationInfo { email, display_name }))
    })
    .await
}

/// Sets the invited user's password and signs them in.
#[server(endpoint = "auth/accept_invite", input = Json)]
pub async fn accept_invite(token: String, password: String) -> Result<CurrentUser, AppError> {
    super::guard::respond(server::accept_invite(token, password)).await
}

/// Demo accounts with their passwords — only ever non-empty in demo mode.
#[server(endpoint = "auth/demo_accounts", input = Json)]
pub async fn demo_accounts() -> Result<Vec<DemoAccount>, AppError> {
    use super::guard::*;
    respond(async {
        let st = state()?;
        Ok(if st.config.demo { super::demo::accounts() } else { Vec::new() })
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::super::guard::*;
    use super::super::model::{CurrentUser, UserId};
    use super::super::{password, repo};
    use crate::audit::repo::{record, Actor};
    use crate::error::{AppError, AppResult};
    use chrono::Utc;

    /// Failed attempts allowed per window, per account and per client address.
    pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
    pub const MAX_FAILURES_PER_IP: i64 = 20;
    pub const FAILURE_WINDOW_MINUTES: i64 = 15;

    pub async fn login(email: String, password: String) -> AppResult<CurrentUser> {
        let st = state()?;
        let email = email.trim().to_lowercase();
        if email.is_empty() || password.is_empty() {
            return Err(AppError::invalid("Enter your email and password."));
        }
        if email.len() > 320 || password.len() > 1024 {
            return Err(AppError::invalid("Email or password is incorrect."));
        }
        let ip = client_ip();
        let since = Utc::now() - chrono::Duration::minutes(FAILURE_WINDOW_MINUTES);
        let (by_email, by_ip) = repo::count_failed_attempts(&st.db, &email, &ip, since).await?;
        if by_email >= MAX_FAILURES_PER_ACCOUNT {
            return Err(AppError::TooManyRequests(format!(
                "Too many failed sign-in attempts for this account. Try again in {FAILURE_WINDOW_MINUTES} minutes."
            )));
        }
        if by_ip >= MAX_FAILURES_PER_IP {
            return Err(AppError::TooManyRequests(format!(
                "Too many failed sign-in attempts from your network. Try again in {FAILURE_WINDOW_MINUTES} minutes."
            )));
        }
        let row = repo::find_login_by_email(&st.db, &email).await?;
        let stored = row.as_ref().and_then(|r| r.password_hash.clone());
        let ok = password::verify_async(password, stored).await;
        let Some(row) = row.filter(|r| ok && r.active) else {
            repo::insert_login_attempt(&st.db, &email, &ip, false).await?;
            return Err(AppError::invalid("Email or password is incorrect."));
        };
        // Rotation: the old session (if any) ends, a new random id is issued.
        if let Some(old) = request_token() {
            repo::delete_session(&st.db, &hash_token(&old)).await?;
        }
        let mut tx = st.db.begin().await?;
        let user = start_session(&mut tx, row.id).await?;
        repo::clear_failed_attempts(&mut *tx, &email).await?;
        record(
            &mut *tx,
            &Actor::user(&user),
            "auth.login",
            "user",
            &user.id.to_string(),
            None,
            Some(&serde_json::json!({ "ip": ip })),
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Creates a session for `user` in `tx` and sets its cookie on the response.
    async fn start_session(tx: &mut sqlx::PgConnection, user: UserId) -> AppResult<CurrentUser> {
        let st = state()?;
        let token = new_token();
        let expires = Utc::now() + st.config.session_ttl;
        repo::insert_session(&mut *tx, &hash_token(&token), user, expires, &client_ip(), &user_agent()).await?;
        let current = repo::find_user_by_session(&mut *tx, &hash_token(&token)).await?.ok_or(AppError::Internal)?;
        set_session_cookie(&token, st.config.session_ttl.num_seconds(), st.config.secure_cookies);
        Ok(current)
    }

    pub async fn accept_invite(token: String, new_password: String) -> AppResult<CurrentUser> {
        let st = state()?;
        let invalid = || {
            AppError::invalid("This invitation link is invalid, used or expired. Ask an administrator for a new one.")
        };
        let th = hash_token(&token);
        let (user_id, _, _) = repo::find_open_invitation(&st.db, &th).await?.ok_or_else(invalid)?;
        password::check_strength(&new_password).map_err(|m| AppError::field("password", m))?;
        let hash = password::hash_async(new_password).await?;
        let mut tx = st.db.begin().await?;
        if !repo::use_invitation(&mut *tx, &th).await? {
            return Err(invalid());
        }
        repo::update_password_hash(&mut *tx, user_id, &hash).await?;
        repo::delete_sessions_of_user(&mut *tx, user_id).await?;
        let user = start_session(&mut tx, user_id).await?;
        record(&mut *tx, &Actor::user(&user), "user.invitation_accept", "user", &user_id.to_string(), None, None)
            .await?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn change_password(user: &CurrentUser, current: String, new_password: String) -> AppResult<()> {
        let st = state()?;
        password::check_strength(&new_password).map_err(|m| AppError::field("new_password", m))?;
        let stored = repo::find_password_hash(&st.db, user.id).await?;
        if !password::verify_async(current, stored).await {
            return Err(AppError::field("current", "The current password is incorrect."));
        }
        let hash = password::hash_async(new_password).await?;
        let mut tx = st.db.begin().await?;
        repo::update_password_hash(&mut *tx, user.id, &hash).await?;
        repo::delete_sessions_of_user(&mut *tx, user.id).await?;
        record(&mut *tx, &Actor::user(user), "user.password_change", "user", &user.id.to_string(), None, None).await?;
        // Keep this browser signed in with a fresh session.
        start_session(&mut tx, user.id).await?;
        tx.commit().await?;
        Ok(())
    }
}
