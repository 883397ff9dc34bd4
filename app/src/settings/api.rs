//! Server functions for workspace settings (modules, labels, branding).
use super::model::{Entity, Module, PublicSettings};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{Json, MultipartData, MultipartFormData};

/// Branding, modules and labels: public, the login page needs them.
#[server(endpoint = "settings/public", input = Json)]
pub async fn get_public_settings() -> Result<PublicSettings, AppError> {
    use crate::auth::guard::{respond, state};
    respond(async {
        let st = state()?;
        server::load_public(&st.db, st.config.demo).await
    })
    .await
}

#[server(endpoint = "settings/set_module", input = Json)]
pub async fn set_module(module: Module, enabled: bool) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::SettingsManage).await?;
        let st = state()?;
        server::set_module(&st.db, &user, module, enabled).await
    })
    .await
}

/// Replaces all labels; pairs equal to the defaults are stored as defaults.
#[server(endpoint = "settings/update_labels", input = Json)]
pub async fn update_labels(labels: Vec<(Entity, String, String)>) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::SettingsManage).await?;
        let st = state()?;
        let mut parsed = super::model::Labels::default();
        for (entity, singular, plural) in labels {
            let label = super::model::Label::parse(&singular, &plural).map_err(|m| AppError::field(entity.key(), m))?;
            if label != entity.default_label() {
                parsed.0.insert(entity, label);
            }
        }
        server::save_setting(&st.db, &user, super::repo::LABELS, &parsed).await
    })
    .await
}

#[server(endpoint = "settings/update_branding", input = Json)]
pub async fn update_branding(org_name: String, accent: String) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::SettingsManage).await?;
        let st = state()?;
        let org_name = org_name.trim().to_string();
        if org_name.is_empty() || org_name.chars().count() > 80 {
            return Err(AppError::field("org_name", "Use 1 to 80 characters."));
        }
        let accent = super::model::parse_accent(&accent).map_err(|m| AppError::field("accent", m))?;
        let mut branding = super::repo::load_branding(&st.db).await?;
        branding.org_name = org_name;
        branding.accent = accent;
        server::save_setting(&st.db, &user, super::repo::BRANDING, &branding).await
    })
    .await
}

/// Uploads the logo (PNG, JPEG, WebP or SVG — SVG is served with a script-blocking CSP).
#[server(endpoint = "settings/upload_logo", input = MultipartFormData)]
pub async fn upload_logo(data: MultipartData) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::SettingsManage).await?;
        let st = state()?;
        let mut form = data.into_inner().ok_or(AppError::Internal)?;
        let mut upload: Option<Vec<u8>> = None;
        while let Some(mut field) =
            form.next_field().await.map_err(|e| AppError::invalid(format!("Unreadable upload: {e}")))?
        {
            if field.name() != Some("logo") {
                continue;
            }
            let mut bytes = Vec::new();
            while let Some(chunk) =
                field.chunk().await.map_err(|e| AppError::invalid(format!("Unreadable upload: {e}")))?
            {
                bytes.extend_from_slice(&chunk);
                if bytes.len() > super::model::MAX_LOGO_BYTES {
                    return Err(AppError::field("logo", "The logo must be at most 512 KB."));
                }
            }
            upload = Some(bytes);
        }
        let bytes = upload.filter(|b| !b.is_empty()).ok_or_else(|| AppError::field("logo", "Choose an image file."))?;
        let content_type = server::sniff_image(&bytes)
            .ok_or_else(|| AppError::field("logo", "Use a PNG, JPEG, WebP or SVG image."))?;
        server::save_logo(&st.db, &user, content_type, &bytes).await
    })
    .await
}

#[server(endpoint = "settings/remove_logo", input = Json)]
pub async fn remove_logo() -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::SettingsManage).await?;
        let st = state()?;
        server::remove_logo(&st.db, &user).await
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod server {
    //! The work behind the settings server functions (also used by the CLI and tests).
    use super::super::model::{Module, PublicSettings};
    use super::super::repo;
    use crate::audit::repo::{record, Actor};
    use crate::auth::model::CurrentUser;
    use crate::error::AppResult;
    use crate::live::{repo::publish, Audience, LiveEvent};
    use serde::Serialize;
    use sqlx::PgPool;

    pub async fn load_public(db: &PgPool, demo: bool) -> AppResult<PublicSettings> {
        let mut branding = repo::load_branding(db).await?;
        branding.logo_version = repo::find_logo(db).await?.map(|l| l.version);
        Ok(PublicSettings {
            branding,
            modules: repo::load_modules(db).await?,
            labels: repo::load_labels(db).await?,
            demo,
        })
    }

    /// Saves one setting document, audits before/after and tells every tab.
    pub async fn save_setting<T: Serialize>(db: &PgPool, user: &CurrentUser, key: &str, value: &T) -> AppResult<()> {
        let after = serde_json::to_value(value).map_err(anyhow::Error::from)?;
        let mut tx = db.begin().await?;
        // Serialise writers of the same key so the audited "before" is exact.
        repo::lock_key(&mut *tx, key).await?;
        let before = repo::find_raw(&mut *tx, key).await?;
        repo::upsert(&mut *tx, key, &after, Some(user.id)).await?;
        record(
            &mut *tx,
            &Actor::user(user),
            &format!("settings.{key}.update"),
            "setting",
            key,
            before.as_ref(),
            Some(&after),
        )
        .await?;
        publish(&mut *tx, Audience::Everyone, LiveEvent::SettingsChanged).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_module(db: &PgPool, user: &CurrentUser, module: Module, enabled: bool) -> AppResult<()> {
        let mut modules = repo::load_modules(db).await?;
        modules.0.insert(module, enabled);
        save_setting(db, user, repo::MODULES, &modules).await
    }

    pub async fn save_logo(db: &PgPool, user: &CurrentUser, content_type: &str, bytes: &[u8]) -> AppResult<()> {
        let mut tx = db.begin().await?;
        repo::upsert_logo(&mut *tx, content_type, bytes).await?;
        let after = serde_json::json!({ "content_type": content_type, "bytes": bytes.len() });
        record(&mut *tx, &Actor::user(user), "settings.logo.upload", "setting", "logo", None, Some(&after)).await?;
        publish(&mut *tx, Audience::Everyone, LiveEvent::SettingsChanged).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn remove_logo(db: &PgPool, user: &CurrentUser) -> AppResult<()> {
        let mut tx = db.begin().await?;
        if repo::delete_logo(&mut *tx).await? {
            record(&mut *tx, &Actor::user(user), "settings.logo.remove", "setting", "logo", None, None).await?;
            publish(&mut *tx, Audience::Everyone, LiveEvent::SettingsChanged).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Recognises the image formats we accept by their magic bytes, not the file name.
    pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some("image/png")
        } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            Some("image/jpeg")
        } else if bytes.len() > 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some("image/webp")
        } else {
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
            (head.contains("<svg")).then_some("image/svg+xml")
        }
    }
}
