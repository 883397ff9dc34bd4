//! Pure rules of the Domains module: name validation, record-set diffs, the
//! outbound address policy (SSRF guard) and certificate host matching.
use super::model::DnsRecord;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Lower-cases and checks a domain name: 2+ labels of 1–63 letters, digits or
/// hyphens (not at either end), at most 253 characters, no trailing dot.
/// Internationalised names are written in their `xn--` form.
pub fn normalize_domain(input: &str) -> Result<String, String> {
    let name = input.trim().trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() {
        return Err("Enter a domain name, e.g. example.com.".into());
    }
    if !name.is_ascii() {
        return Err("Write internationalised names in their xn-- (punycode) form.".into());
    }
    if name.len() > 253 {
        return Err("A domain name has at most 253 characters.".into());
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2 {
        return Err("Enter a full domain name with a dot, e.g. example.com.".into());
    }
    for l in &labels {
        if l.is_empty() || l.len() > 63 {
            return Err("Each part between dots must have 1 to 63 characters.".into());
        }
        if !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') || l.starts_with('-') || l.ends_with('-') {
            return Err(format!(
                "\"{l}\" is not a valid part of a domain name: use letters, digits and inner hyphens."
            ));
        }
    }
    if labels.last().is_some_and(|t| t.bytes().all(|b| b.is_ascii_digit())) {
        return Err("The last part of a domain name cannot be a number.".into());
    }
    Ok(name)
}

/// Checks DKIM selectors (labels of letters, digits, `-`, `_`, dots between), lower-cased, each once.
pub fn normalize_selectors(input: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for s in input {
        let s = s.trim().to_ascii_lowercase();
        if s.is_empty() {
            continue;
        }
        let ok = s.len() <= 63
            && s.split('.')
                .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        if !ok {
            return Err(format!("\"{s}\" is not a valid DKIM selector."));
        }
        if !out.contains(&s) {
            out.push(s);
        }
    }
    if out.len() > 20 {
        return Err("At most 20 DKIM selectors.".into());
    }
    Ok(out)
}

/// A record set in canonical order, each record once.
pub fn normalize_records(mut records: Vec<DnsRecord>) -> Vec<DnsRecord> {
    records.sort();
    records.dedup();
    records
}

/// What is in `new` but not in `old` (added), and the reverse (removed). Both sorted.
pub fn diff(old: &[DnsRecord], new: &[DnsRecord]) -> (Vec<DnsRecord>, Vec<DnsRecord>) {
    let added = new.iter().filter(|r| !old.contains(r)).cloned().collect();
    let removed = old.iter().filter(|r| !new.contains(r)).cloned().collect();
    (normalize_records(added), normalize_records(removed))
}

/// An IPv4 or IPv6 network, e.g. `10.0.0.0/8` or `fd00::/8`; a bare address is a /32 or /128.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl Cidr {
    pub fn parse(s: &str) -> Result<Cidr, String> {
        let s = s.trim();
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a.parse().map_err(|_| format!("\"{s}\" is not an IP address or CIDR range."))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            None => max,
            Some(p) => {
                p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(|| format!("\"{s}\": bad prefix length."))?
            }
        };
        Ok(Cidr { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                prefix_eq(u32::from(net) as u128, u32::from(ip) as u128, self.prefix, 32)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => prefix_eq(u128::from(net), u128::from(ip), self.prefix, 128),
            _ => false,
        }
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

fn prefix_eq(a: u128, b: u128, prefix: u8, bits: u8) -> bool {
    if prefix == 0 {
        return true;
    }
    let shift = bits - prefix;
    (a >> shift) == (b >> shift)
}

/// Parses and canonicalises the allow-list; the first bad entry is named.
pub fn parse_allow_list(entries: &[String]) -> Result<Vec<Cidr>, String> {
    let list: Vec<Cidr> =
        entries.iter().filter(|e| !e.trim().is_empty()).map(|e| Cidr::parse(e)).collect::<Result<_, _>>()?;
    if list.len() > 100 {
        return Err("At most 100 allow-list entries.".into());
    }
    Ok(list)
}

/// Why an address may not be reached by a check, or None when it is public.
/// IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
pub fn blocked_reason(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => blocked_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => blocked_v4(v4),
            None => blocked_v6(v6),
        },
    }
}

