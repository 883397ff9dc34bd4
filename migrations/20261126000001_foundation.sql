-- Foundation: accounts, teams, sessions, settings, audit chain, jobs.
create extension if not exists pg_trgm;
create extension if not exists citext;

create function set_updated_at() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end $$;

-- Accounts ------------------------------------------------------------------
create type user_role as enum ('requester', 'agent', 'team_lead', 'manager', 'admin');
create type ui_theme as enum ('dark', 'light');

create table users (
  id uuid primary key default gen_random_uuid(),
  email citext not null constraint users_email_key unique,
  display_name text not null constraint users_display_name_len check (length(display_name) between 1 and 200),
  password_hash text,
  role user_role not null default 'requester',
  active boolean not null default true,
  theme ui_theme not null default 'dark',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger users_updated_at before update on users for each row execute function set_updated_at();
create index users_role_idx on users (role) where active;
create index users_name_trgm_idx on users using gin ((display_name || ' ' || email::text) gin_trgm_ops);

create table teams (
  id uuid primary key default gen_random_uuid(),
  name citext not null constraint teams_name_key unique,
  description text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger teams_updated_at before update on teams for each row execute function set_updated_at();

create table team_members (
  team_id uuid not null references teams (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (team_id, user_id)
);
create index team_members_user_idx on team_members (user_id);

-- Sessions: the cookie holds a random token; only its sha256 is stored.
create table sessions (
  token_hash bytea primary key,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text
);
create index sessions_user_idx on sessions (user_id);
create index sessions_expires_idx on sessions (expires_at);

create table login_attempts (
  id bigint generated always as identity primary key,
  email citext not null,
  ip text not null,
  succeeded boolean not null,
  created_at timestamptz not null default now()
);
create index login_attempts_email_idx on login_attempts (email, created_at) where not succeeded;
create index login_attempts_ip_idx on login_attempts (ip, created_at) where not succeeded;

-- Settings: one JSON document per key (modules, labels, branding).
create table settings (
  key text primary key,
  value jsonb not null,
  updated_by uuid references users (id) on delete set null,
  updated_at timestamptz not null default now()
);
create trigger settings_updated_at before update on settings for each row execute function set_updated_at();

create table branding_logo (
  id int primary key constraint branding_logo_singleton check (id = 1),
  content_type text not null,
  bytes bytea not null,
  updated_at timestamptz not null default now()
);

-- Audit chain ---------------------------------------------------------------
-- Append-only. Each row's hash = sha256(prev_hash || canonical text of the row).
-- The insert trigger takes a transaction-scoped advisory lock and assigns the id
-- itself, so ids and the chain follow one strict order even under concurrency.
create sequence audit_log_id_seq;
create table audit_log (
  id bigint primary key,
  occurred_at timestamptz not null default now(),
  actor_id uuid,
  actor_label text not null,
  action text not null,
  entity_type text not null,
  entity_id text not null,
  before jsonb,
  after jsonb,
  prev_hash bytea not null,
  hash bytea not null
);
create index audit_log_entity_idx on audit_log (entity_type, entity_id, id desc);
create index audit_log_actor_idx on audit_log (actor_id, id desc);
create index audit_log_action_idx on audit_log (action, id desc);
create index audit_log_time_idx on audit_log (occurred_at);

create function audit_canonical(a audit_log) returns bytea language sql immutable as $$
  select convert_to(concat_ws(E'\x1f',
    a.id::text,
    to_char(a.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    coalesce(a.actor_id::text, ''),
    a.actor_label, a.action, a.entity_type, a.entity_id,
    coalesce(a.before::text, 'null'),
    coalesce(a.after::text, 'null')), 'UTF8')
$$;

create function audit_log_chain() returns trigger language plpgsql as $$
begin
  perform pg_advisory_xact_lock(7262001);
  new.id := nextval('audit_log_id_seq');
  new.occurred_at := clock_timestamp();
  new.prev_hash := coalesce((select hash from audit_log order by id desc limit 1), '\x'::bytea);
  new.hash := sha256(new.prev_hash || audit_canonical(new));
  return new;
end $$;
create trigger audit_log_chain before insert on audit_log for each row execute function audit_log_chain();

create function audit_log_forbid_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_forbid_change();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_forbid_change();

-- Jobs ----------------------------------------------------------------------
create type job_status as enum ('queued', 'running', 'done', 'dead');

create table jobs (
  id bigint generated always as identity primary key,
  kind text not null,
  payload jsonb not null default '{}',
  status job_status not null default 'queued',
  attempts int not null default 0,
  max_attempts int not null default 5,
  run_at timestamptz not null default now(),
  locked_until timestamptz,
  locked_by text,
  last_error text,
  -- Set for scheduled runs ("schedule:<name>:<tick>") so a tick enqueues once.
  dedupe_key text constraint jobs_dedupe_key unique,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
create trigger jobs_updated_at before update on jobs for each row execute function set_updated_at();
create index jobs_ready_idx on jobs (run_at) where status = 'queued';
create index jobs_lease_idx on jobs (locked_until) where status = 'running';
create index jobs_status_idx on jobs (status, id desc);

create table job_schedules (
  name text primary key,
  kind text not null,
  cron text not null,
  enabled boolean not null default true,
  next_run_at timestamptz not null,
  updated_at timestamptz not null default now()
);
create trigger job_schedules_updated_at before update on job_schedules for each row execute function set_updated_at();
