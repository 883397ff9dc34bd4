//! Assets, locations and vendors as the browser and server exchange them.
use crate::auth::model::UserId;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "asset_type", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum AssetType {
    #[default]
    Computer,
    Laptop,
    Chromebook,
    Phone,
    Tablet,
    Server,
    NetworkDevice,
    Printer,
    Peripheral,
    Other,
}

impl AssetType {
    pub const ALL: [AssetType; 10] = [
        AssetType::Computer,
        AssetType::Laptop,
        AssetType::Chromebook,
        AssetType::Phone,
        AssetType::Tablet,
        AssetType::Server,
        AssetType::NetworkDevice,
        AssetType::Printer,
        AssetType::Peripheral,
        AssetType::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AssetType::Computer => "computer",
            AssetType::Laptop => "laptop",
            AssetType::Chromebook => "chromebook",
            AssetType::Phone => "phone",
            AssetType::Tablet => "tablet",
            AssetType::Server => "server",
            AssetType::NetworkDevice => "network_device",
            AssetType::Printer => "printer",
            AssetType::Peripheral => "peripheral",
            AssetType::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AssetType::Computer => "Computer",
            AssetType::Laptop => "Laptop",
            AssetType::Chromebook => "Chromebook",
            AssetType::Phone => "Phone",
            AssetType::Tablet => "Tablet",
            AssetType::Server => "Server",
            AssetType::NetworkDevice => "Network device",
            AssetType::Printer => "Printer",
            AssetType::Peripheral => "Peripheral",
            AssetType::Other => "Other",
        }
    }

    /// Accepts the key or the label, any case ("Network device", "network_device").
    pub fn parse(s: &str) -> Option<AssetType> {
        let s = s.trim();
        AssetType::ALL.into_iter().find(|t| t.as_str().eq_ignore_ascii_case(s) || t.label().eq_ignore_ascii_case(s))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "asset_status", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum AssetStatus {
    #[default]
    InUse,
    InStock,
    InRepair,
    Retired,
    Lost,
}

impl AssetStatus {
    pub const ALL: [AssetStatus; 5] =
        [AssetStatus::InUse, AssetStatus::InStock, AssetStatus::InRepair, AssetStatus::Retired, AssetStatus::Lost];

    pub fn as_str(self) -> &'static str {
        match self {
            AssetStatus::InUse => "in_use",
            AssetStatus::InStock => "in_stock",
            AssetStatus::InRepair => "in_repair",
            AssetStatus::Retired => "retired",
            AssetStatus::Lost => "lost",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AssetStatus::InUse => "In use",
            AssetStatus::InStock => "In stock",
            AssetStatus::InRepair => "In repair",
            AssetStatus::Retired => "Retired",
            AssetStatus::Lost => "Lost",
        }
    }

    pub fn parse(s: &str) -> Option<AssetStatus> {
        let s = s.trim();
        AssetStatus::ALL.into_iter().find(|t| t.as_str().eq_ignore_ascii_case(s) || t.label().eq_ignore_ascii_case(s))
    }
}

