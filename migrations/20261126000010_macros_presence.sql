-- Macros (saved replies) of the agent console: a text with placeholders plus field
-- changes. owner null = shared with every agent; else personal.
create table macros (
  id uuid primary key default gen_random_uuid(),
  name text not null constraint macros_name_len check (length(name) between 1 and 80),
  body text not null default '' constraint macros_body_len check (length(body) <= 20000),
  -- The text goes in as an internal note (else a public reply).
  internal boolean not null default false,
  owner_id uuid references users (id) on delete cascade,
  -- Field changes: {"status": "resolved", "priority": "p2", "assignee": {"kind": "me"}, "add_tags": ["x"]}
  actions jsonb not null default '{}',
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger macros_updated_at before update on macros for each row execute function set_updated_at();
-- Names are unique among the shared macros and among each agent's own.
create unique index macros_shared_name_key on macros (lower(name)) where owner_id is null;
create unique index macros_personal_name_key on macros (owner_id, lower(name)) where owner_id is not null;

-- Who has a ticket open right now (agents only). A heartbeat refreshes seen_at;
-- rows older than 30 s count as gone. typing_at is set by the draft autosave.
-- Unlogged: losing it in a crash only hides presence until the next heartbeat.
create unlogged table ticket_presence (
  ticket_id uuid not null references tickets (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  seen_at timestamptz not null default now(),
  typing_at timestamptz,
  primary key (ticket_id, user_id)
);
create index ticket_presence_seen_idx on ticket_presence (seen_at);
