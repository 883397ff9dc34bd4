//! Workspace settings: modules, labels and branding, shared with the browser.
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Switchable modules. Core (users, roles, settings, audit) is always on and not listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Module {
    ServiceDesk,
    Portal,
    KnowledgeBase,
    Assets,
    Vault,
    Domains,
    Documents,
    GoogleWorkspace,
}

impl Module {
    pub const ALL: [Module; 8] = [
        Module::ServiceDesk,
        Module::Portal,
        Module::KnowledgeBase,
        Module::Assets,
        Module::Vault,
        Module::Domains,
        Module::Documents,
        Module::GoogleWorkspace,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Module::ServiceDesk => "service_desk",
            Module::Portal => "portal",
            Module::KnowledgeBase => "knowledge_base",
            Module::Assets => "assets",
            Module::Vault => "vault",
            Module::Domains => "domains",
            Module::Documents => "documents",
            Module::GoogleWorkspace => "google_workspace",
        }
    }

    pub fn parse(s: &str) -> Option<Module> {
        Module::ALL.into_iter().find(|m| m.key() == s)
    }

    pub fn title(self) -> &'static str {
        match self {
            Module::ServiceDesk => "Service desk",
            Module::Portal => "Portal",
            Module::KnowledgeBase => "Knowledge base",
            Module::Assets => "Assets",
            Module::Vault => "Vault",
            Module::Domains => "Domains",
            Module::Documents => "Documents",
            Module::GoogleWorkspace => "Google Workspace",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Module::ServiceDesk => "Tickets, statuses, SLA, email channel, macros, CSAT and exports.",
            Module::Portal => "Self-service portal for employees, public request form, service catalog.",
            Module::KnowledgeBase => "Public and internal articles, search, articles from resolved tickets.",
            Module::Assets => "Devices, locations, warranties, software and licenses, CSV import/export.",
            Module::Vault => "Encrypted credentials with TOTP, linked to assets, domains and users.",
            Module::Domains => "Domains, DNS change monitoring and TLS certificate expiry.",
            Module::Documents => "Folders, markdown documents with version history, files.",
            Module::GoogleWorkspace => "Sign in with Google, directory sync and device import.",
        }
    }

    /// The top-level route the module owns, if it has one.
    pub fn route(self) -> Option<&'static str> {
        match self {
            Module::ServiceDesk => Some("/desk"),
            Module::Portal => Some("/portal"),
            Module::KnowledgeBase => Some("/kb"),
            Module::Assets => Some("/assets"),
            Module::Vault => Some("/vault"),
            Module::Domains => Some("/domains"),
            Module::Documents => Some("/docs"),
            Module::GoogleWorkspace => None,
        }
    }

    /// The module owning a path, e.g. `/desk/tickets/4` → ServiceDesk.
    pub fn for_path(path: &str) -> Option<Module> {
        Module::ALL.into_iter().find(|m| {
            m.route().is_some_and(|r| path == r || path.strip_prefix(r).is_some_and(|rest| rest.starts_with('/')))
        })
    }
}

/// Which modules are on. Missing entries count as on (new modules start enabled).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ModuleSwitches(pub BTreeMap<Module, bool>);

impl ModuleSwitches {
    pub fn enabled(&self, m: Module) -> bool {
        self.0.get(&m).copied().unwrap_or(true)
    }
}

/// Entities whose display names admins can rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Ticket,
    Asset,
    Credential,
    Domain,
    Certificate,
    Document,
    Article,
    License,
    Team,
}

