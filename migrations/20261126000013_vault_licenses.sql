-- Credential vault, software titles and licenses. Secrets (passwords, TOTP seeds,
-- license keys) live only in vault_secrets, envelope-encrypted: a random data key
-- per secret encrypts the value (AES-256-GCM), the master key wraps the data key,
-- and key_id names the master key so keys can rotate.

create type vault_secret_field as enum ('password', 'totp_seed', 'license_key');
create type totp_algorithm as enum ('sha1', 'sha256', 'sha512');

create table vault_credentials (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  username text not null default '' check (length(username) <= 200),
  url text not null default '' check (length(url) <= 2000),
  notes text not null default '' check (length(notes) <= 20000),
  -- Rotation date; listed on the Expiring page.
  expires_on date,
  totp_algorithm totp_algorithm,
  totp_digits smallint check (totp_digits between 6 and 8),
  totp_period smallint check (totp_period between 1 and 300),
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index vault_credentials_name_idx on vault_credentials (lower(name), id);
create index vault_credentials_name_trgm on vault_credentials using gin (name gin_trgm_ops);
create index vault_credentials_username_trgm on vault_credentials using gin (username gin_trgm_ops);
create index vault_credentials_url_trgm on vault_credentials using gin (url gin_trgm_ops);
create index vault_credentials_expires_idx on vault_credentials (expires_on) where expires_on is not null;

create table software (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  vendor text not null default '' check (length(vendor) <= 200),
  notes text not null default '' check (length(notes) <= 20000),
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index software_name_idx on software (lower(name), id);
create index software_name_trgm on software using gin (name gin_trgm_ops);
create index software_vendor_trgm on software using gin (vendor gin_trgm_ops);

create table licenses (
  id uuid primary key default gen_random_uuid(),
  software_id uuid not null references software(id) on delete restrict,
  name text not null default '' check (length(name) <= 200),
  expires_on date,
  purchased_on date,
  -- Minor currency units (cents).
  cost_cents bigint check (cost_cents >= 0),
  seats integer not null check (seats between 1 and 1000000),
  notes text not null default '' check (length(notes) <= 20000),
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index licenses_software_idx on licenses (software_id, created_at, id);
create index licenses_expires_idx on licenses (expires_on) where expires_on is not null;

-- One row per seat in use: a user or an asset (assets get their foreign key when
-- the assets table exists).
create table license_assignments (
  id uuid primary key default gen_random_uuid(),
  license_id uuid not null references licenses(id) on delete cascade,
  user_id uuid references users(id) on delete cascade,
  asset_id uuid,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  check ((user_id is null) <> (asset_id is null))
);
create index license_assignments_license_idx on license_assignments (license_id);
create unique index license_assignments_user_uniq on license_assignments (license_id, user_id) where user_id is not null;
create unique index license_assignments_asset_uniq on license_assignments (license_id, asset_id) where asset_id is not null;
create index license_assignments_user_idx on license_assignments (user_id) where user_id is not null;
create index license_assignments_asset_idx on license_assignments (asset_id) where asset_id is not null;

create table vault_secrets (
  id uuid primary key default gen_random_uuid(),
  credential_id uuid references vault_credentials(id) on delete cascade,
  license_id uuid references licenses(id) on delete cascade,
  field vault_secret_field not null,
  nonce bytea not null check (length(nonce) = 12),
  ciphertext bytea not null,
  -- nonce (12 bytes) || AES-256-GCM(master key, data key) (48 bytes)
  wrapped_key bytea not null check (length(wrapped_key) = 60),
  key_id text not null,
  updated_at timestamptz not null default now(),
  check ((credential_id is null) <> (license_id is null))
);
create unique index vault_secrets_credential_uniq on vault_secrets (credential_id, field) where credential_id is not null;
create unique index vault_secrets_license_uniq on vault_secrets (license_id, field) where license_id is not null;
-- Key rotation walks the rows not yet under the new key.
create index vault_secrets_key_idx on vault_secrets (key_id, id);