fn blocked_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let o = ip.octets();
    if ip.is_unspecified() || o[0] == 0 {
        Some("unspecified")
    } else if ip.is_loopback() {
        Some("loopback")
    } else if ip.is_private() {
        Some("private")
    } else if ip.is_link_local() {
        Some("link-local")
    } else if o[0] == 100 && (o[1] & 0xc0) == 64 {
        Some("shared (CGNAT)")
    } else if ip.is_multicast() {
        Some("multicast")
    } else if ip.is_broadcast() || o[0] >= 240 {
        Some("reserved")
    } else {
        None
    }
}

fn blocked_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    if ip.is_unspecified() {
        Some("unspecified")
    } else if ip.is_loopback() {
        Some("loopback")
    } else if (s[0] & 0xfe00) == 0xfc00 {
        Some("unique-local")
    } else if (s[0] & 0xffc0) == 0xfe80 {
        Some("link-local")
    } else if ip.is_multicast() {
        Some("multicast")
    } else if let Some(v4) = ip.to_ipv4() {
        // IPv4-compatible (::a.b.c.d) addresses.
        blocked_v4(v4).or(Some("IPv4-compatible"))
    } else {
        None
    }
}

/// Checks that a check may reach `ip`: public, or covered by the allow-list.
pub fn check_target(ip: IpAddr, allow: &[Cidr]) -> Result<(), String> {
    match blocked_reason(ip) {
        Some(why) if !allow.iter().any(|c| c.contains(ip)) => {
            Err(format!("{ip} is a {why} address; an administrator can allow it in the Domains settings."))
        }
        _ => Ok(()),
    }
}

/// Parses a nameserver address: `ip:port`, `[v6]:port`, or a bare IP (port 53).
pub fn parse_resolver(s: &str) -> Result<SocketAddr, String> {
    let s = s.trim();
    if let Ok(a) = s.parse::<SocketAddr>() {
        return Ok(a);
    }
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, 53));
    }
    Err(format!("\"{s}\" is not a nameserver address: use ip:port, e.g. 192.0.2.53:53."))
}

/// Checks a certificate target host: a domain name or an IP address, lower-cased.
pub fn normalize_host(input: &str) -> Result<String, String> {
    let h = input.trim().trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = h.parse::<IpAddr>() {
        return Ok(ip.to_string());
    }
    let h = h.trim_end_matches('.').to_ascii_lowercase();
    let ok = !h.is_empty()
        && h.len() <= 253
        && h.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && !l.starts_with('-')
                && !l.ends_with('-')
        });
    if ok {
        Ok(h)
    } else {
        Err(format!("\"{}\" is not a host name or IP address.", input.trim()))
    }
}

/// Do the certificate's SANs cover `host`? DNS SANs match case-insensitively,
/// a `*.` wildcard covers exactly one left-most label; IP SANs match IP hosts.
pub fn host_matches(host: &str, sans: &[String]) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if let Ok(ip) = host.parse::<IpAddr>() {
        return sans.iter().any(|s| s.parse::<IpAddr>().is_ok_and(|s| s == ip));
    }
    sans.iter().any(|san| {
        let san = san.trim_end_matches('.').to_ascii_lowercase();
        match san.strip_prefix("*.") {
            Some(base) => host.split_once('.').is_some_and(|(first, rest)| !first.is_empty() && rest == base),
            None => san == host,
        }
    })
}

/// Days from `today` to `date` (negative when past).
pub fn days_until(date: chrono::NaiveDate, today: chrono::NaiveDate) -> i64 {
    (date - today).num_days()
}

#[cfg(test)]
mod tests {
    use super::super::model::RecordType;
    use super::*;

    fn rec(t: RecordType, v: &str) -> DnsRecord {
        DnsRecord { rtype: t, name: "example.com".into(), value: v.into() }
    }

    #[test]
    fn domain_names_are_lower_cased_and_checked() {
        assert_eq!(normalize_domain(" Example.COM. ").unwrap(), "example.com");
        assert_eq!(normalize_domain("xn--bcher-kva.example").unwrap(), "xn--bcher-kva.example");
        for bad in ["", "localhost", "a..b", "-a.com", "a-.com", "a_b.com", "bücher.de", "1.2.3.4", "a b.com"] {
            assert!(normalize_domain(bad).is_err(), "{bad} accepted");
        }
        assert!(normalize_domain(&format!("{}.com", "a".repeat(64))).is_err());
    }