impl Entity {
    pub const ALL: [Entity; 9] = [
        Entity::Ticket,
        Entity::Asset,
        Entity::Credential,
        Entity::Domain,
        Entity::Certificate,
        Entity::Document,
        Entity::Article,
        Entity::License,
        Entity::Team,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Entity::Ticket => "ticket",
            Entity::Asset => "asset",
            Entity::Credential => "credential",
            Entity::Domain => "domain",
            Entity::Certificate => "certificate",
            Entity::Document => "document",
            Entity::Article => "article",
            Entity::License => "license",
            Entity::Team => "team",
        }
    }

    pub fn default_label(self) -> Label {
        let (s, p) = match self {
            Entity::Ticket => ("Ticket", "Tickets"),
            Entity::Asset => ("Asset", "Assets"),
            Entity::Credential => ("Credential", "Credentials"),
            Entity::Domain => ("Domain", "Domains"),
            Entity::Certificate => ("Certificate", "Certificates"),
            Entity::Document => ("Document", "Documents"),
            Entity::Article => ("Article", "Articles"),
            Entity::License => ("License", "Licenses"),
            Entity::Team => ("Team", "Teams"),
        };
        Label { singular: s.into(), plural: p.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub singular: String,
    pub plural: String,
}

impl Label {
    /// Trims and checks a label pair: 1–40 characters each, no control characters.
    pub fn parse(singular: &str, plural: &str) -> Result<Label, String> {
        let check = |v: &str, what: &str| -> Result<String, String> {
            let v = v.trim();
            if v.is_empty() {
                return Err(format!("The {what} name cannot be empty."));
            }
            if v.chars().count() > 40 {
                return Err(format!("The {what} name must be at most 40 characters."));
            }
            if v.chars().any(char::is_control) {
                return Err(format!("The {what} name contains invalid characters."));
            }
            Ok(v.to_string())
        };
        Ok(Label { singular: check(singular, "singular")?, plural: check(plural, "plural")? })
    }
}

/// Renamed labels; entities not listed keep their default names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Labels(pub BTreeMap<Entity, Label>);

impl Labels {
    pub fn get(&self, e: Entity) -> Label {
        self.0.get(&e).cloned().unwrap_or_else(|| e.default_label())
    }
    pub fn singular(&self, e: Entity) -> String {
        self.get(e).singular
    }
    pub fn plural(&self, e: Entity) -> String {
        self.get(e).plural
    }
}

/// Organisation name, accent colour and whether a logo was uploaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branding {
    pub org_name: String,
    /// `#rrggbb`.
    pub accent: String,
    /// Changes whenever the logo changes, for cache busting; None = no logo.
    pub logo_version: Option<i64>,
}

impl Default for Branding {
    fn default() -> Self {
        Branding { org_name: "Helios".into(), accent: DEFAULT_ACCENT.into(), logo_version: None }
    }
}

pub const DEFAULT_ACCENT: &str = "#6366f1";

/// Parses `#rgb`/`#rrggbb` into lowercase `#rrggbb`.
pub fn parse_accent(s: &str) -> Result<String, String> {
    let s = s.trim();
    let hex = s.strip_prefix('#').unwrap_or(s);
    let full = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect::<String>(),
        6 => hex.to_string(),
        _ => return Err("Use a colour like #4f46e5.".into()),
    };
    if !full.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err("Use a colour like #4f46e5.".into());
    }
    Ok(format!("#{}", full.to_ascii_lowercase()))
}

/// Everything the shell needs before sign-in: safe to show anyone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PublicSettings {
    pub branding: Branding,
    pub modules: ModuleSwitches,
    pub labels: Labels,
    pub demo: bool,
}

pub const MAX_LOGO_BYTES: usize = 512 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_owning_a_path_is_found_by_prefix_only_on_segment_boundaries() {
        assert_eq!(Module::for_path("/desk"), Some(Module::ServiceDesk));
        assert_eq!(Module::for_path("/desk/tickets/1"), Some(Module::ServiceDesk));
        assert_eq!(Module::for_path("/desktop"), None);
        assert_eq!(Module::for_path("/admin"), None);
    }

    #[test]
    fn modules_default_to_enabled() {
        let mut s = ModuleSwitches::default();
        assert!(s.enabled(Module::Vault));
        s.0.insert(Module::Vault, false);
        assert!(!s.enabled(Module::Vault));
    }

    #[test]
    fn labels_are_trimmed_and_bounded() {
        assert_eq!(Label::parse(" Request ", "Requests").unwrap().singular, "Request");
        assert!(Label::parse("", "x").is_err());
        assert!(Label::parse(&"x".repeat(41), "x").is_err());
        assert!(Label::parse("a\u{7}", "b").is_err());
    }

    #[test]
    fn accent_colours_are_normalised_or_refused() {
        assert_eq!(parse_accent("#ABC").unwrap(), "#aabbcc");
        assert_eq!(parse_accent("4f46e5").unwrap(), "#4f46e5");
        assert!(parse_accent("red").is_err());
        assert!(parse_accent("#12345g").is_err());
    }
}
