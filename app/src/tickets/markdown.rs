//! Ticket descriptions and comments are markdown. They are rendered to HTML on the
//! server and sanitised with an allow-list (ammonia) before any browser sees them:
//! no scripts, styles, event handlers, iframes or `javascript:` links survive, and
//! every link opens with `rel="noopener noreferrer nofollow"`. Raw HTML typed into
//! the markdown is treated the same way.
use pulldown_cmark::{html, Options, Parser};

/// Bounded input (the database allows 100,000 characters) and a bounded result.
pub fn to_safe_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tags(["input"])
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn markdown_renders_and_dangerous_html_is_removed() {
        let html = to_safe_html("**VPN** drops\n\n- one\n- [link](https://example.com)");
        assert!(html.contains("<strong>VPN</strong>"), "{html}");
        assert!(html.contains("<li>one</li>"), "{html}");
        assert!(html.contains(r#"href="https://example.com""#) && html.contains("noopener"), "{html}");
        for attack in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=https://evil.example></iframe>",
            "<style>body{display:none}</style>",
            "<div style=\"position:fixed\">x</div>",
        ] {
            let out = to_safe_html(attack);
            for bad in ["<script", "onerror", "javascript:", "<iframe", "<style", "style="] {
                assert!(!out.contains(bad), "{attack} → {out}");
            }
        }
    }
}