    #[test]
    fn selectors_are_checked_and_deduplicated() {
        assert_eq!(
            normalize_selectors(&["Google".into(), "s1".into(), "google".into(), " ".into()]).unwrap(),
            vec!["google".to_string(), "s1".to_string()]
        );
        assert!(normalize_selectors(&["bad selector".into()]).is_err());
    }

    #[test]
    fn diff_reports_exactly_what_came_and_went() {
        let old = normalize_records(vec![rec(RecordType::A, "192.0.2.1"), rec(RecordType::Txt, "v=spf1 -all")]);
        let new = normalize_records(vec![
            rec(RecordType::Txt, "v=spf1 -all"),
            rec(RecordType::A, "192.0.2.2"),
            rec(RecordType::Txt, "hello"),
            rec(RecordType::Txt, "hello"),
        ]);
        let (added, removed) = diff(&old, &new);
        assert_eq!(added, vec![rec(RecordType::A, "192.0.2.2"), rec(RecordType::Txt, "hello")]);
        assert_eq!(removed, vec![rec(RecordType::A, "192.0.2.1")]);
        assert_eq!(diff(&new, &new), (vec![], vec![]));
    }

    #[test]
    fn private_and_special_addresses_are_blocked_unless_allowed() {
        for ip in [
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "127.0.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd12:3456::1",
            "ff02::1",
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(check_target(ip, &[]).is_err(), "{ip} allowed");
        }
        for ip in ["192.0.2.1", "8.8.8.8", "100.128.0.1", "2001:db8::1", "2606:4700::1111"] {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(check_target(ip, &[]).is_ok(), "{ip} refused");
        }
        let allow = parse_allow_list(&["127.0.0.1".into(), "10.1.0.0/16".into(), "fd00::/8".into()]).unwrap();
        assert!(check_target("127.0.0.1".parse().unwrap(), &allow).is_ok());
        assert!(check_target("127.0.0.2".parse().unwrap(), &allow).is_err());
        assert!(check_target("10.1.200.3".parse().unwrap(), &allow).is_ok());
        assert!(check_target("10.2.0.1".parse().unwrap(), &allow).is_err());
        assert!(check_target("fd12::1".parse().unwrap(), &allow).is_ok());
        assert!(check_target("::1".parse().unwrap(), &allow).is_err());
    }

    #[test]
    fn allow_list_entries_are_validated() {
        assert!(parse_allow_list(&["10.0.0.0/33".into()]).is_err());
        assert!(parse_allow_list(&["not an ip".into()]).is_err());
        assert_eq!(parse_allow_list(&["::/0".into(), "".into()]).unwrap().len(), 1);
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains("8.8.8.8".parse().unwrap()));
    }

    #[test]
    fn resolver_addresses() {
        assert_eq!(parse_resolver("127.0.0.1:5353").unwrap(), "127.0.0.1:5353".parse().unwrap());
        assert_eq!(parse_resolver("192.0.2.53").unwrap(), "192.0.2.53:53".parse().unwrap());
        assert_eq!(parse_resolver("[2001:db8::53]:53").unwrap(), "[2001:db8::53]:53".parse().unwrap());
        assert!(parse_resolver("ns1.example.com:53").is_err());
    }

    #[test]
    fn sans_cover_hosts_with_single_label_wildcards() {
        let sans = vec!["example.com".to_string(), "*.example.com".to_string(), "127.0.0.1".to_string()];
        assert!(host_matches("example.com", &sans));
        assert!(host_matches("WWW.example.com.", &sans));
        assert!(!host_matches("a.b.example.com", &sans));
        assert!(!host_matches("example.org", &sans));
        assert!(host_matches("127.0.0.1", &sans));
        assert!(!host_matches("127.0.0.2", &sans));
        assert!(!host_matches("127.0.0.1", &["other.test".to_string()]));
    }

    #[test]
    fn hosts_are_names_or_addresses() {
        assert_eq!(normalize_host(" Mail.Example.com ").unwrap(), "mail.example.com");
        assert_eq!(normalize_host("[::1]").unwrap(), "::1");
        assert!(normalize_host("http://x").is_err());
    }
}
