//! Server functions for credentials. Agents (DeskView) list, read, create and edit
//! credentials but never see a secret; revealing or copying a password, reading a
//! TOTP code, and changing a stored secret need VaultReveal, and reveals need a
//! reason, which the audit log keeps (the secret never goes there).
use super::model::{
    Credential, CredentialCursor, CredentialInput, CredentialPage, PasswordOptions, RevealPurpose, Revealed, TotpCode,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{Json, MultipartData, MultipartFormData};

#[server(endpoint = "vault/list", input = Json)]
pub async fn list_credentials(search: String, after: Option<CredentialCursor>) -> Result<CredentialPage, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DeskView).await?;
        require_module(Module::Vault).await?;
        server::list(&state()?.db, &search, after.as_ref()).await
    })
    .await
}

#[server(endpoint = "vault/get", input = Json)]
pub async fn get_credential(id: uuid::Uuid) -> Result<Credential, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DeskView).await?;
        require_module(Module::Vault).await?;
        super::repo::get(&state()?.db, id).await?.ok_or_else(server::not_found)
    })
    .await
}

/// Creates (no `id`) or changes a credential. Secrets given on a new credential
/// are stored by anyone with DeskView; changing or clearing the secret of an
/// existing one needs VaultReveal.
#[server(endpoint = "vault/save", input = Json)]
pub async fn save_credential(input: CredentialInput) -> Result<Credential, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::Vault).await?;
        let st = state()?;
        server::save(&st.db, &st.vault, &user, input).await
    })
    .await
}

#[server(endpoint = "vault/delete", input = Json)]
pub async fn delete_credential(id: uuid::Uuid) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::RecordsDelete).await?;
        require_module(Module::Vault).await?;
        server::delete(&state()?.db, &user, id).await
    })
    .await
}

/// The password of a credential, for the screen or the clipboard; audited with the reason.
#[server(endpoint = "vault/reveal", input = Json)]
pub async fn reveal_password(id: uuid::Uuid, reason: String, purpose: RevealPurpose) -> Result<Revealed, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::VaultReveal).await?;
        require_module(Module::Vault).await?;
        let st = state()?;
        server::reveal(&st.db, &st.vault, &user, id, &reason, purpose).await
    })
    .await
}

/// The current TOTP code, computed here; audited with the reason.
#[server(endpoint = "vault/totp", input = Json)]
pub async fn current_totp(id: uuid::Uuid, reason: String) -> Result<TotpCode, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::VaultReveal).await?;
        require_module(Module::Vault).await?;
        let st = state()?;
        server::totp(&st.db, &st.vault, &user, id, &reason).await
    })
    .await
}

/// Sets the TOTP seed from a QR image (multipart: `id`, then `image`, PNG or JPEG).
#[server(endpoint = "vault/totp_qr", input = MultipartFormData)]
pub async fn import_totp_qr(data: MultipartData) -> Result<Credential, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::VaultReveal).await?;
        require_module(Module::Vault).await?;
        let st = state()?;
        let mut form = data.into_inner().ok_or(AppError::Internal)?;
        let (mut id, mut image) = (None::<uuid::Uuid>, None::<Vec<u8>>);
        while let Some(mut field) =
            form.next_field().await.map_err(|e| AppError::invalid(format!("Unreadable upload: {e}")))?
        {
            match field.name() {
                Some("id") => {
                    let text = field.text().await.map_err(|e| AppError::invalid(format!("Unreadable upload: {e}")))?;
                    id = Some(text.trim().parse().map_err(|_| AppError::field("id", "Unknown credential."))?);
                }
                Some("image") => {
                    let mut bytes = Vec::new();
                    while let Some(chunk) =
                        field.chunk().await.map_err(|e| AppError::invalid(format!("Unreadable upload: {e}")))?
                    {
                        bytes.extend_from_slice(&chunk);
                        if bytes.len() > super::model::MAX_QR_BYTES {
                            return Err(AppError::field("image", "The image must be at most 2 MB."));
                        }
                    }
                    image = Some(bytes);
                }
                _ => {}
            }
        }
        let id = id.ok_or_else(|| AppError::field("id", "Say which credential the code is for."))?;
        let bytes = image
            .filter(|b| !b.is_empty())
            .ok_or_else(|| AppError::field("image", "Choose an image of the QR code."))?;
        server::import_qr(&st.db, &st.vault, &user, id, &bytes).await
    })
    .await
}

