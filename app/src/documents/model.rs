//! Documents, folders, versions and diffs as the browser and server see them.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A folder; the tree is built from `parent_id` (see `rules::tree`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Folder {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    /// Documents directly in this folder.
    pub documents: i64,
}

/// One row of the document list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentSummary {
    pub id: Uuid,
    pub title: String,
    pub folder_id: Option<Uuid>,
    pub folder_name: Option<String>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
    pub updated_by_name: Option<String>,
}

/// Where the next page of the list starts (keyset). `rank` is set while searching,
/// where results come best match first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentCursor {
    pub updated_at: DateTime<Utc>,
    pub id: Uuid,
    #[serde(default)]
    pub rank: Option<f32>,
}

/// What the list shows: one folder's documents (or all), optionally matching words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct DocumentQuery {
    /// None: every folder.
    pub folder: Option<Uuid>,
    /// Words from titles and bodies; titles also match with typos.
    pub search: String,
    pub after: Option<DocumentCursor>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentPage {
    pub items: Vec<DocumentSummary>,
    pub next: Option<DocumentCursor>,
}

/// Rows per list page.
pub const PAGE_SIZE: i64 = 50;

/// A folder on the way from the top level to a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FolderRef {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentFile {
    pub id: Uuid,
    pub filename: String,
    pub size_bytes: i64,
    pub content_type: String,
    pub uploaded_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl DocumentFile {
    /// Where the file is downloaded from (the same route as ticket attachments).
    pub fn url(&self) -> String {
        format!("/attachments/{}", self.id)
    }
}

/// A document with its body as markdown and as sanitised HTML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: Uuid,
    pub folder_id: Option<Uuid>,
    /// Folders from the top level down to the document's own.
    pub path: Vec<FolderRef>,
    pub title: String,
    pub body: String,
    pub html: String,
    /// The latest version; a save names it, and is refused if it is no longer current.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub created_by_name: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub updated_by_name: Option<String>,
    pub files: Vec<DocumentFile>,
}

/// One saved version in the history list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionInfo {
    pub number: i32,
    pub title: String,
    pub author_name: Option<String>,
    pub created_at: DateTime<Utc>,
    /// This version restored that older one.
    pub restored_from: Option<i32>,
}

/// One old version in full, rendered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionView {
    pub info: VersionInfo,
    pub body: String,
    pub html: String,
}

/// Versions per history page.
pub const HISTORY_PAGE: i64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    /// Unchanged, shown as context.
    Same,
    Added,
    Removed,
    /// Unchanged lines left out between hunks (`text` says how many).
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffLine {
    pub kind: DiffKind,
    /// Line number in the older version (Same, Removed).
    pub old: Option<u32>,
    /// Line number in the newer version (Same, Added).
    pub new: Option<u32>,
    pub text: String,
}

/// The difference between two versions of a document's body (and title).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionDiff {
    pub from: i32,
    pub to: i32,
    pub title_from: String,
    pub title_to: String,
    pub added: u32,
    pub removed: u32,
    pub lines: Vec<DiffLine>,
}

/// Unchanged lines shown around each change in a diff.
pub const DIFF_CONTEXT: usize = 3;