/// What a form or an API call sends to create or change an asset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AssetInput {
    pub name: String,
    pub asset_type: AssetType,
    pub status: AssetStatus,
    pub tag: String,
    pub serial: String,
    pub make: String,
    pub model: String,
    pub os: String,
    pub os_version: String,
    pub assigned_to: Option<UserId>,
    pub location_id: Option<uuid::Uuid>,
    pub vendor_id: Option<uuid::Uuid>,
    pub purchased_on: Option<NaiveDate>,
    /// In cents, to avoid floating point money.
    pub purchase_cost_cents: Option<i64>,
    pub warranty_expires_on: Option<NaiveDate>,
    pub notes: String,
    #[serde(default)]
    pub custom_fields: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    pub id: uuid::Uuid,
    pub version: i32,
    #[serde(flatten)]
    pub input: AssetInput,
    pub assigned_name: Option<String>,
    pub location_name: Option<String>,
    pub vendor_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A row of the asset list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetSummary {
    pub id: uuid::Uuid,
    pub name: String,
    pub asset_type: AssetType,
    pub status: AssetStatus,
    pub tag: Option<String>,
    pub serial: Option<String>,
    pub make_model: String,
    pub assigned_name: Option<String>,
    pub location_name: Option<String>,
    pub warranty_expires_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AssetOrder {
    #[default]
    Name,
    Updated,
}

/// Filters of the asset list (and its CSV export).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AssetFilter {
    #[serde(default)]
    pub search: String,
    pub asset_type: Option<AssetType>,
    pub status: Option<AssetStatus>,
    pub assigned_to: Option<UserId>,
    pub location_id: Option<uuid::Uuid>,
    pub vendor_id: Option<uuid::Uuid>,
    /// Warranty ends on or before this day.
    pub warranty_before: Option<NaiveDate>,
    #[serde(default)]
    pub order: AssetOrder,
}

/// Where the next page starts: the last row's sort key and id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetCursor {
    pub key: String,
    pub id: uuid::Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetPage {
    pub rows: Vec<AssetSummary>,
    pub next: Option<AssetCursor>,
}

/// One entry of an asset's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetEvent {
    pub action: String,
    pub actor: Option<String>,
    /// Field → (before, after), as display text.
    pub changes: BTreeMap<String, (String, String)>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetDetail {
    pub asset: Asset,
    pub history: Vec<AssetEvent>,
}

/// A location or a vendor: both are simple named records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Location,
    Vendor,
}

impl PlaceKind {
    pub fn label(self) -> &'static str {
        match self {
            PlaceKind::Location => "Location",
            PlaceKind::Vendor => "Vendor",
        }
    }
    pub fn plural(self) -> &'static str {
        match self {
            PlaceKind::Location => "Locations",
            PlaceKind::Vendor => "Vendors",
        }
    }
    pub fn record_kind(self) -> crate::links::model::RecordKind {
        match self {
            PlaceKind::Location => crate::links::model::RecordKind::Location,
            PlaceKind::Vendor => crate::links::model::RecordKind::Vendor,
        }
    }
}

/// A location (address) or vendor (website, email, phone); unused fields stay empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PlaceInput {
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub id: uuid::Uuid,
    pub kind: PlaceKind,
    #[serde(flatten)]
    pub input: PlaceInput,
    pub asset_count: i64,
}

/// The outcome of checking an uploaded CSV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub import_id: uuid::Uuid,
    pub total_rows: i64,
    pub error_rows: i64,
    /// The first rows with errors: (CSV line number, message).
    pub errors: Vec<(i32, String)>,
    /// The first valid rows as they will be created.
    pub sample: Vec<ImportRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRow {
    pub row_no: i32,
    pub name: String,
    pub asset_type: String,
    pub status: String,
    pub tag: String,
    pub assigned_email: String,
    pub location_name: String,
}

/// Columns the importer reads (header names, any case); `name` is required.
pub const IMPORT_COLUMNS: [&str; 16] = [
    "name",
    "type",
    "status",
    "tag",
    "serial",
    "make",
    "model",
    "os",
    "os_version",
    "assigned_to",
    "location",
    "vendor",
    "purchase_date",
    "purchase_cost",
    "warranty_expires",
    "notes",
];

/// Columns the export adds after [`IMPORT_COLUMNS`]; the importer reads and ignores
/// them (an import always creates new assets), so an exported file reads back in.
pub const EXPORT_ONLY_COLUMNS: [&str; 2] = ["id", "updated_at"];

/// Largest CSV the importer accepts.
pub const IMPORT_MAX_BYTES: usize = 64 * 1024 * 1024;
/// Rows in one import.
pub const IMPORT_MAX_ROWS: usize = 100_000;
/// Rows per page of the list.
pub const PAGE_SIZE: i64 = 50;
