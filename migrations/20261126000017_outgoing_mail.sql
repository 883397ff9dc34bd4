-- Outgoing mail: the SMTP relay Helios sends through (its password is a vault
-- secret) and the outbox of every message, each sent by a `core.mail_send` job.

create type mail_security as enum ('none', 'starttls', 'tls');
create type outbound_mail_status as enum ('queued', 'sent', 'failed');
create type outbound_mail_kind as enum ('test', 'expiry_alert', 'domain_change', 'certificate_change');

-- One row at most (`singleton`); its id binds the password's ciphertext.
create table mail_transport (
  id uuid primary key default gen_random_uuid(),
  singleton boolean not null default true constraint mail_transport_one unique check (singleton),
  enabled boolean not null default true,
  host text not null check (length(host) between 1 and 253),
  port integer not null check (port between 1 and 65535),
  security mail_security not null,
  username text not null default '' check (length(username) <= 254),
  from_address citext not null check (length(from_address) between 3 and 254),
  from_name text not null default '' check (length(from_name) <= 100),
  updated_at timestamptz not null default now()
);

alter table vault_secrets add column mail_transport_id uuid references mail_transport(id) on delete cascade;
alter table vault_secrets drop constraint vault_secrets_check;
alter table vault_secrets add constraint vault_secrets_one_owner
  check (num_nonnulls(credential_id, license_id, mail_transport_id) = 1);
create unique index vault_secrets_mail_transport_uniq on vault_secrets (mail_transport_id, field)
  where mail_transport_id is not null;

create table outbound_mail (
  id uuid primary key default gen_random_uuid(),
  recipient citext not null check (length(recipient) between 3 and 254),
  subject text not null check (length(subject) between 1 and 200),
  body text not null check (length(body) <= 100000),
  -- A path inside Helios ("/assets/…"), written under the body as a full link.
  href text not null default '' check (length(href) <= 500),
  kind outbound_mail_kind not null,
  status outbound_mail_status not null default 'queued',
  -- The one job allowed to deliver it (a revived old job finds another id and stops).
  job_id bigint,
  attempts integer not null default 0,
  last_error text check (length(last_error) <= 2000),
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
-- The outbox page: newest first, all or one status, keyset on (created_at, id).
create index outbound_mail_recent_idx on outbound_mail (created_at desc, id desc);
create index outbound_mail_status_idx on outbound_mail (status, created_at desc, id desc);