#[server(endpoint = "vault/generate_password", input = Json)]
pub async fn generate_password(options: PasswordOptions) -> Result<String, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DeskView).await?;
        require_module(Module::Vault).await?;
        use rand::RngCore;
        let mut rng = rand::rngs::OsRng;
        super::rules::generate_password(&options, || rng.next_u32()).map_err(|(f, m)| AppError::field(&f, m))
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::audit::repo::{record, Actor};
    use crate::auth::model::{CurrentUser, Permission};
    use crate::error::AppResult;
    use crate::vault::crypto::KeyRing;
    use crate::vault::model::{SecretChange, SecretField, PAGE_SIZE, REVEAL_SECONDS};
    use crate::vault::repo::{self, CredentialRow, SecretOwner};
    use crate::vault::totp::{self, TotpSeed};
    use sqlx::PgPool;

    pub fn not_found() -> AppError {
        AppError::NotFound("Credential".into())
    }

    pub async fn list(db: &PgPool, search: &str, after: Option<&CredentialCursor>) -> AppResult<CredentialPage> {
        let search = search.trim();
        if search.chars().count() > 200 {
            return Err(AppError::field("search", "Search for at most 200 characters."));
        }
        let mut items = repo::list(db, Some(search).filter(|s| !s.is_empty()), after, PAGE_SIZE + 1).await?;
        let next = if items.len() as i64 > PAGE_SIZE {
            items.truncate(PAGE_SIZE as usize);
            items.last().map(|c| CredentialCursor { name: c.name.clone(), id: c.id })
        } else {
            None
        };
        Ok(CredentialPage { items, next })
    }

    fn text(field: &str, label: &str, value: &str, max: usize, required: bool, multiline: bool) -> AppResult<String> {
        let v = value.trim().to_string();
        if required && v.is_empty() {
            return Err(AppError::field(field, format!("Give the {label}.")));
        }
        if v.chars().count() > max {
            return Err(AppError::field(field, format!("Keep the {label} under {max} characters.")));
        }
        if v.chars().any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) {
            return Err(AppError::field(field, format!("The {label} contains control characters.")));
        }
        Ok(v)
    }

    /// Checks the plain fields of a credential.
    pub fn validate(input: &CredentialInput) -> AppResult<(String, String, String, String, Option<chrono::NaiveDate>)> {
        let name = text("name", "name", &input.name, 200, true, false)?;
        let username = text("username", "username", &input.username, 200, false, false)?;
        let url = text("url", "URL", &input.url, 2000, false, false)?;
        if !url.is_empty() && url.contains(char::is_whitespace) {
            return Err(AppError::field("url", "A URL has no spaces."));
        }
        let notes = text("notes", "notes", &input.notes, 20_000, false, true)?;
        let expires_on = crate::vault::rules::parse_date("expires_on", &input.expires_on)
            .map_err(|(f, m)| AppError::field(&f, m))?;
        Ok((name, username, url, notes, expires_on))
    }

    fn check_password(p: &str) -> AppResult<()> {
        if p.is_empty() {
            return Err(AppError::field("password", "Enter the password, or choose to clear it."));
        }
        if p.len() > 4096 {
            return Err(AppError::field("password", "The password is too long (4096 bytes at most)."));
        }
        Ok(())
    }

    async fn store_seed(
        tx: &mut sqlx::PgConnection,
        ring: &KeyRing,
        id: uuid::Uuid,
        seed: Option<&TotpSeed>,
    ) -> AppResult<()> {
        let owner = SecretOwner::Credential(id);
        match seed {
            Some(s) => {
                let sealed = ring.seal(id, SecretField::TotpSeed.key(), s.secret_base32.as_bytes());
                repo::put_secret(&mut *tx, owner, SecretField::TotpSeed, &sealed).await?;
                repo::set_totp_params(
                    &mut *tx,
                    id,
                    Some(s.algorithm),
                    Some(i16::from(s.digits)),
                    Some(s.period as i16),
                )
                .await?;
            }
            None => {
                repo::delete_secret(&mut *tx, owner, SecretField::TotpSeed).await?;
                repo::set_totp_params(&mut *tx, id, None, None, None).await?;
            }
        }
        Ok(())
    }

    pub async fn save(
        db: &PgPool,
        ring: &KeyRing,
        user: &CurrentUser,
        input: CredentialInput,
    ) -> AppResult<Credential> {
        let (name, username, url, notes, expires_on) = validate(&input)?;
        if input.id.is_some()
            && !(input.password.is_keep() && input.totp.is_keep())
            && !user.can(Permission::VaultReveal)
        {
            return Err(AppError::Forbidden);
        }
        if let SecretChange::Set(p) = &input.password {
            check_password(p)?;
        }
        let seed = match &input.totp {
            SecretChange::Set(uri) => Some(totp::parse_otpauth(uri).map_err(|m| AppError::field("totp", m))?),
            _ => None,
        };
        let row = CredentialRow { name: &name, username: &username, url: &url, notes: &notes, expires_on };
        let mut tx = db.begin().await?;
        let (id, before, action) = match input.id {
            Some(id) => {
                let before = repo::doc(&mut *tx, id).await?.ok_or_else(not_found)?;
                repo::update(&mut *tx, id, row).await?;
                (id, Some(before), "credential.update")
            }
            None => {
                let id = uuid::Uuid::new_v4();
                repo::insert(&mut *tx, id, row, user.id).await?;
                (id, None, "credential.create")
            }
        };
        let owner = SecretOwner::Credential(id);
        match &input.password {
            SecretChange::Keep => {}
            SecretChange::Set(p) => {
                let sealed = ring.seal(id, SecretField::Password.key(), p.as_bytes());
                repo::put_secret(&mut tx, owner, SecretField::Password, &sealed).await?;
            }
            SecretChange::Clear => repo::delete_secret(&mut *tx, owner, SecretField::Password).await?,
        }
        match &input.totp {
            SecretChange::Keep => {}
            SecretChange::Set(_) => store_seed(&mut tx, ring, id, seed.as_ref()).await?,
            SecretChange::Clear => store_seed(&mut tx, ring, id, None).await?,
        }
        let mut after = repo::doc(&mut *tx, id).await?;
        if let Some(a) = after.as_mut().and_then(|a| a.as_object_mut()) {
            // Which secrets changed, never their values.
            a.insert("password_changed".into(), (!input.password.is_keep()).into());
            a.insert("totp_changed".into(), (!input.totp.is_keep()).into());
        }
        record(&mut *tx, &Actor::user(user), action, "credential", &id.to_string(), before.as_ref(), after.as_ref())
            .await?;
        tx.commit().await?;
        repo::get(db, id).await?.ok_or(AppError::Internal)
    }

    pub async fn delete(db: &PgPool, user: &CurrentUser, id: uuid::Uuid) -> AppResult<()> {
        let mut tx = db.begin().await?;
        let before = repo::doc(&mut *tx, id).await?.ok_or_else(not_found)?;
        repo::delete(&mut *tx, id).await?;
        record(&mut *tx, &Actor::user(user), "credential.delete", "credential", &id.to_string(), Some(&before), None)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Decrypts a secret; a failure is logged with the record and key id only.
    pub fn open(
        ring: &KeyRing,
        owner: SecretOwner,
        field: SecretField,
        sealed: &crate::vault::crypto::Sealed,
    ) -> AppResult<String> {
        let bytes = ring.open(owner.id(), field.key(), sealed).map_err(|e| {
            tracing::error!(record = %owner.id(), field = field.key(), key_id = %sealed.key_id, error = %e, "vault secret does not open");
            AppError::Internal
        })?;
        String::from_utf8(bytes).map_err(|_| AppError::Internal)
    }

    /// Writes the audit row of a reveal (reason, field, purpose; never the value).
    pub async fn audit_reveal(
        db: &PgPool,
        user: &CurrentUser,
        action: &str,
        entity: &str,
        id: uuid::Uuid,
        field: SecretField,
        reason: &str,
    ) -> AppResult<()> {
        let after = serde_json::json!({ "field": field.key(), "reason": reason });
        record(db, &Actor::user(user), action, entity, &id.to_string(), None, Some(&after)).await?;
        Ok(())
    }

    pub async fn reveal(
        db: &PgPool,
        ring: &KeyRing,
        user: &CurrentUser,
        id: uuid::Uuid,
        reason: &str,
        purpose: RevealPurpose,
    ) -> AppResult<Revealed> {
        let reason = crate::vault::rules::check_reason(reason).map_err(|m| AppError::field("reason", m))?;
        if !repo::exists(db, id).await? {
            return Err(not_found());
        }
        let owner = SecretOwner::Credential(id);
        let sealed = repo::get_secret(db, owner, SecretField::Password)
            .await?
            .ok_or_else(|| AppError::NotFound("Password".into()))?;
        let secret = open(ring, owner, SecretField::Password, &sealed)?;
        let action = format!("credential.{}", purpose.verb());
        audit_reveal(db, user, &action, "credential", id, SecretField::Password, &reason).await?;
        Ok(Revealed { secret, visible_seconds: REVEAL_SECONDS })
    }

    async fn load_seed(db: &PgPool, ring: &KeyRing, id: uuid::Uuid) -> AppResult<TotpSeed> {
        let c = repo::get(db, id).await?.ok_or_else(not_found)?;
        let owner = SecretOwner::Credential(id);
        let sealed = repo::get_secret(db, owner, SecretField::TotpSeed)
            .await?
            .ok_or_else(|| AppError::NotFound("TOTP seed".into()))?;
        Ok(TotpSeed {
            secret_base32: open(ring, owner, SecretField::TotpSeed, &sealed)?,
            algorithm: c.totp_algorithm.unwrap_or_default(),
            digits: c.totp_digits.unwrap_or(6) as u8,
            period: c.totp_period.unwrap_or(30) as u16,
        })
    }

    pub async fn totp(
        db: &PgPool,
        ring: &KeyRing,
        user: &CurrentUser,
        id: uuid::Uuid,
        reason: &str,
    ) -> AppResult<TotpCode> {
        let reason = crate::vault::rules::check_reason(reason).map_err(|m| AppError::field("reason", m))?;
        let seed = load_seed(db, ring, id).await?;
        let now = chrono::Utc::now().timestamp().max(0) as u64;
        let code = totp::code_at(&seed, now).map_err(|_| AppError::Internal)?;
        audit_reveal(db, user, "credential.totp", "credential", id, SecretField::TotpSeed, &reason).await?;
        Ok(code)
    }

    pub async fn import_qr(
        db: &PgPool,
        ring: &KeyRing,
        user: &CurrentUser,
        id: uuid::Uuid,
        image: &[u8],
    ) -> AppResult<Credential> {
        let uri = totp::decode_qr(image).map_err(|m| AppError::field("image", m))?;
        let seed = totp::parse_otpauth(&uri).map_err(|m| AppError::field("image", m))?;
        let mut tx = db.begin().await?;
        let before = repo::doc(&mut *tx, id).await?.ok_or_else(not_found)?;
        store_seed(&mut tx, ring, id, Some(&seed)).await?;
        let mut after = repo::doc(&mut *tx, id).await?;
        if let Some(a) = after.as_mut().and_then(|a| a.as_object_mut()) {
            a.insert("totp_changed".into(), true.into());
        }
        record(
            &mut *tx,
            &Actor::user(user),
            "credential.totp_import",
            "credential",
            &id.to_string(),
            Some(&before),
            after.as_ref(),
        )
        .await?;
        tx.commit().await?;
        repo::get(db, id).await?.ok_or(AppError::Internal)
    }
}
