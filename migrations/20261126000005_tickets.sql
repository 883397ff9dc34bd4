-- Tickets: statuses and transitions as data, priorities, comments, timeline.
create type status_category as enum ('new', 'open', 'pending', 'scheduled', 'resolved', 'closed');
create type ticket_priority as enum ('p1', 'p2', 'p3', 'p4');
create type ticket_source as enum ('web', 'portal', 'email', 'api');

create table ticket_statuses (
  key text primary key constraint ticket_statuses_key_format check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  name text not null constraint ticket_statuses_name_len check (length(name) between 1 and 60),
  category status_category not null,
  position int not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger ticket_statuses_updated_at before update on ticket_statuses for each row execute function set_updated_at();

create table ticket_status_transitions (
  from_key text not null references ticket_statuses (key) on delete cascade,
  to_key text not null references ticket_statuses (key) on delete cascade,
  primary key (from_key, to_key),
  constraint ticket_status_transitions_not_self check (from_key <> to_key)
);

insert into ticket_statuses (key, name, category, position) values
  ('new', 'New', 'new', 1),
  ('assigned', 'Assigned', 'open', 2),
  ('accepted', 'Accepted', 'open', 3),
  ('in_progress', 'In Progress', 'open', 4),
  ('scheduled', 'Scheduled', 'scheduled', 5),
  ('awaiting_info', 'Awaiting Info', 'pending', 6),
  ('callback', 'Callback', 'pending', 7),
  ('parts', 'Awaiting Parts', 'pending', 8),
  ('approval', 'Awaiting Approval', 'pending', 9),
  ('resolved', 'Resolved', 'resolved', 10),
  ('closed', 'Closed', 'closed', 11);

-- Defaults of the lifecycle: forward through the work states, in and out of every
-- pending sub-state, reopen from Resolved to In Progress, close only when resolved.
insert into ticket_status_transitions (from_key, to_key)
select f.key, t.key from ticket_statuses f cross join ticket_statuses t
where f.key <> t.key and (
     (f.key in ('new', 'assigned', 'accepted', 'in_progress', 'scheduled', 'awaiting_info', 'callback', 'parts', 'approval')
        and t.key in ('assigned', 'accepted', 'in_progress', 'scheduled', 'awaiting_info', 'callback', 'parts', 'approval', 'resolved'))
  or (f.key = 'resolved' and t.key in ('in_progress', 'closed'))
);

create sequence ticket_number_seq;

create table tickets (
  id uuid primary key default gen_random_uuid(),
  number bigint not null default nextval('ticket_number_seq') constraint tickets_number_key unique,
  title text not null constraint tickets_title_len check (length(title) between 1 and 300),
  description text not null default '' constraint tickets_description_len check (length(description) <= 100000),
  requester_id uuid not null references users (id),
  assignee_id uuid references users (id),
  team_id uuid references teams (id) on delete set null,
  status text not null references ticket_statuses (key),
  status_category status_category not null,
  priority ticket_priority not null default 'p3',
  source ticket_source not null default 'web',
  tags text[] not null default '{}',
  due_at timestamptz,
  custom_fields jsonb not null default '{}',
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search tsvector generated always as (
    setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', description), 'B')
  ) stored
);
create trigger tickets_updated_at before update on tickets for each row execute function set_updated_at();
-- Queue views: by status category, newest activity first, keyset on (updated_at, id).
create index tickets_queue_idx on tickets (status_category, updated_at desc, id desc);
create index tickets_assignee_idx on tickets (assignee_id, status_category, updated_at desc, id desc);
create index tickets_team_idx on tickets (team_id, status_category, updated_at desc, id desc);
create index tickets_requester_idx on tickets (requester_id, updated_at desc, id desc);
create index tickets_priority_idx on tickets (priority, status_category, updated_at desc, id desc);
create index tickets_search_idx on tickets using gin (search);
create index tickets_tags_idx on tickets using gin (tags);
create index tickets_title_trgm_idx on tickets using gin (title gin_trgm_ops);

create table ticket_comments (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references tickets (id) on delete cascade,
  author_id uuid not null references users (id),
  body text not null constraint ticket_comments_body_len check (length(body) between 1 and 100000),
  internal boolean not null default false,
  created_at timestamptz not null default now(),
  search tsvector generated always as (setweight(to_tsvector('simple', body), 'C')) stored
);
create index ticket_comments_ticket_idx on ticket_comments (ticket_id, created_at);
create index ticket_comments_search_idx on ticket_comments using gin (search);

-- The timeline: every field change, status change and comment, with actor and time.
create table ticket_events (
  id bigint generated always as identity primary key,
  ticket_id uuid not null references tickets (id) on delete cascade,
  actor_id uuid references users (id),
  kind text not null,
  detail jsonb not null default '{}',
  -- The ticket version this event produced; conflicts list what came after.
  version int not null default 1,
  created_at timestamptz not null default now()
);
create index ticket_events_ticket_idx on ticket_events (ticket_id, id);
