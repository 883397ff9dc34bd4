//! Server functions for software titles, licenses and seat assignments (Assets
//! module). Agents read, create and edit; deleting needs RecordsDelete; revealing
//! or changing a license key needs VaultReveal (reveals need a reason and are
//! audited). Assigning more seats than a license has is allowed and flagged.
use super::model::{
    Assignee, LicenseDetail, LicenseInput, SoftwareCursor, SoftwareDetail, SoftwareInput, SoftwareListPage,
};
use crate::error::AppError;
use crate::vault::model::{RevealPurpose, Revealed};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "software/list", input = Json)]
pub async fn list_software(search: String, after: Option<SoftwareCursor>) -> Result<SoftwareListPage, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DeskView).await?;
        require_module(Module::Assets).await?;
        server::list(&state()?.db, &search, after.as_ref()).await
    })
    .await
}

#[server(endpoint = "software/get", input = Json)]
pub async fn get_software(id: uuid::Uuid) -> Result<SoftwareDetail, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DeskView).await?;
        require_module(Module::Assets).await?;
        server::detail(&state()?.db, id).await
    })
    .await
}

#[server(endpoint = "software/save", input = Json)]
pub async fn save_software(input: SoftwareInput) -> Result<SoftwareDetail, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::Assets).await?;
        server::save_software(&state()?.db, &user, input).await
    })
    .await
}

/// Deletes a title without licenses (delete its licenses first).
#[server(endpoint = "software/delete", input = Json)]
pub async fn delete_software(id: uuid::Uuid) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::RecordsDelete).await?;
        require_module(Module::Assets).await?;
        server::delete_software(&state()?.db, &user, id).await
    })
    .await
}

#[server(endpoint = "licenses/get", input = Json)]
pub async fn get_license(id: uuid::Uuid) -> Result<LicenseDetail, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DeskView).await?;
        require_module(Module::Assets).await?;
        server::license_detail(&state()?.db, id).await
    })
    .await
}

/// Creates (no `id`, `software_id` given) or changes a license.
#[server(endpoint = "licenses/save", input = Json)]
pub async fn save_license(input: LicenseInput) -> Result<LicenseDetail, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::Assets).await?;
        let st = state()?;
        server::save_license(&st.db, &st.vault, &user, input).await
    })
    .await
}

#[server(endpoint = "licenses/delete", input = Json)]
pub async fn delete_license(id: uuid::Uuid) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::RecordsDelete).await?;
        require_module(Module::Assets).await?;
        server::delete_license(&state()?.db, &user, id).await
    })
    .await
}

#[server(endpoint = "licenses/reveal_key", input = Json)]
pub async fn reveal_license_key(id: uuid::Uuid, reason: String, purpose: RevealPurpose) -> Result<Revealed, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::VaultReveal).await?;
        require_module(Module::Assets).await?;
        let st = state()?;
        server::reveal_key(&st.db, &st.vault, &user, id, &reason, purpose).await
    })
    .await
}

/// Gives a seat to a user or an asset. Over-assignment is flagged in the answer.
#[server(endpoint = "licenses/assign", input = Json)]
pub async fn assign_license(license: uuid::Uuid, to: Assignee) -> Result<LicenseDetail, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::Assets).await?;
        server::assign(&state()?.db, &user, license, to).await
    })
    .await
}

