//! DNS lookups of a domain's monitored records with hickory-resolver: the
//! system resolver, or one explicit nameserver (already past the guard).
use super::Limits;
use app::domains::model::{DnsRecord, RecordType};
use hickory_resolver::config::{NameServerConfigGroup, ResolverConfig, ResolverOpts};
use hickory_resolver::error::ResolveErrorKind;
use hickory_resolver::proto::rr::{RData, RecordType as Rt};
use hickory_resolver::TokioAsyncResolver;
use std::net::SocketAddr;

fn resolver(server: Option<SocketAddr>, limits: &Limits) -> Result<TokioAsyncResolver, String> {
    let (config, mut opts) = match server {
        Some(addr) => (
            ResolverConfig::from_parts(
                None,
                vec![],
                NameServerConfigGroup::from_ips_clear(&[addr.ip()], addr.port(), true),
            ),
            ResolverOpts::default(),
        ),
        None => hickory_resolver::system_conf::read_system_conf()
            .map_err(|e| format!("Cannot read the system resolver configuration: {e}"))?,
    };
    opts.timeout = limits.dns_query;
    opts.attempts = 1;
    opts.cache_size = 0;
    opts.use_hosts_file = false;
    // Names are queried fully qualified; search domains never apply.
    opts.ndots = 0;
    Ok(TokioAsyncResolver::tokio(config, opts))
}

fn our_type(t: Rt) -> Option<RecordType> {
    Some(match t {
        Rt::A => RecordType::A,
        Rt::AAAA => RecordType::Aaaa,
        Rt::CNAME => RecordType::Cname,
        Rt::MX => RecordType::Mx,
        Rt::NS => RecordType::Ns,
        Rt::TXT => RecordType::Txt,
        Rt::CAA => RecordType::Caa,
        Rt::SOA => RecordType::Soa,
        _ => return None,
    })
}

fn their_type(t: RecordType) -> Rt {
    match t {
        RecordType::A => Rt::A,
        RecordType::Aaaa => Rt::AAAA,
        RecordType::Cname => Rt::CNAME,
        RecordType::Mx => Rt::MX,
        RecordType::Ns => Rt::NS,
        RecordType::Txt => Rt::TXT,
        RecordType::Caa => Rt::CAA,
        RecordType::Soa => Rt::SOA,
    }
}

/// The presentation form we store: lower-case, names fully qualified (trailing dot);
/// TXT strings joined (as SPF and DKIM readers do); CAA as written.
fn value_of(data: &RData) -> String {
    match data {
        RData::TXT(txt) => txt.txt_data().iter().map(|s| String::from_utf8_lossy(s).into_owned()).collect::<String>(),
        RData::CAA(caa) => caa.to_string(),
        other => other.to_string().to_ascii_lowercase(),
    }
}

/// One query; "no such name" and "no records" are an empty answer, any other
/// failure (timeout, refused, server failure) fails the whole check so a flaky
/// answer is never reported as records removed.
async fn query(r: &TokioAsyncResolver, name: &str, t: RecordType) -> Result<Vec<DnsRecord>, String> {
    let fqdn = format!("{name}.");
    match r.lookup(fqdn.as_str(), their_type(t)).await {
        Ok(lookup) => Ok(lookup
            .record_iter()
            .filter_map(|rec| {
                let rt = our_type(rec.record_type())?;
                // The asked type, and CNAMEs met on the way (e.g. DKIM delegated to a provider).
                if rt != t && rt != RecordType::Cname {
                    return None;
                }
                let data = rec.data()?;
                Some(DnsRecord {
                    rtype: rt,
                    name: rec.name().to_ascii().to_ascii_lowercase().trim_end_matches('.').to_string(),
                    value: value_of(data),
                })
            })
            .collect()),
        Err(e) => match e.kind() {
            ResolveErrorKind::NoRecordsFound { .. } => Ok(vec![]),
            _ => Err(format!("{} lookup of {name} failed: {e}", t.label())),
        },
    }
}

/// Every monitored record of `domain`: apex A, AAAA, CNAME, MX, NS, TXT (SPF
/// included), CAA and SOA; `_dmarc` TXT; TXT of each DKIM selector.
pub async fn lookup_all(
    domain: &str,
    selectors: &[String],
    server: Option<SocketAddr>,
    limits: &Limits,
) -> Result<Vec<DnsRecord>, String> {
    let r = resolver(server, limits)?;
    let mut queries: Vec<(String, RecordType)> = RecordType::ALL.iter().map(|t| (domain.to_string(), *t)).collect();
    queries.push((format!("_dmarc.{domain}"), RecordType::Txt));
    queries.extend(selectors.iter().map(|s| (format!("{s}._domainkey.{domain}"), RecordType::Txt)));
    // A bound on the whole run on top of the per-query timeout.
    let overall = limits.dns_query * 4;
    let answers =
        tokio::time::timeout(overall, futures::future::join_all(queries.iter().map(|(name, t)| query(&r, name, *t))))
            .await
            .map_err(|_| format!("DNS lookups of {domain} timed out after {} s.", overall.as_secs()))?;
    let mut out = Vec::new();
    for a in answers {
        out.extend(a?);
    }
    Ok(app::domains::rules::normalize_records(out))
}
