//! The kinds of record a link may join. Stored as the `record_kind` Postgres enum.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "record_kind", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Ticket,
    User,
    Asset,
    Credential,
    Domain,
    Certificate,
    Software,
    License,
    Document,
    Location,
    Vendor,
}

impl RecordKind {
    pub const ALL: [RecordKind; 11] = [
        RecordKind::Ticket,
        RecordKind::User,
        RecordKind::Asset,
        RecordKind::Credential,
        RecordKind::Domain,
        RecordKind::Certificate,
        RecordKind::Software,
        RecordKind::License,
        RecordKind::Document,
        RecordKind::Location,
        RecordKind::Vendor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Ticket => "ticket",
            RecordKind::User => "user",
            RecordKind::Asset => "asset",
            RecordKind::Credential => "credential",
            RecordKind::Domain => "domain",
            RecordKind::Certificate => "certificate",
            RecordKind::Software => "software",
            RecordKind::License => "license",
            RecordKind::Document => "document",
            RecordKind::Location => "location",
            RecordKind::Vendor => "vendor",
        }
    }

    pub fn parse(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Ticket => "Ticket",
            RecordKind::User => "User",
            RecordKind::Asset => "Asset",
            RecordKind::Credential => "Credential",
            RecordKind::Domain => "Domain",
            RecordKind::Certificate => "Certificate",
            RecordKind::Software => "Software",
            RecordKind::License => "License",
            RecordKind::Document => "Document",
            RecordKind::Location => "Location",
            RecordKind::Vendor => "Vendor",
        }
    }

    /// Where the record's detail page lives; `key` is its id (its number for tickets).
    pub fn href(self, key: &str) -> String {
        match self {
            RecordKind::Ticket => format!("/desk/tickets/{key}"),
            RecordKind::User => format!("/admin/users?user={key}"),
            RecordKind::Asset => format!("/assets/{key}"),
            RecordKind::Credential => format!("/vault/{key}"),
            RecordKind::Domain => format!("/domains/{key}"),
            RecordKind::Certificate => format!("/domains/certificates/{key}"),
            RecordKind::Software => format!("/assets/software/{key}"),
            RecordKind::License => format!("/assets/licenses/{key}"),
            RecordKind::Document => format!("/docs/{key}"),
            RecordKind::Location => format!("/assets/locations/{key}"),
            RecordKind::Vendor => format!("/assets/vendors/{key}"),
        }
    }
}

impl RecordKind {
    /// The module a kind belongs to; `None` for kinds that are always on (users).
    pub fn module(self) -> Option<crate::settings::model::Module> {
        use crate::settings::model::Module;
        match self {
            RecordKind::Ticket => Some(Module::ServiceDesk),
            RecordKind::User => None,
            RecordKind::Asset
            | RecordKind::Software
            | RecordKind::License
            | RecordKind::Location
            | RecordKind::Vendor => Some(Module::Assets),
            RecordKind::Credential => Some(Module::Vault),
            RecordKind::Domain | RecordKind::Certificate => Some(Module::Domains),
            RecordKind::Document => Some(Module::Documents),
        }
    }
}

/// What a link says. It reads "a <type> b"; the other side reads the reverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "link_type", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum LinkType {
    Related,
    DependsOn,
    Uses,
    Documents,
    InstalledOn,
    BelongsTo,
}

impl LinkType {
    pub const ALL: [LinkType; 6] = [
        LinkType::Related,
        LinkType::DependsOn,
        LinkType::Uses,
        LinkType::Documents,
        LinkType::InstalledOn,
        LinkType::BelongsTo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkType::Related => "related",
            LinkType::DependsOn => "depends_on",
            LinkType::Uses => "uses",
            LinkType::Documents => "documents",
            LinkType::InstalledOn => "installed_on",
            LinkType::BelongsTo => "belongs_to",
        }
    }

    pub fn parse(s: &str) -> Option<LinkType> {
        LinkType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// How the link reads from its `a` side.
    pub fn forward(self) -> &'static str {
        match self {
            LinkType::Related => "Related to",
            LinkType::DependsOn => "Depends on",
            LinkType::Uses => "Uses",
            LinkType::Documents => "Documents",
            LinkType::InstalledOn => "Installed on",
            LinkType::BelongsTo => "Belongs to",
        }
    }

    /// How the link reads from its `b` side.
    pub fn reverse(self) -> &'static str {
        match self {
            LinkType::Related => "Related to",
            LinkType::DependsOn => "Required by",
            LinkType::Uses => "Used by",
            LinkType::Documents => "Documented by",
            LinkType::InstalledOn => "Has installed",
            LinkType::BelongsTo => "Has",
        }
    }
}

/// A record named by kind and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecordRef {
    pub kind: RecordKind,
    pub id: uuid::Uuid,
}

/// The other end of a link, as seen from one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedRecord {
    pub link_id: uuid::Uuid,
    pub link_type: LinkType,
    /// "Depends on", "Used by", …: read from the record the panel belongs to.
    pub relation: String,
    pub kind: RecordKind,
    pub id: uuid::Uuid,
    pub title: String,
    pub href: String,
    pub note: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A record offered by the link picker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkCandidate {
    pub kind: RecordKind,
    pub id: uuid::Uuid,
    pub title: String,
    pub href: String,
}

/// Orders the two ends of a link: `related` is stored once, smaller end first, so
/// "x related y" and "y related x" are the same row.
pub fn normalise(from: RecordRef, to: RecordRef, t: LinkType) -> (RecordRef, RecordRef) {
    if t == LinkType::Related && (to.kind, to.id) < (from.kind, from.id) {
        (to, from)
    } else {
        (from, to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn related_is_stored_in_one_order_other_types_keep_their_direction() {
        let x = RecordRef { kind: RecordKind::Asset, id: uuid::Uuid::from_u128(2) };
        let y = RecordRef { kind: RecordKind::Ticket, id: uuid::Uuid::from_u128(1) };
        assert_eq!(normalise(x, y, LinkType::Related), normalise(y, x, LinkType::Related));
        assert_eq!(normalise(y, x, LinkType::Uses), (y, x));
        assert_eq!(normalise(x, y, LinkType::Uses), (x, y));
    }

    #[test]
    fn kinds_and_types_round_trip_through_their_names() {
        for k in RecordKind::ALL {
            assert_eq!(RecordKind::parse(k.as_str()), Some(k));
        }
        for t in LinkType::ALL {
            assert_eq!(LinkType::parse(t.as_str()), Some(t));
        }
    }
}