#[server(endpoint = "licenses/unassign", input = Json)]
pub async fn unassign_license(assignment: uuid::Uuid) -> Result<LicenseDetail, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::Assets).await?;
        server::unassign(&state()?.db, &user, assignment).await
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::audit::repo::{record, Actor};
    use crate::auth::model::{CurrentUser, Permission};
    use crate::error::AppResult;
    use crate::licenses::model::{parse_cost, PAGE_SIZE};
    use crate::licenses::repo::{self, LicenseRow};
    use crate::vault::crypto::KeyRing;
    use crate::vault::model::{SecretChange, SecretField, REVEAL_SECONDS};
    use crate::vault::repo::SecretOwner;
    use sqlx::PgPool;

    fn software_not_found() -> AppError {
        AppError::NotFound("Software".into())
    }
    fn license_not_found() -> AppError {
        AppError::NotFound("License".into())
    }

    fn text(field: &str, label: &str, value: &str, max: usize, required: bool, multiline: bool) -> AppResult<String> {
        let v = value.trim().to_string();
        if required && v.is_empty() {
            return Err(AppError::field(field, format!("Give the {label}.")));
        }
        if v.chars().count() > max {
            return Err(AppError::field(field, format!("Keep the {label} under {max} characters.")));
        }
        if v.chars().any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t'))) {
            return Err(AppError::field(field, format!("The {label} contains control characters.")));
        }
        Ok(v)
    }

    pub async fn list(db: &PgPool, search: &str, after: Option<&SoftwareCursor>) -> AppResult<SoftwareListPage> {
        let search = search.trim();
        if search.chars().count() > 200 {
            return Err(AppError::field("search", "Search for at most 200 characters."));
        }
        let mut items = repo::list_software(db, Some(search).filter(|s| !s.is_empty()), after, PAGE_SIZE + 1).await?;
        let next = if items.len() as i64 > PAGE_SIZE {
            items.truncate(PAGE_SIZE as usize);
            items.last().map(|s| SoftwareCursor { name: s.name.clone(), id: s.id })
        } else {
            None
        };
        Ok(SoftwareListPage { items, next })
    }

    pub async fn detail(db: &PgPool, id: uuid::Uuid) -> AppResult<SoftwareDetail> {
        let software = repo::get_software(db, id).await?.ok_or_else(software_not_found)?;
        let licenses = repo::licenses_of(db, id).await?;
        Ok(SoftwareDetail { software, licenses })
    }

    pub async fn save_software(db: &PgPool, user: &CurrentUser, input: SoftwareInput) -> AppResult<SoftwareDetail> {
        let name = text("name", "name", &input.name, 200, true, false)?;
        let vendor = text("vendor", "vendor", &input.vendor, 200, false, false)?;
        let notes = text("notes", "notes", &input.notes, 20_000, false, true)?;
        let mut tx = db.begin().await?;
        let (id, before, action) = match input.id {
            Some(id) => {
                let before = repo::software_doc(&mut *tx, id).await?.ok_or_else(software_not_found)?;
                repo::update_software(&mut *tx, id, &name, &vendor, &notes).await?;
                (id, Some(before), "software.update")
            }
            None => (repo::insert_software(&mut *tx, &name, &vendor, &notes, user.id).await?, None, "software.create"),
        };
        let after = repo::software_doc(&mut *tx, id).await?;
        record(&mut *tx, &Actor::user(user), action, "software", &id.to_string(), before.as_ref(), after.as_ref())
            .await?;
        tx.commit().await?;
        detail(db, id).await
    }

    pub async fn delete_software(db: &PgPool, user: &CurrentUser, id: uuid::Uuid) -> AppResult<()> {
        let mut tx = db.begin().await?;
        let before = repo::software_doc(&mut *tx, id).await?.ok_or_else(software_not_found)?;
        if repo::count_licenses(&mut *tx, id).await? > 0 {
            return Err(AppError::Conflict("Delete the licenses of this software first.".into()));
        }
        repo::delete_software(&mut *tx, id).await?;
        record(&mut *tx, &Actor::user(user), "software.delete", "software", &id.to_string(), Some(&before), None)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn license_detail(db: &PgPool, id: uuid::Uuid) -> AppResult<LicenseDetail> {
        let license = repo::get_license(db, id).await?.ok_or_else(license_not_found)?;
        let assignments = repo::assignments(db, id).await?;
        let over_assigned = assignments.len() as i64 > i64::from(license.seats);
        Ok(LicenseDetail { license, assignments, over_assigned })
    }

    fn date(field: &str, s: &str) -> AppResult<Option<chrono::NaiveDate>> {
        crate::vault::rules::parse_date(field, s).map_err(|(f, m)| AppError::field(&f, m))
    }

    pub async fn save_license(
        db: &PgPool,
        ring: &KeyRing,
        user: &CurrentUser,
        input: LicenseInput,
    ) -> AppResult<LicenseDetail> {
        let name = text("name", "name", &input.name, 200, false, false)?;
        let notes = text("notes", "notes", &input.notes, 20_000, false, true)?;
        let seats: i32 = input
            .seats
            .trim()
            .parse()
            .ok()
            .filter(|s| (1..=1_000_000).contains(s))
            .ok_or_else(|| AppError::field("seats", "Give the number of seats, 1 or more."))?;
        let expires_on = date("expires_on", &input.expires_on)?;
        let purchased_on = date("purchased_on", &input.purchased_on)?;
        let cost_cents = parse_cost(&input.cost).map_err(|m| AppError::field("cost", m))?;
        if let SecretChange::Set(k) = &input.license_key {
            if k.trim().is_empty() || k.len() > 4096 {
                return Err(AppError::field("license_key", "Enter the license key (at most 4096 bytes), or keep it."));
            }
        }
        if input.id.is_some() && !input.license_key.is_keep() && !user.can(Permission::VaultReveal) {
            return Err(AppError::Forbidden);
        }
        let mut tx = db.begin().await?;
        let (id, before, action) = match input.id {
            Some(id) => {
                let before = repo::license_doc(&mut *tx, id).await?.ok_or_else(license_not_found)?;
                let software_id = repo::get_license(&mut *tx, id).await?.ok_or_else(license_not_found)?.software_id;
                let row =
                    LicenseRow { software_id, name: &name, seats, expires_on, purchased_on, cost_cents, notes: &notes };
                repo::update_license(&mut *tx, id, row).await?;
                (id, Some(before), "license.update")
            }
            None => {
                let software_id =
                    input.software_id.ok_or_else(|| AppError::field("software_id", "Choose the software."))?;
                if repo::get_software(&mut *tx, software_id).await?.is_none() {
                    return Err(AppError::field("software_id", "That software does not exist."));
                }
                let id = uuid::Uuid::new_v4();
                let row =
                    LicenseRow { software_id, name: &name, seats, expires_on, purchased_on, cost_cents, notes: &notes };
                repo::insert_license(&mut *tx, id, row, user.id).await?;
                (id, None, "license.create")
            }
        };
        let owner = SecretOwner::License(id);
        match &input.license_key {
            SecretChange::Keep => {}
            SecretChange::Set(k) => {
                let sealed = ring.seal(id, SecretField::LicenseKey.key(), k.trim().as_bytes());
                crate::vault::repo::put_secret(&mut tx, owner, SecretField::LicenseKey, &sealed).await?;
            }
            SecretChange::Clear => crate::vault::repo::delete_secret(&mut *tx, owner, SecretField::LicenseKey).await?,
        }
        let mut after = repo::license_doc(&mut *tx, id).await?;
        if let Some(a) = after.as_mut().and_then(|a| a.as_object_mut()) {
            a.insert("key_changed".into(), (!input.license_key.is_keep()).into());
        }
        record(&mut *tx, &Actor::user(user), action, "license", &id.to_string(), before.as_ref(), after.as_ref())
            .await?;
        tx.commit().await?;
        license_detail(db, id).await
    }

    pub async fn delete_license(db: &PgPool, user: &CurrentUser, id: uuid::Uuid) -> AppResult<()> {
        let mut tx = db.begin().await?;
        let before = repo::license_doc(&mut *tx, id).await?.ok_or_else(license_not_found)?;
        repo::delete_license(&mut *tx, id).await?;
        record(&mut *tx, &Actor::user(user), "license.delete", "license", &id.to_string(), Some(&before), None).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn reveal_key(
        db: &PgPool,
        ring: &KeyRing,
        user: &CurrentUser,
        id: uuid::Uuid,
        reason: &str,
        purpose: RevealPurpose,
    ) -> AppResult<Revealed> {
        let reason = crate::vault::rules::check_reason(reason).map_err(|m| AppError::field("reason", m))?;
        repo::get_license(db, id).await?.ok_or_else(license_not_found)?;
        let owner = SecretOwner::License(id);
        let sealed = crate::vault::repo::get_secret(db, owner, SecretField::LicenseKey)
            .await?
            .ok_or_else(|| AppError::NotFound("License key".into()))?;
        let secret = crate::vault::api::server::open(ring, owner, SecretField::LicenseKey, &sealed)?;
        let action = format!("license.{}", purpose.verb());
        crate::vault::api::server::audit_reveal(db, user, &action, "license", id, SecretField::LicenseKey, &reason)
            .await?;
        Ok(Revealed { secret, visible_seconds: REVEAL_SECONDS })
    }

    pub async fn assign(
        db: &PgPool,
        user: &CurrentUser,
        license: uuid::Uuid,
        to: Assignee,
    ) -> AppResult<LicenseDetail> {
        let mut tx = db.begin().await?;
        repo::lock_license(&mut *tx, license).await?.ok_or_else(license_not_found)?;
        match to {
            Assignee::User(u) if !repo::active_user_exists(&mut *tx, u).await? => {
                return Err(AppError::field("to", "Choose an active user."));
            }
            Assignee::Asset(a) if crate::assets::repo::get(&mut *tx, a).await?.is_none() => {
                return Err(AppError::field("to", "That asset does not exist."));
            }
            _ => {}
        }
        let Some(id) = repo::assign(&mut *tx, license, to, user.id).await? else {
            return Err(AppError::field("to", "This license is already assigned there."));
        };
        let after = serde_json::to_value(to).map_err(|_| AppError::Internal)?;
        let mut after = serde_json::json!({ "license_id": license, "assignee": after });
        let seats = repo::lock_license(&mut *tx, license).await?.unwrap_or(0);
        let used = repo::count_assignments(&mut *tx, license).await?;
        after["over_assigned"] = (used > i64::from(seats)).into();
        record(
            &mut *tx,
            &Actor::user(user),
            "license.assign",
            "license_assignment",
            &id.to_string(),
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        license_detail(db, license).await
    }

    pub async fn unassign(db: &PgPool, user: &CurrentUser, assignment: uuid::Uuid) -> AppResult<LicenseDetail> {
        let mut tx = db.begin().await?;
        let (license, before) =
            repo::unassign(&mut *tx, assignment).await?.ok_or_else(|| AppError::NotFound("Assignment".into()))?;
        record(
            &mut *tx,
            &Actor::user(user),
            "license.unassign",
            "license_assignment",
            &assignment.to_string(),
            Some(&before),
            None,
        )
        .await?;
        tx.commit().await?;
        license_detail(db, license).await
    }
}
