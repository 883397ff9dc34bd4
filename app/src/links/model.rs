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
