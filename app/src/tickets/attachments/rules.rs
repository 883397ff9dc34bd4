//! File names and content types of attachments: what is stored and what a
//! download is served as. Pure, so it is unit-tested here.

/// A safe display and download name: the last path component only (no `..`, no
/// directories), no control or reserved characters, at most 255 bytes with the
/// extension kept, never empty.
pub fn sanitize_filename(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .map(|c| if c.is_control() || matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*' | ';') { '_' } else { c })
        .collect();
    let trimmed = cleaned.trim().trim_matches('.').trim();
    let name = if trimmed.is_empty() { "file".to_string() } else { trimmed.to_string() };
    shorten(&name, 255)
}

/// Cuts `name` to `max` bytes on a character boundary, keeping a short extension.
fn shorten(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e).filter(|e| !e.is_empty() && e.len() <= 16);
    let keep = max - ext.map(|e| e.len() + 1).unwrap_or(0);
    let mut stem = String::new();
    for c in name.chars() {
        if stem.len() + c.len_utf8() > keep {
            break;
        }
        stem.push(c);
    }
    match ext {
        Some(e) => format!("{stem}.{e}"),
        None => stem,
    }
}

/// The content type a download is served with, from the file's extension and
/// only for types browsers render inertly; everything else (HTML, SVG, scripts,
/// unknown) is `application/octet-stream`.
pub fn content_type_for(filename: &str) -> &'static str {
    let ext = filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "txt" | "log" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "zip" => "application/zip",
        "eml" => "message/rfc822",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        _ => "application/octet-stream",
    }
}

/// `Content-Disposition` for a download: always `attachment`, with an ASCII
/// fallback name and the exact name in RFC 5987 form.
pub fn content_disposition(filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for b in filename.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_directories_traversal_and_reserved_characters() {
        assert_eq!(sanitize_filename("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_filename("..\\..\\windows\\system.ini"), "system.ini");
        assert_eq!(sanitize_filename("a\u{0}b\nc\".txt"), "a_b_c_.txt");
        assert_eq!(sanitize_filename(".."), "file");
        assert_eq!(sanitize_filename("  "), "file");
        assert_eq!(sanitize_filename("dir/"), "file");
        assert_eq!(sanitize_filename(".bashrc"), "bashrc");
        assert_eq!(sanitize_filename("Résumé 2026.pdf"), "Résumé 2026.pdf");
    }

    #[test]
    fn long_names_are_cut_on_a_character_boundary_and_keep_the_extension() {
        let long = format!("{}.pdf", "é".repeat(300));
        let s = sanitize_filename(&long);
        assert!(s.len() <= 255, "{}", s.len());
        assert!(s.ends_with(".pdf"));
    }

    #[test]
    fn only_inert_types_are_named_and_active_content_is_served_as_bytes() {
        assert_eq!(content_type_for("shot.PNG"), "image/png");
        assert_eq!(content_type_for("report.pdf"), "application/pdf");
        assert_eq!(content_type_for("page.html"), "application/octet-stream");
        assert_eq!(content_type_for("logo.svg"), "application/octet-stream");
        assert_eq!(content_type_for("run.js"), "application/octet-stream");
        assert_eq!(content_type_for("noext"), "application/octet-stream");
    }

    #[test]
    fn disposition_is_always_an_attachment_and_quotes_safely() {
        let d = content_disposition("a\"b é.txt");
        assert!(d.starts_with("attachment; filename=\"a_b _.txt\""), "{d}");
        assert!(d.ends_with("filename*=UTF-8''a%22b%20%C3%A9.txt"), "{d}");
    }
}
