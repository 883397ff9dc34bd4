//! Server functions for domains and certificates. Agents and up read, create,
//! edit and start checks; deleting needs RecordsDelete; the module's settings
//! (resolver, allow-list, tickets on change) need SettingsManage.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "domains/list", input = Json)]
pub async fn list_domains(query: DomainQuery) -> Result<DomainPage, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DeskView).await?;
        require_module(Module::Domains).await?;
        server::list(&state()?.db, &query).await
    })
    .await
}

#[server(endpoint = "domains/get", input = Json)]
pub async fn get_domain(id: uuid::Uuid) -> Result<DomainDetail, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DeskView).await?;
        require_module(Module::Domains).await?;
        server::get(&state()?.db, id).await
    })
    .await
}

/// Creates (no `id`) or changes a domain.
#[server(endpoint = "domains/save", input = Json)]
pub async fn save_domain(input: DomainInput) -> Result<Domain, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::Domains).await?;
        server::save(&state()?.db, &user, input).await
    })
    .await
}

#[server(endpoint = "domains/delete", input = Json)]
pub async fn delete_domain(id: uuid::Uuid) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::RecordsDelete).await?;
        require_module(Module::Domains).await?;
        server::delete(&state()?.db, &user, id).await
    })
    .await
}

/// Queues a DNS check of one domain now (the daily check covers all of them).
#[server(endpoint = "domains/check_now", input = Json)]
pub async fn check_domain_now(id: uuid::Uuid) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DeskView).await?;
        require_module(Module::Domains).await?;
        server::check_now(&state()?.db, server::DNS_JOB, "domain_id", id).await
    })
    .await
}

#[server(endpoint = "domains/certificates", input = Json)]
pub async fn list_certificates(query: CertificateQuery) -> Result<CertificatePage, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DeskView).await?;
        require_module(Module::Domains).await?;
        server::list_certificates(&state()?.db, &query).await
    })
    .await
}

#[server(endpoint = "domains/certificate", input = Json)]
pub async fn get_certificate(id: uuid::Uuid) -> Result<CertificateDetail, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DeskView).await?;
        require_module(Module::Domains).await?;
        server::get_certificate(&state()?.db, id).await
    })
    .await
}

#[server(endpoint = "domains/save_certificate", input = Json)]
pub async fn save_certificate(input: CertificateInput) -> Result<Certificate, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::DeskView).await?;
        require_module(Module::Domains).await?;
        server::save_certificate(&state()?.db, &user, input).await
    })
    .await
}

#[server(endpoint = "domains/delete_certificate", input = Json)]
pub async fn delete_certificate(id: uuid::Uuid) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::RecordsDelete).await?;
        require_module(Module::Domains).await?;
        server::delete_certificate(&state()?.db, &user, id).await
    })
    .await
}

/// Queues a check of one certificate now.
#[server(endpoint = "domains/check_certificate_now", input = Json)]
pub async fn check_certificate_now(id: uuid::Uuid) -> Result<(), AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::DeskView).await?;
        require_module(Module::Domains).await?;
        server::check_now(&state()?.db, server::CERT_JOB, "certificate_id", id).await
    })
    .await
}

#[server(endpoint = "domains/settings", input = Json)]
pub async fn get_domains_settings() -> Result<DomainsSettings, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        require(Permission::SettingsManage).await?;
        require_module(Module::Domains).await?;
        Ok(super::repo::load_settings(&state()?.db).await?)
    })
    .await
}

