-- The console's tabs and per-tab reply drafts live on the server, so they survive a
-- reload and follow the agent to another device.
create table desk_tabs (
  user_id uuid not null references users (id) on delete cascade,
  ticket_id uuid not null references tickets (id) on delete cascade,
  position int not null,
  opened_at timestamptz not null default now(),
  primary key (user_id, ticket_id)
);
create index desk_tabs_order_idx on desk_tabs (user_id, position);

create table ticket_drafts (
  user_id uuid not null references users (id) on delete cascade,
  ticket_id uuid not null references tickets (id) on delete cascade,
  body text not null constraint ticket_drafts_body_len check (length(body) between 1 and 100000),
  internal boolean not null default false,
  updated_at timestamptz not null default now(),
  primary key (user_id, ticket_id)
);

-- Long jobs (bulk edits over many tickets) report how far they got.
alter table jobs add column progress jsonb;

-- Saved views store the console's filter document as is.
update saved_views set filters = jsonb_build_object(
  'categories', coalesce(filters -> 'status_category', '[]'::jsonb),
  'assignee', case filters ->> 'assignee'
                when 'me' then '{"kind": "me"}'::jsonb
                when 'unassigned' then '{"kind": "unassigned"}'::jsonb
                else '{"kind": "any"}'::jsonb end)
where filters ? 'status_category' or jsonb_typeof(filters -> 'assignee') = 'string';
