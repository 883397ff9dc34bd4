//! Files attached to comments and ticket descriptions, as the browser sees them.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: uuid::Uuid,
    pub filename: String,
    pub size_bytes: i64,
    pub content_type: String,
    /// None: attached to the ticket's description (or not sent yet, see `draft`).
    pub comment_id: Option<uuid::Uuid>,
    /// Uploaded while writing a reply that was not sent yet.
    pub draft: bool,
    pub created_at: DateTime<Utc>,
}

impl Attachment {
    /// Where the file is downloaded from.
    pub fn url(&self) -> String {
        format!("/attachments/{}", self.id)
    }
}

/// Admin settings for attachments (setting key `attachments`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AttachmentSettings {
    /// Largest file accepted, in MB (1 MB = 1,048,576 bytes).
    pub max_size_mb: u32,
}

impl Default for AttachmentSettings {
    fn default() -> Self {
        AttachmentSettings { max_size_mb: DEFAULT_MAX_SIZE_MB }
    }
}

pub const DEFAULT_MAX_SIZE_MB: u32 = 25;
/// The highest limit an admin may set.
pub const MAX_SIZE_MB_CEILING: u32 = 2048;

impl AttachmentSettings {
    pub fn max_bytes(self) -> u64 {
        u64::from(self.max_size_mb) * 1024 * 1024
    }

    pub fn validate(self) -> Result<Self, String> {
        if (1..=MAX_SIZE_MB_CEILING).contains(&self.max_size_mb) {
            Ok(self)
        } else {
            Err(format!("Choose a limit from 1 to {MAX_SIZE_MB_CEILING} MB."))
        }
    }
}

/// `1536` → "1.5 KB".
pub fn human_size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b < 1024.0 {
        format!("{bytes} B")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.1} KB", b / 1024.0)
    } else if b < 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1} MB", b / (1024.0 * 1024.0))
    } else {
        format!("{:.1} GB", b / (1024.0 * 1024.0 * 1024.0))
    }
}