/// Saves the resolver address, allow-list and the global "ticket on change" switch.
#[server(endpoint = "domains/save_settings", input = Json)]
pub async fn save_domains_settings(settings: DomainsSettings) -> Result<DomainsSettings, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::settings::model::Module;
    respond(async {
        let user = require(Permission::SettingsManage).await?;
        require_module(Module::Domains).await?;
        server::save_settings(&state()?.db, &user, settings).await
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::audit::repo::{record, Actor};
    use crate::auth::model::CurrentUser;
    use crate::domains::repo::{self, CertReading, DomainFields};
    use crate::domains::rules;
    use crate::error::AppResult;
    use crate::mail::model::OutboundKind;
    use chrono::Utc;
    use serde_json::{json, Value};
    use sqlx::PgPool;

    pub const DNS_JOB: &str = "domains.dns_check";
    pub const CERT_JOB: &str = "domains.cert_check";
    /// Change-history entries shown on a detail page.
    const HISTORY: i64 = 100;

    fn not_found() -> AppError {
        AppError::NotFound("Domain".into())
    }

    fn cert_not_found() -> AppError {
        AppError::NotFound("Certificate".into())
    }

    pub async fn list(db: &PgPool, q: &DomainQuery) -> AppResult<DomainPage> {
        let search = q.search.trim();
        if search.len() > 253 {
            return Err(AppError::field("search", "Search with at most 253 characters."));
        }
        let mut items = repo::list(db, search, q.after.as_deref(), PAGE_SIZE + 1).await?;
        let next = (items.len() as i64 > PAGE_SIZE).then(|| {
            items.truncate(PAGE_SIZE as usize);
            items.last().map(|d| d.name.clone())
        });
        Ok(DomainPage { items, next: next.flatten() })
    }

    pub async fn get(db: &PgPool, id: uuid::Uuid) -> AppResult<DomainDetail> {
        let (domain, records) = repo::get(db, id).await?.ok_or_else(not_found)?;
        Ok(DomainDetail {
            domain,
            records,
            history: repo::history(db, id, HISTORY).await?,
            certificates: repo::certificates_of(db, id).await?,
        })
    }

    fn unique_name(e: sqlx::Error, name: &str) -> AppError {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                AppError::field("name", format!("The domain {name} is already listed."))
            }
            _ => AppError::from(e),
        }
    }

    pub async fn save(db: &PgPool, user: &CurrentUser, input: DomainInput) -> AppResult<Domain> {
        let name = rules::normalize_domain(&input.name).map_err(|m| AppError::field("name", m))?;
        let registrar = input.registrar.trim();
        if registrar.chars().count() > 200 {
            return Err(AppError::field("registrar", "Keep the registrar under 200 characters."));
        }
        if input.notes.chars().count() > 10_000 {
            return Err(AppError::field("notes", "Keep the notes under 10,000 characters."));
        }
        let selectors =
            rules::normalize_selectors(&input.dkim_selectors).map_err(|m| AppError::field("dkim_selectors", m))?;
        let fields = || DomainFields {
            name: &name,
            registrar,
            expires_on: input.expires_on,
            notes: input.notes.trim_end(),
            dkim_selectors: &selectors,
            ticket_on_change: input.ticket_on_change,
        };
        let mut tx = db.begin().await?;
        let (id, before, action) = match input.id {
            Some(id) => {
                let before = repo::doc(&mut *tx, id).await?.ok_or_else(not_found)?;
                repo::update(&mut *tx, id, fields()).await.map_err(|e| unique_name(e, &name))?;
                (id, Some(before), "domain.update")
            }
            None => (repo::insert(&mut *tx, fields()).await.map_err(|e| unique_name(e, &name))?, None, "domain.create"),
        };
        let after = repo::doc(&mut *tx, id).await?;
        record(&mut *tx, &Actor::user(user), action, "domain", &id.to_string(), before.as_ref(), after.as_ref())
            .await?;
        tx.commit().await?;
        Ok(repo::get(db, id).await?.ok_or(AppError::Internal)?.0)
    }

    pub async fn delete(db: &PgPool, user: &CurrentUser, id: uuid::Uuid) -> AppResult<()> {
        let mut tx = db.begin().await?;
        let before = repo::doc(&mut *tx, id).await?.ok_or_else(not_found)?;
        repo::delete(&mut *tx, id).await?;
        record(&mut *tx, &Actor::user(user), "domain.delete", "domain", &id.to_string(), Some(&before), None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Queues `kind` for one record; 404 when it does not exist.
    pub async fn check_now(db: &PgPool, kind: &str, key: &str, id: uuid::Uuid) -> AppResult<()> {
        let exists =
            if kind == DNS_JOB { repo::exists(db, id).await? } else { repo::get_certificate(db, id).await?.is_some() };
        if !exists {
            return Err(if kind == DNS_JOB { not_found() } else { cert_not_found() });
        }
        crate::jobs::repo::enqueue(db, kind, &json!({ key: id }), Utc::now(), 3, None).await?;
        Ok(())
    }

    pub async fn list_certificates(db: &PgPool, q: &CertificateQuery) -> AppResult<CertificatePage> {
        let search = q.search.trim();
        if search.len() > 253 {
            return Err(AppError::field("search", "Search with at most 253 characters."));
        }
        let after = q.after.as_ref().map(|(h, p)| (h.as_str(), *p));
        let mut items = repo::list_certificates(db, search, after, PAGE_SIZE + 1).await?;
        let next = (items.len() as i64 > PAGE_SIZE).then(|| {
            items.truncate(PAGE_SIZE as usize);
            items.last().map(|c| (c.host.clone(), c.port))
        });
        Ok(CertificatePage { items, next: next.flatten() })
    }

    pub async fn get_certificate(db: &PgPool, id: uuid::Uuid) -> AppResult<CertificateDetail> {
        let certificate = repo::get_certificate(db, id).await?.ok_or_else(cert_not_found)?;
        Ok(CertificateDetail { certificate, history: repo::certificate_history(db, id, HISTORY).await? })
    }

    pub async fn save_certificate(db: &PgPool, user: &CurrentUser, input: CertificateInput) -> AppResult<Certificate> {
        let host = rules::normalize_host(&input.host).map_err(|m| AppError::field("host", m))?;
        if !(1..=65535).contains(&input.port) {
            return Err(AppError::field("port", "Use a port from 1 to 65535."));
        }
        if let Some(d) = input.domain_id {
            if !repo::exists(db, d).await? {
                return Err(AppError::field("domain_id", "There is no such domain."));
            }
        }
        let duplicate = |e: sqlx::Error| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                AppError::field("host", format!("{host}:{} is already monitored.", input.port))
            }
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                AppError::field("domain_id", "There is no such domain.")
            }
            _ => AppError::from(e),
        };
        let mut tx = db.begin().await?;
        let (id, before, action) = match input.id {
            Some(id) => {
                let before = repo::certificate_doc(&mut *tx, id).await?.ok_or_else(cert_not_found)?;
                repo::update_certificate(&mut *tx, id, &host, input.port, input.domain_id).await.map_err(duplicate)?;
                (id, Some(before), "certificate.update")
            }
            None => (
                repo::insert_certificate(&mut *tx, &host, input.port, input.domain_id).await.map_err(duplicate)?,
                None,
                "certificate.create",
            ),
        };
        let after = repo::certificate_doc(&mut *tx, id).await?;
        record(&mut *tx, &Actor::user(user), action, "certificate", &id.to_string(), before.as_ref(), after.as_ref())
            .await?;
        tx.commit().await?;
        repo::get_certificate(db, id).await?.ok_or(AppError::Internal)
    }

    pub async fn delete_certificate(db: &PgPool, user: &CurrentUser, id: uuid::Uuid) -> AppResult<()> {
        let mut tx = db.begin().await?;
        let before = repo::certificate_doc(&mut *tx, id).await?.ok_or_else(cert_not_found)?;
        repo::delete_certificate(&mut *tx, id).await?;
        record(&mut *tx, &Actor::user(user), "certificate.delete", "certificate", &id.to_string(), Some(&before), None)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Validates and stores the module settings. The resolver must pass the same
    /// outbound guard as certificate targets.
    pub async fn save_settings(db: &PgPool, user: &CurrentUser, s: DomainsSettings) -> AppResult<DomainsSettings> {
        let allow = rules::parse_allow_list(&s.allow_list).map_err(|m| AppError::field("allow_list", m))?;
        let resolver = match s.resolver.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            None => None,
            Some(r) => {
                let addr = rules::parse_resolver(r).map_err(|m| AppError::field("resolver", m))?;
                rules::check_target(addr.ip(), &allow).map_err(|m| AppError::field("resolver", m))?;
                Some(addr.to_string())
            }
        };
        let clean = DomainsSettings {
            resolver,
            allow_list: allow.iter().map(|c| c.to_string()).collect(),
            ticket_on_change: s.ticket_on_change,
        };
        crate::settings::api::server::save_setting(db, user, repo::SETTINGS_KEY, &clean).await?;
        Ok(clean)
    }

    /// What one DNS check found.
    #[derive(Debug, Clone, PartialEq)]
    pub struct DnsOutcome {
        /// The first successful check of this domain (nothing to compare with).
        pub first: bool,
        pub added: Vec<DnsRecord>,
        pub removed: Vec<DnsRecord>,
        /// The ticket opened about the change, if any.
        pub ticket: Option<crate::tickets::model::TicketNumber>,
    }

    /// An event administrators are told about.
    pub enum AdminNotice<'a> {
        DnsChanged { domain: &'a str, added: &'a [DnsRecord], removed: &'a [DnsRecord] },
        CertificateChanged { host: &'a str, port: i32, old: &'a str, new: &'a str },
    }

    /// Tells administrators about a monitoring event: an audit event
    /// (`domains.dns_changed` / `domains.certificate_changed`) and an in-app
    /// notification to every active administrator, in the caller's transaction.
    pub async fn notify_admins(
        db: &mut sqlx::PgConnection,
        entity_type: &str,
        entity_id: uuid::Uuid,
        notice: AdminNotice<'_>,
    ) -> AppResult<()> {
        let (action, detail, title, body, mail_body, kind, href) = match notice {
            AdminNotice::DnsChanged { domain, added, removed } => {
                let lines = |sign: &str, rs: &[DnsRecord]| {
                    rs.iter().map(|r| format!("{sign} {} {} {}", r.rtype.label(), r.name, r.value)).collect::<Vec<_>>()
                };
                let mail_body = format!(
                    "The daily check found that the DNS records of {domain} changed.\n\n{}",
                    [lines("+", added), lines("-", removed)].concat().join("\n")
                );
                (
                    "domains.dns_changed",
                    json!({ "domain": domain, "added": added, "removed": removed }),
                    format!("DNS records of {domain} changed"),
                    format!("{} added, {} removed.", added.len(), removed.len()),
                    mail_body,
                    OutboundKind::DomainChange,
                    format!("/domains/{entity_id}"),
                )
            }
            AdminNotice::CertificateChanged { host, port, old, new } => (
                "domains.certificate_changed",
                json!({ "host": host, "port": port, "old_fingerprint": old, "new_fingerprint": new }),
                format!("The certificate of {host}:{port} changed"),
                format!("Fingerprint {} → {}.", short(old), short(new)),
                format!(
                    "The certificate served by {host}:{port} is not the one seen before.\n\nBefore: {old}\nNow:    {new}"
                ),
                OutboundKind::CertificateChange,
                format!("/domains/certificates/{entity_id}"),
            ),
        };
        record(&mut *db, &Actor::system("domains"), action, entity_type, &entity_id.to_string(), None, Some(&detail))
            .await?;
        crate::notifications::repo::notify_admins(&mut *db, &title, &body, &href).await?;
        let admins = crate::mail::repo::admin_addresses(&mut *db).await?;
        crate::mail::repo::queue(db, &admins, &title, &mail_body, &href, kind).await?;
        Ok(())
    }

    fn short(fingerprint: &str) -> &str {
        fingerprint.get(..16).unwrap_or(fingerprint)
    }

    fn records_json(r: &[DnsRecord]) -> AppResult<Value> {
        serde_json::to_value(r).map_err(|_| AppError::Internal)
    }

    /// Stores the result of a DNS lookup of a domain: on success the record set,
    /// and when it differs from the previous one a history entry with exactly
    /// what was added and removed, an admin notice and (if asked for) a ticket.
    /// A failed lookup keeps the last record set and records the error.
    pub async fn record_dns_result(
        db: &PgPool,
        id: uuid::Uuid,
        result: Result<Vec<DnsRecord>, String>,
    ) -> AppResult<DnsOutcome> {
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let target = repo::check_target(&mut *tx, id).await?.ok_or_else(not_found)?;
        let records = match result {
            Ok(r) => rules::normalize_records(r),
            Err(e) => {
                repo::store_dns_failure(&mut *tx, id, &e, now).await?;
                tx.commit().await?;
                return Err(AppError::Conflict(e));
            }
        };
        let Some(previous) = target.records else {
            repo::store_records(&mut *tx, id, &records_json(&records)?, CheckStatus::Ok, now).await?;
            tx.commit().await?;
            return Ok(DnsOutcome { first: true, added: vec![], removed: vec![], ticket: None });
        };
        let (added, removed) = rules::diff(&previous, &records);
        let changed = !added.is_empty() || !removed.is_empty();
        let status = if changed { CheckStatus::Changed } else { CheckStatus::Ok };
        repo::store_records(&mut *tx, id, &records_json(&records)?, status, now).await?;
        if changed {
            repo::insert_change(&mut *tx, id, &records_json(&added)?, &records_json(&removed)?, now).await?;
            let notice = AdminNotice::DnsChanged { domain: &target.name, added: &added, removed: &removed };
            notify_admins(&mut tx, "domain", id, notice).await?;
        }
        tx.commit().await?;
        let mut ticket = None;
        if changed && (target.ticket_on_change || repo::load_settings(db).await?.ticket_on_change) {
            ticket = open_change_ticket(db, &target.name, &added, &removed).await?;
        }
        Ok(DnsOutcome { first: false, added, removed, ticket })
    }

    /// Opens a ticket about a DNS change through the normal create path, as the
    /// first administrator (so it is audited and announced live like any other).
    async fn open_change_ticket(
        db: &PgPool,
        domain: &str,
        added: &[DnsRecord],
        removed: &[DnsRecord],
    ) -> AppResult<Option<crate::tickets::model::TicketNumber>> {
        let Some(admin) = repo::first_admin(db).await? else {
            tracing::warn!(domain, "DNS change ticket skipped: no active administrator");
            return Ok(None);
        };
        let line = |sign: char, r: &DnsRecord| format!("{sign} {} {} {}\n", r.name, r.rtype.label(), r.value);
        let mut body = format!("The DNS records of {domain} changed.\n\n```\n");
        added.iter().for_each(|r| body.push_str(&line('+', r)));
        removed.iter().for_each(|r| body.push_str(&line('-', r)));
        body.push_str("```\n");
        let title = format!("DNS change on {domain}");
        let number = crate::tickets::api::server::create(
            db,
            &admin,
            &title,
            &body,
            crate::tickets::model::Priority::P3,
            None,
            Default::default(),
        )
        .await?;
        Ok(Some(number))
    }

    /// What one certificate check found.
    #[derive(Debug, Clone, PartialEq)]
    pub struct CertOutcome {
        /// Fingerprint before, when the certificate changed.
        pub changed_from: Option<String>,
    }

    /// Stores a certificate reading: parsed fields, and a history entry plus an
    /// admin notice when the fingerprint differs from the last check's.
    pub async fn record_certificate_result(
        db: &PgPool,
        id: uuid::Uuid,
        result: Result<CertReading, String>,
    ) -> AppResult<CertOutcome> {
        let now = Utc::now();
        let mut tx = db.begin().await?;
        let (host, port, previous) = repo::lock_certificate(&mut *tx, id).await?.ok_or_else(cert_not_found)?;
        let reading = match result {
            Ok(r) => r,
            Err(e) => {
                repo::store_certificate_failure(&mut *tx, id, &e, now).await?;
                tx.commit().await?;
                return Err(AppError::Conflict(e));
            }
        };
        let changed_from = previous.filter(|p| *p != reading.fingerprint);
        let status = if changed_from.is_some() { CheckStatus::Changed } else { CheckStatus::Ok };
        repo::store_certificate(&mut *tx, id, &reading, status, now).await?;
        if let Some(old) = &changed_from {
            repo::insert_certificate_change(&mut *tx, id, old, &reading, now).await?;
            let notice = AdminNotice::CertificateChanged { host: &host, port, old, new: &reading.fingerprint };
            notify_admins(&mut tx, "certificate", id, notice).await?;
        }
        tx.commit().await?;
        Ok(CertOutcome { changed_from })
    }
}
