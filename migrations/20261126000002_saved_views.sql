-- Saved queue views of the agent console; owner null = shared with every agent.
create table saved_views (
  id uuid primary key default gen_random_uuid(),
  name text not null constraint saved_views_name_len check (length(name) between 1 and 80),
  owner_id uuid references users (id) on delete cascade,
  filters jsonb not null default '{}',
  position int not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger saved_views_updated_at before update on saved_views for each row execute function set_updated_at();
create index saved_views_owner_idx on saved_views (owner_id, position);

insert into saved_views (name, filters, position) values
  ('My open', '{"assignee": "me", "status_category": ["new", "open", "pending", "scheduled"]}', 1),
  ('Unassigned', '{"assignee": "unassigned", "status_category": ["new", "open", "pending", "scheduled"]}', 2),
  ('All open', '{"status_category": ["new", "open", "pending", "scheduled"]}', 3);
