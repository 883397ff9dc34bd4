-- Domains: registrations with their expiry, the DNS record set seen by the last
-- check and its change history; TLS certificates read from host:port with theirs.

-- Outcome of the last DNS or certificate check.
create type check_status as enum ('ok', 'changed', 'failed');

create table domains (
  id uuid primary key default gen_random_uuid(),
  -- Lower-case, validated by the application (labels, length, no trailing dot).
  name text not null constraint domains_name_key unique
    constraint domains_name_lower check (name = lower(name) and length(name) between 1 and 253),
  registrar text not null default '' constraint domains_registrar_len check (length(registrar) <= 200),
  expires_on date,
  notes text not null default '' constraint domains_notes_len check (length(notes) <= 10000),
  -- DKIM selectors checked as <selector>._domainkey.<name>.
  dkim_selectors text[] not null default '{}',
  -- Open a ticket when the record set changes (in addition to the global setting).
  ticket_on_change boolean not null default false,
  -- The normalised, sorted record set of the last successful check: [{"type","name","value"}].
  records jsonb,
  last_checked_at timestamptz,
  last_check_status check_status,
  last_check_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger domains_updated_at before update on domains for each row execute function set_updated_at();
-- Search by name fragment; the unique index serves the keyset order.
create index domains_name_trgm_idx on domains using gin (name gin_trgm_ops);

-- One row per check whose record set differed from the previous one.
create table domain_dns_changes (
  id uuid primary key default gen_random_uuid(),
  domain_id uuid not null references domains (id) on delete cascade,
  checked_at timestamptz not null default now(),
  added jsonb not null,
  removed jsonb not null
);
create index domain_dns_changes_domain_idx on domain_dns_changes (domain_id, checked_at desc);

create table certificates (
  id uuid primary key default gen_random_uuid(),
  host text not null constraint certificates_host_len check (length(host) between 1 and 253),
  port integer not null default 443 constraint certificates_port_range check (port between 1 and 65535),
  domain_id uuid references domains (id) on delete set null,
  -- Parsed from the leaf certificate of the last successful check.
  subject text,
  issuer text,
  sans text[] not null default '{}',
  not_before timestamptz,
  not_after timestamptz,
  fingerprint text,
  key_type text,
  key_bits integer,
  -- The chain verified against the public web roots (with the host name); else why not.
  trust_error text,
  -- The SANs cover the host.
  host_matches boolean,
  last_checked_at timestamptz,
  last_check_status check_status,
  last_check_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint certificates_target_key unique (host, port)
);
create trigger certificates_updated_at before update on certificates for each row execute function set_updated_at();
create index certificates_domain_idx on certificates (domain_id) where domain_id is not null;
-- Search by host fragment; the unique (host, port) index serves the keyset order.
create index certificates_host_trgm_idx on certificates using gin (host gin_trgm_ops);
create index certificates_not_after_idx on certificates (not_after);

-- One row per check that saw a different certificate than the previous one.
create table certificate_changes (
  id uuid primary key default gen_random_uuid(),
  certificate_id uuid not null references certificates (id) on delete cascade,
  checked_at timestamptz not null default now(),
  old_fingerprint text not null,
  new_fingerprint text not null,
  subject text not null,
  not_after timestamptz not null
);
create index certificate_changes_cert_idx on certificate_changes (certificate_id, checked_at desc);
